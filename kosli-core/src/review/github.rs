//! GitHub: the CLI's GraphQL query for the commit's associated pull requests, draining the
//! commits and approving reviews of each page by page (`hasNextPage`/`endCursor`); when the
//! query finds none, the REST list of the commit's pull requests (pages of 100 following the
//! `Link` header), each then read
//! with the CLI's by-number query. Queries, variables and mapping observed from CLI v2.43.1
//! (wire.md §2.4 and tests/fixtures/review/github_*).

use serde::Serialize;
use serde_json::{json, Value};

use super::answer::{decode, Answer};
use super::pull_request::{Approver, Commit, PullRequest};
use super::source::PrSource;
use super::Lookup;
use crate::client::ExternalRequest;
use crate::error::{Error, Result};

const COMMIT_QUERY: &str = "query($commitCursor:String$commitSHA:GitObjectID!$owner:String!$repo:String!$reviewCursor:String){repository(owner: $owner, name: $repo){object(oid: $commitSHA){... on Commit{associatedPullRequests(first: 100){nodes{number,repository{name,owner{login}},title,state,headRefName,baseRefName,url,createdAt,mergedAt,author{login},commits(first: 100, after: $commitCursor){nodes{commit{oid,messageHeadline,committedDate,authoredDate,url,author{name,email,user{login}},signature{isValid,state}}},pageInfo{hasNextPage,endCursor}},reviews(first: 100, states: APPROVED, after: $reviewCursor){nodes{author{login},state,submittedAt},pageInfo{hasNextPage,endCursor}}}}}}}}";
const PR_QUERY: &str = "query($commitCursor:String$owner:String!$prNumber:Int!$repo:String!$reviewCursor:String){repository(owner: $owner, name: $repo){pullRequest(number: $prNumber){title,state,headRefName,baseRefName,url,createdAt,mergedAt,mergeCommit{oid},author{login},commits(first: 100, after: $commitCursor){nodes{commit{oid,messageHeadline,committedDate,authoredDate,url,author{name,email,user{login}},signature{isValid,state}}},pageInfo{hasNextPage,endCursor}},reviews(first: 100, states: APPROVED, after: $reviewCursor){nodes{author{login},state,submittedAt},pageInfo{hasNextPage,endCursor}}}}}";
const COMMITS_PAGE_QUERY: &str = "query($cursor:String!$owner:String!$prNumber:Int!$repo:String!){repository(owner: $owner, name: $repo){pullRequest(number: $prNumber){commits(first: 100, after: $cursor){nodes{commit{oid,messageHeadline,committedDate,authoredDate,url,author{name,email,user{login}},signature{isValid,state}}},pageInfo{hasNextPage,endCursor}}}}}";
const REVIEWS_PAGE_QUERY: &str = "query($cursor:String!$owner:String!$prNumber:Int!$repo:String!){repository(owner: $owner, name: $repo){pullRequest(number: $prNumber){reviews(first: 100, states: APPROVED, after: $cursor){nodes{author{login},state,submittedAt},pageInfo{hasNextPage,endCursor}}}}}";

/// The most pages drained per list, so that a provider that always says "next page" cannot
/// keep the lookup going for ever.
const MAX_PAGES: usize = 1000;

#[derive(Serialize)]
struct Query<'a> {
    query: &'a str,
    variables: &'a Value,
}

struct Endpoints {
    graphql: String,
    rest: String,
}

fn endpoints(source: &PrSource) -> Endpoints {
    match source.base_url.as_deref() {
        None => Endpoints {
            graphql: "https://api.github.com/graphql".into(),
            rest: "https://api.github.com".into(),
        },
        Some(base) => {
            let base = base.trim_end_matches('/');
            Endpoints {
                graphql: format!("{base}/api/graphql"),
                rest: format!("{base}/api/v3"),
            }
        }
    }
}

/// The page number of the `rel="next"` link of a `Link` header, as go-github reads it.
fn next_page(link: &str) -> Option<u64> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        if !params.split(';').any(|p| p.trim() == "rel=\"next\"") {
            return None;
        }
        let target = target.trim().trim_start_matches('<').trim_end_matches('>');
        let query = target.split_once('?')?.1;
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix("page="))
            .and_then(|n| n.parse().ok())
    })
}

/// The repository name the CLI queries: `owner/name` is cut to `name` (observed).
fn repo_name(repository: &str) -> &str {
    repository.rsplit('/').next().unwrap_or(repository)
}

impl Lookup<'_> {
    async fn graphql(&self, query: &str, variables: Value) -> Result<Value> {
        let url = self.url(&endpoints(self.source).graphql)?;
        // Go's json.Encoder: compact, then a newline.
        let mut body = crate::model::go_json::to_string(&Query {
            query,
            variables: &variables,
        })?;
        body.push('\n');
        let request = self.authed(ExternalRequest::post_json(url, "application/json", body))?;
        let answer = decode(
            "GitHub GraphQL",
            &self.client.send_external(&request).await?,
        )?;
        if answer.get("data").is_none_or(Value::is_null) {
            let message = answer
                .pointer("/errors/0/message")
                .and_then(Value::as_str)
                .unwrap_or("no data in the answer");
            return Err(Error::Api {
                status: 200,
                message: format!("GitHub GraphQL: {message}"),
            });
        }
        Ok(answer)
    }

    /// The commit's pull requests on GitHub.
    pub(crate) async fn github(&self, commit: &str) -> Result<Vec<PullRequest>> {
        let owner = self.source.owner.as_str();
        let repo = repo_name(&self.source.repository);
        let answer = self
            .graphql(
                COMMIT_QUERY,
                json!({"commitCursor": null, "commitSHA": commit, "owner": owner, "repo": repo, "reviewCursor": null}),
            )
            .await?;
        let nodes = Answer::new("GitHub GraphQL", &answer)
            .list("/data/repository/object/associatedPullRequests/nodes")
            .to_vec();
        let mut prs = Vec::with_capacity(nodes.len());
        if !nodes.is_empty() {
            for node in &nodes {
                let number = node.get("number").and_then(Value::as_i64).unwrap_or(0);
                prs.push(self.github_pr(node, commit.to_string(), number).await?);
            }
            return Ok(prs);
        }
        // The REST fallback: pages of 100, following the `Link` header's `rel="next"` page,
        // as the CLI does (observed: github_rest_paged).
        let rest = endpoints(self.source).rest;
        let mut list = Vec::new();
        let mut page = Some(1u64);
        for _ in 0..MAX_PAGES {
            let Some(p) = page else { break };
            let mut url = self.url(&format!(
                "{rest}/repos/{}/{}/commits/{}/pulls",
                super::path_escape(owner),
                super::path_escape(repo),
                super::path_escape(commit)
            ))?;
            url.set_query(Some(&format!("page={p}&per_page=100")));
            let request = self
                .authed(ExternalRequest::get(url))?
                .header("accept", "application/vnd.github.groot-preview+json")?;
            let response = self.client.send_external(&request).await?;
            let Value::Array(items) = decode("GitHub REST", &response)? else {
                return Err(Error::parse(
                    None,
                    None,
                    "GitHub REST: the commit's pull requests are not a list",
                ));
            };
            list.extend(items);
            page = response
                .header("link")
                .and_then(next_page)
                .filter(|n| *n > p);
        }
        for item in &list {
            let number = item.get("number").and_then(Value::as_i64).unwrap_or(0);
            let answer = self
                .graphql(
                    PR_QUERY,
                    json!({"commitCursor": null, "owner": owner, "prNumber": number, "repo": repo, "reviewCursor": null}),
                )
                .await?;
            let node = answer
                .pointer("/data/repository/pullRequest")
                .cloned()
                .unwrap_or(Value::Null);
            let merge = Answer::new("GitHub GraphQL", &node).text("/mergeCommit/oid");
            prs.push(self.github_pr(&node, merge, number).await?);
        }
        Ok(prs)
    }

    /// One pull request node (with its first pages) and the rest of its pages.
    async fn github_pr(
        &self,
        node: &Value,
        merge_commit: String,
        number: i64,
    ) -> Result<PullRequest> {
        let a = Answer::new("GitHub GraphQL", node);
        let head_ref = a.text("/headRefName");
        let mut commit_nodes = a.list("/commits/nodes").to_vec();
        let mut review_nodes = a.list("/reviews/nodes").to_vec();
        self.drain(
            node,
            "commits",
            COMMITS_PAGE_QUERY,
            number,
            &mut commit_nodes,
        )
        .await?;
        self.drain(
            node,
            "reviews",
            REVIEWS_PAGE_QUERY,
            number,
            &mut review_nodes,
        )
        .await?;
        let approvers = review_nodes
            .iter()
            .map(|r| {
                let r = Answer::new("GitHub GraphQL review", r);
                Ok(Approver {
                    username: r.text("/author/login"),
                    state: r.text("/state"),
                    timestamp: r.time("/submittedAt")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let commits = commit_nodes
            .iter()
            .map(|c| {
                let c = Answer::new("GitHub GraphQL commit", c);
                let signature = c
                    .value
                    .pointer("/commit/signature")
                    .filter(|s| !s.is_null());
                Ok(Commit {
                    sha1: c.text("/commit/oid"),
                    message: c.text("/commit/messageHeadline"),
                    author: format!(
                        "{} <{}>",
                        c.text("/commit/author/name"),
                        c.text("/commit/author/email")
                    ),
                    author_username: c.text("/commit/author/user/login"),
                    timestamp: c.time("/commit/authoredDate")?,
                    branch: head_ref.clone(),
                    url: c.text("/commit/url"),
                    verified: signature
                        .and_then(|s| s.get("isValid"))
                        .and_then(Value::as_bool),
                    signature_state: signature
                        .and_then(|s| s.get("state"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PullRequest {
            merge_commit,
            url: a.text("/url"),
            state: a.text("/state"),
            // GitHub's approvers are a list even when empty (observed: github_no_reviews).
            approvers: Some(approvers),
            author: a.text("/author/login"),
            created_at: a.time("/createdAt")?,
            merged_at: a.time("/mergedAt")?,
            title: a.text("/title"),
            head_ref,
            base_ref: a.text("/baseRefName"),
            commits,
        })
    }

    /// Follows `hasNextPage` of `node[field]`, appending each page's nodes to `out`.
    async fn drain(
        &self,
        node: &Value,
        field: &str,
        query: &str,
        number: i64,
        out: &mut Vec<Value>,
    ) -> Result<()> {
        let mut page_info = node.pointer(&format!("/{field}/pageInfo")).cloned();
        for _ in 0..MAX_PAGES {
            let Some(info) = page_info.take() else {
                return Ok(());
            };
            if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
                return Ok(());
            }
            let cursor = info
                .get("endCursor")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let answer = self
                .graphql(
                    query,
                    json!({"cursor": cursor, "owner": self.source.owner, "prNumber": number, "repo": repo_name(&self.source.repository)}),
                )
                .await?;
            let page = answer
                .pointer(&format!("/data/repository/pullRequest/{field}"))
                .cloned()
                .unwrap_or(Value::Null);
            out.extend(
                Answer::new("GitHub GraphQL", &page)
                    .list("/nodes")
                    .iter()
                    .cloned(),
            );
            page_info = page.get("pageInfo").cloned();
        }
        Err(Error::Api {
            status: 200,
            message: format!(
                "GitHub GraphQL: more than {MAX_PAGES} pages of {field} for pull request #{number}"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_endpoints_and_repo_names() {
        let s = PrSource::github("acme", "acme/app", "t").base_url("http://ghe.example/");
        let e = endpoints(&s);
        assert_eq!(e.graphql, "http://ghe.example/api/graphql");
        assert_eq!(e.rest, "http://ghe.example/api/v3");
        assert_eq!(
            endpoints(&PrSource::github("a", "b", "t")).graphql,
            "https://api.github.com/graphql"
        );
        assert_eq!(repo_name("acme/app"), "app");
        assert_eq!(repo_name("app"), "app");
    }

    #[test]
    fn next_pages_of_link_headers() {
        let link = r#"<https://api.github.com/x?page=3&per_page=100>; rel="next", <https://api.github.com/x?page=9&per_page=100>; rel="last""#;
        assert_eq!(next_page(link), Some(3));
        assert_eq!(next_page(r#"<https://a/x?page=1>; rel="prev""#), None);
        assert_eq!(next_page("garbage"), None);
    }
}
