"""Loading corpora and the Corpus object."""

import warnings

import pandas as pd
import pytest

from textlab import load_corpus
from textlab.errors import CorpusError, EmptyDocumentWarning, GroupError, ManifestError, ParameterError


def test_project_manifest(corpus):
    dv = corpus.docvars
    assert dv.columns[0] == "doc_id"
    assert corpus.doc_ids == ("yu2025", "anon_central_asia", "yan_hao2026", "external_kz", "zong2026")
    assert dv.set_index("doc_id")["side"].value_counts().to_dict() == {"chinese_policy": 4, "external": 1}
    # unknown metadata stays empty, never guessed
    ext = dv.set_index("doc_id").loc["external_kz"]
    assert ext["title"] == "" and ext["authors"] == "" and pd.isna(ext["year"]) and ext["licence"] == ""


def test_raw_files_are_unchanged_copies_of_the_seeds(corpus):
    import hashlib
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    dv = corpus.docvars.set_index("doc_id")
    for doc_id in corpus.doc_ids:
        ours = hashlib.sha256(corpus.raw(doc_id).encode()).hexdigest()
        theirs = hashlib.sha256((seeds / dv.loc[doc_id, "source_file"]).read_bytes()).hexdigest()
        assert ours == theirs


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
