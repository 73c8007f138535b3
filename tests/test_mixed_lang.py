"""A mixed English + Chinese corpus through load_corpus, kwic, frame counts, keyness, topics.

The Chinese documents are the fixtures in tests/fixtures/zh; the English ones are
written below. Every expected count was made by reading the texts (the comments show
where each occurrence is), not by running textlab.
"""

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textlab import frame_counts, frame_matches, keyness, kwic, load_corpus
from textlab.errors import CodebookError, ManifestError, NoMatchWarning, ParameterError, TextlabWarning
from textlab.frames import Codebook
from textlab.kwic import to_html
from textlab.tokenize import count_terms, tokenize

FIXTURES = Path(__file__).parent / "fixtures" / "zh"

ENGLISH = {
    "en_cn": "Luban Workshops promote win-win cooperation and a sense of gain among students.\n\n"
             "Chinese standards and equipment support local industry. Standards matter.\n",
    "en_ext": "Critics warn of technological dependency. Reliance on Chinese standards may create lock-in.\n\n"
              "The Luban Workshop (鲁班工坊) brand grows.\n",
    "en_gain": "Vocational education cooperation deepens in Central Asia. Students gain skills, and the sense of "
               "gain (获得感) is real.\n",
}
# doc_id, file, side, lang as written in the manifest ("" = detect from the script)
ROWS = [
    ("luban", "zh/policy_luban.txt", "cn", "zh"),
    ("bri", "zh/policy_bri.txt", "cn", ""),
    ("commentary", "zh/commentary.txt", "ext", ""),
    ("mixed", "zh/mixed_scripts.txt", "cn", ""),
    ("en_cn", "en/en_cn.txt", "cn", "en"),
    ("en_ext", "en/en_ext.txt", "ext", ""),
    ("en_gain", "en/en_gain.txt", "cn", ""),
]
ZH = ["luban", "bri", "commentary", "mixed"]
EN = ["en_cn", "en_ext", "en_gain"]

CODEBOOK = {
    "frames": [
        # a plain list applies to every language
        {"id": "F01", "label": "Luban", "patterns": ["luban workshop*", "鲁班工坊"]},
        {"id": "F05", "label": "Sense of gain", "patterns": {"en": ["sense of gain"], "zh": ["获得感"]}},
        {"id": "F06", "label": "Standards", "patterns": {"en": ["standard*"], "zh": ["标准", "技术标准"]}},
        {"id": "F11", "label": "Dependency",
         "patterns": {"en": ["depend*", "reliance", "lock-in"], "zh": ["依赖*", "技术依赖"]},
         # the word quoted as a word, not used; regexes see the normalised text, where
         # curly quotes are straight ones
         "exclusions": {"zh": ['re:"依赖"']}},
    ]
}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    (root / "zh").mkdir()
    (root / "en").mkdir()
    for name in ("policy_luban.txt", "policy_bri.txt", "commentary.txt", "mixed_scripts.txt"):
        shutil.copy(FIXTURES / name, root / "zh" / name)
    for doc_id, text in ENGLISH.items():
        (root / "en" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    pd.DataFrame(ROWS, columns=["doc_id", "file", "side", "lang"]).to_csv(root / "manifest.csv", index=False)
    return root


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


# ---------------------------------------------------------------------------------------
# Language per document


def test_language_from_manifest_or_script(corpus_dir):
    c = load_corpus(corpus_dir)
    read = {p for d in c._docs.values() for p in (d.stamps or ())}
    assert not read  # detection waits until a language is needed: loading reads no text
    assert [c.lang(d) for d in c.doc_ids] == ["zh"] * 4 + ["en"] * 3
    assert c.docvars["lang"].tolist() == ["zh"] * 4 + ["en"] * 3
    assert c.summary()["lang"].tolist() == ["zh"] * 4 + ["en"] * 3


def test_detected_languages_reach_docvars_through_any_pass(corpus_dir):
    c = load_corpus(corpus_dir)
    assert c._docvars["lang"].tolist()[:3] == ["zh", "", ""]  # blanks still to detect
    c.index()  # tokenising detects them
    assert c.docvars["lang"].tolist() == ["zh"] * 4 + ["en"] * 3
    sub = load_corpus(corpus_dir).subset(lang="en")
    assert sub.doc_ids == tuple(EN) and sub.docvars["lang"].tolist() == ["en"] * 3


def test_lang_argument_overrides_and_docvars_follow(corpus_dir):
    c = load_corpus(corpus_dir, lang="en")
    assert set(c.docvars["lang"]) == {"en"}
    assert c.lang("luban") == "en"


def test_lang_column_is_appended_when_absent():
    c = load_corpus(pd.DataFrame({"doc_id": ["a", "b"], "side": ["x", "y"],
                                  "text": ["Win-win cooperation.", "鲁班工坊推动产教融合。"]}))
    assert c.docvars.columns.tolist() == ["doc_id", "side", "lang"]
    assert c.docvars["lang"].tolist() == ["en", "zh"]
    # the tokens of each document follow its language: jieba's words for b
    assert c.tokens("b")["token"].tolist() == ["鲁班工坊", "推动", "产教融合"]
    assert c.tokens("a")["token"].tolist() == ["win-win", "cooperation"]


def test_bad_lang_in_manifest_names_the_line(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("doc_id,file,lang\na,a.txt,fr\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest.csv line 2: lang 'fr' is not one of \['en', 'zh'\]"):
        load_corpus(tmp_path)


def test_counts_and_tokens_by_language(corpus):
    tokens = corpus.n_tokens(by="lang")
    assert tokens.index.tolist() == ["zh", "en"]
    assert tokens.sum() == corpus.n_tokens().sum()
    counts = count_terms(corpus, by="lang")
    zh = counts[counts["unit"] == "zh"].set_index("term")["count"]
    # 鲁班工坊: luban 5 (title; P1 "多所鲁班工坊。鲁班工坊以" x2; P2 "建成鲁班工坊"; P3 first word),
    # commentary 3 (P1 "对鲁班工坊的", "认为，鲁班工坊在"; P3 "工人，鲁班工坊提供"),
    # mixed 2 (P1 "鲁班工坊（Luban"; P2 "哈萨克斯坦鲁班工坊开设"), bri 0.
    assert zh["鲁班工坊"] == 10
    en = counts[counts["unit"] == "en"].set_index("term")["count"]
    assert en["鲁班工坊"] == 1  # en_ext quotes it; the English tokenizer keeps a Han run whole
    assert en["standards"] == 3  # en_cn "standards", "Standards"; en_ext "standards"


# ---------------------------------------------------------------------------------------
# KWIC


def test_kwic_chinese_in_tokens(corpus):
    k = kwic(corpus.subset(lang="zh"), "鲁班工坊", window=3)
    # 5 in luban, 0 in bri, 3 in commentary, 2 in mixed (see test_counts_and_tokens_by_language)
    assert k["doc_id"].tolist() == ["luban"] * 5 + ["commentary"] * 3 + ["mixed"] * 2
    assert set(k["match"]) == {"鲁班工坊"}
    # Chinese contexts are slices of the text: no spaces between words (the only space
    # within a paragraph of these files is in "Luban Workshop")
    contexts = [s for s in k["left"].tolist() + k["right"].tolist() if "¶" not in s]
    assert all(" " not in s for s in contexts if "Luban" not in s) and len(contexts) >= 16
    for row in k.itertuples():
        text = corpus.text(row.doc_id)
        assert text[row.start:row.end] == "鲁班工坊"
        if "¶" not in row.left:
            assert text[:row.start].endswith(row.left)
        if "¶" not in row.right:
            assert text[row.end:].startswith(row.right)


def test_kwic_chinese_in_characters(corpus):
    k = kwic(corpus.subset(doc_ids=["luban"]), "鲁班工坊", window=4, window_unit="chars")
    # Read off policy_luban.txt, four characters (punctuation counts) on each side:
    # title   "鲁班工坊在中亚的建设与发展"         -> nothing before it in the document
    # P1      "建设了多所鲁班工坊。鲁班工坊以学历教育" -> first match, then the second
    # P2      "都已建成鲁班工坊，累计培训"
    # P3      starts with "鲁班工坊坚持产教融合"; P2 ends "获得感不断增强。"
    assert k[["left", "right"]].values.tolist() == [
        ["", "在中亚的"],
        ["设了多所", "。鲁班工"],
        ["班工坊。", "以学历教"],
        ["都已建成", "，累计培"],
        ["断增强。 ¶", "坚持产教"],
    ]
    # the title is a paragraph of its own: its right context does not need the next one
    k2 = kwic(corpus.subset(doc_ids=["luban"]), "鲁班工坊", window=14, window_unit="chars")
    assert k2["right"].iloc[0] == "在中亚的建设与发展 ¶ 近年来，中"  # 9 + 5 characters


def test_kwic_window_unit_is_checked(corpus):
    with pytest.raises(ParameterError, match="window_unit"):
        kwic(corpus, "鲁班工坊", window_unit="words")


def test_kwic_chars_on_english_ignores_whitespace(corpus):
    k = kwic(corpus.subset(doc_ids=["en_ext"]), "lock-in", window=8, window_unit="chars")
    # "... standards may create lock-in.\n\nThe Luban ...": 8 non-space characters each side,
    # "create" + "ay" back; "." then "The" + "Luba" forward
    assert k[["left", "right"]].values.tolist() == [["ay create", ". ¶ The Luba"]]


def test_to_html_aligns_and_escapes_chinese():
    df = pd.DataFrame({"doc_id": ["z<1>"], "left": ["东道国可能长期<依赖>"], "match": ["依赖"],
                       "right": ["中方的技术标准&设备"]})
    html = to_html(df, width=9)
    # Display columns: a Han character 2, "<", ">", "…" 1. Left, kept from its end:
    # ">"1 "赖"2 "依"2 "<"1 "期"2 = 8, + "…" = 9 ("长" would make 11). Right, from its start:
    # "中方的技" 8 + "…" = 9. The left cell is right-aligned, the right cell left-aligned.
    assert 'text-align:right">…期&lt;依赖&gt;</td>' in html
    assert "<mark>依赖</mark>" in html
    assert 'text-align:left">中方的技…</td>' in html
    assert "Noto Sans Mono CJK SC" in html and "monospace" in html
    assert "<td" in html and "z&lt;1&gt;" in html


# ---------------------------------------------------------------------------------------
# Frames per language


def expected_counts():
    # Net spans per document, read from the texts.
    # F01 (plain list: every language) "luban workshop*", "鲁班工坊":
    #   zh: luban 5, bri 0, commentary 3, mixed 2 + "Luban Workshop" after "（" (not merged
    #   with 鲁班工坊: the gap "（" is not whitespace) = 3;
    #   en: en_cn "Luban Workshops" 1; en_ext "Luban Workshop" + "(鲁班工坊)" = 2; en_gain 0.
    # F05 en "sense of gain" / zh "获得感":
    #   luban P2 "获得感不断增强" 1; bri P4 "实实在在的获得感" 1; commentary P3 "学员的获得感" 1;
    #   mixed P2 "学员的获得感" 1; en_cn 1; en_ext 0; en_gain 1 ("(获得感)" is not matched:
    #   zh patterns apply to Chinese documents only).
    # F06 en "standard*" / zh "标准", "技术标准":
    #   luban P3 "国际通行的标准", "专业教学标准" = 2;
    #   bri P3 "标准建设", "中国的技术标准", "各门课程的标准", "成熟的标准" = 4;
    #   commentary P1 "技术标准", P2 "强调标准之争", "掌握了标准", "外来标准" = 4;
    #   mixed P3 "采用的标准" = 1; en_cn "standards", "Standards" = 2; en_ext "standards" 1.
    # F11 en "depend*", "reliance", "lock-in" / zh "依赖*", "技术依赖" (not "“依赖”"):
    #   luban 0; bri P3 "外籍技术人员的依赖" 1;
    #   commentary: title "与依赖之争", P1 "长期依赖中方", P2 "技术依赖加深" (依赖* and 技术依赖
    #   overlap: one span), P3 "用“依赖”一词" (excluded), P4 "依赖关系" = 4;
    #   mixed P3 "“技术依赖”" (one span; “技术依赖” is not “依赖”) = 1;
    #   en_ext "dependency", "Reliance", "lock-in" = 3.
    return {
        "luban": [5, 1, 2, 0],
        "bri": [0, 1, 4, 1],
        "commentary": [3, 1, 4, 4],
        "mixed": [3, 1, 1, 1],
        "en_cn": [1, 1, 2, 0],
        "en_ext": [2, 0, 1, 3],
        "en_gain": [0, 1, 0, 0],
    }


def test_frame_counts_per_document(corpus):
    got = frame_counts(corpus, CODEBOOK, ci=None)
    table = got.pivot(index="unit", columns="frame", values="count").loc[list(corpus.doc_ids)]
    assert {d: table.loc[d].tolist() for d in corpus.doc_ids} == expected_counts()
    tokens = got.drop_duplicates("unit").set_index("unit")["tokens"]
    assert tokens.to_dict() == corpus.n_tokens().to_dict()


def test_frame_counts_by_language(corpus):
    got = frame_counts(corpus, CODEBOOK, by="lang", ci=None)
    expected = expected_counts()
    for lang, docs in (("zh", ZH), ("en", EN)):
        rows = got[got["unit"] == lang]
        assert rows["count"].tolist() == np.sum([expected[d] for d in docs], axis=0).tolist()
        tokens = corpus.n_tokens().loc[docs].sum()
        assert (rows["tokens"] == tokens).all()
        assert np.allclose(rows["per_1k"], 1000 * rows["count"] / tokens)


def test_frame_counts_within_one_language(corpus):
    zh = corpus.subset(lang="zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = frame_counts(zh, CODEBOOK, by="side", ci=None, resample="doc")
    assert not any("sense of gain" in str(w.message) for w in caught)  # en patterns, no en document: not reported
    # cn = luban + bri + mixed, ext = commentary
    assert got[got["unit"] == "cn"]["count"].tolist() == [8, 3, 7, 2]
    assert got[got["unit"] == "ext"]["count"].tolist() == [3, 1, 4, 4]


def test_frame_matches_route_patterns_by_language(corpus):
    fm = frame_matches(corpus, CODEBOOK)
    assert fm.columns[-1] == "lang"
    assert (fm["lang"] == fm["doc_id"].map(corpus.lang)).all()
    assert set(fm.loc[fm["pattern"].isin(["获得感", "标准", "技术标准", "依赖*", "技术依赖"]), "lang"]) == {"zh"}
    assert set(fm.loc[fm["pattern"].isin(["sense of gain", "standard*", "reliance"]), "lang"]) == {"en"}
    # the zh exclusion removed exactly the quoted 依赖 of commentary P3
    excluded = fm[fm["excluded_by"] != ""]
    assert excluded[["doc_id", "matched", "excluded_by"]].values.tolist() == [["commentary", "依赖", 're:"依赖"']]
    # 技术依赖 is compiled as the phrase 技术 依赖 but reported as written
    hits = fm[fm["pattern"] == "技术依赖"]
    assert hits[["doc_id", "matched"]].values.tolist() == [["commentary", "技术依赖"], ["mixed", "技术依赖"]]


# ---------------------------------------------------------------------------------------
# Codebook validation per language


@pytest.mark.parametrize(
    "patterns, exclusions, message",
    [
        ({"zh": []}, None, r"frame 'F1': 'patterns' \(zh\) is empty"),
        ({"fr": ["a"]}, None, r"frame 'F1': 'patterns' has unknown language 'fr' \(language keys: en, zh, all\)"),
        ({"en": ["a"]}, {"de": ["b"]}, r"frame 'F1': 'exclusions' has unknown language 'de'"),
        ({"en": ["a"]}, {"zh": ["b"]}, r"frame 'F1': exclusions for language 'zh', which has no patterns"),
        ({"all": ["SCO"], "zh": ["SCO"]}, None, r"frame 'F1': 'patterns' lists 'SCO' under 'all' and under 'zh'"),
        ({"zh": ["依赖", 3]}, None, r"frame 'F1': 'patterns' \(zh\) item 2 must be a non-empty string"),
        ({"zh": "依赖"}, None, r"frame 'F1': 'patterns' \(zh\) must be a list of strings"),
    ],
)
def test_codebook_language_errors(patterns, exclusions, message):
    frame = {"id": "F1", "label": "L", "patterns": patterns}
    if exclusions is not None:
        frame["exclusions"] = exclusions
    with pytest.raises(CodebookError, match=message):
        Codebook.from_dict({"frames": [frame]})


def test_codebook_all_key_and_shared_exclusions():
    cb = Codebook.from_dict({"frames": [{"id": "F1", "label": "L", "patterns": {"all": ["SCO"], "zh": ["成员国"]},
                                         "exclusions": ["re:SCO summit"]}]})
    assert cb.patterns[["kind", "lang", "pattern"]].values.tolist() == [
        ["pattern", "all", "SCO"], ["pattern", "zh", "成员国"], ["exclusion", "all", "re:SCO summit"]]
    c = load_corpus({"e": "The SCO summit. SCO members, not 成员国.", "z": "上海合作组织（SCO）成员国举行峰会。"})
    assert c.docvars["lang"].tolist() == ["en", "zh"]
    # e: "SCO summit" excluded, "SCO members" kept, 成员国 is a zh pattern = 1;
    # z: "SCO" and 成员国 (after "）", not whitespace: two spans) = 2
    assert frame_counts(c, cb, ci=None)["count"].tolist() == [1, 2]


# ---------------------------------------------------------------------------------------
# Keyness and topics per language


def test_keyness_within_chinese(corpus):
    zh = corpus.subset(lang="zh")
    res = keyness(zh.subset(side="ext"), zh.subset(side="cn")).set_index("term")
    # 依赖: commentary 5 (title, P1, P2, P3, P4); cn: bri 1 + mixed 1 = 2
    assert res.loc["依赖", ["freq_target", "freq_reference"]].tolist() == [5, 2]
    # 鲁班工坊: commentary 3; cn: luban 5 + mixed 2 = 7
    assert res.loc["鲁班工坊", ["freq_target", "freq_reference"]].tolist() == [3, 7]
    assert res.loc["依赖", "direction"] == "target"
    assert res["total_target"].iloc[0] == corpus.n_tokens(numbers=False).loc["commentary"]


def test_keyness_within_english(corpus):
    en = corpus.subset(lang="en")
    res = keyness(en.subset(side="ext"), en.subset(side="cn")).set_index("term")
    assert res.loc["dependency", ["freq_target", "freq_reference"]].tolist() == [1, 0]
    assert res.loc["standards", ["freq_target", "freq_reference"]].tolist() == [1, 2]


def test_mixed_corpus_runs_through_every_verb(corpus_dir):
    from textlab import fit_topics

    c = load_corpus(corpus_dir)
    # 鲁班工坊: 10 in zh documents + en_ext's "(鲁班工坊)";
    # luban workshop*: mixed "Luban Workshop", en_cn "Luban Workshops", en_ext "Luban Workshop"
    assert len(kwic(c, ["鲁班工坊", "luban workshop*"])) == 11 + 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoMatchWarning)
        assert len(frame_counts(c, CODEBOOK, ci=None)) == 7 * 4
    with pytest.warns(TextlabWarning, match=r"keyness: documents in more than one language are pooled in target "
                                            r"and reference \(en, zh\)"):
        assert not keyness(c.subset(lang="zh"), c.subset(lang="en")).empty
    with pytest.warns(TextlabWarning, match=r"more than one language \(en, zh\).*topics will mostly separate"):
        model = fit_topics(c, k=2, random_state=0)
    assert model.k == 2


def test_pooling_languages_warns(corpus_dir):
    from textlab import compare_groups, fightin_words, keyness_one_vs_rest, scale

    c = load_corpus(corpus_dir)
    pooled = r"documents in more than one language are pooled in "
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoMatchWarning)
        with pytest.warns(TextlabWarning, match=rf"frame_counts: {pooled}group '\w+' \(en, zh\)"):
            frame_counts(c, CODEBOOK, by="side", ci=None)
        with pytest.warns(TextlabWarning, match=rf"frame_counts: {pooled}group"):
            scale.frame_counts(c, CODEBOOK, by="side", ci=None, npartitions=2, scheduler="sync")
        with pytest.warns(TextlabWarning, match=rf"compare_groups: {pooled}groups"):
            compare_groups(c, CODEBOOK, n_boot=20, n_perm=19)
        with pytest.warns(TextlabWarning, match=rf"keyness_one_vs_rest: {pooled}the corpus \(en, zh\)") as caught:
            keyness_one_vs_rest(c, by="side")
        assert {w.filename for w in caught if pooled.split()[0] in str(w.message)} == {__file__}  # the caller's line
        with pytest.warns(TextlabWarning, match=rf"fightin_words: {pooled}target and reference"):
            fightin_words(c.subset(side="cn"), c.subset(side="ext"))
        with warnings.catch_warnings():
            warnings.simplefilter("error", TextlabWarning)  # within one language, or by language: no warning
            zh = c.subset(lang="zh")
            frame_counts(zh, CODEBOOK, by="side", ci=None)
            frame_counts(c, CODEBOOK, by="lang", ci=None)
            keyness(zh.subset(side="cn"), zh.subset(side="ext"))


def test_tokenize_round_trips_on_the_fixtures():
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        df = tokenize(text, lang="zh", lower=False)
        assert [text[s:e] for s, e in zip(df["start"], df["end"])] == df["token"].tolist()
