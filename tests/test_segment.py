"""Sections, paragraphs and sentence-level splitting."""

import random
import re

import pytest

from textlab.clean import clean_text
from textlab.errors import ParameterError
from textlab.segment import segment, sentence_spans


def test_heading_paths_follow_levels():
    raw = "# 1 A\n\ntext a.\n\n## 1.1 B\n\ntext b.\n\n### 1.1.1 C\n\ntext c.\n\n## 1.2 D\n\ntext d.\n\n# 2 E\n\ntext e."
    r = clean_text(raw, "paper")
    segs = segment(r.blocks, r.text, doc_id="d")
    paras = segs[segs["kind"] == "paragraph"]
    assert paras["section"].tolist() == ["1 A", "1 A / 1.1 B", "1 A / 1.1 B / 1.1.1 C", "1 A / 1.2 D", "2 E"]
    assert paras["paragraph"].tolist() == [0, 1, 2, 3, 4]


def test_long_paragraph_split_at_sentence_ends_into_near_equal_parts():
    sentence = "This sentence has exactly eight words in it. "
    text = (sentence * 80).strip()  # 640 words
    r = clean_text(text)
    segs = segment(r.blocks, r.text, doc_id="d", max_words=250)
    assert len(segs) == 3
    assert segs["part"].tolist() == [0, 1, 2]
    sizes = [len(r.text[s:e].split()) for s, e in zip(segs["start"], segs["end"])]
    assert sum(sizes) == 640 and max(sizes) - min(sizes) <= 8
    assert all(r.text[e - 1] == "." for e in segs["end"])


def test_corpus_longest_paragraph_is_split(corpus):
    segs = corpus.segment_table(headings=False)
    anon = segs[segs["doc_id"] == "anon_central_asia"]
    assert anon["paragraph"].nunique() == 15
    tokens = corpus.n_tokens(by="segment")
    assert tokens[anon["segment_id"]].max() <= 250 + 60  # sentences are not cut


@pytest.mark.parametrize(
    "text, n",
    [
        ("One. Two. Three.", 3),
        ("See Zhang et al. (2025) for more. Then stop.", 2),
        ("J. P. Li said so. Fine.", 2),
        ("It rose 3.5 percent. Next.", 2),
        ("No end here", 1),
        ("", 0),
        ("鲁班工坊推动产教融合。技术依赖值得警惕！获得感如何衡量？English here. Another one.", 5),
        ("他说：“好。”然后走了。", 2),
        ("第一，产教融合；第二，获得感……", 1),  # a comma, ； or …… ends no sentence
        ("结尾。  ", 1),
    ],
)
def test_sentence_spans(text, n):
    assert len(sentence_spans(text)) == n


def test_chinese_paragraph_split_counts_jieba_words():
    """Chinese sentences have no space after them and a run of Han characters holds many
    words: a 400-word paragraph stayed one segment with max_words=50."""
    from textlab.tokenize import token_spans

    text = "鲁班工坊推动产教融合，技术依赖值得警惕，获得感如何衡量。" * 40
    r = clean_text(text)
    pieces = segment(r.blocks, r.text, doc_id="d", max_words=50, lang="zh")
    words = [len(token_spans(r.text[s:e], lang="zh")[0]) for s, e in zip(pieces["start"], pieces["end"])]
    assert sum(words) == len(token_spans(text, lang="zh")[0]) == 400 and len(pieces) == 8 and max(words) <= 50
    assert len(segment(r.blocks, r.text, doc_id="d", max_words=50)) < len(pieces)  # runs counted as words


def test_segment_refuses_other_arguments():
    with pytest.raises(ParameterError, match="segment takes the blocks DataFrame and the text of a CleanResult"):
        segment("x", "y", doc_id="a")
    r = clean_text("x")
    with pytest.raises(ParameterError, match="'lang' parameter of segment"):
        segment(r.blocks, r.text, doc_id="d", lang="de")


def test_external_text_has_42_sentences(corpus):
    # codebook-draft.md, finding 1: "5 of its 42 sentences".
    sents = corpus.sentence_table()
    assert (sents["doc_id"] == "external_kz").sum() == 42


def test_bad_max_words():
    r = clean_text("x")
    with pytest.raises(ParameterError, match="'max_words' parameter of segment"):
        segment(r.blocks, r.text, doc_id="d", max_words=0)


def _regex_word_before(text, lo, hi):
    """What sentence_spans first used for the word before a full stop: a regex search
    over the whole sentence."""
    found = re.compile(r"\S+$").search(text, lo, hi)
    return found.group() if found else ""


def test_word_before_reads_what_the_regex_finds():
    from textlab.segment import _word_before

    # \s in a str pattern is str.isspace, for every code point
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]
    rng = random.Random(7)
    alphabet = ["a", "B", ".", "(", "“", " ", "\n", "\t", "\u00a0", "\u3000", "\x1c", "e.g", "Mr", "J"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        assert _word_before(text, lo, hi) == _regex_word_before(text, lo, hi), (text, lo, hi)


def test_sentence_spans_equal_the_regex_reference(monkeypatch):
    import importlib

    segment_module = importlib.import_module("textlab.segment")  # textlab.segment is also the function
    rng = random.Random(11)
    words = ["Zhang", "et", "al.", "(2025)", "agree.", "J.", "P.", "Li", "e.g.", "Vol.", "3.5", "“Why?”", "No",
             "end!", "U.S.", "x.", "ok?", "\u00a0", "\n", "Then.", "“Quote.”"]
    cases = []
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 15)))
        cases.append((text, rng.randint(0, len(text))))
    got = [sentence_spans(text, start) for text, start in cases]
    monkeypatch.setattr(segment_module, "_word_before", _regex_word_before)
    assert got == [sentence_spans(text, start) for text, start in cases]


def test_words_with_combining_marks_count_once():
    """हिन्दी भाषा counted as 5 words (the vowel signs and virama cut them), so paragraphs in
    such scripts were split before they reached max_words."""
    from textlab.segment import _TOKEN_COUNT

    assert _TOKEN_COUNT.findall("हिन्दी भाषा, China’s win–win") == ["हिन्दी", "भाषा", "China’s", "win–win"]
    text = ". ".join(["हिन्दी भाषा"] * 30) + "."
    r = clean_text(text)
    assert len(segment(r.blocks, r.text, doc_id="d", max_words=60)) == 1  # 60 words: no split
