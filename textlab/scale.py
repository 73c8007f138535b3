"""The counting verbs on Dask: term counts, frame counts and KWIC over partitions of a corpus.

Each function here takes what :func:`documents` takes (a directory, a
:class:`~textlab.Corpus`, pairs or a DataFrame; a ``dask.bag`` of ``(doc_id, text)``
pairs; a Dask DataFrame) or the bag :func:`documents` returns, and gives the result of
the in-process verb of the same name on the whole corpus, identical in rows, order and
dtypes. Each partition of consecutive documents becomes a small :class:`~textlab.Corpus`
on a worker, where its files are read, cleaned and tokenised; the in-process verb runs on
it and only its result (sparse counts, per-unit frame counts, matches) travels back.
Partial results are combined in corpus order: counts are summed, matches concatenated,
span ids renumbered. Frame-count intervals are bootstrapped afterwards, in-process, on
the small table of resampling units, with the same random stream as
:func:`textlab.frame_counts`.

**Corpus-wide state.** Cleaning a ``paper``-profile document consults the vocabulary of
all paper documents of the corpus (to attest words hyphenated across line ends); that
vocabulary is gathered from every partition first and given to each, so cleaning is
the same as in-process.

**Where it runs.** ``scheduler=None`` uses whatever Dask would (the active
``distributed.Client`` if there is one, else Dask's default for bags); pass a
``Client``, or ``"sync"``, ``"threads"`` or ``"processes"``. Workers must see the
corpus files at the same paths as the client (a shared or copied file system); texts
given in memory travel with the task graph. The work is pure Python for the most part,
so prefer worker processes with one thread each: tasks of one worker process run one at
a time anyway, because warnings raised in a task are recorded (under a lock) and
raised again on the client, once each.

Examples
--------
>>> from textlab import scale
>>> from textlab import load_corpus
>>> c = load_corpus([("a", "Win-win cooperation."), ("b", "Win-win, again."), ("c", "Lock-in.")])
>>> scale.count_terms(c, npartitions=2, scheduler="sync").values.tolist()
[['a', 'cooperation', 1], ['a', 'win-win', 1], ['b', 'again', 1], ['b', 'win-win', 1], ['c', 'lock-in', 1]]
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import threading
import uuid
import warnings
from collections.abc import Iterable
from functools import partial

import numpy as np
import pandas as pd

from .corpus import Corpus, _Document, _warn_mixed_languages, load_corpus
from .errors import (
    _PACKAGE,
    CorpusError,
    NoMatchWarning,
    ParameterError,
    TextlabWarning,
    check_bool,
    check_bools,
    check_choice,
    check_int,
    outside_stacklevel,
)

__all__ = ["documents", "count_terms", "document_term_matrix", "frame_counts", "frame_matches", "kwic"]

PARTITION_CHARS = 8_000_000  # default partition size (characters or bytes of text)
_TAG = "textlab-documents"  # name prefix of the bags made by documents()
_WARNINGS = threading.Lock()  # catch_warnings changes process-wide state


# ---------------------------------------------------------------------------------------
# Partitions


def documents(
    source,
    *,
    npartitions: int | None = None,
    manifest="auto",
    profile: str | None = None,
    lang: str | None = None,
    encoding: str = "utf-8",
    id_column: str = "doc_id",
    text_column: str = "text",
    max_words: int = 250,
):
    """A corpus as a ``dask.bag`` with one :class:`~textlab.Corpus` per partition.

    Parameters
    ----------
    source : path, Corpus, DataFrame, mapping, pairs, dask.bag.Bag or Dask DataFrame
        A directory, a DataFrame, a mapping or ``(doc_id, text)`` pairs are loaded with
        :func:`textlab.load_corpus` (a directory lazily: only the manifest and the file
        list are read here). A :class:`~textlab.Corpus` is split as it is. A bag of
        ``(doc_id, text)`` pairs or a Dask DataFrame (one row per document, as for
        ``load_corpus``) keeps its partitions: each becomes a corpus on the worker.
    npartitions : int, optional
        For a path or corpus: the number of partitions, cut between documents so that
        each holds about the same amount of text (default: one per
        :data:`PARTITION_CHARS` characters, at least one). Ignored for bags and Dask
        DataFrames, which are partitioned already.
    manifest, profile, lang, encoding, id_column, text_column, max_words
        As in :func:`textlab.load_corpus`.

    Returns
    -------
    dask.bag.Bag
        One element per partition: a :class:`~textlab.Corpus` of consecutive documents,
        in corpus order, whose texts are read on the worker that uses it. Pass it to the
        other functions of this module (so a corpus is split once), or map your own
        function over it.

    Examples
    --------
    >>> from textlab import load_corpus, scale
    >>> c = load_corpus({"a": "One.", "b": "Two words.", "c": "Three more words."})
    >>> bag = scale.documents(c, npartitions=2)
    >>> [part.doc_ids for part in bag.compute(scheduler="sync")]
    [('a', 'b'), ('c',)]
    """
    import dask.bag as db

    options = dict(profile=profile, lang=lang, max_words=max_words)
    if isinstance(source, db.Bag):
        if source.name.startswith(_TAG):
            return source
        parts = source.map_partitions(_pairs_corpus, options)
        paper = profile == "paper"
    elif _is_dask_frame(source):
        from dask import delayed

        parts = db.from_delayed([delayed(_frame_corpus)(d, id_column, text_column, options) for d in source.to_delayed()])
        paper = profile == "paper" or (profile is None and "profile" in source.columns)
    else:
        if npartitions is not None:
            npartitions = check_int(npartitions, name="npartitions", func="scale.documents", minimum=1)
        if isinstance(source, Corpus):
            corpus = source
        else:
            corpus = load_corpus(source, manifest=manifest, profile=profile, lang=lang, encoding=encoding,
                                 id_column=id_column, text_column=text_column, max_words=max_words)
        slices = _slices(corpus, npartitions)
        parts = db.from_sequence(slices, partition_size=1).map_partitions(_slice_corpus, corpus._max_words)
        paper = any(d.profile == "paper" and not d.single_block for d in corpus._docs.values())
    if paper:  # every partition needs the vocabulary of all paper documents
        known = parts.reduction(_paper_words, _union)
        return parts.map_partitions(_with_known_words, known, token=_TAG)
    return parts.map_partitions(list, token=_TAG)


def _is_dask_frame(source) -> bool:
    return type(source).__module__.startswith("dask.dataframe") or (
        "dask.dataframe" in sys.modules and isinstance(source, sys.modules["dask.dataframe"].DataFrame)
    )


def _sizes(corpus: Corpus) -> np.ndarray:
    """Size of each document's text (bytes on disk, or characters in memory)."""
    sizes = []
    for d in corpus._docs.values():
        if d.text_value is not None:
            sizes.append(len(d.text_value))
        else:
            try:
                sizes.append(os.path.getsize(d.path))
            except OSError:
                sizes.append(0)  # reading it on the worker raises the error that names the file
    return np.asarray(sizes, dtype=np.float64)


class _Slice:
    """One partition's (documents, docvars), with a cheap Dask token.

    Without ``__dask_tokenize__`` Dask would walk every document record to name the task
    (quadratic in practice); the documents' ids and the partition number name it uniquely.
    """

    __slots__ = ("docs", "docvars", "token")

    def __init__(self, docs, docvars, token):
        self.docs, self.docvars, self.token = docs, docvars, token

    def __dask_tokenize__(self):
        return self.token


def _slices(corpus: Corpus, npartitions: int | None) -> list[_Slice]:
    """(documents, docvars) of each partition: consecutive documents of about equal size."""
    docs = list(corpus._docs.values())
    sizes = _sizes(corpus) + 1.0  # empty documents cost something too
    total = float(sizes.sum())
    n = npartitions if npartitions is not None else max(1, math.ceil(total / PARTITION_CHARS))
    n = min(n, len(docs))
    ends = np.concatenate([[0.0], np.cumsum(sizes)])  # ends[k]: text in the first k documents
    targets = total * np.arange(1, n) / n
    above = np.clip(np.searchsorted(ends, targets), 1, len(docs))
    cuts = np.where(ends[above] - targets <= targets - ends[above - 1], above, above - 1)  # the nearest cut
    bounds = np.unique(np.concatenate([[0], np.clip(cuts, 1, len(docs)), [len(docs)]])).tolist()
    if n == len(docs):
        bounds = list(range(len(docs) + 1))
    out, call = [], uuid.uuid4().hex  # a fresh name per call: no two corpora share task keys
    for a, b in zip(bounds[:-1], bounds[1:]):
        # each partition carries only its own files' first-read stamps (see _Document.raw)
        stamps = {d.path: d.stamps[d.path] for d in docs[a:b] if d.stamps and d.path in d.stamps}
        chunk = [_with_stamps(d, stamps) if d.path is not None else d for d in docs[a:b]]
        token = ("textlab-slice", call, a, b)
        out.append(_Slice(chunk, corpus._docvars.iloc[a:b], token))
    return out


def _with_stamps(doc, stamps: dict):
    """``dataclasses.replace(doc, stamps=stamps)``, ten times faster (it runs once per document)."""
    return _Document(*[stamps if f == "stamps" else getattr(doc, f) for f in _DOCUMENT_FIELDS])


_DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(_Document))


def _slice_corpus(items, max_words: int) -> list[Corpus]:
    return [Corpus(item.docs, item.docvars, max_words=max_words) for item in items]


def _pairs_corpus(pairs, options: dict) -> list[Corpus]:
    pairs = list(pairs)
    return [load_corpus(pairs, **options)] if pairs else []


def _frame_corpus(frame: pd.DataFrame, id_column: str, text_column: str, options: dict) -> list[Corpus]:
    return [load_corpus(frame, id_column=id_column, text_column=text_column, **options)] if len(frame) else []


def _paper_words(parts) -> frozenset:
    return frozenset().union(*(p._known_words for p in parts))


def _union(sets) -> frozenset:
    return frozenset().union(*sets)


def _with_known_words(parts, known: frozenset) -> list[Corpus]:
    out = []
    for part in parts:
        fresh = Corpus(list(part._docs.values()), part._docvars, max_words=part._max_words)
        fresh.__dict__["_known_words"] = known  # the cached_property, as the whole corpus would compute it
        out.append(fresh)
    return out


# ---------------------------------------------------------------------------------------
# Running a verb on every partition


def _run(part: Corpus, *, func, args: tuple):
    """``func(part, *args)`` with the warnings it raised (NoMatchWarning is decided globally)
    and the partition's doc_ids (unique within it; the client checks across partitions).

    Only warnings that textlab raised are kept: ``catch_warnings`` records the whole
    process, so another thread's or library's warnings would reach the client as if the
    verb had raised them. A file that a Dask worker cannot read is named with where the
    worker looked.
    """
    with _WARNINGS, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = func(part, *args)
        except CorpusError as err:
            worker = _worker_address()
            if worker is None or type(err) is not CorpusError:  # a DecodingError: the worker did read the file
                raise
            raise CorpusError(
                f"{err} (read on the Dask worker {worker}, working directory {os.getcwd()}: every worker must see "
                f"the corpus files at the paths the client gave, with the same textlab installed)"
            ) from None
    notes = [(w.category, str(w.message)) for w in caught
             if not issubclass(w.category, NoMatchWarning) and _from_textlab(w)]
    return out, notes, part.doc_ids


def _from_textlab(w: warnings.WarningMessage) -> bool:
    return issubclass(w.category, TextlabWarning) or os.path.abspath(w.filename).startswith(_PACKAGE)


def _worker_address() -> str | None:
    """The address of the Dask worker running this task, None outside a worker."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        return distributed.get_worker().address
    except ValueError:
        return None


_SCHEDULER_NAMES = ("sync", "synchronous", "single-threaded", "threads", "threading", "processes", "multiprocessing")


def _check_scheduler(scheduler) -> None:
    if scheduler is None or callable(scheduler) or _is_client(scheduler) or scheduler in _SCHEDULER_NAMES:
        return
    raise ParameterError(
        f"The 'scheduler' parameter must be None, a distributed Client or one of {', '.join(map(repr, _SCHEDULER_NAMES))}; "
        f"got {scheduler!r}."
    )


def _is_client(scheduler) -> bool:
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(scheduler, distributed.Client)


def _gather_as_completed(client, bag) -> list:
    """The bag's elements, in order, each partition fetched from its worker as soon as it is done.

    ``dask.compute`` fetches every result after the last task ends, so the client would
    receive all of them (tens of MB of sparse counts) while the workers sit idle.
    """
    from distributed import as_completed

    futures = client.compute(bag.to_delayed())
    position = {future.key: i for i, future in enumerate(futures)}
    parts: list = [None] * len(futures)
    for future in as_completed(futures):
        parts[position[future.key]] = future.result()
    return [element for part in parts for element in part]


def _map(source, func, args: tuple, *, npartitions, scheduler) -> list:
    """Results of ``func(part, *args)`` for every partition, in corpus order.

    Warnings from the partitions are raised again here, once per distinct message.
    """
    import dask

    _check_scheduler(scheduler)
    mapped = documents(source, npartitions=npartitions).map(partial(_run, func=func, args=args))
    if _is_client(scheduler):
        results = _gather_as_completed(scheduler, mapped)
    else:
        (results,) = dask.compute(mapped, scheduler=scheduler)
    ids = pd.Index([d for _, _, doc_ids in results for d in doc_ids])
    if ids.has_duplicates:  # a bag of pairs is checked per partition only, where each is built
        raise CorpusError(f"Duplicate doc_id(s) {sorted(ids[ids.duplicated()].unique().tolist())[:20]} in the "
                          "corpus source (in different partitions); give each document a unique id.")
    seen, outs = set(), []
    for out, notes, _ in results:
        for category, message in notes:
            if (category, message) not in seen:
                seen.add((category, message))
                warnings.warn(message, category, stacklevel=outside_stacklevel())
        outs.append(out)
    if not outs:
        raise CorpusError("The corpus source holds no documents.")
    return outs


# ---------------------------------------------------------------------------------------
# Term counts


def _part_counts(part: Corpus, by, lower, numbers, stopwords, headings):
    from .tokenize import document_term_matrix as dtm_in_process

    dtm = dtm_in_process(part, by=by, lower=lower, numbers=numbers, stopwords=stopwords, headings=headings)
    groups = None if by in ("doc", "segment") else list(dict.fromkeys(part._docvars[by].tolist()))
    matrix = dtm.matrix
    if len(matrix.data) and matrix.data.max() < 2**31:  # half the bytes to send; the merge widens them again
        matrix = matrix.astype(np.int32)
    return dtm.units, dtm.terms, matrix, groups


def _merged_counts(results, by: str):
    """Units, sorted terms and CSR matrix of the whole corpus from the partitions' matrices."""
    from scipy import sparse

    # One hash pass numbers every partition's terms; sorting the distinct ones gives each
    # its column (the client's serial share of the work, so kept to C loops but one sort).
    every_term = np.concatenate([np.asarray(r[1], dtype=object) for r in results] + [np.zeros(0, object)])
    codes, distinct = pd.factorize(every_term)
    order = np.array(sorted(range(len(distinct)), key=distinct.__getitem__), dtype=np.int64)
    column = np.empty(len(order), np.int64)
    column[order] = np.arange(len(order))
    terms = distinct[order].tolist()
    starts = np.cumsum([0] + [len(r[1]) for r in results])
    units, data, cols, sizes = [], [], [], []
    for (part_units, _, m, _), a, b in zip(results, starts[:-1], starts[1:]):
        # both vocabularies are sorted, so the new column numbers keep each row sorted
        remap = column[codes[a:b]]
        units.extend(part_units)
        data.append(m.data.astype(np.int64, copy=False))
        cols.append(remap[m.indices])
        sizes.append(np.diff(m.indptr))
    data, cols = np.concatenate(data), np.concatenate(cols)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(sizes))]).astype(np.int64)
    if by not in ("doc", "segment"):  # pool the groups' rows, groups in order of first appearance
        order = list(dict.fromkeys(g for r in results for g in r[3]))
        code = {g: i for i, g in enumerate(order)}
        rows = np.fromiter((code[u] for u in units), np.int64, len(units))
        stacked = sparse.csr_matrix((data, cols, indptr), shape=(len(units), len(terms)))
        pool = sparse.csr_matrix((np.ones(len(units), np.int64), (rows, np.arange(len(units)))), shape=(len(order), len(units)))
        pooled = (pool @ stacked).tocsr()
        pooled.sum_duplicates()
        pooled.sort_indices()
        keep = np.diff(pooled.indptr) > 0  # as in-process: a group without counts has no row
        pooled = pooled[np.flatnonzero(keep)]
        units = [g for g, k in zip(order, keep.tolist()) if k]
        data, cols, indptr = pooled.data.astype(np.int64), pooled.indices, pooled.indptr
    ptr = indptr.astype(np.int32 if len(cols) < 2**31 else np.int64)
    matrix = sparse.csr_matrix((data, cols.astype(ptr.dtype, copy=False), ptr), shape=(len(units), len(terms)))
    matrix.sort_indices()
    return units, terms, matrix


def _counts(source, by, lower, numbers, stopwords, headings, npartitions, scheduler, func: str):
    if not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of {func} must be 'doc', 'segment' or a docvar name; got {by!r}.")
    lower, numbers, headings = check_bools(func, lower=lower, numbers=numbers, headings=headings)
    from .tokenize import _check_counting, _stopword_argument

    if isinstance(source, Corpus):
        _check_counting(source, by, func)  # a bad or incomplete docvar fails before any work is sent
    stop = None if stopwords is None else _stopword_argument(stopwords, func)
    args = (by, lower, numbers, stop, headings)
    results = _map(source, _part_counts, args, npartitions=npartitions, scheduler=scheduler)
    return _merged_counts(results, by)


def count_terms(
    source,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
    npartitions: int | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """:func:`textlab.count_terms` on Dask: term counts per document, segment or group.

    Parameters
    ----------
    source
        What :func:`documents` takes, or the bag it returns.
    by, lower, numbers, stopwords, headings
        As in :func:`textlab.count_terms`.
    npartitions : int, optional
        Passed to :func:`documents` (paths and corpora only).
    scheduler : distributed.Client, str or None
        Where to run (see the module notes); ``None``: Dask's default.

    Returns
    -------
    pandas.DataFrame
        Exactly what :func:`textlab.count_terms` returns on the whole corpus: columns
        ``unit, term, count``, sorted by unit (corpus order) and term.

    Examples
    --------
    >>> import pandas as pd
    >>> from textlab import load_corpus, scale
    >>> c = load_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["Win-win.", "Lock-in.", "Win-win!"],
    ...                               "side": ["cn", "ext", "cn"]}))
    >>> scale.count_terms(c, by="side", npartitions=3, scheduler="sync").values.tolist()
    [['cn', 'win-win', 2], ['ext', 'lock-in', 1]]
    """
    from .tokenize import DocumentTermMatrix

    units, terms, matrix = _counts(source, by, lower, numbers, stopwords, headings, npartitions, scheduler,
                                   "scale.count_terms")
    return DocumentTermMatrix(matrix=matrix, units=units, terms=terms).to_frame()


def document_term_matrix(
    source,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
    npartitions: int | None = None,
    scheduler=None,
):
    """:func:`textlab.document_term_matrix` on Dask (parameters as in :func:`count_terms`).

    Returns
    -------
    textlab.tokenize.DocumentTermMatrix
        The same units, terms and CSR matrix (int64 counts) as in-process.

    Examples
    --------
    >>> from textlab import load_corpus, scale
    >>> dtm = scale.document_term_matrix(load_corpus([("a", "win-win win-win"), ("b", "lock-in")]),
    ...                                  npartitions=2, scheduler="sync")
    >>> dtm.units, dtm.terms, dtm.matrix.toarray().tolist()
    (['a', 'b'], ['lock-in', 'win-win'], [[0, 2], [1, 0]])
    """
    from .tokenize import DocumentTermMatrix

    units, terms, matrix = _counts(source, by, lower, numbers, stopwords, headings, npartitions, scheduler,
                                   "scale.document_term_matrix")
    return DocumentTermMatrix(matrix=matrix, units=list(units), terms=list(terms))


# ---------------------------------------------------------------------------------------
# Frames


def _common_unmatched(results) -> list:
    """Patterns unmatched in every partition, in the order the in-process verb lists them."""
    later = [set(r) for r in results[1:]]
    return [u for u in results[0] if all(u in s for s in later)]


def _all_langs(results) -> list[str]:
    return sorted(set().union(*results))


def _part_frame_units(part: Corpus, cb, by, level, headings):
    from .frames import _units

    units, r = _units(part, cb, level, headings)
    index = part.index(headings=headings)
    groups = None
    if by not in ("doc", "segment"):
        doc_ids = list(index.doc_ids)
        groups = list(zip(part._group_values(by, "frame_counts").reindex(doc_ids).tolist(),
                          part._group_values("lang").reindex(doc_ids).tolist()))  # (group, language) per document
    segment_ids = index.segment_ids if by == "segment" else None
    return index.doc_ids, segment_ids, groups, units, r.unmatched, r.langs


def frame_counts(
    source,
    codebook,
    *,
    by: str = "doc",
    ci: float | None = 0.95,
    n_boot: int = 2000,
    resample: str | None = None,
    random_state=0,
    headings: bool = False,
    npartitions: int | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """:func:`textlab.frame_counts` on Dask: net frame counts, rates and bootstrap intervals.

    Matches and token counts per resampling unit (document, segment or sentence) are
    computed on the partitions; pooling and the bootstrap run here on that small
    table, drawing from the same random stream as :func:`textlab.frame_counts`, so the
    intervals are identical too.

    Parameters
    ----------
    source
        What :func:`documents` takes, or the bag it returns.
    codebook, by, ci, n_boot, resample, random_state, headings
        As in :func:`textlab.frame_counts`.
    npartitions, scheduler
        As in :func:`count_terms`.

    Returns
    -------
    pandas.DataFrame
        What :func:`textlab.frame_counts` returns on the whole corpus.

    Examples
    --------
    >>> from textlab import load_corpus, scale
    >>> c = load_corpus([("a", "Win-win. Mutual benefit for both.\\n\\nA shared future."), ("b", "Lock-in.")])
    >>> cb = {"frames": [{"id": "F01", "label": "Win-win", "patterns": ["win-win", "mutual benefit*"]}]}
    >>> scale.frame_counts(c, cb, ci=None, npartitions=2, scheduler="sync")[["unit", "count", "tokens"]].values.tolist()
    [['a', 2, 8], ['b', 0, 1]]
    """
    from .frames import _as_codebook, _count_options, _count_table, _unit_level, _Units, _warn_unmatched

    cb = _as_codebook(codebook, "frame_counts")
    if not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of frame_counts must be 'doc', 'segment' or a docvar name; got {by!r}.")
    if isinstance(source, Corpus) and by not in ("doc", "segment"):
        source._group_values(by, "frame_counts")  # a bad docvar fails before any work is sent
    ci, n_boot, resample, rng = _count_options(by, ci, n_boot, resample, random_state)
    headings = check_bool(headings, name="headings", func="scale.frame_counts")
    level = _unit_level(by, ci, resample)
    results = _map(source, _part_frame_units, (cb, by, level, headings), npartitions=npartitions, scheduler=scheduler)
    _warn_unmatched(cb, _common_unmatched([r[4] for r in results]), _all_langs([r[5] for r in results]))
    doc_base = np.cumsum([0] + [len(r[0]) for r in results])
    seg_base = np.cumsum([0] + [len(r[1]) if r[1] is not None else 0 for r in results])
    units = _Units(
        doc=np.concatenate([r[3].doc + b for r, b in zip(results, doc_base)]),
        segment=np.concatenate([np.where(r[3].segment >= 0, r[3].segment + b, -1) for r, b in zip(results, seg_base)]),
        tokens=np.concatenate([r[3].tokens for r in results]),
        counts=np.concatenate([r[3].counts for r in results]).reshape(-1, len(cb)),
    )
    doc_ids = np.asarray([d for r in results for d in r[0]], dtype=object)
    if by == "doc":
        order, labels = doc_ids.tolist(), doc_ids[units.doc]
    elif by == "segment":
        segment_ids = np.concatenate([r[1] for r in results]).astype(object)
        order, labels = segment_ids.tolist(), segment_ids[units.segment]
    else:
        pairs = [pair for r in results for pair in r[2]]
        groups = np.empty(len(doc_ids), dtype=object)
        groups[:] = [g for g, _ in pairs]
        order, labels = list(dict.fromkeys(groups.tolist())), groups[units.doc]
        _warn_mixed_languages(((f"group {g!r}", lang) for g, lang in pairs), "frame_counts")
    return _count_table(units, order, labels, cb, ci=ci, n_boot=n_boot, resample=resample, rng=rng)


def _part_frame_matches(part: Corpus, cb, headings, window):
    from .frames import _match_frames
    from .frames import frame_matches as frame_matches_in_process

    df = frame_matches_in_process(part, cb, headings=headings, window=window)
    r = _match_frames(part, cb, headings)  # the index is cached: matching again is cheap
    return df, r.unmatched, r.langs


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise concatenation that keeps the dtypes of the parts (also when some are empty)."""
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].reset_index(drop=True)
    return pd.concat(full, ignore_index=True) if len(full) > 1 else full[0].reset_index(drop=True)


def frame_matches(
    source,
    codebook,
    *,
    headings: bool = False,
    window: int = 8,
    npartitions: int | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """:func:`textlab.frame_matches` on Dask: every raw match of every frame, kept or excluded.

    Parameters
    ----------
    source
        What :func:`documents` takes, or the bag it returns.
    codebook, headings, window
        As in :func:`textlab.frame_matches`.
    npartitions, scheduler
        As in :func:`count_terms`.

    Returns
    -------
    pandas.DataFrame
        What :func:`textlab.frame_matches` returns on the whole corpus (rows by frame,
        then document; ``span_id`` numbered over the whole corpus).

    Examples
    --------
    >>> from textlab import load_corpus, scale
    >>> c = load_corpus([("a", "Win-win."), ("b", "Mutual benefit, win-win.")])
    >>> cb = {"frames": [{"id": "F01", "label": "Win-win", "patterns": ["win-win", "mutual benefit*"]}]}
    >>> scale.frame_matches(c, cb, npartitions=2, scheduler="sync")[["doc_id", "matched", "span_id"]].values.tolist()
    [['a', 'Win-win', 0], ['b', 'Mutual benefit', 1], ['b', 'win-win', 2]]
    """
    from .frames import _as_codebook, _warn_unmatched

    cb = _as_codebook(codebook, "frame_matches")
    window = check_int(window, name="window", func="frame_matches", minimum=1)
    headings = check_bool(headings, name="headings", func="scale.frame_matches")
    results = _map(source, _part_frame_matches, (cb, headings, window), npartitions=npartitions, scheduler=scheduler)
    _warn_unmatched(cb, _common_unmatched([r[1] for r in results]), _all_langs([r[2] for r in results]))
    frames = [r[0] for r in results]
    number = {f: i for i, f in enumerate(cb.ids)}
    # spans per (partition, frame); a partition numbers its spans frame after frame
    spans = np.zeros((len(frames), len(cb)), np.int64)
    for p, df in enumerate(frames):
        kept = df[df["span_id"] >= 0]
        for f, n in kept.groupby("frame", sort=False)["span_id"].nunique().items():
            spans[p, number[f]] = n
    local_base = np.cumsum(spans, axis=1) - spans  # first span id of each frame in its partition
    frame_base = np.cumsum(spans.sum(axis=0)) - spans.sum(axis=0)  # ... over the whole corpus
    global_base = frame_base + np.cumsum(spans, axis=0) - spans
    for p, df in enumerate(frames):
        if len(df):
            f = df["frame"].map(number).to_numpy(np.int64)
            shift = (global_base[p] - local_base[p])[f]
            df["span_id"] = np.where(df["span_id"] >= 0, df["span_id"].to_numpy(np.int64) + shift, -1).astype(np.int64)
    out = _concat(frames)
    order = np.argsort(out["frame"].map(number).to_numpy(np.int64), kind="stable")
    return out.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# KWIC


def _part_kwic(part: Corpus, patterns, window, docvars, limit, headings, window_unit):
    from .kwic import _docvar_columns, _kwic

    return _kwic(part, patterns, window, limit, _docvar_columns(part, docvars), headings, window_unit)


def kwic(
    source,
    pattern,
    window: int = 5,
    *,
    match: str = "glob",
    case_sensitive: bool = False,
    docvars=False,
    limit: int | None = None,
    headings: bool = False,
    window_unit: str = "tokens",
    npartitions: int | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """:func:`textlab.kwic` on Dask: every match of a pattern with the words around it.

    Contexts never cross documents, so each partition finds its own lines; they are
    concatenated in corpus order.

    Parameters
    ----------
    source
        What :func:`documents` takes, or the bag it returns.
    pattern, window, match, case_sensitive, docvars, limit, headings, window_unit
        As in :func:`textlab.kwic` (``limit`` keeps the first lines in corpus order).
    npartitions, scheduler
        As in :func:`count_terms`.

    Returns
    -------
    pandas.DataFrame
        What :func:`textlab.kwic` returns on the whole corpus, ``attrs`` included
        (``n_matches`` and ``truncated`` count the matches of every partition), and one
        :class:`~textlab.errors.NoMatchWarning` naming the patterns without a match in the
        whole corpus.

    Examples
    --------
    >>> from textlab import load_corpus, scale
    >>> c = load_corpus([("a", "It fosters technological dependency."), ("b", "Not dependency but interdependence.")])
    >>> scale.kwic(c, "depend*", window=2, npartitions=2, scheduler="sync")[["doc_id", "left", "match"]].values.tolist()
    [['a', 'fosters technological', 'dependency'], ['b', 'Not', 'dependency']]
    """
    from .kwic import MATCH_TYPES, WINDOW_UNITS, _as_patterns
    from .patterns import _warn_unmatched_sources

    window = check_int(window, name="window", func="kwic", minimum=1)
    check_choice(match, MATCH_TYPES, name="match", func="kwic")
    check_choice(window_unit, WINDOW_UNITS, name="window_unit", func="kwic")
    if limit is not None:
        limit = check_int(limit, name="limit", func="kwic", minimum=1)
    headings = check_bool(headings, name="headings", func="scale.kwic")
    patterns = _as_patterns(pattern, match=match, case_sensitive=case_sensitive, func="kwic")  # fail early
    if isinstance(source, Corpus):
        from .kwic import _docvar_columns

        _docvar_columns(source, docvars)  # an unknown docvar fails before any work is sent
    args = (patterns, window, docvars, limit, headings, window_unit)
    results = _map(source, _part_kwic, args, npartitions=npartitions, scheduler=scheduler)
    parts = [df for df, _ in results]
    n_matches = sum(p.attrs["n_matches"] for p in parts)
    out = _concat(parts)
    if limit is not None and len(out) > limit:
        out = out.iloc[:limit]
    out.attrs = {"n_matches": n_matches, "truncated": len(out) < n_matches}
    _warn_unmatched_sources(_common_unmatched([u for _, u in results]), "kwic")
    return out
