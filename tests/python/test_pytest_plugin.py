"""The pytest plugin's session results equal what the CLI computes from the session's
``--junitxml`` file (read with the SDK's parser, which the evidence tests hold to the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kosli
from conftest import FakeKosli

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


PASSING = "def test_a(): pass\ndef test_b(): pass\n"


def kosli_env(monkeypatch: pytest.MonkeyPatch, fake: FakeKosli, tmp_path: Path) -> None:
    for name in ("KOSLI_CONFIG_FILE", "KOSLI_DRY_RUN", "KOSLI_JOURNAL_DIR", "KOSLI_MAX_API_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.kosli.yml
    monkeypatch.setenv("KOSLI_HOST", fake.url)
    monkeypatch.setenv("KOSLI_API_TOKEN", "t")
    monkeypatch.setenv("KOSLI_ORG", "acme")


def test_the_session_is_attested_with_the_clis_results_for_its_junitxml(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    kosli_env(monkeypatch, fake_kosli, tmp_path)
    monkeypatch.setenv("TZ", "UTC")
    fake_kosli.control("POST", "seed", {
        "org": "acme", "flows": [{"name": "f"}], "trails": [{"flow": "f", "name": "t"}],
    })  # fmt: skip
    pytester.makepyfile(test_session=SESSION)
    result = pytester.runpytest_subprocess(
        "--kosli-flow", "f", "--kosli-trail", "t", "--kosli-name", "unit-tests",
        "--junitxml=junit.xml", "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # the tests' verdict, untouched
    result.stdout.fnmatch_lines(["*kosli: attested unit-tests in f/t*"])
    (request,) = [
        r for r in fake_kosli.requests() if r["path"] == "/api/v2/attestations/acme/f/trail/t/junit"
    ]
    (payload,) = [p["json"] for p in request["multipart"] if isinstance(p.get("json"), dict)]
    sent = payload["junit_results"]
    cli = kosli.parse_junit(pytester.path / "junit.xml").to_dict()["junit_results"]
    assert abs(sent[0].pop("timestamp") - cli[0].pop("timestamp")) <= 1
    assert sent == cli
    assert payload["attestation_name"] == "unit-tests"


def test_a_kosli_failure_is_reported_and_fails_a_passing_session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    kosli_env(monkeypatch, fake_kosli, tmp_path)
    monkeypatch.setenv("KOSLI_MAX_API_RETRIES", "0")
    pytester.makepyfile(test_ok=PASSING)  # no such flow or trail on the fake
    result = pytester.runpytest_subprocess(
        "--kosli-flow", "nope", "--kosli-trail", "t", "--kosli-name", "unit-tests",
        "-p", "no:cacheprovider",
    )  # fmt: skip
    result.stdout.fnmatch_lines(
        ["*kosli: attesting unit-tests in nope/t failed: Flow named *", "*2 passed*"]
    )
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR


def test_with_a_journal_an_unreachable_kosli_queues_and_the_session_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    kosli_env(monkeypatch, fake_kosli, tmp_path)
    monkeypatch.setenv("KOSLI_HOST", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("KOSLI_MAX_API_RETRIES", "0")
    monkeypatch.setenv("KOSLI_JOURNAL_DIR", str(tmp_path / "journal"))
    pytester.makepyfile(test_ok=PASSING)
    result = pytester.runpytest_subprocess(
        "--kosli-flow", "f", "--kosli-trail", "t", "--kosli-name", "unit-tests",
        "-p", "no:cacheprovider",
    )  # fmt: skip
    result.stdout.fnmatch_lines(["*kosli: unit-tests in f/t queued in the journal (*"])
    assert result.ret == pytest.ExitCode.OK
    assert (tmp_path / "journal" / "journal.jsonl").stat().st_size > 0


def test_dry_run_prints_the_request_and_sends_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    kosli_env(monkeypatch, fake_kosli, tmp_path)
    monkeypatch.setenv("KOSLI_DRY_RUN", "true")
    pytester.makepyfile(test_ok=PASSING)
    result = pytester.runpytest_subprocess(
        "--kosli-flow", "f", "--kosli-trail", "t", "--kosli-name", "unit-tests",
        "-p", "no:cacheprovider",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*kosli: dry run, unit-tests in f/t not sent*", '*"junit_results"*'])
    assert not [r for r in fake_kosli.requests() if r["path"].startswith("/api/")]


def test_the_options_go_together(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_ok=PASSING)
    result = pytester.runpytest_subprocess("--kosli-flow", "f", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--kosli-flow, --kosli-trail and --kosli-name are given together*"])
