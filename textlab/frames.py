"""Framing codebooks, the audit trail of frame matches, frame counts with uncertainty.

A :class:`Codebook` (YAML, validated when loaded) lists frames, each with patterns and
exclusion rules in the matching vocabulary of :mod:`textlab.patterns` (a string starting
with ``re:`` is a regular expression, anything else a glob phrase).

**How matches become counts** (the rules of the study's codebook):

1. *Raw matches.* Every pattern of a frame is matched in the body segments (headings
   with ``headings=True``). Each document is matched only with the patterns of its
   own language (:meth:`textlab.Corpus.lang`) and those listed for ``all`` languages
   (see *Languages* below).
2. *Exclusions, before merging.* A raw match is excluded when it lies inside a span
   matched by one of the frame's exclusion rules: ``rule_start <= start`` and
   ``end <= rule_end`` in the same document. ``excluded_by`` names the first such rule.
3. *Merging.* The remaining matches of one frame merge into one span when they overlap
   or touch, where *touch* means that the text between them is empty or whitespace only
   (so "unidirectional skill transfer", matched by ``unidirectional`` and ``skill
   transfer``, is one span; "win-win, mutual benefit" is two). Merging is transitive and
   never crosses a segment. One span may count in several frames.
4. *Counts* are numbers of merged spans (``net``). Merging all raw matches, excluded ones
   included, gives the ``raw`` count of the draft codebook's ``raw→net`` cells; it is the
   net count of :meth:`Codebook.without_exclusions`.

**Rates** are per 1,000 body tokens of the unit (tokens as in
:meth:`textlab.Corpus.n_tokens`, numbers included). A unit with zero tokens has rate
NaN (never ``inf``).

**Languages.** ``patterns`` (and ``exclusions``) are either a plain list, which applies
to documents of every language (so an English-only codebook works unchanged), or a
mapping from language to list, ``{en: [...], zh: [...]}``, where the key ``all`` may
add patterns shared by every language (acronyms such as ``SCO``). In a Chinese document
the tokens are jieba's words (:func:`textlab.tokenize.tokenize` with ``lang='zh'``), so a
glob pattern written in Han characters also matches cut into words the same way (as
:func:`textlab.kwic` and :func:`textlab.find_matches` do): ``技术依赖`` matches where the
text has the two words 技术 依赖 side by side, and where it is one token (an English
document's run of Han characters, pre-segmented text); a part with ``*`` or ``?`` stays
one word (``依赖*`` matches 依赖 and 依赖性, not 技术依赖). Regular expressions (``re:依赖``) match
characters and find a word inside a longer one. A pattern listed for a language that no
document of the corpus has is not reported as matching nothing (it could not match); a
frame without patterns for a language that documents have is reported instead, as its
zero counts there were never measured (both as :class:`~textlab.errors.NoMatchWarning`).

Rates per 1,000 tokens compare well **within** a language, where every unit is
tokenised by the same rules. They are not directly comparable **across** languages:
a token is a jieba word in Chinese and a space-delimited word in English, and the two
languages pack meaning into words differently (Chinese compounds such as 产教融合 or
人类命运共同体 are one token where English needs three to five; English inflects and
uses articles, Chinese has neither; jieba's dictionary decides where a compound is
split). The same framing density gives different rates per 1,000 tokens, and the
patterns of one frame differ between languages too. Compare languages by their
patterns of rates (which frames rank high, how sides differ within each language),
or by counts per document or per sentence, not by rates side by side: use
``frame_counts(..., by="lang")`` for a per-language overview and
``frame_counts(corpus.subset(lang="zh"), ..., by="side")`` to compare within one.

**Uncertainty.** :func:`frame_counts` gives percentile bootstrap intervals of the rate:
resampling units (documents, segments or sentences) are drawn with replacement within
each unit or group and the rate is the ratio of the summed counts to the summed tokens.
``random_state`` seeds one :func:`numpy.random.default_rng` used for everything
(``None``: fresh entropy; a Generator is used as given). A unit or group with fewer than
two resampling units gets NaN intervals and a :class:`~textlab.errors.SmallSampleWarning`
naming it: with a single external document, compare sides with ``resample="segment"``
or ``"sentence"``. With zero matches the bootstrap interval collapses to 0-0; use
:func:`poisson_rate_ci` (exact Garwood interval) for such cells.
:func:`compare_groups` adds a permutation test and an exact Poisson test.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import _warn_mixed_languages
from .errors import (
    CodebookError,
    GroupError,
    NoMatchWarning,
    ParameterError,
    PatternError,
    SmallSampleWarning,
    check_bool,
    check_choice,
    check_fraction,
    check_int,
)
from .patterns import (
    REGEX_PREFIX,
    _SHIFT,
    Pattern,
    _check_corpus,
    _index_data,
    _concat_matches,
    _match_arrays,
    _Matches,
    _position_order,
    codebook_pattern,
)
from .tokenize import LANGS

__all__ = [
    "Codebook",
    "Frame",
    "frame_matches",
    "frame_spans",
    "frame_counts",
    "compare_groups",
    "poisson_rate_ci",
    "FRAME_MATCH_COLUMNS",
    "FRAME_SPAN_COLUMNS",
    "FRAME_COUNT_COLUMNS",
    "COMPARE_COLUMNS",
]

TOP_KEYS = ("version", "description", "frames")
FRAME_KEYS = ("id", "label", "description", "patterns", "exclusions", "notes")
FRAME_MATCH_COLUMNS = [
    "frame", "label", "pattern", "matched", "doc_id", "segment_id", "start", "end", "context", "excluded_by", "span_id",
    "lang",
]
FRAME_SPAN_COLUMNS = [
    "span_id", "frame", "label", "doc_id", "segment_id", "start", "end", "matched", "n_matches", "patterns", "context",
]
FRAME_COUNT_COLUMNS = ["unit", "frame", "label", "count", "tokens", "per_1k", "ci_low", "ci_high", "resampled"]
COMPARE_COLUMNS = [
    "frame", "label", "group_a", "group_b", "count_a", "tokens_a", "rate_a", "count_b", "tokens_b", "rate_b",
    "rate_ratio", "ratio_ci_low", "ratio_ci_high", "rate_diff", "diff_ci_low", "diff_ci_high", "p_perm", "q",
    "p_poisson",
]
RESAMPLE_UNITS = ("doc", "segment", "sentence")
#: Key of the patterns that apply to documents of every language (a plain list means this).
ALL_LANGS = "all"
PATTERN_LANGS = (*LANGS, ALL_LANGS)
PER = 1000.0
CONTINUITY = 0.5


# ---------------------------------------------------------------------------------------
# Codebook


@dataclass(frozen=True)
class Frame:
    """One frame of a codebook.

    ``patterns`` and ``exclusions`` map a language code (``'en'``, ``'zh'``) or
    ``'all'`` (every language) to a tuple of pattern strings.
    """

    id: str
    label: str
    description: str = ""
    patterns: Mapping = field(default_factory=dict)
    exclusions: Mapping = field(default_factory=dict)
    notes: str = ""


class Codebook:
    """A validated framing codebook.

    Build one with :meth:`from_yaml` or :meth:`from_dict`. Iterating yields
    :class:`Frame` objects in codebook order; ``codebook['F11']`` returns one.

    Attributes
    ----------
    version, description
        Top-level fields of the codebook.
    source : str
        Where it came from (a path or ``'<dict>'``), used in messages.

    Examples
    --------
    >>> cb = Codebook.from_dict({"frames": [
    ...     {"id": "F11", "label": "Dependency", "patterns": ["depend*", r"re:\\block(?:s|ed)?\\s+into\\b"],
    ...      "exclusions": [r"re:\\bdepends?\\s+on\\b"]}]})
    >>> cb.frames[["id", "label", "n_patterns", "n_exclusions"]].values.tolist()
    [['F11', 'Dependency', 2, 1]]
    >>> cb.patterns[["frame", "kind", "lang"]].values.tolist()
    [['F11', 'pattern', 'all'], ['F11', 'pattern', 'all'], ['F11', 'exclusion', 'all']]

    A frame with patterns per language (see the module notes on comparing rates across
    languages):

    >>> cb = Codebook.from_dict({"frames": [{"id": "F11", "label": "Dependency",
    ...     "patterns": {"en": ["depend*", "reliance"], "zh": ["依赖*", "技术依赖"]}}]})
    >>> cb.patterns[["lang", "pattern"]].values.tolist()
    [['en', 'depend*'], ['en', 'reliance'], ['zh', '依赖*'], ['zh', '技术依赖']]
    """

    def __init__(self, frames: Sequence[Frame], *, version=None, description: str = "", source: str = "<dict>"):
        self._frames = tuple(frames)
        self.version = version
        self.description = description
        self.source = source
        self._compiled: dict[str, Pattern] = {}
        for f in self._frames:
            for kind, table in (("pattern", f.patterns), ("exclusion", f.exclusions)):
                for lang, items in table.items():
                    for p in items:
                        if p not in self._compiled:
                            try:
                                self._compiled[p] = _compile_codebook_pattern(p)
                            except PatternError as err:
                                raise CodebookError(f"{source}: frame {f.id!r}, {kind} {p!r}: {err}") from None

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_yaml(cls, path) -> "Codebook":
        """Read and validate a YAML codebook (with :func:`yaml.safe_load` only).

        Parameters
        ----------
        path : str or pathlib.Path
            A UTF-8 YAML file in the layout of :meth:`from_dict`.

        Returns
        -------
        Codebook

        Raises
        ------
        CodebookError
            Missing or unreadable file, malformed YAML (with line and column), a key given
            twice in one mapping (YAML would keep only the last), YAML tags such as
            ``!!python/object``, and every check of :meth:`from_dict`.
        """
        import yaml

        from ._yaml import DuplicateKeyError, safe_load_unique

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CodebookError(f"{path}: codebook file not found.") from None
        except IsADirectoryError:
            raise CodebookError(f"{path}: is a directory, not a codebook file.") from None
        except UnicodeDecodeError as err:
            raise CodebookError(f"{path}: not valid UTF-8 at byte {err.start}.") from None
        try:
            data = safe_load_unique(text)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
            where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark is not None else ""
            problem = getattr(err, "problem", None) or str(err)
            if isinstance(err, DuplicateKeyError):
                raise CodebookError(f"{path}:{where} {problem}; give each key once.") from None
            if isinstance(err, yaml.constructor.ConstructorError):
                raise CodebookError(
                    f"{path}:{where} YAML tag not allowed ({problem}); a codebook is plain YAML, read with "
                    f"yaml.safe_load."
                ) from None
            raise CodebookError(f"{path}:{where} malformed YAML ({problem}).") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data, *, source: str = "<dict>") -> "Codebook":
        """Validate a codebook given as plain data (the parsed YAML).

        ``data`` is a mapping with ``frames`` (a list) and optionally ``version`` and
        ``description``. Each frame has ``id``, ``label`` and ``patterns`` and
        optionally ``description``, ``exclusions`` and ``notes``. ``patterns`` and
        ``exclusions`` are a list of strings (for documents of every language) or a
        mapping from language code (``en``, ``zh``) or ``all`` to such a list.

        Parameters
        ----------
        data : mapping
            The codebook as plain data.
        source : str, default='<dict>'
            Where the data came from, for error messages.

        Returns
        -------
        Codebook

        Raises
        ------
        CodebookError
            Naming the source, the frame and the key or pattern at fault: unknown keys,
            missing ``id``/``label``/``patterns``, duplicate ids, empty pattern lists,
            patterns that are not strings, duplicate patterns (also one listed under
            ``all`` and under a language), unknown language keys, empty lists,
            invalid or unsafe regular expressions, exclusions for a language without
            patterns. Messages name the frame and the language key.
        """
        if not isinstance(data, Mapping):
            raise CodebookError(f"{source}: a codebook is a mapping with a 'frames' list; got {type(data).__name__}.")
        unknown = [k for k in data if k not in TOP_KEYS]
        if unknown:
            raise CodebookError(f"{source}: unknown top-level key {unknown[0]!r} (allowed: {', '.join(TOP_KEYS)}).")
        raw_frames = data.get("frames")
        if not isinstance(raw_frames, list) or not raw_frames:
            raise CodebookError(f"{source}: 'frames' must be a non-empty list of frames.")
        description = data.get("description") or ""
        if not isinstance(description, str):
            raise CodebookError(f"{source}: 'description' must be a string.")
        frames, seen = [], set()
        for i, raw in enumerate(raw_frames):
            frame = _parse_frame(raw, i, source)
            if frame.id in seen:
                raise CodebookError(f"{source}: duplicate frame id {frame.id!r}.")
            seen.add(frame.id)
            frames.append(frame)
        return cls(frames, version=data.get("version"), description=description, source=source)

    def without_exclusions(self) -> "Codebook":
        """The same codebook with every exclusion rule removed (counts become raw counts)."""
        frames = [Frame(f.id, f.label, f.description, f.patterns, {}, f.notes) for f in self._frames]
        return Codebook(frames, version=self.version, description=self.description, source=self.source)

    def select(self, ids) -> "Codebook":
        """A codebook with only the frames ``ids`` (in the order given)."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        return Codebook([self[i] for i in ids], version=self.version, description=self.description, source=self.source)

    # -- access ---------------------------------------------------------------------------
    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, frame_id: str) -> Frame:
        for f in self._frames:
            if f.id == frame_id:
                return f
        raise CodebookError(f"{self.source}: no frame {frame_id!r}; frames are {', '.join(self.ids)}.")

    def __repr__(self) -> str:
        return f"Codebook({len(self)} frames from {self.source})"

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self._frames]

    @property
    def frames(self) -> pd.DataFrame:
        """One row per frame: ``id, label, description, n_patterns, n_exclusions``."""
        rows = [
            (f.id, f.label, f.description, sum(map(len, f.patterns.values())), sum(map(len, f.exclusions.values())))
            for f in self._frames
        ]
        return pd.DataFrame(rows, columns=["id", "label", "description", "n_patterns", "n_exclusions"])

    @property
    def patterns(self) -> pd.DataFrame:
        """Every pattern, tidy: ``frame, kind`` (``pattern``/``exclusion``), ``lang, pattern``."""
        rows = [
            (f.id, kind, lang, p)
            for f in self._frames
            for kind, table in (("pattern", f.patterns), ("exclusion", f.exclusions))
            for lang, items in table.items()
            for p in items
        ]
        return pd.DataFrame(rows, columns=["frame", "kind", "lang", "pattern"])


def _parse_frame(raw, i: int, source: str) -> Frame:
    if not isinstance(raw, Mapping):
        raise CodebookError(f"{source}: frame #{i + 1} must be a mapping with id, label and patterns.")
    fid = raw.get("id")
    name = f"frame {fid!r}" if isinstance(fid, str) and fid.strip() else f"frame #{i + 1}"
    unknown = [k for k in raw if k not in FRAME_KEYS]
    if unknown:
        raise CodebookError(f"{source}: {name}: unknown key {unknown[0]!r} (allowed: {', '.join(FRAME_KEYS)}).")
    for key in ("id", "label", "patterns"):
        if key not in raw or raw[key] is None:
            raise CodebookError(f"{source}: {name}: missing {key!r}.")
    if not isinstance(fid, str) or not fid.strip():
        raise CodebookError(f"{source}: {name}: 'id' must be a non-empty string (quote it); got {fid!r}.")
    if not isinstance(raw["label"], str) or not raw["label"].strip():
        raise CodebookError(f"{source}: {name}: 'label' must be a non-empty string; got {raw['label']!r}.")
    for key in ("description", "notes"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise CodebookError(f"{source}: {name}: {key!r} must be a string; got {type(raw[key]).__name__}.")
    patterns = _parse_patterns(raw["patterns"], name, "patterns", source, required=True)
    exclusions = _parse_patterns(raw.get("exclusions"), name, "exclusions", source, required=False)
    orphan = [lang for lang in exclusions if lang not in patterns and ALL_LANGS not in patterns]
    if orphan:
        raise CodebookError(f"{source}: {name}: exclusions for language {orphan[0]!r}, which has no patterns.")
    return Frame(fid, raw["label"], raw.get("description") or "", patterns, exclusions, raw.get("notes") or "")


def _parse_patterns(value, name: str, key: str, source: str, *, required: bool) -> dict:
    """A list (every language) or a mapping language -> list, as {lang or 'all': tuple of patterns}."""
    by_lang = isinstance(value, Mapping)
    if value is None:
        table = {}
    elif by_lang:
        table = value
    elif isinstance(value, list):
        table = {ALL_LANGS: value}
    else:
        raise CodebookError(
            f"{source}: {name}: {key!r} must be a list of strings or a mapping from language to such a list; "
            f"got {type(value).__name__}."
        )
    out = {}
    for lang, items in table.items():
        where = f"{key!r} ({lang})" if by_lang else repr(key)
        if lang not in PATTERN_LANGS:
            raise CodebookError(
                f"{source}: {name}: {key!r} has unknown language {lang!r} (language keys: {', '.join(PATTERN_LANGS)})."
            )
        if not isinstance(items, list):
            raise CodebookError(f"{source}: {name}: {where} must be a list of strings; got {type(items).__name__}.")
        if not items and required:
            raise CodebookError(f"{source}: {name}: {where} is empty.")
        for j, p in enumerate(items):
            if not isinstance(p, str) or not p.strip():
                raise CodebookError(f"{source}: {name}: {where} item {j + 1} must be a non-empty string; got {p!r}.")
        dupes = sorted({p for p in items if items.count(p) > 1})
        if dupes:
            raise CodebookError(f"{source}: {name}: {where} lists {dupes[0]!r} twice.")
        if items:
            out[lang] = tuple(items)
    shared = set(out.get(ALL_LANGS, ()))
    for lang, items in out.items():
        twice = [p for p in items if lang != ALL_LANGS and p in shared]
        if twice:
            raise CodebookError(
                f"{source}: {name}: {key!r} lists {twice[0]!r} under {ALL_LANGS!r} and under {lang!r}; keep one."
            )
    if required and not out:
        raise CodebookError(f"{source}: {name}: {key!r} is empty.")
    return out


def _compile_codebook_pattern(pattern: str) -> Pattern:
    """:func:`codebook_pattern`, refusing globs that are only wildcards.

    A part in Han characters matches both as written and cut into jieba's words (the
    ``variants`` of :class:`textlab.patterns.Pattern`), so ``技术依赖`` finds the words
    技术 依赖 of a Chinese document and the one token of an English or pre-segmented one.
    """
    if not pattern.startswith(REGEX_PREFIX):
        words = pattern.split()
        if words and all("*" in w and not w.strip("*?") for w in words):
            raise PatternError(
                f"Pattern {pattern!r} is only wildcards: it would match every token (or run of tokens) and count the "
                f"whole text. Name at least one word or word start (e.g. 'depend*')."
            )
    return codebook_pattern(pattern)


def _as_codebook(codebook, func: str) -> Codebook:
    if isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, (str, Path)):
        return Codebook.from_yaml(codebook)
    if isinstance(codebook, Mapping):
        return Codebook.from_dict(codebook)
    raise ParameterError(
        f"The 'codebook' parameter of {func} must be a Codebook, a path to a YAML codebook or a mapping; "
        f"got {type(codebook).__name__}."
    )


# ---------------------------------------------------------------------------------------
# Matching, exclusion, merging


class _FrameRows:
    """Raw matches of every frame with their exclusion and merged net span.

    Rows: frames in codebook order, each sorted by segment, start, end and pattern rank.
    ``raw`` and ``spans`` are :class:`~textlab.patterns._Matches`, whose document,
    segment and offsets are looked up only when asked, and the per-row arrays are joined
    from the frames' parts only when asked: :func:`frame_counts` needs the spans alone.
    """

    def __init__(self, parts, names, spans, unmatched, data, index):
        self._parts = parts  # per frame: (_Matches of its raw rows, excluded codes, span numbers)
        self.names = names  # object: the pattern sources, then "" (code -1)
        self.spans = spans  # _Matches: one per net span (its .pattern: frame number)
        self.unmatched = unmatched  # (frame id, kind, pattern, its language list) that matched nothing
        self.langs = sorted(set(data.doc_lang.tolist()))  # languages of the documents
        self._data, self._index = data, index

    @cached_property
    def raw(self) -> _Matches:  # every raw match of every frame (its .pattern: code into names)
        return _concat_matches([p[0] for p in self._parts], self._data, self._index)

    def _joined(self, k: int) -> np.ndarray:
        return np.concatenate([p[k] for p in self._parts] + [np.zeros(0, np.int64)])

    frame = cached_property(lambda self: np.repeat(np.arange(len(self._parts)), [len(p[0]) for p in self._parts]))
    excluded_code = cached_property(lambda self: self._joined(1))  # -1: kept
    span = cached_property(lambda self: self._joined(2))  # net span number per row (-1 for excluded rows)
    pattern = property(lambda self: self.names[self.raw.pattern])
    excluded_by = property(lambda self: self.names[self.excluded_code])
    doc = property(lambda self: self.raw.doc)
    segment = property(lambda self: self.raw.segment)
    start = property(lambda self: self.raw.start)
    end = property(lambda self: self.raw.end)
    span_frame = property(lambda self: self.spans.pattern)
    span_doc = property(lambda self: self.spans.doc)
    span_segment = property(lambda self: self.spans.segment)
    span_start = property(lambda self: self.spans.start)
    span_end = property(lambda self: self.spans.end)


def _inside(doc, start, end, xdoc, xstart, xend) -> np.ndarray:
    """For each (doc, start, end): does some (xdoc, xstart, xend) contain it?"""
    if not len(xstart) or not len(start):
        return np.zeros(len(start), bool)
    keys = xdoc * _SHIFT + xstart
    order = np.argsort(keys, kind="stable")
    reach = np.maximum.accumulate(xdoc[order] * _SHIFT + xend[order])
    i = np.searchsorted(keys[order], doc * _SHIFT + start, side="right") - 1
    return (i >= 0) & (reach[np.clip(i, 0, None)] >= doc * _SHIFT + end)


def _new_spans(m: _Matches, data, index) -> np.ndarray:
    """Does each row (rows sorted by segment, start) begin a new net span?

    Rows merge when they overlap or when only whitespace lies between them in one segment.
    For token-aligned rows this is read off the tokens: a row that starts at the token
    after the span's last token merges if the gap between the two is whitespace (the
    index's gap counts) and both lie in one segment. Other rows compare offsets, and read
    the text of a gap only when no token lies in it.
    """
    new = np.ones(len(m), bool)
    if len(m) < 2:
        return new
    if (m.first >= 0).all():
        reach = np.maximum.accumulate(m.last)[:-1]
        nxt = m.first[1:]
        new[1:] = nxt > reach
        touch = np.flatnonzero(nxt == reach + 1)
        t = nxt[touch]
        breaks = data.breaks(index)
        joined = breaks[t] == breaks[t - 1]  # one segment, only whitespace between
        new[1 + touch[joined]] = False
        return new
    segment, start, end, doc = m.segment, m.start, m.end, m.doc
    reach = np.maximum.accumulate(segment * _SHIFT + end) - segment * _SHIFT  # running end within the segment
    same = segment[1:] == segment[:-1]
    prev_reach = reach[:-1]
    new[1:] = ~same | (start[1:] > prev_reach)
    gaps = 1 + np.flatnonzero(same & (start[1:] > prev_reach))
    base = doc[gaps] * _SHIFT  # a gap with a token in it is text
    tokens_inside = (np.searchsorted(data.start_key, base + start[gaps], side="left")
                     - np.searchsorted(data.start_key, base + prev_reach[gaps - 1], side="left"))
    for i in gaps[tokens_inside == 0].tolist():
        if data.norms[doc[i]][prev_reach[i - 1] : start[i]].isspace():
            new[i] = False
    return new


def _rows_by_pattern(table, bounds, code, doc_lang, langs, m):
    """(pattern, rank in its list, match rows in documents of its language, that language) for a
    frame's table.

    The rows of pattern ``p`` are ``bounds[code[p]]:bounds[code[p] + 1]`` (matches grouped
    by pattern); patterns listed for ``all`` languages keep the rows of every document.
    """
    out = []
    for lang, items in table.items():
        for rank, p in enumerate(items):
            rows = np.arange(bounds[code[p]], bounds[code[p] + 1])
            if lang != ALL_LANGS and langs != {lang}:
                rows = rows[doc_lang[m.take(rows).doc] == lang] if lang in langs else rows[:0]
            out.append((p, rank, rows, lang))
    return out


def _match_frames(corpus, cb: Codebook, headings: bool) -> _FrameRows:
    """Raw matches of every frame, their exclusion and their merged net spans."""
    index = corpus.index(headings=headings)
    data = _index_data(corpus, index)
    doc_lang = data.doc_lang
    langs = set(doc_lang.tolist())
    sources = list(cb._compiled)
    m = _match_arrays(corpus, index, [cb._compiled[s] for s in sources], sort=False)  # grouped by pattern
    code = {p: i for i, p in enumerate(sources)}
    bounds = np.searchsorted(m.pattern, np.arange(len(sources) + 1))
    parts, spans, unmatched, n_spans = [], [], [], 0
    empty = np.zeros(0, np.int64)
    for f_no, f in enumerate(cb):
        got = _rows_by_pattern(f.patterns, bounds, code, doc_lang, langs, m)
        unmatched += [(f.id, "pattern", p, lang) for p, _, rows, lang in got if not len(rows)]
        rows = np.concatenate([r for _, _, r, _ in got] + [empty])
        rank = np.repeat(np.array([k for _, k, _, _ in got], np.int64), [len(r) for _, _, r, _ in got])
        sub = m.take(rows)
        fm = sub.take(_position_order(sub, rank, max(len(got), 1)))
        # 1. exclusions, on raw matches: the first rule with a span containing the match
        excluded = np.full(len(fm), -1, np.int64)  # pattern code of the rule, -1: kept
        for p, _, xrows, lang in _rows_by_pattern(f.exclusions, bounds, code, doc_lang, langs, m):
            if not len(xrows):
                unmatched.append((f.id, "exclusion", p, lang))
            x = m.take(xrows)
            excluded[_inside(fm.doc, fm.start, fm.end, x.doc, x.start, x.end) & (excluded < 0)] = code[p]
        # 2. merging of the kept matches into net spans
        kept = np.flatnonzero(excluded < 0)
        km = fm if len(kept) == len(fm) else fm.take(kept)
        new = _new_spans(km, data, index)
        heads = np.flatnonzero(new)
        span = np.full(len(fm), -1, np.int64)
        span[kept] = np.cumsum(new) - 1 + n_spans
        head = km.take(heads)
        if len(heads):  # a span ends where the furthest of its matches ends
            head.last = np.maximum.reduceat(km.last, heads)
            if km._explicit:
                head.end = np.maximum.reduceat(km.end, heads)
        head.pattern = np.full(len(heads), f_no, np.int64)
        spans.append(head)
        n_spans += len(heads)
        parts.append((fm, excluded, span))
    names = np.asarray(sources + [""], dtype=object)  # code -1: ""
    return _FrameRows(parts, names, _concat_matches(spans, data, index), unmatched, data, index)


def _warn_unmatched(cb: Codebook, unmatched, langs, stacklevel: int = 3) -> None:
    """Warn about patterns that matched nothing and frames not measured in a language.

    ``unmatched`` holds (frame id, kind, pattern, language list) of the patterns without
    a match, ``langs`` the languages of the corpus's documents. A pattern listed for a
    language the corpus does not have could not match and is not reported.
    """
    unmatched = [u for u in unmatched if u[3] == ALL_LANGS or u[3] in langs]
    if unmatched:
        listed = "; ".join(f"{fid} {kind} {p!r}" for fid, kind, p, _ in unmatched)
        warnings.warn(
            f"{len(unmatched)} codebook pattern(s) matched nothing in the corpus (check them): {listed}.",
            NoMatchWarning,
            stacklevel=stacklevel,
        )
    unmeasured = [f"{f.id} ({', '.join(missing)})" for f in cb if ALL_LANGS not in f.patterns
                  for missing in [[lang for lang in langs if lang not in f.patterns]] if missing]
    if unmeasured:
        warnings.warn(
            f"{len(unmeasured)} frame(s) have no patterns for a language of the corpus, so their counts in its "
            f"documents are 0 without being measured: {'; '.join(unmeasured)}. List patterns under that language "
            f"(or as a plain list, for every language).",
            NoMatchWarning,
            stacklevel=stacklevel,
        )


def _context_strings(corpus, index, doc, seg, start, end, window) -> list[str]:
    from .kwic import _contexts

    lefts, rights = _contexts(corpus, index, doc, seg, start, end, window)
    texts = {d: corpus.text(index.doc_ids[d]) for d in dict.fromkeys(doc.tolist())}  # once per document
    out = []
    for d, s, e, left, right in zip(doc.tolist(), start.tolist(), end.tolist(), lefts, rights):
        matched = " ".join(texts[d][s:e].split())
        out.append(f"{left} [{matched}] {right}".strip())
    return out


def frame_matches(corpus, codebook, *, headings: bool = False, window: int = 8) -> pd.DataFrame:
    """The audit trail: every raw match of every frame, kept or excluded.

    Parameters
    ----------
    corpus : textlab.Corpus
    codebook : Codebook, path or mapping
        A :class:`Codebook`, or a YAML path / mapping to build one from.
    headings : bool, default=False
        Match headings too (by default only body paragraphs, as in the counts).
    window : int, default=8
        Tokens of context on each side in ``context`` (as in :func:`textlab.kwic.kwic`).

    Returns
    -------
    pandas.DataFrame
        One row per raw match, by frame (codebook order), document, ``start``, ``end``
        and pattern order. Columns: ``frame, label``; ``pattern`` (the codebook
        pattern); ``matched`` (``corpus.text(doc_id)[start:end]``); ``doc_id,
        segment_id, start, end``; ``context`` (the match in ``[...]`` between its left and
        right context); ``excluded_by`` (``""`` for kept matches, else the exclusion
        rule); ``span_id`` (the merged net span the match counts in, as in
        :func:`frame_spans`; ``-1`` for excluded matches); ``lang`` (the document's
        language, whose patterns it was matched with).

    Warns
    -----
    NoMatchWarning
        Once, listing every pattern and exclusion rule that matched nothing; once more
        for frames without patterns for a language of the corpus (see the module notes).

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "It depends on funding. Unidirectional skill transfer deepens dependency.")])
    >>> cb = Codebook.from_dict({"frames": [
    ...     {"id": "F11", "label": "Dependency", "patterns": ["depend*"], "exclusions": [r"re:\\bdepends?\\s+on\\b"]},
    ...     {"id": "F14", "label": "Transfer", "patterns": ["unidirectional", r"re:\\bskills?\\s+transfer\\b"]}]})
    >>> frame_matches(c, cb)[["frame", "matched", "excluded_by", "span_id"]].values.tolist()
    [['F11', 'depends', 're:\\\\bdepends?\\\\s+on\\\\b', -1], ['F11', 'dependency', '', 0], ['F14', 'Unidirectional', '', 1], ['F14', 'skill transfer', '', 1]]
    """
    _check_corpus(corpus, "frame_matches")
    cb = _as_codebook(codebook, "frame_matches")
    window = check_int(window, name="window", func="frame_matches", minimum=1)
    headings = check_bool(headings, name="headings", func="frame_matches")
    index = corpus.index(headings=headings)
    r = _match_frames(corpus, cb, headings)
    _warn_unmatched(cb, r.unmatched, r.langs)
    texts = {d: corpus.text(d) for d in index.doc_ids}
    doc_ids = np.asarray(index.doc_ids, dtype=object)
    frame_ids = np.asarray(cb.ids, dtype=object)
    labels = np.asarray([f.label for f in cb], dtype=object)
    return pd.DataFrame(
        {
            "frame": frame_ids[r.frame] if len(r.frame) else np.zeros(0, object),
            "label": labels[r.frame] if len(r.frame) else np.zeros(0, object),
            "pattern": r.pattern,
            "matched": [texts[doc_ids[d]][s:e] for d, s, e in zip(r.doc.tolist(), r.start.tolist(), r.end.tolist())],
            "doc_id": doc_ids[r.doc] if len(r.doc) else np.zeros(0, object),
            "segment_id": index.segment_ids[r.segment] if len(r.segment) else np.zeros(0, object),
            "start": r.start.astype(np.int64),
            "end": r.end.astype(np.int64),
            "context": _context_strings(corpus, index, r.doc, r.segment, r.start, r.end, window),
            "excluded_by": r.excluded_by,
            "span_id": r.span.astype(np.int64),
            "lang": _index_data(corpus, index).doc_lang[r.doc] if len(r.doc) else np.zeros(0, object),
        },
        columns=FRAME_MATCH_COLUMNS,
    )


def frame_spans(corpus, codebook, *, headings: bool = False, window: int = 8) -> pd.DataFrame:
    """The merged net spans that :func:`frame_counts` counts, one row per span.

    Parameters
    ----------
    corpus : textlab.Corpus
    codebook : Codebook, path or mapping
    headings : bool, default=False
        Match headings too.
    window : int, default=8
        Tokens of context on each side in ``context``.

    Returns
    -------
    pandas.DataFrame
        Columns ``span_id`` (as in :func:`frame_matches`), ``frame, label, doc_id,
        segment_id``; ``start, end`` (the merged span); ``matched`` (its text);
        ``n_matches`` (kept raw matches merged into it); ``patterns`` (the patterns that
        matched, ``"; "``-joined in codebook order); ``context``.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "A unidirectional skill transfer.")])
    >>> cb = {"frames": [{"id": "F14", "label": "Transfer", "patterns": ["unidirectional", "skill transfer"]}]}
    >>> frame_spans(c, cb)[["matched", "n_matches", "patterns"]].values.tolist()
    [['unidirectional skill transfer', 2, 'unidirectional; skill transfer']]
    """
    _check_corpus(corpus, "frame_spans")
    cb = _as_codebook(codebook, "frame_spans")
    window = check_int(window, name="window", func="frame_spans", minimum=1)
    headings = check_bool(headings, name="headings", func="frame_spans")
    index = corpus.index(headings=headings)
    r = _match_frames(corpus, cb, headings)
    _warn_unmatched(cb, r.unmatched, r.langs)
    kept = r.span >= 0
    n = len(r.span_start)
    n_matches = np.bincount(r.span[kept], minlength=n)
    order_in_frame = {(f.id, p): k for f in cb for k, p in enumerate(p for t in f.patterns.values() for p in t)}
    pats: list[list[str]] = [[] for _ in range(n)]
    frame_ids = np.asarray(cb.ids, dtype=object)
    for sp, p, fr in zip(r.span[kept].tolist(), r.pattern[kept].tolist(), r.frame[kept].tolist()):
        if p not in pats[sp]:
            pats[sp].append(p)
    patterns = [
        "; ".join(sorted(ps, key=lambda p, f=frame_ids[fr]: order_in_frame[(f, p)]))
        for ps, fr in zip(pats, r.span_frame.tolist())
    ]
    doc_ids = np.asarray(index.doc_ids, dtype=object)
    texts = {d: corpus.text(d) for d in index.doc_ids}
    return pd.DataFrame(
        {
            "span_id": np.arange(n, dtype=np.int64),
            "frame": frame_ids[r.span_frame] if n else np.zeros(0, object),
            "label": np.asarray([f.label for f in cb], dtype=object)[r.span_frame] if n else np.zeros(0, object),
            "doc_id": doc_ids[r.span_doc] if n else np.zeros(0, object),
            "segment_id": index.segment_ids[r.span_segment] if n else np.zeros(0, object),
            "start": r.span_start,
            "end": r.span_end,
            "matched": [texts[doc_ids[d]][s:e] for d, s, e in zip(r.span_doc.tolist(), r.span_start.tolist(),
                                                                   r.span_end.tolist())],
            "n_matches": n_matches.astype(np.int64),
            "patterns": patterns,
            "context": _context_strings(corpus, index, r.span_doc, r.span_segment, r.span_start, r.span_end, window),
        },
        columns=FRAME_SPAN_COLUMNS,
    )


# ---------------------------------------------------------------------------------------
# Counting units


@dataclass
class _Units:
    """Resampling units: token and frame counts, and the document and segment of each."""

    doc: np.ndarray
    segment: np.ndarray  # segment row (-1 for documents)
    tokens: np.ndarray  # (n,)
    counts: np.ndarray  # (n, n_frames)


def _count_options(by: str, ci, n_boot, resample, random_state):
    """frame_counts' checked (ci, n_boot, resample, rng); shared with textlab.scale."""
    if ci is not None:
        ci = check_fraction(ci, name="ci", func="frame_counts")
    n_boot = check_int(n_boot, name="n_boot", func="frame_counts", minimum=1)
    allowed = {"doc": ("segment", "sentence"), "segment": ("sentence",)}.get(by, RESAMPLE_UNITS)
    resample = _DEFAULT_RESAMPLE.get(by, "doc") if resample is None else resample
    check_choice(resample, allowed, name="resample", func=f"frame_counts with by={by!r}")
    return ci, n_boot, resample, _rng(random_state, "frame_counts")


def _unit_level(by: str, ci, resample: str) -> str:
    """The units frame_counts counts in: the resampling units, or without a bootstrap the
    coarsest units that pool into ``by`` (the counts are the same either way)."""
    if ci is not None:
        return resample
    return "segment" if by == "segment" else "doc"


def _units(corpus, cb: Codebook, level: str, headings: bool) -> tuple[_Units, _FrameRows]:
    index = corpus.index(headings=headings)
    data = _index_data(corpus, index)
    r = _match_frames(corpus, cb, headings)
    n_frames = len(cb)
    if level == "doc":
        doc = np.arange(len(index.doc_ids), dtype=np.int64)
        segment = np.full(len(doc), -1, np.int64)
        tokens, span_unit = np.diff(index.doc_offsets).astype(np.int64), r.span_doc
    elif level == "segment":
        segment = np.arange(len(index.segment_docs), dtype=np.int64)
        doc = data.seg_doc
        tokens, span_unit = np.diff(index.segment_offsets).astype(np.int64), r.span_segment
    else:
        doc, segment, keys = _sentence_units(corpus, index, data, headings)
        tok_unit = np.searchsorted(keys, data.start_key, side="right") - 1
        span_unit = np.searchsorted(keys, r.span_doc * _SHIFT + r.span_start, side="right") - 1
        tokens = np.bincount(tok_unit, minlength=len(doc)).astype(np.int64) if len(tok_unit) else np.zeros(len(doc), np.int64)
    n = len(doc)
    counts = np.zeros((n, n_frames), np.int64)
    if len(span_unit):  # (np.add.at semantics: a unit of -1 is the last one)
        flat = np.where(span_unit < 0, span_unit + n, span_unit) * n_frames + r.span_frame
        counts += np.bincount(flat, minlength=n * n_frames).reshape(n, n_frames)
    return _Units(doc, segment, tokens, counts), r


def _sentence_units(corpus, index, data, headings: bool):
    sents = corpus.sentence_table()
    doc_number = {d: i for i, d in enumerate(index.doc_ids)}
    seg_number = {s: i for i, s in enumerate(index.segment_ids.tolist())}
    doc = sents["doc_id"].map(doc_number).to_numpy(np.int64)
    seg = sents["segment_id"].map(seg_number).to_numpy(np.int64)
    start = sents["start"].to_numpy(np.int64)
    if headings:  # a heading segment is one unit of its own
        is_heading = np.ones(len(index.segment_ids), bool)
        is_heading[np.unique(seg)] = False
        h = np.flatnonzero(is_heading)
        doc, seg, start = (np.concatenate([doc, data.seg_doc[h]]), np.concatenate([seg, h]),
                           np.concatenate([start, data.seg_start[h]]))
    keys = doc * _SHIFT + start
    order = np.argsort(keys, kind="stable")
    return doc[order], seg[order], keys[order]


def _rng(random_state, func: str) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
                                and random_state >= 0):
        return np.random.default_rng(random_state)
    raise ParameterError(
        f"The 'random_state' parameter of {func} must be a non-negative int, None or a numpy Generator; got "
        f"{random_state!r}."
    )


def _rates(counts, tokens):
    tokens = np.asarray(tokens, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = PER * np.asarray(counts, float) / (tokens[..., None] if np.ndim(counts) > np.ndim(tokens) else tokens)
    return np.where(np.isfinite(rate), rate, np.nan)


def _boot_sums(rng, counts, tokens, n_boot: int):
    """Bootstrap replicates of summed counts (n_boot, F) and tokens (n_boot,) over the rows."""
    n = len(tokens)
    step = max(1, 4_000_000 // max(n, 1))
    c_out, t_out = [], []
    for lo in range(0, n_boot, step):
        w = rng.multinomial(n, np.full(n, 1.0 / n), size=min(step, n_boot - lo)).astype(float)
        c_out.append(w @ counts)
        t_out.append(w @ tokens)
    return np.concatenate(c_out), np.concatenate(t_out)


def _percentiles(values, ci: float):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN
        lo, hi = np.nanpercentile(values, [50 * (1 - ci), 50 * (1 + ci)], axis=0)
    return lo, hi


# ---------------------------------------------------------------------------------------
# frame_counts


_DEFAULT_RESAMPLE = {"doc": "segment", "segment": "sentence"}


def frame_counts(
    corpus,
    codebook,
    *,
    by: str = "doc",
    ci: float | None = 0.95,
    n_boot: int = 2000,
    resample: str | None = None,
    random_state=0,
    headings: bool = False,
) -> pd.DataFrame:
    """Net frame counts and rates per 1,000 tokens, with bootstrap intervals.

    Parameters
    ----------
    corpus : textlab.Corpus
    codebook : Codebook, path or mapping
    by : str, default='doc'
        ``'doc'``, ``'segment'`` or the name of a docvar (e.g. ``'side'``) to pool by.
    ci : float or None, default=0.95
        Level of the percentile bootstrap interval; ``None`` skips the bootstrap (NaN).
    n_boot : int, default=2000
        Bootstrap replicates.
    resample : {'doc', 'segment', 'sentence'}, optional
        What the bootstrap draws with replacement within each unit: by default
        documents within each group for ``by=<docvar>``, segments within each document
        for ``by='doc'`` and sentences within each segment for ``by='segment'``. It must
        be finer than the unit (``'doc'`` only for a docvar).
    random_state : int, numpy Generator or None, default=0
        Seeds the bootstrap (see the module notes).
    headings : bool, default=False
        Count in headings too (tokens and matches).

    Returns
    -------
    pandas.DataFrame
        One row per unit and frame (units in corpus order, frames in codebook order).
        Columns ``unit`` (doc_id, segment_id or docvar value), ``frame, label``,
        ``count`` (net merged matches), ``tokens`` (tokens of the unit), ``per_1k``
        (``1000 * count / tokens``, NaN for zero tokens), ``ci_low, ci_high`` (bootstrap
        interval of ``per_1k``; NaN with ``ci=None`` or fewer than two resampling units),
        ``resampled`` (the resampling unit, or ``'none'``).

    Notes
    -----
    Rates per 1,000 tokens are comparable between units of one language only: Chinese
    tokens are jieba's words, English tokens space-delimited words, and the languages
    compound and inflect differently (see *Languages* in :mod:`textlab.frames`). In a
    corpus of several languages count per language: ``by="lang"`` pools each language,
    and ``frame_counts(corpus.subset(lang="zh"), codebook, by="side")`` compares groups
    within one.

    Warns
    -----
    SmallSampleWarning
        Once, naming the units with fewer than two resampling units.
    NoMatchWarning
        Once, listing codebook patterns that matched nothing; once more for frames
        without patterns for a language of the corpus (see the module notes).

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "Win-win. Mutual benefit for both.\\n\\nA shared future."), ("b", "Lock-in.")])
    >>> cb = {"frames": [{"id": "F01", "label": "Win-win", "patterns": ["win-win", "mutual benefit*"]}]}
    >>> frame_counts(c, cb, ci=None)[["unit", "count", "tokens", "per_1k"]].values.tolist()
    [['a', 2, 8, 250.0], ['b', 0, 1, 0.0]]
    """
    _check_corpus(corpus, "frame_counts")
    cb = _as_codebook(codebook, "frame_counts")
    if not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of frame_counts must be 'doc', 'segment' or a docvar name; got {by!r}.")
    if by not in ("doc", "segment"):
        groups = corpus._group_values(by, "frame_counts")
    ci, n_boot, resample, rng = _count_options(by, ci, n_boot, resample, random_state)
    headings = check_bool(headings, name="headings", func="frame_counts")
    units, r = _units(corpus, cb, _unit_level(by, ci, resample), headings)
    _warn_unmatched(cb, r.unmatched, r.langs)
    index = corpus.index(headings=headings)
    doc_ids = np.asarray(index.doc_ids, dtype=object)
    if by == "doc":
        order, labels = list(index.doc_ids), doc_ids[units.doc]
    elif by == "segment":
        order, labels = index.segment_ids.tolist(), index.segment_ids[units.segment]
    else:
        group_of_doc = groups.reindex(doc_ids).tolist()
        order = list(dict.fromkeys(group_of_doc))
        labels = groups.reindex(doc_ids[units.doc]).to_numpy(object)
        langs = corpus._group_values("lang").reindex(doc_ids).tolist()
        _warn_mixed_languages(zip((f"group {g!r}" for g in group_of_doc), langs), "frame_counts")
    return _count_table(units, order, labels, cb, ci=ci, n_boot=n_boot, resample=resample, rng=rng)


def _sum_rows(values: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """``np.add.at(out, codes, values)`` into ``n`` zero rows, as a sparse product (three times faster)."""
    from scipy import sparse

    rows = np.arange(len(codes))
    members = sparse.csr_array((np.ones(len(codes), values.dtype), (codes, rows)), shape=(n, len(codes)))
    return np.asarray(members @ values)


def _count_table(units: _Units, order, labels, cb: Codebook, *, ci, n_boot, resample, rng) -> pd.DataFrame:
    # The pooling and bootstrap step of frame_counts, also run by textlab.scale on units counted in partitions.
    n_units, n_frames = len(order), len(cb)
    codes = pd.Index(order).get_indexer(labels)
    counts = _sum_rows(units.counts, codes, n_units)
    tokens = np.bincount(codes, weights=units.tokens, minlength=n_units).astype(np.int64)
    low = np.full((n_units, n_frames), np.nan)
    high = low.copy()
    small = []
    if ci is not None:
        sizes = np.bincount(codes, minlength=n_units)
        members_of = np.split(np.argsort(codes, kind="stable"), np.cumsum(sizes)[:-1]) if n_units else []
        for u, members in enumerate(members_of):
            if len(members) < 2:
                small.append(f"{order[u]} ({len(members)} {resample})")
                continue
            c_b, t_b = _boot_sums(rng, units.counts[members].astype(float), units.tokens[members].astype(float), n_boot)
            low[u], high[u] = _percentiles(_rates(c_b, t_b), ci)
    if small:
        warnings.warn(
            f"frame_counts: {len(small)} unit(s) have fewer than 2 resampling units, so their intervals are NaN: "
            f"{', '.join(small[:20])}{' …' if len(small) > 20 else ''}.",
            SmallSampleWarning,
            stacklevel=3,
        )
    return pd.DataFrame(
        {
            "unit": np.repeat(np.asarray(order, dtype=object), n_frames),
            "frame": np.tile(np.asarray(cb.ids, dtype=object), n_units),
            "label": np.tile(np.asarray([f.label for f in cb], dtype=object), n_units),
            "count": counts.ravel(),
            "tokens": np.repeat(tokens, n_frames),
            "per_1k": _rates(counts, tokens).ravel(),
            "ci_low": low.ravel(),
            "ci_high": high.ravel(),
            "resampled": resample if ci is not None else "none",
        },
        columns=FRAME_COUNT_COLUMNS,
    )


# ---------------------------------------------------------------------------------------
# compare_groups


def _ratio(count_a, tokens_a, count_b, tokens_b):
    """rate_a / rate_b; a zero count on either side adds 0.5 to both; both zero: NaN."""
    count_a, count_b = np.asarray(count_a, float), np.asarray(count_b, float)
    zero = (count_a == 0) | (count_b == 0)
    ca, cb = count_a + CONTINUITY * zero, count_b + CONTINUITY * zero
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (ca / np.asarray(tokens_a, float)) / (cb / np.asarray(tokens_b, float))
    ratio = np.where((count_a == 0) & (count_b == 0), np.nan, ratio)
    return np.where(np.isfinite(ratio), ratio, np.nan)


def compare_groups(
    corpus,
    codebook,
    *,
    group: str = "side",
    groups: Sequence | None = None,
    resample: str = "segment",
    ci: float = 0.95,
    n_boot: int = 2000,
    n_perm: int = 9999,
    random_state=0,
    headings: bool = False,
) -> pd.DataFrame:
    """Compare frame rates between two groups of documents (e.g. the two sides).

    Parameters
    ----------
    corpus : textlab.Corpus
    codebook : Codebook, path or mapping
    group : str, default='side'
        The docvar that defines the groups.
    groups : (a, b), optional
        The two values of ``group`` to compare (required when it has more than two);
        otherwise ``a`` and ``b`` are its two values in order of first appearance.
    resample : {'segment', 'sentence', 'doc'}, default='segment'
        The unit that the bootstrap draws within each group and whose group labels the
        permutation test shuffles. Segments (paragraphs) by default, because with five
        documents a test over documents has only five distinct relabellings; this treats
        segments as exchangeable within the corpus, which ignores that segments of one
        document are alike, so read the p-values as descriptive.
    ci : float, default=0.95
        Level of the percentile bootstrap intervals.
    n_boot : int, default=2000
        Bootstrap replicates.
    n_perm : int, default=9999
        Random permutations of the group labels.
    random_state : int, numpy Generator or None, default=0
        Seeds bootstrap and permutations (see the module notes).
    headings : bool, default=False
        Count in headings too.

    Returns
    -------
    pandas.DataFrame
        One row per frame. Columns ``frame, label``; ``group_a, group_b``;
        ``count_a, tokens_a, rate_a`` and ``count_b, tokens_b, rate_b`` (net counts,
        tokens and rates per 1,000 tokens of each group); ``rate_ratio`` (``rate_a /
        rate_b``: when either count is 0, 0.5 is added to both counts, the
        Haldane-Anscombe correction, so the ratio stays finite; NaN when both are 0);
        ``ratio_ci_low, ratio_ci_high`` (bootstrap percentile interval, the same rule in
        every replicate; NaN when a group has no match, since every replicate of that
        group is then 0 and the interval would only reflect the 0.5); ``rate_diff``
        (``rate_a - rate_b``) and ``diff_ci_low, diff_ci_high`` (bootstrap; for a group
        with no match this reflects only the other group's variation -- read
        ``p_poisson`` and :func:`poisson_rate_ci` there); ``p_perm`` (two-sided permutation p-value of ``rate_diff``,
        ``(1 + #{|perm| >= |observed|}) / (n_perm + 1)``, where a relabelling that
        leaves a group without tokens counts as extreme); ``q`` (Benjamini-Hochberg
        adjusted ``p_perm`` across frames, :func:`scipy.stats.false_discovery_control`);
        ``p_poisson`` (exact conditional test of equal Poisson rates: given the total
        ``count_a + count_b``, ``count_b`` is binomial with probability
        ``tokens_b / (tokens_a + tokens_b)``; two-sided :func:`scipy.stats.binomtest`, as
        R's ``poisson.test`` for two samples; 1 when both counts are 0).

    Raises
    ------
    GroupError
        Unknown ``group``, a single group, more than two without ``groups=``, values
        of ``groups`` that do not occur, or a group without tokens.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> import pandas as pd
    >>> c = load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "side": ["cn", "ext"],
    ...     "text": ["Win-win.\\n\\nWin-win here.\\n\\nNo match.", "Lock-in.\\n\\nWin-win."]}))
    >>> cb = {"frames": [{"id": "F01", "label": "Win-win", "patterns": ["win-win"]}]}
    >>> compare_groups(c, cb, n_boot=200, n_perm=199)[["group_a", "count_a", "group_b", "count_b"]].values.tolist()
    [['cn', 2, 'ext', 1]]
    """
    from scipy import stats

    _check_corpus(corpus, "compare_groups")
    cb = _as_codebook(codebook, "compare_groups")
    values = corpus._group_values(group, "compare_groups")
    present = list(dict.fromkeys(values.tolist()))
    if not present:
        raise GroupError("compare_groups: the corpus has no documents, so there are no groups to compare.")
    if groups is None:
        if len(present) < 2:
            raise GroupError(f"Docvar {group!r} has only one group ({present[0]!r}); compare_groups needs two.")
        if len(present) > 2:
            raise GroupError(
                f"Docvar {group!r} has {len(present)} groups ({', '.join(map(repr, present))}); pass groups=(a, b)."
            )
        a, b = present
    else:
        if isinstance(groups, str) or not isinstance(groups, Sequence) or len(groups) != 2 or groups[0] == groups[1]:
            raise GroupError(f"The 'groups' parameter of compare_groups must be two different values; got {groups!r}.")
        a, b = groups
        for g in (a, b):
            if g not in present:
                raise GroupError(f"Group {g!r} does not occur in docvar {group!r}; it has {', '.join(map(repr, present))}.")
    langs = corpus._group_values("lang")[values.isin([a, b])].tolist()
    _warn_mixed_languages(((f"groups {a!r} and {b!r}", lang) for lang in langs), "compare_groups")
    check_choice(resample, RESAMPLE_UNITS, name="resample", func="compare_groups")
    ci = check_fraction(ci, name="ci", func="compare_groups")
    n_boot = check_int(n_boot, name="n_boot", func="compare_groups", minimum=1)
    n_perm = check_int(n_perm, name="n_perm", func="compare_groups", minimum=1)
    rng = _rng(random_state, "compare_groups")
    headings = check_bool(headings, name="headings", func="compare_groups")
    units, r = _units(corpus, cb, resample, headings)
    _warn_unmatched(cb, r.unmatched, r.langs)
    index = corpus.index(headings=headings)
    label = values.reindex(np.asarray(index.doc_ids, dtype=object)[units.doc]).to_numpy(object)
    ia, ib = np.flatnonzero(label == a), np.flatnonzero(label == b)
    C, T = units.counts.astype(float), units.tokens.astype(float)
    ka, kb, ta, tb = C[ia].sum(0), C[ib].sum(0), T[ia].sum(), T[ib].sum()
    for g, t in ((a, ta), (b, tb)):
        if t == 0:  # no rate to compare: every measure below would be NaN or meaningless
            docs = values.index[values == g].tolist()
            raise GroupError(f"Group {g!r} of docvar {group!r} has no tokens (documents {docs}); compare_groups "
                             "needs text in both groups.")
    rate_a, rate_b = _rates(ka, ta), _rates(kb, tb)
    ratio, diff = _ratio(ka, ta, kb, tb), rate_a - rate_b
    nan = np.full(len(cb), np.nan)
    small = [f"{g!r} ({len(i)} {resample})" for g, i in ((a, ia), (b, ib)) if len(i) < 2]
    if small:
        warnings.warn(
            f"compare_groups: group(s) {', '.join(small)} have fewer than 2 resampling units; intervals are NaN.",
            SmallSampleWarning,
            stacklevel=2,
        )
        ratio_lo = ratio_hi = diff_lo = diff_hi = nan
    else:
        ca_b, ta_b = _boot_sums(rng, C[ia], T[ia], n_boot)
        cb_b, tb_b = _boot_sums(rng, C[ib], T[ib], n_boot)
        ratio_lo, ratio_hi = _percentiles(_ratio(ca_b, ta_b[:, None], cb_b, tb_b[:, None]), ci)
        # a group without matches has none in any replicate: the interval would only echo the 0.5
        zero = (ka == 0) | (kb == 0)
        ratio_lo, ratio_hi = np.where(zero, np.nan, ratio_lo), np.where(zero, np.nan, ratio_hi)
        diff_lo, diff_hi = _percentiles(_rates(ca_b, ta_b) - _rates(cb_b, tb_b), ci)
    p_perm = _permutation_p(rng, C[np.concatenate([ia, ib])], T[np.concatenate([ia, ib])], len(ia), diff, n_perm)
    q = stats.false_discovery_control(p_perm) if len(p_perm) else p_perm
    p_poisson = np.array([
        stats.binomtest(int(y), int(x + y), tb / (ta + tb)).pvalue if x + y > 0 and ta + tb > 0 else 1.0
        for x, y in zip(ka, kb)
    ])
    out = pd.DataFrame(
        {
            "frame": cb.ids, "label": [f.label for f in cb], "group_a": a, "group_b": b,
            "count_a": ka.astype(np.int64), "tokens_a": int(ta), "rate_a": rate_a,
            "count_b": kb.astype(np.int64), "tokens_b": int(tb), "rate_b": rate_b,
            "rate_ratio": ratio, "ratio_ci_low": ratio_lo, "ratio_ci_high": ratio_hi,
            "rate_diff": diff, "diff_ci_low": diff_lo, "diff_ci_high": diff_hi,
            "p_perm": p_perm, "q": q, "p_poisson": p_poisson,
        },
        columns=COMPARE_COLUMNS,
    )
    return out


def _permutation_p(rng, counts, tokens, n_a: int, observed, n_perm: int) -> np.ndarray:
    """Two-sided permutation p-values of the rate difference, group sizes kept."""
    n, total_c, total_t = len(tokens), counts.sum(0), tokens.sum()
    extreme = np.zeros(counts.shape[1], np.int64)
    tol = 1e-9 * np.maximum(1.0, np.abs(observed))
    step = max(1, 2_000_000 // max(n, 1))
    for lo in range(0, n_perm, step):
        k = min(step, n_perm - lo)
        chosen = np.argsort(rng.random((k, n)), axis=1)[:, :n_a]
        mask = np.zeros((k, n))
        np.put_along_axis(mask, chosen, 1.0, axis=1)
        ca, ta = mask @ counts, mask @ tokens
        d = _rates(ca, ta) - _rates(total_c - ca, total_t - ta)
        with np.errstate(invalid="ignore"):  # a relabelling that leaves a group without tokens counts as extreme
            extreme += np.sum((np.abs(d) >= np.abs(observed) - tol) | np.isnan(d), axis=0)
    return (1.0 + extreme) / (n_perm + 1.0)


# ---------------------------------------------------------------------------------------
# Exact Poisson interval


def poisson_rate_ci(count, tokens, ci: float = 0.95, *, per: float = PER):
    """Exact (Garwood) confidence interval of a Poisson rate per ``per`` tokens.

    ``lower = chi2.ppf(alpha/2, 2k) / 2`` (0 when ``k = 0``) and ``upper =
    chi2.ppf(1 - alpha/2, 2k + 2) / 2``, divided by ``tokens`` and multiplied by ``per``.

    Parameters
    ----------
    count : int or array of int
        Observed matches ``k``.
    tokens : int or array
        Tokens of the unit (> 0).
    ci : float, default=0.95
        Confidence level.
    per : float, default=1000
        Rate scale.

    Returns
    -------
    tuple of (float, float) or of two arrays
        ``(low, high)``, floats for scalar input.

    Examples
    --------
    >>> low, high = poisson_rate_ci(0, 850)
    >>> round(low, 2), round(high, 2)
    (0.0, 4.34)
    """
    from scipy.stats import chi2

    ci = check_fraction(ci, name="ci", func="poisson_rate_ci")
    try:
        k, t = np.asarray(count, float), np.asarray(tokens, float)
    except (TypeError, ValueError):
        raise ParameterError(
            f"poisson_rate_ci needs numbers for count and tokens; got {count!r} and {tokens!r}."
        ) from None
    if np.any(k < 0) or np.any(k != np.floor(k)) or not np.all(np.isfinite(t) & (t > 0)):
        raise ParameterError("poisson_rate_ci needs whole counts >= 0 and finite tokens > 0.")
    alpha = 1.0 - ci
    low = np.where(k > 0, chi2.ppf(alpha / 2, 2 * np.maximum(k, 1)) / 2, 0.0)
    high = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    low, high = per * low / t, per * high / t
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high
