"""The corpus token index agrees with per-document tokens."""

import numpy as np
import pytest

from textlab import load_corpus
from textlab.index import _grouped_positions


def test_index_matches_tokens(corpus):
    idx = corpus.index()
    assert len(idx) == corpus.n_tokens().sum() == 23851
    frame = idx.tokens_frame()
    for doc_id in corpus.doc_ids:
        ours = frame[frame["doc_id"] == doc_id].reset_index(drop=True)
        theirs = corpus.tokens(doc_id)
        assert ours["token"].tolist() == theirs["token"].tolist()
        assert ours["segment_id"].tolist() == theirs["segment_id"].tolist()
        assert np.array_equal(ours["start"].to_numpy(), theirs["start"].to_numpy())
    assert list(idx.vocab) == sorted(idx.vocab)
    assert idx.term_id("win-win") >= 0 and idx.vocab[idx.term_id("win-win")] == "win-win"
    assert idx.term_id("no-such-term") == -1
    assert corpus.index() is idx  # cached


def test_index_of_empty_and_boundaries():
    c = load_corpus([("a", ""), ("b", "one two"), ("c", "three")])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        idx = c.index()
    assert idx.doc_offsets.tolist() == [0, 0, 2, 3]
    assert idx.doc_of(np.array([0, 1, 2])).tolist() == [1, 1, 2]
    assert idx.frequencies().sum() == 3


@pytest.mark.parametrize("kind", ["papers", "flat"])
def test_segment_bounds_match_segment_table(corpus, kind):
    from textlab.index import segment_bounds

    if kind == "flat":  # plain texts, long paragraphs split by max_words, non-ASCII too
        long = " ".join(f"This is sentence number {i}." for i in range(12))
        corpus = load_corpus([("a", f"{long}\n\nShort one.\n\n{long} caf\u00e9"), ("b", "One two.")],
                             profile="plain", max_words=20)
    for headings in (False, True):
        idx = corpus.index(headings=headings)
        table = corpus.segment_table(headings=headings)
        assert table["segment_id"].tolist() == idx.segment_ids.tolist()
        starts, ends = segment_bounds(corpus, idx)  # recorded while the index was built
        assert starts.tolist() == table["start"].tolist()
        assert ends.tolist() == table["end"].tolist()


@pytest.mark.parametrize(
    "n, n_ids", [(0, 1), (1, 1), (7, 1), (1000, 3), (5000, 4000), (70_000, 2**20), (1_500_000, 200_000)]
)
def test_grouped_positions_equal_a_stable_argsort(n, n_ids):
    ids = np.random.default_rng(n).integers(0, n_ids, n)
    got = _grouped_positions(ids, n_ids)
    assert got.dtype == np.int64 and np.array_equal(got, np.argsort(ids, kind="stable"))
