//! The client against fake-kosli's faults: dropped connections before and after the request is
//! applied, slow answers against the attempt time limit, a proxy, and the fake-kosli binary.

mod client_common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use client_common::*;
use kosli_core::client::{Request, Response};
use kosli_core::dryrun::Method;
use kosli_core::operations::Operation;
use kosli_core::{Config, ErrorKind};
use kosli_tests::fake::{DropAt, FakeKosli, Fault};
use serde_json::json;

const ENV_BODY: &str = r#"{"name":"prod-k8s","type":"K8S","description":""}"#;

fn create_env() -> Request {
    Request::new(&CREATE_ENV).json_bytes(ENV_BODY)
}

#[tokio::test]
async fn a_connection_dropped_before_the_request_is_applied_is_retried() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![Fault::drop_connection(DropAt::Before)])
        .unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let outcome = client.write(&create_env()).await.unwrap();
    // The first attempt changed nothing, so the second one created the environment.
    assert!(outcome.response().is_some_and(Response::created));
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    let got = fake.requests();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["fault"], "drop-before");
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_was_applied_is_retried_as_the_cli_does() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![Fault::drop_connection(DropAt::After)])
        .unwrap();
    let (client, clock) = client(capture_config(&fake.url()));
    let outcome = client.write(&create_env()).await.unwrap();
    // The first attempt was applied: the retry finds the environment and updates it (200).
    assert_eq!(outcome.response().map(Response::status), Some(200));
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    assert_eq!(fake.requests()[0]["fault"], "drop-after");
}

#[tokio::test]
async fn dropped_connections_run_out_as_a_network_error() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![Fault::drop_connection(DropAt::Before).times(10)])
        .unwrap();
    let config = Config::builder()
        .host(fake.url())
        .api_token("t")
        .org("acme")
        .max_api_retries(2)
        .build()
        .unwrap();
    let (client, clock) = client_common::client(config);
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(
        e.to_string().contains("giving up after 3 attempt(s)"),
        "{e}"
    );
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn a_slow_answer_past_the_attempt_limit_is_retried_then_a_timeout() {
    let fake = FakeKosli::start().unwrap();
    fake.push_faults(vec![Fault::delay_ms(400)]).unwrap();
    let config = Config::builder()
        .host(fake.url())
        .api_token("t")
        .org("acme")
        .attempt_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let (client, clock) = client_common::client(config);
    client.write(&create_env()).await.unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    // Every attempt slow: a Timeout error once the retries run out.
    fake.push_faults(vec![Fault::delay_ms(400).times(2)])
        .unwrap();
    let config = Config::builder()
        .host(fake.url())
        .api_token("t")
        .org("acme")
        .max_api_retries(1)
        .attempt_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let (slow, _) = client_common::client(config);
    let e = slow.write(&create_env()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
}

#[tokio::test]
async fn requests_go_through_the_proxy_in_absolute_form() {
    // wire.md §1: the request goes to the proxy as `PUT http://kosli.invalid/...`, Host kosli.invalid.
    let proxy = FakeKosli::start().unwrap();
    let config = Config::builder()
        .host("http://kosli.invalid")
        .api_token("secret-token-123")
        .org("acme")
        .http_proxy(proxy.url())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let (client, _) = client_common::client(config);
    client.write(&create_env()).await.unwrap();
    let got = proxy.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["raw_target"],
        "http://kosli.invalid/api/v2/environments/acme"
    );
    assert_eq!(header(&got[0], "Host"), Some("kosli.invalid"));
    // KOSLI_HTTP_PROXY does the same.
    let env = |k: &str| match k {
        "KOSLI_HTTP_PROXY" => Some(proxy.url()),
        "KOSLI_HOST" => Some("http://kosli.invalid".to_string()),
        "KOSLI_ORG" => Some("acme".to_string()),
        _ => None,
    };
    let config = Config::builder().load_with_env(&env).unwrap();
    let (by_env, _) = client_common::client(config);
    by_env.status().await.unwrap();
    assert_eq!(
        proxy.requests()[1]["raw_target"],
        "http://kosli.invalid/ready"
    );
}

static PUSH_FAULTS: Operation =
    Operation::new("control_faults", Method::Post, "/__control/faults").without_token();

#[test]
fn the_binary_prints_its_port_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-kosli"))
        .args(["--port", "0", "--max-seconds", "120", "--stop-on-eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().parse().unwrap();
    assert_ne!(port, 0);
    let host = format!("http://127.0.0.1:{port}");
    let client = kosli_core::blocking::Client::new(capture_config(&host)).unwrap();
    assert_eq!(client.status().unwrap(), "\"OK\"");
    // Its control endpoints answer over HTTP: queue a 503 for /ready, then status fails once.
    let faults = json!([{"path": "/ready", "status": 503, "times": 4}]);
    client
        .read(&Request::new(&PUSH_FAULTS).json(&faults).unwrap())
        .unwrap();
    let quick = Config::builder()
        .host(&host)
        .max_api_retries(0)
        .build()
        .unwrap();
    let e = kosli_core::blocking::Client::new(quick)
        .unwrap()
        .status()
        .unwrap_err();
    assert!(
        matches!(e, kosli_core::Error::Api { status: 503, .. }),
        "{e:?}"
    );
    drop(child.stdin.take()); // end of stdin stops it
    let status = child.wait().unwrap();
    assert!(status.success());
}
