"""The one pattern-matching vocabulary of textlab (KWIC, frames, codebooks).

Three kinds of pattern, chosen with ``match=``:

``'glob'`` (the default)
    Whitespace separates the tokens of a phrase. Inside a token ``*`` matches any run of
    characters (also none) and ``?`` exactly one character; a token that is exactly ``*``
    matches any one token (``sense of * attainment``). Globs match whole tokens, so
    ``depend*`` does not match "interdependence", and hyphenated compounds are single
    tokens (``win-win``, ``co-construct*``). Only ``*`` and ``?`` are special: ``[`` and
    ``]`` are literal. A glob token must look like one token of
    :data:`textlab.tokenize.TOKEN_PATTERN` (letters or digits joined by ``-`` or ``'``),
    otherwise it could never match and :class:`PatternError` is raised. A part in Han
    characters matches both as one token (how English text and pre-segmented Chinese
    keep it) and cut into jieba's words (how Chinese documents are tokenised): ``技术依赖``
    finds 技术 依赖 as two words side by side and 技术依赖 as one token.
``'phrase'``
    Like ``'glob'`` with every character literal.
``'regex'``
    A Python regular expression, searched in the normalised text of each segment
    separately (character level; zero-length matches are dropped).

In a codebook a pattern string that starts with ``re:`` is a regular expression and
anything else a glob phrase (:func:`codebook_pattern`).

**What is compared.** Matching uses the normalised view of the cleaned text
(:meth:`textlab.Corpus.norm`: curly quotes become straight, an en dash between words a
hyphen; same length, so offsets are exact). With ``case_sensitive=False`` (the default)
globs and phrases compare lower-cased forms (:func:`textlab.tokenize.lower_preserving`,
which turns ``İ`` into ``i`` (not the two characters of ``str.lower``) and folds Greek
final sigma ``ς`` to ``σ`` and the few other one-letter case folds such as ``µ`` to ``μ``,
as ``re.IGNORECASE`` compares them, in patterns and texts alike, so ``οδος`` and ``ΟΔΟΣ`` match
each other and a word's form does not depend on the rest of its document), and regular
expressions are compiled with ``re.IGNORECASE`` over the normalised, not lower-cased,
view. Glob and phrase tokens are compared in Unicode NFC, so a precomposed ``é`` in a
pattern matches a decomposed ``e`` + combining accent in the text; regular expressions
see the text as it is.

**Where a match may lie.** The tokens of a phrase must be consecutive tokens of one
segment (a body paragraph, or a piece of a long one; headings only with
``headings=True``) with nothing but whitespace between them, so ``shared future`` does
not match "shared. Future". No match crosses a segment or document boundary.

**Results.** :func:`find_matches` returns one row per match: ``doc_id, segment_id,
start, end, pattern`` where ``corpus.text(doc_id)[start:end]`` is the matched text in its
original casing and ``pattern`` is the pattern as given. Several patterns may match the
same span; each gives a row.

**How it runs.** Patterns are compiled against the corpus index
(:meth:`textlab.Corpus.index`): each glob token is expanded once to the set of
vocabulary entries it matches (binary search for literal and prefix globs, one regex scan
of the joined vocabulary otherwise), occurrences come from an inverted index (token
positions sorted by vocabulary entry), and phrases are checked with numpy on the token-id
arrays, starting from their rarest token. A regular expression is searched only in the
segments that can hold a match: the literal words every match must contain (``depend`` and
``on`` in ``\\bdepends?\\s+on\\b``) are looked up, case-folded as ``re.IGNORECASE`` folds
them, in the vocabulary, and segments without a token containing them are skipped.
Expressions without such words run once over long chunks of concatenated text, and the few
segments where a match crosses a segment edge are searched again on their own;
expressions with anchors (``^``, ``$``, ``\\A``, ``\\Z``) or look-arounds are always searched
segment by segment. The result always equals a separate search of each segment (the tests
compare with such a plain reference).

**Unsafe regular expressions.** A cheap static check rejects two shapes. Nested
quantifiers, where a repetition that is unbounded (or allows more than 16 repeats)
contains another variable repetition, such as ``(a+)+``, ``(.*)*`` or ``(\\w+\\s?)*``,
can take exponential time. Variable repeats of character classes that share a character,
side by side inside any repetition (``(?:[\\w-]+\\W+){0,4}``: ``-`` is in both, so a run of
dashes splits in as many ways as it is long, per step) or three in a row
(``\\w*\\w*\\w*z``), take time of a high power of the text length: the first took
minutes on one table in the benchmark corpus. Bounded forms with disjoint classes, such
as ``(?:\\s+\\w+){0,4}`` or ``(?:\\w+(?:-\\w+){0,3}\\W+){0,4}``, and possessive repeats
(``[\\w-]++``) are accepted. Alternations with overlapping branches under a repeat
(``(a|aa)+``) are *not* detected; Python's ``re`` has no time limit, so keep user
expressions simple.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .clean import normalise
from .corpus import Corpus
from .errors import NoMatchWarning, ParameterError, PatternError, check_bool, check_choice, outside_stacklevel
from .index import _build_postings
from .tokenize import TOKEN_PATTERN, lower_preserving

__all__ = [
    "MATCH_TYPES",
    "MATCH_COLUMNS",
    "REGEX_PREFIX",
    "Pattern",
    "compile_pattern",
    "codebook_pattern",
    "find_matches",
]

MATCH_TYPES = ("glob", "phrase", "regex")
MATCH_COLUMNS = ["doc_id", "segment_id", "start", "end", "pattern"]
REGEX_PREFIX = "re:"

# Shared parameter documentation, pasted into the docstrings of every verb that matches.
MATCH_PARAMETERS = """\
    match : {'glob', 'phrase', 'regex'}, default='glob'
        How a pattern is read (see :mod:`textlab.patterns`): ``'glob'`` -- whitespace
        separates tokens, ``*`` matches any characters and ``?`` one character inside a
        token, a token that is exactly ``*`` matches any one token; ``'phrase'`` --
        tokens taken literally; ``'regex'`` -- a Python regular expression over the
        normalised text of each segment.
    case_sensitive : bool, default=False
        Compare case. Otherwise globs and phrases compare lower-cased normalised forms
        and regular expressions are compiled with ``re.IGNORECASE``."""

_TOKEN_RE = re.compile(TOKEN_PATTERN)
_SHIFT = np.int64(1) << np.int64(40)  # doc number * _SHIFT + offset: a corpus-wide sort key
_CHUNK_CHARS = 4_000_000  # regexes run over chunks of concatenated documents of about this size
_DOC_SEPARATOR = "\n"
_LARGE_REPEAT = 16
_SCAN_SHARE = 0.5  # search candidate segments one by one unless more than this share of all
_GATHER_PER_SEGMENT = 200  # token occurrences worth gathering to rule out one segment
_FEW_RANGES = 8


def _with_match_parameters(func):
    func.__doc__ = func.__doc__.replace("{MATCH_PARAMETERS}", MATCH_PARAMETERS)
    return func


# ---------------------------------------------------------------------------------------
# Compiling patterns


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern (see :func:`compile_pattern`).

    Attributes
    ----------
    source : str
        The pattern as given; it fills the ``pattern`` column of results.
    match : {'glob', 'phrase', 'regex'}
    case_sensitive : bool
    tokens : tuple
        Glob and phrase: the comparison form of each token (normalised, NFC, lower-cased
        unless case-sensitive); ``None`` stands for "any one token". Empty for regexes.
    regex : re.Pattern or None
        The compiled regular expression (``match='regex'``).
    context_free : bool
        True when the regex has no anchors or look-arounds, so it can be searched in
        long chunks of text (see the module notes).
    uses_boundary : bool
        True when the regex uses ``\\b`` or ``\\B``.
    required : tuple of tuple of str
        Regex only: literal words that every match contains, case-folded (see
        :func:`_canonical`); each inner tuple lists alternatives, one of which occurs.
        Used to search only the segments whose tokens contain them.
    variants : tuple of tuple
        Glob and phrase: other token sequences that count as this pattern, matched like
        ``tokens``. A part in Han characters without wildcards is matched both as written
        (one token, as the English tokenizer and pre-segmented text keep it) and cut into
        jieba's words (as Chinese documents are tokenised): ``技术依赖`` has the variant
        ``('技术', '依赖')``. Empty when the two are the same.
    """

    source: str
    match: str
    case_sensitive: bool = False
    tokens: tuple = ()
    regex: re.Pattern | None = None
    context_free: bool = True
    uses_boundary: bool = False
    required: tuple = ()
    variants: tuple = ()


def _comparison_form(text: str, case_sensitive: bool) -> str:
    text = normalise(text)
    if not case_sensitive:
        text = lower_preserving(text)
    return unicodedata.normalize("NFC", text)


def _regex_structure(pattern: str, flags: int):
    """Walk the parsed regex: (unsafe nested quantifier?, context-free?, uses \\b?, required literals)."""
    try:
        from re import _constants as C
        from re import _parser
    except ImportError:  # pragma: no cover - other Python versions
        return False, False, True, ()
    tree = _parser.parse(pattern, flags)
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT)
    variable_repeats = repeats + ((C.POSSESSIVE_REPEAT,) if hasattr(C, "POSSESSIVE_REPEAT") else ())
    atomic = getattr(C, "ATOMIC_GROUP", None)
    state = {"unsafe": False, "context": False, "boundary": False}

    def children(op, av):
        if op in variable_repeats:
            return [av[2]]
        if op is C.SUBPATTERN:
            return [av[-1]]
        if op is C.BRANCH:
            return list(av[1])
        if op in (C.ASSERT, C.ASSERT_NOT):
            return [av[1]]
        if atomic is not None and op is atomic:
            return [av]
        if op is C.GROUPREF_EXISTS:
            return [p for p in av[1:] if p is not None]
        return []

    def has_variable_repeat(sub) -> bool:
        for op, av in sub:
            if op in variable_repeats and av[1] != av[0]:
                return True
            if any(has_variable_repeat(c) for c in children(op, av)):
                return True
        return False

    def chars(item):
        """The sample characters a variable repeat of one character class matches (None if it is not one)."""
        op, av = item
        if op not in repeats or av[0] == av[1] or len(av[2]) != 1:
            return None
        return _sample_chars(av[2][0], flags, C)

    def ambiguous(seq, wrap: bool) -> bool:
        # Two variable character repeats side by side that share a character (as in
        # [\w-]+\W+, sharing '-') split a run of that character in as many ways as it is
        # long; repeated, the splits multiply (polynomial of high degree, as bad as
        # exponential on a table of dashes). ``wrap``: the sequence repeats, so its last
        # item also stands beside its first.
        sets = [chars(item) for item in seq]
        pairs = list(zip(sets, sets[1:])) + ([(sets[-1], sets[0])] if wrap and len(sets) > 1 else [])
        return any(a is not None and b is not None and a & b for a, b in pairs)

    def walk(sub):
        sets = [chars(item) for item in sub]
        for k in range(len(sets) - 2):  # three or more overlapping ones in a row: \w*\w*\w*z
            if all(x is not None for x in sets[k : k + 3]) and sets[k] & sets[k + 1] and sets[k + 1] & sets[k + 2]:
                state["unsafe"] = "shared"
        for op, av in sub:
            if op in repeats:
                large = av[1] is C.MAXREPEAT or av[1] > _LARGE_REPEAT
                if large and has_variable_repeat(av[2]):
                    state["unsafe"] = "nested"
                body = av[2]
                while len(body) == 1 and body[0][0] is C.SUBPATTERN:
                    body = body[0][1][-1]
                if (av[1] is C.MAXREPEAT or av[1] > 1) and ambiguous(list(body), wrap=True):
                    state["unsafe"] = "shared"
            elif op is C.AT:
                if av in (C.AT_BOUNDARY, C.AT_NON_BOUNDARY):
                    state["boundary"] = True
                else:
                    state["context"] = True
            elif op in (C.ASSERT, C.ASSERT_NOT):
                state["context"] = True
            for c in children(op, av):
                walk(c)

    def required(sub) -> list[tuple[str, ...]]:
        # Literal words that every match of ``sub`` contains: runs of LITERAL nodes in the
        # sequence, in groups and in repeats done at least once; a branch counts when each
        # alternative has one.
        out, run = [], []

        def flush():
            out.extend((w,) for w in _token_pieces("".join(run)))
            run.clear()

        for op, av in sub:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            flush()
            if op is C.SUBPATTERN:
                out.extend(required(av[-1]))
            elif op in variable_repeats and av[0] >= 1:
                out.extend(required(av[2]))
            elif atomic is not None and op is atomic:
                out.extend(required(av))
            elif op is C.BRANCH:
                best = [max(required(alt), key=lambda r: min(map(len, r)), default=None) for alt in av[1]]
                if all(b is not None for b in best):
                    out.append(tuple(dict.fromkeys(w for b in best for w in b)))
        flush()
        return out

    walk(tree)
    return state["unsafe"], not state["context"], state["boundary"], tuple(required(tree))


_SAMPLE = "".join(map(chr, range(256))) + "\u0130\u0131\u017f\u2013\u2019\u2028\u3000\u4e2d\u00e9"


def _sample_chars(node, flags: int, C) -> frozenset | None:
    """The characters of :data:`_SAMPLE` that one character node (literal, class, ``.``)
    of a parsed regex matches; None for any other node."""
    op, av = node
    fold = flags & re.IGNORECASE
    if op in (C.LITERAL, C.NOT_LITERAL):
        target = chr(av)
        same = {c for c in _SAMPLE if c == target or (fold and c.lower() == target.lower())}
        return frozenset(same if op is C.LITERAL else set(_SAMPLE) - same)
    if op is C.ANY:
        return frozenset(_SAMPLE if flags & re.DOTALL else _SAMPLE.replace("\n", ""))
    if op is C.CATEGORY:
        return _sample_chars((C.IN, [node]), flags, C)
    if op is not C.IN:
        return None
    negate, found = False, set()
    for item_op, item_av in av:
        if item_op is C.NEGATE:
            negate = True
        elif item_op is C.RANGE:
            lo, hi = item_av
            forms = (lambda c: (c, c.lower(), c.upper())) if fold else (lambda c: (c,))
            found |= {c for c in _SAMPLE if any(len(x) == 1 and lo <= ord(x) <= hi for x in forms(c))}
        elif item_op is C.LITERAL:
            found |= _sample_chars((C.LITERAL, item_av), flags, C)
        elif item_op is C.CATEGORY:
            found |= _CATEGORY_SAMPLES[str(item_av)]
        else:  # pragma: no cover - no other items occur in a class
            return None
    return frozenset(set(_SAMPLE) - found if negate else found)


_CATEGORY_SAMPLES = {
    f"CATEGORY_{negated}{name}": frozenset(c for c in _SAMPLE if bool(re.match(rx, c)) != bool(negated))
    for name, rx in (("WORD", r"\w"), ("DIGIT", r"\d"), ("SPACE", r"\s"))
    for negated in ("", "NOT_")
}


class _CaseFolding(dict):
    """``str.translate`` table: each character -> the representative of its class under
    ``re.IGNORECASE`` (the simple lower case of ``_sre``, joined with the extra equivalences
    of ``re._casefix``, e.g. s/ſ, σ/ς). Two characters match each other case-insensitively
    in ``re`` exactly when they fold to the same representative."""

    def __missing__(self, code: int) -> int:
        import _sre
        from re import _casefix

        low = _sre.unicode_tolower(code)
        self[code] = rep = min((low, *_casefix._EXTRA_CASES.get(low, ())))
        return rep


_FOLD = _CaseFolding()


def _canonical(text: str) -> str:
    """Fold ``text`` character by character (same length) for case-insensitive comparison."""
    return text.translate(_FOLD)


def _token_pieces(literal: str) -> list[str]:
    """Maximal runs of token characters in a literal, folded: each occurrence of such a run
    in a text lies inside one token (runs of letters and digits are never split)."""
    pieces, current = [], []
    for ch in literal + "\0":
        if _TOKEN_RE.fullmatch(ch):
            current.append(ch)
        elif current:
            pieces.append(_canonical("".join(current)))
            current = []
    return pieces


_UNSAFE = {
    "nested": "a repetition contains another variable repetition (nested quantifiers such as (a+)+ or (.*)* "
              "can take exponential time); bound the outer repeat (e.g. {0,5}) or rewrite it.",
    "shared": "variable repeats of classes that share a character stand side by side inside a repetition, or "
              "three in a row (such as (?:[\\w-]+\\W+){0,4}, where '-' is in both, or \\w*\\w*\\w*), which can "
              "take time of a high power of the text length; make the classes disjoint (e.g. "
              "(?:\\w+(?:-\\w+){0,3}\\W+){0,4}) or use a possessive repeat (e.g. [\\w-]++).",
}


def _compile_regex(source: str, body: str, case_sensitive: bool) -> Pattern:
    if body == "":
        raise PatternError(f"Empty regular expression {source!r}: it would match everywhere.")
    flags = 0 if case_sensitive else re.IGNORECASE
    try:
        rx = re.compile(body, flags)
    except re.error as err:
        raise PatternError(f"Invalid regular expression {source!r}: {err}.") from None
    unsafe, context_free, boundary, required = _regex_structure(body, flags)
    if unsafe:
        raise PatternError(f"Unsafe regular expression {source!r}: {_UNSAFE[unsafe]}")
    return Pattern(source, "regex", case_sensitive, (), rx, context_free, boundary, required)


def _compile_tokens(source: str, match: str, case_sensitive: bool) -> Pattern:
    parts = source.split()
    if not parts:
        raise PatternError(f"Empty pattern {source!r}: give at least one token.")
    tokens = []
    for part in parts:
        if match == "glob" and part == "*":
            tokens.append(None)
            continue
        probe = normalise(part.replace("*", "a").replace("?", "a") if match == "glob" else part)
        if not _TOKEN_RE.fullmatch(probe):
            raise PatternError(
                f"Pattern {source!r} can never match: {part!r} is not one token (tokens are letters or digits "
                f"joined by '-' or \"'\"; whitespace separates the tokens of a phrase). Use match='regex' to "
                f"match punctuation."
            )
        tokens.append(_comparison_form(part, case_sensitive))
    split = _han_words(parts, match)
    variants = () if split == parts else (tuple(_comparison_form(w, case_sensitive) for w in split),)
    return Pattern(source, match, case_sensitive, tuple(tokens), variants=variants)


def _han_words(parts: list[str], match: str) -> list[str]:
    """``parts`` with each part in Han characters cut into jieba's words, as Chinese
    documents are tokenised (parts with a wildcard, or that jieba would not cut into
    words alone, stay as written)."""
    from ._zh import CJK_RE, zh_token_spans

    if not any(CJK_RE.search(part) for part in parts):
        return parts
    out = []
    for part in parts:
        if CJK_RE.search(part) and not (match == "glob" and ("*" in part or "?" in part)):
            starts, ends = zh_token_spans(part, presegmented=False)
            words = [part[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
            if "".join(words) == part:
                out.extend(words)
                continue
        out.append(part)
    return out


def compile_pattern(pattern: str, *, match: str = "glob", case_sensitive: bool = False) -> Pattern:
    """Check and compile one pattern.

    Parameters
    ----------
    pattern : str
        A glob phrase, a literal phrase or a regular expression.
    match : {'glob', 'phrase', 'regex'}, default='glob'
        How ``pattern`` is read (see the module notes).
    case_sensitive : bool, default=False
        Compare case.

    Returns
    -------
    Pattern

    Raises
    ------
    PatternError
        Empty, invalid or unsafe patterns, and glob tokens that can never match a token;
        the message names the pattern.

    Examples
    --------
    >>> compile_pattern("Sense of * attainment").tokens
    ('sense', 'of', None, 'attainment')
    >>> compile_pattern("(a+)+", match="regex")
    Traceback (most recent call last):
    ...
    textlab.errors.PatternError: Unsafe regular expression '(a+)+': a repetition contains ...
    """
    check_choice(match, MATCH_TYPES, name="match", func="compile_pattern")
    if not isinstance(pattern, str):
        raise ParameterError(f"The 'pattern' parameter of compile_pattern must be a str; got {type(pattern).__name__}.")
    case_sensitive = check_bool(case_sensitive, name="case_sensitive", func="compile_pattern")
    if match == "regex":
        return _compile_regex(pattern, pattern, case_sensitive)
    return _compile_tokens(pattern, match, case_sensitive)


def codebook_pattern(pattern: str, *, case_sensitive: bool = False) -> Pattern:
    """Compile a codebook pattern: ``re:`` + a regular expression, or else a glob phrase.

    Parameters
    ----------
    pattern : str
        The pattern as written in the codebook; it stays the ``source`` of the result.
    case_sensitive : bool, default=False
        Compare case.

    Returns
    -------
    Pattern

    Raises
    ------
    PatternError
        As :func:`compile_pattern`.

    Examples
    --------
    >>> codebook_pattern(r"re:\\bdepends?\\s+on\\b").match, codebook_pattern("lock-in").match
    ('regex', 'glob')
    """
    if not isinstance(pattern, str):
        raise PatternError(f"Pattern {pattern!r} is not a string.")
    if pattern.startswith(REGEX_PREFIX):
        return _compile_regex(pattern, pattern[len(REGEX_PREFIX):], case_sensitive)
    return _compile_tokens(pattern, "glob", case_sensitive)


def _check_corpus(corpus, func: str) -> None:
    if not isinstance(corpus, Corpus):
        raise ParameterError(f"The 'corpus' parameter of {func} must be a textlab Corpus; got {type(corpus).__name__}.")


def _as_patterns(patterns, *, match: str, case_sensitive: bool, func: str) -> list[Pattern]:
    case_sensitive = check_bool(case_sensitive, name="case_sensitive", func=func)
    if isinstance(patterns, (str, Pattern)):
        patterns = [patterns]
    elif isinstance(patterns, (bytes, bytearray)) or not isinstance(patterns, Iterable):
        raise ParameterError(
            f"The 'pattern' parameter of {func} must be a str or a list of str; got {type(patterns).__name__}."
        )
    out = []
    for p in patterns:
        if isinstance(p, Pattern):
            out.append(p)
        elif isinstance(p, str):
            out.append(compile_pattern(p, match=match, case_sensitive=case_sensitive))
        else:
            raise ParameterError(
                f"The 'pattern' parameter of {func} must be a str or a list of str; got an item {p!r}."
            )
    if not out:
        raise ParameterError(f"The 'pattern' parameter of {func} must name at least one pattern; got an empty list.")
    return out


# ---------------------------------------------------------------------------------------
# Per-index data, built lazily and cached while the index lives


class _Vocabulary:
    """Comparison keys of the vocabulary with an inverted index of token positions."""

    def __init__(self, key_strings: np.ndarray, key_of_position: np.ndarray, identity: bool = False, postings=None):
        self.keys = key_strings  # sorted unique comparison forms (object array)
        self.key_of_position = key_of_position  # int32 or int64, one per token
        self.identity = identity  # keys are the forms themselves (key = vocabulary id)
        self.postings, self.bounds = _build_postings(key_of_position, len(key_strings)) if postings is None else postings
        self._joined = None

    def _line_starts(self):
        if self._joined is None:
            joined = "\n".join(self.keys.tolist())
            lengths = np.fromiter((len(k) + 1 for k in self.keys.tolist()), np.int64, len(self.keys))
            self._joined = (joined, np.concatenate([[0], np.cumsum(lengths)[:-1]]))
        return self._joined

    def _search(self, text: str, side: str = "left") -> int:
        return int(np.searchsorted(self.keys, text, side=side))

    def ranges(self, token: str | None) -> list[tuple[int, int]]:
        """Key-index ranges ``[lo, hi)`` matched by one glob token (None = every key)."""
        n = len(self.keys)
        if token is None:
            return [(0, n)] if n else []
        cut = min((token.find(c) for c in "*?" if c in token), default=-1)
        if cut < 0:
            i = self._search(token)
            return [(i, i + 1)] if i < n and self.keys[i] == token else []
        prefix = token[:cut]
        lo, hi = 0, n
        if prefix:
            lo = self._search(prefix)
            hi = self._search(prefix[:-1] + chr(ord(prefix[-1]) + 1)) if ord(prefix[-1]) < 0x10FFFF else n
        if token == prefix + "*" or lo >= hi:
            return [(lo, hi)] if lo < hi else []
        body = "".join("[^\n]*" if c == "*" else "[^\n]" if c == "?" else re.escape(c) for c in token)
        rx = re.compile(f"^{body}$", re.MULTILINE)
        if hi - lo <= 256:
            hits = [lo + j for j, k in enumerate(self.keys[lo:hi].tolist()) if rx.match(k)]
        else:
            joined, starts = self._line_starts()
            end = int(starts[hi]) - 1 if hi < n else len(joined)
            found = np.fromiter((m.start() for m in rx.finditer(joined, int(starts[lo]), end)), np.int64)
            hits = (np.searchsorted(starts, found, side="right") - 1).tolist()
        return _runs(hits)

    def count(self, ranges) -> int:
        return int(sum(self.bounds[hi] - self.bounds[lo] for lo, hi in ranges))

    def positions(self, ranges) -> np.ndarray:
        """Token positions of the keys in ``ranges``: ascending within each key, not overall
        (whoever needs the matches in order sorts them once, after matching)."""
        parts = [self.postings[self.bounds[lo] : self.bounds[hi]] for lo, hi in ranges]
        if not parts:
            return np.zeros(0, np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def member(self, positions: np.ndarray, ranges) -> np.ndarray:
        keys = self.key_of_position[positions]
        if len(ranges) <= _FEW_RANGES:
            ok = np.zeros(len(positions), bool)
            for lo, hi in ranges:
                ok |= (keys >= lo) & (keys < hi)
            return ok
        mask = np.zeros(len(self.keys), bool)
        for lo, hi in ranges:
            mask[lo:hi] = True
        return mask[keys]


def _gather(postings: np.ndarray, bounds: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions of all ids (concatenated postings, vectorised)."""
    starts = bounds[ids]
    lengths = bounds[ids + 1] - starts
    return postings[np.repeat(starts, lengths) + _ragged_arange(lengths)]


def _ragged_arange(lengths: np.ndarray) -> np.ndarray:
    """``0 .. n-1`` for each ``n`` in ``lengths``, concatenated."""
    return np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _runs(sorted_ids) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in sorted_ids:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _vocabulary_from_forms(forms: np.ndarray, form_of_position: np.ndarray, postings=None) -> _Vocabulary:
    """``forms`` are sorted and unique; their NFC forms become the comparison keys.

    ``postings``, the inverted index of ``form_of_position`` if at hand, serves as is
    when the forms are their own keys (as does ``form_of_position``: no copy of either).
    """
    values = forms.tolist()
    identity = all(unicodedata.is_normalized("NFC", v) for v in values)
    if identity:
        return _Vocabulary(np.asarray(forms, dtype=object), form_of_position, True, postings)
    nfc = np.array([unicodedata.normalize("NFC", v) for v in values], dtype=object)
    keys, key_of_form = np.unique(nfc, return_inverse=True)
    # int32 like the index's term ids (fewer keys than forms): half the memory of int64
    key_of_position = np.asarray(key_of_form, np.int32).ravel()[form_of_position]
    order, bounds = _build_postings(key_of_position, len(keys))
    return _Vocabulary(np.asarray(keys, dtype=object), key_of_position, postings=(order.astype(np.int32), bounds))


def _object_array(items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


class _IndexData:
    """Arrays derived from one CorpusIndex (and its corpus), computed when first needed."""

    def __init__(self, corpus, index):
        from .index import segment_bounds

        self.n_docs = len(index.doc_ids)
        self.seg_doc = index.segment_docs.astype(np.int64)
        self.seg_start, self.seg_end = segment_bounds(corpus, index)
        self.seg_index = index.segment_index  # int32 per token, the index's own array (per match: int64)
        self.n_tokens = len(index.term_ids)
        self._starts, self._ends = index.starts, index.ends  # not the index: it is this cache's weak key
        self._vocab: dict[bool, _Vocabulary] = {}
        self._gap = None
        self._chunks = None
        self._bad_edges = None
        self._by_id = None
        self._folded = None
        self._containing: dict[str, np.ndarray] = {}
        # the cleaned texts (offsets refer to them) and the ids as object arrays, so that
        # per-match lookups are one fancy index
        self.texts = _object_array([corpus.text(d) for d in index.doc_ids])
        self.doc_id_array = _object_array(index.doc_ids)
        self.doc_lang = _object_array([corpus.lang(d) for d in index.doc_ids])
        english = self.doc_lang == "en"
        self.unindexed = np.flatnonzero(~english[self.seg_doc]) if self.n_docs else np.zeros(0, np.int64)

    @cached_property
    def norms(self) -> list[str]:
        """The matching view of each text (regexes, gaps, original-case forms): built when
        first needed, as glob and phrase matching never read the text."""
        from .tokenize import _normalise

        return [_normalise(t) for t in self.texts]  # the same object for a text it would not change

    # Sort keys of every token's start and end: (document row) * _SHIFT + offset. Built
    # when first needed (regex matches, frames), as each takes 8 bytes per token.
    @cached_property
    def start_key(self) -> np.ndarray:
        return self._tok_doc * _SHIFT + self._starts

    @cached_property
    def end_key(self) -> np.ndarray:
        return self._tok_doc * _SHIFT + self._ends

    @property
    def _tok_doc(self) -> np.ndarray:
        return self.seg_doc[self.seg_index] if self.n_tokens else np.zeros(0, np.int64)

    # -- literal prefilter for regexes ----------------------------------------------------
    def postings_by_id(self, index):
        if self._by_id is None:
            v = self._vocab.get(False)
            self._by_id = (v.postings, v.bounds) if v is not None and v.identity else index._postings
        return self._by_id

    def ids_containing(self, index, word: str) -> np.ndarray:
        """Vocabulary ids whose case-folded form contains the case-folded ``word``."""
        if word not in self._containing:
            if self._folded is None:
                forms = index.vocab.tolist()
                lengths = np.fromiter((len(f) + 1 for f in forms), np.int64, len(forms))
                self._folded = (_canonical("\n".join(forms)), np.concatenate([[0], np.cumsum(lengths)[:-1]]))
            joined, starts = self._folded
            hits = np.fromiter((m.start() for m in re.finditer(re.escape(word), joined)), np.int64)
            self._containing[word] = np.unique(np.searchsorted(starts, hits, side="right") - 1)
        return self._containing[word]

    def regex_candidates(self, index, p: Pattern):
        """The segments that can hold a match of ``p`` (None when it names no literal word).

        Every match contains one of the words of each requirement; a run of letters and
        digits lies inside one token, so a segment without a token containing the word
        (compared case-folded, as ``re.IGNORECASE`` does) cannot match. Requirements are
        intersected from the rarest on, while gathering them is cheaper than searching the
        segments they would rule out. Segments of documents not tokenised by the English
        rules are always searched."""
        if not p.required or not index.numbers or not len(index.vocab):
            return None
        postings, bounds = self.postings_by_id(index)
        found = []
        for words in p.required:
            ids = np.unique(np.concatenate([self.ids_containing(index, w) for w in words]))
            found.append((int((bounds[ids + 1] - bounds[ids]).sum()), ids))
        found.sort(key=lambda item: item[0])
        segs = None
        for n, ids in found:
            if segs is not None and n > _GATHER_PER_SEGMENT * len(segs):
                break
            here = np.unique(self.seg_index[_gather(postings, bounds, ids)])
            segs = here if segs is None else np.intersect1d(segs, here, assume_unique=True)
        return np.union1d(segs, self.unindexed) if len(self.unindexed) else segs

    def search_segments(self, rx: re.Pattern, segments: np.ndarray):
        """Search each segment's text on its own (offsets into the document)."""
        seg, starts, ends = [], [], []
        for g in segments.tolist():
            a, b = int(self.seg_start[g]), int(self.seg_end[g])
            for m in rx.finditer(self.norms[self.seg_doc[g]][a:b]):
                if m.end() > m.start():
                    seg.append(g)
                    starts.append(m.start() + a)
                    ends.append(m.end() + a)
        return np.array(seg, np.int64), np.array(starts, np.int64), np.array(ends, np.int64)

    # -- vocabularies ---------------------------------------------------------------
    def vocabulary(self, index, case_sensitive: bool) -> _Vocabulary:
        if case_sensitive not in self._vocab:
            if not case_sensitive:
                self._vocab[False] = _vocabulary_from_forms(np.asarray(index.vocab, dtype=object), index.term_ids,
                                                            index._postings)
            else:  # original-case forms: one pass over the tokens, the first time only
                forms = []
                for d, view in enumerate(self.norms):
                    lo, hi = index.doc_offsets[d], index.doc_offsets[d + 1]
                    forms.extend(view[a:b] for a, b in zip(index.starts[lo:hi].tolist(), index.ends[lo:hi].tolist()))
                uniq, inverse = np.unique(np.array(forms, dtype=object), return_inverse=True)
                self._vocab[True] = _vocabulary_from_forms(uniq.astype(object), np.asarray(inverse).ravel())
        return self._vocab[case_sensitive]

    # -- whitespace between tokens ----------------------------------------------------
    def breaks(self, index) -> np.ndarray:
        """Cumulative count of breaks: ``breaks[i]`` = gaps ``j < i`` (between tokens j and
        j + 1) that hold more than whitespace or end a segment. Tokens ``i <= j`` lie in one
        segment with only whitespace between them iff ``breaks[i] == breaks[j]`` (int32)."""
        if self._gap is None:
            bad = np.ones(max(self.n_tokens - 1, 0), bool)  # across documents: never whitespace-joined
            for d, text in enumerate(self.norms):
                lo, hi = index.doc_offsets[d], index.doc_offsets[d + 1]
                if hi - lo > 1:
                    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
                    nonspace = np.concatenate([[0], np.cumsum(~_is_space(codes))])
                    bad[lo : hi - 1] = nonspace[index.starts[lo + 1 : hi]] > nonspace[index.ends[lo : hi - 1]]
            bad |= self.seg_index[1:] != self.seg_index[:-1]
            self._gap = np.concatenate([np.zeros(1, np.int32), np.cumsum(bad, dtype=np.int32)])
        return self._gap

    # -- text chunks for regexes --------------------------------------------------------
    def chunks(self):
        if self._chunks is None:
            self._chunks = []
            docs, texts, size = [], [], 0
            for d, t in enumerate(self.norms):
                docs.append(d)
                texts.append(t)
                size += len(t) + 1
                if size >= _CHUNK_CHARS:
                    self._chunks.append(_Chunk.build(self, docs, texts))
                    docs, texts, size = [], [], 0
            if docs:
                self._chunks.append(_Chunk.build(self, docs, texts))
            self.seg_shift = np.zeros(len(self.seg_start), np.int64)
            for chunk in self._chunks:
                self.seg_shift[chunk.seg] = chunk.seg_start - self.seg_start[chunk.seg]
        return self._chunks

    def bad_edges(self) -> np.ndarray:
        """Segments whose edge touches a word character outside it (\\b would differ there)."""
        if self._bad_edges is None:
            bad = np.zeros(len(self.seg_start), bool)
            word = re.compile(r"\w")
            for g, (d, s, e) in enumerate(zip(self.seg_doc.tolist(), self.seg_start.tolist(), self.seg_end.tolist())):
                t = self.norms[d]
                bad[g] = bool((s > 0 and word.match(t, s - 1)) or (e < len(t) and word.match(t, e)))
            self._bad_edges = bad
        return self._bad_edges


@dataclass
class _Chunk:
    text: str
    docs: list  # doc numbers
    bases: list  # offset of each doc's text in the chunk
    seg: np.ndarray  # segment numbers in the chunk
    seg_start: np.ndarray  # chunk offsets
    seg_end: np.ndarray

    @classmethod
    def build(cls, data: _IndexData, docs, texts):
        bases = np.concatenate([[0], np.cumsum([len(t) + len(_DOC_SEPARATOR) for t in texts])[:-1]]).astype(np.int64)
        in_chunk = np.isin(data.seg_doc, docs)
        seg = np.flatnonzero(in_chunk)
        base_of_doc = dict(zip(docs, bases.tolist()))
        seg_base = np.array([base_of_doc[d] for d in data.seg_doc[seg].tolist()], np.int64)
        return cls(_DOC_SEPARATOR.join(texts), list(docs), bases.tolist(), seg, data.seg_start[seg] + seg_base,
                   data.seg_end[seg] + seg_base)


_INDEX_DATA: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_WS_TABLE = None


def _is_space(codes: np.ndarray) -> np.ndarray:
    """``chr(c).isspace()`` for each code point (uint32 array), by one table lookup.

    Every whitespace character lies below U+3001; codes from there on share the last
    (False) entry. ``np.isin`` against the list of spaces took three times as long.
    """
    global _WS_TABLE
    if _WS_TABLE is None:
        _WS_TABLE = np.array([chr(c).isspace() for c in range(0x3001)] + [False], bool)
    return _WS_TABLE[np.minimum(codes, 0x3001)]


def _index_data(corpus, index) -> _IndexData:
    data = _INDEX_DATA.get(index)
    if data is None:
        data = _IndexData(corpus, index)
        _INDEX_DATA[index] = data
    return data


# ---------------------------------------------------------------------------------------
# Matching


class _Matches:
    """Matches as parallel arrays (``pattern``: index into the pattern list).

    ``first``/``last`` are the first and last token of each match (-1 where a regex match
    is not token-aligned). ``segment``, ``doc``, ``start`` and ``end`` are given for regex
    matches and otherwise looked up from the tokens when first asked: counting frames
    needs only the tokens, and on a large corpus each lookup is a cache miss per match.
    """

    def __init__(self, pattern, first, last, data, index, segment=None, start=None, end=None):
        self.pattern, self.first, self.last = pattern, first, last
        self._data, self._index = data, index
        self._explicit = segment is not None
        if self._explicit:
            self.__dict__.update(segment=segment, start=start, end=end)

    @cached_property
    def segment(self) -> np.ndarray:  # row in index.segment_ids
        return self._data.seg_index[self.first].astype(np.int64)

    @cached_property
    def start(self) -> np.ndarray:
        return self._index.starts[self.first].astype(np.int64)

    @cached_property
    def end(self) -> np.ndarray:
        return self._index.ends[self.last].astype(np.int64)

    @cached_property
    def doc(self) -> np.ndarray:  # row in index.doc_ids
        return self._data.seg_doc[self.segment]

    def __len__(self) -> int:
        return len(self.first)

    def take(self, rows) -> "_Matches":
        explicit = (self.segment[rows], self.start[rows], self.end[rows]) if self._explicit else ()
        return _Matches(self.pattern[rows], self.first[rows], self.last[rows], self._data, self._index, *explicit)


def _token_matches(p: Pattern, index, data: _IndexData, tokens: tuple):
    vocab = data.vocabulary(index, p.case_sensitive)
    n = len(tokens)
    ranges = [vocab.ranges(t) for t in tokens]
    if any(not r for r in ranges):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    concrete = [j for j, t in enumerate(tokens) if t is not None]
    anchor = min(concrete, key=lambda j: vocab.count(ranges[j])) if concrete else 0
    first = vocab.positions(ranges[anchor]) - anchor
    if n > 1 and len(first):
        first = first[(first >= 0) & (first + n - 1 < data.n_tokens)]
        # The other words first: they rule out most candidates, and each check is a
        # random read of a per-token array (a cache miss on a large corpus).
        for j in concrete:
            if j != anchor and len(first):
                first = first[vocab.member(first + j, ranges[j])]
        last = first + n - 1
        breaks = data.breaks(index)
        first = first[breaks[last] == breaks[first]]
    return first, first + n - 1


def _regex_in(rx: re.Pattern, text: str):
    spans = [(m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start()]
    arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _regex_matches(p: Pattern, index, data: _IndexData):
    """Matches of a regex, equal to searching every segment's text on its own."""
    todo = data.regex_candidates(index, p)
    n_segments = len(data.seg_start)
    if not p.context_free or (todo is not None and len(todo) <= _SCAN_SHARE * n_segments):
        return data.search_segments(p.regex, np.arange(n_segments) if todo is None else todo)
    # One search over long chunks of text; segments that a match crosses into or out of
    # (and, for \b, segments next to a word character) are searched again on their own.
    bad_edges = data.bad_edges() if p.uses_boundary else None
    segs, starts, ends, redo_all = [], [], [], []
    for chunk in data.chunks():
        if not len(chunk.seg):
            continue
        s, e = _regex_in(p.regex, chunk.text)
        k = np.searchsorted(chunk.seg_start, s, side="right") - 1
        inside = (k >= 0) & (e <= chunk.seg_end[np.clip(k, 0, None)])
        redo = np.zeros(len(chunk.seg), bool)
        lo = np.searchsorted(chunk.seg_end, s[~inside], side="right")
        hi = np.searchsorted(chunk.seg_start, e[~inside], side="left")
        for a, b in zip(lo.tolist(), hi.tolist()):
            redo[a:b] = True
        if bad_edges is not None:
            redo |= bad_edges[chunk.seg]
        keep = inside & ~redo[np.clip(k, 0, None)]
        seg = chunk.seg[k[keep]]
        shift = data.seg_shift[seg]  # chunk offsets -> document offsets
        segs.append(seg)
        starts.append(s[keep] - shift)
        ends.append(e[keep] - shift)
        redo_all.append(chunk.seg[redo])
    seg, s, e = data.search_segments(p.regex, np.concatenate(redo_all) if redo_all else np.zeros(0, np.int64))
    return np.concatenate([*segs, seg]), np.concatenate([*starts, s]), np.concatenate([*ends, e])


def _match_arrays(corpus, index, patterns: Sequence[Pattern], sort: bool = True) -> _Matches:
    """All matches of ``patterns`` in the indexed segments of ``corpus``, sorted by segment,
    start, end and pattern (``sort=False``: grouped by pattern, in no order within a group)."""
    data = _index_data(corpus, index)
    parts = []
    for i, p in enumerate(patterns):
        if p.match == "regex":
            seg, s, e = (x.astype(np.int64, copy=False) for x in _regex_matches(p, index, data))
            untokened = np.full(len(s), -1, np.int64)
            parts.append(_Matches(np.full(len(s), i, np.int64), untokened, untokened, data, index, seg, s, e))
        else:
            for tokens in (p.tokens, *p.variants):  # no two spell the same tokens, so no match twice
                first, last = (x.astype(np.int64, copy=False) for x in _token_matches(p, index, data, tokens))
                parts.append(_Matches(np.full(len(first), i, np.int64), first, last, data, index))
    m = _concat_matches(parts, data, index)  # a regex among them: every row gets its offsets now
    if not sort or len(m) < 2:
        return m
    if not m._explicit and (np.diff(m.first) >= 0).all() and (np.diff(m.pattern) == 0).all():
        return m  # one pattern, found in order (a word, a phrase anchored on a word)
    return m.take(_position_order(m, m.pattern, len(patterns)))


def _concat_matches(parts, data, index) -> _Matches:
    """One :class:`_Matches` of several, offsets looked up now only if one part has them given."""
    empty = [np.zeros(0, np.int64)]
    pattern, first, last = (np.concatenate([getattr(p, k) for p in parts] + empty) for k in ("pattern", "first", "last"))
    explicit = ()
    if any(p._explicit for p in parts):
        explicit = tuple(np.concatenate([getattr(p, k) for p in parts]) for k in ("segment", "start", "end"))
    return _Matches(pattern, first, last, data, index, *explicit)


def _position_order(m: _Matches, rank: np.ndarray, n_ranks: int) -> np.ndarray:
    """Stable order of the rows of ``m`` by segment, start, end, then ``rank``."""
    if m._explicit:
        return np.lexsort((rank, m.end, m.start, m.segment))
    # token-aligned: (segment, start, end) order is (first, last) order
    return _token_order(m.first, m.last, rank, n_ranks)


def _token_order(first: np.ndarray, last: np.ndarray, rank: np.ndarray, n_ranks: int) -> np.ndarray:
    """Stable order of rows by (first, last, rank).

    The three keys and the row number are packed into one integer and sorted as values,
    which numpy does twice as fast as an argsort and several times faster than a lexsort.
    """
    n = len(first)
    if n < 2:
        return np.arange(n)
    width = int((last - first).max()) + 1
    if (int(first.max()) + 1) * width * max(n_ranks, 1) * n >= 2**62:  # pragma: no cover - beyond any corpus
        return np.lexsort((rank, last, first))
    key = ((first * width + (last - first)) * n_ranks + rank) * n + np.arange(n)
    return np.sort(key) % n


@_with_match_parameters
def find_matches(
    corpus,
    pattern,
    *,
    match: str = "glob",
    case_sensitive: bool = False,
    headings: bool = False,
) -> pd.DataFrame:
    """Find every match of one or more patterns in a corpus.

    Parameters
    ----------
    corpus : textlab.Corpus
    pattern : str, Pattern or list of them
        What to find (see :mod:`textlab.patterns`).
{MATCH_PARAMETERS}
    headings : bool, default=False
        Search headings too (by default only body paragraphs).

    Returns
    -------
    pandas.DataFrame
        One row per match, sorted by document (corpus order), ``start``, ``end`` and
        pattern order. Columns ``doc_id``; ``segment_id``; ``start, end`` (int64 offsets
        into ``corpus.text(doc_id)``, whose slice is the matched text in its original
        casing); ``pattern`` (the pattern as given). A pattern without a match gives a
        :class:`~textlab.errors.NoMatchWarning` naming it.

    Examples
    --------
    >>> from textlab import load_corpus
    >>> c = load_corpus([("a", "A win\u2013win deal. Interdependence and dependency."), ("b", "Lock-in.")])
    >>> find_matches(c, ["win-win", "depend*", "lock-*"]).values.tolist()
    [['a', 'a:000', 2, 9, 'win-win'], ['a', 'a:000', 36, 46, 'depend*'], ['b', 'b:000', 0, 7, 'lock-*']]
    >>> find_matches(c, r"\\bdeal\\b", match="regex")[["start", "end"]].values.tolist()
    [[10, 14]]
    """
    _check_corpus(corpus, "find_matches")
    check_choice(match, MATCH_TYPES, name="match", func="find_matches")
    patterns = _as_patterns(pattern, match=match, case_sensitive=case_sensitive, func="find_matches")
    index = corpus.index(headings=check_bool(headings, name="headings", func="find_matches"))
    m = _match_arrays(corpus, index, patterns)
    _warn_unmatched_sources(_unmatched(patterns, m), "find_matches")
    return _matches_frame(index, patterns, m)


def _unmatched(patterns: Sequence[Pattern], m: _Matches) -> list[str]:
    """The sources of the patterns without a row in ``m``."""
    hits = np.bincount(m.pattern, minlength=len(patterns))
    return [p.source for p, n in zip(patterns, hits.tolist()) if not n]


def _warn_unmatched_sources(sources: Sequence[str], func: str) -> None:
    """One NoMatchWarning naming every pattern that matched nothing, pointed at the caller."""
    if sources:
        names = ", ".join(repr(s) for s in sources)
        warnings.warn(f"{func}: no match for {names} in the corpus.", NoMatchWarning, stacklevel=outside_stacklevel())


def _matches_frame(index, patterns: Sequence[Pattern], m: _Matches) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": np.asarray(index.doc_ids, dtype=object)[m.doc] if len(m) else np.zeros(0, object),
            "segment_id": index.segment_ids[m.segment] if len(m) else np.zeros(0, object),
            "start": m.start,
            "end": m.end,
            "pattern": np.asarray([p.source for p in patterns], dtype=object)[m.pattern] if len(m) else np.zeros(0, object),
        },
        columns=MATCH_COLUMNS,
    )
