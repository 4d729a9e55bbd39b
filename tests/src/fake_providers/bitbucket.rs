//! Bitbucket Cloud (REST 2.0) answers as in tests/fixtures/review/bitbucket_*, for repository
//! `acme/app` under a fake API root `<fake>/2.0`. Lists may carry a `next` link to a further
//! page (`?page=N`), as Bitbucket paginates.

use serde_json::{json, Value};

use super::server::Route;

/// The repository's API path.
pub const REPO: &str = "/2.0/repositories/acme/app";

fn list(values: Vec<Value>, next: Option<String>) -> Value {
    let mut v = json!({"pagelen": 50, "values": values});
    if let Some(next) = next {
        v["next"] = json!(next);
    }
    v
}

/// A page of the commit's pull requests (`ids`); `page` is its `page` query (none: the
/// first), `next` the next page's full URL.
pub fn commit_prs(commit: &str, ids: &[i64], page: Option<u32>, next: Option<String>) -> Route {
    let values = ids
        .iter()
        .map(|id| json!({"id": id, "type": "pullrequest"}))
        .collect();
    let r = Route::get(
        &format!("{REPO}/commit/{commit}/pullrequests"),
        200,
        list(values, next),
    );
    match page {
        Some(p) => r.query(&format!("page={p}")),
        None => r.query(""),
    }
}

/// Pull request `id`, approved by `approvers` (display names).
pub fn pr(id: i64, approvers: &[&str]) -> Route {
    let participants: Vec<Value> = approvers
        .iter()
        .map(|a| json!({"type": "participant", "user": {"display_name": a}, "role": "REVIEWER", "approved": true, "state": "approved", "participated_on": "2024-06-01T12:00:00+00:00"}))
        .collect();
    Route::get(
        &format!("{REPO}/pullrequests/{id}"),
        200,
        json!({
            "id": id, "title": format!("PR {id}"), "state": "MERGED",
            "links": {"html": {"href": format!("https://bitbucket.org/acme/app/pull-requests/{id}")}},
            "author": {"display_name": "Alice Dev"},
            "created_on": "2024-06-01T10:00:00+00:00", "updated_on": "2024-06-02T10:00:00+00:00",
            "source": {"branch": {"name": format!("feature-{id}")}},
            "destination": {"branch": {"name": "main"}},
            "participants": participants,
        }),
    )
}

/// A page of the commits of pull request `id`.
pub fn pr_commits(id: i64, shas: &[&str], page: Option<u32>, next: Option<String>) -> Route {
    let values = shas
        .iter()
        .map(|h| json!({"hash": h, "date": "2024-06-01T09:00:00+00:00", "message": "change", "author": {"raw": "Alice <alice@example.com>"}, "links": {"html": {"href": format!("https://bitbucket.org/acme/app/commits/{h}")}}}))
        .collect();
    let r = Route::get(
        &format!("{REPO}/pullrequests/{id}/commits"),
        200,
        list(values, next),
    );
    match page {
        Some(p) => r.query(&format!("page={p}")),
        None => r.query(""),
    }
}
