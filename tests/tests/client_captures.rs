//! Every shared capture of status, retries, error bodies, configuration, multi-host and dry-run
//! (tests/fixtures/client/captures), replayed with the SDK's client against fake-kosli: the same
//! requests, the same waits (on a virtual clock: nothing waits real seconds), the same messages.

mod client_common;

use std::collections::HashMap;

use client_common::*;
use kosli_core::client::{Outcome, Part, Request, Response};
use kosli_core::{Config, Error, ErrorKind};
use kosli_tests::fake::FakeKosli;
use serde_json::json;

fn fake() -> FakeKosli {
    FakeKosli::start().unwrap()
}

#[tokio::test]
async fn status_ready() {
    let cap = Capture::load("status_ready");
    let fake = fake();
    let (client, _) = client(capture_config(&fake.url()));
    assert_eq!(client.status().await.unwrap(), cap.stdout.trim_end());
    let got = fake.requests();
    assert_eq!(got.len(), cap.requests.len());
    assert_eq!(got[0]["method"], "GET");
    assert_eq!(got[0]["path"], "/ready");
    for h in ["Authorization", "Content-Type"] {
        assert_eq!(header(&got[0], h), header(&cap.requests[0], h), "{h}");
    }
}

#[tokio::test]
async fn retry_503_twice_then_ok() {
    let cap = Capture::load("retry_503_twice_then_ok");
    let fake = fake();
    fake.push_faults(cap.forced_faults()).unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let outcome = client.write(&cap.request(&CREATE_ENV, &[])).await.unwrap();
    assert_eq!(outcome.response().map(Response::status), Some(201));
    assert_eq!(clock.sleeps(), cap.waits()); // 1 s, 2 s
    let got = fake.requests();
    assert_eq!(got.len(), cap.requests.len());
    for (g, c) in got.iter().zip(&cap.requests) {
        assert_eq!((&g["method"], &g["path"]), (&c["method"], &c["path"]));
        assert_eq!(
            g["body"]["text"], c["body"]["text"],
            "every attempt sends the same body"
        );
        assert_eq!(header(g, "Authorization"), header(c, "Authorization"));
        assert_eq!(header(g, "Content-Type"), header(c, "Content-Type"));
    }
}

#[tokio::test]
async fn retry_429_retry_after_2() {
    let cap = Capture::load("retry_429_retry_after_2");
    let fake = fake();
    fake.seed(&json!({"flows": [{"name": "demo-flow"}]}))
        .unwrap();
    fake.push_faults(cap.forced_faults()).unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let outcome = client
        .write(&cap.request(&ATTEST_ARTIFACT, &[("flow", "demo-flow")]))
        .await
        .unwrap();
    assert!(outcome.response().is_some_and(Response::created));
    assert_eq!(clock.sleeps(), cap.waits()); // 2 s, 2 s: Retry-After, not the backoff
    let got = fake.requests();
    assert_eq!(got.len(), 3);
    assert!(got
        .iter()
        .all(|g| g["body"]["text"] == cap.requests[0]["body"]["text"]));
    // The fake applied the last attempt: the artifact is there.
    let fp = cap.requests[0]["json"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(fake.with_store(|s| s.orgs["acme"]
        .artifacts
        .iter()
        .any(|a| a["fingerprint"] == fp.as_str())));
}

#[tokio::test]
async fn retry_501_not_retried() {
    let cap = Capture::load("retry_501_not_retried");
    let fake = fake();
    fake.push_faults(cap.forced_faults()).unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let e = client
        .write(&cap.request(&CREATE_FLOW, &[]))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Api { status: 501, .. }), "{e:?}");
    assert_eq!(e.to_string(), cap.error_message());
    assert!(clock.sleeps().is_empty());
    let got = fake.requests();
    assert_eq!(got.len(), 1);
    // The same form as the CLI's: parts, names, file name, part content types, size.
    assert_eq!(got[0]["body_len"], cap.requests[0]["body_len"]);
    let strip = |parts: &serde_json::Value| -> Vec<(String, String, String, String)> {
        parts
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].to_string(),
                    p["filename"].to_string(),
                    p["content_type"].to_string(),
                    p["text"].to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        strip(&got[0]["multipart"]),
        strip(&cap.requests[0]["multipart"])
    );
}

#[tokio::test]
async fn error_400_message_and_errors() {
    let cap = Capture::load("error_400_message_and_errors");
    let fake = fake();
    fake.push_faults(cap.forced_faults()).unwrap();
    let (client, _) = client(capture_config(&fake.url()));
    let e = client
        .write(&cap.request(&CREATE_ENV, &[]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.to_string(), cap.error_message());
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn error_400_from_the_fake_itself() {
    // Without a forced answer, the fake validates the type as Kosli does.
    let cap = Capture::load("error_400_message_and_errors");
    let fake = fake();
    let (client, _) = client(capture_config(&fake.url()));
    let e = client
        .write(&cap.request(&CREATE_ENV, &[]))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(
        e.to_string().starts_with(
            "Input payload validation failed: map[type:'K9S' is not one of ['K8S', 'ECS'"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn error_401_string_body() {
    let cap = Capture::load("error_401_string_body");
    let fake = fake();
    fake.push_faults(cap.forced_faults()).unwrap();
    let (client, _) = client(capture_config(&fake.url()));
    let e = client
        .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.to_string(), cap.error_message());
}

#[tokio::test]
async fn error_401_from_a_fake_that_wants_another_token() {
    let fake = FakeKosli::start_with(kosli_tests::fake::Options {
        token: Some("right".into()),
        ..Default::default()
    })
    .unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let e = client
        .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Auth { status: 401, .. }));
    assert_eq!(e.to_string(), "Invalid API token");
    assert!(clock.sleeps().is_empty(), "401 is not retried");
}

#[tokio::test]
async fn config_env_vars() {
    let cap = Capture::load("config_env_vars");
    let fake = fake();
    // The capture's environment, with this fake as the host.
    let env: HashMap<&str, String> = HashMap::from([
        ("HOME", "/nonexistent-home".to_string()),
        ("KOSLI_HOST", fake.url()),
        ("KOSLI_API_TOKEN", "env-token-456".to_string()),
        ("KOSLI_ORG", "acme-env".to_string()),
        ("KOSLI_FLOW", "ignored".to_string()),
    ]);
    let config = Config::builder()
        .load_with_env(&|k| env.get(k).cloned())
        .unwrap();
    assert!(config.warnings().is_empty());
    let (client, _) = client(config);
    client.write(&cap.request(&CREATE_ENV, &[])).await.unwrap();
    let got = fake.requests();
    assert_eq!(got[0]["path"], cap.requests[0]["path"]);
    assert_eq!(
        header(&got[0], "Authorization"),
        header(&cap.requests[0], "Authorization")
    );
    assert_eq!(got[0]["body"], cap.requests[0]["body"]);
}

#[tokio::test]
async fn config_file() {
    let cap = Capture::load("config_file");
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kosli-config.yml");
    // As the capture's fixtures.sh writes it.
    std::fs::write(
        &file,
        format!(
            "org: acme-from-config\napi-token: token-from-config\nhost: {}\n",
            fake.url()
        ),
    )
    .unwrap();
    let home = dir.path().join("home");
    let env = |k: &str| (k == "HOME").then(|| home.display().to_string());
    let config = Config::builder()
        .config_file(&file)
        .load_with_env(&env)
        .unwrap();
    // The CLI's two warnings; the first one's reason is the credential store's, which differs.
    let want: Vec<String> = cap
        .stderr
        .lines()
        .map(|l| {
            l.strip_prefix("[warning] ")
                .unwrap()
                .replace("$FIXDIR/fix/kosli-config.yml", &file.display().to_string())
        })
        .collect();
    assert_eq!(config.warnings().len(), 2);
    let prefix = want[0].split("credentials store: ").next().unwrap();
    assert!(
        config.warnings()[0].starts_with(prefix),
        "{}",
        config.warnings()[0]
    );
    assert_eq!(config.warnings()[1], want[1]);
    let (client, _) = client(config);
    client.write(&cap.request(&CREATE_ENV, &[])).await.unwrap();
    let got = fake.requests();
    assert_eq!(got[0]["path"], "/api/v2/environments/acme-from-config");
    assert_eq!(
        header(&got[0], "Authorization"),
        Some("Bearer token-from-config")
    );
    assert_eq!(got[0]["path"], cap.requests[0]["path"]);
}

#[tokio::test]
async fn multihost_ok() {
    let cap = Capture::load("multihost_ok");
    let (primary, secondary) = (fake(), fake());
    let config = Config::builder()
        .host(format!("{},{}", primary.url(), secondary.url()))
        .api_token("tok-primary,tok-secondary")
        .org("acme")
        .build()
        .unwrap();
    let (client, _) = client(config);
    let outcome = client.write(&cap.request(&CREATE_ENV, &[])).await.unwrap();
    assert!(outcome.is_complete());
    let Outcome::Hosts(hosts) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(hosts.len(), 2);
    assert_eq!(hosts[0].host, primary.url());
    let (p, s) = (primary.requests(), secondary.requests());
    assert_eq!(
        header(&p[0], "Authorization"),
        header(&cap.requests[0], "Authorization")
    );
    assert_eq!(
        header(&s[0], "Authorization"),
        header(&cap.host2_requests()[0], "Authorization")
    );
    assert_eq!(p[0]["body"], s[0]["body"]);
}

#[tokio::test]
async fn multihost_secondary_failure_is_named_and_primary_kept() {
    let (primary, secondary) = (fake(), fake());
    secondary
        .push_faults(vec![
            kosli_tests::fake::Fault::status(400).body(json!({"message": "secondary bad"}))
        ])
        .unwrap();
    let config = Config::builder()
        .host(format!("{},{}", primary.url(), secondary.url()))
        .api_token("a,b")
        .org("acme")
        .build()
        .unwrap();
    let (client, _) = client(config);
    let cap = Capture::load("multihost_ok");
    let outcome = client.write(&cap.request(&CREATE_ENV, &[])).await.unwrap();
    assert_eq!(outcome.failed_hosts(), [secondary.url().as_str()]);
    assert!(outcome.response().is_some_and(Response::created));
    assert!(primary.with_store(|s| s.orgs["acme"].environments.contains_key("prod-k8s")));
}

#[tokio::test]
async fn dryrun_create_env() {
    let cap = Capture::load("dryrun_create_env");
    let fake = fake();
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .dry_run(true)
        .build()
        .unwrap();
    let (client, _) = client(config);
    let body = r#"{"name":"prod-k8s","type":"K8S","description":""}"#;
    let outcome = client
        .write(&Request::new(&CREATE_ENV).json_bytes(body))
        .await
        .unwrap();
    let shown = outcome
        .dry_run()
        .unwrap()
        .to_string()
        .replace(&fake.url(), "http://127.0.0.1:18765");
    assert_eq!(shown, cap.stdout);
    assert!(fake.requests().is_empty(), "dry-run sends nothing");
}

#[tokio::test]
async fn dryrun_attest_generic_multipart() {
    let cap = Capture::load("dryrun_attest_generic_multipart");
    let fake = fake();
    // The DRY_RUN token turns dry-run on too.
    let config = Config::builder()
        .host(fake.url())
        .api_token("DRY_RUN")
        .org("acme")
        .build()
        .unwrap();
    let (client, _) = client(config);
    let data = r#"{"attestation_name":"security-review","user_data":{"reviewer":"bob","score":9.5,"tags":["a","b"],"ticket":"SEC-42"},"is_compliant":true}"#;
    let req = Request::new(&ATTEST_GENERIC)
        .param("flow", "demo-flow")
        .param("trail", "trail-1")
        .multipart(vec![
            Part::field("data_json", data),
            Part::file("attachment_file", "report.txt", "report contents\n"),
        ]);
    let outcome = client.write(&req).await.unwrap();
    let shown = outcome
        .dry_run()
        .unwrap()
        .to_string()
        .replace(&fake.url(), "http://127.0.0.1:18765");
    assert_eq!(shown, cap.stdout);
    assert!(fake.requests().is_empty());
    // Reads still run in dry-run.
    assert_eq!(client.status().await.unwrap(), "\"OK\"");
    assert_eq!(fake.requests().len(), 1);
}
