"""Tests for textlab._zh: Chinese segmentation with offsets, language, stopwords."""

import json
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textlab import _zh
from textlab._zh import CJK_RE, detect_lang, is_presegmented, load_user_words, zh_stopwords, zh_token_spans
from textlab.errors import DecodingError, ParameterError, TextlabError

FIXTURES = Path(__file__).parent / "fixtures" / "zh"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(EXPECTED["files"])
DOMAIN_TERMS = [
    "鲁班工坊", "一带一路", "人类命运共同体", "命运共同体", "产教融合", "获得感", "上海合作组织",
    "中亚", "职业教育", "校企合作", "技术标准", "软实力", "话语权", "互利共赢", "合作共赢",
    "共商共建共享", "民心相通", "人文交流",
]
MIXED = "2025年，上海合作组织（SCO）在天津举办论坛：鲁班工坊与TVET合作！满意度92.5%。"
ENGLISH = (
    "The Luban Workshop (鲁班工坊) has become a visible brand of China's vocational "
    "education cooperation under the Belt and Road Initiative."
)


def words(text, **kwargs):
    starts, ends = zh_token_spans(text, **kwargs)
    return [text[s:e] for s, e in zip(starts.tolist(), ends.tolist())]


def read(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- segmentation -----------------------------------------------------------------


def test_returns_int64_arrays():
    starts, ends = zh_token_spans(MIXED)
    assert starts.dtype == np.int64 and ends.dtype == np.int64
    assert starts.shape == ends.shape and starts.ndim == 1


@pytest.mark.parametrize("text", ["", " ", "\n\t", "。，、！？", "😀🎉", "\u0301"])
def test_no_tokens(text):
    starts, ends = zh_token_spans(text)
    assert starts.dtype == np.int64 and len(starts) == 0 and len(ends) == 0


def test_mixed_scripts_and_punctuation():
    assert words(MIXED) == [
        "2025", "年", "上海合作组织", "SCO", "在", "天津", "举办", "论坛",
        "鲁班工坊", "与", "TVET", "合作", "满意度", "92", "5",
    ]


def test_other_scripts_marks_and_joiners():
    text = "哈萨克斯坦（Қазақстан）的cafe\u0301和win-win、China\u2019s合作"
    assert words(text) == ["哈萨克斯坦", "Қазақстан", "的", "cafe\u0301", "和", "win-win", "China\u2019s", "合作"]


def test_astral_characters_keep_offsets():
    text = "𠀀𠀁鲁班工坊😀SCO"
    assert words(text)[-2:] == ["鲁班工坊", "SCO"]
    assert "".join(words(text)) == "𠀀𠀁鲁班工坊SCO"


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("hmm", [True, False])
def test_domain_terms_are_single_tokens_with_offsets(name, hmm):
    text = read(name)
    starts, ends = zh_token_spans(text, hmm=hmm)
    spans = set(zip(starts.tolist(), ends.tolist()))
    for term in EXPECTED["terms"]:
        if term in ("依赖", "标准"):
            continue  # ordinary words: also occur inside longer words
        pos = text.find(term)
        while pos != -1:
            assert (pos, pos + len(term)) in spans, (name, term, pos)
            pos = text.find(term, pos + 1)


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_domain_term_whole_in_context(term):
    text = f"各方认为，{term}对于深化合作具有重要意义。"
    assert term in words(text)


def test_longest_domain_term_wins():
    assert words("构建人类命运共同体") == ["构建", "人类命运共同体"]
    assert words("中国—中亚命运共同体") == ["中国", "中亚", "命运共同体"]


@pytest.mark.parametrize("name", FILES)
def test_counts_match_hand_counts(name):
    text = read(name)
    expected = EXPECTED["files"][name]
    counts = Counter(words(text))
    assert {t: counts[t] for t in EXPECTED["terms"]} == expected["words"]
    # The hand count itself, checked with str.count:
    assert {t: text.count(t) for t in EXPECTED["terms"]} == expected["substrings"]


def test_latin_and_digit_words_in_fixture():
    text = read("mixed_scripts.txt")
    latin = [w for w in words(text) if not CJK_RE.search(w)]
    assert latin == EXPECTED["files"]["mixed_scripts.txt"]["latin_and_digit_words"]


def test_deterministic():
    text = read("commentary.txt")
    first = zh_token_spans(text)
    second = zh_token_spans(text)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_hmm_option_changes_unknown_words_only():
    text = "阿斯卡尔在鲁班工坊学习"  # a personal name unknown to the dictionary
    assert "鲁班工坊" in words(text, hmm=True)
    assert "鲁班工坊" in words(text, hmm=False)


# --- user words ---------------------------------------------------------------------

NEW_TERM = "锦程匠坊"  # made up for this test


def test_user_words_keep_new_term_whole():
    text = f"我们参观了{NEW_TERM}的实训车间。"
    assert NEW_TERM not in words(text)
    assert NEW_TERM in words(text, user_words=[NEW_TERM])
    assert NEW_TERM in words(text, user_words=(NEW_TERM,))
    assert NEW_TERM not in words(text)  # no leak into the default tokenizer


def test_user_words_from_file(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text(f"\ufeff# my terms\n\n{NEW_TERM} 5 n\n", encoding="utf-8")
    assert NEW_TERM in words(f"访问{NEW_TERM}", user_words=path)
    assert NEW_TERM in words(f"访问{NEW_TERM}", user_words=str(path))


def test_tokenizers_cached_per_word_set():
    a = _zh._tokenizer(_zh._normalise_user_words(["甲乙丙丁", NEW_TERM]))
    b = _zh._tokenizer(_zh._normalise_user_words((NEW_TERM, "甲乙丙丁", NEW_TERM)))
    assert a is b
    assert a is not _zh._tokenizer(())


def test_global_jieba_tokenizer_untouched():
    import jieba

    was_initialized = jieba.dt.initialized
    words(f"{NEW_TERM}鲁班工坊", user_words=[NEW_TERM])
    assert jieba.dt.initialized == was_initialized
    assert NEW_TERM not in jieba.dt.FREQ


def test_no_temp_directory_needed(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no temporary directory")

    monkeypatch.setattr(tempfile, "gettempdir", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    freq, total = _zh._prefix_dict.__wrapped__()  # a fresh build, bypassing the cache
    assert len(freq) > 300_000 and total > 0 and freq["鲁班"] > 0


def test_load_user_words_dedupes_and_skips_comments():
    lines = ["# comment", "", "  ", "鲁班工坊", "职教出海 12", "职教出海 nz", "中文+职业技能 3 nz", "鲁班工坊"]
    assert load_user_words(lines) == ("鲁班工坊", "职教出海", "中文+职业技能")


def test_package_userdict_is_valid_and_whole():
    for word in _zh._package_words():
        assert word in words(f"推进{word}。"), word


def test_package_userdict_has_each_term_in_traditional_characters_too():
    """魯班工坊推動產教融合 came out as 魯班 / 工坊 / 推動產教 / 融合, so Traditional
    codebook patterns silently undercounted."""
    package = _zh._package_words()
    traditional = package[package.index("魯班工坊"):]
    simplified = package[: package.index("魯班工坊")]
    assert len(traditional) == len(set(traditional)) and not set(traditional) & set(simplified)
    assert sorted(map(len, traditional)) == sorted(len(w) for w in simplified if w not in ZH_SAME_IN_BOTH)
    assert words("魯班工坊推動產教融合，人類命運共同體理念，獲得感持續提升") == [
        "魯班工坊", "推動", "產教融合", "人類命運共同體", "理念", "獲得感", "持續", "提升"]


# the package terms written alike in both scripts
ZH_SAME_IN_BOTH = {"工坊", "幸福感", "安全感", "塔吉克斯坦", "校企合作", "校校合作", "共商共建共享", "民心相通", "人文交流",
                   "全球治理", "南南合作", "全球南方"}


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("鲁班 工坊 3 n", "more than three fields|neither a frequency"),
        ("鲁班工坊 x1", "neither a frequency nor a tag"),
        ("鲁班工坊 n 3", "word freq tag"),
        ("鲁班工坊 -3", "neither a frequency nor a tag"),
        ("一带一路·倡议", "characters jieba cannot keep"),
        ("Luban", "without a Chinese character"),
        ("𠀀𠀁", "characters jieba cannot keep"),
    ],
)
def test_bad_userdict_line_names_file_and_line(tmp_path, line, match):
    path = tmp_path / "bad_words.txt"
    path.write_text(f"# header\n鲁班工坊\n{line}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=match) as info:
        load_user_words(path)
    assert "Line 3 of" in str(info.value) and "bad_words.txt" in str(info.value)
    with pytest.raises(ParameterError, match="Line 3 of"):
        zh_token_spans("鲁班工坊", user_words=path)


def test_bad_item_in_iterable_names_item():
    with pytest.raises(ParameterError, match="Item 2 of user_words"):
        load_user_words(["鲁班工坊", "Luban"])
    with pytest.raises(ParameterError, match="Item 1 of user_words must be a str"):
        load_user_words([3])


def test_user_word_file_errors(tmp_path):
    with pytest.raises(ParameterError, match="does not exist"):
        load_user_words(tmp_path / "missing.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("鲁班工坊".encode("gb18030"))
    with pytest.raises(DecodingError, match="latin1.txt"):
        load_user_words(bad)
    with pytest.raises(ParameterError, match="path or an iterable"):
        load_user_words(42)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"text": b"bytes"}, "'text' parameter of zh_token_spans must be a str"),
        ({"text": None}, "'text' parameter"),
        ({"text": "中文", "hmm": 1}, "'hmm' parameter"),
        ({"text": "中文", "presegmented": "yes"}, "'presegmented' parameter"),
        ({"text": "中文", "user_words": 5}, "path or an iterable"),
    ],
)
def test_wrong_types(kwargs, match):
    with pytest.raises(TextlabError, match=match):
        zh_token_spans(**kwargs)


# --- pre-segmented text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们 在 中亚 建设 鲁班工坊 ， 培养 技术 人才 。", True),
        ("推动 构建 人类命运共同体 ， 深化 产教融合 ， 促进 民心 相通", True),
        # too few runs to tell a segmenter's output from spaced phrases: jieba segments them
        ("鲁班工坊 走进非洲 助力就业", False),  # a headline: 走进非洲 hid 非洲
        ("我们 在 中亚 建设 鲁班工坊 。", False),
        # line breaks separate lines, not words: a term list, one per line
        ("关键词：\n产教融合\n获得感\n技术依赖\n鲁班工坊\n职业教育\n一带一路", False),
        ("我们 在 中亚 建设 鲁班工坊\n培养 技术 人才 ， 促进 民心 相通 。", True),  # 9 of 10 gaps spaced
        ("我们在中亚建设鲁班工坊。", False),
        ("鲁班工坊", False),  # a single run: nothing to decide from
        ("截至 2025 年，已在 20 多个国家建成鲁班工坊。", False),
        ("在 SCO 框架下建设鲁班工坊，推动民心相通。", False),
        ("", False),
    ],
)
def test_is_presegmented(text, expected):
    assert is_presegmented(text) is expected


def test_presegmented_text_keeps_given_boundaries():
    text = "学生 在 工坊 学习 数控 技术 ， 获得 证书 （ SCO ）"
    assert words(text) == ["学生", "在", "工坊", "学习", "数控", "技术", "获得", "证书", "SCO"]
    # jieba would join 数控技术; the given spaces win.
    assert "数控技术" in words(text.replace(" ", ""))


def test_presegmented_override():
    text = "我们在中亚 建设鲁班工坊"
    assert words(text, presegmented=True) == ["我们在中亚", "建设鲁班工坊"]
    assert words("我们 在 中亚", presegmented=False) == ["我们", "在", "中亚"]


# --- property test ----------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("鲁班工坊一带一路中亚合作标准依赖的了和是在获得感")
    + list("abcXYZ019")
    + list("，。、；：？！“”‘’（）《》【】—…·")
    + list(",.;:?!\"'()-_/#&%+@")
    + [" ", "\n", "\t", "\u3000", "\u00a0", "\r\n"]
    + ["😀", "👍🏽", "\u200d", "\ufe0f", "\u0301", "\u0308", "\u093f", "é", "Қ", "ß", "İ"]
    + ["𠀀", "𪚥", "\U0001d400", "²", "½", "Ⅻ", "〇", "々", "ａ", "１"]
)
_TEXTS = st.one_of(
    st.lists(st.one_of(_ALPHABET, st.sampled_from(DOMAIN_TERMS)), max_size=60).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, presegmented=st.sampled_from([None, True, False]), hmm=st.booleans())
def test_spans_are_exact_sorted_and_disjoint(text, presegmented, hmm):
    starts, ends = zh_token_spans(text, hmm=hmm, presegmented=presegmented)
    assert starts.dtype == np.int64 and ends.dtype == np.int64
    prev_end = 0
    for s, e in zip(starts.tolist(), ends.tolist()):
        assert 0 <= prev_end <= s < e <= len(text)
        token = text[s:e]
        assert token.strip() == token and not any(c.isspace() for c in token)
        # never starts with punctuation, symbol or mark (Han ranges include code
        # points not yet assigned, kept as Han for newer Unicode versions)
        assert unicodedata.category(token[0])[0] in "LN" or CJK_RE.match(token), (text, token)
        prev_end = e


@settings(max_examples=100, deadline=None)
@given(before=st.sampled_from(["", "我们", "推动", "，", "SCO ", "2025年"]),
       term=st.sampled_from(DOMAIN_TERMS),
       after=st.sampled_from(["", "建设", "。", "的发展", " TVET", "和"]))
def test_domain_terms_survive_context(before, term, after):
    text = before + term + after
    starts, ends = zh_token_spans(text)
    assert (len(before), len(before) + len(term)) in set(zip(starts.tolist(), ends.tolist()))


# --- language ----------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_detect_lang_fixtures(name):
    assert detect_lang(read(name)) == EXPECTED["files"][name]["lang"] == "zh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENGLISH, "en"),
        ("Belt and Road", "en"),
        ("", "en"),
        ("2025 — 92.5% !!", "en"),
        (MIXED, "zh"),
        ("鲁班工坊", "zh"),
        ("一" * 25 + "a" * 75, "zh"),  # exactly at the threshold
        ("一" * 24 + "a" * 76, "en"),
    ],
)
def test_detect_lang(text, expected):
    assert detect_lang(text) == expected


def test_detect_lang_wrong_type():
    with pytest.raises(ParameterError, match="'text' parameter of detect_lang"):
        detect_lang(None)


# --- stopwords ------------------------------------------------------------------


def test_stopwords_common_function_words():
    sw = zh_stopwords()
    assert isinstance(sw, frozenset)
    assert {"的", "了", "和", "是", "在", "我们", "因为", "但是", "这个"} <= sw
    assert zh_stopwords() is sw  # cached


def test_stopwords_file_is_clean():
    import textlab

    path = Path(textlab.__file__).parent / "data" / "stopwords_zh.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and any("Written for textlab" in line for line in lines if line.startswith("#"))
    entries = [line for line in lines if line and not line.startswith("#")]
    assert 300 <= len(entries) <= 800
    assert len(entries) == len(set(entries)) == len(zh_stopwords())
    assert all(e == e.strip() and not any(c.isspace() for c in e) for e in entries)
    assert all(CJK_RE.fullmatch(e) for e in entries)  # no punctuation, no Latin


def test_stopwords_spare_domain_words():
    assert not zh_stopwords() & {"鲁班工坊", "合作", "发展", "标准", "依赖", "获得感", "共同", "相互", "积极"}


# --- textlab.tokenize passes Chinese options through --------------------------------


def test_tokenize_zh_options_pass_through(tmp_path):
    from textlab.tokenize import tokenize

    text = f"我们参观了{NEW_TERM}的实训车间，鲁班工坊受到欢迎。"
    plain = tokenize(text, lang="zh")["token"].tolist()
    assert NEW_TERM not in plain and "鲁班工坊" in plain
    assert NEW_TERM in tokenize(text, lang="zh", user_words=[NEW_TERM])["token"].tolist()
    userdict = tmp_path / "words.txt"
    userdict.write_text(f"# domain words\n{NEW_TERM} 10 nz\n", encoding="utf-8")
    df = tokenize(text, lang="zh", user_words=userdict)
    assert NEW_TERM in df["token"].tolist()
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == df["token"].tolist()
    assert tokenize(text, lang="zh", hmm=False)["token"].tolist() == words(text, hmm=False)


def test_tokenize_zh_respects_presegmented_text():
    from textlab.tokenize import tokenize

    text = "职业 教育 合作 走 出去 ， 鲁班 工坊"
    df = tokenize(text, lang="zh")  # detected: spaces between short runs
    assert df["token"].tolist() == ["职业", "教育", "合作", "走", "出去", "鲁班", "工坊"]
    assert [text[s:e] for s, e in zip(df["start"], df["end"])] == df["token"].tolist()
    # forced on: each run of Han characters is one token, as written
    assert tokenize("职业教育合作", lang="zh", presegmented=True)["token"].tolist() == ["职业教育合作"]
    assert tokenize("职业 教育", lang="zh", presegmented=False)["token"].tolist() == ["职业", "教育"]


@pytest.mark.parametrize(
    "kwargs, name",
    [({"user_words": ["职教出海"]}, "user_words"), ({"hmm": False}, "hmm"), ({"presegmented": True}, "presegmented")],
)
def test_tokenize_zh_options_need_lang_zh(kwargs, name):
    from textlab.tokenize import tokenize

    with pytest.raises(ParameterError, match=f"'{name}' parameter applies to Chinese segmentation only"):
        tokenize("text", **kwargs)
