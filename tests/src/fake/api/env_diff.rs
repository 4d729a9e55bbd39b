//! `GET /api/v2/env-diff/{org}?snappish1=A&snappish2=B`: the diff of two snapshots (`kosli diff
//! snapshots`), each named as the CLI names one (`ENV`, `ENV#N`, `ENV~N`, `ENV@{...}`, the
//! time taken as the latest).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{no_environment, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::Store;

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    let ("GET", []) = (m, rest) else {
        return unknown(req);
    };
    let (Some(a), Some(b)) = (req.query_one("snappish1"), req.query_one("snappish2")) else {
        return Answer::invalid(
            "snappish1",
            "both snappish1 and snappish2 are required".into(),
        );
    };
    let first = match resolve(store, org, a) {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    let second = match resolve(store, org, b) {
        Ok(s) => s,
        Err(answer) => return answer,
    };
    Answer::json(200, diff(&first, &second))
}

/// A resolved snapshot: its id (`env#N`) and running artifacts by (name, fingerprint).
struct Resolved {
    id: String,
    running: BTreeMap<(String, String), Value>,
}

fn resolve(store: &Store, org: &str, snappish: &str) -> Result<Resolved, Answer> {
    let cut = snappish.find(['#', '~', '@']).unwrap_or(snappish.len());
    let (env, selector) = snappish.split_at(cut);
    let Some(o) = store
        .org_ref(org)
        .filter(|o| o.environments.contains_key(env))
    else {
        return Err(no_environment(org, env));
    };
    let snaps = o.snapshots.get(env).cloned().unwrap_or_default();
    let n = snaps.len();
    let index = if selector.is_empty() || selector.starts_with('@') {
        Some(n)
    } else if let Some(back) = selector.strip_prefix('~') {
        back.parse::<usize>().ok().and_then(|b| n.checked_sub(b))
    } else {
        selector.trim_start_matches('#').parse::<usize>().ok()
    };
    let Some(snap) = index.filter(|i| *i >= 1).and_then(|i| snaps.get(i - 1)) else {
        return Err(Answer::not_found(format!(
            "Snapshot '{snappish}' does not exist for environment '{env}'"
        )));
    };
    let mut running = BTreeMap::new();
    for a in snap["artifacts"].as_array().into_iter().flatten() {
        let now = a["annotation"]["now"].as_u64().unwrap_or(1);
        if now == 0 {
            continue;
        }
        let pods: Vec<String> = a["pods"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let newest = a["creationTimestamp"]
            .as_array()
            .and_then(|t| t.iter().filter_map(Value::as_f64).reduce(f64::max))
            .unwrap_or(0.0);
        running.insert(
            (
                str_field(a, "name").to_string(),
                str_field(a, "fingerprint").to_string(),
            ),
            json!({
                "fingerprint": a["fingerprint"],
                "flow": str_field(a, "flow_name"),
                "name": a["name"],
                "commit_url": str_field(a, "commit_url"),
                "most_recent_timestamp": newest,
                "instance_count": now,
                "pods": pods,
            }),
        );
    }
    Ok(Resolved {
        id: format!("{env}#{}", snap["index"]),
        running,
    })
}

fn diff(a: &Resolved, b: &Resolved) -> Value {
    let only = |x: &Resolved, y: &Resolved| -> Vec<Value> {
        x.running
            .iter()
            .filter(|(k, _)| !y.running.contains_key(*k))
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut changed = Vec::new();
    let mut same = Vec::new();
    for (k, v) in &a.running {
        if let Some(w) = b.running.get(k) {
            if v["instance_count"] == w["instance_count"] {
                same.push(w.clone());
            } else {
                let mut c = w.clone();
                c["s1_instance_count"] = v["instance_count"].clone();
                c["s2_instance_count"] = w["instance_count"].clone();
                changed.push(c);
            }
        }
    }
    json!({
        "snappish1": {"snapshot_id": a.id, "artifacts": only(a, b)},
        "snappish2": {"snapshot_id": b.id, "artifacts": only(b, a)},
        "changed": {"snapshot_id": "", "artifacts": changed},
        "not-changed": {"snapshot_id": "", "artifacts": same},
    })
}
