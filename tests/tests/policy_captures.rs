//! The shared captures of the policy commands (tests/fixtures/policy/captures: create policy,
//! attach-policy, evaluate trail) replayed through fake-kosli: the SDK sends the CLI's
//! requests and reads its answers; the `kosli` example, as a separate process, also prints
//! the CLI's stdout and stderr and exits with its code (the attach quirk included). Then the
//! fake's own policy endpoints, stateful, through the SDK.

use std::path::PathBuf;
use std::process::Command;

use kosli_core::policy::ops::CreatePolicy;
use kosli_core::policy::rego;
use kosli_core::policy::trail_input::AttestationFilter;
use kosli_core::{Client, Config, ErrorKind};
use kosli_tests::fake::{FakeKosli, Fault};
use serde_json::{json, Value};

const CAPTURE_HOST: &str = "http://127.0.0.1:18865";

fn fix() -> PathBuf {
    kosli_tests::fixtures_dir().join("policy").join("captures")
}

/// One captured run.
struct Capture {
    args: Vec<String>,
    requests: Vec<Value>,
    stdout: String,
    stderr: String,
    exit_code: i32,
}

/// Splits a shell command line (spaces, `\ ` and `\,` escapes) into words.
fn words(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.last_mut().unwrap().extend(chars.next()),
            ' ' if !out.last().unwrap().is_empty() => out.push(String::new()),
            ' ' => {}
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// `text` with the capture's folder and host replaced by the fixtures and the fake.
fn fill(text: &str, host: &str) -> String {
    let dir = fix().display().to_string();
    text.replace("$FIXDIR/fix/policies/", &format!("{dir}/"))
        .replace("$FIXDIR/fix/", &format!("{dir}/"))
        .replace(CAPTURE_HOST, host)
}

fn load(name: &str, host: &str) -> Capture {
    let read = |ext: &str| std::fs::read_to_string(fix().join(format!("{name}.{ext}"))).unwrap();
    let cmd = read("cmd.txt");
    let after = cmd.split_once(" kosli ").unwrap().1;
    let meta: Value = serde_json::from_str(&read("meta.json")).unwrap();
    Capture {
        args: words(after.trim()).iter().map(|w| fill(w, host)).collect(),
        requests: read("jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        stdout: fill(&read("stdout"), host),
        stderr: fill(&read("stderr"), host),
        exit_code: meta["exit_code"].as_i64().unwrap() as i32,
    }
}

/// The answers the capture server gave, queued on the fake in order.
fn replay(fake: &FakeKosli, c: &Capture) {
    let faults = c
        .requests
        .iter()
        .map(|r| {
            let body = &r["response"]["body"];
            let text = match body.get("__raw__") {
                Some(raw) => raw.as_str().unwrap().to_string(),
                None => body.to_string(),
            };
            let mut f = Fault::status(r["response"]["status"].as_u64().unwrap() as u16)
                .method(r["method"].as_str().unwrap());
            f.path = Some(r["path"].as_str().unwrap().to_string());
            f.raw_body = Some(text);
            f
        })
        .collect();
    fake.push_faults(faults).unwrap();
}

fn header<'a>(r: &'a Value, name: &str) -> Option<&'a str> {
    r["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// The fake received the CLI's requests: method, target, token (none for the policy URL),
/// JSON body, multipart parts.
fn assert_requests(fake: &FakeKosli, c: &Capture) {
    let got = fake.requests();
    let show = |rs: &[Value], k: &str| {
        rs.iter()
            .map(|r| format!("{} {}", r["method"], r[k]))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        got.len(),
        c.requests.len(),
        "got {:?}, the CLI sent {:?}",
        show(&got, "raw_target"),
        show(&c.requests, "raw_target")
    );
    for (g, w) in got.iter().zip(&c.requests) {
        assert_eq!(g["method"], w["method"]);
        assert_eq!(g["raw_target"], w["raw_target"]);
        assert_eq!(
            header(g, "Authorization"),
            header(w, "Authorization"),
            "{}",
            w["raw_target"]
        );
        if let Some(parts) = w["multipart"].as_array() {
            let gp = g["multipart"].as_array().unwrap();
            assert_eq!(gp.len(), parts.len());
            for (a, b) in gp.iter().zip(parts) {
                assert_eq!(
                    (&a["name"], &a["filename"], &a["content_type"], &a["text"]),
                    (&b["name"], &b["filename"], &b["content_type"], &b["text"])
                );
            }
        } else if let Some(text) = w["body"]["text"].as_str() {
            assert_eq!(
                g["body"]["text"].as_str(),
                Some(text),
                "{}",
                w["raw_target"]
            );
        }
    }
}

fn client(fake: &FakeKosli) -> Client {
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn start(name: &str) -> (FakeKosli, Capture) {
    let fake = FakeKosli::start().unwrap();
    let c = load(name, &fake.url());
    replay(&fake, &c);
    (fake, c)
}

#[tokio::test]
async fn sdk_create_policy() {
    let (fake, c) = start("create_policy");
    let p = CreatePolicy::from_file("prod-policy", fix().join("test-policy.yml"))
        .description("prod policy")
        .comment("first version");
    let outcome = client(&fake).create_policy(&p).await.unwrap();
    assert!(outcome.response().unwrap().created());
    assert_requests(&fake, &c);
}

#[tokio::test]
async fn sdk_create_policy_missing_file_sends_nothing() {
    let (fake, c) = start("create_policy_missing_file");
    let e = client(&fake)
        .create_policy(&CreatePolicy::from_file(
            "prod-policy",
            fix().join("nope.yml"),
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(c.requests.is_empty() && fake.requests().is_empty());
}

#[tokio::test]
async fn sdk_attach_policy_csv_and_first_fails() {
    let (fake, c) = start("attach_policy_csv");
    let outcomes = client(&fake)
        .attach_policy("prod-policy", &["prod-k8s", "prod-docker"])
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 2);
    assert_requests(&fake, &c);
    // The CLI loses this error; the SDK returns it, naming the environment, and stops.
    let (fake, c) = start("attach_policy_first_fails");
    let e = client(&fake)
        .attach_policy("prod-policy", &["prod-k8s", "prod-docker"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "environment prod-k8s: Environment prod-k8s does not exist"
    );
    assert_requests(&fake, &c);
}

#[tokio::test]
async fn sdk_evaluate_trail() {
    let (fake, c) = start("evaluate_trail");
    let input = client(&fake)
        .trail_policy_input("demo-flow", "eval-trail-1", &AttestationFilter::all())
        .await
        .unwrap();
    assert_requests(&fake, &c);
    let trail = &input["trail"]["compliance_status"];
    // Maps keyed by attestation name; the details merged in (the status's own name kept).
    assert_eq!(
        trail["attestations_statuses"]["pull-request"]["attestation_name"],
        "pull-request"
    );
    assert_eq!(
        trail["attestations_statuses"]["pull-request"]["pull_requests"][0]["url"],
        "https://github.com/acme/app/pull/7"
    );
    assert_eq!(
        trail["attestations_statuses"]["jira-ticket"]["status"],
        "MISSING"
    );
    assert_eq!(
        trail["artifacts_statuses"]["app"]["attestations_statuses"]["unit-tests"]["junit_results"]
            [0]["total"],
        3
    );
    let policy = std::fs::read_to_string(fix().join("allow-all.rego")).unwrap();
    assert!(rego::evaluate(&policy, &input, None).unwrap().allow);
}

#[tokio::test]
async fn sdk_evaluate_trail_not_found_and_remote_policy() {
    let (fake, c) = start("evaluate_trail_not_found");
    let e = client(&fake)
        .trail_policy_input("demo-flow", "nope", &AttestationFilter::all())
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string()),
        (ErrorKind::NotFound, "Trail not found".to_string())
    );
    assert_requests(&fake, &c);
    let (fake, c) = start("evaluate_trail_remote_policy");
    let cl = client(&fake);
    cl.trail_policy_input("demo-flow", "eval-trail-1", &AttestationFilter::all())
        .await
        .unwrap();
    let text = cl
        .fetch_policy(&format!("{}/policies/allow.rego", fake.url()))
        .await
        .unwrap();
    assert_eq!(text, "package policy\n\nallow = true\n");
    assert_requests(&fake, &c); // the policy GET carries no token, as the CLI's
}

/// Runs the example with a capture's arguments against the fake replaying it.
fn example_case(name: &str) {
    let fake = FakeKosli::start().unwrap();
    let c = load(name, &fake.url());
    replay(&fake, &c);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .args(&c.args)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        c.stdout,
        "{name}: stdout"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        c.stderr,
        "{name}: stderr"
    );
    assert_eq!(out.status.code(), Some(c.exit_code), "{name}: exit code");
    assert_requests(&fake, &c);
}

#[test]
fn example_runs_every_policy_capture_as_the_cli() {
    for name in [
        "create_policy",
        "create_policy_missing_file",
        "attach_policy_csv",
        "attach_policy_first_fails",
        "evaluate_trail",
        "evaluate_trail_not_found",
        "evaluate_trail_remote_policy",
    ] {
        example_case(name);
    }
}

/// The fake's policy endpoints keep state: create, a second version, attach, detach, reads.
#[tokio::test]
async fn fake_policy_endpoints_through_the_sdk() {
    let fake = FakeKosli::start().unwrap();
    fake.seed(&json!({"org": "acme", "environments": [{"name": "prod-k8s", "type": "K8S"}]}))
        .unwrap();
    let cl = client(&fake);
    let yaml = "_schema: https://kosli.com/schemas/policy/environment/v1\nartifacts:\n  provenance:\n    required: true\n";
    assert_eq!(
        cl.create_policy(&CreatePolicy::from_text("p", "p.yml", yaml).description("d"))
            .await
            .unwrap()
            .response()
            .unwrap()
            .status(),
        201
    );
    assert_eq!(
        cl.create_policy(
            &CreatePolicy::from_text("p", "p.yml", format!("{yaml}# v2\n")).comment("v2")
        )
        .await
        .unwrap()
        .response()
        .unwrap()
        .status(),
        200
    );
    cl.attach_policy("p", &["prod-k8s"]).await.unwrap();
    let p = cl.get_policy("p").await.unwrap();
    assert_eq!(
        (p.versions.len(), p.consuming_envs.clone()),
        (2, vec!["prod-k8s".to_string()])
    );
    assert!(p.latest_yaml().unwrap().ends_with("# v2\n"));
    assert_eq!(
        cl.get_environment("prod-k8s").await.unwrap().policies,
        Some(vec!["p".to_string()])
    );
    let e = cl
        .attach_policy("p", &["prod-k8s", "nope"])
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    cl.detach_policy("p", &["prod-k8s"]).await.unwrap();
    assert!(cl.get_policy("p").await.unwrap().consuming_envs.is_empty());
    assert_eq!(cl.list_policies().await.unwrap().len(), 1);
    assert_eq!(
        cl.get_policy("q").await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let e = cl
        .create_policy(&CreatePolicy::from_text("bad", "b.yml", "x: 1\n"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
}
