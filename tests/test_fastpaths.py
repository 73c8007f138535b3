"""The fast paths give exactly what the simple reference implementation gives.

The references are the definitions: ``_TOKEN_RE.finditer`` over ``clean.normalise(text)``,
``lower_preserving`` slices, ``clean_text`` + ``segment`` for structure, and a Counter per
unit. The fast paths (numpy scanner, flat documents that skip cleaning, streaming index
and counts) must agree with them on small corpora and on generated Unicode text.
"""

import re
import sys
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

import importlib
from textlab import count_terms, document_term_matrix, load_corpus
from textlab.clean import clean_text, normalise
from textlab.errors import CorpusError
from textlab.index import build_index
from textlab.segment import segment
from textlab.tokenize import TOKEN_PATTERN, lower_preserving, token_spans

tok = importlib.import_module("textlab.tokenize")  # the package re-exports a function of that name
corpus_module = importlib.import_module("textlab.corpus")

# Characters that have bitten tokenisers: dotted capital I (lower() lengthens it), combining
# accents, curly and modifier apostrophes, en dash and Unicode hyphens, no-break spaces,
# superscript digits, final sigma, CJK, emoji (astral), line separators, underscores.
TRICKY = "İıIiß\u0301\u0308\u20d7’‘ʼ'–—-‐‑\u00a0\u202f²¹⁶½ΣσςΟΔ中国合作😀🇨🇳\u2028\u3000_.,;:!?\"“” \n\t"
ALPHABET = st.one_of(st.sampled_from(TRICKY), st.sampled_from("abcXYZ019"), st.characters())
TEXTS = st.text(alphabet=ALPHABET, max_size=120)
PARAGRAPHS = st.lists(st.text(alphabet=st.sampled_from("ab Cd-e’f.?!\n İ\u0301x9"), max_size=40), max_size=12).map("\n".join)


def reference_tokens(text, *, lower=True, numbers=True):
    """The definition: TOKEN_PATTERN on the normalised text, forms from the lowered view."""
    view = normalise(text)
    spans = [m.span() for m in re.finditer(TOKEN_PATTERN, view)]
    if not numbers:
        spans = [(s, e) for s, e in spans if re.search(r"[^\W\d_]", text[s:e])]
    forms = lower_preserving(view) if lower else view
    return spans, [forms[s:e] for s, e in spans]


def scan(text, **kw):
    starts, ends, forms = tok._scan(text, **kw)
    return list(zip(starts.tolist(), ends.tolist())), [f.decode("utf-8") for f in forms]


@pytest.fixture(params=["regex", "numpy", "numpy-chunked"])
def engine(request, monkeypatch):
    """Run the scanner through each of its engines."""
    if request.param != "regex":
        monkeypatch.setattr(tok, "_SCAN_SMALL", 0)
    if request.param == "numpy-chunked":
        monkeypatch.setattr(tok, "_SCAN_CHUNK", 7)
    return request.param


# ---------------------------------------------------------------------------------------
# The scanner


def _code_points(astral_step=1):
    """Every BMP character but surrogates, astral ones that lower-case differently, and
    every ``astral_step``-th other astral one."""
    bmp = np.array([c for c in range(0x10000) if not 0xD800 <= c < 0xE000], dtype=np.uint32)
    astral = np.arange(0x10000, 0x110000, dtype=np.uint32)
    text = tok._codes(astral.tobytes().decode("utf-32-le"))[0]
    lowered = tok._codes(astral.tobytes().decode("utf-32-le").lower())[0]
    keep = (text != lowered) | (np.arange(len(astral)) % astral_step == 0)
    return np.concatenate([bmp, astral[keep]])


def test_character_classes_survive_lower_casing():
    # The scanner reads classes off the lower-cased view; that is only sound if lowering
    # never changes a character's class or letter-ness. Checked for every code point whose
    # lower case differs (astral classes come from the same regex as the text's own).
    every = _code_points(astral_step=997).tobytes().decode("utf-32-le").replace("İ", "")
    lowered = every.lower()
    assert len(lowered) == len(every)  # "İ" (left out: lower_preserving makes it "i") is the only one that grows
    for which in (0, 1):
        assert np.array_equal(tok._lookup(tok._codes(every)[0], which), tok._lookup(tok._codes(lowered)[0], which))
    assert tok._lookup(np.array([ord("ς"), ord("σ")], np.uint32), 0).tolist() == [1, 1]  # context-dependent sigma


def test_class_tables_match_the_pattern():
    every = _code_points(astral_step=97).tobytes().decode("utf-32-le")
    classes = tok._lookup(tok._codes(every)[0], 0)
    word = np.zeros(len(every), bool)
    word[[m.start() for m in re.finditer(tok._CHAR, every)]] = True
    assert np.array_equal(classes == tok._WORDC, word)


@pytest.mark.parametrize(
    "text",
    [
        "İstanbul WIN-WIN",
        "Cafe\u0301 naïve \u0301x a-\u0301b a\u0301\u0301b",
        "China’s win–win, people-to-people; it'' s --x-- a-'b",
        "challenges¹⁶ and ²x",
        "ΟΔΟΣ İ and ΟΔΟΣ.",  # final sigma beside "İ", which str.lower() would lengthen
        "中国 合作😀 x😀y 🇨🇳",
        "12ʼ34 ab 2025 3-4",
        "",
        " " * 600 + "tail-end",
    ],
)
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("numbers", [True, False])
def test_scanner_on_edge_cases(text, lower, numbers, engine):
    assert scan(text, lower=lower, numbers=numbers) == reference_tokens(text, lower=lower, numbers=numbers)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, lower=st.booleans(), numbers=st.booleans())
def test_scanner_equals_the_regex(text, lower, numbers, engine):
    assert scan(text, lower=lower, numbers=numbers) == reference_tokens(text, lower=lower, numbers=numbers)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_offsets_slice_the_original_text(text):
    starts, ends = token_spans(text)
    spans, _ = reference_tokens(text, lower=False)
    assert list(zip(starts.tolist(), ends.tolist())) == spans
    assert starts.dtype == ends.dtype == np.int64
    for s, e in spans:
        assert len(normalise(text[s:e])) == e - s and normalise(text)[s:e] == normalise(text[s:e])


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_fast_normalise_is_normalise(text):
    assert tok._normalise(text) == normalise(text)


def test_offsets_exact_on_non_ascii_text():
    text = "İİ Café\u0301 “Xi’s” win–win 😀 dependency"
    toks = tok.tokenize(text)
    assert toks["token"].tolist() == ["ii", "café\u0301", "xi's", "win-win", "dependency"]
    assert [text[s:e] for s, e in zip(toks["start"], toks["end"])] == ["İİ", "Café\u0301", "Xi’s", "win–win", "dependency"]


# ---------------------------------------------------------------------------------------
# Flat documents: plain/news texts are their own cleaned text; segments without pandas


@settings(max_examples=120, deadline=None)
@given(text=PARAGRAPHS, profile=st.sampled_from(["plain", "news"]), max_words=st.integers(1, 6))
def test_flat_documents_skip_cleaning_exactly(text, profile, max_words):
    r = clean_text(text, profile)
    assert r.text == text and r.edits.empty
    doc = corpus_module._Document("d", profile, "en")
    expected = segment(r.blocks, r.text, doc_id="d", max_words=max_words)
    rows = corpus_module._flat_segments(text, doc, max_words)
    pd.testing.assert_frame_equal(corpus_module._flat_segment_frame("d", rows), expected)
    if text.isascii():  # word starts from the scanner stand in for segment's word regex
        words = tok._scan(text)[0]
        assert np.array_equal(corpus_module._flat_segments(text, doc, max_words, words), rows)
    # every token of a flat document lies in a paragraph segment (counting relies on it)
    spans, _ = reference_tokens(text)
    inside = [any(s <= a and b <= e for s, e in zip(expected["start"], expected["end"])) for a, b in spans]
    assert all(inside)


# ---------------------------------------------------------------------------------------
# Corpus-level paths against references


def reference_doc_tokens(corpus, doc_id, *, lower=True, numbers=True, headings=False):
    text = clean_text(corpus.raw(doc_id), corpus._doc(doc_id).profile).text if corpus._doc(doc_id).profile != "paper" \
        else corpus.clean_result(doc_id).text
    assert text == corpus.text(doc_id)
    segs = segment(corpus.clean_result(doc_id).blocks, text, doc_id=doc_id, max_words=corpus._max_words)
    if not headings:
        segs = segs[segs["kind"] == "paragraph"]
    spans, forms = reference_tokens(text, lower=lower, numbers=numbers)
    seg_rows = list(zip(segs["segment_id"], segs["start"], segs["end"]))
    rows = []
    for (s, e), form in zip(spans, forms):
        hit = [seg for seg, a, b in seg_rows if a <= s and e <= b]
        if hit:
            rows.append((doc_id, hit[0], form, s, e))
    return rows


def reference_counts(corpus, by="doc", **kw):
    totals = {}
    groups = corpus.docvars.set_index("doc_id")[by] if by not in ("doc", "segment") else None
    for d in corpus.doc_ids:
        for doc_id, seg, form, s, e in reference_doc_tokens(corpus, d, **kw):
            unit = doc_id if by == "doc" else seg if by == "segment" else groups.loc[doc_id]
            totals.setdefault(unit, Counter())[form] += 1
    rows = [(u, t, n) for u, c in totals.items() for t, n in sorted(c.items())]
    return pd.DataFrame(rows, columns=["unit", "term", "count"]).astype({"count": "int64"})


SMALL = [
    ("plain-1", "Win-win and WIN-WIN co-operation.\n\nReliance on China’s standards; reliance."),
    ("plain-2", "İstanbul’s İİ naïve Cafe\u0301 ΟΔΟΣ 😀 中国 2025 3-4 ʼ12ʼ"),
    ("crlf", "Line one\r\nLine two\r\n\r\nPara two with a\rlone CR."),
    ("long", " ".join(f"Word{i % 7} word-{i}." for i in range(120))),
    ("blank", "   \n"),
]


@pytest.fixture(params=["plain", "news"])
def small(request, tmp_path):
    for doc_id, text in SMALL:
        (tmp_path / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield load_corpus(tmp_path, profile=request.param, max_words=9)


@pytest.mark.parametrize("options", [{}, {"numbers": False}, {"lower": False}, {"by": "segment"}])
def test_counts_equal_reference(small, options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_frame_equal(count_terms(small, **options), reference_counts(small, **options))


@pytest.mark.parametrize("options", [{}, {"by": "segment"}, {"by": "side"}])
def test_counts_equal_reference_on_the_project_corpus(corpus, options):
    pd.testing.assert_frame_equal(count_terms(corpus, **options), reference_counts(corpus, **options))


def test_index_equals_reference(small, corpus):
    for c in (small, corpus):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            idx = build_index(c)
            rows = [r for d in c.doc_ids for r in reference_doc_tokens(c, d)]
        frame = idx.tokens_frame()
        expected = pd.DataFrame(rows, columns=["doc_id", "segment_id", "token", "start", "end"])
        assert frame["token"].tolist() == expected["token"].tolist()
        assert frame["segment_id"].tolist() == expected["segment_id"].tolist()
        assert frame["doc_id"].tolist() == expected["doc_id"].tolist()
        assert frame["start"].tolist() == expected["start"].tolist() and frame["end"].tolist() == expected["end"].tolist()
        assert idx.vocab.tolist() == sorted(set(expected["token"]))
        assert idx.term_ids.dtype == idx.starts.dtype == idx.ends.dtype == idx.segment_index.dtype == np.int32
        positions = np.arange(len(idx))
        assert np.array_equal(idx.segment_of(positions), idx.segment_index)
        for term in ("win-win", "reliance", "standards", "nothing-here"):
            t = idx.term_id(term)
            assert np.array_equal(idx.positions(t), np.flatnonzero(idx.term_ids == t) if t >= 0 else [])
        both = [idx.term_id("win-win"), idx.term_id("reliance")]
        assert np.array_equal(idx.positions(both), np.flatnonzero(np.isin(idx.term_ids, both)))


def test_dtm_equals_countvectorizer_on_the_same_view(small):
    # The benchmark's baseline: CountVectorizer with textlab's pattern and matching view.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        texts = [small.text(d) for d in small.doc_ids]
        dtm = document_term_matrix(small)
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, preprocessor=lambda t: lower_preserving(normalise(t)))
    expected = vec.fit_transform(texts)
    assert dtm.terms == vec.get_feature_names_out().tolist()
    assert dtm.units == list(small.doc_ids)
    assert (dtm.matrix != expected).nnz == 0
    assert dtm.matrix.has_sorted_indices and dtm.matrix.dtype == np.int64


def test_dtm_rows_and_stopwords():
    c = load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["the x", "the", ""], "year": [2020, 2021, 2020]}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_doc = document_term_matrix(c, stopwords=["the"])
        by_year = document_term_matrix(c, by="year", stopwords=["the"])
        tidy = count_terms(c, by="year")
    assert by_doc.units == ["a", "b", "c"] and by_doc.terms == ["x"]
    assert by_year.units == [2020] and by_year.matrix.toarray().tolist() == [[1]]
    assert tidy.values.tolist() == [[2020, "the", 1], [2020, "x", 1], [2021, "the", 1]]
    assert tidy["unit"].dtype == np.int64


# ---------------------------------------------------------------------------------------
# Memory model: no texts kept by bulk passes, a bounded cache, changed files detected


def test_bulk_passes_keep_no_text(small):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        small.index()
        count_terms(small)
        small.n_tokens()
    assert all(d.text_value is None for d in small._docs.values())
    assert all(kind == "clean" for kind, _ in small._cache.items)  # only the one text with CRs was cleaned


def test_text_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "TEXT_CACHE_CHARS", 25)
    for i in range(5):
        (tmp_path / f"d{i}.txt").write_text(f"Document number {i}.", encoding="utf-8")
    c = load_corpus(tmp_path)
    texts = [c.text(d) for d in c.doc_ids] * 2
    assert texts[0] == "Document number 0." and c._cache.size <= 25 and len(c._cache.items) == 1
    assert c.subset(["d1"])._cache is c._cache


def test_changed_file_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("Original text.", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.n_tokens().tolist() == [2]
    (tmp_path / "a.txt").write_text("A different, longer text.", encoding="utf-8")
    with pytest.raises(CorpusError, match="changed on disk since textlab first read it"):
        c.text("a")


def test_progress_bar_only_on_long_work(monkeypatch):
    from tqdm import tqdm

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    assert corpus_module._progress([1], total=1, desc="x") == [1]  # short work: no bar
    bar = corpus_module._progress(range(500), total=500, desc="x")
    assert isinstance(bar, tqdm)
    assert bar.disable == (not sys.stderr.isatty())  # never in logs or notebooks
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert corpus_module._progress(range(500), total=500, desc="x") == range(500)


def test_index_segment_arrays_are_derived_lazily(corpus):
    idx = build_index(corpus)
    assert "segment_index" not in idx.__dict__
    expected = np.repeat(np.arange(len(idx.segment_docs)), np.diff(idx.segment_offsets))
    assert np.array_equal(idx.segment_index, expected)
    assert idx.segment_ids[0] == f"{idx.doc_ids[idx.segment_docs[0]]}:{idx.segment_numbers[0]:03d}"
    assert sparse.issparse(document_term_matrix(corpus).matrix)
