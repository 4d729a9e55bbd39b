//! The retry loop, following the official CLI (wire.md §4): 5xx except 501, 429, 409 and
//! connection errors are retried; `max_api_retries` counts retries; waits of 1 s, 2 s, 4 s ...
//! capped; `Retry-After` (seconds or HTTP date) honoured only on 429 and 503. Unlike the CLI,
//! when retries run out the error keeps the last status and the server's message.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::clock::Clock;
use super::error_body::{server_message, status_error};
use super::outcome::Response;
use super::transport::{attempt, error_chain, is_certificate_error, Prepared};
use crate::config::{Backoff, Config, Host};
use crate::error::{Error, Result};

/// Whether an answer with `status` is retried: every 5xx but 501, 429, and 409 (the CLI's
/// "lock conflict").
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 409 || status == 429 || ((500..600).contains(&status) && status != 501)
}

/// Whether a transport error is retried: everything but refused certificates, bad requests
/// (scheme, URL) and redirect loops, as go-retryablehttp decides.
fn is_retryable_transport(e: &reqwest::Error) -> bool {
    !(e.is_builder() || e.is_redirect() || is_certificate_error(e))
}

/// The wait a 429 or 503 asks for in `Retry-After`: delta seconds, or an HTTP date (a date in
/// the past means no wait). `None` for other statuses, or a missing or unreadable header.
pub(crate) fn retry_after(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if status != 429 && status != 503 {
        return None;
    }
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(secs) = value.parse::<i64>() {
        return u64::try_from(secs).ok().map(Duration::from_secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait after the attempt numbered `retry` (0-based), with jitter if configured.
fn backoff_wait(backoff: &Backoff, retry: u32) -> Duration {
    let wait = backoff.delay(retry);
    if !backoff.jitter() {
        return wait;
    }
    // Equal jitter: half the wait, plus a random part of the other half.
    let mut h = RandomState::new().build_hasher();
    h.write_u32(retry);
    let fraction = (h.finish() % 1_000_001) as f64 / 1_000_000.0;
    wait / 2 + (wait / 2).mul_f64(fraction)
}

/// Why the last attempt failed, kept for the final error.
enum LastFailure {
    Status { status: u16, message: String },
    Transport { text: String, timeout: bool },
}

impl LastFailure {
    fn describe(&self) -> String {
        match self {
            LastFailure::Status { status, message } => format!("last answer {status}: {message}"),
            LastFailure::Transport { text, .. } => format!("last error: {text}"),
        }
    }
}

/// Sends `prepared` to `host`, retrying as the CLI does, with waits through `clock`.
pub(crate) async fn send_with_retries(
    http: &reqwest::Client,
    clock: &dyn Clock,
    config: &Config,
    host: &Host,
    prepared: &Prepared,
) -> Result<Response> {
    let method = prepared.method.as_str();
    let url = prepared.url.as_str();
    let attempts = config.max_api_retries().saturating_add(1);
    let start = clock.now();
    let deadline: Option<Instant> = config.timeouts().total().map(|t| start + t);
    let budget_text = |d: Option<Instant>| match (d, config.timeouts().total()) {
        (Some(_), Some(t)) => go_duration(t),
        _ => String::new(),
    };
    tracing::debug!("{method} {url}");
    let mut last: Option<LastFailure> = None;
    for n in 1..=attempts {
        let remaining = deadline.map(|d| d.saturating_duration_since(clock.now()));
        if remaining == Some(Duration::ZERO) {
            return Err(Error::Timeout {
                message: format!(
                    "{method} {url}: the time limit of {} ran out after {} attempt(s); {}",
                    budget_text(deadline),
                    n - 1,
                    last.as_ref().map(LastFailure::describe).unwrap_or_default()
                ),
            });
        }
        let per_attempt = match (config.timeouts().attempt(), remaining) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        };
        let left = attempts - n;
        let wait = match attempt(http, prepared, host.token(), per_attempt).await {
            Ok(answer) if answer.status == 200 || answer.status == 201 => {
                tracing::debug!("request made to {url} and got status {}", answer.status);
                return Ok(
                    Response::new(host.as_str().to_string(), answer.status, answer.body)
                        .with_headers(answer.headers),
                );
            }
            Ok(answer) => {
                let message = server_message(&answer.body);
                if !is_retryable_status(answer.status) {
                    tracing::debug!("request made to {url} and got status {}", answer.status);
                    return Err(status_error(answer.status, message));
                }
                let wait = retry_after(answer.status, &answer.headers, clock.system_now())
                    .unwrap_or_else(|| backoff_wait(&config.backoff(), n - 1));
                if left > 0 {
                    tracing::debug!(
                        "{method} {url} (status: {}): retrying in {} ({left} left)",
                        answer.status,
                        go_duration(wait)
                    );
                }
                last = Some(LastFailure::Status {
                    status: answer.status,
                    message,
                });
                wait
            }
            Err(e) => {
                let text = error_chain(&e);
                tracing::debug!("[ERR] {method} {url} request failed: {text}");
                if !is_retryable_transport(&e) {
                    return Err(Error::Network {
                        message: format!("{method} {url}: {text}"),
                        source: Some(Box::new(e)),
                    });
                }
                let timeout = e.is_timeout();
                if timeout && remaining.is_some_and(|r| per_attempt == Some(r)) {
                    return Err(Error::Timeout {
                        message: format!(
                            "{method} {url}: the time limit of {} ran out during attempt {n}: {text}",
                            budget_text(deadline)
                        ),
                    });
                }
                let wait = backoff_wait(&config.backoff(), n - 1);
                if left > 0 {
                    tracing::debug!(
                        "{method} {url}: retrying in {} ({left} left)",
                        go_duration(wait)
                    );
                }
                last = Some(LastFailure::Transport { text, timeout });
                wait
            }
        };
        if left == 0 {
            break;
        }
        if let Some(d) = deadline {
            let rest = d.saturating_duration_since(clock.now());
            if wait >= rest {
                return Err(Error::Timeout {
                    message: format!(
                        "{method} {url}: the time limit of {} would run out during the {} wait before attempt {}; {}",
                        budget_text(deadline),
                        go_duration(wait),
                        n + 1,
                        last.as_ref().map(LastFailure::describe).unwrap_or_default()
                    ),
                });
            }
        }
        clock.sleep(wait).await;
    }
    let prefix = format!("{method} {url} giving up after {attempts} attempt(s)");
    Err(match last {
        Some(LastFailure::Status { status, message }) => {
            status_error(status, format!("{prefix}: {message}"))
        }
        Some(LastFailure::Transport {
            text,
            timeout: true,
        }) => Error::Timeout {
            message: format!("{prefix}: {text}"),
        },
        Some(LastFailure::Transport {
            text,
            timeout: false,
        }) => Error::Network {
            message: format!("{prefix}: {text}"),
            source: None,
        },
        None => Error::Network {
            message: prefix,
            source: None,
        },
    })
}

/// A duration as Go prints one (`1s`, `2s`, `1.5s`, `500ms`, `1m30s`), as in the CLI's logs.
pub(crate) fn go_duration(d: Duration) -> String {
    if d.is_zero() {
        return "0s".to_string();
    }
    let nanos = d.as_nanos();
    if nanos < 1_000 {
        return format!("{nanos}ns");
    }
    if nanos < 1_000_000 {
        return format!("{}µs", trim_fraction(nanos, 1_000));
    }
    if nanos < 1_000_000_000 {
        return format!("{}ms", trim_fraction(nanos, 1_000_000));
    }
    let total_secs = d.as_secs();
    let (h, m) = (total_secs / 3600, (total_secs % 3600) / 60);
    let secs = trim_fraction(nanos % 60_000_000_000, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// `value / unit` with the fraction's trailing zeros removed (`1500, 1000` -> `1.5`).
fn trim_fraction(value: u128, unit: u128) -> String {
    let whole = value / unit;
    let frac = value % unit;
    if frac == 0 {
        return whole.to_string();
    }
    let width = unit.to_string().len() - 1;
    let frac = format!("{frac:0width$}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retried_statuses_follow_the_cli() {
        for s in [500, 502, 503, 504, 599, 429, 409] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [501, 400, 401, 403, 404, 422, 202, 204, 302] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn retry_after_only_on_429_and_503() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        let now = SystemTime::now();
        assert_eq!(retry_after(429, &h, now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(503, &h, now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(500, &h, now), None);
        assert_eq!(retry_after(502, &h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("-1"));
        assert_eq!(retry_after(429, &h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(429, &h, now), None);
    }

    #[test]
    fn retry_after_http_dates() {
        let now = httpdate::parse_http_date("Sun, 29 Nov 2026 09:36:00 GMT").unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 29 Nov 2026 09:36:05 GMT"),
        );
        assert_eq!(retry_after(503, &h, now), Some(Duration::from_secs(5)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 29 Nov 2026 09:35:00 GMT"),
        );
        assert_eq!(retry_after(503, &h, now), Some(Duration::ZERO));
    }

    #[test]
    fn jitter_stays_within_half_and_whole() {
        let b = Backoff::default().with_jitter(true);
        for n in 0..5 {
            let w = backoff_wait(&b, n);
            let full = b.delay(n);
            assert!(w >= full / 2 && w <= full, "{w:?} {full:?}");
        }
        assert_eq!(backoff_wait(&Backoff::default(), 2), Duration::from_secs(4));
    }

    #[test]
    fn go_durations() {
        let cases = [
            (Duration::from_secs(1), "1s"),
            (Duration::from_secs(2), "2s"),
            (Duration::from_millis(1500), "1.5s"),
            (Duration::from_millis(500), "500ms"),
            (Duration::from_secs(90), "1m30s"),
            (Duration::from_secs(3600), "1h0m0s"),
            (Duration::ZERO, "0s"),
            (Duration::from_micros(2), "2µs"),
        ];
        for (d, want) in cases {
            assert_eq!(go_duration(d), want);
        }
    }
}
