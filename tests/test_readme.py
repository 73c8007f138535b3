"""The README's API tour runs as written, and its commands are the ones CI runs."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


@pytest.mark.slow
def test_api_tour_runs(monkeypatch):
    code = re.search(r"```python\n(.*?)```", _section("A tour of the API"), re.S).group(1)
    assert 8 <= len(code.strip().splitlines()) <= 12
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert not namespace["lines"].empty and not namespace["keys"].empty
    assert set(namespace["rates"]["unit"]) == set(namespace["corpus"].doc_ids)


def test_ci_runs_the_readme_test_command():
    assert "make test" in _section("Install and run")
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^\s*(exec\s+)?make test\s*$", ci, re.M), ci
    assert os.access(ROOT / ".ci" / "run", os.X_OK) or ci.startswith("#!")


def test_no_placeholders_left():
    assert not re.search(r"^[A-Z_]{8,}$", README, re.M), "README still has a placeholder line"
