//! Provider errors, rate limits and retries during pull-request, Sonar and Jira lookups, on
//! the client's virtual clock (no real waiting): 5xx and 429 are retried with the client's
//! rules (`Retry-After` honoured on 429 and 503), refusals are typed errors naming the
//! provider's message, and no token ever appears in the tracing output, errors or `Debug`.

mod review_common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kosli_core::review::jira::JiraSource;
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::PrSource;
use kosli_core::ErrorKind;
use kosli_tests::fake_providers::{
    azure, bitbucket, github, gitlab, jira, sonar, FakeProvider, Route,
};
use review_common::*;
use serde_json::json;

/// A current-thread runtime, so that every log line of a lookup is made on this thread.
fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_503_with_retry_after_is_waited_on_the_clock_then_retried() {
    let f = FakeProvider::start(vec![github::associated(vec![github::pr_node(
        7,
        vec![],
        None,
        vec![],
        None,
    )])])
    .unwrap();
    f.fail("/api/graphql", 503, Some("7"));
    let (client, clock) = review_common::client(&f.url());
    let src = PrSource::github("acme", "app", "ghp_tok").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap();
    assert_eq!(e.pull_requests.len(), 1);
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
    let statuses: Vec<u16> = f.requests().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [503, 200]);
}

#[test]
fn rate_limits_429_are_retried_after_the_asked_wait() {
    let f = FakeProvider::start(vec![gitlab::mrs(COMMIT, vec![])]).unwrap();
    f.fail("/api/v4/", 429, Some("2"));
    f.fail("/api/v4/", 429, Some("3"));
    let (client, clock) = review_common::client(&f.url());
    let src = PrSource::gitlab("acme", "app", "glpat").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap();
    assert!(e.pull_requests.is_empty());
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(2), Duration::from_secs(3)]
    );
    assert_eq!(f.requests().len(), 3);
}

#[test]
fn server_errors_exhaust_the_retries_then_fail_with_the_last_message() {
    let f = FakeProvider::start(vec![bitbucket::commit_prs(COMMIT, &[], None, None)]).unwrap();
    for _ in 0..4 {
        f.fail("/2.0/", 500, None);
    }
    let (client, clock) = review_common::client(&f.url());
    let src = PrSource::bitbucket("acme", "app")
        .token("bb-access")
        .base_url(&format!("{}/2.0", f.url()));
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert_eq!(f.requests().len(), 4, "3 retries: 4 attempts");
    assert_eq!(clock.sleeps().len(), 3);
    assert!(
        matches!(e.kind(), ErrorKind::Api | ErrorKind::Network),
        "{e:?}"
    );
    assert!(e.to_string().contains("500"), "{e}");
    // With one retry left over, the fifth answer (the route) succeeds.
    let f = FakeProvider::start(vec![bitbucket::commit_prs(COMMIT, &[], None, None)]).unwrap();
    f.fail("/2.0/", 502, None);
    let (client, _) = client_with(&f.url(), 1);
    let src = src.base_url(&format!("{}/2.0", f.url()));
    assert!(rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .is_ok());
}

#[test]
fn refusals_are_typed_and_not_retried() {
    // 401 from Azure DevOps: Auth.
    let f = FakeProvider::start(vec![Route::post(
        &format!("{}/pullRequestQuery", azure::REPO),
        401,
        json!({"message": "TF400813: The user is not authorized"}),
    )])
    .unwrap();
    let (client, clock) = review_common::client(&f.url());
    let src = PrSource::azure(&format!("{}/acmeorg", f.url()), "proj", "app", "az-pat");
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(f.requests().len(), 1);
    assert!(clock.sleeps().is_empty());
    // GitHub's rate limit answer (403, remaining 0): Auth, not retried.
    let f = FakeProvider::start(vec![Route::post(
        github::GRAPHQL,
        403,
        json!({"message": "API rate limit exceeded"}),
    )
    .header("x-ratelimit-remaining", "0")])
    .unwrap();
    let (client, _) = review_common::client(&f.url());
    let src = PrSource::github("acme", "app", "ghp_tok").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.to_string().contains("API rate limit exceeded"), "{e}");
    assert_eq!(f.requests().len(), 1);
    // GitLab 404 for the project: NotFound, named as the CLI names it.
    let f = FakeProvider::start(vec![]).unwrap();
    let (client, _) = review_common::client(&f.url());
    let src = PrSource::gitlab("acme", "nope", "glpat").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.to_string().starts_with(&format!(
            "failed to list merge requests for commit {COMMIT}: "
        )),
        "{e}"
    );
    // GitHub GraphQL errors in a 200: Api, with GitHub's message.
    let f = FakeProvider::start(vec![Route::post(
        github::GRAPHQL,
        200,
        json!({"data": null, "errors": [{"message": "Could not resolve to a Repository"}]}),
    )])
    .unwrap();
    let (client, _) = review_common::client(&f.url());
    let src = PrSource::github("acme", "app", "ghp_tok").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(
        e.to_string().contains("Could not resolve to a Repository"),
        "{e}"
    );
    // An answer of the wrong shape: Parse, naming the provider and the list.
    let f = FakeProvider::start(vec![]).unwrap();
    f.push_fault(kosli_tests::fake_providers::Fault {
        path_prefix: String::new(),
        status: 200,
        retry_after: None,
        body: json!({"message": "not a list"}),
    });
    let (client, _) = review_common::client(&f.url());
    let src = PrSource::gitlab("acme", "app", "glpat").base_url(&f.url());
    let e = rt()
        .block_on(client.find_pull_requests(&src, COMMIT))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("GitLab: the commit's merge requests are not a list"),
        "{e}"
    );
    assert_eq!(e.kind(), ErrorKind::Parse);
}

/// A writer into a shared buffer, for the tracing subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn tokens_never_appear_in_logs_errors_or_debug() {
    const SECRETS: [&str; 8] = [
        "ghp_SECRET1",
        "glpat-SECRET2",
        "bb-SECRET3",
        "bbpw-SECRET4",
        "az-SECRET5",
        "sonar-SECRET6",
        "jira-SECRET7",
        "jirapat-SECRET8",
    ];
    let buf = Captured::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let mut texts: Vec<String> = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        let f = FakeProvider::start(vec![]).unwrap();
        let base = f.url();
        let (client, _) = client_with(&base, 1);
        let sources = [
            PrSource::github("acme", "app", SECRETS[0]).base_url(&base),
            PrSource::gitlab("acme", "app", SECRETS[1]).base_url(&base),
            PrSource::bitbucket("acme", "app")
                .token(SECRETS[2])
                .base_url(&format!("{base}/2.0")),
            PrSource::bitbucket("acme", "app")
                .basic_auth("bob", SECRETS[3])
                .base_url(&format!("{base}/2.0")),
            PrSource::azure(&format!("{base}/acmeorg"), "proj", "app", SECRETS[4]),
        ];
        let rt = rt();
        for src in &sources {
            // A retried 503, then the fake's 404 (no routes): both logged, one error.
            f.fail("/", 503, Some("1"));
            let e = rt
                .block_on(client.find_pull_requests(src, COMMIT))
                .unwrap_err();
            texts.push(format!("{e} {e:?} {src:?}"));
        }
        let mut sonar_src = SonarSource::new(SECRETS[5]);
        sonar_src.ce_task_url = Some(format!("{base}/api/ce/task?id=T1"));
        f.add_routes([sonar::task("T1", "acme_app", "AN-1", None)]);
        f.fail("/api/project_analyses", 401, None);
        let e = rt.block_on(client.sonar_results(&sonar_src)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        texts.push(format!("{e} {e:?} {sonar_src:?}"));
        let mut jira_src = JiraSource::new(&base);
        jira_src.username = Some("bob".into());
        jira_src.api_token = Some(SECRETS[6].to_string().into());
        f.fail("/rest/", 403, None);
        let e = rt
            .block_on(client.jira_results(&jira_src, &["ABC-1".into()]))
            .unwrap_err();
        texts.push(format!("{e} {e:?} {jira_src:?}"));
        jira_src.pat = Some(SECRETS[7].to_string().into());
        f.add_routes([jira::missing("ABC-2")]);
        let r = rt
            .block_on(client.jira_results(&jira_src, &["ABC-2".into()]))
            .unwrap();
        texts.push(format!("{r:?} {jira_src:?}"));
        // The credentials did reach the fake.
        let sent: Vec<String> = f
            .requests()
            .iter()
            .flat_map(|s| s.headers.iter().map(|(_, v)| v.clone()))
            .collect();
        assert!(sent.iter().any(|v| v == &format!("Bearer {}", SECRETS[0])));
        assert!(sent.iter().any(|v| v == SECRETS[1]));
    });
    let logs = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("retrying"),
        "the retries were logged:\n{logs}"
    );
    let basic = |user: &str, secret: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
    };
    for secret in SECRETS {
        let encoded = [basic("bob", secret), basic("", secret)];
        for text in std::iter::once(&logs).chain(texts.iter()) {
            assert!(!text.contains(secret), "{secret} in {text}");
            for e in &encoded {
                assert!(!text.contains(e.as_str()), "{secret} (base64) in {text}");
            }
        }
    }
}
