"""Sections, paragraphs and sentence-level splitting."""

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
    ],
)
def test_sentence_spans(text, n):
    assert len(sentence_spans(text)) == n


def test_external_text_has_42_sentences(corpus):
    # codebook-draft.md, finding 1: "5 of its 42 sentences".
    sents = corpus.sentence_table()
    assert (sents["doc_id"] == "external_kz").sum() == 42


def test_bad_max_words():
    r = clean_text("x")
    with pytest.raises(ParameterError, match="'max_words' parameter of segment"):
        segment(r.blocks, r.text, doc_id="d", max_words=0)
