"""A corpus-wide token index: token ids and character offsets as numpy arrays.

KWIC, frame matching and term counting all work on this index instead of Python objects
per token: each token is an ``int32`` id into a sorted vocabulary of lower-cased,
normalised forms, with its ``int32`` start and end offsets into its document's cleaned
text. Tokens are stored document after document; ``doc_offsets`` marks where each
document's tokens begin, so no context ever crosses a document boundary. Segments are
runs of consecutive tokens too: ``segment_offsets`` marks where each begins, and the
per-token ``segment_index`` and the ``segment_ids`` strings are derived from it on first
use, so the index costs 12 bytes per token (plus the vocabulary) until they are asked for.

The index is built document by document from the files (see :mod:`textlab.corpus`):
no Python string per token is kept, the arrays grow in place in memory maps
(:class:`_Buffer`), and the vocabulary is a dict of the distinct forms only.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd

__all__ = ["CorpusIndex", "build_index", "segment_bounds"]

_INT32_MAX = np.iinfo(np.int32).max
# Private anonymous maps: a shared one (mmap's default) cannot grow with mremap (SIGBUS).
_MAP_FLAGS = {"flags": mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS} if hasattr(mmap, "MAP_ANONYMOUS") else {}
_REMAP_CHUNK = 1 << 20


@dataclass(frozen=True, eq=False)
class CorpusIndex:
    """Token ids and offsets of every (body) token in a corpus.

    Attributes
    ----------
    vocab : numpy.ndarray of str (object)
        Sorted vocabulary; a token's id is its position here.
    term_ids : numpy.ndarray of int32
        Id of each token, documents concatenated in corpus order.
    starts, ends : numpy.ndarray of int32
        Offsets of each token in its document's cleaned text.
    doc_ids : tuple of str
        Documents in corpus order.
    doc_offsets : numpy.ndarray of int64
        ``len(doc_ids) + 1`` boundaries: document ``d`` owns tokens
        ``doc_offsets[d]:doc_offsets[d + 1]``.
    segment_offsets : numpy.ndarray of int64
        ``n_segments + 1`` boundaries: segment ``s`` owns tokens
        ``segment_offsets[s]:segment_offsets[s + 1]`` (segments without tokens own none).
    segment_docs : numpy.ndarray of int32
        Document number (row in ``doc_ids``) of each segment.
    segment_numbers : numpy.ndarray of int32
        Row of each segment in its document's segment table (the ``nnn`` of its id).
    segment_starts, segment_ends : numpy.ndarray of int64
        Character offsets of each segment in its document's cleaned text.
    segment_index : numpy.ndarray of int32
        For each token, the row of its segment in ``segment_ids`` (computed on first use;
        :meth:`segment_of` answers for a few positions without it).
    segment_ids : numpy.ndarray of str (object)
        Segment ids (``"<doc_id>:<nnn>"``) of all indexed segments, in corpus order
        (computed on first use).
    numbers, headings : bool
        The options the index was built with.
    """

    vocab: np.ndarray
    term_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    doc_ids: tuple
    doc_offsets: np.ndarray
    segment_offsets: np.ndarray
    segment_docs: np.ndarray
    segment_numbers: np.ndarray
    segment_starts: np.ndarray
    segment_ends: np.ndarray
    numbers: bool = True
    headings: bool = False

    def __len__(self) -> int:
        return len(self.term_ids)

    @cached_property
    def segment_index(self) -> np.ndarray:
        n = len(self.segment_docs)
        return np.repeat(np.arange(n, dtype=np.int32), np.diff(self.segment_offsets))

    @cached_property
    def segment_ids(self) -> np.ndarray:
        docs = self.doc_ids
        ids = [f"{docs[d]}:{n:03d}" for d, n in zip(self.segment_docs.tolist(), self.segment_numbers.tolist())]
        return np.array(ids, dtype=object) if ids else np.array([], dtype=object)

    def term_id(self, term: str) -> int:
        """Id of ``term`` (lower-cased normalised form), or -1 if it does not occur."""
        i = int(np.searchsorted(self.vocab, term))
        return i if i < len(self.vocab) and self.vocab[i] == term else -1

    def frequencies(self) -> np.ndarray:
        """Corpus frequency of each vocabulary entry (int64, aligned with ``vocab``)."""
        return np.bincount(self.term_ids, minlength=len(self.vocab)).astype(np.int64)

    def doc_of(self, token_positions: np.ndarray) -> np.ndarray:
        """Document number (row in ``doc_ids``) of each token position."""
        return np.searchsorted(self.doc_offsets, token_positions, side="right") - 1

    def segment_of(self, token_positions: np.ndarray) -> np.ndarray:
        """Segment number (row in ``segment_ids``) of each token position."""
        return np.searchsorted(self.segment_offsets, token_positions, side="right") - 1

    @cached_property
    def _postings(self) -> tuple[np.ndarray, np.ndarray]:
        # Inverted index, one int32 per token.
        order, bounds = _build_postings(self.term_ids, len(self.vocab))
        return order.astype(np.int32), bounds

    def positions(self, term_ids) -> np.ndarray:
        """Sorted token positions of any of ``term_ids`` (an int or a sequence of ints).

        The first call builds an inverted index (one int32 per token, 0.4 s for 9M
        tokens); every later call costs time proportional to its hits.

        Examples
        --------
        >>> from textlab import load_corpus
        >>> idx = build_index(load_corpus([("a", "win-win and win-win"), ("b", "lock-in")]))
        >>> idx.positions(idx.term_id("win-win")).tolist()
        [0, 2]
        """
        order, bounds = self._postings
        ids = np.atleast_1d(np.asarray(term_ids, dtype=np.int64))
        ids = ids[(ids >= 0) & (ids < len(self.vocab))]
        parts = [order[bounds[t] : bounds[t + 1]] for t in ids.tolist()]
        if not parts:
            return np.zeros(0, np.int64)
        out = np.concatenate(parts).astype(np.int64)
        if len(parts) > 1:
            out.sort()
        return out

    def tokens_frame(self) -> pd.DataFrame:
        """All tokens as a DataFrame: ``doc_id, segment_id, token, start, end``."""
        doc_number = self.doc_of(np.arange(len(self.term_ids)))
        return pd.DataFrame(
            {
                "doc_id": np.asarray(self.doc_ids, dtype=object)[doc_number],
                "segment_id": self.segment_ids[self.segment_index],
                "token": self.vocab[self.term_ids],
                "start": self.starts.astype(np.int64),
                "end": self.ends.astype(np.int64),
            }
        )


class _Buffer:
    """An append-only numpy array in an anonymous memory map.

    Growing re-maps pages (``mremap``) instead of copying them, capacity not yet written
    costs no memory, and the map never sits on the malloc heap. The alternatives all
    cost more at the peak: a list of per-document arrays concatenated at the end needs
    twice the memory for a moment, and ``array.array`` (realloc on the heap while it is
    small) left ~30 MB of holes behind on the 10x benchmark corpus.
    """

    def __init__(self, dtype, values=()):
        self.dtype = np.dtype(dtype)
        self.n = 0
        self.map = mmap.mmap(-1, 1 << 16, **_MAP_FLAGS)
        if len(values):
            self.extend(values)

    def __len__(self) -> int:
        return self.n

    def extend(self, values) -> None:
        values = np.ascontiguousarray(values, dtype=self.dtype)
        start, stop = self.n * self.dtype.itemsize, (self.n + len(values)) * self.dtype.itemsize
        if stop > len(self.map):
            self._resize(max(stop, 2 * len(self.map)))
        self.map[start:stop] = values
        self.n += len(values)

    def _resize(self, size: int) -> None:
        try:
            self.map.resize(size)
        except (OSError, SystemError, ValueError):  # no mremap (not Linux): copy into a new map
            new = mmap.mmap(-1, size, **_MAP_FLAGS)
            new[: len(self.map)] = self.map
            self.map.close()
            self.map = new

    def array(self) -> np.ndarray:
        """The values (a view of the map, which then no longer grows)."""
        if self.n == 0:
            return np.zeros(0, self.dtype)
        self._resize(self.n * self.dtype.itemsize)  # give the unused capacity back
        return np.frombuffer(self.map, dtype=self.dtype, count=self.n)


class _Vocab(dict):
    """Form -> id; a form not seen before gets the next id when it is looked up."""

    def __missing__(self, form):
        self[form] = n = len(self)
        return n


def _ids(vocab: _Vocab, forms) -> np.ndarray:
    """``[vocab[f] for f in forms]`` as int32 (new forms numbered), no Python call per form."""
    if len(forms) == 0:
        return np.zeros(0, np.int32)
    got = itemgetter(*forms)(vocab)
    return np.array(got if len(forms) > 1 else (got,), dtype=np.int32)


def _sorted_vocab(vocab: dict[bytes, int], ids: np.ndarray) -> np.ndarray:
    """Renumber ``ids`` (in place) from first-seen order to sorted order; the sorted terms."""
    keys = list(vocab)
    vocab.clear()
    order = sorted(range(len(keys)), key=keys.__getitem__)  # UTF-8 byte order is code point order
    rank = np.empty(len(keys), np.int32)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(keys), dtype=np.int32)
    for i in range(0, len(ids), _REMAP_CHUNK):
        ids[i : i + _REMAP_CHUNK] = rank[ids[i : i + _REMAP_CHUNK]]
    terms = np.empty(len(keys), dtype=object)
    for j, i in enumerate(order):  # one form at a time, so bytes and str never all coexist
        terms[j] = keys[i].decode("utf-8")
        keys[i] = None
    return terms


def _build_postings(ids: np.ndarray, n_ids: int) -> tuple[np.ndarray, np.ndarray]:
    """Token positions grouped by id, ascending within each id (int64), and where each
    id's positions begin (``n_ids + 1`` bounds): the inverted index of ``ids``."""
    bounds = np.zeros(n_ids + 1, np.int64)
    np.cumsum(np.bincount(ids, minlength=n_ids), out=bounds[1:])
    return _grouped_positions(ids, n_ids), bounds


def _grouped_positions(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """Positions ``0 .. len(ids) - 1`` grouped by their id, ascending within each id (int64).

    What ``np.argsort(ids, kind="stable")`` returns, about four times faster on a large
    corpus: each (id, position) pair is packed into one int64 and the pairs are sorted as
    values, in place (the keys are unique, so the order is the stable one).

    Examples
    --------
    >>> _grouped_positions(np.array([2, 0, 2, 1, 0]), 3).tolist()
    [1, 4, 3, 0, 2]
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, np.int64)
    shift = n.bit_length()
    if int(n_ids) << shift >= 2**63:  # pragma: no cover - beyond any corpus
        return np.argsort(ids, kind="stable").astype(np.int64)
    key = np.asarray(ids).astype(np.int64)
    key <<= shift
    for lo in range(0, n, _REMAP_CHUNK):  # chunks: no second array as long as the corpus
        hi = min(lo + _REMAP_CHUNK, n)
        key[lo:hi] |= np.arange(lo, hi, dtype=np.int64)
    key.sort()
    key &= (1 << shift) - 1
    return key


def segment_bounds(corpus, index: CorpusIndex) -> tuple[np.ndarray, np.ndarray]:
    """Character ``start, end`` (int64) of every indexed segment, aligned with ``segment_ids``.

    The same values as the ``start``/``end`` columns of
    :meth:`textlab.Corpus.segment_table`, recorded while the index was built
    (``index.segment_starts``, ``index.segment_ends``), so no document is segmented again.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "One two.\\n\\nThree."), ("b", "Four")])
    >>> [b.tolist() for b in segment_bounds(c, c.index())]
    [[0, 10, 0], [8, 16, 4]]
    """
    return index.segment_starts, index.segment_ends


def build_index(corpus, *, numbers: bool = True, headings: bool = False) -> CorpusIndex:
    """Index every body token of ``corpus`` (headings too with ``headings=True``).

    Prefer :meth:`textlab.Corpus.index`, which builds the index once and caches it.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> idx = build_index(load_corpus([("a", "Win-win. Win-win!"), ("b", "Lock-in")]))
    >>> idx.vocab.tolist(), idx.term_ids.tolist(), idx.doc_offsets.tolist()
    (['lock-in', 'win-win'], [1, 1, 0], [0, 2, 3])
    """
    vocab = _Vocab()
    term_ids, starts, ends = _Buffer(np.int32), _Buffer(np.int32), _Buffer(np.int32)
    seg_offsets, seg_docs, seg_numbers = _Buffer(np.int64, [0]), _Buffer(np.int32), _Buffer(np.int32)
    seg_starts, seg_ends = _Buffer(np.int64), _Buffer(np.int64)
    doc_offsets = np.zeros(len(corpus) + 1, np.int64)
    for d, doc_id in enumerate(corpus._progress(corpus.doc_ids, "indexing")):
        t = corpus._doc_tokens(doc_id, numbers=numbers, headings=headings)
        if len(t.text) > _INT32_MAX:
            from .errors import CorpusError

            raise CorpusError(f"Document {doc_id!r} has {len(t.text)} characters; the index takes up to {_INT32_MAX}.")
        base = len(term_ids)
        term_ids.extend(_ids(vocab, t.forms))
        starts.extend(t.starts)
        ends.extend(t.ends)
        seg_offsets.extend(t.seg_offsets[1:] + base)
        seg_docs.extend(np.full(len(t.seg_numbers), d))
        seg_numbers.extend(t.seg_numbers)
        seg_starts.extend(t.seg_starts)
        seg_ends.extend(t.seg_ends)
        doc_offsets[d + 1] = len(term_ids)
    ids = term_ids.array()
    terms = _sorted_vocab(vocab, ids)
    return CorpusIndex(
        vocab=terms,
        term_ids=ids,
        starts=starts.array(),
        ends=ends.array(),
        doc_ids=tuple(corpus.doc_ids),
        doc_offsets=doc_offsets,
        segment_offsets=seg_offsets.array(),
        segment_docs=seg_docs.array(),
        segment_numbers=seg_numbers.array(),
        numbers=numbers,
        headings=headings,
        segment_starts=seg_starts.array(),
        segment_ends=seg_ends.array(),
    )
