//! The API token appears in no log line (every target, TRACE level), no `Debug` output and no
//! error text. A process of its own: the subscriber is global, so that no callsite's interest
//! is cached by another test's thread before it is installed.

use std::sync::{Arc, Mutex};

use kosli_core::client::{Part, Request};
use kosli_core::dryrun::Method;
use kosli_core::operations::Operation;
use kosli_core::{Client, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-token-123";

static CREATE_ENV: Operation = Operation::new(
    "create_environment",
    Method::Put,
    "/api/v2/environments/{org}",
);
static GET_FLOW: Operation = Operation::new("get_flow", Method::Get, "/api/v2/flows/{org}/{flow}");
static ATTEST: Operation = Operation::new(
    "attest_generic",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/generic",
);

/// A writer that keeps everything written.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn client(host: &str, retries: u32) -> Client {
    let config = Config::builder()
        .host(host)
        .api_token(TOKEN)
        .org("acme")
        .max_api_retries(retries)
        .backoff(
            kosli_core::config::Backoff::default()
                .with_initial(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

#[tokio::test]
async fn the_token_is_in_no_log_line_debug_output_or_error() {
    let logs = LogBuffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .init();

    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/environments/acme"))
        .respond_with(
            ResponseTemplate::new(503).set_body_json(serde_json::json!({"message": "unavailable"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/flows/acme/demo-flow"))
        .respond_with(ResponseTemplate::new(401).set_body_json("Invalid API token"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(serde_json::json!({"message": "bad"})),
        )
        .mount(&server)
        .await;

    let c = client(&server.uri(), 2);
    let mut texts = vec![format!("{c:?}"), format!("{:?}", c.config())];
    let write = Request::new(&CREATE_ENV)
        .json_bytes(r#"{"name":"prod-k8s","type":"K8S","description":""}"#);
    let e = c.write(&write).await.unwrap_err();
    texts.extend([e.to_string(), format!("{e:?}")]);
    let e = c
        .read(&Request::new(&GET_FLOW).param("flow", "demo-flow"))
        .await
        .unwrap_err();
    texts.extend([e.to_string(), format!("{e:?}")]);
    let attest = Request::new(&ATTEST)
        .param("flow", "f")
        .param("trail", "t")
        .multipart(vec![
            Part::field("data_json", "{}"),
            Part::file("attachment_file", "a.txt", "x"),
        ]);
    let e = c.write(&attest).await.unwrap_err();
    texts.extend([e.to_string(), format!("{e:?}")]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = client(&format!("http://127.0.0.1:{port}"), 1);
    let e = dead.write(&write).await.unwrap_err();
    texts.extend([e.to_string(), format!("{e:?}")]);

    // The token really was sent, so a leak would show.
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );

    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    // The log was captured, with the transport's own TRACE lines.
    assert!(
        log.contains("(status: 503): retrying in 1ms (2 left)"),
        "{log}"
    );
    assert!(log.contains("request failed"), "{log}");
    assert!(log.contains("hyper"), "{log}");
    assert!(!log.contains(TOKEN), "the token is in the log:\n{log}");
    for t in texts {
        assert!(!t.contains(TOKEN), "the token is in: {t}");
    }
}
