//! The fake Kosli API: one handler per resource, answering with the shapes the official CLI
//! reads (contract wire.md and wire-2.md).

mod artifacts;
mod asserts;
mod attestations;
mod env_diff;
mod environments;
mod flows;
mod github;
mod policies;
mod snapshots;
mod trails;

use serde_json::{json, Value};

use super::exchange::{Answer, ApiRequest};
use super::state::Store;

/// Answers one API request (auth already checked), changing `store` for writes.
pub fn handle(store: &mut Store, req: &ApiRequest) -> Answer {
    let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    match (m, segs.as_slice()) {
        ("GET", ["ready"]) => Answer::json(200, json!("OK")),
        // The GitHub API, for `attest pullrequest github --github-base-url <fake>/...`.
        ("POST", [.., "api", "graphql"]) | ("POST", [.., "graphql"]) => github::graphql(),
        ("GET", [.., "api", "v3", "repos", _, _, "commits", _, "pulls"]) => {
            Answer::json(200, json!([]))
        }
        ("POST" | "DELETE", ["api", "v2", "environments", org, env, "policies"]) => {
            policies::attach(store, m, org, env, req)
        }
        (_, ["api", "v2", resource, org, rest @ ..]) => {
            let org = org.to_string();
            match *resource {
                "flows" => flows::handle(store, m, &org, rest, req),
                "trails" => trails::handle(store, m, &org, rest, req),
                "artifacts" => artifacts::handle(store, m, &org, rest, req),
                "attestations" => attestations::handle(store, m, &org, rest, req),
                "environments" => environments::handle(store, m, &org, rest, req),
                "snapshots" => snapshots::handle(store, m, &org, rest, req),
                "allowlists" => environments::allow(store, m, &org, rest, req),
                "asserts" => asserts::handle(store, m, &org, rest, req),
                "policies" => policies::handle(store, m, &org, rest, req),
                "env-diff" => env_diff::handle(store, m, &org, rest, req),
                _ => unknown(req),
            }
        }
        _ => unknown(req),
    }
}

/// The answer for a route the fake does not know.
pub fn unknown(req: &ApiRequest) -> Answer {
    Answer::not_found(format!(
        "The requested URL {} {} was not found on the server.",
        req.method, req.path
    ))
}

/// The page of `items` that `page` and `per_page` select (1-based pages).
pub fn paginate(
    items: Vec<Value>,
    req: &ApiRequest,
    default_per_page: usize,
) -> (Vec<Value>, usize, usize) {
    let page: usize = req
        .query_one("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let per_page: usize = req
        .query_one("per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(default_per_page)
        .max(1);
    let total = items.len();
    let page_items = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    (page_items, page, total.div_ceil(per_page).max(1))
}

/// A string field of a JSON object, or "".
pub fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The message Kosli gives for a flow that does not exist.
pub fn no_flow(org: &str, flow: &str) -> Answer {
    Answer::not_found(format!(
        "Flow named '{flow}' does not exist for organization '{org}'. You have requested a flow that is not in this organization."
    ))
}

/// The message Kosli gives for an environment that does not exist.
pub fn no_environment(org: &str, env: &str) -> Answer {
    Answer::not_found(format!(
        "Environment named '{env}' does not exist for organization '{org}'"
    ))
}
