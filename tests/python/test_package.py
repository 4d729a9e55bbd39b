"""The package itself: installed from the wheel, versioned from Cargo, typed, complete."""

from __future__ import annotations

import importlib.metadata
import re
import sysconfig
import types
from pathlib import Path

import kosli
from conftest import ROOT


def test_the_tests_run_against_the_installed_wheel() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    for module in (kosli, kosli._kosli):
        assert module.__file__ is not None
        path = Path(module.__file__).resolve()
        assert site in path.parents, f"{module.__name__} imported from {path}, not {site}"
        assert ROOT not in path.parents


def test_version_is_cargos_and_the_distributions() -> None:
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = cargo.split("[workspace.package]", 1)[1]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match is not None
    assert kosli.__version__ == match.group(1)
    assert importlib.metadata.version("kosli") == kosli.__version__


def test_the_wheel_ships_stubs_and_py_typed() -> None:
    files = {str(f) for f in importlib.metadata.files("kosli") or []}
    for name in ("kosli/__init__.pyi", "kosli/py.typed", "kosli/pytest_plugin.py"):
        assert name in files, sorted(files)


def test_the_pytest_plugin_is_registered_as_an_entry_point() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    kosli_points = [p for p in points if p.dist is not None and p.dist.name == "kosli"]
    assert [(p.name, p.value) for p in kosli_points] == [("kosli", "kosli.pytest_plugin")]


def test_everything_exported_exists_and_shows_as_kosli() -> None:
    for name in kosli.__all__:
        obj = getattr(kosli, name)
        # Python 3.10 says a generic alias (ProgressCallback) is a type too.
        if isinstance(obj, type) and not isinstance(obj, types.GenericAlias):
            assert obj.__module__ == "kosli", (name, obj.__module__)
