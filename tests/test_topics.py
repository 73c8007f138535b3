"""Tests of textlab.topics: preprocessing, fitting, stable ids, stability, prevalence."""

import hashlib
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textlab import load_corpus
from textlab.errors import GroupError, ParameterError, SmallSampleWarning
from textlab.topics import (
    TopicCorpus,
    TopicModel,
    TopicPreprocessing,
    _stable_order,
    compare_topic_prevalence,
    domain_stopwords,
    fit_topics,
    prepare_topics,
    sweep_k,
    topic_agreement,
    topic_prevalence,
    topic_stability,
)

ROOT = Path(__file__).resolve().parents[1]

# Two themes, eight short documents, two sides: every content word is in 4 of 8 units,
# so the default filter_extremes (no_below=2, no_above=0.5) keeps all of them.
SKILLS = "Luban workshops train teachers and students in practical skills."
DEPENDENCY = "Imported equipment and technical standards create technological dependency."
TINY = pd.DataFrame(
    {
        "doc_id": [f"d{i}" for i in range(8)],
        "text": [SKILLS if i % 2 else DEPENDENCY for i in range(8)],
        "side": ["cn", "cn", "cn", "cn", "cn", "ext", "ext", "ext"],
    }
)
PHRASES = " ".join(["The Luban Workshop in Tashkent trains welders."] * 3 + ["Belt and Road projects need the Luban Workshop."] * 3)


@pytest.fixture(scope="module")
def tiny():
    return load_corpus(TINY)


@pytest.fixture(scope="module")
def prepared(corpus):
    return prepare_topics(corpus)


@pytest.fixture(scope="module")
def lda(prepared):
    return fit_topics(prepared, 6, random_state=0)


@pytest.fixture(scope="module")
def nmf(prepared):
    return fit_topics(prepared, 6, method="nmf", random_state=0)


@pytest.fixture(scope="module")
def lee():
    gensim_utils = pytest.importorskip("gensim.test.utils")
    with open(gensim_utils.datapath("lee_background.cor"), encoding="utf-8") as fh:
        texts = [line.strip() for line in fh if line.strip()]
    frame = pd.DataFrame(
        {"doc_id": [f"lee{i:03d}" for i in range(len(texts))], "text": texts, "half": ["a", "b"] * (len(texts) // 2)}
    )
    return load_corpus(frame)


# ---------------------------------------------------------------------------------------
# Preprocessing


def test_domain_stopwords_are_filler_not_substance():
    words = domain_stopwords()
    assert {"paper", "study", "research", "et", "al"} <= words
    assert not words & {"china", "chinese", "luban", "workshop", "dependency", "cooperation", "win-win", "standards"}
    header = (ROOT / "textlab" / "data" / "stopwords_domain_en.txt").read_text(encoding="utf-8")
    assert header.startswith("#") and "scikit-learn" in header


def test_prepare_topics_units_and_tokens(corpus, prepared):
    assert isinstance(prepared, TopicCorpus)
    assert prepared.unit == "segment"
    assert list(prepared.units.columns) == ["unit", "doc_id", "tokens"]
    segments = corpus.segment_table(headings=False)
    assert len(prepared.units) + len(prepared.dropped) == len(segments)
    assert prepared.units["unit"].isin(segments["segment_id"]).all()
    assert (prepared.units["tokens"] == [sum(c for _, c in b) for b in prepared.bow]).all()
    terms = set(prepared.terms)
    assert {"luban_workshop", "belt_road"} <= terms  # phrases
    assert not terms & (domain_stopwords() | {"the", "and", "of"})
    assert not any(t.endswith("'s") for t in terms)
    assert not any(t.isdigit() for t in terms)
    assert len(prepared.units) == len(prepared.texts) == len(prepared.bow)


def test_phrases_join_bigrams_after_stopwords():
    c = load_corpus({"a": PHRASES, "b": PHRASES.replace("welders", "fitters"), "c": "Other text entirely here."})
    prep = TopicPreprocessing(no_below=1, no_above=1.0, phrase_min_count=3, phrase_threshold=1.0)
    data = prepare_topics(c, unit="doc", preprocessing=prep)
    assert "luban_workshop" in data.texts[0]
    assert "belt_road" in data.texts[0]  # "and" was a stopword, so belt and road became adjacent
    plain = prepare_topics(c, unit="doc", preprocessing=TopicPreprocessing(no_below=1, no_above=1.0, phrases=False))
    assert "luban" in plain.terms and "luban_workshop" not in plain.terms


def test_possessive_and_min_length():
    c = load_corpus({"a": "China's AI and Xi's plan x y", "b": "China's AI and Xi's plan"})
    data = prepare_topics(c, unit="doc", preprocessing=TopicPreprocessing(no_below=1, no_above=1.0, phrases=False))
    assert set(data.terms) == {"china", "ai", "xi", "plan"}


def test_custom_stopwords_replace_default():
    c = load_corpus({"a": "the paper on standards", "b": "the paper on dependency"})
    prep = TopicPreprocessing(stopwords={"on"}, no_below=1, no_above=1.0, phrases=False)
    assert set(prepare_topics(c, unit="doc", preprocessing=prep).terms) == {"the", "paper", "standards", "dependency"}


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"no_above": 0}, "'no_above' parameter of TopicPreprocessing must be a float in \\(0, 1\\]; got 0"),
        ({"no_above": 1.5}, "'no_above'"),
        ({"no_below": 0}, "'no_below' parameter of TopicPreprocessing must be an int >= 1; got 0"),
        ({"min_length": 1.5}, "'min_length'"),
        ({"keep_n": 0}, "'keep_n'"),
        ({"phrase_threshold": -1}, "'phrase_threshold'"),
        ({"phrases": "yes"}, "'phrases' parameter of TopicPreprocessing must be a bool"),
        ({"stopwords": "the"}, "'stopwords'"),
        ({"stopwords": [1, 2]}, "'stopwords'"),
    ],
)
def test_preprocessing_validation(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        TopicPreprocessing(**kwargs)


def test_filter_extremes_removing_everything_names_the_setting():
    c = load_corpus({"a": "alpha beta gamma", "b": "delta epsilon zeta"})
    with pytest.raises(ParameterError, match="no_below=2.*lower 'no_below'"):
        prepare_topics(c)


def test_only_stopwords_is_a_clear_error():
    with pytest.raises(ParameterError, match="No tokens left"):
        prepare_topics(load_corpus({"a": "the and of", "b": "it is"}))


def test_units_without_terms_are_dropped(tiny):
    frame = pd.concat([TINY, pd.DataFrame({"doc_id": ["empty"], "text": ["Zebra."], "side": ["cn"]})])
    data = prepare_topics(load_corpus(frame))
    assert data.dropped == ("empty:000",)
    assert "empty:000" not in set(data.units["unit"])


# ---------------------------------------------------------------------------------------
# Fitting: tables, validation


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_fit_tables(tiny, method):
    m = fit_topics(tiny, 2, method=method, n_terms=5)
    assert isinstance(m, TopicModel) and m.k == 2 and m.method == method and m.random_state == 0
    assert m.iterations == {"lda": 200, "nmf": 1000}[method] and m.passes == 20
    assert list(m.topics.columns) == ["topic", "label", "prevalence", "top_terms", "c_v", "u_mass"]
    assert list(m.topic_terms.columns) == ["topic", "rank", "term", "weight"]
    assert list(m.doc_topics.columns) == ["unit", "doc_id", "topic", "share"]
    assert len(m.doc_topics) == 8 * 2 and len(m.topic_terms) == 2 * 5
    sums = m.doc_topics.groupby("unit")["share"].sum()
    assert np.allclose(sums, 1.0, rtol=0, atol=1e-9)
    assert (m.doc_topics["share"] >= 0).all()
    assert m.topic_terms.groupby("topic")["rank"].apply(list).tolist() == [list(range(5))] * 2
    for _, g in m.topic_terms.groupby("topic"):
        assert (np.diff(g["weight"].to_numpy()) <= 0).all()
    assert np.allclose(m.components_.sum(axis=1), 1.0)
    assert set(m.doc_topics["doc_id"]) == set(TINY["doc_id"])


def test_topics_separate_the_themes(tiny):
    m = fit_topics(tiny, 2)
    top7 = m.topic_terms[m.topic_terms["rank"] < 7]
    theme = {t: set(g["term"]) for t, g in top7.groupby("topic")}
    skills = {"luban", "workshops", "train", "teachers", "students", "practical", "skills"}
    assert sorted(len(theme[t] & skills) for t in theme) == [0, 7]
    assert (m.doc_topics.groupby("unit")["share"].max() > 0.9).all()


def test_unit_doc(corpus):
    prep = TopicPreprocessing(no_above=1.0)
    m = fit_topics(corpus, 2, unit="doc", preprocessing=prep, passes=5)
    assert list(m.doc_topics["unit"].unique()) == list(corpus.doc_ids)
    assert (m.doc_topics["unit"] == m.doc_topics["doc_id"]).all()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"k": 1}, ParameterError, "^The 'k' parameter of fit_topics must be an int >= 2; got 1.$"),
        ({"k": 2.0}, ParameterError, "'k' parameter of fit_topics must be an int"),
        ({"k": 9}, ParameterError, "must be <= the number of units with terms \\(8\\); got 9"),
        ({"k": 2, "method": "lsi"}, ParameterError, "'method' parameter of fit_topics must be one of 'lda', 'nmf'"),
        ({"k": 2, "unit": "sentence"}, ParameterError, "'unit'"),
        ({"k": 2, "random_state": -1}, ParameterError, "'random_state'"),
        ({"k": 2, "random_state": None}, ParameterError, "'random_state'"),
        ({"k": 2, "n_terms": 1}, ParameterError, "'n_terms'"),
        ({"k": 2, "passes": 0}, ParameterError, "'passes'"),
        ({"k": 2, "preprocessing": {"no_below": 1}}, ParameterError, "'preprocessing'"),
    ],
)
def test_fit_validation(tiny, kwargs, error, match):
    k = kwargs.pop("k")
    with pytest.raises(error, match=match):
        fit_topics(tiny, k, **kwargs)


def test_fit_rejects_other_inputs_and_mismatched_prepared(tiny):
    with pytest.raises(ParameterError, match="Corpus or TopicCorpus; got list"):
        fit_topics(["text"], 2)
    data = prepare_topics(tiny)
    with pytest.raises(ParameterError, match="prepared with unit='segment'"):
        fit_topics(data, 2, unit="doc")
    with pytest.raises(ParameterError, match="'preprocessing'"):
        fit_topics(data, 2, preprocessing=TopicPreprocessing(no_below=1))


def test_k_above_vocabulary():
    c = load_corpus({f"d{i}": "win-win" for i in range(4)} | {f"e{i}": "standards" for i in range(4)})
    with pytest.raises(ParameterError, match="number of terms \\(2\\); got 3"):
        fit_topics(c, 3)


def test_fit_does_not_mutate_inputs(tiny):
    before = tiny.docvars.copy()
    data = prepare_topics(tiny)
    units = data.units.copy()
    fit_topics(data, 2)
    pd.testing.assert_frame_equal(tiny.docvars, before)
    pd.testing.assert_frame_equal(data.units, units)


# ---------------------------------------------------------------------------------------
# Reproducibility and stable ids


def _assert_same(a: TopicModel, b: TopicModel):
    for name in ("topics", "topic_terms", "doc_topics"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.c_v == b.c_v and a.u_mass == b.u_mass


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_same_seed_same_result(prepared, lda, nmf, method):
    first = {"lda": lda, "nmf": nmf}[method]
    _assert_same(first, fit_topics(prepared, 6, method=method, random_state=0))


def test_same_result_from_corpus_or_prepared(tiny):
    _assert_same(fit_topics(tiny, 2), fit_topics(prepare_topics(tiny), 2))


def test_other_seed_other_model(prepared, lda):
    other = fit_topics(prepared, 6, random_state=1)
    assert not np.array_equal(other.components_, lda.components_)


_HASH_SCRIPT = """
import hashlib, sys
from textlab import load_corpus
from textlab.topics import fit_topics
c = load_corpus(sys.argv[1])
m = fit_topics(c, 4, passes=5, random_state=3)
n = fit_topics(c, 4, method="nmf", random_state=3)
h = hashlib.sha256()
for df in (m.topics, m.topic_terms, m.doc_topics, n.topics, n.topic_terms, n.doc_topics):
    h.update(df.to_csv(index=False, float_format="%.17g").encode())
print(h.hexdigest(), len(m.doc_topics))
"""


@pytest.mark.slow
def test_identical_across_processes_and_hash_seeds(tmp_path):
    """Phrases, Dictionary ids and the fits must not depend on PYTHONHASHSEED."""
    script = tmp_path / "fit_hash.py"
    script.write_text(_HASH_SCRIPT)
    procs = []
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        procs.append(subprocess.Popen([sys.executable, str(script), str(ROOT / "corpus")], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT))
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(out.split())
    assert outs[0] == outs[1]
    assert int(outs[0][1]) > 100 * 4


def test_topics_renumbered_by_prevalence(lda, nmf):
    for m in (lda, nmf):
        assert m.topics["topic"].tolist() == list(range(m.k))
        prev = m.topics["prevalence"].to_numpy()
        assert (np.diff(prev) <= 0).all()
        w = m.units_["tokens"].to_numpy(float)
        expected = w @ m.shares() / w.sum()
        assert np.allclose(prev, expected, rtol=0, atol=1e-12)
        assert abs(prev.sum() - 1) < 1e-9
        assert sorted(m.order_) == list(range(m.k))


def test_stable_ids_map_to_model_topics(lda):
    raw = lda.model_.get_topics()
    assert np.allclose(lda.components_, raw[list(lda.order_)])


def test_stable_order_ties_broken_by_first_term():
    assert _stable_order(np.array([0.25, 0.5, 0.25]), ["zeta", "beta", "alpha"]) == [1, 2, 0]
    assert _stable_order(np.array([0.3, 0.3 + 1e-15]), ["b", "a"]) == [1, 0]


def test_labels(lda):
    for label, top in zip(lda.topics["label"], lda.topics["top_terms"]):
        assert label == " · ".join(top.split(", ")[:3])
    assert lda.topics["label"].is_unique


def test_coherence_finite(lda, nmf):
    for m in (lda, nmf):
        assert np.isfinite(m.topics[["c_v", "u_mass"]].to_numpy()).all()
        assert np.isfinite([m.c_v, m.u_mass]).all()
        assert 0 <= m.c_v <= 1
        assert m.c_v == pytest.approx(m.topics["c_v"].mean())


def test_coherence_can_be_skipped(prepared, lda):
    quick = fit_topics(prepared, 6, random_state=0, coherence=False)
    assert quick.topics[["c_v", "u_mass"]].isna().all().all() and np.isnan([quick.c_v, quick.u_mass]).all()
    pd.testing.assert_frame_equal(quick.topics.drop(columns=["c_v", "u_mass"]), lda.topics.drop(columns=["c_v", "u_mass"]))
    pd.testing.assert_frame_equal(quick.doc_topics, lda.doc_topics)
    with pytest.raises(ParameterError, match="'coherence' parameter of fit_topics"):
        fit_topics(prepared, 6, coherence="no")


# ---------------------------------------------------------------------------------------
# Sweep, stability, agreement


def test_sweep_k(tiny):
    df = sweep_k(tiny, [2, 3], seeds=(0, 1), passes=5)
    assert list(df.columns) == ["k", "seed", "method", "c_v", "u_mass", "perplexity"]
    assert df[["k", "seed"]].values.tolist() == [[2, 0], [2, 1], [3, 0], [3, 1]]
    assert np.isfinite(df[["c_v", "u_mass", "perplexity"]].to_numpy()).all()
    nmf = sweep_k(tiny, range(2, 4), seeds=[0], method="nmf")
    assert nmf["perplexity"].isna().all() and (nmf["method"] == "nmf").all()
    pd.testing.assert_frame_equal(df, sweep_k(tiny, [2, 3], seeds=(0, 1), passes=5), check_exact=True)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"ks": []}, "'ks' parameter of sweep_k needs at least 1"), ({"ks": [1]}, "'ks'"), ({"ks": 5}, "iterable"),
     ({"ks": [2], "seeds": [-1]}, "'seeds'"), ({"ks": [9]}, "'k' parameter of sweep_k must be <=")],
)
def test_sweep_validation(tiny, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        sweep_k(tiny, **kwargs)


def test_agreement_with_itself_is_one(lda, nmf):
    for m in (lda, nmf):
        df = topic_agreement(m, m)
        assert list(df.columns) == ["topic", "label", "matched_topic", "matched_label", "similarity"]
        assert df["matched_topic"].tolist() == list(range(m.k))
        assert np.abs(df["similarity"].to_numpy() - 1).max() <= 1e-12


def test_lda_nmf_agreement(lda, nmf):
    df = topic_agreement(lda, nmf)
    assert sorted(df["matched_topic"].tolist()) == list(range(6))
    assert ((df["similarity"] >= 0) & (df["similarity"] <= 1)).all()
    assert (df["matched_label"] == nmf.topics["label"].to_numpy()[df["matched_topic"].to_numpy(int)]).all()


def test_agreement_with_fewer_topics(prepared, lda):
    small = fit_topics(prepared, 3, method="nmf")
    df = topic_agreement(lda, small)
    assert df["matched_topic"].isna().sum() == 3 and df["similarity"].isna().sum() == 3


def test_agreement_aligns_different_vocabularies(tiny):
    a = fit_topics(tiny, 2)
    b = fit_topics(tiny, 2, preprocessing=TopicPreprocessing(stopwords={"and", "in"} | {"luban"}))
    df = topic_agreement(a, b)
    assert (df["similarity"] > 0.8).all()


def test_stability_with_itself_is_one(tiny):
    df = topic_stability(tiny, 2, seeds=[5, 5], passes=5)
    assert list(df.columns) == ["topic", "label", "mean_similarity", "min_similarity"]
    assert np.abs(df[["mean_similarity", "min_similarity"]].to_numpy() - 1).max() <= 1e-12


def test_stability_across_seeds(tiny):
    df = topic_stability(tiny, 2, seeds=(0, 1, 2), method="nmf")
    assert ((df["min_similarity"] <= df["mean_similarity"]) & (df["mean_similarity"] <= 1)).all()
    with pytest.raises(ParameterError, match="'seeds' parameter of topic_stability needs at least 2"):
        topic_stability(tiny, 2, seeds=[0])


# ---------------------------------------------------------------------------------------
# Prevalence by group


def test_prevalence_by_side(lda):
    df = topic_prevalence(lda, "side", n_boot=500)
    assert list(df.columns) == ["topic", "label", "group", "n_units", "prevalence", "ci_low", "ci_high"]
    assert df["group"].unique().tolist() == ["chinese_policy", "external"]
    assert len(df) == 2 * lda.k
    assert ((df["ci_low"] <= df["prevalence"]) & (df["prevalence"] <= df["ci_high"])).all()
    assert np.allclose(df.groupby("group")["prevalence"].sum(), 1.0)
    assert df.loc[df["group"] == "external", "n_units"].iloc[0] == 16
    pd.testing.assert_frame_equal(df, topic_prevalence(lda, "side", n_boot=500), check_exact=True)


def test_prevalence_is_token_weighted(tiny):
    m = fit_topics(tiny, 2)
    with pytest.warns(SmallSampleWarning):
        df = topic_prevalence(m, "doc_id", n_boot=10).query("group == 'd0'")
    shares = m.doc_topics.query("unit == 'd0:000'")["share"].to_numpy()
    assert np.allclose(df["prevalence"], shares)


def test_prevalence_small_group_warns(corpus):
    m = fit_topics(corpus, 2, unit="doc", preprocessing=TopicPreprocessing(no_above=1.0), passes=5)
    with pytest.warns(SmallSampleWarning, match="'external' of 'side' has 1 unit"):
        df = topic_prevalence(m, "side", n_boot=100)
    ext = df[df["group"] == "external"]
    assert ext["ci_low"].isna().all() and ext["ci_high"].isna().all() and ext["prevalence"].notna().all()


@pytest.mark.parametrize("kwargs, error", [({"by": "colour"}, GroupError), ({"ci": 95}, ParameterError),
                                           ({"n_boot": 0}, ParameterError), ({"random_state": "a"}, ParameterError)])
def test_prevalence_validation(lda, kwargs, error):
    with pytest.raises(error):
        topic_prevalence(lda, **kwargs)


def test_compare_prevalence(lda):
    df = compare_topic_prevalence(lda, "side", n_boot=500, n_perm=500)
    assert list(df.columns) == ["topic", "label", "group_a", "group_b", "diff", "ci_low", "ci_high", "p_perm", "q"]
    assert (df["group_a"] == "chinese_policy").all() and (df["group_b"] == "external").all()
    prev = topic_prevalence(lda, "side", n_boot=10).pivot(index="topic", columns="group", values="prevalence")
    assert np.allclose(df["diff"], prev["chinese_policy"] - prev["external"])
    assert ((df["ci_low"] <= df["diff"]) & (df["diff"] <= df["ci_high"])).all()
    assert ((df["p_perm"] > 0) & (df["p_perm"] <= 1) & (df["q"] >= df["p_perm"])).all()
    pd.testing.assert_frame_equal(df, compare_topic_prevalence(lda, "side", n_boot=500, n_perm=500), check_exact=True)


def test_compare_prevalence_separated_themes():
    frame = TINY.assign(side=["x", "y"] * 4)
    df = compare_topic_prevalence(fit_topics(load_corpus(frame), 2), n_boot=200, n_perm=999)
    assert (df["diff"].abs() > 0.8).all() and (df["p_perm"] < 0.05).all()


def test_compare_needs_two_groups():
    m = fit_topics(load_corpus(TINY.assign(side="cn")), 2)
    with pytest.raises(GroupError, match="needs at least two groups in 'side'"):
        compare_topic_prevalence(m, "side")


# ---------------------------------------------------------------------------------------
# Other studies' text: gensim's Lee corpus (ships in the gensim wheel)


@pytest.mark.slow
def test_lee_corpus(lee):
    data = prepare_topics(lee, unit="doc")
    assert len(data.units) == 300 and len(data.terms) > 1000
    m = fit_topics(data, 5, unit="doc", passes=5)
    n = fit_topics(data, 5, method="nmf", unit="doc")
    for model in (m, n):
        assert np.isfinite(model.topics[["c_v", "u_mass"]].to_numpy()).all()
        assert np.allclose(model.doc_topics.groupby("unit")["share"].sum(), 1, atol=1e-9)
    assert (topic_agreement(m, m)["similarity"] == 1).all()
    prev = topic_prevalence(m, "half", n_boot=300)
    assert ((prev["ci_low"] <= prev["prevalence"]) & (prev["prevalence"] <= prev["ci_high"])).all()
    diff = compare_topic_prevalence(m, "half", n_boot=300, n_perm=300)
    assert diff["p_perm"].between(0, 1).all()


# ---------------------------------------------------------------------------------------
# Packaging and CLI


def test_import_does_not_load_gensim():
    code = "import sys, textlab, textlab.topics; print('gensim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    assert out.stdout.strip() == "False"


def test_cli_topics(capsys):
    from textlab.cli import main

    import io

    assert main(["topics", str(ROOT / "corpus"), "--k", "3", "--seed", "1"]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out))  # CSV on stdout, the model's summary on stderr
    assert table.columns[:3].tolist() == ["topic", "label", "prevalence"] and len(table) == 3
    assert "TopicModel(method='lda', k=3" in captured.err
    assert main(["topics", str(ROOT / "corpus"), "--k", "1"]) == 2
    assert "The 'k' parameter of fit_topics must be an int >= 2; got 1." in capsys.readouterr().err
    assert main(["topics", str(ROOT / "corpus"), "--k", "3", "--seed", "1", "--no-coherence"]) == 0
    assert "c_v=nan, u_mass=nan" in capsys.readouterr().err


def test_prevalence_names_documents_without_a_group():
    from textlab import compare_topic_prevalence, fit_topics, load_corpus, topic_prevalence
    from textlab.errors import TextlabWarning

    a = "Luban workshops train teachers and students in practical skills."
    b = "Imported equipment and technical standards create technological dependency."
    sides = ["x", "y", None, "x", "y", "", "x", "y"]
    corpus = load_corpus(pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "side": sides,
                                       "text": [a if i % 2 else b for i in range(8)]}))
    model = fit_topics(corpus, 2, coherence=False)
    for verb in (topic_prevalence, compare_topic_prevalence):
        with pytest.warns(TextlabWarning, match=r"docvar 'side' has no value for document\(s\) \['d2', 'd5'\]; their "
                                                r"units are left out") as caught:
            out = verb(model, "side", n_boot=50, **({"n_perm": 49} if verb is compare_topic_prevalence else {}))
        assert caught[0].filename == __file__  # the warning points at the caller
        assert "" not in set(out.get("group", out.get("group_a", pd.Series(dtype=object))))


def test_a_mixed_language_corpus_warns_where_the_user_called():
    import warnings

    from textlab import load_corpus, prepare_topics, sweep_k
    from textlab.errors import TextlabWarning

    texts = ["Luban workshops train teachers and students in practical skills.",
             "Imported equipment and technical standards create technological dependency.",
             "鲁班工坊培养教师和学生的实践技能。", "进口设备和技术标准造成技术依赖。"]
    corpus = load_corpus({f"d{i}": texts[i % 4] for i in range(8)})
    for call in (lambda: prepare_topics(corpus), lambda: fit_topics(corpus, 2, coherence=False),
                 lambda: sweep_k(corpus, ks=[2], seeds=[0], passes=1)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        mixed = [w for w in caught if "more than one language (en, zh)" in str(w.message)]
        assert len(mixed) >= 1 and all(w.category is TextlabWarning and w.filename == __file__ for w in mixed)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextlabWarning)
        prepare_topics(corpus.subset(lang="en"))
