"""Topic models: what each side writes about beyond the codebook.

The unit of analysis is the **paragraph segment** (``unit="segment"``, the default):
with five documents, a model fitted on whole documents would have five data points,
so topics are fitted on the ~200 paragraph segments of :meth:`textlab.Corpus.segment_table`
(long paragraphs already split at sentence ends) and every segment keeps its ``doc_id``,
which is how a topic's prevalence is compared between the sides. ``unit="doc"`` fits on
whole documents, for corpora with many of them.

Steps, each a function returning one type:

1. :func:`prepare_topics` turns a :class:`~textlab.Corpus` into a :class:`TopicCorpus`
   (unit texts, bag-of-words), as set out by :class:`TopicPreprocessing`.
2. :func:`fit_topics` fits LDA (gensim ``LdaModel``) or NMF (scikit-learn, on TF-IDF)
   and returns a :class:`TopicModel` with tidy tables ``topics``, ``topic_terms`` and
   ``doc_topics`` and the coherence ``c_v`` and ``u_mass``.
3. :func:`sweep_k` gives coherence per k and seed, so k is chosen on evidence.
4. :func:`topic_stability` and :func:`topic_agreement` match topics across seeds or
   methods (Hungarian assignment on the cosine similarity of topic-term vectors).
5. :func:`topic_prevalence` and :func:`compare_topic_prevalence` estimate each topic's
   share per group (e.g. per side) with bootstrap intervals and permutation p-values.

Topic ids are stable: topics are numbered 0..k-1 by descending corpus prevalence (the
mean share over units weighted by each unit's token count in the bag-of-words, i.e. the
share of all modelled tokens), ties broken by the topic's first term, so a topic keeps
its number when a model is re-fitted.
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import _gensim
from .corpus import Corpus
from .errors import (
    GroupError,
    ParameterError,
    SmallSampleWarning,
    TextlabWarning,
    check_bool,
    check_choice,
    check_fraction,
    check_int,
    outside_stacklevel,
)
from .tokenize import _stopword_argument
from .tokenize import stopwords as package_stopwords

__all__ = [
    "TopicPreprocessing",
    "TopicCorpus",
    "TopicModel",
    "domain_stopwords",
    "prepare_topics",
    "fit_topics",
    "sweep_k",
    "topic_agreement",
    "topic_stability",
    "topic_prevalence",
    "compare_topic_prevalence",
]

METHODS = ("lda", "nmf")
UNITS = ("segment", "doc")
DEFAULT_ITERATIONS = {"lda": 200, "nmf": 1000}
TOPIC_COLUMNS = ["topic", "label", "prevalence", "top_terms", "c_v", "u_mass"]
TOPIC_TERM_COLUMNS = ["topic", "rank", "term", "weight"]
DOC_TOPIC_COLUMNS = ["unit", "doc_id", "topic", "share"]
SWEEP_COLUMNS = ["k", "seed", "method", "c_v", "u_mass", "perplexity"]
AGREEMENT_COLUMNS = ["topic", "label", "matched_topic", "matched_label", "similarity"]
STABILITY_COLUMNS = ["topic", "label", "mean_similarity", "min_similarity"]
PREVALENCE_COLUMNS = ["topic", "label", "group", "n_units", "prevalence", "ci_low", "ci_high"]
DIFFERENCE_COLUMNS = ["topic", "label", "group_a", "group_b", "diff", "ci_low", "ci_high", "p_perm", "q"]
_DOMAIN_STOPWORDS = Path(__file__).parent / "data" / "stopwords_domain_en.txt"

# Parameter descriptions shared by every function (STYLE: document once, reuse).
_DOCS = {
    "{corpus}": """corpus : Corpus or TopicCorpus
        The corpus, or a :class:`TopicCorpus` from :func:`prepare_topics` to skip
        preprocessing when fitting several models.""",
    "{unit}": """unit : {'segment', 'doc'}, default='segment'
        Unit of analysis: paragraph segments (body paragraphs, long ones split) or
        whole documents. Must match the TopicCorpus when one is given.""",
    "{preprocessing}": """preprocessing : TopicPreprocessing, optional
        How texts become the bag-of-words (default ``TopicPreprocessing()``).""",
    "{method}": """method : {'lda', 'nmf'}, default='lda'
        ``'lda'``: gensim ``LdaModel`` (variational Bayes, symmetric priors, float64).
        ``'nmf'``: scikit-learn ``NMF`` on the TF-IDF of the bag-of-words, ``init='nndsvd'``.""",
    "{n_terms}": """n_terms : int, default=10
        Top terms per topic in ``topic_terms``; coherence is computed on these.""",
    "{passes}": """passes : int, default=20
        LDA passes over the corpus (ignored by NMF).""",
    "{iterations}": """iterations : int, optional
        LDA: the cap on E-step iterations per unit (default 200); NMF: ``max_iter``
        (default 1000; on the project corpus NMF converges within about 220).""",
    "{random_state}": """random_state : int, default=0
        Seed of every random step the function takes: LDA's initial topics and E-step
        starts and the randomized SVD of NMF's nndsvd start where it fits a model, the
        bootstrap and permutation draws where it resamples; the same inputs and seed give
        identical results in any process.""",
    "{bootstrap}": """n_boot : int, default=2000
        Bootstrap resamples of units within each group (percentile intervals).
    ci : float, default=0.95
        Confidence level of the intervals.""",
}


def _doc(func):
    text = func.__doc__
    for key, value in _DOCS.items():
        text = text.replace(key, value)
    func.__doc__ = text
    return func


# ---------------------------------------------------------------------------------------
# Preprocessing


@lru_cache(maxsize=None)
def domain_stopwords() -> frozenset[str]:
    """textlab's small list of academic filler words (``textlab/data/stopwords_domain_en.txt``).

    Words that say how a paper is written, not what it is about (``paper``, ``study``,
    ``et``, ``al``, ``furthermore`` …); the file's header gives the reasons. Added to
    :func:`textlab.stopwords` by default in :class:`TopicPreprocessing`.

    Examples
    --------
    >>> "et" in domain_stopwords(), "china" in domain_stopwords()
    (True, False)
    """
    lines = _DOMAIN_STOPWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in lines) if w)


@dataclass(frozen=True)
class TopicPreprocessing:
    """How unit texts become the bag-of-words of a topic model.

    Steps, in order: tokens of the body paragraphs from :meth:`textlab.Corpus.tokens`
    (lower-cased; hyphenated compounds such as ``win-win`` stay one token); a possessive
    ``'s`` is removed (``china's`` → ``china``); numbers, tokens shorter than
    ``min_length`` and stopwords are dropped; frequent bigrams are joined with gensim
    ``Phrases`` (``luban_workshop``, ``belt_road``: stopwords are already gone, so
    "Belt and Road" becomes ``belt_road``); finally gensim ``Dictionary.filter_extremes``
    keeps terms that occur in at least ``no_below`` units and at most ``no_above`` of
    them. Units left with no term are set aside (:attr:`TopicCorpus.dropped`).

    Parameters
    ----------
    numbers : bool, default=False
        Keep tokens without a letter (``2025``).
    min_length : int, default=2
        Drop tokens with fewer characters. 2 keeps ``xi``, ``ai``, ``eu``; one-letter
        residue of initials and citations goes, and so do Chinese one-character words
        (税, 路; the stopword list already removes 的, 了, 在): use 1 to keep them.
    stopwords : iterable of str, optional
        Words to drop. Default: :func:`textlab.stopwords` of every language in the
        corpus plus :func:`domain_stopwords`. Passing a set replaces that default; to
        extend it use ``stopwords("en") | domain_stopwords() | {...}``.
    phrases : bool, default=True
        Join bigrams with gensim ``Phrases`` (default scorer).
    phrase_min_count, phrase_threshold : int, float, default=5, 10.0
        gensim's own defaults: a bigram must occur ``phrase_min_count`` times and score
        above ``phrase_threshold``.
    no_below : int, default=2
        Keep terms found in at least this many units (a term in one paragraph cannot
        link paragraphs into a topic).
    no_above : float, default=0.5
        Keep terms found in at most this fraction of units. With paragraph units this
        removes only corpus-wide words (``vocational``, ``education``, ``development``,
        ``cooperation`` here). With ``unit='doc'`` and few documents raise it: at 0.5 of
        five documents only terms in one or two documents survive.
    keep_n : int, optional
        Keep only the ``keep_n`` terms found in most units (default: all).

    Examples
    --------
    >>> TopicPreprocessing(no_below=1).no_below
    1
    >>> TopicPreprocessing(no_above=2)
    Traceback (most recent call last):
    ...
    textlab.errors.ParameterError: The 'no_above' parameter of TopicPreprocessing must be a float in (0, 1]; got 2.
    """

    numbers: bool = False
    min_length: int = 2
    stopwords: frozenset[str] | None = None
    phrases: bool = True
    phrase_min_count: int = 5
    phrase_threshold: float = 10.0
    no_below: int = 2
    no_above: float = 0.5
    keep_n: int | None = None

    def __post_init__(self):
        func = "TopicPreprocessing"
        for name in ("numbers", "phrases"):
            object.__setattr__(self, name, check_bool(getattr(self, name), name=name, func=func))
        check_int(self.min_length, name="min_length", func=func, minimum=1)
        check_int(self.phrase_min_count, name="phrase_min_count", func=func, minimum=1)
        check_int(self.no_below, name="no_below", func=func, minimum=1)
        if self.keep_n is not None:
            check_int(self.keep_n, name="keep_n", func=func, minimum=1)
        t = self.phrase_threshold
        if not (isinstance(t, numbers.Real) and not isinstance(t, bool) and math.isfinite(t) and t > 0):
            raise ParameterError(f"The 'phrase_threshold' parameter of {func} must be a float > 0; got {t!r}.")
        a = self.no_above
        if not (isinstance(a, numbers.Real) and not isinstance(a, bool) and 0 < a <= 1):
            raise ParameterError(f"The 'no_above' parameter of {func} must be a float in (0, 1]; got {a!r}.")
        if self.stopwords is not None:
            words = _stopword_argument(self.stopwords, func)  # a single string is refused
            if not all(isinstance(w, str) for w in words):
                raise ParameterError(f"The 'stopwords' parameter of {func} must contain only str.")
            object.__setattr__(self, "stopwords", words)
        object.__setattr__(self, "phrase_threshold", float(t))
        object.__setattr__(self, "no_above", float(a))


@dataclass(frozen=True, eq=False, repr=False)
class TopicCorpus:
    """Unit texts and bag-of-words ready for :func:`fit_topics` (see :func:`prepare_topics`).

    Attributes
    ----------
    unit : {'segment', 'doc'}
    preprocessing : TopicPreprocessing
    units : pandas.DataFrame
        Columns ``unit, doc_id, tokens``: the modelled units in corpus order and their
        number of tokens in the bag-of-words (the weight of a unit in prevalences).
    texts : tuple of tuple of str
        Each unit's tokens after stopwords and phrases, before ``filter_extremes``
        (the texts ``c_v`` slides its window over).
    bow : tuple of list of (int, int)
        gensim bag-of-words of each unit.
    dictionary : gensim.corpora.Dictionary
        The filtered vocabulary; ``terms[i]`` is the term with id ``i``.
    terms : tuple of str
    docvars : pandas.DataFrame
        The corpus docvars (``doc_id`` first), for grouping units.
    dropped : tuple of str
        Units with no term left after preprocessing (not modelled).
    """

    unit: str
    preprocessing: TopicPreprocessing
    units: pd.DataFrame
    texts: tuple
    bow: tuple
    dictionary: object
    terms: tuple
    docvars: pd.DataFrame
    dropped: tuple

    def __repr__(self) -> str:
        return f"TopicCorpus({len(self.units)} {self.unit} units, {len(self.terms)} terms, {len(self.dropped)} dropped)"


def _unit_token_lists(corpus: Corpus, unit: str, numbers_: bool) -> tuple[list, list, list]:
    units, doc_ids, tokens = [], [], []
    seg_table = corpus.segment_table(headings=False) if unit == "segment" else None
    for doc_id in corpus.doc_ids:
        toks = corpus.tokens(doc_id, numbers=numbers_)
        if unit == "doc":
            units.append(doc_id)
            doc_ids.append(doc_id)
            tokens.append(toks["token"].tolist())
            continue
        by_segment: dict[str, list[str]] = {}
        for seg, tok in zip(toks["segment_id"].tolist(), toks["token"].tolist()):
            by_segment.setdefault(seg, []).append(tok)
        for seg in seg_table.loc[seg_table["doc_id"] == doc_id, "segment_id"].tolist():
            units.append(seg)
            doc_ids.append(doc_id)
            tokens.append(by_segment.get(seg, []))
    return units, doc_ids, tokens


@_doc
def prepare_topics(corpus: Corpus, *, unit: str = "segment", preprocessing: TopicPreprocessing | None = None) -> TopicCorpus:
    """Unit texts and bag-of-words of a corpus, for one or many topic models.

    Parameters
    ----------
    corpus : Corpus
    {unit}
    {preprocessing}

    Returns
    -------
    TopicCorpus

    Raises
    ------
    ParameterError
        When preprocessing leaves no tokens or fewer than two terms, naming the setting
        to change.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> prepare_topics(load_corpus({f"d{i}": a if i % 2 else b for i in range(8)}))
    TopicCorpus(8 segment units, 14 terms, 0 dropped)
    """
    func = "prepare_topics"
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"The 'corpus' parameter of {func} must be a textlab Corpus; got {type(corpus).__name__}.")
    check_choice(unit, UNITS, name="unit", func=func)
    prep = TopicPreprocessing() if preprocessing is None else preprocessing
    if not isinstance(prep, TopicPreprocessing):
        raise ParameterError(f"The 'preprocessing' parameter of {func} must be a TopicPreprocessing; got {prep!r}.")
    langs = sorted({corpus.lang(d) for d in corpus.doc_ids})
    if len(langs) > 1:
        warnings.warn(
            f"The corpus holds documents in more than one language ({', '.join(langs)}): words of one never occur "
            "with the other's, so topics will mostly separate the languages. Model each language on its own "
            "(corpus.subset(lang='zh')).", TextlabWarning, stacklevel=outside_stacklevel())
    if prep.stopwords is None:
        stop = frozenset().union(*(package_stopwords(lang) for lang in langs))
        stop = stop | domain_stopwords()
    else:
        stop = prep.stopwords
    units, doc_ids, raw = _unit_token_lists(corpus, unit, prep.numbers)
    texts = []
    for tokens in raw:
        kept = []
        for tok in tokens:
            if tok.endswith("'s"):
                tok = tok[:-2]
            if len(tok) >= prep.min_length and tok not in stop:
                kept.append(tok)
        texts.append(kept)
    keep = [i for i, t in enumerate(texts) if t]
    if not keep:
        raise ParameterError(
            f"No tokens left in any of the {len(units)} units after removing stopwords, numbers and tokens shorter "
            f"than min_length={prep.min_length}; check the corpus or the 'stopwords' of TopicPreprocessing."
        )
    texts = [texts[i] for i in keep]
    if prep.phrases:
        texts = _gensim.learn_phrases(texts, min_count=prep.phrase_min_count, threshold=prep.phrase_threshold)
    dictionary, bow, n_before = _gensim.build_vocabulary(
        texts, no_below=prep.no_below, no_above=prep.no_above, keep_n=prep.keep_n
    )
    if len(dictionary) < 2:
        raise ParameterError(
            f"Preprocessing left {len(dictionary)} term(s): filter_extremes(no_below={prep.no_below}, "
            f"no_above={prep.no_above}) over {len(texts)} units kept {len(dictionary)} of {n_before} distinct tokens; "
            "lower 'no_below' or raise 'no_above' in TopicPreprocessing (a topic model needs at least 2 terms)."
        )
    modelled = [j for j, b in enumerate(bow) if b]
    kept_units = {keep[j] for j in modelled}
    dropped = [u for i, u in enumerate(units) if i not in kept_units]
    table = pd.DataFrame(
        {
            "unit": pd.Series([units[keep[j]] for j in modelled], dtype=object),
            "doc_id": pd.Series([doc_ids[keep[j]] for j in modelled], dtype=object),
            "tokens": np.array([sum(c for _, c in bow[j]) for j in modelled], dtype=np.int64),
        }
    )
    return TopicCorpus(
        unit=unit,
        preprocessing=prep,
        units=table,
        texts=tuple(tuple(texts[j]) for j in modelled),
        bow=tuple(bow[j] for j in modelled),
        dictionary=dictionary,
        terms=tuple(dictionary[i] for i in range(len(dictionary))),
        docvars=corpus.docvars,
        dropped=tuple(dropped),
    )


def _as_topic_corpus(corpus, unit: str, preprocessing, func: str) -> TopicCorpus:
    check_choice(unit, UNITS, name="unit", func=func)
    if isinstance(corpus, TopicCorpus):
        if unit != corpus.unit:
            raise ParameterError(
                f"The 'unit' parameter of {func} is {unit!r} but the TopicCorpus was prepared with unit={corpus.unit!r}."
            )
        if preprocessing is not None and preprocessing != corpus.preprocessing:
            raise ParameterError(
                f"The 'preprocessing' parameter of {func} differs from the TopicCorpus's; prepare the corpus again."
            )
        return corpus
    if isinstance(corpus, Corpus):
        return prepare_topics(corpus, unit=unit, preprocessing=preprocessing)
    raise ParameterError(
        f"The 'corpus' parameter of {func} must be a textlab Corpus or TopicCorpus; got {type(corpus).__name__}."
    )


# ---------------------------------------------------------------------------------------
# Fitting


@dataclass(frozen=True, eq=False, repr=False)
class TopicModel:
    """A fitted topic model: its arguments, tidy result tables and learned state.

    Made by :func:`fit_topics`; it neither plots nor writes files. The tables are the
    result (column names fixed; ``doc_topics`` has a row per unit and topic, see the
    README's changes from the agreed design); fitted internals end in ``_``.

    Attributes
    ----------
    k, method, unit, n_terms, passes, iterations, random_state, preprocessing
        The arguments of :func:`fit_topics`.
    topics : pandas.DataFrame
        One row per topic: ``topic`` (stable id 0..k-1), ``label`` (its top three terms
        joined by " · "), ``prevalence`` (token-weighted mean share over units),
        ``top_terms`` (the ``n_terms`` top terms, comma-separated), ``c_v``, ``u_mass``.
    topic_terms : pandas.DataFrame
        ``topic, rank`` (0 = top), ``term, weight`` (the term's probability in the
        topic; for NMF the component normalised to sum 1); ties in weight by term.
    doc_topics : pandas.DataFrame
        Long form, one row per unit and topic: ``unit`` (segment_id or doc_id),
        ``doc_id``, ``topic``, ``share`` (a unit's shares sum to 1). LDA: the
        normalised variational gamma; NMF: the row of W normalised (a unit whose row is
        all zero gets 1/k for every topic).
    c_v, u_mass : float
        Mean coherence over topics (gensim ``CoherenceModel``; ``c_v`` with a 110-token
        sliding window over :attr:`TopicCorpus.texts`, ``u_mass`` on the bag-of-words).
    model_ : gensim.models.LdaModel or sklearn.decomposition.NMF
        The fitted model, topics in its own order.
    order_ : tuple of int
        ``order_[t]`` is the model's index of stable topic ``t``.
    components_ : numpy.ndarray
        Topic-term weights (k × terms), rows in stable order, each summing to 1.
    terms_ : tuple of str
        Column labels of ``components_``.
    units_ : pandas.DataFrame
        ``unit, doc_id, tokens`` of the modelled units (tokens weight prevalences).
    docvars_ : pandas.DataFrame
        The corpus docvars, joined to units by ``doc_id`` when grouping.
    """

    k: int
    method: str
    unit: str
    n_terms: int
    passes: int
    iterations: int
    random_state: int
    preprocessing: TopicPreprocessing
    topics: pd.DataFrame
    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    c_v: float
    u_mass: float
    model_: object
    order_: tuple
    components_: np.ndarray
    terms_: tuple
    units_: pd.DataFrame
    docvars_: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"TopicModel(method={self.method!r}, k={self.k}, unit={self.unit!r}, random_state={self.random_state}, "
            f"c_v={self.c_v:.3f}, u_mass={self.u_mass:.3f})"
        )

    def shares(self) -> np.ndarray:
        """Unit × topic share matrix (rows in ``units_`` order, columns stable ids)."""
        return self.doc_topics["share"].to_numpy(np.float64).reshape(len(self.units_), self.k)


def _check_seed(value, func: str, name: str = "random_state") -> int:
    seed = check_int(value, name=name, func=func, minimum=0)
    if seed >= 2**32:
        raise ParameterError(f"The {name!r} parameter of {func} must be an int in [0, 2**32); got {value!r}.")
    return seed


def _fit_nmf(data: TopicCorpus, k: int, *, random_state: int, iterations: int):
    from scipy import sparse
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfTransformer

    rows = np.repeat(np.arange(len(data.bow)), [len(b) for b in data.bow])
    cols = np.fromiter((i for b in data.bow for i, _ in b), np.int64)
    vals = np.fromiter((c for b in data.bow for _, c in b), np.float64)
    counts = sparse.csr_matrix((vals, (rows, cols)), shape=(len(data.bow), len(data.terms)))
    tfidf = TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=False).fit_transform(counts)
    model = NMF(n_components=k, init="nndsvd", random_state=random_state, max_iter=iterations)
    w = model.fit_transform(tfidf)
    h = np.asarray(model.components_, dtype=np.float64)
    totals = h.sum(axis=1, keepdims=True)
    topic_term = np.divide(h, totals, out=np.zeros_like(h), where=totals > 0)
    row = w.sum(axis=1, keepdims=True)
    shares = np.divide(w, row, out=np.full_like(w, 1.0 / k), where=row > 0)
    return model, topic_term, shares


def _top_terms(topic_term: np.ndarray, terms: tuple, n: int) -> list[list[str]]:
    alpha_rank = np.argsort(np.argsort(np.array(terms, dtype=object), kind="stable"), kind="stable")
    out = []
    for row in topic_term:
        idx = np.lexsort((alpha_rank, -row))[:n]
        out.append([terms[i] for i in idx])
    return out


def _stable_order(prevalence: np.ndarray, first_terms: list[str]) -> list[int]:
    """Model topic indices by descending prevalence (rounded to 12 decimals), then first term."""
    return sorted(range(len(first_terms)), key=lambda j: (-round(float(prevalence[j]), 12), first_terms[j], j))


def _labels(top: list[list[str]]) -> list[str]:
    labels = [" · ".join(t[:3]) for t in top]
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return [f"{lab} ({i})" if seen[lab] > 1 else lab for i, lab in enumerate(labels)]


def _fit(data: TopicCorpus, k: int, *, method: str, n_terms: int, passes: int, iterations: int,
         random_state: int, func: str, coherence: bool = True) -> TopicModel:
    n_units, n_vocab = len(data.units), len(data.terms)
    if k > n_units:
        raise ParameterError(
            f"The 'k' parameter of {func} must be <= the number of units with terms ({n_units}); got {k}."
        )
    if k > n_vocab:
        raise ParameterError(f"The 'k' parameter of {func} must be <= the number of terms ({n_vocab}); got {k}.")
    bow = list(data.bow)
    if method == "lda":
        model, topic_term, gamma = _gensim.fit_lda(bow, data.dictionary, k, random_state=random_state,
                                                   passes=passes, iterations=iterations)
        shares = gamma / gamma.sum(axis=1, keepdims=True)
    else:
        model, topic_term, shares = _fit_nmf(data, k, random_state=random_state, iterations=iterations)
    weights = data.units["tokens"].to_numpy(np.float64)
    prevalence = weights @ shares / weights.sum()
    top = _top_terms(topic_term, data.terms, min(n_terms, n_vocab))
    order = _stable_order(prevalence, [t[0] for t in top])
    topic_term, shares, prevalence = topic_term[order], shares[:, order], prevalence[order]
    top = [top[j] for j in order]
    labels = _labels(top)
    c_v = u_mass = np.full(k, np.nan)
    if coherence:
        texts = [list(t) for t in data.texts]
        c_v = _gensim.coherence(top, texts=texts, dictionary=data.dictionary, bow=bow, measure="c_v")
        u_mass = _gensim.coherence(top, texts=texts, dictionary=data.dictionary, bow=bow, measure="u_mass")
        if not (np.isfinite(c_v).all() and np.isfinite(u_mass).all()):
            warnings.warn("Coherence is not finite for some topics; reported as NaN.", TextlabWarning, stacklevel=3)
            c_v, u_mass = np.where(np.isfinite(c_v), c_v, np.nan), np.where(np.isfinite(u_mass), u_mass, np.nan)
    ids = np.arange(k, dtype=np.int64)
    topics = pd.DataFrame(
        {
            "topic": ids,
            "label": pd.Series(labels, dtype=object),
            "prevalence": prevalence,
            "top_terms": pd.Series([", ".join(t) for t in top], dtype=object),
            "c_v": c_v,
            "u_mass": u_mass,
        },
        columns=TOPIC_COLUMNS,
    )
    n_top = len(top[0])
    term_index = {t: i for i, t in enumerate(data.terms)}
    topic_terms = pd.DataFrame(
        {
            "topic": np.repeat(ids, n_top),
            "rank": np.tile(np.arange(n_top, dtype=np.int64), k),
            "term": pd.Series([t for terms in top for t in terms], dtype=object),
            "weight": np.array([topic_term[j, term_index[t]] for j in range(k) for t in top[j]], dtype=np.float64),
        },
        columns=TOPIC_TERM_COLUMNS,
    )
    doc_topics = pd.DataFrame(
        {
            "unit": pd.Series(np.repeat(data.units["unit"].to_numpy(object), k), dtype=object),
            "doc_id": pd.Series(np.repeat(data.units["doc_id"].to_numpy(object), k), dtype=object),
            "topic": np.tile(ids, n_units),
            "share": shares.ravel(),
        },
        columns=DOC_TOPIC_COLUMNS,
    )
    return TopicModel(
        k=k, method=method, unit=data.unit, n_terms=n_terms, passes=passes, iterations=iterations,
        random_state=random_state, preprocessing=data.preprocessing, topics=topics, topic_terms=topic_terms,
        doc_topics=doc_topics, c_v=float(np.mean(c_v)), u_mass=float(np.mean(u_mass)),
        model_=model, order_=tuple(order), components_=topic_term, terms_=data.terms, units_=data.units.copy(),
        docvars_=data.docvars.copy(),
    )


def _check_fit_options(func, method, n_terms, passes, iterations):
    check_choice(method, METHODS, name="method", func=func)
    check_int(n_terms, name="n_terms", func=func, minimum=2)
    check_int(passes, name="passes", func=func, minimum=1)
    if iterations is None:
        iterations = DEFAULT_ITERATIONS[method]
    check_int(iterations, name="iterations", func=func, minimum=1)
    return {"method": method, "n_terms": int(n_terms), "passes": int(passes), "iterations": int(iterations)}


@_doc
def fit_topics(
    corpus,
    k: int,
    *,
    method: str = "lda",
    unit: str = "segment",
    preprocessing: TopicPreprocessing | None = None,
    n_terms: int = 10,
    passes: int = 20,
    iterations: int | None = None,
    random_state: int = 0,
    coherence: bool = True,
) -> TopicModel:
    """Fit a topic model with stable topic ids.

    Parameters
    ----------
    {corpus}
    k : int
        Number of topics (>= 2, at most the number of units and of terms).
    {method}
    {unit}
    {preprocessing}
    {n_terms}
    {passes}
    {iterations}
    {random_state}
    coherence : bool, default=True
        Compute the ``c_v`` and ``u_mass`` coherence of every topic. ``False`` leaves
        them NaN: ``c_v`` slides a 110-token window over every text in Python (gensim),
        which on long documents costs about half as much as the LDA fit itself.

    Returns
    -------
    TopicModel
        With ``topics`` (``topic, label, prevalence, top_terms, c_v, u_mass``),
        ``topic_terms`` (``topic, rank, term, weight``), ``doc_topics`` (``unit, doc_id,
        topic, share``), the mean ``c_v`` and ``u_mass``, and the fitted ``model_``.

    Notes
    -----
    Defaults: 20 passes and up to 200 E-step iterations make LDA converge on a few
    hundred paragraphs in about two seconds (50 passes changed neither coherence nor
    stability on the project corpus); gensim's ``chunksize=2000`` makes each pass one
    batch update on such a corpus. Priors are gensim's defaults (symmetric
    ``alpha = eta = 1/k``). Topics are renumbered by token-weighted
    prevalence (ties by first term), so ids do not depend on the model's internal order.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus({f"d{i}": a if i % 2 else b for i in range(8)})
    >>> model = fit_topics(corpus, 2, random_state=0)
    >>> model.topics[["topic", "label"]].values.tolist()
    [[0, 'students · skills · practical'], [1, 'imported · create · technological']]
    >>> model.doc_topics.groupby("unit")["share"].sum().round(12).unique().tolist()
    [1.0]
    """
    func = "fit_topics"
    k = check_int(k, name="k", func=func, minimum=2)
    options = _check_fit_options(func, method, n_terms, passes, iterations)
    seed = _check_seed(random_state, func)
    coherence = check_bool(coherence, name="coherence", func=func)
    data = _as_topic_corpus(corpus, unit, preprocessing, func)
    return _fit(data, k, random_state=seed, func=func, coherence=coherence, **options)


def _check_ints(values, *, name: str, func: str, minimum: int, at_least: int = 1) -> list[int]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ParameterError(f"The {name!r} parameter of {func} must be an iterable of ints; got {values!r}.")
    out = [check_int(v, name=name, func=func, minimum=minimum) for v in values]
    if len(out) < at_least:
        raise ParameterError(f"The {name!r} parameter of {func} needs at least {at_least} value(s); got {values!r}.")
    return out


@_doc
def sweep_k(
    corpus,
    ks: Iterable[int] = range(2, 16),
    *,
    seeds: Iterable[int] = (0, 1, 2),
    method: str = "lda",
    unit: str = "segment",
    preprocessing: TopicPreprocessing | None = None,
    n_terms: int = 10,
    passes: int = 20,
    iterations: int | None = None,
) -> pd.DataFrame:
    """Coherence (and LDA perplexity) for each number of topics and seed.

    Preprocessing runs once; every (k, seed) is a :func:`fit_topics` call. Choose k
    where mean ``c_v`` is high and stable across seeds, then check
    :func:`topic_stability` at that k.

    Parameters
    ----------
    {corpus}
    ks : iterable of int, default=range(2, 16)
    seeds : iterable of int, default=(0, 1, 2)
        The ``random_state`` of each fit.
    {method}
    {unit}
    {preprocessing}
    {n_terms}
    {passes}
    {iterations}

    Returns
    -------
    pandas.DataFrame
        Columns ``k, seed, method, c_v, u_mass`` (model means over topics, as
        :attr:`TopicModel.c_v` and ``u_mass``) and ``perplexity`` (LDA in-sample,
        ``2 ** -log_perplexity`` of gensim; NaN for NMF; it usually falls with k and
        does not choose k by itself); one row per k and seed.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus({f"d{i}": a if i % 2 else b for i in range(8)})
    >>> sweep_k(corpus, [2, 3], seeds=[0, 1]).columns.tolist()
    ['k', 'seed', 'method', 'c_v', 'u_mass', 'perplexity']
    """
    func = "sweep_k"
    ks = _check_ints(ks, name="ks", func=func, minimum=2)
    seeds = [_check_seed(s, func, "seeds") for s in _check_ints(seeds, name="seeds", func=func, minimum=0)]
    options = _check_fit_options(func, method, n_terms, passes, iterations)
    data = _as_topic_corpus(corpus, unit, preprocessing, func)
    rows = []
    for k in ks:
        for seed in seeds:
            m = _fit(data, k, random_state=seed, func=func, **options)
            perplexity = _gensim.lda_perplexity(m.model_, list(data.bow)) if method == "lda" else math.nan
            rows.append((k, seed, method, m.c_v, m.u_mass, perplexity))
    df = pd.DataFrame(rows, columns=SWEEP_COLUMNS)
    return df.astype({"k": "int64", "seed": "int64", "method": object, "c_v": "float64", "u_mass": "float64",
                      "perplexity": "float64"})


# ---------------------------------------------------------------------------------------
# Matching topics


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    sim = (a @ b.T) / np.outer(np.where(na > 0, na, 1.0), np.where(nb > 0, nb, 1.0))
    # Rounded to 12 decimals so that a topic compared with itself gives exactly 1.
    return np.clip(np.round(sim, 12), 0.0, 1.0)


def _agreement(a: TopicModel, b: TopicModel) -> tuple[np.ndarray, np.ndarray]:
    """For each topic of ``a``: the matched topic of ``b`` (-1 if none) and the similarity."""
    from scipy.optimize import linear_sum_assignment

    if a.terms_ == b.terms_:
        va, vb = a.components_, b.components_
    else:
        vocab = sorted(set(a.terms_) | set(b.terms_))
        pos = {t: i for i, t in enumerate(vocab)}
        va, vb = np.zeros((a.k, len(vocab))), np.zeros((b.k, len(vocab)))
        va[:, [pos[t] for t in a.terms_]] = a.components_
        vb[:, [pos[t] for t in b.terms_]] = b.components_
    sim = _cosine(va, vb)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    match = np.full(a.k, -1, dtype=np.int64)
    score = np.full(a.k, np.nan)
    match[rows] = cols
    score[rows] = sim[rows, cols]
    return match, score


def topic_agreement(model_a: TopicModel, model_b: TopicModel) -> pd.DataFrame:
    """Match the topics of two models one-to-one (e.g. LDA vs NMF, or two seeds).

    Topics are compared by the cosine similarity of their topic-term vectors (the full
    vocabulary, aligned by term) and paired by the Hungarian assignment maximising the
    total similarity (``scipy.optimize.linear_sum_assignment``).

    Parameters
    ----------
    model_a, model_b : TopicModel

    Returns
    -------
    pandas.DataFrame
        One row per topic of ``model_a``: ``topic, label, matched_topic,
        matched_label, similarity`` (cosine in [0, 1]; a model matched with itself
        gives 1). With more topics in ``model_a`` than in ``model_b``, unmatched topics
        have ``matched_topic`` <NA> and ``similarity`` NaN.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus({f"d{i}": a if i % 2 else b for i in range(8)})
    >>> lda = fit_topics(corpus, 2)
    >>> topic_agreement(lda, lda)["similarity"].tolist()
    [1.0, 1.0]
    """
    for name, m in (("model_a", model_a), ("model_b", model_b)):
        if not isinstance(m, TopicModel):
            raise ParameterError(f"The {name!r} parameter of topic_agreement must be a TopicModel; got {type(m).__name__}.")
    match, score = _agreement(model_a, model_b)
    labels_b = model_b.topics["label"].tolist()
    return pd.DataFrame(
        {
            "topic": np.arange(model_a.k, dtype=np.int64),
            "label": model_a.topics["label"].astype(object).to_numpy(),
            "matched_topic": pd.array([m if m >= 0 else pd.NA for m in match], dtype="Int64"),
            "matched_label": pd.Series([labels_b[m] if m >= 0 else None for m in match], dtype=object),
            "similarity": score,
        },
        columns=AGREEMENT_COLUMNS,
    )


@_doc
def topic_stability(
    corpus,
    k: int,
    *,
    seeds: Iterable[int] = (0, 1, 2),
    method: str = "lda",
    unit: str = "segment",
    preprocessing: TopicPreprocessing | None = None,
    n_terms: int = 10,
    passes: int = 20,
    iterations: int | None = None,
) -> pd.DataFrame:
    """How well each topic is recovered when the model is re-fitted with other seeds.

    The model fitted with the first seed is the reference; each other seed's model is
    matched to it with :func:`topic_agreement`.

    Parameters
    ----------
    {corpus}
    k : int
    seeds : iterable of int, default=(0, 1, 2)
        At least two; the first is the reference.
    {method}
    {unit}
    {preprocessing}
    {n_terms}
    {passes}
    {iterations}

    Returns
    -------
    pandas.DataFrame
        One row per topic of the reference model: ``topic, label, mean_similarity,
        min_similarity`` (cosine similarity to the matched topic, mean and minimum over
        the other seeds). The model's overall stability is the mean of
        ``mean_similarity``; repeating the reference seed gives exactly 1.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus({f"d{i}": a if i % 2 else b for i in range(8)})
    >>> topic_stability(corpus, 2, seeds=[0, 0])["min_similarity"].tolist()
    [1.0, 1.0]
    """
    func = "topic_stability"
    k = check_int(k, name="k", func=func, minimum=2)
    seeds = [_check_seed(s, func, "seeds") for s in _check_ints(seeds, name="seeds", func=func, minimum=0, at_least=2)]
    options = _check_fit_options(func, method, n_terms, passes, iterations)
    data = _as_topic_corpus(corpus, unit, preprocessing, func)
    ref = _fit(data, k, random_state=seeds[0], func=func, coherence=False, **options)
    scores = np.column_stack(
        [_agreement(ref, _fit(data, k, random_state=s, func=func, coherence=False, **options))[1] for s in seeds[1:]]
    )
    return pd.DataFrame(
        {
            "topic": np.arange(k, dtype=np.int64),
            "label": ref.topics["label"].astype(object).to_numpy(),
            "mean_similarity": scores.mean(axis=1),
            "min_similarity": scores.min(axis=1),
        },
        columns=STABILITY_COLUMNS,
    )


# ---------------------------------------------------------------------------------------
# Prevalence by group


def _unit_groups(model: TopicModel, by: str, func: str) -> tuple[np.ndarray, list]:
    if not isinstance(model, TopicModel):
        raise ParameterError(f"The 'model' parameter of {func} must be a TopicModel; got {type(model).__name__}.")
    if not isinstance(by, str) or by not in model.docvars_.columns:
        raise GroupError(f"Unknown docvar {by!r} for {func}; the corpus has: {', '.join(model.docvars_.columns)}.")
    lookup = pd.Series(model.docvars_[by].to_numpy(object), index=model.docvars_["doc_id"].to_numpy(object))
    lookup[lookup.map(lambda v: isinstance(v, str) and not v.strip())] = np.nan  # a blank manifest cell
    values = model.units_["doc_id"].map(lookup)
    missing = list(dict.fromkeys(model.units_["doc_id"][values.isna()].tolist()))
    if missing:
        warnings.warn(f"{func}: docvar {by!r} has no value for document(s) {missing[:20]}; their units are left "
                      "out.", TextlabWarning, stacklevel=3)
    groups = list(dict.fromkeys(v for v in values if not pd.isna(v)))
    return values.to_numpy(object), groups


def _bootstrap(rng, ws: np.ndarray, w: np.ndarray, n_boot: int) -> np.ndarray:
    """Token-weighted mean shares of ``n_boot`` resamples of the units (n_boot × k)."""
    n = len(w)
    draws = rng.integers(0, n, size=(n_boot, n))
    counts = np.bincount((draws + n * np.arange(n_boot)[:, None]).ravel(), minlength=n_boot * n)
    counts = counts.reshape(n_boot, n).astype(np.float64)
    return (counts @ ws) / (counts @ w)[:, None]


def _check_boot(func, n_boot, ci, random_state):
    return (check_int(n_boot, name="n_boot", func=func, minimum=1), check_fraction(ci, name="ci", func=func),
            np.random.default_rng(_check_seed(random_state, func)))


@_doc
def topic_prevalence(model: TopicModel, by: str = "side", *, n_boot: int = 2000, ci: float = 0.95,
                     random_state: int = 0) -> pd.DataFrame:
    """Each topic's prevalence per group of units, with bootstrap intervals.

    Prevalence is the token-weighted mean share of the group's units (the share of the
    group's modelled tokens in the topic), as for the corpus-wide ``prevalence`` in
    ``model.topics``. The interval resamples units within the group (percentile
    bootstrap). Units of one document are not independent, so with paragraph units the
    interval describes variation across the paragraphs of these texts, not across texts
    one might have sampled; with one external document, "external" is that document.

    Parameters
    ----------
    model : TopicModel
    by : str, default='side'
        A docvar of the corpus (``'doc_id'`` works too); units of documents without a
        value are left out, with a :class:`~textlab.errors.TextlabWarning` naming them.
    {bootstrap}
    {random_state}

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, label, group, n_units, prevalence, ci_low, ci_high``; one row
        per topic and group (groups in corpus order). A group with fewer than two units
        gets NaN bounds and a :class:`~textlab.errors.SmallSampleWarning`.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)],
    ...     "text": [a if i % 2 else b for i in range(8)], "side": ["x", "y"] * 4}))
    >>> prev = topic_prevalence(fit_topics(corpus, 2), "side", n_boot=200)
    >>> prev[["topic", "group", "n_units"]].values.tolist()
    [[0, 'x', 4], [0, 'y', 4], [1, 'x', 4], [1, 'y', 4]]
    """
    func = "topic_prevalence"
    values, groups = _unit_groups(model, by, func)
    n_boot, ci, rng = _check_boot(func, n_boot, ci, random_state)
    shares, w = model.shares(), model.units_["tokens"].to_numpy(np.float64)
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    parts = []
    for g in groups:
        idx = np.flatnonzero(values == g)
        ws, wg = w[idx, None] * shares[idx], w[idx]
        est = ws.sum(axis=0) / wg.sum()
        if len(idx) < 2:
            warnings.warn(f"Group {g!r} of {by!r} has {len(idx)} unit; no bootstrap interval.", SmallSampleWarning,
                          stacklevel=2)
            low = high = np.full(model.k, np.nan)
        else:
            low, high = np.quantile(_bootstrap(rng, ws, wg, n_boot), q, axis=0)
        parts.append(pd.DataFrame({"topic": np.arange(model.k, dtype=np.int64), "group": g, "n_units": len(idx),
                                   "prevalence": est, "ci_low": low, "ci_high": high}))
    labels = model.topics["label"].astype(object).to_numpy()
    if not parts:
        return pd.DataFrame(columns=PREVALENCE_COLUMNS)
    df = pd.concat(parts, ignore_index=True).sort_values(["topic"], kind="stable", ignore_index=True)
    df.insert(1, "label", pd.Series(labels[df["topic"].to_numpy()], dtype=object))
    return df.astype({"n_units": "int64"})[PREVALENCE_COLUMNS]


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (scipy), over the non-NaN ones; NaN stays NaN."""
    from scipy.stats import false_discovery_control

    q = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = false_discovery_control(p[ok])
    return q


@_doc
def compare_topic_prevalence(model: TopicModel, by: str = "side", *, n_boot: int = 2000, ci: float = 0.95,
                             n_perm: int = 2000, random_state: int = 0) -> pd.DataFrame:
    """Differences in topic prevalence between groups, with intervals and p-values.

    For every pair of groups (in corpus order) and topic: the difference of the
    token-weighted prevalences (see :func:`topic_prevalence`), a percentile bootstrap
    interval (units resampled within each group) and a two-sided permutation p-value
    (group labels shuffled across the pair's units; ``p = (1 + #{|perm| >= |obs|}) /
    (n_perm + 1)``). The caveat of :func:`topic_prevalence` applies: units of one
    document are treated as exchangeable.

    Parameters
    ----------
    model : TopicModel
    by : str, default='side'
        A docvar with at least two groups (units without a value are left out, as in
        :func:`topic_prevalence`).
    {bootstrap}
    n_perm : int, default=2000
        Permutations of the group labels.
    {random_state}

    Returns
    -------
    pandas.DataFrame
        Columns ``topic, label, group_a, group_b, diff`` (prevalence in ``group_a`` minus
        in ``group_b``), ``ci_low, ci_high, p_perm`` and ``q`` (Benjamini-Hochberg over
        all rows). A group with fewer than two units gets NaN bounds and a
        :class:`~textlab.errors.SmallSampleWarning`.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> a = "Luban workshops train teachers and students in practical skills."
    >>> b = "Imported equipment and technical standards create technological dependency."
    >>> corpus = load_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)],
    ...     "text": [a if i % 2 else b for i in range(8)], "side": ["x", "y"] * 4}))
    >>> diff = compare_topic_prevalence(fit_topics(corpus, 2), n_boot=200, n_perm=200)
    >>> diff[["topic", "group_a", "group_b"]].values.tolist()
    [[0, 'x', 'y'], [1, 'x', 'y']]
    >>> bool((diff["p_perm"] < 0.05).all())
    True
    """
    func = "compare_topic_prevalence"
    values, groups = _unit_groups(model, by, func)
    if len(groups) < 2:
        raise GroupError(f"{func} needs at least two groups in {by!r}; found {groups!r}.")
    n_boot, ci, rng = _check_boot(func, n_boot, ci, random_state)
    n_perm = check_int(n_perm, name="n_perm", func=func, minimum=1)
    shares, w = model.shares(), model.units_["tokens"].to_numpy(np.float64)
    ws_all = w[:, None] * shares
    q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
    parts = []
    for ga, gb in itertools.combinations(groups, 2):
        ia, ib = np.flatnonzero(values == ga), np.flatnonzero(values == gb)
        est = ws_all[ia].sum(0) / w[ia].sum() - ws_all[ib].sum(0) / w[ib].sum()
        if min(len(ia), len(ib)) < 2:
            warnings.warn(f"Groups {ga!r} and {gb!r} of {by!r} have {len(ia)} and {len(ib)} units; no bootstrap "
                          "interval.", SmallSampleWarning, stacklevel=2)
            low = high = np.full(model.k, np.nan)
        else:
            boot = _bootstrap(rng, ws_all[ia], w[ia], n_boot) - _bootstrap(rng, ws_all[ib], w[ib], n_boot)
            low, high = np.quantile(boot, q, axis=0)
        idx = np.concatenate([ia, ib])
        member = np.tile(np.r_[np.ones(len(ia)), np.zeros(len(ib))], (n_perm, 1))
        member = rng.permuted(member, axis=1)
        ws, wp = ws_all[idx], w[idx]
        perm = (member @ ws) / (member @ wp)[:, None] - ((1 - member) @ ws) / ((1 - member) @ wp)[:, None]
        extreme = (np.abs(perm) >= np.abs(est) - 1e-12).sum(axis=0)
        p = (1 + extreme) / (n_perm + 1)
        parts.append(pd.DataFrame({"topic": np.arange(model.k, dtype=np.int64), "group_a": ga, "group_b": gb,
                                   "diff": est, "ci_low": low, "ci_high": high, "p_perm": p}))
    df = pd.concat(parts, ignore_index=True).sort_values(["topic"], kind="stable", ignore_index=True)
    labels = model.topics["label"].astype(object).to_numpy()
    df.insert(1, "label", pd.Series(labels[df["topic"].to_numpy()], dtype=object))
    df["q"] = _bh(df["p_perm"].to_numpy(np.float64))
    return df[DIFFERENCE_COLUMNS]
