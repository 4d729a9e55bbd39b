//! Wire-level tests of the client against wiremock: the retry rules with counted attempts and
//! the waits observed through a virtual clock (nothing here waits real seconds), error bodies,
//! dry-run and multi-host. (The token's secrecy in logs is tested in
//! `kosli-core/tests/token_secrecy.rs`, a process of its own with a global subscriber.) The shared captures these follow are copied
//! into `tests/fixtures/client/` with their origin.

use std::sync::Arc;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::dryrun::Method;
use crate::operations::Operation;
use crate::ErrorKind;

static CREATE_ENV: Operation = Operation::new(
    "create_environment",
    Method::Put,
    "/api/v2/environments/{org}",
);
static GET_FLOW: Operation = Operation::new("get_flow", Method::Get, "/api/v2/flows/{org}/{flow}");
static CREATE_FLOW: Operation = Operation::new(
    "create_flow",
    Method::Put,
    "/api/v2/flows/{org}/template_file",
);

const TOKEN: &str = "secret-token-123";
const ENV_BODY: &str = r#"{"name":"prod-k8s","type":"K8S","description":""}"#;

fn config(host: &str, retries: u32) -> ConfigBuilderExt {
    ConfigBuilderExt(
        Config::builder()
            .host(host)
            .api_token(TOKEN)
            .org("acme")
            .max_api_retries(retries),
    )
}

struct ConfigBuilderExt(crate::config::ConfigBuilder);

impl ConfigBuilderExt {
    fn client(self) -> (Client, VirtualClock) {
        let clock = VirtualClock::new();
        let client = Client::builder(self.0.build().unwrap())
            .clock(Arc::new(clock.clone()))
            .build()
            .unwrap();
        (client, clock)
    }
}

fn create_env() -> Request {
    Request::new(&CREATE_ENV).json_bytes(ENV_BODY)
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|s| Duration::from_secs(*s)).collect()
}

async fn respond_seq(
    server: &MockServer,
    http_method: &str,
    p: &str,
    answers: Vec<ResponseTemplate>,
) {
    let n = answers.len();
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method(http_method))
            .and(path(p))
            .respond_with(answer);
        // All but the last answer once each; the last one for every later request.
        let mock = if i + 1 < n {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.with_priority(u8::try_from(i + 1).unwrap())
            .mount(server)
            .await;
    }
}

fn json_answer(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn retry_503_twice_then_ok() {
    // Capture retry_503_twice_then_ok: attempts at 0, 1, 3 s; same body each time.
    let server = MockServer::start().await;
    let down = json_answer(503, serde_json::json!({"message": "unavailable"}));
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![down.clone(), down, json_answer(201, "OK".into())],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    let outcome = client.write(&create_env()).await.unwrap();
    assert_eq!(outcome.response().map(Response::status), Some(201));
    assert_eq!(clock.sleeps(), secs(&[1, 2]));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for r in &received {
        assert_eq!(r.body, ENV_BODY.as_bytes());
        assert_eq!(
            r.headers["authorization"],
            format!("Bearer {TOKEN}").as_str()
        );
        assert_eq!(r.headers["content-type"], "application/json; charset=utf-8");
        assert!(r.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("kosli-sdk-rust/"));
        assert!(r.headers["accept-encoding"]
            .to_str()
            .unwrap()
            .contains("gzip"));
    }
}

#[tokio::test]
async fn retry_429_honours_retry_after_seconds() {
    // Capture retry_429_retry_after_2: attempts at 0, 2, 4 s.
    let server = MockServer::start().await;
    let limited = json_answer(429, serde_json::json!({"message": "rate limited"}))
        .insert_header("Retry-After", "2");
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![limited.clone(), limited, json_answer(201, "OK".into())],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    client.write(&create_env()).await.unwrap();
    assert_eq!(clock.sleeps(), secs(&[2, 2]));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn retry_after_http_date_on_503() {
    let server = MockServer::start().await;
    let (client, clock) = config(&server.uri(), 3).client();
    let when = httpdate::fmt_http_date(clock.system_now() + Duration::from_secs(5));
    let down = json_answer(503, serde_json::json!({"message": "down"}))
        .insert_header("Retry-After", when.as_str());
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![down, json_answer(201, "OK".into())],
    )
    .await;
    client.write(&create_env()).await.unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1);
    // An HTTP date has whole seconds: the wait is the rest of the 5 s, minus under a second.
    assert!(
        sleeps[0] > Duration::from_secs(4) && sleeps[0] <= Duration::from_secs(5),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn retry_after_is_ignored_on_500() {
    // wire.md §4: a 500 with Retry-After: 5 waited 1 s.
    let server = MockServer::start().await;
    let err =
        json_answer(500, serde_json::json!({"message": "boom"})).insert_header("Retry-After", "5");
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![err, json_answer(201, "OK".into())],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    client.write(&create_env()).await.unwrap();
    assert_eq!(clock.sleeps(), secs(&[1]));
}

#[tokio::test]
async fn retry_501_is_not_retried() {
    // Capture retry_501_not_retried: one request, the server's message.
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "PUT",
        "/api/v2/flows/acme/template_file",
        vec![json_answer(
            501,
            serde_json::json!({"message": "not implemented"}),
        )],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    let req = Request::new(&CREATE_FLOW).multipart(vec![
        Part::field("data_json", r#"{"name":"demo-flow","description":""}"#),
        Part::file("template_file", "template.yml", "version: 1"),
    ]);
    let e = client.write(&req).await.unwrap_err();
    assert_eq!(e.to_string(), "not implemented");
    assert!(matches!(e, Error::Api { status: 501, .. }));
    assert!(clock.sleeps().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn other_4xx_are_not_retried_but_409_is() {
    for (status, attempts) in [(400u16, 1usize), (404, 1), (422, 1), (409, 4)] {
        let server = MockServer::start().await;
        respond_seq(
            &server,
            "PUT",
            "/api/v2/environments/acme",
            vec![json_answer(status, serde_json::json!({"message": "m"}))],
        )
        .await;
        let (client, _clock) = config(&server.uri(), 3).client();
        client.write(&create_env()).await.unwrap_err();
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            attempts,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn retries_run_out_keeping_the_last_status_and_message() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![json_answer(
            503,
            serde_json::json!({"message": "unavailable"}),
        )],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(clock.sleeps(), secs(&[1, 2, 4]));
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    assert!(matches!(e, Error::Api { status: 503, .. }), "{e:?}");
    let want = format!(
        "PUT {}/api/v2/environments/acme giving up after 4 attempt(s): unavailable",
        server.uri()
    );
    assert_eq!(e.to_string(), want);
}

#[tokio::test]
async fn max_api_retries_counts_retries() {
    for (retries, attempts) in [(0u32, 1usize), (1, 2), (5, 6)] {
        let server = MockServer::start().await;
        respond_seq(&server, "GET", "/ready", vec![ResponseTemplate::new(502)]).await;
        let (client, clock) = config(&server.uri(), retries).client();
        client.status().await.unwrap_err();
        assert_eq!(server.received_requests().await.unwrap().len(), attempts);
        let want: Vec<u64> = [1u64, 2, 4, 8, 16]
            .iter()
            .copied()
            .take(attempts - 1)
            .collect();
        assert_eq!(clock.sleeps(), secs(&want), "retries {retries}");
    }
}

#[tokio::test]
async fn connection_refused_is_retried_then_a_network_error() {
    // A port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let host = format!("http://127.0.0.1:{port}");
    let (client, clock) = config(&host, 3).client();
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert_eq!(clock.sleeps(), secs(&[1, 2, 4]));
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "PUT {host}/api/v2/environments/acme giving up after 4 attempt(s): "
        )),
        "{text}"
    );
}

#[tokio::test]
async fn the_time_budget_caps_retry_after() {
    let server = MockServer::start().await;
    let limited = json_answer(429, serde_json::json!({"message": "rate limited"}))
        .insert_header("Retry-After", "30");
    respond_seq(&server, "PUT", "/api/v2/environments/acme", vec![limited]).await;
    let clock = VirtualClock::new();
    let config = Config::builder()
        .host(server.uri())
        .api_token(TOKEN)
        .org("acme")
        .total_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let client = Client::builder(config)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(
        clock.sleeps().is_empty(),
        "no wait past the budget: {:?}",
        clock.sleeps()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let text = e.to_string();
    assert!(
        text.contains("10s") && text.contains("429") && text.contains("rate limited"),
        "{text}"
    );
}

#[tokio::test]
async fn the_time_budget_ends_a_backoff_schedule() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "PUT",
        "/api/v2/environments/acme",
        vec![ResponseTemplate::new(503)],
    )
    .await;
    let clock = VirtualClock::new();
    let config = Config::builder()
        .host(server.uri())
        .api_token(TOKEN)
        .org("acme")
        .max_api_retries(10)
        .total_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let client = Client::builder(config)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    // 1 s and 2 s fit in 5 s; the 4 s wait would not.
    assert_eq!(clock.sleeps(), secs(&[1, 2]));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_attempt_timeout_is_retried() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "GET",
        "/ready",
        vec![
            ResponseTemplate::new(200)
                .set_body_string("\"OK\"")
                .set_delay(Duration::from_millis(500)),
            ResponseTemplate::new(200).set_body_string("\"OK\""),
        ],
    )
    .await;
    let clock = VirtualClock::new();
    let config = Config::builder()
        .host(server.uri())
        .attempt_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let client = Client::builder(config)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    assert_eq!(client.status().await.unwrap(), "\"OK\"");
    assert_eq!(clock.sleeps(), secs(&[1]));
}

#[tokio::test]
async fn gets_are_retried_too() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "GET",
        "/api/v2/flows/acme/demo-flow",
        vec![
            ResponseTemplate::new(503),
            json_answer(200, serde_json::json!({"name": "demo-flow"})),
        ],
    )
    .await;
    let (client, clock) = config(&server.uri(), 3).client();
    let r = client
        .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
        .await
        .unwrap();
    assert_eq!(r.json::<serde_json::Value>().unwrap()["name"], "demo-flow");
    assert_eq!(clock.sleeps(), secs(&[1]));
    // Observed: the CLI sends the JSON content type on GETs too, with no body.
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers["content-type"],
        "application/json; charset=utf-8"
    );
    assert!(received[0].body.is_empty());
}

#[tokio::test]
async fn multipart_retries_resend_identical_bytes() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "PUT",
        "/api/v2/flows/acme/template_file",
        vec![ResponseTemplate::new(503), json_answer(201, "OK".into())],
    )
    .await;
    let (client, _clock) = config(&server.uri(), 3).client();
    let req = Request::new(&CREATE_FLOW).multipart(vec![
        Part::field("data_json", r#"{"name":"demo-flow","description":""}"#),
        Part::file("template_file", "template.yml", "version: 1"),
    ]);
    client.write(&req).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(
        received[0].headers["content-type"],
        received[1].headers["content-type"]
    );
    let ct = received[0].headers["content-type"].to_str().unwrap();
    let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
    assert_eq!(boundary.len(), 60);
    assert_eq!(
        received[0].body.len(),
        418,
        "the same size as the CLI's body for this form"
    );
}

#[tokio::test]
async fn error_bodies_map_to_kinds_and_cli_messages() {
    let cases: Vec<(u16, ResponseTemplate, ErrorKind, &str)> = vec![
        // error_400_message_and_errors
        (
            400,
            json_answer(
                400,
                serde_json::json!({"message": "Input payload validation failed", "errors": {"type": "'K9S' is not one of ['K8S', 'ECS']"}}),
            ),
            ErrorKind::Api,
            "Input payload validation failed: map[type:'K9S' is not one of ['K8S', 'ECS']]",
        ),
        // error_401_string_body
        (
            401,
            json_answer(401, "Invalid API token".into()),
            ErrorKind::Auth,
            "Invalid API token",
        ),
        (
            403,
            json_answer(403, serde_json::json!({"code": 403, "detail": "forbidden"})),
            ErrorKind::Auth,
            "map[code:%!!(MISSING)s(float64=403) detail:forbidden]",
        ),
        (
            404,
            json_answer(
                404,
                serde_json::json!({"message": "Flow named 'nope' does not exist for organization 'acme'. You have requested it"}),
            ),
            ErrorKind::NotFound,
            "Flow named 'nope' does not exist for organization 'acme'. ",
        ),
        (
            400,
            ResponseTemplate::new(400).set_body_raw("<html>bad</html>", "text/html"),
            ErrorKind::Api,
            "invalid character '<' looking for beginning of value",
        ),
        (
            202,
            json_answer(202, serde_json::json!({"message": "accepted"})),
            ErrorKind::Api,
            "accepted",
        ),
        (
            204,
            ResponseTemplate::new(204),
            ErrorKind::Api,
            "unexpected end of JSON input",
        ),
    ];
    for (status, answer, kind, message) in cases {
        let server = MockServer::start().await;
        respond_seq(&server, "GET", "/api/v2/flows/acme/demo-flow", vec![answer]).await;
        let (client, _clock) = config(&server.uri(), 3).client();
        let e = client
            .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "status {status}");
        assert_eq!(e.to_string(), message, "status {status}");
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "status {status} is not retried"
        );
    }
}

#[tokio::test]
async fn gzip_answers_are_decoded() {
    use std::io::Write;
    let server = MockServer::start().await;
    let mut gz = Vec::new();
    {
        // A minimal gzip member: header, stored (uncompressed) deflate block, CRC and size.
        let data = br#"{"name":"demo-flow"}"#;
        gz.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        gz.push(1);
        let len = u16::try_from(data.len()).unwrap();
        gz.write_all(&len.to_le_bytes()).unwrap();
        gz.write_all(&(!len).to_le_bytes()).unwrap();
        gz.write_all(data).unwrap();
        gz.write_all(&crc32(data).to_le_bytes()).unwrap();
        gz.write_all(&u32::try_from(data.len()).unwrap().to_le_bytes())
            .unwrap();
    }
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(gz, "application/json")
                .insert_header("Content-Encoding", "gzip"),
        )
        .mount(&server)
        .await;
    let (client, _clock) = config(&server.uri(), 0).client();
    let r = client
        .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
        .await
        .unwrap();
    assert_eq!(r.text(), r#"{"name":"demo-flow"}"#);
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn dry_run_sends_no_write_but_reads_run() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("\"OK\""))
        .expect(1)
        .mount(&server)
        .await;
    for builder in [
        Config::builder()
            .host(server.uri())
            .api_token(TOKEN)
            .org("acme")
            .dry_run(true),
        Config::builder()
            .host(server.uri())
            .api_token("DRY_RUN")
            .org("acme"),
    ] {
        let client = Client::new(builder.build().unwrap()).unwrap();
        let outcome = client.write(&create_env()).await.unwrap();
        let dry = outcome.dry_run().unwrap();
        // Capture dryrun_create_env, with this server's address.
        let want = format!(
            "############### THIS IS A DRY-RUN  ###############\nthe request would have been sent to: {}/api/v2/environments/acme\nthis is the payload that would be sent in a real run: \n {{\n    \"name\": \"prod-k8s\",\n    \"type\": \"K8S\",\n    \"description\": \"\"\n}}\n",
            server.uri()
        );
        assert_eq!(dry.to_string(), want);
    }
    let client = Client::new(
        Config::builder()
            .host(server.uri())
            .api_token("DRY_RUN")
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(client.status().await.unwrap(), "\"OK\"");
    server.verify().await;
}

#[tokio::test]
async fn multi_host_writes_go_to_every_host_primary_first() {
    let primary = MockServer::start().await;
    let secondary = MockServer::start().await;
    for s in [&primary, &secondary] {
        respond_seq(
            s,
            "PUT",
            "/api/v2/environments/acme",
            vec![json_answer(201, "OK".into())],
        )
        .await;
    }
    let config = Config::builder()
        .host(format!("{},{}", primary.uri(), secondary.uri()))
        .api_token("tok-primary,tok-secondary")
        .org("acme")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let outcome = client.write(&create_env()).await.unwrap();
    assert!(outcome.is_complete());
    let Outcome::Hosts(hosts) = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        hosts.iter().map(|h| h.host.as_str()).collect::<Vec<_>>(),
        [primary.uri(), secondary.uri()]
    );
    let p = primary.received_requests().await.unwrap();
    let s = secondary.received_requests().await.unwrap();
    assert_eq!(p[0].headers["authorization"], "Bearer tok-primary");
    assert_eq!(s[0].headers["authorization"], "Bearer tok-secondary");
    assert_eq!(p[0].body, s[0].body);
    // Reads go to the primary only.
    respond_seq(
        &primary,
        "GET",
        "/ready",
        vec![ResponseTemplate::new(200).set_body_string("\"OK\"")],
    )
    .await;
    client.status().await.unwrap();
    assert_eq!(secondary.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn multi_host_failures_are_named() {
    let primary = MockServer::start().await;
    let secondary = MockServer::start().await;
    respond_seq(
        &primary,
        "PUT",
        "/api/v2/environments/acme",
        vec![json_answer(
            400,
            serde_json::json!({"message": "primary bad"}),
        )],
    )
    .await;
    respond_seq(
        &secondary,
        "PUT",
        "/api/v2/environments/acme",
        vec![json_answer(201, "OK".into())],
    )
    .await;
    let hosts = format!("{},{}", primary.uri(), secondary.uri());
    let config = Config::builder()
        .host(&hosts)
        .api_token("a,b")
        .org("acme")
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    // The secondary runs even though the primary failed.
    let outcome = client.write(&create_env()).await.unwrap();
    assert_eq!(outcome.failed_hosts(), [primary.uri().as_str()]);
    assert!(outcome.response().is_none());
    assert_eq!(secondary.received_requests().await.unwrap().len(), 1);
    assert_eq!(
        outcome.into_complete().unwrap_err().to_string(),
        "primary bad"
    );
    // Every host failing is an error naming them.
    secondary.reset().await;
    respond_seq(
        &secondary,
        "PUT",
        "/api/v2/environments/acme",
        vec![json_answer(
            400,
            serde_json::json!({"message": "secondary bad"}),
        )],
    )
    .await;
    let e = client.write(&create_env()).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("primary bad\n[{}] secondary bad", secondary.uri())
    );
}

#[tokio::test]
async fn multi_host_dry_run_is_per_host_token() {
    // Observed: --api-token DRY_RUN,t2 prints the primary's dry-run and sends to the secondary.
    let primary = MockServer::start().await;
    let secondary = MockServer::start().await;
    respond_seq(
        &secondary,
        "PUT",
        "/api/v2/environments/acme",
        vec![json_answer(201, "OK".into())],
    )
    .await;
    let config = Config::builder()
        .host(format!("{},{}", primary.uri(), secondary.uri()))
        .api_token("DRY_RUN,t2")
        .org("acme")
        .build()
        .unwrap();
    let outcome = Client::new(config)
        .unwrap()
        .write(&create_env())
        .await
        .unwrap();
    assert!(outcome.dry_run().is_some());
    assert!(primary.received_requests().await.unwrap().is_empty());
    assert_eq!(secondary.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn status_returns_the_body_and_sends_no_auth_without_a_token() {
    let server = MockServer::start().await;
    respond_seq(
        &server,
        "GET",
        "/ready",
        vec![json_answer(200, "OK".into())],
    )
    .await;
    let client = Client::new(Config::builder().host(server.uri()).build().unwrap()).unwrap();
    assert_eq!(client.status().await.unwrap(), "\"OK\"");
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
    // A path prefix on the host is kept.
    let client = Client::new(
        Config::builder()
            .host(format!("{}/prefix/", server.uri()))
            .build()
            .unwrap(),
    )
    .unwrap();
    let _ = client.status().await;
    assert_eq!(
        server.received_requests().await.unwrap()[1].url.path(),
        "/prefix/ready"
    );
}

#[tokio::test]
async fn missing_token_or_org_is_a_config_error_on_the_first_call() {
    let server = MockServer::start().await;
    let client = Client::new(
        Config::builder()
            .host(server.uri())
            .org("acme")
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        client.write(&create_env()).await.unwrap_err().kind(),
        ErrorKind::Config
    );
    let client = Client::new(
        Config::builder()
            .host(server.uri())
            .api_token(TOKEN)
            .build()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        client.write(&create_env()).await.unwrap_err().kind(),
        ErrorKind::Config
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    let config = Config::builder()
        .host("http://kosli.example.com")
        .api_token(TOKEN)
        .build()
        .unwrap();
    let e = Client::new(config).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(!e.to_string().contains(TOKEN));
    let config = Config::builder()
        .host("http://kosli.example.com")
        .api_token(TOKEN)
        .allow_insecure_http(true)
        .build()
        .unwrap();
    assert!(Client::new(config).is_ok());
    assert!(Client::new(
        Config::builder()
            .host("https://kosli.example.com")
            .api_token(TOKEN)
            .build()
            .unwrap()
    )
    .is_ok());
}
