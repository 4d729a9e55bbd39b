//! Unit tests of the journal through the client, against wiremock: the order of syncs and
//! sends seen by an instrumented storage, injected I/O faults, offline recording and late
//! binding, ordering, snapshot coalescing, several hosts, dry-run, compaction and torn tails.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::*;
use crate::client::{Part, VirtualClock};
use crate::dryrun::Method;
use crate::operations::Operation;
use crate::{Client, Config, ErrorKind, Outcome};

static CREATE_ENV: Operation = Operation::new(
    "create_environment",
    Method::Put,
    "/api/v2/environments/{org}",
);
static SNAPSHOT: Operation = Operation::new(
    "snapshot_server",
    Method::Put,
    "/api/v2/environments/{org}/{env}/report/server",
);
static ATTEST: Operation = Operation::new(
    "attest_generic",
    Method::Post,
    "/api/v2/attestations/{org}/{flow}/trail/{trail}/generic",
);

const TOKEN: &str = "secret-token-123";

/// A storage that logs what is done to it, in one list with the server's events, and fails on
/// demand.
#[derive(Debug)]
struct Instrumented {
    inner: FileStorage,
    events: Arc<Mutex<Vec<String>>>,
    faults: Mutex<Faults>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Faults {
    /// Append writes half of the bytes, then fails with this OS error.
    append: Option<i32>,
    /// Sync fails with this OS error.
    sync: Option<i32>,
    /// Staging an attachment fails with this OS error.
    stage: Option<i32>,
}

impl Instrumented {
    fn new(dir: &Path, events: Arc<Mutex<Vec<String>>>) -> Arc<Instrumented> {
        Arc::new(Instrumented {
            inner: FileStorage::open(dir).unwrap(),
            events,
            faults: Mutex::new(Faults::default()),
        })
    }

    fn log(&self, event: String) {
        self.events.lock().unwrap().push(event);
    }

    fn set(&self, f: Faults) {
        *self.faults.lock().unwrap() = f;
    }
}

impl Storage for Instrumented {
    fn lock(&self, name: LockName<'_>, wait: bool) -> io::Result<Option<LockGuard>> {
        self.inner.lock(name, wait)
    }
    fn remove_owner(&self, owner: &str) -> io::Result<()> {
        self.inner.remove_owner(owner)
    }
    fn read_log(&self, offset: u64, max: Option<usize>) -> io::Result<Vec<u8>> {
        self.inner.read_log(offset, max)
    }
    fn log_len(&self) -> io::Result<u64> {
        self.inner.log_len()
    }
    fn append_log(&self, bytes: &[u8]) -> io::Result<()> {
        if let Some(code) = self.faults.lock().unwrap().append {
            // A short write, as a full disk gives, then the error.
            self.inner.append_log(&bytes[..bytes.len() / 2])?;
            self.log("append failed".into());
            return Err(io::Error::from_raw_os_error(code));
        }
        let kinds: Vec<String> = String::from_utf8_lossy(bytes)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| format!("{}:{}", v["t"].as_str().unwrap_or("?"), v["seq"]))
            .collect();
        self.inner.append_log(bytes)?;
        self.log(format!("append {}", kinds.join(" ")));
        Ok(())
    }
    fn sync_log(&self) -> io::Result<()> {
        if let Some(code) = self.faults.lock().unwrap().sync {
            self.log("sync failed".into());
            return Err(io::Error::from_raw_os_error(code));
        }
        self.inner.sync_log()?;
        self.log("sync".into());
        Ok(())
    }
    fn truncate_log(&self, len: u64) -> io::Result<()> {
        self.log(format!("truncate {len}"));
        self.inner.truncate_log(len)
    }
    fn replace_log(&self, bytes: &[u8]) -> io::Result<()> {
        self.log("replace".into());
        self.inner.replace_log(bytes)
    }
    fn stage_blob(&self, bytes: &[u8]) -> io::Result<StagedBlob> {
        if let Some(code) = self.faults.lock().unwrap().stage {
            return Err(io::Error::from_raw_os_error(code));
        }
        self.inner.stage_blob(bytes)
    }
    fn commit_blob(&self, staged: StagedBlob, name: &str) -> io::Result<()> {
        self.inner.commit_blob(staged, name)?;
        self.log("commit blob".into());
        Ok(())
    }
    fn discard_staged(&self, staged: StagedBlob) -> io::Result<()> {
        self.inner.discard_staged(staged)
    }
    fn read_blob(&self, name: &str) -> io::Result<Vec<u8>> {
        self.inner.read_blob(name)
    }
    fn list_blobs(&self) -> io::Result<Vec<String>> {
        self.inner.list_blobs()
    }
    fn remove_blob(&self, name: &str) -> io::Result<()> {
        self.inner.remove_blob(name)
    }
    fn remove_stale_staged(&self) -> io::Result<()> {
        self.inner.remove_stale_staged()
    }
}

/// A server answer that logs `send <attestation name>` in the shared list first.
struct Logged {
    events: Arc<Mutex<Vec<String>>>,
    status: u16,
}

impl Respond for Logged {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body = String::from_utf8_lossy(&request.body);
        let name = body
            .split("\"name\":\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("?")
            .to_string();
        self.events.lock().unwrap().push(format!("send {name}"));
        ResponseTemplate::new(self.status).set_body_json("OK")
    }
}

fn builder(host: &str) -> crate::config::ConfigBuilder {
    Config::builder()
        .host(host)
        .api_token(TOKEN)
        .org("acme")
        .max_api_retries(1)
}

fn client_with(config: Config, journal: Option<Journal>) -> Client {
    let mut b = Client::builder(config).clock(Arc::new(VirtualClock::new()));
    if let Some(j) = journal {
        b = b.journal(j);
    }
    b.build().unwrap()
}

fn attest(flow: &str, trail: &str, name: &str) -> Request {
    Request::new(&ATTEST)
        .param("flow", flow)
        .param("trail", trail)
        .multipart(vec![
            Part::field("data_json", format!(r#"{{"name":"{name}"}}"#)),
            Part::file("attachment_file", "e.txt", format!("evidence of {name}")),
        ])
}

fn env(name: &str) -> Request {
    Request::new(&CREATE_ENV).json_bytes(format!(r#"{{"name":"{name}"}}"#))
}

fn position(events: &[String], from: usize, pred: impl Fn(&str) -> bool) -> usize {
    events[from..]
        .iter()
        .position(|e| pred(e))
        .map(|i| i + from)
        .unwrap_or_else(|| panic!("no such event after {from} in {events:#?}"))
}

fn queued_id(o: &Outcome) -> String {
    match o {
        Outcome::Queued { id } => id.clone(),
        other => panic!("not queued: {other:?}"),
    }
}

#[tokio::test]
async fn a_record_is_synced_before_the_send_and_its_mark_before_the_caller_is_told() {
    let server = MockServer::start().await;
    let events = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(Logged {
            events: events.clone(),
            status: 201,
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let storage = Instrumented::new(dir.path(), events.clone());
    let journal = Journal::with_storage(storage.clone(), None).unwrap();
    let client = client_with(builder(&server.uri()).build().unwrap(), Some(journal));
    for name in ["a1", "a2"] {
        let outcome = client.write(&attest("f", "t", name)).await.unwrap();
        assert!(matches!(outcome, Outcome::Sent(_)), "{outcome:?}");
        events.lock().unwrap().push(format!("told {name}"));
    }
    let ev = events.lock().unwrap().clone();
    for (name, seq) in [("a1", 1), ("a2", 2)] {
        let blob = position(&ev, 0, |e| {
            e == "commit blob" || e.starts_with(&format!("told a{}", seq - 1))
        });
        let rec = position(&ev, 0, |e| e.contains(&format!("record:{seq}")));
        let synced = position(&ev, rec, |e| e == "sync");
        let sent = position(&ev, 0, |e| e == format!("send {name}"));
        let marked = position(&ev, 0, |e| e.contains(&format!("delivered:{seq}")));
        let marked_synced = position(&ev, marked, |e| e == "sync");
        let told = position(&ev, 0, |e| e == format!("told {name}"));
        assert!(
            blob < rec
                && rec < synced
                && synced < sent
                && sent < marked
                && marked < marked_synced
                && marked_synced < told,
            "{name}: {ev:#?}"
        );
    }
}

#[tokio::test]
async fn a_flush_marks_each_record_delivered_durably_before_the_next_send() {
    let server = MockServer::start().await;
    let events = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(Logged {
            events: events.clone(),
            status: 201,
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let storage = Instrumented::new(dir.path(), events.clone());
    let offline = Client::builder(Config::offline(dir.path()).unwrap())
        .journal(Journal::with_storage(storage.clone(), None).unwrap())
        .build()
        .unwrap();
    for name in ["b1", "b2", "b3"] {
        queued_id(&offline.write(&attest("f", "t", name)).await.unwrap());
    }
    let online = client_with(
        builder(&server.uri()).build().unwrap(),
        Some(Journal::with_storage(storage.clone(), None).unwrap()),
    );
    let report = online.flush_journal().await.unwrap();
    events.lock().unwrap().push("told".into());
    assert_eq!((report.delivered(), report.left()), (3, 0));
    let ev = events.lock().unwrap().clone();
    let mut from = 0;
    for (name, seq) in [("b1", 1), ("b2", 2), ("b3", 3)] {
        let sent = position(&ev, from, |e| e == format!("send {name}"));
        let marked = position(&ev, sent, |e| e.contains(&format!("delivered:{seq}")));
        let synced = position(&ev, marked, |e| e == "sync");
        from = synced;
    }
    assert!(from < position(&ev, 0, |e| e == "told"), "{ev:#?}");
}

#[tokio::test]
async fn io_faults_are_journal_errors_and_lose_nothing_already_recorded() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let storage = Instrumented::new(dir.path(), events.clone());
    let offline = Client::builder(Config::offline(dir.path()).unwrap())
        .journal(Journal::with_storage(storage.clone(), None).unwrap())
        .build()
        .unwrap();
    let mut kept = Vec::new();
    for i in 0..3 {
        kept.push(queued_id(
            &offline.write(&env(&format!("e{i}"))).await.unwrap(),
        ));
    }
    let cases = [
        (
            "full disk",
            Faults {
                append: Some(28),
                ..Faults::default()
            },
        ),
        (
            "write error",
            Faults {
                append: Some(5),
                ..Faults::default()
            },
        ),
        (
            "fsync error",
            Faults {
                sync: Some(5),
                ..Faults::default()
            },
        ),
        (
            "attachment write error",
            Faults {
                stage: Some(28),
                ..Faults::default()
            },
        ),
    ];
    for (what, faults) in cases {
        storage.set(faults);
        let request = if faults.stage.is_some() {
            attest("f", "t", "x")
        } else {
            env("lost")
        };
        let e = offline.write(&request).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Journal, "{what}: {e}");
        assert!(e.to_string().contains("could not"), "{what}: {e}");
        storage.set(Faults::default());
        // A fresh handle on the folder sees exactly the acknowledged records, intact.
        let status = Journal::open(dir.path()).unwrap().status().unwrap();
        let ids: Vec<&str> = status.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, kept, "{what}");
        assert_eq!(status.corrupt_lines, 0, "{what}");
        // And the journal goes on working.
        kept.push(queued_id(&offline.write(&env("after")).await.unwrap()));
    }
    // A failed live write is not sent: the server saw nothing yet.
    assert!(server.received_requests().await.unwrap().is_empty());
    let online = client_with(
        builder(&server.uri()).build().unwrap(),
        Some(Journal::open(dir.path()).unwrap()),
    );
    storage.set(Faults {
        sync: Some(5),
        ..Faults::default()
    });
    let report = online.flush_journal().await.unwrap();
    assert_eq!(report.delivered(), kept.len());
    let names: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("lost")), "{names:?}");
    assert!(std::fs::read_dir(dir.path().join("tmp"))
        .unwrap()
        .next()
        .is_none());
}

#[tokio::test]
async fn offline_records_bind_org_and_host_at_delivery_and_never_hold_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let offline = Client::new(Config::offline(dir.path()).unwrap()).unwrap();
    assert_eq!(
        offline.read(&env("x")).await.unwrap_err().kind(),
        ErrorKind::Config
    );
    queued_id(&offline.write(&env("late-org")).await.unwrap());
    queued_id(
        &offline
            .write(&env("own-org").param("org", "beta"))
            .await
            .unwrap(),
    );
    let status = offline.journal_status().await.unwrap();
    assert_eq!((status.pending, status.unbound), (2, 2));
    assert!(status.oldest.is_some());
    assert_eq!(
        offline.flush_journal().await.unwrap_err().kind(),
        ErrorKind::Config
    );
    // An online client without an org cannot bind the first record.
    let no_org = client_with(
        Config::builder()
            .host(server.uri())
            .api_token(TOKEN)
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    assert_eq!(
        no_org.flush_journal().await.unwrap_err().kind(),
        ErrorKind::Config
    );
    // A flush that cannot reach its host binds nothing: the records still go to any host.
    let dead = client_with(
        builder("http://127.0.0.1:9")
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    let report = dead.flush_journal().await.unwrap();
    assert_eq!((report.delivered(), report.left()), (0, 2));
    assert!(report.hosts[0].stopped.is_some());
    assert_eq!(offline.journal_status().await.unwrap().unbound, 2);
    let online = client_with(
        builder(&server.uri())
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    let report = online.flush_journal().await.unwrap();
    assert_eq!(report.delivered(), 2, "{report}");
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(
                r.headers["authorization"],
                format!("Bearer {TOKEN}").as_str()
            );
            r.url.path().to_string()
        })
        .collect();
    assert_eq!(
        paths,
        ["/api/v2/environments/acme", "/api/v2/environments/beta"]
    );
    // Nothing secret in the folder.
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "{}",
            entry.display()
        );
    }
    let status = online.journal_status().await.unwrap();
    assert_eq!(status.pending, 0);
    assert_eq!(status.hosts[0].host, server.uri());
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test]
async fn an_outage_queues_and_later_writes_wait_behind_their_trail() {
    let server = MockServer::start().await;
    let events = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(Logged {
            events: events.clone(),
            status: 201,
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let failures = Arc::new(Mutex::new(Vec::<DeliveryFailure>::new()));
    let hook: FailureHook = {
        let failures = failures.clone();
        Arc::new(move |f: &DeliveryFailure| failures.lock().unwrap().push(f.clone()))
    };
    let client = client_with(
        builder(&server.uri())
            .journal_dir(dir.path())
            .on_delivery_failure(hook)
            .build()
            .unwrap(),
        None,
    );
    // 503 twice (two attempts): queued, and the hook hears of it.
    let first = queued_id(&client.write(&attest("f", "t1", "q1")).await.unwrap());
    {
        let failures = failures.lock().unwrap();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].id, first);
        assert_eq!(failures[0].kind, ErrorKind::Api);
    }
    // Kosli is back, but q2 depends on q1 (same trail): it queues behind it.
    queued_id(&client.write(&attest("f", "t1", "q2")).await.unwrap());
    // Another trail is independent: sent now.
    assert!(matches!(
        client.write(&attest("f", "t2", "other")).await.unwrap(),
        Outcome::Sent(_)
    ));
    let status = client.journal_status().await.unwrap();
    assert_eq!(status.pending, 2);
    assert_eq!(status.hosts[0].pending, 2);
    let last = status.hosts[0].last_error.clone().unwrap_or_default();
    assert!(last.contains("giving up after 2 attempt(s)"), "{last}");
    let report = client.flush_journal().await.unwrap();
    assert_eq!((report.delivered(), report.left()), (2, 0));
    assert_eq!(
        *events.lock().unwrap(),
        ["send other", "send q1", "send q2"]
    );
    // Without a journal, the same outage is an error.
    let plain = client_with(builder(&server.uri()).build().unwrap(), None);
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    assert_eq!(
        plain.write(&env("x")).await.unwrap_err().kind(),
        ErrorKind::Api
    );
}

#[tokio::test]
async fn a_refused_record_holds_back_only_what_depends_on_it() {
    let server = MockServer::start().await;
    Mock::given(path_regex("/t-bad/"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(serde_json::json!({"message": "bad"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let offline = Client::new(Config::offline(dir.path()).unwrap()).unwrap();
    let bad = queued_id(&offline.write(&attest("f", "t-bad", "x")).await.unwrap());
    queued_id(&offline.write(&attest("f", "t-bad", "y")).await.unwrap());
    queued_id(&offline.write(&attest("f", "t-good", "z")).await.unwrap());
    let online = client_with(
        builder(&server.uri())
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    let report = online.flush_journal().await.unwrap();
    let h = &report.hosts[0];
    assert_eq!((h.delivered, h.left, h.stopped.is_none()), (1, 2, true));
    assert_eq!(h.failures.len(), 1);
    assert_eq!(h.failures[0].id, bad);
    // A live refusal is the caller's error, not queued.
    let e = online.write(&attest("g", "t-bad", "w")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    // Discarding the bad record lets its trail go on.
    assert!(online.journal().unwrap().discard(&bad).unwrap());
    assert!(!online.journal().unwrap().discard(&bad).unwrap());
    assert_eq!(
        online
            .journal()
            .unwrap()
            .discard("nope")
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    let report = online.flush_journal().await.unwrap();
    assert_eq!(report.hosts[0].left, 1); // y still refused (same path)
}

#[tokio::test]
async fn pending_snapshots_coalesce_to_the_newest() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let offline = Client::new(Config::offline(dir.path()).unwrap()).unwrap();
    let snap = |env: &str, n: u32| {
        Request::new(&SNAPSHOT)
            .param("env", env)
            .json_bytes(format!(r#"{{"artifacts":[],"n":{n}}}"#))
    };
    offline.write(&env("prod")).await.unwrap();
    for n in 1..=3 {
        offline.write(&snap("prod", n)).await.unwrap();
    }
    offline.write(&snap("stage", 1)).await.unwrap();
    let online = client_with(
        builder(&server.uri())
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    let report = online.flush_journal().await.unwrap();
    assert_eq!(
        (report.hosts[0].delivered, report.hosts[0].superseded),
        (3, 2)
    );
    let bodies: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.url.path(), String::from_utf8_lossy(&r.body)))
        .collect();
    assert_eq!(
        bodies,
        [
            r#"/api/v2/environments/acme {"name":"prod"}"#,
            r#"/api/v2/environments/acme/prod/report/server {"artifacts":[],"n":3}"#,
            r#"/api/v2/environments/acme/stage/report/server {"artifacts":[],"n":1}"#,
        ]
    );
}

#[tokio::test]
async fn several_hosts_are_tracked_apart_and_dry_run_never_touches_the_journal() {
    let up = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&up)
        .await;
    let down = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&down)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json("OK"))
        .mount(&down)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let config = Config::builder()
        .host(format!("{},{}", up.uri(), down.uri()))
        .api_token(format!("{TOKEN},{TOKEN}"))
        .org("acme")
        .max_api_retries(1)
        .journal_dir(dir.path())
        .build()
        .unwrap();
    let client = client_with(config, None);
    let outcome = client.write(&env("prod")).await.unwrap();
    let Outcome::Hosts(hosts) = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(matches!(hosts[0].result, Ok(Outcome::Sent(_))));
    assert!(matches!(hosts[1].result, Ok(Outcome::Queued { .. })));
    let status = client.journal_status().await.unwrap();
    let per: Vec<(String, usize)> = status
        .hosts
        .iter()
        .map(|h| (h.host.clone(), h.pending))
        .collect();
    assert_eq!(per, [(up.uri(), 0), (down.uri(), 1)]);
    let report = client.flush_journal().await.unwrap();
    assert_eq!(report.hosts[1].delivered, 1);
    assert_eq!(up.received_requests().await.unwrap().len(), 1);
    // Dry-run: nothing recorded.
    let dry = client_with(
        builder(&up.uri())
            .dry_run(true)
            .journal_dir(dir.path())
            .build()
            .unwrap(),
        None,
    );
    let before = std::fs::read(dir.path().join(LOG_FILE)).unwrap();
    assert!(matches!(
        dry.write(&env("x")).await.unwrap(),
        Outcome::DryRun(_)
    ));
    assert_eq!(std::fs::read(dir.path().join(LOG_FILE)).unwrap(), before);
}

#[test]
fn compaction_keeps_open_records_and_removes_unused_attachments() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(dir.path()).unwrap();
    let meta = |hosts: Option<Vec<String>>| record::Meta {
        org: Some("acme".into()),
        hosts,
        owner: None,
        at_ms: 1,
    };
    let h = vec!["http://h".to_string()];
    let mut done = Vec::new();
    for i in 0..300 {
        let seq = j
            .record(&attest("f", "t", &format!("n{i}")), meta(Some(h.clone())))
            .unwrap();
        done.push(seq);
    }
    let open = j
        .record(&attest("f", "t", "open"), meta(Some(h.clone())))
        .unwrap();
    let lines: Vec<entry::Line> = done
        .iter()
        .map(|seq| entry::Line::Delivered {
            seq: *seq,
            host: h[0].clone(),
            status: 201,
            at_ms: 2,
        })
        .collect();
    j.mark(lines).unwrap();
    // 600 dead lines against 1 open record: the next commit compacted the log.
    let log = std::fs::read_to_string(dir.path().join(LOG_FILE)).unwrap();
    assert!(log.lines().count() <= 3, "{log}");
    let status = Journal::open(dir.path()).unwrap().status().unwrap();
    assert_eq!(status.records.len(), 1);
    assert_eq!(status.records[0].id, open.to_string());
    assert_eq!(
        std::fs::read_dir(dir.path().join("blobs")).unwrap().count(),
        1
    );
    // Numbers go on after a compaction.
    let next = j.record(&env("x"), meta(None)).unwrap();
    assert_eq!(next, open + 1);
}

#[test]
fn a_torn_last_line_is_cut_off_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(dir.path()).unwrap();
    let meta = record::Meta {
        org: None,
        hosts: None,
        owner: None,
        at_ms: 1,
    };
    j.record(&env("one"), meta.clone()).unwrap();
    // A writer died in the middle of an append.
    let log = dir.path().join(LOG_FILE);
    let mut text = std::fs::read(&log).unwrap();
    text.extend_from_slice(br#"{"t":"record","seq":2,"at_ms":1,"ow"#);
    std::fs::write(&log, &text).unwrap();
    let other = Journal::open(dir.path()).unwrap();
    assert_eq!(other.status().unwrap().pending, 1);
    let seq = other.record(&env("two"), meta).unwrap();
    assert_eq!(seq, 2);
    let status = Journal::open(dir.path()).unwrap().status().unwrap();
    assert_eq!((status.pending, status.corrupt_lines), (2, 0));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()),
        "{text}"
    );
}

#[test]
fn a_live_record_of_a_running_process_is_not_flushed_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let writer = Journal::open(dir.path()).unwrap();
    let flusher = Journal::open(dir.path()).unwrap();
    let h = "http://h".to_string();
    let seq = writer
        .record(
            &env("live"),
            record::Meta {
                org: Some("acme".into()),
                hosts: Some(vec![h.clone()]),
                owner: Some(writer.owner().to_string()),
                at_ms: 1,
            },
        )
        .unwrap();
    let plan = flusher.plan(&h).unwrap();
    assert!(plan[0].in_flight, "{plan:?}");
    // Its owner gone (the handle closed without marking it): the record is deliverable.
    drop(writer);
    let plan = flusher.plan(&h).unwrap();
    assert_eq!((plan[0].seq, plan[0].in_flight), (seq, false));
}

#[tokio::test]
async fn the_failure_webhook_hears_of_a_queued_write() {
    let kosli = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&kosli)
        .await;
    let hook = MockServer::start().await;
    Mock::given(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&hook)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let client = client_with(
        builder(&kosli.uri())
            .journal_dir(dir.path())
            .failure_webhook(format!("{}/hook", hook.uri()))
            .build()
            .unwrap(),
        None,
    );
    let id = queued_id(&client.write(&env("prod")).await.unwrap());
    let got = hook.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    let text = body["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("record {id} (create_environment)")),
        "{text}"
    );
    assert!(!text.contains(TOKEN));
    assert!(got[0].headers.get("authorization").is_none());
    let _ = Duration::ZERO;
}
