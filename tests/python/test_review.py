"""External evidence: pull requests found at GitHub, GitLab, Bitbucket and Azure DevOps, and
Sonar and Jira attestations. The providers are the tests crate's fake provider (run by
fake-services) answering what the official CLI was observed against (tests/fixtures/review, as
tests/tests/review_payloads.rs replays them for the Rust SDK); Kosli is fake-kosli. The
provider requests and the `data_json` sent to Kosli must be the CLI's, byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest

import kosli
from cases import TOKEN
from conftest import FIXTURES, FakeKosli

REVIEW = FIXTURES / "review"
OBSERVED_BASE = "http://127.0.0.1:28517"
CAPTURED_BASE = "http://127.0.0.1:18865"
COMMIT = "672bc19d53c7da939116dfc5e254cfdc62b36bcc"


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token=TOKEN, org="acme"))


def flags(command: str, base: str, observed: str) -> dict[str, str]:
    words = command.split(" ")
    out: dict[str, str] = {}
    for i, w in enumerate(words):
        if w.startswith("--") and i + 1 < len(words) and not words[i + 1].startswith("--"):
            out[w[2:]] = words[i + 1].replace("\\,", ",").replace("\\?", "?").replace(observed, base)
        elif w.startswith("--"):
            out[w[2:]] = ""
    return out


def source(provider: str, f: dict[str, str], base: str) -> kosli.PrSource:
    repo = f.get("repository", "")
    if provider == "github":
        return kosli.PrSource.github(f["github-org"], repo, token=f["github-token"],
                                     base_url=f.get("github-base-url"))  # fmt: skip
    if provider == "gitlab":
        return kosli.PrSource.gitlab(f["gitlab-org"], repo, token=f["gitlab-token"],
                                     base_url=f.get("gitlab-base-url"))  # fmt: skip
    if provider == "bitbucket":
        return kosli.PrSource.bitbucket(f["bitbucket-workspace"], repo, token=f.get("bitbucket-access-token"),
                                        username=f.get("bitbucket-username"),
                                        password=f.get("bitbucket-password"), base_url=f"{base}/2.0")  # fmt: skip
    return kosli.PrSource.azure(f["azure-org-url"], f["project"], repo, token=f["azure-token"])


def is_azure_discovery(r: dict[str, Any]) -> bool:
    return bool(r["method"] == "OPTIONS" or r["path"].endswith("/_apis/ResourceAreas"))


def provider_calls(requests: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(r["method"], r["path"], r["query"]) for r in requests if not is_azure_discovery(r)]


def kosli_data_json(fake: FakeKosli) -> str:
    (sent,) = [r for r in fake.requests() if r["path"].startswith("/api/v2/")]
    (part,) = [p for p in sent["multipart"] if p["name"] == "data_json"]
    text: str = part["text"]
    return text


SCENARIOS = sorted(p.name.removesuffix(".cli.json") for p in REVIEW.glob("*.cli.json") if p.name != ".cli.json")


@pytest.mark.parametrize("name", SCENARIOS)
def test_pull_requests_as_the_cli_found_and_attested_them(name: str, client: kosli.Client, fake_kosli: FakeKosli,
                                                          fake_service: Any) -> None:  # fmt: skip
    cli = json.loads((REVIEW / f"{name}.cli.json").read_text(encoding="utf-8"))
    fake = fake_service("scenario", name)
    command: str = cli["command"]
    provider = command.split(" ")[3]
    f = flags(command, fake.url, OBSERVED_BASE)
    src = source(provider, f, fake.url)
    assert src.provider == provider and "token" not in repr(src).lower().replace("provider", "")
    if command.startswith("kosli assert "):
        if cli["exit_code"] == 0:
            found = client.assert_pull_requests(src, COMMIT)
            assert found.pull_requests
        else:
            with pytest.raises(kosli.PolicyDeniedError) as e:
                client.assert_pull_requests(src, COMMIT)
            assert f"] {e.value}\n" in cli["stderr"]
            assert e.value.reasons == [str(e.value)]
    else:
        data_json = cli["data_json"].replace(OBSERVED_BASE, fake.url)
        recorded = json.loads(data_json)
        fake_kosli.fault(method="POST", path=f"/api/v2/attestations/acme/{f['flow']}/trail/{f['trail']}/pull_request",
                         status=201, raw_body='"OK"')  # fmt: skip

        def call() -> kosli.Outcome:
            return client.attest_pull_requests_from(
                f["flow"], f["trail"], f["name"], source=src, commit=COMMIT,
                git_commit_info=recorded["git_commit_info"], assert_found="assert" in f,
            )  # fmt: skip

        if cli["exit_code"] == 0:
            assert call().kind == "sent"
        else:
            with pytest.raises(kosli.PolicyDeniedError) as denied:
                call()
            assert f"] {denied.value}\n" in cli["stderr"]
        assert kosli_data_json(fake_kosli) == data_json
    want = [(r["method"], r["path"], r["query"]) for r in cli["provider_requests"] if not is_azure_discovery(r)]
    assert provider_calls(fake.requests()) == want


def test_found_pull_requests_are_typed_and_feed_a_gate(client: kosli.Client, fake_service: Any) -> None:
    cli = json.loads((REVIEW / "github_one.cli.json").read_text(encoding="utf-8"))
    fake = fake_service("scenario", "github_one")
    f = flags(cli["command"], fake.url, OBSERVED_BASE)
    evidence = client.find_pull_requests(source("github", f, fake.url), COMMIT)
    assert isinstance(evidence, kosli.PullRequestEvidence)
    assert (evidence.provider, evidence.commit) == ("github", COMMIT)
    recorded = json.loads(cli["data_json"].replace(OBSERVED_BASE, fake.url))["pull_requests"]
    assert [p.url for p in evidence.pull_requests] == [p["url"] for p in recorded]
    pr = evidence.pull_requests[0]
    assert isinstance(pr, kosli.ReviewPullRequest) and isinstance(pr.commits[0], kosli.ReviewCommit)
    approvals = evidence.approvals[0]
    gate = kosli.Gate.from_yaml("policies:\n- name: review\n  rules:\n  - type: code-review\n    min-approvals: 1\n")
    verdict = gate.evaluate(kosli.EvidenceSet(pull_requests=[evidence]))
    assert verdict.allowed is (approvals.count >= 1)
    with pytest.raises(kosli.InvalidInputError):
        client.find_pull_requests(source("github", f, fake.url), "")


def capture(name: str) -> list[dict[str, Any]]:
    lines = (REVIEW / "captures" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def captured(name: str, base: str) -> tuple[dict[str, str], str | None, list[tuple[str, str, str]]]:
    """The capture's flags, its data_json (None: the CLI sent nothing) and its provider calls,
    at `base`."""
    command = (REVIEW / "captures" / f"{name}.cmd.txt").read_text(encoding="utf-8").strip()
    requests = capture(name)
    calls = [(r["method"], r["path"], r["query_string"]) for r in requests if not r["path"].startswith("/api/v2/")]
    for r in requests:
        if r["path"].startswith("/api/v2/"):
            (part,) = [p for p in r["multipart"] if p["name"] == "data_json"]
            return flags(command, base, CAPTURED_BASE), part["text"].replace(CAPTURED_BASE, base), calls
    return flags(command, base, CAPTURED_BASE), None, calls


@pytest.mark.parametrize("name", ["attest_sonar_project_key", "attest_sonar_ce_task_url"])
def test_attest_sonar_sends_the_clis_payload(name: str, client: kosli.Client, fake_kosli: FakeKosli,
                                             fake_service: Any) -> None:  # fmt: skip
    fake = fake_service("capture", name)
    f, data_json, calls = captured(name, fake.url)
    fake_kosli.fault(method="POST", path="/api/v2/attestations/acme/demo-flow/trail/trail-1/sonar", status=201,
                     raw_body='"OK"')  # fmt: skip

    def call() -> kosli.Outcome:
        return client.attest_sonar(
            f["flow"], f["trail"], f["name"], sonar_api_token=f["sonar-api-token"],
            server_url=f.get("sonar-server-url"), ce_task_url=f.get("sonar-ce-task-url"),
            project_key=f.get("sonar-project-key"), revision=f.get("sonar-revision"),
            git_commit_info=json.loads(data_json).get("git_commit_info") if data_json else None,
        )  # fmt: skip

    if data_json is None:
        # The CLI found no analysis of that revision and sent nothing: so does the SDK.
        stderr = (REVIEW / "captures" / f"{name}.stderr").read_text(encoding="utf-8")
        with pytest.raises(kosli.KosliError) as e:
            call()
        assert str(e.value).split("\n")[0] in stderr
        assert [r for r in fake_kosli.requests() if r["path"].startswith("/api/v2/")] == []
    else:
        call()
        assert kosli_data_json(fake_kosli) == data_json
    assert [(r["method"], r["path"], r["query"]) for r in fake.requests()] == calls


def test_attest_jira_sends_the_clis_payload(client: kosli.Client, fake_kosli: FakeKosli, fake_service: Any) -> None:
    fake = fake_service("capture", "attest_jira_fields")
    f, data_json, calls = captured("attest_jira_fields", fake.url)
    assert data_json is not None
    fake_kosli.fault(method="POST", path="/api/v2/attestations/acme/demo-flow/trail/trail-1/jira", status=201,
                     raw_body='"OK"')  # fmt: skip
    client.attest_jira(
        f["flow"], f["trail"], f["name"], jira_base_url=f["jira-base-url"], jira_pat=f["jira-pat"],
        issue_fields=f["jira-issue-fields"].split(","), secondary_source=f["jira-secondary-source"],
        git_commit_info=json.loads(data_json)["git_commit_info"], user_data={},
    )  # fmt: skip
    assert kosli_data_json(fake_kosli) == data_json
    assert [(r["method"], r["path"], r["query"]) for r in fake.requests()] == calls
    assert all("jira-pat-1" not in json.dumps(r) for r in fake_kosli.requests())
