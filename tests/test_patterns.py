"""The matching vocabulary: fast index-based matching equals a plain regex reference."""

import re
import unicodedata
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textlab.patterns as patterns_module
from textlab import load_corpus
from textlab.clean import normalise
from textlab.errors import NoMatchWarning, ParameterError, PatternError
from textlab.patterns import MATCH_COLUMNS, codebook_pattern, compile_pattern, find_matches
from textlab.tokenize import TOKEN_PATTERN, lower_preserving

TEXTS = [
    ("a", "A win\u2013win deal. Interdependence and dependency; China\u2019s WIN-WIN.\n\nShared future. Shared   future!"),
    ("b", "Sense of skill attainment, sense of gain. Lock-in, self-dependent."),
]


# ---------------------------------------------------------------------------------------
# The reference: one regex per pattern, segment by segment, no index.


def _glob_regex(token: str) -> re.Pattern:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in token)
    return re.compile(body, re.DOTALL)


def _form(text: str, case_sensitive: bool) -> str:
    text = normalise(text)
    return unicodedata.normalize("NFC", text if case_sensitive else lower_preserving(text))


def _segments(corpus, case_sensitive, headings):
    """(doc_id, segment_id, normalised view, tokens [(start, end)], comparison forms) per segment."""
    out = []
    segs = corpus.segment_table(headings=headings)
    for doc_id in corpus.doc_ids:
        view = normalise(corpus.text(doc_id))
        forms_view = view if case_sensitive else lower_preserving(view)
        for seg in segs[segs["doc_id"] == doc_id].itertuples():
            s, e = seg.start, seg.end
            toks = [(m.start() + s, m.end() + s) for m in re.finditer(TOKEN_PATTERN, view[s:e])]
            forms = [unicodedata.normalize("NFC", forms_view[a:b]) for a, b in toks]
            out.append((doc_id, seg.segment_id, s, e, view, toks, forms))
    return out


def reference_matches(corpus, pattern, *, match="glob", case_sensitive=False, headings=False, segments=None):
    """Obviously-correct matcher: tokenise each segment with TOKEN_PATTERN, compare forms."""
    rows = []
    for doc_id, seg_id, s, e, view, toks, forms in segments or _segments(corpus, case_sensitive, headings):
        if match == "regex":
            rx = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
            for m in rx.finditer(view[s:e]):
                if m.end() > m.start():
                    rows.append((doc_id, seg_id, m.start() + s, m.end() + s, pattern))
            continue
        parts = pattern.split()
        checks = [
            (lambda f: True) if (match == "glob" and p == "*")
            else (_glob_regex(_form(p, case_sensitive)).fullmatch if match == "glob"
                  else (lambda f, q=_form(p, case_sensitive): f == q))
            for p in parts
        ]
        n = len(parts)
        for i in range(len(toks) - n + 1):
            if all(checks[j](forms[i + j]) for j in range(n)) and all(
                view[toks[i + j][1] : toks[i + j + 1][0]].isspace() for j in range(n - 1)
            ):
                rows.append((doc_id, seg_id, toks[i][0], toks[i + n - 1][1], pattern))
    order = {d: i for i, d in enumerate(corpus.doc_ids)}
    return sorted(rows, key=lambda r: (order[r[0]], r[1], r[2], r[3]))


def fast_rows(corpus, pattern, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoMatchWarning)  # compared with the reference, which finds none either
        df = find_matches(corpus, pattern, **kw)
    assert list(df.columns) == MATCH_COLUMNS
    return [tuple(r) for r in df.itertuples(index=False)]


# ---------------------------------------------------------------------------------------
# Examples


@pytest.fixture(scope="module")
def small():
    return load_corpus(TEXTS)


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("win-win", ["win\u2013win", "WIN-WIN"]),
        ("depend*", ["dependency"]),  # not inter-, not self-dependent (one token)
        ("*depend*", ["Interdependence", "dependency", "self-dependent"]),
        ("shared future", ["Shared future", "Shared   future"]),
        ("sense of * attainment", ["Sense of skill attainment"]),
        ("china's", ["China\u2019s"]),
        ("lock-?n", ["Lock-in"]),
        ("w?n", []),
    ],
)
def test_glob_examples(small, pattern, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error" if expected else "ignore", NoMatchWarning)
        df = find_matches(small, pattern)
    got = [small.text(d)[s:e] for d, s, e in zip(df["doc_id"], df["start"], df["end"])]
    assert got == expected


def test_phrase_is_literal_and_case(small):
    assert find_matches(small, "win-win", match="phrase", case_sensitive=True)["start"].tolist() == [2]
    assert find_matches(small, "WIN-WIN", match="phrase", case_sensitive=True)["start"].tolist() == [56]
    assert len(find_matches(small, "WIN-WIN", match="phrase")) == 2
    with pytest.raises(PatternError, match="can never match"):
        compile_pattern("depend*", match="phrase")


def test_phrase_needs_whitespace_only_between_tokens():
    c = load_corpus([("a", "shared. Future; shared \u201cfuture\u201d; shared \tfuture")])
    assert [tuple(r) for r in find_matches(c, "shared future")[["start", "end"]].values] == [(33, 47)]


def test_regex_offsets_and_original_casing(small):
    df = find_matches(small, r"\bshared\s+future\b", match="regex")
    text = small.text("a")
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == ["Shared future", "Shared   future"]
    assert df["segment_id"].tolist() == ["a:001", "a:001"]


def test_matches_do_not_cross_segments_or_documents():
    c = load_corpus([("a", "mutual\n\nbenefit mutual"), ("b", "benefit")])
    with pytest.warns(NoMatchWarning):
        assert find_matches(c, "mutual benefit").empty
    with pytest.warns(NoMatchWarning):
        assert find_matches(c, r"mutual\s+benefit", match="regex").empty
    assert len(find_matches(c, r"mutual", match="regex")) == 2


def test_headings_are_searched_only_on_request():
    c = load_corpus([("a", "# 1 Win-win\n\nBody win-win text.")], profile="paper")
    assert find_matches(c, "win-win")["segment_id"].tolist() == ["a:001"]
    assert find_matches(c, "win-win", headings=True)["segment_id"].tolist() == ["a:000", "a:001"]


def test_several_patterns_give_several_rows(small):
    df = find_matches(small, ["win-win", "win*"])
    assert df["pattern"].tolist() == ["win-win", "win*", "win-win", "win*"]


def test_codebook_pattern_prefix():
    assert codebook_pattern(r"re:\bset\w*").regex.pattern == r"\bset\w*"
    assert codebook_pattern("embed* chinese*").tokens == ("embed*", "chinese*")


@pytest.mark.parametrize(
    "pattern, match, message",
    [
        ("(unclosed", "regex", "Invalid regular expression '\\(unclosed'"),
        ("(a+)+", "regex", "Unsafe regular expression"),
        ("(.*)*x", "regex", "Unsafe regular expression"),
        (r"(?:\w+\s?)*$", "regex", "Unsafe regular expression"),
        ("(a{1,3}){2,100}", "regex", "Unsafe"),
        # side by side, sharing '-': a table of dashes splits in polynomially many ways (minutes)
        (r"(?:(?:\bnot\b|\balleged\b)\W*(?:[\w-]+\W+){0,4}?export\w*)", "regex", "'-' is in both"),
        (r"\brel(?:y|ies)\s+on\s+(?!(?:[\w-]+\W+){0,5}?(?:chin\w*|external)\b)", "regex", "Unsafe"),
        (r"(?:\W+[\w-]+){2}", "regex", "Unsafe"),  # across the repeat's iterations
        (r"\w*\w*\w*z", "regex", "three in a row"),
        (r"[a-z]+[A-Z]*x{2,}", "regex", "Unsafe"),  # case-insensitive: [a-z] and [A-Z] overlap
        ("", "regex", "Empty regular expression"),
        ("   ", "glob", "Empty pattern"),
        ("U.S.", "glob", "can never match"),
        ("win-", "glob", "can never match"),
    ],
)
def test_bad_patterns_name_the_pattern(pattern, match, message):
    with pytest.raises(PatternError, match=re.escape(message) if "\\" not in message else message):
        compile_pattern(pattern, match=match)


@pytest.mark.parametrize(
    "regex",
    [
        r"(?:(?:\bnot\b|\balleged\b)\W*(?:\w+(?:-\w+){0,3}\W+){0,4}?export\w*)",
        r"\bdisseminat\w*(?:\s+[\w,]+){0,4}\s+standards\b",
        r"\brel(?:y|ies)\s+on\s+(?!(?:\w+(?:-\w+){0,3}\W+){0,5}?(?:chin\w*|external)\b)",
        r"(?:[\w-]++\W+){0,4}x",  # possessive: no splitting back
        r"\w+\s*,\s*\w+",
        r".*\s+x",  # two side by side, not repeated: quadratic at worst
        r"consciousness.{0,80}take\s+root",
        r"(ab)+",
        r"(?:a|b)*c",
    ],
)
def test_bounded_or_simple_regexes_are_accepted(regex):
    compile_pattern(regex, match="regex")


def test_parameter_errors(small):
    with pytest.raises(ParameterError, match="The 'match' parameter of find_matches must be one of"):
        find_matches(small, "x", match="fuzzy")
    with pytest.raises(ParameterError, match="must be a str or a list of str"):
        find_matches(small, 3)
    with pytest.raises(ParameterError, match="at least one pattern"):
        find_matches(small, [])
    with pytest.raises(ParameterError, match="must be a textlab Corpus"):
        find_matches("corpus", "x")


def test_empty_result_has_the_columns(small):
    with pytest.warns(NoMatchWarning, match="no match for 'nothing-here'"):
        df = find_matches(small, "nothing-here")
    assert df.empty and list(df.columns) == MATCH_COLUMNS


# ---------------------------------------------------------------------------------------
# Equality with the reference, including Unicode edge cases


WORDS = [
    "win-win", "Win", "WIN", "win", "wins", "depend", "dependency", "Interdependence", "self-dependent",
    "İstanbul", "istanbul", "ISTANBUL", "cafe\u0301", "caf\u00e9", "CAF\u00c9", "China\u2019s", "china's",
    "co\u2013construct", "co-constructing", "shared", "future", "Future", "of", "sense", "gain", "2025",
    "\u03a3\u039f\u03a3", "stra\u00dfe", "lock-in", "x",
]
SEPARATORS = [" ", " ", " ", "  ", ", ", ". ", "; ", "\n\n", "\n", " \u201c", "\u201d ", " \u2013 ", " (", ") "]
GLOBS = [
    "win-win", "win*", "*win", "w?n", "depend*", "*depend*", "sense of * gain", "shared future", "* future",
    "shared *", "china's", "china\u2019s", "caf\u00e9", "CAF\u00c9", "cafe\u0301", "İstanbul", "istanbul",
    "co-construct*", "co\u2013construct", "?", "*", "2025", "\u03c3\u03bf\u03c3", "stra\u00dfe", "lock-in",
    "of * *", "win win", "x x",
]
REGEXES = [
    r"win", r"\bwin\b", r"WIN\W+WIN", r"\u017ftrasse|stra\u00dfe", r"\u03c3\u03bf\u03c2", r"(?:shared|co)\W+\w+", r"depend\w*", r"(?<!inter)depend", r"^shared", r"future$", r"sense\s+of",
    r"['\u2019]s\b", r"i\u0307", r"caf\u00e9", r"e\u0301", r"\w+\s+\w+", r"(?i:İ)stanbul", r"\bco-\w+",
    r"future\W+\w+", r"[.;]", r"\s+", r"x(?=\s)", r"\Bin\b",
]

doc_text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=0, max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)
)
corpora = st.lists(doc_text, min_size=1, max_size=3)


def _load(texts, max_words):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus([(f"d{i}", t) for i, t in enumerate(texts)], max_words=max_words)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=corpora, max_words=st.sampled_from([2, 5, 250]), case_sensitive=st.booleans(),
       globs=st.lists(st.sampled_from(GLOBS), min_size=1, max_size=4, unique=True),
       regexes=st.lists(st.sampled_from(REGEXES), min_size=1, max_size=4, unique=True),
       chunk=st.sampled_from([10, 40, 4_000_000]), share=st.sampled_from([0.0, 0.5, 1.0]))
def test_fast_matching_equals_reference(texts, max_words, case_sensitive, globs, regexes, chunk, share):
    old = patterns_module._CHUNK_CHARS, patterns_module._SCAN_SHARE
    patterns_module._CHUNK_CHARS = chunk  # small chunks spread documents over several chunks
    patterns_module._SCAN_SHARE = share  # 0: always one search over chunks; 1: always the literal prefilter
    try:
        c = _load(texts, max_words)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            segments = _segments(c, case_sensitive, False)
        kw = dict(case_sensitive=case_sensitive, segments=segments)
        for g in globs:
            assert fast_rows(c, g, case_sensitive=case_sensitive) == reference_matches(c, g, **kw)
            if "*" not in g and "?" not in g:
                phrase = fast_rows(c, g, match="phrase", case_sensitive=case_sensitive)
                assert phrase == reference_matches(c, g, match="phrase", **kw)
        for r in regexes:
            got = fast_rows(c, r, match="regex", case_sensitive=case_sensitive)
            assert got == reference_matches(c, r, match="regex", **kw)
    finally:
        patterns_module._CHUNK_CHARS, patterns_module._SCAN_SHARE = old


def test_project_corpus_codebook_patterns_equal_reference(corpus):
    import yaml

    from conftest import ROOT

    book = yaml.safe_load((ROOT / "corpus" / "codebook.yaml").read_text(encoding="utf-8"))
    sources = [p for f in book["frames"] for p in f["patterns"] + (f.get("exclusions") or [])]
    compiled = [codebook_pattern(p) for p in sources]
    with pytest.warns(NoMatchWarning):  # the nine draft patterns the corpus does not use
        fast = find_matches(corpus, compiled)
    segments = _segments(corpus, False, False)
    for p in sources:
        ours = [tuple(r) for r in fast[fast["pattern"] == p].itertuples(index=False)]
        if p.startswith("re:"):
            ref = [r[:4] + (p,) for r in reference_matches(corpus, p[3:], match="regex", segments=segments)]
        else:
            ref = reference_matches(corpus, p, segments=segments)
        assert ours == ref, p


def test_case_folding_of_the_regex_prefilter_covers_every_character():
    # The literal prefilter compares case-folded vocabulary forms (lower-cased) with
    # case-folded literals; it is exact only if lower-casing never changes the fold.
    fold = patterns_module._canonical
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        low = c.lower()
        assert len(low) != 1 or fold(low) == fold(c), hex(cp)
    for a in "sſSkKK\u212aiIİıσςΣµμ":
        rx = re.compile(re.escape(a), re.IGNORECASE)
        for b in "sſSkKK\u212aiIİıσςΣµμ":
            assert bool(rx.fullmatch(b)) == (fold(a) == fold(b)), (a, b)


def test_regex_literals_select_segments():
    p = compile_pattern(r"\b(?:directly|deeply|also)\s+influenc\w*", match="regex")
    assert p.required == (("directly", "deeply", "also"), ("influenc",))
    assert compile_pattern(r"\w+\s+\w+", match="regex").required == ()
    c = load_corpus([("a", "It also influences.\n\nNothing here.\n\nDeeply INFLUENCED it.")])
    from textlab.patterns import _index_data

    data = _index_data(c, c.index())
    assert data.regex_candidates(c.index(), p).tolist() == [0, 2]
    assert find_matches(c, p)["start"].tolist() == [3, 36]


def test_large_prefix_ranges_use_the_joined_vocabulary():
    words = " ".join(f"w{i:04d}x" for i in range(600)) + " w0001y"
    c = load_corpus([("a", words)], max_words=10_000)
    assert len(find_matches(c, "w*x")) == 600  # > 256 keys: scanned in the joined vocabulary
    assert len(find_matches(c, "w0*y")) == 1
    assert len(find_matches(c, "*1x")) == 60
    assert np.all(np.diff(find_matches(c, "w*")["start"].to_numpy()) > 0)


def test_token_phrases_at_boundaries_overlaps_and_case():
    from textlab.patterns import find_matches

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = load_corpus([("a", "win win win"), ("b", "win. Win"), ("c", "Win"), ("d", "win WIN")])
    # a phrase never joins the last token of one document to the first of the next
    got = find_matches(c, "win win")
    assert got[["doc_id", "start", "end"]].values.tolist() == [["a", 0, 7], ["a", 4, 11], ["d", 0, 7]]
    # overlapping matches of one pattern are all reported; wildcards too
    assert find_matches(c, "win * win")[["doc_id", "start"]].values.tolist() == [["a", 0]]
    # case: folded by default, exact with case_sensitive=True
    assert find_matches(c, "Win", case_sensitive=True)["doc_id"].tolist() == ["b", "c"]
    with pytest.warns(NoMatchWarning):
        assert find_matches(c, "WIN win", case_sensitive=True).empty
    assert find_matches(c, "win WIN", case_sensitive=True)["doc_id"].tolist() == ["d"]


def test_whitespace_table_agrees_with_str_isspace_on_every_code_point():
    codes = np.arange(0x110000, dtype=np.uint32)
    expected = np.array([chr(c).isspace() for c in range(0x110000)])
    assert np.array_equal(patterns_module._is_space(codes), expected)


def test_per_index_data_goes_with_the_index():
    # the per-index cache is keyed weakly on the index: nothing in it may refer back to it
    import gc
    import weakref

    from textlab import frame_counts, kwic
    from textlab.frames import Codebook

    c = load_corpus([("a", "Win-win cooperation. Win-win!"), ("b", "Lock-in and dependency.")])
    kwic(c, "win*")
    kwic(c, r"win\b", match="regex")
    frame_counts(c, Codebook.from_dict({"frames": [{"id": "f", "label": "F", "patterns": ["win-win", "lock-in"]}]}), ci=None)
    index = weakref.ref(c.index())
    del c
    gc.collect()
    assert index() is None


SIGMA_DOCS = {"a": "ΟΔΟΣ here.", "b": "ΟΔΟΣ here. İstanbul.", "c": "ΟΔΟΣ.ΑΒ", "d": "Στην οδος, οδοσ."}


def test_final_sigma_matches_case_insensitively_whatever_else_the_document_holds():
    c = load_corpus(SIGMA_DOCS)
    upper = find_matches(c, "ΟΔΟΣ")
    assert upper[["doc_id", "start", "end"]].values.tolist() == [
        ["a", 0, 4], ["b", 0, 4], ["c", 0, 4], ["d", 5, 9], ["d", 11, 15],
    ]
    # the pattern typed in lower case, final or medial sigma, globs and phrases alike
    for pattern, match in [("οδος", "glob"), ("οδοσ", "glob"), ("Οδος", "phrase"), ("οδο?", "glob"), ("*ς", "glob")]:
        got = find_matches(c, pattern, match=match)
        assert got[["doc_id", "start", "end"]].values.tolist() == upper[["doc_id", "start", "end"]].values.tolist(), pattern
    assert compile_pattern("οδος").tokens == compile_pattern("ΟΔΟΣ").tokens == ("οδοσ",)
    # offsets are exact: each match slices the text as written
    for row in find_matches(c, "οδος").itertuples():
        assert normalise(c.text(row.doc_id)[row.start : row.end]).lower().replace("ς", "σ") == "οδοσ"
    assert [c.text(r.doc_id)[r.start : r.end] for r in upper.itertuples()] == ["ΟΔΟΣ"] * 3 + ["οδος", "οδοσ"]


def test_final_sigma_case_sensitive_matching_is_unchanged():
    c = load_corpus(SIGMA_DOCS)
    assert find_matches(c, "ΟΔΟΣ", case_sensitive=True)["doc_id"].tolist() == ["a", "b", "c"]
    assert find_matches(c, "οδος", case_sensitive=True)[["doc_id", "start"]].values.tolist() == [["d", 5]]
    assert find_matches(c, "οδοσ", case_sensitive=True)[["doc_id", "start"]].values.tolist() == [["d", 11]]
    assert compile_pattern("οδος", case_sensitive=True).tokens == ("οδος",)
    # regular expressions keep re.IGNORECASE's own folding (σ, ς and Σ match each other)
    assert find_matches(c, r"οδος\b", match="regex")["doc_id"].tolist() == ["a", "b", "c", "d", "d"]
    assert find_matches(c, r"οδος", match="regex", case_sensitive=True)["doc_id"].tolist() == ["d"]


def test_dotted_capital_i_matches_as_in_regular_expressions():
    # str.lower() makes "İ" two characters; lower_preserving gives its simple lower case "i",
    # which is also how re.IGNORECASE compares it: glob and regex find the same words
    c = load_corpus({"a": "İstanbul talks. ISTANBUL again; istanbul, Istanbul.", "b": "DİYARBAKIR"})
    spans = [["a", 0, 8], ["a", 16, 24], ["a", 32, 40], ["a", 42, 50]]
    for pattern, match in [("istanbul", "glob"), ("İSTANBUL", "glob"), ("İstan*", "glob"), (r"\bistanbul\b", "regex")]:
        got = find_matches(c, pattern, match=match)
        assert got[["doc_id", "start", "end"]].values.tolist() == spans, pattern
    assert find_matches(c, "diyarbakir")[["doc_id", "start", "end"]].values.tolist() == [["b", 0, 10]]
    assert find_matches(c, "İstanbul", case_sensitive=True)["start"].tolist() == [0]


# ---------------------------------------------------------------------------------------
# Han characters: a pattern part matches as one token and cut into jieba's words


def test_han_pattern_matches_as_one_token_and_as_jieba_words():
    import pandas as pd

    from textlab import frame_counts, kwic

    c = load_corpus(pd.DataFrame({
        "doc_id": ["zh", "en", "pre"],
        "lang": ["zh", "en", "zh"],
        "text": ["当地可能形成技术依赖。", "We saw 技术依赖 here.", "关键词 产教融合 获得感 技术依赖 鲁班工坊"],
    }))
    assert compile_pattern("技术依赖").variants == (("技术", "依赖"),)
    assert compile_pattern("鲁班工坊").variants == ()  # one word for jieba too
    assert compile_pattern("依赖*").variants == ()  # a wildcard part stays one word
    # kwic found only the one-token spelling; codebooks only the cut one. Now both, everywhere.
    assert kwic(c, "技术依赖")[["doc_id", "match"]].values.tolist() == [["zh", "技术依赖"], ["en", "技术依赖"],
                                                                    ["pre", "技术依赖"]]
    book = {"frames": [{"id": "F", "label": "f", "patterns": ["技术依赖"]}]}
    assert frame_counts(c, book, ci=None)["count"].tolist() == [1, 1, 1]
    m = find_matches(c, "形成 技术依赖", match="phrase")
    assert m[["doc_id", "start", "end", "pattern"]].values.tolist() == [["zh", 4, 10, "形成 技术依赖"]]


def test_han_variant_equals_the_split_phrase():
    """The variant matches exactly where the phrase of jieba's words does (no match twice)."""
    texts = ["技术依赖与技术依赖性", "技术依赖技术依赖", "依赖技术。技术，依赖"]
    c = load_corpus({f"d{i}": t for i, t in enumerate(texts)}, lang="zh")
    got = find_matches(c, "技术依赖")
    ref = find_matches(c, "技术 依赖")
    assert got[["doc_id", "start", "end"]].values.tolist() == ref[["doc_id", "start", "end"]].values.tolist()
    assert not got.duplicated(["doc_id", "start", "end"]).any()


def test_find_matches_names_each_pattern_without_a_match():
    c = load_corpus(TEXTS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = find_matches(c, ["win-win", "dependncy"])
        nothing = find_matches(c, "dependncy")
    assert len(found) == 2 and nothing.empty and list(nothing.columns) == MATCH_COLUMNS
    assert [(str(w.message), w.filename) for w in caught] == [
        ("find_matches: no match for 'dependncy' in the corpus.", __file__)] * 2
