//! Flows: create with a template (multipart) or the legacy JSON way, get and list.

use serde_json::{json, Value};

use super::{no_flow, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, Store};

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    match (m, rest) {
        ("PUT", ["template_file"]) => {
            let (data, parts) = match req.data_json() {
                Ok(x) => x,
                Err(a) => return a,
            };
            let template = parts
                .iter()
                .find(|p| p.name == "template_file")
                .map(|p| String::from_utf8_lossy(&p.data).into_owned())
                .unwrap_or_else(|| "version: 1".to_string());
            upsert(store, org, &data, json!(template))
        }
        ("PUT", []) => {
            let data = match req.json() {
                Ok(d) => d,
                Err(a) => return a,
            };
            let template = data
                .get("template")
                .cloned()
                .unwrap_or_else(|| json!(["artifact"]));
            upsert(store, org, &data, template)
        }
        ("GET", []) => {
            let flows: Vec<Value> = store
                .org_ref(org)
                .map(|o| o.flows.values().cloned().collect())
                .unwrap_or_default();
            Answer::json(200, Value::Array(flows))
        }
        ("GET", [flow]) => match store.org_ref(org).and_then(|o| o.flows.get(*flow)) {
            Some(f) => Answer::json(200, f.clone()),
            None => no_flow(org, flow),
        },
        _ => unknown(req),
    }
}

fn upsert(store: &mut Store, org: &str, data: &Value, template: Value) -> Answer {
    let name = str_field(data, "name").to_string();
    if name.is_empty() {
        return Answer::invalid("name", "'' is too short".into());
    }
    let flows = &mut store.org(org).flows;
    let created = !flows.contains_key(&name);
    let previous = flows.get(&name).cloned().unwrap_or(Value::Null);
    let flow = json!({
        "name": name,
        "description": str_field(data, "description"),
        "visibility": data.get("visibility").and_then(Value::as_str).or(previous["visibility"].as_str()).unwrap_or("private"),
        "org": org,
        "template": template,
        "last_deployment_at": previous.get("last_deployment_at").cloned().unwrap_or(Value::Null),
        "tags": previous.get("tags").cloned().unwrap_or_else(|| json!({})),
        "archived": false,
        "created_at": previous.get("created_at").cloned().unwrap_or_else(|| json!(now())),
    });
    flows.insert(name, flow);
    Answer::written(created)
}
