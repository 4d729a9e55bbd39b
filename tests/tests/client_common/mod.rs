//! Helpers of the client tests: the committed captures (tests/fixtures/client/captures) and
//! clients pointed at fake-kosli with a virtual clock.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kosli_core::client::{Part, Request, VirtualClock};
use kosli_core::dryrun::Method;
use kosli_core::operations::Operation;
use kosli_core::{Client, Config};
use kosli_tests::fake::Fault;
use serde_json::Value;

pub static CREATE_ENV: Operation = Operation::new(
    "create_environment",
    Method::Put,
    "/api/v2/environments/{org}",
);
pub static CREATE_FLOW: Operation = Operation::new(
    "create_flow",
    Method::Put,
    "/api/v2/flows/{org}/template_file",
);
pub static GET_FLOW: Operation =
    Operation::new("get_flow", Method::Get, "/api/v2/flows/{org}/{flow}");
pub static ATTEST_ARTIFACT: Operation = Operation::new(
    "attest_artifact",
    Method::Post,
    "/api/v2/artifacts/{org}/{flow}",
);
pub static ATTEST_GENERIC: Operation = Operation::new(
    "attest_generic",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/generic",
);

/// One committed capture.
pub struct Capture {
    pub name: String,
    pub requests: Vec<Value>,
    pub meta: Value,
    pub stdout: String,
    pub stderr: String,
}

fn dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("client").join("captures")
}

impl Capture {
    pub fn load(name: &str) -> Capture {
        let read = |ext: &str| {
            std::fs::read_to_string(dir().join(format!("{name}.{ext}"))).unwrap_or_default()
        };
        Capture {
            name: name.to_string(),
            requests: read("jsonl")
                .lines()
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
            meta: serde_json::from_str(&read("meta.json")).unwrap(),
            stdout: read("stdout"),
            stderr: read("stderr"),
        }
    }

    /// The second host's requests (multihost captures).
    pub fn host2_requests(&self) -> Vec<Value> {
        let text =
            std::fs::read_to_string(dir().join(format!("{}.host2.jsonl", self.name))).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The answers the capture server was told to give (every one but 200/201), as faults.
    pub fn forced_faults(&self) -> Vec<Fault> {
        self.requests
            .iter()
            .filter(|r| !matches!(r["response"]["status"].as_u64(), Some(200 | 201)))
            .map(|r| {
                let resp = &r["response"];
                let mut f = Fault::status(resp["status"].as_u64().unwrap() as u16)
                    .method(r["method"].as_str().unwrap());
                f.path = Some(r["path"].as_str().unwrap().to_string());
                for (k, v) in resp["headers"].as_object().unwrap() {
                    f = f.header(k, v.as_str().unwrap());
                }
                f.body(resp["body"].clone())
            })
            .collect()
    }

    /// The waits between the capture's requests, in whole seconds (its request times).
    pub fn waits(&self) -> Vec<Duration> {
        let times: Vec<f64> = self.meta["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["t_rel_s"].as_f64().unwrap())
            .collect();
        times
            .windows(2)
            .map(|w| Duration::from_secs((w[1] - w[0]).round() as u64))
            .collect()
    }

    /// The capture's first request as an SDK request for `op`: the same body (JSON bytes, or
    /// the same multipart parts).
    pub fn request(&self, op: &'static Operation, params: &[(&str, &str)]) -> Request {
        let first = &self.requests[0];
        let mut req = Request::new(op);
        for (k, v) in params {
            req = req.param(*k, *v);
        }
        if let Some(parts) = first["multipart"].as_array() {
            let parts = parts
                .iter()
                .map(|p| match p["filename"].as_str() {
                    Some(f) => Part::file(
                        p["name"].as_str().unwrap(),
                        f,
                        p["text"].as_str().unwrap().as_bytes().to_vec(),
                    ),
                    None => Part::field(p["name"].as_str().unwrap(), p["text"].as_str().unwrap()),
                })
                .collect();
            req.multipart(parts)
        } else if let Some(text) = first["body"]["text"].as_str() {
            req.json_bytes(text.as_bytes().to_vec())
        } else {
            req
        }
    }

    /// The message the CLI printed after `Error: [<command>] `.
    pub fn error_message(&self) -> String {
        let line = self
            .stderr
            .lines()
            .find(|l| l.starts_with("Error: "))
            .unwrap();
        line.split_once("] ").unwrap().1.to_string()
    }
}

/// A header of a recorded request (any case).
pub fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    record["headers"]
        .as_array()?
        .iter()
        .find(|h| h[0].as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))
        .and_then(|h| h[1].as_str())
}

/// A client for `config` with a virtual clock.
pub fn client(config: Config) -> (Client, VirtualClock) {
    let clock = VirtualClock::new();
    (
        Client::builder(config)
            .clock(Arc::new(clock.clone()))
            .build()
            .unwrap(),
        clock,
    )
}

/// The configuration the captures used: token `secret-token-123`, org `acme`.
pub fn capture_config(host: &str) -> Config {
    Config::builder()
        .host(host)
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap()
}
