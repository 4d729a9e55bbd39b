//! Bitbucket Cloud (REST 2.0, `https://api.bitbucket.org/2.0`; the CLI has no flag for
//! another base, so it was observed through a local HTTPS proxy with its own CA): the commit's
//! pull requests, then each pull request (its participants) and its commits. Observed from CLI
//! v2.43.1 (tests/fixtures/review/bitbucket_*): approvers are the participants with
//! `approved: true` (display name, participant state, `participated_on`), `merged_at` is
//! `updated_on`, commit branches are empty. A pull request's commits follow Bitbucket's `next`
//! links; the commit's list of pull requests is read on its first page only, as the CLI does
//! (both observed: bitbucket_paged).

use serde_json::Value;

use super::answer::{decode, Answer};
use super::pull_request::{Approver, Commit, PullRequest};
use super::{path_escape, Lookup};
use crate::client::ExternalRequest;
use crate::error::{Error, Result};

/// The API root the CLI uses.
pub const BITBUCKET_API: &str = "https://api.bitbucket.org/2.0";

/// The most pages followed per list.
const MAX_PAGES: usize = 1000;

impl Lookup<'_> {
    fn bitbucket_repo_url(&self) -> String {
        let base = self
            .source
            .base_url
            .as_deref()
            .unwrap_or(BITBUCKET_API)
            .trim_end_matches('/');
        format!(
            "{base}/repositories/{}/{}",
            path_escape(&self.source.owner),
            path_escape(&self.source.repository)
        )
    }

    async fn bitbucket_get(&self, url: &str) -> Result<Value> {
        // The CLI sends these through its Kosli HTTP layer, JSON content type included.
        let request = self
            .authed(ExternalRequest::get(self.url(url)?))?
            .header("content-type", "application/json; charset=utf-8")?;
        decode("Bitbucket", &self.client.send_external(&request).await?)
    }

    /// Every `values` item of a paginated list, following `next`.
    async fn bitbucket_list(&self, first: String) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut next = Some(first);
        for _ in 0..MAX_PAGES {
            let Some(url) = next.take() else {
                return Ok(out);
            };
            let page = self.bitbucket_get(&url).await?;
            let a = Answer::new("Bitbucket", &page);
            out.extend(a.list("/values").iter().cloned());
            next = Some(a.text("/next")).filter(|n| !n.is_empty());
        }
        Err(Error::Api {
            status: 200,
            message: format!("Bitbucket: more than {MAX_PAGES} pages"),
        })
    }

    /// The commit's pull requests on Bitbucket Cloud.
    pub(crate) async fn bitbucket(&self, commit: &str) -> Result<Vec<PullRequest>> {
        let repo = self.bitbucket_repo_url();
        // Only the first page: the CLI does not follow this list's `next` link (observed:
        // bitbucket_paged).
        let page = self
            .bitbucket_get(&format!(
                "{repo}/commit/{}/pullrequests",
                path_escape(commit)
            ))
            .await?;
        let list = Answer::new("Bitbucket", &page).list("/values").to_vec();
        let mut out = Vec::with_capacity(list.len());
        for item in &list {
            let id = item.get("id").and_then(Value::as_i64).unwrap_or(0);
            let pr = self
                .bitbucket_get(&format!("{repo}/pullrequests/{id}"))
                .await?;
            let commits = self
                .bitbucket_list(format!("{repo}/pullrequests/{id}/commits"))
                .await?;
            out.push(bitbucket_pr(&pr, &commits, commit)?);
        }
        Ok(out)
    }
}

fn bitbucket_pr(pr: &Value, commits: &[Value], commit: &str) -> Result<PullRequest> {
    let a = Answer::new("Bitbucket pull request", pr);
    let approvers = a
        .list("/participants")
        .iter()
        .filter(|p| p.get("approved").and_then(Value::as_bool) == Some(true))
        .map(|p| {
            let p = Answer::new("Bitbucket participant", p);
            Ok(Approver {
                username: p.text("/user/display_name"),
                state: p.text("/state"),
                timestamp: p.time("/participated_on")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let commits = commits
        .iter()
        .map(|c| {
            let c = Answer::new("Bitbucket commit", c);
            Ok(Commit {
                sha1: c.text("/hash"),
                message: c.text("/message"),
                author: c.text("/author/raw"),
                author_username: String::new(),
                timestamp: c.time("/date")?,
                branch: String::new(),
                url: c.text("/links/html/href"),
                verified: None,
                signature_state: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PullRequest {
        merge_commit: commit.to_string(),
        url: a.text("/links/html/href"),
        state: a.text("/state"),
        approvers: (!approvers.is_empty()).then_some(approvers),
        author: a.text("/author/display_name"),
        created_at: a.time("/created_on")?,
        merged_at: a.time("/updated_on")?,
        title: a.text("/title"),
        head_ref: a.text("/source/branch/name"),
        base_ref: a.text("/destination/branch/name"),
        commits,
    })
}
