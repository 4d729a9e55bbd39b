"""The pytest plugin's session results equal what the CLI computes from the session's
``--junitxml`` file (read with the SDK's parser, which the evidence tests hold to the CLI)."""

from __future__ import annotations

import json

import pytest

import kosli

SESSION = """
import time
import pytest

@pytest.fixture
def broken_setup():
    raise RuntimeError("setup")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")

def test_pass(): pass
def test_fail(): assert 0
def test_skip(): pytest.skip("no")
@pytest.mark.skip(reason="marker")
def test_skip_marker(): pass
@pytest.mark.xfail(reason="known")
def test_xfail(): assert 0
@pytest.mark.xfail(reason="known")
def test_xpass(): pass
@pytest.mark.xfail(reason="known", strict=True)
def test_xpass_strict(): pass
def test_setup_error(broken_setup): pass
def test_teardown_error(broken_teardown): pass
def test_fail_and_teardown_error(broken_teardown): assert 0
@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(n): assert n != 2
def test_slow(): time.sleep(0.0123)
"""

CONFTEST = """
import json
from kosli.pytest_plugin import SessionResults

def pytest_configure(config):
    config.pluginmanager.register(SessionResults(), "kosli-session-results")

def pytest_unconfigure(config):
    results = config.pluginmanager.get_plugin("kosli-session-results").junit_results()
    with open(config.rootpath / "kosli_results.json", "w") as f:
        json.dump([s.to_dict() for s in results], f)
"""


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_session_results_equal_the_clis_for_the_junitxml_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tz: str
) -> None:
    monkeypatch.setenv("TZ", tz)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_session=SESSION,
        test_collect_error="import no_such_module_for_kosli_tests\n",
        test_module_skip="import pytest\npytest.skip('later', allow_module_level=True)\n",
    )
    result = pytester.runpytest_subprocess(
        "--junitxml=junit.xml", "--continue-on-collection-errors", "-p", "no:cacheprovider"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    ours = json.loads((pytester.path / "kosli_results.json").read_text())
    cli = kosli.parse_junit(pytester.path / "junit.xml").to_dict()["junit_results"]
    assert len(ours) == len(cli) == 1
    # The CLI only reads UTC timestamps: pytest writes local time with its offset.
    has_timestamp = "timestamp" in cli[0]
    assert has_timestamp == (tz == "UTC")
    assert ("timestamp" in ours[0]) == has_timestamp
    # Both stamps floor the session's start to a second; they are taken microseconds apart.
    if has_timestamp:
        assert abs(ours[0].pop("timestamp") - cli[0].pop("timestamp")) <= 1
    assert ours == cli
    # What the session was: xfail and skips are skipped, setup/teardown errors and the
    # collection error are errors, a failed call with a failed teardown is two testcases, and
    # a strict xpass is a failure (pytest >= 8 reports it without `wasxfail`).
    assert {k: ours[0][k] for k in ("name", "total", "failures", "errors", "skipped")} == {
        "name": "pytest", "total": 17, "failures": 4, "errors": 4, "skipped": 4,
    }  # fmt: skip
    assert ours[0]["duration"] >= 0.012


def test_the_plugin_is_loaded_and_changes_nothing_by_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one="def test_one(): pass\n")
    result = pytester.runpytest_subprocess("--trace-config", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "kosli.pytest_plugin" in result.stdout.str() or "kosli-" in result.stdout.str()
