"""Every operation of kosli.Client against fake-kosli answering as the CLI's server did: the
requests are the official CLI's for the same inputs (tests/fixtures/ops, the cases the Rust
SDK's own tests replay), and reads come back as typed records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kosli
from cases import FP, TOKEN, Case, assert_requests, load
from conftest import FakeKosli


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token=TOKEN, org="acme"))


@pytest.fixture
def run(fake_kosli: FakeKosli, tmp_path: Path) -> Iterator[Any]:
    """`run(name)` loads a case on the fake; the requests are checked when the test ends."""
    loaded: list[Case] = []

    def start(name: str) -> Case:
        case = load(name, tmp_path / "case", fake_kosli)
        loaded.append(case)
        return case

    yield start
    for case in loaded:
        assert_requests(case, fake_kosli)


def sent(outcome: kosli.Outcome) -> None:
    assert (outcome.kind, outcome.is_complete) == ("sent", True)
    assert outcome.status in (200, 201)


# --- flows and trails -------------------------------------------------------------------------


def test_create_flow_with_the_empty_template(run: Any, client: kosli.Client) -> None:
    run("create_flow_empty_template")
    sent(client.create_flow("demo-flow", description="demo flow"))


def test_create_flow_with_a_template_file(run: Any, client: kosli.Client) -> None:
    case = run("create_flow_template_file")
    template = case.path("fix/flow-template.yml")
    sent(client.create_flow("demo-flow", description="demo flow", template_file=template))


def test_create_flow_legacy(run: Any, client: kosli.Client) -> None:
    run("create_flow_legacy_visibility")
    sent(client.create_flow_legacy("legacy-flow", ["artifact", "y"], description="legacy",
                                   visibility="public"))  # fmt: skip


def test_get_flow_is_a_typed_flow(run: Any, client: kosli.Client) -> None:
    run("get_flow")
    flow = client.get_flow("demo-flow")
    assert isinstance(flow, kosli.Flow)
    assert (flow.name, flow.description, flow.org) == ("demo-flow", "demo flow", "acme")
    assert flow.template == "version: 1\ntrail:\n  artifacts:\n  - name: app\n"
    assert (flow.last_deployment_at, flow.tags, flow.archived) == (None, {"team": "core"}, False)
    assert flow.to_dict()["tags"] == {"team": "core"}
    assert json.loads(json.dumps(flow.to_dict())) == flow.to_dict()


def test_list_flows_by_page(run: Any, client: kosli.Client) -> None:
    run("list_flows_paged")
    flows = client.list_flows(per_page=5)
    assert [f.name for f in flows.flows] == ["demo-flow"]
    assert flows.pagination == kosli.Pagination(page=1, page_count=3, total=41, per_page=5)
    assert flows.to_dict()["pagination"]["total"] == 41


def test_begin_trail_with_every_field(run: Any, client: kosli.Client) -> None:
    case = run("begin_trail_full")
    want = case.payload()
    sent(client.begin_trail(
        "demo-flow", "trail-1", description="release 42",
        template_file=case.path("fix/trail-template.yml"),
        user_data=json.loads(Path(case.path("fix/trail-data.json")).read_text()),
        git_commit_info=want["git_commit_info"], origin_url="https://ci.example.com/build/42",
        external_urls={"jira": "https://jira.example.com/ABC-1"}, external_fingerprints={"jira": FP},
    ))  # fmt: skip


# --- artifacts and attestations ---------------------------------------------------------------


def test_attest_artifact_by_fingerprint(run: Any, client: kosli.Client) -> None:
    case = run("attest_artifact_fingerprint")
    want = case.payload()
    sent(client.attest_artifact(
        "demo-flow", "trail-1", "app", fingerprint=FP,
        display_name="registry.example.com/acme/app:1.0", git_commit_info=want["git_commit_info"],
        build_url=want["build_url"], commit_url=want["commit_url"], repo_url=want["repo_url"],
    ))  # fmt: skip


def test_attest_generic_with_every_common_option(run: Any, client: kosli.Client) -> None:
    case = run("attest_generic_all_fields")
    sent(client.attest_generic(
        "demo-flow", "trail-1", "app.g1", compliant=False, description="d <x>",
        annotations={"a": "1", "b_2": "x", "c": "3"}, external_urls={"j": "https://j"},
        origin_url="https://o", fingerprint=FP,
        user_data=json.loads(Path(case.path("fix/trail-data.json")).read_text()),
    ))  # fmt: skip


def test_attest_custom(run: Any, client: kosli.Client) -> None:
    case = run("attest_custom")
    sent(client.attest_custom(
        "demo-flow", "trail-1", "person-check", type_name="person",
        data=json.loads(Path(case.path("kt/person-type-data-example.json")).read_text()),
        user_data=json.loads(Path(case.path("fix/user-data.json")).read_text()),
    ))  # fmt: skip


def test_attest_snyk_uploads_the_scan(run: Any, client: kosli.Client) -> None:
    case = run("attest_snyk_sarif")
    sent(client.attest_snyk("demo-flow", "trail-1", "snyk-scan", case.path("kt/snyk_sarif.json"),
                            fingerprint=kosli.Fingerprint(FP)))  # fmt: skip


def test_attest_pull_request(run: Any, client: kosli.Client) -> None:
    case = run("attest_pr_open_signed")
    want = case.payload()
    pull_requests: list[kosli.PullRequest] = want["pull_requests"]
    sent(client.attest_pull_request(
        "demo-flow", "trail-1", "pr-review", git_provider="github", pull_requests=pull_requests,
        git_commit_info=want["git_commit_info"],
    ))  # fmt: skip


# --- environments and snapshots ---------------------------------------------------------------


def test_create_environment_with_every_field(run: Any, client: kosli.Client) -> None:
    run("env/create_env_all_fields")
    sent(client.create_environment("e1", "K8S", description="<&>", include_scaling=True,
                                   require_provenance=True, included_environments=["x"]))  # fmt: skip


def test_create_a_logical_environment(run: Any, client: kosli.Client) -> None:
    run("env/create_env_logical")
    sent(client.create_environment("prod-all", "logical",
                                   included_environments=["prod-k8s", "prod-server"]))  # fmt: skip


def test_get_environment_is_a_typed_environment(run: Any, client: kosli.Client) -> None:
    run("env/get_environment")
    env = client.get_environment("prod-k8s")
    assert isinstance(env, kosli.Environment)
    assert (env.name, env.env_type, env.state, env.policies) == ("prod-k8s", "server", True, [])
    assert (env.last_reported_at, env.included_environments) == (1718000000.0, None)


def test_list_environments_filtered(run: Any, client: kosli.Client) -> None:
    run("env/list_environments_filters")
    client.list_environments(name_contains="prod", env_types=["K8S", "docker"], tags=["team=core"],
                             sort="name", sort_direction="desc")  # fmt: skip


def test_list_environments_by_page(run: Any, client: kosli.Client) -> None:
    run("env/list_environments_paged")
    envs = client.list_environments(page=2, per_page=5)
    assert envs.page == kosli.EnvironmentPage(page=2, per_page=5, total_pages=3, total_count=12)
    assert [(e.name, e.env_type, e.policies) for e in envs.environments] == [
        ("prod", "K8S", ["prod-policy"])
    ]


def test_snapshot_path(run: Any, client: kosli.Client) -> None:
    case = run("env/snapshot_path")
    sent(client.snapshot_path("prod-server", "app2", case.path("fix/server/app2"),
                              excludes=["lib.py"]))  # fmt: skip


def test_snapshot_paths_from_a_spec(run: Any, client: kosli.Client) -> None:
    case = run("env/snapshot_paths")
    sent(client.snapshot_paths("prod-server", case.path("fix/paths.yml")))


def test_snapshot_server_globs(run: Any, client: kosli.Client) -> None:
    case = run("env/snapshot_server_glob")
    sent(client.snapshot_server("prod", [case.path("fix/server/*")], excludes=["lib.py"]))


def test_snapshot_creates_the_environment_when_asked(run: Any, client: kosli.Client) -> None:
    case = run("env/snapshot_auto_env_created")
    sent(client.snapshot_path("prod", "x", case.path("fix/app.bin"), auto_environment=True))


# --- the compliance gate ----------------------------------------------------------------------


def test_allow_artifact(run: Any, client: kosli.Client) -> None:
    case = run("env/allow_artifact")
    fp = kosli.fingerprint_file(case.path("fix/app.bin"))
    app = kosli.ArtifactRef("app.bin", fp, kosli.ArtifactType.FILE)
    sent(client.allow_artifact("prod", reason="emergency hotfix", artifact=app))


def test_assert_artifact_against_policies(run: Any, client: kosli.Client) -> None:
    run("env/assert_policies")
    verdict = client.assert_artifact(FP, policies=["p1", "p2", "p3"])
    assert isinstance(verdict, kosli.Verdict)


def test_assert_artifact_compliant(run: Any, client: kosli.Client) -> None:
    run("env/assert_artifact_compliant")
    verdict = client.assert_artifact(kosli.Fingerprint(FP), flow="demo-flow")
    assert (verdict.compliant, verdict.scope, verdict.reasons) == (True, "flow", [])


def test_a_non_compliant_verdict_has_typed_details_and_reasons(
    run: Any, client: kosli.Client
) -> None:
    run("env/assert_rich")
    app = kosli.ArtifactRef("app", kosli.Fingerprint(FP), "file")
    verdict = client.assert_artifact(app, environment="prod")
    assert (verdict.compliant, verdict.scope, verdict.environment) == (False, "environment", "prod")
    policy = verdict.policy_evaluations[0]
    assert (policy.policy_name, policy.status) == ("prod-policy", "NON-COMPLIANT")
    rule = policy.rule_evaluations[0]
    assert rule.definition == kosli.RuleDefinition(name="has-provenance", rule_type="provenance")
    assert rule.resolutions == [{"type": "attest", "context": {"for_control": "SDLC-1"}}]
    flow = verdict.flows[0]
    assert (flow.flow, flow.trail, flow.compliance_status.status) == ("demo-flow", "trail-1", "NON-COMPLIANT")
    assert [a.attestation_name for a in flow.compliance_status.attestations_statuses] == [
        "unit-tests", "extra", "snyk-scan",
    ]  # fmt: skip
    # The core's reasons, one per cause (an ignored rule is none).
    assert verdict.reasons == [
        "policy prod-policy: rule has-provenance (provenance) is not satisfied",
        "flow demo-flow, trail trail-1: attestation unit-tests (junit) is COMPLETE and not compliant",
        "flow demo-flow, trail trail-1: attestation extra (generic) is not expected by the template",
        "flow demo-flow, trail trail-1: attestation snyk-scan (snyk) is MISSING and not compliant",
    ]
    assert verdict.to_dict()["flows"][0]["compliance_status"]["is_compliant"] is False


# --- artifact reads ---------------------------------------------------------------------------


def test_get_artifact_by_fingerprint(run: Any, client: kosli.Client) -> None:
    run("env/get_artifact_by_fingerprint")
    artifact = client.get_artifact("demo-flow", kosli.Fingerprint(FP))
    assert isinstance(artifact, kosli.Artifact)
    assert (artifact.filename, artifact.trail_name, artifact.state) == ("app.bin", "trail-1", "COMPLIANT")
    assert artifact.running == [kosli.ArtifactLocation(environment_name="prod", snapshot_index=3)]
    assert artifact.history == [kosli.ArtifactEvent(event="app.bin reported", timestamp=1718000000.0)]


def test_get_artifacts_by_commit(run: Any, client: kosli.Client) -> None:
    run("env/get_artifact_commit_multi")
    artifacts = client.get_artifacts_by_commit("demo-flow", "0fc1ba9")
    assert len(artifacts) >= 2
    assert all(a.git_commit is not None and a.git_commit.startswith("0fc1ba9") for a in artifacts[:1])


def test_list_artifacts_of_a_repository_by_page(run: Any, client: kosli.Client) -> None:
    run("env/list_artifacts_repo_paged")
    page = client.list_artifacts(repo="acme/app", page=2, per_page=5)
    assert [a.filename for a in page.artifacts] == ["app.bin", "other-much-longer-name.bin"]
    assert page.next_page is None  # 2 of 5: the last page
    first = page.artifacts[0]
    assert [r.environment_name for r in first.running] == ["prod", "stage"]
    assert first.created_at == 1718000000.25


def test_list_artifacts_of_a_flow(run: Any, client: kosli.Client) -> None:
    run("env/list_artifacts")
    page = client.list_artifacts(flow="demo-flow")
    assert page.artifacts and page.artifacts[0].flow_name == "demo-flow"
