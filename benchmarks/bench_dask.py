"""Target 6: textlab.scale on a LocalCluster, 2 workers against 1 (processes, 1 thread each).

Ours: :func:`textlab.scale.document_term_matrix` and :func:`textlab.scale.frame_counts`
(the study codebook, ``corpus/codebook.yaml``; ``ci=None``) on ``load_corpus(corpus_dir,
profile="plain")``: the workers read, clean, tokenise and count their partitions of
files and send back per-partition sparse matrices / per-unit count tables, which the
client merges. Baseline: the same call on a cluster with one worker. Both clusters are
started and warmed up (textlab imported, lookup tables built) before timing, run
interleaved (best of ``NOISY_REPEATS`` rounds), with the same partitions
(:data:`NPARTITIONS`).
Results of both clusters must equal the in-process verbs (asserted; a benchmark whose
results differ fails), which are timed too, for reference. Both run on the full corpus.

The ratio can only be as good as the machine lets two processes run at once: an
informational row measures that ceiling in the same run (a pure-Python loop in two
processes at once against one), so a shared or hyper-threaded box shows up as such.
"""

from __future__ import annotations

import logging
import time
import warnings

from benchmarks._common import (
    NOISY_REPEATS,
    ROOT,
    MissingPrerequisite,
    at_least,
    best_times,
    corpus_files,
    row,
    script_main,
    warm_up_textlab,
)

TARGET = 1.6
NPARTITIONS = 16  # ~3.7 MB of text each: per-task overhead stays small, 8 tasks per worker balance well
SPIN = 20_000_000


def _spin(n: int = SPIN) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - t0


def _ceiling() -> tuple[float, float]:
    """Seconds of the loop alone and the slower of two copies run at once (separate processes)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        pool.submit(_spin, 1000).result()
        alone = min(pool.submit(_spin).result() for _ in range(2))
        both = min(max(f.result() for f in [pool.submit(_spin), pool.submit(_spin)]) for _ in range(2))
    return alone, both


def _warm_worker() -> int:
    warm_up_textlab()
    return 1


def _same_dtm(a, b) -> str:
    if a.units != b.units or a.terms != b.terms:
        return "units or terms differ"
    diff = (a.matrix != b.matrix).nnz
    return f"{diff} cells differ" if diff else ""


def run(corpus_dir: str | None) -> list[dict]:
    root, _, size = corpus_files(corpus_dir)
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - distributed is a pinned dependency
        raise MissingPrerequisite(f"dask.distributed is not installed ({err})") from None
    import pandas as pd

    warm_up_textlab()
    import textlab
    from textlab import scale

    mb = size / 1e6
    corpus = textlab.load_corpus(root, profile="plain")
    codebook = textlab.Codebook.from_yaml(ROOT / "corpus" / "codebook.yaml")
    clients = {}
    try:
        for workers in (1, 2):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            clients[workers] = Client(cluster)
            clients[workers].run(_warm_worker)
        rows = []

        # 1. term counts: the document-term matrix
        t0 = time.perf_counter()
        reference = textlab.document_term_matrix(corpus)
        in_process = time.perf_counter() - t0
        secs, results = best_times({
            w: (lambda c=c: scale.document_term_matrix(corpus, npartitions=NPARTITIONS, scheduler=c))
            for w, c in clients.items()
        }, repeats=NOISY_REPEATS)
        problem = "; ".join(f"{w} worker(s): {p}" for w in clients if (p := _same_dtm(results[w], reference)))
        ratio = secs[1] / secs[2]
        target, ok = at_least(ratio, TARGET)
        rows.append(row(
            "scale.document_term_matrix: 2 workers vs 1", mb / secs[2], mb / secs[1], "MB/s", ratio, target,
            ok and not problem,
            f"{len(reference.units)} docs × {len(reference.terms)} terms in {NPARTITIONS} partitions, results "
            f"{'DIFFER: ' + problem if problem else 'identical to textlab.document_term_matrix'}; best of "
            f"{NOISY_REPEATS} interleaved runs: 2 workers {secs[2]:.2f} s, 1 worker {secs[1]:.2f} s; "
            f"in-process {in_process:.2f} s (one run).",
        ))
        del results, reference

        # 2. frame counts (study codebook)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # patterns that match nothing in this corpus
            t0 = time.perf_counter()
            reference = textlab.frame_counts(corpus, codebook, ci=None)
            in_process = time.perf_counter() - t0
            secs, results = best_times({
                w: (lambda c=c: scale.frame_counts(corpus, codebook, ci=None, npartitions=NPARTITIONS, scheduler=c))
                for w, c in clients.items()
            }, repeats=NOISY_REPEATS)
        problem = []
        for w in clients:
            try:
                pd.testing.assert_frame_equal(results[w], reference)
            except AssertionError as err:
                problem.append(f"{w} worker(s): {str(err).splitlines()[0]}")
        ratio = secs[1] / secs[2]
        target, ok = at_least(ratio, TARGET)
        rows.append(row(
            "scale.frame_counts: 2 workers vs 1", 1 / secs[2], 1 / secs[1], "runs/s", ratio, target,
            ok and not problem,
            f"{len(corpus)} documents, {len(codebook)} frames (corpus/codebook.yaml), {len(reference)} rows, results "
            f"{'DIFFER: ' + '; '.join(problem) if problem else 'identical to textlab.frame_counts'}; best of "
            f"{NOISY_REPEATS} interleaved runs: 2 workers {secs[2]:.2f} s, 1 worker {secs[1]:.2f} s; "
            f"in-process {in_process:.2f} s (one run).",
        ))

        alone, both = _ceiling()
        rows.append(row(
            "  ceiling: 2 processes of a Python loop vs 1", 2 / both, 1 / alone, "loops/s", 2 * alone / both, "info",
            None, f"the same loop alone {alone:.2f} s, two copies at once {both:.2f} s each: what this machine gave "
                  f"two processes during the run (2.0× on two idle cores).",
        ))
        return rows
    finally:
        for client in clients.values():
            cluster = client.cluster
            client.close()
            cluster.close()


if __name__ == "__main__":
    script_main(run)
