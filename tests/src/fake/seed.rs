//! Seeding the fake with data, as JSON: `{"org": "acme", "flows": [...], "trails": [...],
//! "artifacts": [...], "attestations": [...], "environments": [...], "compliance": {fp: bool}}`.
//! Each entity is merged over defaults, so `{"name": "demo-flow"}` is a whole flow.

use serde_json::{json, Map, Value};

use super::state::{now, Store};

fn merged(defaults: Value, given: &Value) -> Value {
    let mut out = defaults;
    if let (Value::Object(o), Value::Object(g)) = (&mut out, given) {
        for (k, v) in g {
            o.insert(k.clone(), v.clone());
        }
    }
    out
}

fn text(v: &Value, key: &str) -> Result<String, String> {
    v[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("a seeded entity lacks {key:?}: {v}"))
}

fn list<'a>(seed: &'a Value, key: &str) -> &'a [Value] {
    seed[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Adds `seed` to `store`; an entity without its key fields is refused.
pub fn apply(store: &mut Store, seed: &Value) -> Result<(), String> {
    if !seed.is_object() {
        return Err("the seed must be a JSON object".into());
    }
    let default_org = seed["org"].as_str().unwrap_or("acme").to_string();
    let org_of = |v: &Value| v["org"].as_str().unwrap_or(&default_org).to_string();
    let t = now();
    for f in list(seed, "flows") {
        let name = text(f, "name")?;
        let org = org_of(f);
        let flow = merged(
            json!({"name": name, "description": "", "visibility": "private", "org": org, "template": "version: 1",
                   "last_deployment_at": null, "tags": {}, "archived": false, "created_at": t}),
            f,
        );
        store.org(&org).flows.insert(name, flow);
    }
    for tr in list(seed, "trails") {
        let (flow, name, org) = (text(tr, "flow")?, text(tr, "name")?, org_of(tr));
        let trail = merged(
            json!({"name": name, "flow": flow, "description": "", "git_commit_info": null, "repo_info": null,
                   "origin_url": "", "user_data": {}, "external_urls": {}, "template": null,
                   "created_at": t, "last_modified_at": t, "events": []}),
            tr,
        );
        store.org(&org).trails.insert((flow, name), trail);
    }
    for a in list(seed, "artifacts") {
        let (flow, fp, org) = (text(a, "flow_name")?, text(a, "fingerprint")?, org_of(a));
        let artifact = merged(
            json!({"filename": "app.bin", "flow_name": flow, "trail_name": "", "template_reference_name": "",
                   "fingerprint": fp, "created_at": t, "git_commit": "", "git_commit_info": null, "commit_url": "",
                   "build_url": "", "repo_url": "", "annotations": {}, "external_urls": {},
                   "html_url": format!("http://127.0.0.1/{org}/flows/{flow}/artifacts/{fp}"),
                   "state": "COMPLIANT", "running": [], "exited": [], "history": []}),
            a,
        );
        store.org(&org).artifacts.push(artifact);
    }
    for a in list(seed, "attestations") {
        let org = org_of(a);
        let id = store.new_id();
        let att = merged(
            json!({"attestation_id": id, "attestation_type": "generic", "target_artifacts": [], "is_compliant": true,
                   "user_data": {}, "created_at": t}),
            a,
        );
        text(&att, "flow_name")?;
        text(&att, "trail_name")?;
        text(&att, "attestation_name")?;
        store.org(&org).attestations.push(att);
    }
    for e in list(seed, "environments") {
        let (name, org) = (text(e, "name")?, org_of(e));
        let env = merged(
            json!({"name": name, "type": "server", "description": "", "org": org, "last_modified_at": t,
                   "last_reported_at": null, "state": null, "include_scaling": false, "require_provenance": false,
                   "tags": {}, "policies": []}),
            e,
        );
        store.org(&org).environments.insert(name, env);
    }
    if let Some(Value::Object(c)) = seed.get("compliance") {
        let c: &Map<String, Value> = c;
        for (fp, v) in c {
            let b = v
                .as_bool()
                .ok_or_else(|| format!("compliance of {fp} must be true or false"))?;
            store.compliance.insert(fp.clone(), b);
        }
    }
    Ok(())
}
