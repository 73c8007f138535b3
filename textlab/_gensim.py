"""Adapter to gensim: the only module of textlab that imports it.

gensim is imported inside the functions, so ``import textlab`` stays fast. Everything
here is deterministic for fixed inputs and seed, independent of ``PYTHONHASHSEED``:

- ``Phrases`` counts unigrams and bigrams in insertion-ordered dicts and scans each text
  left to right; it never iterates a set of strings.
- ``Dictionary.doc2bow`` assigns new ids in sorted token order per text, texts in the
  order given; ``filter_extremes`` and ``compactify`` keep the relative order of the
  surviving ids.
- ``LdaModel`` (never ``LdaMulticore``, whose worker scheduling is not reproducible) draws
  its initial topics and every E-step start from ``random_state``; ``dtype=float64``
  avoids the float32 rounding that makes small corpora sensitive to summation order.
- ``CoherenceModel`` runs with ``processes=1``: no worker pool, and the window counts are
  accumulated in text order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["learn_phrases", "build_vocabulary", "lda_params", "fit_lda", "lda_perplexity", "coherence"]


def learn_phrases(texts: Sequence[Sequence[str]], *, min_count: int, threshold: float) -> list[list[str]]:
    """Join frequent bigrams with ``_`` (gensim ``Phrases``, the default Mikolov score)."""
    from gensim.models.phrases import Phrases

    phrases = Phrases(texts, min_count=min_count, threshold=threshold, delimiter="_", scoring="default")
    frozen = phrases.freeze()  # FrozenPhrases: same result, faster lookup
    return [frozen[list(text)] for text in texts]


def build_vocabulary(texts: Sequence[Sequence[str]], *, no_below: int, no_above: float, keep_n: int | None):
    """A filtered gensim ``Dictionary`` and the bag-of-words of every text."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary(texts)
    n_before = len(dictionary)
    dictionary.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    dictionary.id2token = {i: t for t, i in dictionary.token2id.items()}
    bow = [dictionary.doc2bow(text) for text in texts]
    return dictionary, bow, n_before


def lda_params(k: int, *, random_state: int, passes: int, iterations: int) -> dict:
    """Keyword arguments of ``gensim.models.LdaModel`` as textlab calls it.

    Shared with ``benchmarks/bench_topics.py`` so the baseline uses the same settings.
    """
    return {
        "num_topics": k,
        "random_state": random_state,
        "passes": passes,
        "iterations": iterations,
        "chunksize": 2000,
        "update_every": 1,
        "alpha": "symmetric",
        "eta": None,
        "eval_every": None,  # no perplexity logging during training (slow, not needed)
        "dtype": np.float64,
    }


def fit_lda(bow, dictionary, k: int, *, random_state: int, passes: int, iterations: int):
    """Fit ``LdaModel``; return the model, topic-term probabilities and the unit ``gamma``.

    ``gamma`` (units x topics) comes from one inference pass right after training;
    normalised by row it gives the shares ``LdaModel.get_document_topics`` reports, without
    that method's 1e-8 floor and with every topic kept.
    """
    from gensim.models import LdaModel

    model = LdaModel(bow, id2word=dictionary, **lda_params(k, random_state=random_state, passes=passes,
                                                                    iterations=iterations))
    topic_term = np.asarray(model.get_topics(), dtype=np.float64)
    gamma, _ = model.inference(bow)
    gamma = np.asarray(gamma, dtype=np.float64)
    return model, topic_term, gamma


def lda_perplexity(model, bow) -> float:
    """In-sample perplexity, ``2 ** -model.log_perplexity(bow)`` (per-word bound)."""
    return float(2.0 ** (-model.log_perplexity(bow)))


def coherence(topics: list[list[str]], *, texts, dictionary, bow, measure: str) -> np.ndarray:
    """Per-topic coherence (``'c_v'`` on the texts, ``'u_mass'`` on the bag-of-words)."""
    from gensim.models import CoherenceModel

    data = {"texts": texts} if measure == "c_v" else {"corpus": bow}
    topn = max(len(t) for t in topics)
    cm = CoherenceModel(topics=topics, dictionary=dictionary, coherence=measure, topn=topn, processes=1, **data)
    return np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
