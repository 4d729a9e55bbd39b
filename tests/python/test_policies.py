"""Policies: the environment-policy operations against fake-kosli (the official CLI's requests,
tests/fixtures/policy/captures, replayed by tests/tests/policy_captures.rs for the Rust SDK),
`evaluate trail(s)` reading trails as the CLI does, Rego decisions equal to the CLI's for every
`evaluate input` vector (tests/fixtures/policy, as tests/tests/policy_vectors.rs), and local
gates over an evidence set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import kosli
from cases import TOKEN, header
from conftest import FIXTURES, FakeKosli

POLICY = FIXTURES / "policy"
CAPTURES = POLICY / "captures"


@pytest.fixture
def client(fake_kosli: FakeKosli) -> kosli.Client:
    return kosli.Client(kosli.Config(host=fake_kosli.url, api_token=TOKEN, org="acme"))


def capture(name: str) -> list[dict[str, Any]]:
    lines = (CAPTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def replay(fake: FakeKosli, name: str) -> list[dict[str, Any]]:
    """Queues capture `name`'s answers on the fake; returns its requests."""
    wanted = capture(name)
    fake.control("POST", "faults", [
        {"method": r["method"], "path": r["path"], "status": r["response"]["status"],
         "raw_body": json.dumps(r["response"]["body"]) if not isinstance(r["response"]["body"], str)
         else r["response"]["body"]}
        for r in wanted
    ])  # fmt: skip
    return wanted


def seen(fake: FakeKosli) -> list[dict[str, Any]]:
    return [r for r in fake.requests() if r["path"].startswith("/api/v2/")]


def test_create_policy_sends_the_clis_multipart(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    (want,) = replay(fake_kosli, "create_policy")
    outcome = client.create_policy("prod-policy", policy_file=CAPTURES / "test-policy.yml",
                                   description="prod policy", comment="first version")  # fmt: skip
    assert (outcome.kind, outcome.status) == ("sent", 201)
    (got,) = seen(fake_kosli)
    assert (got["method"], got["path"]) == (want["method"], want["path"])
    assert header(got, "Authorization") == "Bearer secret-token-123"
    parts = {p["name"]: p for p in got["multipart"]}
    want_parts = {p["name"]: p for p in want["multipart"]}
    assert parts["payload"]["text"] == want_parts["payload"]["text"]
    assert (parts["policy_file"]["filename"], parts["policy_file"]["text"]) == (
        want_parts["policy_file"]["filename"], want_parts["policy_file"]["text"])


def test_create_policy_from_text_and_bad_arguments(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    with pytest.raises(kosli.InvalidInputError) as e:
        client.create_policy("p")
    assert e.value.what == "policy_file"
    with pytest.raises(kosli.KosliFileNotFoundError):
        client.create_policy("p", policy_file="/nonexistent/nope.yml")
    assert seen(fake_kosli) == []
    text = (CAPTURES / "test-policy.yml").read_text()
    client.create_policy("p", policy_yaml=text, filename="p.yml", policy_type="env")
    (got,) = seen(fake_kosli)
    part = {p["name"]: p for p in got["multipart"]}
    assert part["payload"]["text"] == '{"name":"p","description":"","comment":"","type":"env"}'
    assert (part["policy_file"]["filename"], part["policy_file"]["text"]) == ("p.yml", text)


def test_attach_policy_to_two_environments(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    wanted = replay(fake_kosli, "attach_policy_csv")
    outcomes = client.attach_policy("prod-policy", ["prod-k8s", "prod-docker"])
    assert [o.status for o in outcomes] == [201, 201]
    got = seen(fake_kosli)
    assert [(g["method"], g["path"], g["body"]["text"]) for g in got] == [
        (w["method"], w["path"], w["body"]["text"]) for w in wanted]


def test_attach_policy_names_the_environment_that_failed(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    replay(fake_kosli, "attach_policy_first_fails")
    with pytest.raises(kosli.NotFoundError) as e:
        client.attach_policy("prod-policy", ["prod-k8s", "prod-docker"])
    assert "environment prod-k8s" in str(e.value)
    assert len(seen(fake_kosli)) == 1


def test_detach_get_and_list_policies_on_the_fake(client: kosli.Client, fake_kosli: FakeKosli) -> None:
    client.create_environment("prod-k8s", "K8S")
    client.create_policy("prod-policy", policy_file=CAPTURES / "test-policy.yml", description="d")
    client.attach_policy("prod-policy", ["prod-k8s"])
    policy = client.get_policy("prod-policy")
    assert isinstance(policy, kosli.Policy)
    assert policy.name == "prod-policy" and policy.versions
    assert policy.versions[-1].policy_yaml == (CAPTURES / "test-policy.yml").read_text()
    assert [p.name for p in client.list_policies()] == ["prod-policy"]
    outcomes = client.detach_policy("prod-policy", ["prod-k8s"])
    assert outcomes[0].kind == "sent"
    got = seen(fake_kosli)[-1]
    assert (got["method"], got["path"]) == ("DELETE", "/api/v2/environments/acme/prod-k8s/policies")
    with pytest.raises(kosli.NotFoundError):
        client.get_policy("nope")
    with pytest.raises(kosli.InvalidInputError):
        client.detach_policy("prod-policy", [])


def test_evaluate_trail_reads_the_trail_and_its_attestations(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    wanted = replay(fake_kosli, "evaluate_trail")
    decision = client.evaluate_trail("demo-flow", "eval-trail-1", policy_file=CAPTURES / "allow-all.rego")
    assert isinstance(decision, kosli.PolicyDecision)
    assert (decision.allow, decision.violations) == (True, None)
    assert decision.output == (CAPTURES / "evaluate_trail.stdout").read_text()
    got = seen(fake_kosli)
    assert [g["raw_target"] for g in got] == [w["raw_target"] for w in wanted]


def test_trail_policy_input_and_get_attestation(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    wanted = replay(fake_kosli, "evaluate_trail")
    data = client.trail_policy_input("demo-flow", ["eval-trail-1"])
    statuses = data["trail"]["compliance_status"]["attestations_statuses"]
    assert isinstance(statuses, dict) and statuses
    replay(fake_kosli, "evaluate_trail")
    details = client.get_attestation("att-pr-1")
    assert details == wanted[1]["response"]["body"]
    with pytest.raises(kosli.InvalidInputError):
        client.get_attestation("")


def test_evaluate_trails_denied_with_assert(fake_kosli: FakeKosli, client: kosli.Client) -> None:
    policy = ("package policy\n\nimport rego.v1\n\ndefault allow := false\n\n"
              "violations contains sprintf(\"%s is not compliant\", [t.name]) if {\n"
              "  some t in input.trails\n  not t.compliance_status.is_compliant\n}\n\n"
              "allow if count(violations) == 0\n")  # fmt: skip
    replay(fake_kosli, "evaluate_trail")
    decision = client.evaluate_trails("demo-flow", ["eval-trail-1"], policy=policy, output="json")
    assert decision.allow is False
    assert decision.violations == ["eval-trail-1 is not compliant"]
    assert json.loads(decision.output)["violations"] == ["eval-trail-1 is not compliant"]
    replay(fake_kosli, "evaluate_trail")
    with pytest.raises(kosli.PolicyDeniedError) as e:
        client.evaluate_trails("demo-flow", ["eval-trail-1"], policy=policy, assert_allowed=True)
    assert e.value.reasons == ["eval-trail-1 is not compliant"]
    assert str(e.value) == "policy denied: [eval-trail-1 is not compliant]"
    with pytest.raises(kosli.InvalidInputError) as bad:
        client.evaluate_trails("demo-flow", [], policy=policy)
    assert bad.value.what == "trails"


def vectors() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in ("vectors.json", "own-vectors.json"):
        for v in json.loads((POLICY / name).read_text(encoding="utf-8"))["vectors"]:
            if v["stdin_file"] is not None or "--assert" in v["extra"]:
                continue
            if not (POLICY / "policies" / v["policy"]).is_file():
                continue  # the CLI's own words for a missing file (the example's concern)
            try:
                value = json.loads((POLICY / "inputs" / v["input"]).read_text(encoding="utf-8"))
            except (ValueError, OSError):
                continue  # not JSON (or no file): a Python value cannot be that input
            params = v["params"]
            if not isinstance(value, dict) or (params is not None and params.startswith("@")):
                continue
            if params is not None:
                try:
                    if not isinstance(json.loads(params), dict):
                        continue
                except ValueError:
                    continue
            out.append(v)
    return out


VECTORS = vectors()


def test_enough_vectors_run() -> None:
    assert len(VECTORS) >= 150


@pytest.mark.parametrize("v", VECTORS, ids=[v["case"] for v in VECTORS])
def test_evaluate_input_gives_the_clis_verdict_and_output(v: dict[str, Any]) -> None:
    policy = POLICY / "policies" / v["policy"]
    value = json.loads((POLICY / "inputs" / v["input"]).read_text(encoding="utf-8"))
    params = json.loads(v["params"]) if v["params"] is not None else None
    expected = v["expected"]
    no_assert = "--no-assert" in v["extra"]
    show = "--show-input" in v["extra"]
    message = expected["stderr"].split("] ", 1)[1].rstrip("\n") if expected["stderr"] else ""

    def run(assert_allowed: bool) -> kosli.PolicyDecision:
        return kosli.evaluate_input(value, policy_file=policy, params=params, output=v["output"],
                                    show_input=show, assert_allowed=assert_allowed)  # fmt: skip

    if expected["exit_code"] == 0:
        decision = run(not no_assert)
        assert decision.output == expected["stdout"]
    elif message.startswith("policy denied"):
        with pytest.raises(kosli.PolicyDeniedError) as denied:
            run(True)
        assert str(denied.value) == message
        decision = run(False)
        assert decision.allow is False
        assert decision.output == expected["stdout"]
    else:
        with pytest.raises(kosli.KosliError) as e:
            run(not no_assert)
        if "errors occurred" not in message and "recursion" not in message:
            assert str(e.value) == message


def test_evaluate_input_bad_arguments_name_themselves() -> None:
    ok = "package policy\n\nimport rego.v1\n\nallow := true\n"
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.evaluate_input({})
    assert e.value.what == "policy"
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.evaluate_input({}, policy=ok, output="yaml")
    assert e.value.what == "output"
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.evaluate_input([1, 2], policy=ok)
    assert e.value.what == "input"
    with pytest.raises(kosli.InvalidInputError) as e:
        kosli.evaluate_input({}, policy=ok, params=[1])
    assert e.value.what == "params"
    offline = kosli.Client(kosli.Config(host="http://127.0.0.1:9", api_token=TOKEN, org="acme"))
    with pytest.raises(kosli.InvalidInputError) as e:
        offline.evaluate_input({}, policy_url="ftp://example.com/p.rego")
    assert e.value.what == "policy"
    assert kosli.evaluate_input({"a": 1}, policy=ok).output == "RESULT:  ALLOWED\n"
    assert "http.send" in kosli._kosli._unsupported_rego_builtins()


GATE = """policies:
- name: production-requirements
  rules:
  - type: test-evidence
    required: true
    max-failures: 0
  - type: security-scan
    required: true
    max-critical-vulnerabilities: 0
  - type: code-review
    required: true
    min-approvals: 1
"""


def junit_dir(tmp_path: Path, failures: int) -> Path:
    cases = "".join(
        f'<testcase name="t{i}">' + ("<failure message='x'/>" if i < failures else "") + "</testcase>"
        for i in range(3)
    )
    (tmp_path / "r.xml").write_text(
        f'<testsuite name="s" tests="3" failures="{failures}" errors="0">{cases}</testsuite>'
    )
    return tmp_path


def trivy(tmp_path: Path, critical: int) -> Path:
    vulns = [{"VulnerabilityID": f"CVE-{i}", "Severity": "CRITICAL", "PkgName": "p"} for i in range(critical)]
    path = tmp_path / "trivy.json"
    path.write_text(json.dumps({"SchemaVersion": 2, "Results": [{"Target": "t", "Vulnerabilities": vulns}]}))
    return path


def test_a_gate_on_parsed_evidence(tmp_path: Path) -> None:
    gate = kosli.Gate.from_yaml(GATE)
    assert gate.policies == ["production-requirements"]
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = kosli.EvidenceSet(
        junit=[kosli.parse_junit(junit_dir(tmp_path / "good", 0))],
        scans=[kosli.parse_scan(trivy(tmp_path / "good", 0))],
        code_reviews=[{"url": "https://pr/1", "approvals": 1, "approvers": ["bob"]}],
    )  # fmt: skip
    verdict = gate.evaluate(good)
    assert isinstance(verdict, kosli.GateVerdict)
    assert (verdict.allowed, verdict.reasons) == (True, [])
    assert [r.rule for r in verdict.results] == ["test-evidence", "security-scan", "code-review"]
    assert gate.check(good) == verdict
    pr: kosli.PullRequest = {
        "merge_commit": "m", "url": "https://pr/2", "state": "OPEN", "author": "a", "created_at": 1,
        "title": "t", "head_ref": "h", "base_ref": "b", "commits": [],
        "approvers": [{"username": "carol", "state": "COMMENTED", "timestamp": 1}],
    }  # fmt: skip
    bad = kosli.EvidenceSet(
        junit=[kosli.parse_junit(junit_dir(tmp_path / "bad", 2))],
        scans=[kosli.parse_scan(trivy(tmp_path / "bad", 3))],
        pull_requests=[pr],
    )  # fmt: skip
    verdict = gate.evaluate(bad)
    assert verdict.allowed is False
    assert verdict.reasons == [
        "production-requirements: test-evidence: 2 failed tests, more than the 0 allowed (max-failures)",
        *[r for r in verdict.reasons[1:]],
    ]
    assert len(verdict.reasons) == 3
    assert "critical" in verdict.reasons[1] and "approv" in verdict.reasons[2]
    with pytest.raises(kosli.PolicyDeniedError) as e:
        gate.check(bad)
    assert e.value.reasons == verdict.reasons
    assert kosli.Gate.from_yaml(GATE).evaluate(kosli.EvidenceSet()).allowed is False
    assert len(bad) == 3 and bad.to_dict()["code_reviews"][0]["approvals"] == 0


def test_a_gate_on_kosli_attestations_and_found_pull_requests() -> None:
    gate = kosli.Gate.from_yaml("policies:\n- name: p\n  rules:\n  - type: attestation\n    name: jira-ticket\n"
                                "  - type: test-evidence\n")  # fmt: skip
    evidence = kosli.EvidenceSet(attestations=[
        {"attestation_name": "jira-ticket", "attestation_type": "jira", "is_compliant": True},
        {"attestation_name": "unit", "attestation_type": "junit", "is_compliant": True,
         "junit_results": [{"total": 3, "failures": 0, "errors": 0, "skipped": 0}]},
    ])  # fmt: skip
    assert gate.evaluate(evidence).allowed is True
    found = kosli.PullRequestEvidence(provider="github", commit="c", pull_requests=[], approvals=[
        kosli.ReviewApprovals(url="https://pr/1", count=2, approvers=["a", "b"])])  # fmt: skip
    assert kosli.EvidenceSet(pull_requests=[found]).to_dict()["code_reviews"] == [
        {"url": "https://pr/1", "approvals": 2, "approvers": ["a", "b"]}]


def test_bad_gate_files_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(kosli.ParseError) as e:
        kosli.Gate.from_yaml("policies:\n- name: p\n  rules:\n  - type: nope\n")
    assert e.value.line == 4
    path = tmp_path / "gate.yml"
    path.write_text("policies:\n- name: p\n  rules:\n  - type: test-evidence\n    max-failure: 0\n")
    with pytest.raises(kosli.ParseError) as e:
        kosli.Gate.from_file(path)
    assert e.value.line == 5 and str(path) in str(e.value)
    with pytest.raises(kosli.KosliFileNotFoundError):
        kosli.Gate.from_file(tmp_path / "missing.yml")
    with pytest.raises(kosli.InvalidInputError) as bad:
        kosli.EvidenceSet(code_reviews=[{"url": "x"}])
    assert bad.value.what == "code_reviews"
