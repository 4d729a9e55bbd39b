//! fake-kosli behaves like Kosli for the operations of the contract, through the SDK client:
//! 201 on create and 200 on update, 404s with Kosli's messages, reads that reflect the writes
//! (compliance from attestations, snapshots and what runs where), the request log, and seeds.

mod client_common;

use client_common::*;
use kosli_core::client::{Part, Request, Response};
use kosli_core::dryrun::Method;
use kosli_core::operations::Operation;
use kosli_core::{Client, ErrorKind};
use kosli_tests::fake::FakeKosli;
use serde_json::{json, Value};

static GET_TRAIL: Operation = Operation::new(
    "get_trail",
    Method::Get,
    "/api/v2/trails/{org}/{flow}/{trail}",
);
static BEGIN_TRAIL: Operation =
    Operation::new("begin_trail", Method::Put, "/api/v2/trails/{org}/{flow}");
static GET_ARTIFACT: Operation = Operation::new(
    "get_artifact",
    Method::Get,
    "/api/v2/artifacts/{org}/{flow}/fingerprint/{fp}",
);
static LIST_ARTIFACTS: Operation =
    Operation::new("list_artifacts", Method::Get, "/api/v2/artifacts/{org}");
static REPORT_SERVER: Operation = Operation::new(
    "snapshot_server",
    Method::Put,
    "/api/v2/environments/{org}/{env}/report/server",
);
static GET_SNAPSHOT: Operation = Operation::new(
    "get_snapshot",
    Method::Get,
    "/api/v2/snapshots/{org}/{env}/{snappish}",
);
static LIST_SNAPSHOTS: Operation = Operation::new(
    "list_snapshots",
    Method::Get,
    "/api/v2/snapshots/{org}/{env}",
);
static EVENTS: Operation = Operation::new(
    "log_environment",
    Method::Get,
    "/api/v2/environments/{org}/{env}/events",
);
static ASSERT: Operation = Operation::new(
    "assert_artifact",
    Method::Get,
    "/api/v2/asserts/{org}/fingerprint/{fp}",
);
static ALLOW: Operation = Operation::new(
    "allow_artifact",
    Method::Put,
    "/api/v2/allowlists/{org}/{env}",
);
static GET_ATTESTATION: Operation =
    Operation::new("get_attestation", Method::Get, "/api/v2/attestations/{org}");

const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";
const FP2: &str = "fcf33337634c2577a5d86fd7ecb0a25a7c1bb5d89c14fd236f546a5759252c02";

async fn status_of(client: &Client, req: Request) -> u16 {
    client
        .write(&req)
        .await
        .unwrap()
        .response()
        .map(Response::status)
        .unwrap()
}

async fn json_of(client: &Client, req: Request) -> Value {
    client.read(&req).await.unwrap().json().unwrap()
}

fn form(data: Value) -> Vec<Part> {
    vec![Part::json("data_json", &data).unwrap()]
}

#[tokio::test]
async fn a_delivery_story_reads_back_as_written() {
    let fake = FakeKosli::start().unwrap();
    let (c, _) = client(capture_config(&fake.url()));
    // Flow: created, then updated.
    let flow = |desc: &str| {
        Request::new(&CREATE_FLOW).multipart(vec![
            Part::json(
                "data_json",
                &json!({"name": "demo-flow", "description": desc}),
            )
            .unwrap(),
            Part::file("template_file", "template.yml", "version: 1"),
        ])
    };
    assert_eq!(status_of(&c, flow("first")).await, 201);
    assert_eq!(status_of(&c, flow("demo flow")).await, 200);
    let f = json_of(&c, Request::new(&GET_FLOW).param("flow", "demo-flow")).await;
    assert_eq!(
        (f["description"].as_str(), f["template"].as_str()),
        (Some("demo flow"), Some("version: 1"))
    );
    // Trail, artifact, attestations.
    let trail = Request::new(&BEGIN_TRAIL)
        .param("flow", "demo-flow")
        .multipart(form(json!({"name": "trail-1"})));
    assert_eq!(status_of(&c, trail).await, 201);
    let artifact = json!({"fingerprint": FP, "filename": "app.bin", "git_commit": "3e74850331dadafd9a390fa2be410e026122fd3c",
        "git_commit_info": {}, "build_url": "b", "commit_url": "c", "repo_url": "", "template_reference_name": "app", "trail_name": "trail-1"});
    let report = Request::new(&ATTEST_ARTIFACT)
        .param("flow", "demo-flow")
        .json(&artifact)
        .unwrap();
    assert_eq!(status_of(&c, report).await, 201);
    let attest = |name: &str, ok: bool| {
        Request::new(&ATTEST_GENERIC)
            .param("flow", "demo-flow")
            .param("trail", "trail-1")
            .multipart(form(
                json!({"attestation_name": name, "user_data": {}, "is_compliant": ok}),
            ))
    };
    assert_eq!(status_of(&c, attest("review", true)).await, 201);
    let t = json_of(
        &c,
        Request::new(&GET_TRAIL)
            .param("flow", "demo-flow")
            .param("trail", "trail-1"),
    )
    .await;
    assert_eq!(t["compliance_state"], "COMPLIANT");
    let a = json_of(
        &c,
        Request::new(&ASSERT)
            .param("fp", FP)
            .query("flow_name", "demo-flow"),
    )
    .await;
    assert_eq!(a["compliant"], true);
    // A failing attestation makes the trail and the artifact non-compliant.
    status_of(&c, attest("security", false)).await;
    let t = json_of(
        &c,
        Request::new(&GET_TRAIL)
            .param("flow", "demo-flow")
            .param("trail", "trail-1"),
    )
    .await;
    assert_eq!(t["compliance_state"], "NON-COMPLIANT");
    let statuses = t["compliance_status"]["attestations_statuses"]
        .as_array()
        .unwrap();
    assert_eq!(statuses.len(), 2);
    let id = statuses[1]["attestation_id"].as_str().unwrap().to_string();
    let got = json_of(
        &c,
        Request::new(&GET_ATTESTATION).query("attestation_id", &id),
    )
    .await;
    assert_eq!(got["data"][0]["attestation_name"], "security");
    let a = json_of(
        &c,
        Request::new(&ASSERT)
            .param("fp", FP)
            .query("flow_name", "demo-flow"),
    )
    .await;
    assert_eq!(a["compliant"], false);
    assert_eq!(a["flows"][0]["trail"], "trail-1");
    // Environment, snapshots, what runs where.
    let env = Request::new(&CREATE_ENV)
        .json(&json!({"name": "prod", "type": "server", "description": ""}))
        .unwrap();
    assert_eq!(status_of(&c, env).await, 201);
    let snapshot = |fps: &[&str]| {
        let artifacts: Vec<Value> = fps
            .iter()
            .map(|fp| json!({"digests": {"app": fp}, "creationTimestamp": 1717000000}))
            .collect();
        Request::new(&REPORT_SERVER)
            .param("env", "prod")
            .json(&json!({ "artifacts": artifacts }))
            .unwrap()
    };
    status_of(&c, snapshot(&[FP])).await;
    status_of(&c, snapshot(&[FP])).await; // unchanged: no new snapshot
    status_of(&c, snapshot(&[FP2])).await;
    let list = json_of(&c, Request::new(&LIST_SNAPSHOTS).param("env", "prod")).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let latest = json_of(
        &c,
        Request::new(&GET_SNAPSHOT)
            .param("env", "prod")
            .param("snappish", "-1"),
    )
    .await;
    let kinds: Vec<(&str, &str)> = latest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["fingerprint"].as_str().unwrap(),
                a["annotation"]["type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [(FP2, "started"), (FP, "exited")]);
    let first = json_of(
        &c,
        Request::new(&GET_SNAPSHOT)
            .param("env", "prod")
            .param("snappish", "#1"),
    )
    .await;
    assert_eq!(first["artifacts"][0]["flow_name"], "demo-flow");
    let events = json_of(&c, Request::new(&EVENTS).param("env", "prod")).await;
    assert_eq!(
        events[0]["description"],
        "1 instance started running (from 0 to 1)."
    );
    let art = json_of(
        &c,
        Request::new(&GET_ARTIFACT)
            .param("flow", "demo-flow")
            .param("fp", FP),
    )
    .await;
    assert_eq!(
        art["running"],
        json!([]),
        "replaced by FP2 in the latest snapshot"
    );
    let listed = json_of(
        &c,
        Request::new(&LIST_ARTIFACTS).query("flow_name", "demo-flow"),
    )
    .await;
    assert_eq!(listed[0]["fingerprint"], FP);
    // Allow-list.
    let allow =
        json!({"artifact_fingerprint": FP, "artifact_name": "app.bin", "description": "hotfix"});
    assert_eq!(
        status_of(
            &c,
            Request::new(&ALLOW)
                .param("env", "prod")
                .json(&allow)
                .unwrap()
        )
        .await,
        201
    );
    // Every API request was logged; control calls were not.
    assert!(fake
        .requests()
        .iter()
        .all(|r| r["path"].as_str().unwrap().starts_with("/api/v2/")));
}

#[tokio::test]
async fn missing_things_are_404s_with_kosli_messages() {
    let fake = FakeKosli::start().unwrap();
    let (c, _) = client(capture_config(&fake.url()));
    let e = c
        .read(&Request::new(&GET_FLOW).param("flow", "nope"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    // The "You have requested ..." part is cut, as the CLI cuts it.
    assert_eq!(
        e.to_string(),
        "Flow named 'nope' does not exist for organization 'acme'. "
    );
    let e = c
        .read(
            &Request::new(&ASSERT)
                .param("fp", FP)
                .query("flow_name", "demo-flow"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Artifact with fingerprint '{FP}' does not exist in flow 'demo-flow' belonging to organization 'acme'")
    );
    let trail = Request::new(&BEGIN_TRAIL)
        .param("flow", "nope")
        .multipart(form(json!({"name": "t"})));
    assert_eq!(
        c.write(&trail).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let snap = Request::new(&REPORT_SERVER)
        .param("env", "nope")
        .json(&json!({"artifacts": []}))
        .unwrap();
    assert_eq!(
        c.write(&snap).await.unwrap_err().to_string(),
        "Environment named 'nope' does not exist for organization 'acme'"
    );
}

#[tokio::test]
async fn seeds_make_reads_and_decide_compliance() {
    let fake = FakeKosli::start().unwrap();
    fake.seed(&json!({
        "flows": [{"name": "demo-flow"}],
        "trails": [{"flow": "demo-flow", "name": "trail-1"}],
        "artifacts": [{"flow_name": "demo-flow", "fingerprint": FP, "trail_name": "trail-1"}],
        "compliance": {FP: false},
    }))
    .unwrap();
    assert!(fake
        .seed(&json!({"flows": [{"description": "no name"}]}))
        .is_err());
    let (c, _) = client(capture_config(&fake.url()));
    let art = json_of(
        &c,
        Request::new(&GET_ARTIFACT)
            .param("flow", "demo-flow")
            .param("fp", FP),
    )
    .await;
    assert_eq!(art["state"], "NON-COMPLIANT");
    let a = json_of(&c, Request::new(&ASSERT).param("fp", FP)).await;
    assert_eq!(
        (a["compliant"].as_bool(), a["scope"].as_str()),
        (Some(false), Some("flow"))
    );
}
