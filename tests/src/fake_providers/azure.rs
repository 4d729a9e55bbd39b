//! Azure DevOps (Git REST) answers as in tests/fixtures/review/azure_*, for project `proj`,
//! repository `app` under the organization URL `<fake>/acmeorg`.

use serde_json::{json, Value};

use super::server::Route;

/// The repository's API path.
pub const REPO: &str = "/acmeorg/proj/_apis/git/repositories/app";

/// The `pullRequestQuery` answer: pull requests `ids` whose last merge commit is `commit`.
pub fn query(commit: &str, ids: &[i64]) -> Route {
    let prs: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "pullRequestId": id, "status": "completed",
                "createdBy": {"displayName": "Alice Dev", "uniqueName": "alice@example.com"},
                "creationDate": "2024-06-01T10:00:00Z", "closedDate": "2024-06-02T10:00:00Z",
                "title": format!("PR {id}"), "sourceRefName": format!("refs/heads/feature-{id}"),
                "targetRefName": "refs/heads/main", "lastMergeCommit": {"commitId": commit},
            })
        })
        .collect();
    let mut results = serde_json::Map::new();
    results.insert(commit.to_string(), Value::Array(prs));
    Route::post(
        &format!("{REPO}/pullRequestQuery"),
        200,
        json!({"results": [results]}),
    )
}

/// The commits of pull request `id` (the `$top=100` the CLI asks for).
pub fn commits(id: i64, shas: &[&str]) -> Route {
    let value: Vec<Value> = shas
        .iter()
        .map(|s| json!({"commitId": s, "author": {"name": "Alice", "email": "alice@example.com", "date": "2024-06-01T09:00:00Z"}, "comment": "change", "url": format!("https://dev.azure.com/acmeorg/_apis/git/commits/{s}")}))
        .collect();
    Route::get(
        &format!("{REPO}/pullRequests/{id}/commits"),
        200,
        json!({"count": value.len(), "value": value}),
    )
    .query("%24top=100")
}

/// The reviewers of pull request `id` with their votes (10 approves).
pub fn reviewers(id: i64, votes: &[(&str, i64)]) -> Route {
    let value: Vec<Value> = votes
        .iter()
        .map(|(n, v)| json!({"displayName": n, "uniqueName": format!("{}@example.com", n.to_lowercase()), "vote": v}))
        .collect();
    Route::get(
        &format!("{REPO}/pullRequests/{id}/reviewers"),
        200,
        json!({"count": value.len(), "value": value}),
    )
}
