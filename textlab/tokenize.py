"""Tokens with character offsets, stopwords, n-grams and term counts.

A token is a run of letters or digits, optionally joined by internal hyphens or
apostrophes, so ``win-win``, ``people-to-people`` and ``China's`` are single tokens.
Tokenising runs on the normalised view of a text (:func:`textlab.clean.normalise`:
curly apostrophes → ``'``, an en dash between words → ``-``), which has the same length
as the text, so every offset slices the original text: ``text[start:end]``.

Chinese (``lang="zh"``) is segmented with jieba (see :mod:`textlab._zh`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import re

from .clean import normalise
from .errors import ParameterError, check_choice, check_int

__all__ = [
    "TOKEN_PATTERN",
    "LANGS",
    "tokenize",
    "token_spans",
    "lower_preserving",
    "stopwords",
    "ngrams",
    "count_terms",
    "document_term_matrix",
    "DocumentTermMatrix",
]

LANGS = ("en", "zh")

# Letters and digits (\w without "_" and without super/subscript digits such as the
# citation marker in "challenges¹⁶"), each optionally followed by combining marks.
_CHAR = r"[^\W_\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f]"
_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*"
_RUN = rf"(?:{_CHAR}{_MARKS})+"
TOKEN_PATTERN = rf"{_RUN}(?:['\-]{_RUN})*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_HAS_LETTER = re.compile(r"[^\W\d_]")


def lower_preserving(text: str) -> str:
    """Lower-case ``text`` without changing its length.

    ``str.lower`` turns ``"İ"`` into two characters, which would shift every later
    offset; such characters are left as they are.

    Examples
    --------
    >>> lower_preserving("İstanbul WIN-WIN")
    'İstanbul win-win'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def token_spans(text: str, *, lang: str = "en", numbers: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the tokens of ``text`` (int64 arrays).

    Parameters
    ----------
    text : str
        Any text; it is normalised internally, offsets refer to ``text`` itself.
    lang : {'en', 'zh'}, default='en'
        ``'zh'`` segments with jieba.
    numbers : bool, default=True
        Keep tokens without letters (``2025``, ``27``).

    Examples
    --------
    >>> s, e = token_spans("China\u2019s win\u2013win, 2025.")
    >>> s.tolist(), e.tolist()
    ([0, 8, 17], [7, 15, 21])
    """
    check_choice(lang, LANGS, name="lang", func="token_spans")
    if lang == "zh":
        from ._zh import zh_token_spans

        starts, ends = zh_token_spans(text)
    else:
        view = normalise(text)
        spans = [m.span() for m in _TOKEN_RE.finditer(view)]
        arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
        starts, ends = arr[:, 0], arr[:, 1]
    if not numbers and len(starts):
        keep = np.fromiter((bool(_HAS_LETTER.search(text, s, e)) for s, e in zip(starts, ends)), bool, len(starts))
        starts, ends = starts[keep], ends[keep]
    return np.ascontiguousarray(starts), np.ascontiguousarray(ends)


def tokenize(
    text: str,
    lang: str = "en",
    lower: bool = True,
    *,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Split a text into tokens with character offsets.

    Parameters
    ----------
    text : str
        The text (usually a cleaned text from :class:`textlab.Corpus`).
    lang : {'en', 'zh'}, default='en'
        Language; ``'zh'`` uses jieba with textlab's domain dictionary.
    lower : bool, default=True
        Lower-case the ``token`` column (length-preserving, see :func:`lower_preserving`).
    numbers : bool, default=True
        Keep tokens that contain no letter.
    stopwords : iterable of str, optional
        Tokens to drop (compared after lower-casing when ``lower=True``).

    Returns
    -------
    pandas.DataFrame
        Columns ``token`` (normalised, lower-cased if asked), ``start``, ``end``
        (offsets into ``text``; ``text[start:end]`` is the token as written).

    Examples
    --------
    >>> tokenize("People-to-people ties, China\u2019s win\u2013win.").values.tolist()
    [['people-to-people', 0, 16], ['ties', 17, 21], ["china's", 23, 30], ['win-win', 31, 38]]
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of tokenize must be a str; got {type(text).__name__}.")
    starts, ends = token_spans(text, lang=lang, numbers=numbers)
    view = normalise(text)
    if lower:
        view = lower_preserving(view)
    tokens = [view[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    df = pd.DataFrame({"token": pd.Series(tokens, dtype=object), "start": starts, "end": ends})
    if stopwords is not None:
        stop = set(stopwords)
        df = df[~df["token"].isin(stop)].reset_index(drop=True)
    return df


@lru_cache(maxsize=None)
def _stopword_set(lang: str) -> frozenset[str]:
    if lang == "zh":
        from ._zh import zh_stopwords

        return frozenset(zh_stopwords())
    # scikit-learn ships the Glasgow IR group's English list (318 words); no download needed.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def stopwords(lang: str = "en") -> frozenset[str]:
    """Stopwords shipped with installed packages (no download).

    ``'en'``: scikit-learn's ``ENGLISH_STOP_WORDS`` (the Glasgow Information Retrieval
    Group list, 318 words). ``'zh'``: textlab's own list (``textlab/data/stopwords_zh.txt``).

    Examples
    --------
    >>> "the" in stopwords("en"), len(stopwords("en"))
    (True, 318)
    """
    check_choice(lang, LANGS, name="lang", func="stopwords")
    return _stopword_set(lang)


def ngrams(tokens: Sequence[str], n: int = 2, *, sep: str = " ") -> list[str]:
    """Contiguous n-grams of a token sequence, joined with ``sep``.

    Examples
    --------
    >>> ngrams(["belt", "and", "road", "initiative"], 2)
    ['belt and', 'and road', 'road initiative']
    """
    n = check_int(n, name="n", func="ngrams", minimum=1)
    tokens = list(tokens)
    return [sep.join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


# ---------------------------------------------------------------------------------------
# Counting over a corpus


@dataclass(frozen=True)
class DocumentTermMatrix:
    """A sparse count matrix with its row and column labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``units × terms`` counts (int64).
    units : list of str
        Row labels (doc_ids, segment_ids or group values).
    terms : list of str
        Column labels, sorted.
    """

    matrix: object
    units: list
    terms: list

    def to_frame(self) -> pd.DataFrame:
        """Tidy form: columns ``unit, term, count`` for non-zero cells."""
        coo = self.matrix.tocoo()
        order = np.lexsort((coo.col, coo.row))
        return pd.DataFrame(
            {
                "unit": np.asarray(self.units, dtype=object)[coo.row[order]],
                "term": np.asarray(self.terms, dtype=object)[coo.col[order]],
                "count": coo.data[order].astype(np.int64),
            }
        )


def _unit_counters(corpus, by: str, lower: bool, numbers: bool, stop: frozenset | None, headings: bool):
    """Yield (unit, Counter) per document or segment, then group if ``by`` is a docvar."""
    from .corpus import Corpus  # local: corpus imports this module

    if not isinstance(corpus, Corpus):
        raise ParameterError(f"The 'corpus' parameter of count_terms must be a textlab Corpus; got {type(corpus).__name__}.")
    segment_level = by == "segment"
    if by not in ("doc", "segment") and by not in corpus.docvars.columns:
        from .errors import GroupError

        raise GroupError(f"Unknown 'by' value {by!r}: use 'doc', 'segment' or a docvar ({', '.join(corpus.docvars.columns)}).")
    groups = None if by in ("doc", "segment") else corpus.docvars.set_index("doc_id")[by]
    for doc_id in corpus.doc_ids:
        toks = corpus.tokens(doc_id, lower=lower, numbers=numbers, headings=headings)
        if stop:
            toks = toks[~toks["token"].isin(stop)]
        if segment_level:
            for seg, part in toks.groupby("segment_id", sort=False):
                yield seg, Counter(part["token"].tolist())
        else:
            unit = doc_id if groups is None else groups.loc[doc_id]
            yield unit, Counter(toks["token"].tolist())


def count_terms(
    corpus,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
) -> pd.DataFrame:
    """Count terms per document, segment or group of a corpus.

    Parameters
    ----------
    corpus : textlab.Corpus
    by : str, default='doc'
        ``'doc'``, ``'segment'`` or the name of a docvar (e.g. ``'side'``) to pool by.
    lower, numbers : bool
        As in :func:`tokenize`.
    stopwords : iterable of str, optional
        Terms to leave out (e.g. ``textlab.stopwords("en")``).
    headings : bool, default=False
        Count heading text too (by default only paragraphs, the body, count).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, term, count``; one row per non-zero cell, sorted by unit (in
        corpus order) then term. Units with no tokens do not appear.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "Win-win and win-win."), ("b", "Lock-in.")])
    >>> count_terms(c).values.tolist()
    [['a', 'and', 1], ['a', 'win-win', 2], ['b', 'lock-in', 1]]
    """
    stop = frozenset(stopwords) if stopwords is not None else None
    totals: dict = {}
    for unit, counter in _unit_counters(corpus, by, lower, numbers, stop, headings):
        if unit in totals:
            totals[unit].update(counter)
        else:
            totals[unit] = counter
    rows = [(unit, term, n) for unit, counter in totals.items() for term, n in sorted(counter.items())]
    return pd.DataFrame(rows, columns=["unit", "term", "count"]).astype({"count": "int64"})


def document_term_matrix(
    corpus,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
) -> DocumentTermMatrix:
    """Sparse ``units × terms`` count matrix of a corpus (see :func:`count_terms`).

    Examples
    --------
    >>> from textlab import load_corpus
    >>> dtm = document_term_matrix(load_corpus([("a", "win-win win-win"), ("b", "lock-in")]))
    >>> dtm.units, dtm.terms, dtm.matrix.toarray().tolist()
    (['a', 'b'], ['lock-in', 'win-win'], [[0, 2], [1, 0]])
    """
    from scipy import sparse

    tidy = count_terms(corpus, by=by, lower=lower, numbers=numbers, stopwords=stopwords, headings=headings)
    units = list(dict.fromkeys(tidy["unit"]))
    terms = sorted(set(tidy["term"]))
    if by == "doc":
        units = list(corpus.doc_ids)
    row = pd.Index(units).get_indexer(tidy["unit"])
    col = pd.Index(terms).get_indexer(tidy["term"])
    matrix = sparse.csr_matrix((tidy["count"].to_numpy(np.int64), (row, col)), shape=(len(units), len(terms)))
    return DocumentTermMatrix(matrix=matrix, units=units, terms=terms)
