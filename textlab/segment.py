"""Documents → sections → paragraphs (→ sentences), with character spans.

A *segment* is the unit most analyses count in: a body paragraph, or a piece of one when
it is longer than ``max_words`` tokens (split at sentence ends into near-equal pieces), or
a heading. Each segment knows its document, its section (the path of headings above it,
``"3 Practice / 3.2 Integration"``) and its span in the document's cleaned text.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from .errors import ParameterError, check_choice, check_int
from .tokenize import _MARK, LANGS, token_spans

__all__ = ["segment", "sentence_spans", "SEGMENT_COLUMNS"]

SEGMENT_COLUMNS = [
    "doc_id",
    "segment_id",
    "kind",
    "section",
    "level",
    "paragraph",
    "part",
    "start",
    "end",
]

# Abbreviations whose full stop does not end a sentence (lower-cased, without the dot).
_ABBREVIATIONS = frozenset(
    "al e.g i.e cf etc vs fig figs no nos vol vols pp p ed eds mr mrs ms dr prof st jr sr inc ltd co corp "
    "dept univ approx jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.u".split()
)
_BOUNDARY = re.compile(
    r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Ý])"  # Latin: space and a capital, digit or quote after
    r"|[。！？]+[”’」』）》】\"')\]]*\s*(?=\S)"  # Chinese: no space needed, anything may follow
)
_WORD_RUN = rf"(?:[^\W_]{_MARK}*)+"  # letters and digits with their combining marks (हिन्दी is one word)
_TOKEN_COUNT = re.compile(rf"{_WORD_RUN}(?:['’\-–]{_WORD_RUN})*")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (offsets into ``text``).

    A sentence ends at ``. ! ?`` (plus closing quotes or brackets) followed by space and
    an upper-case letter, digit or opening quote, unless the word before the full stop is
    a known abbreviation (``et al.``, ``e.g.``, ``Vol.``) or a single initial (``J. P. Li``).
    In Chinese it ends at ``。！？`` (plus closing quotes or brackets) whatever follows:
    Chinese puts no space between sentences. A comma, ``；`` or ``……`` ends none.

    Examples
    --------
    >>> t = "Zhang et al. (2025) agree. J. P. Li disagrees! “Why?” Because."
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Zhang et al. (2025) agree.', 'J. P. Li disagrees!', '“Why?”', 'Because.']
    >>> t = "鲁班工坊推动产教融合。技术依赖值得警惕吗？“获得感”如何衡量！”他问。"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['鲁班工坊推动产教融合。', '技术依赖值得警惕吗？', '“获得感”如何衡量！”', '他问。']
    """
    end = len(text) if end is None else end
    spans, cursor = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        if text[m.start()] == ".":
            word = _word_before(text, cursor, m.start()).lower().lstrip("(“\"'")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        stop = m.start() + len(m.group().rstrip())
        spans.append((cursor, stop))
        cursor = m.end()
    if cursor < end and text[cursor:end].strip():
        spans.append((cursor, end - (len(text[cursor:end]) - len(text[cursor:end].rstrip()))))
    return spans


def _word_before(text: str, lo: int, hi: int) -> str:
    r"""The non-whitespace characters right before ``hi`` (not before ``lo``): what
    ``re.search(r"\S+$", text[lo:hi])`` finds, read backwards from ``hi`` instead of
    tried at every position of the sentence (``\s`` is ``str.isspace``). Like ``$``, it
    also takes the word before a newline that ends the span."""
    if lo < hi and text[hi - 1] == "\n":
        hi -= 1
    i = hi
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:hi]


def _split_long(text: str, start: int, end: int, max_words: int, count_words=None) -> list[tuple[int, int]]:
    """Split a paragraph into near-equal pieces at sentence ends, each ideally <= max_words.

    ``count_words(spans)`` gives the number of words in each ``(start, end)`` span (an
    array); by default the words are found in ``text`` by the tokenizer's pattern.
    """
    if count_words is None:
        def count_words(spans):
            return np.array([len(_TOKEN_COUNT.findall(text, s, e)) for s, e in spans], dtype=np.int64)

    n_words = int(count_words([(start, end)])[0])
    if n_words <= max_words:
        return [(start, end)]
    sentences = sentence_spans(text, start, end)
    if len(sentences) < 2:
        return [(start, end)]
    n_pieces = math.ceil(n_words / max_words)
    cumulative = np.cumsum(count_words(sentences))
    targets = [n_words * k / n_pieces for k in range(1, n_pieces)]
    cuts = sorted({int(np.argmin(np.abs(cumulative[:-1] - t))) for t in targets})
    pieces, first = [], 0
    for c in cuts:
        pieces.append((sentences[first][0], sentences[c][1]))
        first = c + 1
    pieces.append((sentences[first][0], sentences[-1][1]))
    return pieces


def _starts_counter(words: np.ndarray):
    """A ``count_words`` for :func:`_split_long` that counts the word starts (sorted
    offsets) inside each span: no word crosses a paragraph or sentence edge (both lie at
    spaces or after punctuation)."""
    def count_words(spans):
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        return np.searchsorted(words, spans[:, 1]) - np.searchsorted(words, spans[:, 0])

    return count_words


def segment(
    blocks: pd.DataFrame, text: str, *, doc_id: str, max_words: int = 250, lang: str = "en", words=None
) -> pd.DataFrame:
    """Segments of one cleaned document.

    Parameters
    ----------
    blocks : pandas.DataFrame
        ``CleanResult.blocks`` (columns ``kind, level, heading, start, end``).
    text : str
        The cleaned text the blocks point into.
    doc_id : str
        Document id, used in ``segment_id``.
    max_words : int, default=250
        Paragraphs with more tokens are split at sentence ends into near-equal pieces.
    lang : {'en', 'zh'}, default='en'
        The document's language: with ``'zh'`` the tokens are jieba's words.
    words : array of int, optional
        The sorted start offsets of the text's tokens, when they are known already
        (then they are counted instead of tokenising each paragraph again).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, segment_id`` (``"<doc_id>:<nnn>"``, in reading order),
        ``kind`` (``"paragraph"`` or ``"heading"``), ``section`` (heading path joined by
        ``" / "``, ``""`` before the first heading), ``level`` (heading level, 0 for
        paragraphs), ``paragraph`` (0-based paragraph number, -1 for headings), ``part``
        (piece of a split paragraph, 0-based), ``start, end`` (offsets into ``text``).

    Examples
    --------
    >>> from textlab.clean import clean_text
    >>> r = clean_text("# 1 Intro\\n\\nOne. Two.\\n\\n## 1.1 Aim\\n\\nThree.", profile="paper")
    >>> segment(r.blocks, r.text, doc_id="d")[["segment_id", "kind", "section"]].values.tolist()
    [['d:000', 'heading', '1 Intro'], ['d:001', 'paragraph', '1 Intro'], ['d:002', 'heading', '1 Intro / 1.1 Aim'], ['d:003', 'paragraph', '1 Intro / 1.1 Aim']]
    """
    max_words = check_int(max_words, name="max_words", func="segment", minimum=1)
    check_choice(lang, LANGS, name="lang", func="segment")
    if not isinstance(blocks, pd.DataFrame) or not isinstance(text, str):
        raise ParameterError(
            f"segment takes the blocks DataFrame and the text of a CleanResult; got {type(blocks).__name__} and "
            f"{type(text).__name__}."
        )
    if words is None and lang == "zh":
        words = token_spans(text, lang="zh")[0]
    count_words = None if words is None else _starts_counter(np.asarray(words, dtype=np.int64))
    rows = []
    path: list[tuple[int, str]] = []
    paragraph = 0
    for b in blocks.itertuples(index=False):
        if b.kind == "heading":
            while path and path[-1][0] >= b.level:
                path.pop()
            path.append((b.level, b.heading))
            rows.append(("heading", " / ".join(h for _, h in path), int(b.level), -1, 0, int(b.start), int(b.end)))
            continue
        section = " / ".join(h for _, h in path)
        for part, (s, e) in enumerate(_split_long(text, int(b.start), int(b.end), max_words, count_words)):
            rows.append(("paragraph", section, 0, paragraph, part, s, e))
        paragraph += 1
    df = pd.DataFrame(rows, columns=SEGMENT_COLUMNS[2:])
    df.insert(0, "segment_id", [f"{doc_id}:{i:03d}" for i in range(len(df))])
    df.insert(0, "doc_id", doc_id)
    return df.astype({c: "int64" for c in ("level", "paragraph", "part", "start", "end")})
