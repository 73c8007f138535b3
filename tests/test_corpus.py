"""Loading corpora and the Corpus object."""

import os
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from textlab import kwic, load_corpus
from textlab.errors import (
    CorpusError,
    DecodingError,
    EmptyDocumentWarning,
    GroupError,
    ManifestError,
    ParameterError,
    TextlabWarning,
)


def test_project_manifest(corpus):
    dv = corpus.docvars
    assert dv.columns[0] == "doc_id"
    assert corpus.doc_ids == ("yu2025", "anon_central_asia", "yan_hao2026", "external_kz", "zong2026")
    assert dv.set_index("doc_id")["side"].value_counts().to_dict() == {"chinese_policy": 4, "external": 1}
    # unknown metadata stays empty, never guessed
    ext = dv.set_index("doc_id").loc["external_kz"]
    assert ext["title"] == "" and ext["authors"] == "" and pd.isna(ext["year"]) and ext["licence"] == ""


def _recorded_sums() -> dict[str, str]:
    """corpus/SHA256SUMS: the sha256 of each seed file as received (``sha256sum`` format)."""
    from conftest import CORPUS_DIR

    lines = (CORPUS_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in lines if line.strip())}


def test_raw_files_are_byte_identical_to_the_seeds_as_received(corpus):
    """Runs in any clone (it needed ../shared/seeds beside the checkout, so CI skipped it)."""
    import hashlib

    from conftest import CORPUS_DIR

    recorded = _recorded_sums()
    dv = corpus.docvars.set_index("doc_id")
    assert sorted(recorded) == sorted(dv["source_file"])
    for doc_id in corpus.doc_ids:
        ours = hashlib.sha256((CORPUS_DIR / dv.loc[doc_id, "file"]).read_bytes()).hexdigest()
        assert ours == recorded[dv.loc[doc_id, "source_file"]], doc_id


def test_recorded_sums_are_those_of_the_shared_seeds():
    import hashlib
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout (the recorded sums are checked above)")
    for name, digest in _recorded_sums().items():
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == digest, name


def test_subset_and_segments(corpus):
    ext = corpus.subset(side="external")
    assert ext.doc_ids == ("external_kz",)
    with pytest.raises(GroupError, match="Unknown value\\(s\\) \\['western'\\] for docvar 'side'"):
        corpus.subset(side="western")
    with pytest.raises(GroupError, match="Unknown docvar 'genre'"):
        corpus.subset(genre="x")
    segs = corpus.segments("paragraph")
    dv = segs.docvars
    assert {"parent_doc_id", "section", "side", "start", "end"} <= set(dv.columns)
    row = dv.iloc[3]
    assert segs.text(row["doc_id"]) == corpus.text(row["parent_doc_id"])[row["start"]:row["end"]]
    assert segs.n_tokens().sum() == corpus.n_tokens().sum()
    sents = corpus.segments("sentence")
    assert len(sents) == len(corpus.sentence_table())
    sections = corpus.segments("section")
    assert sections.n_tokens().sum() == corpus.n_tokens().sum()


def test_segments_of_segments_keep_every_generation():
    c = load_corpus(pd.DataFrame({"doc_id": ["a"], "section": ["intro"], "start": [7], "parent_note": ["n"],
                                  "text": ["First sentence here. Second one.\n\nNew paragraph."]}))
    paragraphs = c.segments()
    dv = paragraphs.docvars.set_index("doc_id")
    assert dv.loc["a:000", ["parent_doc_id", "start", "end", "parent_section", "parent_start"]].tolist() == [
        "a", 0, 32, "intro", 7]  # the parent's own section and start were renamed section_y / start_y
    sentences = paragraphs.segments("sentence")
    sv = sentences.docvars.set_index("doc_id")
    assert sv.loc["a:001:000.0", ["parent_doc_id", "parent_parent_doc_id", "parent_start", "parent_parent_start",
                                  "parent_parent_section", "parent_note"]].tolist() == [
        "a:001", "a", 34, 7, "intro", "n"]  # a raw ValueError: column label 'parent_doc_id' is not unique
    for d in sentences.doc_ids:
        parent = sv.loc[d, "parent_doc_id"]
        assert sentences.text(d) == paragraphs.text(parent)[sv.loc[d, "start"]:sv.loc[d, "end"]]


@pytest.mark.parametrize("level", ["paragraph", "sentence", "section"])
def test_segments_of_an_empty_document(level):
    c = load_corpus({"a": ""})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyDocumentWarning)
        out = c.segments(level)  # sentence: a raw merge ValueError
    assert len(out) == 0 and list(out.docvars.columns)[:6] == ["doc_id", "parent_doc_id", "section", "kind", "start", "end"]


def test_tokens_point_into_clean_text(corpus):
    toks = corpus.tokens("yan_hao2026", lower=False)
    text = corpus.text("yan_hao2026")
    norm = corpus.norm("yan_hao2026")
    assert all(norm[s:e] == t for t, s, e in zip(toks["token"].head(500), toks["start"], toks["end"]))
    assert len(text) == len(norm)


def test_load_from_dataframe_mapping_and_pairs():
    df = pd.DataFrame({"id": ["a", "b"], "body": ["one", "two"], "side": ["x", "y"]})
    c = load_corpus(df, id_column="id", text_column="body")
    assert c.docvars.columns.tolist() == ["doc_id", "side", "lang"]  # lang: detected, appended
    assert load_corpus({"a": "one"}).text("a") == "one"
    assert load_corpus([("a", "one")]).text("a") == "one"


def test_directory_without_manifest(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Beta.", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("Alpha.", encoding="utf-8")
    (tmp_path / "README.md").write_text("Not a document.", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.doc_ids == ("b", "sub/a")


def test_empty_document_is_kept_with_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("   \n", encoding="utf-8")
    c = load_corpus(tmp_path)
    with pytest.warns(EmptyDocumentWarning, match="'b' is empty"):
        assert c.n_tokens().to_dict() == {"a": 1, "b": 0}


def test_manifest_errors_name_the_culprit(tmp_path):
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("doc_id,file\na,a.txt\na,a.txt\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"duplicate doc_id\(s\) \['a'\]"):
        load_corpus(tmp_path)
    (tmp_path / "manifest.csv").write_text("doc_id,file\na,../../etc/passwd\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="line 2 points outside the corpus directory"):
        load_corpus(tmp_path)
    (tmp_path / "manifest.csv").write_text("doc_id,path\na,a.txt\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"missing required column\(s\) \['file'\]"):
        load_corpus(tmp_path)


def test_unknown_doc_id_and_source_type(corpus):
    with pytest.raises(CorpusError, match="Unknown doc_id 'nope'"):
        corpus.text("nope")
    with pytest.raises(ParameterError, match="'source' parameter of load_corpus"):
        load_corpus(42)


def test_summary_and_cleaning_summary(corpus):
    s = corpus.summary().set_index("doc_id")
    assert s.loc["external_kz", "chars_removed"] == 0
    assert (s["chars_raw"] - s["chars_removed"] <= s["chars_clean"]).all()
    cs = corpus.cleaning_summary()
    total = cs.groupby("doc_id")["chars_removed"].sum()
    assert total.to_dict() == s["chars_raw"].to_dict()


# -- loading: bad input is named, never shifted, skipped or doubled in silence ------------


@pytest.mark.parametrize("manifest, line", [
    pytest.param("doc_id,file,side\n001,a.txt,cn,\n002,b.txt,ext,\n", 2, id="trailing-comma"),  # "'cn' does not exist"
    pytest.param("doc_id,file\nx,a.txt,b.txt\n", 2, id="shifted-onto-a-file"),  # it loaded b.txt as document 'a.txt'
    pytest.param("doc_id,file,title\n001,a.txt,Belt and Road\n\n002,b.txt,Belt, Road\n", 4, id="unquoted-comma"),
])
def test_manifest_row_with_more_fields_than_the_header(tmp_path, manifest, line):
    write_corpus(tmp_path, {"a.txt": "A.", "b.txt": "B.", "manifest.csv": manifest})
    header = manifest.split("\n")[0].count(",") + 1
    with pytest.raises(ManifestError, match=rf"manifest\.csv line {line} has {header + 1} fields, the header has "
                                            rf"{header} \(an unquoted comma or a trailing delimiter\?\)"):
        load_corpus(tmp_path)


def test_manifest_header_spaces_and_short_rows(tmp_path):
    write_corpus(tmp_path, {"a.txt": "A.", "b.txt": "B.",
                           "manifest.csv": " doc_id , file ,side\n001,a.txt,cn\n002,b.txt\n"})
    dv = load_corpus(tmp_path).docvars
    assert dv.columns.tolist() == ["doc_id", "file", "side", "lang"]  # it said: missing required column(s)
    assert dv["side"].tolist() == ["cn", ""]  # a missing last field is empty


@pytest.mark.parametrize("manifest, hint", [
    pytest.param("doc_id;file\na;a.txt\n", r"missing required column\(s\) \['doc_id', 'file'\].*the header looks "
                 r"';'-delimited", id="semicolons"),
    pytest.param("doc_id\tfile\na\ta.txt\n", r"missing required column\(s\).*the header looks tab-delimited", id="tabs"),
    pytest.param("Doc_ID,file\na,a.txt\n", r"missing required column\(s\) \['doc_id'\].*did you mean 'doc_id' "
                 r"\(for 'Doc_ID'\)", id="case"),
    pytest.param("doc_id,FileName\na,a.txt\n", r"did you mean 'file' \(for 'FileName'\)", id="longer-name"),
    pytest.param("doc_id,file,side,side\na,a.txt,x,y\n", r"the header names column\(s\) \['side'\] more than once",
                 id="column-twice"),  # pandas renamed the second 'side.1'
    pytest.param("doc_id,file,side\n", r"manifest\.csv: the manifest lists no documents", id="header-only"),
    pytest.param("doc_id,file\na,sub\n", r"manifest\.csv: line 2 names 'sub', which is a directory", id="directory"),
])
def test_manifest_header_and_file_hints(tmp_path, manifest, hint):
    write_corpus(tmp_path, {"a.txt": "A.", "sub/b.txt": "B.", "manifest.csv": manifest})
    with pytest.raises(ManifestError, match=f"(?i){hint}"):
        load_corpus(tmp_path)


def test_manifest_listing_a_file_twice_warns(tmp_path):
    write_corpus(tmp_path, {"a.txt": "A.", "manifest.csv": "doc_id,file\n001,a.txt\n002,./a.txt\n"})
    with pytest.warns(TextlabWarning, match=r"manifest\.csv: 1 file\(s\) are loaded as more than one document.*"
                                            r"a\.txt as '001' and '002'"):
        assert load_corpus(tmp_path).doc_ids == ("001", "002")


def test_directory_skips_hidden_files_and_folders(tmp_path):
    write_corpus(tmp_path, {"a.txt": "A.", ".b.txt": "Hidden.", ".git/notes.txt": "Git.", "sub/.c.md": "Hidden.",
                           "sub/d.md": "D."})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_corpus(tmp_path).doc_ids == ("a", "sub/d")


def test_directory_links_are_named(tmp_path):
    write_corpus(tmp_path / "c", {"a.txt": "A.", "real/r.txt": "R."})
    write_corpus(tmp_path, {"elsewhere/e.txt": "E."})
    os.symlink("/nonexistent/b.txt", tmp_path / "c" / "b.txt")
    os.symlink(tmp_path / "elsewhere", tmp_path / "c" / "linked")
    os.symlink("a.txt", tmp_path / "c" / "alias.txt")
    os.symlink("loop.txt", tmp_path / "c" / "loop.txt")  # a link to itself
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(tmp_path / "c")
    assert corpus.doc_ids == ("a", "alias", "real/r")
    messages = [str(w.message) for w in caught if issubclass(w.category, TextlabWarning)]
    assert len(messages) == 3, messages  # all three were silent
    assert {w.filename for w in caught} == {__file__}  # pointed at the caller
    assert any(re.search(r"2 broken link\(s\), skipped: \['b\.txt -> /nonexistent/b\.txt', 'loop\.txt -> loop\.txt'\]", m)
               for m in messages)
    assert any(re.search(r"1 link\(s\) to folders, not followed .*\['linked'\]", m) for m in messages)
    assert any(re.search(r"a\.txt as 'a' and 'alias'", m) for m in messages)


@pytest.mark.parametrize("text, codec, advice", [
    pytest.param("鲁班工坊在中亚的建设与发展，对于深化合作具有重要意义。", "gb18030", "encoding='gb18030'", id="gb18030"),
    pytest.param("职业教育", "gbk", "encoding='gb18030'", id="gbk-short"),
    pytest.param("魯班工坊在中亞的建設與發展，對於深化合作具有重要意義。", "big5", "encoding='big5'", id="big5"),
    pytest.param("Line 1.\nCafé culture, préférence, Straße.", "cp1252", "encoding='latin-1' or 'cp1252'", id="cp1252"),
])
def test_decoding_error_suggests_the_likely_codec(tmp_path, text, codec, advice):
    write_corpus(tmp_path, {"a.txt": text.encode(codec)})
    with pytest.raises(DecodingError, match=rf"a\.txt: not valid utf-8 .*{re.escape(advice)}.*applies to every file"):
        load_corpus(tmp_path).text("a")
    suggested = re.search(r"encoding='([^']+)'", advice).group(1)
    if suggested != "latin-1":
        assert load_corpus(tmp_path, encoding=suggested).text("a") == text


def test_nul_byte_anywhere_is_a_binary_file(tmp_path):
    write_corpus(tmp_path, {"a.txt": b"x" * 9000 + b"\n\x00y"})  # past the first 8 KB: it loaded silently
    with pytest.raises(CorpusError, match=r"a\.txt: looks like a binary file \(NUL bytes, the first at byte 9001, "
                                          r"line 2\)"):
        load_corpus(tmp_path).text("a")


@pytest.mark.parametrize("kwargs, name", [
    ({"encoding": None}, "encoding"), ({"encoding": 5}, "encoding"), ({"encoding": "base64"}, "encoding"),
    ({"manifest": 5}, "manifest"),
])
def test_load_corpus_checks_its_parameters(tmp_path, kwargs, name):
    write_corpus(tmp_path, {"a.txt": "A."})
    with pytest.raises(ParameterError, match=f"The '{name}' parameter of load_corpus"):  # a raw TypeError
        load_corpus(tmp_path, **kwargs)


def test_lang_has_the_dtype_of_the_other_docvars(tmp_path):
    write_corpus(tmp_path, {"a.txt": "Win-win cooperation.", "b.txt": "鲁班工坊是职业教育合作的品牌。",
                           "manifest.csv": "doc_id,file,side,lang\na,a.txt,cn,en\nb,b.txt,ext,\n"})
    corpus = load_corpus(tmp_path)
    given, detected = corpus.subset(["a"]), corpus.subset(["b"])  # lang from the manifest / from the text
    side = corpus.docvars["side"].dtype
    for c in (corpus, given, detected, load_corpus(tmp_path, lang="en")):
        assert c.docvars["lang"].dtype == side
    assert kwic(given, "cooperation", docvars=["lang"])["lang"].dtype == side  # object before


def test_unknown_doc_id_of_another_type_says_ids_are_str():
    with pytest.raises(CorpusError, match=r"Unknown doc_id 1 \(doc_ids are str, not int: pass '1'\)"):
        load_corpus({1: "x", 2: "y"}).text(1)


def test_grouping_an_empty_corpus_is_clean():
    corpus = load_corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"], "side": ["cn"]})).subset(doc_ids=[])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a Pandas4Warning from `values.isna() | blank`
        assert corpus.n_tokens(by="side").empty


def test_chinese_paragraphs_split_by_jieba_words(tmp_path):
    """A 400-word Chinese paragraph stayed one segment with max_words=50: its sentences were
    not found and each run of Han characters counted as one word."""
    text = "鲁班工坊推动产教融合，技术依赖值得警惕，获得感如何衡量。" * 40
    (tmp_path / "z.txt").write_text(text, encoding="utf-8")
    for source in ({"z": text}, tmp_path):
        c = load_corpus(source, max_words=50)
        segs = c.segment_table()
        words = [len(c.tokens("z").query("@s <= start < @e")) for s, e in zip(segs["start"], segs["end"])]
        assert len(segs) == 8 and sum(words) == 400 and max(words) <= 50
        idx = c.index()
        assert np.diff(idx.segment_offsets).tolist() == words  # the index cuts where the table does


def test_files_are_read_by_absolute_path(tmp_path, monkeypatch):
    """Paths were kept relative to the directory the corpus was loaded from: a Dask worker
    elsewhere, or the caller after os.chdir, got 'file not found'."""
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Some text.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    c = load_corpus("c")
    monkeypatch.chdir("/")
    assert c.text("a") == "Some text."


def test_empty_document_warning_points_at_the_caller():
    c = load_corpus({"a": "Text.", "e": "  "})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c.n_tokens()
    assert [(w.category.__name__, w.filename) for w in caught] == [("EmptyDocumentWarning", __file__)]


def test_a_chinese_paper_is_segmented_by_jieba_once(monkeypatch):
    """The paper profile's segment table ran jieba on every paragraph (and every sentence of
    a long one) after the index had run it on the whole text."""
    import importlib

    import textlab.corpus as corpus_module

    segment_module = importlib.import_module("textlab.segment")  # textlab.segment is also the function
    calls = []

    def counting(text, **kwargs):
        calls.append(len(text))
        return token_spans(text, **kwargs)

    from textlab.tokenize import token_spans

    monkeypatch.setattr(corpus_module, "token_spans", counting)
    monkeypatch.setattr(segment_module, "token_spans", counting)
    paragraph = "鲁班工坊推动产教融合，技术依赖值得警惕，获得感如何衡量。" * 10
    text = "\n\n".join(["一、引言", paragraph, paragraph, "二、结论", paragraph])
    c = load_corpus({"z": text}, profile="paper", max_words=50, lang="zh")
    index = c.index()
    assert len(calls) == 1
    segs = c.segment_table()
    body = segs[segs["kind"] == "paragraph"]
    assert len(body) == 6 and np.diff(index.segment_offsets).max() <= 50  # 100 words: two pieces each
