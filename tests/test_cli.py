"""The textlab command line."""

import subprocess
import sys

import pytest

from conftest import CORPUS_DIR
from textlab.cli import main


def test_info_prints_the_corpus_table(capsys, corpus):
    from conftest import CORPUS_DIR

    assert main(["info", str(CORPUS_DIR)]) == 0
    out = capsys.readouterr().out
    assert "external_kz" in out and "7082" in out and "rejoined_break" in out


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
