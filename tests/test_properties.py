"""Property tests (hypothesis): invariants that must hold for any input.

- tokenizer offsets always slice back to the token (English and Chinese);
- cleaning conserves characters for every profile: each raw character is either kept
  or listed in a removed span, and the cleaned text is rebuilt from the raw text and
  the edit table;
- frame counts do not depend on document order, nor on splitting a document at a
  paragraph boundary;
- keyness is antisymmetric when target and reference swap.

Every test runs 200 derandomised examples (same inputs on every run, so CI is
deterministic); the module takes about 25 s.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from textlab import Codebook, clean_text, fightin_words, frame_counts, keyness, load_corpus, tokenize
from textlab.clean import PROFILES, normalise
from textlab.errors import TextlabWarning
from textlab.tokenize import TOKEN_PATTERN, lower_preserving

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Characters that make tokenising and cleaning interesting: joiners, curly quotes and
# dashes that normalise() rewrites, combining marks, superscripts, CJK, line breaks.
TRICKY = "-'\u2019\u2018\u201c\u201d\u2013\u2014\u2010\u00a0\u0301\u00b9\u00b2_.,;:!?()[]*#>|/\\\"\r\n\t \u0130\u00df\u4e92\u5229"
LINES = [
    "Keywords: vocational education; Luban Workshop",
    "Abstract: This paper studies cooperation.",
    "1. Introduction",
    "2.1 Method",
    "II. FINDINGS",
    "References",
    "[1] Smith, J. (2020). A title. Journal, 3(2), 1-10.",
    "Corresponding author: a@b.org",
    "This article is licensed under CC BY 4.0.",
    "Page 3 of 12",
    "# Heading",
    "**bold** and _it_",
    "partner-",
    "ship and win-win cooperation (Smith, 2020).",
    "\u00b9 A footnote.",
    "",
    "   ",
]


def mixed_text():
    chars = st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(TRICKY)), max_size=60)
    return st.lists(st.one_of(chars, st.sampled_from(LINES)), max_size=8).map("\n".join)


# ---------------------------------------------------------------------------------------
# Tokenizer


@PROPERTY
@given(text=mixed_text(), lower=st.booleans())
def test_en_token_offsets_slice_back_to_the_token(text, lower):
    df = tokenize(text, lower=lower)
    starts, ends = df["start"].to_numpy(), df["end"].to_numpy()
    assert (starts < ends).all() and (ends[:-1] <= starts[1:]).all()  # ordered, non-empty, disjoint
    for token, s, e in zip(df["token"], starts.tolist(), ends.tolist()):
        piece = normalise(text[s:e])
        assert token == (lower_preserving(piece) if lower else piece)
        assert not any(ch.isspace() for ch in token)
    # the definition: TOKEN_PATTERN over the normalised text
    assert [m.span() for m in re.finditer(TOKEN_PATTERN, normalise(text))] == list(zip(starts.tolist(), ends.tolist()))


ZH_TEXT = st.text(
    st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), st.sampled_from("，。、“”《》 \n互利共赢鲁班工坊abc123-")),
    max_size=40,
)


@PROPERTY
@given(text=ZH_TEXT)
def test_zh_token_offsets_slice_back_to_the_token(text):
    df = tokenize(text, lang="zh")
    starts, ends = df["start"].to_numpy(), df["end"].to_numpy()
    assert (starts < ends).all() and (ends[:-1] <= starts[1:]).all()
    for token, s, e in zip(df["token"], starts.tolist(), ends.tolist()):
        assert token == lower_preserving(normalise(text[s:e]))
        assert token.strip() == token and token


# ---------------------------------------------------------------------------------------
# Cleaning


@pytest.mark.parametrize("profile", PROFILES)
@PROPERTY
@given(raw=mixed_text())
def test_cleaning_conserves_characters(profile, raw):
    result = clean_text(raw, profile)
    edits = result.edits
    starts, ends = edits["start"].to_numpy(), edits["end"].to_numpy()
    assert ((0 <= starts) & (starts <= ends) & (ends <= len(raw))).all()
    assert (ends[:-1] <= starts[1:]).all()  # in raw order, disjoint
    # every removed span is the raw characters it says, and the text is rebuilt from them
    rebuilt, pos = [], 0
    for s, e, removed, inserted in zip(starts.tolist(), ends.tolist(), edits["removed"], edits["inserted"]):
        assert raw[s:e] == removed
        rebuilt += [raw[pos:s], inserted]
        pos = e
    rebuilt.append(raw[pos:])
    assert "".join(rebuilt) == result.text
    # the report: kept + removed == input, and kept is what the cleaned text copied
    report = result.report
    by_reason = dict(zip(report["reason"], report["chars_removed"].tolist()))
    kept = by_reason.pop("kept")
    removed = sum(by_reason.values())
    assert kept + removed == len(raw) == result.raw_length
    assert kept == len(result.text) - sum(report["chars_inserted"].tolist())
    assert removed == int((ends - starts).sum())


# ---------------------------------------------------------------------------------------
# Frame counts

CODEBOOK = Codebook.from_dict({"frames": [
    {"id": "F01", "label": "Win-win", "patterns": ["win-win", "mutual benefit*", "shared future"]},
    {"id": "F11", "label": "Dependency", "patterns": ["depend*", "lock* in", r"re:\bimport(?:ed|s)? equipment\b"],
     "exclusions": ["depend* on"]},
    {"id": "F05", "label": "Skills", "patterns": ["skill*", "train*"]},
]})
WORDS = ["win-win", "mutual", "benefits", "shared", "future", "dependency", "depends", "on", "lock", "locked", "in",
         "imported", "equipment", "skills", "training", "the", "and", "Luban", "workshop", "China\u2019s", "WIN\u2013WIN",
         "trust", "2025"]
PARAGRAPH = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(lambda ws: " ".join(ws) + ".")
DOCUMENT = st.lists(PARAGRAPH, min_size=1, max_size=4)


def _counts(pairs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextlabWarning)  # patterns that match nothing in a tiny corpus
        return frame_counts(load_corpus(pairs), CODEBOOK, ci=None)


@PROPERTY
@given(docs=st.lists(DOCUMENT, min_size=2, max_size=4), data=st.data())
def test_frame_counts_invariant_to_document_order(docs, data):
    pairs = [(f"d{i}", "\n\n".join(paragraphs)) for i, paragraphs in enumerate(docs)]
    shuffled = data.draw(st.permutations(pairs))
    key = ["unit", "frame"]
    a = _counts(pairs).sort_values(key, ignore_index=True)
    b = _counts(shuffled).sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)


@PROPERTY
@given(paragraphs=st.lists(PARAGRAPH, min_size=2, max_size=6), data=st.data())
def test_frame_counts_invariant_to_splitting_at_a_paragraph(paragraphs, data):
    cut = data.draw(st.integers(1, len(paragraphs) - 1))
    whole = _counts([("doc", "\n\n".join(paragraphs))])
    split = _counts([("head", "\n\n".join(paragraphs[:cut])), ("tail", "\n\n".join(paragraphs[cut:]))])
    totals = split.groupby("frame", sort=False)[["count", "tokens"]].sum()
    assert totals["count"].tolist() == whole["count"].tolist()
    assert totals["tokens"].tolist() == whole["tokens"].tolist()


# ---------------------------------------------------------------------------------------
# Keyness

TERMS = ["win-win", "dependency", "standards", "luban", "the", "skills", "trust", "lock-in"]
COUNTS = st.dictionaries(st.sampled_from(TERMS), st.integers(0, 500), min_size=1).map(
    lambda d: pd.Series(d, dtype="int64")
).filter(lambda s: s.sum() > 0)
SYMMETRIC = ["g2", "g2_4term", "chi2", "chi2_yates", "bic", "p"]


@PROPERTY
@given(target=COUNTS, reference=COUNTS, extra=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)))
def test_keyness_antisymmetric_when_sides_swap(target, reference, extra):
    c, d = int(target.sum()) + extra[0], int(reference.sum()) + extra[1]
    fwd = keyness(target, reference, total_target=c, total_reference=d).set_index("term")
    rev = keyness(reference, target, total_target=d, total_reference=c).set_index("term").loc[fwd.index]
    assert (fwd["freq_target"] == rev["freq_reference"]).all() and (fwd["total_target"] == rev["total_reference"]).all()
    for col in SYMMETRIC:
        np.testing.assert_allclose(fwd[col], rev[col], rtol=1e-12, atol=1e-300, err_msg=col)
    np.testing.assert_array_equal(fwd["g2"], rev["g2"])  # G2 is exactly symmetric
    np.testing.assert_allclose(fwd["fisher_p"], rev["fisher_p"], rtol=1e-9, atol=1e-300)  # summed in another order
    np.testing.assert_allclose(fwd["log_ratio"], -rev["log_ratio"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fwd["odds_ratio"], 1 / rev["odds_ratio"], rtol=1e-12)
    flip = {"target": "reference", "reference": "target", "none": "none"}
    assert fwd["direction"].map(flip).tolist() == rev["direction"].tolist()
    assert np.isfinite(fwd.select_dtypes("number").to_numpy(float)).all()


@PROPERTY
@given(target=COUNTS, reference=COUNTS)
def test_fightin_words_antisymmetric_when_sides_swap(target, reference):
    assume(len(set(target[target > 0].index) | set(reference[reference > 0].index)) >= 2)  # documented minimum
    fwd = fightin_words(target, reference).set_index("term")
    rev = fightin_words(reference, target).set_index("term").loc[fwd.index]
    np.testing.assert_allclose(fwd["z"], -rev["z"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fwd["variance"], rev["variance"], rtol=1e-12)
