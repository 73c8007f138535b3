"""Tokens, offsets, stopwords, n-grams and term counts."""

import functools
import importlib
import random
import re
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from textlab import count_terms, document_term_matrix, find_matches, kwic, load_corpus, ngrams, stopwords, tokenize
from textlab.clean import normalise
from textlab.errors import GroupError, NoMatchWarning, ParameterError
from textlab.tokenize import TOKEN_PATTERN, lower_preserving, token_spans

tok = importlib.import_module("textlab.tokenize")  # the package re-exports a function of that name

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
    for tokens in ("abc", None):  # a str gave character n-grams ['a b', 'b c'], None a TypeError
        with pytest.raises(ParameterError, match="'tokens' parameter of ngrams must be a sequence of tokens"):
            ngrams(tokens, 2)


def test_bad_lang():
    with pytest.raises(ParameterError, match="'lang' parameter of tokenize"):  # named token_spans
        tokenize("x", lang="fr")


def test_by_must_be_one_name(corpus):
    for verb in (count_terms, document_term_matrix):
        with pytest.raises(ParameterError, match="'by' parameter of .* must be 'doc', 'segment' or a docvar name"):
            verb(corpus, by=["side"])  # TypeError: unhashable type: 'list'


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


# ---------------------------------------------------------------------------------------
# Combining marks: every character of category Mn, Mc or Me stays with its letter


@functools.cache
def unicode_marks() -> list[int]:
    """Every combining mark of the running Python's Unicode, in all planes (the definition)."""
    return [cp for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")]


@pytest.fixture(params=["regex", "numpy"])
def engine(request, monkeypatch):
    """Send every text through the scanner's regex (short texts) or its numpy tables."""
    monkeypatch.setattr(tok, "_SCAN_SMALL", 10**9 if request.param == "regex" else 0)
    return request.param


def tokens_three_ways(text, *, lower=False):
    """Tokens as tokenize gives them, as text[start:end], and as TOKEN_PATTERN finds them."""
    toks = tokenize(text, lower=lower)
    surfaces = [text[s:e] for s, e in zip(toks["start"], toks["end"])]
    view = lower_preserving(normalise(text)) if lower else normalise(text)
    reference = [view[m.start():m.end()] for m in re.finditer(TOKEN_PATTERN, normalise(text))]
    return toks["token"].tolist(), surfaces, reference


@pytest.mark.parametrize(
    "word",
    [
        "हिन्दी",  # Devanagari: vowel signs (Mc, Mn) and a virama
        "தமிழ்",  # Tamil
        "ಕನ್ನಡ",  # Kannada
        "مُحَمَّد",  # Arabic with harakat
        "שָׁלוֹם",  # Hebrew with niqqud
        "กินข้าว",  # Thai vowel and tone marks (no spaces between words: one token)
        unicodedata.normalize("NFD", "がっこう"),  # kana + U+3099 (voiced)
        unicodedata.normalize("NFD", "ぱん"),  # kana + U+309A (semi-voiced)
        "бг\u0483ъ",  # Cyrillic titlo
        "\U0001102a\U00011038\U0001102d\U00011022",  # Brahmi: an astral vowel sign
    ],
)
def test_words_with_combining_marks_are_one_token(word, engine):
    text = f"({word}), {word}!"
    for lower in (False, True):
        expected = [lower_preserving(word) if lower else word] * 2
        tokens, surfaces, reference = tokens_three_ways(text, lower=lower)
        assert tokens == reference == expected
        assert surfaces == [word, word]


def test_qa_examples_of_split_words():
    assert tokenize("हिन्दी")["token"].tolist() == ["हिन्दी"]
    assert tokenize("مُحَمَّد")["token"].tolist() == ["مُحَمَّد"]
    assert tokenize("กินข้าว")["token"].tolist() == ["กินข้าว"]
    c = load_corpus({"h": "हिन्दी भाषा", "j": unicodedata.normalize("NFD", "がっこう")})
    with pytest.warns(NoMatchWarning):  # が in NFD is か + U+3099: one token, not か
        assert kwic(c, "か").empty
    assert kwic(c, "हिन्दी")[["doc_id", "match"]].values.tolist() == [["h", "हिन्दी"]]  # no longer "not one token"
    assert kwic(c, "がっこう")["match"].tolist() == [c.text("j")]  # the precomposed pattern finds the NFD text


def test_every_combining_mark_stays_inside_its_token(engine):
    # Every mark of Unicode, shuffled (seeded) into groups of one to three after a letter
    # or digit of some script, BMP or astral, some words going on after a joiner.
    marks = list(unicode_marks())
    assert len(marks) > 2000 and any(cp > 0xFFFF for cp in marks)
    rng = random.Random(20261205)
    rng.shuffle(marks)
    bases = ["a", "Ж", "ह", "م", "ก", "か", "7", "\U00010400", "\U0001102a"]  # 𐐀 (Deseret), Brahmi
    words, i = [], 0
    while i < len(marks):
        n = rng.randint(1, 3)
        words.append(rng.choice(bases) + "".join(map(chr, marks[i:i + n])) + rng.choice(["", "b", "-b", "'s", "ह"]))
        i += n
    text = " ".join(words)
    for lower in (False, True):
        tokens, surfaces, reference = tokens_three_ways(text, lower=lower)
        expected = [lower_preserving(w) for w in words] if lower else words
        assert tokens == expected
        assert reference == expected
        assert surfaces == words


def test_mark_class_is_every_mark_of_unicode():
    marks = unicode_marks()
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert [m.start() for m in re.finditer(tok._MARK, every)] == marks  # the pattern's class
    classes = tok._bmp_tables()[0]  # the fast path's table, every BMP code point
    assert np.flatnonzero(classes == tok._MARKC).tolist() == [cp for cp in marks if cp <= 0xFFFF]
    near = sorted({c for cp in marks if cp > 0xFFFF for c in (cp - 1, cp, cp + 1)})  # astral: looked up one by one
    is_mark = tok._lookup(np.array(near, np.uint32), 0) == tok._MARKC
    assert np.array_equal(is_mark, np.isin(near, marks))
    assert lower_preserving("".join(map(chr, marks))) == "".join(map(chr, marks))  # lower-casing keeps every mark


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cafe\u0301 naïve", ["cafe\u0301", "naïve"]),
        (unicodedata.normalize("NFD", "Ångström résumé"), unicodedata.normalize("NFD", "ångström résumé").split()),
        (unicodedata.normalize("NFD", "Tiếng Việt"), unicodedata.normalize("NFD", "tiếng việt").split()),  # stacked
        ("Spın\u0308al Tap", ["spın\u0308al", "tap"]),
        ("a\u0301\u0301b \u0301x a-\u0301b x\u20d7-y", ["a\u0301\u0301b", "x", "a", "b", "x\u20d7-y"]),
    ],
)
def test_latin_accents_unchanged(text, expected, engine):
    # Latin marks were in the old class already: they must tokenise exactly as before.
    tokens, surfaces, reference = tokens_three_ways(text, lower=True)
    assert tokens == reference == expected
    assert [lower_preserving(s) for s in surfaces] == expected
