"""Tests for textlab._fonts: Chinese glyphs in matplotlib figures."""

import io
import shutil
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

from textlab import _fonts
from textlab._fonts import cjk_font, use_cjk_font
from textlab.errors import MissingFontWarning, ParameterError

LABEL = "鲁班工坊"
NO_CJK_FONT = (
    "no Chinese-capable font installed: pip install pylopdf-fonts-zh-cn==0.1.1 "
    "(or apt-get install fonts-noto-cjk) to run this test"
)


def missing_glyph_warnings(draw):
    """Warnings about missing glyphs while ``draw()`` renders to PNG, PDF and SVG."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        for fmt in ("png", "pdf", "svg"):
            fig.savefig(io.BytesIO(), format=fmt)
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def figure_with_label(**text_kwargs):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar([LABEL, "一带一路"], [5, 3])
    ax.set_title(f"{LABEL} (Luban Workshop) 2025", **text_kwargs)
    return fig


@pytest.fixture
def restore_rc():
    with matplotlib.rc_context():
        yield


def test_detector_sees_tofu(restore_rc):
    """Without a CJK font, matplotlib warns: the check below is meaningful."""
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    assert missing_glyph_warnings(figure_with_label)


def test_cjk_font_is_cached_and_typed():
    prop = cjk_font()
    assert cjk_font() is prop
    if prop is not None:
        from matplotlib.font_manager import FontProperties, findfont

        assert isinstance(prop, FontProperties)
        assert _fonts._has_glyphs(findfont(prop, fallback_to_default=False))


def test_use_cjk_font_renders_chinese(restore_rc):
    if cjk_font() is None:
        pytest.skip(NO_CJK_FONT)
    family_before = list(matplotlib.rcParams["font.family"])
    assert use_cjk_font() is True
    assert use_cjk_font() is True  # idempotent
    family = matplotlib.rcParams["font.family"]
    assert family[: len(family_before)] == family_before and family.count(cjk_font().get_family()[0]) == 1
    assert missing_glyph_warnings(figure_with_label) == []


def test_use_cjk_font_on_one_axes(restore_rc):
    if cjk_font() is None:
        pytest.skip(NO_CJK_FONT)
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]

    def draw():
        fig = figure_with_label()
        ax = fig.axes[0]
        ax.set_xlabel("产教融合")
        ax.legend(["获得感"])
        assert use_cjk_font(ax) is True
        ax.set_ylabel("人类命运共同体")  # set after the call: the label keeps the font
        return fig

    assert missing_glyph_warnings(draw) == []
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]  # global settings untouched


def test_fontproperties_render_chinese(restore_rc):
    prop = cjk_font()
    if prop is None:
        pytest.skip(NO_CJK_FONT)
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]

    def draw():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title(LABEL, fontproperties=prop)
        return fig

    assert missing_glyph_warnings(draw) == []


def test_no_font_warns_and_returns_false(monkeypatch, restore_rc):
    monkeypatch.setattr(_fonts, "cjk_font", lambda: None)
    before = list(matplotlib.rcParams["font.family"])
    with pytest.warns(MissingFontWarning, match="pip install pylopdf-fonts-zh-cn"):
        assert use_cjk_font() is False
    assert list(matplotlib.rcParams["font.family"]) == before


def test_rejects_non_axes():
    with pytest.raises(ParameterError, match="'ax' parameter of use_cjk_font"):
        use_cjk_font("axes")


def test_package_font_lookup(tmp_path, monkeypatch):
    """A package font is found by path without importing the package, and checked."""
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    package = tmp_path / "fake_font_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    shutil.copy(dejavu, package / "Font.ttf")
    monkeypatch.syspath_prepend(str(tmp_path))
    path = _fonts._package_font_path("fake_font_pkg", "Font.ttf")
    assert path is not None and Path(path).name == "Font.ttf"
    assert _fonts._package_font_path("fake_font_pkg", "Other.ttf") is None
    assert _fonts._package_font_path("no_such_package_here", "Font.ttf") is None
    assert _fonts._has_glyphs(path, chars="Luban 2025")
    assert not _fonts._has_glyphs(path)  # DejaVu Sans has no Chinese
    assert not _fonts._has_glyphs(str(tmp_path / "missing.ttf"))


def test_system_font_lookup(monkeypatch):
    """Known families are tried in order; the last-resort scan skips placeholder fonts."""
    monkeypatch.setattr(_fonts, "_PACKAGE_FONTS", ())
    monkeypatch.setattr(_fonts, "PROBE", "Luban")
    monkeypatch.setattr(_fonts, "_SYSTEM_FAMILIES", ("No Such Family", "DejaVu Sans"))
    assert _fonts._find_cjk_entry().name == "DejaVu Sans"
    monkeypatch.setattr(_fonts, "_SYSTEM_FAMILIES", ())
    entry = _fonts._find_cjk_entry()
    assert entry is not None and "last resort" not in entry.name.lower()
    monkeypatch.setattr(_fonts, "PROBE", "鲁班\U000e01ef")  # no real font has all of these
    assert _fonts._find_cjk_entry() is None


def test_last_resort_font_is_not_a_cjk_font():
    last_resort = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "LastResortHE-Regular.ttf"
    if not last_resort.exists():
        pytest.skip("this matplotlib ships no last-resort font")
    assert not _fonts._has_glyphs(str(last_resort))
