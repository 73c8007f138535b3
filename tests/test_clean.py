"""Cleaning: loss-free edit tables, and the per-file expectations of corpus-notes.md."""

import random
import re

import pytest

from textlab.clean import REASONS, apply_edits, clean_text, find_citations, normalise
from textlab.errors import ParameterError

# corpus-notes.md defines tokens as this regex on the normalised text.
NOTES_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")
DOCS = ["yu2025", "anon_central_asia", "yan_hao2026", "external_kz", "zong2026"]


def notes_tokens(text):
    return len(NOTES_TOKEN.findall(normalise(text)))


def paragraphs(corpus, doc_id):
    r = corpus.clean_result(doc_id)
    b = r.blocks[r.blocks["kind"] == "paragraph"]
    return [r.text[s:e] for s, e in zip(b["start"], b["end"])]


def headings(corpus, doc_id):
    b = corpus.clean_result(doc_id).blocks
    return b[b["kind"] == "heading"]


# -- invariants on every text ---------------------------------------------------------------


@pytest.mark.parametrize("doc_id", DOCS)
def test_every_character_is_kept_or_listed(corpus, doc_id):
    raw, r = corpus.raw(doc_id), corpus.clean_result(doc_id)
    assert apply_edits(raw, r.edits) == r.text
    removed = int((r.edits["end"] - r.edits["start"]).sum())
    kept = len(raw) - removed
    assert kept + removed == len(raw)
    assert kept == len(r.text) - int(r.edits["inserted"].str.len().sum())
    report = r.report.set_index("reason")
    assert report.loc["kept", "chars_removed"] == kept
    assert int(report["chars_removed"].sum()) == len(raw)
    # the removed column holds exactly the raw characters
    assert all(raw[s:e] == t for s, e, t in zip(r.edits["start"], r.edits["end"], r.edits["removed"]))
    assert set(r.edits["reason"]) <= set(REASONS)
    starts, ends = r.edits["start"].tolist(), r.edits["end"].tolist()
    assert all(e0 <= s1 for e0, s1 in zip(ends, starts[1:])), "edits overlap"


@pytest.mark.parametrize("doc_id", DOCS)
def test_offsets_map_both_ways(corpus, doc_id):
    r = corpus.clean_result(doc_id)
    raw = corpus.raw(doc_id)
    for row in r.blocks.itertuples():
        assert r.text[row.start:row.end] == r.text[row.start:row.end].strip()
        first = r.text[row.start]
        assert raw[r.to_raw(row.start)] == first
        assert r.to_clean(r.to_raw(row.start)) == row.start


@pytest.mark.parametrize("doc_id", DOCS)
def test_no_footer_markup_or_reference_text_in_body(corpus, doc_id):
    text = corpus.text(doc_id)
    for fragment in ("<sup>", "**", "\\*", "Corresponding", "E-mail", "Email:", "Open Access", "©", "http", "doi.org",
                     "References", "REFERENCES", "DECLARATIONS", "Conflict of interest"):
        assert fragment not in text, fragment
    for entry in corpus.clean_result(doc_id).references:
        assert entry[-50:] not in text  # the title/venue end of the entry (authors recur in citations)


# -- per-file expectations (corpus-notes.md section 5) --------------------------------------

EXPECTED = {
    # doc: (paragraphs, headings, levels 1/2/3, body tokens, heading tokens, references, first words, last words)
    "yu2025": (55, 24, {1: 5, 2: 12, 3: 7}, 7082, 419, 15,
               "At present, the global industrial structure is undergoing accelerated adjustment",
               "contributing Chinese perspectives, experience, and solutions to international vocational education cooperation."),
    "anon_central_asia": (15, 5, {1: 5}, 4392, 57, 15,
                          "Against the backdrop of the deepening advancement of the “Belt and Road” Initiative",
                          "can this partnership achieve high-quality and sustainable development."),
    "yan_hao2026": (59, 20, {1: 5, 2: 8, 3: 7}, 5800, 231, 9,
                    "With the full implementation of the Regional Comprehensive Economic Partnership Agreement (RCEP)",
                    "providing finer-grained evidence for policy optimization."),
    "external_kz": (16, 0, {}, 850, 0, 0,
                    "At the recent Shanghai Cooperation Organization summit in Tianjin",
                    "overreliance on a single external partner."),
    "zong2026": (44, 35, {1: 6, 2: 10, 3: 19}, 5727, 275, 30,
                 "As human society enters an era of digital intelligence and green, development",
                 "transform current obstacles into stepping stones to higher-quality development."),
}


@pytest.mark.parametrize("doc_id", DOCS)
def test_structure_matches_corpus_notes(corpus, doc_id):
    n_par, n_head, levels, body, head_tokens, n_refs, first, last = EXPECTED[doc_id]
    paras = paragraphs(corpus, doc_id)
    heads = headings(corpus, doc_id)
    r = corpus.clean_result(doc_id)
    assert len(paras) == n_par
    assert len(heads) == n_head
    assert heads["level"].value_counts().to_dict() == levels
    assert sum(notes_tokens(p) for p in paras) == body
    assert sum(notes_tokens(h) for h in heads["heading"]) == head_tokens
    assert len(r.references) == n_refs
    assert paras[0].startswith(first)
    assert paras[-1].endswith(last)


def test_yu2025_abstract_footer_and_footnote(corpus):
    r = corpus.clean_result("yu2025")
    # L13 + L21 around the page-footer block. corpus-notes counts 216 tokens because it
    # includes the inline label "Abstract"; the abstract text itself has 215.
    assert r.abstract.startswith("As an important vehicle for the internationalization")
    assert r.abstract.endswith("an important carrier for constructing the SCO vocational education community.")
    assert notes_tokens(r.abstract) == 215
    assert "Luban Workshop is not only a forefront platform" in r.abstract
    assert "announced China's decision to open a second Luban Workshop" in r.text
    for fragment in ("fishyueqin", "De Gruyter", "keynote address"):
        assert fragment not in r.text and fragment not in r.abstract
    reasons = set(r.edits["reason"])
    assert {"front_matter", "page_footer", "footnote", "back_matter", "references", "rejoined_break"} <= reasons
    footnote = r.edits[r.edits["reason"] == "footnote"]
    assert footnote["removed"].str.contains("keynote address").any()
    assert (r.edits["reason"] == "rejoined_break").sum() == 13  # the 13 body splits


def test_anon_central_asia_repairs(corpus):
    r = corpus.clean_result("anon_central_asia")
    assert "enrollment was approximately 27,900" in r.text
    lengths = [notes_tokens(p) for p in paragraphs(corpus, "anon_central_asia")]
    assert max(lengths) == 912  # L17+19+21
    assert r.references[11].startswith("[12] Yue, C., & Wang, Z. (2025)")
    assert "education and training cooperation under the backdrop" in r.references[11]
    assert r.references[13].endswith("Heilongjiang University. https://elsxk.hlju.edu.cn/info/1200/3035.htm")
    cites = find_citations(r.text)
    assert (cites["style"] == "numeric").sum() == 15
    assert cites.loc[cites["style"] == "numeric", "key"].astype(int).tolist() == list(range(1, 16))
    assert cites.loc[cites["style"] == "superscript", "key"].tolist() == ["¹⁶"]
    assert notes_tokens(r.abstract) == 220  # corpus-notes: 221 with the inline label "Abstract"


def test_yan_hao2026_hyphen_splits_undone(corpus):
    r = corpus.clean_result("yan_hao2026")
    for phrase in ("Economic Partnership Agreement (RCEP) and the launch", "Functional Cooperation. Humanistic",
                   "It effectively consolidates", "secondary vocational training",
                   "educational institutions, and research institutes", "trade collaboration. In this process",
                   "curriculum development, and teaching"):
        assert phrase in r.text, phrase
    assert not any(t.endswith("-") for t in re.findall(r"\S+", r.text))
    assert (r.edits["reason"] == "dehyphenation").sum() == 7
    assert "\\*" not in r.text and "<sup>" not in r.text
    assert all("http" in ref for ref in (r.references[0], r.references[1], r.references[2], r.references[4]))
    assert notes_tokens(r.abstract) == 160


def test_external_kz_is_untouched(corpus):
    r = corpus.clean_result("external_kz")
    assert r.text == corpus.raw("external_kz")
    assert len(r.edits) == 0
    assert r.report["reason"].tolist() == ["kept"]


def test_zong2026_footer_midword_and_fused_heading(corpus):
    r = corpus.clean_result("zong2026")
    assert "extending far-reaching influence over global vocational education development" in r.text
    for fragment in ("13845044544", "orcid", "open access article", "Corresponding Author"):
        assert fragment.lower() not in r.text.lower()
    heads = headings(corpus, "zong2026")["heading"].tolist()
    i = heads.index("Existing systematic challenges")
    assert heads[i + 1] == "Challenges of systematic coordination"
    # short unpunctuated page-split lines are not headings
    for fragment in ("China's international ambitions in vocational education are",
                     "For a long time, vocational education has been regarded as a",
                     "A third goal is to promote the upgrading of the World"):
        assert fragment not in heads
        assert any(p.startswith(fragment) for p in paragraphs(corpus, "zong2026"))
    assert "(Zan et al., 2025)" in r.text  # asterisks deleted, not replaced by spaces
    assert notes_tokens(r.abstract) == 225


def test_zong2026_levels_without_hints_default_to_two(corpus):
    r = clean_text(corpus.raw("zong2026"), "paper")
    levels = r.blocks.loc[r.blocks["kind"] == "heading", "level"].value_counts().to_dict()
    assert levels == {1: 6, 2: 29}


# -- unit behaviour ------------------------------------------------------------------------


def test_plain_profile_keeps_text_and_splits_lines_without_blank_lines():
    r = clean_text("one\ntwo\nthree")
    assert r.text == "one\ntwo\nthree" and len(r.edits) == 0
    assert r.blocks["kind"].tolist() == ["paragraph"] * 3
    r = clean_text("para one\nstill one\n\npara two")
    assert len(r.blocks) == 2


def test_carriage_returns_are_reported():
    raw = "one\r\n\r\ntwo\r\n"
    r = clean_text(raw)
    assert r.text == "one\n\ntwo\n"
    assert (r.edits["reason"] == "whitespace").sum() == 3
    assert apply_edits(raw, r.edits) == r.text


MAC_TEXT = "We depend\ron China.\r\rA new paragraph\rof text."


@pytest.mark.parametrize("profile", ["plain", "news", "paper"])
def test_lone_carriage_returns_are_line_breaks(profile):
    # old-Mac line endings clean like "\n" ones: the same text, segments, tokens and kwic
    from textlab import kwic, load_corpus

    cr = load_corpus({"m": MAC_TEXT}, profile=profile)
    lf = load_corpus({"m": MAC_TEXT.replace("\r", "\n")}, profile=profile)
    assert cr.text("m") == lf.text("m")
    assert "dependon" not in cr.text("m") and "\r" not in cr.text("m")
    cols = ["kind", "paragraph", "start", "end"]
    assert cr.segment_table()[cols].equals(lf.segment_table()[cols])
    assert len(cr.segment_table()) == (4 if profile == "news" else 2)
    assert cr.tokens("m").equals(lf.tokens("m"))
    assert len(kwic(cr, "depend")) == 1


@pytest.mark.parametrize("profile", ["plain", "news", "paper"])
@pytest.mark.parametrize(
    "raw",
    [MAC_TEXT, "\rOne \r\r \rtwo\r\r\n\rthree\r\n\r\nfour\r", "## 1 Intro\r\rThe Partner-\r\rship works.\r"],
    ids=["mac", "mixed", "markdown"],
)
def test_lone_carriage_returns_are_reported(raw, profile):
    r = clean_text(raw, profile)
    assert r.text == clean_text(raw.replace("\r\n", "\n").replace("\r", "\n"), profile).text
    assert apply_edits(raw, r.edits) == r.text
    report = r.report.set_index("reason")
    assert int(report["chars_removed"].sum()) == len(raw)  # kept + removed
    assert all(raw[s:e] == t for s, e, t in zip(r.edits["start"], r.edits["end"], r.edits["removed"]))
    starts, ends = r.edits["start"].tolist(), r.edits["end"].tolist()
    assert all(e0 <= s1 for e0, s1 in zip(ends, starts[1:])), "edits overlap"
    for row in r.blocks.itertuples():  # offsets into the raw text stay exact
        assert raw[r.to_raw(row.start)] == r.text[row.start]
        assert r.to_clean(r.to_raw(row.start)) == row.start


def test_hyphen_kept_when_joined_word_unattested():
    r = clean_text("A far-\n\nreaching change.", "paper")
    assert r.text == "A far-reaching change."
    r = clean_text("A far-\n\nreaching change.", "paper", known_words={"farreaching"})
    assert r.text == "A farreaching change."


def test_running_headers_and_page_numbers_removed():
    page = "The {} paragraph continues here and ends properly.\n\nJOURNAL OF TESTS\n\n{}\n\n"
    raw = "".join(page.format(w, i) for i, w in enumerate(["first", "second", "third", "fourth"], start=1))
    r = clean_text(raw, "paper")
    assert "JOURNAL OF TESTS" not in r.text
    assert (r.edits["reason"] == "running_header").sum() == 4
    assert (r.edits["reason"] == "page_number").sum() == 4
    assert apply_edits(raw, r.edits) == r.text


def test_normalise_is_length_preserving():
    s = "“A” ‘b’ China–Asia – x — y\u00a0z"
    assert len(normalise(s)) == len(s)
    assert normalise(s) == "\"A\" 'b' China-Asia – x — y z"


@pytest.mark.parametrize("bad", [None, 3, b"bytes"])
def test_clean_text_rejects_non_strings(bad):
    with pytest.raises(ParameterError, match="'text' parameter of clean_text"):
        clean_text(bad)


def test_clean_text_rejects_unknown_profile():
    with pytest.raises(ParameterError, match="'profile' parameter of clean_text must be one of"):
        clean_text("x", "pdf")


def test_citation_styles():
    text = "(Marx & Engels, 2009a: p. 53) and (Zhang & Zhou, 2025) and (CNR 2025) and Diener et al. (1999) [3]"
    cites = find_citations(text)
    assert cites["style"].tolist() == ["author_year", "author_year", "author_year", "narrative", "numeric"]
    assert cites["year"].tolist() == ["2009a", "2025", "2025", "1999", ""]


@pytest.mark.parametrize("per_line", [False, True])
def test_block_spans_equal_the_regex(per_line):
    # _block_spans replaced this regex (per line: its first group alone); every kind of
    # whitespace, blank lines of spaces, CR and form feeds, text without a final newline
    from textlab.clean import _block_spans

    line = r"[^\n]*\S[^\n]*"
    pattern = re.compile(line if per_line else rf"(?:{line})(?:\n{line})*")
    rng = random.Random(3)
    alphabet = ["a", "Zh", " ", "\n", "\n", "\t", "\r", "\x0c", "\x0b", "\x1c", "\u00a0", "\u2028", "\u3000", "中"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _block_spans(text, per_line) == [m.span() for m in pattern.finditer(text)], repr(text)
