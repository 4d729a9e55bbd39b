//! GitLab (REST v4): the commit's merge requests, then per merge request its approvals, its
//! commits and each commit's signature (404 = unsigned). Lists are read 100 a page, following
//! GitLab's `X-Next-Page` header (not its `Link` header), as the CLI does (observed:
//! gitlab_paged, gitlab_paged_link). Observed from CLI v2.43.1 (tests/fixtures/review/gitlab_*). One deliberate
//! difference: an unmerged merge request (no `merged_at`) makes the CLI crash (nil pointer);
//! here it is reported without `merged_at`.

use serde_json::Value;

use super::answer::{decode, Answer};
use super::pull_request::{Approver, Commit, PullRequest};
use super::{path_escape, Lookup};
use crate::client::ExternalRequest;
use crate::error::{Error, ErrorKind, Result};

/// The most pages read per list, so that a provider that always names a next page cannot
/// keep the lookup going for ever.
const MAX_PAGES: usize = 1000;

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

    async fn gitlab_get(&self, path: &str, page: Option<u64>) -> Result<(Value, Option<u64>)> {
        let mut url = self.url(&format!("{}{path}", self.gitlab_project_url()))?;
        if let Some(page) = page {
            url.set_query(Some(&format!("page={page}&per_page=100")));
        }
        let request = self
            .authed(ExternalRequest::get(url))?
            .header("accept", "application/json")?;
        let response = self.client.send_external(&request).await?;
        let next = response
            .header("x-next-page")
            .and_then(|n| n.trim().parse::<u64>().ok())
            .filter(|n| *n > 0);
        Ok((decode("GitLab", &response)?, next))
    }

    /// Every item of a paged list, page after page while GitLab names a next page.
    async fn gitlab_list(&self, path: &str, what: &str) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut page = Some(1);
        for _ in 0..MAX_PAGES {
            let Some(p) = page else {
                return Ok(out);
            };
            let (list, next) = self.gitlab_get(path, Some(p)).await?;
            let Value::Array(items) = list else {
                return Err(Error::parse(
                    None,
                    None,
                    format!("GitLab: the {what} are not a list"),
                ));
            };
            out.extend(items);
            // A next page that does not move forward would loop for ever.
            page = next.filter(|n| *n > p);
        }
        Err(Error::Api {
            status: 200,
            message: format!("GitLab: more than {MAX_PAGES} pages of {what}"),
        })
    }

    /// The commit's merge requests on GitLab.
    pub(crate) async fn gitlab(&self, commit: &str) -> Result<Vec<PullRequest>> {
        let mrs = self
            .gitlab_list(
                &format!("/repository/commits/{}/merge_requests", path_escape(commit)),
                "commit's merge requests",
            )
            .await
            .map_err(|e| {
                super::prefixed(
                    e,
                    &format!("failed to list merge requests for commit {commit}: "),
                )
            })?;
        let mut out = Vec::with_capacity(mrs.len());
        for mr in &mrs {
            out.push(self.gitlab_mr(mr).await?);
        }
        Ok(out)
    }

    async fn gitlab_mr(&self, mr: &Value) -> Result<PullRequest> {
        let a = Answer::new("GitLab merge request", mr);
        let iid = mr.get("iid").and_then(Value::as_i64).unwrap_or(0);
        let head_ref = a.text("/source_branch");
        let (approvals, _) = self
            .gitlab_get(&format!("/merge_requests/{iid}/approvals"), None)
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
            .gitlab_list(
                &format!("/merge_requests/{iid}/commits"),
                "merge request's commits",
            )
            .await?;
        let mut mapped = Vec::with_capacity(commits.len());
        for c in &commits {
            mapped.push(self.gitlab_commit(c, &head_ref).await?);
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
                None,
            )
            .await
        {
            Ok((sig, _)) => {
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
