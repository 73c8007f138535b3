"""Tokens, offsets, stopwords, n-grams and term counts."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from textlab import count_terms, document_term_matrix, find_matches, load_corpus, ngrams, stopwords, tokenize
from textlab.errors import GroupError, ParameterError
from textlab.tokenize import TOKEN_PATTERN, lower_preserving, token_spans

SAMPLE = "China’s people-to-people ties, win–win (2025) and Central Asia—lock-in; it’s “dependency”."


def test_compounds_and_apostrophes_are_single_tokens():
    assert tokenize(SAMPLE)["token"].tolist() == [
        "china's", "people-to-people", "ties", "win-win", "2025", "and", "central", "asia", "lock-in", "it's", "dependency",
    ]


def test_offsets_slice_the_original_text():
    toks = tokenize(SAMPLE, lower=False)
    assert [SAMPLE[s:e] for s, e in zip(toks["start"], toks["end"])][:4] == ["China’s", "people-to-people", "ties", "win–win"]


def test_numbers_optional_and_stopwords():
    assert "2025" not in tokenize(SAMPLE, numbers=False)["token"].tolist()
    assert "and" not in tokenize(SAMPLE, stopwords=stopwords("en"))["token"].tolist()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("İstanbul", ["istanbul"]),  # str.lower() would lengthen it ("i̇"); its simple lower case "i"
        ("Cafe\u0301 naïve", ["café", "naïve"]),  # combining accent stays inside the token
        ("challenges¹⁶.", ["challenges"]),  # superscript citation marker is not part of the word
        ("a_b", ["a", "b"]),
        ("", []),
    ],
)
def test_unicode_edge_cases(text, expected):
    toks = tokenize(text)
    assert [lower_preserving(text[s:e])
            for s, e in zip(toks["start"], toks["end"])] == [t if t != "café" else "cafe\u0301" for t in expected]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_token_offsets_always_slice_back(text):
    starts, ends = token_spans(text)
    assert np.all(starts < ends)
    assert np.all(ends[:-1] <= starts[1:])
    toks = tokenize(text, lower=False)
    for tok, s, e in zip(toks["token"], toks["start"], toks["end"]):
        assert len(tok) == e - s
        assert text[s:e].strip() == text[s:e]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_lower_preserving_keeps_length(text):
    assert len(lower_preserving(text)) == len(text)


def test_same_counts_as_countvectorizer_with_our_pattern():
    docs = ["Win-win and WIN-WIN co-operation.", "Reliance on China's standards; reliance."]
    vec = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True)
    matrix = vec.fit_transform(docs)
    corpus = load_corpus(list(zip(["a", "b"], docs)))
    dtm = document_term_matrix(corpus)
    assert dtm.terms == vec.get_feature_names_out().tolist()
    assert (dtm.matrix != matrix).nnz == 0


def test_count_terms_by_doc_segment_and_docvar():
    import pandas as pd

    df = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["x y\n\ny", "y", "z"], "side": ["cn", "cn", "ext"]})
    c = load_corpus(df)
    assert count_terms(c, by="side").values.tolist() == [["cn", "x", 1], ["cn", "y", 3], ["ext", "z", 1]]
    seg = count_terms(c, by="segment")
    assert seg["unit"].tolist() == ["a:000", "a:000", "a:001", "b:000", "c:000"]
    with pytest.raises(GroupError, match="Unknown 'by' value 'group'"):
        count_terms(c, by="group")
    with pytest.raises(ParameterError, match="'corpus' parameter of count_terms"):
        count_terms(["not", "a", "corpus"])


def test_ngrams_and_bad_n():
    assert ngrams(["a", "b", "c"], 3) == ["a b c"]
    assert ngrams(["a"], 2) == []
    with pytest.raises(ParameterError, match="'n' parameter of ngrams must be an int >= 1; got 0"):
        ngrams(["a"], 0)


def test_bad_lang():
    with pytest.raises(ParameterError, match="'lang' parameter of token_spans"):
        tokenize("x", lang="fr")


def test_corpus_body_tokens_per_side(corpus):
    # codebook-draft.md: Chinese side pools to 23,001 body tokens, the external text has 850.
    assert corpus.n_tokens(by="side").to_dict() == {"chinese_policy": 23001, "external": 850}


# Greek final sigma: str.lower picks ς or σ from the context (and the per-character path
# that lower_preserving took for texts with "İ" always gave σ), so lower_preserving folds ς to σ.
SIGMA_DOCS = {"a": "ΟΔΟΣ here.", "b": "ΟΔΟΣ here. İstanbul.", "c": "ΟΔΟΣ.ΑΒ"}


def test_lower_preserving_folds_final_sigma_whatever_else_the_text_holds():
    assert [lower_preserving(t)[:4] for t in SIGMA_DOCS.values()] == ["οδοσ"] * 3
    assert lower_preserving("οδος ΟΔΟΣ Οδοσ") == "οδοσ οδοσ οδοσ"
    assert lower_preserving("ΟΔΟΣ İ") == "οδοσ i"  # with "İ" too (it had a per-character path)
    assert [tokenize(t)["token"].tolist()[0] for t in SIGMA_DOCS.values()] == ["οδοσ"] * 3
    assert tokenize("ΟΔΟΣ οδος", lower=False)["token"].tolist() == ["ΟΔΟΣ", "οδος"]  # no folding without lower


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ΣσςΟΔοδİIi .'-_ΑΒab\u0301"), st.text(alphabet="ΣσςΟΔοδİIi .'-_ΑΒab\u0301"))
def test_lower_preserving_does_not_depend_on_the_rest_of_the_text(a, b):
    assert lower_preserving(a + b) == lower_preserving(a) + lower_preserving(b)
    assert len(lower_preserving(a + b)) == len(a + b)
    assert "ς" not in lower_preserving(a + b)


def test_count_terms_gives_one_term_for_final_and_medial_sigma():
    c = load_corpus(SIGMA_DOCS)
    terms = count_terms(c)
    assert terms[terms["term"].str.startswith("οδο")].values.tolist() == [
        ["a", "οδοσ", 1], ["b", "οδοσ", 1], ["c", "οδοσ", 1],
    ]
    assert count_terms(load_corpus({"a": "οδος ΟΔΟΣ.ΑΒ"}))[["term", "count"]].values.tolist() == [["αβ", 1], ["οδοσ", 2]]


def test_fold_table_is_unicodes():
    # every lower-case letter whose case fold is another single lower-case letter of the
    # same class, as lower_preserving's table lists them (regenerated from Unicode here)
    import sys
    import unicodedata

    from textlab.tokenize import _FOLD_FROM, _FOLD_TO

    pairs = []
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if 0xD800 <= cp < 0xE000 or len(fold := c.casefold()) != 1 or fold == c.lower() or fold.lower() != fold:
            continue
        if unicodedata.category(c)[0] == unicodedata.category(fold)[0]:
            pairs.append((c.lower(), fold))
    assert "".join(a for a, _ in pairs) == _FOLD_FROM and "".join(b for _, b in pairs) == _FOLD_TO
    for a, b in pairs:  # the folds re.IGNORECASE makes too
        assert re.fullmatch(re.escape(a), b, re.IGNORECASE) and lower_preserving(a) == b


def test_globs_fold_as_regular_expressions_do():
    c = load_corpus({"a": "A 5 µm gap. Cheſs and CHESS. ϐeta"})
    for glob, regex in [("μm", r"\bμm\b"), ("chess", r"\bchess\b"), ("βeta", r"\bβeta\b")]:
        found = find_matches(c, glob)[["start", "end"]].values.tolist()
        assert found and found == find_matches(c, regex, match="regex")[["start", "end"]].values.tolist(), glob
