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


# -- invisible characters and ligatures (every profile) -----------------------------------

PROFILES = ["plain", "news", "paper"]
INVISIBLE = [
    ("co\u00adoperation", "cooperation", "U+00AD SOFT HYPHEN"),
    ("win\u200b-win", "win-win", "U+200B ZERO WIDTH SPACE"),
    ("鲁班\u200b工坊", "鲁班工坊", "U+200B ZERO WIDTH SPACE"),
    ("word\u2060joiner", "wordjoiner", "U+2060 WORD JOINER"),
    ("in\ufefftext", "intext", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("产教\u200d融合", "产教融合", "U+200D ZERO WIDTH JOINER"),
    ("non\u200cjoiner", "nonjoiner", "U+200C ZERO WIDTH NON-JOINER"),
]


def assert_invariants(raw, r):
    """kept + removed = input; edits sorted, non-overlapping, removed == raw[start:end]."""
    e = r.edits
    assert apply_edits(raw, e) == r.text
    assert all(raw[s:t] == x for s, t, x in zip(e["start"], e["end"], e["removed"]))
    starts, ends = e["start"].tolist(), e["end"].tolist()
    assert all(s <= t for s, t in zip(starts, ends))
    assert all(t0 <= s1 for t0, s1 in zip(ends, starts[1:])), "edits overlap or are unsorted"
    assert set(e["reason"]) <= set(REASONS)
    report = r.report.set_index("reason")
    assert int(report["chars_removed"].sum()) == len(raw)
    for row in r.blocks.itertuples():
        assert r.to_clean(row.raw_start) == row.start
        assert r.to_clean(r.to_raw(row.start)) == row.start


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("word, expected, detail", INVISIBLE, ids=[d for _, _, d in INVISIBLE])
def test_invisible_characters_are_removed_and_reported(word, expected, detail, profile):
    raw = f"The {word} is here.\n\nAnd {word} again."
    r = clean_text(raw, profile)
    assert r.text == f"The {expected} is here.\n\nAnd {expected} again."
    invisible = r.edits[r.edits["reason"] == "invisible"]
    assert invisible["detail"].tolist() == [detail, detail]
    assert invisible["inserted"].tolist() == ["", ""]
    assert_invariants(raw, r)


def test_invisible_runs_bom_and_blank_lines():
    raw = "\ufeffOne line\u200b\u200b\u200b.\n\u200b\nTwo\u00ad\u00adlines."
    r = clean_text(raw)
    assert r.text == "One line.\n\nTwolines."
    assert r.edits["detail"].tolist() == [
        "U+FEFF ZERO WIDTH NO-BREAK SPACE (byte-order mark)", "U+200B ZERO WIDTH SPACE x3",
        "U+200B ZERO WIDTH SPACE", "U+00AD SOFT HYPHEN x2",
    ]
    # a line holding only an invisible character is a blank line, not an empty paragraph
    assert r.blocks["kind"].tolist() == ["paragraph", "paragraph"]
    assert [r.text[s:e] for s, e in zip(r.blocks["start"], r.blocks["end"])] == ["One line.", "Twolines."]
    assert r.blocks["raw_start"].tolist() == [1, raw.index("Two")]
    assert_invariants(raw, r)


LIGATURES = [("\ufb00", "ff"), ("\ufb01", "fi"), ("\ufb02", "fl"), ("\ufb03", "ffi"), ("\ufb04", "ffl"),
             ("\ufb05", "st"), ("\ufb06", "st")]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("ligature, letters", LIGATURES)
def test_ligatures_are_spelled_out_and_reported(ligature, letters, profile):
    raw = f"The {ligature}nancial sector.\n\nMore {ligature}x."
    r = clean_text(raw, profile)
    assert r.text == f"The {letters}nancial sector.\n\nMore {letters}x."
    lig = r.edits[r.edits["reason"] == "ligature"]
    assert lig["removed"].tolist() == [ligature, ligature]
    assert lig["inserted"].tolist() == [letters, letters]
    assert lig["detail"].str.startswith(f"U+{ord(ligature):04X} LATIN SMALL LIGATURE").all()
    assert_invariants(raw, r)


def test_repairs_inside_removed_spans_go_with_them():
    # a soft hyphen in the front matter, a ligature in the references, markup around one
    raw = ("Title\n\nKeywords: co\u00adoperation\n\n# 1 Intro\n\nThe **\ufb01nancial** co\u00adoperation.\n\n"
           "## References\n\n- A. Re\ufb02ections. 2020.")
    r = clean_text(raw, "paper")
    assert r.text == "1 Intro\n\nThe financial cooperation."
    assert r.references == ("A. Reflections. 2020.",)
    front = r.edits[r.edits["reason"] == "front_matter"]
    assert front["removed"].str.contains("\u00ad").any()
    assert (r.edits["reason"] == "invisible").sum() == 1 and (r.edits["reason"] == "ligature").sum() == 1
    assert_invariants(raw, r)


def test_edit_inside_a_ligature_takes_the_whole_ligature():
    # No rule cuts a word today, but the composition of the two edit tables must hold if one does.
    from textlab.clean import CleanResult, _CharMap, _char_edits, _on_raw, _splice
    import pandas as pd

    raw = "a\ufb03x\u200bb"
    char_edits = _char_edits(raw)
    mid = _splice(raw, char_edits)
    assert mid == "affixb"
    mid_edits = pd.DataFrame([(2, 3, "f", "Z", "markup", "test")],  # replace the middle "f" of "ffi"
                             columns=["start", "end", "removed", "inserted", "reason", "detail"])
    fake = CleanResult(text=apply_edits(mid, mid_edits), edits=mid_edits, blocks=pd.DataFrame(
        [[0, "paragraph", 0, "", 0, 6, 0, 6]], columns=["block", "kind", "level", "heading", "start", "end",
                                                        "raw_start", "raw_end"]), raw_length=len(mid))
    r = _on_raw(raw, mid, char_edits, fake)
    assert r.text == "afZixb"
    assert r.edits[["start", "end", "inserted", "reason"]].values.tolist() == [
        [1, 2, "fZi", "markup"], [3, 4, "", "invisible"]]
    assert apply_edits(raw, r.edits) == r.text
    assert r.blocks[["raw_start", "raw_end"]].values.tolist() == [[0, 5]]
    cmap = _CharMap(char_edits)
    assert (cmap.left(5), cmap.right(5), cmap.left(4), cmap.inside(2), cmap.inside(1)) == (3, 4, 2, 0, -1)


def test_kwic_finds_words_split_by_invisible_characters_and_ligatures():
    from textlab import kwic, load_corpus

    c = load_corpus({"en": "The \ufb01nancial sector and co\u00adoperation.",
                     "zh": "2016年，首个鲁班\u200b工坊在泰国建成。产教\u200d融合。"}, profile="paper")
    for word in ("financial", "cooperation", "鲁班工坊", "产教融合"):
        assert len(kwic(c, word)) == 1, word
    assert set(c.cleaning_report("en")["reason"]) == {"ligature", "invisible"}


@pytest.mark.parametrize("profile", ["plain", "news"])
def test_kwic_finds_words_split_by_invisible_characters_plain_corpus(profile):
    from textlab import kwic, load_corpus

    c = load_corpus({"en": "The \ufb01nancial sector and co\u00adoperation."}, profile=profile)
    assert c.text("en") == c.clean_result("en").text == "The financial sector and cooperation."
    assert len(kwic(c, "financial")) == 1 and len(kwic(c, "cooperation")) == 1


# -- Chinese articles in the paper profile ---------------------------------------------------

ZH_PAPER = "\n\n".join([
    "鲁班工坊与中国职业教育国际合作研究",
    "作者：张三",
    "摘要：鲁班工坊是中国职业教育走出去的重要品牌。本文梳理其发展历程与经验。",
    "关键词：鲁班工坊；职业教育",
    "一、引言",
    "2016年，首个鲁班工坊在泰国建成[1]。鲁班工坊推动了当地职业教育的发展。",
    "鲁班工坊坚持产教融合，服务当地产业发展。学员在工坊中学习先进技术。",
    "（一）研究背景",
    "“一带一路”倡议提出以来，职业教育国际合作不断深化。各国对技术技能人才的需求日益增长。",
    "二、鲁班工坊的发展",
    "截至2023年，鲁班工坊已在多个国家建成。它们成为人文交流的重要平台！",
    "参考文献：",
    "[1] 王五. 鲁班工坊研究[J]. 职业技术教育, 2020.",
])


def test_chinese_paper_keeps_its_body(tmp_path):
    import warnings

    from textlab import load_corpus
    from textlab.errors import TextlabWarning

    (tmp_path / "lbgf.txt").write_text(ZH_PAPER, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextlabWarning)
        c = load_corpus(tmp_path, profile="paper")
        segs = c.segment_table()
    r = c.clean_result("lbgf")
    assert segs["kind"].tolist() == ["heading", "paragraph", "paragraph", "heading", "paragraph", "heading", "paragraph"]
    heads = segs[segs["kind"] == "heading"]
    assert [r.text[s:e] for s, e in zip(heads["start"], heads["end"])] == ["一、引言", "（一）研究背景", "二、鲁班工坊的发展"]
    assert r.blocks.loc[r.blocks["kind"] == "heading", "level"].tolist() == [1, 2, 1]
    assert r.text.startswith("一、引言\n\n2016年，首个鲁班工坊在泰国建成[1]。")
    assert r.text.endswith("它们成为人文交流的重要平台！")
    assert r.abstract == "鲁班工坊是中国职业教育走出去的重要品牌。本文梳理其发展历程与经验。"
    assert r.references == ("[1] 王五. 鲁班工坊研究[J]. 职业技术教育, 2020.",)
    for fragment in ("作者", "摘要", "关键词", "参考文献", "王五"):
        assert fragment not in r.text
    assert {"front_matter", "references"} <= set(r.edits["reason"])
    assert "rejoined_break" not in set(r.edits["reason"])  # paragraphs ending in 。 are not page-break splits


@pytest.mark.parametrize("block", ["他说：“好。”", "是这样吗？", "太好了！」", "（见表1。）", "简短的一句。", "一、加强师资队伍建设。",
                                   "（一）完善制度。", "1.1 建立机制！"])
def test_chinese_sentence_end_is_never_a_heading(block):
    r = clean_text(f"一、引言\n\n{block}\n\n第二段正文。", "paper")
    assert r.blocks["kind"].tolist() == ["heading", "paragraph", "paragraph"]


@pytest.mark.parametrize("headings, levels", [
    (["一、引言", "（一）背景", "1. 数据", "1.1 来源", "1.2抽样"], [1, 2, 3, 4, 4]),
    (["1.研究背景", "1.1研究方法", "2、结论"], [1, 2, 1]),
    (["引言", "(一)背景", "结语"], [1, 2, 1]),
])
def test_chinese_heading_numbering(headings, levels):
    # the same paragraph five times: a repeated block that ends a sentence is not a running header
    raw = "\n\n".join(f"{h}\n\n鲁班工坊推动了当地职业教育的发展，成效显著。" for h in headings)
    r = clean_text(raw, "paper")
    assert r.blocks["kind"].tolist() == ["heading", "paragraph"] * len(headings)
    heads = r.blocks[r.blocks["kind"] == "heading"]
    assert heads["heading"].tolist() == headings
    assert heads["level"].tolist() == levels


def test_chinese_lines_rejoin_without_spaces():
    # a page-break split and a line break inside a paragraph: no space between Chinese characters
    raw = "一、引言\n\n2016年，首个鲁班工坊在泰国\n\n建成。鲁班\n工坊推动了“一带一路”\n合作。"
    r = clean_text(raw, "paper")
    assert r.text == "一、引言\n\n2016年，首个鲁班工坊在泰国建成。鲁班工坊推动了“一带一路”合作。"
    assert r.edits["detail"].tolist() == ["page-break split rejoined (CJK, no space)", "line break between CJK characters",
                                          "line break between CJK characters"]
    assert_invariants(raw, r)


def test_chinese_front_matter_labels_with_brackets():
    body = "鲁班工坊推动了当地职业教育的发展。"
    raw = (f"标题\n\n【摘要】鲁班工坊是品牌。\n\n【关键词】鲁班工坊\n\n一、引言\n\n{body}\n\n二、结语\n\n{body}\n\n"
           "【参考文献】\n\n[1] 王五. 2020.")
    r = clean_text(raw, "paper")
    assert r.abstract == "鲁班工坊是品牌。"
    assert r.text == f"一、引言\n\n{body}\n\n二、结语\n\n{body}"
    assert r.references == ("[1] 王五. 2020.",)


SHORT_LINES = "Spring rain\n\nOld pond frog\n\nLeaps into water\n\nSound of water\n\nThe end of it all now."


def test_warns_when_headings_hold_most_of_the_text():
    from textlab.errors import TextlabWarning

    with pytest.warns(TextlabWarning, match=r"^Document 'h' \(h.txt\): the 'paper' profile took 73% .*profile='plain'"):
        r = clean_text(SHORT_LINES, "paper", source="Document 'h' (h.txt)")
    assert r.blocks["kind"].tolist() == ["heading"] * 4 + ["paragraph"]
    with pytest.warns(TextlabWarning, match=r"^clean_text: the text beginning 'Spring rain"):
        clean_text(SHORT_LINES, "paper")


def test_no_heading_warning_for_ordinary_papers(corpus):
    import warnings

    from textlab.errors import TextlabWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", TextlabWarning)
        for doc_id in DOCS:
            clean_text(corpus.raw(doc_id), "paper")
        clean_text(SHORT_LINES, "plain")  # the paper profile only


# -- line-end hyphens inside paragraphs (paper) ---------------------------------------------


def test_line_end_hyphen_inside_paragraph_rejoined_when_attested():
    raw = "The techno-\nlogical change is a technological one.\n\nA far-\nreaching one, well- \n“quoted”."
    r = clean_text(raw, "paper")
    assert r.text == "The technological change is a technological one.\n\nA far-reaching one, well- “quoted”."
    assert r.edits[["removed", "inserted", "reason"]].values.tolist() == [
        ["-\n", "", "dehyphenation"], ["\n", "", "whitespace"], [" \n", " ", "whitespace"]]
    assert r.edits["detail"].tolist()[:2] == ["line-end hyphen removed (joined word attested)",
                                              "line break after a hyphen (hyphen kept)"]
    assert clean_text(raw, "paper", known_words={"farreaching"}).text.endswith("A farreaching one, well- “quoted”.")
    assert_invariants(raw, r)


def test_line_end_hyphen_in_the_abstract():
    raw = "Abstract: The techno-\nlogical turn.\n\nKeywords: technological\n\n# 1 Intro\n\nBody."
    assert clean_text(raw, "paper").abstract == "The technological turn."


# -- argument validation ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["partnership", b"partnership", 3])
def test_known_words_must_be_a_collection_of_words(bad):
    with pytest.raises(ParameterError, match="'known_words' parameter of clean_text must be a collection of words"):
        clean_text("Partner-\n\nship.", "paper", known_words=bad)


@pytest.mark.parametrize("bad", [["Intro"], "Intro", {"Intro": "one"}, {"Intro": -3}, {"Intro": 0}, {"Intro": True},
                                 {"Intro": 2.5}, {"": 1}, {3: 1}])
def test_heading_levels_are_validated(bad):
    with pytest.raises(ParameterError, match=r"'heading_levels' parameter of clean_text must map heading prefixes"):
        clean_text("# Intro\n\nText.", "paper", heading_levels=bad)


def test_valid_arguments_are_accepted():
    import numpy as np

    r = clean_text("Intro\n\nThe Partner-\n\nship works.", "paper", heading_levels={"Intro": np.int64(3)},
                   known_words=["partnership"])
    assert r.text == "Intro\n\nThe Partnership works."
    assert r.blocks["level"].tolist() == [3, 0]


# -- the invariants on random texts ------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_invariants_on_random_texts(profile):
    rng = random.Random(11)
    alphabet = ["a", "Zh", "The", "word", " ", "\n", "\n", "\n\n", "-", "-\n", ".", "。", "，", "鲁班", "工坊", "\r",
                "\r\n", "**", "#", "## ", "1.1 ", "一、", "（一）", "References", "Keywords: x", "摘要：", "关键词：",
                "参考文献", "“", "”", "<sup>1</sup>", "\\*", "---", "\t", "fi", "\ufb01", "\ufb00", "\ufb03",
                "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    rare = "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(400):
            raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            r = clean_text(raw, profile)
            assert_invariants(raw, r)
            assert not any(c in r.text for c in rare), repr(raw)
