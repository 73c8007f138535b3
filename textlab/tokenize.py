"""Tokens with character offsets, stopwords, n-grams and term counts.

A token is a run of letters or digits, optionally joined by internal hyphens or
apostrophes, so ``win-win``, ``people-to-people`` and ``China's`` are single tokens.
Combining marks (every character of Unicode general category Mn, Mc or Me: accents,
the vowel signs and viramas of Indic scripts, Thai vowels and tone marks, Arabic
harakat, Hebrew niqqud, the kana voicing marks U+3099 and U+309A ...) belong to the
letter or digit before them, so ``हिन्दी``, ``مُحَمَّد``, a decomposed ``café`` and a
decomposed ``が`` are each one token, and a mark with no letter or digit before it is
in no token. Text written without spaces between words is not segmented (a run of
Thai or Japanese letters is one token), except Chinese with ``lang="zh"``.
Tokenising runs on the normalised view of a text (:func:`textlab.clean.normalise`:
curly apostrophes → ``'``, an en dash between words → ``-``), which has the same length
as the text, so every offset slices the original text: ``text[start:end]``.
Lower-cased forms (``lower=True``, the default, and every case-insensitive comparison
in textlab) come from :func:`lower_preserving`, which is length-preserving (``İ``
becomes ``i``, its one-character lower case, as regular expressions with
``re.IGNORECASE`` compare it) and folds Greek final sigma ``ς`` to ``σ`` (and ``µ`` to
``μ``, ``ſ`` to ``s`` ...), so a word has one lower-cased form whatever else its text
contains (``ΟΔΟΣ``, ``οδος`` → ``οδοσ``).

Chinese (``lang="zh"``) is segmented with jieba (see :mod:`textlab._zh`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .clean import _CHAR_MAP, _WORD_DASH_WORD
from .errors import ParameterError, check_bools, check_choice, check_int

__all__ = [
    "TOKEN_PATTERN",
    "LANGS",
    "tokenize",
    "token_spans",
    "lower_preserving",
    "stopwords",
    "ngrams",
    "count_terms",
    "document_term_matrix",
    "DocumentTermMatrix",
]

LANGS = ("en", "zh")


def _mark_ranges() -> tuple[tuple[int, int], ...]:
    """The combining marks, as ``(first, last)`` code point ranges: every character of
    general category Mn, Mc or Me, read from :mod:`unicodedata` (the Unicode version of
    the running Python, which ``re``'s ``\\w`` follows too).

    Only planes 0, 1 and 14 are read (about 10 ms, once, at import): Unicode has put every
    mark there, the other planes hold ideographs or nothing. A test compares the result
    with all 1.1 million code points, so a new Unicode version that breaks this fails it.
    """
    ranges: list[list[int]] = []
    for plane in _MARK_PLANES:
        for cp in range(plane << 16, (plane + 1) << 16):
            if unicodedata.category(chr(cp))[0] == "M":
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


_MARK_PLANES = (0, 1, 14)


def _class_complement(ranges: Sequence[tuple[int, int]]) -> str:
    """A regex class of every code point outside ``ranges`` (sorted, disjoint), as escapes."""
    def esc(cp: int) -> str:
        return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"

    parts, lo = [], 0
    for a, b in [*ranges, (sys.maxunicode + 1, sys.maxunicode + 1)]:
        if a > lo:
            parts.append(esc(lo) if a - 1 == lo else f"{esc(lo)}-{esc(a - 1)}")
        lo = b + 1
    return f"[^{''.join(parts)}]"


# Letters and digits (\w without "_" and without super/subscript digits such as the
# citation marker in "challenges¹⁶"), each optionally followed by combining marks.
_CHAR = r"[^\W_\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f]"
_MARK_RANGES = _mark_ranges()
# _MARK is every mark, written as "not a non-mark": re looks a character up in one table
# for the BMP part of a class, then tries its astral ranges one by one, so a class
# listing the ~110 astral ranges of marks would try them all after every letter of a
# text (English 3x slower); the complement answers for a BMP character with the table.
_MARK = _class_complement(_MARK_RANGES)
_MARKS = rf"{_MARK}*"
_RUN = rf"(?:{_CHAR}{_MARKS})+"
TOKEN_PATTERN = rf"{_RUN}(?:['\-]{_RUN})*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_HAS_LETTER = re.compile(r"[^\W\d_]")


# Lower-case letters whose case fold is another single letter (str.casefold, and how
# re.IGNORECASE compares them): final sigma, the micro sign, long s, Greek symbol forms
# (ϐ ϑ ϕ ϖ ϰ ϱ ϵ), old Cyrillic variants. Generated from Unicode by
# tests/test_tokenize.py::test_fold_table_is_unicodes; each keeps its class (letter).
_FOLD_FROM = "\xb5\u017f\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e9b\u1fbe"
_FOLD_TO = "\u03bcs\u03c3\u03b2\u03b8\u03c6\u03c0\u03ba\u03c1\u03b5\u0432\u0434\u043e\u0441\u0442\u0442\u044a\u0463\ua64b\u1e61\u03b9"
_FOLDS = tuple(zip(_FOLD_FROM, _FOLD_TO))


def lower_preserving(text: str) -> str:
    """Lower-case ``text`` without changing its length: the case-insensitive form.

    ``str.lower`` turns ``"İ"`` (the only such character) into two characters,
    ``"i̇"``, which would shift every later offset; it becomes ``"i"``, its Unicode
    simple lower case, which is also how ``re.IGNORECASE`` compares it, so
    ``istanbul`` matches ``İstanbul`` as a glob and as a regular expression.

    Greek final sigma is folded: after lowering, every ``"ς"`` becomes ``"σ"``, so
    ``"ΟΔΟΣ"``, ``"οδος"`` and ``"οδοσ"`` all give ``"οδοσ"`` (as ``str.casefold``
    does). ``str.lower`` alone chooses ``ς`` or ``σ`` from the context (the end of a
    word, with ``.`` case-ignorable, so ``"ΟΔΟΣ.ΑΒ"`` gives ``σ``); folding makes the
    form of a word the same whatever else the text holds. The few other letters whose
    case fold is another single letter are folded the same way (the micro sign ``µ``
    to ``μ``, long ``ſ`` to ``s``, Greek symbol forms such as ``ϐ`` to ``β``), so glob
    patterns compare them as ``re.IGNORECASE`` does. One character for one: offsets
    stay exact.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``text`` lower-cased, ``"İ"`` as ``"i"``, ``"ς"`` as ``"σ"`` (and the other folds
        above), with the length of ``text``.

    Examples
    --------
    >>> lower_preserving("İstanbul WIN-WIN")
    'istanbul win-win'
    >>> lower_preserving("ΟΔΟΣ here."), lower_preserving("ΟΔΟΣ İ"), lower_preserving("οδος"), lower_preserving("5 µm")
    ('οδοσ here.', 'οδοσ i', 'οδοσ', '5 μm')
    """
    if "\u0130" in text:  # the one character whose str.lower() is longer (SpecialCasing)
        text = text.replace("\u0130", "i")
    low = text.lower()
    if not low.isascii():  # a flag: ASCII texts cost nothing
        for letter, fold in _FOLDS:  # `in` and replace scan at memory speed; str.translate is 20x slower
            if letter in low:
                low = low.replace(letter, fold)
    return low


# ---------------------------------------------------------------------------------------
# The scanner: TOKEN_PATTERN without a regex engine or a Python object per character.
#
# Every character has a class: word (``_CHAR``), mark (``_MARK``), joiner (``'`` or
# ``-``) or other. A word character is always inside a token; a mark is inside iff the
# nearest non-mark before it is a word character; a joiner is inside iff the character
# before it is inside (word or mark) and the one after it is a word character. Tokens are
# the maximal runs of "inside" characters -- exactly the matches of TOKEN_PATTERN, whose
# alternatives never overlap. The classes are the same on the lower-cased view (checked
# for every code point in tests/test_fastpaths.py), so one pass over the matching view
# gives both the offsets and the lower-cased forms. tests/test_fastpaths.py also proves
# the scanner equal to ``_TOKEN_RE.finditer`` on generated Unicode text.

_OTHER, _WORDC, _MARKC, _JOINC = 0, 1, 2, 3
_NORM_PAIRS = tuple((chr(k), v) for k, v in _CHAR_MAP.items())
_SCAN_CHUNK = 1 << 22  # characters per numpy pass; bounds the transient arrays of huge texts
_SCAN_SMALL = 512  # shorter texts go through _TOKEN_RE itself


def _normalise(text: str) -> str:
    """:func:`textlab.clean.normalise`, without copying texts it would not change."""
    if text.isascii():
        return text
    for a, b in _NORM_PAIRS:
        text = text.replace(a, b)  # one char for one, none maps to another source char
    if "\u2013" in text:
        text = _WORD_DASH_WORD.sub("-", text)
    return text


def _matching_view(text: str, lower: bool) -> str:
    """What tokens are read from: normalised and (length-preservingly) lower-cased."""
    view = _normalise(text)
    return lower_preserving(view) if lower else view


@lru_cache(maxsize=None)
def _class_res() -> tuple[re.Pattern, re.Pattern]:
    """``_CHAR`` and ``_MARK`` compiled once (``_MARK`` takes ~10 ms to compile, and
    ``re``'s own cache may drop it)."""
    return re.compile(_CHAR), re.compile(_MARK)


def _class_of(char: str) -> int:
    word, mark = _class_res()
    if word.match(char):
        return _WORDC
    if mark.match(char):
        return _MARKC
    return _JOINC if char in "'-" else _OTHER


@lru_cache(maxsize=None)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """Class and has-letter tables for U+0000..U+FFFF (built once, ~0.1 s)."""
    every = "".join(map(chr, range(0x10000)))
    word, mark = _class_res()
    classes = np.zeros(0x10000, np.uint8)
    classes[[m.start() for m in mark.finditer(every)]] = _MARKC
    classes[[m.start() for m in word.finditer(every)]] = _WORDC
    classes[[ord("'"), ord("-")]] = _JOINC
    letters = np.zeros(0x10000, bool)
    letters[[m.start() for m in _HAS_LETTER.finditer(every)]] = True
    return classes, letters


def _lookup(codes: np.ndarray, which: int) -> np.ndarray:
    """Per-character class (which=0) or has-letter flag (which=1) of code points."""
    table = _bmp_tables()[which]
    out = np.take(table, codes, mode="clip")
    if codes.dtype != np.uint8:
        astral = codes > 0xFFFF
        if astral.any():
            values, inverse = np.unique(codes[astral], return_inverse=True)
            each = [_class_of(chr(v)) if which == 0 else bool(_HAS_LETTER.match(chr(v))) for v in values.tolist()]
            out[astral] = np.asarray(each, dtype=out.dtype)[inverse]
    return out


def _codes(text: str) -> tuple[np.ndarray, str]:
    """Code points of ``text`` as a numpy array (uint8 when it fits) and the codec used."""
    try:
        return np.frombuffer(text.encode("latin-1"), np.uint8), "latin-1"
    except UnicodeEncodeError:
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32), "utf-32-le"


def _inside(classes: np.ndarray) -> np.ndarray:
    """Which characters belong to a token (see the comment above)."""
    word = classes == _WORDC
    inside = word.copy()
    marks = classes == _MARKC
    if marks.any():
        last = np.where(marks, -1, np.arange(len(classes)))
        np.maximum.accumulate(last, out=last)
        inside |= marks & (last >= 0) & word[np.maximum(last, 0)]
    if len(classes) > 2:
        inside[1:-1] |= (classes[1:-1] == _JOINC) & inside[:-2] & word[2:]
    return inside


def _scan_chunk(view: str, text: str, numbers: bool, offsets: bool, keys: bool = True):
    if len(view) < _SCAN_SMALL:  # numpy's per-call cost loses to the regex on short texts
        spans = [m.span() for m in _TOKEN_RE.finditer(view)]
        pairs = np.array(spans, dtype=np.int64).reshape(-1, 2)
        starts, ends = pairs[:, 0].copy(), pairs[:, 1].copy()
        forms = [view[a:b].encode() for a, b in spans] if keys else None
    else:
        codes, codec = _codes(view)
        inside = _inside(_lookup(codes, 0))
        forms = _forms(inside, codes, codec, view.isascii()) if keys else None
        if not offsets and numbers:
            return None, None, forms
        edges = np.diff(inside.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not numbers and len(starts):
        keep = _letter_mask(text, starts, ends)
        starts, ends = starts[keep], ends[keep]
        if forms is not None:
            forms = [k for k, kept in zip(forms, keep.tolist()) if kept]
    return starts, ends, forms


def _letter_mask(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Which spans of ``text`` hold a letter (``_HAS_LETTER``), read on the text as written.

    Not on the matching view: "ʼ" (U+02BC) is a letter that normalises to "'".
    """
    letters = np.concatenate([[0], np.cumsum(_lookup(_codes(text)[0], 1), dtype=np.int64)])
    return letters[ends] > letters[starts]


def _forms(inside: np.ndarray, codes: np.ndarray, codec: str, ascii: bool) -> list[bytes]:
    """The tokens' UTF-8 forms, in order: blank out every other character and split."""
    masked = np.where(inside, codes, codes.dtype.type(32)).tobytes()
    if codec == "latin-1":
        return (masked if ascii else masked.decode("latin-1").encode("utf-8")).split()
    return masked.decode("utf-32-le").encode("utf-8").split()


def _chunk_bounds(view: str) -> list[int]:
    """Cut points after a space or newline, so no token (or its context) spans two chunks."""
    bounds, lo = [0], 0
    while len(view) - lo > _SCAN_CHUNK:
        hi = lo + _SCAN_CHUNK
        cut = max(view.rfind(" ", lo + 1, hi), view.rfind("\n", lo + 1, hi))
        if cut < 0:
            found = [p for p in (view.find(" ", hi), view.find("\n", hi)) if p >= 0]
            if not found:
                break
            cut = min(found)
        lo = cut + 1
        bounds.append(lo)
    bounds.append(len(view))
    return bounds


def _scan(text: str, *, lower: bool = True, numbers: bool = True, offsets: bool = True, keys: bool = True):
    """Tokens of ``text`` as TOKEN_PATTERN finds them on its matching view.

    Returns ``(starts, ends, keys)``: int64 offsets into ``text`` (``None`` when
    ``offsets=False`` and ``numbers=True``) and the tokens' matching forms as UTF-8
    ``bytes`` (lower-cased with :func:`lower_preserving` when ``lower``; ``None`` when
    ``keys=False``). Byte order of UTF-8 is code point order, so sorted keys decode to
    sorted terms.
    """
    view = _matching_view(text, lower)
    bounds = _chunk_bounds(view) if len(view) > _SCAN_CHUNK else [0, len(view)]
    if len(bounds) == 2:
        return _scan_chunk(view, text, numbers, offsets, keys)
    parts = [_scan_chunk(view[a:b], text[a:b], numbers, offsets, keys) for a, b in zip(bounds[:-1], bounds[1:])]
    forms = [k for part in parts for k in part[2]] if keys else None
    if parts[0][0] is None:
        return None, None, forms
    starts = np.concatenate([p[0] + a for p, a in zip(parts, bounds)])
    ends = np.concatenate([p[1] + a for p, a in zip(parts, bounds)])
    return starts, ends, forms


def token_spans(
    text: str, *, lang: str = "en", numbers: bool = True, user_words=None, hmm: bool = True, presegmented=None
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the tokens of ``text`` (int64 arrays).

    Parameters
    ----------
    text : str
        Any text; it is normalised internally, offsets refer to ``text`` itself.
    lang : {'en', 'zh'}, default='en'
        ``'zh'`` segments with jieba.
    numbers : bool, default=True
        Keep tokens without letters (``2025``, ``27``).
    user_words, hmm, presegmented
        ``lang='zh'`` only: as in :func:`tokenize`.

    Examples
    --------
    >>> s, e = token_spans("China\u2019s win\u2013win, 2025.")
    >>> s.tolist(), e.tolist()
    ([0, 8, 17], [7, 15, 21])
    """
    check_choice(lang, LANGS, name="lang", func="token_spans")
    if lang == "zh":
        from ._zh import zh_token_spans

        starts, ends = zh_token_spans(text, user_words, hmm, presegmented=presegmented)
    else:
        _check_zh_only(user_words, hmm, presegmented)
        starts, ends, _ = _scan(text, lower=False, numbers=numbers, keys=False)
        return starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False)
    if not numbers and len(starts):
        keep = np.fromiter((bool(_HAS_LETTER.search(text, s, e)) for s, e in zip(starts, ends)), bool, len(starts))
        starts, ends = starts[keep], ends[keep]
    return np.ascontiguousarray(starts), np.ascontiguousarray(ends)


def _check_zh_only(user_words, hmm, presegmented) -> None:
    given = [name for name, value, default in (("user_words", user_words, None), ("hmm", hmm, True),
                                                ("presegmented", presegmented, None)) if value is not default]
    if given:
        raise ParameterError(
            f"The {given[0]!r} parameter applies to Chinese segmentation only; pass lang='zh' or leave it out."
        )


def tokenize(
    text: str,
    lang: str = "en",
    lower: bool = True,
    *,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    user_words=None,
    hmm: bool = True,
    presegmented: bool | None = None,
) -> pd.DataFrame:
    """Split a text into tokens with character offsets.

    Parameters
    ----------
    text : str
        The text (usually a cleaned text from :class:`textlab.Corpus`).
    lang : {'en', 'zh'}, default='en'
        Language; ``'zh'`` uses jieba with textlab's domain dictionary.
    lower : bool, default=True
        Lower-case the ``token`` column (length-preserving, see :func:`lower_preserving`).
    numbers : bool, default=True
        Keep tokens that contain no letter.
    stopwords : iterable of str, optional
        Tokens to drop (compared after lower-casing when ``lower=True``).
    user_words : path, iterable of str or None, default=None
        ``lang='zh'`` only: extra words jieba must keep whole, on top of textlab's
        domain dictionary (鲁班工坊, 一带一路, 人类命运共同体, 产教融合, 获得感 …): a
        jieba userdict file or a list of words (see :func:`textlab._zh.load_user_words`).
    hmm : bool, default=True
        ``lang='zh'`` only: let jieba join unknown characters into new words (HMM).
    presegmented : bool or None, default=None
        ``lang='zh'`` only: the Chinese is already segmented with spaces, so each run of
        Han characters is one token. ``None`` decides from the text
        (:func:`textlab._zh.is_presegmented`).

    Returns
    -------
    pandas.DataFrame
        Columns ``token`` (normalised, lower-cased if asked), ``start``, ``end``
        (offsets into ``text``; ``text[start:end]`` is the token as written).

    Raises
    ------
    ParameterError
        Bad arguments, and ``user_words``, ``hmm`` or ``presegmented`` with
        ``lang='en'``.

    Examples
    --------
    >>> tokenize("People-to-people ties, China\u2019s win\u2013win.").values.tolist()
    [['people-to-people', 0, 16], ['ties', 17, 21], ["china's", 23, 30], ['win-win', 31, 38]]
    >>> tokenize("हिन्दी भाषा")["token"].tolist()  # vowel signs and viramas are combining marks
    ['हिन्दी', 'भाषा']
    >>> tokenize("鲁班工坊推动产教融合。", lang="zh").values.tolist()
    [['鲁班工坊', 0, 4], ['推动', 4, 6], ['产教融合', 6, 10]]
    >>> tokenize("职教出海成效显著", lang="zh", user_words=["职教出海"])["token"].tolist()
    ['职教出海', '成效显著']
    >>> tokenize("职业 教育 合作", lang="zh")["token"].tolist()  # already segmented: kept as written
    ['职业', '教育', '合作']
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of tokenize must be a str; got {type(text).__name__}.")
    lower, numbers = check_bools("tokenize", lower=lower, numbers=numbers)
    check_choice(lang, LANGS, name="lang", func="tokenize")
    starts, ends = token_spans(
        text, lang=lang, numbers=numbers, user_words=user_words, hmm=hmm, presegmented=presegmented
    )
    view = _matching_view(text, lower)
    tokens = [view[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    df = pd.DataFrame({"token": pd.Series(tokens, dtype=object), "start": starts, "end": ends})
    if stopwords is not None:
        df = df[~df["token"].isin(_stopword_argument(stopwords, "tokenize"))].reset_index(drop=True)
    return df


def _stopword_argument(stopwords, func: str) -> frozenset:
    """The words of a ``stopwords`` argument. A single string is refused: iterating it
    would give its characters, and the words would silently stay."""
    if isinstance(stopwords, str | bytes) or not isinstance(stopwords, Iterable):
        raise ParameterError(f"The 'stopwords' parameter of {func} must be a collection of words, such as "
                             f"['the'] or textlab.stopwords('en'); got {stopwords!r}.")
    return frozenset(stopwords)


@lru_cache(maxsize=None)
def _stopword_set(lang: str) -> frozenset[str]:
    if lang == "zh":
        from ._zh import zh_stopwords

        return frozenset(zh_stopwords())
    # scikit-learn ships the Glasgow IR group's English list (318 words); no download needed.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def stopwords(lang: str = "en") -> frozenset[str]:
    """Stopwords shipped with installed packages (no download).

    ``'en'``: scikit-learn's ``ENGLISH_STOP_WORDS`` (the Glasgow Information Retrieval
    Group list, 318 words). ``'zh'``: textlab's own list (``textlab/data/stopwords_zh.txt``).

    Examples
    --------
    >>> "the" in stopwords("en"), len(stopwords("en"))
    (True, 318)
    """
    check_choice(lang, LANGS, name="lang", func="stopwords")
    return _stopword_set(lang)


def ngrams(tokens: Sequence[str], n: int = 2, *, sep: str = " ") -> list[str]:
    """Contiguous n-grams of a token sequence, joined with ``sep``.

    Examples
    --------
    >>> ngrams(["belt", "and", "road", "initiative"], 2)
    ['belt and', 'and road', 'road initiative']
    """
    n = check_int(n, name="n", func="ngrams", minimum=1)
    if isinstance(tokens, (str, bytes)) or not isinstance(tokens, Iterable):
        raise ParameterError(
            f"The 'tokens' parameter of ngrams must be a sequence of tokens (e.g. tokenize(text)['token']); got "
            f"{type(tokens).__name__}."  # a str would give character n-grams
        )
    tokens = list(tokens)
    return [sep.join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


# ---------------------------------------------------------------------------------------
# Counting over a corpus


@dataclass(frozen=True)
class DocumentTermMatrix:
    """A sparse count matrix with its row and column labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``units × terms`` counts (int64).
    units : list of str
        Row labels (doc_ids, segment_ids or group values).
    terms : list of str
        Column labels, sorted.
    """

    matrix: object
    units: list
    terms: list

    def to_frame(self) -> pd.DataFrame:
        """Tidy form: columns ``unit, term, count`` for non-zero cells, by unit then term."""
        matrix = self.matrix.tocsr()
        if not matrix.has_sorted_indices:
            matrix = matrix.sorted_indices()
        sizes = np.diff(matrix.indptr)
        return pd.DataFrame(
            {
                "unit": pd.Series(self.units, dtype=object).repeat(sizes).tolist(),
                "term": np.asarray(self.terms, dtype=object)[matrix.indices].tolist(),
                "count": matrix.data,
            },
            columns=["unit", "term", "count"],
        ).astype({"count": "int64"})


def _check_counting(corpus, by: str, func: str):
    from .corpus import Corpus  # local: corpus imports this module

    if not isinstance(corpus, Corpus):
        raise ParameterError(f"The 'corpus' parameter of {func} must be a textlab Corpus; got {type(corpus).__name__}.")
    if not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of {func} must be 'doc', 'segment' or a docvar name; got {by!r}.")
    if by in ("doc", "segment"):
        return
    columns = corpus._docvars.columns  # not .docvars: that is a copy
    if by not in columns:
        from .errors import GroupError

        raise GroupError(f"Unknown 'by' value {by!r}: use 'doc', 'segment' or a docvar ({', '.join(columns)}).")
    corpus._group_values(by, func)  # every document needs a group


def _unit_counters(corpus, by: str, lower: bool, numbers: bool, headings: bool):
    """Yield (unit, Counter of UTF-8 forms) per document or segment, in corpus order.

    Documents are streamed: only one document's tokens exist at a time.
    """
    groups = None if by in ("doc", "segment") else corpus._group_values(by).to_dict()
    for doc_id in corpus._progress(corpus.doc_ids, "counting"):
        if by == "segment":
            t = corpus._doc_tokens(doc_id, lower=lower, numbers=numbers, headings=headings)
            bounds = t.seg_offsets.tolist()
            for n, a, b in zip(t.seg_numbers.tolist(), bounds[:-1], bounds[1:]):
                if b > a:
                    yield f"{doc_id}:{n:03d}", Counter(t.forms[a:b])
        else:
            t = corpus._doc_tokens(doc_id, lower=lower, numbers=numbers, headings=headings, offsets=False)
            yield (doc_id if groups is None else groups[doc_id]), Counter(t.forms)


def _count_matrix(corpus, by: str, lower: bool, numbers: bool, stopwords, headings: bool, func: str):
    """Units, sorted terms and the CSR count matrix (rows of units without counts are
    dropped unless ``by='doc'``).

    Per unit, the distinct forms are numbered in a dict and appended to two growing
    arrays (term number, count): memory grows with the distinct (unit, term) pairs, not
    with the text. Term numbers become sorted-term columns once, at the end.
    """
    from scipy import sparse

    from .index import _Buffer, _ids, _sorted_vocab, _Vocab

    _check_counting(corpus, by, func)
    stop = set()
    for word in _stopword_argument(stopwords, func) if stopwords is not None else ():
        if isinstance(word, str):
            stop.add(word.encode("utf-8", "surrogatepass"))
    vocab = _Vocab()
    columns, counts, indptr, units = _Buffer(np.int32), _Buffer(np.int64), _Buffer(np.int64, [0]), []

    def add(unit, counter: Counter) -> None:
        for word in stop.intersection(counter) if stop else ():
            del counter[word]
        if not counter and by != "doc":
            return
        columns.extend(_ids(vocab, counter))
        counts.extend(np.fromiter(counter.values(), np.int64, len(counter)))
        indptr.extend((len(columns),))
        units.append(unit)

    if by in ("doc", "segment"):
        for unit, counter in _unit_counters(corpus, by, lower, numbers, headings):
            add(unit, counter)
    else:
        totals: dict = {}
        for unit, counter in _unit_counters(corpus, by, lower, numbers, headings):
            if unit in totals:
                totals[unit].update(counter)
            else:
                totals[unit] = counter
        for unit in list(totals):
            add(unit, totals.pop(unit))


    col = columns.array()
    terms = _sorted_vocab(vocab, col)
    data = counts.array()
    ptr = indptr.array().astype(np.int32 if len(col) < 2**31 else np.int64)
    matrix = sparse.csr_matrix((data, col.astype(ptr.dtype, copy=False), ptr), shape=(len(units), len(terms)))
    matrix.sort_indices()
    return units, terms, matrix


def count_terms(
    corpus,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
) -> pd.DataFrame:
    """Count terms per document, segment or group of a corpus.

    Parameters
    ----------
    corpus : textlab.Corpus
    by : str, default='doc'
        ``'doc'``, ``'segment'`` or the name of a docvar (e.g. ``'side'``) to pool by.
    lower, numbers : bool
        As in :func:`tokenize`.
    stopwords : iterable of str, optional
        Terms to leave out (e.g. ``textlab.stopwords("en")``).
    headings : bool, default=False
        Count heading text too (by default only paragraphs, the body, count).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, term, count``; one row per non-zero cell, sorted by unit (in
        corpus order) then term. Units with no tokens do not appear.

    Notes
    -----
    Documents are read and tokenised one at a time (with a progress bar on long runs in
    a terminal); memory grows with the number of distinct (unit, term) pairs only.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "Win-win and win-win."), ("b", "Lock-in.")])
    >>> count_terms(c).values.tolist()
    [['a', 'and', 1], ['a', 'win-win', 2], ['b', 'lock-in', 1]]
    """
    lower, numbers, headings = check_bools("count_terms", lower=lower, numbers=numbers, headings=headings)
    units, terms, matrix = _count_matrix(corpus, by, lower, numbers, stopwords, headings, "count_terms")
    return DocumentTermMatrix(matrix=matrix, units=units, terms=terms).to_frame()


def document_term_matrix(
    corpus,
    *,
    by: str = "doc",
    lower: bool = True,
    numbers: bool = True,
    stopwords: Iterable[str] | None = None,
    headings: bool = False,
) -> DocumentTermMatrix:
    """Sparse ``units × terms`` count matrix of a corpus (see :func:`count_terms`).

    With ``by='doc'`` every document is a row (empty ones too); otherwise units with
    no counts are left out.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> dtm = document_term_matrix(load_corpus([("a", "win-win win-win"), ("b", "lock-in")]))
    >>> dtm.units, dtm.terms, dtm.matrix.toarray().tolist()
    (['a', 'b'], ['lock-in', 'win-win'], [[0, 2], [1, 0]])
    """
    lower, numbers, headings = check_bools("document_term_matrix", lower=lower, numbers=numbers, headings=headings)
    units, terms, matrix = _count_matrix(corpus, by, lower, numbers, stopwords, headings, "document_term_matrix")
    return DocumentTermMatrix(matrix=matrix, units=list(units), terms=list(terms))
