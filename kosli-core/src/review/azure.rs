//! Azure DevOps (Git REST, `api-version=5.1` in `Accept`, as the CLI's client sends it): the
//! pull requests whose last merge commit is the commit (`pullRequestQuery`), then each one's
//! commits (`$top=100` a page, following continuation tokens; not for an assert, as observed)
//! and reviewers. Observed from CLI v2.43.1 by pointing `--azure-org-url`
//! at a local fake (tests/fixtures/review/azure_*); the CLI's client first discovers resource
//! locations (`OPTIONS {org}/_apis`, `GET {org}/_apis/ResourceAreas`), which this module does
//! not need. Approvers are the reviewers with vote 10 (`APPROVED`), as observed.

use serde_json::{json, Value};

use super::answer::{decode, Answer};
use super::pull_request::{Approver, Commit, PullRequest};
use super::{path_escape, Lookup};
use crate::client::{escape_query, ExternalRequest};
use crate::error::Result;

const ACCEPT: &str = "application/json;api-version=5.1";

/// The most pages read per list.
const MAX_PAGES: usize = 1000;

impl Lookup<'_> {
    fn azure_org(&self) -> String {
        self.source
            .base_url
            .as_deref()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string()
    }

    fn azure_repo_url(&self) -> String {
        format!(
            "{}/{}/_apis/git/repositories/{}",
            self.azure_org(),
            path_escape(&self.source.project),
            path_escape(&self.source.repository)
        )
    }

    async fn azure_get(&self, url: &str, query: Option<&str>) -> Result<Value> {
        Ok(self.azure_get_paged(url, query).await?.0)
    }

    /// A GET, with the continuation token of the next page, if the answer names one.
    async fn azure_get_paged(
        &self,
        url: &str,
        query: Option<&str>,
    ) -> Result<(Value, Option<String>)> {
        let mut url = self.url(url)?;
        url.set_query(query);
        let request = self
            .authed(ExternalRequest::get(url))?
            .header("accept", ACCEPT)?;
        let response = self.client.send_external(&request).await?;
        let next = response
            .header("x-ms-continuationtoken")
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Ok((decode("Azure DevOps", &response)?, next))
    }

    /// A pull request's commits, 100 a page, following `x-ms-continuationtoken` as the CLI
    /// does (observed: azure_paged).
    async fn azure_commits(&self, repo: &str, id: i64) -> Result<Vec<Value>> {
        let url = format!("{repo}/pullRequests/{id}/commits");
        let mut out = Vec::new();
        let mut query = "%24top=100".to_string();
        for _ in 0..MAX_PAGES {
            let (page, next) = self.azure_get_paged(&url, Some(&query)).await?;
            out.extend(
                Answer::new("Azure DevOps commits", &page)
                    .list("/value")
                    .iter()
                    .cloned(),
            );
            match next {
                Some(token) => {
                    query = format!("%24top=100&continuationToken={}", escape_query(&token));
                }
                None => return Ok(out),
            }
        }
        Err(crate::error::Error::Api {
            status: 200,
            message: format!("Azure DevOps: more than {MAX_PAGES} pages of commits"),
        })
    }

    /// The commit's pull requests on Azure DevOps.
    pub(crate) async fn azure(&self, commit: &str) -> Result<Vec<PullRequest>> {
        let repo = self.azure_repo_url();
        let body = crate::model::go_json::to_string(
            &json!({"queries": [{"items": [commit], "type": "lastMergeCommit"}]}),
        )?;
        let request = self
            .authed(ExternalRequest::post_json(
                self.url(&format!("{repo}/pullRequestQuery"))?,
                "application/json;charset=utf-8",
                body,
            ))?
            .header("accept", ACCEPT)?;
        let answer = decode("Azure DevOps", &self.client.send_external(&request).await?)?;
        let prs: Vec<Value> = Answer::new("Azure DevOps", &answer)
            .list("/results")
            .iter()
            .filter_map(|r| r.get(commit).and_then(Value::as_array))
            .flatten()
            .cloned()
            .collect();
        let mut out = Vec::with_capacity(prs.len());
        for pr in &prs {
            let id = pr.get("pullRequestId").and_then(Value::as_i64).unwrap_or(0);
            let commits = if self.for_assert {
                Vec::new()
            } else {
                self.azure_commits(&repo, id).await?
            };
            let reviewers = self
                .azure_get(&format!("{repo}/pullRequests/{id}/reviewers"), None)
                .await?;
            out.push(self.azure_pr(pr, id, &commits, &reviewers)?);
        }
        Ok(out)
    }

    fn azure_pr(
        &self,
        pr: &Value,
        id: i64,
        commits: &[Value],
        reviewers: &Value,
    ) -> Result<PullRequest> {
        let a = Answer::new("Azure DevOps pull request", pr);
        let head_ref = a.text("/sourceRefName");
        let approvers: Vec<Approver> = Answer::new("Azure DevOps reviewers", reviewers)
            .list("/value")
            .iter()
            .filter(|r| r.get("vote").and_then(Value::as_i64) == Some(10))
            .map(|r| {
                let r = Answer::new("Azure DevOps reviewer", r);
                Approver {
                    username: format!("{} ({})", r.text("/displayName"), r.text("/uniqueName")),
                    state: "APPROVED".into(),
                    timestamp: 0,
                }
            })
            .collect();
        let commits = commits
            .iter()
            .map(|c| {
                let c = Answer::new("Azure DevOps commit", c);
                Ok(Commit {
                    sha1: c.text("/commitId"),
                    message: c.text("/comment"),
                    author: format!("{} <{}>", c.text("/author/name"), c.text("/author/email")),
                    author_username: String::new(),
                    timestamp: c.time("/author/date")?,
                    branch: head_ref.clone(),
                    url: c.text("/url"),
                    verified: None,
                    signature_state: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PullRequest {
            merge_commit: a.text("/lastMergeCommit/commitId"),
            url: format!(
                "{}/{}/_git/{}/pullrequest/{id}",
                self.azure_org(),
                self.source.project,
                self.source.repository
            ),
            state: a.text("/status"),
            approvers: (!approvers.is_empty()).then_some(approvers),
            author: format!(
                "{} ({})",
                a.text("/createdBy/displayName"),
                a.text("/createdBy/uniqueName")
            ),
            created_at: a.time("/creationDate")?,
            merged_at: a.time("/closedDate")?,
            title: a.text("/title"),
            head_ref,
            base_ref: a.text("/targetRefName"),
            commits,
        })
    }
}
