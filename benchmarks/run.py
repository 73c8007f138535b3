"""Run every benchmark and write the results table.

    python -m benchmarks.run --corpus .cache/bench-corpus --out benchmarks/results.md
    python -m benchmarks.run --corpus .cache/bench-corpus --only count,memory   # a subset

Every ``benchmarks/bench_*.py`` (sorted by name) runs in its own interpreter, so peak
memory is clean and a crash in one does not stop the rest; its rows come back as JSON.
A benchmark that fails, times out or lacks a prerequisite becomes a row with
``passed = False`` and the reason. The table (measure, ours, baseline, unit, ratio,
target, result) is printed and written to ``--out`` as Markdown with the date, the
machine and the notes of each row. Exit status: 0 if every row passed (or is
informational), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARK = "@@textlab-bench-rows@@"
COLUMNS = ("measure", "ours", "baseline", "unit", "ratio", "target", "result")


def discover() -> list[str]:
    """Module names of the benchmarks, sorted."""
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


# ---------------------------------------------------------------------------------------
# Running


def _failure(name: str, reason: str) -> dict:
    return {"measure": f"{name}: did not run", "ours": None, "baseline": None, "unit": "", "ratio": None,
            "target": "", "passed": False, "note": reason, "bench": name}


def run_child(name: str, corpus: str | None) -> None:
    """In the benchmark's own interpreter: run it and print its rows as one JSON line."""
    from benchmarks._common import MissingPrerequisite

    try:
        module = __import__(f"benchmarks.{name}", fromlist=["run"])
        rows = module.run(corpus)
    except MissingPrerequisite as err:
        rows = [_failure(name, f"missing prerequisite: {err}")]
    except Exception as err:  # a failing benchmark is a failed row, not a crash of the table
        tail = traceback.format_exc(limit=4).strip().splitlines()[-3:]
        rows = [_failure(name, f"{type(err).__name__}: {err} [{' | '.join(tail)}]")]
    print(MARK + json.dumps(rows, default=float), flush=True)


def run_bench(name: str, corpus: str | None, timeout: float) -> tuple[list[dict], float]:
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", name]
    if corpus is not None:
        cmd += ["--corpus", corpus]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [_failure(name, f"timed out after {timeout:.0f} s")], time.perf_counter() - t0
    seconds = time.perf_counter() - t0
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            rows = json.loads(line[len(MARK):])
            for r in rows:
                r.setdefault("bench", name)
            return rows, seconds
    reason = f"exit status {proc.returncode}: {proc.stderr.strip()[-600:] or 'no output'}"
    return [_failure(name, reason)], seconds


# ---------------------------------------------------------------------------------------
# Formatting


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _cells(r: dict) -> list[str]:
    ratio, passed = r.get("ratio"), r.get("passed")
    return [
        str(r.get("measure", "")),
        _number(r.get("ours")),
        _number(r.get("baseline")),
        str(r.get("unit", "")),
        "—" if ratio is None else f"{float(ratio):.2f}×",
        str(r.get("target", "")),
        "pass" if passed is True else "FAIL" if passed is False else "info",
    ]


def format_table(rows: list[dict]) -> str:
    """The table as aligned plain text (for the terminal)."""
    cells = [list(COLUMNS)] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = []
    for k, c in enumerate(cells):
        lines.append("  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(c, widths))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[dict]) -> str:
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(["---"] + ["---:"] * 5 + [":---:"]) + "|"]
    for r in rows:
        cells = [c.replace("|", "\\|") for c in _cells(r)]
        cells[-1] = f"**{cells[-1]}**" if cells[-1] == "FAIL" else cells[-1]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def machine() -> dict:
    """CPU, cores, RAM, OS, Python and library versions."""
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as f:
            info["ram_gib"] = int(next(line for line in f if line.startswith("MemTotal")).split()[1]) / 2**20
    except (OSError, StopIteration):
        info["ram_gib"] = None
    try:
        info["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        info["load"] = "?"
    info["os"] = f"{platform.system()} {platform.release()}"
    info["python"] = platform.python_version()
    versions = []
    for name in ("numpy", "scipy", "pandas", "sklearn", "nltk", "gensim", "dask"):
        try:
            versions.append(f"{'scikit-learn' if name == 'sklearn' else name} {__import__(name).__version__}")
        except Exception:  # an absent library is just not listed
            pass
    info["libraries"] = ", ".join(versions)
    return info


def corpus_line(corpus: str | None) -> str:
    if corpus is None:
        return "none given"
    try:
        m = json.loads((Path(corpus) / "MANIFEST.json").read_text())
        return f"`{corpus}`: {m['total_docs']:,} documents, {m['total_bytes'] / 1e6:.1f} MB (recipe v{m['recipe_version']}: {', '.join(sorted(m['sources']))})"
    except (OSError, ValueError, KeyError):
        return f"`{corpus}` (no MANIFEST.json)"


def write_markdown(path: Path, rows: list[dict], info: dict, corpus: str | None, started: dt.datetime, seconds: dict) -> None:
    ram = f"{info['ram_gib']:.1f} GiB RAM" if info.get("ram_gib") else "RAM unknown"
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); do not edit by hand. Every ratio compares textlab",
        "with a baseline run in the same process (memory: each side in a fresh interpreter); see the notes.",
        "",
        f"- **Date:** {started:%Y-%m-%d %H:%M} UTC",
        f"- **Machine:** {info['cpu']}, {info['cores']} cores, {ram}; {info['os']}; load average at start {info['load']}",
        f"- **Software:** Python {info['python']}; {info['libraries']}",
        f"- **Corpus:** {corpus_line(corpus)}",
        f"- **Run time:** " + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()),
        "",
        markdown_table(rows),
        "",
        "## Notes",
        "",
    ]
    for r in rows:
        if r.get("note"):
            lines.append(f"- **{r['measure'].strip()}** ({r.get('bench', '')}): {r['note']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="benchmark corpus directory (built by benchmarks/make_corpus.sh)")
    parser.add_argument("--out", help="write the Markdown table here (e.g. benchmarks/results.md)")
    parser.add_argument("--only", help="comma-separated benchmark names (count, memory, ...)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark (default 3600)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child, args.corpus)
        return 0

    names = discover()
    if args.only:
        wanted = {w.strip().removeprefix("bench_") for w in args.only.split(",")}
        names = [n for n in names if n.removeprefix("bench_") in wanted]
    started = dt.datetime.now(dt.timezone.utc)
    info = machine()
    rows, seconds = [], {}
    for name in names:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        got, seconds[name.removeprefix("bench_")] = run_bench(name, args.corpus, args.timeout)
        rows.extend(got)
        print(format_table(got), file=sys.stderr, flush=True)
    print(format_table(rows))
    if args.out:
        write_markdown(Path(args.out), rows, info, args.corpus, started, seconds)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0 if all(r.get("passed") in (True, None) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
