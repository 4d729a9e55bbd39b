"""Image fingerprints, docker and Kubernetes snapshots, the deployment guard and the snapshot
loop. The Engine and the Kubernetes API are the tests crate's fakes (run by fake-services), Kosli
is fake-kosli; the requests and payloads are the official CLI's captured runs
(tests/fixtures/snapshots_runtime, replayed for the Rust SDK by tests/tests/snapshot_docker.rs
and snapshot_k8s.rs)."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import kosli
from cases import TOKEN
from conftest import FIXTURES, FakeKosli

RUNTIME = FIXTURES / "snapshots_runtime"
KUBE_TOKEN = "kube-token-abc"


def fixture(name: str) -> Any:
    return json.loads((RUNTIME / name).read_text(encoding="utf-8"))


def capture(name: str) -> Any:
    return fixture("captures.json")[name]


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token=TOKEN, org="acme"))


def kosli_calls(requests: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    out = []
    for r in requests:
        body = r.get("body")
        text = body if isinstance(body, str) else (body or {}).get("text")
        out.append((r["method"], r["path"], text or None))
    return out


def pods_by_report(requests: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for method, path, text in kosli_calls(requests):
        assert method == "PUT" and text is not None
        out.append((path, {a["podName"]: a for a in json.loads(text)["artifacts"]}))
    return out


def api_requests(fake: FakeKosli) -> list[dict[str, Any]]:
    return [r for r in fake.requests() if r["path"].startswith("/api/v2/")]


def state_file(tmp_path: Path, name: str, key: str) -> str:
    path = tmp_path / f"{name}-{key}.json"
    path.write_text(json.dumps(fixture(name)[key]))
    return str(path)


def engine(fake_service: Any, tmp_path: Path, state: str) -> Any:
    return fake_service("docker", state_file(tmp_path, "docker_states.json", state))


def cluster(fake_service: Any, tmp_path: Path) -> tuple[Any, Path]:
    kube = fake_service("kube", state_file(tmp_path, "kube_states.json", "cluster"), KUBE_TOKEN)
    config = tmp_path / "kubeconfig"
    config.write_text(kube.info["kubeconfig"])
    return kube, config


def existing(client: kosli.Client, fake: FakeKosli, name: str, env_type: str) -> None:
    client.create_environment(name, env_type)
    fake.control("DELETE", "requests")


def test_snapshot_docker_sends_the_clis_report(client: kosli.Client, fake_kosli: FakeKosli,
                                               fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    docker = engine(fake_service, tmp_path, "three_containers")
    existing(client, fake_kosli, "prod-docker", "docker")
    want = capture("snapshot_docker_debug")
    outcome = client.snapshot_docker("prod-docker", docker_host=docker.url)
    assert (outcome.kind, outcome.status) == ("sent", want["kosli_requests"][0]["status"])
    assert kosli_calls(api_requests(fake_kosli)) == kosli_calls(want["kosli_requests"])
    assert [(r["method"], r["target"]) for r in docker.requests()] == [
        (r["method"], r["target"]) for r in want["runtime_requests"]]


def test_auto_environment_creates_it_with_the_description(client: kosli.Client, fake_kosli: FakeKosli,
                                                          fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    docker = engine(fake_service, tmp_path, "three_containers")
    want = capture("snapshot_docker_auto_env_404")
    client.snapshot_docker("prod-docker", docker_host=docker.url, auto_environment=True,
                           environment_description="docker host")  # fmt: skip
    assert kosli_calls(api_requests(fake_kosli)) == kosli_calls(want["kosli_requests"])


def test_a_collected_docker_snapshot_reports_the_same(client: kosli.Client, fake_kosli: FakeKosli,
                                                      fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    docker = engine(fake_service, tmp_path, "three_containers")
    existing(client, fake_kosli, "prod-docker", "docker")
    snapshot = kosli.collect_docker_snapshot("prod-docker", docker_host=docker.url)
    assert isinstance(snapshot, kosli.CollectedSnapshot)
    assert (snapshot.environment, snapshot.env_type, snapshot.artifact_count) == ("prod-docker", "docker", 2)
    assert snapshot.skipped == ["ignoring container 'local-build' as it uses an image with no repo digest"]
    assert snapshot.to_dict()["type"] == "docker"
    assert api_requests(fake_kosli) == []
    client.report_snapshot(snapshot)
    assert kosli_calls(api_requests(fake_kosli)) == kosli_calls(capture("snapshot_docker_debug")["kosli_requests"])
    with pytest.raises(kosli.InvalidInputError) as e:
        client.report_snapshot("prod-docker")  # type: ignore[arg-type]
    assert e.value.what == "snapshot"


def test_no_docker_daemon_is_a_network_error(client: kosli.Client, fake_kosli: FakeKosli, tmp_path: Path) -> None:
    with pytest.raises(kosli.NetworkError):
        client.snapshot_docker("prod-docker", docker_host=f"unix://{tmp_path}/missing.sock")
    assert api_requests(fake_kosli) == []


def test_docker_image_fingerprints_read_the_repo_digest(fake_service: Any, tmp_path: Path) -> None:
    docker = engine(fake_service, tmp_path, "five_containers")
    want = capture("fingerprint_docker_repo_digest")
    fp = kosli.fingerprint_image("nginx:1.25", kosli.ArtifactType.DOCKER, docker_host=docker.url)
    assert isinstance(fp, kosli.Fingerprint)
    assert f"{fp}\n" == want["stdout"]
    with pytest.raises(kosli.FingerprintError, match="repo digest unavailable"):
        kosli.fingerprint_image("myapp:dev", "docker", docker_host=docker.url)
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.fingerprint_image("app.tar", "file")
    assert e.value.what == "artifact_type"


@pytest.mark.parametrize(
    ("scenario", "options"),
    [
        ("snapshot_k8s_cluster", {}),
        ("snapshot_k8s_namespaces", {"namespaces": ["prod", "staging"]}),
        ("snapshot_k8s_exclude_regex", {"exclude_namespaces_regex": ["^kube-", "^default$"]}),
    ],
)
def test_snapshot_k8s_sends_the_clis_report(client: kosli.Client, fake_kosli: FakeKosli, fake_service: Any,
                                            tmp_path: Path, scenario: str, options: dict[str, Any]) -> None:  # fmt: skip
    kube, config = cluster(fake_service, tmp_path)
    existing(client, fake_kosli, "prod-k8s", "K8S")
    want = capture(scenario)
    client.snapshot_k8s("prod-k8s", kubeconfig=config, **options)
    # As tests/tests/snapshot_k8s.rs: the CLI reads namespaces concurrently, so its calls and
    # the report's pods are compared as sets (the pods keyed by name).
    assert pods_by_report(api_requests(fake_kosli)) == pods_by_report(want["kosli_requests"])
    assert sorted((r["method"], r["target"]) for r in kube.requests()) == sorted(
        (r["method"], r["target"]) for r in want["runtime_requests"])
    snapshot = kosli.collect_k8s_snapshot("prod-k8s", kubeconfig=config, **options)
    assert snapshot.env_type == "K8S" and snapshot.artifact_count >= 1


def test_k8s_bad_arguments_and_a_wrong_token(fake_service: Any, tmp_path: Path) -> None:
    kube, config = cluster(fake_service, tmp_path)
    with pytest.raises(kosli.InvalidInputError):
        kosli.collect_k8s_snapshot("prod-k8s", kubeconfig=config, namespaces=["a"], exclude_namespaces=["b"])
    config.write_text(kube.info["kubeconfig"].replace(KUBE_TOKEN, "wrong"))
    with pytest.raises(kosli.KosliError) as e:
        kosli.collect_k8s_snapshot("prod-k8s", kubeconfig=config)
    assert "wrong" not in str(e.value)


# --- the deployment guard ---------------------------------------------------------------------


def artifact_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    build = tmp_path / "build"
    build.mkdir()
    (build / "app-v1").write_bytes(b"version 1\n")
    (build / "app-v2").write_bytes(b"version 2\n")
    srv = tmp_path / "srv"
    srv.mkdir()
    return build / "app-v1", build / "app-v2", srv / "app"


def test_a_succeeding_deploy_snapshots_once_after_the_step(client: kosli.Client, fake_kosli: FakeKosli,
                                                           tmp_path: Path) -> None:  # fmt: skip
    v1, _, target = artifact_files(tmp_path)
    app = kosli.ArtifactRef("app", kosli.fingerprint_file(v1), kosli.ArtifactType.FILE)
    existing(client, fake_kosli, "prod", "server")
    threads: list[int] = []

    def step() -> None:
        threads.append(threading.get_ident())
        assert api_requests(fake_kosli) == [], "nothing is reported before the step"
        shutil.copy(v1, target)

    report = client.deploy("prod", app, kosli.PathsCollector.path("app", target), step)
    assert threads == [threading.get_ident()], "the step runs once, on the caller's thread"
    assert isinstance(report, kosli.DeployReport)
    assert (report.verification, report.instances, report.artifact) == ("running", 1, app)
    assert report.running == [kosli.RunningArtifact(name="app", fingerprint=str(app.fingerprint), instances=1)]
    assert report.outcome.kind == "sent"
    (sent,) = api_requests(fake_kosli)
    # The report is the one `snapshot path` sends for the same file.
    fake_kosli.control("DELETE", "requests")
    client.snapshot_path("prod", "app", target)
    (plain,) = api_requests(fake_kosli)
    assert kosli_calls([sent]) == kosli_calls([plain])
    assert (sent["method"], sent["path"]) == ("PUT", "/api/v2/environments/acme/prod/report/server")


def test_a_failing_step_reports_nothing_and_its_exception_is_raised(client: kosli.Client, fake_kosli: FakeKosli,
                                                                    tmp_path: Path) -> None:  # fmt: skip
    v1, _, target = artifact_files(tmp_path)
    app = kosli.ArtifactRef("app", kosli.fingerprint_file(v1), "file")
    boom = RuntimeError("the deploy failed")

    def step() -> None:
        raise boom

    with pytest.raises(RuntimeError) as e:
        client.deploy("prod", app, kosli.PathsCollector.path("app", target), step)
    assert e.value is boom
    assert api_requests(fake_kosli) == []


def test_the_wrong_artifact_running_is_caught(client: kosli.Client, fake_kosli: FakeKosli, tmp_path: Path) -> None:
    v1, v2, target = artifact_files(tmp_path)
    app = kosli.ArtifactRef("app", kosli.fingerprint_file(v1), "file")
    existing(client, fake_kosli, "prod", "server")
    collector = kosli.PathsCollector.path("app", target)
    with pytest.raises(kosli.PolicyDeniedError) as e:
        client.deploy("prod", app, collector, lambda: shutil.copy(v2, target))
    assert f"sha256:{app.fingerprint}" in str(e.value) and "not running in prod" in str(e.value)
    assert len(e.value.reasons) == 1
    assert len(api_requests(fake_kosli)) == 1, "the snapshot was still reported"
    report = client.deploy("prod", app, collector, lambda: None, on_mismatch="warn")
    assert (report.verification, report.instances) == ("not_running", 0)
    assert report.running[0].fingerprint == str(kosli.fingerprint_file(v2))


def test_mutable_references_and_bad_arguments_are_refused_before_the_step(client: kosli.Client,
                                                                           fake_kosli: FakeKosli) -> None:  # fmt: skip
    calls: list[int] = []
    latest = kosli.ArtifactRef("registry.example.com/app:latest", "a" * 64, "docker")
    collector = kosli.PathsCollector.server(["/srv/*"])
    with pytest.raises(kosli.InvalidInputError):
        client.deploy("prod", latest, collector, lambda: calls.append(1))
    pinned = kosli.ArtifactRef("app:1.0", "a" * 64, "docker")
    with pytest.raises(kosli.InvalidInputError) as e:
        client.deploy("prod", pinned, collector, lambda: calls.append(1), on_mismatch="ignore")
    assert e.value.what == "on_mismatch"
    with pytest.raises(TypeError):
        client.deploy("prod", pinned, collector, "not callable")  # type: ignore[arg-type]
    assert calls == [] and api_requests(fake_kosli) == []


def test_deploy_with_a_docker_collector_reports_only_after_a_step_that_succeeded(
        client: kosli.Client, fake_kosli: FakeKosli, fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    docker = engine(fake_service, tmp_path, "three_containers")
    existing(client, fake_kosli, "prod-docker", "docker")
    nginx = kosli.ArtifactRef("nginx:1.25", "e1" * 32, "docker")
    collector = kosli.DockerCollector(docker_host=docker.url)
    boom = RuntimeError("rollout failed")

    def failing() -> None:
        raise boom

    with pytest.raises(RuntimeError) as e:
        client.deploy("prod-docker", nginx, collector, failing)
    assert e.value is boom
    assert api_requests(fake_kosli) == [] and docker.requests() == [], "nothing asked, nothing reported"
    calls: list[int] = []
    report = client.deploy("prod-docker", nginx, collector, lambda: calls.append(1))
    assert calls == [1]
    assert (report.verification, report.instances, report.outcome.kind) == ("running", 1, "sent")
    assert kosli.RunningArtifact(name="nginx:1.25", fingerprint="e1" * 32, instances=1) in report.running
    # One snapshot: the same Engine calls and the same report as `snapshot docker`.
    want = capture("snapshot_docker_debug")
    assert kosli_calls(api_requests(fake_kosli)) == kosli_calls(want["kosli_requests"])
    assert [(r["method"], r["target"]) for r in docker.requests()] == [
        (r["method"], r["target"]) for r in want["runtime_requests"]]
    # An image that is not running is caught after the (one) report.
    fake_kosli.control("DELETE", "requests")
    other = kosli.ArtifactRef("nginx:1.25", "f" * 64, "docker")
    with pytest.raises(kosli.PolicyDeniedError):
        client.deploy("prod-docker", other, collector, lambda: None)
    assert len(api_requests(fake_kosli)) == 1


def test_deploy_with_a_k8s_collector_snapshots_the_cluster_once(client: kosli.Client, fake_kosli: FakeKosli,
                                                                fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    kube, config = cluster(fake_service, tmp_path)
    existing(client, fake_kosli, "prod-k8s", "K8S")
    web = kosli.ArtifactRef("nginx:1.25", "a" * 64, "docker")
    collector = kosli.K8sCollector(kubeconfig=config)
    assert "K8s" in repr(collector)
    with pytest.raises(ValueError):
        client.deploy("prod-k8s", web, collector, lambda: int("not a number"))
    assert api_requests(fake_kosli) == [] and kube.requests() == []
    report = client.deploy("prod-k8s", web, collector, lambda: None)
    assert report.verification == "running" and report.instances >= 1
    # The report `snapshot k8s` sends for the whole cluster.
    assert pods_by_report(api_requests(fake_kosli)) == pods_by_report(
        capture("snapshot_k8s_cluster")["kosli_requests"])
    with pytest.raises(TypeError):
        client.deploy("prod-k8s", web, "k8s", lambda: None)  # type: ignore[arg-type]


def test_the_snapshot_loop_takes_a_docker_collector(client: kosli.Client, fake_kosli: FakeKosli,
                                                    fake_service: Any, tmp_path: Path) -> None:  # fmt: skip
    docker = engine(fake_service, tmp_path, "three_containers")
    existing(client, fake_kosli, "prod-docker", "docker")
    loop = client.start_snapshot_loop("prod-docker", kosli.DockerCollector(docker_host=docker.url), max_ticks=1)
    summary = loop.join(timeout=30)
    assert summary is not None and (summary.ticks, summary.sent, summary.failed) == (1, 1, 0)
    assert kosli_calls(api_requests(fake_kosli)) == kosli_calls(capture("snapshot_docker_debug")["kosli_requests"])


# --- the snapshot loop ------------------------------------------------------------------------


def test_the_snapshot_loop_ticks_reports_and_sees_drift(client: kosli.Client, fake_kosli: FakeKosli,
                                                        tmp_path: Path) -> None:  # fmt: skip
    v1, v2, target = artifact_files(tmp_path)
    shutil.copy(v1, target)
    existing(client, fake_kosli, "prod", "server")
    ticks: list[kosli.SnapshotTick] = []

    def on_tick(tick: kosli.SnapshotTick) -> None:
        ticks.append(tick)
        if tick.number == 1:
            shutil.copy(v2, target)

    loop = client.start_snapshot_loop("prod", kosli.PathsCollector.path("app", target), interval=0.02,
                                      max_ticks=3, on_tick=on_tick)  # fmt: skip
    summary = loop.join(timeout=30)
    assert isinstance(summary, kosli.LoopSummary)
    assert (summary.ticks, summary.sent, summary.failed) == (3, 3, 0)
    assert not loop.running
    assert [t.number for t in ticks] == [1, 2, 3]
    assert ticks[0].drift is None and ticks[0].outcome is not None
    drift = ticks[1].drift
    assert drift is not None and [(e.kind, e.name) for e in drift.events] == [("changed", "app")]
    assert ticks[2].drift is not None and ticks[2].drift.events == []
    assert len(api_requests(fake_kosli)) == 3
    assert loop.join() == summary


def test_the_snapshot_loop_stops_at_once_and_survives_a_bad_callback(client: kosli.Client, tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    v1, _, target = artifact_files(tmp_path)
    shutil.copy(v1, target)
    seen: list[int] = []

    def on_tick(tick: kosli.SnapshotTick) -> None:
        seen.append(tick.number)
        raise ValueError("a broken callback")

    with client.start_snapshot_loop("prod", kosli.PathsCollector.path("app", target), interval=3600,
                                    on_tick=on_tick) as loop:  # fmt: skip
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        assert loop.running
        assert loop.join(timeout=0.01) is None
        loop.stop()
        summary = loop.join(timeout=30)
    assert summary is not None and summary.ticks == 1
    assert seen == [1]
    assert "on_tick callback" in caplog.text
    with pytest.raises(kosli.InvalidInputError) as e:
        client.start_snapshot_loop("prod", kosli.PathsCollector.path("app", target), interval=0)
    assert e.value.what == "interval"


def test_a_failed_tick_carries_its_error(tmp_path: Path) -> None:
    offline = kosli.Client(kosli.Config(host="http://127.0.0.1:9", api_token=TOKEN, org="acme",
                                        max_api_retries=0))  # fmt: skip
    ticks: list[kosli.SnapshotTick] = []
    loop = offline.start_snapshot_loop("prod", kosli.PathsCollector.path("app", tmp_path / "missing"),
                                       interval=0.01, max_ticks=1, on_tick=ticks.append)  # fmt: skip
    summary = loop.join(timeout=30)
    assert summary is not None and summary.failed == 1
    assert isinstance(ticks[0].error, kosli.KosliError) and ticks[0].outcome is None
