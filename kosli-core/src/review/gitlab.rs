//! GitLab (REST v4): the commit's merge requests, then per merge request its approvals, its
//! commits and each commit's signature (404 = unsigned). One page of 100 of each list, as the
//! CLI asks. Observed from CLI v2.43.1 (tests/fixtures/review/gitlab_*). One deliberate
//! difference: an unmerged merge request (no `merged_at`) makes the CLI crash (nil pointer);
//! here it is reported without `merged_at`.

use serde_json::Value;

use super::answer::{decode, Answer};
use super::pull_request::{Approver, Commit, PullRequest};
use super::{path_escape, Lookup};
use crate::client::ExternalRequest;
use crate::error::{Error, ErrorKind, Result};

impl Lookup<'_> {
    fn gitlab_project_url(&self) -> String {
        let base = self
            .source
            .base_url
            .as_deref()
            .unwrap_or("https://gitlab.com")
            .trim_end_matches('/');
        let project = format!("{}/{}", self.source.owner, self.source.repository);
        format!("{base}/api/v4/projects/{}", path_escape(&project))
    }

    async fn gitlab_get(&self, path: &str, paged: bool) -> Result<Value> {
        let mut url = self.url(&format!("{}{path}", self.gitlab_project_url()))?;
        if paged {
            url.set_query(Some("page=1&per_page=100"));
        }
        let request = self
            .authed(ExternalRequest::get(url))?
            .header("accept", "application/json")?;
        decode("GitLab", &self.client.send_external(&request).await?)
    }

    /// The commit's merge requests on GitLab.
    pub(crate) async fn gitlab(&self, commit: &str) -> Result<Vec<PullRequest>> {
        let list = self
            .gitlab_get(
                &format!("/repository/commits/{}/merge_requests", path_escape(commit)),
                true,
            )
            .await
            .map_err(|e| {
                super::prefixed(
                    e,
                    &format!("failed to list merge requests for commit {commit}: "),
                )
            })?;
        let Some(mrs) = list.as_array() else {
            return Err(Error::parse(
                None,
                None,
                "GitLab: the commit's merge requests are not a list",
            ));
        };
        let mut out = Vec::with_capacity(mrs.len());
        for mr in mrs {
            out.push(self.gitlab_mr(mr).await?);
        }
        Ok(out)
    }

    async fn gitlab_mr(&self, mr: &Value) -> Result<PullRequest> {
        let a = Answer::new("GitLab merge request", mr);
        let iid = mr.get("iid").and_then(Value::as_i64).unwrap_or(0);
        let head_ref = a.text("/source_branch");
        let approvals = self
            .gitlab_get(&format!("/merge_requests/{iid}/approvals"), false)
            .await?;
        let approvers: Vec<Approver> = Answer::new("GitLab approvals", &approvals)
            .list("/approved_by")
            .iter()
            .map(|u| {
                let u = Answer::new("GitLab approvals", u);
                Approver {
                    username: format!("{} (@{})", u.text("/user/name"), u.text("/user/username")),
                    state: String::new(),
                    timestamp: 0,
                }
            })
            .collect();
        let commits = self
            .gitlab_get(&format!("/merge_requests/{iid}/commits"), true)
            .await?;
        let mut mapped = Vec::new();
        for c in Answer::new("GitLab commits", &commits).list("") {
            mapped.push(self.gitlab_commit(c, &head_ref).await?);
        }
        if commits.as_array().is_none() {
            return Err(Error::parse(
                None,
                None,
                "GitLab: the merge request's commits are not a list",
            ));
        }
        Ok(PullRequest {
            merge_commit: a.text("/merge_commit_sha"),
            url: a.text("/web_url"),
            state: a.text("/state"),
            // No approval is sent as null (observed: gitlab_two_mrs).
            approvers: (!approvers.is_empty()).then_some(approvers),
            author: format!(
                "{} (@{})",
                a.text("/author/name"),
                a.text("/author/username")
            ),
            created_at: a.time("/created_at")?,
            merged_at: a.time("/merged_at")?,
            title: a.text("/title"),
            head_ref,
            base_ref: a.text("/target_branch"),
            commits: mapped,
        })
    }

    async fn gitlab_commit(&self, c: &Value, branch: &str) -> Result<Commit> {
        let a = Answer::new("GitLab commit", c);
        let sha = a.text("/id");
        // The authored date, else created_at (the CLI's rule).
        let timestamp = match a.time("/authored_date")? {
            0 => a.time("/created_at")?,
            t => t,
        };
        let (verified, signature_state) = match self
            .gitlab_get(
                &format!("/repository/commits/{}/signature", path_escape(&sha)),
                false,
            )
            .await
        {
            Ok(sig) => {
                let status = Answer::new("GitLab signature", &sig).text("/verification_status");
                if status.is_empty() {
                    (None, None)
                } else {
                    (Some(status == "verified"), Some(status))
                }
            }
            // GitLab answers 404 for an unsigned commit.
            Err(e) if e.kind() == ErrorKind::NotFound => (None, None),
            Err(e) => return Err(e),
        };
        Ok(Commit {
            sha1: sha,
            message: a.text("/message"),
            author: format!("{} <{}>", a.text("/author_name"), a.text("/author_email")),
            author_username: String::new(),
            timestamp,
            branch: branch.to_string(),
            url: a.text("/web_url"),
            verified,
            signature_state,
        })
    }
}
