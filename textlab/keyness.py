"""Keyness: which terms distinguish one set of texts from another.

Three verbs, each returning a DataFrame with fixed columns:

- :func:`keyness` compares a *target* with a *reference* and reports, per term,
  significance statistics (log-likelihood G2 in two forms, chi-square with and without
  Yates' correction, Fisher's exact test, BIC) and effect sizes (Log Ratio, %DIFF, PMI,
  odds ratio), with raw, Bonferroni and false-discovery-rate adjusted p-values.
- :func:`keyness_one_vs_rest` runs :func:`keyness` for every group against all the
  other groups pooled.
- :func:`fightin_words` gives Monroe, Colaresi & Quinn's (2008) log-odds ratio with an
  informative Dirichlet prior and its z-score.

Counts come as a ``pandas.Series`` of integer counts indexed by term, as a tidy
DataFrame with columns ``unit, term, count`` (summed over units), or as a
``textlab.corpus.Corpus`` (counted with ``textlab.tokenize.count_terms``, lower-cased,
numbers dropped, no stopword removal, so totals are all word tokens: ``Corpus.n_tokens``
and the frame rates count numbers too, so their totals can be a little larger).

Examples
--------
>>> import pandas as pd
>>> from textlab.keyness import keyness
>>> target = pd.Series({"dependency": 12, "standards": 5, "the": 60})
>>> reference = pd.Series({"dependency": 1, "standards": 6, "the": 80, "win-win": 9})
>>> res = keyness(target, reference)
>>> res[["term", "freq_target", "freq_reference", "g2", "direction"]].round(2)
         term  freq_target  freq_reference     g2  direction
0  dependency           12               1  13.55     target
1     win-win            0               9  10.60  reference
2         the           60              80   0.16  reference
3   standards            5               6   0.00     target
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import special, stats

from textlab.errors import GroupError, ParameterError, check_choice, check_int

__all__ = ["keyness", "keyness_one_vs_rest", "fightin_words"]

#: Columns of :func:`keyness`, always present and always in this order.
KEYNESS_COLUMNS = (
    "term", "freq_target", "freq_reference", "total_target", "total_reference",
    "g2", "g2_4term", "chi2", "chi2_yates", "log_ratio", "pct_diff", "bic", "pmi",
    "odds_ratio", "fisher_p", "p", "p_bonferroni", "q", "direction",
)
#: Columns :func:`keyness` can sort by (descending; ties by term ascending).
SORT_CHOICES = (
    "g2", "g2_4term", "chi2", "chi2_yates", "log_ratio", "pct_diff", "bic", "pmi",
    "odds_ratio", "term",
)
#: Columns of :func:`fightin_words`.
FIGHTIN_COLUMNS = (
    "term", "freq_target", "freq_reference", "log_odds_ratio", "variance", "z", "direction",
)
#: Gabrielatos & Marchi (2012): normalised reference frequency used when it is zero.
PCT_DIFF_ZERO = 1e-18
#: Haldane-Anscombe correction added to every cell of a 2x2 table with a zero cell.
HALDANE = 0.5
#: Pseudo-count for terms that a user-supplied Fightin' Words prior does not contain.
PRIOR_FLOOR = 0.5
#: Relative tolerance for "as or less probable" tables in Fisher's exact test.
FISHER_REL_TOL = 1e-7
#: Columns of the tidy (long) counts frame accepted everywhere in textlab.
TIDY_COLUMNS = ("unit", "term", "count")

_COUNTS_KINDS = (
    "a pandas Series of term counts, a DataFrame with columns unit, term, count, or a Corpus"
)
_FISHER_CHUNK = 2_000_000  # hypergeometric support points handled per vectorised pass


# --------------------------------------------------------------------------- inputs
def _warn_languages(func: str, *corpora) -> None:
    """Warn when the corpora compared hold more than one language (words are not comparable)."""
    if not all(_is_corpus(c) for c in corpora):
        return
    try:  # as _is_corpus: this module also works beside a stand-in textlab.corpus
        from textlab.corpus import _warn_mixed_languages
    except ImportError:
        return
    unit = "target and reference" if len(corpora) == 2 else "the corpus"
    langs = [lang for c in corpora if "lang" in c.docvars.columns for lang in c.docvars["lang"].dropna()]
    _warn_mixed_languages(((unit, lang) for lang in langs), func)


def _is_corpus(obj) -> bool:
    """True if ``obj`` is a textlab Corpus (imported lazily; absent module -> False)."""
    try:
        from textlab.corpus import Corpus
    except ImportError:
        return False
    return isinstance(obj, Corpus)


def _count_corpus(corpus, by) -> pd.DataFrame:
    """Tidy ``unit, term, count`` counts of a Corpus via ``textlab.tokenize.count_terms``."""
    try:
        from textlab.tokenize import count_terms
    except ImportError as err:  # pragma: no cover - depends on the rest of the package
        raise ImportError(
            "Counting a Corpus needs textlab.tokenize.count_terms, which could not be imported."
        ) from err
    return count_terms(corpus, by=by, lower=True, numbers=False, stopwords=None)


def _check_terms(values, *, name: str, func: str) -> None:
    if len(values) and pd.isna(values).any():  # pandas' str dtype holds NaN and still infers "string"
        raise ParameterError(f"The {name!r} parameter of {func} has a missing (NaN) term; drop or name it.")
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) != "string":
        raise ParameterError(f"The {name!r} parameter of {func} must have str terms; got non-str labels.")


def _check_counts(values, *, name: str, func: str, labels=None) -> np.ndarray:
    """Return ``values`` as non-negative int64 counts or raise naming the parameter (and term)."""
    arr = np.asarray(values)

    def first(bad) -> str:
        i = int(np.flatnonzero(bad)[0])
        return f" (term {labels[i]!r}: {arr[i].item()!r})" if labels is not None else f" ({arr[i].item()!r})"

    numeric = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    if arr.dtype == bool or not numeric:
        raise ParameterError(f"The {name!r} parameter of {func} must hold integer counts; got dtype {arr.dtype}.")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise ParameterError(
                f"The {name!r} parameter of {func} must hold whole-number counts; got missing or fractional "
                f"values{first(bad)}."
            )
    if np.any(arr < 0):
        raise ParameterError(f"The {name!r} parameter of {func} must hold counts >= 0; got a negative count{first(arr < 0)}.")
    return arr.astype(np.int64)


def _check_tidy(frame: pd.DataFrame, *, name: str, func: str) -> pd.DataFrame:
    missing = [col for col in TIDY_COLUMNS if col not in frame.columns]
    if missing:
        raise ParameterError(
            f"The {name!r} parameter of {func} must have columns unit, term, count; missing {', '.join(missing)}."
        )
    _check_terms(frame["term"], name=name, func=func)
    if frame["unit"].isna().any():
        raise ParameterError(f"The {name!r} parameter of {func} has rows without a unit (NaN); drop or name them.")
    out = frame.copy()
    out["count"] = _check_counts(frame["count"], name=name, func=func, labels=frame["term"].to_numpy(object))
    return out


def _tidy_counts(obj, *, name: str, func: str, by="doc") -> pd.DataFrame:
    """Long ``unit, term, count`` counts (plus any extra columns) from a frame or Corpus."""
    if isinstance(obj, pd.DataFrame):
        return _check_tidy(obj, name=name, func=func)
    if _is_corpus(obj):
        return _check_tidy(_count_corpus(obj, by), name=name, func=func)
    kinds = "a DataFrame with columns unit, term, count, or a Corpus"
    raise ParameterError(f"The {name!r} parameter of {func} must be {kinds}; got {type(obj).__name__}.")


def _term_counts(obj, *, name: str, func: str) -> pd.Series:
    """Counts per term (str index, int64 values; duplicates summed) from any input shape."""
    if isinstance(obj, pd.Series):
        _check_terms(obj.index, name=name, func=func)
        counts = pd.Series(_check_counts(obj.to_numpy(), name=name, func=func, labels=obj.index), index=obj.index)
    elif isinstance(obj, pd.DataFrame) or _is_corpus(obj):
        tidy = _tidy_counts(obj, name=name, func=func)
        counts = pd.Series(tidy["count"].to_numpy(), index=tidy["term"].to_numpy())
    else:
        raise ParameterError(f"The {name!r} parameter of {func} must be {_COUNTS_KINDS}; got {type(obj).__name__}.")
    if counts.index.has_duplicates:
        counts = counts.groupby(level=0, sort=False).sum()
    return counts.astype(np.int64).rename_axis("term")


def _check_positive(value, *, name: str, func: str) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok and np.isfinite(value) and value > 0:
        return float(value)
    raise ParameterError(f"The {name!r} parameter of {func} must be a float > 0; got {value!r}.")


def _resolve_total(total, counts: pd.Series, *, name: str, func: str) -> int:
    observed = int(counts.sum())
    if total is None:
        return observed
    total = check_int(total, name=name, func=func, minimum=1)
    if total < observed:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be at least the sum of the counts ({observed}); got {total}."
        )
    return total


def _sorted_labels(labels) -> list:
    unique = list(pd.unique(pd.Series(labels, dtype=object)))
    try:
        return sorted(unique)
    except TypeError:
        return unique


def _unit_groups(tidy: pd.DataFrame, by, *, source, name: str, func: str) -> pd.Series:
    """Group label of every row of ``tidy`` (units mapped through ``by``)."""
    if isinstance(by, (Mapping, pd.Series)):
        mapping = pd.Series(by, dtype=object) if isinstance(by, Mapping) else by
        labels = tidy["unit"].map(mapping)
        unmapped = pd.unique(tidy.loc[labels.isna(), "unit"])
        if len(unmapped):
            shown = ", ".join(repr(u) for u in unmapped[:5])
            raise GroupError(f"The 'by' parameter of {func} gives no group for unit(s) {shown}.")
        return labels
    if isinstance(by, str):
        if by in tidy.columns and by not in TIDY_COLUMNS:
            labels = tidy[by]
        elif _is_corpus(source):
            docvars = source.docvars
            if by not in docvars.columns:
                raise GroupError(f"The 'by' parameter of {func} names {by!r}, which is not a docvar of the corpus.")
            labels = tidy["unit"].map(docvars.set_index("doc_id")[by])
        else:
            raise GroupError(
                f"The 'by' parameter of {func} names {by!r}, which is not a column of {name!r}."
            )
        if labels.isna().any():
            raise GroupError(f"The 'by' parameter of {func} names {by!r}, which has missing values.")
        return labels
    raise ParameterError(
        f"The 'by' parameter of {func} must be None, a docvar or column name, or a mapping unit -> group; "
        f"got {type(by).__name__}."
    )


# ---------------------------------------------------------------------- statistics
def _deviance_terms(obs: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """Per-cell ``O ln(O/E) - (O - E)``, with ``0 ln 0 = 0`` (so a zero cell gives ``E``).

    Summed over cells whose ``O - E`` add up to zero this is G2/2; the form is used
    because every term is >= 0 and ``log1p`` keeps it accurate when O is close to E.
    """
    out = exp.copy()
    pos = obs > 0
    o, e = obs[pos], exp[pos]
    out[pos] = o * np.log1p((o - e) / e) - (o - e)
    return out


def _fisher_two_sided(a: np.ndarray, b: np.ndarray, c: int, d: int) -> np.ndarray:
    """Two-sided Fisher exact p of the tables ``[[a, b], [c - a, d - b]]`` (vectorised).

    The conditional distribution of the upper-left cell given the margins is
    hypergeometric: ``P(x) ~ C(c, x) C(d, K - x)`` on ``max(0, K - d) <= x <= min(K, c)``
    with ``K = a + b``. It is built from the exact ratio
    ``P(x+1)/P(x) = (c - x)(K - x) / ((x + 1)(d - K + x + 1))`` in log space and
    normalised, and the p-value sums the tables no more probable than the observed one
    (relative tolerance ``FISHER_REL_TOL``, as in R's ``fisher.test``). Equal (a, b)
    pairs are computed once. Agrees with ``scipy.stats.fisher_exact`` (tested).

    A support wider than ``_FISHER_CHUNK`` points (counts in the millions) is cut to
    ``20 sqrt(K)`` on each side of the mean ``K c / (c + d)``: by Hoeffding's bound for
    sampling without replacement the mass beyond is below ``2 exp(-800)``, which is 0
    in floating point, so the p-value is unchanged, and an observed table out there gets
    the p-value 0 that the full sum would give. Memory stays bounded (it took gigabytes).
    """
    if a.size == 0:
        return np.empty(0)
    pairs = np.stack([a, b], axis=1)
    uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
    ua, ub = uniq[:, 0], uniq[:, 1]
    k = ua + ub
    lo = np.maximum(0, k - d)
    hi = np.minimum(k, c)
    wide = (hi - lo + 1) > _FISHER_CHUNK
    if wide.any():
        mean = k[wide] * (c / (c + d))
        half = np.ceil(20 * np.sqrt(k[wide]))
        lo[wide] = np.maximum(lo[wide], np.floor(mean - half).astype(np.int64))
        hi[wide] = np.minimum(hi[wide], np.ceil(mean + half).astype(np.int64))
    outside = (ua < lo) | (ua > hi)  # only in a cut support: the p-value underflows to 0
    ua = np.clip(ua, lo, hi)
    sizes = hi - lo + 1
    result = np.empty(len(uniq))
    start = 0
    while start < len(uniq):
        # take pairs until the chunk holds about _FISHER_CHUNK support points
        cum = np.cumsum(sizes[start:])
        stop = start + max(1, int(np.searchsorted(cum, _FISHER_CHUNK, side="right")))
        sl = slice(start, stop)
        result[sl] = _fisher_chunk(ua[sl], k[sl], lo[sl], sizes[sl], c, d)
        start = stop
    result[outside] = 0.0
    return np.minimum(result[inverse.ravel()], 1.0)


def _fisher_chunk(a, k, lo, sizes, c, d) -> np.ndarray:
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    seg = np.repeat(np.arange(len(sizes)), sizes)
    x = np.arange(sizes.sum()) - offsets[seg] + lo[seg]  # support point of each element
    kk = k[seg].astype(float)
    xf = x.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.log(c - xf) + np.log(kk - xf) - np.log(xf + 1) - np.log(d - kk + xf + 1)
    # The step out of a segment's last point is unused; putting minus the segment's sum
    # there brings the running sum back to ~0, so rounding does not drift across terms.
    last = offsets + sizes - 1
    step[last] = 0.0
    step[last] = -np.add.reduceat(step, offsets)
    # log P(x) - log P(lo) = sum of the log ratios below x, within each segment
    log_p = np.empty_like(step)
    log_p[0] = 0.0
    np.cumsum(step[:-1], out=log_p[1:])
    log_p -= log_p[offsets][seg]
    log_p -= np.maximum.reduceat(log_p, offsets)[seg]
    weight = np.exp(log_p)
    observed = weight[offsets + (a - lo)]
    extreme = weight <= observed[seg] * (1 + FISHER_REL_TOL)
    return np.add.reduceat(np.where(extreme, weight, 0.0), offsets) / np.add.reduceat(weight, offsets)


def _direction(a: np.ndarray, c: int, b: np.ndarray, d: int) -> np.ndarray:
    """``'target'`` where ``a/c > b/d``, ``'reference'`` where less, else ``'none'``, compared
    exactly as ``a*d`` against ``b*c`` (in float both can pass 2**53 and round equal)."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    if max(int(a.max(initial=0)), int(b.max(initial=0)), c, d) < 2**31:
        left, right = a * np.int64(d), b * np.int64(c)
    else:  # Python integers: exact at any size
        left, right = a.astype(object) * d, b.astype(object) * c
    return np.select([left > right, left < right], ["target", "reference"], "none")


def _measures(a: np.ndarray, b: np.ndarray, c: int, d: int, zero_adjust: float) -> dict:
    """Every per-term statistic of :func:`keyness` as float arrays (see its docstring)."""
    af, bf = a.astype(float), b.astype(float)
    n = float(c + d)
    k = af + bf                      # row margin: the term in both corpora
    rest = n - k                     # row margin: every other token
    e1, e2 = c * k / n, d * k / n    # expected a, b
    e3, e4 = c * rest / n, d * rest / n
    # Rayson & Garside (2000): G2 = 2 (a ln(a/E1) + b ln(b/E2))
    g2 = np.maximum(2 * (_deviance_terms(af, e1) + _deviance_terms(bf, e2)), 0.0)
    # Dunning (1993): G2 over all four cells a, b, c - a, d - b
    g2_4 = g2 + 2 * (_deviance_terms(c - af, e3) + _deviance_terms(d - bf, e4))
    g2_4 = np.maximum(g2_4, 0.0)
    # Pearson chi2 on the 2x2 table: every cell has |O - E| = |ad - bc| / N
    if max(c, d) < 2**31:
        dev = np.abs(a * d - b * c).astype(float) / n
    else:
        dev = np.abs(af * d - bf * c) / n
    inv = sum(np.divide(1.0, e, out=np.zeros_like(e), where=e > 0) for e in (e1, e2, e3, e4))
    chi2 = dev**2 * inv
    # Yates as in scipy.stats.chi2_contingency: |O - E| shrunk by min(0.5, |O - E|)
    chi2_yates = np.maximum(dev - 0.5, 0.0) ** 2 * inv
    # Hardie (2014) Log Ratio; a zero frequency counts as zero_adjust
    a_adj = np.where(a > 0, af, zero_adjust)
    b_adj = np.where(b > 0, bf, zero_adjust)
    # as log2(a d) - log2(b c): the products are exact, so equal rates give exactly 0
    log_ratio = np.log2(a_adj * d) - np.log2(b_adj * c)
    # Gabrielatos & Marchi (2012) %DIFF; a zero reference frequency counts as 1e-18
    rate_t, rate_r = af / c, bf / d
    pct_diff = 100 * (rate_t - rate_r) / np.where(b > 0, rate_r, PCT_DIFF_ZERO)
    # Wilson (2013): BIC approximation, df = 1, N = all tokens of both corpora
    bic = g2 - np.log(n)
    # PMI of term and target: log2(P(term, target) / (P(term) P(target)))
    pmi = np.log2(a_adj * n) - np.log2(k * c)
    # odds ratio, Haldane-Anscombe: add 0.5 to every cell when any cell is zero
    cells = np.stack([af, bf, c - af, d - bf])
    cells = cells + HALDANE * (cells == 0).any(axis=0)
    odds_ratio = (cells[0] * cells[3]) / (cells[1] * cells[2])
    return {
        "g2": g2, "g2_4term": g2_4, "chi2": chi2, "chi2_yates": chi2_yates,
        "log_ratio": log_ratio, "pct_diff": pct_diff, "bic": bic, "pmi": pmi,
        "odds_ratio": odds_ratio, "direction": _direction(a, c, b, d),
    }


def _order(terms: np.ndarray, values: np.ndarray | None) -> np.ndarray:
    """Row order: ``values`` descending, ties by term ascending (terms need not be sorted).

    Values equal to 12 significant digits tie: equal frequency ratios reached by
    different counts (15/1000 vs 3/3000 and 5/1000 vs 1/3000) differ in the last bits.
    """
    by_term = np.argsort(terms, kind="stable")
    if values is None:
        return by_term
    mantissa, exponent = np.frexp(np.asarray(values, float))
    key = np.ldexp(np.round(mantissa * 2.0**40), exponent)  # 40 bits: about 12 digits
    return by_term[np.argsort(-key[by_term], kind="stable")]


def _keyness_table(tgt, ref, c, d, *, sort_by, min_freq, correction, zero_adjust) -> pd.DataFrame:
    terms = tgt.index.union(ref.index)
    a = tgt.reindex(terms, fill_value=0).to_numpy(np.int64)
    b = ref.reindex(terms, fill_value=0).to_numpy(np.int64)
    keep = (a + b) >= min_freq
    terms = np.asarray(terms[keep], dtype=object)
    a, b = a[keep], b[keep]
    m = _measures(a, b, c, d, zero_adjust)
    p = special.chdtrc(1, m["g2"])  # = scipy.stats.chi2.sf(g2, 1)
    q = stats.false_discovery_control(p, method=correction) if p.size else np.empty(0)
    columns = {
        "term": terms, "freq_target": a, "freq_reference": b,
        "total_target": np.full(a.size, c, dtype=np.int64),
        "total_reference": np.full(a.size, d, dtype=np.int64),
        **{key: m[key] for key in SORT_CHOICES if key != "term"},
        "fisher_p": _fisher_two_sided(a, b, c, d),
        "p": p, "p_bonferroni": np.minimum(1.0, p * p.size), "q": q,
        "direction": m["direction"],
    }
    order = _order(terms, None if sort_by == "term" else columns[sort_by])
    return _frame(columns, order, KEYNESS_COLUMNS)


def _frame(columns: dict, order: np.ndarray, names) -> pd.DataFrame:
    """DataFrame of ``columns`` in row ``order``; ``term`` and ``direction`` as str dtype."""
    data = {}
    for key in names:
        values = np.asarray(columns[key])[order]
        if key in ("term", "direction"):
            values = pd.array(values.astype(object), dtype="str")
        data[key] = values
    return pd.DataFrame(data)


# ------------------------------------------------------------------------ public API
def keyness(
    target,
    reference,
    *,
    sort_by: str = "g2",
    min_freq: int = 1,
    correction: str = "bh",
    zero_adjust: float = 0.5,
    total_target: int | None = None,
    total_reference: int | None = None,
) -> pd.DataFrame:
    """Keyness of every term in ``target`` relative to ``reference``.

    Each term is a 2x2 table: ``a`` = its frequency in the target, ``b`` in the
    reference, ``c`` and ``d`` the target and reference totals (cells ``a, b, c - a,
    d - b``; ``N = c + d``). All measures are always computed.

    Parameters
    ----------
    target, reference : Series, DataFrame or Corpus
        Counts of each side: a Series of integer counts indexed by term, a tidy
        DataFrame with columns ``unit, term, count`` (summed over units), or a
        ``textlab.corpus.Corpus`` (counted lower-cased, without numbers, stopwords
        kept). Duplicate terms are summed.
    sort_by : {'g2', 'g2_4term', 'chi2', 'chi2_yates', 'log_ratio', 'pct_diff', \
'bic', 'pmi', 'odds_ratio', 'term'}, default='g2'
        Rows are sorted by this column descending, ties by term ascending
        (``'term'``: by term ascending). G2 and chi2 are unsigned, so the top rows hold
        the strongest keys of *either* side; read ``direction`` or sort by
        ``log_ratio`` to separate them.
    min_freq : int, default=1
        Keep terms whose combined frequency ``a + b`` is at least this.
    correction : {'bh', 'by'}, default='bh'
        False-discovery-rate method for ``q`` (Benjamini-Hochberg, or
        Benjamini-Yekutieli for dependent tests), via
        ``scipy.stats.false_discovery_control``.
    zero_adjust : float, default=0.5
        Frequency used in place of a zero frequency in ``log_ratio`` and ``pmi``
        (0.5 is Hardie's convention).
    total_target, total_reference : int, optional
        Corpus sizes, when they differ from the sums of the counts (e.g. counts with
        stopwords removed, or of selected terms only, while the totals should be all
        tokens). Must be at least the sum of the counts. Default: the sums.

    Returns
    -------
    DataFrame
        One row per term present in either side with ``a + b >= min_freq``. Columns,
        always in this order:

        - ``term`` (str), ``freq_target`` (a), ``freq_reference`` (b),
          ``total_target`` (c), ``total_reference`` (d): int.
        - ``g2``: log-likelihood of Rayson & Garside (2000),
          ``2 (a ln(a/E1) + b ln(b/E2))`` with ``E1 = c (a + b) / N``,
          ``E2 = d (a + b) / N``; ``0 ln 0 = 0``.
        - ``g2_4term``: Dunning's (1993) G2 over the four cells of the 2x2 table
          (equals ``scipy.stats.chi2_contingency(..., lambda_='log-likelihood')``).
        - ``chi2``, ``chi2_yates``: Pearson's chi-square on the 2x2 table, without and
          with Yates' correction (as ``scipy.stats.chi2_contingency``: each
          ``|O - E|`` is reduced by ``min(0.5, |O - E|)``). Cells with ``E = 0``
          (a term making up all of both corpora) contribute 0.
        - ``log_ratio``: Hardie (2014), ``log2((a / c) / (b / d))`` with a zero ``a``
          or ``b`` replaced by ``zero_adjust``. Positive: more frequent in the target.
          With a zero cell the sign can disagree with ``direction`` when the other
          side's relative frequency is below ``zero_adjust`` / its total.
        - ``pct_diff``: Gabrielatos & Marchi (2012) %DIFF,
          ``100 (a/c - b/d) / (b/d)``; when ``b = 0`` the denominator is ``1e-18``
          (their convention), giving a finite but huge value (at most ``1e20``) that
          flags "absent from the reference". -100 means absent from the target.
        - ``bic``: Wilson (2013), ``g2 - ln(N)`` (df = 1). Above 0: some evidence
          of a difference, above 2 positive, above 6 strong, above 10 very strong.
        - ``pmi``: ``log2(a N / ((a + b) c))``, the pointwise mutual information of
          the term and the target; ``a = 0`` is replaced by ``zero_adjust``.
        - ``odds_ratio``: ``a (d - b) / (b (c - a))``; if any of the four cells is 0,
          0.5 is added to all four (Haldane-Anscombe). Always finite and > 0.
        - ``fisher_p``: two-sided Fisher exact p of ``[[a, b], [c - a, d - b]]``
          (agrees with ``scipy.stats.fisher_exact``; tables as or less probable than
          the observed one, relative tolerance 1e-7).
        - ``p``: ``scipy.stats.chi2.sf(g2, 1)``; ``p_bonferroni``: ``min(1, p m)``;
          ``q``: FDR-adjusted ``p`` by ``correction``; ``m`` = number of rows. A p-value
          below the smallest double (about 1e-308; ``g2`` above about 1,420) is 0.0,
          as in scipy, so rank very strong keys by ``g2``, not ``p``; so is ``fisher_p``.
        - ``direction``: ``'target'`` if ``a/c > b/d``, ``'reference'`` if less,
          ``'none'`` if equal (compared exactly, as ``a d`` against ``b c``).

        No value is infinite or NaN. If both inputs are empty the frame is empty with
        these columns.

    Raises
    ------
    ParameterError
        A bad option, an unsupported input type, non-integer or negative counts, or a
        side with no tokens while the other has some (the message names the side).

    See Also
    --------
    keyness_one_vs_rest : every group against the rest.
    fightin_words : log-odds ratio with an informative Dirichlet prior.

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and
    coincidence. Computational Linguistics 19(1), 61-74.

    Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
    Proceedings of the Workshop on Comparing Corpora (ACL 2000), 1-6.

    Gabrielatos, C. & Marchi, A. (2012). Keyness: Appropriate metrics and practical
    issues. CADS International Conference, University of Bologna.

    Wilson, A. (2013). Embracing Bayes factors for key item analysis in corpus
    linguistics. In New Approaches to the Study of Linguistic Variability, 3-11.
    Peter Lang.

    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus
    Approaches to Social Science (CASS), Lancaster University.

    Examples
    --------
    The worked example of the UCREL log-likelihood wizard: 52 in 50,000 tokens against
    57 in 75,000 tokens gives LL = 2.65, more frequent in corpus 1.

    >>> import pandas as pd
    >>> res = keyness(pd.Series({"word": 52}), pd.Series({"word": 57}),
    ...               total_target=50_000, total_reference=75_000)
    >>> res.loc[0, ["g2", "log_ratio", "p"]].astype(float).round(3).tolist()
    [2.652, 0.453, 0.103]
    >>> res.loc[0, "direction"]
    'target'
    """
    func = "keyness"
    check_choice(sort_by, SORT_CHOICES, name="sort_by", func=func)
    min_freq = check_int(min_freq, name="min_freq", func=func, minimum=1)
    check_choice(correction, ("bh", "by"), name="correction", func=func)
    zero_adjust = _check_positive(zero_adjust, name="zero_adjust", func=func)
    _warn_languages(func, target, reference)
    tgt = _term_counts(target, name="target", func=func)
    ref = _term_counts(reference, name="reference", func=func)
    c = _resolve_total(total_target, tgt, name="total_target", func=func)
    d = _resolve_total(total_reference, ref, name="total_reference", func=func)
    if c == 0 and d == 0:
        tgt = ref = pd.Series([], dtype=np.int64)
        c = d = 1  # nothing to compare: an empty frame with the documented columns
    for side, total in (("target", c), ("reference", d)):
        if total == 0:
            raise ParameterError(f"The {side!r} parameter of {func} must contain at least one token; got a total of 0.")
    return _keyness_table(
        tgt, ref, c, d, sort_by=sort_by, min_freq=min_freq, correction=correction, zero_adjust=zero_adjust
    )


def keyness_one_vs_rest(
    counts,
    *,
    by=None,
    sort_by: str = "g2",
    min_freq: int = 1,
    correction: str = "bh",
    zero_adjust: float = 0.5,
) -> pd.DataFrame:
    """Keyness of each group against all the other groups pooled.

    Parameters
    ----------
    counts : DataFrame or Corpus
        Tidy counts with columns ``unit, term, count``, or a ``textlab.corpus.Corpus``.
    by : None, str or mapping, default=None
        How units form groups. ``None``: each unit is a group (for a Corpus, each
        document). A str: a docvar of the Corpus (counted with
        ``count_terms(corpus, by=by)``) or an extra column of the counts frame. A
        mapping or Series: unit -> group.
    sort_by, min_freq, correction, zero_adjust
        As in :func:`keyness`, applied to every group. The multiple-testing
        corrections are made within each group (m = that group's rows).

    Returns
    -------
    DataFrame
        ``group`` followed by the columns of :func:`keyness`, the group's rows
        contiguous, groups in sorted order. ``total_reference`` is the size of all
        other groups together. Empty counts give an empty frame with these columns.

    Raises
    ------
    GroupError
        Fewer than two groups, a unit without a group, or a group without tokens.
    ParameterError
        Bad options or input type.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({
    ...     "unit": ["cn", "cn", "cn", "us", "us", "us", "eu", "eu"],
    ...     "term": ["win-win", "the", "standards", "the", "dependency", "standards",
    ...              "the", "standards"],
    ...     "count": [8, 50, 4, 60, 9, 3, 40, 6]})
    >>> res = keyness_one_vs_rest(counts)
    >>> res[["group", "term", "freq_target", "freq_reference", "direction"]].head(3)
      group        term  freq_target  freq_reference  direction
    0    cn     win-win            8               0     target
    1    cn  dependency            0               9  reference
    2    cn         the           50             100  reference
    """
    func = "keyness_one_vs_rest"
    check_choice(sort_by, SORT_CHOICES, name="sort_by", func=func)
    min_freq = check_int(min_freq, name="min_freq", func=func, minimum=1)
    check_choice(correction, ("bh", "by"), name="correction", func=func)
    zero_adjust = _check_positive(zero_adjust, name="zero_adjust", func=func)
    if _is_corpus(counts) and (by is None or isinstance(by, str)):
        _warn_languages(func, counts)
        tidy = _tidy_counts(counts, name="counts", func=func, by="doc" if by is None else by)
        labels = tidy["unit"]
    else:
        tidy = _tidy_counts(counts, name="counts", func=func)
        labels = tidy["unit"] if by is None else _unit_groups(tidy, by, source=counts, name="counts", func=func)
    tidy = pd.DataFrame({"group": labels.to_numpy(), "term": tidy["term"].to_numpy(),
                         "count": tidy["count"].to_numpy()})
    if tidy.empty:
        empty = _keyness_table(pd.Series([], dtype=np.int64), pd.Series([], dtype=np.int64), 1, 1,
                               sort_by=sort_by, min_freq=min_freq, correction=correction, zero_adjust=zero_adjust)
        empty.insert(0, "group", pd.Series([], dtype=object))
        return empty
    groups = _sorted_labels(tidy["group"])
    if len(groups) < 2:
        raise GroupError(f"The 'counts' parameter of {func} must have at least two groups; got {len(groups)}.")
    table = tidy.groupby(["group", "term"], sort=False)["count"].sum()
    totals = tidy.groupby("group", sort=False)["count"].sum()
    empty = [g for g in groups if totals[g] == 0]
    if empty:
        raise GroupError(f"Group {empty[0]!r} of {func} has no tokens.")
    pooled = table.groupby(level="term").sum()
    frames = []
    for group in groups:
        tgt = table.xs(group, level="group")
        ref = pooled.sub(tgt, fill_value=0).astype(np.int64)
        res = _keyness_table(
            tgt, ref, int(totals[group]), int(totals.sum() - totals[group]),
            sort_by=sort_by, min_freq=min_freq, correction=correction, zero_adjust=zero_adjust,
        )
        res.insert(0, "group", pd.Series([group] * len(res), dtype=object))
        frames.append(res)
    return pd.concat(frames, ignore_index=True)


def fightin_words(target, reference, *, prior=None, prior_scale: float | None = None) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    With ``y`` the term's counts, ``n`` the side totals (``i`` = target, ``j`` =
    reference) and ``alpha_w`` the prior pseudo-count of the term (``alpha_0`` their
    sum), equation 16 of the paper gives

    ``delta = ln((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - ln((y_j + a_w) / (n_j + a_0 - y_j - a_w))``

    and equations 18-22 its approximate variance
    ``1 / (y_i + a_w) + 1 / (y_j + a_w)`` and z-score ``delta / sqrt(variance)``.

    Parameters
    ----------
    target, reference : Series, DataFrame or Corpus
        Counts of each side, as in :func:`keyness`.
    prior : Series, DataFrame or Corpus, optional
        Background counts giving ``alpha_w``. Default: the pooled counts of target and
        reference (``alpha_w = y_i + y_j``). Terms of the prior absent from both sides
        still add to ``alpha_0``; terms of the sides absent from (or zero in) a
        supplied prior get a pseudo-count of 0.5 so every ``alpha_w > 0``.
    prior_scale : float, optional
        If given, the prior is rescaled so that ``alpha_0 = prior_scale`` (a weaker or
        stronger prior with the same shape). Default ``None``: the counts are used as
        they are, as Monroe et al. do with their background corpus.

    Returns
    -------
    DataFrame
        One row per term with a count in either side, sorted by ``z`` descending (ties
        by term ascending), columns ``term, freq_target, freq_reference,
        log_odds_ratio`` (delta, natural log), ``variance``, ``z``, ``direction``
        (``'target'``/``'reference'``/``'none'`` by comparing ``y_i / n_i`` with
        ``y_j / n_j``; with the default prior, scaled or not, the sign of ``z``
        always agrees). No value is infinite or NaN; both inputs empty gives an
        empty frame with these columns.

    Raises
    ------
    ParameterError
        Bad options or input, a side with no tokens while the other has some, or
        fewer than two distinct terms (delta is then undefined).

    References
    ----------
    Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: Lexical
    feature selection and evaluation for identifying the content of political
    conflict. Political Analysis 16(4), 372-403.

    Examples
    --------
    >>> import pandas as pd
    >>> target = pd.Series({"dependency": 12, "standards": 5, "the": 60})
    >>> reference = pd.Series({"dependency": 1, "standards": 6, "the": 80, "win-win": 9})
    >>> res = fightin_words(target, reference)
    >>> res[["term", "log_odds_ratio", "z", "direction"]].round(3)
             term  log_odds_ratio      z  direction
    0  dependency           0.705  2.112     target
    1   standards           0.013  0.039     target
    2         the          -0.116 -1.182  reference
    3     win-win          -0.652 -1.598  reference
    """
    func = "fightin_words"
    if prior_scale is not None:
        prior_scale = _check_positive(prior_scale, name="prior_scale", func=func)
    _warn_languages(func, target, reference)
    tgt = _term_counts(target, name="target", func=func)
    ref = _term_counts(reference, name="reference", func=func)
    background = None if prior is None else _term_counts(prior, name="prior", func=func)
    n_i, n_j = int(tgt.sum()), int(ref.sum())
    if n_i == 0 and n_j == 0:
        none = np.empty(0, dtype=np.int64)
        columns = {"term": np.empty(0, dtype=object), "freq_target": none, "freq_reference": none,
                   "log_odds_ratio": np.empty(0), "variance": np.empty(0), "z": np.empty(0),
                   "direction": np.empty(0, dtype=object)}
        return _frame(columns, none, FIGHTIN_COLUMNS)
    for side, total in (("target", n_i), ("reference", n_j)):
        if total == 0:
            raise ParameterError(f"The {side!r} parameter of {func} must contain at least one token; got a total of 0.")
    vocab = tgt.index.union(ref.index)
    y_i = tgt.reindex(vocab, fill_value=0).to_numpy(np.int64)
    y_j = ref.reindex(vocab, fill_value=0).to_numpy(np.int64)
    seen = (y_i + y_j) > 0
    vocab, y_i, y_j = np.asarray(vocab[seen], dtype=object), y_i[seen], y_j[seen]
    if background is None:
        alpha = (y_i + y_j).astype(float)
        extra = np.empty(0)
    else:
        alpha = background.reindex(vocab, fill_value=0).to_numpy(float)
        alpha[alpha == 0] = PRIOR_FLOOR
        extra = background[~background.index.isin(vocab)].to_numpy(float)
        extra = extra[extra > 0]
    if vocab.size + extra.size < 2:
        raise ParameterError(
            f"The 'target' and 'reference' parameters of {func} must contain at least two distinct terms "
            f"(with the prior); got {vocab.size + extra.size}."
        )
    alpha_0 = alpha.sum() + extra.sum()
    if prior_scale is not None:
        alpha = alpha * (prior_scale / alpha_0)
        alpha_0 = prior_scale
    odds_i = np.log(y_i + alpha) - np.log(n_i + alpha_0 - y_i - alpha)
    odds_j = np.log(y_j + alpha) - np.log(n_j + alpha_0 - y_j - alpha)
    delta = odds_i - odds_j
    variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    z = delta / np.sqrt(variance)
    columns = {
        "term": vocab, "freq_target": y_i, "freq_reference": y_j, "log_odds_ratio": delta,
        "variance": variance, "z": z, "direction": _direction(y_i, n_i, y_j, n_j),
    }
    return _frame(columns, _order(vocab, z), FIGHTIN_COLUMNS)

