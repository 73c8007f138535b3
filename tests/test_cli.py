"""The textlab command line."""

import subprocess
import sys

import pytest

from conftest import CORPUS_DIR
from textlab.cli import main


def _stdout_csv(capsys, argv):
    import io

    import pandas as pd

    assert main(argv) == 0
    captured = capsys.readouterr()
    return pd.read_csv(io.StringIO(captured.out), keep_default_na=False), captured.err


def test_info_prints_csv_on_stdout(capsys, corpus):
    table, _ = _stdout_csv(capsys, ["info", str(CORPUS_DIR)])
    assert table["doc_id"].tolist() == list(corpus.doc_ids)
    assert table.set_index("doc_id").loc["yu2025", "tokens"] == corpus.summary().set_index("doc_id").loc["yu2025", "tokens"]
    cleaning, _ = _stdout_csv(capsys, ["info", str(CORPUS_DIR), "--table", "cleaning"])
    expected = corpus.cleaning_summary()
    assert cleaning.columns.tolist() == expected.columns.tolist() and len(cleaning) == len(expected)
    assert "rejoined_break" in set(cleaning["reason"])


def test_kwic_command_prints_what_the_function_returns(capsys, corpus):
    import pandas as pd

    from textlab import kwic

    argv = ["kwic", str(CORPUS_DIR), "soft power", "--window", "3", "--limit", "4", "--docvars", "side"]
    got, _ = _stdout_csv(capsys, argv)
    expected = kwic(corpus, "soft power", window=3, limit=4, docvars=["side"])
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    chars, _ = _stdout_csv(capsys, ["kwic", str(CORPUS_DIR), "dependency", "--window", "6", "--window-unit", "chars"])
    expected = kwic(corpus, "dependency", window=6, window_unit="chars")
    assert len(expected) and chars["left"].tolist() == expected["left"].tolist()


def test_out_dash_and_format_table(capsys, tmp_path):
    same, _ = _stdout_csv(capsys, ["kwic", str(CORPUS_DIR), "win-win", "--out", "-"])
    direct, _ = _stdout_csv(capsys, ["kwic", str(CORPUS_DIR), "win-win"])
    assert same.equals(direct) and len(direct)
    assert main(["kwic", str(CORPUS_DIR), "win-win", "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["doc_id", "segment_id", "start", "end", "left", "match", "right", "pattern"]
    assert len(lines) == len(direct) + 1 and "," not in lines[0]
    path = tmp_path / "lines.csv"
    assert main(["kwic", str(CORPUS_DIR), "win-win", "--out", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and f"wrote {len(direct)} rows to {path}" in captured.err


def test_an_empty_result_is_a_csv_header(capsys):
    got, err = _stdout_csv(capsys, ["kwic", str(CORPUS_DIR), "zzyzx"])
    assert got.empty and got.columns.tolist()[:3] == ["doc_id", "segment_id", "start"]
    assert "no match for 'zzyzx'" in err


@pytest.mark.parametrize("argv, message", [
    (["keyness", "--target", "external", "--top", "0"], "argument --top: must be an integer >= 1; got 0"),
    (["kwic", "x", "--limit", "0"], "The 'limit' parameter of kwic must be an int >= 1; got 0."),
    (["frames", "--n-boot", "0"], "The 'n_boot' parameter of frame_counts must be an int >= 1; got 0."),
])
def test_counts_below_one_are_refused(capsys, argv, message):
    try:
        status = main([argv[0], str(CORPUS_DIR), *argv[1:]])
    except SystemExit as exit_info:  # argparse's own checks
        status = exit_info.code
    assert status == 2 and message in capsys.readouterr().err


def test_info_writes_csv(tmp_path):
    from conftest import CORPUS_DIR

    out = tmp_path / "info.csv"
    assert main(["info", str(CORPUS_DIR), "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0].startswith("doc_id,side,year,licence")


def test_bad_path_exits_2_with_one_line_and_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "textlab", "info", str(tmp_path / "missing")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert proc.stderr.startswith("textlab: error:") and "Traceback" not in proc.stderr


def test_keyness_command_matches_the_function(tmp_path, corpus):
    import pandas as pd

    from textlab import keyness

    out = tmp_path / "keys.csv"
    assert main(["keyness", str(CORPUS_DIR), "--target", "external", "--min-freq", "3", "--out", str(out)]) == 0
    got = pd.read_csv(out, keep_default_na=False)
    expected = keyness(corpus.subset(side="external"), corpus.subset(side="chinese_policy"), min_freq=3)
    assert got["term"].tolist() == expected["term"].tolist()
    assert got["g2"].to_numpy() == pytest.approx(expected["g2"].to_numpy(), rel=1e-12)


@pytest.mark.parametrize(
    "argv, culprit",
    [
        (["--target", "nope"], "'nope' is not a value of 'side'"),
        (["--group", "colour", "--target", "external"], "'colour' is not a docvar"),
        (["--target", "external", "--reference", "external"], "are both 'external'"),
    ],
)
def test_keyness_command_names_a_bad_group_or_value(capsys, argv, culprit):
    assert main(["keyness", str(CORPUS_DIR), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("textlab: error:") and culprit in err and "\n" not in err


def test_csv_on_stdout_is_utf8_whatever_the_terminal_encoding(tmp_path):
    """A GBK console (Chinese Windows) has no '¶', the paragraph mark of contexts: the
    CSV crashed with a traceback; the aligned table now fails with one line."""
    import os

    (tmp_path / "a.txt").write_text("鲁班工坊推动产教融合。\n\n获得感提升，鲁班工坊。\n", encoding="utf-8")
    runs = {}
    for encoding in ("gbk", "ascii", "utf-8"):
        env = dict(os.environ, PYTHONIOENCODING=encoding)
        runs[encoding] = subprocess.run([sys.executable, "-m", "textlab", "kwic", str(tmp_path), "鲁班工坊"],
                                        capture_output=True, env=env)
    assert {r.returncode for r in runs.values()} == {0}
    assert runs["gbk"].stdout == runs["ascii"].stdout == runs["utf-8"].stdout
    assert "获得感提升， ¶" not in runs["utf-8"].stdout.decode("utf-8") and "¶" in runs["utf-8"].stdout.decode("utf-8")
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    table = subprocess.run([sys.executable, "-m", "textlab", "kwic", str(tmp_path), "鲁班工坊", "--format", "table"],
                           capture_output=True, env=env, text=True, encoding="utf-8", errors="replace")
    assert table.returncode == 2 and "Traceback" not in table.stderr
    assert table.stderr.startswith("textlab: error: standard output (encoding 'gbk') cannot show '\\xb6'")


def test_table_format_aligns_wide_characters():
    """Columns after Chinese text were shifted: pandas padded by characters, and a Han
    character takes two columns on a terminal."""
    import io
    from unicodedata import east_asian_width

    import pandas as pd

    from textlab.cli import _write

    df = pd.DataFrame({"left": ["鲁班工坊推动", "the Luban", "x"], "match": ["依赖", "dependency", "y"], "n": [1, 22, 333]})
    out = io.StringIO()
    _write(df, "table", out)

    def width(text):
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)

    lines = out.getvalue().splitlines()
    assert len({width(line) for line in lines}) == 1  # every line ends at the same terminal column
