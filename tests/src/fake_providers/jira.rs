//! Jira answers as `attest jira` reads them (capture attest_jira_fields): an issue with its
//! fields, or Jira's 404 for an issue that does not exist (or cannot be seen).

use serde_json::{json, Value};

use super::server::Route;

/// Issue `key` with `fields`, answered to any `fields` query.
pub fn issue(key: &str, fields: Value) -> Route {
    Route::get(
        &format!("/rest/api/2/issue/{key}"),
        200,
        json!({"id": "10001", "key": key, "fields": fields}),
    )
}

/// Jira's answer for an issue that does not exist.
pub fn missing(key: &str) -> Route {
    Route::get(
        &format!("/rest/api/2/issue/{key}"),
        404,
        json!({"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}}),
    )
}
