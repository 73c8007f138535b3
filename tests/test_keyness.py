"""Tests for textlab.keyness: hand-worked values, scipy cross-checks, properties, errors."""

from __future__ import annotations

import math
import sys
import time
import types
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from textlab.errors import GroupError, ParameterError
from textlab.keyness import (
    FIGHTIN_COLUMNS,
    KEYNESS_COLUMNS,
    SORT_CHOICES,
    fightin_words,
    keyness,
    keyness_one_vs_rest,
)

NUMERIC = [c for c in KEYNESS_COLUMNS if c not in ("term", "direction")]
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def one_term(a, b, c, d, **options):
    """keyness of a single term with frequencies a, b and corpus sizes c, d."""
    res = keyness(pd.Series({"w": a}), pd.Series({"w": b}), total_target=c, total_reference=d, **options)
    assert len(res) == 1
    return res.iloc[0]


def exact_fisher(a, b, c, d):
    """Two-sided Fisher p with exact integer arithmetic (tables with P <= P(observed))."""
    k = a + b
    support = range(max(0, k - d), min(k, c) + 1)
    weights = {x: math.comb(c, x) * math.comb(d, k - x) for x in support}
    observed = weights[a]
    return float(Fraction(sum(w for w in weights.values() if w <= observed), sum(weights.values())))


# ------------------------------------------------------------- hand-worked cases
def test_case_both_present_by_hand():
    # a=10 of c=1000 target tokens, b=5 of d=2000 reference tokens; N = 3000, a+b = 15.
    a, b, c, d = 10, 5, 1000, 2000
    n = c + d
    e1 = c * (a + b) / n          # = 5
    e2 = d * (a + b) / n          # = 10
    e3 = c * (n - a - b) / n      # = 995 (expected other tokens in target)
    e4 = d * (n - a - b) / n      # = 1990
    assert (e1, e2, e3, e4) == (5, 10, 995, 1990)
    row = one_term(a, b, c, d)
    # Rayson & Garside (2000): G2 = 2 (a ln(a/E1) + b ln(b/E2)) = 2 (10 ln 2 - 5 ln 2) = 10 ln 2
    g2 = 2 * (a * math.log(a / e1) + b * math.log(b / e2))
    assert g2 == pytest.approx(10 * math.log(2), rel=1e-12)
    assert row.g2 == pytest.approx(g2, rel=1e-6)
    # Dunning (1993): the same sum over all four cells a, b, c-a, d-b
    g2_4 = 2 * (a * math.log(a / e1) + b * math.log(b / e2)
                + (c - a) * math.log((c - a) / e3) + (d - b) * math.log((d - b) / e4))
    assert row.g2_4term == pytest.approx(g2_4, rel=1e-6)
    # Pearson: every cell has |O - E| = 5; chi2 = 25 (1/5 + 1/10 + 1/995 + 1/1990)
    inv = 1 / e1 + 1 / e2 + 1 / e3 + 1 / e4
    assert row.chi2 == pytest.approx(5**2 * inv, rel=1e-6)
    # Yates: |O - E| - 0.5 = 4.5
    assert row.chi2_yates == pytest.approx(4.5**2 * inv, rel=1e-6)
    # Hardie (2014): log2((10/1000) / (5/2000)) = log2(4) = 2
    assert row.log_ratio == pytest.approx(2.0, rel=1e-12)
    # Gabrielatos & Marchi (2012): 100 (0.01 - 0.0025) / 0.0025 = 300
    assert row.pct_diff == pytest.approx(300.0, rel=1e-9)
    # Wilson (2013): BIC = G2 - 1 * ln(N)
    assert row.bic == pytest.approx(g2 - math.log(3000), rel=1e-6)
    # PMI = log2(a N / ((a + b) c)) = log2(10 * 3000 / (15 * 1000)) = log2(2) = 1
    assert row.pmi == pytest.approx(1.0, rel=1e-12)
    # odds ratio, no zero cell: a (d - b) / (b (c - a)) = 10 * 1995 / (5 * 990)
    assert row.odds_ratio == pytest.approx(10 * 1995 / (5 * 990), rel=1e-12)
    assert row.p == pytest.approx(stats.chi2.sf(g2, 1), rel=1e-9)
    assert row.fisher_p == pytest.approx(exact_fisher(a, b, c, d), rel=1e-9)
    assert row.direction == "target"
    assert (row.total_target, row.total_reference) == (c, d)


def test_case_zero_in_target_by_hand():
    # a = 0: the term occurs only in the reference (8 of 1500); target has 500 tokens.
    a, b, c, d = 0, 8, 500, 1500
    n = c + d                      # 2000
    e1, e2 = c * 8 / n, d * 8 / n  # 2, 6
    e3, e4 = c * (n - 8) / n, d * (n - 8) / n
    row = one_term(a, b, c, d)
    # 0 ln 0 = 0 (UCREL LL wizard note; limit of x ln x): G2 = 2 * 8 ln(8/6)
    assert row.g2 == pytest.approx(2 * (b * math.log(b / e2)), rel=1e-6)
    assert row.g2 == pytest.approx(16 * math.log(4 / 3), rel=1e-6)
    g2_4 = 2 * (b * math.log(b / e2) + c * math.log(c / e3) + (d - b) * math.log((d - b) / e4))
    assert row.g2_4term == pytest.approx(g2_4, rel=1e-6)
    # |O - E| = |0 - 2| = 2
    inv = 1 / e1 + 1 / e2 + 1 / e3 + 1 / e4
    assert row.chi2 == pytest.approx(4 * inv, rel=1e-6)
    assert row.chi2_yates == pytest.approx(1.5**2 * inv, rel=1e-6)
    # Hardie: zero frequency -> 0.5; log2((0.5/500) / (8/1500)) = log2(0.1875)
    assert row.log_ratio == pytest.approx(math.log2((0.5 / 500) / (8 / 1500)), rel=1e-9)
    # %DIFF of an absent target term is -100
    assert row.pct_diff == pytest.approx(-100.0, rel=1e-12)
    # PMI with a -> 0.5: log2(0.5 * 2000 / (8 * 500)) = log2(0.25) = -2
    assert row.pmi == pytest.approx(-2.0, rel=1e-12)
    # Haldane-Anscombe: cells 0, 8, 500, 1492 -> each + 0.5
    assert row.odds_ratio == pytest.approx((0.5 * 1492.5) / (8.5 * 500.5), rel=1e-12)
    assert row.fisher_p == pytest.approx(exact_fisher(a, b, c, d), rel=1e-9)
    assert row.direction == "reference"


def test_case_zero_in_reference_by_hand():
    # b = 0: 6 of 300 target tokens, absent from 900 reference tokens.
    a, b, c, d = 6, 0, 300, 900
    n = c + d                      # 1200
    e1, e2 = c * 6 / n, d * 6 / n  # 1.5, 4.5
    e3, e4 = c * (n - 6) / n, d * (n - 6) / n
    row = one_term(a, b, c, d)
    assert row.g2 == pytest.approx(2 * a * math.log(a / e1), rel=1e-6)
    assert row.g2 == pytest.approx(12 * math.log(4), rel=1e-6)
    g2_4 = 2 * (a * math.log(a / e1) + (c - a) * math.log((c - a) / e3) + d * math.log(d / e4))
    assert row.g2_4term == pytest.approx(g2_4, rel=1e-6)
    inv = 1 / e1 + 1 / e2 + 1 / e3 + 1 / e4
    assert row.chi2 == pytest.approx(4.5**2 * inv, rel=1e-6)
    assert row.chi2_yates == pytest.approx(4.0**2 * inv, rel=1e-6)
    # Hardie: log2((6/300) / (0.5/900)) = log2(36)
    assert row.log_ratio == pytest.approx(math.log2(36), rel=1e-9)
    # Gabrielatos & Marchi: reference NF 0 -> 1e-18; 100 * (6/300) / 1e-18 = 2e18 (finite)
    assert row.pct_diff == pytest.approx(100 * (6 / 300) / 1e-18, rel=1e-9)
    assert row.bic == pytest.approx(12 * math.log(4) - math.log(1200), rel=1e-6)
    # PMI = log2(6 * 1200 / (6 * 300)) = 2
    assert row.pmi == pytest.approx(2.0, rel=1e-12)
    # Haldane-Anscombe: cells 6, 0, 294, 900 -> + 0.5
    assert row.odds_ratio == pytest.approx((6.5 * 900.5) / (0.5 * 294.5), rel=1e-12)
    assert row.fisher_p == pytest.approx(exact_fisher(a, b, c, d), rel=1e-9)
    assert row.direction == "target"


def test_published_ucrel_example():
    # UCREL log-likelihood wizard worked example (Rayson): 52 in 50,000 vs 57 in 75,000
    # is shown as "+ 2.65" (more frequent in corpus 1). E1 = 43.6, E2 = 65.4.
    row = one_term(52, 57, 50_000, 75_000)
    assert round(row.g2, 2) == 2.65
    assert row.g2 == pytest.approx(2 * (52 * math.log(52 / 43.6) + 57 * math.log(57 / 65.4)), rel=1e-9)
    assert row.direction == "target"


def test_equal_relative_frequency_is_none():
    row = one_term(2, 6, 100, 300)
    assert row.direction == "none"
    assert row.g2 == pytest.approx(0.0, abs=1e-12)
    assert row.log_ratio == 0.0
    assert row.pct_diff == 0.0
    assert row.p == pytest.approx(1.0)
    assert row.fisher_p == pytest.approx(1.0)


def test_term_that_is_the_whole_corpus_stays_finite():
    # a = c and b = d: the second row of the table is empty (E3 = E4 = 0).
    res = keyness(pd.Series({"x": 4}), pd.Series({"x": 9}))
    row = res.iloc[0]
    assert np.isfinite(res[NUMERIC].to_numpy(float)).all()
    assert row.g2 == pytest.approx(0.0, abs=1e-12) and row.chi2 == 0.0 and row.chi2_yates == 0.0
    assert row.fisher_p == 1.0 and row.direction == "none"


def test_log_ratio_sign_can_disagree_with_direction_for_zero_cells():
    # Documented: a = 0 becomes 0.5/1000 = 5e-4 > 1/1e6, so log_ratio > 0 although the
    # term is (only) in the reference; direction uses the raw frequencies.
    row = one_term(0, 1, 1000, 1_000_000)
    assert row.direction == "reference"
    assert row.log_ratio > 0


# -------------------------------------------------------------- scipy cross-checks
TABLES = [(10, 5, 1000, 2000), (0, 8, 500, 1500), (6, 0, 300, 900), (52, 57, 50_000, 75_000),
          (1, 0, 3, 2), (3, 3, 3, 7), (120, 40, 5000, 1200), (0, 1, 1, 1), (2, 9, 11, 40)]


@pytest.mark.parametrize(("a", "b", "c", "d"), TABLES)
def test_against_scipy(a, b, c, d):
    row = one_term(a, b, c, d)
    table = np.array([[a, b], [c - a, d - b]])
    if (table.sum(axis=1) > 0).all():
        assert row.chi2 == pytest.approx(stats.chi2_contingency(table, correction=False)[0], rel=1e-9, abs=1e-12)
        assert row.chi2_yates == pytest.approx(stats.chi2_contingency(table, correction=True)[0], rel=1e-9, abs=1e-12)
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        assert row.g2_4term == pytest.approx(g, rel=1e-9, abs=1e-12)
    assert row.fisher_p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)
    assert row.fisher_p == pytest.approx(exact_fisher(a, b, c, d), rel=1e-12)
    assert row.p == pytest.approx(stats.chi2.sf(row.g2, 1), rel=1e-12)


def test_fisher_many_random_tables_against_scipy():
    rng = np.random.default_rng(7)
    c, d = 40_000, 25_000
    a = rng.integers(0, 60, size=120)
    b = rng.integers(0, 60, size=120)
    terms = [f"t{i}" for i in range(120)]
    res = keyness(pd.Series(a, index=terms), pd.Series(b, index=terms),
                  total_target=c, total_reference=d, sort_by="term", min_freq=1)
    for row in res.itertuples():
        table = [[row.freq_target, row.freq_reference], [c - row.freq_target, d - row.freq_reference]]
        assert row.fisher_p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


def test_fisher_large_tables_exact():
    # Checked against exact integer arithmetic (scipy itself is ~1e-9 off here).
    for a, b, c, d in [(30, 0, 100_000, 10_000_000), (0, 300, 1_000_000, 1_000_000)]:
        assert one_term(a, b, c, d).fisher_p == pytest.approx(exact_fisher(a, b, c, d), rel=1e-11)


def test_fisher_wide_supports_are_cut_without_changing_p(monkeypatch):
    # With counts in the millions the support was built whole (gigabytes for 1e8 hits);
    # now it is cut to 20 sqrt(K) around the mean. Shrinking the threshold makes the cut
    # bite on tables the full sum can still check (exact arithmetic for the small one).
    module = sys.modules["textlab.keyness"]  # the module: textlab.keyness is also the function

    tables = [(1_200, 1_260, 500_000, 520_000), (9_000, 10_500, 400_000, 400_000), (30, 0, 100_000, 10_000_000)]
    full = [one_term(*t).fisher_p for t in tables]
    monkeypatch.setattr(module, "_FISHER_CHUNK", 100)
    cut = [one_term(*t).fisher_p for t in tables]
    assert cut == pytest.approx(full, rel=1e-9, abs=0)  # sums of ~20,000 log ratios from another start
    assert cut[2] == pytest.approx(exact_fisher(*tables[2]), rel=1e-11)
    assert one_term(6_000, 0, 400_000, 400_000).fisher_p == 0.0  # far outside the cut: underflows, as whole
    monkeypatch.undo()
    big = one_term(10**8, 10**8 + 5, 10**9, 10**9)  # ran out of memory
    assert 0 < big.fisher_p <= 1 and big.direction == "reference"


def test_direction_is_exact_beyond_float_precision():
    # a*d - b*c = 1: as floats both products round to the same double and gave 'none'
    a, b, c, d = 814_285_663, 814_285_720, 999_999_937, 1_000_000_007
    assert a * d - b * c == 1
    assert one_term(a, b, c, d).direction == "target"
    res = fightin_words(pd.Series({"w": a, "o": c - a}), pd.Series({"w": b, "o": d - b}))
    assert res.set_index("term").loc["w", "direction"] == "target"


@pytest.mark.parametrize("sort_by", ["pct_diff", "log_ratio"])
def test_equal_ratios_tie_by_term_whatever_the_rounding(sort_by):
    # 15/1000 vs 3/3000 and 5/1000 vs 1/3000 are the same ratio; as doubles they differed
    # in the last bit, and 'b' came before 'a'
    res = keyness(pd.Series({"a": 15, "b": 5}), pd.Series({"a": 3, "b": 1}), total_target=1000,
                  total_reference=3000, sort_by=sort_by)
    assert res["term"].tolist() == ["a", "b"]


def test_corrections_match_scipy():
    target = pd.Series({"a": 30, "b": 2, "c": 14, "d": 7, "e": 1})
    reference = pd.Series({"a": 10, "b": 12, "c": 15, "d": 7, "f": 4})
    for method in ("bh", "by"):
        res = keyness(target, reference, correction=method)
        assert np.allclose(res["q"], stats.false_discovery_control(res["p"], method=method), rtol=1e-12)
        assert np.allclose(res["p_bonferroni"], np.minimum(1, res["p"] * len(res)), rtol=1e-12)


# ----------------------------------------------------------------------- properties
count_tables = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=8)
FLIP = {"target": "reference", "reference": "target", "none": "none"}
SYMMETRIC = ["g2", "g2_4term", "chi2", "chi2_yates", "bic", "p", "fisher_p"]


@PROPERTY
@given(count_tables, st.integers(0, 50), st.integers(0, 50))
def test_property_antisymmetry_and_no_inf_nan(table, extra_t, extra_r):
    """Swapping target and reference: keyness and Fightin' Words (200 examples)."""
    a = np.array([x for x, _ in table], dtype=np.int64)
    b = np.array([y for _, y in table], dtype=np.int64)
    if a.sum() == 0 or b.sum() == 0:
        return
    terms = [f"t{i}" for i in range(len(table))]
    target, reference = pd.Series(a, index=terms), pd.Series(b, index=terms)
    tt, tr = int(a.sum()) + extra_t, int(b.sum()) + extra_r
    fwd = columns(keyness(target, reference, total_target=tt, total_reference=tr, sort_by="term"))
    rev = columns(keyness(reference, target, total_target=tr, total_reference=tt, sort_by="term"))
    assert np.isfinite(np.column_stack([fwd[c] for c in NUMERIC]).astype(float)).all()
    for col in SYMMETRIC:
        assert np.allclose(fwd[col], rev[col], rtol=1e-9, atol=1e-12), col
    assert np.array_equal(fwd["log_ratio"], -rev["log_ratio"])
    assert np.allclose(fwd["odds_ratio"], 1 / rev["odds_ratio"], rtol=1e-12)
    assert [FLIP[x] for x in fwd["direction"]] == list(rev["direction"])
    assert (fwd["g2"] >= 0).all() and (fwd["p"] <= 1).all() and (fwd["fisher_p"] <= 1).all()
    if ((a + b) > 0).sum() < 2:
        return
    fw = columns(fightin_words(target, reference).sort_values("term"))
    fw_rev = columns(fightin_words(reference, target).sort_values("term"))
    assert np.isfinite(np.column_stack([fw["log_odds_ratio"], fw["variance"], fw["z"]])).all()
    assert np.array_equal(fw["log_odds_ratio"], -fw_rev["log_odds_ratio"])
    assert np.array_equal(fw["z"], -fw_rev["z"])
    assert np.array_equal(fw["variance"], fw_rev["variance"])
    assert [FLIP[x] for x in fw["direction"]] == list(fw_rev["direction"])
    # with the pooled prior the sign of z always agrees with direction
    keyed = fw["direction"] != "none"
    assert np.array_equal(fw["z"][keyed] > 0, fw["direction"][keyed] == "target")


def columns(frame):
    return {col: frame[col].to_numpy() for col in frame.columns}


# --------------------------------------------------------------- filtering, sorting
def test_min_freq_filters_on_combined_frequency():
    target = pd.Series({"a": 1, "b": 2, "c": 0, "d": 5})
    reference = pd.Series({"a": 1, "b": 0, "c": 1, "e": 3})
    assert set(keyness(target, reference)["term"]) == {"a", "b", "c", "d", "e"}
    assert set(keyness(target, reference, min_freq=2)["term"]) == {"a", "b", "d", "e"}
    assert set(keyness(target, reference, min_freq=4)["term"]) == {"d"}
    # totals are not affected by the filter
    res = keyness(target, reference, min_freq=4)
    assert (res["total_target"] == 8).all() and (res["total_reference"] == 5).all()


@pytest.mark.parametrize("sort_by", SORT_CHOICES)
def test_sorting_descending_ties_by_term(sort_by):
    # "x", "m", "b" have identical counts, so identical statistics: ties go by term.
    target = pd.Series({"x": 3, "m": 3, "b": 3, "key": 20, "rare": 0})
    reference = pd.Series({"x": 5, "m": 5, "b": 5, "key": 2, "rare": 6})
    res = keyness(target, reference, sort_by=sort_by)
    if sort_by == "term":
        assert res["term"].tolist() == sorted(res["term"])
    else:
        values = res[sort_by].to_numpy()
        assert (np.diff(values) <= 0).all()
    tied = [t for t in res["term"] if t in ("x", "m", "b")]
    assert tied == ["b", "m", "x"]
    again = keyness(target.iloc[::-1], reference.iloc[::-1], sort_by=sort_by)
    pd.testing.assert_frame_equal(res, again)


def test_columns_fixed_and_dtypes():
    res = keyness(pd.Series({"a": 2}), pd.Series({"b": 1}))
    assert tuple(res.columns) == KEYNESS_COLUMNS
    for col in ("freq_target", "freq_reference", "total_target", "total_reference"):
        assert res[col].dtype == np.int64
    assert all(res[c].dtype == float for c in NUMERIC if not c.startswith(("freq", "total")))


def test_empty_input_gives_empty_frame_with_columns():
    empty = pd.Series([], dtype=np.int64)
    res = keyness(empty, empty)
    assert res.empty and tuple(res.columns) == KEYNESS_COLUMNS
    res = keyness(pd.Series({"a": 1}), pd.Series({"b": 1}), min_freq=5)
    assert res.empty and tuple(res.columns) == KEYNESS_COLUMNS
    fw = fightin_words(empty, empty)
    assert fw.empty and tuple(fw.columns) == FIGHTIN_COLUMNS
    tidy = pd.DataFrame({"unit": [], "term": [], "count": []})
    ovr = keyness_one_vs_rest(tidy)
    assert ovr.empty and tuple(ovr.columns) == ("group", *KEYNESS_COLUMNS)


def test_does_not_mutate_inputs():
    target = pd.Series({"b": 2, "a": 1})
    reference = pd.DataFrame({"unit": ["d1", "d1"], "term": ["a", "c"], "count": [3, 4]})
    t_copy, r_copy = target.copy(), reference.copy()
    keyness(target, reference)
    pd.testing.assert_series_equal(target, t_copy)
    pd.testing.assert_frame_equal(reference, r_copy)


# ------------------------------------------------------------------- input shapes
def test_tidy_frame_equals_series():
    tidy = pd.DataFrame({"unit": ["d1", "d1", "d2", "d2"], "term": ["a", "b", "a", "c"], "count": [2, 1, 3, 4]})
    as_series = pd.Series({"a": 5, "b": 1, "c": 4})
    reference = pd.Series({"a": 1, "c": 9, "z": 2})
    pd.testing.assert_frame_equal(keyness(tidy, reference), keyness(as_series, reference))


def test_duplicate_series_terms_are_summed():
    dup = pd.Series([2, 3, 1], index=["a", "a", "b"])
    pd.testing.assert_frame_equal(keyness(dup, pd.Series({"a": 1, "b": 4})),
                                  keyness(pd.Series({"a": 5, "b": 1}), pd.Series({"a": 1, "b": 4})))


def test_whole_number_floats_accepted():
    res = keyness(pd.Series({"a": 2.0, "b": 1.0}), pd.Series({"a": 1, "b": 3}))
    assert res["freq_target"].dtype == np.int64


def test_corpus_input_uses_count_terms(monkeypatch):
    # A stand-in Corpus and count_terms, installed as textlab.corpus / textlab.tokenize.
    class Corpus:
        def __init__(self, rows, docvars):
            self.rows, self.docvars = rows, docvars

    calls = []

    def count_terms(corpus, *, by, lower, numbers, stopwords):
        calls.append((by, lower, numbers, stopwords))
        frame = pd.DataFrame(corpus.rows, columns=["doc_id", "term", "count"])
        if by != "doc":
            frame = frame.merge(corpus.docvars, on="doc_id").rename(columns={by: "group"})
            frame = frame.groupby(["group", "term"], as_index=False)["count"].sum()
            return frame.rename(columns={"group": "unit"})[["unit", "term", "count"]]
        return frame.rename(columns={"doc_id": "unit"})

    monkeypatch.setitem(sys.modules, "textlab.corpus", types.SimpleNamespace(Corpus=Corpus))
    monkeypatch.setitem(sys.modules, "textlab.tokenize", types.SimpleNamespace(count_terms=count_terms))
    docvars = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "side": ["cn", "cn", "us"]})
    corpus = Corpus([("d1", "a", 2), ("d2", "a", 1), ("d2", "b", 4), ("d3", "b", 5), ("d3", "c", 1)], docvars)
    res = keyness(corpus, pd.Series({"a": 1, "c": 3}))
    expected = keyness(pd.Series({"a": 3, "b": 9, "c": 1}), pd.Series({"a": 1, "c": 3}))
    pd.testing.assert_frame_equal(res, expected)
    assert calls[0] == ("doc", True, False, None)
    ovr = keyness_one_vs_rest(corpus, by="side")
    assert set(ovr["group"]) == {"cn", "us"} and calls[-1][0] == "side"


# -------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("options", "message"), [
    ({"min_freq": 0}, "The 'min_freq' parameter of keyness must be an int >= 1; got 0."),
    ({"min_freq": 1.5}, "The 'min_freq' parameter of keyness must be an int >= 1; got 1.5."),
    ({"sort_by": "p"}, "The 'sort_by' parameter of keyness must be one of"),
    ({"correction": "holm"}, "The 'correction' parameter of keyness must be one of 'bh', 'by'; got 'holm'."),
    ({"zero_adjust": 0}, "The 'zero_adjust' parameter of keyness must be a float > 0; got 0."),
    ({"zero_adjust": True}, "The 'zero_adjust' parameter of keyness must be a float > 0; got True."),
    ({"total_target": 2}, "The 'total_target' parameter of keyness must be at least the sum of the counts (3); got 2."),
    ({"total_reference": "10"}, "The 'total_reference' parameter of keyness must be an int >= 1; got '10'."),
])
def test_bad_options_raise_parameter_error(options, message):
    with pytest.raises(ParameterError) as err:
        keyness(pd.Series({"a": 3}), pd.Series({"a": 1}), **options)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(("target", "fragment"), [
    ([("a", 1)], "The 'target' parameter of keyness must be a pandas Series of term counts, "
                 "a DataFrame with columns unit, term, count, or a Corpus; got list."),
    ({"a": 1}, "got dict."),
    (pd.Series({"a": -1}), "The 'target' parameter of keyness must hold counts >= 0"),
    (pd.Series({"a": 1.5}), "The 'target' parameter of keyness must hold whole-number counts"),
    (pd.Series({"a": np.nan}), "The 'target' parameter of keyness must hold whole-number counts"),
    (pd.Series({"a": "3"}), "The 'target' parameter of keyness must hold integer counts"),
    (pd.Series([1, 2], index=[1, 2]), "The 'target' parameter of keyness must have str terms"),
    (pd.DataFrame({"term": ["a"], "count": [1]}), "The 'target' parameter of keyness must have columns unit, term, "
                                                   "count; missing unit."),
])
def test_bad_inputs_name_the_parameter(target, fragment):
    with pytest.raises(ParameterError) as err:
        keyness(target, pd.Series({"a": 1}))
    assert fragment in str(err.value)


def test_zero_total_side_is_named():
    empty = pd.Series([], dtype=np.int64)
    with pytest.raises(ParameterError, match="The 'reference' parameter of keyness must contain at least one token"):
        keyness(pd.Series({"a": 1}), empty)
    with pytest.raises(ParameterError, match="The 'target' parameter of keyness must contain at least one token"):
        keyness(pd.Series({"a": 0}), pd.Series({"a": 2}))
    with pytest.raises(ParameterError, match="'target' parameter of fightin_words must contain at least one token"):
        fightin_words(empty, pd.Series({"a": 2, "b": 1}))


# ---------------------------------------------------------------- one vs the rest
GROUPED = pd.DataFrame({
    "unit": ["cn", "cn", "cn", "us", "us", "us", "eu", "eu"],
    "term": ["win-win", "the", "standards", "the", "dependency", "standards", "the", "standards"],
    "count": [8, 50, 4, 60, 9, 3, 40, 6],
})


def test_one_vs_rest_equals_keyness_against_pooled_rest():
    res = keyness_one_vs_rest(GROUPED, min_freq=2)
    assert tuple(res.columns) == ("group", *KEYNESS_COLUMNS)
    assert list(pd.unique(res["group"])) == ["cn", "eu", "us"]
    for group in ("cn", "eu", "us"):
        mine = GROUPED[GROUPED["unit"] == group]
        rest = GROUPED[GROUPED["unit"] != group]
        expected = keyness(mine, rest, min_freq=2)
        got = res[res["group"] == group].drop(columns="group").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_one_vs_rest_by_mapping_and_column():
    docs = GROUPED.assign(unit=[f"d{i}" for i in range(8)], side=GROUPED["unit"])
    mapping = dict(zip(docs["unit"], docs["side"]))
    by_map = keyness_one_vs_rest(docs[["unit", "term", "count"]], by=mapping)
    by_col = keyness_one_vs_rest(docs, by="side")
    plain = keyness_one_vs_rest(GROUPED)
    pd.testing.assert_frame_equal(by_map, plain)
    pd.testing.assert_frame_equal(by_col, plain)


def test_one_vs_rest_errors():
    with pytest.raises(GroupError, match="at least two groups"):
        keyness_one_vs_rest(GROUPED[GROUPED["unit"] == "cn"])
    with pytest.raises(GroupError, match="gives no group for unit"):
        keyness_one_vs_rest(GROUPED, by={"cn": "a"})
    with pytest.raises(GroupError, match="'side', which is not a column"):
        keyness_one_vs_rest(GROUPED, by="side")
    with pytest.raises(ParameterError, match="The 'counts' parameter of keyness_one_vs_rest must be a DataFrame"):
        keyness_one_vs_rest(pd.Series({"a": 1}))
    with pytest.raises(ParameterError, match="The 'by' parameter of keyness_one_vs_rest must be None"):
        keyness_one_vs_rest(GROUPED, by=3)
    with pytest.raises(GroupError, match="has no tokens"):
        keyness_one_vs_rest(GROUPED.assign(count=np.where(GROUPED["unit"] == "eu", 0, GROUPED["count"])))


# ---------------------------------------------------------------- Fightin' Words
def test_fightin_words_by_hand_pooled_prior():
    # Monroe, Colaresi & Quinn (2008), eq. 16 (delta) and 18-22 (variance, z), with the
    # default prior alpha_w = pooled counts. Target: a=3, b=1 (n_i = 4); reference:
    # a=1, b=5 (n_j = 6). alpha_a = 4, alpha_b = 6, alpha_0 = 10.
    res = fightin_words(pd.Series({"a": 3, "b": 1}), pd.Series({"a": 1, "b": 5})).set_index("term")
    n_i, n_j, a0 = 4, 6, 10
    # term a: y_i = 3, y_j = 1, alpha = 4
    delta_a = math.log((3 + 4) / (n_i + a0 - 3 - 4)) - math.log((1 + 4) / (n_j + a0 - 1 - 4))
    var_a = 1 / (3 + 4) + 1 / (1 + 4)
    assert delta_a == pytest.approx(math.log(7 / 7) - math.log(5 / 11))
    assert res.loc["a", "log_odds_ratio"] == pytest.approx(delta_a, rel=1e-12)
    assert res.loc["a", "variance"] == pytest.approx(var_a, rel=1e-12)
    assert res.loc["a", "z"] == pytest.approx(delta_a / math.sqrt(var_a), rel=1e-12)
    # term b: y_i = 1, y_j = 5, alpha = 6
    delta_b = math.log((1 + 6) / (n_i + a0 - 1 - 6)) - math.log((5 + 6) / (n_j + a0 - 5 - 6))
    assert res.loc["b", "log_odds_ratio"] == pytest.approx(delta_b, rel=1e-12)
    assert res.loc["b", "z"] == pytest.approx(delta_b / math.sqrt(1 / 7 + 1 / 11), rel=1e-12)
    assert res.index.tolist() == ["a", "b"]  # sorted by z descending
    assert res.loc["a", "direction"] == "target" and res.loc["b", "direction"] == "reference"


def test_fightin_words_prior_scale_and_background_prior():
    target, reference = pd.Series({"a": 3, "b": 1}), pd.Series({"a": 1, "b": 5, "c": 2})
    # prior_scale: alpha_w = pooled * 2 / 12 -> a: 4/6, b: 1, c: 2/6; alpha_0 = 2
    res = fightin_words(target, reference, prior_scale=2).set_index("term")
    alpha = 4 * 2 / 12
    delta = math.log((3 + alpha) / (4 + 2 - 3 - alpha)) - math.log((1 + alpha) / (8 + 2 - 1 - alpha))
    assert res.loc["a", "log_odds_ratio"] == pytest.approx(delta, rel=1e-12)
    # background prior: "c" missing -> 0.5; "zz" absent from both sides still adds to alpha_0
    background = pd.Series({"a": 10, "b": 20, "zz": 70})
    res = fightin_words(target, reference, prior=background).set_index("term")
    a0 = 10 + 20 + 0.5 + 70
    delta_c = math.log((0 + 0.5) / (4 + a0 - 0 - 0.5)) - math.log((2 + 0.5) / (8 + a0 - 2 - 0.5))
    assert res.loc["c", "log_odds_ratio"] == pytest.approx(delta_c, rel=1e-12)
    assert res.loc["c", "variance"] == pytest.approx(1 / 0.5 + 1 / 2.5, rel=1e-12)
    assert "zz" not in res.index


def test_fightin_words_errors():
    with pytest.raises(ParameterError, match="at least two distinct terms"):
        fightin_words(pd.Series({"a": 3}), pd.Series({"a": 5}))
    with pytest.raises(ParameterError, match="The 'prior_scale' parameter of fightin_words must be a float > 0"):
        fightin_words(pd.Series({"a": 3, "b": 1}), pd.Series({"a": 5}), prior_scale=-1)
    with pytest.raises(ParameterError, match="The 'prior' parameter of fightin_words must be"):
        fightin_words(pd.Series({"a": 3, "b": 1}), pd.Series({"a": 5}), prior=[1, 2])


# ---------------------------------------------------------------------- performance
def test_fifty_thousand_terms_is_fast():
    rng = np.random.default_rng(3)
    terms = [f"w{i}" for i in range(50_000)]
    target = pd.Series(rng.integers(0, 200, 50_000), index=terms)
    reference = pd.Series(rng.integers(0, 200, 50_000), index=terms)
    start = time.perf_counter()
    res = keyness(target, reference)
    assert time.perf_counter() - start < 10  # ~0.5 s here; per-term scipy calls take ~20 s
    assert np.isfinite(res[NUMERIC].to_numpy(float)).all()
