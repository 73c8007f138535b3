"""The notebooks run, and re-running them reproduces the committed outputs byte for byte.

The notebooks and the corpus are copied to a temporary directory and executed there with
the exact command of ``make figures`` (nbconvert, no timing records, kernel ``python3``,
the Makefile's environment). Every executed notebook and every figure file (PNG, SVG,
CSV) must then equal the committed one: a difference means either that the committed
outputs are stale (run ``make figures`` and commit) or that something is not
deterministic.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MAKEFILE_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}

pytestmark = [pytest.mark.notebooks, pytest.mark.slow]


def _figure_command() -> list[str]:
    """The nbconvert options of ``make figures``, read from the Makefile itself."""
    recipe = re.search(r"^figures:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    words = recipe.replace("\\\n", " ").split()
    assert words[0] == "$(BIN)/jupyter" and words[-1] == "$(NOTEBOOKS)", recipe
    return [str(Path(sys.executable).with_name("jupyter")), *words[1:-1]]


def test_notebooks_do_not_record_the_python_patch_version():
    """ipykernel writes language_info.version (3.11.7): make figures on another 3.11.x
    changed every notebook. The Makefile's nbconvert keeps only the kernelspec."""
    import json

    for path in NOTEBOOKS:
        meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert set(meta) == {"kernelspec"}, (path.name, sorted(meta))
    assert "--ClearMetadataPreprocessor.preserve_nb_metadata_mask=kernelspec" in _figure_command()


def test_the_six_notebooks_are_there():
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["01_corpus", "02_kwic", "03_frames", "04_keyness", "05_topics", "06_synthesis"]


def test_notebooks_reproduce_committed_outputs(tmp_path):
    for folder in ("notebooks", "corpus"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "figures").mkdir()
    env = {**os.environ, **MAKEFILE_ENV}
    run = subprocess.run(
        [*_figure_command(), *[str(tmp_path / "notebooks" / p.name) for p in NOTEBOOKS]],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr[-4000:]

    committed = sorted(p.name for p in (ROOT / "figures").iterdir() if p.is_file())
    produced = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert produced == committed, "figures/ differs from what the notebooks write: run make figures and commit"
    differ = [
        f"{folder}/{name}"
        for folder, names in (("notebooks", [p.name for p in NOTEBOOKS]), ("figures", committed))
        for name in names
        if (tmp_path / folder / name).read_bytes() != (ROOT / folder / name).read_bytes()
    ]
    assert not differ, f"re-executed outputs differ from the committed ones: {differ}"


def test_every_figure_has_png_svg_and_csv_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stems = sorted({p.stem for p in (ROOT / "figures").iterdir() if p.is_file()})
    assert stems
    for stem in stems:
        for suffix in (".png", ".svg", ".csv"):
            assert (ROOT / "figures" / f"{stem}{suffix}").is_file(), f"figures/{stem}{suffix} is missing"
        assert f"figures/{stem}.png" in readme, f"README's figure table does not list figures/{stem}.png"
