"""Loss-free cleaning of texts converted from PDF, web pages or plain files.

:func:`clean_text` turns a raw text into a cleaned body text and an *edit table*: every
input character is either copied to the cleaned text or listed in a removed span with a
reason, so ``kept + removed == len(raw)`` and the cleaned text can be rebuilt from the raw
text and the table alone (:func:`apply_edits`).

Profiles
--------
``"plain"``
    Nothing is removed but invisible characters, and ligatures are spelled out (below).
    Paragraphs are blocks separated by blank lines (a line holding only invisible
    characters is blank); a text without blank lines has one paragraph per line. A
    carriage return before ``\n`` is dropped and a lone one (old Mac line ending) becomes
    ``\n``; both are reported.
``"news"``
    As ``"plain"``, but every non-empty line is a paragraph.
``"paper"``
    A scholarly article converted to Markdown-ish text (PDF → text). Front matter up to the
    keywords, page-footer blocks (corresponding author, licence, dates), footnotes,
    declarations and the reference list are removed; paragraphs split by page breaks are
    rejoined (undoing hyphenation only when the joined word is attested); headings are
    detected with levels taken from their numbering (``2.1``, ``II.``), capitals or an
    explicit ``heading_levels`` hint; Markdown markup is removed. A line break inside a
    paragraph becomes a space, except after a word-final hyphen, where the line-end rule
    of page breaks applies (``techno-`` + ``logical`` → ``technological`` when that word
    is attested, else ``far-reaching`` keeps its hyphen), and between two Chinese (CJK)
    characters, where nothing is inserted.

Invisible characters and ligatures (every profile)
--------------------------------------------------
Texts from the web and from PDF converters carry format characters that cannot be seen
but end a token: U+00AD SOFT HYPHEN (``co\\u00adoperation``), U+200B ZERO WIDTH SPACE
(``鲁班\\u200b工坊`` in text scraped from WeChat), U+200C ZERO WIDTH NON-JOINER, U+200D
ZERO WIDTH JOINER, U+2060 WORD JOINER and U+FEFF ZERO WIDTH NO-BREAK SPACE. All six are
removed wherever they occur, each run as one edit with reason ``"invisible"`` and the
character named in ``detail`` (a U+FEFF at the very start is also labelled
``byte-order mark``; a file's byte-order mark is already dropped when
:func:`textlab.load_corpus` decodes it, so it is not part of the raw text). The joiners
U+200C/U+200D do shape some scripts (Persian, Indic, emoji sequences) when text is
rendered, but textlab analyses word identity, not rendering, and a word with a joiner
inside would never match the same word without one, so they go too.

The Latin ligatures U+FB00–U+FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), left by PDF conversion, are replaced
by their NFKC letters (``ﬁ`` → ``fi``) with reason ``"ligature"``, so "ﬁnancial" matches
"financial". Both repairs happen before anything else, so every later rule (headings,
joins, the words that attest a hyphenated join) sees the repaired text; the edit table
still records them against the raw text (a repair inside a removed span, such as a soft
hyphen in the front matter, is part of that span's edit). Looking for them costs nothing
on ASCII text and one fast search per character on other text (0.01 s for the 14 MB of
non-ASCII text in the 60 MB benchmark corpus).

Chinese articles (``"paper"``)
------------------------------
A block ending in a Chinese sentence end (``。！？``, optionally followed by closing
quotes or brackets ``”’」』）``) is never a heading, a running header or the first part
of a page-break split. Chinese headings are recognised by their numbering (``一、`` at
level 1, ``（一）`` at level 2, ``1.`` and ``1.1`` at one level per number, two levels
deeper when the article also numbers with ``一、``/``（一）``) or as standard section
names (引言, 结语, 结论 ...), on short lines (at most 50 characters) without sentence-final
punctuation. Other Chinese lines are headings only when at most 30 characters long with
no ``，。；！？`` inside: the English test for page-break fragments (case, function words)
cannot read Chinese, and a fragment usually holds a comma. ``摘要`` and ``关键词``
mark the abstract and keywords, and ``参考文献`` the reference list, as ``Abstract``,
``Keywords`` and ``References`` do. A page-break split or a line break between two
Chinese characters is joined without a space.

Whatever the language, when more than half of the kept text's non-blank characters end
up in headings (at least three of them), the ``"paper"`` profile warns
(:class:`~textlab.errors.TextlabWarning`, naming ``source=`` or quoting the text's
start): the body was probably read as headings, which counts leave out by default, and
``profile='plain'`` may suit the text better.

The cleaned text keeps the original characters (curly quotes, dashes). Matching and
tokenising use :func:`normalise`, a length-preserving view, so offsets are shared.
"""

from __future__ import annotations

import bisect
import numbers
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ._zh import _HAN, detect_lang
from .errors import ParameterError, TextlabWarning, check_choice, outside_stacklevel

__all__ = [
    "CleanResult",
    "clean_text",
    "apply_edits",
    "normalise",
    "find_citations",
    "PROFILES",
    "REASONS",
]

PROFILES = ("plain", "news", "paper")
REASONS = (
    "front_matter",
    "page_footer",
    "running_header",
    "page_number",
    "footnote",
    "back_matter",
    "references",
    "markup",
    "citation",
    "rejoined_break",
    "dehyphenation",
    "invisible",
    "ligature",
    "whitespace",
)

EDIT_COLUMNS = ["start", "end", "removed", "inserted", "reason", "detail"]
BLOCK_COLUMNS = ["block", "kind", "level", "heading", "start", "end", "raw_start", "raw_end"]
CITATION_COLUMNS = ["start", "end", "text", "style", "key", "year"]

# ---------------------------------------------------------------------------------------
# Normalised view (length-preserving, so offsets into it are offsets into the text)

_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'",  # right single quote / apostrophe
        "\u2018": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u00a0": " ",  # no-break space
        "\u202f": " ",
    }
)
_WORD_DASH_WORD = re.compile(r"(?<=\w)[\u2013](?=\w)")  # en dash between word characters


def normalise(text: str) -> str:
    """Return the matching view of ``text``: same length, quotes and word dashes unified.

    Curly apostrophes and quotes become ``'`` and ``"``, Unicode hyphens and an en dash
    between two word characters become ``-``, no-break spaces become spaces. Every
    replacement is one character for one, so offsets into the result are offsets into
    ``text``.

    Examples
    --------
    >>> normalise("China\u2013Central Asia\u2019s \u201cwin\u2013win\u201d")
    'China-Central Asia\\'s "win-win"'
    """
    out = text.translate(_CHAR_MAP)
    return _WORD_DASH_WORD.sub("-", out)


# ---------------------------------------------------------------------------------------
# Invisible format characters and Latin ligatures (every profile; see the module notes)

_INVISIBLE = {
    "\u00ad": "SOFT HYPHEN",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_RARE_CHARS = tuple(_INVISIBLE) + tuple(_LIGATURES)
# A run of one invisible character (one edit), or one ligature
_RARE = re.compile("|".join(f"{c}+" for c in _INVISIBLE) + "|[\ufb00-\ufb06]")


def _has_rare_chars(text: str) -> bool:
    """Whether ``text`` holds an invisible format character or a Latin ligature.

    ``str.isascii`` is O(1) and ``in`` a fast search, four times faster than one regex
    pass over non-ASCII text; most texts are decided without a look at their characters.
    """
    return not text.isascii() and any(c in text for c in _RARE_CHARS)


def _flat_unchanged(text: str) -> bool:
    """Whether the ``plain`` and ``news`` profiles leave ``text`` exactly as it is.

    True when it has no carriage return, invisible character or ligature: then
    ``clean_text(text, "plain")`` has no edits and its text is ``text``, so a caller may
    skip cleaning (:class:`textlab.Corpus` does for such documents).

    Examples
    --------
    >>> _flat_unchanged("win-win"), _flat_unchanged("win\\u200bwin"), _flat_unchanged("a\\r\\nb")
    (True, False, False)
    """
    return "\r" not in text and not _has_rare_chars(text)


def _repair_chars(text: str) -> str:
    """``text`` without invisible characters and with ligatures spelled out: what every
    rule of cleaning sees (e.g. to gather the words that attest hyphenated joins).

    Examples
    --------
    >>> _repair_chars("co\\u00adoperation \\ufb01nancial")
    'cooperation financial'
    """
    edits = _char_edits(text)
    return _splice(text, edits) if edits else text


def _char_edits(text: str) -> list[tuple[int, int, str, str, str]]:
    """Edits removing invisible characters (one per run) and spelling out ligatures."""
    if not _has_rare_chars(text):
        return []
    out = []
    for m in _RARE.finditer(text):
        c, n = m.group()[0], m.end() - m.start()
        if c in _LIGATURES:
            out.append((m.start(), m.end(), _LIGATURES[c], "ligature", f"U+{ord(c):04X} {unicodedata.name(c)}"))
            continue
        detail = f"U+{ord(c):04X} {_INVISIBLE[c]}" + (f" x{n}" if n > 1 else "")
        if c == "\ufeff" and m.start() == 0:
            detail += " (byte-order mark)"
        out.append((m.start(), m.end(), "", "invisible", detail))
    return out


def _splice(text: str, edits: list) -> str:
    """``text`` with ``edits`` (sorted, non-overlapping ``(start, end, inserted, ...)``) applied."""
    parts, pos = [], 0
    for start, end, inserted, *_ in edits:
        parts.append(text[pos:start])
        parts.append(inserted)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


class _CharMap:
    """Offsets of the repaired text (``mid``: raw text after :func:`_char_edits`) in the raw text.

    A removed run is a point in ``mid``: :meth:`left` maps a ``mid`` offset to the raw
    offset before the runs removed there, :meth:`right` to the one after them, so edits
    found on ``mid`` that only touch a removed run leave it to its own edit. A ligature is
    one raw character spelled as two or three ``mid`` characters; :meth:`inside` finds
    a ``mid`` offset that falls between them.
    """

    def __init__(self, char_edits: list):
        self.mid_starts, self.mid_ends, self.shifts = [], [], []
        shift = 0
        for s, e, ins, *_ in char_edits:
            self.mid_starts.append(s - shift)
            self.mid_ends.append(s - shift + len(ins))
            shift += (e - s) - len(ins)
            self.shifts.append(shift)

    def inside(self, q: int) -> int:
        """Index of the ligature whose letters surround ``mid`` offset ``q``, else -1."""
        i = bisect.bisect_left(self.mid_starts, q) - 1
        return i if i >= 0 and q < self.mid_ends[i] else -1

    def left(self, q: int) -> int:
        i = bisect.bisect_left(self.mid_starts, q)  # char edits that start before q
        return q + (self.shifts[i - 1] if i else 0)

    def right(self, q: int) -> int:
        i = bisect.bisect_right(self.mid_starts, q)  # ... or at q
        if i and self.mid_ends[i - 1] > q:  # a ligature starting at q comes after it
            i -= 1
        return q + (self.shifts[i - 1] if i else 0)


def _on_raw(raw: str, mid: str, char_edits: list, result: CleanResult) -> CleanResult:
    """The result of cleaning ``mid`` as a result on ``raw``: the two edit tables composed.

    An edit found on ``mid`` covers the raw characters under it, so a character repair
    inside it (a soft hyphen in the front matter) becomes part of it; one that starts or
    ends between the letters of a ligature takes the whole ligature and re-inserts the
    letters it keeps. Every other character repair stays an edit of its own.
    """
    cmap = _CharMap(char_edits)
    composed = []
    for s, e, ins, reason, detail in zip(
        result.edits["start"].tolist(), result.edits["end"].tolist(), result.edits["inserted"],
        result.edits["reason"], result.edits["detail"],
    ):
        if (j := cmap.inside(s)) >= 0:
            rs, ins = char_edits[j][0], mid[cmap.mid_starts[j]:s] + ins
        else:
            rs = cmap.right(s) if e > s else cmap.left(s)
        if (k := cmap.inside(e)) >= 0:
            re_, ins = char_edits[k][1], ins + mid[e:cmap.mid_ends[k]]
        else:
            re_ = cmap.left(e)
        composed.append((rs, max(rs, re_), ins, reason, detail))
    spans = [(c[0], c[1]) for c in composed if c[1] > c[0]]
    starts = [s for s, _ in spans]
    for edit in char_edits:  # those not inside an edit of mid (none overlaps one partly)
        i = bisect.bisect_right(starts, edit[0]) - 1
        if i < 0 or spans[i][1] <= edit[0]:
            composed.append(edit)
    composed.sort(key=lambda c: (c[0], c[1]))
    frame = pd.DataFrame(
        [(s, e, raw[s:e], ins, r, det) for s, e, ins, r, det in composed], columns=EDIT_COLUMNS
    ).astype({"start": "int64", "end": "int64"})
    blocks = result.blocks.copy()
    if len(blocks):
        blocks["raw_start"] = [char_edits[j][0] if (j := cmap.inside(q)) >= 0 else cmap.right(q)
                               for q in blocks["raw_start"].tolist()]
        blocks["raw_end"] = [char_edits[j][1] if (j := cmap.inside(q)) >= 0 else cmap.left(q)
                             for q in blocks["raw_end"].tolist()]
    return CleanResult(
        text=result.text,
        edits=frame,
        blocks=blocks,
        abstract=result.abstract,
        references=result.references,
        raw_length=len(raw),
        profile=result.profile,
    )


# ---------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text of one document and the complete record of how it was made.

    Attributes
    ----------
    text : str
        Cleaned text: headings and paragraphs, separated by blank lines (or single
        newlines where the input used them). All offsets in textlab refer to it.
    edits : pandas.DataFrame
        One row per removed or rewritten span of the raw text, in raw order. Columns:
        ``start, end`` (raw offsets, end exclusive), ``removed`` (the raw characters),
        ``inserted`` (what replaced them, usually ``""``), ``reason`` (one of
        :data:`REASONS`) and ``detail`` (free text, e.g. which marker).
    blocks : pandas.DataFrame
        The kept structure. Columns: ``block`` (0-based), ``kind`` (``"heading"`` or
        ``"paragraph"``), ``level`` (heading level, 0 for paragraphs), ``heading`` (the
        heading text for headings, else ``""``), ``start, end`` (offsets in ``text``) and
        ``raw_start, raw_end`` (offsets in the raw text).
    abstract : str
        The abstract, when a ``"paper"`` has one (removed from ``text`` as front matter).
    references : tuple of str
        Entries of the reference list (removed from ``text``), repaired.
    raw_length : int
        Length of the raw text in characters.
    profile : str
        The profile used.
    """

    text: str
    edits: pd.DataFrame
    blocks: pd.DataFrame
    abstract: str = ""
    references: tuple[str, ...] = ()
    raw_length: int = 0
    profile: str = "plain"
    _edit_starts: tuple = field(default=(), repr=False, compare=False)

    @cached_property
    def norm(self) -> str:
        """The normalised matching view of :attr:`text` (see :func:`normalise`)."""
        return normalise(self.text)

    @cached_property
    def report(self) -> pd.DataFrame:
        """Characters removed and inserted per reason.

        Columns ``reason, spans, chars_removed, chars_inserted``, one row per reason that
        occurs, plus a final row ``kept`` whose ``chars_removed`` is the number of raw
        characters copied to the text; ``kept + sum(chars_removed) == raw_length``.
        """
        e = self.edits
        grouped = (
            e.assign(n_removed=e["end"] - e["start"], n_inserted=e["inserted"].str.len())
            .groupby("reason", sort=False)
            .agg(spans=("start", "size"), chars_removed=("n_removed", "sum"), chars_inserted=("n_inserted", "sum"))
            .reset_index()
        )
        order = {r: i for i, r in enumerate(REASONS)}
        grouped = grouped.sort_values("reason", key=lambda s: s.map(order)).reset_index(drop=True)
        kept = self.raw_length - int(grouped["chars_removed"].sum())
        tail = pd.DataFrame([{"reason": "kept", "spans": 0, "chars_removed": kept, "chars_inserted": 0}])
        out = pd.concat([grouped, tail], ignore_index=True)
        return out.astype({"spans": "int64", "chars_removed": "int64", "chars_inserted": "int64"})

    @cached_property
    def _offset_table(self):
        # Parallel arrays: raw start/end of each edit and the clean offset where it lands.
        starts = self.edits["start"].to_numpy(np.int64)
        ends = self.edits["end"].to_numpy(np.int64)
        ins = self.edits["inserted"].str.len().to_numpy(np.int64) if len(self.edits) else np.zeros(0, np.int64)
        delta = np.cumsum(ins - (ends - starts)) if len(starts) else np.zeros(0, np.int64)
        clean_starts = starts + np.concatenate([[0], delta[:-1]]) if len(starts) else starts
        return starts, ends, ins, clean_starts

    def to_raw(self, offset: int) -> int:
        """Map an offset in :attr:`text` to the raw text.

        An offset inside inserted text maps to the start of the edit that inserted it.

        Examples
        --------
        >>> r = clean_text("A  **bold** word.", profile="paper")
        >>> r.text, r.to_raw(r.text.index("word"))
        ('A  bold word.', 12)
        """
        starts, ends, ins, clean_starts = self._offset_table
        i = bisect.bisect_right(clean_starts.tolist(), offset) - 1
        if i < 0:
            return int(offset)
        if offset < clean_starts[i] + ins[i]:
            return int(starts[i])
        return int(ends[i] + (offset - clean_starts[i] - ins[i]))

    def to_clean(self, offset: int) -> int:
        """Map a raw offset to :attr:`text`; an offset inside a removed span maps to where it was."""
        starts, ends, ins, clean_starts = self._offset_table
        i = bisect.bisect_right(starts.tolist(), offset) - 1
        if i < 0:
            return int(offset)
        if offset < ends[i]:
            return int(clean_starts[i] + min(ins[i], offset - starts[i]))
        return int(clean_starts[i] + ins[i] + (offset - ends[i]))


def apply_edits(raw: str, edits: pd.DataFrame) -> str:
    """Rebuild a cleaned text from the raw text and an edit table.

    Used to prove that cleaning loses nothing silently: ``apply_edits(raw, r.edits) == r.text``.

    Examples
    --------
    >>> r = clean_text("Partner-\\n\\nship and far-\\n\\nreaching.", profile="paper")
    >>> apply_edits("Partner-\\n\\nship and far-\\n\\nreaching.", r.edits) == r.text
    True
    """
    parts, pos = [], 0
    for start, end, inserted in zip(edits["start"], edits["end"], edits["inserted"]):
        if start < pos:
            raise ParameterError(f"edits overlap or are unsorted at raw offset {start}")
        parts.append(raw[pos:start])
        parts.append(inserted)
        pos = end
    parts.append(raw[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Blocks


@dataclass
class _Block:
    start: int
    end: int
    text: str
    label: str = "paragraph"  # paragraph | heading | front_matter | page_footer | ...
    level: int = 0
    detail: str = ""
    inline: list = field(default_factory=list)  # (start, end, inserted, reason, detail), raw offsets

    @property
    def stripped(self) -> str:
        return _strip_markup(self.text)


_BLANK_SPLIT = re.compile(r"\n(?:[ \t\f\v\u00a0]*\n)+")


def _split_blocks(raw: str, per_line: bool) -> list[_Block]:
    """Non-blank blocks with raw offsets; whitespace-only lines separate blocks."""
    return [_Block(start, end, raw[start:end]) for start, end in _block_spans(raw, per_line)]


def _block_spans(text: str, per_line: bool) -> list[tuple[int, int]]:
    """``(start, end)`` of each block: a maximal run of lines (split at ``\\n`` only) that
    hold a non-whitespace character, from its first line's start to its last line's end;
    with ``per_line`` every such line is a block of its own.

    The spans of ``re.finditer(r"(?:[^\\n]*\\S[^\\n]*)(?:\\n[^\\n]*\\S[^\\n]*)*", text)``
    (per line: ``r"[^\\n]*\\S[^\\n]*"``), found about four times faster: the regex
    backtracks over every line, ``str.isspace`` reads it once.

    Examples
    --------
    >>> _block_spans("One\\ntwo\\n \\nThree", per_line=False)
    [(0, 7), (10, 15)]
    >>> _block_spans("One\\ntwo\\n \\nThree", per_line=True)
    [(0, 3), (4, 7), (10, 15)]
    """
    spans = []
    pos, start, end = 0, -1, 0
    for line in text.split("\n"):
        n = len(line)
        if n and not line.isspace():
            if per_line:
                spans.append((pos, pos + n))
            else:
                start = pos if start < 0 else start
                end = pos + n
        elif start >= 0:
            spans.append((start, end))
            start = -1
        pos += n + 1
    if start >= 0:
        spans.append((start, end))
    return spans


_MARKUP_CHARS = re.compile(r"\\\*|\*+|\\(?=[\\`_{}\[\]()#+.!-])|^#{1,6}\s*|<sup>.*?</sup>", re.M)


def _strip_markup(text: str) -> str:
    return _MARKUP_CHARS.sub("", text).strip()


# ---------------------------------------------------------------------------------------
# Classification rules for the "paper" profile

_REFERENCE_HEADINGS = {"references", "reference", "bibliography", "works cited", "literature cited", "references and notes"}
_BACK_MATTER = re.compile(
    r"^(?:declarations?|research ethics|informed consent|ethical approval|author contributions?|"
    r"conflicts? of interests?|declaration of conflicting interests|competing interests?|"
    r"(?:research )?funding|acknowledge?ments?|data availability(?: statement)?|"
    r"use of large language models|generative ai use declaration)\b",
    re.I,
)
_FOOTER_LINE = re.compile(
    r"corresponding author|e-?mail\s*:|\breceived\b.*\b(?:19|20)\d\d|\baccepted\b.*\b(?:19|20)\d\d|"
    r"doi\.org/|orcid|open access|creative commons|\blicen[cs]ed?\b|©|\bcopyright\b",
    re.I,
)
_URL_ONLY = re.compile(r"^\s*(?:<https?://[^>\s]+>|\[https?://[^\]]+\]\([^)]+\)|https?://\S+)\s*$")
_FOOTNOTE_START = re.compile(r"^\s*(?:<sup>\d+</sup>|\d{1,3}\s+[A-ZÀ-Ü])")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.I)
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
_ROMAN = re.compile(r"^([IVXLC]+)\.\s+\S")
_FUSED_HEADINGS = re.compile(r"^\*([^*\n]+)\*\*([^*\n]+)\*$")
_TERMINAL = tuple(".!?:”\")")
_SUP_TAIL = re.compile(r"<sup>\d+</sup>\s*$")
_FUNCTION_WORDS = frozenset(
    "a an the of to and or but are is was were be been in on at for with by from that which as "
    "than into onto its their his her our this these those such".split()
)
_FINITE_BE = re.compile(r"\b(?:is|are|was|were|has been|have been)\b", re.I)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")

# Chinese articles (see the module notes)
_ZH_SENTENCE_END = re.compile(r"[。！？][”’」』）]*$")  # never a heading, never a page-break split
_ZH_PAUSE = ("，", "；", "：", "、")  # like "," ";" ":" at the end of an English line
_ZH_HEADING_MAX = 50  # characters: a longer Chinese line is not a heading
# An unnumbered Chinese heading is at most this long and has none of these (a page-break fragment usually has)
_ZH_UNNUMBERED_MAX = 30
_ZH_SENTENCE_PUNCT = "，。；！？,;"
_ZH_NUMERAL = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*\S")  # 一、 (level 1)
_ZH_PAREN = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*\S")  # （一） (level 2)
# 1.1 / 1.1. / 1. / 1、 / 1 before a Chinese word; a number alone needs its mark or a space
# (so "2016年" and "10年来" are not numbers of headings)
_ZH_ARABIC = re.compile(rf"^(?:(\d{{1,2}}(?:[.．]\d{{1,2}})+)[.．、]?\s*|(\d{{1,2}})(?:[.．、]\s*|\s+))(?=[{_HAN}])")
_ZH_SECTION_NAMES = re.compile(
    r"(?:引\s*言|前\s*言|导\s*言|绪\s*论|导\s*论|结\s*语|结\s*论|结束语|余\s*论|讨\s*论|小\s*结|研究方法|文献综述)"
)
# The labels 摘要 and 关键词, plain, bracketed (【摘要】) or with a colon; then a space or the text ends
_ZH_LABEL_END = r"(?:\s*[】］\]]\s*[:：]?|\s*[:：]|\s+|$)\s*"
_ZH_ABSTRACT = re.compile(r"^[【［\[]?\s*(?:内容)?(?:摘\s*要|提\s*要)" + _ZH_LABEL_END)
_ZH_KEYWORDS = re.compile(r"^[【［\[]?\s*关\s*键\s*[词字]" + _ZH_LABEL_END)
_ZH_REFERENCE_HEADINGS = {"参考文献", "主要参考文献", "参考书目"}
# Characters written without spaces between them: Han, kana, CJK and full-width punctuation
_CJK = re.compile(f"[{_HAN}\u3001-\u303f\u3040-\u30ff\uff01-\uff60]")
_QUOTES = "“”‘’"


def _is_chinese(s: str) -> bool:
    """At least a quarter of the letters are Han ideographs (language detection's rule)."""
    return detect_lang(s) == "zh"


def _ends_sentence(text: str) -> bool:
    """``text`` (stripped) ends a sentence: ``. ! ? : ” " )`` or a Chinese sentence end (or ``：``)."""
    return text.endswith(_TERMINAL + ("：",)) or bool(_ZH_SENTENCE_END.search(text))


def _no_space_between(a: str, b: str) -> bool:
    """Whether a line break between characters ``a`` and ``b`` joins them without a space:
    both are CJK, or one is and the other a curly quote (Chinese puts no spaces there)."""
    cjk_a, cjk_b = bool(_CJK.match(a)), bool(_CJK.match(b))
    return (cjk_a and (cjk_b or b in _QUOTES)) or (cjk_b and a in _QUOTES)


def _zh_numbering(s: str) -> str:
    """Which Chinese heading numbering ``s`` starts with: ``numeral`` (一、), ``paren``
    (（一）), ``arabic`` (1. / 1.1 before a Chinese word) or ``""``."""
    if _ZH_NUMERAL.match(s):
        return "numeral"
    if _ZH_PAREN.match(s):
        return "paren"
    return "arabic" if _ZH_ARABIC.match(s) else ""


def _is_reference_heading(block: _Block) -> bool:
    label = block.stripped.rstrip(":：").strip().strip("【】［］[]").strip().lower()
    return (label in _REFERENCE_HEADINGS or label in _ZH_REFERENCE_HEADINGS) and "\n" not in block.text


def _is_back_matter_start(block: _Block) -> bool:
    s = block.stripped
    if not _BACK_MATTER.match(s):
        return False
    bold_label = re.match(r"^\s*\*\*[^*]+:\*\*", block.text)
    return bool(bold_label) or len(s.split()) <= 8


def _keywords_end(blocks: list[_Block]) -> int:
    """Index of the first body block (after the keywords), or 0 if no keywords block."""
    limit = max(1, len(blocks) // 2)
    for i, b in enumerate(blocks[:limit]):
        s = b.stripped.lower()
        if s in ("keywords", "key words", "keywords:", "key words:"):
            return min(i + 2, len(blocks))
        if re.match(r"^key ?words\s*[:：]", s):
            return i + 1
        if m := _ZH_KEYWORDS.match(s):  # 关键词 alone (the words follow) or 关键词：…
            return min(i + 2, len(blocks)) if not s[m.end():].strip() else i + 1
    return 0


def _footer_run(blocks: list[_Block], i: int, stop: int) -> int:
    """If a page-footer run starts at block i, return the index after it, else i."""
    first = blocks[i].stripped
    if not (first == "---" or re.search(r"corresponding author", first, re.I) or _FOOTER_LINE.search(first) and i > 0):
        return i
    if first != "---" and not re.search(r"corresponding author|open access|©|creative commons", first, re.I):
        return i
    j = i + 1
    label_pending = first.endswith(":")
    while j < stop:
        s = blocks[j].stripped
        if label_pending:  # "Corresponding Author:" on its own line is followed by the name block
            label_pending = False
            j += 1
            continue
        if _FOOTER_LINE.search(s) or _URL_ONLY.match(s):
            label_pending = s.endswith(":")
            j += 1
            continue
        break
    if j == i + 1 and first == "---":
        return i  # a lone rule: let the caller decide (footnote or plain rule)
    return j


def _looks_like_fragment(block: _Block, next_block: _Block | None) -> bool:
    words = _WORD.findall(block.stripped)
    if not words:
        return True
    if words[-1].lower() in _FUNCTION_WORDS:
        return True
    if _FINITE_BE.search(block.stripped):
        return True
    if next_block is not None:
        head = next_block.stripped[:1]
        if head.islower() or head.isdigit():
            return True
    return False


def _heading_level(text: str, style: str, n_hashes: int, base_hashes: int) -> int:
    if _is_chinese(text):
        if numbering := _zh_numbering(text):
            if numbering == "arabic":  # 1.1 before a Chinese word (or "1 ", "1. ", "1、")
                m = _ZH_ARABIC.match(text)
                return len(re.split("[.．]", m.group(1) or m.group(2)))
            return 1 if numbering == "numeral" else 2
        if _ZH_SECTION_NAMES.fullmatch(text):
            return 1
    if m := _NUMBERED.match(text):
        return len(m.group(1).split("."))
    if _ROMAN.match(text):
        return 1
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8:
        return 1
    if style == "markdown" and n_hashes:
        return max(1, n_hashes - base_hashes + 1)
    return 2


def _is_heading_candidate(block: _Block) -> bool:
    s = block.stripped
    if "\n" in block.text.strip() or not s or len(s) > 250 or len(s.split()) > 25:
        return False
    if s.endswith(_TERMINAL + (",", ";") + _ZH_PAUSE) or _ZH_SENTENCE_END.search(s):
        return False
    if s.startswith(("- ", "[", "(")) and not _ZH_PAREN.match(s):
        return False
    return not (len(s) > _ZH_HEADING_MAX and _is_chinese(s))


def _is_plain_heading(block: _Block, next_block: _Block | None) -> bool:
    """Heading test of a body block when the article has no Markdown headings."""
    if not _is_heading_candidate(block):
        return False
    s = block.stripped
    if _is_chinese(s):  # case and function words, which tell English fragments, say nothing here
        if _zh_numbering(s) or _ZH_SECTION_NAMES.fullmatch(s):
            return True
        return len(s) <= _ZH_UNNUMBERED_MAX and not any(p in s for p in _ZH_SENTENCE_PUNCT)
    return bool(_ROMAN.match(s) or _NUMBERED.match(s)) or not _looks_like_fragment(block, next_block)


def _classify_paper(blocks: list[_Block], heading_levels: Mapping[str, int]) -> None:
    n = len(blocks)
    refs = next((i for i, b in enumerate(blocks) if i > 0 and _is_reference_heading(b)), n)
    body = _keywords_end(blocks[:refs])
    back = next((i for i in range(body + 1, refs) if _is_back_matter_start(blocks[i])), refs)
    for b in blocks[:body]:
        b.label = "front_matter"
    for b in blocks[back:refs]:
        b.label = "back_matter"
    for b in blocks[refs:]:
        b.label = "references"
    # Footers and footnotes inside the front matter are labelled too, so the abstract skips them.
    _label_footers(blocks, 0, body)
    _label_footers(blocks, body, back)

    body_blocks = [b for b in blocks[body:back] if b.label == "paragraph"]
    style = "markdown" if any(b.text.lstrip().startswith("#") for b in body_blocks) else "plain"
    hashes = [len(b.text) - len(b.text.lstrip("#")) for b in body_blocks if b.text.startswith("#")]
    base = min(hashes) if hashes else 0
    repeated = _repeated_short_blocks(body_blocks)
    for k, b in enumerate(body_blocks):
        nxt = body_blocks[k + 1] if k + 1 < len(body_blocks) else None
        s = b.stripped
        if _PAGE_NUMBER.match(s):
            b.label, b.detail = "page_number", s
            continue
        if s in repeated:
            b.label, b.detail = "running_header", f"repeats {repeated[s]}x"
            continue
        if style == "markdown":
            is_heading = b.text.startswith("#") or bool(re.fullmatch(r"\*\*[^*\n]+\*\*", b.text.strip()))
            is_heading = is_heading and not _ZH_SENTENCE_END.search(s)
        else:
            is_heading = _is_plain_heading(b, nxt)
        if is_heading:
            n_hashes = len(b.text) - len(b.text.lstrip("#"))
            b.label = "heading"
            b.level = _hint_level(s, heading_levels) or _heading_level(s, style, n_hashes, base)
    # 1. / 1.1 sit below 一、 and （一） when an article numbers with both
    heads = [b for b in body_blocks if b.label == "heading" and _is_chinese(b.stripped)]
    if any(_zh_numbering(b.stripped) in ("numeral", "paren") for b in heads):
        for b in heads:
            if _zh_numbering(b.stripped) == "arabic" and not _hint_level(b.stripped, heading_levels):
                b.level += 2


def _hint_level(heading: str, heading_levels: Mapping[str, int]) -> int:
    for prefix, level in heading_levels.items():
        if heading.startswith(prefix):
            return int(level)
    return 0


def _repeated_short_blocks(blocks: list[_Block]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in blocks:
        s = b.stripped
        if len(s.split()) <= 12 and not s.endswith(".") and s != "---" and not _ZH_SENTENCE_END.search(s):
            if len(s) > _ZH_HEADING_MAX and _is_chinese(s):
                continue
            counts[s] = counts.get(s, 0) + 1
    return {s: c for s, c in counts.items() if c >= 3}


def _label_footers(blocks: list[_Block], lo: int, hi: int) -> None:
    i = lo
    while i < hi:
        b = blocks[i]
        j = _footer_run(blocks, i, hi)
        if j > i:
            for k in range(i, j):
                blocks[k].label, blocks[k].detail = "page_footer", "page-footer block"
            i = j
            continue
        if b.stripped == "---":
            if i + 1 < hi and _FOOTNOTE_START.match(blocks[i + 1].text):
                b.label, b.detail = "footnote", "rule above footnotes"
                k = i + 1
                while k < hi and _FOOTNOTE_START.match(blocks[k].text):
                    blocks[k].label, blocks[k].detail = "footnote", "footnote text"
                    k += 1
                i = k
                continue
            b.label, b.detail = "page_footer", "horizontal rule (page break)"
        i += 1


# ---------------------------------------------------------------------------------------
# Inline edits inside kept blocks (raw offsets)

_INLINE = re.compile(
    r"(?P<sup><sup>[^<]*</sup>)"
    r"|(?P<autolink><https?://[^>\s]+>)"
    r"|(?P<link_open>\[(?=[^\]\n]+\]\(https?://[^)\s]+\)))"
    r"|(?P<link_close>\]\(https?://[^)\s]+\))"
    r"|(?P<esc_star>\\\*)"
    r"|(?P<escape>\\(?=[\\`_{}\[\]()#+.!-]))"
    r"|(?P<stars>\*+)"
)


_LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_WORD_BEFORE_HYPHEN = re.compile(r"(\w+)-$")
_WORD_START = re.compile(r"\w+")


def _inline_edits(block: _Block, known_words: Iterable[str] | None = None) -> list[tuple[int, int, str, str, str]]:
    """Markup and line-break edits inside a kept paper block, in raw offsets.

    A line break becomes a space, but after a word and a hyphen it joins the two parts:
    without the hyphen when ``known_words`` attests the joined word (as at page breaks),
    else keeping it; between two CJK characters it joins them without a space.
    """
    edits = []
    text, base = block.text, block.start
    if block.label == "heading" and (m := re.match(r"#{1,6}\s*", text)):
        edits.append((base, base + m.end(), "", "markup", "heading marker"))
    for m in _INLINE.finditer(text):
        s, e = base + m.start(), base + m.end()
        if m.group("sup"):
            edits.append((s, e, "", "footnote", f"footnote marker {m.group('sup')}"))
        elif m.group("autolink"):
            edits.append((s, e, "", "markup", "link"))
        elif m.group("link_open"):
            edits.append((s, e, "", "markup", "link bracket"))
        elif m.group("link_close"):
            edits.append((s, e, "", "markup", "link target"))
        elif m.group("esc_star"):
            edits.append((s, e, "", "markup", "escaped asterisk"))
        elif m.group("escape"):
            edits.append((s, e, "", "markup", "escape"))
        elif m.group("stars"):
            edits.append((s, e, "", "markup", "emphasis"))
    # Line breaks inside a paragraph become spaces; trailing spaces before them are dropped.
    for m in _LINE_BREAK.finditer(text):
        a, z = m.start(), m.end()
        before, after = text[a - 1:a], text[z:z + 1]
        w = _WORD_BEFORE_HYPHEN.search(text, max(0, a - 100), a) if before == "-" else None
        if w and (n := _WORD_START.match(text, z)):
            if known_words is not None and (w.group(1) + n.group()).lower() in known_words:
                detail = "line-end hyphen removed (joined word attested)"
                edits.append((base + a - 1, base + z, "", "dehyphenation", detail))
            else:
                edits.append((base + a, base + z, "", "whitespace", "line break after a hyphen (hyphen kept)"))
        elif before and after and _no_space_between(before, after):
            edits.append((base + a, base + z, "", "whitespace", "line break between CJK characters"))
        else:
            edits.append((base + a, base + z, " ", "whitespace", "line break inside block"))
    edits.sort()
    return _trim_block_whitespace(block, edits)


def _trim_block_whitespace(block: _Block, edits: list) -> list:
    lead = len(block.text) - len(block.text.lstrip())
    trail = len(block.text) - len(block.text.rstrip())
    out = list(edits)
    if lead:
        out.append((block.start, block.start + lead, "", "whitespace", "leading whitespace"))
    if trail:
        out.append((block.end - trail, block.end, "", "whitespace", "trailing whitespace"))
    return _merge_overlaps(sorted(out))


def _merge_overlaps(edits: list) -> list:
    out: list = []
    for e in edits:
        if out and e[0] < out[-1][1]:
            prev = out[-1]
            if e[1] <= prev[1]:
                continue  # contained: the earlier, wider edit already removes it
            out[-1] = (prev[0], e[1], prev[2] + e[2], prev[3], prev[4])
        else:
            out.append(e)
    return out


def _visible_text(block: _Block) -> str:
    """The block's text after its inline edits (used for rules that look at its end)."""
    return apply_edits(block.text, _edits_frame([(s - block.start, e - block.start, ins, r, d) for s, e, ins, r, d in block.inline]))


def _edits_frame(rows: list) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["start", "end", "inserted", "reason", "detail"])
    return df.astype({"start": "int64", "end": "int64"}) if len(df) else df


# ---------------------------------------------------------------------------------------
# Joining page-break splits


def _should_join(prev: _Block) -> bool:
    tail = _SUP_TAIL.sub("", _visible_text(prev)).rstrip()
    return bool(tail) and not _ends_sentence(tail)


def _dehyphenate(prev_visible: str, next_visible: str, known_words: set[str]) -> bool:
    m = re.search(r"(\w+)-$", prev_visible.rstrip())
    n = re.match(r"(\w+)", next_visible.lstrip())
    if not m or not n:
        return False
    return (m.group(1) + n.group(1)).lower() in known_words


# ---------------------------------------------------------------------------------------
# Public entry point


def clean_text(
    text: str,
    profile: str = "plain",
    *,
    heading_levels: Mapping[str, int] | None = None,
    known_words: Iterable[str] | None = None,
    source: str | None = None,
) -> CleanResult:
    """Clean one text and record every removed or rewritten span.

    Parameters
    ----------
    text : str
        The raw text.
    profile : {'plain', 'news', 'paper'}, default='plain'
        What kind of text it is; see the module docstring.
    heading_levels : mapping of str to int, optional
        ``{"heading text prefix": level}`` (a level is an int >= 1) for headings whose
        level cannot be read from numbering or capitals (``"paper"`` only). Unnumbered
        mixed-case headings default to level 2.
    known_words : collection of str, optional
        Lower-case words that attest a hyphenated line-end join (``"paper"`` only):
        ``"Partner-" + "ship"`` loses its hyphen only if ``"partnership"`` is known. A
        single string is refused (its characters are not words). Defaults to the words of
        ``text`` itself; :func:`textlab.load_corpus` passes the whole corpus vocabulary.
    source : str, optional
        What the text is, named at the start of a warning (e.g. ``"Document 'a' (a.txt)"``);
        without it a warning quotes the text's beginning.

    Returns
    -------
    CleanResult
        ``text``, ``edits`` (columns ``start, end, removed, inserted, reason, detail``),
        ``blocks`` (``block, kind, level, heading, start, end, raw_start, raw_end``),
        ``abstract``, ``references``, ``report``.

    Examples
    --------
    >>> raw = "## 1 Intro\\n\\nThe Partner-\\n\\nship works.\\n\\n## References\\n\\n- A. 2020."
    >>> r = clean_text(raw, profile="paper", known_words={"partnership"})
    >>> r.text
    '1 Intro\\n\\nThe Partnership works.'
    >>> r.report[["reason", "chars_removed"]].values.tolist()
    [['references', 25], ['markup', 3], ['dehyphenation', 3], ['whitespace', 2], ['kept', 31]]
    >>> r.blocks[["kind", "level", "heading"]].values.tolist()
    [['heading', 1, '1 Intro'], ['paragraph', 0, '']]

    Invisible characters and ligatures go in every profile, each a reported edit:

    >>> r = clean_text("co\\u00adoperation, win\\u200b-win, \\ufb01nancial")
    >>> r.text
    'cooperation, win-win, financial'
    >>> r.edits[["removed", "inserted", "reason", "detail"]].values.tolist()
    [['\\xad', '', 'invisible', 'U+00AD SOFT HYPHEN'], ['\\u200b', '', 'invisible', 'U+200B ZERO WIDTH SPACE'], ['ﬁ', 'fi', 'ligature', 'U+FB01 LATIN SMALL LIGATURE FI']]

    A Chinese article: 摘要 and 关键词 end the front matter, numbered headings, paragraphs
    ending in 。, and 参考文献 starts the references:

    >>> raw = ("鲁班工坊研究\\n\\n摘要：鲁班工坊是品牌。\\n\\n关键词：鲁班工坊\\n\\n一、引言\\n\\n"
    ...        "鲁班工坊推动了\\n当地职业教育的发展。\\n\\n（一）背景\\n\\n它在泰国建成。\\n\\n"
    ...        "参考文献：\\n\\n[1] 王五. 鲁班工坊研究[J]. 2020.")
    >>> r = clean_text(raw, "paper")
    >>> r.blocks[["kind", "level"]].values.tolist()
    [['heading', 1], ['paragraph', 0], ['heading', 2], ['paragraph', 0]]
    >>> r.text
    '一、引言\\n\\n鲁班工坊推动了当地职业教育的发展。\\n\\n（一）背景\\n\\n它在泰国建成。'
    >>> r.abstract, r.references
    ('鲁班工坊是品牌。', ('[1] 王五. 鲁班工坊研究[J]. 2020.',))
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of clean_text must be a str; got {type(text).__name__}.")
    check_choice(profile, PROFILES, name="profile", func="clean_text")
    heading_levels = _heading_levels_argument(heading_levels)
    known_words = _known_words_argument(known_words)
    if source is not None and not isinstance(source, str):
        raise ParameterError(f"The 'source' parameter of clean_text must be a str or None; got {source!r}.")

    char_edits = _char_edits(text)
    if not char_edits:
        return _clean(text, profile, heading_levels, known_words, source)
    mid = _splice(text, char_edits)  # invisible characters gone, ligatures spelled out
    return _on_raw(text, mid, char_edits, _clean(mid, profile, heading_levels, known_words, source))


def _heading_levels_argument(heading_levels) -> dict[str, int]:
    if heading_levels is None:
        return {}
    problem = ""
    if not isinstance(heading_levels, Mapping):
        problem = "."
    elif bad := [k for k in heading_levels if not isinstance(k, str) or not k]:
        problem = f", whose key {bad[0]!r} is not a heading prefix."
    elif bad := [(k, v) for k, v in heading_levels.items()
                 if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < 1]:
        problem = f", whose level for {bad[0][0]!r} is {bad[0][1]!r}."
    if problem:
        raise ParameterError(f"The 'heading_levels' parameter of clean_text must map heading prefixes (non-empty "
                             f"str) to levels (int >= 1), such as {{'Introduction': 1}}; "
                             f"got {heading_levels!r}{problem}")
    return {k: int(v) for k, v in heading_levels.items()}


def _known_words_argument(known_words) -> Iterable[str] | None:
    """The words of a ``known_words`` argument; a single string is refused, as in
    :func:`textlab.tokenize.tokenize`'s ``stopwords``: its characters would be taken for words."""
    if known_words is None or isinstance(known_words, (set, frozenset)):
        return known_words
    if isinstance(known_words, (str, bytes)) or not isinstance(known_words, Iterable):
        raise ParameterError(f"The 'known_words' parameter of clean_text must be a collection of words, such as "
                             f"{{'partnership'}}; got {known_words!r}.")
    return set(known_words)


def _clean(raw: str, profile: str, heading_levels: dict, known_words, source: str | None) -> CleanResult:
    """:func:`clean_text` of a text without invisible characters or ligatures."""
    crlf_edits = [
        (m.start(), m.end(), "" if raw.startswith("\n", m.end()) else "\n", "whitespace", "carriage return")
        for m in re.finditer("\r", raw)
    ]
    if crlf_edits:
        # Offsets stay raw: blocks are found on a view of the same length where a lone CR
        # is the line break it stands for and the CR of CRLF a space-like separator.
        work = re.sub("\r(?!\n)", "\n", raw).replace("\r", " ")
    else:
        work = raw

    per_line = profile == "news" or (profile == "plain" and not _BLANK_SPLIT.search(work))
    blocks = _split_blocks(work, per_line=per_line)
    if profile == "paper":
        blocks = _split_fused_headings(blocks, work)
        _classify_paper(blocks, heading_levels)
        _warn_if_mostly_headings(blocks, work, source)
        if known_words is None:
            known_words = {w.lower() for w in _WORD.findall(work)}
    for b in blocks:
        if b.label in ("paragraph", "heading") and profile == "paper":
            b.inline = _inline_edits(b, known_words)
        elif b.label in ("paragraph", "heading") and crlf_edits:
            b.inline = [e for e in crlf_edits if b.start <= e[0] < b.end]

    abstract = _abstract(blocks, known_words) if profile == "paper" else ""
    references = _parse_references([b for b in blocks if b.label == "references"]) if profile == "paper" else ()
    return _assemble(raw, work, blocks, profile, known_words, abstract, references, crlf_edits)


def _warn_if_mostly_headings(blocks: list[_Block], text: str, source: str | None) -> None:
    """Warn when headings (three or more) hold more than half of the kept text's non-blank characters."""
    sizes = {"heading": [], "paragraph": []}
    for b in blocks:
        if b.label in sizes:
            sizes[b.label].append(len("".join(b.text.split())))
    heading, body = sum(sizes["heading"]), sum(sizes["paragraph"])
    if len(sizes["heading"]) < 3 or heading <= body:  # two: a short example, not a misread body
        return
    where = source or f"clean_text: the text beginning {text.lstrip()[:30]!r}"
    n_head, n_par = len(sizes["heading"]), len(sizes["paragraph"])
    warnings.warn(
        f"{where}: the 'paper' profile took {heading / (heading + body):.0%} of the kept text's non-blank "
        f"characters for headings ({n_head} headings, {n_par} paragraph{'s' if n_par != 1 else ''}); counts "
        f"leave headings out by default, so the body may be missing. Check .blocks, or clean it with "
        f"profile='plain'.",
        TextlabWarning,
        stacklevel=outside_stacklevel(),
    )


def _split_fused_headings(blocks: list[_Block], raw: str) -> list[_Block]:
    out = []
    for b in blocks:
        m = _FUSED_HEADINGS.match(b.text)
        if not m:
            out.append(b)
            continue
        mid = b.start + 1 + len(m.group(1))  # offset of the "**" between the two headings
        first = _Block(b.start, mid, raw[b.start:mid], detail="fused heading (first)")
        second = _Block(mid + 2, b.end, raw[mid + 2:b.end], detail="fused heading (second)")
        second.inline = []
        out.extend([first, second])
    return out


def _abstract(blocks: list[_Block], known_words: Iterable[str] | None = None) -> str:
    parts: list[_Block] = []
    collecting = False
    for b in blocks:
        if b.label != "front_matter" and b.label != "page_footer":
            break
        s = b.stripped
        low = s.lower()
        if not collecting:
            if low in ("abstract", "abstract:", "summary") or (m := _ZH_ABSTRACT.match(s)) and m.end() == len(s):
                collecting = True
            elif re.match(r"^abstract\s*[:：]", low) or _ZH_ABSTRACT.match(s):
                collecting = True
                parts.append(b)
            continue
        if re.match(r"^key ?words\b", low) or _ZH_KEYWORDS.match(s):
            break
        if b.label == "page_footer":
            continue
        parts.append(b)
    texts = [_clean_fragment(p.text, known_words) for p in parts]
    if texts:
        texts[0] = re.sub(r"^abstract\s*[:：]\s*", "", texts[0], flags=re.I)
        texts[0] = _ZH_ABSTRACT.sub("", texts[0], count=1)
    joined = ""
    for t in texts:
        if not joined:
            joined = t
        elif _ends_sentence(joined):
            joined += "\n\n" + t
        elif _no_space_between(joined[-1], t[:1]):
            joined += t
        else:
            joined += " " + t
    return joined


def _clean_fragment(text: str, known_words: Iterable[str] | None = None) -> str:
    block = _Block(0, len(text), text)
    return apply_edits(text, _edits_frame(_inline_edits(block, known_words))).strip()


def _reference_fragment(text: str) -> str:
    # In a reference list a URL is content: unwrap <url> instead of dropping it.
    return _clean_fragment(re.sub(r"<(https?://[^>\s]+)>", r"\1", text))


def _parse_references(blocks: list[_Block]) -> tuple[str, ...]:
    if not blocks:
        return ()
    lines = []
    for b in blocks[1:]:  # blocks[0] is the heading
        lines.extend(line for line in b.text.split("\n") if line.strip())
    entries: list[str] = []
    for line in lines:
        body = re.sub(r"^\s*-\s+", "", line).strip()
        if entries and (_URL_ONLY.match(body) or body[:1].islower()):
            entries[-1] = entries[-1] + " " + _reference_fragment(body)
        else:
            entries.append(_reference_fragment(body))
    return tuple(e.strip() for e in entries)


def _assemble(raw, work, blocks, profile, known_words, abstract, references, crlf_edits) -> CleanResult:
    edits: list[tuple[int, int, str, str, str]] = []
    kept = [b for b in blocks if b.label in ("paragraph", "heading")]
    kept_ids = {id(b) for b in kept}
    dropped = [b for b in blocks if id(b) not in kept_ids]

    # Decide joins between consecutive kept paragraphs (paper profile only).
    join_after: dict[int, str] = {}  # index in kept -> "space" | "cjk" | "hyphen_kept" | "dehyphenate"
    if profile == "paper":
        for k in range(len(kept) - 1):
            a, b = kept[k], kept[k + 1]
            if a.label == "paragraph" and b.label == "paragraph" and _should_join(a):
                va, vb = _visible_text(a), _visible_text(b)
                if va.rstrip().endswith("-") and re.search(r"\w-$", va.rstrip()):
                    join_after[k] = "dehyphenate" if _dehyphenate(va, vb, known_words) else "hyphen_kept"
                elif _no_space_between(va.rstrip()[-1:], vb.lstrip()[:1]):
                    join_after[k] = "cjk"
                else:
                    join_after[k] = "space"

    pos = 0
    d = 0  # index into dropped
    for k, b in enumerate(kept):
        prev = kept[k - 1] if k > 0 else None
        inner = []
        while d < len(dropped) and dropped[d].start < b.start:
            inner.append(dropped[d])
            d += 1
        if profile == "paper":
            edits.extend(_gap_edits(work, pos, b.start, inner, prev, join_after.get(k - 1)))
        edits.extend(b.inline)
        pos = b.end
    if profile == "paper" and pos < len(work):
        edits.extend(_gap_edits(work, pos, len(work), dropped[d:], kept[-1] if kept else None, None))

    # A lone CR inside a wider edit (a line break or separator rewritten anyway) goes with
    # it: merging would add its own "\n" to that edit's replacement.
    lone_cr = {e for e in crlf_edits if e[2]}
    edits = _merge_overlaps(sorted((set(edits) | set(crlf_edits)) - lone_cr))
    starts = [e[0] for e in edits]
    edits += [c for c in sorted(lone_cr) if (i := bisect.bisect_right(starts, c[0]) - 1) < 0 or edits[i][1] <= c[0]]
    edits.sort()
    frame = pd.DataFrame(
        [(s, e, raw[s:e], ins, r, det) for s, e, ins, r, det in edits], columns=EDIT_COLUMNS
    ).astype({"start": "int64", "end": "int64"})
    cleaned = apply_edits(raw, frame)
    result = CleanResult(
        text=cleaned,
        edits=frame,
        blocks=pd.DataFrame(columns=BLOCK_COLUMNS),
        abstract=abstract,
        references=references,
        raw_length=len(raw),
        profile=profile,
    )
    object.__setattr__(result, "blocks", _block_table(result, kept, join_after))
    return result


def _gap_edits(work, start, end, inner, prev, mode):
    """Edits for the region between two kept blocks (or before the first / after the last).

    The leading whitespace of the region becomes the paragraph separator (or the join);
    each dropped block is removed together with the whitespace that follows it.
    """
    out = []
    first_inner = inner[0].start if inner else end
    if mode == "dehyphenate":
        hyphen = work.rindex("-", prev.start, prev.end)
        out.append((hyphen, first_inner, "", "dehyphenation", "line-end hyphen removed (joined word attested)"))
    elif mode == "space":
        out.append((start, first_inner, " ", "rejoined_break", "page-break split rejoined"))
    elif mode == "hyphen_kept":
        out.append((start, first_inner, "", "rejoined_break", "page-break split rejoined, hyphen kept"))
    elif mode == "cjk":
        out.append((start, first_inner, "", "rejoined_break", "page-break split rejoined (CJK, no space)"))
    else:
        separator = "\n\n" if prev is not None and end < len(work) else ""
        lead = work[start:first_inner]
        if lead != separator:
            reason, detail = ("whitespace", "paragraph separator") if not lead.strip() else ("markup", "fused headings split")
            out.append((start, first_inner, separator, reason, detail))
    for i, blk in enumerate(inner):
        stop = inner[i + 1].start if i + 1 < len(inner) else end
        out.append((blk.start, stop, "", blk.label, blk.detail or blk.label.replace("_", " ")))
    return [e for e in out if e[0] < e[1] or e[2]]


def _block_table(result: CleanResult, kept: list[_Block], join_after: dict[int, str]) -> pd.DataFrame:
    rows = []
    k = 0
    block_no = 0
    while k < len(kept):
        first = kept[k]
        last_k = k
        while join_after.get(last_k) is not None:
            last_k += 1
        last = kept[last_k]
        start, end = result.to_clean(first.start), result.to_clean(last.end)
        heading = result.text[start:end] if first.label == "heading" else ""
        rows.append(
            {
                "block": block_no,
                "kind": first.label,
                "level": first.level if first.label == "heading" else 0,
                "heading": heading,
                "start": start,
                "end": end,
                "raw_start": first.start,
                "raw_end": last.end,
            }
        )
        block_no += 1
        k = last_k + 1
    df = pd.DataFrame(rows, columns=BLOCK_COLUMNS)
    return df.astype({c: "int64" for c in ("block", "level", "start", "end", "raw_start", "raw_end")})


# ---------------------------------------------------------------------------------------
# Citations (annotation; they stay in the text)

_CITATION_PATTERNS = (
    ("author_year", re.compile(r"\((?P<who>[A-ZÀ-Ü][^()]*?),\s(?P<year>(?:19|20)\d{2}[a-c]?)(?::\s*p\.\s*\d+)?\)")),
    ("author_year", re.compile(r"\((?P<who>[A-ZÀ-Ü][^(),]*?)\s(?P<year>(?:19|20)\d{2}[a-c]?)\)")),
    ("narrative", re.compile(r"\b(?P<who>[A-Z][a-z]+(?: et al\.)?) \((?P<year>(?:19|20)\d{2}[a-c]?)\)")),
    ("numeric", re.compile(r"\[(?P<who>\d+(?:\s*[,–-]\s*\d+)*)\]")),
    ("superscript", re.compile(r"(?<=\w)(?P<who>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")),
)


def find_citations(text: str) -> pd.DataFrame:
    """Find in-text citations: author–year, narrative, numeric ``[n]`` and superscript.

    Citations stay in the cleaned text (their tokens count, as in the reference counts);
    this table lets an analysis drop or inspect them.

    Returns
    -------
    pandas.DataFrame
        Columns ``start, end, text, style, key, year``; ``style`` is one of
        ``author_year, narrative, numeric, superscript``; ``key`` the author part or
        the number(s); ``year`` empty for numeric styles. Sorted by ``start``.

    Examples
    --------
    >>> find_citations("As shown (Xi Jinping 2017a) and by Diener et al. (1999)[4].")[["style", "key", "year"]].values.tolist()
    [['author_year', 'Xi Jinping', '2017a'], ['narrative', 'Diener et al.', '1999'], ['numeric', '4', '']]
    """
    rows, taken = [], []
    for style, pattern in _CITATION_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            year = m.groupdict().get("year") or ""
            rows.append((m.start(), m.end(), m.group(), style, m.group("who"), year))
    rows.sort()
    return pd.DataFrame(rows, columns=CITATION_COLUMNS).astype({"start": "int64", "end": "int64"})
