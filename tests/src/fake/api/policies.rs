//! Environment policies: create (multipart `payload` + `policy_file`; a new version when the
//! name exists), get, list, and attaching to / detaching from environments
//! (`POST|DELETE /api/v2/environments/{org}/{env}/policies`), in the shapes `get policy` and
//! `list policies` read (wire-2.md §4).

use serde_json::{json, Value};

use super::{no_environment, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, Store};

/// `/api/v2/policies/{org}[/{name}]`.
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
            let list: Vec<Value> = store
                .org_ref(org)
                .map(|o| o.policies.values().cloned().collect())
                .unwrap_or_default();
            Answer::json(200, Value::Array(list))
        }
        ("GET", [name]) => match store.org_ref(org).and_then(|o| o.policies.get(*name)) {
            Some(p) => Answer::json(200, p.clone()),
            None => Answer::not_found(format!("Policy {name} does not exist")),
        },
        _ => unknown(req),
    }
}

fn create(store: &mut Store, org: &str, req: &ApiRequest) -> Answer {
    let parts = match req.form() {
        Ok(p) => p,
        Err(a) => return a,
    };
    let payload = parts
        .iter()
        .find(|p| p.name == "payload")
        .and_then(|p| serde_json::from_slice::<Value>(&p.data).ok());
    let Some(payload) = payload else {
        return Answer::invalid("payload", "a JSON payload part is required".into());
    };
    let Some(file) = parts.iter().find(|p| p.name == "policy_file") else {
        return Answer::invalid("policy_file", "a policy_file part is required".into());
    };
    let name = str_field(&payload, "name").to_string();
    if name.is_empty() {
        return Answer::invalid("name", "'' is too short".into());
    }
    if str_field(&payload, "type") != "env" {
        return Answer::invalid(
            "type",
            format!("'{}' is not one of ['env']", str_field(&payload, "type")),
        );
    }
    let yaml = String::from_utf8_lossy(&file.data).into_owned();
    if !yaml.contains("_schema:") {
        return Answer::invalid("policy_file", "'_schema' is a required property".into());
    }
    let t = now();
    let policies = &mut store.org(org).policies;
    let created = !policies.contains_key(&name);
    let policy = policies.entry(name.clone()).or_insert_with(|| {
        json!({"name": name, "description": "", "created_at": t, "consuming_envs": [], "versions": []})
    });
    policy["description"] = json!(str_field(&payload, "description"));
    let versions = policy["versions"].as_array().map(Vec::len).unwrap_or(0);
    if let Some(list) = policy["versions"].as_array_mut() {
        list.push(json!({
            "version": versions + 1,
            "policy_yaml": yaml,
            "comment": str_field(&payload, "comment"),
            "created_at": t,
            "created_by": "fake-kosli",
        }));
    }
    Answer::written(created)
}

/// `POST|DELETE /api/v2/environments/{org}/{env}/policies` with `{"policy_names": [...]}`.
pub fn attach(store: &mut Store, m: &str, org: &str, env: &str, req: &ApiRequest) -> Answer {
    let data = match req.json() {
        Ok(d) => d,
        Err(a) => return a,
    };
    let names: Vec<String> = data["policy_names"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        return Answer::invalid("policy_names", "[] is too short".into());
    }
    let Some(o) = store.orgs.get_mut(org) else {
        return no_environment(org, env);
    };
    if !o.environments.contains_key(env) {
        return no_environment(org, env);
    }
    if let Some(missing) = names.iter().find(|n| !o.policies.contains_key(*n)) {
        return Answer::not_found(format!("Policy {missing} does not exist"));
    }
    let attach = m == "POST";
    for n in &names {
        let env_list = o.environments.get_mut(env).map(|e| &mut e["policies"]);
        if let Some(Value::Array(list)) = env_list {
            list.retain(|v| v.as_str() != Some(n));
            if attach {
                list.push(json!(n));
            }
        }
        if let Some(Value::Array(list)) = o.policies.get_mut(n).map(|p| &mut p["consuming_envs"]) {
            list.retain(|v| v.as_str() != Some(env));
            if attach {
                list.push(json!(env));
            }
        }
    }
    if attach {
        Answer::written(true)
    } else {
        Answer::json(200, json!("OK"))
    }
}
