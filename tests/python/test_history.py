"""Environment history reads (get/list trails, get/list snapshots, log environment, diff
snapshots) against fake-kosli answering as the CLI's server did: the requests are the official
CLI's (tests/fixtures/reads/cases, which tests/tests/reads_sdk.rs replays through the Rust SDK),
the answers typed records; and the local drift of two lists of running artifacts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kosli
from cases import TOKEN, Case, assert_requests
from conftest import FIXTURES, FakeKosli

READS = FIXTURES / "reads" / "cases"


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token=TOKEN, org="acme"))


@pytest.fixture
def run(fake_kosli: FakeKosli, tmp_path: Path) -> Iterator[Any]:
    """`run(name)` queues a reads case's answers; its requests are checked at the end."""
    loaded: list[Case] = []

    def start(name: str) -> Case:
        data = json.loads((READS / f"{name}.json").read_text(encoding="utf-8"))
        requests = [r for r in data["requests"] if r["target"].startswith("/api/v2/")]
        fake_kosli.control("POST", "faults", [
            {"method": r["method"], "path": r["target"].split("?", 1)[0],
             "status": r["response"]["status"], "raw_body": r["response"]["body_text"]}
            for r in requests
        ])  # fmt: skip
        case = Case(name, requests, tmp_path)
        loaded.append(case)
        return case

    yield start
    for case in loaded:
        assert_requests(case, fake_kosli)


def answer(case: Case, index: int = 0) -> Any:
    return json.loads(case.requests[index]["response"]["body_text"])


def test_get_trail_is_a_typed_trail(run: Any, client: kosli.Client) -> None:
    case = run("get_trail_rich")
    trail = client.get_trail("demo-flow", "trail-1")
    assert isinstance(trail, kosli.Trail)
    assert (trail.name, trail.flow, trail.compliance_state) == ("trail-1", "demo-flow", "NON-COMPLIANT")
    assert trail.git_commit_info is not None and trail.git_commit_info.branch == "main"
    status = trail.compliance_status
    assert status is not None and status.is_compliant is False
    assert [a.attestation_name for a in status.attestations_statuses] == ["pr-review", "extra"]
    assert status.attestations_statuses[0].attestation_id == "id-1"
    app = status.artifacts_statuses["app"]
    assert [(a.attestation_name, a.status) for a in app.attestations_statuses] == [
        ("unit-tests", "MISSING"), ("scan", "COMPLETE"),
    ]  # fmt: skip
    assert trail.events is not None and trail.events[0].event_type == "trail_started"
    assert trail.last_modified_at == 1718000100.5
    # Every field of the answer is kept, under the record's names.
    want = answer(case)
    got = trail.to_dict()
    def present(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: present(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [present(v) for v in value]
        return value

    assert present(got["compliance_status"]) == present(want["compliance_status"])
    assert (got["description"], got["origin_url"]) == (want["description"], want["origin_url"])
    assert json.loads(json.dumps(got)) == got


def test_get_trail_not_found_is_a_not_found_error(run: Any, client: kosli.Client) -> None:
    run("get_trail_not_found")
    with pytest.raises(kosli.NotFoundError):
        client.get_trail("demo-flow", "nope")


def test_list_trails_with_filters_and_pages(run: Any, client: kosli.Client) -> None:
    case = run("list_trails_filters")
    args = case.requests[0]["target"]
    assert "fingerprint=" in args or "flow=" in args
    want = answer(case)
    query = dict(p.split("=", 1) for p in args.split("?", 1)[1].split("&"))
    trails = client.list_trails(
        flow=query.get("flow"), fingerprint=query.get("fingerprint"),
        flow_tag=query.get("flow_tag", "").replace("%3D", "=") or None,
        page=int(query.get("page", 1)), per_page=int(query.get("per_page", 20)),
    )  # fmt: skip
    assert isinstance(trails, kosli.TrailList)
    assert [t.name for t in trails.trails] == [t["name"] for t in want["data"]]


def test_list_trails_refuses_page_zero_before_sending() -> None:
    client = kosli.Client(kosli.Config(host="http://127.0.0.1:9", api_token=TOKEN, org="acme"))
    with pytest.raises(kosli.InvalidInputError) as e:
        client.list_trails(page=0)
    assert e.value.what == "page"


@pytest.mark.parametrize(
    ("name", "environment"),
    [
        ("get_snapshot_latest", None),
        ("get_snapshot_index", "#"),
        ("get_snapshot_back", "~"),
        ("get_snapshot_at_time", "@"),
    ],
)
def test_get_snapshot_by_each_selector(run: Any, client: kosli.Client, name: str, environment: str | None) -> None:
    case = run(name)
    snappish = [a for a in json.loads((READS / f"{name}.json").read_text())["args"] if not a.startswith("-")][2]
    snapshot = client.get_snapshot(snappish)
    assert isinstance(snapshot, kosli.EnvironmentSnapshot)
    want = answer(case)
    assert (snapshot.index, snapshot.env_type) == (want["index"], want["type"])
    assert [a.fingerprint for a in snapshot.artifacts] == [a["fingerprint"] for a in want["artifacts"]]
    running = [a for a in snapshot.artifacts if a.creation_timestamps or a.pods]
    assert {r.fingerprint for r in snapshot.running} <= {a.fingerprint for a in snapshot.artifacts}
    assert len(snapshot.running) <= len(snapshot.artifacts) and (running or not snapshot.running)


def test_get_snapshot_with_two_selectors_names_the_argument(client: kosli.Client) -> None:
    with pytest.raises(kosli.InvalidInputError) as e:
        client.get_snapshot("prod#1~2")
    assert e.value.what == "environment"


def test_list_snapshots_of_an_interval(run: Any, client: kosli.Client) -> None:
    case = run("list_snapshots_interval")
    query = dict(p.split("=", 1) for p in case.requests[0]["target"].split("?", 1)[1].split("&"))
    env = case.requests[0]["target"].split("?")[0].rsplit("/", 1)[-1]
    snapshots = client.list_snapshots(
        env, interval=query["interval"].replace("..", "..") or None,
        page=int(query["page"]), per_page=int(query["per_page"]),
        reverse=query["reverse"] == "true",
    )  # fmt: skip
    want = answer(case)
    assert [s.index for s in snapshots] == [s["index"] for s in want]
    assert [s.from_ for s in snapshots] == [s["from"] for s in want]
    assert all(isinstance(s, kosli.SnapshotSummary) for s in snapshots)


def test_log_environment_with_options(run: Any, client: kosli.Client) -> None:
    case = run("log_environment_opts")
    target = case.requests[0]["target"]
    query = dict(p.split("=", 1) for p in target.split("?", 1)[1].split("&"))
    env = target.split("?")[0].rsplit("/", 2)[-2] if target.split("?")[0].endswith("/events") else target.split("?")[0].rsplit("/", 1)[-1]
    from urllib.parse import unquote

    events = client.log_environment(
        env, interval=unquote(query.get("interval", "")) or None, page=int(query["page"]),
        per_page=int(query["per_page"]), reverse=query["reverse"] == "true",
    )  # fmt: skip
    want = answer(case)
    items = want if isinstance(want, list) else want.get("events", want)
    assert [e.description for e in events] == [e["description"] for e in items]


def test_diff_snapshots_and_its_drift(run: Any, client: kosli.Client) -> None:
    case = run("diff_snapshots_json")
    query = dict(p.split("=", 1) for p in case.requests[0]["target"].split("?", 1)[1].split("&"))
    from urllib.parse import unquote

    diff = client.diff_snapshots(unquote(query["snappish1"]), unquote(query["snappish2"]))
    want = answer(case)
    assert isinstance(diff, kosli.SnapshotDiff)
    assert [a.name for a in diff.snappish1.artifacts] == [a["name"] for a in want["snappish1"]["artifacts"]]
    assert [a.name for a in diff.not_changed.artifacts] == [a["name"] for a in want["not-changed"]["artifacts"]]
    kinds = {e.kind for e in diff.drift.events}
    assert kinds <= {"added", "removed", "changed", "scaled"}
    # Something only in the first snapshot stopped running (or changed) in the second.
    names = {e.name for e in diff.drift.events}
    assert {a["name"] for a in want["snappish1"]["artifacts"] + want["snappish2"]["artifacts"]} <= names


def test_local_drift_of_two_snapshots() -> None:
    a = "a" * 64
    b = "b" * 64
    c = "c" * 64
    before = [kosli.RunningArtifact(name="api", fingerprint=a, instances=2),
              kosli.RunningArtifact(name="web", fingerprint=b, instances=1),
              kosli.RunningArtifact(name="old", fingerprint=c, instances=1)]  # fmt: skip
    after = [{"name": "api", "fingerprint": a, "instances": 3},
             {"name": "web", "fingerprint": c, "instances": 1},
             {"name": "new", "fingerprint": a * 1, "instances": 1}]  # fmt: skip
    drift = kosli.diff_running(before, after)
    by_name = {(e.name, e.kind): e for e in drift.events}
    assert by_name[("api", "scaled")].to_instances == 3
    assert by_name[("web", "changed")].to_fingerprint == c
    assert by_name[("old", "removed")].artifact == kosli.RunningArtifact(name="old", fingerprint=c, instances=1)
    assert ("new", "added") in by_name
    assert "scaled from 2 to 3" in by_name[("api", "scaled")].description
    assert kosli.diff_running(after, after).events == []
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.diff_running([{"name": "x"}], [])
    assert e.value.what == "before"
