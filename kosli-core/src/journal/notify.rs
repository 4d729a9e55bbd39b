//! Alerting when a record cannot be delivered: a closure of the caller's, and a ready webhook
//! notifier that POSTs a Slack-compatible `{"text": ...}` message.
//!
//! They are called when a delivery attempt fails after the client's retries: a live write that
//! an outage turned into [`crate::Outcome::Queued`], and each record a flush could not deliver.
//! A live write that the server refused is not reported here: its caller gets the error.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use serde_json::json;

use crate::error::{Error, ErrorKind, Result};

/// A record that could not be delivered to a host.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeliveryFailure {
    /// The record's id.
    pub id: String,
    /// The operation's name (`attest_junit`, ...).
    pub operation: String,
    /// The host (its URL without credentials).
    pub host: String,
    /// The kind of the error.
    pub kind: ErrorKind,
    /// The error's message (never the token).
    pub message: String,
    /// The journal folder it stays in, when it is one.
    pub journal: Option<PathBuf>,
}

impl DeliveryFailure {
    /// The one-line alert the webhook sends.
    pub fn text(&self) -> String {
        let place = match &self.journal {
            Some(dir) => format!(" It stays queued in the journal {}.", dir.display()),
            None => " It stays queued in the journal.".to_string(),
        };
        format!(
            "Kosli journal: record {} ({}) could not be delivered to {}: {} ({}).{place}",
            self.id, self.operation, self.host, self.message, self.kind
        )
    }
}

impl fmt::Display for DeliveryFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// A closure called for each [`DeliveryFailure`], on a library thread; it must return quickly.
pub type FailureHook = Arc<dyn Fn(&DeliveryFailure) + Send + Sync>;

/// POSTs `{"text": "..."}` to a URL (a Slack incoming webhook, or anything that takes that
/// shape) for each failure. It sends no `Authorization` header: the API token never leaves
/// for the webhook. Its `Debug` hides the URL's path, which often is a secret itself.
#[derive(Clone)]
pub struct WebhookNotifier {
    url: Url,
}

impl fmt::Debug for WebhookNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookNotifier")
            .field(
                "url",
                &format!(
                    "{}://{}/[redacted]",
                    self.url.scheme(),
                    self.url.host_str().unwrap_or_default()
                ),
            )
            .finish()
    }
}

impl WebhookNotifier {
    /// A notifier posting to `url` (`http://` or `https://`).
    pub fn new(url: &str) -> Result<WebhookNotifier> {
        let parsed = Url::parse(url)
            .map_err(|e| Error::config(format!("invalid failure webhook URL: {e}")))?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(Error::config(format!(
                "invalid failure webhook URL: the scheme must be http or https, not {:?}",
                parsed.scheme()
            )));
        }
        Ok(WebhookNotifier { url: parsed })
    }

    /// The JSON body sent for `failure`.
    pub fn payload(failure: &DeliveryFailure) -> serde_json::Value {
        json!({ "text": failure.text() })
    }

    /// Sends the alert for `failure` with `http` (10 s at most). A failure to alert is logged
    /// and returned, never retried.
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        failure: &DeliveryFailure,
    ) -> Result<()> {
        let body = serde_json::to_vec(&Self::payload(failure)).map_err(|e| Error::Journal {
            message: format!("could not encode the alert: {e}"),
            source: None,
        })?;
        let answer = http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .timeout(Duration::from_secs(10))
            .body(body)
            .send()
            .await;
        let host = self.url.host_str().unwrap_or_default().to_string();
        match answer {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(Error::Network {
                message: format!("the failure webhook at {host} answered {}", r.status()),
                source: None,
            }),
            Err(e) => Err(Error::Network {
                message: format!("the failure webhook at {host} could not be reached: {e}"),
                source: None,
            }),
        }
    }
}

/// Calls every hook (a panicking hook is logged, not propagated) and the webhook.
pub(crate) async fn notify(
    hooks: &[FailureHook],
    webhook: Option<&WebhookNotifier>,
    http: &reqwest::Client,
    failure: &DeliveryFailure,
) {
    tracing::warn!("{}", failure.text());
    for hook in hooks {
        let call = std::panic::AssertUnwindSafe(|| hook(failure));
        if std::panic::catch_unwind(call).is_err() {
            tracing::warn!("a delivery failure hook panicked");
        }
    }
    if let Some(w) = webhook {
        if let Err(e) = w.send(http, failure).await {
            tracing::warn!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> DeliveryFailure {
        DeliveryFailure {
            id: "12".into(),
            operation: "attest_junit".into(),
            host: "https://app.kosli.com".into(),
            kind: ErrorKind::Network,
            message: "connection refused".into(),
            journal: Some(PathBuf::from("/var/kosli")),
        }
    }

    #[test]
    fn the_alert_names_record_host_and_error() {
        let p = WebhookNotifier::payload(&failure());
        assert_eq!(
            p,
            json!({"text": "Kosli journal: record 12 (attest_junit) could not be delivered to https://app.kosli.com: connection refused (Network). It stays queued in the journal /var/kosli."})
        );
    }

    #[test]
    fn webhook_urls_are_checked_and_hidden() {
        assert_eq!(
            WebhookNotifier::new("ftp://x").unwrap_err().kind(),
            ErrorKind::Config
        );
        let w = WebhookNotifier::new("https://hooks.slack.com/services/T0/B0/secret").unwrap();
        let text = format!("{w:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("hooks.slack.com"), "{text}");
    }

    #[tokio::test]
    async fn webhook_posts_text_without_the_token() {
        use wiremock::matchers::{body_json, method};
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(method("POST"))
            .and(body_json(WebhookNotifier::payload(&failure())))
            .respond_with(wiremock::ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
        let w = WebhookNotifier::new(&format!("{}/hook", server.uri())).unwrap();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let hook: FailureHook = {
            let seen = seen.clone();
            Arc::new(move |f: &DeliveryFailure| seen.lock().unwrap().push(f.id.clone()))
        };
        let panicking: FailureHook = Arc::new(|_: &DeliveryFailure| panic!("hook bug"));
        let client = crate::Client::new(crate::Config::builder().build().unwrap()).unwrap();
        notify(&[panicking, hook], Some(&w), client.http(), &failure()).await;
        assert_eq!(*seen.lock().unwrap(), ["12"]);
        let got = server.received_requests().await.unwrap();
        assert!(got[0].headers.get("authorization").is_none());
    }
}
