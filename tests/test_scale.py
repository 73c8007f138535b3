"""textlab.scale gives exactly the in-process results, on a LocalCluster and in-process schedulers."""

import logging
import warnings
from pathlib import Path

import dask
import dask.bag as db
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import textlab
from textlab import Codebook, load_corpus, scale
from textlab.errors import CorpusError, DecodingError, EmptyDocumentWarning, GroupError, NoMatchWarning, ParameterError, PatternError
from textlab.kwic import KWIC_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

SYNTHETIC = pd.DataFrame(
    {
        "doc_id": ["p1", "n1", "e1", "p2", "u1", "n2"],
        "text": [
            # a paper whose line-end hyphen is attested only by p2, in another partition
            "## 1 Intro\n\nThe Partner-\n\nship builds win-win cooperation and technological dependency.\n",
            "Headline\nMutual benefit, win-win, and a shared future for both sides.\nDependency? No.",
            "",
            "## 2 Results\n\nA partnership. It depends on funding; dependency deepens. Win-win again.\n\n"
            "A second paragraph: mutual benefits and dependence.",
            "İstanbul talks: China\u2019s win\u2013win and de\u0301pendance. Cafe\u0301 2025.",
            "Lock-in. Win-win. Technological dependency is a risk.",
        ],
        "side": ["cn", "ext", "ext", "cn", "ext", "ext"],
        "profile": ["paper", "news", "plain", "paper", "plain", "news"],
    }
)
CODEBOOK = {
    "frames": [
        {"id": "F01", "label": "Win-win", "patterns": ["win-win", "mutual benefit*"]},
        {"id": "F11", "label": "Dependency", "patterns": ["depend*"], "exclusions": [r"re:\bdepends?\s+on\b"]},
        {"id": "F20", "label": "Unused", "patterns": ["zzzunused"]},
    ]
}


@pytest.fixture(scope="module")
def project():
    return load_corpus(CORPUS), Codebook.from_yaml(CORPUS / "codebook.yaml")


@pytest.fixture(scope="module")
def synthetic():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyDocumentWarning)
        corpus = load_corpus(SYNTHETIC)
        corpus.text("e1")  # warns once, in-process
    return corpus, Codebook.from_dict(CODEBOOK)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.logging.distributed": "error"}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        )
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def assert_same_dtm(a, b):
    assert a.units == b.units and a.terms == b.terms
    assert a.matrix.shape == b.matrix.shape and (a.matrix != b.matrix).nnz == 0
    for name in ("data", "indices", "indptr"):
        assert getattr(a.matrix, name).dtype == getattr(b.matrix, name).dtype
        np.testing.assert_array_equal(getattr(a.matrix, name), getattr(b.matrix, name))


def check_everything(corpus, cb, source, **kw):
    """Every verb on ``source`` (a Dask view of ``corpus``) equals the in-process verb."""
    for by in ("doc", "segment", "side"):
        assert_frame_equal(scale.count_terms(source, by=by, **kw), textlab.count_terms(corpus, by=by))
        assert_same_dtm(scale.document_term_matrix(source, by=by, **kw), textlab.document_term_matrix(corpus, by=by))
    stop = textlab.stopwords("en")
    assert_frame_equal(
        scale.count_terms(source, numbers=False, stopwords=stop, headings=True, **kw),
        textlab.count_terms(corpus, numbers=False, stopwords=stop, headings=True),
    )
    for by, resample in (("doc", None), ("segment", None), ("side", None), ("side", "sentence")):
        ours = quiet(scale.frame_counts, source, cb, by=by, resample=resample, n_boot=300, **kw)
        theirs = quiet(textlab.frame_counts, corpus, cb, by=by, resample=resample, n_boot=300)
        assert_frame_equal(ours, theirs)
    assert quiet(scale.frame_counts, source, cb, by="side", **kw)["ci_low"].notna().any()  # the CI columns are compared
    for headings in (False, True):
        assert_frame_equal(
            quiet(scale.frame_matches, source, cb, headings=headings, **kw),
            quiet(textlab.frame_matches, corpus, cb, headings=headings),
        )
    for pattern, options in ((["depend*", "win-win"], {"docvars": True}), ("depend*", {"limit": 3, "window": 2}),
                             ("depend*", {"limit": 2, "docvars": ["side"]}), ("mutual benefit*", {"headings": True}),
                             ("depend*", {"window": 4, "window_unit": "chars"})):
        ours, theirs = scale.kwic(source, pattern, **options, **kw), textlab.kwic(corpus, pattern, **options)
        assert_frame_equal(ours, theirs)
        assert ours.attrs == theirs.attrs and set(theirs.attrs) == {"n_matches", "truncated"}, (pattern, options)


# ---------------------------------------------------------------------------------------
# On a LocalCluster (2 worker processes)


def test_project_corpus_on_cluster(project, client):
    corpus, cb = project
    # persisted: the partitions stay on the workers with their cleaned texts and indexes
    bag = client.persist(scale.documents(corpus, npartitions=3))
    check_everything(corpus, cb, bag, scheduler=client)


def test_synthetic_corpus_on_cluster_with_active_client(synthetic, client):
    corpus, cb = synthetic
    assert "Partnership" in corpus.text("p1")  # attested by p2: only the whole corpus's vocabulary joins it
    bag = scale.documents(corpus, npartitions=4)
    assert [len(p) for p in bag.compute(scheduler="sync")] and bag.npartitions == 4
    assert scale.documents(bag) is bag
    with client.as_current():  # scheduler=None: the active client
        check_everything(corpus, cb, bag)


def test_paths_are_read_on_the_workers(project, client, tmp_path):
    corpus, cb = project
    bag = scale.documents(CORPUS, npartitions=5)
    parts = bag.compute(scheduler="sync")
    assert [p.doc_ids for p in parts] == [(d,) for d in corpus.doc_ids]
    assert all(d.text_value is None for p in parts for d in p._docs.values())  # paths only, read where used
    assert_frame_equal(scale.count_terms(bag, scheduler=client), textlab.count_terms(corpus))


def test_warnings_from_workers_are_raised_on_the_client(synthetic, client):
    corpus, cb = synthetic
    fresh = load_corpus(SYNTHETIC.iloc[:3])  # e1 not read yet
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scale.count_terms(fresh, npartitions=3, scheduler=client)
    # pointed at this line (it pointed one frame higher: pytest's, or sys:1 in a script)
    assert [(w.category, w.filename) for w in caught] == [(EmptyDocumentWarning, __file__)]
    assert "'e1' is empty" in str(caught[0].message)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = scale.kwic(corpus, "nowhere*", npartitions=3, scheduler=client)
    assert out.empty and list(out.columns) == KWIC_COLUMNS
    assert [str(w.message) for w in caught if w.category is NoMatchWarning] == ["kwic: no match for 'nowhere*' in the corpus."]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scale.kwic(corpus, ["depend*", "nowhere*"], npartitions=3, scheduler=client)  # matched in one partition
        textlab.kwic(corpus, ["depend*", "nowhere*"])
    assert [str(w.message) for w in caught if w.category is NoMatchWarning] == [
        "kwic: no match for 'nowhere*' in the corpus."] * 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scale.frame_counts(corpus, cb, ci=None, npartitions=3, scheduler=client)
    matched_nothing = [str(w.message) for w in caught if w.category is NoMatchWarning]
    assert len(matched_nothing) == 1 and "F20 pattern 'zzzunused'" in matched_nothing[0]
    assert "depend" not in matched_nothing[0]  # unmatched in some partitions only: not reported


# ---------------------------------------------------------------------------------------
# In-process schedulers, other sources, errors


def test_synchronous_scheduler(synthetic, project):
    corpus, cb = synthetic
    check_everything(corpus, cb, corpus, npartitions=6, scheduler="sync")
    corpus, cb = project
    assert_frame_equal(
        quiet(scale.frame_counts, corpus, cb, by="side", n_boot=200, npartitions=2, scheduler="sync"),
        quiet(textlab.frame_counts, corpus, cb, by="side", n_boot=200),
    )


def test_language_warnings_are_those_of_the_whole_corpus():
    # partition 1 has no zh document: its 'unmatched' zh pattern must not count as matching
    # nothing, nor hide the frame measured in no zh document; partition 2 has zh only
    book = {"frames": [{"id": "A", "label": "a", "patterns": {"en": ["win-win"], "zh": ["共赢", "互惠"]}},
                       {"id": "B", "label": "b", "patterns": {"en": ["lock-in"]}}]}
    corpus = load_corpus(pd.DataFrame({"doc_id": ["e1", "e2", "z1"], "lang": ["en", "en", "zh"],
                                       "text": ["Win-win.", "Lock-in.", "双方实现共赢。"]}))

    def messages(verb, *args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            verb(*args, **kwargs)
        return [str(w.message) for w in caught if w.category is NoMatchWarning]

    expected = messages(textlab.frame_counts, corpus, book, ci=None)
    assert expected == ["1 codebook pattern(s) matched nothing in the corpus (check them): A pattern '互惠'.",
                        "1 frame(s) have no patterns for a language of the corpus, so their counts in its documents "
                        "are 0 without being measured: B (zh). List patterns under that language (or as a plain "
                        "list, for every language)."]
    assert messages(scale.frame_counts, corpus, book, ci=None, npartitions=2, scheduler="sync") == expected
    assert messages(scale.frame_matches, corpus, book, npartitions=2, scheduler="sync") == expected


def test_known_words_are_shared_between_partitions(synthetic):
    corpus, _ = synthetic
    parts = scale.documents(corpus, npartitions=6).compute(scheduler="sync")
    assert [p.text(p.doc_ids[0]) for p in parts] == [corpus.text(d) for d in corpus.doc_ids]
    alone = load_corpus(SYNTHETIC.iloc[:1])  # what a partition would clean without the shared vocabulary
    assert "Partner-ship" in alone.text("p1")


def test_bag_of_pairs_and_partitioned_frames(synthetic):
    corpus, _ = synthetic
    pairs = list(zip(SYNTHETIC["doc_id"], SYNTHETIC["text"]))
    plain = quiet(load_corpus, pairs, profile="paper")
    bag = db.from_sequence(pairs, npartitions=3)
    ours = quiet(scale.count_terms, scale.documents(bag, profile="paper"), scheduler="sync")
    assert_frame_equal(ours, quiet(textlab.count_terms, plain))
    assert_frame_equal(quiet(scale.kwic, bag, "depend*", scheduler="sync"), quiet(textlab.kwic, load_corpus(pairs), "depend*"))

    class Partitioned:  # what scale uses of a dask.dataframe.DataFrame (dask.dataframe needs pyarrow)
        columns = SYNTHETIC.columns

        def to_delayed(self):
            return [dask.delayed(SYNTHETIC.iloc[a:b]) for a, b in ((0, 2), (2, 2), (2, 6))]

    Partitioned.__module__ = "dask.dataframe.fake"
    for by in ("doc", "side"):
        assert_frame_equal(quiet(scale.count_terms, Partitioned(), by=by, scheduler="sync"),
                           textlab.count_terms(corpus, by=by))


def test_a_doc_id_repeated_across_partitions_is_refused():
    bag = db.from_sequence([("a", "Win-win."), ("b", "x"), ("a", "y")], npartitions=2)  # each partition is unique
    cb = {"frames": [{"id": "W", "label": "W", "patterns": ["win-win"]}]}
    for verb, args in ((scale.count_terms, ()), (scale.frame_counts, (cb,)), (scale.kwic, ("win-win",))):
        with pytest.raises(CorpusError, match=r"Duplicate doc_id\(s\) \['a'\] in the corpus source"):
            verb(bag, *args, scheduler="sync")  # count_terms gave two units 'a', frame_counts a raw pandas error


def test_partitions_balance_text_and_keep_order():
    texts = {f"d{i}": "word " * (10 if i % 4 else 400) for i in range(40)}
    parts = scale.documents(texts, npartitions=4).compute(scheduler="sync")
    assert [d for p in parts for d in p.doc_ids] == list(texts)
    sizes = [sum(len(p.text(d)) for d in p.doc_ids) for p in parts]
    assert len(parts) == 4 and max(sizes) < 1.5 * min(sizes)
    assert len(scale.documents(texts, npartitions=100).compute(scheduler="sync")) == 40


def test_a_file_a_worker_cannot_read_names_the_worker(client, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Text {name}.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    (tmp_path / "b.txt").unlink()  # gone after loading: the worker is the first to miss it
    with pytest.raises(CorpusError, match=r"b\.txt.*read on the Dask worker tcp://.*, working directory "):
        scale.count_terms(corpus, scheduler=client)
    with pytest.raises(CorpusError, match=r"b\.txt") as raised:  # in-process schedulers: the plain message
        scale.count_terms(corpus, scheduler="sync")
    assert "Dask worker" not in str(raised.value)
    (tmp_path / "b.txt").write_bytes("鲁班工坊推动产教融合".encode("gb18030"))
    with pytest.raises(DecodingError) as raised:  # read, but not UTF-8: its own type, no advice about paths
        scale.count_terms(load_corpus(tmp_path), scheduler=client)
    assert "Dask worker" not in str(raised.value) and "gb18030" in str(raised.value)


def test_only_textlab_warnings_travel_back():
    """catch_warnings records the whole process: another thread's warning (a ResourceWarning
    of the user's own code) came back as a warning of the verb."""
    from textlab.errors import TextlabWarning

    def verb(part):
        warnings.warn("from textlab", TextlabWarning)
        warnings.warn("someone else's", ResourceWarning)  # raised from this test file, not textlab
        return len(part)

    out, notes, ids = scale._run(load_corpus({"a": "x"}), func=verb, args=())
    assert (out, notes, ids) == (1, [(TextlabWarning, "from textlab")], ("a",))


def test_errors_come_before_any_work(synthetic):
    corpus, cb = synthetic
    with pytest.raises(ParameterError, match="'scheduler' parameter must be None, a distributed Client or one of"):
        scale.count_terms(corpus, scheduler="bogus")  # dask's ValueError
    with pytest.raises(GroupError, match="Unknown docvar 'nope'"):
        scale.kwic(corpus, "depend*", docvars=["nope"], scheduler=dask.get)  # checked on the workers
    with pytest.raises(GroupError, match="nonexistent"):
        scale.count_terms(corpus, by="nonexistent", scheduler="sync")
    with pytest.raises(GroupError, match="nonexistent"):
        scale.frame_counts(corpus, cb, by="nonexistent", scheduler="sync")
    with pytest.raises(PatternError):
        scale.kwic(corpus, "(", match="regex", scheduler="sync")
    with pytest.raises(ParameterError, match="npartitions"):
        scale.documents(corpus, npartitions=0)
    with pytest.raises(GroupError, match="nonexistent"):  # from a bag: raised on the worker, re-raised here
        scale.count_terms(db.from_sequence([("a", "x")]), by="nonexistent", scheduler="sync")
