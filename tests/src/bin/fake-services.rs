//! The tests crate's fakes as a process, for the Python tests (tests/python): a fake Docker
//! Engine, a fake Kubernetes API server, or a fake provider (GitHub, GitLab, Bitbucket, Azure
//! DevOps, Sonar, Jira) answering an observed scenario or capture.
//!
//! ```text
//! fake-services docker STATE.json            # a fake Engine on a unix socket
//! fake-services kube STATE.json TOKEN        # a fake API server (TLS) demanding TOKEN
//! fake-services scenario NAME                # tests/fixtures/review/NAME.routes.json
//! fake-services capture NAME                 # tests/fixtures/review/captures/NAME
//! ```
//! The first line on stdout is a JSON object: `url` (the socket's `unix://` address, or the
//! server's base URL) and, for `kube`, `kubeconfig` (its text). Then each line `requests` on
//! stdin is answered with one line: the JSON list of the requests seen. The fake stops at the
//! end of stdin.

use std::io::{BufRead, Write};

use kosli_tests::fake_docker::FakeDocker;
use kosli_tests::fake_kube::FakeKube;
use kosli_tests::fake_providers::captures::Capture;
use kosli_tests::fake_providers::{FakeProvider, Scenario};
use serde_json::{json, Value};

enum Running {
    Docker(FakeDocker),
    Kube(FakeKube),
    Provider(FakeProvider),
}

impl Running {
    fn requests(&self) -> Value {
        match self {
            Running::Docker(d) => Value::Array(d.requests()),
            Running::Kube(k) => Value::Array(k.requests()),
            Running::Provider(p) => Value::Array(
                p.requests()
                    .iter()
                    .map(|s| {
                        json!({"method": s.method, "path": s.path, "query": s.query,
                            "headers": s.headers, "body": s.body, "status": s.status})
                    })
                    .collect(),
            ),
        }
    }
}

fn read_state(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

fn start(args: &[String]) -> Result<(Running, Value), String> {
    let io = |e: std::io::Error| e.to_string();
    match args {
        [kind, state] if kind == "docker" => {
            let fake = FakeDocker::start(read_state(state)?).map_err(io)?;
            let url = fake.docker_host();
            Ok((Running::Docker(fake), json!({ "url": url })))
        }
        [kind, state, token] if kind == "kube" => {
            let fake = FakeKube::start(read_state(state)?, Some(token)).map_err(io)?;
            let info = json!({"url": fake.url(), "kubeconfig": fake.kubeconfig(token)});
            Ok((Running::Kube(fake), info))
        }
        [kind, name] if kind == "scenario" || kind == "capture" => {
            let fake = FakeProvider::start(Vec::new()).map_err(io)?;
            let base = fake.url();
            if kind == "scenario" {
                fake.add_routes(Scenario::load(name).routes_at(&base));
            } else {
                fake.add_routes(Capture::load(name).routes_at(&base));
            }
            Ok((Running::Provider(fake), json!({ "url": base })))
        }
        _ => Err(
            "usage: fake-services docker STATE | kube STATE TOKEN | scenario NAME | capture NAME"
                .into(),
        ),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (running, info) = match start(&args) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("fake-services: {e}");
            std::process::exit(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{info}");
    let _ = out.flush();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "requests" {
            let _ = writeln!(out, "{}", running.requests());
            let _ = out.flush();
        }
    }
}
