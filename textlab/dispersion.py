"""Dispersion: how evenly each term is spread over the parts of a corpus.

:func:`dispersion` reports, per term, its frequency, range (parts containing it),
Juilland's D and Gries' DP with its normalisation by Lijffijt & Gries (2012). Parts are
the units of tidy ``unit, term, count`` counts (usually documents); ``by`` splits the
parts into groups (e.g. the two sides of a comparison) and measures dispersion within
each.

Examples
--------
Gries' toy corpus (five parts of 9, 10, 10, 10 and 11 words; ``a`` occurs 1, 2, 3, 4
and 5 times):

>>> import pandas as pd
>>> from textlab.dispersion import dispersion
>>> counts = pd.DataFrame({
...     "unit": ["p1", "p1", "p2", "p2", "p3", "p3", "p4", "p4", "p5", "p5"],
...     "term": ["a", "other", "a", "other", "a", "other", "a", "other", "a", "other"],
...     "count": [1, 8, 2, 8, 3, 7, 4, 6, 5, 6]})
>>> dispersion(counts, terms=["a"]).round(3)
  term  frequency  range  n_parts  juilland_d    dp  dp_norm
0    a         15      5        5       0.785  0.18     0.22
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from textlab.errors import (
    EmptyDocumentWarning,
    GroupError,
    NoMatchWarning,
    ParameterError,
    SmallSampleWarning,
    check_int,
)
from textlab.keyness import (
    _check_counts,
    _is_corpus,
    _sorted_labels,
    _tidy_counts,
    _unit_groups,
)

__all__ = ["dispersion"]

#: Columns of :func:`dispersion` (``group`` comes first when ``by`` is given).
DISPERSION_COLUMNS = ("term", "frequency", "range", "n_parts", "juilland_d", "dp", "dp_norm")

_DTYPES = {
    "group": object, "term": "str", "frequency": np.int64, "range": np.int64,
    "n_parts": np.int64, "juilland_d": float, "dp": float, "dp_norm": float,
}


def _requested_terms(terms, *, func: str) -> list[str] | None:
    if terms is None:
        return None
    if isinstance(terms, str):
        return [terms]
    if isinstance(terms, (pd.Series, pd.Index, np.ndarray, list, tuple, set, frozenset)):
        listed = list(terms)
        if all(isinstance(t, str) for t in listed):
            return listed
    raise ParameterError(f"The 'terms' parameter of {func} must be a str or a list of str; got {type(terms).__name__}.")


def _part_sizes(tidy: pd.DataFrame, part_sizes, *, func: str) -> pd.Series:
    """Size of every part: the per-unit sums of ``count``, or the given ``part_sizes``."""
    observed = tidy.groupby("unit", sort=False)["count"].sum()
    if part_sizes is None:
        return observed
    if not isinstance(part_sizes, pd.Series):
        raise ParameterError(
            f"The 'part_sizes' parameter of {func} must be a pandas Series unit -> size; "
            f"got {type(part_sizes).__name__}."
        )
    sizes = pd.Series(_check_counts(part_sizes.to_numpy(), name="part_sizes", func=func), index=part_sizes.index)
    if sizes.index.has_duplicates:
        raise ParameterError(f"The 'part_sizes' parameter of {func} must list each unit once; got duplicates.")
    missing = observed.index.difference(sizes.index)
    if len(missing):
        shown = ", ".join(repr(u) for u in missing[:5])
        raise ParameterError(f"The 'part_sizes' parameter of {func} has no size for unit(s) {shown}.")
    short = observed.index[sizes.reindex(observed.index).to_numpy() < observed.to_numpy()]
    if len(short):
        raise ParameterError(
            f"The 'part_sizes' parameter of {func} must be at least each unit's total count; "
            f"got less for unit {short[0]!r}."
        )
    return sizes


def _group_dispersion(rows: pd.DataFrame, sizes: pd.Series) -> pd.DataFrame:
    """Dispersion of every term in ``rows`` (count > 0) over the parts in ``sizes``."""
    n = len(sizes)
    share = sizes / sizes.sum()                          # s_i: the part's share of the corpus
    part_share = share.reindex(rows["unit"]).to_numpy()
    rate = rows["count"].to_numpy() / sizes.reindex(rows["unit"]).to_numpy()  # p_i = v_i / size_i
    term_codes, terms = pd.factorize(rows["term"], sort=True)
    count = rows["count"].to_numpy(float)
    frequency = np.bincount(term_codes, weights=count, minlength=len(terms))
    parts_with = np.bincount(term_codes, minlength=len(terms))
    # DP = 0.5 * sum_i |v_i/f - s_i|; parts without the term contribute s_i each
    observed_share = count / frequency[term_codes]
    diff_present = np.bincount(term_codes, weights=np.abs(observed_share - part_share), minlength=len(terms))
    share_present = np.bincount(term_codes, weights=part_share, minlength=len(terms))
    if n > 1:
        dp = 0.5 * (diff_present + np.maximum(1.0 - share_present, 0.0))
        dp_norm = np.clip(dp / (1.0 - share.min()), 0.0, 1.0)
        # Juilland's D on p_i, population SD over all n parts (zeros included)
        mean = np.bincount(term_codes, weights=rate, minlength=len(terms)) / n
        squares = np.bincount(term_codes, weights=(rate - mean[term_codes]) ** 2, minlength=len(terms))
        variance = (squares + (n - parts_with) * mean**2) / n
        juilland = np.clip(1.0 - np.sqrt(variance) / mean / np.sqrt(n - 1), 0.0, 1.0)
    else:
        dp = dp_norm = juilland = np.full(len(terms), np.nan)
    return pd.DataFrame({
        "term": np.asarray(terms, dtype=object), "frequency": frequency.astype(np.int64),
        "range": parts_with.astype(np.int64), "n_parts": np.full(len(terms), n, dtype=np.int64),
        "juilland_d": juilland, "dp": dp, "dp_norm": dp_norm,
    })


def dispersion(counts, *, terms=None, by=None, part_sizes=None) -> pd.DataFrame:
    """Dispersion of terms over the parts of a corpus: range, Juilland's D, DP, DPnorm.

    With ``n`` parts of sizes ``size_i``, ``s_i = size_i / sum(size)`` the part's share
    of the corpus, ``v_i`` the term's frequency in part ``i`` and ``f`` its total:

    - DP (Gries 2008) ``= 0.5 * sum_i |v_i / f - s_i|``: 0 when the term is spread
      exactly like the corpus, near 1 when it is concentrated in a small part.
    - DPnorm (Lijffijt & Gries 2012) ``= DP / (1 - min_i s_i)``, which reaches 1.
    - Juilland's D ``= 1 - CV / sqrt(n - 1)`` with ``CV = sd / mean`` of the
      normalised frequencies ``p_i = v_i / size_i`` over all ``n`` parts (population
      SD). This is the variant for parts of different sizes described by Gries
      (2008; 2020); with equal parts it equals D on the raw frequencies. 1 is perfectly
      even.

    Parts where the term does not occur count, with ``v_i = 0``.

    Parameters
    ----------
    counts : DataFrame or Corpus
        Tidy counts with columns ``unit, term, count``, each unit a part; or a
        ``textlab.corpus.Corpus`` (parts are its documents, counted lower-cased,
        without numbers, stopwords kept).
    terms : str or list of str, optional
        Report only these terms (with a Corpus, compared lower-cased, as it is counted:
        ``"Luban"`` reports ``luban``). Terms that occur nowhere are left out with a
        :class:`~textlab.errors.NoMatchWarning` naming them. Default: every term.
    by : None, str or mapping, default=None
        Groups of parts, measured separately: a mapping or Series unit -> group, an
        extra column of ``counts``, or a docvar of the Corpus. Adds a leading
        ``group`` column.
    part_sizes : Series, optional
        Size of each part (unit -> tokens). Default: the per-unit sums of ``count``,
        which shrink if stopwords or other terms were removed from the counts; pass
        the true sizes then. Units listed here but absent from ``counts`` are parts
        where no counted term occurs. Must be at least each unit's total count.

    Returns
    -------
    DataFrame
        One row per term occurring in (the group's) parts, sorted by ``group``, then
        ``frequency`` descending, then ``term``. Columns ``[group,] term, frequency,
        range`` (parts containing the term), ``n_parts`` (parts in the group),
        ``juilland_d``, ``dp``, ``dp_norm``. With a single part the three measures
        are undefined and NaN, with a :class:`~textlab.errors.SmallSampleWarning`;
        there is no other NaN. Parts of size 0 are left out with an
        :class:`~textlab.errors.EmptyDocumentWarning`. Empty counts give an empty
        frame with the same columns.

    Raises
    ------
    ParameterError
        An unsupported input, bad ``terms`` or ``part_sizes``.
    GroupError
        ``by`` names an unknown column or docvar, or leaves a part without a group.

    References
    ----------
    Juilland, A. & Chang-Rodriguez, E. (1964). Frequency Dictionary of Spanish Words.
    The Hague: Mouton.

    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora.
    International Journal of Corpus Linguistics 13(4), 403-437.

    Lijffijt, J. & Gries, S. Th. (2012). Correction to Stefan Th. Gries' "Dispersions
    and adjusted frequencies in corpora". International Journal of Corpus Linguistics
    17(1), 147-149.

    Gries, S. Th. (2020). Analyzing dispersion. In M. Paquot & S. Th. Gries (eds.),
    A Practical Handbook of Corpus Linguistics, 99-118. Springer.

    Examples
    --------
    Lijffijt & Gries' (2012) case: three equal parts, the term's occurrences split
    2/3, 1/3, 0. DP = 1/3 cannot reach 1 (its maximum is 1 - 1/3), DPnorm = 0.5.

    >>> import pandas as pd
    >>> counts = pd.DataFrame({"unit": ["x", "y"], "term": ["t", "t"], "count": [2, 1]})
    >>> sizes = pd.Series({"x": 100, "y": 100, "z": 100})
    >>> dispersion(counts, part_sizes=sizes).round(4)
      term  frequency  range  n_parts  juilland_d      dp  dp_norm
    0    t          3      2        3      0.4226  0.3333      0.5
    """
    func = "dispersion"
    wanted = _requested_terms(terms, func=func)
    if isinstance(counts, pd.Series):
        raise ParameterError(
            f"The 'counts' parameter of {func} must be a DataFrame with columns unit, term, count, or a Corpus "
            "(parts are needed); got Series."
        )
    tidy = _tidy_counts(counts, name="counts", func=func, by="doc")
    sizes = _part_sizes(tidy, part_sizes, func=func)
    empty_parts = sizes.index[sizes.to_numpy() == 0]
    if len(empty_parts):
        shown = ", ".join(repr(u) for u in empty_parts[:5])
        warnings.warn(f"{func} leaves out part(s) of size 0: {shown}.", EmptyDocumentWarning, stacklevel=2)
        sizes = sizes[sizes > 0]
    if by is None:
        part_group = pd.Series(None, index=sizes.index, dtype=object)
    else:
        parts = pd.DataFrame({"unit": sizes.index})
        if isinstance(by, str) and by in tidy.columns and by not in ("unit", "term", "count"):
            if (tidy.groupby("unit", sort=False)[by].nunique() > 1).any():
                raise GroupError(f"The 'by' parameter of {func} names {by!r}, which varies within a unit.")
            by_unit = tidy.drop_duplicates("unit").set_index("unit")[by]
            labels = _unit_groups(parts, by_unit, source=counts, name="counts", func=func)
        else:
            labels = _unit_groups(parts, by, source=counts, name="counts", func=func)
        part_group = pd.Series(labels.to_numpy(), index=sizes.index, dtype=object)
    rows = tidy.loc[tidy["count"] > 0, ["unit", "term", "count"]]
    rows = rows.groupby(["unit", "term"], sort=False, as_index=False)["count"].sum()
    if wanted is not None:
        if _is_corpus(counts):  # counted lower-cased: a capitalised term would never be found
            from textlab.tokenize import lower_preserving

            form = {t: lower_preserving(t) for t in wanted}
        else:
            form = {t: t for t in wanted}
        rows = rows[rows["term"].isin(set(form.values()))]
        absent = [t for t in dict.fromkeys(wanted) if form[t] not in set(rows["term"])]
        if absent:
            shown = ", ".join(repr(t) for t in absent[:10])
            warnings.warn(f"{func} found no occurrence of term(s) {shown}.", NoMatchWarning, stacklevel=2)
    frames = []
    groups = [None] if by is None else _sorted_labels(part_group)
    for group in groups:
        in_group = part_group.index if by is None else part_group.index[part_group.to_numpy() == group]
        group_sizes = sizes.loc[in_group]
        group_rows = rows[rows["unit"].isin(in_group)]
        if len(group_sizes) == 1 and len(group_rows):
            where = "" if by is None else f" in group {group!r}"
            warnings.warn(
                f"{func} needs at least two parts{where}; Juilland's D, DP and DPnorm are NaN.",
                SmallSampleWarning, stacklevel=2,
            )
        res = _group_dispersion(group_rows, group_sizes)
        if by is not None:
            res.insert(0, "group", pd.Series([group] * len(res), dtype=object))
        frames.append(res)
    columns = DISPERSION_COLUMNS if by is None else ("group", *DISPERSION_COLUMNS)
    if frames:
        out = pd.concat(frames, ignore_index=True)
    else:
        out = pd.DataFrame({col: [] for col in columns})
    out = out.astype({col: _DTYPES[col] for col in columns})
    keys = ["frequency", "term"] if by is None else ["group", "frequency", "term"]
    ascending = [False, True] if by is None else [True, False, True]
    if by is not None and len(out):
        rank = {g: i for i, g in enumerate(groups)}
        out = out.assign(_rank=out["group"].map(rank))
        keys[0] = "_rank"
    out = out.sort_values(keys, ascending=ascending, kind="stable", ignore_index=True)
    return out.drop(columns="_rank", errors="ignore")[list(columns)]
