"""The textlab command line."""

import subprocess
import sys

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
