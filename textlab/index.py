"""A corpus-wide token index: token ids and character offsets as numpy arrays.

KWIC, frame matching and term counting all work on this index instead of Python objects
per token: each token is an ``int32`` id into a sorted vocabulary of lower-cased,
normalised forms, with its ``int64`` start and end offsets into its document's cleaned
text. Tokens are stored document after document; ``doc_offsets`` marks where each
document's tokens begin, so no context ever crosses a document boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CorpusIndex", "build_index"]


@dataclass(frozen=True, eq=False)
class CorpusIndex:
    """Token ids and offsets of every (body) token in a corpus.

    Attributes
    ----------
    vocab : numpy.ndarray of str (object)
        Sorted vocabulary; a token's id is its position here.
    term_ids : numpy.ndarray of int32
        Id of each token, documents concatenated in corpus order.
    starts, ends : numpy.ndarray of int64
        Offsets of each token in its document's cleaned text.
    doc_ids : tuple of str
        Documents in corpus order.
    doc_offsets : numpy.ndarray of int64
        ``len(doc_ids) + 1`` boundaries: document ``d`` owns tokens
        ``doc_offsets[d]:doc_offsets[d + 1]``.
    segment_index : numpy.ndarray of int32
        For each token, the row of its segment in ``segment_ids``.
    segment_ids : numpy.ndarray of str (object)
        Segment ids (``"<doc_id>:<nnn>"``) of all indexed segments, in corpus order.
    numbers, headings : bool
        The options the index was built with.
    """

    vocab: np.ndarray
    term_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    doc_ids: tuple
    doc_offsets: np.ndarray
    segment_index: np.ndarray
    segment_ids: np.ndarray
    numbers: bool = True
    headings: bool = False

    def __len__(self) -> int:
        return len(self.term_ids)

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

    def tokens_frame(self) -> pd.DataFrame:
        """All tokens as a DataFrame: ``doc_id, segment_id, token, start, end``."""
        doc_number = self.doc_of(np.arange(len(self.term_ids)))
        return pd.DataFrame(
            {
                "doc_id": np.asarray(self.doc_ids, dtype=object)[doc_number],
                "segment_id": self.segment_ids[self.segment_index],
                "token": self.vocab[self.term_ids],
                "start": self.starts,
                "end": self.ends,
            }
        )


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
    from .tokenize import lower_preserving

    forms, starts, ends, seg_index, seg_ids, offsets = [], [], [], [], [], [0]
    n_segments = 0
    for doc_id in corpus.doc_ids:
        s, e, si, ids = corpus._token_arrays(doc_id, numbers, headings)
        view = lower_preserving(corpus.norm(doc_id))
        forms.extend(view[a:b] for a, b in zip(s.tolist(), e.tolist()))
        starts.append(s)
        ends.append(e)
        seg_index.append(si + n_segments)
        seg_ids.append(ids)
        n_segments += len(ids)
        offsets.append(offsets[-1] + len(s))
    forms_array = np.array(forms, dtype=object)
    if len(forms_array):
        vocab, inverse = np.unique(forms_array, return_inverse=True)
    else:
        vocab, inverse = np.array([], dtype=object), np.zeros(0, np.int64)

    def cat(parts, dtype):
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    return CorpusIndex(
        vocab=vocab.astype(object),
        term_ids=inverse.astype(np.int32).ravel(),
        starts=cat(starts, np.int64),
        ends=cat(ends, np.int64),
        doc_ids=tuple(corpus.doc_ids),
        doc_offsets=np.asarray(offsets, dtype=np.int64),
        segment_index=cat(seg_index, np.int32),
        segment_ids=cat(seg_ids, object),
        numbers=numbers,
        headings=headings,
    )
