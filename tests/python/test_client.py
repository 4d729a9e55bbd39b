"""kosli.Client against fake-kosli: answers, typed errors with their causes, threads, fork and
Ctrl-C while a call waits."""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import kosli
from conftest import FIXTURES, FakeKosli


def client_for(fake: FakeKosli, **settings: Any) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake.url, api_token="t", org="acme", **settings))


def test_status_answers_ok_and_sends_the_sdks_user_agent(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli)
    assert client.status() == '"OK"'
    (request,) = [r for r in fake_kosli.requests() if r["path"] == "/ready"]
    assert request["method"] == "GET"
    headers = {k.lower(): v for k, v in request["headers"]}
    assert f"kosli-python/{kosli.__version__}" in headers["user-agent"]


def test_a_client_from_keyword_arguments_or_the_environment(
    fake_kosli: FakeKosli, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KOSLI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("KOSLI_HOST", fake_kosli.url)
    monkeypatch.setenv("KOSLI_ORG", "env-org")
    assert kosli.Client().config.org == "env-org"
    assert kosli.Client(org="arg-org").config.org == "arg-org"
    assert kosli.Client().status() == '"OK"'
    with pytest.raises(TypeError, match="not both"):
        kosli.Client(kosli.Config(), org="x")


def test_server_errors_are_typed(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli, max_api_retries=0)
    fake_kosli.fault(path="/ready", status=500, body={"message": "database on fire"})
    with pytest.raises(kosli.ApiError) as info:
        client.status()
    assert info.value.status == 500
    assert "database on fire" in str(info.value)
    fake_kosli.fault(path="/ready", status=401, body={"message": "bad token"})
    with pytest.raises(kosli.AuthError) as auth:
        client.status()
    assert auth.value.status == 401 and isinstance(auth.value, kosli.ApiError)


def test_retries_follow_the_config(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli, max_api_retries=2)
    fake_kosli.fault(path="/ready", status=503, headers=[["Retry-After", "0"]], times=2)
    assert client.status() == '"OK"'
    assert len([r for r in fake_kosli.requests() if r["path"] == "/ready"]) == 3


def test_a_dropped_connection_is_a_network_error(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli, max_api_retries=0)
    fake_kosli.fault(path="/ready", drop="before")
    with pytest.raises(kosli.NetworkError) as info:
        client.status()
    assert f"GET {fake_kosli.url}/ready giving up after 1 attempt(s)" in str(info.value)
    assert "connection closed" in str(info.value)


def test_a_token_in_clear_to_another_machine_is_refused() -> None:
    with pytest.raises(kosli.ConfigError):
        kosli.Client(kosli.Config(host="http://example.com", api_token="secret"))


def test_one_client_serves_many_threads(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: client.status(), range(80)))
    assert answers == ['"OK"'] * 80


def test_calls_wait_without_the_gil(fake_kosli: FakeKosli) -> None:
    """Two calls that each wait 1.5 s on the server overlap: they finish in well under 3 s."""
    client = client_for(fake_kosli)
    fake_kosli.fault(path="/ready", delay_ms=1500, times=2)
    windows: list[tuple[float, float]] = []

    def call() -> None:
        start = time.perf_counter()
        assert client.status() == '"OK"'
        windows.append((start, time.perf_counter()))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (s1, e1), (s2, e2) = windows
    assert min(e1, e2) - max(s1, s2) > 1.0, windows  # both were waiting at the same time


class Interrupted(Exception):
    pass


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_ctrl_c_interrupts_a_waiting_call(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli)
    fake_kosli.fault(path="/ready", delay_ms=30_000)
    main = threading.get_ident()

    def handler(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGINT, handler)
    try:
        timer = threading.Timer(0.2, signal.pthread_kill, (main, signal.SIGINT))
        timer.start()
        start = time.monotonic()
        with pytest.raises(Interrupted):
            client.status()
        elapsed = time.monotonic() - start
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    # The server would have answered after 30 s; the call stopped at the signal.
    assert elapsed < 10, elapsed
    fake_kosli.control("DELETE", "faults")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_uses_the_client(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli)
    assert client.status() == '"OK"'  # the parent's runtime and connections exist
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python >= 3.12 on fork + threads
        pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = 0 if client.status() == '"OK"' else 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung in a client call")
        time.sleep(0.01)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.status() == '"OK"'  # and the parent's client still works


def seed_trail(fake: FakeKosli) -> None:
    fake.control("POST", "seed", {
        "org": "acme", "flows": [{"name": "f"}], "trails": [{"flow": "f", "name": "t"}],
    })  # fmt: skip


def attestation_payload(fake: FakeKosli, kind: str) -> dict[str, Any]:
    (request,) = [r for r in fake.requests() if r["path"] == f"/api/v2/attestations/acme/f/trail/t/{kind}"]
    assert request["method"] == "POST"
    (payload,) = [p["json"] for p in request["multipart"] if isinstance(p.get("json"), dict)]
    assert isinstance(payload, dict)
    return payload


def test_attest_junit_sends_the_clis_junit_results(fake_kosli: FakeKosli) -> None:
    seed_trail(fake_kosli)
    results = FIXTURES / "evidence" / "junit" / "pytest" / "results"
    summary = kosli.parse_junit(results)
    outcome = client_for(fake_kosli).attest_junit("f", "t", "unit-tests", results)
    assert (outcome.kind, outcome.is_complete, outcome.failed_hosts) == ("sent", True, [])
    assert outcome.status in (200, 201)
    payload = attestation_payload(fake_kosli, "junit")
    assert payload["attestation_name"] == "unit-tests"
    assert payload["junit_results"] == summary.to_dict()["junit_results"]
    assert outcome.to_dict()["kind"] == "sent"
    assert repr(outcome) == (
        f"Outcome(kind='sent', status={outcome.status}, journal_id=None, failed_hosts=[])"
    )


def test_attest_junit_takes_parsed_suites_and_the_common_options(fake_kosli: FakeKosli) -> None:
    seed_trail(fake_kosli)
    suites = kosli.parse_junit(FIXTURES / "evidence" / "junit" / "pytest" / "results").suites
    fp = kosli.Fingerprint("a" * 64)
    client_for(fake_kosli).attest_junit(
        "f", "t", "unit-tests", suites, artifact=kosli.ArtifactRef("app", fp, "file"),
        user_data={"build": 7, "tags": ["x"]}, description="from pytest",
    )  # fmt: skip
    payload = attestation_payload(fake_kosli, "junit")
    assert payload["junit_results"] == [s.to_dict() for s in suites]
    assert payload["artifact_fingerprint"] == "a" * 64
    assert payload["user_data"] == {"build": 7, "tags": ["x"]}
    assert payload["description"] == "from pytest"


def test_attest_generic_and_argument_errors(fake_kosli: FakeKosli) -> None:
    seed_trail(fake_kosli)
    client = client_for(fake_kosli)
    assert client.attest_generic("f", "t", "manual-check", compliant=False).kind == "sent"
    assert attestation_payload(fake_kosli, "generic")["is_compliant"] is False
    fp = kosli.Fingerprint("b" * 64)
    with pytest.raises(TypeError, match="not both"):
        client.attest_generic(
            "f", "t", "x", compliant=True, fingerprint=fp, artifact=kosli.ArtifactRef("a", fp, "file")
        )
    with pytest.raises(TypeError, match="results must be"):
        client.attest_junit("f", "t", "x", 42)  # type: ignore[arg-type]
    with pytest.raises(kosli.InvalidInputError, match="invalid attestation name format: a.b.c"):
        client.attest_generic("f", "t", "a.b.c", compliant=True)


def test_dry_run_returns_the_request_and_sends_nothing(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli, dry_run=True)
    outcome = client.attest_generic("f", "t", "check", compliant=True)
    assert outcome.kind == "dry_run" and outcome.status is None
    assert outcome.dry_run is not None and '"is_compliant": true' in outcome.dry_run
    assert not [r for r in fake_kosli.requests() if r["path"].startswith("/api/")]


def test_an_unknown_trail_is_a_typed_error(fake_kosli: FakeKosli) -> None:
    client = client_for(fake_kosli, max_api_retries=0)
    with pytest.raises(kosli.KosliError) as info:
        client.attest_generic("nope", "t", "check", compliant=True)
    assert isinstance(info.value, kosli.ApiError)


def test_with_a_journal_an_unreachable_kosli_queues_the_write(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KOSLI_CONFIG_FILE", raising=False)
    monkeypatch.setenv("KOSLI_JOURNAL_DIR", str(tmp_path / "journal"))
    client = kosli.Client(host="http://127.0.0.1:9", api_token="t", org="acme", max_api_retries=0)
    outcome = client.attest_generic("f", "t", "check", compliant=True)
    assert (outcome.kind, outcome.status) == ("queued", None)
    assert outcome.journal_id
    assert (tmp_path / "journal" / "journal.jsonl").stat().st_size > 0


def test_a_queued_write_is_delivered_by_flush_journal(
    fake_kosli: FakeKosli, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("KOSLI_JOURNAL_DIR", raising=False)
    seed_trail(fake_kosli)
    journal = tmp_path / "journal"
    offline = kosli.Client(kosli.Config(journal_dir=journal, offline=True, org="acme"))
    assert (offline.config.journal_dir, offline.config.offline) == (journal, True)
    queued = offline.attest_generic("f", "t", "later", compliant=True)
    assert queued.kind == "queued"
    assert not [r for r in fake_kosli.requests() if r["path"].startswith("/api/")]
    online = client_for(fake_kosli, journal_dir=journal)
    report = online.flush_journal()
    assert isinstance(report, kosli.FlushReport)
    assert (report.delivered, report.left, report.is_complete) == (1, 0, True)
    assert report.hosts[0].host.startswith(fake_kosli.url)
    assert report.to_dict()["hosts"][0]["delivered"] == 1
    assert attestation_payload(fake_kosli, "generic")["attestation_name"] == "later"
