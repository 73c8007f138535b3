"""Bad inputs: every one gets a named error or warning from :mod:`textlab.errors`.

Each case of the table is one distinct failure mode. It asserts the *exact* class (not
just a subclass) and that the message names the culprit (file, field, line, parameter,
group or pattern). Cases whose input should be accepted with a warning also check that
nothing was lost (the empty document is kept with zero tokens, the interval is NaN ...).
The table is the source of the issue note "input -> error/warning".
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from textlab import (
    Codebook,
    compare_groups,
    count_terms,
    document_term_matrix,
    fit_topics,
    frame_counts,
    keyness,
    keyness_one_vs_rest,
    kwic,
    load_corpus,
    scale,
    tokenize,
    topic_prevalence,
)
from textlab.frames import frame_matches, frame_spans
from textlab._zh import zh_token_spans
from textlab.errors import (
    CodebookError,
    CorpusError,
    DecodingError,
    EmptyDocumentWarning,
    GroupError,
    ManifestError,
    NoMatchWarning,
    ParameterError,
    PatternError,
    SmallSampleWarning,
    TextlabError,
    TextlabWarning,
)
from textlab.patterns import compile_pattern, find_matches
from textlab.topics import TopicPreprocessing

ROOT = Path(__file__).resolve().parents[1]

TEXT_A = "Luban workshops train teachers in practical skills.\n\nWin-win cooperation builds trust."
TEXT_B = "Imported equipment creates technological dependency.\n\nStandards lock in suppliers."
CODEBOOK = {"frames": [{"id": "F01", "label": "Win-win", "patterns": ["win-win"]},
                       {"id": "F11", "label": "Dependency", "patterns": ["depend*", "lock* in"]}]}


def sided(sides: list[str], texts: list[str] | None = None):
    """An in-memory corpus with a ``side`` docvar."""
    texts = texts or [TEXT_A if i % 2 == 0 else TEXT_B for i in range(len(sides))]
    return load_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(sides))], "text": texts, "side": sides}))


def write_yaml(tmp: Path, text: str) -> Path:
    path = tmp / "codebook.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# The table. Each action takes a fresh tmp_path and triggers exactly one failure mode.

CASES = []


def case(case_id: str, expected: type, match: str):
    def register(action):
        CASES.append(pytest.param(action, expected, match, id=case_id))
        return action

    return register


# -- corpus directory --------------------------------------------------------------------


@case("missing-directory", CorpusError, r"no-such-corpus: no such directory")
def _(tmp):
    load_corpus(tmp / "no-such-corpus")


@case("path-is-a-file", CorpusError, r"notes\.txt: not a directory")
def _(tmp):
    (tmp / "notes.txt").write_text("text")
    load_corpus(tmp / "notes.txt")


@case("empty-directory", CorpusError, r"empty: no \.txt or \.md files found")
def _(tmp):
    (tmp / "empty").mkdir()
    load_corpus(tmp / "empty")


@case("directory-only-other-suffixes", CorpusError, r"pdfs: no \.txt or \.md files found")
def _(tmp):
    write_corpus(tmp / "pdfs", {"paper.pdf": b"%PDF-1.4", "data.csv": "a,b"})
    load_corpus(tmp / "pdfs")


@case("latin-1-file", DecodingError, r"old\.txt: not valid utf-8 at byte 11 \(line 2\).*encoding=")
def _(tmp):
    write_corpus(tmp / "c", {"old.txt": "Line 1.\nCaf\u00e9 culture.".encode("latin-1")})
    load_corpus(tmp / "c").text("old")


@case("utf-16-without-bom", CorpusError, r"u16\.txt: looks like a binary file .*encoding='utf-16-le'")
def _(tmp):
    write_corpus(tmp / "c", {"u16.txt": "Win-win cooperation.".encode("utf-16-le")})
    load_corpus(tmp / "c").text("u16")


@case("binary-file", CorpusError, r"image\.txt: looks like a binary file")
def _(tmp):
    write_corpus(tmp / "c", {"image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))})
    load_corpus(tmp / "c").text("image")


@case("unknown-encoding-name", ParameterError, r"'encoding' parameter of load_corpus.*'utf-99'")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A})
    load_corpus(tmp / "c", encoding="utf-99").text("a")


@case("empty-document", EmptyDocumentWarning, r"Document 'blank' is empty .*blank\.txt.*kept with zero tokens")
def _(tmp):
    corpus = load_corpus(write_corpus(tmp / "c", {"a.txt": TEXT_A, "blank.txt": ""}))
    assert corpus.doc_ids == ("a", "blank")
    assert corpus.n_tokens()["blank"] == 0


@case("whitespace-only-document", EmptyDocumentWarning, r"Document 'spaces' is empty.*zero tokens")
def _(tmp):
    corpus = load_corpus(write_corpus(tmp / "c", {"a.txt": TEXT_A, "spaces.txt": "  \n\n\t \r\n"}))
    assert "spaces" in corpus
    assert corpus.n_tokens()["spaces"] == 0


@case("empty-text-in-dataframe", EmptyDocumentWarning, r"Document 'e' is empty.*zero tokens")
def _(tmp):
    corpus = load_corpus(pd.DataFrame({"doc_id": ["a", "e"], "text": [TEXT_A, ""]}))
    assert corpus.n_tokens().to_dict()["e"] == 0


# -- manifest ------------------------------------------------------------------------------


@case("duplicate-doc-id-in-manifest", ManifestError, r"manifest\.csv: duplicate doc_id\(s\) \['x'\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "b.txt": TEXT_B}, """
        doc_id,file
        x,a.txt
        x,b.txt
    """)
    load_corpus(tmp / "c")


@case("manifest-row-without-file", ManifestError, r"manifest\.csv: line 3 names 'gone\.txt', which does not exist")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A}, """
        doc_id,file
        a,a.txt
        gone,gone.txt
    """)
    load_corpus(tmp / "c")


@case("file-without-manifest-row", TextlabWarning, r"1 text file\(s\) .* not in the manifest .*\['extra\.txt'\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "extra.txt": TEXT_B}, """
        doc_id,file
        a,a.txt
    """)
    assert load_corpus(tmp / "c").doc_ids == ("a",)


@case("manifest-path-escapes-root", ManifestError, r"line 2 points outside the corpus directory \('\.\./\.\./etc/passwd'\)")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A}, """
        doc_id,file
        passwd,../../etc/passwd
    """)
    load_corpus(tmp / "c")


@case("manifest-absolute-path", ManifestError, r"line 2 points outside the corpus directory \('/etc/hostname'\)")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A}, """
        doc_id,file
        host,/etc/hostname
    """)
    load_corpus(tmp / "c")


@case("manifest-symlink-escapes-root", ManifestError, r"line 2 points outside the corpus directory \('link\.txt'\)")
def _(tmp):
    (tmp / "secret.txt").write_text("outside the corpus")
    write_corpus(tmp / "c", {}, """
        doc_id,file
        link,link.txt
    """)
    (tmp / "c" / "link.txt").symlink_to(tmp / "secret.txt")
    load_corpus(tmp / "c")


@case("symlink-escapes-root-without-manifest", CorpusError, r"link\.txt: .*outside the corpus directory")
def _(tmp):
    (tmp / "secret.txt").write_text("outside the corpus")
    write_corpus(tmp / "c", {"a.txt": TEXT_A})
    (tmp / "c" / "link.txt").symlink_to(tmp / "secret.txt")
    load_corpus(tmp / "c")


@case("manifest-missing-required-column", ManifestError, r"manifest\.csv: missing required column\(s\) \['file'\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A}, """
        doc_id,path,side
        a,a.txt,external
    """)
    load_corpus(tmp / "c")


@case("manifest-empty-doc-id", ManifestError, r"manifest\.csv: empty doc_id on line\(s\) \[5\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "b.txt": TEXT_B}, """
        doc_id,file,title
        a,a.txt,"A title
        on two lines"

        ,b.txt,B
    """)  # lines are counted as an editor shows them: the quoted field and the blank line count
    load_corpus(tmp / "c")


@case("manifest-missing-file-after-blank-lines", ManifestError, r"manifest\.csv: line 5 names 'missing\.txt'")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A})
    (tmp / "c" / "manifest.csv").write_text("doc_id,file\n\na,a.txt\n\nb,missing.txt\n", encoding="utf-8")
    load_corpus(tmp / "c")  # it said line 3


@case("manifest-not-utf8", ManifestError, r"manifest\.csv: not valid UTF-8")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A})
    (tmp / "c" / "manifest.csv").write_bytes("doc_id,file,title\na,a.txt,Caf\u00e9\n".encode("latin-1"))
    load_corpus(tmp / "c")


@case("manifest-unknown-lang", ManifestError, r"manifest\.csv line 2: lang 'fr' is not one of \['en', 'zh'\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A}, """
        doc_id,file,lang
        a,a.txt,fr
    """)
    load_corpus(tmp / "c")


@case("manifest-not-found", ManifestError, r"elsewhere\.csv: manifest not found")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A})
    load_corpus(tmp / "c", manifest=tmp / "elsewhere.csv")


@case("cleaning-hints-malformed-yaml", ManifestError, r"cleaning\.yaml: line 3: malformed YAML")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "cleaning.yaml": "a:\n  heading_levels: {1: [\n"}, """
        doc_id,file
        a,a.txt
    """)
    load_corpus(tmp / "c")


@case("cleaning-hints-key-twice", ManifestError, r"cleaning\.yaml: line 3: malformed YAML \(found the key 'a' twice")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "cleaning.yaml": "a:\n  heading_levels: {'1': 1}\na:\n  heading_levels: {}\n"}, """
        doc_id,file
        a,a.txt
    """)
    load_corpus(tmp / "c")


# -- DataFrame and pairs -----------------------------------------------------------------------


@case("dataframe-two-text-columns", CorpusError, r"The DataFrame has more than one column named \['text'\]")
def _(tmp):
    load_corpus(pd.DataFrame([["a", "x", "y"]], columns=["doc_id", "text", "text"]))  # a raw KeyError


@case("nan-text-repeated-index", CorpusError, r"for doc_id\(s\) \['b'\]\.")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": [TEXT_A, None]}, index=[0, 0]))  # named ['a', 'b']


@case("nan-text-in-dataframe", CorpusError, r"Missing text \(NaN/None\) in column 'text' for doc_id\(s\) \['b'\]")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": [TEXT_A, np.nan]}))


@case("none-text-in-pairs", CorpusError, r"Missing text \(NaN/None\) in column 'text' for doc_id\(s\) \['n'\]")
def _(tmp):
    load_corpus([("a", TEXT_A), ("n", None)])


@case("non-string-text", CorpusError, r"Column 'body' holds non-text values for doc_id\(s\) \['x'\]")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": ["a", "x"], "body": [TEXT_A, 42]}), text_column="body")


@case("dataframe-without-text-column", CorpusError, r"The DataFrame has no 'text' column; columns are \['doc_id', 'content'\]")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": ["a"], "content": [TEXT_A]}))


@case("duplicate-doc-id-in-pairs", CorpusError, r"Duplicate doc_id\(s\) \['a'\]")
def _(tmp):
    load_corpus([("a", TEXT_A), ("a", TEXT_B)])


@case("missing-doc-id-in-dataframe", CorpusError, r"Missing or blank doc_id in column 'doc_id' on row\(s\) \[0, 2\]")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": [None, "b", " "], "text": [TEXT_A, TEXT_B, TEXT_A]}))


@case("same-doc-id-from-two-files", CorpusError, r"a\.md and .*a\.txt would both get doc_id 'a'")
def _(tmp):
    load_corpus(write_corpus(tmp / "c", {"a.txt": TEXT_A, "a.md": TEXT_B}))


@case("item-not-a-pair", CorpusError, r"Item 1 of the iterable is not a \(doc_id, text\) pair")
def _(tmp):
    load_corpus([("a", TEXT_A), "just a string"])


# -- codebook ---------------------------------------------------------------------------------


@case("yaml-python-tag", CodebookError, r"codebook\.yaml: line 1, column 9: YAML tag not allowed")
def _(tmp):
    path = write_yaml(tmp, """
        frames: !!python/object/apply:os.system ["echo pwned"]
    """)
    Codebook.from_yaml(path)


@case("malformed-yaml", CodebookError, r"codebook\.yaml: line 5, column \d+: malformed YAML")
def _(tmp):
    path = write_yaml(tmp, """
        frames:
          - id: F01
            label: Win-win
            patterns: [win-win, mutual
          - id: F02
    """)
    Codebook.from_yaml(path)


@case("yaml-alias-bomb", CodebookError, r"frame 'F02': 'patterns' item 1 must be a non-empty string")
def _(tmp):
    path = write_yaml(tmp, """
        frames:
          - {id: F01, label: a, patterns: &a [w1, w2, w3, w4, w5, w6, w7, w8, w9]}
          - {id: F02, label: b, patterns: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]}
          - {id: F03, label: c, patterns: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]}
          - {id: F04, label: d, patterns: [*c, *c, *c, *c, *c, *c, *c, *c, *c]}
    """)
    Codebook.from_yaml(path)


@case("cleaning-hints-python-tag", ManifestError, r"cleaning\.yaml: line 1: .*python/object/apply:os\.system")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "cleaning.yaml": 'a: !!python/object/apply:os.system ["echo pwned"]\n'}, """
        doc_id,file
        a,a.txt
    """)
    load_corpus(tmp / "c")


@case("codebook-not-found", CodebookError, r"missing\.yaml: codebook file not found")
def _(tmp):
    frame_counts(load_corpus([("a", TEXT_A)]), tmp / "missing.yaml")


@case("codebook-unknown-key", CodebookError, r"frame 'F01'.*unknown key 'pattern'")
def _(tmp):
    Codebook.from_dict({"frames": [{"id": "F01", "label": "Win-win", "pattern": ["win-win"]}]})


@case("codebook-duplicate-frame-id", CodebookError, r"duplicate frame id 'F01'")
def _(tmp):
    frame = {"id": "F01", "label": "Win-win", "patterns": ["win-win"]}
    Codebook.from_dict({"frames": [frame, dict(frame)]})


@case("codebook-empty-patterns", CodebookError, r"frame 'F01'.*'patterns'.* is empty")
def _(tmp):
    Codebook.from_dict({"frames": [{"id": "F01", "label": "Win-win", "patterns": []}]})


@case("codebook-invalid-regex", CodebookError, r"frame 'F11', pattern 're:depend\(ency': Invalid regular expression")
def _(tmp):
    Codebook.from_dict({"frames": [{"id": "F11", "label": "Dependency", "patterns": ["re:depend(ency"]}]})


@case("codebook-catastrophic-regex", CodebookError, r"frame 'F11', pattern 're:\(a\+\)\+\$': Unsafe regular expression")
def _(tmp):
    Codebook.from_dict({"frames": [{"id": "F11", "label": "Dependency", "patterns": ["re:(a+)+$"]}]})


@case("codebook-pattern-matches-nothing", NoMatchWarning, r"1 codebook pattern\(s\) matched nothing.*F02 pattern 'mutual benefit\*'")
def _(tmp):
    codebook = {"frames": [*CODEBOOK["frames"], {"id": "F02", "label": "Mutual", "patterns": ["mutual benefit*"]}]}
    counts = frame_counts(load_corpus([("a", TEXT_A), ("b", TEXT_B)]), codebook, ci=None)
    assert counts["count"].sum() > 0


# -- patterns (kwic) --------------------------------------------------------------------------


@case("kwic-invalid-regex", PatternError, r"Invalid regular expression '\[unclosed'")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "[unclosed", match="regex")


@case("kwic-catastrophic-regex", PatternError, r"Unsafe regular expression '\(\\\\w\+\\\\s\?\)\*\$'")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), r"(\w+\s?)*$", match="regex")


@case("kwic-no-match", NoMatchWarning, r"kwic: no match for 'sovereignty' in the corpus")
def _(tmp):
    assert kwic(load_corpus([("a", TEXT_A)]), "sovereignty").empty


@case("kwic-window-zero", ParameterError, r"'window' parameter of kwic must be an int >= 1; got 0")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "win-win", window=0)


@case("kwic-window-negative", ParameterError, r"'window' parameter of kwic must be an int >= 1; got -3")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "win-win", window=-3)


@case("kwic-window-float", ParameterError, r"'window' parameter of kwic must be an int >= 1; got 2\.5")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "win-win", window=2.5)


@case("kwic-window-string", ParameterError, r"'window' parameter of kwic must be an int >= 1; got '5'")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "win-win", window="5")


@case("kwic-unknown-match-kind", ParameterError, r"'match' parameter of kwic must be one of .*got 'wildcard'")
def _(tmp):
    kwic(load_corpus([("a", TEXT_A)]), "win-win", match="wildcard")


# -- groups and small samples -------------------------------------------------------------------


@case("compare-one-group", GroupError, r"Docvar 'side' has only one group \('cn'\); compare_groups needs two")
def _(tmp):
    compare_groups(sided(["cn", "cn", "cn"]), CODEBOOK)


@case("compare-misspelt-side", GroupError, r"Docvar 'side' has 3 groups \('cn', 'ext', 'externl'\); pass groups=")
def _(tmp):
    compare_groups(sided(["cn", "ext", "externl", "ext"]), CODEBOOK)


@case("compare-empty-side-in-manifest", GroupError, r"Docvar 'side' has no value for document\(s\) \['b'\]")
def _(tmp):
    write_corpus(tmp / "c", {"a.txt": TEXT_A, "b.txt": TEXT_B, "c.txt": TEXT_B}, """
        doc_id,file,side
        a,a.txt,cn
        b,b.txt,
        c,c.txt,ext
    """)
    compare_groups(load_corpus(tmp / "c"), CODEBOOK)


@case("n-tokens-nan-group", GroupError, r"Docvar 'side' has no value for document\(s\) \['d1', 'd2'\]; n_tokens needs one")
def _(tmp):
    sided(["cn", np.nan, "", "ext"]).n_tokens(by="side")  # NaN and "" documents were dropped from the sums


@case("count-terms-nan-group", GroupError, r"Docvar 'side' has no value for document\(s\) \['d1'\]; count_terms needs one")
def _(tmp):
    count_terms(sided(["cn", np.nan, "ext"]), by="side")  # it made a group called nan


@case("dtm-blank-group", GroupError, r"\['d0'\]; document_term_matrix needs one")
def _(tmp):
    document_term_matrix(sided([" ", "cn", "ext"]), by="side")


@case("one-vs-rest-nan-group", GroupError, r"Docvar 'side' has no value for document\(s\) \['d2'\]")
def _(tmp):
    keyness_one_vs_rest(sided(["cn", "ext", np.nan]), by="side")  # a raw KeyError: nan


@case("scale-count-terms-nan-group", GroupError, r"\['d1'\]; scale.count_terms needs one")
def _(tmp):
    scale.count_terms(sided(["cn", np.nan, "ext"]), by="side", scheduler="sync")


@case("subset-by-doc_id-keyword", ParameterError, r"subset: select documents by id with subset\(doc_ids='d0'\)")
def _(tmp):
    sided(["cn", "ext"]).subset(doc_id="d0")  # a raw KeyError: 'doc_id'


@case("subset-value-of-another-type", GroupError,
      r"Unknown value\(s\) \['2020'\] for docvar 'year'; it has: \[2020, 2021\] \(its values are int, not str\)")
def _(tmp):
    load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "year": [2020, 2021], "text": ["x", "y"]})).subset(year="2020")


@case("kwic-docvars-doc_id", ParameterError, r"'doc_id' is always a kwic column; leave it out of 'docvars'")
def _(tmp):
    kwic(sided(["cn", "ext"]), "the", docvars=["doc_id"])


@case("keyness-nan-term", ParameterError, r"The 'target' parameter of keyness has a missing \(NaN\) term")
def _(tmp):
    keyness(pd.Series([1, 2], index=["a", np.nan]), pd.Series([1], index=["a"]))  # a raw TypeError from argsort


@case("one-vs-rest-nan-unit", ParameterError, r"The 'counts' parameter of keyness_one_vs_rest has rows without a unit")
def _(tmp):
    keyness_one_vs_rest(pd.DataFrame({"unit": ["a", np.nan], "term": ["x", "y"], "count": [1, 2]}))


@case("compare-unknown-group-value", GroupError, r"Group 'external' does not occur in docvar 'side'")
def _(tmp):
    compare_groups(sided(["cn", "ext"]), CODEBOOK, groups=("cn", "external"))


@case("compare-unknown-docvar", GroupError, r"Unknown grouping docvar 'camp' for compare_groups")
def _(tmp):
    compare_groups(sided(["cn", "ext"]), CODEBOOK, group="camp")


@case("frame-counts-one-doc-group", SmallSampleWarning, r"1 unit\(s\) have fewer than 2 resampling units.*ext \(1 doc\)")
def _(tmp):
    counts = frame_counts(sided(["cn", "cn", "ext"]), CODEBOOK, by="side", n_boot=50)
    ext = counts[counts["unit"] == "ext"]
    assert ext[["ci_low", "ci_high"]].isna().all().all()  # documented: undefined -> NaN
    assert counts.loc[counts["unit"] == "cn", "ci_low"].notna().all()
    assert (ext["count"] >= 0).all() and ext["per_1k"].notna().all()  # the estimate itself is kept


@case("compare-one-doc-group", SmallSampleWarning, r"group\(s\) 'ext' \(1 doc\) have fewer than 2 resampling units")
def _(tmp):
    out = compare_groups(sided(["cn", "cn", "ext"]), CODEBOOK, resample="doc", n_boot=50, n_perm=99)
    assert out[["ratio_ci_low", "ratio_ci_high", "diff_ci_low", "diff_ci_high"]].isna().all().all()
    assert out["p_perm"].between(0, 1).all()


@case("topic-prevalence-one-unit-group", SmallSampleWarning, r"Group 'ext' of 'side' has 1 unit")
def _(tmp):
    a = "Luban workshops train teachers and students in practical skills."
    b = "Imported equipment and technical standards create technological dependency."
    corpus = sided(["cn"] * 5 + ["ext"], [a if i % 2 else b for i in range(6)])
    prev = topic_prevalence(fit_topics(corpus, 2, unit="doc", passes=2), "side", n_boot=50)
    assert prev.loc[prev["group"] == "ext", ["ci_low", "ci_high"]].isna().all().all()


# -- keyness -----------------------------------------------------------------------------------


@case("keyness-zero-total", ParameterError, r"The 'reference' parameter of keyness must contain at least one token")
def _(tmp):
    keyness(pd.Series({"win-win": 3}), pd.Series({"win-win": 0}))


@case("keyness-negative-count", ParameterError, r"The 'target' parameter of keyness must hold counts >= 0; got a negative count \(term 'win-win': -1\)")
def _(tmp):
    keyness(pd.Series({"win-win": -1, "trust": 4}), pd.Series({"win-win": 2}))


@case("keyness-fractional-count", ParameterError, r"The 'reference' parameter of keyness must hold whole-number counts.*\(term 'win-win': 2\.5\)")
def _(tmp):
    keyness(pd.Series({"win-win": 3}), pd.Series({"win-win": 2.5}))


@case("keyness-total-below-counts", ParameterError, r"total_target")
def _(tmp):
    keyness(pd.Series({"win-win": 30}), pd.Series({"win-win": 2}), total_target=10)


# -- topics ---------------------------------------------------------------------------------------


@case("topics-k-above-segments", ParameterError, r"'k' parameter of fit_topics must be <= the number of units with terms \(4\); got 9")
def _(tmp):
    a = "Luban workshops train teachers and students in practical skills."
    b = "Imported equipment and technical standards create technological dependency."
    fit_topics(load_corpus({f"d{i}": a if i % 2 else b for i in range(4)}), 9, passes=1)


@case("topics-k-one", ParameterError, r"'k' parameter of fit_topics must be an int >= 2; got 1")
def _(tmp):
    fit_topics(load_corpus([("a", TEXT_A)]), 1)


@case("topics-nothing-left-after-filtering", ParameterError, r"Preprocessing left 0 term\(s\).*lower 'no_below'")
def _(tmp):
    fit_topics(load_corpus([("a", TEXT_A), ("b", TEXT_B)]), 2, passes=1)


@pytest.mark.parametrize("action, expected, match", CASES)
def test_bad_input(action, expected, match, tmp_path):
    if issubclass(expected, Warning):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            action(tmp_path)
        ours = [w for w in caught if issubclass(w.category, TextlabWarning)]
        assert [w.category for w in ours] == [expected], [str(w.message) for w in ours]
        assert re.search(match, str(ours[0].message)), str(ours[0].message)  # names the culprit
    else:
        with pytest.raises(TextlabError, match=match) as info:
            action(tmp_path)
        assert type(info.value) is expected


@pytest.mark.parametrize("call", [
    lambda: tokenize("the cat", stopwords="the"),
    lambda: count_terms(load_corpus({"a": "the cat"}), stopwords="the"),
    lambda: document_term_matrix(load_corpus({"a": "the cat"}), stopwords="the"),
    lambda: scale.count_terms(load_corpus({"a": "the cat"}), stopwords="the", scheduler="sync"),
])
def test_a_single_string_of_stopwords_is_refused(call):
    # iterating "the" gives 't', 'h', 'e': the word itself would silently stay
    with pytest.raises(ParameterError, match=r"The 'stopwords' parameter of [\w.]+ must be a collection of words, "
                                             r"such as \['the'\] or textlab.stopwords\('en'\); got 'the'\."):
        call()
    assert tokenize("the cat", stopwords=["the"])["token"].tolist() == ["cat"]


def test_table_has_thirty_distinct_cases():
    ids = [p.id for p in CASES]
    assert len(ids) == len(set(ids)) >= 30
    assert len({p.values[0].__code__.co_firstlineno for p in CASES}) == len(ids)


# ---------------------------------------------------------------------------------------
# Inputs that must be read correctly (decode, never mojibake)


def test_text_suffixes_in_any_case_are_loaded(tmp_path):
    write_corpus(tmp_path / "c", {"A.TXT": TEXT_A, "b.Md": TEXT_B, "skip.csv": "x"})
    assert load_corpus(tmp_path / "c").doc_ids == ("A", "b")  # .TXT and .Md were skipped without a word
    write_corpus(tmp_path / "m", {"a.txt": TEXT_A, "B.TXT": TEXT_B}, """
        doc_id,file
        a,a.txt
    """)
    with pytest.warns(TextlabWarning, match=r"1 text file\(s\) beside listed ones .*\['B\.TXT'\]"):
        load_corpus(tmp_path / "m")


def test_utf16_with_bom_decodes(tmp_path):
    text = "Win-win cooperation \u2014 \u4e92\u5229\u5171\u8d62."
    write_corpus(tmp_path, {"u16.txt": text.encode("utf-16"), "u8bom.txt": "\ufeff" + text})
    corpus = load_corpus(tmp_path)
    assert corpus.raw("u16") == text
    assert corpus.raw("u8bom") == text  # the BOM is not text


def test_utf16_without_bom_decodes_when_declared(tmp_path):
    write_corpus(tmp_path, {"u16.txt": "Win-win \u4e92\u5229.".encode("utf-16-le")})
    assert load_corpus(tmp_path, encoding="utf-16-le").text("u16") == "Win-win \u4e92\u5229."


def test_latin1_decodes_when_declared(tmp_path):
    write_corpus(tmp_path, {"old.txt": "Caf\u00e9 culture.".encode("latin-1")})
    assert load_corpus(tmp_path, encoding="latin-1").text("old") == "Caf\u00e9 culture."


def test_keyness_zero_cells_have_documented_values():
    res = keyness(pd.Series({"only_target": 4, "both": 6}), pd.Series({"only_reference": 5, "both": 6}))
    numeric = res.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(float)).all()  # no inf / NaN leaks
    row = res.set_index("term")
    assert row.loc["only_target", "pct_diff"] == pytest.approx(100 * (4 / 10) / 1e-18)
    assert row.loc["only_reference", "pct_diff"] == -100
    assert row.loc["only_target", "log_ratio"] == pytest.approx(math.log2((4 / 10) / (0.5 / 11)))
    assert row.loc["only_reference", "direction"] == "reference"
    empty = keyness(pd.Series(dtype="int64"), pd.Series(dtype="int64"))
    assert empty.empty and list(empty.columns)[:3] == ["term", "freq_target", "freq_reference"]


# ---------------------------------------------------------------------------------------
# The command line: exit 2, one line on stderr, no traceback


CLI_CASES = [
    pytest.param(["info", "{tmp}/nowhere"], r"^textlab: error: .*nowhere: no such directory\.$", id="cli-missing-dir"),
    pytest.param(["kwic", "{corpus}", "re:(a+)+$", "--match", "regex"], r"^textlab: error: Unsafe regular expression", id="cli-unsafe-regex"),
    pytest.param(["kwic", "{corpus}", "win-win", "--window", "0"], r"^textlab: error: The 'window' parameter of kwic", id="cli-window-zero"),
    pytest.param(["frames", "{corpus}", "--codebook", "{tmp}/none.yaml", "--no-ci"], r"^textlab: error: .*none\.yaml: codebook file not found\.$",
                 id="cli-missing-codebook"),
    pytest.param(["info", "{corpus}", "--out", "{tmp}/no/such/dir/out.csv"], r"^textlab: error: --out .*out\.csv: cannot write",
                 id="cli-out-in-missing-folder"),
    pytest.param(["info", "{corpus}", "--encoding", "klingon"], r"^textlab: error: The 'encoding' parameter .*'klingon'",
                 id="cli-unknown-encoding"),
]


@pytest.mark.parametrize("argv, expected", CLI_CASES)
def test_cli_bad_input_exits_2_with_one_line(argv, expected, tmp_path):
    corpus_dir = write_corpus(tmp_path / "c", {"a.txt": TEXT_A})
    argv = [a.format(tmp=tmp_path, corpus=corpus_dir) for a in argv]
    proc = subprocess.run([sys.executable, "-m", "textlab", *argv], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(expected, lines[0]), lines[0]


# ---------------------------------------------------------------------------------------
# One very large document: memory grows linearly with it (documented limit)

BIG_DOC_SCRIPT = """
import resource, sys
from pathlib import Path
from textlab import kwic, load_corpus

root, mb = Path(sys.argv[1]), float(sys.argv[2])
para = ("Luban workshops train teachers in practical skills, and imported equipment creates "
        "technological dependency. ") * 8 + "\\n\\n"
with open(root / "big.txt", "w") as f:
    for _ in range(int(mb * 1e6 / len(para))):
        f.write(para)
kwic(load_corpus([("warm", para * 3)]), "depend*", window=3)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
corpus = load_corpus(root)
tokens = int(corpus.n_tokens()["big"])
hits = len(kwic(corpus, "depend*", window=3, limit=5))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((root / "big.txt").stat().st_size, tokens, hits, (peak - base) * 1024)
"""

#: Documented limit (README, "When things go wrong"): a document is held whole while it is
#: cleaned and indexed (about 15 bytes per byte of text), and the first kwic call builds
#: its display text with per-character arrays (measured 56 bytes per byte in all for a
#: 5 MB document after the int32 rewrite, 91 before it).
BYTES_PER_DOCUMENT_BYTE = 80


@pytest.mark.slow
def test_large_single_document_memory_is_bounded(tmp_path):
    import os

    mb = os.environ.get("TEXTLAB_BIG_DOC_MB", "10")  # 200 for the case (about 50 s, 3 GB)
    proc = subprocess.run([sys.executable, "-c", BIG_DOC_SCRIPT, str(tmp_path), mb], capture_output=True, text=True,
                          cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr
    size, tokens, hits, increase = map(int, proc.stdout.split())
    assert size >= float(mb) * 0.99e6
    assert tokens > size // 10 and hits == 5  # the whole document was read and indexed
    assert increase < BYTES_PER_DOCUMENT_BYTE * size, f"+{increase / 1e6:.0f} MB for a {size / 1e6:.0f} MB document"


# ---------------------------------------------------------------------------------------
# Safe by construction: no code execution from user input anywhere in the package

UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}
UNSAFE_ATTRIBUTES = {("yaml", "load"), ("yaml", "unsafe_load"), ("yaml", "full_load"), ("yaml", "load_all"),
                     ("yaml", "unsafe_load_all"), ("yaml", "full_load_all"), ("os", "system"), ("os", "popen")}
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "subprocess", "joblib"}


def test_package_has_no_unsafe_loading():
    import ast

    found = []
    for path in sorted((ROOT / "textlab").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name) and f.id in UNSAFE_CALLS:
                    found.append(f"{where} {f.id}()")
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (f.value.id, f.attr) in UNSAFE_ATTRIBUTES:
                    found.append(f"{where} {f.value.id}.{f.attr}()")
            if isinstance(node, ast.Import):
                found += [f"{where} import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
                found.append(f"{where} from {node.module} import")
    assert found == []


def _flag_corpus():
    return load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Win-win cooperation.", "Lock-in risks."],
                                     "side": ["cn", "ext"]}))


_FLAG_CODEBOOK = {"frames": [{"id": "F1", "label": "Win", "patterns": ["win*"]}]}


@pytest.mark.parametrize(
    "func, call",
    [
        ("compile_pattern", lambda v: compile_pattern("win*", case_sensitive=v)),
        ("zh_token_spans", lambda v: zh_token_spans("鲁班工坊", hmm=v)),
        ("TopicPreprocessing", lambda v: TopicPreprocessing(phrases=v)),
        ("tokenize", lambda v: tokenize("Win-win", lower=v)),
        ("count_terms", lambda v: count_terms(_flag_corpus(), numbers=v)),
        ("document_term_matrix", lambda v: document_term_matrix(_flag_corpus(), headings=v)),
        ("Corpus.index", lambda v: _flag_corpus().index(headings=v)),
        ("kwic", lambda v: kwic(_flag_corpus(), "win*", headings=v)),
        ("find_matches", lambda v: find_matches(_flag_corpus(), "win*", headings=v)),
        ("frame_counts", lambda v: frame_counts(_flag_corpus(), _FLAG_CODEBOOK, ci=None, headings=v)),
        ("frame_matches", lambda v: frame_matches(_flag_corpus(), _FLAG_CODEBOOK, headings=v)),
        ("frame_spans", lambda v: frame_spans(_flag_corpus(), _FLAG_CODEBOOK, headings=v)),
        ("compare_groups", lambda v: compare_groups(_flag_corpus(), _FLAG_CODEBOOK, resample="doc", n_boot=5, n_perm=5,
                                                    headings=v)),
        ("scale.count_terms", lambda v: scale.count_terms(_flag_corpus(), lower=v, scheduler="sync")),
        ("scale.kwic", lambda v: scale.kwic(_flag_corpus(), "win*", headings=v, scheduler="sync")),
        ("scale.frame_counts", lambda v: scale.frame_counts(_flag_corpus(), _FLAG_CODEBOOK, ci=None, headings=v,
                                                            scheduler="sync")),
    ],
)
def test_bool_parameters_share_one_check(func, call):
    # one check (textlab.errors.check_bool) for every flag: True/False and numpy bools
    # (a DataFrame cell) are taken, 0, 1, "yes" and None are errors naming the parameter
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a two-document corpus is a small sample
        for value in (True, False, np.True_, np.False_):
            call(value)
    for value in (0, 1, "yes", None):
        with pytest.raises(ParameterError, match=rf"parameter of {func} must be a bool; got {re.escape(repr(value))}"):
            call(value)


def test_numpy_bool_flags_are_stored_as_bools():
    p = TopicPreprocessing(numbers=np.True_, phrases=np.False_)
    assert type(p.numbers) is bool and type(p.phrases) is bool
    assert p == TopicPreprocessing(numbers=True, phrases=False)
