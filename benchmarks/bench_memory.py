"""Target 4: the token index of the full corpus in at most 3× the corpus size on disk.

``load_corpus(corpus_dir, profile="plain").index()`` in a fresh interpreter: peak RSS
above the warmed-up interpreter (the target) and absolute. The index keeps per token an
int32 term id and int32 start/end offsets; per-token segment numbers and the segment id
strings are derived on first use, measured separately. For scale, the same tokens held
the way NLTK's ``ConcordanceIndex`` holds them (a list of Python strings plus a dict of
position lists), built in another fresh interpreter, give bytes per token as Python
objects.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks._common import at_most, corpus_files, measure_in_child, row, script_main, warm_up_textlab

TARGET = 3.0


def _setup(root):
    warm_up_textlab()
    return root


def _index_stats(idx) -> dict:
    arrays = (idx.term_ids, idx.starts, idx.ends, idx.doc_offsets, idx.segment_offsets, idx.segment_docs,
              idx.segment_numbers)
    vocab_mb = (idx.vocab.nbytes + sum(sys.getsizeof(t) for t in idx.vocab.tolist())) / 1e6
    return {"tokens": len(idx), "vocab": len(idx.vocab), "segments": len(idx.segment_docs),
            "arrays_mb": sum(a.nbytes for a in arrays) / 1e6, "vocab_mb": vocab_mb}


def _work_index(root):
    from textlab import load_corpus

    idx = load_corpus(root, profile="plain").index()
    return _index_stats(idx)


def _work_index_segments(root):
    from textlab import load_corpus

    idx = load_corpus(root, profile="plain").index()
    idx.segment_index, idx.segment_ids  # materialise the derived per-token arrays
    return {"tokens": len(idx)}


def _setup_nltk(root):
    warm_up_textlab()
    import nltk.text  # noqa: F401

    return root


def _work_nltk(root):
    import nltk.text

    from textlab import load_corpus

    tokenize = sys.modules["textlab.tokenize"]
    tokens = []
    for name in load_corpus(root, profile="plain").docvars["file"]:  # the same tokens, as Python strings
        view = tokenize._matching_view((Path(root) / name).read_text(encoding="utf-8"), True)
        tokens.extend(tokenize._TOKEN_RE.findall(view))
    index = nltk.text.ConcordanceIndex(tokens, key=lambda s: s)
    return {"tokens": len(index._tokens)}


TASKS = {
    "index": (_setup, _work_index),
    "index+segments": (_setup, _work_index_segments),
    "nltk": (_setup_nltk, _work_nltk),
}


def run(corpus_dir: str | None) -> list[dict]:
    root, _, size = corpus_files(corpus_dir)
    disk_mb = size / 1e6
    built = measure_in_child("benchmarks.bench_memory", "index", str(root))
    ratio = built["increase_mb"] / disk_mb
    target, ok = at_most(ratio, TARGET)
    rows = [row(
        "Peak RSS increase building the CorpusIndex (full corpus)", built["increase_mb"], disk_mb, "MB", ratio,
        target, ok,
        f"{built['tokens']:,} tokens, {built['vocab']:,} terms, {built['segments']:,} segments indexed in "
        f"{built['seconds']:.1f} s; baseline column = corpus size on disk; RSS above the warmed-up interpreter "
        f"({built['base_mb']:.0f} MB; {built['peak_method']}). Kept: {built['arrays_mb']:.0f} MB of arrays "
        f"({built['arrays_mb'] * 1e6 / built['tokens']:.1f} B/token) + {built['vocab_mb']:.0f} MB vocabulary.",
    )]
    rows.append(row(
        "  absolute peak RSS (interpreter + imports + index)", built["peak_mb"], disk_mb, "MB",
        built["peak_mb"] / disk_mb, "info", None,
        "numpy, pandas, scipy, scikit-learn and textlab imported and warmed up before the build.",
    ))
    full = measure_in_child("benchmarks.bench_memory", "index+segments", str(root))
    rows.append(row(
        "  peak RSS increase with segment_index + segment_ids materialised", full["increase_mb"], disk_mb, "MB",
        full["increase_mb"] / disk_mb, "info", None,
        "what a consumer that asks for the per-token segment numbers and all segment id strings pays; "
        "CorpusIndex.segment_of() answers for a few positions without them.",
    ))
    nltk = measure_in_child("benchmarks.bench_memory", "nltk", str(root))
    ours_bt = built["increase_mb"] * 1e6 / built["tokens"]
    theirs_bt = nltk["increase_mb"] * 1e6 / nltk["tokens"]
    rows.append(row(
        "Memory per token: CorpusIndex vs Python objects (NLTK ConcordanceIndex)", ours_bt, theirs_bt, "B/token",
        theirs_bt / ours_bt, "info (higher = ours leaner)", None,
        f"peak RSS increase / tokens; NLTK holds the same {nltk['tokens']:,} tokens as a list of str plus a dict of "
        f"position lists, without character offsets (built in {nltk['seconds']:.1f} s).",
    ))
    return rows


if __name__ == "__main__":
    script_main(run, TASKS)
