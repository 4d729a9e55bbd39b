"""parse_junit: the CLI's junit_results for the contract's cases, through Python."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kosli
from conftest import FIXTURES

CASES = sorted(p for p in (FIXTURES / "evidence" / "junit").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_junit_cases_match_the_cli(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    work = tmp_path / case.name
    shutil.copytree(case, work)
    (work / "results").mkdir(exist_ok=True)  # git keeps no empty folders
    monkeypatch.chdir(work)
    if expected.get("junit_results") is not None:
        summary = kosli.parse_junit("results")
        assert [s.to_dict() for s in summary.suites] == expected["junit_results"]
        assert summary.to_dict()["junit_results"] == expected["junit_results"]
        assert summary.total == sum(s["total"] for s in expected["junit_results"])
    else:
        with pytest.raises(kosli.KosliError) as info:
            kosli.parse_junit("results")
        # The CLI's message after its "Error: [kosli attest junit ...] " prefix.
        assert expected["error"].endswith(str(info.value)), (str(info.value), expected["error"])


def test_malformed_results_are_parse_errors_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "r.xml").write_text('<testsuite name="s">\n<testcase name="a">\n</testsuite>\n')
    with pytest.raises(kosli.ParseError) as info:
        kosli.parse_junit(tmp_path)
    assert info.value.file == str(tmp_path / "r.xml")
    assert info.value.line == 3
    assert "XML syntax error on line 3" in str(info.value)


def test_a_missing_folder_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        kosli.parse_junit(tmp_path / "nope")


def test_suite_summaries_are_typed(tmp_path: Path) -> None:
    (tmp_path / "r.xml").write_text(
        '<testsuite name="s" timestamp="2024-05-01T12:34:56"><testcase name="a" time="1.001"/>'
        '<testcase name="b"><failure/></testcase><testcase name="c"><error/></testcase>'
        '<testcase name="d"><skipped/></testcase></testsuite>'
    )
    summary = kosli.parse_junit(tmp_path / "r.xml")
    (suite,) = summary.suites
    assert (suite.name, suite.total, suite.failures, suite.errors, suite.skipped) == ("s", 4, 1, 1, 1)
    assert (suite.duration, suite.timestamp) == (1.000999, 1714566896)
    assert (summary.total, summary.failed) == (4, 2)
    assert summary.files == [str(tmp_path / "r.xml")]
    assert "SuiteSummary(name='s', failures=1, errors=1, skipped=1, total=4" in repr(suite)
