"""Keywords in context."""

import re
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textlab import load_corpus, tokenize
from textlab.errors import GroupError, NoMatchWarning, ParameterError, PatternError
from textlab.kwic import KWIC_COLUMNS, kwic, sort_kwic, to_html

DOCS = pd.DataFrame(
    {
        "doc_id": ["cn", "ext"],
        "side": ["chinese_policy", "external"],
        "text": [
            "Win-win cooperation. The workshops rely on Chinese standards.\n\n"
            "Second paragraph: a WIN-WIN model, \u201cwin\u2013win\u201d again.",
            "It could lock Kazakhstan into a Chinese-dominated technological ecosystem. "
            "Reliance on Chinese equipment grows.",
        ],
    }
)


@pytest.fixture(scope="module")
def c():
    return load_corpus(DOCS)


def test_columns_offsets_and_order(c):
    k = kwic(c, ["win-win", "reli*", "rely"])
    assert list(k.columns) == KWIC_COLUMNS
    for row in k.itertuples():
        assert c.text(row.doc_id)[row.start : row.end] == row.match
    assert k["match"].tolist() == ["Win-win", "rely", "WIN-WIN", "win\u2013win", "Reliance"]
    assert k["pattern"].tolist() == ["win-win", "rely", "win-win", "win-win", "reli*"]
    assert k[["doc_id", "start"]].values.tolist() == sorted(k[["doc_id", "start"]].values.tolist())


@pytest.mark.parametrize("pattern", [["win-win", "reli*", "rely"], "nothing-here", r"\bdepend\w*"])
def test_frame_is_what_the_ordinary_constructor_makes(c, pattern):
    # kwic builds its string columns directly; the frame must equal the one pandas builds from lists
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        k = kwic(c, pattern, match="regex" if isinstance(pattern, str) and pattern.startswith("\\") else "glob")
    ordinary = pd.DataFrame({column: pd.Series(k[column].tolist(), dtype="int64" if column in ("start", "end") else "str")
                             for column in KWIC_COLUMNS})
    pd.testing.assert_frame_equal(k, ordinary)
    assert k.index.equals(pd.RangeIndex(len(k))) and len(k.columns) == len(set(k.columns))
    k.columns.name = "renamed"  # the column index is the frame's own
    assert kwic(c, "win-win").columns.name is None
    assert k.sort_values("start").iloc[:1].shape == (min(1, len(k)), len(KWIC_COLUMNS))


def test_context_window_and_punctuation(c):
    k = kwic(c, "win-win", window=2)
    assert k[["left", "right"]].values.tolist() == [
        ["", "cooperation. The"],
        ["paragraph: a", "model, \u201cwin\u2013win"],
        ["WIN-WIN model, \u201c", "\u201d again"],
    ]


def test_context_crosses_paragraphs_but_not_documents(c):
    k = kwic(c, "second", window=3)
    assert k["left"].tolist() == ["on Chinese standards. \u00b6"]
    k = kwic(c, "it", window=3)
    assert k["left"].tolist() == [""]  # nothing from the previous document
    k = kwic(c, "standards", window=3)
    assert k["right"].tolist() == [". \u00b6 Second paragraph: a"]


def test_context_skips_headings_by_default():
    p = load_corpus([("a", "# 1 Intro\n\nFirst body text.\n\n## 1.1 Aims\n\nWin-win here.")], profile="paper")
    assert kwic(p, "win-win", window=2)["left"].tolist() == ["body text. \u00b6"]
    assert kwic(p, "win-win", window=4, headings=True)["left"].tolist() == ["text. \u00b6 1.1 Aims \u00b6"]


def test_long_paragraph_parts_join_with_a_space():
    p = load_corpus([("a", "One two three. Four five six. Seven win-win eight.")], max_words=3)
    assert p.segment_table()["segment_id"].tolist() == ["a:000", "a:001", "a:002"]
    assert kwic(p, "win-win", window=4)["left"].tolist() == ["Four five six. Seven"]


def test_regex_match_inside_a_token(c):
    k = kwic(c, r"domina", match="regex", window=1)
    # the token "Chinese-dominated" around the match is both L1 and R1
    assert k[["left", "match", "right"]].values.tolist() == [["Chinese-", "domina", "ted"]]


def test_docvars_and_limit(c):
    k = kwic(c, "chinese*", docvars=True)
    assert list(k.columns) == KWIC_COLUMNS + ["side", "lang"]  # lang: every corpus has it
    assert k["side"].tolist() == ["chinese_policy", "external", "external"]
    assert list(kwic(c, "chinese*", docvars=["side"]).columns)[-1] == "side"
    assert len(kwic(c, "chinese*", limit=2)) == 2
    with pytest.raises(GroupError, match="Unknown docvar 'year'"):
        kwic(c, "x", docvars=["year"])


def test_no_match_warns_and_keeps_columns(c):
    with pytest.warns(NoMatchWarning, match="no match for 'nothing\\*'"):
        k = kwic(c, "nothing*")
    assert k.empty and list(k.columns) == KWIC_COLUMNS
    with pytest.warns(NoMatchWarning):
        assert list(kwic(c, "nothing", docvars=True).columns) == KWIC_COLUMNS + ["side", "lang"]


def test_each_pattern_without_a_match_is_named(c):
    """A list with one misspelt pattern warned nothing: the other patterns filled the frame."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        k = kwic(c, ["chinese*", "dependncy", "nowhere"], limit=1)  # the limit does not hide a pattern's matches
    assert len(k) == 1
    assert [(str(w.message), w.filename) for w in caught] == [
        ("kwic: no match for 'dependncy', 'nowhere' in the corpus.", __file__)]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(window=0), ParameterError, "The 'window' parameter of kwic must be an int >= 1; got 0."),
        (dict(window=2.5), ParameterError, "The 'window' parameter of kwic must be an int >= 1; got 2.5."),
        (dict(match="fixed"), ParameterError, "The 'match' parameter of kwic must be one of"),
        (dict(limit=0), ParameterError, "The 'limit' parameter of kwic must be an int >= 1"),
        (dict(docvars=3), ParameterError, "The 'docvars' parameter of kwic"),
        (dict(case_sensitive="yes"), ParameterError, "The 'case_sensitive' parameter of kwic must be a bool"),  # named compile_pattern
        (dict(pattern=b"win-win"), ParameterError, "must be a str or a list of str; got bytes."),  # "got an item 119"
    ],
)
def test_parameter_errors(c, kwargs, error, message):
    kwargs = {"pattern": "win-win", **kwargs}
    with pytest.raises(error, match=re.escape(message)):
        kwic(c, **kwargs)


def test_pattern_errors_name_the_pattern(c):
    with pytest.raises(PatternError, match=re.escape("'(a+)+'")):
        kwic(c, "(a+)+", match="regex")
    with pytest.raises(ParameterError, match="must be a textlab Corpus"):
        kwic("text", "x")


def test_sort_kwic_like_antconc():
    p = load_corpus([("a", "rely on China. Reliance ON funding. rely heavily on Chinese firms. Rely. relies on x")])
    k = kwic(p, ["rely", "reliance", "relies"], window=2)
    assert k["right"].tolist() == ["on China", "ON funding", "heavily on", ". relies on", "on x"]
    s = sort_kwic(k, by=("R1", "R2"))
    assert s["right"].tolist() == ["heavily on", "on China", "ON funding", "on x", ". relies on"]
    assert s.index.tolist() == [2, 0, 1, 4, 3]  # the kwic row numbers ride along
    assert sort_kwic(k, by="R1").index.tolist() == [2, 0, 1, 4, 3]  # ties (on, ON, on) keep document order
    assert sort_kwic(k.iloc[::-1], by="R1").index.tolist() == [2, 0, 1, 4, 3]
    s = sort_kwic(k, by=["L1", "match"])
    assert s.index.tolist() == [0, 1, 3, 2, 4]  # no left word sorts first; then china, firms, funding, rely
    assert sort_kwic(k, by="match")["match"].tolist() == ["Reliance", "relies", "rely", "rely", "Rely"]


@pytest.mark.parametrize("by", ["X1", "L0", ["R1", 3], []])
def test_sort_kwic_bad_keys(c, by):
    with pytest.raises(ParameterError, match="'by' parameter of sort_kwic"):
        sort_kwic(kwic(c, "win-win"), by=by)


def test_to_html_escapes_and_aligns():
    p = load_corpus([("a", 'x <script>alert("no")</script> win-win & "more"')])
    html = to_html(kwic(p, "win-win", window=3), width=12)
    assert "<script>" not in html and "&lt;/script&gt;" in html and "&amp; &quot;more" in html
    assert "text-align:right" in html and "<mark>win-win</mark>" in html
    assert "…" in html
    with pytest.raises(ParameterError, match="columns"):
        to_html(kwic(p, "win-win"), columns=("side",))


def test_project_corpus_dependency(corpus):
    with pytest.warns(NoMatchWarning, match="no match for 'lock-in'"):  # codebook-draft.md: lock-in is absent
        k = kwic(corpus, ["depend*", "reliance", "lock-in"], docvars=["side"])
    ext = k[k["side"] == "external"]
    assert "technological dependency" in " ".join(ext["left"] + " " + ext["match"])
    assert not k["match"].str.lower().str.contains("interdependence").any()
    for row in k.itertuples():
        assert corpus.text(row.doc_id)[row.start : row.end] == row.match


WORDS = ["win-win", "Win", "rely", "on", "China", "\u201cwin\u2013win\u201d", "İstanbul", "cafe\u0301", "x", "2025"]
SEPS = [" ", ", ", ". ", "\n\n", "\n", " (", ") ", "  "]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=12), min_size=1, max_size=3),
    window=st.integers(1, 4),
    max_words=st.sampled_from([2, 250]),
)
def test_kwic_properties(parts, window, max_words):
    texts = ["".join(w + s for w, s in doc) for doc in parts]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus([(f"d{i}", t) for i, t in enumerate(texts)], max_words=max_words)
        k = kwic(corpus, ["win*", "* on", "x"], window=window)
    assert list(k.columns) == KWIC_COLUMNS
    for row in k.itertuples():
        text = corpus.text(row.doc_id)
        assert text[row.start : row.end] == row.match
        assert len(tokenize(row.left)) <= window and len(tokenize(row.right)) <= window
        assert row.left == row.left.strip() and row.right == row.right.strip()
        # the context is text of this document (pieces in order)
        for piece in re.split("\\s*\u00b6\\s*", row.left) + re.split("\\s*\u00b6\\s*", row.right):
            assert " ".join(piece.split()) in " ".join(text.split())


def test_cli_kwic(tmp_path, capsys):
    from conftest import CORPUS_DIR

    from textlab.cli import main

    out = tmp_path / "k.csv"
    assert main(["kwic", str(CORPUS_DIR), "depend*", "--window", "3", "--sort", "L1,R1", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == KWIC_COLUMNS and len(table) > 0
    assert capsys.readouterr().err == f"wrote {len(table)} rows to {out}\n"
    assert main(["kwic", str(CORPUS_DIR), "(a+)+", "--match", "regex"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("textlab: error: Unsafe regular expression '(a+)+'") and err.count("\n") == 1
    assert main(["kwic", str(CORPUS_DIR), "win-win", "--window", "0"]) == 2
    assert "The 'window' parameter of kwic must be an int >= 1; got 0." in capsys.readouterr().err


# -- the fast contexts equal the reference rule -------------------------------------------


def _reference(corpus, pattern, window, headings=False, match="glob"):
    """(fast contexts, reference contexts) for every match of ``pattern``."""
    import numpy as np

    from textlab.kwic import _contexts, _contexts_by_pieces
    from textlab.patterns import _SHIFT, _as_patterns, _index_data, _match_arrays

    index = corpus.index(headings=headings)
    m = _match_arrays(corpus, index, _as_patterns(pattern, match=match, case_sensitive=False, func="test"))
    data = _index_data(corpus, index)
    lt = np.searchsorted(data.start_key, m.doc * _SHIFT + m.start, side="left")
    rt = np.searchsorted(data.end_key, m.doc * _SHIFT + m.end, side="right")
    fast = _contexts(corpus, index, m.doc, m.segment, m.start, m.end, window)
    ref = _contexts_by_pieces(data, index, m.doc, m.segment, m.start, m.end, lt, rt, window)
    assert _contexts(corpus, index, m.doc, m.segment, m.start, m.end, window, m.first, m.last) == fast
    return fast, ref, len(m)


@pytest.mark.parametrize("headings", [False, True])
@pytest.mark.parametrize("window", [1, 5])
def test_fast_contexts_equal_reference_on_project_corpus(corpus, window, headings):
    for pattern, match in [("*", "glob"), ("* * *", "glob"), (r"\w+ing\b", "regex"), (r"ing\b[.,]?", "regex")]:
        fast, ref, n = _reference(corpus, pattern, window, headings, match)
        assert n > 100 and fast == ref, pattern


SPACES = [" ", "  ", "\t", "\u00a0", "\n", "\n\n", " \n \n ", "\u3000", ""]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(
        st.lists(st.tuples(st.sampled_from(WORDS + ["\u201c", "(", "-", "\u2014", "."]), st.sampled_from(SPACES + SEPS)),
                 max_size=14),
        min_size=1, max_size=3),
    lead=st.sampled_from(["", " ", "\n\n", "  \n"]),
    window=st.integers(1, 4),
    max_words=st.sampled_from([2, 250]),
)
def test_fast_contexts_equal_reference(docs, lead, window, max_words):
    texts = [lead + "".join(w + s for w, s in doc) for doc in docs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus([(f"d{i}", t) for i, t in enumerate(texts)], max_words=max_words)
        for pattern, match in [("*", "glob"), ("* *", "glob"), (r"[^\w\s]+", "regex"), (r"i\w", "regex")]:
            fast, ref, _ = _reference(corpus, pattern, window, match=match)
            assert fast == ref, (texts, pattern)


def test_limit_records_truncation(c):
    full = kwic(c, "win-win")
    assert full.attrs == {"n_matches": len(full), "truncated": False}
    cut = kwic(c, "win-win", limit=2)
    assert cut.attrs == {"n_matches": len(full), "truncated": True}
    pd.testing.assert_frame_equal(cut, full.iloc[:2])  # the first rows, same contexts
    assert kwic(c, "win-win", limit=len(full)).attrs["truncated"] is False
    assert kwic(c, "win-win", limit=2, docvars=True).attrs == cut.attrs  # also with docvars appended


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.text(alphabet="aAbBzZ09-'\u0130\u0131\u00e9\u00c9\u00df\u01c5\u2019\u2013\ufb01", min_size=1,
                              max_size=6), min_size=1, max_size=15),
       seps=st.lists(st.sampled_from([" ", "  ", "\t", "\n", "\n\n", " (", ", ", "\u00a0", " \n "]), min_size=1, max_size=4))
def test_match_is_the_text_as_written(words, seps):
    # one-token matches are cut from the display text, longer ones from the cleaned text:
    # either way the match column reads as written
    text = "".join(w + seps[i % len(seps)] for i, w in enumerate(words))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus([("d", text), ("e", "Driver DRIVER driver dRiver A a COVID-19 X-ray")])
        for pattern in ["*", "* *", "* * *", ["*", "* *"]]:
            for row in kwic(corpus, pattern, window=1).itertuples():
                assert corpus.text(row.doc_id)[row.start : row.end] == row.match, pattern


def test_sort_kwic_reads_chinese_contexts_as_jieba_words():
    """L1 of a Chinese context was the whole run of Han characters before the match, so
    the order depended on the window: 中方长期 / 啊啊啊对技术 / 把标准 at window=3."""
    c = load_corpus({"a": "啊啊啊对技术依赖。", "b": "中方长期依赖。", "c": "把标准依赖。"}, lang="zh")
    orders = {w: sort_kwic(kwic(c, "依赖", window=w), by="L1")["doc_id"].tolist() for w in (1, 2, 3, 5)}
    assert set(map(tuple, orders.values())) == {("a", "c", "b")}  # 技术 < 标准 < 长期


def test_sort_kwic_refuses_a_key_that_is_not_a_string_or_list(c):
    with pytest.raises(ParameterError, match="'by' parameter of sort_kwic must be a key such as 'R1'"):
        sort_kwic(kwic(c, "chinese*"), by=5)  # TypeError: 'int' object is not iterable
