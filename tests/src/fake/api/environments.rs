//! Environments: create, get, list, snapshot reports, events, and the allow-list.

use serde_json::{json, Value};

use super::{no_environment, paginate, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, Store};

/// The environment types Kosli accepts.
const TYPES: &[&str] = &[
    "K8S",
    "ECS",
    "S3",
    "lambda",
    "server",
    "docker",
    "azure-apps",
    "logical",
];

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    match (m, rest) {
        ("PUT", []) => create(store, org, req),
        ("GET", []) => {
            let envs: Vec<Value> = store
                .org_ref(org)
                .map(|o| o.environments.values().cloned().collect())
                .unwrap_or_default();
            let envs: Vec<Value> = envs
                .into_iter()
                .filter(|e| {
                    req.query_one("name")
                        .is_none_or(|n| str_field(e, "name").contains(n))
                })
                .filter(|e| {
                    let types = req.query_all("type");
                    types.is_empty() || types.contains(&str_field(e, "type"))
                })
                .collect();
            if req.query_one("page").is_some() || req.query_one("per_page").is_some() {
                let total = envs.len();
                let (page_items, page, total_pages) = paginate(envs, req, 15);
                let per_page = req
                    .query_one("per_page")
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(15);
                return Answer::json(
                    200,
                    json!({"page": page, "per_page": per_page, "total_pages": total_pages, "total_count": total, "environments": page_items}),
                );
            }
            Answer::json(200, Value::Array(envs))
        }
        ("GET", [env]) => match store.org_ref(org).and_then(|o| o.environments.get(*env)) {
            Some(e) => Answer::json(200, e.clone()),
            None => no_environment(org, env),
        },
        ("PUT", [env, "report", kind]) => report(store, org, env, kind, req),
        ("GET", [env, "events"]) => match store.org_ref(org) {
            Some(o) if o.environments.contains_key(*env) => {
                let mut events = Vec::new();
                for snap in o.snapshots.get(*env).into_iter().flatten().rev() {
                    for a in snap["artifacts"].as_array().into_iter().flatten() {
                        let (was, now) = (
                            a["annotation"]["was"].as_u64().unwrap_or(0),
                            a["annotation"]["now"].as_u64().unwrap_or(0),
                        );
                        if was == now {
                            continue;
                        }
                        let (n, verb) = if now > was {
                            (now - was, "started")
                        } else {
                            (was - now, "stopped")
                        };
                        let noun = if n == 1 { "instance" } else { "instances" };
                        let flow = a["flow_name"].as_str().unwrap_or_default();
                        events.push(json!({
                            "snapshot_index": snap["index"],
                            "artifact_name": a["name"],
                            "sha256": a["fingerprint"],
                            "description": format!("{n} {noun} {verb} running (from {was} to {now})."),
                            "reported_at": snap["timestamp"],
                            "pipeline": flow,
                            "environment_name": env,
                            "flow": flow,
                        }));
                    }
                }
                let (page, _, _) = paginate(events, req, 15);
                Answer::json(200, Value::Array(page))
            }
            _ => no_environment(org, env),
        },
        _ => unknown(req),
    }
}

fn create(store: &mut Store, org: &str, req: &ApiRequest) -> Answer {
    let data = match req.json() {
        Ok(d) => d,
        Err(a) => return a,
    };
    let name = str_field(&data, "name").to_string();
    if name.is_empty() {
        return Answer::invalid("name", "'' is too short".into());
    }
    let kind = str_field(&data, "type").to_string();
    if !TYPES.contains(&kind.as_str()) {
        let list: Vec<String> = TYPES.iter().map(|t| format!("'{t}'")).collect();
        return Answer::invalid(
            "type",
            format!("'{kind}' is not one of [{}]", list.join(", ")),
        );
    }
    let envs = &mut store.org(org).environments;
    let previous = envs.get(&name).cloned();
    let created = previous.is_none();
    let mut env = json!({
        "name": name,
        "type": kind,
        "description": str_field(&data, "description"),
        "org": org,
        "last_modified_at": now(),
        "last_reported_at": previous.as_ref().map(|p| p["last_reported_at"].clone()).unwrap_or(Value::Null),
        "state": previous.as_ref().map(|p| p["state"].clone()).unwrap_or(Value::Null),
        "include_scaling": data["include_scaling"].as_bool().unwrap_or(false),
        "require_provenance": data["require_provenance"].as_bool().unwrap_or(false),
        "tags": previous.as_ref().map(|p| p["tags"].clone()).unwrap_or_else(|| json!({})),
        "policies": previous.as_ref().map(|p| p["policies"].clone()).unwrap_or_else(|| json!([])),
    });
    if let Some(included) = data.get("included_environments") {
        env["included_environments"] = included.clone();
    }
    envs.insert(name, env);
    Answer::written(created)
}

/// One running artifact of a report: (name, fingerprint, creation time, pod).
fn reported(data: &Value) -> Result<Vec<(String, String, Value, Value)>, Answer> {
    let list = data["artifacts"]
        .as_array()
        .ok_or_else(|| Answer::invalid("artifacts", "None is not of type 'array'".into()))?;
    let mut out = Vec::new();
    for a in list {
        let digests = a["digests"].as_object().ok_or_else(|| {
            Answer::invalid("artifacts", "'digests' is a required property".into())
        })?;
        let pod = match a.get("podName") {
            Some(p) => {
                json!({"pod_name": p, "namespace": a.get("namespace").cloned().unwrap_or(Value::Null)})
            }
            None => Value::Null,
        };
        for (name, fp) in digests {
            out.push((
                name.clone(),
                fp.as_str().unwrap_or_default().to_string(),
                a["creationTimestamp"].clone(),
                pod.clone(),
            ));
        }
    }
    Ok(out)
}

fn report(store: &mut Store, org: &str, env: &str, kind: &str, req: &ApiRequest) -> Answer {
    let data = match req.json() {
        Ok(d) => d,
        Err(a) => return a,
    };
    let running = match reported(&data) {
        Ok(r) => r,
        Err(a) => return a,
    };
    if !store
        .org_ref(org)
        .is_some_and(|o| o.environments.contains_key(env))
    {
        return no_environment(org, env);
    }
    // What is known of each fingerprint: its flow and commit, if an artifact was reported.
    let known: Vec<Value> = store
        .org_ref(org)
        .map(|o| o.artifacts.clone())
        .unwrap_or_default();
    // The artifacts running after the previous report: (name, fingerprint, instances, entry).
    let previous: Vec<(String, String, u64, Value)> = store
        .org_ref(org)
        .and_then(|o| o.snapshots.get(env))
        .and_then(|s| s.last())
        .and_then(|s| s["artifacts"].as_array())
        .map(|a| {
            a.iter()
                .filter(|x| x["annotation"]["now"].as_u64() != Some(0))
                .map(|x| {
                    let now = x["annotation"]["now"].as_u64().unwrap_or(1);
                    (
                        str_field(x, "name").to_string(),
                        str_field(x, "fingerprint").to_string(),
                        now,
                        x.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut artifacts: Vec<Value> = Vec::new();
    for (name, fp, created, pod) in &running {
        if let Some(existing) = artifacts
            .iter_mut()
            .find(|a| a["fingerprint"] == json!(fp) && a["name"] == json!(name))
        {
            if let Some(list) = existing["creationTimestamp"].as_array_mut() {
                list.push(created.clone());
            }
            let now = existing["annotation"]["now"].as_u64().unwrap_or(0) + 1;
            existing["annotation"]["now"] = json!(now);
            if let (Some(pods), Value::Object(more)) =
                (existing["pods"].as_object_mut(), pod.clone())
            {
                pods.extend(more);
            }
            continue;
        }
        let artifact = known
            .iter()
            .rev()
            .find(|a| str_field(a, "fingerprint") == fp);
        let compliant = artifact
            .map(|a| store.artifact_compliant(org, a))
            .unwrap_or(false);
        let was = previous
            .iter()
            .find(|(n, f, _, _)| n == name && f == fp)
            .map(|p| p.2)
            .unwrap_or(0);
        let text = |key: &str| {
            artifact
                .map(|a| a[key].clone())
                .unwrap_or_else(|| json!(""))
        };
        artifacts.push(json!({
            "name": name,
            "fingerprint": fp,
            "flow_name": text("flow_name"),
            "git_commit": text("git_commit"),
            "commit_url": text("commit_url"),
            "compliant": compliant,
            "deployments": [],
            "creationTimestamp": [created],
            "pods": pod,
            "annotation": {"type": "", "was": was, "now": 1},
        }));
    }
    for (name, fp, was, entry) in &previous {
        if !artifacts
            .iter()
            .any(|a| a["fingerprint"] == json!(fp) && a["name"] == json!(name))
        {
            let mut gone = entry.clone();
            gone["creationTimestamp"] = json!([]);
            gone["annotation"] = json!({"type": "", "was": was, "now": 0});
            artifacts.push(gone);
        }
    }
    for a in &mut artifacts {
        let was = a["annotation"]["was"].as_u64().unwrap_or(0);
        let now = a["annotation"]["now"].as_u64().unwrap_or(0);
        let kind = match (was, now) {
            (0, _) => "started",
            (_, 0) => "exited",
            (w, n) if w != n => "scaled",
            _ => "unchanged",
        };
        a["annotation"]["type"] = json!(kind);
    }
    let changed = artifacts
        .iter()
        .any(|a| a["annotation"]["type"] != json!("unchanged"));
    let t = now();
    let o = store.org(org);
    let snaps = o.snapshots.entry(env.to_string()).or_default();
    if changed || snaps.is_empty() {
        let compliant = artifacts
            .iter()
            .filter(|a| a["annotation"]["now"].as_u64() != Some(0))
            .all(|a| a["compliant"] == json!(true));
        let index = snaps.len() + 1;
        snaps.push(json!({
            "index": index,
            "timestamp": t,
            "type": kind,
            "user_id": "fake-user",
            "user_name": "fake-kosli",
            "compliant": compliant,
            "html_url": format!("http://127.0.0.1/{org}/environments/{env}/snapshots/{index}"),
            "artifacts": artifacts,
        }));
    }
    let compliant = snaps
        .last()
        .map(|s| s["compliant"].clone())
        .unwrap_or(Value::Null);
    if let Some(e) = o.environments.get_mut(env) {
        e["last_reported_at"] = json!(t);
        e["state"] = compliant;
    }
    Answer::written(true)
}

/// `PUT /api/v2/allowlists/{org}/{env}`: allow an artifact in an environment.
pub(super) fn allow(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    let ("PUT", [env]) = (m, rest) else {
        return unknown(req);
    };
    let data = match req.json() {
        Ok(d) => d,
        Err(a) => return a,
    };
    if str_field(&data, "artifact_fingerprint").len() != 64 {
        return Answer::invalid("artifact_fingerprint", "must be a sha256 digest".into());
    }
    if !store
        .org_ref(org)
        .is_some_and(|o| o.environments.contains_key(*env))
    {
        return no_environment(org, env);
    }
    let mut entry = data;
    entry["created_at"] = json!(now());
    store
        .org(org)
        .allowlists
        .entry(env.to_string())
        .or_default()
        .push(entry);
    Answer::written(true)
}
