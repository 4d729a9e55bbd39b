//! The deployment guard and the snapshot loop (kosli_core::deploy) against fake-kosli: a
//! failing deploy reports nothing; a succeeding one snapshots once; the wrong artifact running
//! is caught; `:latest` is refused before the step; the loop keeps its interval on the injected
//! clock (no real sleeping), stops cleanly, reports drift, and queues in the journal while
//! Kosli is unreachable.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use kosli_core::blocking::Client;
use kosli_core::client::VirtualClock;
use kosli_core::deploy::{
    BoxFuture, Collected, Collector, DeployError, Deployment, Mismatch, PathsCollector, Schedule,
    StopSignal, Tick, Verification,
};
use kosli_core::drift::DriftEvent;
use kosli_core::fingerprint::Fingerprinter;
use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::{ArtifactRef, ArtifactType, Config, ErrorKind, Outcome};
use kosli_tests::fake::FakeKosli;

fn client(url: &str, clock: Option<VirtualClock>, journal: Option<&Path>) -> Client {
    let mut b = Config::builder()
        .host(url)
        .api_token("secret")
        .org("acme")
        .max_api_retries(1);
    if let Some(j) = journal {
        b = b.journal_dir(j);
    }
    let clock = clock.map(|c| Arc::new(c) as Arc<dyn kosli_core::client::Clock>);
    Client::with_options(b.build().unwrap(), clock, None).unwrap()
}

/// `PUT .../report/server` requests the fake received.
fn reports(fake: &FakeKosli) -> Vec<serde_json::Value> {
    fake.requests()
        .into_iter()
        .filter(|r| r["method"] == "PUT" && r["path"].as_str().unwrap().ends_with("/report/server"))
        .collect()
}

/// A built artifact (`build/app`) and where it is deployed (`srv/app`).
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("build")).unwrap();
        std::fs::create_dir_all(dir.path().join("srv")).unwrap();
        std::fs::write(dir.path().join("build/app"), "app v1\n").unwrap();
        Site { dir }
    }
    fn built(&self) -> PathBuf {
        self.dir.path().join("build/app")
    }
    fn target(&self) -> PathBuf {
        self.dir.path().join("srv/app")
    }
    fn artifact(&self) -> ArtifactRef {
        let fp = Fingerprinter::new().file(self.built()).unwrap();
        ArtifactRef::new("app", fp, ArtifactType::File).unwrap()
    }
    fn deploy(&self) -> std::io::Result<()> {
        std::fs::copy(self.built(), self.target()).map(|_| ())
    }
}

fn with_env(fake: &FakeKosli) -> Client {
    let c = client(&fake.url(), None, None);
    c.create_environment(&CreateEnvironment::new("prod", "server"))
        .unwrap();
    fake.clear_requests();
    c
}

#[test]
fn a_failing_deploy_reports_nothing_and_returns_its_own_error() {
    let fake = FakeKosli::start().unwrap();
    let c = with_env(&fake);
    let site = Site::new();
    let guard = Deployment::new("prod", &site.artifact()).unwrap();
    let collector = PathsCollector::path("app", site.target());
    #[derive(Debug, PartialEq)]
    struct RolloutFailed(i32);
    let err = c
        .deploy(&guard, &collector, || Err(RolloutFailed(3)))
        .unwrap_err();
    assert!(
        matches!(err, DeployError::Step(RolloutFailed(3))),
        "{err:?}"
    );
    assert_eq!(err.into_error().unwrap_err(), RolloutFailed(3));
    assert!(fake.requests().is_empty(), "{:#?}", fake.requests());
}

#[test]
fn a_succeeding_deploy_snapshots_once_and_finds_the_artifact() {
    let fake = FakeKosli::start().unwrap();
    let c = with_env(&fake);
    let site = Site::new();
    let guard = Deployment::new("prod", &site.artifact()).unwrap();
    let collector = PathsCollector::path("app", site.target());
    let thread = std::thread::current().id();
    let report = c
        .deploy(&guard, &collector, || {
            // The step runs on the caller's thread.
            assert_eq!(std::thread::current().id(), thread);
            site.deploy()
        })
        .unwrap();
    assert_eq!(report.verification, Verification::Running { instances: 1 });
    assert!(matches!(report.outcome, Outcome::Sent(_)));
    let sent = reports(&fake);
    assert_eq!(sent.len(), 1, "{:#?}", fake.requests());
    assert_eq!(fake.requests().len(), 1);
    let body: serde_json::Value =
        serde_json::from_str(sent[0]["body"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["artifacts"][0]["digests"]["app"],
        site.artifact().fingerprint().to_string()
    );
    // Kosli now has it running in prod.
    let snap = c
        .get_snapshot(&kosli_core::ops::history::Snappish::latest("prod"))
        .unwrap();
    assert_eq!(
        snap.running()[0].fingerprint,
        site.artifact().fingerprint().to_string()
    );
}

#[test]
fn the_wrong_artifact_running_is_caught() {
    let fake = FakeKosli::start().unwrap();
    let c = with_env(&fake);
    let site = Site::new();
    let collector = PathsCollector::path("app", site.target());
    // The step deploys something else than what was built and attested.
    let wrong = || std::fs::write(site.target(), "app v0 (stale)\n");
    let guard = Deployment::new("prod", &site.artifact()).unwrap();
    let err = c.deploy(&guard, &collector, wrong).unwrap_err();
    let DeployError::NotRunning(report) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(report.verification, Verification::NotRunning);
    let e = err.into_error().unwrap();
    assert_eq!(e.kind(), ErrorKind::PolicyDenied);
    assert!(e.to_string().contains("is not running in prod"), "{e}");
    // The snapshot (what really runs) was still reported, once.
    assert_eq!(reports(&fake).len(), 1);
    // Warn mode: the same, as a report.
    let guard = guard.on_mismatch(Mismatch::Warn);
    let report = c.deploy(&guard, &collector, wrong).unwrap();
    assert_eq!(report.verification, Verification::NotRunning);
    // Deployed under another name than reported: a warning, not a failure.
    site.deploy().unwrap();
    let renamed = PathsCollector::path("app-renamed", site.target());
    let guard = Deployment::new("prod", &site.artifact()).unwrap();
    let report = c.deploy(&guard, &renamed, || Ok::<(), ()>(())).unwrap();
    assert_eq!(
        report.verification,
        Verification::RunningAs {
            names: vec!["app-renamed".into()],
            instances: 1
        }
    );
}

#[test]
fn latest_is_refused_before_the_step_runs() {
    let fp = kosli_core::Fingerprint::of_bytes(b"image");
    for name in ["payments:latest", "payments"] {
        let latest = ArtifactRef::new(name, fp, ArtifactType::Docker).unwrap();
        let e = Deployment::new("prod", &latest).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("mutable reference"), "{e}");
    }
    let pinned = ArtifactRef::new(
        format!("payments:latest@sha256:{fp}"),
        fp,
        ArtifactType::Docker,
    )
    .unwrap();
    assert!(Deployment::new("prod", &pinned).is_ok());
}

/// A collector that takes `work` of (virtual) time per collection and counts them.
#[derive(Debug)]
struct Slow {
    inner: PathsCollector,
    clock: VirtualClock,
    work: Duration,
    calls: AtomicU64,
}

impl Collector for Slow {
    fn env_type(&self) -> &str {
        "server"
    }
    fn collect<'a>(&'a self, environment: &'a str) -> BoxFuture<'a, kosli_core::Result<Collected>> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.clock.advance(self.work);
            self.inner.collect(environment).await
        })
    }
}

#[test]
fn the_loop_keeps_its_interval_on_the_injected_clock_and_stops_cleanly() {
    let fake = FakeKosli::start().unwrap();
    with_env(&fake);
    let clock = VirtualClock::new();
    let c = client(&fake.url(), Some(clock.clone()), None);
    let site = Site::new();
    site.deploy().unwrap();
    let slow = Slow {
        inner: PathsCollector::path("app", site.target()),
        clock: clock.clone(),
        work: Duration::from_secs(3),
        calls: AtomicU64::new(0),
    };
    let schedule = Schedule::every(Schedule::SEED_INTERVAL).unwrap();
    let stop = StopSignal::new();
    let mut ticks = Vec::new();
    let target = site.target();
    let started = std::time::Instant::now();
    let summary = c
        .snapshot_loop("prod", &slow, &schedule, &stop, &mut |t: &Tick| {
            ticks.push((
                t.slot,
                t.result.as_ref().map(|r| r.drift.clone()).ok().flatten(),
            ));
            if t.number == 2 {
                // Drift: a new version appears between ticks 2 and 3.
                std::fs::write(&target, "app v2\n").unwrap();
            }
            if t.number == 4 {
                stop.stop();
            }
        })
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it slept for real"
    );
    assert_eq!(
        (summary.ticks, summary.sent, summary.failed, summary.skipped),
        (4, 4, 0, 0)
    );
    assert_eq!(slow.calls.load(Ordering::SeqCst), 4);
    // Every 15 minutes from the start: each wait is the interval less the collection's 3 s.
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(897); 3]);
    assert_eq!(clock.elapsed(), Duration::from_secs(3 * 900 + 3));
    assert_eq!(ticks.iter().map(|t| t.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
    assert!(ticks[0].1.is_none());
    assert!(ticks[1].1.as_ref().unwrap().is_empty());
    let drift = ticks[2].1.as_ref().unwrap();
    assert!(
        matches!(&drift.events()[0], DriftEvent::Changed { name, .. } if name == "app"),
        "{drift:?}"
    );
    // Unchanged snapshots are not new snapshots in Kosli, but every tick reported.
    assert_eq!(reports(&fake).len(), 4);
    // A stop given before the start runs nothing.
    let summary = c
        .snapshot_loop("prod", &slow, &schedule, &stop, &mut |_: &Tick| {})
        .unwrap();
    assert_eq!(summary.ticks, 0);
}

#[test]
fn the_loop_skips_ticks_a_slow_collection_overran_and_jitters_within_bounds() {
    let fake = FakeKosli::start().unwrap();
    with_env(&fake);
    let clock = VirtualClock::new();
    let c = client(&fake.url(), Some(clock.clone()), None);
    let site = Site::new();
    site.deploy().unwrap();
    let slow = Slow {
        inner: PathsCollector::path("app", site.target()),
        clock: clock.clone(),
        work: Duration::from_secs(20 * 60),
        calls: AtomicU64::new(0),
    };
    let schedule = Schedule::every(Duration::from_secs(900))
        .unwrap()
        .max_ticks(3);
    let mut slots = Vec::new();
    let summary = c
        .snapshot_loop(
            "prod",
            &slow,
            &schedule,
            &StopSignal::new(),
            &mut |t: &Tick| slots.push(t.slot),
        )
        .unwrap();
    // Each 20-minute collection overruns one 15-minute slot: slots 0, 2, 4.
    assert_eq!(slots, [0, 2, 4]);
    assert_eq!(summary.skipped, 2);
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(600); 2]);
    // Jitter: each wait is the interval plus this slot's offset less the last one's.
    let clock = VirtualClock::new();
    let c = client(&fake.url(), Some(clock.clone()), None);
    let jittered = Schedule::every(Duration::from_secs(900))
        .unwrap()
        .jitter(Duration::from_secs(60))
        .jitter_seed(42)
        .max_ticks(4);
    let quick = PathsCollector::path("app", site.target());
    c.snapshot_loop(
        "prod",
        &quick,
        &jittered,
        &StopSignal::new(),
        &mut |_: &Tick| {},
    )
    .unwrap();
    let want: Vec<Duration> = (1..4)
        .map(|i| Duration::from_secs(900) + jittered.offset(i) - jittered.offset(i - 1))
        .collect();
    assert_eq!(clock.sleeps(), want);
    assert!(want.iter().any(|w| *w != Duration::from_secs(900)));
}

#[test]
fn while_kosli_is_unreachable_the_loop_queues_in_the_journal_then_delivers() {
    let journal = tempfile::tempdir().unwrap();
    let clock = VirtualClock::new();
    let fake = FakeKosli::start().unwrap();
    with_env(&fake);
    // Kosli answers 503 to every attempt of two ticks (two attempts each: max_api_retries 1).
    fake.push_faults(vec![kosli_tests::fake::Fault::status(503)
        .method("PUT")
        .times(4)])
        .unwrap();
    let site = Site::new();
    site.deploy().unwrap();
    let collector = PathsCollector::path("app", site.target());
    let c = client(&fake.url(), Some(clock), Some(journal.path()));
    let schedule = Schedule::every(Duration::from_secs(900))
        .unwrap()
        .max_ticks(2);
    let summary = c
        .snapshot_loop(
            "prod",
            &collector,
            &schedule,
            &StopSignal::new(),
            &mut |t: &Tick| {
                assert!(
                    matches!(t.result, Ok(ref r) if matches!(r.outcome, Outcome::Queued { .. })),
                    "{:?}",
                    t.result
                );
            },
        )
        .unwrap();
    assert_eq!((summary.queued, summary.failed), (2, 0));
    assert!(c.journal_status().unwrap().pending > 0);
    // Kosli is back: the next tick first delivers what was pending, then reports its own.
    let once = Schedule::every(Duration::from_secs(900))
        .unwrap()
        .max_ticks(1);
    let summary = c
        .snapshot_loop(
            "prod",
            &collector,
            &once,
            &StopSignal::new(),
            &mut |_: &Tick| {},
        )
        .unwrap();
    assert_eq!(summary.sent, 1, "{summary:?}");
    assert_eq!(c.journal_status().unwrap().pending, 0);
    let snap = c
        .get_snapshot(&kosli_core::ops::history::Snappish::latest("prod"))
        .unwrap();
    assert_eq!(snap.running()[0].name, "app");
}
