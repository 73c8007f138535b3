"""Figures for textlab's tidy results, and a byte-for-byte deterministic :func:`save_figure`.

Every ``plot_*`` function takes the DataFrame an analysis returned as its first argument,
everything else keyword-only, draws into ``ax`` (a new figure when ``ax=None``), sets the
axis labels with their units and returns the Axes. Titles are the caller's. Nothing is
saved here except by :func:`save_figure`, and no input is modified. The one exception to
"returns an Axes" is :func:`plot_topic_terms`, a multi-panel figure that returns its
Figure (like seaborn's figure-level functions).

The numbers each function drew (the top-N keyness rows with their signed value, the
coherence summary per k, ...) are kept for :func:`plotted_data`, so a notebook can write
them beside the figure::

    ax = plot_keyness(kdf, measure="g2", labels=("chinese_policy", "external"))
    ax.set_title("Keywords: Chinese-policy papers vs external commentary")
    save_figure(ax.figure, "figures/04_keyness", data=plotted_data(ax))

Style. Colours are the Okabe–Ito palette (colour-blind safe, :data:`PALETTE`); the two
sides always get the same colours (:data:`SIDE_COLORS`: ``chinese_policy`` blue,
``external`` vermillion), other groups get the remaining colours in sorted order
(:func:`palette_for`). Heatmaps use ``cividis`` (:data:`SEQUENTIAL_CMAP`). Call
:func:`theme` once in a notebook for paper-sized fonts (8–10 pt); importing this module
changes no rcParams.

Chinese labels. Labels with CJK ideographs (e.g. 鲁班工坊) need a font that has them;
:func:`_ensure_fonts` asks :func:`textlab._fonts.use_cjk_font` for one when, and only
when, a label contains CJK characters. Chinese text you add yourself (a title, an
annotation) on a figure whose data has none needs ``use_cjk_font(ax)`` after it::

    ax = plot_keyness(kdf)
    ax.set_title("关键词")
    use_cjk_font(ax)
"""

from __future__ import annotations

import numbers
import os
import re
import textwrap
import warnings
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ._fonts import use_cjk_font  # public here: for Chinese text a caller adds (a title, a note)
from .errors import ParameterError, TextlabWarning, check_bool, check_choice, check_int

__all__ = [
    "PALETTE",
    "SIDE_COLORS",
    "SEQUENTIAL_CMAP",
    "KEYNESS_MEASURES",
    "palette_for",
    "theme",
    "theme_rc",
    "plot_keyness",
    "plot_frame_rates",
    "plot_frame_heatmap",
    "plot_cleaning",
    "plot_dispersion",
    "plot_coherence",
    "plot_topic_terms",
    "plot_topic_prevalence",
    "plotted_data",
    "save_figure",
    "use_cjk_font",
    "CSV_FLOAT_FORMAT",
]

# ---------------------------------------------------------------------------------------
# Style: the one place that defines colours and sizes

#: Okabe & Ito (2008) colour-blind-safe palette, by name.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
#: Fixed colour of each side of the corpus, used by every figure.
SIDE_COLORS = {"chinese_policy": PALETTE["blue"], "external": PALETTE["vermillion"]}
# Colours for any other levels (documents, methods, terms), in order; yellow last (weak on white).
_OTHER_COLORS = tuple(PALETTE[k] for k in ("orange", "bluish_green", "reddish_purple", "sky_blue", "black", "yellow"))
_NEUTRAL = "#4D4D4D"
_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")
#: Sequential colour map for heatmaps (designed for colour-vision deficiency).
SEQUENTIAL_CMAP = "cividis"

_THEME_RC = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "figure.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL_CMAP,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}


def theme_rc() -> dict:
    """The rcParams of textlab's paper style (fonts 8–10 pt, Okabe–Ito colour cycle).

    Use it scoped with ``with matplotlib.rc_context(theme_rc()): ...``.

    Examples
    --------
    >>> theme_rc()["xtick.labelsize"]
    8
    """
    rc = dict(_THEME_RC)
    rc["axes.prop_cycle"] = cycler(color=list(SIDE_COLORS.values()) + list(_OTHER_COLORS))
    return rc


def theme() -> None:
    """Apply :func:`theme_rc` to matplotlib's global rcParams; call once per notebook.

    Importing :mod:`textlab.plots` changes nothing; only this call does.
    """
    mpl.rcParams.update(theme_rc())


def palette_for(levels: Iterable) -> dict:
    """Colour for each level: the fixed side colours for sides, Okabe–Ito for the rest.

    Levels other than the side names get the non-side colours in the order given.

    Examples
    --------
    >>> palette_for(["external", "000", "chinese_policy"])
    {'external': '#D55E00', '000': '#E69F00', 'chinese_policy': '#0072B2'}
    """
    colours, i = {}, 0
    for level in levels:
        if level in colours:
            continue
        if isinstance(level, str) and level in SIDE_COLORS:
            colours[level] = SIDE_COLORS[level]
        else:
            colours[level] = _OTHER_COLORS[i % len(_OTHER_COLORS)]
            i += 1
    return colours


# ---------------------------------------------------------------------------------------
# Validation, bookkeeping and shared drawing helpers

_PLOTTED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _check_frame(df, required: Sequence[str], *, name: str, func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"The {name!r} parameter of {func} must be a pandas DataFrame; got {type(df).__name__}.")
    missing = [c for c in required if c not in df.columns]
    if missing:
        listed = ", ".join(repr(c) for c in missing)
        has = ", ".join(repr(str(c)) for c in df.columns) or "no columns"
        raise ParameterError(f"The {name!r} parameter of {func} is missing required column(s) {listed}; it has {has}.")


def _check_numeric(df: pd.DataFrame, cols: Sequence[str], *, name: str, func: str, complete: Sequence[str] = (),
                   nonnegative: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of ``df`` with ``cols`` numeric (NumPy ints kept, else float with NaN), or ParameterError.

    ``cols`` may hold NaN (drawn as nothing) but not infinities; ``complete`` columns (labels
    or values) no missing value, which would be written to the CSV but not drawn; and
    ``nonnegative`` columns no value below 0, which an axis starting at 0 would hide.
    """
    out = df.copy()
    for col in cols:
        try:
            values = pd.to_numeric(out[col], errors="raise")
            if not (isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu"):
                values = values.astype(float)
            out[col] = values
        except (ValueError, TypeError) as err:
            raise ParameterError(f"Column {col!r} of the {name!r} parameter of {func} must be numeric; {err}.") from None
        if np.isinf(values.to_numpy(float)).any():
            raise ParameterError(f"Column {col!r} of the {name!r} parameter of {func} holds an infinite value.")
        below = values.to_numpy(float) < 0
        if col in nonnegative and below.any():
            raise ParameterError(f"Column {col!r} of the {name!r} parameter of {func} must be >= 0; got "
                                 f"{values[below].iloc[0].item()!r}.")
    for col in complete:
        missing = out[col].isna().to_numpy()
        if missing.any():
            raise ParameterError(f"Column {col!r} of the {name!r} parameter of {func} has a missing value (row "
                                 f"{int(np.flatnonzero(missing)[0])}); every row needs one.")
    return out


def _check_ax(ax, func: str) -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise ParameterError(f"The 'ax' parameter of {func} must be a matplotlib Axes or None; got {type(ax).__name__}.")


def _check_unique(df: pd.DataFrame, keys: Sequence[str], *, name: str, func: str) -> None:
    dup = df.duplicated(list(keys))
    if dup.any():
        row = df.loc[dup, list(keys)].iloc[0].tolist()
        raise ParameterError(
            f"The {name!r} parameter of {func} has more than one row per ({', '.join(keys)}); first repeat: {row!r}."
        )


def _sorted_levels(values) -> list:
    """Unique values, sorted (numbers numerically, otherwise as text)."""
    uniq = list(pd.unique(pd.Series(list(values), dtype=object).dropna()))
    try:
        return sorted(uniq)
    except TypeError:
        return sorted(uniq, key=str)


_OWN_FIGURES = weakref.WeakSet()  # figures a plot function made (ax=None): theirs to resize


def _axes(ax, figsize) -> Axes:
    if ax is not None:
        return ax
    fig, new = plt.subplots(figsize=figsize, layout="constrained")
    _OWN_FIGURES.add(fig)
    return new


def _no_data(ax: Axes, *, xlabel: str = "", ylabel: str = "") -> Axes:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", color=_NEUTRAL)
    return ax


def _register(obj, data: pd.DataFrame):
    _PLOTTED[obj] = data.reset_index(drop=True)
    return obj


def plotted_data(ax_or_fig) -> pd.DataFrame:
    """The numbers the last textlab plot function drew into ``ax_or_fig``, as a DataFrame.

    Pass it to :func:`save_figure` as ``data=`` to write the CSV beside the figure. For
    :func:`plot_topic_terms` pass the Figure it returned.

    Raises
    ------
    ParameterError
        If nothing was drawn into ``ax_or_fig`` by a textlab plot function.
    """
    try:
        return _PLOTTED[ax_or_fig].copy()
    except (KeyError, TypeError):
        raise ParameterError(
            f"plotted_data: no textlab plot was drawn into this {type(ax_or_fig).__name__}."
        ) from None


_CJK_RE = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _has_cjk(labels: Iterable) -> bool:
    return any(_CJK_RE.search(str(label)) for label in labels)


def _ensure_fonts(labels: Iterable, axes=None) -> bool:
    """Make CJK labels renderable; return True if a CJK font was put in place.

    Does nothing (returns False) unless a label contains CJK ideographs or punctuation.
    Then it calls ``textlab._fonts.use_cjk_font(ax)`` for the Axes (or each of a list of
    Axes) — ``_fonts`` is the one place that knows which installed font covers Chinese.
    Plot functions call this after they have created all their text, so the font can be
    set on the Axes' existing texts. If ``textlab._fonts`` is missing, it warns that the
    labels may render as empty boxes.
    """
    if not _has_cjk(labels):
        return False
    try:
        from ._fonts import use_cjk_font
    except ImportError:
        warnings.warn(
            "Labels contain Chinese characters but textlab._fonts is not available; "
            "they may render as empty boxes.",
            TextlabWarning,
            stacklevel=3,
        )
        return False
    targets = list(axes) if isinstance(axes, (list, tuple)) else [axes]
    return all([bool(use_cjk_font(ax)) for ax in targets])


def _wrap(label, width: int = 44) -> str:
    """``label`` in lines of about ``width`` Latin columns, broken at spaces; Chinese has
    none to break at and two columns per character, so CJK labels break anywhere at half
    the width."""
    text = str(label)
    if _has_cjk([text]):
        return textwrap.fill(text, width=max(width // 2, 1), break_long_words=True, break_on_hyphens=False)
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def _in_level_order(df: pd.DataFrame, **levels) -> pd.DataFrame:
    """Rows sorted by the given level order of each column, in keyword order (stable)."""
    ranks = {f"_rank_{col}": df[col].map({v: i for i, v in enumerate(order)}) for col, order in levels.items()}
    return df.assign(**ranks).sort_values(list(ranks), kind="stable").drop(columns=list(ranks))


def _dodged_points(ax, df, *, cat, cats, cat_labels, dodge, dodges, level, x, lo, hi, marker_by=None) -> list:
    """Points of ``x`` with CI lines ``lo``–``hi`` per category row, dodged per ``dodge``.

    Categories run top to bottom. Colour follows ``level``; the marker follows
    ``marker_by`` (default: ``level``). Returns the legend handles.
    """
    n = len(dodges)
    offsets = np.linspace(-0.3, 0.3, n) if n > 1 else np.zeros(1)
    cat_pos = {c: i for i, c in enumerate(cats)}
    dodge_pos = dict(zip(dodges, offsets))
    y = df[cat].map(cat_pos).to_numpy(float) + df[dodge].map(dodge_pos).to_numpy(float)
    levels = _sorted_levels(df[level])
    colours = palette_for(levels)
    marker_by = marker_by or level
    marks = _sorted_levels(df[marker_by]) if marker_by != level else levels
    marker = {m: _MARKERS[j % len(_MARKERS)] for j, m in enumerate(marks)}
    row_colour = df[level].map(colours).to_numpy()
    xs, lows, highs = (df[c].to_numpy() for c in (x, lo, hi))
    ok = np.isfinite(lows) & np.isfinite(highs)
    for lev in levels:
        sel = ok & (df[level] == lev).to_numpy()
        if sel.any():
            ax.hlines(y[sel], lows[sel], highs[sel], colors=colours[lev], linewidth=1.3, zorder=2)
    for m in marks:
        sel = np.isfinite(xs) & (df[marker_by] == m).to_numpy()
        ax.scatter(xs[sel], y[sel], c=list(row_colour[sel]), marker=marker[m], s=26, edgecolors="white",
                   linewidths=0.5, zorder=3)
    if marker_by == level:
        handles = [Line2D([], [], linestyle="none", marker=marker[lev], color=colours[lev], markeredgecolor="white",
                          label=str(lev)) for lev in levels]
    else:
        handles = [Patch(color=colours[lev], label=str(lev)) for lev in levels]
        handles += [Line2D([], [], linestyle="none", marker=marker[m], color=_NEUTRAL, markeredgecolor="white",
                           label=str(m)) for m in marks]
    if (np.isfinite(xs) & ~ok).any():
        handles.append(Line2D([], [], linestyle="none", label="(no line: CI undefined)"))
    ax.set_yticks(np.arange(len(cats)), labels=cat_labels)
    ax.set_yticks(np.arange(len(cats) - 1) + 0.5, minor=True)
    ax.tick_params(axis="y", which="both", length=0)
    ax.grid(axis="y", which="minor", color="0.88", linewidth=0.6)
    ax.grid(axis="x", which="major", color="0.93", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_ylim(len(cats) - 0.5, -0.5)
    return handles


def _legend_outside(ax, handles, title=None):
    ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
              frameon=False, handletextpad=0.3)
    fig = ax.figure
    if fig in _OWN_FIGURES:
        # A legend taller than the axes squeezes them to nothing under constrained layout
        # (one frame, many units): a figure we made grows to hold it. Lines of a CJK font
        # are taller.
        from matplotlib.font_manager import FontProperties

        size = FontProperties(size=mpl.rcParams["legend.fontsize"]).get_size_in_points()
        lines = len(handles) + (1 if title else 0)
        line = size * (1.9 if _has_cjk([title, *(h.get_label() for h in handles)]) else 1.5) / 72
        needed = 0.6 + lines * line
        if fig.get_figheight() < needed:
            fig.set_figheight(needed)


# ---------------------------------------------------------------------------------------
# Keyness

#: Measures :func:`plot_keyness` can draw, with their axis labels. Bars are signed by
#: ``direction`` (target +, reference −); BIC, PMI and odds ratio are not signed scores.
KEYNESS_MEASURES = {
    "g2": "Log-likelihood G² (signed)",
    "g2_4term": "Log-likelihood G², 4-term (signed)",
    "chi2": "Chi-squared χ² (signed)",
    "chi2_yates": "Chi-squared χ², Yates-corrected (signed)",
    "log_ratio": "Log ratio (binary log of relative-frequency ratio)",
    "pct_diff": "%DIFF (difference of relative frequencies, %)",
}


def _keyness_table(df: pd.DataFrame, measure: str, top: int) -> pd.DataFrame:
    sign = df["direction"].map({"target": 1.0, "reference": -1.0})
    t = pd.DataFrame({"term": df["term"].astype(str), "direction": df["direction"], measure: df[measure]})
    t["value"] = sign * t[measure].abs()
    t = t[t["value"].notna() & (t["value"] != 0)]
    t["_abs"] = t["value"].abs()
    parts = []
    for direction, ascending in (("target", False), ("reference", True)):
        part = t[t["direction"] == direction].sort_values(["_abs", "term"], ascending=[False, True], kind="mergesort")
        part = part.head(top)
        parts.append(part.iloc[::-1] if ascending else part)
    return pd.concat(parts).drop(columns="_abs").reset_index(drop=True)


def plot_keyness(keyness_df, *, measure="g2", top=15, labels=("target", "reference"), ax=None):
    """Diverging bars of the strongest keywords on each side.

    Terms key for the target run to the right (positive), terms key for the reference to
    the left (negative), the ``top`` strongest of each, largest at the outer ends. Terms
    with ``direction == 'none'`` are not drawn.

    Parameters
    ----------
    keyness_df : DataFrame
        From :func:`textlab.keyness.keyness`; needs ``term``, ``direction``
        (``'target'|'reference'|'none'``) and the ``measure`` column.
    measure : {'g2', 'g2_4term', 'chi2', 'chi2_yates', 'log_ratio', 'pct_diff'}, default='g2'
        Bar length is its absolute value, signed by ``direction``.
    top : int, default=15
        Number of terms drawn for each direction.
    labels : (str, str), default=('target', 'reference')
        Legend names of the target and reference; side names get the side colours.
    ax : matplotlib Axes, optional
        Draw here; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        :func:`plotted_data` gives ``term, direction, <measure>, value`` (value signed),
        top to bottom.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"term": ["win-win", "dependency", "skills"], "g2": [12.0, 9.5, 0.4],
    ...                    "direction": ["target", "reference", "none"]})
    >>> ax = plot_keyness(df, labels=("chinese_policy", "external"))
    >>> [float(p.get_width()) for p in ax.patches]
    [12.0, -9.5]
    """
    func = "plot_keyness"
    measure = check_choice(measure, tuple(KEYNESS_MEASURES), name="measure", func=func)
    _check_frame(keyness_df, ["term", "direction", measure], name="keyness_df", func=func)
    top = check_int(top, name="top", func=func, minimum=1)
    if (not isinstance(labels, (tuple, list)) or len(labels) != 2
            or not all(isinstance(s, str) for s in labels)):
        raise ParameterError(f"The 'labels' parameter of {func} must be a pair of str; got {labels!r}.")
    _check_ax(ax, func)
    df = _check_numeric(keyness_df[["term", "direction", measure]], [measure], name="keyness_df", func=func,
                        complete=["term", "direction"])
    table = _keyness_table(df, measure, top)
    xlabel = KEYNESS_MEASURES[measure]
    ax = _axes(ax, (5.5, 0.9 + 0.2 * max(len(table), 3)))
    _register(ax, table)
    if table.empty:
        return _no_data(ax, xlabel=xlabel)
    colours = palette_for(labels)
    is_target = (table["direction"] == "target").to_numpy()
    y = np.arange(len(table))
    ax.barh(y, table["value"], height=0.7, color=[colours[labels[0]] if t else colours[labels[1]] for t in is_target])
    ax.set_yticks(y, labels=table["term"].tolist())
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.axvline(0, color=_NEUTRAL, linewidth=0.8)
    ax.grid(axis="x", color="0.93", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(xlabel)
    handles = [Patch(color=colours[labels[0]], label=f"key in {labels[0]}"),
               Patch(color=colours[labels[1]], label=f"key in {labels[1]}")]
    ax.legend(handles=handles, loc="best", frameon=False)
    _ensure_fonts(list(table["term"]) + list(labels), ax)
    return ax


# ---------------------------------------------------------------------------------------
# Frames

_FRAME_COLUMNS = ["unit", "frame", "count", "tokens", "per_1k", "ci_low", "ci_high"]
_VALUE_LABELS = {"per_1k": "Matches per 1,000 words", "count": "Matches (count)"}


def _frame_order(df: pd.DataFrame, order, func: str) -> tuple[list, list]:
    """Frames in display order and their tick labels (``label`` column if present)."""
    present = _sorted_levels(df["frame"])
    if order is None:
        frames = present
    else:
        if isinstance(order, str) or not isinstance(order, Sequence):
            raise ParameterError(f"The 'order' parameter of {func} must be a list of frames or None; got {order!r}.")
        unknown = [f for f in order if f not in set(present)]
        if unknown:
            raise ParameterError(f"The 'order' parameter of {func} names frames not in the data: {unknown!r}.")
        frames = list(dict.fromkeys(order))
    names = {}
    if "label" in df.columns:
        for f, lab in df.drop_duplicates("frame")[["frame", "label"]].itertuples(index=False):
            if isinstance(lab, str) and lab:
                names[f] = lab if lab.startswith(str(f)) else f"{f} {lab}"
    return frames, [_wrap(names.get(f, f)) for f in frames]


def plot_frame_rates(counts_df, *, hue=None, order=None, ax=None):
    """Rate of each frame per unit (points) with its confidence interval (lines).

    Frames run down the y axis, one row each; within a row each unit (document or group)
    has its own dodged point. Where ``ci_low``/``ci_high`` are NaN (no bootstrap, or a
    single document) no line is drawn and the legend says so.

    Parameters
    ----------
    counts_df : DataFrame
        From :func:`textlab.frames.frame_counts`; needs ``unit, frame, count, tokens,
        per_1k, ci_low, ci_high`` and one row per (unit, frame). An optional ``label``
        column gives the frame names shown (``"F11 Dependency / lock-in / reliance"``).
    hue : str, optional
        Column that colours the points (e.g. ``'side'`` merged in by the caller); the
        marker then tells the units apart, and units of one hue level sit together. By
        default each unit has its own colour and marker. Side names always get the side
        colours.
    order : list, optional
        Frames to draw, top to bottom; default all, sorted.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`plotted_data` gives ``frame, unit, [hue], count, tokens, per_1k, ci_low,
        ci_high, [label]`` in drawing order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"unit": ["chinese_policy", "external"], "frame": ["F11", "F11"],
    ...                    "count": [4, 8], "tokens": [23001, 850], "per_1k": [0.17, 9.41],
    ...                    "ci_low": [0.0, float("nan")], "ci_high": [0.4, float("nan")]})
    >>> ax = plot_frame_rates(df)
    >>> sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_sizes"))
    2
    """
    func = "plot_frame_rates"
    _check_frame(counts_df, _FRAME_COLUMNS, name="counts_df", func=func)
    if hue is not None:
        if not isinstance(hue, str):
            raise ParameterError(f"The 'hue' parameter of {func} must be a column name (str) or None; got {hue!r}.")
        _check_frame(counts_df, [hue], name="counts_df", func=func)
        if counts_df[hue].isna().any():
            raise ParameterError(f"Column {hue!r} (the 'hue' parameter of {func}) has missing values.")
    _check_ax(ax, func)
    keep = ["frame", "unit"] + ([hue] if hue and hue not in ("frame", "unit") else []) + _FRAME_COLUMNS[2:]
    keep += ["label"] if "label" in counts_df.columns else []
    df = _check_numeric(counts_df[keep], ["per_1k", "ci_low", "ci_high"], name="counts_df", func=func,
                        complete=["frame", "unit"], nonnegative=["per_1k", "ci_low", "ci_high"])
    _check_unique(df, ["frame", "unit"], name="counts_df", func=func)
    frames, ticks = _frame_order(df, order, func)
    xlabel = _VALUE_LABELS["per_1k"]
    df = df[df["frame"].isin(frames)]
    units = _sorted_levels(df["unit"])
    level = hue or "unit"
    if hue:  # units of one hue level next to each other
        first = df.drop_duplicates("unit").set_index("unit")[hue]
        units = sorted(units, key=lambda u: (_sorted_levels(df[hue]).index(first[u]), units.index(u)))
    ax = _axes(ax, (6.5, 0.8 + max(len(frames), 2) * max(0.3, 0.075 * len(units))))
    table = _in_level_order(df, frame=frames, unit=units)
    _register(ax, table)
    if table.empty:
        return _no_data(ax, xlabel=xlabel)
    handles = _dodged_points(ax, table, cat="frame", cats=frames, cat_labels=ticks, dodge="unit", dodges=units,
                             level=level, x="per_1k", lo="ci_low", hi="ci_high", marker_by="unit")
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    _legend_outside(ax, handles, title=hue)
    _ensure_fonts(ticks + [str(h.get_label()) for h in handles], ax)
    return ax


def plot_frame_heatmap(counts_df, *, value="per_1k", annotate=True, ax=None):
    """Frame × unit heatmap of ``value`` in a colour-blind-safe sequential map.

    Parameters
    ----------
    counts_df : DataFrame
        From :func:`textlab.frames.frame_counts`; needs ``unit, frame`` and ``value``,
        one row per (unit, frame); an optional ``label`` column names the frames.
    value : {'per_1k', 'count'}, default='per_1k'
    annotate : bool, default=True
        Write each cell's value (two decimals for rates, integers for counts). Missing
        cells are left blank.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`plotted_data` gives ``frame, unit, <value>`` in row-major drawing order.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"unit": ["000", "003", "000", "003"], "frame": ["F01", "F01", "F11", "F11"],
    ...                    "per_1k": [0.71, 1.18, 0.14, 9.41]})
    >>> ax = plot_frame_heatmap(df)
    >>> [t.get_text() for t in ax.texts]
    ['0.71', '1.18', '0.14', '9.41']
    """
    func = "plot_frame_heatmap"
    value = check_choice(value, tuple(_VALUE_LABELS), name="value", func=func)
    _check_frame(counts_df, ["unit", "frame", value], name="counts_df", func=func)
    annotate = check_bool(annotate, name="annotate", func=func)
    _check_ax(ax, func)
    keep = ["frame", "unit", value] + (["label"] if "label" in counts_df.columns else [])
    df = _check_numeric(counts_df[keep], [value], name="counts_df", func=func, complete=["unit", "frame"],
                        nonnegative=[value])
    _check_unique(df, ["frame", "unit"], name="counts_df", func=func)
    frames, ticks = _frame_order(df, None, func)
    units = _sorted_levels(df["unit"])
    label = _VALUE_LABELS[value]
    ax = _axes(ax, (1.6 + 0.6 * max(len(units), 2) + 0.06 * max((len(t) for t in ticks), default=0),
                    0.9 + 0.3 * max(len(frames), 4)))
    grid = (df.pivot(index="frame", columns="unit", values=value).reindex(index=frames, columns=units)
            if len(df) else pd.DataFrame())
    _register(ax, grid.stack(future_stack=True).rename(value).reset_index()[["frame", "unit", value]]
              if len(df) else pd.DataFrame(columns=["frame", "unit", value]))
    if df.empty:
        return _no_data(ax, xlabel="Unit")
    import seaborn as sns

    fmt = ".2f" if value == "per_1k" else ".0f"
    # Tick labels are set afterwards: seaborn draws the figure once with y labels rotated
    # vertically, which can collapse a constrained layout when frame names are long.
    sns.heatmap(grid.to_numpy(), ax=ax, cmap=SEQUENTIAL_CMAP, vmin=0, annot=annotate, fmt=fmt,
                annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white", square=False,
                xticklabels=False, yticklabels=False, cbar_kws={"label": label})
    ax.set_xticks(np.arange(len(units)) + 0.5, labels=[str(u) for u in units])
    ax.set_yticks(np.arange(len(frames)) + 0.5, labels=ticks)
    ax.set_xlabel("Unit")
    ax.set_ylabel("")
    ax.tick_params(axis="both", length=0)
    ax.tick_params(axis="y", rotation=0)
    ax.tick_params(axis="x", rotation=0 if max(len(str(u)) for u in units) <= 6 else 30)
    _ensure_fonts(ticks + [str(u) for u in units], ax)
    return ax


# ---------------------------------------------------------------------------------------
# Cleaning


def plot_cleaning(cleaning_df, *, ax=None):
    """Where each document's characters went: kept, or removed for which reason.

    Parameters
    ----------
    cleaning_df : DataFrame
        From :meth:`textlab.Corpus.cleaning_summary`: ``doc_id, reason, chars_removed``
        (the reason ``kept`` counts characters copied to the cleaned text).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal stacked bar per document, as a percentage of its raw characters;
        :func:`plotted_data` gives ``doc_id, reason, chars, percent``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"doc_id": ["a", "a", "b"], "reason": ["kept", "references", "kept"],
    ...                    "chars_removed": [90, 10, 50]})
    >>> ax = plot_cleaning(df)
    >>> plotted_data(ax)["percent"].tolist()
    [90.0, 100.0, 10.0]
    """
    func = "plot_cleaning"
    _check_frame(cleaning_df, ["doc_id", "reason", "chars_removed"], name="cleaning_df", func=func)
    _check_ax(ax, func)
    df = _check_numeric(cleaning_df[["doc_id", "reason", "chars_removed"]], ["chars_removed"],
                        name="cleaning_df", func=func, complete=["doc_id", "reason", "chars_removed"],
                        nonnegative=["chars_removed"])
    df = df.groupby(["doc_id", "reason"], sort=False, as_index=False)["chars_removed"].sum()
    df = df.rename(columns={"chars_removed": "chars"})
    docs = list(dict.fromkeys(df["doc_id"]))
    ax = _axes(ax, (7.0, 0.9 + 0.45 * max(len(docs), 3)))
    if df.empty:
        _register(ax, df.assign(percent=[]))
        return _no_data(ax, xlabel="Share of raw characters (%)")
    totals = df.groupby("doc_id", sort=False)["chars"].transform("sum")
    df["percent"] = 100.0 * df["chars"] / totals
    reasons = ["kept"] + [r for r in dict.fromkeys(df["reason"]) if r != "kept"]
    # Eight distinct Okabe-Ito colours; reasons past the eighth reuse them hatched.
    distinct = list(dict.fromkeys((*_OTHER_COLORS, *PALETTE.values())))
    styles = {"kept": ("#BBBBBB", None)}
    styles.update({r: (distinct[i % len(distinct)], None if i < len(distinct) else "////")
                   for i, r in enumerate(r for r in reasons if r != "kept")})
    left = np.zeros(len(docs))
    rows = []
    for reason in reasons:
        part = df[df["reason"] == reason].set_index("doc_id")["percent"].reindex(docs).fillna(0.0).to_numpy()
        color, hatch = styles[reason]
        ax.barh(np.arange(len(docs)), part, left=left, color=color, hatch=hatch, label=reason.replace("_", " "),
                edgecolor="white", linewidth=0.5)
        left += part
        rows.append(df[df["reason"] == reason])
    _register(ax, pd.concat(rows, ignore_index=True)[["doc_id", "reason", "chars", "percent"]])
    ax.set_yticks(np.arange(len(docs)), labels=[str(d) for d in docs])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of raw characters (%)")
    handles, labels = ax.get_legend_handles_labels()
    _legend_outside(ax, handles, title="kept or removed as")
    _ensure_fonts([str(d) for d in docs] + labels, ax)
    return ax


# ---------------------------------------------------------------------------------------
# Dispersion


def plot_dispersion(positions_df, *, ax=None):
    """Lexical dispersion ("x-ray") plot: where in each document each term occurs.

    One band of rows per document, one row per term inside it (every term in every band,
    so absences show), one vertical tick per hit at its relative position.

    Parameters
    ----------
    positions_df : DataFrame
        Long frame with ``doc_id, term, position``; ``position`` is the relative offset of
        the hit in its document, in [0, 1] (e.g. KWIC ``start / len(corpus.text(doc_id))``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Terms label the rows on the left and document ids the bands on the right (with a
        single term, rows are labelled by document). :func:`plotted_data` gives
        ``doc_id, term, position, row`` sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"doc_id": ["000", "000", "003"], "term": ["win-win"] * 3,
    ...                    "position": [0.1, 0.5, 0.9]})
    >>> ax = plot_dispersion(df)
    >>> sum(len(c.get_segments()) for c in ax.collections)
    3
    """
    func = "plot_dispersion"
    _check_frame(positions_df, ["doc_id", "term", "position"], name="positions_df", func=func)
    _check_ax(ax, func)
    df = _check_numeric(positions_df[["doc_id", "term", "position"]], ["position"], name="positions_df", func=func,
                        complete=["doc_id", "term"])
    df = df[df["position"].notna()]
    bad = ~df["position"].between(0, 1)
    if bad.any():
        raise ParameterError(
            f"Column 'position' of the 'positions_df' parameter of {func} must lie in [0, 1] (relative position); "
            f"got {df.loc[bad, 'position'].iloc[0]!r}."
        )
    xlabel = "Relative position in document (0 = start, 1 = end)"
    docs, terms = _sorted_levels(df["doc_id"]), _sorted_levels(df["term"])
    band = len(terms) + (1 if len(terms) > 1 else 0)
    n_rows = len(docs) * band
    ax = _axes(ax, (6.5, 0.8 + 0.22 * max(n_rows, 3)))
    row_of = {(d, t): i * band + j for i, d in enumerate(docs) for j, t in enumerate(terms)}
    table = df.assign(row=[row_of[k] for k in zip(df["doc_id"], df["term"])]).sort_values(
        ["row", "position"], kind="mergesort")
    _register(ax, table)
    ax.set_xlim(0, 1)
    if table.empty:
        return _no_data(ax, xlabel=xlabel)
    colours = palette_for(terms) if len(terms) > 1 else {terms[0]: _NEUTRAL}
    for term in terms:
        sel = table[table["term"] == term]
        if len(sel):
            ax.vlines(sel["position"], sel["row"] - 0.38, sel["row"] + 0.38, colors=colours[term], linewidth=1.0)
    rows = sorted(row_of.values())
    if len(terms) > 1:
        ax.set_yticks(rows, labels=[t for _ in docs for t in terms])
        for i, d in enumerate(docs):
            centre = i * band + (len(terms) - 1) / 2
            ax.text(1.01, centre, str(d), transform=ax.get_yaxis_transform(), ha="left", va="center",
                    fontsize=mpl.rcParams["ytick.labelsize"], fontweight="bold")
            if i:
                ax.axhline(i * band - 1, color="0.8", linewidth=0.6)
    else:
        ax.set_yticks(rows, labels=[str(d) for d in docs])
        ax.set_ylabel("Document")
    ax.set_ylim(n_rows - (0.5 if len(terms) == 1 else 1.5), -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    _ensure_fonts(terms + docs, ax)
    return ax


# ---------------------------------------------------------------------------------------
# Topics

_COHERENCE_LABELS = {"c_v": "Topic coherence C_V", "u_mass": "Topic coherence UMass"}


def plot_coherence(sweep_df, *, measure="c_v", ax=None):
    """Coherence against the number of topics: mean over seeds with its min–max band.

    Parameters
    ----------
    sweep_df : DataFrame
        From :func:`textlab.topics.sweep_k`; needs ``k, seed, method`` and ``measure``.
        One line per method.
    measure : {'c_v', 'u_mass'}, default='c_v'
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`plotted_data` gives ``method, k, n_seeds, mean, sd, min, max`` of the
        measure (NaN values ignored).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"k": [2, 2, 3, 3], "seed": [0, 1, 0, 1], "method": ["lda"] * 4,
    ...                    "c_v": [0.40, 0.44, 0.50, 0.52], "u_mass": [-2.0, -2.1, -1.9, -1.8]})
    >>> plotted_data(plot_coherence(df))["mean"].round(2).tolist()
    [0.42, 0.51]
    """
    func = "plot_coherence"
    measure = check_choice(measure, tuple(_COHERENCE_LABELS), name="measure", func=func)
    _check_frame(sweep_df, ["k", "seed", "method", measure], name="sweep_df", func=func)
    _check_ax(ax, func)
    df = _check_numeric(sweep_df[["method", "k", "seed", measure]], ["k", measure], name="sweep_df", func=func,
                        complete=["method", "k", "seed"])
    df = df[df["k"].notna()]
    ylabel, xlabel = _COHERENCE_LABELS[measure], "Number of topics k"
    ax = _axes(ax, (4.5, 3.0))
    stats = (df.groupby(["method", "k"], sort=True)[measure]
             .agg(n_seeds="count", mean="mean", sd="std", min="min", max="max").reset_index())
    stats["n_seeds"] = stats["n_seeds"].astype(int)
    _register(ax, stats)
    if stats.empty:
        return _no_data(ax, xlabel=xlabel, ylabel=ylabel)
    methods = _sorted_levels(stats["method"])
    colours = palette_for(methods)
    handles = []
    for j, m in enumerate(methods):
        s = stats[stats["method"] == m]
        ax.fill_between(s["k"], s["min"], s["max"], color=colours[m], alpha=0.22, linewidth=0)
        (line,) = ax.plot(s["k"], s["mean"], color=colours[m], marker=_MARKERS[j % len(_MARKERS)], markersize=4,
                          linewidth=1.3, label=str(m))
        handles.append(line)
    handles.append(Patch(color="0.6", alpha=0.4, label="min–max over seeds"))
    ks = _sorted_levels(stats["k"])
    if len(ks) <= 15 and all(float(k).is_integer() for k in ks):
        ax.set_xticks(ks, labels=[str(int(k)) for k in ks])
    ax.grid(color="0.93", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(handles=handles, loc="best", frameon=False)
    _ensure_fonts(methods, ax)
    return ax


def plot_topic_terms(topic_terms_df, *, n_terms=8, col_wrap=4):
    """One panel per topic: bars of its top terms' weights. Returns the **Figure**.

    This is the one figure-level function (like seaborn's ``catplot``): the number of
    panels depends on the data (k), so it owns its layout and returns the Figure rather
    than drawing into a caller's Axes. Panels share the x axis so weights compare across
    topics. Place it in a larger layout with a ``SubFigure`` if needed.

    Parameters
    ----------
    topic_terms_df : DataFrame
        From :func:`textlab.topics` ``topic_terms``; needs ``topic, rank, term, weight``.
    n_terms : int, default=8
        Terms per topic (lowest ranks).
    col_wrap : int, default=4
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        One x label for all panels (``fig.supxlabel``). :func:`plotted_data` (on the
        Figure) gives ``topic, rank, term, weight`` drawn.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"topic": [0, 0, 1, 1], "rank": [1, 2, 1, 2],
    ...                    "term": ["skill", "training", "standard", "export"],
    ...                    "weight": [0.05, 0.03, 0.06, 0.02]})
    >>> fig = plot_topic_terms(df, n_terms=2)
    >>> [len(ax.patches) for ax in fig.axes if ax.get_visible()]
    [2, 2]
    """
    func = "plot_topic_terms"
    _check_frame(topic_terms_df, ["topic", "rank", "term", "weight"], name="topic_terms_df", func=func)
    n_terms = check_int(n_terms, name="n_terms", func=func, minimum=1)
    col_wrap = check_int(col_wrap, name="col_wrap", func=func, minimum=1)
    df = _check_numeric(topic_terms_df[["topic", "rank", "term", "weight"]], ["rank", "weight"],
                        name="topic_terms_df", func=func, complete=["topic", "term"], nonnegative=["weight"])
    xlabel = "Term weight in topic"
    table = (df.sort_values(["topic", "rank", "term"], kind="mergesort").groupby("topic", sort=False).head(n_terms)
             .reset_index(drop=True))
    topics = _sorted_levels(table["topic"])
    if not topics:
        fig, ax = plt.subplots(figsize=(4.0, 2.0), layout="constrained")
        _no_data(ax, xlabel=xlabel)
        return _register(fig, table)
    ncols = min(col_wrap, len(topics))
    nrows = -(-len(topics) // ncols)
    longest = max(len(str(t)) for t in table["term"])
    n_rows = int(table.groupby("topic").size().max())
    fig, axes = plt.subplots(nrows, ncols, sharex=True, squeeze=False, layout="constrained",
                             figsize=(ncols * (1.05 + 0.05 * longest), 0.35 + nrows * (0.45 + 0.17 * n_rows)))
    for i, ax in enumerate(axes.flat):
        if i >= len(topics):
            ax.set_visible(False)
            continue
        s = table[table["topic"] == topics[i]]
        y = np.arange(len(s))
        ax.barh(y, s["weight"], height=0.7, color=_NEUTRAL)
        ax.set_yticks(y, labels=s["term"].astype(str).tolist())
        ax.set_ylim(n_rows - 0.5, -0.5)
        ax.tick_params(axis="y", length=0)
        ax.set_title(f"Topic {topics[i]}", fontsize=mpl.rcParams["axes.labelsize"])
        ax.grid(axis="x", color="0.93", linewidth=0.6)
        ax.set_axisbelow(True)
        if i + ncols >= len(topics):  # no panel below: show the x tick labels
            ax.xaxis.set_tick_params(labelbottom=True)
    fig.supxlabel(xlabel, fontsize=mpl.rcParams["axes.labelsize"])
    _ensure_fonts(table["term"].astype(str).tolist(), [ax for ax in fig.axes if ax.get_visible()])
    return _register(fig, table)


def plot_topic_prevalence(prev_df, *, ax=None):
    """Prevalence of each topic per group: dodged points with confidence intervals.

    Parameters
    ----------
    prev_df : DataFrame
        From :func:`textlab.topics.topic_prevalence`; needs ``topic, label, group,
        prevalence, ci_low, ci_high``, one row per (topic, group). Topics run top to
        bottom in ``topic`` order, labelled ``"<topic>: <label>"``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`plotted_data` gives ``topic, label, group, prevalence, ci_low, ci_high``
        in drawing order (other input columns, such as ``n_units``, are left out).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"topic": [0, 0], "label": ["skills, training"] * 2,
    ...                    "group": ["chinese_policy", "external"], "prevalence": [0.3, 0.5],
    ...                    "ci_low": [0.2, 0.4], "ci_high": [0.4, 0.6]})
    >>> ax = plot_topic_prevalence(df)
    >>> ax.get_xlabel()
    'Topic prevalence (share of text, 0–1)'
    """
    func = "plot_topic_prevalence"
    cols = ["topic", "label", "group", "prevalence", "ci_low", "ci_high"]
    _check_frame(prev_df, cols, name="prev_df", func=func)
    _check_ax(ax, func)
    df = _check_numeric(prev_df[cols], ["prevalence", "ci_low", "ci_high"], name="prev_df", func=func,
                        complete=["topic", "group"], nonnegative=["prevalence", "ci_low", "ci_high"])
    _check_unique(df, ["topic", "group"], name="prev_df", func=func)
    xlabel = "Topic prevalence (share of text, 0–1)"
    topics, groups = _sorted_levels(df["topic"]), _sorted_levels(df["group"])
    names = dict(df.drop_duplicates("topic")[["topic", "label"]].itertuples(index=False))
    ticks = [_wrap(f"{t}: {names[t]}" if isinstance(names[t], str) and names[t] else t, 34) for t in topics]
    ax = _axes(ax, (6.0, 0.8 + max(len(topics), 2) * max(0.3, 0.1 * len(groups))))
    table = _in_level_order(df, topic=topics, group=groups)
    _register(ax, table)
    if table.empty:
        return _no_data(ax, xlabel=xlabel)
    handles = _dodged_points(ax, table, cat="topic", cats=topics, cat_labels=ticks, dodge="group", dodges=groups,
                             level="group", x="prevalence", lo="ci_low", hi="ci_high")
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    _legend_outside(ax, handles)
    _ensure_fonts(ticks + [str(g) for g in groups], ax)
    return ax


# ---------------------------------------------------------------------------------------
# Saving

_SUFFIXES = (".png", ".svg", ".csv", ".pdf")
_SVG_HASHSALT = "textlab"
CSV_FLOAT_FORMAT = "%.6g"


def _stem(path) -> Path:
    path = Path(os.fspath(path))
    return path.with_suffix("") if path.suffix.lower() in _SUFFIXES else path


def _settle_layout(fig: Figure, max_passes: int = 50) -> None:
    """Run the figure's layout engine until the axes stop moving, then pin them.

    Constrained layout is not idempotent: a legend anchored outside an Axes moves the
    axes a little less on each draw, and converged layouts still flip between two states
    in the last bit of a float — which changes SVG clip-path ids, hashes of the exact
    coordinates. So the layout is run to a standstill (1e-12 of the figure), switched off
    by the caller, and every axes is pinned at its position rounded to 1e-10 of the
    figure. The saved bytes then do not depend on how often the figure was drawn before.
    """
    previous = None
    for _ in range(max_passes):
        fig.draw_without_rendering()
        current = np.array([ax.get_position().bounds for ax in fig.axes])
        if previous is not None and current.shape == previous.shape and np.allclose(current, previous, rtol=0,
                                                                                    atol=1e-12):
            break
        previous = current


def _pin_axes(fig: Figure) -> None:
    for ax in fig.axes:
        if ax.get_axes_locator() is None:
            ax.set_position(np.round(ax.get_position().bounds, 10).tolist(), which="both")


def save_figure(fig, path, *, data=None, dpi=150):
    """Write ``fig`` as ``<path>.png`` and ``<path>.svg`` (and ``<path>.csv``), byte-stable.

    The same figure gives the same bytes on every run and in every process:

    - PNG: the ``Software`` text chunk is removed (matplotlib writes no time stamp);
    - SVG: ``Date`` and ``Creator`` metadata are removed, and ``svg.hashsalt`` is fixed
      (it seeds the ids of clip paths and glyphs, random otherwise); text is drawn as
      paths (``svg.fonttype='path'``) so the file does not depend on installed fonts.
      Both settings apply only during the save (``rc_context``); global rcParams are
      left as they were;
    - layout: a layout engine (e.g. constrained) is run until the axes stop moving,
      each axes is pinned at that position (rounded to 1e-10 of the figure) and the
      engine is switched off for the two saves, then restored; so the bytes do not
      depend on how often the figure was drawn before;
    - CSV: ``data`` without its index, ``\\n`` line ends, UTF-8, floats written with
      ``%.6g`` (six significant digits: enough for any plotted number, and free of
      last-digit noise from summation order).

    Both images get the same tight crop (the figure's tight bounding box plus
    ``savefig.pad_inches``), computed once. Parent folders are created.

    Parameters
    ----------
    fig : matplotlib Figure or Axes
        For an Axes its figure is saved.
    path : str or path-like
        Path without suffix; a ``.png``, ``.svg``, ``.csv`` or ``.pdf`` suffix is dropped.
    data : DataFrame, optional
        The plotted numbers (e.g. :func:`plotted_data`), written as ``<path>.csv``.
    dpi : int, default=150
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written: PNG, SVG, then CSV if ``data`` was given.

    Examples
    --------
    >>> import tempfile, pandas as pd, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in save_figure(fig, f"{tmp}/fig.png", data=pd.DataFrame({"x": [0.5]}))]
    ['fig.png', 'fig.svg', 'fig.csv']
    """
    func = "save_figure"
    if isinstance(fig, Axes):
        fig = fig.figure
    if isinstance(fig, SubFigure):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise ParameterError(f"The 'fig' parameter of {func} must be a matplotlib Figure or Axes; got {type(fig).__name__}.")
    if not isinstance(path, (str, os.PathLike)):
        raise ParameterError(f"The 'path' parameter of {func} must be a str or path; got {type(path).__name__}.")
    if data is not None and not isinstance(data, pd.DataFrame):
        raise ParameterError(f"The 'data' parameter of {func} must be a pandas DataFrame or None; got {type(data).__name__}.")
    dpi = check_int(dpi, name="dpi", func=func, minimum=1)
    stem = _stem(path)
    stem.parent.mkdir(parents=True, exist_ok=True)
    png, svg = stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".svg")
    engine = fig.get_layout_engine()
    with mpl.rc_context({"svg.hashsalt": _SVG_HASHSALT, "svg.fonttype": "path"}):
        if engine is not None:
            _settle_layout(fig)
            fig.set_layout_engine("none")
            _pin_axes(fig)
        try:
            # One tight crop for both files (computed once: saves a draw per format).
            bbox = fig.get_tightbbox().padded(mpl.rcParams["savefig.pad_inches"])
            fig.savefig(png, format="png", dpi=dpi, bbox_inches=bbox, metadata={"Software": None})
            fig.savefig(svg, format="svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None})
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
    written = [png, svg]
    if data is not None:
        csv = stem.with_name(stem.name + ".csv")
        data.to_csv(csv, index=False, lineterminator="\n", float_format=CSV_FLOAT_FORMAT, encoding="utf-8")
        written.append(csv)
    return written
