"""Loss-free cleaning of texts converted from PDF, web pages or plain files.

:func:`clean_text` turns a raw text into a cleaned body text and an *edit table*: every
input character is either copied to the cleaned text or listed in a removed span with a
reason, so ``kept + removed == len(raw)`` and the cleaned text can be rebuilt from the raw
text and the table alone (:func:`apply_edits`).

Profiles
--------
``"plain"``
    Nothing is removed. Paragraphs are blocks separated by blank lines; a text without
    blank lines has one paragraph per line. A carriage return before ``\n`` is dropped
    and a lone one (old Mac line ending) becomes ``\n``; both are reported.
``"news"``
    As ``"plain"``, but every non-empty line is a paragraph.
``"paper"``
    A scholarly article converted to Markdown-ish text (PDF → text). Front matter up to the
    keywords, page-footer blocks (corresponding author, licence, dates), footnotes,
    declarations and the reference list are removed; paragraphs split by page breaks are
    rejoined (undoing hyphenation only when the joined word is attested); headings are
    detected with levels taken from their numbering (``2.1``, ``II.``), capitals or an
    explicit ``heading_levels`` hint; Markdown markup is removed.

The cleaned text keeps the original characters (curly quotes, dashes). Matching and
tokenising use :func:`normalise`, a length-preserving view, so offsets are shared.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import ParameterError, check_choice

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


def _is_reference_heading(block: _Block) -> bool:
    return block.stripped.rstrip(":").strip().lower() in _REFERENCE_HEADINGS and "\n" not in block.text


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
    if s.startswith(("- ", "[", "(")) or s.endswith(_TERMINAL + (",", ";")):
        return False
    return True


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
        else:
            is_heading = _is_heading_candidate(b) and (
                bool(_ROMAN.match(s) or _NUMBERED.match(s)) or not _looks_like_fragment(b, nxt)
            )
        if is_heading:
            n_hashes = len(b.text) - len(b.text.lstrip("#"))
            b.label = "heading"
            b.level = _hint_level(s, heading_levels) or _heading_level(s, style, n_hashes, base)


def _hint_level(heading: str, heading_levels: Mapping[str, int]) -> int:
    for prefix, level in heading_levels.items():
        if heading.startswith(prefix):
            return int(level)
    return 0


def _repeated_short_blocks(blocks: list[_Block]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for b in blocks:
        s = b.stripped
        if len(s.split()) <= 12 and not s.endswith(".") and s != "---":
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


def _inline_edits(block: _Block) -> list[tuple[int, int, str, str, str]]:
    """Markup edits inside a kept paper block, in raw offsets."""
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
    for m in re.finditer(r"[ \t]*\n[ \t]*", text):
        edits.append((base + m.start(), base + m.end(), " ", "whitespace", "line break inside block"))
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
    return bool(tail) and not tail.endswith(_TERMINAL)


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
) -> CleanResult:
    """Clean one text and record every removed or rewritten span.

    Parameters
    ----------
    text : str
        The raw text.
    profile : {'plain', 'news', 'paper'}, default='plain'
        What kind of text it is; see the module docstring.
    heading_levels : mapping of str to int, optional
        ``{"heading text prefix": level}`` for headings whose level cannot be read from
        numbering or capitals (``"paper"`` only). Unnumbered mixed-case headings default
        to level 2.
    known_words : iterable of str, optional
        Lower-case words that attest a hyphenated line-end join: ``"Partner-" + "ship"``
        loses its hyphen only if ``"partnership"`` is known. Defaults to the words of
        ``text`` itself; :func:`textlab.load_corpus` passes the whole corpus vocabulary.

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
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of clean_text must be a str; got {type(text).__name__}.")
    check_choice(profile, PROFILES, name="profile", func="clean_text")
    heading_levels = dict(heading_levels or {})

    raw = text
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
    for b in blocks:
        if b.label in ("paragraph", "heading") and profile == "paper":
            b.inline = _inline_edits(b)
        elif b.label in ("paragraph", "heading") and crlf_edits:
            b.inline = [e for e in crlf_edits if b.start <= e[0] < b.end]

    if known_words is None:
        known_words = {w.lower() for w in _WORD.findall(work)}
    else:
        known_words = set(known_words)
    abstract = _abstract(blocks) if profile == "paper" else ""
    references = _parse_references([b for b in blocks if b.label == "references"]) if profile == "paper" else ()
    return _assemble(raw, work, blocks, profile, known_words, abstract, references, crlf_edits)


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


def _abstract(blocks: list[_Block]) -> str:
    parts: list[_Block] = []
    collecting = False
    for b in blocks:
        if b.label != "front_matter" and b.label != "page_footer":
            break
        s = b.stripped
        low = s.lower()
        if not collecting:
            if low in ("abstract", "abstract:", "summary"):
                collecting = True
            elif re.match(r"^abstract\s*[:：]", low):
                collecting = True
                parts.append(b)
            continue
        if re.match(r"^key ?words\b", low):
            break
        if b.label == "page_footer":
            continue
        parts.append(b)
    texts = [_clean_fragment(p.text) for p in parts]
    if texts:
        texts[0] = re.sub(r"^abstract\s*[:：]\s*", "", texts[0], flags=re.I)
    joined = ""
    for t in texts:
        if not joined:
            joined = t
        elif joined.endswith(_TERMINAL):
            joined += "\n\n" + t
        else:
            joined += " " + t
    return joined


def _clean_fragment(text: str) -> str:
    block = _Block(0, len(text), text)
    return apply_edits(text, _edits_frame(_inline_edits(block))).strip()


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
    join_after: dict[int, str] = {}  # index in kept -> "space" | "hyphen_kept" | "dehyphenate"
    if profile == "paper":
        for k in range(len(kept) - 1):
            a, b = kept[k], kept[k + 1]
            if a.label == "paragraph" and b.label == "paragraph" and _should_join(a):
                va, vb = _visible_text(a), _visible_text(b)
                if va.rstrip().endswith("-") and re.search(r"\w-$", va.rstrip()):
                    join_after[k] = "dehyphenate" if _dehyphenate(va, vb, known_words) else "hyphen_kept"
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
