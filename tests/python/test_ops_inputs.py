"""Bad input to kosli.Client's operations: a typed exception naming the argument at fault,
raised before anything is sent; and every operation waits for the server without the GIL."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import pytest

import kosli
from cases import FP
from conftest import FakeKosli


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token="t", org="acme",
                                     max_api_retries=0))  # fmt: skip


def bad(call: Callable[[], object], what: str, match: str | None = None) -> kosli.InvalidInputError:
    with pytest.raises(kosli.InvalidInputError, match=match) as info:
        call()
    assert info.value.what == what, (info.value.what, str(info.value))
    assert isinstance(info.value, ValueError)
    return info.value


def test_bad_arguments_name_themselves(client: kosli.Client, fake_kosli: FakeKosli) -> None:
    fp = kosli.Fingerprint(FP)
    bad(lambda: client.create_flow("f", template_file="a.yml", template_yaml="version: 1"),
        "template_yaml", "not both")  # fmt: skip
    bad(lambda: client.attest_artifact("f", "t", "app"), "artifact", "exactly one")
    bad(lambda: client.attest_artifact("f", "t", "app", fingerprint=fp), "display_name")
    bad(lambda: client.attest_artifact("f", "t", "app", path="app.bin"), "artifact_type")
    err = bad(lambda: client.begin_trail(
        "f", "t", git_commit_info={"sha1": "abc"},  # type: ignore[arg-type]
    ), "git_commit_info", "missing field")  # fmt: skip
    assert "message" in str(err)
    bad(lambda: client.attest_pull_request(
        "f", "t", "pr", git_provider="github", pull_requests={"url": "x"},  # type: ignore[arg-type]
    ), "pull_requests")  # fmt: skip
    bad(lambda: client.attest_custom("f", "t", "c", type_name="x", data=object()), "data", "JSON")
    bad(lambda: client.attest_generic("f", "t", "g", compliant=True, user_data={1j}),
        "user_data")  # fmt: skip
    bad(lambda: client.attest_generic("f", "t", "g", compliant=True,
                                      external_fingerprints={"jira": FP}),
        "external_fingerprints", "don't have a URL")  # fmt: skip
    bad(lambda: client.list_environments(page=0), "page", "positive")
    bad(lambda: client.list_artifacts(per_page=0), "page-limit", "positive")
    bad(lambda: client.list_artifacts(flow="f", repo="acme/app"), "repo", "not both")
    bad(lambda: client.assert_artifact(FP, environment="prod", policies=["p"]), "policies")
    bad(lambda: client.allow_artifact("prod", reason="r", fingerprint=fp), "artifact_name")
    bad(lambda: client.allow_artifact("prod", reason="r"), "artifact")
    bad(lambda: client.create_environment("", "K8S"), "environment name", "must not be empty")
    bad(lambda: client.snapshot_server("prod", ["/no/such/place/*"]), "paths", "no matches")
    with pytest.raises(kosli.InvalidInputError):
        client.assert_artifact("not-a-fingerprint")
    # A mistyped argument is pyo3's TypeError, named in a note (Python >= 3.11 has notes).
    with pytest.raises(TypeError) as mistyped:
        client.create_environment("e", 5)  # type: ignore[arg-type]
    if sys.version_info >= (3, 11):
        assert "while processing 'env_type'" in mistyped.value.__notes__
    with pytest.raises(TypeError, match="on_delivery_failure must be a callable"):
        kosli.Config(on_delivery_failure=42)  # type: ignore[arg-type]
    # Nothing was sent.
    assert not [r for r in fake_kosli.requests() if r["path"].startswith("/api/")]


def test_missing_files_are_file_not_found_errors(client: kosli.Client) -> None:
    with pytest.raises(FileNotFoundError):
        client.create_flow("f", template_file="/no/such/template.yml")
    with pytest.raises(kosli.KosliFileNotFoundError):
        client.snapshot_path("prod", "app", "/no/such/app")
    # The CLI's words for a missing scan file.
    with pytest.raises(kosli.ParseError, match="the provided file path doesn't have a file"):
        client.attest_snyk("f", "t", "snyk", "/no/such/scan.json")


def test_an_unknown_environment_is_not_found(client: kosli.Client) -> None:
    with pytest.raises(kosli.NotFoundError):
        client.get_environment("nope")


OPERATIONS: dict[str, Callable[[kosli.Client], object]] = {
    "get_flow": lambda c: c.get_flow("f"),
    "list_environments": lambda c: c.list_environments(),
    "create_environment": lambda c: c.create_environment("e", "server"),
    "assert_artifact": lambda c: c.assert_artifact(FP),
    "list_artifacts": lambda c: c.list_artifacts(),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operations_wait_without_the_gil(fake_kosli: FakeKosli, name: str) -> None:
    """Two calls that the server delays by 1 s each overlap in time."""
    client = kosli.Client(kosli.Config(host=fake_kosli.url, api_token="t", org="acme",
                                       max_api_retries=0))  # fmt: skip
    fake_kosli.control("POST", "seed", {"org": "acme", "flows": [{"name": "f"}]})
    fake_kosli.fault(path_re="^/api/", delay_ms=1000, times=2)
    windows: list[tuple[float, float]] = []

    def call() -> None:
        start = time.perf_counter()
        try:
            OPERATIONS[name](client)
        except kosli.KosliError:
            pass  # the answer does not matter here, only when it came
        windows.append((start, time.perf_counter()))

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (s1, e1), (s2, e2) = windows
    assert min(e1, e2) - max(s1, s2) > 0.5, windows


def test_records_are_plain_values(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    fake_kosli.control("POST", "seed", {"org": "acme", "flows": [{"name": "f"}]})
    flow = client.get_flow("f")
    assert flow == client.get_flow("f")
    assert repr(flow).startswith("Flow(name='f'")
    with pytest.raises(AttributeError):
        flow.name = "g"  # type: ignore[misc]
    assert type(flow).__module__ == "kosli"
