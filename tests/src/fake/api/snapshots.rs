//! Snapshots: list, and get by snappish (`-1`, `7`, `#7`, `~2`, `@{...}`).

use serde_json::{json, Value};

use super::{no_environment, paginate, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, Store};

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    let ("GET", [env, tail @ ..]) = (m, rest) else {
        return unknown(req);
    };
    let Some(o) = store.org_ref(org) else {
        return no_environment(org, env);
    };
    if !o.environments.contains_key(*env) {
        return no_environment(org, env);
    }
    let snaps: Vec<Value> = o.snapshots.get(*env).cloned().unwrap_or_default();
    match tail {
        [] => {
            let mut list: Vec<Value> = snaps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let from = s["timestamp"].as_f64().unwrap_or(0.0);
                    let to = snaps.get(i + 1).and_then(|n| n["timestamp"].as_f64()).unwrap_or(0.0);
                    let end = if to == 0.0 { now() } else { to };
                    json!({"index": s["index"], "from": from, "to": to, "duration": (end - from).max(0.0), "compliant": s["compliant"]})
                })
                .collect();
            if req.query_one("reverse") != Some("true") {
                list.reverse();
            }
            let (page, _, _) = paginate(list, req, 15);
            Answer::json(200, Value::Array(page))
        }
        [snappish] => {
            let n = snaps.len();
            let index = if *snappish == "-1" || snappish.starts_with('@') {
                Some(n)
            } else if let Some(back) = snappish.strip_prefix('~') {
                back.parse::<usize>().ok().and_then(|b| n.checked_sub(b))
            } else {
                snappish.trim_start_matches('#').parse::<usize>().ok()
            };
            match index.filter(|i| *i >= 1).and_then(|i| snaps.get(i - 1)) {
                Some(s) => Answer::json(200, s.clone()),
                None => Answer::not_found(format!(
                    "Snapshot '{snappish}' does not exist for environment '{env}'"
                )),
            }
        }
        _ => unknown(req),
    }
}
