//! GitLab (REST v4) answers as in tests/fixtures/review/gitlab_*, for project `acme/app` at
//! the fake given as `--gitlab-base-url`. A commit without a signature route is unsigned (the
//! fake's 404, as GitLab answers).

use serde_json::{json, Value};

use super::server::Route;

/// The project's API path.
pub const PROJECT: &str = "/api/v4/projects/acme%2Fapp";

/// A merged merge request `iid` whose merge commit is `merge_commit`.
pub fn mr(iid: i64, merge_commit: &str) -> Value {
    json!({
        "id": 100 + iid, "iid": iid, "project_id": 42, "title": format!("MR {iid}"), "state": "merged",
        "created_at": "2024-06-01T10:00:00.000Z", "merged_at": "2024-06-02T10:00:00.000Z",
        "author": {"id": 1, "username": "alice", "name": "Alice"},
        "source_branch": format!("feature-{iid}"), "target_branch": "main",
        "web_url": format!("https://gitlab.com/acme/app/-/merge_requests/{iid}"),
        "merge_commit_sha": merge_commit,
    })
}

/// The commit's merge requests (the first page of 100, as the CLI asks).
pub fn mrs(commit: &str, list: Vec<Value>) -> Route {
    Route::get(
        &format!("{PROJECT}/repository/commits/{commit}/merge_requests"),
        200,
        Value::Array(list),
    )
    .query("page=1&per_page=100")
}

/// The approvals of merge request `iid` by `(username, name)`.
pub fn approvals(iid: i64, users: &[(&str, &str)]) -> Route {
    let by: Vec<Value> = users
        .iter()
        .map(|(u, n)| json!({"user": {"username": u, "name": n}}))
        .collect();
    Route::get(
        &format!("{PROJECT}/merge_requests/{iid}/approvals"),
        200,
        json!({"iid": iid, "approved_by": by}),
    )
}

/// A commit of a merge request.
pub fn commit(sha: &str) -> Value {
    json!({
        "id": sha, "title": "change", "message": "change\n", "author_name": "Alice",
        "author_email": "alice@example.com", "authored_date": "2024-06-01T09:00:00.000Z",
        "created_at": "2024-06-01T09:05:00.000Z",
        "web_url": format!("https://gitlab.com/acme/app/-/commit/{sha}"),
    })
}

/// The commits of merge request `iid` (the first page of 100).
pub fn commits(iid: i64, list: Vec<Value>) -> Route {
    Route::get(
        &format!("{PROJECT}/merge_requests/{iid}/commits"),
        200,
        Value::Array(list),
    )
    .query("page=1&per_page=100")
}
