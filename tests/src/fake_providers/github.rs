//! GitHub answers in the shape the CLI's GraphQL queries and REST fallback get them (as in
//! tests/fixtures/review/github_*), for a fake at the base URL given as `--github-base-url`
//! (GraphQL at `/api/graphql`, REST under `/api/v3`), repository `acme/app`.

use serde_json::{json, Value};

use super::server::Route;

/// The GraphQL endpoint under a GitHub Enterprise base URL.
pub const GRAPHQL: &str = "/api/graphql";

/// A commit node of a pull request (signed and valid when `signed`).
pub fn commit_node(oid: &str, message: &str, at: &str, signed: bool) -> Value {
    json!({"commit": {
        "oid": oid, "messageHeadline": message, "committedDate": at, "authoredDate": at,
        "url": format!("https://github.com/acme/app/commit/{oid}"),
        "author": {"name": "Alice", "email": "alice@example.com", "user": {"login": "alice"}},
        "signature": if signed { json!({"isValid": true, "state": "VALID"}) } else { Value::Null },
    }})
}

/// An approving review.
pub fn review(login: &str, at: &str) -> Value {
    json!({"author": {"login": login}, "state": "APPROVED", "submittedAt": at})
}

fn page(nodes: Vec<Value>, next: Option<&str>) -> Value {
    json!({"nodes": nodes, "pageInfo": {"hasNextPage": next.is_some(), "endCursor": next.unwrap_or("")}})
}

/// A pull request node of the commit query, its first pages of commits and reviews followed
/// by the cursors given.
pub fn pr_node(
    number: i64,
    commits: Vec<Value>,
    commits_next: Option<&str>,
    reviews: Vec<Value>,
    reviews_next: Option<&str>,
) -> Value {
    json!({
        "number": number, "repository": {"name": "app", "owner": {"login": "acme"}},
        "title": format!("PR {number}"), "state": "MERGED", "headRefName": format!("feature-{number}"),
        "baseRefName": "main", "url": format!("https://github.com/acme/app/pull/{number}"),
        "createdAt": "2024-06-01T10:00:00Z", "mergedAt": "2024-06-02T10:00:00Z",
        "author": {"login": "alice"},
        "commits": page(commits, commits_next), "reviews": page(reviews, reviews_next),
    })
}

/// The answer to the commit query: these pull request nodes.
pub fn associated(nodes: Vec<Value>) -> Route {
    Route::post(
        GRAPHQL,
        200,
        json!({"data": {"repository": {"object": {"associatedPullRequests": {"nodes": nodes}}}}}),
    )
    .body_contains("associatedPullRequests")
}

/// The page of commits of pull request `number` after `cursor`, followed by `next`.
pub fn commits_page(number: i64, cursor: &str, nodes: Vec<Value>, next: Option<&str>) -> Route {
    Route::post(
        GRAPHQL,
        200,
        json!({"data": {"repository": {"pullRequest": {"commits": page(nodes, next)}}}}),
    )
    .body_contains("commits(first: 100, after: $cursor)")
    .body_contains(&format!("\"cursor\":\"{cursor}\""))
    .body_contains(&format!("\"prNumber\":{number},"))
}

/// The page of reviews of pull request `number` after `cursor`, followed by `next`.
pub fn reviews_page(number: i64, cursor: &str, nodes: Vec<Value>, next: Option<&str>) -> Route {
    Route::post(
        GRAPHQL,
        200,
        json!({"data": {"repository": {"pullRequest": {"reviews": page(nodes, next)}}}}),
    )
    .body_contains("reviews(first: 100, states: APPROVED, after: $cursor)")
    .body_contains(&format!("\"cursor\":\"{cursor}\""))
    .body_contains(&format!("\"prNumber\":{number},"))
}

/// The REST list of the commit's pull requests (`numbers`), the fallback's first page.
pub fn rest_pulls(commit: &str, numbers: &[i64]) -> Route {
    let list: Vec<Value> = numbers
        .iter()
        .map(|n| json!({"number": n, "html_url": format!("https://github.com/acme/app/pull/{n}"), "state": "closed"}))
        .collect();
    Route::get(
        &format!("/api/v3/repos/acme/app/commits/{commit}/pulls"),
        200,
        Value::Array(list),
    )
}

/// The by-number query's answer for pull request `number`, merged as `merge_commit`.
pub fn pr_by_number(number: i64, merge_commit: &str, reviews: Vec<Value>) -> Route {
    let mut node = pr_node(number, Vec::new(), None, reviews, None);
    node["mergeCommit"] = json!({"oid": merge_commit});
    Route::post(
        GRAPHQL,
        200,
        json!({"data": {"repository": {"pullRequest": node}}}),
    )
    .body_contains("pullRequest(number: $prNumber){title")
    .body_contains(&format!("\"prNumber\":{number},"))
}
