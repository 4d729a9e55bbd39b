//! A minimal GitHub GraphQL answer (one merged pull request), so that
//! `kosli attest pullrequest github --github-base-url <fake>/gh/` works against the fake, as it
//! did against the contract's capture server.

use serde_json::json;

use crate::fake::exchange::Answer;

const SHA: &str = "0fc1ba9876f91b215679f3649b8668085d820ab5";

pub(super) fn graphql() -> Answer {
    Answer::json(
        200,
        json!({"data": {"repository": {"object": {"associatedPullRequests": {"nodes": [{
            "number": 7,
            "repository": {"name": "app", "owner": {"login": "acme"}},
            "title": "Add feature",
            "state": "MERGED",
            "headRefName": "feature-x",
            "baseRefName": "main",
            "url": "https://github.com/acme/app/pull/7",
            "createdAt": "2024-06-01T10:00:00Z",
            "mergedAt": "2024-06-02T10:00:00Z",
            "author": {"login": "alice"},
            "commits": {"nodes": [{"commit": {
                "oid": SHA, "messageHeadline": "feature x", "committedDate": "2024-06-01T09:00:00Z",
                "authoredDate": "2024-06-01T09:00:00Z", "url": format!("https://github.com/acme/app/commit/{SHA}"),
                "author": {"name": "Alice", "email": "alice@example.com", "user": {"login": "alice"}},
                "signature": null}}],
                "pageInfo": {"hasNextPage": false, "endCursor": ""}},
            "reviews": {"nodes": [{"author": {"login": "bob"}, "state": "APPROVED", "submittedAt": "2024-06-01T12:00:00Z"}],
                "pageInfo": {"hasNextPage": false, "endCursor": ""}}
        }]}}}}}),
    )
}
