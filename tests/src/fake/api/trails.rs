//! Trails: begin (multipart), get, list.

use serde_json::{json, Value};

use super::{no_flow, paginate, str_field, unknown};
use crate::fake::exchange::{Answer, ApiRequest};
use crate::fake::state::{now, trail_compliance, Org, Store};

pub(super) fn handle(
    store: &mut Store,
    m: &str,
    org: &str,
    rest: &[&str],
    req: &ApiRequest,
) -> Answer {
    match (m, rest) {
        ("PUT", [flow]) => begin(store, org, flow, req),
        ("GET", []) => {
            let Some(o) = store.org_ref(org) else {
                return list_answer(Vec::new(), req);
            };
            let flow = req.query_one("flow");
            let items: Vec<Value> = o
                .trails
                .iter()
                .filter(|((f, _), _)| flow.is_none_or(|want| want == f))
                .map(|((f, t), _)| view(o, org, f, t))
                .collect();
            list_answer(items, req)
        }
        ("GET", [flow]) => match store.org_ref(org) {
            Some(o) if o.flows.contains_key(*flow) => {
                let items: Vec<Value> = o
                    .trails
                    .keys()
                    .filter(|(f, _)| f == flow)
                    .map(|(f, t)| view(o, org, f, t))
                    .collect();
                Answer::json(200, Value::Array(items))
            }
            _ => no_flow(org, flow),
        },
        ("GET", [flow, trail]) => match store.org_ref(org) {
            Some(o)
                if o.trails
                    .contains_key(&(flow.to_string(), trail.to_string())) =>
            {
                Answer::json(200, view(o, org, flow, trail))
            }
            Some(o) if o.flows.contains_key(*flow) => Answer::not_found(format!(
                "Trail named '{trail}' does not exist for flow '{flow}' in organization '{org}'"
            )),
            _ => no_flow(org, flow),
        },
        _ => unknown(req),
    }
}

fn list_answer(items: Vec<Value>, req: &ApiRequest) -> Answer {
    let total = items.len();
    let (data, page, page_count) = paginate(items, req, 20);
    Answer::json(
        200,
        json!({"data": data, "pagination": {"page": page, "page_count": page_count, "total": total}}),
    )
}

fn begin(store: &mut Store, org: &str, flow: &str, req: &ApiRequest) -> Answer {
    let (data, parts) = match req.data_json() {
        Ok(x) => x,
        Err(a) => return a,
    };
    let name = str_field(&data, "name").to_string();
    if name.is_empty() {
        return Answer::invalid("name", "'' is too short".into());
    }
    if !store
        .org_ref(org)
        .is_some_and(|o| o.flows.contains_key(flow))
    {
        return no_flow(org, flow);
    }
    let template = parts
        .iter()
        .find(|p| p.name == "template_file")
        .map(|p| String::from_utf8_lossy(&p.data).into_owned());
    let key = (flow.to_string(), name.clone());
    let trails = &mut store.org(org).trails;
    let previous = trails.get(&key).cloned();
    let created = previous.is_none();
    let t = now();
    let mut trail = json!({
        "name": name,
        "flow": flow,
        "description": str_field(&data, "description"),
        "git_commit_info": data.get("git_commit_info").cloned().unwrap_or(Value::Null),
        "repo_info": data.get("repo_info").cloned().unwrap_or(Value::Null),
        "origin_url": str_field(&data, "origin_url"),
        "user_data": data.get("user_data").cloned().unwrap_or_else(|| json!({})),
        "external_urls": data.get("external_urls").cloned().unwrap_or_else(|| json!({})),
        "template": template,
        "created_at": previous.as_ref().map(|p| p["created_at"].clone()).unwrap_or_else(|| json!(t)),
        "last_modified_at": t,
        "events": [],
    });
    let event =
        json!({"type": if created { "trail_started" } else { "trail_updated" }, "timestamp": t});
    let mut events = previous
        .as_ref()
        .and_then(|p| p["events"].as_array().cloned())
        .unwrap_or_default();
    events.push(event);
    trail["events"] = Value::Array(events);
    trails.insert(key, trail);
    Answer::written(created)
}

/// A trail as `get trail` returns it, with its compliance derived from its attestations.
pub(super) fn view(org: &Org, org_name: &str, flow: &str, trail: &str) -> Value {
    let mut v = org
        .trails
        .get(&(flow.to_string(), trail.to_string()))
        .cloned()
        .unwrap_or_else(|| json!({}));
    let status = trail_compliance(org, flow, trail);
    let compliant = status["is_compliant"].as_bool().unwrap_or(true);
    v["compliance_status"] = status;
    v["is_compliant"] = json!(compliant);
    v["compliance_state"] = json!(if compliant {
        "COMPLIANT"
    } else {
        "NON-COMPLIANT"
    });
    v["html_url"] = json!(format!(
        "http://127.0.0.1/{org_name}/flows/{flow}/trails/{trail}"
    ));
    v
}
