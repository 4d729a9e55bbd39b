//! Faults the fake injects on request: a forced answer (status, `Retry-After`, body), a delay,
//! or a dropped connection before or after the request is applied.

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

/// Where a dropped connection happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DropAt {
    /// The connection is closed before the request is applied: nothing changes.
    Before,
    /// The request is applied, then the connection is closed without an answer.
    After,
}

/// One queued fault, matched against requests in queue order; used `times` times.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Only requests with this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
    /// Only this exact path.
    #[serde(default)]
    pub path: Option<String>,
    /// Only paths matching this regular expression.
    #[serde(default)]
    pub path_re: Option<String>,
    /// Answer with this status instead of applying the request.
    #[serde(default)]
    pub status: Option<u16>,
    /// Extra answer headers (`Retry-After`, ...).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The JSON answer body (default `{"message": "injected fault"}`).
    #[serde(default)]
    pub body: Option<Value>,
    /// A raw (non-JSON) answer body, instead of `body`.
    #[serde(default)]
    pub raw_body: Option<String>,
    /// Wait this long before answering (the request is still applied unless `status` or
    /// `drop` says otherwise).
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Close the connection without an answer.
    #[serde(default)]
    pub drop: Option<DropAt>,
    /// How many requests this fault applies to (default 1).
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    /// A fault answering `status` once.
    pub fn status(status: u16) -> Fault {
        Fault {
            status: Some(status),
            ..Fault::default()
        }
    }

    /// Only for `method`.
    pub fn method(mut self, method: &str) -> Fault {
        self.method = Some(method.to_string());
        self
    }

    /// Only for paths matching `re`.
    pub fn path_re(mut self, re: &str) -> Fault {
        self.path_re = Some(re.to_string());
        self
    }

    /// Adds an answer header.
    pub fn header(mut self, name: &str, value: &str) -> Fault {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the JSON answer body.
    pub fn body(mut self, body: Value) -> Fault {
        self.body = Some(body);
        self
    }

    /// Applies to the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// A dropped connection once.
    pub fn drop_connection(when: DropAt) -> Fault {
        Fault {
            drop: Some(when),
            ..Fault::default()
        }
    }

    /// A delay once.
    pub fn delay_ms(ms: u64) -> Fault {
        Fault {
            delay_ms: Some(ms),
            ..Fault::default()
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        if self
            .method
            .as_deref()
            .is_some_and(|m| !m.eq_ignore_ascii_case(method))
        {
            return false;
        }
        if self.path.as_deref().is_some_and(|p| p != path) {
            return false;
        }
        if let Some(re) = &self.path_re {
            match Regex::new(re) {
                Ok(re) if re.is_match(path) => {}
                _ => return false,
            }
        }
        true
    }
}

/// The queue of faults.
#[derive(Debug, Default)]
pub struct FaultQueue {
    queue: Vec<(Fault, u32)>,
}

impl FaultQueue {
    /// Adds faults at the end; a bad regular expression is refused.
    pub fn push(&mut self, faults: Vec<Fault>) -> Result<(), String> {
        for f in &faults {
            if let Some(re) = &f.path_re {
                Regex::new(re).map_err(|e| format!("bad path_re {re:?}: {e}"))?;
            }
        }
        for f in faults {
            let n = f.times.unwrap_or(1).max(1);
            self.queue.push((f, n));
        }
        Ok(())
    }

    /// The first fault matching the request, counted as used.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self
            .queue
            .iter()
            .position(|(f, _)| f.matches(method, path))?;
        let (fault, left) = &mut self.queue[i];
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            self.queue.remove(i);
        }
        Some(fault)
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// How many uses are left in the queue.
    pub fn pending(&self) -> u32 {
        self.queue.iter().map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_in_order_and_run_out() {
        let mut q = FaultQueue::default();
        q.push(vec![
            Fault::status(503)
                .method("PUT")
                .path_re("^/api/v2/environments/")
                .times(2),
            Fault::status(500),
        ])
        .unwrap();
        assert_eq!(q.take("GET", "/ready").map(|f| f.status), Some(Some(500)));
        assert_eq!(
            q.take("PUT", "/api/v2/environments/acme").map(|f| f.status),
            Some(Some(503))
        );
        assert_eq!(
            q.take("PUT", "/api/v2/environments/acme").map(|f| f.status),
            Some(Some(503))
        );
        assert!(q.take("PUT", "/api/v2/environments/acme").is_none());
        assert!(q.push(vec![Fault::status(1).path_re("(")]).is_err());
    }

    #[test]
    fn faults_read_from_json() {
        let f: Vec<Fault> = serde_json::from_str(
            r#"[{"method":"POST","status":429,"headers":[["Retry-After","2"]],"times":2},{"drop":"after"}]"#,
        )
        .unwrap();
        assert_eq!(f[0].headers, [("Retry-After".to_string(), "2".to_string())]);
        assert_eq!(f[1].drop, Some(DropAt::After));
    }
}
