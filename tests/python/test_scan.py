"""parse_scan: SARIF from any scanner or Trivy JSON, as counts by severity and findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kosli
from conftest import FIXTURES

SAMPLES = FIXTURES / "evidence" / "samples"
CASES = sorted(
    [(p.parent / "scan.json", p) for p in (SAMPLES / "snyk").glob("*/expected.scan.json")]
    + [(SAMPLES / "scan" / "trivy_image.json", SAMPLES / "scan" / "trivy_image.expected.scan.json")]
)


@pytest.mark.parametrize(("scan", "expected"), CASES, ids=lambda p: p.parent.name)
def test_samples_give_the_sdks_summary(scan: Path, expected: Path) -> None:
    want = json.loads(expected.read_text(encoding="utf-8"))
    got = kosli.parse_scan(scan)
    counts = ("tool", "version", "critical", "high", "medium", "low", "unknown")
    assert {k: getattr(got, k) for k in counts} == {k: want[k] for k in counts}
    assert len(got.findings) == got.total
    if "findings" in want:
        findings = [[f.id, f.severity.value, f.location] for f in got.findings]
        assert findings == want["findings"]
        d = got.to_dict()
        assert [[f["id"], f["severity"], f["location"]] for f in d["findings"]] == want["findings"]
    assert got.total == sum(want[k] for k in ("critical", "high", "medium", "low", "unknown"))


def test_counts_by_severity(tmp_path: Path) -> None:
    sarif = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "Semgrep", "version": "1.2.3", "rules": [
                {"id": "r1", "properties": {"security-severity": "9.8"}},
                {"id": "r2"},
            ]}},
            "results": [
                {"ruleId": "r1", "level": "warning", "message": {"text": "one"}},
                {"ruleId": "r2", "level": "warning", "message": {"text": "two"}},
                {"ruleId": "r2", "level": "note", "message": {"text": "three"}},
            ],
        }],
    }  # fmt: skip
    (tmp_path / "s.sarif").write_text(json.dumps(sarif))
    s = kosli.parse_scan(tmp_path / "s.sarif")
    assert (s.tool, s.version, s.critical, s.medium, s.low, s.total) == ("Semgrep", "1.2.3", 1, 1, 1, 3)
    assert s.count(kosli.Severity.CRITICAL) == 1 and s.count("low") == 1
    assert s.at_least(kosli.Severity.MEDIUM) == 2 and s.at_least("low") == 3
    first = s.findings[0]
    assert (first.id, first.severity, first.message) == ("r1", kosli.Severity.CRITICAL, "one")
    assert first.severity is kosli.Severity.CRITICAL
    with pytest.raises(TypeError, match="severity must be"):
        s.count("severe")


def test_other_json_is_a_parse_error(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"hello": "world"}')
    with pytest.raises(kosli.ParseError, match="not a SARIF 2.1.0 log"):
        kosli.parse_scan(tmp_path / "x.json")
    with pytest.raises(FileNotFoundError):
        kosli.parse_scan(tmp_path / "missing.json")
