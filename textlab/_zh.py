"""Chinese primitives: word segmentation with offsets, language detection, stopwords.

This is the only module that imports jieba, and it does so lazily, inside functions,
so ``import textlab`` stays fast. jieba's global tokenizer (``jieba.dt``) is never
touched: every distinct set of user words gets its own private ``jieba.Tokenizer``,
built from a copy of one shared prefix dictionary.

Tokens
------
:func:`zh_token_spans` returns the character offsets of

* **Chinese words**: jieba segments the text in its default (accurate) mode, with
  textlab's domain dictionary (``textlab/data/userdict_zh.txt``: 鲁班工坊, 一带一路,
  人类命运共同体, ..., each also in Traditional characters: 魯班工坊, 一帶一路) and any
  ``user_words`` kept whole. jieba's own dictionary is mostly Simplified, so other
  words of Traditional text are cut less well: add the terms a study counts with
  ``user_words``. Its words that contain a Han
  ideograph (:data:`CJK_RE`) are tokens. A few dictionary words mix scripts (T恤,
  B超). Rare ideographs outside jieba's range (extensions A to H) are one token each;
* **other words**: runs of letters or digits in any other script, joined by internal
  hyphens or apostrophes (``SCO``, ``2025``, ``win-win``, ``Қазақстан``), the same rule
  as the English tokenizer; combining marks stay with the letter before them.

Whitespace, punctuation (ASCII and full-width), symbols and emoji are never tokens.

Pre-segmented text
------------------
A text whose Chinese is already written with spaces between words (the output of
another segmenter, a keyword list) is not re-segmented. The rule, applied to the
whole text passed in: let the *runs* be the maximal runs of Han ideographs. The text
is pre-segmented when it has at least six runs, at least 80 % of the gaps between
consecutive runs contain whitespace other than line breaks, and at least 80 % of the
runs are at most four characters long. Running Chinese prose fails the second or third
test (its runs are clauses between punctuation marks, mostly longer than four
characters); a segmented text passes both. A headline with a few spaced phrases
(``鲁班工坊 走进非洲 助力就业``) has too few runs, and a list of terms one per line has
no spaces between its runs, so both are segmented by jieba. Then each run of Han ideographs is one token. ``presegmented=True`` or
``False`` overrides the rule.

jieba's dictionary
------------------
The prefix dictionary is built from the ``dict.txt`` inside the jieba wheel once per
process (about 0.8 s) and kept in memory. jieba's on-disk cache (a file in the temp
directory) is not used, so nothing is written anywhere and a read-only or missing temp
directory does not matter.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from importlib import resources

import numpy as np

from .errors import DecodingError, ParameterError, check_bool

__all__ = [
    "CJK_RE",
    "ZH_SHARE_THRESHOLD",
    "detect_lang",
    "is_presegmented",
    "load_user_words",
    "zh_stopwords",
    "zh_token_spans",
]

# Han ideographs: ideographic iteration mark and number zero, extension A, the unified
# block, compatibility ideographs, and the supplementary planes (extensions B to H).
_HAN = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U000323af"
)
#: Maximal runs of Han ideographs (``CJK_RE.search(text)`` tells whether a text has any).
CJK_RE = re.compile(f"[{_HAN}]+")
_HAN_CHAR = re.compile(f"[{_HAN}]")

# A letter or digit that is not Han (as in the English tokenizer: no "_", no
# superscript or fraction digits such as citation markers).
_CHAR = rf"[^\W_{_HAN}\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f]"
# Joiners inside a word: hyphens and apostrophes, straight or typographic.
_JOIN = "['\u2019\\-\u2010\u2011\u2013]"
_LETTER_RE = re.compile(r"[^\W\d_]")

#: Share of Han ideographs among letters at or above which :func:`detect_lang` says "zh".
ZH_SHARE_THRESHOLD = 0.25

# Pre-segmented rule (see the module docstring).
_PRESEG_MIN_RUNS = 6
_PRESEG_GAP_SHARE = 0.8
_PRESEG_SHORT_SHARE = 0.8
_PRESEG_SHORT_LEN = 4

# Frequency given to every user word (package dictionary and ``user_words``), unless
# jieba's own dictionary gives the word more. jieba's dictionary totals ~6e7 and its
# most frequent word (的) has ~3.2e5: 1e5 makes a user word beat any split of it.
_USER_FREQ = 100_000
# Characters jieba can put inside one word in its default mode (jieba's re_han_default).
_JIEBA_WORD_RE = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+")
_JIEBA_HAN_RE = re.compile("[\u4e00-\u9fd5]")
_TAG_RE = re.compile("[A-Za-z_]+")

_LOCK = threading.RLock()
_TOKENIZER_CACHE_SIZE = 4


# ---------------------------------------------------------------------------
# Regular expressions that need the Unicode tables (built once, on first use)


@functools.cache
def _mark_class() -> str:
    """Character class body of all combining marks (categories Mn, Mc, Me)."""
    ranges: list[list[int]] = []
    # Marks live in planes 0 and 1 and in the variation selectors of plane 14.
    for cp in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


@functools.cache
def _word_re() -> re.Pattern:
    """Non-Han words: letters/digits with trailing marks, joined by hyphens/apostrophes."""
    run = rf"(?:{_CHAR}[{_mark_class()}]*)+"
    return re.compile(rf"{run}(?:{_JOIN}{run})*")


@functools.cache
def _marks_re() -> re.Pattern:
    return re.compile(f"[{_mark_class()}]+")


@functools.cache
def _preseg_re() -> re.Pattern:
    """Tokens of a pre-segmented text: a Han run (with trailing marks) or a word."""
    return re.compile(rf"[{_HAN}](?:[{_HAN}]|[{_mark_class()}])*|{_word_re().pattern}")


# ---------------------------------------------------------------------------
# Data files


@functools.cache
def zh_stopwords() -> frozenset[str]:
    """Chinese stopwords shipped with textlab (``textlab/data/stopwords_zh.txt``).

    Function words: particles, pronouns and demonstratives, prepositions,
    conjunctions, common adverbs and auxiliaries, classifiers and numerals. No
    punctuation (punctuation is never a token) and no content words of the domain.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> sw = zh_stopwords()
    >>> {"的", "了", "和", "是", "在"} <= sw, "鲁班工坊" in sw
    (True, False)
    """
    text = resources.files("textlab").joinpath("data/stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def load_user_words(source) -> tuple[str, ...]:
    """Read and validate user words for :func:`zh_token_spans`.

    Parameters
    ----------
    source : str, os.PathLike or iterable of str
        A path to a UTF-8 file in jieba's userdict format (one ``word [freq] [tag]``
        a line; blank lines and lines starting with ``#`` are skipped), or an iterable
        of lines of that form (usually bare words). ``freq`` and ``tag`` are accepted
        for compatibility with jieba userdict files and otherwise ignored: every user
        word is kept whole.

    Returns
    -------
    tuple of str
        The words, in order of first appearance, without duplicates.

    Raises
    ------
    ParameterError
        A line is malformed, or a word cannot be a jieba word: it must contain a Han
        character of the unified block (U+4E00..U+9FD5) and otherwise only such
        characters, ASCII letters, digits and ``+#&._%-``. The message names the file
        (or item) and the line.
    DecodingError
        The file is not UTF-8.

    Examples
    --------
    >>> load_user_words(["职教出海", "鲁班工坊 10 nz", "职教出海"])
    ('职教出海', '鲁班工坊')
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path, encoding="utf-8-sig") as fh:
                lines = fh.read().splitlines()
        except FileNotFoundError:
            raise ParameterError(f"User word file {path!r} does not exist.") from None
        except IsADirectoryError:
            raise ParameterError(f"User word file {path!r} is a directory.") from None
        except UnicodeDecodeError as err:
            raise DecodingError(f"User word file {path!r} is not UTF-8 ({err.reason} at byte {err.start}).") from None
        where = f"line {{}} of {path!r}"
    elif isinstance(source, Iterable) and not isinstance(source, (bytes, bytearray)):
        lines = list(source)
        where = "item {} of user_words"
    else:
        raise ParameterError(
            f"The 'user_words' parameter must be a path or an iterable of str; got {type(source).__name__}."
        )
    words = {}
    for number, line in enumerate(lines, start=1):
        if not isinstance(line, str):
            raise ParameterError(f"{where.format(number).capitalize()} must be a str; got {type(line).__name__}.")
        word = _parse_user_line(line, where.format(number))
        if word is not None:
            words.setdefault(word, None)
    return tuple(words)


def _parse_user_line(line: str, where: str) -> str | None:
    """The word of one userdict line, None for a blank or comment line; raise if bad."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    fields = stripped.split()
    word, rest = fields[0], fields[1:]
    problem = None
    if len(rest) > 2:
        problem = "has more than three fields (expected: word [freq] [tag])"
    elif len(rest) == 2 and not (rest[0].isascii() and rest[0].isdigit() and _TAG_RE.fullmatch(rest[1])):
        problem = "must be 'word freq tag' with freq a non-negative integer and tag letters"
    elif len(rest) == 1 and not (rest[0].isascii() and (rest[0].isdigit() or _TAG_RE.fullmatch(rest[0]))):
        problem = f"has a second field {rest[0]!r} that is neither a frequency nor a tag"
    elif not _JIEBA_WORD_RE.fullmatch(word):
        bad = "".join(sorted({c for c in word if not _JIEBA_WORD_RE.fullmatch(c)}))
        problem = f"has a word {word!r} with characters jieba cannot keep inside a word: {bad!r}"
    elif not _JIEBA_HAN_RE.search(word):
        problem = f"has a word {word!r} without a Chinese character (Latin and digit runs are tokens already)"
    if problem:
        raise ParameterError(f"{where.capitalize()} {problem}: {line!r}.")
    return word


@functools.cache
def _package_words() -> tuple[str, ...]:
    with resources.as_file(resources.files("textlab").joinpath("data/userdict_zh.txt")) as path:
        return load_user_words(path)


# ---------------------------------------------------------------------------
# jieba tokenizers


@functools.cache
def _prefix_dict() -> tuple[dict, int]:
    """jieba's prefix dictionary (word -> freq) and total, built once from its wheel."""
    import jieba

    base = jieba.Tokenizer()
    freq, total = base.gen_pfdict(base.get_dict_file())
    return freq, total


def _normalise_user_words(user_words) -> tuple[str, ...]:
    if user_words is None:
        return ()
    if isinstance(user_words, tuple) and all(isinstance(w, str) for w in user_words):
        return _validated_tuple(user_words)
    return tuple(sorted(set(load_user_words(user_words))))


@functools.lru_cache(maxsize=64)
def _validated_tuple(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(load_user_words(words))))


def _tokenizer(extra: tuple[str, ...]):
    """A private jieba.Tokenizer with the package words and ``extra`` (sorted, unique).

    Built under a lock, so threads starting together (e.g. a threaded Dask scheduler)
    build the dictionary once rather than once each.
    """
    with _LOCK:
        return _build_tokenizer(extra)


@functools.lru_cache(maxsize=_TOKENIZER_CACHE_SIZE)
def _build_tokenizer(extra: tuple[str, ...]):
    import jieba

    freq, total = _prefix_dict()
    tok = jieba.Tokenizer()
    tok.FREQ = dict(freq)  # jieba's add_word writes into FREQ: each tokenizer has its own
    tok.total = total
    tok.initialized = True  # the dictionary is in place; jieba must not load its own
    for word in (*_package_words(), *extra):
        tok.add_word(word, freq=max(_USER_FREQ, tok.FREQ.get(word) or 0))
    return tok


# ---------------------------------------------------------------------------
# Segmentation


def is_presegmented(text: str) -> bool:
    """Whether the Chinese in ``text`` is already segmented with spaces.

    True when ``text`` has at least six runs of Han ideographs, at least 80 % of the
    gaps between consecutive runs contain whitespace other than line breaks, and at
    least 80 % of the runs are at most four characters long.

    Examples
    --------
    >>> is_presegmented("我们 在 中亚 建设 鲁班工坊 ， 培养 技术 人才 。")
    True
    >>> is_presegmented("我们在中亚建设鲁班工坊，培养技术人才。")
    False
    >>> is_presegmented("鲁班工坊 走进非洲 助力就业")  # a headline: three runs
    False
    """
    runs = [m.span() for m in CJK_RE.finditer(text)]
    if len(runs) < _PRESEG_MIN_RUNS:
        return False
    short = sum(e - s <= _PRESEG_SHORT_LEN for s, e in runs)
    if short < _PRESEG_SHORT_SHARE * len(runs):
        return False
    spaced = sum(_has_space(text[e:s2]) for (_, e), (s2, _) in zip(runs, runs[1:]))
    return spaced >= _PRESEG_GAP_SHARE * (len(runs) - 1)


def _has_space(gap: str) -> bool:
    """Whether ``gap`` holds whitespace that separates words on a line (line breaks
    separate lines: headings, list items)."""
    return any(c.isspace() and c not in _LINE_BREAKS for c in gap)


_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines splits at


def zh_token_spans(text: str, user_words=None, hmm: bool = True, *, presegmented: bool | None = None):
    """Start and end offsets of the words of a Chinese (or mixed) text.

    Parameters
    ----------
    text : str
        Any text. Offsets are indices into ``text`` (code points, as Python counts).
    user_words : path, iterable of str or None, default=None
        Extra words to keep whole, on top of textlab's domain dictionary; anything
        :func:`load_user_words` accepts. To avoid re-reading a file for every
        document, pass ``load_user_words(path)`` (a tuple).
    hmm : bool, default=True
        Let jieba join characters that are not in its dictionary into new words with
        its hidden Markov model (names, neologisms).
    presegmented : bool or None, default=None
        Whether the Chinese is already segmented with spaces; None decides by the rule
        of :func:`is_presegmented`. When True, each run of Han ideographs is one token.

    Returns
    -------
    starts, ends : numpy.ndarray of int64
        Sorted, non-overlapping spans; ``text[s:e]`` is a token, never empty, never
        whitespace or punctuation. The same input always gives the same spans.

    Examples
    --------
    >>> text = "鲁班工坊是“一带一路”框架下的SCO合作品牌。"
    >>> s, e = zh_token_spans(text)
    >>> [text[a:b] for a, b in zip(s, e)]
    ['鲁班工坊', '是', '一带一路', '框架', '下', '的', 'SCO', '合作', '品牌']
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of zh_token_spans must be a str; got {type(text).__name__}.")
    hmm = check_bool(hmm, name="hmm", func="zh_token_spans")
    if presegmented is not None and not isinstance(presegmented, bool):
        raise ParameterError(
            f"The 'presegmented' parameter of zh_token_spans must be True, False or None; got {presegmented!r}."
        )
    extra = _normalise_user_words(user_words)
    if presegmented is None:
        presegmented = is_presegmented(text)
    if presegmented:
        spans = [m.span() for m in _preseg_re().finditer(text)]
        arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
        return np.ascontiguousarray(arr[:, 0]), np.ascontiguousarray(arr[:, 1])
    if not CJK_RE.search(text):
        starts, ends = [], []
        _other_words(text, 0, len(text), starts, ends)
    else:
        starts, ends = _jieba_spans(text, _tokenizer(extra), hmm)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _jieba_spans(text: str, tok, hmm: bool) -> tuple[list[int], list[int]]:
    """Keep jieba's words that contain a Han character; re-tokenise the stretches between."""
    starts: list[int] = []
    ends: list[int] = []
    has_han = _HAN_CHAR.search
    pos = 0  # where the current jieba word starts
    pending = 0  # start of the stretch not yet covered by a kept word
    for word in tok.cut(text, HMM=hmm):
        end = pos + len(word)
        if "\u4e00" <= word[0] <= "\u9fff" or has_han(word):
            if pending < pos:
                _other_words(text, pending, pos, starts, ends)
            starts.append(pos)
            ends.append(end)
            pending = end
        pos = end
    if pending < len(text):
        _other_words(text, pending, len(text), starts, ends)
    return starts, ends


def _other_words(text: str, a: int, b: int, starts: list, ends: list) -> None:
    """Append the non-Han words of ``text[a:b]``; marks at ``a`` extend the previous token."""
    if ends and ends[-1] == a:
        m = _marks_re().match(text, a, b)
        if m:
            ends[-1] = a = m.end()
    for m in _word_re().finditer(text, a, b):
        starts.append(m.start())
        ends.append(m.end())


# ---------------------------------------------------------------------------
# Language


def detect_lang(text: str) -> str:
    """Guess whether a text is Chinese ("zh") or English ("en").

    The share of Han ideographs among all letters (characters that are letters in any
    script; digits, punctuation and whitespace do not count) decides: ``"zh"`` when it
    is at least :data:`ZH_SHARE_THRESHOLD` (0.25), else ``"en"``. At 0.25 a text has
    roughly as many Chinese words as English ones (a Chinese word averages under two
    characters, an English word five or six letters), so Chinese prose with English
    names and references is "zh", and English prose quoting Chinese terms is "en".
    A text without letters (empty, only digits or punctuation) is "en", textlab's
    default language.

    Examples
    --------
    >>> detect_lang("鲁班工坊（Luban Workshop）是职业教育合作的品牌。")
    'zh'
    >>> detect_lang("The Luban Workshop (鲁班工坊) is a vocational brand.")
    'en'
    >>> detect_lang("")
    'en'
    """
    if not isinstance(text, str):
        raise ParameterError(f"The 'text' parameter of detect_lang must be a str; got {type(text).__name__}.")
    if text.isascii() or not _HAN_CHAR.search(text):  # no Han at all: the cheap, common case
        return "en"
    letters = _LETTER_RE.subn("", text)[1]
    if not letters:
        return "en"
    han = _HAN_CHAR.subn("", text)[1]
    return "zh" if han >= ZH_SHARE_THRESHOLD * letters else "en"
