"""The ``textlab`` command (also ``python -m textlab``): one sub-command per verb.

Every sub-command reads a corpus directory and writes one table as CSV: on standard
output (so it pipes into other tools), or to a file with ``--out FILE``; UTF-8 in both
cases, whatever the terminal's encoding. ``--format table`` prints the table aligned for
reading instead (wide Chinese characters count two columns). Warnings and messages go to
standard error, and bad input exits 2 with a one-line message, no traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence

import pandas as pd

from .errors import ParameterError, TextlabError, TextlabWarning

__all__ = ["main", "build_parser"]


def _print_table(df: pd.DataFrame, args) -> None:
    """Write ``df`` as ``--out`` and ``--format`` ask: CSV on stdout by default."""
    if args.out and args.out != "-":
        try:
            _write(df, args.format, args.out)
        except OSError as err:  # a missing folder, no permission, a full disk
            raise ParameterError(f"--out {args.out}: cannot write the table ({err.strerror or err}).") from None
        print(f"wrote {len(df)} rows to {args.out}", file=sys.stderr)
    else:
        _write(df, args.format, sys.stdout)


def _write(df: pd.DataFrame, fmt: str, target) -> None:
    """CSV or the aligned table, to a path (UTF-8) or a text stream.

    CSV on standard output is UTF-8 whatever the terminal's encoding (a Chinese Windows
    console's GBK has no ``¶``, the paragraph mark in contexts): whatever reads it reads
    UTF-8. The aligned table is for reading on the terminal, so it uses the terminal's
    encoding, and a character it cannot show is a one-line error.
    """
    if fmt == "csv":
        if isinstance(target, str):
            df.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
        elif hasattr(target, "buffer"):
            target.flush()
            target.buffer.write(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
            target.buffer.flush()
        else:
            df.to_csv(target, index=False, lineterminator="\n")
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.unicode.east_asian_width", True):  # wide CJK characters take two columns
        text = df.to_string(index=False) + "\n"
    if isinstance(target, str):
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
        return
    try:
        target.write(text)
    except UnicodeEncodeError as err:
        raise ParameterError(
            f"standard output (encoding {err.encoding!r}) cannot show {err.object[err.start:err.end]!r}: set "
            f"PYTHONIOENCODING=utf-8, or write the table to a file with --out FILE."
        ) from None


def _positive_int(value: str) -> int:
    number = int(value)  # argparse reports a ValueError as "invalid _positive_int value"
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {value}")
    return number


_positive_int.__name__ = "integer"  # argparse names the type in its message


def _load(args):
    from .corpus import load_corpus

    return load_corpus(args.corpus, profile=args.profile, lang=args.lang, encoding=args.encoding)


def _cmd_info(args) -> None:
    corpus = _load(args)
    if args.table == "cleaning":
        table = corpus.cleaning_summary()
    else:
        docvars = corpus.docvars
        extra = [c for c in ("side", "year", "licence") if c in docvars.columns]
        table = docvars[["doc_id", *extra]].merge(corpus.summary(), on="doc_id")
    _print_table(table, args)


def _info_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--table", choices=("documents", "cleaning"), default="documents",
                   help="documents: one row per document with its sizes (default); cleaning: characters "
                        "removed per document and reason (Corpus.cleaning_summary)")


def _cmd_topics(args) -> None:
    from .topics import compare_topic_prevalence, fit_topics, topic_prevalence

    model = fit_topics(_load(args), args.k, method=args.method, unit=args.unit, random_state=args.seed,
                       coherence=not args.no_coherence)
    tables = {
        "topics": lambda: model.topics,
        "terms": lambda: model.topic_terms,
        "doc-topics": lambda: model.doc_topics,
        "prevalence": lambda: topic_prevalence(model, args.by, random_state=args.seed),
        "compare": lambda: compare_topic_prevalence(model, args.by, random_state=args.seed),
    }
    _print_table(tables[args.table](), args)
    print(repr(model), file=sys.stderr)


def _add_topics_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--k", type=int, default=6, help="number of topics (default 6, chosen for the project corpus by sweep_k)")
    p.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    p.add_argument("--method", choices=("lda", "nmf"), default="lda", help="model (default lda)")
    p.add_argument("--unit", choices=("segment", "doc"), default="segment", help="unit of analysis (default segment)")
    p.add_argument("--table", choices=("topics", "terms", "doc-topics", "prevalence", "compare"), default="topics",
                   help="table to print (default topics); prevalence and compare group by --by")
    p.add_argument("--by", default="side", help="docvar for --table prevalence/compare (default side)")
    p.add_argument("--no-coherence", action="store_true", help="skip c_v and u_mass (slow on long documents)")


def _kwic_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("pattern", help="glob phrase (default), literal phrase or regex, e.g. 'depend*'")
    p.add_argument("--window", type=int, default=5, help="context on each side (default 5)")
    p.add_argument("--window-unit", choices=("tokens", "chars"), default="tokens",
                   help="what --window counts: tokens (default) or characters (for Chinese)")
    p.add_argument("--match", choices=("glob", "phrase", "regex"), default="glob", help="pattern kind")
    p.add_argument("--case-sensitive", action="store_true", help="compare case")
    p.add_argument("--limit", type=int, help="only the first N lines, in corpus order")
    p.add_argument("--docvars", help="append document variables: 'all', or names such as side,year")
    p.add_argument("--sort", help="sort by context words, e.g. R1,R2,L1 (AntConc style)")


def _cmd_kwic(args) -> None:
    from .kwic import kwic, sort_kwic

    docvars = False if not args.docvars else True if args.docvars == "all" else _names(args.docvars)
    table = kwic(_load(args), args.pattern, window=args.window, match=args.match, case_sensitive=args.case_sensitive,
                 limit=args.limit, docvars=docvars, window_unit=args.window_unit)
    if args.sort:
        table = sort_kwic(table, by=_names(args.sort))
    _print_table(table, args)


def _names(text: str) -> list[str]:
    return [k.strip() for k in text.split(",")]


def _frames_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--codebook", help="YAML codebook (default: codebook.yaml in the corpus directory)")
    p.add_argument("--by", default="doc", help="doc, segment or a docvar such as side (default doc)")
    p.add_argument("--resample", choices=("doc", "segment", "sentence"), help="bootstrap unit (default: one level down)")
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap replicates (default 2000)")
    p.add_argument("--no-ci", action="store_true", help="skip the bootstrap intervals")
    p.add_argument("--audit", action="store_true", help="print every match (frame_matches) instead of counts")


def _cmd_frames(args) -> None:
    from pathlib import Path

    from .frames import frame_counts, frame_matches

    corpus = _load(args)
    codebook = args.codebook or Path(args.corpus) / "codebook.yaml"
    if args.audit:
        table = frame_matches(corpus, codebook)
    else:
        table = frame_counts(corpus, codebook, by=args.by, resample=args.resample, n_boot=args.n_boot,
                             ci=None if args.no_ci else 0.95)
    _print_table(table, args)


def _keyness_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--group", default="side", help="docvar that defines target and reference (default side)")
    p.add_argument("--target", required=True, help="value of --group for the target documents, e.g. external")
    p.add_argument("--reference", help="value of --group for the reference (default: every other document)")
    p.add_argument("--sort-by", default="g2", help="measure to sort by (default g2; e.g. log_ratio)")
    p.add_argument("--min-freq", type=int, default=1, help="minimum combined frequency (default 1)")
    p.add_argument("--top", type=_positive_int, help="only the first N rows")
    p.add_argument("--fightin", action="store_true", help="Fightin' Words (log-odds, informative prior) instead")


def _cmd_keyness(args) -> None:
    from .errors import ParameterError
    from .keyness import fightin_words, keyness

    corpus = _load(args)
    if args.group not in corpus.docvars.columns:
        raise ParameterError(f"--group {args.group!r} is not a docvar of {args.corpus}; it has "
                             f"{', '.join(map(str, corpus.docvars.columns))}.")
    values = corpus.docvars[args.group].astype(str)
    for name, value in (("--target", args.target), ("--reference", args.reference)):
        if value is not None and value not in set(values):
            raise ParameterError(f"{name} {value!r} is not a value of {args.group!r} in {args.corpus}; "
                                 f"it has {', '.join(sorted(set(values)))}.")
    if args.reference == args.target:
        raise ParameterError(f"--target and --reference are both {args.target!r}; give two different values.")
    is_target = values == args.target
    is_reference = values == args.reference if args.reference is not None else ~is_target
    if not is_reference.any():
        raise ParameterError(f"No reference documents: every document has {args.group} = {args.target!r}.")
    ids = corpus.docvars["doc_id"]
    target, reference = corpus.subset(list(ids[is_target])), corpus.subset(list(ids[is_reference]))
    if args.fightin:
        table = fightin_words(target, reference)
    else:
        table = keyness(target, reference, sort_by=args.sort_by, min_freq=args.min_freq)
    _print_table(table.head(args.top) if args.top else table, args)


def _add_corpus_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", help="corpus directory (with or without manifest.csv)")
    p.add_argument("--profile", choices=("plain", "news", "paper"), help="cleaning profile for every document")
    p.add_argument("--lang", choices=("en", "zh"), help="language for every document")
    p.add_argument("--encoding", default="utf-8", help="file encoding (default utf-8)")
    p.add_argument("--out", help="write the table to this file instead of standard output ('-': standard output)")
    p.add_argument("--format", choices=("csv", "table"), default="csv",
                   help="csv (default) or table: aligned columns for reading")


# Sub-commands: name -> (help, add_arguments, run). Other modules' verbs register here.
COMMANDS: dict[str, tuple[str, Callable, Callable]] = {
    "info": ("documents with their sizes, or what cleaning removed", _info_arguments, _cmd_info),
    "topics": ("topic model (LDA or NMF) with stable topic ids", _add_topics_arguments, _cmd_topics),
    "kwic": ("keywords in context for a pattern", _kwic_arguments, _cmd_kwic),
    "frames": ("frame counts per document, segment or group (or the match audit)", _frames_arguments, _cmd_frames),
    "keyness": ("keywords of a target group against a reference (G2, log ratio, ...)", _keyness_arguments, _cmd_keyness),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="textlab", description="Comparative discourse and text analysis.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_corpus_arguments(p)
        add_arguments(p)
        p.set_defaults(run=run)
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"textlab: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", TextlabWarning)
            warnings.showwarning = _show_warning
            args.run(args)
    except TextlabError as err:
        print(f"textlab: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
