"""Target 5: streaming -- lazy loading, bounded memory on a 10× corpus, progress bars.

The 10× corpus is a manifest (``benchmarks/stream.tmp/manifest-10x.csv``, git-ignored)
that lists every file of the benchmark corpus ten times under different doc_ids, with a
``copy`` and a ``source`` docvar: 87k documents and ~600 MB of text without writing a
byte of it. A 1× manifest is loaded the same way for the baseline.

Each measurement runs in a fresh interpreter (peak RSS above the warmed-up interpreter):
``load_corpus`` must read no text; counting by a docvar must not grow with the corpus
(only one document's tokens exist at a time, the counts are per group); the
document-term matrix grows only by its own size (its rows are the documents), so its
working memory beyond the returned matrix is what must stay flat. Progress bars are
checked on a pseudo-terminal, through a pipe and with ``TQDM_DISABLE=1``.
"""

from __future__ import annotations

import csv
import os
import select
import subprocess
import sys
from pathlib import Path

from benchmarks._common import (
    ROOT,
    at_most,
    corpus_files,
    measure_in_child,
    reset_peak,
    row,
    script_main,
    warm_up_textlab,
)

COPIES = 10
WORK = Path(__file__).resolve().parent / "stream.tmp"


def write_manifests(root: Path) -> dict[int, Path]:
    """Manifests listing the corpus files once and COPIES times (doc_id ``c<k>/<name>``)."""
    files = sorted(p.relative_to(root) for p in root.rglob("*.txt") if p.is_file())
    WORK.mkdir(exist_ok=True)
    out = {}
    for copies in (1, COPIES):
        path = WORK / f"manifest-{copies}x.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["doc_id", "file", "copy", "source"])
            for k in range(copies):
                for rel in files:
                    w.writerow([f"c{k}/{rel.with_suffix('').as_posix()}", rel.as_posix(), k, rel.parts[0]])
        out[copies] = path
    return out


# -- children -----------------------------------------------------------------------------


def _setup(root, manifest):
    warm_up_textlab()
    return root, manifest


def _load(state):
    import warnings

    from textlab import load_corpus
    from textlab.errors import TextlabWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextlabWarning)  # the 10x manifest lists every file ten times, on purpose
        return load_corpus(state[0], manifest=state[1], profile="plain")


def _work_load(state):
    c = _load(state)
    read = {p for d in c._docs.values() for p in (d.stamps or ())}  # files whose text was read
    return {"docs": len(c), "files_read": len(read)}


def _work_group(state):
    from textlab import count_terms

    corpus = _load(state)
    loaded = reset_peak()[0]  # from here on the peak is the counting's
    return {"rows": len(count_terms(corpus, by="source")), "loaded_mb": loaded}


def _work_dtm(state):
    from textlab import document_term_matrix

    corpus = _load(state)
    loaded = reset_peak()[0]
    m = document_term_matrix(corpus).matrix
    return {"nnz": int(m.nnz), "result_mb": (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 1e6,
            "loaded_mb": loaded}


TASKS = {"load": (_setup, _work_load), "group": (_setup, _work_group), "dtm": (_setup, _work_dtm)}


# -- progress bars ------------------------------------------------------------------------

_BAR_SCRIPT = (
    "import sys; from textlab import load_corpus; "
    "load_corpus(sys.argv[1], profile='plain').n_tokens()"
)


def _stderr_of(root: Path, *, terminal: bool, disable: bool) -> str:
    """What n_tokens() over the corpus writes to stderr (a pseudo-terminal or a pipe)."""
    env = {k: v for k, v in os.environ.items() if k != "TQDM_DISABLE"}
    if disable:
        env["TQDM_DISABLE"] = "1"
    cmd = [sys.executable, "-c", _BAR_SCRIPT, str(root)]
    if not terminal:
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600).stderr
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=600)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


# -- the benchmark --------------------------------------------------------------------------


def run(corpus_dir: str | None) -> list[dict]:
    root, _, size = corpus_files(corpus_dir)
    manifests = write_manifests(root)
    mb = {1: size / 1e6, COPIES: COPIES * size / 1e6}
    child = lambda task, copies: measure_in_child("benchmarks.bench_stream", task, str(root), str(manifests[copies]))  # noqa: E731
    rows = []

    load = child("load", COPIES)
    rows.append(row(
        f"load_corpus on the {COPIES}× manifest: files read", load["files_read"], load["docs"], "files", None,
        "0 (lazy)", load["files_read"] == 0,
        f"{load['docs']:,} documents listed ({mb[COPIES]:.0f} MB of text); loading took {load['seconds']:.1f} s and "
        f"{load['increase_mb']:.0f} MB (paths, docvars).",
    ))

    def working(r):  # peak while counting, above the RSS of the loaded corpus (and its result)
        return r["peak_mb"] - r["loaded_mb"] - r.get("result_mb", 0.0)

    g1, g10 = child("group", 1), child("group", COPIES)
    ratio = working(g10) / working(g1)
    target, ok = at_most(ratio, 1.5)
    rows.append(row(
        f"count_terms(by='source'): working memory, {COPIES}× vs 1× corpus", working(g10), working(g1), "MB", ratio,
        target, ok and g10["rows"] == g1["rows"],
        f"peak RSS while counting minus RSS of the loaded corpus; {mb[COPIES]:.0f} MB vs {mb[1]:.0f} MB of text, "
        f"per-group counts, one document's tokens at a time. Throughput {mb[COPIES] / g10['seconds']:.1f} vs "
        f"{mb[1] / g1['seconds']:.1f} MB/s (load included).",
    ))
    ratio = g10["increase_mb"] / g1["increase_mb"]
    rows.append(row(
        "  total peak RSS increase (corpus object included)", g10["increase_mb"], g1["increase_mb"], "MB", ratio,
        f"< {COPIES}×", ratio < COPIES,
        f"above the warmed-up interpreter; the loaded corpus itself (ids, paths, docvars of {load['docs']:,} vs "
        f"{load['docs'] // COPIES:,} documents) takes {g10['loaded_mb'] - g10['base_mb']:.0f} vs "
        f"{g1['loaded_mb'] - g1['base_mb']:.0f} MB: it grows with the number of documents, not with their text.",
    ))

    d1, d10 = child("dtm", 1), child("dtm", COPIES)
    ratio = working(d10) / working(d1)
    target, ok = at_most(ratio, 1.5)
    rows.append(row(
        f"document_term_matrix: working memory, {COPIES}× vs 1× corpus", working(d10), working(d1), "MB", ratio, target,
        ok,
        f"peak RSS while counting minus the loaded corpus and the returned matrix, whose rows are the documents: "
        f"{d10['nnz']:,} vs {d1['nnz']:,} non-zeros, {d10['result_mb']:.0f} vs {d1['result_mb']:.0f} MB as CSR "
        f"(int64 counts, int32 columns). Throughput {mb[COPIES] / d10['seconds']:.1f} vs {mb[1] / d1['seconds']:.1f} MB/s.",
    ))
    ratio = d10["increase_mb"] / d1["increase_mb"]
    rows.append(row(
        "  total peak RSS increase (corpus object and result included)", d10["increase_mb"], d1["increase_mb"], "MB",
        ratio, f"< {COPIES}×", ratio < COPIES, "",
    ))

    shown = _stderr_of(root, terminal=True, disable=False)
    piped = _stderr_of(root, terminal=False, disable=False)
    off = _stderr_of(root, terminal=True, disable=True)
    bar = lambda text: "counting tokens" in text and "doc" in text  # noqa: E731
    results = (bar(shown), not bar(piped), not bar(off))
    rows.append(row(
        "Progress bar: terminal / pipe / TQDM_DISABLE=1", "/".join(("shown" if bar(t) else "none") for t in (shown, piped, off)),
        "shown/none/none", "", None, "as baseline", all(results),
        f"Corpus.n_tokens() over {len(list(root.rglob('*.txt'))):,} documents in a child process on a pseudo-terminal, "
        "through a pipe, and on a terminal with TQDM_DISABLE=1 (as `make` exports).",
    ))
    return rows


if __name__ == "__main__":
    script_main(run, TASKS)
