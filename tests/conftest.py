"""Shared fixtures: the project corpus, loaded once per test session."""

import textwrap
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus():
    from textlab import load_corpus

    return load_corpus(CORPUS_DIR)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def write_corpus(root: Path, files: dict, manifest: str | None = None) -> Path:
    """A corpus directory: ``files`` (relative path -> text or bytes) and a manifest."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if manifest is not None:
        (root / "manifest.csv").write_text(textwrap.dedent(manifest).lstrip(), encoding="utf-8")
    return root
