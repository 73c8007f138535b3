"""Shared pieces of the benchmarks: rows, timing, peak memory in fresh processes.

Every ``bench_*.py`` returns rows (dicts) with the keys of :data:`ROW_KEYS`; ``ratio``
is "higher is better" unless ``target`` says otherwise (e.g. ``"≤ 3.0×"``). ``passed``
is True/False, or None for an informational row. An optional ``note`` says what exactly
was measured; :mod:`benchmarks.run` prints the notes under the table.

Timing: ours and the baseline run in the same process, interleaved, and the best of
``REPEATS`` runs of each is kept (the least disturbed one on a noisy machine).
Peak memory: each side runs in a fresh interpreter (:func:`measure_in_child`) that
imports everything and warms up first, then resets the kernel's high-water mark
(``/proc/self/clear_refs``), so the peak is that of the work alone, free of what an
earlier run left in the allocator.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROW_KEYS = ("measure", "ours", "baseline", "unit", "ratio", "target", "passed")
REPEATS = int(os.environ.get("TEXTLAB_BENCH_REPEATS", "2"))
# Rounds for the measures this shared machine disturbs most (file reads, two busy cores):
# with two rounds one busy neighbour decided the ratio (Dask 1.44-1.99x, from disk
# 1.45-1.58x for the same code). TEXTLAB_BENCH_REPEATS may ask for more.
NOISY_REPEATS = max(4, REPEATS)
ROOT = Path(__file__).resolve().parents[1]
_CHILD_MARK = "@@textlab-bench-child@@"


class MissingPrerequisite(RuntimeError):
    """The benchmark cannot run here (no corpus, a package missing ...)."""


def row(measure, ours, baseline, unit, ratio, target, passed, note=""):
    """One result row (see the module docstring)."""
    out = dict(zip(ROW_KEYS, (measure, ours, baseline, unit, ratio, target, passed)))
    if note:
        out["note"] = note
    return out


def at_least(ratio: float, target: float) -> tuple[str, bool]:
    return f"≥ {target:g}×", ratio >= target


def at_most(ratio: float, target: float) -> tuple[str, bool]:
    return f"≤ {target:g}× (lower is better)", ratio <= target


def corpus_files(corpus_dir: str | None) -> tuple[Path, list[Path], int]:
    """The benchmark corpus: its directory, its .txt files (sorted) and their bytes."""
    if corpus_dir is None:
        raise MissingPrerequisite("no corpus given (make bench builds it with benchmarks/make_corpus.sh)")
    root = Path(corpus_dir)
    if not (root / "MANIFEST.json").is_file():
        raise MissingPrerequisite(f"{root}: no benchmark corpus (run: bash benchmarks/make_corpus.sh {root})")
    files = sorted(p for p in root.rglob("*.txt") if p.is_file())
    return root, files, sum(p.stat().st_size for p in files)


def best_times(funcs: dict, repeats: int = REPEATS) -> tuple[dict, dict]:
    """Run each function ``repeats`` times, interleaved; best seconds and first result."""
    best, first = {}, {}
    for _ in range(repeats):
        for name, func in funcs.items():
            t0 = time.perf_counter()
            result = func()
            elapsed = time.perf_counter() - t0
            best[name] = min(best.get(name, elapsed), elapsed)
            first.setdefault(name, result)
            del result
    return best, first


# ---------------------------------------------------------------------------------------
# Memory


def _status(field: str) -> float:
    """A VmXXX field of /proc/self/status in MB (1e6 bytes)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    raise KeyError(field)


def reset_peak() -> tuple[float, str]:
    """Current RSS (MB) as the baseline, and how the peak will be read."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # Linux >= 4.0: reset the peak RSS (VmHWM) to the current RSS
        return _status("VmRSS"), "VmHWM after reset"
    except OSError:
        return _status("VmRSS"), "ru_maxrss (may include import peaks)"


def peak_mb() -> float:
    try:
        return _status("VmHWM")
    except (OSError, KeyError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def measure_in_child(module: str, task: str, *args: str, timeout: float = 3600) -> dict:
    """Run ``module.child_task(task, *args)`` in a fresh interpreter; its JSON result.

    The child (see :func:`child_main`) warms up, resets the peak, runs the task and
    reports ``base_mb`` (RSS before), ``peak_mb`` (absolute), ``increase_mb``,
    ``seconds`` and whatever the task returned.
    """
    cmd = [sys.executable, "-m", module, "--child", task, *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith(_CHILD_MARK):
            return json.loads(line[len(_CHILD_MARK):])
    raise RuntimeError(f"{module} child {task!r} failed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}")


def child_main(tasks: dict, argv: list[str]) -> None:
    """Entry point of a child: ``argv = [task, *args]``; prints one marked JSON line.

    ``tasks[task]`` is ``(setup, work)``: ``setup(*args)`` imports and warms up and returns
    a state; ``work(state)`` is measured and returns a dict of extra results.
    """
    name, *args = argv
    setup, work = tasks[name]
    state = setup(*args)
    base, how = reset_peak()
    t0 = time.perf_counter()
    extra = work(state) or {}
    seconds = time.perf_counter() - t0
    peak = peak_mb()
    out = {"base_mb": base, "peak_mb": peak, "increase_mb": peak - base, "seconds": seconds, "peak_method": how}
    out.update(extra)
    print(_CHILD_MARK + json.dumps(out), flush=True)


def warm_up_textlab() -> None:
    """Import what the counting paths use and build their lookup tables (not measured)."""
    import scipy.sparse  # noqa: F401
    import tqdm  # noqa: F401

    import textlab

    sys.modules["textlab.tokenize"]._bmp_tables()
    textlab.count_terms(textlab.load_corpus([("warm", "Warm-up text: it’s İstanbul. " * 40)]))


def print_rows(rows: list[dict]) -> None:
    """What ``python -m benchmarks.bench_x`` prints."""
    from benchmarks.run import format_table

    print(format_table(rows))


def script_main(run, tasks: dict | None = None) -> None:
    """``python -m benchmarks.bench_x [CORPUS]``: print the rows; ``--child`` runs one of ``tasks``."""
    if tasks is not None and len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(tasks, sys.argv[2:])
    else:
        print_rows(run(sys.argv[1] if len(sys.argv) > 1 else None))
