"""Figures: what each plot function draws, its validation, and save_figure's byte stability."""

import os
import subprocess
import sys
import types
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text

from textlab import plots
from textlab.errors import ParameterError, TextlabWarning
from textlab.plots import (
    SIDE_COLORS,
    palette_for,
    plot_coherence,
    plot_dispersion,
    plot_frame_heatmap,
    plot_frame_rates,
    plot_keyness,
    plot_topic_prevalence,
    plot_topic_terms,
    plotted_data,
    save_figure,
    theme,
    theme_rc,
)

ROOT = Path(__file__).resolve().parents[1]
FRAMES = {"F01": "Mutual benefit / win-win", "F06": "Skills / human capital", "F11": "Dependency / lock-in / reliance"}
DOCS = {"000": "chinese_policy", "001": "chinese_policy", "003": "external"}
TERMS = ["win-win", "dependency", "standards", "skills", "lock-in", "cooperation", "reliance", "training"]


# ---------------------------------------------------------------------------------------
# Synthetic inputs with the column contracts of the analysis modules (seeded)


def keyness_frame(seed=0):
    rng = np.random.default_rng(seed)
    n = len(TERMS)
    g2 = rng.gamma(2.0, 5.0, n)
    df = pd.DataFrame({"term": TERMS, "freq_target": rng.integers(1, 50, n), "freq_reference": rng.integers(0, 9, n)})
    df["total_target"], df["total_reference"] = 23001, 850
    for col in ("g2", "g2_4term", "chi2", "chi2_yates", "pct_diff", "bic", "pmi", "odds_ratio"):
        df[col] = g2 * rng.uniform(0.8, 1.2, n)
    df["log_ratio"] = rng.normal(0, 2, n)
    df["fisher_p"] = df["p"] = df["p_bonferroni"] = df["q"] = rng.uniform(0, 0.05, n)
    df["direction"] = ["target", "target", "target", "target", "target", "reference", "reference", "none"]
    return df


def counts_frame(seed=0, nan_ci_unit="003"):
    rng = np.random.default_rng(seed)
    rows = []
    for doc, side in DOCS.items():
        tokens = 850 if side == "external" else int(rng.integers(4000, 7000))
        for frame, label in FRAMES.items():
            count = int(rng.poisson(5))
            rate = count / tokens * 1000
            lo, hi = (np.nan, np.nan) if doc == nan_ci_unit else (max(0.0, rate - 0.5), rate + 0.5)
            rows.append(dict(unit=doc, frame=frame, label=label, count=count, tokens=tokens, per_1k=rate,
                             ci_low=lo, ci_high=hi, side=side))
    return pd.DataFrame(rows)


def positions_frame(seed=0):
    rng = np.random.default_rng(seed)
    rows = [dict(doc_id=d, term=t, position=float(rng.uniform())) for d in DOCS for t in ("dependency", "win-win")
            for _ in range(3)]
    rows.append(dict(doc_id="003", term="standards", position=0.5))  # 'standards' absent from 000 and 001
    return pd.DataFrame(rows)


def sweep_frame(seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame([dict(k=k, seed=s, method=m, c_v=0.4 + rng.normal(0, 0.02), u_mass=-2 + rng.normal(0, 0.1))
                         for m in ("lda", "nmf") for k in (2, 3, 4, 5) for s in range(3)])


def topic_terms_frame(seed=0, k=5, n=10):
    rng = np.random.default_rng(seed)
    return pd.DataFrame([dict(topic=t, rank=r + 1, term=f"t{t}_w{r}", weight=float(w))
                         for t in range(k) for r, w in enumerate(np.sort(rng.uniform(0, 0.1, n))[::-1])])


def prevalence_frame(seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(4):
        for g in ("chinese_policy", "external"):
            p = float(rng.uniform(0.05, 0.4))
            rows.append(dict(topic=t, label=f"term{t}a, term{t}b", group=g, prevalence=p, ci_low=p - 0.03,
                             ci_high=p + 0.03))
    rows[-1]["ci_low"] = rows[-1]["ci_high"] = np.nan
    return pd.DataFrame(rows)


FIGURES = {
    "keyness": lambda: plot_keyness(keyness_frame(), labels=("chinese_policy", "external")),
    "rates": lambda: plot_frame_rates(counts_frame(), hue="side"),
    "heatmap": lambda: plot_frame_heatmap(counts_frame()),
    "dispersion": lambda: plot_dispersion(positions_frame()),
    "coherence": lambda: plot_coherence(sweep_frame()),
    "topic_terms": lambda: plot_topic_terms(topic_terms_frame(k=3, n=5), col_wrap=3),
    "prevalence": lambda: plot_topic_prevalence(prevalence_frame()),
}


def build_all(outdir, names=tuple(FIGURES)):
    """Draw and save the named figures into ``outdir`` (used in-process and by subprocesses)."""
    outdir = Path(outdir)
    written = []
    with mpl.rc_context(theme_rc()):
        for name in names:
            obj = FIGURES[name]()
            obj.set_title(f"Figure {name}") if isinstance(obj, Axes) else obj.suptitle(f"Figure {name}")
            fig = obj.figure if isinstance(obj, Axes) else obj
            written += save_figure(fig, outdir / name, data=plotted_data(obj))
            plt.close(fig)
    return written


def _points(ax):
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def _segments(ax):
    return sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))


def _has_no_data_note(ax):
    return any(t.get_text() == "no data" for t in ax.texts)


# ---------------------------------------------------------------------------------------
# One case per function for the shared contract: missing columns, empty input, no mutation

CASES = {
    "plot_keyness": (plot_keyness, keyness_frame, {"labels": ("chinese_policy", "external")}, ["term", "g2"]),
    "plot_frame_rates": (plot_frame_rates, counts_frame, {"hue": "side"}, ["per_1k", "ci_low"]),
    "plot_frame_heatmap": (plot_frame_heatmap, counts_frame, {}, ["unit"]),
    "plot_dispersion": (plot_dispersion, positions_frame, {}, ["position"]),
    "plot_coherence": (plot_coherence, sweep_frame, {}, ["c_v"]),
    "plot_topic_terms": (plot_topic_terms, topic_terms_frame, {}, ["weight"]),
    "plot_topic_prevalence": (plot_topic_prevalence, prevalence_frame, {}, ["group", "ci_high"]),
}


@pytest.mark.parametrize("name", CASES)
def test_input_is_not_mutated(name):
    func, make, kwargs, _ = CASES[name]
    df = make()
    before = df.copy(deep=True)
    func(df, **kwargs)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("name", CASES)
def test_missing_columns_name_function_and_columns(name):
    func, make, kwargs, drop = CASES[name]
    with pytest.raises(ParameterError, match=rf"{name} is missing required column\(s\) " + repr(drop[0])):
        func(make().drop(columns=drop), **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_not_a_dataframe(name):
    func, make, kwargs, _ = CASES[name]
    with pytest.raises(ParameterError, match=rf"of {name} must be a pandas DataFrame; got list"):
        func(make().to_dict("records"), **kwargs)


@pytest.mark.parametrize("name", CASES)
def test_empty_input_gives_a_no_data_note(name):
    func, make, kwargs, _ = CASES[name]
    out = func(make().iloc[:0], **kwargs)
    ax = out.axes[0] if isinstance(out, Figure) else out
    assert _has_no_data_note(ax)
    assert ax.get_xlabel()  # the axis still says what would be there
    assert plotted_data(out).empty


@pytest.mark.parametrize("name", [n for n in CASES if n != "plot_topic_terms"])
def test_draws_into_given_axes_and_returns_it(name):
    func, make, kwargs, _ = CASES[name]
    fig, ax = plt.subplots()
    assert func(make(), **kwargs, ax=ax) is ax
    assert len(fig.axes) >= 1
    with pytest.raises(ParameterError, match=rf"The 'ax' parameter of {name} must be a matplotlib Axes"):
        func(make(), **kwargs, ax=fig)


@pytest.mark.parametrize("name", CASES)
def test_fonts_are_at_least_8_pt_under_the_theme(name):
    func, make, kwargs, _ = CASES[name]
    with mpl.rc_context(theme_rc()):
        out = func(make(), **kwargs)
        fig = out if isinstance(out, Figure) else out.figure
        fig.canvas.draw()
        sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    assert sizes and min(sizes) >= 8


# ---------------------------------------------------------------------------------------
# Keyness


# (function, label column that needs a value, numeric column that must be >= 0 or None)
BAD_VALUES = {
    "plot_keyness": ("term", None),
    "plot_frame_rates": ("frame", "per_1k"),
    "plot_frame_heatmap": ("unit", "per_1k"),
    "plot_dispersion": ("doc_id", None),
    "plot_coherence": ("method", None),
    "plot_topic_terms": ("term", "weight"),
    "plot_topic_prevalence": ("group", "prevalence"),
}


@pytest.mark.parametrize("name", CASES)
def test_missing_labels_negative_and_infinite_values_are_refused(name):
    # each was drawn wrong without a word: a NaN label was written to the CSV but not drawn
    # (or a raw KeyError), a negative value hid behind an axis starting at 0, inf plotted
    func, make, kwargs, _ = CASES[name]
    label, positive = BAD_VALUES[name]
    df = make()
    with pytest.raises(ParameterError, match=rf"Column '{label}' .* of {name} has a missing value \(row 1\)"):
        func(df.assign(**{label: [v if i != 1 else None for i, v in enumerate(df[label])]}), **kwargs)
    if positive:
        with pytest.raises(ParameterError, match=rf"Column '{positive}' .* of {name} must be >= 0; got -5.0\."):
            func(df.assign(**{positive: [-5.0] + df[positive].tolist()[1:]}), **kwargs)
    numeric = positive or {"plot_keyness": "g2", "plot_dispersion": None, "plot_coherence": "c_v"}[name]
    if numeric:
        with pytest.raises(ParameterError, match=rf"Column '{numeric}' .* of {name} holds an infinite value"):
            func(df.assign(**{numeric: [np.inf] + df[numeric].tolist()[1:]}), **kwargs)
    plt.close("all")


def test_keyness_diverging_bars_top_each_way():
    df = keyness_frame()
    ax = plot_keyness(df, top=3, labels=("chinese_policy", "external"))
    assert isinstance(ax, Axes)
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 3 + 2  # 3 of 5 target terms, both reference terms, 'none' never
    assert all(w > 0 for w in widths[:3]) and all(w < 0 for w in widths[3:])
    assert widths[:3] == sorted(widths[:3], reverse=True)  # strongest at the top
    assert widths[3:] == sorted(widths[3:], reverse=True)  # strongest reference at the bottom
    target = df[df["direction"] == "target"].nlargest(3, "g2")
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == target["term"].tolist()
    assert ax.get_xlabel() == "Log-likelihood G² (signed)"
    assert {p.get_facecolor()[:3] for p in ax.patches} == {
        mpl.colors.to_rgb(SIDE_COLORS["chinese_policy"]), mpl.colors.to_rgb(SIDE_COLORS["external"])}
    data = plotted_data(ax)
    assert list(data.columns) == ["term", "direction", "g2", "value"]
    np.testing.assert_allclose(data["value"], widths)


def test_keyness_log_ratio_label_and_sign_follows_direction():
    df = keyness_frame()
    ax = plot_keyness(df, measure="log_ratio")
    assert ax.get_xlabel() == "Log ratio (binary log of relative-frequency ratio)"
    data = plotted_data(ax)
    assert ((data["value"] > 0) == (data["direction"] == "target")).all()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["key in target", "key in reference"]


def test_keyness_only_none_direction_is_no_data():
    df = keyness_frame().assign(direction="none")
    assert _has_no_data_note(plot_keyness(df))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"top": 0}, "The 'top' parameter of plot_keyness must be an int >= 1; got 0."),
        ({"top": 2.5}, "The 'top' parameter of plot_keyness must be an int >= 1; got 2.5."),
        ({"measure": "odds_ratio"}, "The 'measure' parameter of plot_keyness must be one of"),
        ({"measure": None}, "The 'measure' parameter of plot_keyness must be one of"),
        ({"labels": "target"}, "The 'labels' parameter of plot_keyness must be a pair of str"),
        ({"labels": ("a", "b", "c")}, "The 'labels' parameter of plot_keyness must be a pair of str"),
    ],
)
def test_keyness_bad_options(kwargs, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        plot_keyness(keyness_frame(), **kwargs)


def test_keyness_non_numeric_measure():
    with pytest.raises(ParameterError, match="Column 'g2' of the 'keyness_df' parameter of plot_keyness must be numeric"):
        plot_keyness(keyness_frame().assign(g2="big"))


# ---------------------------------------------------------------------------------------
# Frames


def test_frame_rates_points_and_ci_lines():
    df = counts_frame()
    ax = plot_frame_rates(df, hue="side")
    assert _points(ax) == len(df)  # 3 documents x 3 frames
    assert _segments(ax) == 6  # the external document has no CI: no line
    assert ax.get_xlabel() == "Matches per 1,000 words"
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{f} {lab}" for f, lab in FRAMES.items()]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["chinese_policy", "external"] and legend[-1] == "(no line: CI undefined)"
    assert ax.get_legend().get_title().get_text() == "side"
    assert set(map(tuple, np.round([c.get_colors()[0][:3] for c in ax.collections if isinstance(c, LineCollection)],
                                   6))) == {tuple(np.round(mpl.colors.to_rgb(SIDE_COLORS["chinese_policy"]), 6))}


def test_frame_rates_without_hue_colours_units_and_has_no_note_when_all_ci_defined():
    df = counts_frame(nan_ci_unit=None)
    ax = plot_frame_rates(df)
    assert _segments(ax) == len(df)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["000", "001", "003"]


def test_frame_rates_by_side_uses_side_colours():
    df = counts_frame().groupby(["side", "frame"], as_index=False)[["count", "tokens"]].sum()
    df = df.rename(columns={"side": "unit"}).assign(per_1k=lambda d: d["count"] / d["tokens"] * 1000,
                                                     ci_low=np.nan, ci_high=np.nan)
    ax = plot_frame_rates(df)
    faces = [tuple(np.round(c.get_facecolors()[0][:3], 6)) for c in ax.collections if isinstance(c, PathCollection)]
    assert faces == [tuple(np.round(mpl.colors.to_rgb(SIDE_COLORS[s]), 6)) for s in ("chinese_policy", "external")]
    assert _segments(ax) == 0


def test_frame_rates_order_selects_and_orders():
    ax = plot_frame_rates(counts_frame(), order=["F11", "F01"])
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()] == ["F11", "F01"]
    assert _points(ax) == 6
    assert plotted_data(ax)["frame"].tolist() == ["F11"] * 3 + ["F01"] * 3
    with pytest.raises(ParameterError, match=r"names frames not in the data: \['F99'\]"):
        plot_frame_rates(counts_frame(), order=["F99"])
    with pytest.raises(ParameterError, match="The 'order' parameter of plot_frame_rates must be a list"):
        plot_frame_rates(counts_frame(), order="F01")


def test_frame_rates_bad_hue_and_duplicates():
    with pytest.raises(ParameterError, match="missing required column\\(s\\) 'group'"):
        plot_frame_rates(counts_frame(), hue="group")
    with pytest.raises(ParameterError, match="The 'hue' parameter of plot_frame_rates must be a column name"):
        plot_frame_rates(counts_frame(), hue=1)
    with pytest.raises(ParameterError, match="Column 'side' \\(the 'hue' parameter of plot_frame_rates\\) has missing"):
        plot_frame_rates(counts_frame().assign(side=None), hue="side")
    df = counts_frame()
    with pytest.raises(ParameterError, match=r"more than one row per \(frame, unit\)"):
        plot_frame_rates(pd.concat([df, df.head(1)]))


def test_frame_heatmap_cells_annotations_and_colourbar():
    df = counts_frame()
    ax = plot_frame_heatmap(df)
    mesh = ax.collections[0]
    assert mesh.get_array().size == 9
    assert mesh.get_cmap().name == plots.SEQUENTIAL_CMAP
    assert [t.get_text() for t in ax.texts][:1] == [f"{df['per_1k'].iloc[0]:.2f}"]
    assert len(ax.texts) == 9
    assert [t.get_text() for t in ax.get_xticklabels()] == list(DOCS)
    assert ax.figure.axes[-1].get_ylabel() == "Matches per 1,000 words"
    assert ax.get_xlabel() == "Unit"
    assert plotted_data(ax).shape == (9, 3)


def test_frame_heatmap_counts_without_annotations_and_nan_cells():
    df = counts_frame()
    df = df[~((df["unit"] == "003") & (df["frame"] == "F06"))]  # a missing cell
    ax = plot_frame_heatmap(df, value="count", annotate=False)
    assert len(ax.texts) == 0
    assert ax.figure.axes[-1].get_ylabel() == "Matches (count)"
    ax = plot_frame_heatmap(df, value="count")
    assert len(ax.texts) == 8 and all(t.get_text().isdigit() for t in ax.texts)


@pytest.mark.parametrize("kwargs, message", [({"value": "rate"}, "The 'value' parameter of plot_frame_heatmap"),
                                             ({"annotate": "yes"}, "The 'annotate' parameter of plot_frame_heatmap")])
def test_frame_heatmap_bad_options(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        plot_frame_heatmap(counts_frame(), **kwargs)


# ---------------------------------------------------------------------------------------
# Dispersion


def test_dispersion_one_tick_per_hit_one_row_per_doc_and_term():
    df = positions_frame()
    ax = plot_dispersion(df)
    assert _segments(ax) == len(df)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["dependency", "standards", "win-win"] * 3  # every term in every band
    assert [t.get_text() for t in ax.texts] == list(DOCS)
    assert ax.get_xlabel() == "Relative position in document (0 = start, 1 = end)"
    assert ax.get_xlim() == (0.0, 1.0)
    data = plotted_data(ax)
    assert data["row"].is_monotonic_increasing and len(data) == len(df)


def test_dispersion_single_term_rows_are_documents():
    df = positions_frame().query("term == 'dependency'")
    ax = plot_dispersion(df)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(DOCS)
    assert ax.get_ylabel() == "Document" and _segments(ax) == 9


def test_dispersion_positions_must_be_relative():
    with pytest.raises(ParameterError, match=r"must lie in \[0, 1\]"):
        plot_dispersion(positions_frame().assign(position=lambda d: d["position"] * 100 + 2))


# ---------------------------------------------------------------------------------------
# Topics


def test_coherence_mean_line_and_band_per_method():
    df = sweep_frame()
    ax = plot_coherence(df)
    assert len(ax.lines) == 2
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    assert ax.get_xlabel() == "Number of topics k" and ax.get_ylabel() == "Topic coherence C_V"
    data = plotted_data(ax)
    expected = df.groupby(["method", "k"])["c_v"].mean().to_numpy()
    np.testing.assert_allclose(data["mean"], expected)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), expected[:4])
    assert (data["n_seeds"] == 3).all()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "3", "4", "5"]
    assert plot_coherence(df, measure="u_mass").get_ylabel() == "Topic coherence UMass"
    with pytest.raises(ParameterError, match="The 'measure' parameter of plot_coherence"):
        plot_coherence(df, measure="npmi")


def test_topic_terms_returns_figure_with_one_panel_per_topic():
    df = topic_terms_frame(k=5, n=10)
    fig = plot_topic_terms(df, n_terms=4, col_wrap=3)
    assert isinstance(fig, Figure)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 5 and len(fig.axes) == 6  # 2 x 3 grid, last one hidden
    assert all(len(ax.patches) == 4 for ax in panels)
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["t0_w0", "t0_w1", "t0_w2", "t0_w3"]
    assert [ax.get_title() for ax in panels] == [f"Topic {t}" for t in range(5)]
    assert fig.get_supxlabel() == "Term weight in topic"
    assert len(plotted_data(fig)) == 20


@pytest.mark.parametrize("kwargs", [{"n_terms": 0}, {"col_wrap": "4"}])
def test_topic_terms_bad_options(kwargs):
    with pytest.raises(ParameterError, match="parameter of plot_topic_terms must be an int >= 1"):
        plot_topic_terms(topic_terms_frame(), **kwargs)


def test_topic_prevalence_points_per_group_with_ci():
    df = prevalence_frame()
    ax = plot_topic_prevalence(df)
    assert _points(ax) == 8 and _segments(ax) == 7
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "0: term0a, term0b"
    assert ax.get_xlabel() == "Topic prevalence (share of text, 0–1)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["chinese_policy", "external",
                                                                    "(no line: CI undefined)"]


# ---------------------------------------------------------------------------------------
# Style, fonts


def test_side_colours_are_fixed_and_colour_blind_palette():
    assert SIDE_COLORS == {"chinese_policy": "#0072B2", "external": "#D55E00"}
    assert palette_for(["external", "lda", "chinese_policy", "nmf"]) == {
        "external": "#D55E00", "lda": "#E69F00", "chinese_policy": "#0072B2", "nmf": "#009E73"}


def test_importing_plots_changes_no_rcparams():
    code = ("import matplotlib as mpl; before = {k: repr(v) for k, v in mpl.rcParams.items()}; "
            "import textlab.plots; after = {k: repr(v) for k, v in mpl.rcParams.items()}; "
            "print(sorted(k for k in before if before[k] != after[k]))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_theme_applies_rcparams():
    with mpl.rc_context():
        theme()
        assert mpl.rcParams["xtick.labelsize"] == 8
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][:2] == ["#0072B2", "#D55E00"]


@pytest.fixture
def fake_fonts(monkeypatch):
    calls = []
    module = types.ModuleType("textlab._fonts")
    module.use_cjk_font = lambda ax=None: calls.append(ax) or True
    monkeypatch.setitem(sys.modules, "textlab._fonts", module)
    return calls


def test_ensure_fonts_only_for_cjk_labels(fake_fonts):
    assert plots._ensure_fonts(["win-win", "F11 Dependency / lock-in"]) is False
    assert fake_fonts == []
    plot_keyness(keyness_frame())
    assert fake_fonts == []
    ax = plot_keyness(keyness_frame().assign(term=["鲁班工坊"] + TERMS[1:]))
    assert fake_fonts == [ax]


def test_ensure_fonts_for_cleaning_labels(fake_fonts):
    from textlab.plots import plot_cleaning

    ax = plot_cleaning(pd.DataFrame({"doc_id": ["文档一"] * 2, "reason": ["kept", "references"], "chars_removed": [90, 10]}))
    assert fake_fonts == [ax]  # plot_cleaning never asked, so Chinese document ids drew as boxes


def test_ensure_fonts_for_each_topic_panel(fake_fonts):
    df = topic_terms_frame(k=2, n=3)
    df.loc[0, "term"] = "职业教育"
    fig = plot_topic_terms(df)
    assert fake_fonts == fig.axes


def test_ensure_fonts_without_fonts_module_warns(monkeypatch):
    monkeypatch.setitem(sys.modules, "textlab._fonts", None)  # import fails
    assert plots._ensure_fonts(["win-win"]) is False  # no CJK: silent
    with pytest.warns(TextlabWarning, match="Chinese characters"):
        assert plots._ensure_fonts(["鲁班工坊"]) is False


# ---------------------------------------------------------------------------------------
# save_figure


def test_save_figure_writes_png_svg_csv(tmp_path):
    ax = plot_coherence(sweep_frame())
    data = plotted_data(ax)
    paths = save_figure(ax.figure, tmp_path / "sub" / "05_coherence.svg", data=data)
    assert [p.name for p in paths] == ["05_coherence.png", "05_coherence.svg", "05_coherence.csv"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in paths[0].read_bytes() and b"tIME" not in paths[0].read_bytes()
    svg = paths[1].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    csv = paths[2].read_bytes()
    assert b"\r" not in csv and csv.startswith(b"method,k,n_seeds,mean,sd,min,max\nlda,2,3,")
    pd.testing.assert_frame_equal(pd.read_csv(paths[2]), data, check_exact=False, rtol=1e-5)
    assert save_figure(ax, tmp_path / "axes_ok")[0].name == "axes_ok.png"  # an Axes saves its figure


def test_save_figure_keeps_unknown_suffix_and_leaves_rcparams(tmp_path):
    salt = mpl.rcParams["svg.hashsalt"]
    fig, _ = plt.subplots()
    paths = save_figure(fig, tmp_path / "fig.v2")
    assert [p.name for p in paths] == ["fig.v2.png", "fig.v2.svg"]
    assert mpl.rcParams["svg.hashsalt"] == salt


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("not a figure", "x"), {}, "The 'fig' parameter of save_figure must be a matplotlib Figure or Axes"),
        ((None, 3), {}, "The 'path' parameter of save_figure must be a str or path"),
        ((None, "x"), {"data": [1, 2]}, "The 'data' parameter of save_figure must be a pandas DataFrame"),
        ((None, "x"), {"dpi": 0}, "The 'dpi' parameter of save_figure must be an int >= 1"),
    ],
)
def test_save_figure_bad_arguments(tmp_path, args, kwargs, message):
    fig = plt.figure()
    fig_arg = fig if args[0] is None else args[0]
    path = tmp_path / args[1] if isinstance(args[1], str) and args[0] is None else args[1]
    with pytest.raises(ParameterError, match=message):
        save_figure(fig_arg, path, **kwargs)


@pytest.mark.parametrize("make", [lambda: plot_frame_rates(counts_frame(), hue="side").figure,
                                  lambda: plot_keyness(keyness_frame()).figure,
                                  lambda: plot_topic_terms(topic_terms_frame(k=3, n=4))],
                         ids=["rates", "keyness", "terms"])
def test_save_figure_bytes_do_not_depend_on_earlier_saves_or_draws(tmp_path, make):
    fig = make()
    engine = fig.get_layout_engine()
    first = [p.read_bytes() for p in save_figure(fig, tmp_path / "a" / "fig", data=pd.DataFrame({"x": [1 / 3]}))]
    second = [p.read_bytes() for p in save_figure(fig, tmp_path / "b" / "fig", data=pd.DataFrame({"x": [1 / 3]}))]
    assert first == second
    assert fig.get_layout_engine() is engine  # the layout engine is restored
    drawn = make()
    for _ in range(3):  # e.g. shown in a notebook first: constrained layout moves the axes on every draw
        drawn.canvas.draw()
    assert [p.read_bytes() for p in save_figure(drawn, tmp_path / "c" / "fig")] == first[:2]


@pytest.mark.slow
def test_save_figure_identical_across_processes(tmp_path):
    # The figure types that use every kind of artist drawn here: bars and legend patches,
    # dodged points with CI lines and an outside legend, heatmap mesh with annotations and
    # colour bar, a multi-panel figure. (All seven take twice as long.)
    names = ["keyness", "rates", "heatmap", "topic_terms"]
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_plots; "
            "test_plots.build_all(sys.argv[2], sys.argv[3].split(','))")
    procs = []
    for seed in ("1", "2024"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
        args = [sys.executable, "-c", code, str(Path(__file__).parent), str(tmp_path / seed), ",".join(names)]
        procs.append(subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    files = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert len(files) == len(names) * 3
    assert files == sorted(p.name for p in (tmp_path / "2024").iterdir())
    for name in files:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2024" / name).read_bytes(), name


def test_plot_cleaning_stacks_to_100_percent(corpus):
    from textlab.plots import plot_cleaning, plotted_data

    summary = corpus.cleaning_summary()
    before = summary.copy()
    ax = plot_cleaning(summary)
    data = plotted_data(ax)
    assert data.groupby("doc_id")["percent"].sum().round(9).eq(100).all()
    assert ax.get_xlabel() == "Share of raw characters (%)"
    assert len(ax.patches) == data["reason"].nunique() * len(corpus)
    pd.testing.assert_frame_equal(summary, before)


def test_plot_cleaning_gives_every_reason_its_own_style():
    from textlab.plots import plot_cleaning

    reasons = ["kept"] + [f"reason_{i}" for i in range(11)]
    df = pd.DataFrame({"doc_id": "a", "reason": reasons, "chars_removed": range(1, 13)})
    ax = plot_cleaning(df)
    handles, labels = ax.get_legend_handles_labels()
    styles = {(h.patches[0].get_facecolor(), h.patches[0].get_hatch()) for h in handles}
    assert len(labels) == len(reasons) == len(styles)


def test_a_tall_legend_grows_the_figure_not_squeezes_the_axes():
    import warnings

    rows = [dict(unit=f"doc{u}", frame="F01", count=1, tokens=100, per_1k=u + 1.0, ci_low=float(u), ci_high=u + 2.0,
                 side=["chinese_policy", "external"][u % 2]) for u in range(6)]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib: "constrained_layout not applied because axes sizes collapsed"
        ax = plot_frame_rates(df, hue="side")
        ax.figure.draw_without_rendering()
    assert ax.figure.get_figheight() > 2.0 and ax.get_position().height > 0.5
    fig, given = plt.subplots(figsize=(6.5, 1.5))
    plot_frame_rates(df, hue="side", ax=given)
    assert fig.get_figheight() == 1.5  # a figure the caller made keeps its size
    plt.close("all")


def test_long_chinese_frame_labels_wrap():
    label = "中国职业教育国际合作中的技术标准输出与长期技术依赖风险及其对东道国自主发展的影响"  # 40 characters, no spaces
    df = counts_frame().assign(label=lambda d: d["frame"].map({"F01": label}).fillna(d["frame"]))
    ax = plot_frame_rates(df)
    tick = [t.get_text() for t in ax.get_yticklabels() if "中国" in t.get_text()][0]
    assert tick.replace("\n", "") == f"F01 {label}" and max(len(line) for line in tick.split("\n")) <= 22
    assert plots._wrap("Mutual benefit and win-win cooperation between partner countries", 44).count("\n") == 1
    plt.close("all")
