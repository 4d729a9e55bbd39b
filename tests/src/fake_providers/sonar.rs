//! SonarQube / SonarCloud answers as `attest sonar` reads them (captures attest_sonar_*): the
//! CE task, the project's analyses and the quality gate of an analysis.

use serde_json::{json, Value};

use super::server::Route;

/// The CE task `id` of project `key`, analysis `analysis`, on `branch` (if any).
pub fn task(id: &str, key: &str, analysis: &str, branch: Option<&str>) -> Route {
    let mut task = json!({"id": id, "type": "REPORT", "componentKey": key, "status": "SUCCESS", "analysisId": analysis});
    if let Some(b) = branch {
        task["branch"] = json!(b);
    }
    Route::get("/api/ce/task", 200, json!({ "task": task })).query(&format!("id={id}"))
}

/// The analyses of a project, answered to the exact `query` (`project=K&ps=500`, ...): each
/// `(key, revision)` dated 2024-06-10.
pub fn analyses(query: &str, list: &[(&str, &str)]) -> Route {
    let analyses: Vec<Value> = list
        .iter()
        .map(|(k, r)| json!({"key": k, "date": "2024-06-10T06:00:03+0000", "revision": r, "events": []}))
        .collect();
    Route::get(
        "/api/project_analyses/search",
        200,
        json!({"paging": {"pageIndex": 1, "pageSize": 100, "total": analyses.len()}, "analyses": analyses}),
    )
    .query(query)
}

/// The quality gate of analysis `analysis`: `status`, one coverage condition.
pub fn gate(analysis: &str, status: &str) -> Route {
    Route::get(
        "/api/qualitygates/project_status",
        200,
        json!({"projectStatus": {"status": status, "conditions": [
            {"status": status, "metricKey": "new_coverage", "comparator": "LT", "errorThreshold": "80", "actualValue": "71.5"}
        ]}}),
    )
    .query(&format!("analysisId={analysis}"))
}
