//! `kosli log environment`: an environment's events (artifacts starting, stopping, scaling).

use serde::{Deserialize, Serialize};

use crate::client::Request;
use crate::error::Result;
use crate::operations;

/// One event of an environment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EnvironmentEvent {
    /// The snapshot it happened in.
    #[serde(default)]
    pub snapshot_index: u64,
    /// The artifact's name.
    #[serde(default)]
    pub artifact_name: String,
    /// The artifact's fingerprint.
    #[serde(default)]
    pub sha256: String,
    /// What happened (`1 instance started running (from 0 to 1).`).
    #[serde(default)]
    pub description: String,
    /// When it was reported (Unix seconds).
    #[serde(default)]
    pub reported_at: f64,
    /// The artifact's flow (the API's older name).
    #[serde(default)]
    pub pipeline: Option<String>,
    /// The environment.
    #[serde(default)]
    pub environment_name: Option<String>,
    /// The artifact's flow.
    #[serde(default)]
    pub flow: Option<String>,
}

/// `kosli log environment ENV`: a page of an environment's events, optionally within a range
/// (snapshot numbers or time expressions, or Unix times) and for some repositories. The CLI
/// always sends `interval` (empty by default), the page (1), its size (15) and `reverse`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEnvironment {
    environment: String,
    interval: String,
    page: u64,
    per_page: u64,
    reverse: bool,
    start: Option<String>,
    end: Option<String>,
    start_ts: Option<f64>,
    end_ts: Option<f64>,
    repos: Vec<String>,
}

impl LogEnvironment {
    /// The CLI's page size.
    pub const DEFAULT_PER_PAGE: u64 = 15;

    /// The first page of `environment`'s events, newest first.
    pub fn new(environment: impl Into<String>) -> Self {
        LogEnvironment {
            environment: environment.into(),
            interval: String::new(),
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
            reverse: false,
            start: None,
            end: None,
            start_ts: None,
            end_ts: None,
            repos: Vec::new(),
        }
    }

    /// Only the snapshots of an interval expression (`2..4`).
    pub fn interval(mut self, expression: impl Into<String>) -> Self {
        self.interval = expression.into();
        self
    }

    /// Page `page` (from 1).
    pub fn page(mut self, page: u64) -> Self {
        self.page = page;
        self
    }

    /// Pages of `per_page` events.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = per_page;
        self
    }

    /// Oldest first.
    pub fn reverse(mut self, reverse: bool) -> Self {
        self.reverse = reverse;
        self
    }

    /// The start of the range: a snapshot number or a time expression, sent as given.
    pub fn start(mut self, start: impl Into<String>) -> Self {
        self.start = Some(start.into());
        self
    }

    /// The end of the range: a snapshot number or a time expression, sent as given.
    pub fn end(mut self, end: impl Into<String>) -> Self {
        self.end = Some(end.into());
        self
    }

    /// The start of the range as a Unix time (seconds).
    pub fn start_ts(mut self, seconds: f64) -> Self {
        self.start_ts = Some(seconds);
        self
    }

    /// The end of the range as a Unix time (seconds).
    pub fn end_ts(mut self, seconds: f64) -> Self {
        self.end_ts = Some(seconds);
        self
    }

    /// Only events of artifacts from this repository (as registered in Kosli); repeatable.
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repos.push(repo.into());
        self
    }

    /// The page asked for.
    pub fn page_number(&self) -> u64 {
        self.page
    }

    /// The request the CLI would send; a page number or size of 0 is refused, in its words.
    pub fn request(&self) -> Result<Request> {
        super::check_page(self.page, self.per_page)?;
        let mut r = Request::new(&operations::LOG_ENVIRONMENT)
            .param("env", &self.environment)
            .query("interval", &self.interval)
            .query("page", self.page.to_string())
            .query("per_page", self.per_page.to_string())
            .query("reverse", self.reverse.to_string());
        if let Some(s) = self.start.as_deref().filter(|s| !s.is_empty()) {
            r = r.query("start", s);
        }
        if let Some(e) = self.end.as_deref().filter(|e| !e.is_empty()) {
            r = r.query("end", e);
        }
        // Go's FormatFloat(x, 'f', -1, 64): the shortest exact digits, never an exponent, as
        // Rust's `Display` of an f64 writes them.
        if let Some(t) = self.start_ts {
            r = r.query("start_ts", t.to_string());
        }
        if let Some(t) = self.end_ts {
            r = r.query("end_ts", t.to_string());
        }
        for repo in &self.repos {
            r = r.query("repo_name", repo);
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_the_captures() {
        let q = |l: LogEnvironment| l.request().unwrap().render_query();
        // log_environment_opts
        assert_eq!(
            q(LogEnvironment::new("prod-k8s")
                .page(3)
                .per_page(7)
                .reverse(true)
                .interval("2..4")),
            "interval=2..4&page=3&per_page=7&reverse=true"
        );
        // log_environment_times
        assert_eq!(
            q(LogEnvironment::new("prod-k8s")
                .start("2024-06-01T00:00:00")
                .end("2024-06-30T00:00:00")
                .repo("acme/app")
                .repo("acme/lib")),
            "end=2024-06-30T00%3A00%3A00&interval=&page=1&per_page=15&repo_name=acme%2Fapp&repo_name=acme%2Flib&reverse=false&start=2024-06-01T00%3A00%3A00"
        );
        // log_environment_ts
        assert_eq!(
            q(LogEnvironment::new("prod-k8s")
                .start_ts(1717200000.0)
                .end_ts(1719792000.5)),
            "end_ts=1719792000.5&interval=&page=1&per_page=15&reverse=false&start_ts=1717200000"
        );
        let r = LogEnvironment::new("prod-k8s").request().unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/environments/acme/prod-k8s/events"
        );
        assert!(LogEnvironment::new("p").per_page(0).request().is_err());
    }
}
