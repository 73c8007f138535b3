"""Benchmark: textlab.fit_topics(method="lda") against gensim called directly.

Both fit the SAME bag-of-words (a TopicCorpus prepared once, outside the timings) with
the same LdaModel settings (``textlab._gensim.lda_params``); only the fit is timed,
best of ``REPEATS`` runs, the sides interleaved in one process. Two ratios, each
against gensim doing the same work:

- ``fit_topics(..., coherence=False)`` against ``LdaModel``: the wrapper's own price
  (inferring the unit shares, renumbering topics, building its tables).
- ``fit_topics(...)`` (default: c_v and u_mass coherence of every topic) against
  ``LdaModel`` followed by gensim's ``CoherenceModel`` for c_v (on the same texts) and
  u_mass (on the same bag-of-words), as a gensim user would compute them.

The default fit against ``LdaModel`` alone is reported too (info): what coherence costs.
Preprocessing is timed separately and reported without a target.

Run: ``python -m benchmarks.bench_topics [corpus_dir]`` (default: gensim's Lee
background corpus, 300 news texts, from the installed gensim package). With a corpus
directory (``make bench``) the documents are a deterministic sample of
:data:`SAMPLE_DOCS` spread over the corpus (every n-th): the ratio measures the
wrapper's overhead, and the 18 fits on the 255k segments of the full benchmark corpus
would take hours. Both use fit_topics' default of 20 passes.
"""

from __future__ import annotations

import time

from benchmarks._common import at_most, row, script_main

K = 10
REPEATS = 5
TARGET = 1.20
SAMPLE_DOCS = 200


def _lee_corpus():
    from gensim.test.utils import datapath

    from textlab import load_corpus

    with open(datapath("lee_background.cor"), encoding="utf-8") as fh:
        texts = [line.strip() for line in fh if line.strip()]
    return load_corpus([(f"lee{i:03d}", t) for i, t in enumerate(texts)]), "doc"


def _best(func, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def run(corpus_dir: str | None = None) -> list[dict]:
    """Time textlab's LDA fit against gensim's; one dict per measure.

    Keys: ``measure, ours, baseline, unit, ratio, target, passed`` (``baseline``,
    ``ratio``, ``target`` and ``passed`` are None for measures reported without a
    baseline).
    """
    from gensim.models import CoherenceModel, LdaModel

    from textlab import _gensim, load_corpus
    from textlab.topics import fit_topics, prepare_topics

    if corpus_dir is None:
        corpus, unit = _lee_corpus()
        name = "gensim lee_background.cor"
    else:
        corpus = load_corpus(corpus_dir)
        step = max(1, len(corpus) // SAMPLE_DOCS)
        corpus, unit = corpus.subset(corpus.doc_ids[::step][:SAMPLE_DOCS]), "doc"
        name = f"every n-th document of {corpus_dir}, n={step}"
    t0 = time.perf_counter()
    data = prepare_topics(corpus, unit=unit)  # first call: also cleans and tokenises the corpus
    prep_first = time.perf_counter() - t0
    prep = _best(lambda: prepare_topics(corpus, unit=unit), REPEATS)  # tokens cached: stopwords, phrases, vocabulary
    bow = list(data.bow)
    passes, iterations = 20, 200
    params = _gensim.lda_params(K, random_state=0, passes=passes, iterations=iterations)

    texts = [list(t) for t in data.texts]

    def baseline():
        return LdaModel(bow, id2word=data.dictionary, **params)

    def baseline_coherence():
        lda = baseline()
        for measure, given in (("c_v", {"texts": texts}), ("u_mass", {"corpus": bow})):
            CoherenceModel(model=lda, dictionary=data.dictionary, coherence=measure, topn=10, processes=1,
                           **given).get_coherence_per_topic()

    def ours():
        fit_topics(data, K, method="lda", unit=unit, random_state=0, passes=passes, iterations=iterations)

    def ours_no_coherence():
        fit_topics(data, K, method="lda", unit=unit, random_state=0, passes=passes, iterations=iterations,
                   coherence=False)

    sides = {"baseline": baseline, "baseline_coherence": baseline_coherence, "ours": ours,
             "ours_nc": ours_no_coherence}
    for func in sides.values():  # warm up imports and caches
        func()
    times = {side: [] for side in sides}
    for _ in range(REPEATS):  # interleaved, so drift in machine load hits all alike
        for side, func in sides.items():
            times[side].append(_best(func, 1))
    best = {side: min(t) for side, t in times.items()}
    label = f"({name}; {len(data.units)} {unit} units, {len(data.terms)} terms, k={K})"
    fit_ratio = best["ours_nc"] / best["baseline"]
    full_ratio = best["ours"] / best["baseline_coherence"]
    return [
        row(f"fit_topics(coherence=False) vs gensim LdaModel {label}", best["ours_nc"], best["baseline"], "s",
            fit_ratio, *at_most(fit_ratio, TARGET)),
        row(f"fit_topics with c_v + u_mass vs LdaModel + CoherenceModel c_v + u_mass {label}", best["ours"],
            best["baseline_coherence"], "s", full_ratio, *at_most(full_ratio, TARGET)),
        row(f"  fit_topics with coherence vs LdaModel alone {label}", best["ours"], best["baseline"], "s",
            best["ours"] / best["baseline"], "info", None),
        row(f"prepare_topics, first call incl. cleaning and tokenising {label}", prep_first, None, "s", None, "info",
            None),
        row(f"prepare_topics, tokens cached {label}", prep, None, "s", None, "info", None),
    ]


if __name__ == "__main__":
    script_main(run)
