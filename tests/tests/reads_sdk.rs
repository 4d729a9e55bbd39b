//! The SDK's environment history reads against fake-kosli: every successful CLI case of
//! tests/fixtures/reads (the contract's captures-2 among them) replayed through the typed
//! operations (the same request as the CLI's, the answer read into its type), and the reads of
//! fake-kosli's own state (snapshots reported by the SDK, their events and diff, with drift).

mod reads_common;

use kosli_core::blocking::Client;
use kosli_core::drift::{self, DriftEvent};
use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::ops::history::{ListSnapshots, ListTrails, LogEnvironment, Snappish};
use kosli_core::ops::snapshots::{ServerArtifact, SnapshotServer};
use kosli_core::{Config, Fingerprint};
use kosli_tests::fake::FakeKosli;
use reads_common::{assert_requests, Case};

fn client(fake: &FakeKosli) -> Client {
    let config = Config::builder()
        .host(fake.url())
        .api_token("secret-token-123")
        .org("acme")
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// Runs a case's read through the SDK; returns how many items it read.
fn read(case: &Case, c: &Client) -> usize {
    let arg = |i: usize| case.args[i].clone();
    let num =
        |long: &str, short: Option<&str>| case.flag(long, short).map(|v| v.parse::<u64>().unwrap());
    match (case.args[0].as_str(), case.args[1].as_str()) {
        ("get", "trail") => {
            let t = c
                .get_trail(&case.flag("--flow", Some("-f")).unwrap(), &arg(2))
                .unwrap();
            // The name the server answered (a case may answer another than the one asked).
            let answered: serde_json::Value =
                serde_json::from_str(case.requests[0]["response"]["body_text"].as_str().unwrap())
                    .unwrap();
            assert_eq!(t.name, answered["name"].as_str().unwrap());
            1
        }
        ("list", "trails") => {
            let mut l = ListTrails::new();
            if let Some(f) = case.flag("--flow", Some("-f")) {
                l = l.flow(f);
            }
            if let Some(f) = case.flag("--fingerprint", Some("-F")) {
                l = l.fingerprint(f);
            }
            if let Some(t) = case.flag("--flow-tag", Some("-t")) {
                l = l.flow_tag(t);
            }
            if let Some(p) = num("--page", None) {
                l = l.page(p);
            }
            if let Some(n) = num("--page-limit", Some("-n")) {
                l = l.per_page(n);
            }
            let page = c.list_trails(&l).unwrap();
            assert!(page.pagination.is_some());
            page.data.len()
        }
        ("get", "snapshot") => {
            let s = c.get_snapshot(&Snappish::parse(&arg(2)).unwrap()).unwrap();
            s.running().len()
        }
        ("list", "snapshots") => {
            let mut l = ListSnapshots::new(arg(2)).reverse(case.has("--reverse", None));
            if let Some(i) = case.flag("--interval", Some("-i")) {
                l = l.interval(i);
            }
            if let Some(p) = num("--page", None) {
                l = l.page(p);
            }
            if let Some(n) = num("--page-limit", Some("-n")) {
                l = l.per_page(n);
            }
            c.list_snapshots(&l).unwrap().len()
        }
        ("log", _) => {
            let mut l = LogEnvironment::new(arg(2)).reverse(case.has("--reverse", None));
            if let Some(i) = case.flag("--interval", Some("-i")) {
                l = l.interval(i);
            }
            if let Some(p) = num("--page", None) {
                l = l.page(p);
            }
            if let Some(n) = num("--page-limit", Some("-n")) {
                l = l.per_page(n);
            }
            for (flag, set) in [("--start", 0), ("--end", 1)] {
                if let Some(v) = case.flag(flag, None) {
                    l = if set == 0 { l.start(v) } else { l.end(v) };
                }
            }
            if let Some(v) = case.flag("--start-ts", None) {
                l = l.start_ts(v.parse().unwrap());
            }
            if let Some(v) = case.flag("--end-ts", None) {
                l = l.end_ts(v.parse().unwrap());
            }
            for (i, a) in case.args.iter().enumerate() {
                if a == "--repo" {
                    l = l.repo(&case.args[i + 1]);
                }
            }
            c.log_environment(&l).unwrap().len()
        }
        ("diff", "snapshots") => {
            let d = c.diff_snapshots(&arg(2), &arg(3)).unwrap();
            d.drift().events().len()
        }
        other => panic!("{}: no SDK read for {other:?}", case.name),
    }
}

#[test]
fn every_successful_case_reads_through_the_sdk_with_the_clis_request() {
    let mut ran = 0;
    for name in Case::all_names() {
        let case = Case::load(&name);
        let plain = !case.args.iter().any(|a| a == "yaml" || a == "markdown");
        if case.exit_code != 0 || case.requests.is_empty() || !plain {
            continue;
        }
        let fake = FakeKosli::start().unwrap();
        case.replay_answers(&fake);
        let c = client(&fake);
        read(&case, &c);
        assert_requests(&case, &fake.requests());
        ran += 1;
    }
    assert!(ran >= 25, "only {ran} cases ran");
}

#[test]
fn captures_read_into_their_types() {
    let fake = FakeKosli::start().unwrap();
    let c = client(&fake);
    for name in [
        "get_snapshot_latest",
        "diff_snapshots_json",
        "log_environment_opts",
    ] {
        Case::load(name).replay_answers(&fake);
    }
    let s = c.get_snapshot(&Snappish::latest("prod-k8s")).unwrap();
    assert_eq!(
        (s.index, s.env_type.as_str(), s.artifacts.len()),
        (7, "K8S", 2)
    );
    // myapp:dev stopped (annotation.now 0): not running.
    assert_eq!(
        s.running(),
        [drift::RunningArtifact::new("nginx:1.25", "a".repeat(64), 2)]
    );
    let d = c.diff_snapshots("prod-k8s~1", "prod-k8s").unwrap();
    assert_eq!(d.snappish1.snapshot_id, "prod-k8s~1#7");
    assert_eq!(d.changed.artifacts[0].s2_instance_count, Some(3));
    let events = d.drift();
    assert!(events.events().iter().any(|e| matches!(
        e,
        DriftEvent::Scaled {
            to_instances: 3,
            ..
        }
    )));
    let log = c
        .log_environment(
            &LogEnvironment::new("prod-k8s")
                .page(3)
                .per_page(7)
                .reverse(true)
                .interval("2..4"),
        )
        .unwrap();
    assert_eq!(
        log[1].description,
        "1 instance stopped running (from 1 to 0)."
    );
    // A 404 is NotFound; a bad expression is refused before anything is sent.
    let fake = FakeKosli::start().unwrap();
    let c = client(&fake);
    let e = c.get_snapshot(&Snappish::latest("nope")).unwrap_err();
    assert_eq!(e.kind(), kosli_core::ErrorKind::NotFound);
    assert!(Snappish::parse("prod#1~2").is_err());
}

#[test]
fn fake_kosli_reads_back_what_the_sdk_reported_and_diffs_it_as_drift_does() {
    let fake = FakeKosli::start().unwrap();
    let c = client(&fake);
    c.create_environment(&CreateEnvironment::new("prod", "server"))
        .unwrap();
    let (a, b, b2) = (
        Fingerprint::of_bytes(b"a"),
        Fingerprint::of_bytes(b"b"),
        Fingerprint::of_bytes(b"b2"),
    );
    let report = |arts: &[(&str, Fingerprint)]| {
        let mut s = SnapshotServer::new("prod");
        for (n, f) in arts {
            s = s.artifact(ServerArtifact::new(*n, *f, 1_718_000_000));
        }
        c.snapshot_server(&s).unwrap();
    };
    report(&[("api", a), ("web", b)]);
    report(&[("api", a), ("web", b2), ("worker", a)]);
    let first = c.get_snapshot(&Snappish::index("prod", 1)).unwrap();
    let latest = c.get_snapshot(&Snappish::latest("prod")).unwrap();
    let back = c.get_snapshot(&Snappish::back("prod", 1)).unwrap();
    assert_eq!((first.index, latest.index, back.index), (1, 2, 1));
    let local = drift::diff(&first.running(), &latest.running());
    let server = c.diff_snapshots("prod#1", "prod").unwrap();
    assert_eq!(server.drift(), local);
    assert_eq!(local.changed().count(), 1);
    assert_eq!(local.added().count(), 1);
    let list = c.list_snapshots(&ListSnapshots::new("prod")).unwrap();
    assert_eq!(list.iter().map(|s| s.index).collect::<Vec<_>>(), [2, 1]);
    let events = c.log_environment(&LogEnvironment::new("prod")).unwrap();
    assert!(events
        .iter()
        .any(|e| e.artifact_name == "worker" && e.snapshot_index == 2));
}
