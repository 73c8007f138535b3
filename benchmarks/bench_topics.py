"""Benchmark: textlab.fit_topics(method="lda") against gensim LdaModel called directly.

Both fit the SAME bag-of-words (a TopicCorpus prepared once, outside the timings) with
the same LdaModel settings (``textlab._gensim.lda_params``); only the fit is timed,
best of ``REPEATS`` runs, the two interleaved in one process. ``fit_topics`` also infers
the unit shares, renumbers topics, builds its tables and computes c_v and u_mass
coherence, so the ratio is the price of all of that. Preprocessing is timed separately
and reported without a target.

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
    from gensim.models import LdaModel

    from textlab import _gensim, load_corpus
    from textlab.topics import _fit, fit_topics, prepare_topics

    if corpus_dir is None:
        corpus, unit = _lee_corpus()
        name = "gensim lee_background.cor"
    else:
        corpus = load_corpus(corpus_dir)
        step = max(1, len(corpus) // SAMPLE_DOCS)
        corpus, unit = corpus.subset(corpus.doc_ids[::step][:SAMPLE_DOCS]), "doc"
        name = f"every {step}th document of {corpus_dir}"
    t0 = time.perf_counter()
    data = prepare_topics(corpus, unit=unit)  # first call: also cleans and tokenises the corpus
    prep_first = time.perf_counter() - t0
    prep = _best(lambda: prepare_topics(corpus, unit=unit), REPEATS)  # tokens cached: stopwords, phrases, vocabulary
    bow = list(data.bow)
    passes, iterations = 20, 200
    params = _gensim.lda_params(K, random_state=0, passes=passes, iterations=iterations)

    def baseline():
        LdaModel(bow, id2word=data.dictionary, **params)

    def ours():
        fit_topics(data, K, method="lda", unit=unit, random_state=0, passes=passes, iterations=iterations)

    def ours_no_coherence():
        _fit(data, K, method="lda", n_terms=10, passes=passes, iterations=iterations, random_state=0, func="bench",
             coherence=False)

    baseline(), ours()  # warm up imports and caches
    times = {"baseline": [], "ours": [], "ours_nc": []}
    for _ in range(REPEATS):  # interleaved, so drift in machine load hits both alike
        times["baseline"].append(_best(baseline, 1))
        times["ours"].append(_best(ours, 1))
        times["ours_nc"].append(_best(ours_no_coherence, 1))
    base, mine, mine_nc = min(times["baseline"]), min(times["ours"]), min(times["ours_nc"])
    label = f"({name}; {len(data.units)} {unit} units, {len(data.terms)} terms, k={K})"
    target, ok = at_most(mine / base, TARGET)
    return [
        row(f"fit_topics lda vs gensim LdaModel {label}", mine, base, "s", mine / base, target, ok),
        row(f"  of which without coherence (c_v, u_mass) {label}", mine_nc, base, "s", mine_nc / base, "info", None),
        row(f"prepare_topics, first call incl. cleaning and tokenising {label}", prep_first, None, "s", None, "info",
            None),
        row(f"prepare_topics, tokens cached {label}", prep, None, "s", None, "info", None),
    ]


if __name__ == "__main__":
    script_main(run)
