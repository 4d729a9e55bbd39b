"""Shared fixtures of the Python tests. They run against the INSTALLED wheel (tests/python/run.sh
builds it and installs it into a virtual environment), never against kosli-py/python/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def fingerprint_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fingerprint conformance corpus, built by the committed make_corpus.sh."""
    if shutil.which("mkfifo") is None:
        pytest.skip("make_corpus.sh needs mkfifo")
    corpus = tmp_path_factory.mktemp("corpus") / "c"
    subprocess.run(
        ["bash", str(FIXTURES / "fingerprint" / "make_corpus.sh"), str(corpus)],
        check=True,
        capture_output=True,
    )
    return corpus


@pytest.fixture(scope="session")
def fingerprint_vectors() -> list[dict[str, Any]]:
    """The official CLI's answers on the corpus (tests/fixtures/fingerprint/vectors.json)."""
    vectors: list[dict[str, Any]] = json.loads(
        (FIXTURES / "fingerprint" / "vectors.json").read_text(encoding="utf-8")
    )
    return vectors


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small folder: two files and a sub-folder."""
    (tmp_path / "a.txt").write_text("alpha\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.log").write_text("beta\n")
    return tmp_path


class FakeKosli:
    """A running `fake-kosli` (the project's in-memory Kosli API) and its control endpoints."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"

    def control(self, method: str, path: str, body: object = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__control/{path}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def fault(self, **fault: object) -> None:
        """Queues one fault (status, headers, body, delay_ms, drop, times, method, path)."""
        self.control("POST", "faults", [fault])

    def requests(self) -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = self.control("GET", "requests")
        return answer


def fake_kosli_binary() -> Path:
    """The fake-kosli binary: $KOSLI_FAKE_KOSLI (tests/python/run.sh sets it), else cargo's."""
    given = os.environ.get("KOSLI_FAKE_KOSLI")
    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache" / "kosli-target"))
    path = Path(given) if given else target / "debug" / "fake-kosli"
    if not path.is_file():
        pytest.fail(f"no fake-kosli at {path}: cargo build -p kosli-tests --bin fake-kosli")
    return path


@pytest.fixture
def fake_kosli() -> Iterator[FakeKosli]:
    """A fresh fake Kosli on a free port of 127.0.0.1, stopped afterwards."""
    yield from running_fake_kosli()


@pytest.fixture
def report_kosli() -> Iterator[FakeKosli]:
    """A fresh fake Kosli seeded with the compliance documents' week (org ``acme``:
    tests/src/fake/seed_report.rs, numbers in tests/fixtures/report/README.md)."""
    yield from running_fake_kosli("--seed-report")


def running_fake_kosli(*args: str) -> Iterator[FakeKosli]:
    """Runs `fake-kosli ARGS` on a free port until the generator is closed."""
    process = subprocess.Popen(
        [str(fake_kosli_binary()), "--port", "0", "--stop-on-eof", "--max-seconds", "600", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None and process.stdin is not None
    port = int(process.stdout.readline())
    try:
        yield FakeKosli(process, port)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


class FakeService:
    """A running `fake-services` process (tests/src/bin/fake-services.rs): a fake Docker Engine,
    Kubernetes API server or provider; `info` is its first line (`url`, and `kubeconfig`)."""

    def __init__(self, process: subprocess.Popen[bytes], info: dict[str, Any]) -> None:
        self.process = process
        self.info = info
        self.url: str = info["url"]

    def requests(self) -> list[dict[str, Any]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"requests\n")
        self.process.stdin.flush()
        answer: list[dict[str, Any]] = json.loads(self.process.stdout.readline())
        return answer


def fake_services_binary() -> Path:
    """The fake-services binary: $KOSLI_FAKE_SERVICES (run.sh sets it), else cargo's."""
    given = os.environ.get("KOSLI_FAKE_SERVICES")
    target = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache" / "kosli-target"))
    path = Path(given) if given else target / "debug" / "fake-services"
    if not path.is_file():
        pytest.fail(f"no fake-services at {path}: cargo build -p kosli-tests --bin fake-services")
    return path


@pytest.fixture
def fake_service() -> Iterator[Any]:
    """`fake_service(*args)` starts `fake-services ARGS` (stopped when the test ends)."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> FakeService:
        process = subprocess.Popen(
            [str(fake_services_binary()), *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        started.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            assert process.stderr is not None
            pytest.fail(f"fake-services {args}: {process.stderr.read().decode()}")
        return FakeService(process, json.loads(line))

    yield start
    for process in started:
        assert process.stdin is not None and process.stdout is not None
        assert process.stderr is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
