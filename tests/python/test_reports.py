"""The compliance documents (compliance report, audit trail, adoption metrics) as typed records,
against fake-kosli seeded with the week of tests/src/fake/seed_report.rs: the numbers are the
hand-computed ones of tests/fixtures/report/README.md, and each document renders (through the
record's own ``to_dict()``) exactly the committed Markdown the Rust SDK renders
(tests/tests/report_documents.rs)."""

from __future__ import annotations

import json

import pytest

import kosli
from cases import TOKEN
from conftest import FIXTURES, FakeKosli

REPORT = FIXTURES / "report"
T0 = 1_717_200_000.0
HOUR = 3600.0
DAY = 86_400.0
FLOW = "payments-api"
A40 = "c185ff8a7e753cf1133c54c9d4f4cfc9d8551af62c929bfaad3ccf9645ef8eca"
A41 = "a83fed704c45d54538c96141f03e5228ae06a258bbac8c7ba0e21a75a3e838a1"
A42 = "268ef65fa11af7397d0466ebc90e2c73b184b8f709d3330ecf5bd8ee8021cd98"
A43 = "27e38228106cd8f2e2029ba49db8bfcfeeb2a08095f4a8d17d23c7cf3243f2d6"
A44 = "6d781e04c739d1d91467e71102f987a27ef5b8cbc8ff31a5dfb08e797a614b4c"
A45 = "f00b534c395927dfae37365b287b8519cef99ce34031dcb4755ce8e3cd4040cb"
NO_TRAIL = "the artifact was reported without a trail"


def committed(name: str) -> str:
    return (REPORT / name).read_text(encoding="utf-8")


@pytest.fixture
def client(report_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=report_kosli.url, api_token=TOKEN, org="acme", max_api_retries=0))


def test_the_compliance_report_counts_by_hand(client: kosli.Client) -> None:
    r = client.compliance_report(FLOW)
    assert isinstance(r, kosli.ComplianceReport)
    assert (r.flow, r.environments) == (FLOW, ["production", "staging"])
    assert r.summary == kosli.ComplianceSummary(
        artifacts=6, compliant=2, non_compliant=4, unknown=0, running=2, running_non_compliant=1
    )
    # Newest first: (fingerprint, trail, compliant, attestations, missing, failing, where).
    want = [
        (A45, "release-1.45.0", False, 2, ["security-scan"], ["unit-tests"], []),
        (A44, "release-1.44.0", False, 2, ["pull-request"], [], ["staging"]),
        (A43, "release-1.43.0", True, 3, [], [], ["production"]),
        (A42, "release-1.42.0", False, 3, [], ["security-scan"], []),
        (A41, "release-1.41.0", True, 3, [], [], []),
    ]
    got = [(w.fingerprint, w.trail, w.compliant, w.attestations, w.missing, w.failing, w.environments)
           for w in r.rows[:5]]  # fmt: skip
    assert got == want
    assert (r.rows[2].artifact, r.rows[2].created_at) == ("ghcr.io/acme/payments-api:1.43.0", T0 + 2 * DAY)
    # The legacy artifact: Kosli's verdict is known, what its trail would say is not (typed).
    legacy = r.rows[5]
    assert (legacy.fingerprint, legacy.compliant) == (A40, False)
    for value in (legacy.trail, legacy.attestations, legacy.missing, legacy.failing):
        assert value == kosli.Unknown(reason=NO_TRAIL)
    assert str(legacy.trail) == f"unknown ({NO_TRAIL})"
    # to_dict() is the core's JSON, unknowns included.
    assert r.to_dict() == json.loads(r.render("json"))
    assert r.to_dict()["rows"][5]["trail"] == {"unknown": NO_TRAIL}
    assert r.render("markdown") == committed("compliance.md")
    assert r.render("md") == committed("compliance.md")
    assert r.render("csv") == committed("compliance.csv")


def test_the_compliance_report_looks_only_where_told(client: kosli.Client) -> None:
    r = client.compliance_report(FLOW, environments=["production"])
    assert r.environments == ["production"]
    assert (r.summary.running, r.summary.running_non_compliant) == (1, 0)
    with pytest.raises(kosli.NotFoundError):
        client.compliance_report("no-such-flow")


def test_the_audit_trail_of_the_release_in_production(client: kosli.Client) -> None:
    a = client.audit_trail(FLOW, A43)
    assert isinstance(a, kosli.AuditTrail)
    assert (a.artifact, a.trail, a.created_at, a.compliant) == (
        "ghcr.io/acme/payments-api:1.43.0", "release-1.43.0", T0 + 2 * DAY, True)  # fmt: skip
    assert a.build.git_commit == "7dc177ec4ac83bf834b21ba1d9c3aeeb2f63eac8"
    assert a.build.build_url == "https://github.com/acme/payments-api/actions/runs/477048"
    assert a.build.commit_author == "Alice <alice@acme.example>"
    assert a.checklist == kosli.AuditChecklist(test="compliant", security="compliant", review="compliant")
    assert isinstance(a.evidence, list) and all(isinstance(e, kosli.AuditEvidence) for e in a.evidence)
    scan = next(e for e in a.evidence if e.kind == "security")
    assert (scan.level, scan.details) == ("artifact", "0 high, 0 medium, 3 low")
    assert a.environments_checked == ["production", "staging"]
    prod, staging = a.environments
    assert isinstance(prod, kosli.AuditPresence)
    assert (prod.environment, prod.first_seen, prod.first_snapshot, prod.running_now, prod.deployments) == (
        "production", T0 + 3 * DAY + 4 * HOUR, 2, True, 1)  # fmt: skip
    assert (prod.last_seen, prod.reported_by) == (T0 + 6 * DAY, "prod-reporter")
    assert (staging.first_seen, staging.first_snapshot, staging.running_now, staging.last_seen) == (
        T0 + 2 * DAY + 3 * HOUR, 3, False, T0 + 3 * DAY + 2 * HOUR)  # fmt: skip
    assert a.render() == committed("audit.md")
    assert a.to_dict() == json.loads(a.render("json"))
    with pytest.raises(kosli.InvalidInputError) as e:
        a.render("csv")
    assert e.value.what == "output"


def test_the_audit_trail_says_what_is_missing_and_what_is_unknown(client: kosli.Client) -> None:
    a = client.audit_trail(FLOW, A45)
    assert a.checklist == kosli.AuditChecklist(test="non_compliant", security="missing", review="compliant")
    assert a.environments == []
    legacy = client.audit_trail(FLOW, A40)
    assert legacy.evidence == kosli.Unknown(reason=NO_TRAIL)
    assert isinstance(legacy.checklist, kosli.Unknown)
    assert isinstance(legacy.build.commit_author, kosli.Unknown)
    assert legacy.to_dict()["evidence"] == {"unknown": NO_TRAIL}
    # Rendered from the record, unknowns say why.
    assert NO_TRAIL in legacy.render()
    with pytest.raises(kosli.NotFoundError):
        client.audit_trail(FLOW, "0" * 64)


def test_adoption_over_the_week_by_hand(client: kosli.Client) -> None:
    m = client.adoption_metrics(since=T0, until=T0 + 7 * DAY)
    assert isinstance(m, kosli.AdoptionMetrics)
    assert m.window == kosli.AdoptionWindow(since=T0, until=T0 + 7 * DAY)
    per_env = [(e.environment, e.snapshots, e.running_artifacts, e.with_provenance, e.deployments,
                e.tracked_deployments, e.drift_events) for e in m.environments]  # fmt: skip
    assert per_env == [("production", 4, 5, 3, 2, 1, 4), ("staging", 5, 6, 4, 4, 3, 8)]
    assert (m.with_provenance, m.running_artifacts, m.provenance_share) == (7, 11, 7 / 11)
    assert (m.tracked_deployments, m.deployments, m.tracked_deployment_share) == (4, 6, 4 / 6)
    assert m.evidence == kosli.EvidenceMetrics(artifacts=5, attestations=13, average=2.6, unread=[])
    assert m.build_to_deploy == kosli.DurationStats(samples=4, median_seconds=2.5 * HOUR, p90_seconds=28 * HOUR)
    d = m.drift
    assert (d.total, d.added, d.removed, d.changed, d.scaled, d.untracked) == (12, 5, 5, 1, 1, 3)
    (nginx,) = [r for r in d.events if r.event.kind == "changed"]
    assert isinstance(nginx, kosli.DriftRecord) and isinstance(nginx.event, kosli.DriftEvent)
    assert (nginx.environment, nginx.snapshot, nginx.timestamp, nginx.tracked) == (
        "production", 4, T0 + 5 * DAY, False)  # fmt: skip
    assert nginx.event.description != ""
    assert m.render("markdown") == committed("adoption.md")
    with pytest.raises(kosli.InvalidInputError):
        m.render("csv")


def test_adoption_windows_and_flows(client: kosli.Client) -> None:
    m = client.adoption_metrics(since=T0 + 3 * DAY, until=T0 + 7 * DAY)
    assert (m.with_provenance, m.running_artifacts) == (5, 9)
    assert (m.tracked_deployments, m.deployments) == (2, 4)
    assert (m.evidence.attestations, m.evidence.artifacts, m.evidence.average) == (10, 4, 2.5)
    assert (m.build_to_deploy.median_seconds, m.build_to_deploy.p90_seconds) == (15 * HOUR, 28 * HOUR)
    m = client.adoption_metrics(since=T0, until=T0 + 7 * DAY, flows=[FLOW])
    assert (m.flows, m.with_provenance, m.running_artifacts, m.evidence.average) == ([FLOW], 6, 11, 2.75)
    m = client.adoption_metrics(since=T0, until=T0 + 7 * DAY, environments=["staging"])
    assert [e.environment for e in m.environments] == ["staging"]
    # An empty window: the shares are unknown, with the reason.
    empty = client.adoption_metrics(since=T0 - 30 * DAY, until=T0 - 29 * DAY)
    assert empty.running_artifacts == 0
    assert empty.provenance_share == kosli.Unknown(reason="nothing ran in the window")
    assert empty.tracked_deployment_share == kosli.Unknown(reason="no deployment in the window")
    assert isinstance(empty.evidence.average, kosli.Unknown)
    with pytest.raises(kosli.InvalidInputError):
        client.adoption_metrics(since=T0, until=T0)


def test_render_refuses_a_bad_format_and_a_document_that_is_not_one(client: kosli.Client) -> None:
    r = client.compliance_report(FLOW)
    with pytest.raises(kosli.InvalidInputError) as e:
        r.render("pdf")
    assert "unsupported output format: pdf" in str(e.value)
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli._kosli._render_report('{"kind": "weekly"}', "json")
    assert e.value.what == "document"
