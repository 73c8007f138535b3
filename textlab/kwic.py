"""Keywords in context: :func:`kwic`, :func:`sort_kwic` (AntConc-style) and :func:`to_html`.

Patterns follow the one matching vocabulary of :mod:`textlab.patterns`.

**Context.** ``left`` and ``right`` hold up to ``window`` tokens on each side of the
match, taken within the document (as in quanteda): a context may run into the previous
or next paragraph, never into another document. Only indexed tokens count, so with the
default ``headings=False`` a heading between two paragraphs is skipped. Contexts are
slices of the cleaned text, so punctuation and quotes look as written (an opening quote
before the match ends ``left``, a closing one starts ``right``); runs of whitespace are
shown as one space and a paragraph break (or a skipped heading) as ``" ¶ "``.

**Chinese.** In a Chinese document tokens are jieba's words, so ``window=5`` gives five
words on each side; the contexts are slices of the text, so they read as written, without
spaces between words. With ``window_unit="chars"`` the window counts characters instead
(whitespace not counted; punctuation counts), which is the usual concordance view for
Chinese and does not depend on how jieba segments. :func:`to_html` measures widths in
display columns (a Chinese character is two) and asks for a CJK-capable monospace font.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import GroupError, ParameterError, check_bool, check_choice, check_int
from .patterns import (
    _SHIFT,
    MATCH_TYPES,
    _as_patterns,
    _check_corpus,
    _index_data,
    _match_arrays,
    _ragged_arange,
    _unmatched,
    _warn_unmatched_sources,
    _with_match_parameters,
)
from .tokenize import TOKEN_PATTERN, lower_preserving

__all__ = ["KWIC_COLUMNS", "kwic", "sort_kwic", "to_html"]

KWIC_COLUMNS = ["doc_id", "segment_id", "start", "end", "left", "match", "right", "pattern"]
WINDOW_UNITS = ("tokens", "chars")
#: CSS font stack of :func:`to_html`: monospace fonts with Chinese glyphs first (each
#: Chinese character exactly two Latin columns wide), then the browser's monospace.
HTML_FONTS = "'Noto Sans Mono CJK SC','Sarasa Mono SC','Source Han Mono SC',monospace"
PARAGRAPH_MARK = "¶"
_SORT_KEY = re.compile(r"^(?:([LR])([1-9][0-9]*)|match)$")
_TOKEN_RE = re.compile(TOKEN_PATTERN)


# ---------------------------------------------------------------------------------------
# Contexts (shared with textlab.frames)


@dataclass(frozen=True)
class _Display:
    """Each document's indexed segments as contexts show them, and where every token lies.

    ``texts[d]`` holds document ``d``'s segments that have tokens, each with its
    whitespace collapsed as ``" ".join(piece.split())`` does, joined with ``" "`` or
    ``" ¶ "`` exactly as :func:`_join` joins them. A context is then one slice of it.
    ``seg_start``/``seg_end`` give each segment's offsets there, and ``bounds`` each
    token's with two flags: ``bounds[i, 0]`` is ``start << 1 | space_before`` and
    ``bounds[i, 1]`` is ``end << 1 | space_after``, where ``space_before``/``space_after``
    say whether a (collapsed) space lies right before / after the token, which a context
    that stops there leaves out. One row per token keeps what a match reads together in
    memory: on a large corpus each separate array is one more cache miss per match.
    Built once per index (about the size of the corpus text plus 8 bytes per token).
    """

    texts: np.ndarray  # object: str per document
    bounds: np.ndarray  # int32 (int64 once a document has 2**28 characters), shape (n_tokens, 2)
    seg_start: np.ndarray  # int64 per segment
    seg_end: np.ndarray


_SPACE_BIT = 1  # in both columns of _Display.bounds, above it the offset


def _display(data, index) -> _Display:
    disp = getattr(data, "_kwic_display", None)
    if disp is None:
        disp = data._kwic_display = _build_display(data, index)
    return disp


_SEPARATOR_CODES = np.array([ord(c) for c in f" {PARAGRAPH_MARK}  "], np.uint32)  # " ¶ " at 0-2, " " at 3


def _build_display(data, index) -> _Display:
    from .patterns import _is_space

    n_tok, n_seg = data.n_tokens, len(data.seg_start)
    widest = max((len(t) for t in data.texts), default=0) * 4  # a separator (" ¶ ") may stand for an empty gap
    bounds = np.zeros((n_tok, 2), np.int32 if widest < 2**30 else np.int64)
    seg_dstart, seg_dend = np.zeros(n_seg, np.int64), np.zeros(n_seg, np.int64)
    texts = np.empty(len(index.doc_ids), dtype=object)
    seg_first = np.searchsorted(data.seg_doc, np.arange(len(index.doc_ids) + 1))
    for d, text in enumerate(data.texts):
        t0, t1 = int(index.doc_offsets[d]), int(index.doc_offsets[d + 1])
        a, b = int(seg_first[d]), int(seg_first[d + 1])
        segs = a + np.flatnonzero(np.diff(index.segment_offsets[a : b + 1]) > 0)  # segments with tokens
        if not len(segs):
            texts[d] = ""
            continue
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        space = _is_space(codes)
        s0, s1 = data.seg_start[segs], data.seg_end[segs]
        # per character: the number (1-based) of the token segment it lies in, else 0
        # int32 per character throughout: this runs on whole documents, so width is the peak memory
        mark = np.zeros(len(codes) + 1, np.int32)
        np.add.at(mark, s0, np.arange(1, len(segs) + 1, dtype=np.int32))
        np.add.at(mark, s1, -np.arange(1, len(segs) + 1, dtype=np.int32))
        seg_of = np.cumsum(mark, dtype=np.int32)[:-1]
        del mark
        solid = (seg_of > 0) & ~space
        solid_at = np.flatnonzero(solid)
        last_solid = np.full(len(segs) + 1, -1, np.int64)
        last_solid[seg_of[solid_at]] = solid_at  # positions ascend, so the last write wins
        # a space is kept (as " ") where a run of spaces begins after a solid character and
        # a solid character of the same segment follows somewhere after it
        run_start = np.flatnonzero(space[1:] & solid[:-1] & (seg_of[:-1] == seg_of[1:])) + 1
        kept = solid
        kept_spaces = run_start[run_start < last_solid[seg_of[run_start]]]
        kept[kept_spaces] = True
        del run_start, solid_at
        # separators before every token segment but the first: " ¶ " unless the gap is spaces on one line
        plain = [not (gap := text[a:b]).strip() and "\n" not in gap for a, b in zip(s1[:-1].tolist(), s0[1:].tolist())]
        sep_len = np.concatenate([[0], np.where(plain, 1, 3)]).astype(np.int64)
        shift = np.cumsum(sep_len, dtype=bounds.dtype)  # display offset added within each token segment
        kept_before = np.concatenate([np.zeros(1, np.int32), np.cumsum(kept, dtype=np.int32)])
        dstart = kept_before[s0] + shift
        # the kept characters in order (a kept space as " "), each separator before its segment
        at = np.flatnonzero(sep_len)
        within = _ragged_arange(sep_len[at])  # position inside its separator
        sep_at = np.repeat(dstart[at] - sep_len[at], sep_len[at]) + within
        out = np.empty(int(kept_before[-1] + shift[-1]), np.uint32)
        between = np.ones(len(out), bool)
        between[sep_at] = False
        out[between] = codes[kept]
        out[kept_before[kept_spaces] + shift[seg_of[kept_spaces] - 1]] = ord(" ")
        out[sep_at] = _SEPARATOR_CODES[np.where(np.repeat(sep_len[at] == 3, sep_len[at]), within, 3)]
        seg_dstart[segs], seg_dend[segs] = dstart, kept_before[s1] + shift
        tok_seg = np.searchsorted(segs, data.seg_index[t0:t1])  # rank of each token's segment in segs
        ts = kept_before[index.starts[t0:t1]] + shift[tok_seg]
        te = kept_before[index.ends[t0:t1]] + shift[tok_seg]
        before = (ts > 0) & (out[np.maximum(ts - 1, 0)] == ord(" "))
        after = (te < len(out)) & (out[np.minimum(te, max(len(out) - 1, 0))] == ord(" "))
        ts <<= 1
        ts |= before
        te <<= 1
        te |= after
        bounds[t0:t1, 0], bounds[t0:t1, 1] = ts, te  # same dtype: a plain copy
        texts[d] = out.tobytes().decode("utf-32-le", "surrogatepass")
    return _Display(texts, bounds, seg_dstart, seg_dend)


def _contexts(corpus, index, doc, seg, start, end, window: int, first=None, last=None) -> tuple[list[str], list[str]]:
    """Left and right contexts of matches given as arrays (doc row, segment row, start, end).

    Matches that begin at a token start and end at a token end (every glob and phrase
    match, most regex matches) are cut from the display text (:class:`_Display`) with
    numpy and one slice per side; any other match takes :func:`_contexts_by_pieces`.
    Both give exactly the same strings. ``first``/``last``, the first and last token of
    each match (-1 where unknown), spare looking the tokens up.
    """
    data = _index_data(corpus, index)
    doc = np.asarray(doc, np.int64)
    if not len(doc):
        return [], []
    start, end, seg = np.asarray(start, np.int64), np.asarray(end, np.int64), np.asarray(seg, np.int64)
    n = data.n_tokens
    if first is not None and (np.asarray(first) >= 0).all():
        f, last = np.asarray(first, np.int64), np.asarray(last, np.int64)
        aligned = np.ones(len(doc), bool)
    else:
        lt = np.searchsorted(data.start_key, doc * _SHIFT + start, side="left")  # tokens before: < lt
        rt = np.searchsorted(data.end_key, doc * _SHIFT + end, side="right")  # tokens after: >= rt
        f, last = np.minimum(lt, max(n - 1, 0)), np.clip(rt - 1, 0, max(n - 1, 0))
        aligned = (lt < rt) & (lt < n) & (rt >= 1)
        if n:
            aligned &= (data.start_key[f] == doc * _SHIFT + start) & (data.end_key[last] == doc * _SHIFT + end)
            aligned &= (data.seg_index[f] == seg) & (data.seg_index[last] == seg)
    lefts = np.empty(len(doc), dtype=object)
    rights = np.empty(len(doc), dtype=object)
    fast = np.flatnonzero(aligned)
    if len(fast):
        disp = _display(data, index)
        d, g, f, last = doc[fast], seg[fast], f[fast], last[fast]
        lo = np.maximum(index.doc_offsets[d], f - window)
        hi = np.minimum(index.doc_offsets[d + 1], last + 1 + window)
        left_of, right_of = disp.bounds[:, 0], disp.bounds[:, 1]
        at_first, at_last = left_of[f], right_of[last]
        l_from = left_of[lo] >> 1
        l_to = (at_first >> 1) - (at_first & _SPACE_BIT)
        r_from = (at_last >> 1) + (at_last & _SPACE_BIT)
        r_to = right_of[hi - 1] >> 1
        # no token of the document on a side: the context runs to the segment's edge
        edge = np.flatnonzero(lo == f)
        l_from[edge] = disp.seg_start[g[edge]]
        edge = np.flatnonzero(hi == last + 1)
        r_to[edge] = disp.seg_end[g[edge]]
        l_to = np.maximum(l_to, l_from)
        texts = disp.texts[d]
        if len(fast) == len(doc):
            return _slices(texts, l_from, l_to), _slices(texts, r_from, r_to)
        lefts[fast] = _slices(texts, l_from, l_to)
        rights[fast] = _slices(texts, r_from, r_to)
    slow = np.flatnonzero(~aligned)
    if len(slow):
        sl, sr = _contexts_by_pieces(data, index, doc[slow], seg[slow], start[slow], end[slow], lt[slow], rt[slow],
                                     window)
        lefts[slow], rights[slow] = sl, sr
    return lefts.tolist(), rights.tolist()


def _contexts_by_pieces(data, index, doc, seg, start, end, lt, rt, window: int) -> tuple[list[str], list[str]]:
    """The reference rule, for any offsets: the cleaned text of each segment the context
    touches, whitespace collapsed, joined with " " or " ¶ " (see the module notes)."""
    lo = np.maximum(index.doc_offsets[doc], lt - window)
    hi = np.minimum(index.doc_offsets[doc + 1], rt + window)
    seg_of, starts, ends = data.seg_index, index.starts, index.ends
    lefts, rights = [], []
    for d, g, ms, me, a, b, l_end, r_start in zip(
        doc.tolist(), seg.tolist(), start.tolist(), end.tolist(), lo.tolist(), hi.tolist(), lt.tolist(), rt.tolist()
    ):
        text = data.texts[d]
        # left: segments of tokens a .. l_end-1, then the match's own segment
        pieces = []
        for s in sorted(set(seg_of[a:l_end].tolist()) | {g}):
            lo_char = int(starts[a]) if (a < l_end and s == seg_of[a]) else int(data.seg_start[s])
            pieces.append((s, text[lo_char : ms if s == g else int(data.seg_end[s])]))
        lefts.append(_join(text, pieces, data.seg_start, data.seg_end))
        # right: the match's own segment, then segments of tokens r_start .. b-1
        pieces = []
        for s in sorted(set(seg_of[r_start:b].tolist()) | {g}):
            lo_char = me if s == g else int(data.seg_start[s])
            hi_char = int(ends[b - 1]) if (r_start < b and s == seg_of[b - 1]) else int(data.seg_end[s])
            pieces.append((s, text[lo_char : max(lo_char, hi_char)]))
        rights.append(_join(text, pieces, data.seg_start, data.seg_end))
    return lefts, rights


def _join(text: str, pieces, seg_start, seg_end) -> str:
    out = " ".join(pieces[0][1].split())
    for (s_prev, _), (s, piece) in zip(pieces, pieces[1:]):
        gap = text[int(seg_end[s_prev]) : int(seg_start[s])]
        sep = " " if (gap.isspace() and "\n" not in gap) or gap == "" else f" {PARAGRAPH_MARK} "
        out = f"{out}{sep}{' '.join(piece.split())}"
    return out.strip()


# ---------------------------------------------------------------------------------------
# kwic


@_with_match_parameters
def kwic(
    corpus,
    pattern,
    window: int = 5,
    *,
    match: str = "glob",
    case_sensitive: bool = False,
    docvars=False,
    limit: int | None = None,
    headings: bool = False,
    window_unit: str = "tokens",
) -> pd.DataFrame:
    """Keywords in context: every match of a pattern with the words around it.

    Parameters
    ----------
    corpus : textlab.Corpus
    pattern : str or list of str
        What to find (see :mod:`textlab.patterns`); with a list, each row names the
        pattern that matched (a span matched by two patterns gives two rows).
    window : int, default=5
        Tokens of context on each side, within the document (see the module notes).
{MATCH_PARAMETERS}
    docvars : bool or list of str, default=False
        Append document variables: ``True`` for all of them (except ``doc_id`` and any
        whose name is already a column), or a list of names.
    limit : int, optional
        Return only the first ``limit`` rows (in document order); contexts are built for
        those rows only, so a query with a million hits returns at once. Whether rows were
        cut off is recorded in the result's ``attrs``: ``df.attrs["truncated"]`` and
        ``df.attrs["n_matches"]`` (all matches).
    headings : bool, default=False
        Search headings too (by default only body paragraphs).
    window_unit : {'tokens', 'chars'}, default='tokens'
        What ``window`` counts: tokens, or characters other than whitespace (for
        Chinese; see the module notes). Either way the context stays in the document's
        indexed segments and shows paragraph breaks as ``¶``.

    Returns
    -------
    pandas.DataFrame
        One row per match, sorted by document (corpus order), ``start``, ``end`` and
        pattern order. Columns ``doc_id``, ``segment_id``; ``start, end`` (offsets into
        ``corpus.text(doc_id)``); ``left`` (the context before the match); ``match`` (the
        matched text in its original casing, ``corpus.text(doc_id)[start:end]``);
        ``right`` (the context after it); ``pattern`` (the pattern that matched, as
        given); then the requested docvars. A pattern without a match gives a
        :class:`~textlab.errors.NoMatchWarning` naming it (with no match at all, the frame
        is empty with the same columns).

    See Also
    --------
    sort_kwic : sort the lines by context words.
    to_html : an aligned concordance for notebooks.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "It risks fostering technological dependency, which could constrain autonomy."),
    ...                  ("b", "Not \u201cdependency\u201d but interdependence.")])
    >>> kwic(c, "depend*", window=2)[["doc_id", "left", "match", "right"]].values.tolist()
    [['a', 'fostering technological', 'dependency', ', which could'], ['b', 'Not \u201c', 'dependency', '\u201d but interdependence']]
    >>> kwic(c, r"inter\\w+", match="regex", window=1)[["left", "match", "right"]].values.tolist()
    [['but', 'interdependence', '.']]

    Chinese, with windows in words or in characters:

    >>> z = load_corpus({"z": "东道国可能长期依赖中方的技术标准。"})
    >>> kwic(z, "依赖", window=2)[["left", "match", "right"]].values.tolist()
    [['可能长期', '依赖', '中方的']]
    >>> kwic(z, "依赖", window=3, window_unit="chars")[["left", "match", "right"]].values.tolist()
    [['能长期', '依赖', '中方的']]
    """
    _check_corpus(corpus, "kwic")
    window = check_int(window, name="window", func="kwic", minimum=1)
    check_choice(match, MATCH_TYPES, name="match", func="kwic")
    check_choice(window_unit, WINDOW_UNITS, name="window_unit", func="kwic")
    if limit is not None:
        limit = check_int(limit, name="limit", func="kwic", minimum=1)
    extra = _docvar_columns(corpus, docvars)
    patterns = _as_patterns(pattern, match=match, case_sensitive=case_sensitive, func="kwic")
    headings = check_bool(headings, name="headings", func="kwic")
    df, unmatched = _kwic(corpus, patterns, window, limit, extra, headings, window_unit)
    _warn_unmatched_sources(unmatched, "kwic")
    return df


def _kwic(corpus, patterns, window: int, limit, extra, headings: bool, window_unit: str):
    """The kwic frame and the sources of the patterns without a match (for the warning,
    which :func:`textlab.scale.kwic` gives once for the whole corpus)."""
    index = corpus.index(headings=headings)
    m = _match_arrays(corpus, index, patterns)
    unmatched = _unmatched(patterns, m)
    n_matches = len(m)
    if limit is not None and n_matches > limit:
        m = m.take(np.arange(limit))
    df = _kwic_frame(corpus, index, patterns, m, window, window_unit)
    if extra:
        values = corpus.docvars.set_index("doc_id")[extra]
        df = pd.concat([df, values.reindex(df["doc_id"]).reset_index(drop=True)], axis=1)
    df.attrs.update(n_matches=n_matches, truncated=len(m) < n_matches)
    return df, unmatched


def _kwic_frame(corpus, index, patterns, m, window: int, window_unit: str = "tokens") -> pd.DataFrame:
    """The KWIC_COLUMNS frame of matches ``m`` (contexts computed for these rows only)."""
    data = _index_data(corpus, index)
    if window_unit == "chars":
        lefts, rights = _char_contexts(corpus, index, m.doc, m.segment, m.start, m.end, window)
    else:
        lefts, rights = _contexts(corpus, index, m.doc, m.segment, m.start, m.end, window, m.first, m.last)
    matched = _matched_texts(data, index, m)
    sources = np.asarray([p.source for p in patterns], dtype=object)
    # Every text column is built as pandas' string dtype at once (what pandas would infer
    # from the object arrays, at a fraction of the cost for small results).
    doc_ids, segment_ids = _id_strings(data, index)
    return pd.DataFrame(
        {
            "doc_id": doc_ids.take(m.doc),
            "segment_id": segment_ids.take(m.segment),
            "start": m.start,
            "end": m.end,
            "left": _strings(lefts),
            "match": _strings(matched),
            "right": _strings(rights),
            "pattern": _strings(sources[m.pattern]),
        },  # in KWIC_COLUMNS order: passing columns= would cost a reindex
        copy=False,  # every column is new, and copying them would cost a quarter of a small frame's time
    )


_STR = pd.api.types.pandas_dtype("str")  # looked up once: the lookup costs more than a small array


def _strings(values) -> pd.api.extensions.ExtensionArray:
    return pd.array(values, dtype=_STR)


def _id_strings(data, index):
    """The document and segment ids as string arrays, built once per index: taking rows
    from them costs less than half of building the column from the ids again."""
    ids = getattr(data, "_kwic_ids", None)
    if ids is None:
        ids = data._kwic_ids = (_strings(data.doc_id_array), _strings(index.segment_ids))
    return ids


def _matched_texts(data, index, m) -> list[str]:
    """``corpus.text(doc)[start:end]`` of every match.

    A one-token match is cut from the display text instead, which holds the same
    characters there (only whitespace differs between the two, and a token has none) and
    whose memory around the match the contexts have just read: on a large corpus the
    cleaned text would be one more cache miss per row.
    """
    one_token = (m.first >= 0) & (m.first == m.last)
    if not one_token.all():
        return _slices(data.texts[m.doc], m.start, m.end)
    disp = _display(data, index)
    bounds = disp.bounds[m.first]
    return _slices(disp.texts[m.doc], bounds[:, 0] >> 1, bounds[:, 1] >> 1)


def _slices(texts: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str]:
    """``t[a:b]`` for each text ``t`` (object array) and offsets ``a``, ``b`` (int arrays)."""
    return [t[a:b] for t, a, b in zip(texts.tolist(), start.tolist(), end.tolist())]


# ---------------------------------------------------------------------------------------
# Contexts in characters (window_unit="chars")


def _char_contexts(corpus, index, doc, seg, start, end, window: int) -> tuple[list[str], list[str]]:
    """Left and right contexts of ``window`` non-whitespace characters each.

    Like the token contexts, they run through the document's indexed segments (joined by
    :func:`_join`, so a paragraph break or a skipped heading shows as ``¶``) and never
    leave the document.
    """
    data = _index_data(corpus, index)
    seg_doc, seg_start, seg_end = data.seg_doc, data.seg_start, data.seg_end
    texts: dict[int, str] = {}
    lefts, rights = [], []
    for d, g, ms, me in zip(np.asarray(doc).tolist(), np.asarray(seg).tolist(), np.asarray(start).tolist(),
                            np.asarray(end).tolist()):
        text = texts.get(d)
        if text is None:
            text = texts[d] = corpus.text(index.doc_ids[d])
        pieces, need, s = [], window, g
        while need > 0 and s >= 0 and seg_doc[s] == d:
            hi = ms if s == g else int(seg_end[s])
            a, need = _cut_back(text, int(seg_start[s]), hi, need)
            pieces.insert(0, (s, text[a:hi]))
            s -= 1
        lefts.append(_join(text, pieces, seg_start, seg_end) if pieces else "")
        pieces, need, s = [], window, g
        while need > 0 and s < len(seg_doc) and seg_doc[s] == d:
            lo = me if s == g else int(seg_start[s])
            b, need = _cut_forward(text, lo, int(seg_end[s]), need)
            pieces.append((s, text[lo:b]))
            s += 1
        rights.append(_join(text, pieces, seg_start, seg_end) if pieces else "")
    return lefts, rights


def _cut_back(text: str, lo: int, hi: int, need: int) -> tuple[int, int]:
    """Start of the shortest ``text[a:hi]`` (``a >= lo``) with ``need`` non-space characters; what is still needed."""
    a = hi
    while a > lo and need > 0:
        a -= 1
        need -= not text[a].isspace()
    return a, need


def _cut_forward(text: str, lo: int, hi: int, need: int) -> tuple[int, int]:
    """End of the shortest ``text[lo:b]`` (``b <= hi``) with ``need`` non-space characters; what is still needed."""
    b = lo
    while b < hi and need > 0:
        need -= not text[b].isspace()
        b += 1
    return b, need


def _docvar_columns(corpus, docvars) -> list[str]:
    if docvars is False or docvars is None:
        return []
    available = [c for c in corpus.docvars.columns if c != "doc_id"]
    if docvars is True:
        return [c for c in available if c not in KWIC_COLUMNS]
    if isinstance(docvars, str):
        docvars = [docvars]
    if not isinstance(docvars, Sequence) or not all(isinstance(c, str) for c in docvars):
        raise ParameterError(f"The 'docvars' parameter of kwic must be a bool or a list of docvar names; got {docvars!r}.")
    for name in docvars:
        if name == "doc_id":
            raise ParameterError("'doc_id' is always a kwic column; leave it out of 'docvars'.")
        if name not in available:
            raise GroupError(f"Unknown docvar {name!r}; the corpus has: {', '.join(available)}.")
        if name in KWIC_COLUMNS:
            raise ParameterError(f"The docvar {name!r} has the name of a kwic column; rename it in the docvars.")
    return list(docvars)


# ---------------------------------------------------------------------------------------
# Sorting and display


def _words(text: str) -> list[str]:
    """The words of a context, lower-cased: jieba's words where it has Han characters
    (as Chinese documents are tokenised), else the token pattern's."""
    from ._zh import CJK_RE
    from .clean import normalise
    from .tokenize import token_spans

    view = lower_preserving(normalise(text))
    if CJK_RE.search(view):
        starts, ends = token_spans(view, lang="zh")
        return [view[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    return [m.group() for m in _TOKEN_RE.finditer(view)]


def sort_kwic(df: pd.DataFrame, by=("R1", "R2", "L1")) -> pd.DataFrame:
    """Sort concordance lines by the words around the match, like AntConc.

    Parameters
    ----------
    df : pandas.DataFrame
        A :func:`kwic` result (needs ``left``, ``match`` and ``right``).
    by : str or sequence of str, default=('R1', 'R2', 'L1')
        Sort keys in order of priority: ``'L1'`` is the first word left of the match,
        ``'L2'`` the second, ``'R1'`` the first word to the right, ..., and ``'match'``
        the matched text. Words are compared lower-cased and normalised; a missing word
        (the context is shorter) sorts first. A context with Han characters is cut into
        jieba's words, as Chinese documents are tokenised.

    Returns
    -------
    pandas.DataFrame
        The rows of ``df`` reordered, with the same columns and index. The sort is
        stable and ties keep the order of the index (for a :func:`kwic` result: document
        order, then position).

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "rely on China. Reliance on funding. Rely heavily on Chinese firms.")])
    >>> k = kwic(c, ["rely", "reliance"], window=2)
    >>> sort_kwic(k, by="R1")["right"].tolist()
    ['heavily on', 'on China', 'on funding']
    """
    if not isinstance(df, pd.DataFrame) or not {"left", "match", "right"} <= set(df.columns):
        raise ParameterError("The 'df' parameter of sort_kwic must be a kwic DataFrame with columns left, match, right.")
    if not isinstance(by, (str, Sequence)):
        raise ParameterError(f"The 'by' parameter of sort_kwic must be a key such as 'R1' or a list of keys; got {by!r}.")
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ParameterError("The 'by' parameter of sort_kwic must name at least one key such as 'R1'; got none.")
    parsed = []
    for key in keys:
        m = _SORT_KEY.match(key) if isinstance(key, str) else None
        if not m:
            raise ParameterError(
                f"The 'by' parameter of sort_kwic must hold keys like 'L1', 'R2' or 'match'; got {key!r}."
            )
        parsed.append((m.group(1), int(m.group(2)) if m.group(2) else 0))
    lefts = [_words(t)[::-1] for t in df["left"].astype(str)]
    rights = [_words(t) for t in df["right"].astype(str)]
    matches = [lower_preserving(t) for t in df["match"].astype(str)]
    index = df.index
    tiebreak = index if index.is_unique and pd.api.types.is_numeric_dtype(index) else pd.RangeIndex(len(df))
    rows = []
    for i in range(len(df)):
        key = []
        for side, n in parsed:
            words = lefts[i] if side == "L" else rights[i] if side == "R" else None
            key.append(matches[i] if words is None else (words[n - 1] if n <= len(words) else ""))
        rows.append((tuple(key), tiebreak[i], i))
    order = [i for _, _, i in sorted(rows)]
    return df.iloc[order]


def _columns(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _cut_columns(text: str, width: int, *, keep_end: bool) -> str:
    """``text`` cut to at most ``width`` display columns with ``…`` on the cut side."""
    if sum(map(_columns, text)) <= width:
        return text
    chars = reversed(text) if keep_end else iter(text)
    kept, used = [], 1  # the ellipsis takes one column
    for c in chars:
        used += _columns(c)
        if used > width:
            break
        kept.append(c)
    kept = "".join(reversed(kept)) if keep_end else "".join(kept)
    return "…" + kept if keep_end else kept + "…"


def to_html(df: pd.DataFrame, *, columns=("doc_id",), width: int | None = None, max_rows: int | None = None) -> str:
    """An aligned concordance as an HTML table (for ``IPython.display.HTML``).

    The left context is right-aligned, the match highlighted and centred, the right
    context left-aligned, so matches line up, also for Chinese: the table asks for a
    monospace font with CJK glyphs (:data:`HTML_FONTS`), and ``width`` counts display
    columns, two for a wide character (East Asian Width ``W`` or ``F``). All text is
    HTML-escaped.

    Parameters
    ----------
    df : pandas.DataFrame
        A :func:`kwic` result (possibly sorted with :func:`sort_kwic`).
    columns : sequence of str, default=('doc_id',)
        Other columns of ``df`` to show first (e.g. ``('doc_id', 'side')``).
    width : int, optional
        Cut each context to at most ``width`` display columns (keeping the part next to
        the match, marked with ``…``); a Chinese character takes two.
    max_rows : int, optional
        Show only the first ``max_rows`` lines.

    Returns
    -------
    str
        The HTML of one ``<table class="textlab-kwic">``.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> k = kwic(load_corpus([("a", "A <b>win-win</b> & more")]), "win-win", window=2)
    >>> k[["left", "right"]].values.tolist()
    [['A <b>', '</b> & more']]
    >>> html = to_html(k)
    >>> "A &lt;b&gt;</td>" in html and "<mark>win-win</mark>" in html and "&lt;/b&gt; &amp; more" in html
    True
    """
    if not isinstance(df, pd.DataFrame) or not {"left", "match", "right"} <= set(df.columns):
        raise ParameterError("The 'df' parameter of to_html must be a kwic DataFrame with columns left, match, right.")
    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ParameterError(f"The 'columns' parameter of to_html names missing column(s) {missing}.")
    if width is not None:
        width = check_int(width, name="width", func="to_html", minimum=1)
    if max_rows is not None:
        max_rows = check_int(max_rows, name="max_rows", func="to_html", minimum=0)
        df = df.iloc[:max_rows]

    def cut(text: str, keep_end: bool) -> str:
        return text if width is None else _cut_columns(text, width, keep_end=keep_end)

    esc = html.escape
    cell = 'style="padding:0 .4em;white-space:nowrap;text-align:{}"'
    head = "".join(f"<th {cell.format('left')}>{esc(str(c))}</th>" for c in columns)
    head += f"<th {cell.format('right')}>left</th><th {cell.format('center')}>match</th><th {cell.format('left')}>right</th>"
    body = []
    for *meta_values, left, matched, right in zip(*(df[c].tolist() for c in [*columns, "left", "match", "right"])):
        meta = "".join(f"<td {cell.format('left')}>{esc(str(v))}</td>" for v in meta_values)
        body.append(
            f"<tr>{meta}<td {cell.format('right')}>{esc(cut(str(left), True))}</td>"
            f"<td {cell.format('center')}><mark>{esc(str(matched))}</mark></td>"
            f"<td {cell.format('left')}>{esc(cut(str(right), False))}</td></tr>"
        )
    return (
        f'<table class="textlab-kwic" style="border-collapse:collapse;font-family:{HTML_FONTS}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
