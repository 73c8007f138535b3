"""Fonts that draw Chinese in matplotlib figures (never empty "tofu" boxes).

matplotlib's own font, DejaVu Sans, has no Chinese glyphs. :func:`cjk_font` finds a
font that has them, in this order:

1. a font shipped by a Python package (installed with pip, so pinned like any
   dependency): ``pylopdf-fonts-zh-cn`` (Noto Sans SC, SIL Open Font License 1.1);
2. a system font of a known Chinese-capable family (Noto Sans CJK SC, Source Han
   Sans, WenQuanYi, Microsoft YaHei, PingFang SC, ...);
3. any other font matplotlib knows that has the probe glyphs.

Every candidate is checked for the glyphs of :data:`PROBE` before it is used.
:func:`use_cjk_font` then adds that font as a fallback after the current family, so
Latin text keeps its font and Chinese characters come from the CJK font (matplotlib's
per-glyph font fallback).

Nothing happens at import: fonts are looked up on the first call and the answer is
cached for the session.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import warnings

from .errors import MissingFontWarning, ParameterError

__all__ = ["PROBE", "cjk_font", "use_cjk_font"]

#: Characters a font must have to count as Chinese-capable.
PROBE = "鲁班工坊一带一路人类命运共同体产教融合获得感"

# (distribution to pip install, importable package, font file inside the package)
_PACKAGE_FONTS = (("pylopdf-fonts-zh-cn", "pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf"),)

# System families, most wanted first (Simplified Chinese forms before others).
_SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Arial Unicode MS",
)

_INSTALL_HINT = (
    "pip install pylopdf-fonts-zh-cn==0.1.1 (Noto Sans SC, SIL OFL 1.1), or a system "
    "package such as fonts-noto-cjk (Debian/Ubuntu)"
)


def _has_glyphs(path: str, index: int = 0, chars: str | None = None) -> bool:
    """Whether the font face at ``path`` has a glyph of its own for each of ``chars``.

    A "last resort" font (matplotlib ships one) maps every character of a Unicode
    block to one placeholder box: distinct characters must get distinct glyphs.
    """
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path, face_index=index)
    except (OSError, RuntimeError, ValueError):
        return False
    wanted = set(PROBE if chars is None else chars)
    glyphs = {font.get_char_index(ord(c)) for c in wanted}
    return 0 not in glyphs and len(glyphs) == len(wanted)


def _package_font_path(package: str, filename: str) -> str | None:
    """Path of ``filename`` inside an installed ``package``, without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, filename)
        if os.path.isfile(path):
            return path
    return None


def _find_cjk_entry():
    """The FontEntry (registered with matplotlib) of the first Chinese-capable font."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    for _dist, package, filename in _PACKAGE_FONTS:
        path = _package_font_path(package, filename)
        if path is None or not _has_glyphs(path):
            continue
        real = os.path.realpath(path)
        entries = [e for e in manager.ttflist if os.path.realpath(e.fname) == real]
        if not entries:
            manager.addfont(path)
            entries = [e for e in manager.ttflist if os.path.realpath(e.fname) == real]
        if entries:
            return entries[0]
    by_name = {}
    for entry in manager.ttflist:
        by_name.setdefault(entry.name, []).append(entry)
    for family in _SYSTEM_FAMILIES:
        for entry in sorted(by_name.get(family, ()), key=lambda e: (e.style != "normal", abs(e.weight - 400))):
            if _has_glyphs(entry.fname, getattr(entry, "index", 0)):
                return entry
    for entry in manager.ttflist:
        if (
            entry.name not in _SYSTEM_FAMILIES
            and "last resort" not in entry.name.lower()
            and _has_glyphs(entry.fname, getattr(entry, "index", 0))
        ):
            return entry
    return None


@functools.cache
def cjk_font():
    """The first available font that can draw Chinese, or None.

    Package fonts come first (see the module docstring), then system fonts. The font
    is registered with matplotlib's font manager; the answer is cached.

    Returns
    -------
    matplotlib.font_manager.FontProperties or None
        Properties naming the font's family, ready for ``fontproperties=`` of any
        text call; None when no installed font has Chinese glyphs.

    See Also
    --------
    use_cjk_font : make every figure (or one Axes) draw Chinese with it.
    """
    from matplotlib.font_manager import FontProperties

    entry = _find_cjk_entry()
    if entry is None:
        return None
    return FontProperties(family=[entry.name])  # a list: the name is not parsed as a pattern


def use_cjk_font(ax=None) -> bool:
    """Let matplotlib draw Chinese: add the CJK font as a fallback family.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None, default=None
        None changes ``rcParams["font.family"]`` (every text drawn afterwards, in
        every figure, like ``seaborn.set_theme``); an Axes changes only the text
        already in it: title, axis and tick labels (texts set later on these keep the
        font; new ticks copy it), legend and annotations made before the call. Call it
        after the legend and annotations are drawn.

    Returns
    -------
    bool
        True if a Chinese-capable font was found and set up; False otherwise, after a
        :class:`~textlab.errors.MissingFontWarning` that says what to install.

    Notes
    -----
    The CJK font is appended to the current family list, so Latin text keeps its
    font and only glyphs the first font lacks are taken from the CJK font. Calling
    again does not add it twice.
    """
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise ParameterError(
                f"The 'ax' parameter of use_cjk_font must be a matplotlib Axes or None; got {type(ax).__name__}."
            )
    prop = cjk_font()
    if prop is None:
        warnings.warn(
            "No installed font has Chinese glyphs, so Chinese text would be drawn as empty boxes. "
            f"Install one: {_INSTALL_HINT}.",
            MissingFontWarning,
            stacklevel=2,
        )
        return False
    name = prop.get_family()[0]
    if ax is None:
        import matplotlib as mpl

        families = list(mpl.rcParams["font.family"])
        if name not in families:
            mpl.rcParams["font.family"] = [*families, name]
        return True
    from matplotlib.text import Text

    for text in ax.findobj(Text):
        families = list(text.get_fontfamily())
        if name not in families:
            text.set_fontfamily([*families, name])
    return True
