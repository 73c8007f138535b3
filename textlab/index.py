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
no Python string per token is kept, the arrays grow in place, and the vocabulary is a
dict of the distinct forms only.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd

__all__ = ["CorpusIndex", "build_index"]

_INT32_MAX = np.iinfo(np.int32).max
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
        # Inverted index: token positions grouped by term id (ascending within a term).
        order = np.argsort(self.term_ids, kind="stable").astype(np.int32)
        bounds = np.zeros(len(self.vocab) + 1, np.int64)
        np.cumsum(np.bincount(self.term_ids, minlength=len(self.vocab)), out=bounds[1:])
        return order, bounds

    def positions(self, term_ids) -> np.ndarray:
        """Sorted token positions of any of ``term_ids`` (an int or a sequence of ints).

        The first call builds an inverted index (one int32 per token, ~1 s for 10M
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


def _grow(buffer: array, values: np.ndarray) -> None:
    # array.array grows with realloc (no zero-filling, no copy of the whole when the
    # allocator can move pages), unlike a list of per-document arrays that must be
    # concatenated at the end -- which would need twice the memory for a moment.
    buffer.frombytes(np.ascontiguousarray(values, dtype=np.dtype(buffer.typecode)).tobytes())


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
    terms[:] = [keys[i].decode("utf-8") for i in order]
    return terms


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
    term_ids, starts, ends = array("i"), array("i"), array("i")
    seg_offsets, seg_docs, seg_numbers = array("q", [0]), array("i"), array("i")
    doc_offsets = np.zeros(len(corpus) + 1, np.int64)
    for d, doc_id in enumerate(corpus._progress(corpus.doc_ids, "indexing")):
        t = corpus._doc_tokens(doc_id, numbers=numbers, headings=headings)
        if len(t.text) > _INT32_MAX:
            from .errors import CorpusError

            raise CorpusError(f"Document {doc_id!r} has {len(t.text)} characters; the index takes up to {_INT32_MAX}.")
        base = len(term_ids)
        _grow(term_ids, _ids(vocab, t.forms))
        _grow(starts, t.starts)
        _grow(ends, t.ends)
        _grow(seg_offsets, t.seg_offsets[1:] + base)
        _grow(seg_docs, np.full(len(t.seg_numbers), d))
        _grow(seg_numbers, t.seg_numbers)
        doc_offsets[d + 1] = len(term_ids)
    ids = np.frombuffer(term_ids, dtype=np.int32) if len(term_ids) else np.zeros(0, np.int32)
    terms = _sorted_vocab(vocab, ids)

    def arr(buffer, dtype):
        return np.frombuffer(buffer, dtype=dtype) if len(buffer) else np.zeros(0, dtype)

    return CorpusIndex(
        vocab=terms,
        term_ids=ids,
        starts=arr(starts, np.int32),
        ends=arr(ends, np.int32),
        doc_ids=tuple(corpus.doc_ids),
        doc_offsets=doc_offsets,
        segment_offsets=arr(seg_offsets, np.int64),
        segment_docs=arr(seg_docs, np.int32),
        segment_numbers=arr(seg_numbers, np.int32),
        numbers=numbers,
        headings=headings,
    )
