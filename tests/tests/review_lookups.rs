//! Pull-request lookups through the SDK against fake providers answering cases nobody
//! recorded: several pull requests, pagination past the first page, none found, the blocking
//! client. The shapes of the answers and the paging rules are the observed ones
//! (tests/fixtures/review/README.md).

mod review_common;

use kosli_core::review::{Approvals, PrSource, Provider};
use kosli_core::ErrorKind;
use kosli_tests::fake_providers::{azure, bitbucket, github, gitlab, FakeProvider, Route};
use review_common::*;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn fake(routes: Vec<Route>) -> FakeProvider {
    FakeProvider::start(routes).unwrap()
}

fn gh(fake: &FakeProvider) -> PrSource {
    PrSource::github("acme", "acme/app", "ghp_tok").base_url(&format!("{}/", fake.url()))
}

#[test]
fn github_several_pull_requests_with_their_pages_drained() {
    let c = |oid: &str| github::commit_node(oid, "change", "2024-06-01T09:00:00Z", false);
    let r = |login: &str| github::review(login, "2024-06-01T12:00:00Z");
    let f = fake(vec![
        github::commits_page(7, "C1", vec![c("b")], Some("C2")),
        github::commits_page(7, "C2", vec![c("c")], None),
        github::reviews_page(7, "R1", vec![r("carol"), r("bob")], None),
        github::associated(vec![
            github::pr_node(7, vec![c("a")], Some("C1"), vec![r("bob")], Some("R1")),
            github::pr_node(8, vec![c("d")], None, vec![], None),
        ]),
    ]);
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&gh(&f), COMMIT))
        .unwrap();
    assert_eq!(e.pull_requests.len(), 2);
    let shas: Vec<&str> = e.pull_requests[0]
        .commits
        .iter()
        .map(|c| c.sha1.as_str())
        .collect();
    assert_eq!(shas, ["a", "b", "c"]);
    assert_eq!(e.pull_requests[1].commits.len(), 1);
    let approvals = e.approvals();
    assert_eq!(approvals[0].count, 2, "bob twice counts once");
    assert_eq!(approvals[0].approvers, ["bob", "carol"]);
    assert_eq!(
        approvals[1],
        Approvals {
            url: "https://github.com/acme/app/pull/8".into(),
            count: 0,
            approvers: vec![]
        }
    );
    // The commit query, two commit pages, one review page; `acme/app` is queried as `app`.
    let seen = f.requests();
    assert_eq!(seen.len(), 4);
    assert!(
        seen[0].body.contains(r#""owner":"acme","repo":"app""#),
        "{}",
        seen[0].body
    );
    assert!(seen
        .iter()
        .all(|s| s.header("authorization") == Some("Bearer ghp_tok")));
    assert!(e.assert_found().is_ok());
}

#[test]
fn github_none_found_then_rest_fallback_empty_fails_the_assert() {
    let f = fake(vec![
        github::associated(vec![]),
        github::rest_pulls(COMMIT, &[]),
    ]);
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.assert_pull_requests(&gh(&f), COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PolicyDenied);
    assert_eq!(
        e.to_string(),
        format!("assert failed: found no pull request(s) in Github for commit: {COMMIT}")
    );
    let seen = f.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].query, "page=1&per_page=100");
}

#[test]
fn github_rest_fallback_reads_each_pull_request_by_number() {
    let f = fake(vec![
        github::associated(vec![]),
        github::rest_pulls(COMMIT, &[9, 11]),
        github::pr_by_number(
            9,
            COMMIT,
            vec![github::review("bob", "2024-06-01T12:00:00Z")],
        ),
        github::pr_by_number(11, "ffff", vec![]),
    ]);
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&gh(&f), COMMIT))
        .unwrap();
    let merges: Vec<&str> = e
        .pull_requests
        .iter()
        .map(|p| p.merge_commit.as_str())
        .collect();
    assert_eq!(merges, [COMMIT, "ffff"]);
    assert_eq!(e.approvals()[0].count, 1);
}

#[test]
fn gitlab_several_merge_requests_over_two_pages() {
    let f = fake(vec![
        gitlab::mrs(COMMIT, vec![gitlab::mr(7, COMMIT)]).header("X-Next-Page", "2"),
        gitlab::mrs(COMMIT, vec![gitlab::mr(8, COMMIT)]).query("page=2&per_page=100"),
        gitlab::approvals(7, &[("bob", "Bob")]),
        gitlab::approvals(8, &[]),
        gitlab::commits(7, vec![gitlab::commit("a"), gitlab::commit("b")]),
        gitlab::commits(8, vec![]),
    ]);
    let src = PrSource::gitlab("acme", "app", "glpat").base_url(&f.url());
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap();
    assert_eq!(e.pull_requests.len(), 2);
    assert_eq!(e.pull_requests[0].commits.len(), 2);
    assert_eq!(e.approvals()[0].approvers, ["Bob (@bob)"]);
    assert_eq!(
        e.pull_requests[1].approvers, None,
        "no approval is null, as the CLI sends"
    );
    // Unsigned commits: the fake's 404 on their signatures.
    assert!(e.pull_requests[0]
        .commits
        .iter()
        .all(|c| c.verified.is_none()));
    assert!(f
        .requests()
        .iter()
        .all(|s| s.header("private-token") == Some("glpat")));
}

#[test]
fn bitbucket_follows_next_for_commits_only() {
    let f = fake(Vec::new());
    let next = |path: &str| Some(format!("{}{path}?page=2", f.url()));
    f.add_routes([
        bitbucket::commit_prs(
            COMMIT,
            &[7],
            None,
            next(&format!("{}/commit/{COMMIT}/pullrequests", bitbucket::REPO)),
        ),
        bitbucket::commit_prs(COMMIT, &[8], Some(2), None),
        bitbucket::pr(7, &["Bob"]),
        bitbucket::pr_commits(
            7,
            &["a"],
            None,
            next(&format!("{}/pullrequests/7/commits", bitbucket::REPO)),
        ),
        bitbucket::pr_commits(7, &["b"], Some(2), None),
    ]);
    let src = PrSource::bitbucket("acme", "app")
        .token("bb-access")
        .base_url(&format!("{}/2.0", f.url()));
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap();
    assert_eq!(
        e.pull_requests.len(),
        1,
        "the CLI reads one page of the commit's pull requests"
    );
    let shas: Vec<&str> = e.pull_requests[0]
        .commits
        .iter()
        .map(|c| c.sha1.as_str())
        .collect();
    assert_eq!(shas, ["a", "b"]);
    assert_eq!(e.pull_requests[0].merge_commit, COMMIT);
    assert!(f
        .requests()
        .iter()
        .all(|s| s.header("authorization") == Some("Bearer bb-access")));
}

#[test]
fn azure_several_pull_requests_and_the_blocking_client() {
    let f = fake(vec![
        azure::query(COMMIT, &[7, 8]),
        azure::commits(7, &["a", "b"]),
        azure::commits(8, &["c"]),
        azure::reviewers(7, &[("Bob", 10), ("Carol", 5)]),
        azure::reviewers(8, &[]),
    ]);
    let src = PrSource::azure(&format!("{}/acmeorg", f.url()), "proj", "app", "az-pat");
    let config = kosli_core::Config::builder()
        .host(f.url())
        .api_token("k")
        .org("acme")
        .build()
        .unwrap();
    let client = kosli_core::blocking::Client::new(config).unwrap();
    let e = client.find_pull_requests(&src, COMMIT).unwrap();
    assert_eq!(e.provider, Provider::Azure);
    assert_eq!(e.pull_requests.len(), 2);
    assert_eq!(e.approvals()[0].approvers, ["Bob (bob@example.com)"]);
    assert_eq!(
        e.pull_requests[0].url,
        format!("{}/acmeorg/proj/_git/app/pullrequest/7", f.url())
    );
    // The assert reads no commits (the CLI's Azure assert).
    let before = f.requests().len();
    let asserted = client.assert_pull_requests(&src, COMMIT).unwrap();
    assert!(asserted.pull_requests.iter().all(|p| p.commits.is_empty()));
    assert_eq!(f.requests().len() - before, 3, "query + two reviewer lists");
    let none = client
        .assert_pull_requests(&src, "0000000000000000000000000000000000000000")
        .unwrap_err();
    assert_eq!(none.kind(), ErrorKind::PolicyDenied);
    assert!(
        none.to_string()
            .contains("in Azure DevOps for commit: 0000"),
        "{none}"
    );
}

#[test]
fn missing_flags_are_named_before_any_request() {
    let f = fake(Vec::new());
    let (client, _) = client(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&PrSource::new(Provider::Gitlab), COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(
        e.to_string(),
        r#"required flag(s) "gitlab-org", "gitlab-token", "repository" not set"#
    );
    assert!(f.requests().is_empty());
}
