"""The Corpus: documents, their cleaning record and structure, and document variables.

:func:`load_corpus` reads a directory of ``.txt``/``.md`` files (with or without a
``manifest.csv``), a DataFrame, a mapping or an iterable of ``(doc_id, text)`` pairs.
Raw texts are read when first needed; every offset a textlab function returns refers to
the cleaned text, :meth:`Corpus.text`.

Memory model
------------
A corpus read from a directory never holds all its texts. Bulk passes (the token index,
counting, ``n_tokens``) stream the files one by one and keep only numpy arrays. Texts
asked for one at a time (:meth:`Corpus.text`, :meth:`Corpus.clean_result` ...) go through
a least-recently-used cache of at most :data:`TEXT_CACHE_CHARS` characters that a corpus
shares with its subsets; an evicted file is read again, and a file that changed on disk
since it was first read raises :class:`~textlab.errors.CorpusError` instead of giving
offsets into another text. Texts given in memory stay with their documents. A ``plain``
or ``news`` text without carriage returns, invisible characters or ligatures (see
:mod:`textlab.clean`) is its own cleaned text (cleaning edits
nothing), so it is neither cleaned nor copied. One document is held whole while it is
cleaned and indexed: memory grows by about 15 times its size in bytes (a 200 MB document
took 2.8 GB and 45 s), so split larger texts into several files.

Language
--------
Each document has a language, ``'en'`` or ``'zh'``, that decides how it is tokenised
(every verb goes through the same per-document tokens, so KWIC, counts, frames,
keyness and topics all see each document in its own language). It comes from the
``lang=`` argument of :func:`load_corpus`, else from the document's ``lang`` value
(manifest column, DataFrame column), else, when that is missing or empty, from the
script of its cleaned text (:func:`textlab._zh.detect_lang`: ``'zh'`` when at least a
quarter of its letters are Han ideographs). Detection needs the text, so it happens
when the language is first needed (tokenising, :meth:`Corpus.lang`, :attr:`Corpus.docvars`),
never at load time. The docvars always have a ``lang`` column holding the language in
use (appended at the end when the source had none).
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
import sys
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .clean import (
    _BLANK_SPLIT,
    BLOCK_COLUMNS,
    EDIT_COLUMNS,
    PROFILES,
    CleanResult,
    _block_spans,
    _flat_unchanged,
    _repair_chars,
    clean_text,
)
from .errors import (
    CorpusError,
    DecodingError,
    EmptyDocumentWarning,
    GroupError,
    ManifestError,
    ParameterError,
    TextlabWarning,
    check_bools,
    check_choice,
    check_int,
    outside_stacklevel,
)
from .segment import SEGMENT_COLUMNS, _split_long, _starts_counter, segment, sentence_spans
from .tokenize import LANGS, _letter_mask, _matching_view, _scan, token_spans

__all__ = ["Corpus", "load_corpus", "MANIFEST_COLUMNS", "TEXT_SUFFIXES"]

MANIFEST_COLUMNS = ("doc_id", "file", "side", "title", "authors", "venue", "year", "doi", "url", "licence", "lang")
REQUIRED_MANIFEST_COLUMNS = ("doc_id", "file")
TEXT_SUFFIXES = (".txt", ".md")
HINT_KEYS = ("heading_levels",)
TOKEN_COLUMNS = ["doc_id", "segment_id", "token", "start", "end"]
SEGMENT_LEVELS = ("paragraph", "sentence", "section")
TEXT_CACHE_CHARS = 16_000_000  # per corpus (shared with subsets); texts above it are re-read
PROGRESS_MIN_DOCS = 200  # bulk passes over at least this many documents may show a tqdm bar


# ---------------------------------------------------------------------------------------
# Reading files


def _decode(data: bytes, path: Path, encoding: str) -> str:
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            encoding = codec
            break
    else:
        nul = data.find(b"\x00")  # the whole file: memchr is fast
        if nul >= 0 and not _wide_codec(encoding):
            line = data.count(b"\n", 0, nul) + 1
            raise CorpusError(
                f"{path}: looks like a binary file (NUL bytes, the first at byte {nul}, line {line}); not a text "
                f"document. If it is UTF-16 text without a byte-order mark, pass encoding='utf-16-le' (or 'utf-16-be')."
            )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DecodingError(
            f"{path}: not valid {encoding} at byte {err.start} (line {line}): {data[err.start:err.start + 4]!r}. "
            f"{_encoding_advice(data, encoding)}"
        ) from None
    except LookupError:
        raise ParameterError(f"The 'encoding' parameter of load_corpus must name a codec; got {encoding!r}.") from None


def _encoding_advice(data: bytes, encoding: str) -> str:
    """What to pass as ``encoding=`` for a file that did not decode."""
    chinese = _chinese_codec(data, encoding)
    if chinese:
        advice = (f"The file reads as Chinese text in {chinese}{_CHINESE_CODECS[chinese]}: pass "
                  f"encoding='{chinese}'")
    else:
        advice = "Pass encoding= (e.g. encoding='latin-1' or 'cp1252') if the file uses another encoding"
    return (f"{advice}. encoding= applies to every file of the corpus: if the others are UTF-8, convert this one "
            f"to UTF-8 instead.")


_CHINESE_CODECS = {"gb18030": " (which covers GBK and GB2312)", "big5": ""}


def _chinese_codec(data: bytes, encoding: str) -> str | None:
    """'gb18030' or 'big5' if the start of ``data`` decodes in it as Chinese text, else None.

    Decoding alone proves little (Big5 bytes are valid GB18030, and a Latin-1 letter
    before an ASCII one makes a GB18030 character), so most of its Han characters (and
    private-use ones, which a wrong codec gives) must be common ones: in GB2312's level 1
    (3,755 characters) for GB18030, Big5's frequent block (5,401) for Big5.
    """
    best, best_share = None, 0.5
    sample = data[:65536]
    for codec in _CHINESE_CODECS:
        if codecs.lookup(codec).name == codecs.lookup(encoding).name:
            continue
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample)  # a character cut at the end is left out
        except UnicodeDecodeError:
            continue
        han = [c.encode(codec) for c in re.findall(r"[\u4e00-\u9fff\ue000-\uf8ff]", text)]
        if codec == "gb18030":
            common = sum(len(b) == 2 and 0xB0 <= b[0] <= 0xD7 and b[1] >= 0xA1 for b in han)
        else:
            common = sum(len(b) == 2 and 0xA440 <= int.from_bytes(b) <= 0xC67E for b in han)
        if han and common / len(han) > best_share:  # a tie goes to gb18030
            best, best_share = codec, common / len(han)
    return best


def _wide_codec(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-16/32, whose text has NUL bytes (unknown names: False)."""
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def _read_text(path: Path | str, encoding: str, *, stat: bool = False):
    """The decoded text of a file; with ``stat=True`` also its ``os.stat_result``."""
    try:
        with open(path, "rb") as f:
            data = f.read()
            st = os.fstat(f.fileno()) if stat else None
    except FileNotFoundError:
        raise CorpusError(f"{path}: file not found.") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a directory, not a text file.") from None
    except PermissionError:
        raise CorpusError(f"{path}: permission denied.") from None
    text = _decode(data, path, encoding)
    return (text, st) if stat else text


# ---------------------------------------------------------------------------------------
# Documents


@dataclass(slots=True)
class _Document:
    # One per document, so kept small: a corpus of 100k files holds 100k of these.
    doc_id: str
    profile: str
    lang: str | None  # None: not given, detected from the text when first needed
    hints: dict | None = None  # cleaning hints (cleaning.yaml)
    path: str | None = None  # the file, read when needed
    encoding: str = "utf-8"
    text_value: str | None = None  # raw text when given in memory
    single_block: bool = False  # a segment of a parent corpus: one paragraph, never cleaned
    stamps: dict | None = None  # {path: (size, mtime_ns) when first read}, shared by one load's documents
    warned: bool = False  # the empty-document warning was given

    @property
    def flat(self) -> bool:
        """Cleaning leaves the raw text as it is, unless it has carriage returns, invisible characters or ligatures."""
        return self.profile in ("plain", "news")

    def raw(self) -> str:
        """The raw text: kept when given in memory, else read from the file (not kept)."""
        if self.text_value is not None:
            return self.text_value
        text, st = _read_text(self.path, self.encoding, stat=True)
        stamp = (st.st_size, st.st_mtime_ns)
        if self.stamps is None:
            self.stamps = {}
        if self.stamps.setdefault(self.path, stamp) != stamp:
            raise CorpusError(
                f"{self.path}: changed on disk since textlab first read it; offsets computed before would point "
                f"into another text. Load the corpus again."
            )
        return text


class _LRU:
    """Least-recently-used values with a size budget (characters)."""

    def __init__(self, budget: int):
        self.budget, self.size, self.items = budget, 0, OrderedDict()

    def get(self, key):
        hit = self.items.get(key)
        if hit is None:
            return None
        self.items.move_to_end(key)
        return hit[0]

    def put(self, key, value, size: int):
        if key in self.items:
            self.size -= self.items.pop(key)[1]
        if size > self.budget:
            return
        self.items[key] = (value, size)
        self.size += size
        while self.size > self.budget:
            self.size -= self.items.popitem(last=False)[1][1]


def _progress(items, *, total: int, desc: str):
    """``items``, with a tqdm bar on long work in a terminal (never with TQDM_DISABLE=1)."""
    if total < PROGRESS_MIN_DOCS or os.environ.get("TQDM_DISABLE", "").lower() not in ("", "0", "false"):
        return items
    from tqdm import tqdm

    # disable=None: no bar unless stderr is a terminal (so never in notebooks or logs)
    return tqdm(items, total=total, desc=desc, unit="doc", disable=None, leave=False, delay=1.0, file=sys.stderr)


class _DocTokens(NamedTuple):
    text: str  # the cleaned text
    starts: np.ndarray | None  # int64 offsets of the body tokens
    ends: np.ndarray | None
    forms: list | None  # their matching forms, UTF-8 bytes
    seg_offsets: np.ndarray | None  # token boundaries of the indexed segments (len + 1)
    seg_numbers: np.ndarray | None  # each indexed segment's row in the document's segment table
    seg_starts: np.ndarray | None = None  # character start and end of each indexed segment
    seg_ends: np.ndarray | None = None


def _flat_segments(
    text: str, doc: _Document, max_words: int, words: np.ndarray | None = None, *, separated: bool = True
) -> np.ndarray:
    """Segments of a flat document: what ``segment(clean_result.blocks, ...)`` gives.

    Returns an int64 array with columns ``start, end, paragraph, part``. ``words``, the
    sorted word starts (for an ASCII text TOKEN_PATTERN finds segment's words; for a
    Chinese one jieba's words), spares counting words with a regex. ``separated``: words
    are separated by at least one character (not so in Chinese), so a paragraph of ``n``
    characters holds at most ``(n + 1) // 2`` of them and short ones need no count.
    """
    if doc.single_block:
        blocks = [(0, len(text))] if text.strip() else []
    else:
        per_line = doc.profile == "news" or not _BLANK_SPLIT.search(text)
        blocks = _block_spans(text, per_line)
    rows = []
    for n, (s, e) in enumerate(blocks):
        if (e - s + 1) // 2 <= max_words if separated else e - s <= max_words:  # cannot hold more words
            rows.append((s, e, n, 0))
        else:
            pieces = _split_long(text, s, e, max_words) if words is None else _split_long(text, s, e, max_words, _starts_counter(words))
            rows.extend((a, b, n, k) for k, (a, b) in enumerate(pieces))
    return np.array(rows, dtype=np.int64).reshape(-1, 4)


def _flat_segment_frame(doc_id: str, rows: np.ndarray) -> pd.DataFrame:
    """The segment table of a flat document, built like :func:`textlab.segment.segment`."""
    df = pd.DataFrame([("paragraph", "", 0, n, k, s, e) for s, e, n, k in rows.tolist()], columns=SEGMENT_COLUMNS[2:])
    df.insert(0, "segment_id", [f"{doc_id}:{i:03d}" for i in range(len(df))])
    df.insert(0, "doc_id", doc_id)
    return df.astype({c: "int64" for c in ("level", "paragraph", "part", "start", "end")})


def _single_block_result(text: str) -> CleanResult:
    blocks = pd.DataFrame([[0, "paragraph", 0, "", 0, len(text), 0, len(text)]], columns=BLOCK_COLUMNS)
    if not text.strip():
        blocks = blocks.iloc[:0]
    return CleanResult(
        text=text,
        edits=pd.DataFrame(columns=EDIT_COLUMNS).astype({"start": "int64", "end": "int64"}),
        blocks=blocks.astype({c: "int64" for c in ("block", "level", "start", "end", "raw_start", "raw_end")}),
        raw_length=len(text),
        profile="plain",
    )


class Corpus:
    """Documents with their cleaned text, cleaning record, segments and docvars.

    Build one with :func:`load_corpus`. A Corpus is immutable: :meth:`subset` and
    :meth:`segments` return new corpora.

    Attributes
    ----------
    doc_ids : tuple of str
        Document ids in corpus order.
    docvars : pandas.DataFrame
        One row per document, ``doc_id`` first (a copy; editing it changes nothing).

    Examples
    --------
    >>> c = load_corpus([("a", "First text.\\n\\nSecond paragraph."), ("b", "Another.")])
    >>> c
    Corpus(2 documents)
    >>> c.segment_table()[["segment_id", "start", "end"]].values.tolist()
    [['a:000', 0, 11], ['a:001', 13, 30], ['b:000', 0, 8]]
    """

    def __init__(self, documents: list[_Document], docvars: pd.DataFrame, *, max_words: int = 250):
        self._docs = {d.doc_id: d for d in documents}
        self._docvars = docvars.reset_index(drop=True)
        # docvars 'lang' has blanks (languages to detect, or detected but not yet copied there)
        self._langs_pending = "lang" in self._docvars.columns and bool((self._docvars["lang"] == "").any())
        self._max_words = max_words
        self._segments: dict[str, pd.DataFrame] = {}  # documents that are not flat only
        self._indexes: dict[tuple, object] = {}
        self._cache = _LRU(TEXT_CACHE_CHARS)  # ("raw" | "clean", doc_id) -> str | CleanResult

    # -- basic access ---------------------------------------------------------------
    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(self._docs)

    @property
    def docvars(self) -> pd.DataFrame:
        return self._resolved_docvars().copy()

    def _resolved_docvars(self) -> pd.DataFrame:
        """The docvars with every ``lang`` filled in (detecting the languages not known yet)."""
        if self._langs_pending:
            self._docvars["lang"] = [self._lang_of(self._docs[d]) for d in self._docvars["doc_id"].tolist()]
            self._langs_pending = False
        return self._docvars

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._docs

    def __repr__(self) -> str:
        return f"Corpus({len(self)} document{'s' if len(self) != 1 else ''})"

    def _doc(self, doc_id: str) -> _Document:
        try:
            return self._docs[doc_id]
        except (KeyError, TypeError):
            known = ", ".join(list(self._docs)[:10])
            hint = ""
            if not isinstance(doc_id, str) and str(doc_id) in self._docs:  # 1 for "1"
                hint = f" (doc_ids are str, not {type(doc_id).__name__}: pass {str(doc_id)!r})"
            more = " …" if len(self) > 10 else ""
            raise CorpusError(f"Unknown doc_id {doc_id!r}{hint}; the corpus has: {known}{more}.") from None

    def lang(self, doc_id: str) -> str:
        """Language code of a document (``'en'`` or ``'zh'``; see the module notes).

        Examples
        --------
        >>> c = load_corpus({"a": "Win-win cooperation.", "b": "鲁班工坊是职业教育合作的品牌。"})
        >>> c.lang("a"), c.lang("b"), c.docvars["lang"].tolist()
        ('en', 'zh', ['en', 'zh'])
        """
        return self._lang_of(self._doc(doc_id))

    def _lang_of(self, doc: _Document, text: str | None = None) -> str:
        """The document's language, detected from its cleaned text (``text``, if given) when not known."""
        if doc.lang is None:
            from ._zh import detect_lang

            doc.lang = detect_lang(self._body_text(doc)[0] if text is None else text)
        return doc.lang

    def raw(self, doc_id: str) -> str:
        """The text as read from its source, before cleaning."""
        return self._raw(self._doc(doc_id), keep=True)

    def _raw(self, doc: _Document, *, keep: bool) -> str:
        # keep=False: bulk passes read each file once and must not fill the cache.
        if doc.text_value is not None:
            return doc.text_value
        text = self._cache.get(("raw", doc.doc_id))
        if text is None:
            text = doc.raw()
            if keep:
                self._cache.put(("raw", doc.doc_id), text, len(text))
        return text

    def _warn_if_empty(self, doc: _Document, raw: str) -> None:
        if not doc.warned and not doc.single_block and not raw.strip():
            doc.warned = True
            warnings.warn(
                f"Document {doc.doc_id!r} is empty (no text{' in ' + str(doc.path) if doc.path else ''}); kept with zero tokens.",
                EmptyDocumentWarning,
                stacklevel=outside_stacklevel(),
            )

    def clean_result(self, doc_id: str) -> CleanResult:
        """The full :class:`textlab.clean.CleanResult` of a document."""
        doc = self._doc(doc_id)
        result = self._cache.get(("clean", doc_id))
        if result is None:
            raw = self._raw(doc, keep=False)
            if doc.single_block:
                result = _single_block_result(raw)
            else:
                self._warn_if_empty(doc, raw)
                known = self._known_words if doc.profile == "paper" else None
                source = f"Document {doc.doc_id!r}" + (f" ({doc.path})" if doc.path else "")
                result = clean_text(raw, doc.profile, known_words=known, source=source, **(doc.hints or {}))
            self._cache.put(("clean", doc_id), result, len(raw) + len(result.text))
        return result

    def _body_text(self, doc: _Document, *, keep: bool = False) -> tuple[str, bool]:
        """The cleaned text, and whether the document is flat (every token is a body token)."""
        if doc.flat:
            raw = self._raw(doc, keep=False)
            if _flat_unchanged(raw):  # clean_text would change nothing: no need to run it
                if keep and doc.text_value is None:
                    self._cache.put(("raw", doc.doc_id), raw, len(raw))
                self._warn_if_empty(doc, raw)
                return raw, True
        return self.clean_result(doc.doc_id).text, False

    def text(self, doc_id: str) -> str:
        """The cleaned text of a document; all offsets refer to it."""
        return self._body_text(self._doc(doc_id), keep=True)[0]

    def norm(self, doc_id: str) -> str:
        """The normalised matching view of :meth:`text` (same length)."""
        from .tokenize import _normalise

        return _normalise(self.text(doc_id))

    def cleaning_report(self, doc_id: str) -> pd.DataFrame:
        """Every removed or rewritten span of a document (``CleanResult.edits``)."""
        return self.clean_result(doc_id).edits.copy()

    @cached_property
    def _known_words(self) -> frozenset[str]:
        # Vocabulary of all paper-profile texts, to attest hyphenated line-end joins.
        from .tokenize import _TOKEN_RE  # the same token definition as everywhere

        words: set[str] = set()
        for d in self._docs.values():
            if d.profile == "paper":
                for m in _TOKEN_RE.finditer(_repair_chars(d.raw())):
                    words.update(p.lower() for p in m.group().replace("'", "-").split("-"))
        return frozenset(words)

    # -- structure ----------------------------------------------------------------------
    def segment_table(self, *, headings: bool = True) -> pd.DataFrame:
        """Segments of all documents (see :func:`textlab.segment.segment` for columns)."""
        frames = [self._segment_frame(d) for d in self.doc_ids]
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SEGMENT_COLUMNS)
        if not headings:
            df = df[df["kind"] == "paragraph"].reset_index(drop=True)
        return df

    def _segment_frame(self, doc_id: str) -> pd.DataFrame:
        if doc_id in self._segments:
            return self._segments[doc_id]
        doc = self._doc(doc_id)
        text, flat = self._body_text(doc, keep=True)
        if flat:  # cheap to rebuild, so not cached
            if self._lang_of(doc, text) == "zh":
                rows = _flat_segments(text, doc, self._max_words, self._zh_word_starts(doc_id, text), separated=False)
            else:
                rows = _flat_segments(text, doc, self._max_words)
            return _flat_segment_frame(doc_id, rows)
        r = self.clean_result(doc_id)
        words = self._zh_word_starts(doc_id, r.text) if self._lang_of(doc, r.text) == "zh" else None
        self._segments[doc_id] = segment(r.blocks, r.text, doc_id=doc_id, max_words=self._max_words, words=words)
        return self._segments[doc_id]

    def _zh_word_starts(self, doc_id: str, text: str, starts: np.ndarray | None = None) -> np.ndarray:
        """Where jieba's words of a Chinese document's body text start (cached: they
        decide how its long paragraphs are split, whichever path asks)."""
        cached = self._cache.get(("zh-words", doc_id))
        if cached is None:
            cached = token_spans(text, lang="zh")[0] if starts is None else starts
            self._cache.put(("zh-words", doc_id), cached, 8 * len(cached))
        return cached

    def sentence_table(self) -> pd.DataFrame:
        """Sentences of the body paragraphs.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, segment_id, sentence_id`` (``"<segment_id>.<n>"``),
            ``start, end`` (offsets into the document's cleaned text).
        """
        rows = []
        for doc_id in self.doc_ids:
            text = self.text(doc_id)
            segs = self._segment_frame(doc_id)
            for seg in segs[segs["kind"] == "paragraph"].itertuples(index=False):
                for n, (s, e) in enumerate(sentence_spans(text, seg.start, seg.end)):
                    rows.append((doc_id, seg.segment_id, f"{seg.segment_id}.{n}", s, e))
        df = pd.DataFrame(rows, columns=["doc_id", "segment_id", "sentence_id", "start", "end"])
        return df.astype({"start": "int64", "end": "int64"})

    def segments(self, level: str = "paragraph", *, headings: bool = False) -> "Corpus":
        """A new Corpus whose documents are this corpus's segments.

        Parameters
        ----------
        level : {'paragraph', 'sentence', 'section'}, default='paragraph'
            Paragraph segments (long paragraphs already split), sentences, or runs of
            paragraphs under the same heading path.
        headings : bool, default=False
            Include headings as segments (``level='paragraph'`` only).

        Returns
        -------
        Corpus
            ``doc_id`` is the segment id; docvars carry ``parent_doc_id``, ``section``,
            ``kind``, ``start`` and ``end`` (offsets into the parent's cleaned text) and
            every docvar of the parent document. A parent docvar named ``section``,
            ``kind``, ``start`` or ``end`` (or one of these or ``doc_id`` after
            ``parent_``, ``parent_parent_`` ...) goes one generation up under ``parent_`` +
            its name, so segments of segments keep ``parent_parent_doc_id``,
            ``parent_start`` and so on. Offsets in the new corpus
            refer to the segment text.

        Examples
        --------
        >>> c = load_corpus({"a": "One sentence. Another.\\n\\nA paragraph."})
        >>> c.segments().segments("sentence").docvars[["doc_id", "parent_doc_id", "parent_parent_doc_id"]].values.tolist()
        [['a:000:000.0', 'a:000', 'a'], ['a:000:000.1', 'a:000', 'a'], ['a:001:000.0', 'a:001', 'a']]
        """
        check_choice(level, SEGMENT_LEVELS, name="level", func="Corpus.segments")
        parent_vars = self._resolved_docvars().drop(columns=["file"], errors="ignore")
        older = {c: f"parent_{c}" for c in parent_vars.columns  # one generation up: parent_start -> parent_parent_start
                 if re.fullmatch(r"(?:parent_)*(?:doc_id|section|kind|start|end)", c)}
        parent_vars = parent_vars.rename(columns=older)
        if level == "paragraph":
            units = self.segment_table(headings=headings)[["doc_id", "segment_id", "kind", "section", "start", "end"]]
        elif level == "sentence":
            sents = self.sentence_table().astype({"segment_id": object})  # an empty table has float columns
            segs = self.segment_table(headings=False)[["segment_id", "section"]].astype({"segment_id": object})
            units = sents.merge(segs, on="segment_id", how="left").assign(kind="sentence")
            units = units.drop(columns="segment_id").rename(columns={"sentence_id": "segment_id"})
        else:
            segs = self.segment_table(headings=False)
            run = (segs["section"] != segs["section"].shift()) | (segs["doc_id"] != segs["doc_id"].shift())
            segs = segs.assign(run=run.cumsum())
            units = segs.groupby("run", sort=True).agg(
                doc_id=("doc_id", "first"), section=("section", "first"), start=("start", "min"), end=("end", "max")
            )
            units = units.reset_index(drop=True)
            units.insert(1, "segment_id", [f"{d}:s{i:02d}" for i, d in enumerate(units["doc_id"])])
            units["kind"] = "section"
        units = units.rename(columns={"doc_id": "parent_doc_id"})
        docs = []
        for u in units.itertuples(index=False):
            parent = self._doc(u.parent_doc_id)
            text = self.text(u.parent_doc_id)[u.start : u.end]
            docs.append(_Document(u.segment_id, "plain", self._lang_of(parent), text_value=text, single_block=True))
        docvars = units.rename(columns={"segment_id": "doc_id"})[["doc_id", "parent_doc_id", "section", "kind", "start", "end"]]
        docvars = docvars.merge(parent_vars, on="parent_doc_id", how="left")
        return Corpus(docs, docvars, max_words=10**9)

    # -- tokens -------------------------------------------------------------------------
    def _doc_tokens(
        self, doc_id: str, *, lower: bool = True, numbers: bool = True, headings: bool = False,
        offsets: bool = True, forms: bool = True,
    ) -> _DocTokens:
        """Body tokens of one document as arrays: the primitive of every bulk pass.

        With ``offsets=False`` a flat English document skips segmentation entirely (all its
        tokens are body tokens) and only ``forms`` is filled.
        """
        doc = self._doc(doc_id)
        text, flat = self._body_text(doc)
        lang = self._lang_of(doc, text)
        if lang == "en" and flat and not offsets:
            return _DocTokens(text, None, None, _scan(text, lower=lower, numbers=numbers, offsets=False)[2], None, None)
        if lang == "en":
            starts, ends, keys = _scan(text, lower=lower, keys=forms)
        else:
            starts, ends = token_spans(text, lang=lang)
            view = _matching_view(text, lower)
            keys = [view[a:b].encode() for a, b in zip(starts.tolist(), ends.tolist())] if forms else None
        if flat and lang == "zh":
            rows = _flat_segments(text, doc, self._max_words, self._zh_word_starts(doc_id, text, starts),
                                  separated=False)
            seg_starts, seg_ends, seg_numbers = rows[:, 0], rows[:, 1], np.arange(len(rows))
        elif flat:
            words = starts if text.isascii() else None  # then TOKEN_PATTERN = segment's words
            rows = _flat_segments(text, doc, self._max_words, words)
            seg_starts, seg_ends, seg_numbers = rows[:, 0], rows[:, 1], np.arange(len(rows))
        else:
            if lang == "zh":
                self._zh_word_starts(doc_id, text, starts)  # the segment table counts these words
            segs = self._segment_frame(doc_id)
            seg_numbers = np.arange(len(segs))
            if not headings:
                body = (segs["kind"] == "paragraph").to_numpy(bool)
                segs, seg_numbers = segs[body], seg_numbers[body]
            seg_starts, seg_ends = segs["start"].to_numpy(np.int64), segs["end"].to_numpy(np.int64)
        index = np.searchsorted(seg_starts, starts, side="right") - 1
        inside = (index >= 0) & (ends <= seg_ends[np.clip(index, 0, None)]) if len(seg_ends) else index < -1
        if not numbers and len(starts):
            inside &= _letter_mask(text, starts, ends)
        if not inside.all():
            starts, ends, index = starts[inside], ends[inside], index[inside]
            keys = list(compress(keys, inside.tolist())) if keys is not None else None
        seg_offsets = np.searchsorted(index, np.arange(len(seg_starts) + 1))
        return _DocTokens(text, starts, ends, keys, seg_offsets, seg_numbers, seg_starts, seg_ends)

    def _token_arrays(self, doc_id: str, numbers: bool, headings: bool):
        t = self._doc_tokens(doc_id, numbers=numbers, headings=headings, forms=False)
        seg_index = np.repeat(np.arange(len(t.seg_numbers), dtype=np.int64), np.diff(t.seg_offsets))
        seg_ids = np.array([f"{doc_id}:{n:03d}" for n in t.seg_numbers.tolist()], dtype=object)
        return t.starts, t.ends, seg_index, seg_ids, t.text

    def _progress(self, doc_ids, desc: str):
        return _progress(doc_ids, total=len(doc_ids), desc=desc)

    def index(self, *, numbers: bool = True, headings: bool = False):
        """The corpus token index (:class:`textlab.index.CorpusIndex`), built once and cached."""
        key = check_bools("Corpus.index", numbers=numbers, headings=headings)
        if key not in self._indexes:
            from .index import build_index

            self._indexes[key] = build_index(self, numbers=numbers, headings=headings)
        return self._indexes[key]

    def tokens(self, doc_id: str, *, lower: bool = True, numbers: bool = True, headings: bool = False) -> pd.DataFrame:
        """Tokens of one document's body (and headings, if asked).

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, segment_id, token, start, end``; ``token`` is the
            normalised (and, with ``lower=True``, lower-cased) form; ``start, end`` are
            offsets into :meth:`text`.
        """
        starts, ends, seg_index, seg_ids, text = self._token_arrays(doc_id, numbers, headings)
        view = _matching_view(text, lower)
        tokens = [view[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
        return pd.DataFrame(
            {
                "doc_id": doc_id,
                "segment_id": seg_ids[seg_index] if len(seg_index) else np.array([], dtype=object),
                "token": pd.Series(tokens, dtype=object),
                "start": starts,
                "end": ends,
            },
            columns=TOKEN_COLUMNS,
        )

    def n_tokens(self, *, by: str = "doc", numbers: bool = True, headings: bool = False) -> pd.Series:
        """Token counts per document, segment or docvar group (a Series named ``tokens``)."""
        docs = self._progress(self.doc_ids, "counting tokens")
        if by == "segment":
            parts = []
            for d in docs:
                t = self._doc_tokens(d, numbers=numbers, headings=headings, forms=False)
                ids = [f"{d}:{n:03d}" for n in t.seg_numbers.tolist()]
                parts.append(pd.Series(np.diff(t.seg_offsets), index=pd.Index(ids, dtype=object)))
            out = pd.concat(parts) if parts else pd.Series(dtype="int64")
        else:
            index = self._indexes.get((numbers, headings))
            if index is not None:
                sizes = np.diff(index.doc_offsets)
            else:
                sizes = [len(self._doc_tokens(d, numbers=numbers, headings=headings, forms=False).starts) for d in docs]
            out = pd.Series(sizes, index=pd.Index(self.doc_ids, dtype=object), dtype="int64")
            if by != "doc":
                groups = self._group_values(by, "n_tokens")
                out = out.groupby(groups.reindex(out.index), sort=False).sum()
        return out.astype("int64").rename("tokens")

    def _group_values(self, by: str, func: str | None = None) -> pd.Series:
        """Docvar ``by`` per doc_id. Given the grouping verb ``func``, every document needs
        a value: a missing or blank one (a blank manifest cell is read as ``""``) would
        otherwise drop the document or make a group of its own."""
        columns = self._docvars.columns
        if not isinstance(by, str) or by not in columns or (func is not None and by == "doc_id"):
            if func is None:
                raise GroupError(f"Unknown docvar {by!r}; the corpus has: {', '.join(columns)}.")
            raise GroupError(f"Unknown grouping docvar {by!r} for {func}; the corpus has: "
                             f"{', '.join(c for c in columns if c != 'doc_id')}.")
        docvars = self._resolved_docvars() if by == "lang" else self._docvars
        values = docvars.set_index("doc_id")[by]
        if func is not None:
            blank = np.fromiter((isinstance(v, str) and not v.strip() for v in values.tolist()), bool, len(values))
            missing = values.index[values.isna().to_numpy(bool) | blank].tolist()
            if missing:
                raise GroupError(f"Docvar {by!r} has no value for document(s) {missing}; {func} needs one for "
                                 "every document.")
        return values

    # -- summaries ----------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:
        """One row per document: sizes before and after cleaning.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, profile, lang, paragraphs, headings, segments, tokens``
            (body tokens), ``heading_tokens, chars_raw, chars_clean, chars_removed``.
        """
        rows = []
        for d in self.doc_ids:
            r = self.clean_result(d)
            segs = self._segment_frame(d)
            body = len(self._doc_tokens(d, headings=False, forms=False).starts)
            everything = len(self._doc_tokens(d, headings=True, forms=False).starts)
            removed = int((r.edits["end"] - r.edits["start"]).sum())
            rows.append(
                {
                    "doc_id": d,
                    "profile": self._docs[d].profile,
                    "lang": self._lang_of(self._docs[d]),
                    "paragraphs": int((r.blocks["kind"] == "paragraph").sum()),
                    "headings": int((r.blocks["kind"] == "heading").sum()),
                    "segments": int((segs["kind"] == "paragraph").sum()),
                    "tokens": body,
                    "heading_tokens": everything - body,
                    "chars_raw": r.raw_length,
                    "chars_clean": len(r.text),
                    "chars_removed": removed,
                }
            )
        return pd.DataFrame(rows)

    def cleaning_summary(self) -> pd.DataFrame:
        """Characters removed per document and reason (tidy).

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id, reason, spans, chars_removed, chars_inserted``; the reason
            ``kept`` gives the raw characters copied to the cleaned text.
        """
        frames = [self.clean_result(d).report.assign(doc_id=d) for d in self.doc_ids]
        cols = ["doc_id", "reason", "spans", "chars_removed", "chars_inserted"]
        return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)

    # -- selection ----------------------------------------------------------------------
    def subset(self, doc_ids: Iterable[str] | None = None, **docvar_values) -> "Corpus":
        """Documents selected by id and/or docvar values (a value or a list of values).

        Examples
        --------
        >>> c = load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"], "side": ["cn", "ext"]}))
        >>> c.subset(side="ext").doc_ids
        ('b',)
        """
        if "doc_id" in docvar_values:
            raise ParameterError(f"subset: select documents by id with subset(doc_ids={docvar_values['doc_id']!r}); "
                                 "'doc_id' is not a docvar filter.")
        if "lang" in docvar_values:
            self._resolved_docvars()
        keep = pd.Series(True, index=self._docvars.index)
        if doc_ids is not None:
            doc_ids = [doc_ids] if isinstance(doc_ids, str) else list(doc_ids)
            for d in doc_ids:
                self._doc(d)
            keep &= self._docvars["doc_id"].isin(doc_ids)
        for name, value in docvar_values.items():
            column = self._group_values(name)
            values = [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
            present = set(column.dropna().tolist())
            unknown = [v for v in values if v not in present]
            if unknown:
                listed = sorted(present, key=str)
                hint = ""
                if any(str(v) in set(map(str, present)) for v in unknown):  # "2020" for the int 2020
                    hint = f" (its values are {type(listed[0]).__name__}, not {type(unknown[0]).__name__})"
                raise GroupError(f"Unknown value(s) {unknown!r} for docvar {name!r}; it has: {listed!r}{hint}.")
            keep &= self._docvars[name].isin(values).to_numpy()
        chosen = self._docvars[keep.to_numpy()]
        docs = [self._docs[d] for d in chosen["doc_id"]]
        sub = Corpus(docs, chosen.copy(), max_words=self._max_words)
        sub._segments = {d: s for d, s in self._segments.items() if d in sub._docs}
        sub._cache = self._cache  # same documents, same texts
        return sub


def _warn_mixed_languages(pairs: Iterable[tuple[str, str]], func: str) -> None:
    """Warn when a pooled unit holds documents in more than one language.

    ``pairs`` gives (description of the pooled unit, such as ``"group 'cn'"`` or
    ``"target and reference"``, language) for every document pooled. Rates per 1,000
    tokens and word frequencies compare within a language only: a Chinese token is a
    jieba word, an English one a word. The warning points at the caller outside textlab.
    """
    langs_of: dict[str, set] = {}
    for unit, lang in pairs:
        langs_of.setdefault(unit, set()).add(lang)
    mixed = {unit: sorted(langs) for unit, langs in langs_of.items() if len(langs) > 1}
    if mixed:
        listed = "; ".join(f"{unit} ({', '.join(langs)})" for unit, langs in mixed.items())
        warnings.warn(
            f"{func}: documents in more than one language are pooled in {listed}, so rates and frequencies mix "
            "English words with jieba's Chinese words. Compare within one language (corpus.subset(lang='en')) "
            "or by 'lang'.",
            TextlabWarning,
            stacklevel=outside_stacklevel(),
        )


# ---------------------------------------------------------------------------------------
# Loading


def _csv_records(path: Path) -> tuple[list[str] | None, list[int], list[int]]:
    """The header of a CSV file (None if it has none), the line on which each data row
    starts and its number of fields (blank lines skipped, as pandas skips them; a quoted
    field may span lines)."""
    header, starts, widths, end = None, [], [], 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        for record in reader:
            if len(record) > 1 or (record and record[0].strip()):
                if header is None:
                    header = record
                else:
                    starts.append(end + 1)
                    widths.append(len(record))
            end = reader.line_num
    return header, starts, widths


def _header_hint(header: list[str], missing: Iterable[str] = ()) -> str:
    """Why a manifest header may lack a required column: another delimiter, or a near name."""
    for sep, name in ((";", "';'"), ("\t", "tab")):
        if any(sep in h for h in header):
            return f" The header looks {name}-delimited; a manifest separates its fields with commas."
    near = [f"{m!r} (for {c!r})" for m in missing for c in header  # 'DocID', 'doc id', 'File name' ...
            if re.sub(r"[\s_-]", "", c.lower()).startswith(m.replace("_", ""))]
    return f" Did you mean {' and '.join(near)}? Column names are case-sensitive." if near else ""


def _read_manifest(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """The manifest table and the line number of each of its rows."""
    try:
        header, lines, widths = _csv_records(path)
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not valid UTF-8; save the manifest as UTF-8 CSV.") from None
    except csv.Error as err:
        raise ManifestError(f"{path}: malformed CSV ({err}).") from None
    if header is None:
        raise ManifestError(f"{path}: the manifest is empty; it needs a header with doc_id and file.")
    header = [name.strip() for name in header]
    wide = [(line, n) for line, n in zip(lines, widths) if n > len(header)]
    if wide:  # pandas would take the first column as the index and shift every value, or stop
        line, n = wide[0]
        more = f" Also line(s) {[w[0] for w in wide[1:11]]}{' …' if len(wide) > 11 else ''}." if len(wide) > 1 else ""
        raise ManifestError(f"{path} line {line} has {n} fields, the header has {len(header)} (an unquoted comma or "
                            f"a trailing delimiter?).{more}{_header_hint(header)}")
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        raise ManifestError(f"{path}: the header names column(s) {twice} more than once.")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ManifestError(f"{path}: malformed CSV ({err}).") from None
    df.columns = [str(name).strip() for name in df.columns]  # ' file' -> 'file'
    missing = [c for c in REQUIRED_MANIFEST_COLUMNS if c not in df.columns]
    if missing:
        raise ManifestError(f"{path}: missing required column(s) {missing}; found {list(df.columns)}."
                            f"{_header_hint(header, missing)}")
    if df.empty:
        raise ManifestError(f"{path}: the manifest lists no documents (a header and no rows).")
    if len(lines) != len(df):  # cannot happen for a file pandas parsed; numbering rows is then the honest fallback
        lines = list(range(2, len(df) + 2))
    blank = df.index[df["doc_id"].str.strip() == ""].tolist()
    if blank:
        raise ManifestError(f"{path}: empty doc_id on line(s) {[lines[i] for i in blank]}.")
    dupes = sorted(df.loc[df["doc_id"].duplicated(), "doc_id"].unique())
    if dupes:
        raise ManifestError(f"{path}: duplicate doc_id(s) {dupes}; each document needs a unique id.")
    return df, lines


def _resolve_inside(root: Path, relative: str, manifest: Path, row: int) -> Path:
    if not relative.strip():
        raise ManifestError(f"{manifest}: empty 'file' on line {row}.")
    candidate = (root / relative).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        raise ManifestError(
            f"{manifest}: line {row} points outside the corpus directory ({relative!r}); files must lie under {root}."
        ) from None
    if candidate.is_dir():
        raise ManifestError(f"{manifest}: line {row} names {relative!r}, which is a directory, not a text file.")
    if not candidate.is_file():
        raise ManifestError(f"{manifest}: line {row} names {relative!r}, which does not exist under {root}.")
    return candidate


def _read_hints(path: Path, doc_ids: set[str]) -> dict[str, dict]:
    import yaml

    from ._yaml import safe_load_unique

    try:
        data = safe_load_unique(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ManifestError(f"{path}:{where}: malformed YAML ({getattr(err, 'problem', err)}).") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a mapping of doc_id to hints; got {type(data).__name__}.")
    hints = {}
    for doc_id, value in data.items():
        if doc_id not in doc_ids:
            raise ManifestError(f"{path}: hints for unknown doc_id {doc_id!r} (not in the manifest).")
        if not isinstance(value, dict) or set(value) - set(HINT_KEYS):
            raise ManifestError(f"{path}: hints for {doc_id!r} must be a mapping with keys {list(HINT_KEYS)}.")
        levels = value.get("heading_levels", {})
        if not isinstance(levels, dict) or not all(isinstance(v, int) and v >= 1 for v in levels.values()):
            raise ManifestError(f"{path}: {doc_id}.heading_levels must map heading prefixes to levels >= 1.")
        hints[doc_id] = {"heading_levels": {str(k): int(v) for k, v in levels.items()}}
    return hints


def _typed_docvars(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "year" in df.columns:
        years = pd.to_numeric(df["year"].replace("", np.nan), errors="coerce")
        if years.notna().sum() == (df["year"].astype(str).str.strip() != "").sum():
            df["year"] = years.astype("Int64")
    cols = ["doc_id"] + [c for c in df.columns if c != "doc_id"]
    return df[cols].reset_index(drop=True)


def _choose(value, default, *, name: str, choices, where: str) -> str:
    chosen = value if value not in (None, "") else default
    if chosen not in choices:
        raise ManifestError(f"{where}: {name} {chosen!r} is not one of {list(choices)}.")
    return chosen


def _choose_lang(override, value, *, where: str) -> str | None:
    """``override``, else the document's ``lang`` value, else None (detect from the text)."""
    if override is not None:
        return override
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if not isinstance(value, str):
        raise ManifestError(f"{where}: lang {value!r} is not one of {list(LANGS)} (or empty to detect it).")
    value = value.strip()
    if value and value not in LANGS:
        raise ManifestError(f"{where}: lang {value!r} is not one of {list(LANGS)} (or empty to detect it).")
    return value or None


def _with_lang(docvars: pd.DataFrame, docs: list[_Document]) -> pd.DataFrame:
    """Docvars whose ``lang`` column (appended if missing) holds each document's language
    (``""`` while it is still to be detected)."""
    docvars = docvars.copy()
    docvars["lang"] = pd.Series([d.lang or "" for d in docs], dtype=str, index=docvars.index)  # as read_csv's
    return docvars


def _from_directory(root: Path, *, manifest, profile, lang, encoding) -> tuple[list[_Document], pd.DataFrame]:
    if not root.exists():
        raise CorpusError(f"{root}: no such directory.")
    if not root.is_dir():
        raise CorpusError(f"{root}: not a directory (pass a directory, a DataFrame or (doc_id, text) pairs).")
    manifest_path = Path(manifest) if manifest not in (None, "auto") else root / "manifest.csv"
    if manifest is not None and manifest != "auto" and not manifest_path.is_file():
        raise ManifestError(f"{manifest_path}: manifest not found.")
    if manifest_path.is_file() and manifest is not None:
        table, lines = _read_manifest(manifest_path)
        resolved: dict[str, Path] = {}  # each distinct file resolved once
        paths = [
            resolved[f] if f in resolved else resolved.setdefault(f, _resolve_inside(root, f, manifest_path, line))
            for f, line in zip(table["file"].tolist(), lines)
        ]
        listed = set(paths)
        folders = {p.parent for p in paths}
        unlisted = sorted(
            str(p.relative_to(root.resolve())) for folder in folders for p in folder.iterdir()
            if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".") and p.name.lower() != "readme.md"
            and p not in listed and p.resolve() not in listed  # folders are resolved: only links need resolving
        )
        if unlisted:
            warnings.warn(
                f"{manifest_path}: {len(unlisted)} text file(s) beside listed ones are not in the manifest and were "
                f"not loaded: {unlisted}.",
                TextlabWarning,
                stacklevel=outside_stacklevel(),
            )
        _warn_same_file(table["doc_id"].tolist(), paths, manifest_path, "list each file once, unless the repetition "
                        "is meant", inside=root.resolve())
        hint_path = manifest_path.parent / "cleaning.yaml"
        hints = _read_hints(hint_path, set(table["doc_id"])) if hint_path.is_file() else {}
        docs = []
        missing = [None] * len(table)
        profiles = table["profile"].tolist() if "profile" in table.columns else missing
        langs = table["lang"].tolist() if "lang" in table.columns else missing
        shared: dict[str, str] = {}  # a file listed twice keeps one path string
        stamps: dict[str, tuple] = {}
        for i, (doc_id, path) in enumerate(zip(table["doc_id"].tolist(), paths)):
            where = f"{manifest_path} line {lines[i]}"
            path = str(path)
            docs.append(
                _Document(
                    doc_id=doc_id,
                    profile=_choose(profile or profiles[i], "plain", name="profile", choices=PROFILES, where=where),
                    lang=_choose_lang(lang, langs[i], where=where),
                    hints=hints.get(doc_id),
                    path=shared.setdefault(path, path),
                    encoding=encoding,
                    stamps=stamps,
                )
            )
        return docs, _with_lang(_typed_docvars(table), docs)
    files = _text_files(root)
    if not files:
        raise CorpusError(f"{root}: no {' or '.join(TEXT_SUFFIXES)} files found (and no manifest.csv).")
    ids = [rel[: rel.rindex(".")] for rel, _ in files]
    first: dict[str, str] = {}
    for i, (rel, _) in zip(ids, files):
        if first.setdefault(i, rel) != rel:  # a.txt and a.md
            raise CorpusError(
                f"{root / first[i]} and {root / rel} would both get doc_id {i!r}; rename one, or list them in a "
                f"manifest.csv with ids."
            )
    _warn_same_file(ids, [real for _, real in files], root, "remove the link, unless the repetition is meant")
    base = os.path.abspath(root)  # a Dask worker, or the caller after os.chdir, reads from another directory
    stamps: dict[str, tuple] = {}
    docs = [
        _Document(doc_id=i, profile=profile or "plain", lang=lang, path=os.path.join(base, rel), encoding=encoding,
                  stamps=stamps)
        for i, (rel, _) in zip(ids, files)
    ]
    docvars = pd.DataFrame({"doc_id": ids, "file": [rel.replace("/", os.sep) for rel, _ in files]})
    return docs, _with_lang(docvars, docs)


def _text_files(root: Path) -> list[tuple[str, str]]:
    """The text files under ``root`` in path order, as (path, path of the file it is, for
    a link) relative to ``root``, with '/'.

    Hidden names (starting with '.') and README.md are skipped. Links to folders are not
    followed and broken links are skipped, with a warning; a link to a file outside
    ``root`` raises :class:`~textlab.errors.CorpusError`.
    """
    inside = os.path.realpath(root)
    files, folder_links, broken = [], [], []
    stack = [("", str(root))]
    while stack:  # os.scandir: type from the directory entry, no stat per file
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                entries = list(entries)
        except OSError as err:
            raise CorpusError(f"{folder}: cannot list this folder of the corpus ({err.strerror}).") from None
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
                continue
            suffix = os.path.splitext(name)[1].lower()
            text = suffix in TEXT_SUFFIXES and name.lower() != "readme.md"
            if not entry.is_symlink():
                if text and entry.is_file(follow_symlinks=False):
                    files.append((rel, rel))
            elif os.path.isdir(entry.path):  # os.path: False, not an error, for a loop of links
                folder_links.append(rel)
            elif not os.path.exists(entry.path):
                if text or not suffix:  # a file we would have read, or perhaps a folder
                    broken.append(f"{rel} -> {os.readlink(entry.path)}")
            elif text and os.path.isfile(entry.path):
                real = os.path.realpath(entry.path)
                if not Path(real).is_relative_to(inside):
                    raise CorpusError(f"{entry.path}: a link to {real}, outside the corpus directory {root}; copy the "
                                      f"file in or remove the link.")
                files.append((rel, os.path.relpath(real, inside).replace(os.sep, "/")))
    for found, what in ((folder_links, "link(s) to folders, not followed (no file was loaded through them; copy a "
                                       "folder in if its files belong to the corpus)"),
                        (broken, "broken link(s), skipped")):
        if found:
            warnings.warn(f"{root}: {len(found)} {what}: {sorted(found)[:20]}{' …' if len(found) > 20 else ''}.",
                          TextlabWarning, stacklevel=outside_stacklevel())
    return sorted(files, key=lambda f: f[0].split("/"))


def _warn_same_file(doc_ids: list[str], files: list, where, advice: str, *, inside: Path | None = None) -> None:
    """Warn when documents are the same file (through a link, or listed twice): its text
    would count once per document. ``files`` are shown relative to ``inside``, if given."""
    ids_of: dict[object, list[str]] = {}
    for doc_id, file in zip(doc_ids, files):
        ids_of.setdefault(file, []).append(doc_id)
    shared = [(file, ids) for file, ids in ids_of.items() if len(ids) > 1]
    if shared:
        listed = "; ".join(f"{file if inside is None else file.relative_to(inside)} as {' and '.join(map(repr, ids))}"
                           for file, ids in shared[:10])
        warnings.warn(f"{where}: {len(shared)} file(s) are loaded as more than one document, so their text counts "
                      f"once for each: {listed}{' …' if len(shared) > 10 else ''}. To count it once, {advice}.",
                      TextlabWarning, stacklevel=outside_stacklevel())


def _from_frame(df: pd.DataFrame, *, id_column, text_column, profile, lang) -> tuple[list[_Document], pd.DataFrame]:
    for col in (id_column, text_column):
        if col not in df.columns:
            raise CorpusError(f"The DataFrame has no {col!r} column; columns are {list(df.columns)}.")
    twice = sorted(set(df.columns[df.columns.duplicated()].map(str)))
    if twice:
        raise CorpusError(f"The DataFrame has more than one column named {twice}; rename them apart.")
    df = df.reset_index(drop=True)  # rows by position: a repeated index label would name the wrong rows
    missing = df.index[df[text_column].isna()].tolist()
    if missing:
        ids = df.loc[missing, id_column].tolist()
        raise CorpusError(f"Missing text (NaN/None) in column {text_column!r} for doc_id(s) {ids}.")
    not_str = df.index[~df[text_column].map(lambda v: isinstance(v, str))].tolist()
    if not_str:
        raise CorpusError(f"Column {text_column!r} holds non-text values for doc_id(s) {df.loc[not_str, id_column].tolist()}.")
    no_id = [i for i, v in enumerate(df[id_column].tolist()) if pd.isna(v) or not str(v).strip()]
    if no_id:
        raise CorpusError(f"Missing or blank doc_id in column {id_column!r} on row(s) {no_id[:20]} (0-based); every "
                          f"document needs an id.")
    ids = df[id_column].astype(str)
    dupes = sorted(ids[ids.duplicated()].unique())
    if dupes:
        raise CorpusError(f"Duplicate doc_id(s) {dupes} in column {id_column!r}.")
    docvars = df.drop(columns=[text_column]).rename(columns={id_column: "doc_id"})
    docvars["doc_id"] = ids.to_numpy()
    docs = []
    missing = [None] * len(docvars)
    profiles = docvars["profile"].tolist() if "profile" in docvars.columns else missing
    langs = docvars["lang"].tolist() if "lang" in docvars.columns else missing
    for i, (doc_id, text) in enumerate(zip(ids, df[text_column])):
        where = f"DataFrame row {i}"
        docs.append(
            _Document(
                doc_id=doc_id,
                profile=_choose(profile or profiles[i], "plain", name="profile", choices=PROFILES, where=where),
                lang=_choose_lang(lang, langs[i], where=where),
                text_value=text,
            )
        )
    return docs, _with_lang(_typed_docvars(docvars), docs)


def load_corpus(
    source,
    *,
    manifest: str | Path | None = "auto",
    profile: str | None = None,
    lang: str | None = None,
    encoding: str = "utf-8",
    id_column: str = "doc_id",
    text_column: str = "text",
    max_words: int = 250,
) -> Corpus:
    """Load a corpus from a directory, a DataFrame, a mapping or ``(doc_id, text)`` pairs.

    Parameters
    ----------
    source : path, pandas.DataFrame, mapping or iterable of (str, str)
        A directory of ``.txt``/``.md`` files (read lazily); a DataFrame with one row per
        document; ``{doc_id: text}``; or pairs ``(doc_id, text)``. Without a manifest,
        every ``.txt``/``.md`` file under the directory is a document, its ``doc_id`` the
        path without the suffix (``sub/a`` for ``sub/a.txt``), except ``README.md`` and
        hidden files and folders (names starting with ``.``, such as ``.git/``). Links
        to files inside the directory are read; links to folders are not followed and
        broken links are skipped, each with a warning.
    manifest : path, 'auto' or None, default='auto'
        For a directory: ``'auto'`` uses ``manifest.csv`` in it when present; a path
        names another manifest; ``None`` ignores any manifest. A manifest is a
        comma-separated UTF-8 file whose header names ``doc_id`` and ``file`` (relative
        to the directory) and may name any docvars (``side``, ``title``, ``year``,
        ``lang``, ``profile`` …); spaces around the header's names are ignored, and a
        row may have fewer fields than the header (the missing ones are empty) but not
        more. A ``cleaning.yaml`` beside it supplies per-document cleaning hints.
    profile : {'plain', 'news', 'paper'}, optional
        Cleaning profile for every document, overriding a ``profile`` column
        (default ``'plain'``; see :func:`textlab.clean.clean_text`).
    lang : {'en', 'zh'}, optional
        Language for every document, overriding a ``lang`` column. By default each
        document's ``lang`` value is used and, where it is missing or empty, the
        language is detected from the script of the text (see the module notes);
        the docvars get a ``lang`` column either way.
    encoding : str, default='utf-8'
        Encoding of every file; a byte-order mark (UTF-8/16/32) wins. For a corpus in
        mixed encodings, convert the odd files to UTF-8.
    id_column, text_column : str
        Column names in a DataFrame source.
    max_words : int, default=250
        Paragraphs with more tokens are split at sentence ends into segments.

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError, ManifestError, DecodingError
        With the file, line or column at fault. A file is decoded when first read, so a
        :class:`~textlab.errors.DecodingError` (or a binary file: a NUL byte anywhere)
        may come from a later call.
    ParameterError
        For an invalid argument.

    Warns
    -----
    TextlabWarning
        For text files beside listed ones that a manifest leaves out, links to folders
        and broken links (not loaded), and files loaded as more than one document (a link
        to another document's file, or a file listed twice in the manifest): their text
        counts once for each.

    Examples
    --------
    >>> c = load_corpus({"a": "Win-win cooperation.", "b": "Technological dependency."})
    >>> c.doc_ids, c.text("b")
    (('a', 'b'), 'Technological dependency.')
    """
    max_words = check_int(max_words, name="max_words", func="load_corpus", minimum=1)
    if manifest is not None and not isinstance(manifest, (str, os.PathLike)):
        raise ParameterError(f"The 'manifest' parameter of load_corpus must be a path, 'auto' or None; got {manifest!r}.")
    try:
        "".encode(encoding)  # a text codec: "base64" is a bytes-to-bytes one (b"".decode does not check)
    except (TypeError, LookupError):
        raise ParameterError(f"The 'encoding' parameter of load_corpus must name a text codec, such as 'utf-8'; got "
                             f"{encoding!r}.") from None
    if profile is not None:
        check_choice(profile, PROFILES, name="profile", func="load_corpus")
    if lang is not None:
        check_choice(lang, LANGS, name="lang", func="load_corpus")
    if isinstance(source, (str, Path)):
        docs, docvars = _from_directory(Path(source), manifest=manifest, profile=profile, lang=lang, encoding=encoding)
    elif isinstance(source, pd.DataFrame):
        docs, docvars = _from_frame(source, id_column=id_column, text_column=text_column, profile=profile, lang=lang)
    elif isinstance(source, Mapping):
        frame = pd.DataFrame({"doc_id": list(source.keys()), "text": list(source.values())})
        docs, docvars = _from_frame(frame, id_column="doc_id", text_column="text", profile=profile, lang=lang)
    elif isinstance(source, Iterable):
        pairs = list(source)
        bad = [i for i, p in enumerate(pairs) if not (isinstance(p, tuple | list) and len(p) == 2)]
        if bad:
            raise CorpusError(f"Item {bad[0]} of the iterable is not a (doc_id, text) pair: {pairs[bad[0]]!r}.")
        frame = pd.DataFrame(pairs, columns=["doc_id", "text"])
        docs, docvars = _from_frame(frame, id_column="doc_id", text_column="text", profile=profile, lang=lang)
    else:
        raise ParameterError(
            f"The 'source' parameter of load_corpus must be a directory path, DataFrame, mapping or iterable of "
            f"(doc_id, text) pairs; got {type(source).__name__}."
        )
    if not docs:
        raise CorpusError("The corpus source holds no documents.")
    return Corpus(docs, docvars, max_words=max_words)
