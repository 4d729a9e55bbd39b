//! Attestations: attest (multipart, every type), and get by id.

use serde_json::{json, Value};

use super::{no_flow, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, Store};

const TYPES: &[&str] = &[
    "generic",
    "junit",
    "snyk",
    "custom",
    "pull_request",
    "sonar",
    "jira",
];

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    match (m, rest) {
        ("POST", [flow, "trail", trail, kind]) if TYPES.contains(kind) => {
            attest(store, org, flow, trail, kind, req)
        }
        ("GET", []) => {
            let id = req.query_one("attestation_id");
            let data: Vec<Value> = store
                .org_ref(org)
                .map(|o| {
                    o.attestations
                        .iter()
                        .filter(|a| id.is_none_or(|i| str_field(a, "attestation_id") == i))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            Answer::json(200, json!({ "data": data }))
        }
        _ => unknown(req),
    }
}

/// Whether an attestation of `kind` with `data` is compliant, as Kosli judges it.
fn is_compliant(kind: &str, data: &Value) -> bool {
    if let Some(b) = data["is_compliant"].as_bool() {
        return b;
    }
    match kind {
        "junit" => data["junit_results"].as_array().is_none_or(|suites| {
            suites
                .iter()
                .all(|s| s["failures"].as_u64() == Some(0) && s["errors"].as_u64() == Some(0))
        }),
        "snyk" => data["snyk_results"]["results"].as_array().is_none_or(|rs| {
            rs.iter().all(|r| {
                ["high_count", "medium_count", "low_count"]
                    .iter()
                    .all(|k| r[*k].as_u64().unwrap_or(0) == 0)
            })
        }),
        "pull_request" => data["pull_requests"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "jira" => data["jira_results"]
            .as_array()
            .is_some_and(|r| !r.is_empty() && r.iter().all(|i| i["issue_exists"] == json!(true))),
        "sonar" => data["sonar_results"]["qualityGate"]["status"].as_str() != Some("ERROR"),
        _ => true,
    }
}

fn attest(
    store: &mut Store,
    org: &str,
    flow: &str,
    trail: &str,
    kind: &str,
    req: &ApiRequest,
) -> Answer {
    let (data, parts) = match req.data_json() {
        Ok(x) => x,
        Err(a) => return a,
    };
    let name = str_field(&data, "attestation_name").to_string();
    if name.is_empty() {
        return Answer::invalid("attestation_name", "'' is too short".into());
    }
    let targets = data["target_artifacts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if !targets.is_empty()
        && data.get("artifact_fingerprint").is_none()
        && data.get("git_commit_info").is_none()
    {
        let artifact = targets.first().and_then(Value::as_str).unwrap_or_default();
        return Answer::json(
            400,
            json!({"message": format!("Attestation for artifact '{artifact}' requires at least one of: artifact_fingerprint or git_commit_info.")}),
        );
    }
    let Some(o) = store.org_ref(org) else {
        return no_flow(org, flow);
    };
    if !o.flows.contains_key(flow) {
        return no_flow(org, flow);
    }
    if !o
        .trails
        .contains_key(&(flow.to_string(), trail.to_string()))
    {
        return Answer::not_found(format!(
            "Trail named '{trail}' does not exist for flow '{flow}' in organization '{org}'"
        ));
    }
    let attachment = parts
        .iter()
        .find(|p| p.name == "attachment_file")
        .map(|p| json!({"filename": p.filename, "size": p.data.len()}));
    let id = store.new_id();
    let mut att = data.clone();
    let extra = json!({
        "attestation_id": id,
        "attestation_type": kind,
        "flow_name": flow,
        "trail_name": trail,
        "target_artifacts": targets,
        "is_compliant": is_compliant(kind, &data),
        "created_at": now(),
        "evidence_archive": attachment,
        "html_url": format!("http://127.0.0.1/{org}/flows/{flow}/trails/{trail}?attestation_id={id}"),
    });
    if let (Value::Object(a), Value::Object(e)) = (&mut att, extra) {
        a.extend(e);
    }
    store.org(org).attestations.push(att);
    Answer::written(true)
}
