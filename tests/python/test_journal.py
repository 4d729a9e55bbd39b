"""The journal from Python: the delivery-failure callback (a Python callable the core calls on
its own thread), what it raises logged and never propagated, the failure webhook, the journal's
status and flush reports as typed records."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest

import kosli
from conftest import FakeKosli

#: A port nothing listens on: Kosli is down (connection refused at once).
DOWN = "http://127.0.0.1:9"


class Recorder:
    """A failure callback that remembers what it got and on which thread."""

    def __init__(self) -> None:
        self.failures: list[kosli.DeliveryFailure] = []
        self.threads: list[int] = []

    def __call__(self, failure: kosli.DeliveryFailure) -> None:
        self.failures.append(failure)
        self.threads.append(threading.get_ident())


@pytest.fixture(autouse=True)
def no_journal_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KOSLI_JOURNAL_DIR", raising=False)


def test_the_callback_fires_when_kosli_is_down(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    seen = Recorder()
    client = kosli.Client(kosli.Config(host=DOWN, api_token="t", org="acme", max_api_retries=0,
                                       journal_dir=journal, on_delivery_failure=seen))  # fmt: skip
    outcome = client.attest_generic("f", "t", "check", compliant=True)
    assert outcome.kind == "queued" and outcome.journal_id
    (failure,) = seen.failures
    assert isinstance(failure, kosli.DeliveryFailure)
    assert (failure.id, failure.operation, failure.kind) == (outcome.journal_id, "attest_generic", "Network")
    assert failure.host.startswith(DOWN)
    assert failure.journal == str(journal)
    assert f"record {failure.id} (attest_generic) could not be delivered" in failure.text
    # On the SDK's thread, not the caller's (which waited without the GIL).
    assert seen.threads[0] != threading.get_ident()


def test_an_exception_in_the_callback_is_logged_and_goes_no_further(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(failure: kosli.DeliveryFailure) -> None:
        raise RuntimeError(f"pager is down too ({failure.id})")

    client = kosli.Client(host=DOWN, api_token="t", org="acme", max_api_retries=0,
                          journal_dir=tmp_path / "journal", on_delivery_failure=broken)  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="kosli"):
        outcome = client.attest_generic("f", "t", "check", compliant=True)
    assert outcome.kind == "queued"
    (record,) = [r for r in caplog.records if r.name == "kosli"]
    assert "on_delivery_failure callback" in record.getMessage()
    assert record.exc_info is not None and "pager is down too" in str(record.exc_info[1])
    # The client goes on working.
    assert client.attest_generic("f", "t", "again", compliant=True).kind == "queued"


def test_status_and_flush_are_typed_and_flush_failures_reach_the_callback(
    fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    journal = tmp_path / "journal"
    fake_kosli.control("POST", "seed", {
        "org": "acme", "flows": [{"name": "f"}], "trails": [{"flow": "f", "name": "t"}],
    })  # fmt: skip
    offline = kosli.Client(kosli.Config(journal_dir=journal, offline=True, org="acme"))
    first = offline.attest_generic("f", "t", "one", compliant=True)
    second = offline.create_environment("prod", "server")
    status = offline.journal_status()
    assert isinstance(status, kosli.JournalStatus)
    assert (status.pending, status.unbound, status.dir) == (2, 2, str(journal))
    assert [(r.id, r.operation, r.hosts) for r in status.records] == [
        (first.journal_id, "attest_generic", None), (second.journal_id, "create_environment", None),
    ]  # fmt: skip
    assert status.oldest is not None and status.oldest == status.records[0].recorded_at

    # Kosli down: nothing delivered, the failure reported to the callback and in the report.
    seen = Recorder()
    down = kosli.Client(kosli.Config(host=DOWN, api_token="t", org="acme", max_api_retries=0,
                                     journal_dir=journal, on_delivery_failure=seen))  # fmt: skip
    report = down.flush_journal()
    assert isinstance(report, kosli.FlushReport)
    assert (report.delivered, report.is_complete) == (0, False)
    (host,) = report.hosts
    assert host.stopped is not None and host.left == 2
    assert [f.kind for f in host.failures] == ["Network"] * len(host.failures) and host.failures
    assert [f.id for f in seen.failures] == [f.id for f in host.failures]

    # Kosli back: everything delivered, in order.
    up = kosli.Client(kosli.Config(host=fake_kosli.url, api_token="t", org="acme",
                                   journal_dir=journal))  # fmt: skip
    report = up.flush_journal()
    assert (report.delivered, report.left, report.is_complete) == (2, 0, True)
    assert report.to_dict()["hosts"][0]["failures"] == []
    assert up.journal_status().pending == 0
    paths = [r["path"] for r in fake_kosli.requests() if r["path"].startswith("/api/")]
    assert paths == ["/api/v2/attestations/acme/f/trail/t/generic", "/api/v2/environments/acme"]


def test_the_failure_webhook_gets_the_alert_without_the_token(
    fake_kosli: FakeKosli, tmp_path: Path
) -> None:
    client = kosli.Client(kosli.Config(host=DOWN, api_token="secret-token", org="acme",
                                       max_api_retries=0, journal_dir=tmp_path / "journal",
                                       failure_webhook=f"{fake_kosli.url}/hooks/alert"))  # fmt: skip
    outcome = client.attest_generic("f", "t", "check", compliant=True)
    assert outcome.kind == "queued"
    (post,) = [r for r in fake_kosli.requests() if r["path"] == "/hooks/alert"]
    assert post["method"] == "POST"
    text: Any = post["json"]["text"]
    assert f"record {outcome.journal_id} (attest_generic) could not be delivered" in text
    assert "secret-token" not in str(post)
    assert all(k.lower() != "authorization" for k, _ in post["headers"])
