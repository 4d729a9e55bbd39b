"""Shared fixtures of the Python tests. They run against the INSTALLED wheel (tests/python/run.sh
builds it and installs it into a virtual environment), never against kosli-py/python/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def fingerprint_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fingerprint conformance corpus, built by the committed make_corpus.sh."""
    if shutil.which("mkfifo") is None:
        pytest.skip("make_corpus.sh needs mkfifo")
    corpus = tmp_path_factory.mktemp("corpus") / "c"
    subprocess.run(
        ["bash", str(FIXTURES / "fingerprint" / "make_corpus.sh"), str(corpus)],
        check=True,
        capture_output=True,
    )
    return corpus


@pytest.fixture(scope="session")
def fingerprint_vectors() -> list[dict[str, Any]]:
    """The official CLI's answers on the corpus (tests/fixtures/fingerprint/vectors.json)."""
    vectors: list[dict[str, Any]] = json.loads(
        (FIXTURES / "fingerprint" / "vectors.json").read_text(encoding="utf-8")
    )
    return vectors


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small folder: two files and a sub-folder."""
    (tmp_path / "a.txt").write_text("alpha\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.log").write_text("beta\n")
    return tmp_path
