//! Artifacts: attest (report), get by fingerprint or commit, list, latest commit.

use serde_json::{json, Value};

use super::{no_flow, paginate, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, running, Store};

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    match (m, rest) {
        ("POST", [flow]) => report(store, org, flow, req),
        ("GET", []) => {
            let flow = req.query_one("flow_name");
            let repo = req.query_one("repo_name");
            let items: Vec<Value> = store
                .org_ref(org)
                .map(|o| {
                    o.artifacts
                        .iter()
                        .rev()
                        .filter(|a| flow.is_none_or(|f| str_field(a, "flow_name") == f))
                        .filter(|a| repo.is_none_or(|r| str_field(a, "repo_url").ends_with(r)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let items = items.into_iter().map(|a| view(store, org, a)).collect();
            let (page, _, _) = paginate(items, req, 15);
            Answer::json(200, Value::Array(page))
        }
        ("GET", [flow, "fingerprint", fp]) => {
            let trail = req.query_one("trail");
            match find(store, org, flow, |a| {
                str_field(a, "fingerprint") == *fp
                    && trail.is_none_or(|t| str_field(a, "trail_name") == t)
            })
            .into_iter()
            .next()
            {
                Some(a) => Answer::json(200, view(store, org, a)),
                None if !store
                    .org_ref(org)
                    .is_some_and(|o| o.flows.contains_key(*flow)) =>
                {
                    no_flow(org, flow)
                }
                None => not_found(org, flow, fp),
            }
        }
        ("GET", [flow, "commit_sha", sha]) => {
            let found: Vec<Value> = find(store, org, flow, |a| str_field(a, "git_commit") == *sha)
                .into_iter()
                .map(|a| view(store, org, a))
                .collect();
            Answer::json(200, Value::Array(found))
        }
        ("GET", [_flow, _fp, "latest_commit"]) => Answer::json(200, json!({"latest_commit": null})),
        _ => unknown(req),
    }
}

/// The 404 message Kosli gives for an unknown fingerprint (observed in the assert capture).
pub(super) fn not_found(org: &str, flow: &str, fp: &str) -> Answer {
    Answer::not_found(format!(
        "Artifact with fingerprint '{fp}' does not exist in flow '{flow}' belonging to organization '{org}'"
    ))
}

fn find(store: &Store, org: &str, flow: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    store
        .org_ref(org)
        .map(|o| {
            o.artifacts
                .iter()
                .rev()
                .filter(|a| str_field(a, "flow_name") == flow && pred(a))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// An artifact as the API returns it: compliance and where it runs, derived now.
pub(super) fn view(store: &Store, org: &str, mut a: Value) -> Value {
    let compliant = store.artifact_compliant(org, &a);
    a["state"] = json!(if compliant {
        "COMPLIANT"
    } else {
        "NON-COMPLIANT"
    });
    if let Some(o) = store.org_ref(org) {
        a["running"] = Value::Array(running(o, str_field(&a, "fingerprint")));
    }
    a
}

fn report(store: &mut Store, org: &str, flow: &str, req: &ApiRequest) -> Answer {
    let data = match req.json() {
        Ok(d) => d,
        Err(a) => return a,
    };
    let fp = str_field(&data, "fingerprint").to_string();
    if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Answer::invalid(
            "fingerprint",
            format!("'{fp}' does not match '^[a-f0-9]{{64}}$'"),
        );
    }
    if !store
        .org_ref(org)
        .is_some_and(|o| o.flows.contains_key(flow))
    {
        return no_flow(org, flow);
    }
    let t = now();
    let filename = str_field(&data, "filename").to_string();
    let trail = str_field(&data, "trail_name").to_string();
    let artifact = json!({
        "filename": filename,
        "flow_name": flow,
        "trail_name": trail,
        "template_reference_name": str_field(&data, "template_reference_name"),
        "fingerprint": fp,
        "created_at": t,
        "git_commit": str_field(&data, "git_commit"),
        "git_commit_info": data.get("git_commit_info").cloned().unwrap_or(Value::Null),
        "commit_url": str_field(&data, "commit_url"),
        "build_url": str_field(&data, "build_url"),
        "repo_url": str_field(&data, "repo_url"),
        "annotations": data.get("annotations").cloned().unwrap_or_else(|| json!({})),
        "external_urls": data.get("external_urls").cloned().unwrap_or_else(|| json!({})),
        "html_url": format!("http://127.0.0.1/{org}/flows/{flow}/artifacts/{fp}"),
        "state": "COMPLIANT",
        "running": [],
        "exited": [],
        "history": [{"event": format!("{filename} reported"), "timestamp": t}],
    });
    let artifacts = &mut store.org(org).artifacts;
    let existing = artifacts.iter().position(|a| {
        str_field(a, "flow_name") == flow
            && str_field(a, "fingerprint") == fp
            && str_field(a, "trail_name") == trail
    });
    let created = existing.is_none();
    match existing {
        Some(i) => artifacts[i] = artifact,
        None => artifacts.push(artifact),
    }
    Answer::written(created)
}
