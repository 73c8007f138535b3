"""Tests for textlab.dispersion: worked examples, brute force, grouping, errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textlab.dispersion import DISPERSION_COLUMNS, dispersion
from textlab.errors import EmptyDocumentWarning, GroupError, NoMatchWarning, ParameterError, SmallSampleWarning

# Gries' toy corpus (Gries 2008; repeated in Gries 2020, "Analyzing dispersion"):
#   b a m n i b e u p / b a s a t b e w q n / b c a g a b e s t a /
#   b a g h a b e a a t / b a h a a b e a x a t
# five parts of 9, 10, 10, 10, 11 words (l = 50); "a" occurs 1, 2, 3, 4, 5 times (f = 15).
GRIES_PARTS = [
    "b a m n i b e u p", "b a s a t b e w q n", "b c a g a b e s t a",
    "b a g h a b e a a t", "b a h a a b e a x a t",
]


def tidy_from_texts(texts, prefix="p"):
    rows = []
    for i, text in enumerate(texts, start=1):
        for word in text.split():
            rows.append((f"{prefix}{i}", word))
    frame = pd.DataFrame(rows, columns=["unit", "term"])
    return frame.value_counts(["unit", "term"]).rename("count").reset_index()


def brute_force(matrix: np.ndarray, sizes: np.ndarray) -> dict:
    """Dense reference: matrix[t, i] = frequency of term t in part i."""
    s = sizes / sizes.sum()
    f = matrix.sum(axis=1)
    v = matrix / f[:, None]
    dp = 0.5 * np.abs(v - s).sum(axis=1)
    p = matrix / sizes
    n = len(sizes)
    d = 1 - (p.std(axis=1) / p.mean(axis=1)) / math.sqrt(n - 1)
    return {"frequency": f, "range": (matrix > 0).sum(axis=1), "dp": dp, "dp_norm": dp / (1 - s.min()),
            "juilland_d": d}


def test_gries_toy_corpus_by_hand():
    counts = tidy_from_texts(GRIES_PARTS)
    row = dispersion(counts, terms="a").iloc[0]
    # (3) s = (9, 10, 10, 10, 11) / 50 = (0.18, 0.2, 0.2, 0.2, 0.22)
    s = [9 / 50, 10 / 50, 10 / 50, 10 / 50, 11 / 50]
    # (5) v = (1, 2, 3, 4, 5), f = 15 -> observed shares v/f
    v = [1 / 15, 2 / 15, 3 / 15, 4 / 15, 5 / 15]
    # DP = 0.5 * (|1/15 - .18| + |2/15 - .2| + |3/15 - .2| + |4/15 - .2| + |5/15 - .22|)
    #    = 0.5 * (0.11333 + 0.06667 + 0 + 0.06667 + 0.11333) = 0.18
    dp = 0.5 * sum(abs(vi - si) for vi, si in zip(v, s))
    assert dp == pytest.approx(0.18, abs=1e-12)
    assert row.dp == pytest.approx(dp, rel=1e-9)
    # Lijffijt & Gries (2012): DPnorm = DP / (1 - min s) = 0.18 / 0.82
    assert row.dp_norm == pytest.approx(0.18 / 0.82, rel=1e-9)
    # (6) p = (1/9, 2/10, 3/10, 4/10, 5/11); Juilland's D = 1 - (sd_pop(p) / mean(p)) / sqrt(n - 1)
    p = [1 / 9, 2 / 10, 3 / 10, 4 / 10, 5 / 11]
    mean = sum(p) / 5
    sd = math.sqrt(sum((x - mean) ** 2 for x in p) / 5)
    assert row.juilland_d == pytest.approx(1 - (sd / mean) / math.sqrt(4), rel=1e-9)
    assert round(row.juilland_d, 3) == 0.785
    assert (row.frequency, row.range, row.n_parts) == (15, 5, 5)


def test_lijffijt_gries_three_equal_parts():
    # Lijffijt & Gries (2012), Table 1: three equal parts hold 2/3, 1/3 and none of the
    # occurrences. DP = 0.5 (|2/3 - 1/3| + |1/3 - 1/3| + |0 - 1/3|) = 1/3, the maximum
    # for three equal parts is 1 - 1/3, so DPnorm = (1/3) / (2/3) = 0.5.
    counts = pd.DataFrame({"unit": ["x", "y", "x", "y", "z"], "term": ["t", "t", "o", "o", "o"],
                           "count": [2, 1, 98, 99, 100]})
    row = dispersion(counts, terms=["t"]).iloc[0]
    assert row.dp == pytest.approx(1 / 3, rel=1e-12)
    assert row.dp_norm == pytest.approx(0.5, rel=1e-12)
    # p = (0.02, 0.01, 0); mean 0.01; sd_pop = sqrt((1e-4 + 0 + 1e-4) / 3)
    sd = math.sqrt(2e-4 / 3)
    assert row.juilland_d == pytest.approx(1 - (sd / 0.01) / math.sqrt(2), rel=1e-9)


def test_extremes_even_and_concentrated():
    # Four equal parts of 10 tokens. "even" occurs twice in each; "clump" 8 times in one.
    units = ["u1", "u2", "u3", "u4"]
    rows = [(u, "even", 2) for u in units] + [("u1", "clump", 8)]
    rows += [("u1", "pad", 0)] + [(u, "pad", 8) for u in units[1:]]
    counts = pd.DataFrame(rows, columns=["unit", "term", "count"])
    res = dispersion(counts).set_index("term")
    assert res.loc["even", "dp"] == pytest.approx(0, abs=1e-12)
    assert res.loc["even", "juilland_d"] == pytest.approx(1, abs=1e-12)
    # concentrated in one of four equal parts: DP = 1 - 1/4, DPnorm = 1, D = 0
    assert res.loc["clump", "dp"] == pytest.approx(0.75, rel=1e-12)
    assert res.loc["clump", "dp_norm"] == pytest.approx(1.0, rel=1e-12)
    assert res.loc["clump", "juilland_d"] == pytest.approx(0.0, abs=1e-12)
    assert res.loc["clump", "range"] == 1 and res.loc["even", "range"] == 4


def test_against_brute_force_with_absent_parts():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n_terms, n_parts = int(rng.integers(1, 15)), int(rng.integers(2, 9))
        matrix = rng.integers(0, 6, size=(n_terms, n_parts)) * (rng.random((n_terms, n_parts)) < 0.5)
        matrix[:, 0] += 1  # every term occurs somewhere; part sizes > 0
        terms = [f"t{i}" for i in range(n_terms)]
        units = [f"u{j}" for j in range(n_parts)]
        counts = pd.DataFrame([(units[j], terms[i], matrix[i, j]) for i in range(n_terms)
                               for j in range(n_parts) if matrix[i, j] > 0], columns=["unit", "term", "count"])
        sizes = pd.Series(matrix.sum(axis=0) + rng.integers(0, 20, n_parts), index=units)
        res = dispersion(counts, part_sizes=sizes).set_index("term").loc[terms]
        expected = brute_force(matrix.astype(float), sizes.to_numpy(float))
        for col, values in expected.items():
            assert np.allclose(res[col].to_numpy(float), values, rtol=1e-9, atol=1e-12), col
        assert (res["n_parts"] == n_parts).all()


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=2, max_size=5), min_size=1, max_size=5))
def test_property_bounded_and_finite(rows):
    width = min(len(r) for r in rows)
    matrix = np.array([r[:width] for r in rows])
    counts = pd.DataFrame([(f"u{j}", f"t{i}", matrix[i, j]) for i in range(len(matrix))
                           for j in range(width)], columns=["unit", "term", "count"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyDocumentWarning)
        warnings.simplefilter("ignore", SmallSampleWarning)
        res = dispersion(counts)
    if res.empty or (res["n_parts"] < 2).any():
        return
    values = res[["juilland_d", "dp", "dp_norm"]].to_numpy(float)
    assert np.isfinite(values).all()
    assert ((values >= 0) & (values <= 1)).all()


def test_default_part_sizes_are_unit_sums():
    counts = pd.DataFrame({"unit": ["a", "a", "b"], "term": ["x", "y", "x"], "count": [1, 3, 4]})
    default = dispersion(counts, terms="x")
    explicit = dispersion(counts, terms="x", part_sizes=pd.Series({"a": 4, "b": 4}))
    pd.testing.assert_frame_equal(default, explicit)
    # larger true sizes change the result (stopwords were removed from the counts)
    bigger = dispersion(counts, terms="x", part_sizes=pd.Series({"a": 4, "b": 40}))
    assert bigger.loc[0, "dp"] != default.loc[0, "dp"]


def test_part_sizes_can_add_parts_without_counted_terms():
    counts = pd.DataFrame({"unit": ["a"], "term": ["x"], "count": [5]})
    res = dispersion(counts, part_sizes=pd.Series({"a": 10, "b": 10}))
    row = res.iloc[0]
    assert (row.n_parts, row.range) == (2, 1)
    assert row.dp == pytest.approx(0.5) and row.dp_norm == pytest.approx(1.0)


def test_by_groups_parts_and_matches_separate_runs():
    counts = tidy_from_texts(GRIES_PARTS)
    side = {"p1": "cn", "p2": "cn", "p3": "us", "p4": "us", "p5": "us"}
    res = dispersion(counts, by=side)
    assert tuple(res.columns) == ("group", *DISPERSION_COLUMNS)
    assert list(pd.unique(res["group"])) == ["cn", "us"]
    for group in ("cn", "us"):
        alone = dispersion(counts[counts["unit"].map(side) == group])
        got = res[res["group"] == group].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone)
    by_column = dispersion(counts.assign(side=counts["unit"].map(side)), by="side")
    pd.testing.assert_frame_equal(by_column, res)


def test_sorted_by_frequency_then_term():
    res = dispersion(tidy_from_texts(GRIES_PARTS))
    assert res["term"].tolist()[:3] == ["a", "b", "e"]  # 15, 10, 5
    keys = list(zip(-res["frequency"], res["term"]))
    assert keys == sorted(keys)


def test_single_part_is_nan_with_warning():
    counts = pd.DataFrame({"unit": ["only", "only"], "term": ["x", "y"], "count": [2, 3]})
    with pytest.warns(SmallSampleWarning, match="at least two parts"):
        res = dispersion(counts)
    assert res[["juilland_d", "dp", "dp_norm"]].isna().all().all()
    assert res["range"].tolist() == [1, 1]
    with pytest.warns(SmallSampleWarning, match="in group 'solo'"):
        grouped = dispersion(pd.concat([counts, counts.assign(unit="two"), counts.assign(unit="three")]),
                             by={"only": "solo", "two": "duo", "three": "duo"})
    assert grouped.loc[grouped["group"] == "solo", "dp"].isna().all()
    assert grouped.loc[grouped["group"] == "duo", "dp"].notna().all()


def test_missing_terms_warn_and_are_left_out():
    with pytest.warns(NoMatchWarning, match="'zzz'"):
        res = dispersion(tidy_from_texts(GRIES_PARTS), terms=["a", "zzz"])
    assert res["term"].tolist() == ["a"]


def test_zero_size_part_is_left_out_with_warning():
    counts = pd.DataFrame({"unit": ["a", "b", "c"], "term": ["x", "x", "y"], "count": [1, 1, 0]})
    with pytest.warns(EmptyDocumentWarning, match="'c'"):
        res = dispersion(counts)
    assert res["term"].tolist() == ["x"] and res.loc[0, "n_parts"] == 2


def test_empty_counts_give_empty_frame():
    empty = pd.DataFrame({"unit": [], "term": [], "count": []})
    res = dispersion(empty)
    assert res.empty and tuple(res.columns) == DISPERSION_COLUMNS
    res = dispersion(empty, by={})
    assert res.empty and tuple(res.columns) == ("group", *DISPERSION_COLUMNS)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"counts": pd.Series({"a": 1})}, ParameterError,
     "The 'counts' parameter of dispersion must be a DataFrame with columns unit, term, count, or a Corpus"),
    ({"counts": [1, 2]}, ParameterError, "The 'counts' parameter of dispersion must be a DataFrame"),
    ({"terms": 3}, ParameterError, "The 'terms' parameter of dispersion must be a str or a list of str; got int."),
    ({"part_sizes": {"a": 1}}, ParameterError, "The 'part_sizes' parameter of dispersion must be a pandas Series"),
    ({"part_sizes": pd.Series({"a": 5})}, ParameterError, "has no size for unit(s) 'b'"),
    ({"part_sizes": pd.Series({"a": 1, "b": 9})}, ParameterError, "at least each unit's total count"),
    ({"by": "side"}, GroupError, "'side', which is not a column of 'counts'"),
    ({"by": {"a": "g"}}, GroupError, "gives no group for unit(s) 'b'"),
    ({"by": 2}, ParameterError, "The 'by' parameter of dispersion must be None"),
])
def test_errors_name_the_parameter(kwargs, error, message):
    counts = pd.DataFrame({"unit": ["a", "a", "b"], "term": ["x", "y", "x"], "count": [1, 3, 4]})
    kwargs = {"counts": counts, **kwargs}
    with pytest.raises(error) as err:
        dispersion(kwargs.pop("counts"), **kwargs)
    assert message in str(err.value)


def test_corpus_parts_are_documents_grouped_by_docvar(monkeypatch):
    import sys
    import types

    class Corpus:
        def __init__(self, counts, docvars):
            self.counts, self.docvars = counts, docvars

    def count_terms(corpus, *, by, lower, numbers, stopwords):
        assert (by, lower, numbers, stopwords) == ("doc", True, False, None)
        return corpus.counts

    monkeypatch.setitem(sys.modules, "textlab.corpus", types.SimpleNamespace(Corpus=Corpus))
    monkeypatch.setitem(sys.modules, "textlab.tokenize", types.SimpleNamespace(count_terms=count_terms))
    counts = tidy_from_texts(GRIES_PARTS)
    docvars = pd.DataFrame({"doc_id": ["p1", "p2", "p3", "p4", "p5"], "side": ["cn", "cn", "us", "us", "us"]})
    corpus = Corpus(counts, docvars)
    pd.testing.assert_frame_equal(dispersion(corpus), dispersion(counts))
    expected = dispersion(counts, by=dict(zip(docvars["doc_id"], docvars["side"])))
    pd.testing.assert_frame_equal(dispersion(corpus, by="side"), expected)
    with pytest.raises(GroupError, match="'year', which is not a docvar"):
        dispersion(corpus, by="year")


def test_corpus_terms_are_compared_as_counted():
    from textlab import load_corpus

    c = load_corpus({"a": "Luban Workshop. The SCO met.", "b": "The luban model."})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = dispersion(c, terms=["Luban", "SCO", "Nowhere"])
    assert out[["term", "frequency", "range"]].values.tolist() == [["luban", 2, 2], ["sco", 1, 1]]
    assert [str(w.message) for w in caught] == ["dispersion found no occurrence of term(s) 'Nowhere'."]
    counts = pd.DataFrame({"unit": ["a", "b"], "term": ["Luban", "x"], "count": [1, 1]})  # a table is taken as given
    assert dispersion(counts, terms=["Luban"])["term"].tolist() == ["Luban"]
