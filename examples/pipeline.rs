//! The seed's real-world pipeline, end to end, as one Rust program on the SDK:
//!
//! create the flow -> begin the trail -> build and attest the artifact (git and CI provenance)
//! -> attest the JUnit results -> attest the security scan (Snyk SARIF) -> gate -> deploy ->
//! report the deployment with a snapshot.
//!
//! ```sh
//! cargo run --release --example pipeline                      # offline: contacts no host
//! KOSLI_API_TOKEN=... KOSLI_ORG=acme cargo run --release --example pipeline   # reports
//! cargo run --release --example pipeline -- --artifact target/release/app --junit target/junit \
//!     --sarif snyk.sarif --flow payments-api-server --trail "$GIT_COMMIT" --environment production
//! ```
//!
//! With `KOSLI_API_TOKEN` and `KOSLI_ORG` (and optionally `KOSLI_HOST`) it reports to Kosli,
//! delivering first whatever earlier offline runs left in the journal, and the gate is Kosli's
//! compliance verdict (`kosli assert artifact`). Without them it runs offline and contacts no
//! host at all: fingerprints, evidence and the gate (no failed or errored tests, no critical
//! vulnerabilities) are computed here, every report is recorded in the journal, and it prints
//! what is pending. With no arguments it builds a small demo artifact and uses the demo test
//! results and scan of `examples/pipeline/` (copied into a temporary folder).
//!
//! Exit code: 0 when every step passed, 1 when a step failed or the gate refused the artifact
//! (the reasons are printed on stderr).
#![allow(clippy::print_stderr, reason = "a command-line program prints its log")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use kosli_core::blocking::Client;
use kosli_core::deploy::{Deployment, PathsCollector};
use kosli_core::evidence::junit::{self, Status, TestCase};
use kosli_core::evidence::{scan, snyk, JunitSummary, ScanSummary};
use kosli_core::fingerprint::Fingerprinter;
use kosli_core::ops::attest_artifact::AttestArtifact;
use kosli_core::ops::attestations::Attestation;
use kosli_core::ops::compliance::AssertArtifact;
use kosli_core::ops::environments::CreateEnvironment;
use kosli_core::ops::flows::{CreateFlow, Template};
use kosli_core::ops::naming::{FlowNaming, NamingConvention};
use kosli_core::ops::trails::BeginTrail;
use kosli_core::provenance::{ArtifactProvenance, ProcessEnv, ProvenanceInput, ReportKind};
use kosli_core::{ArtifactRef, ArtifactType, Config, ErrorKind, Fingerprint, Outcome};

/// `println!` that ignores a closed stdout (`pipeline | head`) instead of panicking.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// The demo inputs, built into the binary so that it runs from any folder.
const DEMO_JUNIT: &str = include_str!("pipeline/junit.xml");
const DEMO_SARIF: &str = include_str!("pipeline/snyk.sarif");
const DEMO_TEMPLATE: &str = include_str!("pipeline/kosli-template.yml");
/// The local gate (the seed's `policies:` shape); `PIPELINE_GATE` names another file.
const DEMO_GATE: &str = include_str!("pipeline/gate.yml");
/// The demo artifact: what "the build" writes. Fixed bytes, so its fingerprint is too.
const DEMO_APP: &str =
    "#!/bin/sh\n# demo app built by the Kosli SDK's pipeline example\necho 'payments: ok'\n";

/// The name of the artifact in the flow template (`kosli-template.yml`).
const TEMPLATE_ARTIFACT: &str = "app";

/// The pipeline's inputs: flags, or the environment variables named beside them.
#[derive(Debug, Parser)]
#[command(
    name = "pipeline",
    about = "The Kosli pipeline, end to end: flow, trail, artifact, tests, scan, gate, deployment, snapshot.",
    long_about = "The Kosli pipeline, end to end: flow, trail, artifact, tests, scan, gate, deployment, snapshot.\n\n\
        With KOSLI_API_TOKEN and KOSLI_ORG set (and optionally KOSLI_HOST) it reports to Kosli and gates on Kosli's \
        compliance verdict. Without them it runs offline, contacts no host, gates locally (no failed or errored \
        tests, no critical vulnerabilities) and records every report in the journal, delivered by the next run \
        that has a token."
)]
struct Args {
    /// The built artifact (file or folder) [default: a demo artifact built in a temporary folder].
    #[arg(long, env = "PIPELINE_ARTIFACT")]
    artifact: Option<PathBuf>,
    /// The artifact's name as deployed [default: the artifact's file name].
    #[arg(long, env = "PIPELINE_ARTIFACT_NAME")]
    artifact_name: Option<String>,
    /// A folder (or one file) of JUnit XML results [default: the demo results].
    #[arg(long, env = "PIPELINE_JUNIT")]
    junit: Option<PathBuf>,
    /// A Snyk SARIF scan of the artifact [default: the demo scan].
    #[arg(long, env = "PIPELINE_SARIF")]
    sarif: Option<PathBuf>,
    /// The flow, named `<team>-<service>-<component>` (the seed's convention).
    #[arg(long, env = "KOSLI_FLOW", default_value = "demo-payments-api")]
    flow: String,
    /// The trail [default: the commit's sha, else `demo-<unix time>`].
    #[arg(long, env = "KOSLI_TRAIL")]
    trail: Option<String>,
    /// The environment the artifact is deployed to and snapshotted in.
    #[arg(
        long,
        env = "PIPELINE_ENVIRONMENT",
        default_value = "demo-payments-production"
    )]
    environment: String,
    /// The journal folder (always on) [default: `kosli-pipeline-journal` in the temporary folder].
    #[arg(long, env = "KOSLI_JOURNAL_DIR")]
    journal: Option<PathBuf>,
    /// The flow template [default: the demo template: artifact `app` with `unit-tests` (junit)
    /// and `security-scan` (snyk)].
    #[arg(long)]
    template: Option<PathBuf>,
    /// The git repository the artifact was built from.
    #[arg(long, default_value = ".")]
    repo_root: PathBuf,
    /// The CI build's URL [default: the CI's, else a file:// URL of the build folder].
    #[arg(long)]
    build_url: Option<String>,
    /// The commit's URL [default: the CI's, else a file:// URL of the repository].
    #[arg(long)]
    commit_url: Option<String>,
}

/// Why the pipeline stopped.
enum Stop {
    /// A step failed.
    Error(String, kosli_core::Error),
    /// The gate refused the artifact, for these reasons.
    Refused(Vec<String>),
}

/// Attaches the step's name to an error.
trait At<T> {
    fn at(self, step: &str) -> Result<T, Stop>;
}

impl<T> At<T> for Result<T, kosli_core::Error> {
    fn at(self, step: &str) -> Result<T, Stop> {
        self.map_err(|e| Stop::Error(step.to_string(), e))
    }
}

/// Where the pipeline reports: to Kosli, or to the journal only.
struct Reporter {
    client: Client,
    online: bool,
}

/// The inputs after defaults: real paths, and the temporary folder holding the demo ones.
struct Inputs {
    work: PathBuf,
    artifact: PathBuf,
    artifact_name: String,
    junit: PathBuf,
    sarif: PathBuf,
    journal: PathBuf,
}

fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let args = Args::parse();
    let work = std::env::temp_dir().join(format!("kosli-pipeline-{}", std::process::id()));
    let result = run(&args, &work);
    // The journal keeps its own copies of attachments: the work folder can go.
    let _ = fs::remove_dir_all(&work);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Error(step, e)) => {
            eprintln!("pipeline: {step} failed: {e}");
            ExitCode::FAILURE
        }
        Err(Stop::Refused(reasons)) => {
            eprintln!("pipeline: the gate refused the artifact; it was not deployed:");
            for r in reasons {
                eprintln!("  - {r}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args, work: &Path) -> Result<(), Stop> {
    let inputs = prepare_inputs(args, work).at("preparing the inputs")?;
    let reporter = reporter(&inputs.journal).at("configuring the client")?;
    let flow = args.flow.as_str();

    // Build: the artifact's fingerprint, computed once; this one reference is used for every
    // report about it (the seed's first pitfall is reporting one name and deploying another).
    let kind = if inputs.artifact.is_dir() {
        ArtifactType::Dir
    } else {
        ArtifactType::File
    };
    let fingerprinter = Fingerprinter::new();
    let fingerprint = match kind {
        ArtifactType::Dir => fingerprinter.dir(&inputs.artifact),
        _ => fingerprinter.file(&inputs.artifact),
    }
    .at("fingerprinting the artifact")?;
    let artifact = ArtifactRef::new(inputs.artifact_name.clone(), fingerprint, kind)
        .at("naming the artifact")?;
    step(
        "build",
        &format!(
            "{} ({kind}) sha256:{}",
            inputs.artifact.display(),
            artifact.fingerprint()
        ),
    );

    let provenance = provenance(args, &inputs);
    let trail = args
        .trail
        .clone()
        .or_else(|| provenance.as_ref().map(|p| p.git_commit.clone()))
        .unwrap_or_else(|| format!("demo-{}", unix_time()));

    // Flow, with the seed's naming convention checked (a warning, not a refusal).
    let naming = FlowNaming::warn(NamingConvention::seed());
    if let Ok(Some(warning)) = naming.check(flow) {
        step("flow", &format!("note: {warning}"));
    }
    let template = match &args.template {
        Some(path) => Template::file(path),
        None => Template::yaml("kosli-template.yml", DEMO_TEMPLATE),
    };
    let create = CreateFlow::new(flow)
        .description("The Kosli SDK's pipeline example")
        .template(template);
    let outcome = reporter.client.create_flow(&create).at("create flow")?;
    step("flow", &format!("{flow}: {}", describe(&outcome)));

    // Trail, tied to the commit when there is one.
    let mut begin = BeginTrail::new(flow, &trail).description("a run of the pipeline example");
    if let Some(p) = &provenance {
        begin = begin
            .git_commit_info(p.git_commit_info.clone())
            .origin_url(&p.build_url);
    }
    let outcome = reporter.client.begin_trail(&begin).at("begin trail")?;
    step("trail", &format!("{trail}: {}", describe(&outcome)));

    // The artifact, with its provenance.
    let mut attest = AttestArtifact::with_fingerprint(
        flow,
        &trail,
        TEMPLATE_ARTIFACT,
        artifact.fingerprint(),
        artifact.name(),
    );
    attest = match &provenance {
        Some(p) => attest.provenance(p),
        None => attest
            .build_url(default_build_url(args, &inputs))
            .commit_url(default_commit_url(args)),
    };
    let outcome = reporter
        .client
        .attest_artifact(&attest)
        .at("attest artifact")?;
    step(
        "artifact",
        &format!(
            "{} ({TEMPLATE_ARTIFACT} in the template): {}",
            artifact.name(),
            describe(&outcome)
        ),
    );

    // Tests.
    let mut failing = Vec::new();
    let junit_summary = junit::parse_dir_with(&inputs.junit, &mut |case: &TestCase<'_>| {
        if matches!(case.status, Status::Failed | Status::Error) {
            failing.push(describe_case(case));
        }
    })
    .at("reading the JUnit results")?;
    let mut tests = Attestation::junit(
        flow,
        &trail,
        &format!("{TEMPLATE_ARTIFACT}.unit-tests"),
        &junit_summary,
        true,
    )
    .at("attest junit")?
    .artifact(&artifact);
    if let Some(p) = &provenance {
        tests = tests
            .git_commit_info(p.git_commit_info.clone())
            .origin_url(&p.build_url);
    }
    let outcome = reporter.client.attest(&tests).at("attest junit")?;
    step(
        "tests",
        &format!("{}: {}", junit_line(&junit_summary), describe(&outcome)),
    );

    // Security scan: the CLI's snyk_results for Kosli, counts by severity for the gate.
    let snyk_results = snyk::parse_file(&inputs.sarif).at("reading the Snyk SARIF scan")?;
    let scan_summary = scan::parse_file(&inputs.sarif).at("reading the SARIF scan")?;
    let mut scan_attestation = Attestation::snyk(
        flow,
        &trail,
        &format!("{TEMPLATE_ARTIFACT}.security-scan"),
        snyk_results,
        Some(inputs.sarif.clone()),
    )
    .at("attest snyk")?
    .artifact(&artifact);
    if let Some(p) = &provenance {
        scan_attestation = scan_attestation
            .git_commit_info(p.git_commit_info.clone())
            .origin_url(&p.build_url);
    }
    let outcome = reporter
        .client
        .attest(&scan_attestation)
        .at("attest snyk")?;
    step(
        "scan",
        &format!("{}: {}", scan_line(&scan_summary), describe(&outcome)),
    );

    // Gate.
    gate(
        &reporter,
        flow,
        artifact.fingerprint(),
        &junit_summary,
        &failing,
        &scan_summary,
    )?;

    // The environment the artifact is deployed to.
    let env = CreateEnvironment::new(&args.environment, "server")
        .description("where the pipeline example deploys");
    let outcome = reporter
        .client
        .create_environment(&env)
        .at("create environment")?;
    step(
        "environment",
        &format!("{}: {}", args.environment, describe(&outcome)),
    );

    // Deploy through the guard: the step puts the artifact where it runs (here, a folder
    // standing for the server); only if it succeeded is the environment snapshotted, reported,
    // and the attested artifact checked among what runs there.
    let target = deploy_target(&inputs.work.join("server"), artifact.name());
    let guard = Deployment::new(&args.environment, &artifact).at("deploy")?;
    let collector = PathsCollector::path(artifact.name(), &target);
    let report = reporter
        .client
        .deploy(&guard, &collector, || copy_all(&inputs.artifact, &target))
        .map_err(|e| match e.into_error() {
            Ok(e) => Stop::Error("snapshot path".into(), e),
            Err(e) => Stop::Error("deploy".into(), e),
        })?;
    step(
        "deploy",
        &format!("{} -> {}", artifact.name(), target.display()),
    );
    step(
        "snapshot",
        &format!(
            "{}: {} running: {} ({})",
            args.environment,
            artifact.name(),
            describe(&report.outcome),
            report.verification
        ),
    );

    pending(&reporter);
    Ok(())
}

/// Fills in the defaults: the demo artifact, results and scan are written to `work`.
fn prepare_inputs(args: &Args, work: &Path) -> kosli_core::Result<Inputs> {
    let write = |name: &str, text: &str| -> kosli_core::Result<PathBuf> {
        let path = work.join(name);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| kosli_core::Error::io("mkdir", dir, e))?;
        }
        fs::write(&path, text).map_err(|e| kosli_core::Error::io("write", &path, e))?;
        Ok(path)
    };
    let artifact = match &args.artifact {
        Some(p) => p.clone(),
        None => write("build/payments-app", DEMO_APP)?,
    };
    let junit = match &args.junit {
        Some(p) => p.clone(),
        None => {
            write("test-results/junit.xml", DEMO_JUNIT)?;
            work.join("test-results")
        }
    };
    let sarif = match &args.sarif {
        Some(p) => p.clone(),
        None => write("scan/snyk.sarif", DEMO_SARIF)?,
    };
    let artifact_name = match &args.artifact_name {
        Some(n) => n.clone(),
        None => artifact
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| TEMPLATE_ARTIFACT.to_string()),
    };
    let journal = args
        .journal
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("kosli-pipeline-journal"));
    Ok(Inputs {
        work: work.to_path_buf(),
        artifact,
        artifact_name,
        junit,
        sarif,
        journal,
    })
}

/// Online with `KOSLI_API_TOKEN` and `KOSLI_ORG`, offline otherwise; the journal always on.
/// Online, first delivers what earlier offline runs left in the journal.
fn reporter(journal: &Path) -> kosli_core::Result<Reporter> {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty());
    if set("KOSLI_API_TOKEN") && set("KOSLI_ORG") {
        let config = Config::builder().journal_dir(journal).load()?;
        let client = Client::new(config)?;
        out!(
            "pipeline: reporting to {} (org {}), journal {}",
            client.config().primary().as_str(),
            client.config().org().unwrap_or(""),
            journal.display()
        );
        let before = client.journal_status()?;
        if before.pending > 0 {
            let report = client.flush_journal()?;
            step(
                "journal",
                &format!(
                    "delivered {} record(s) left by earlier runs, {} still pending",
                    report.delivered(),
                    report.left()
                ),
            );
        }
        Ok(Reporter {
            client,
            online: true,
        })
    } else {
        out!(
            "pipeline: offline (KOSLI_API_TOKEN and KOSLI_ORG are not both set): no host is contacted; reports go to the journal {}",
            journal.display()
        );
        let client = Client::new(Config::offline(journal)?)?;
        Ok(Reporter {
            client,
            online: false,
        })
    }
}

/// The commit and CI provenance of the artifact, or `None` (with a note) outside a git
/// repository.
fn provenance(args: &Args, inputs: &Inputs) -> Option<ArtifactProvenance> {
    let mut input = ProvenanceInput::new().repo_root(&args.repo_root);
    let missing = input.missing_required(ReportKind::Artifact, &ProcessEnv);
    if let Some(url) = &args.build_url {
        input = input.build_url(url);
    } else if missing.contains(&"build-url") {
        input = input.build_url(default_build_url(args, inputs));
    }
    if let Some(url) = &args.commit_url {
        input = input.commit_url(url);
    } else if missing.contains(&"commit-url") {
        input = input.commit_url(default_commit_url(args));
    }
    match input.resolve_artifact(&ProcessEnv) {
        Ok(p) => {
            let ci =
                p.ci.map_or("no CI detected".to_string(), |c| format!("CI {c:?}"));
            step(
                "provenance",
                &format!(
                    "commit {} by {} ({ci}), build {}",
                    short(&p.git_commit),
                    p.git_commit_info.author,
                    p.build_url
                ),
            );
            for w in &p.warnings {
                step("provenance", &format!("note: {w}"));
            }
            Some(p)
        }
        Err(e) => {
            step(
                "provenance",
                &format!("note: no git provenance ({e}); reporting without a commit"),
            );
            None
        }
    }
}

/// The gate: Kosli's compliance verdict online, the local checks offline (or when Kosli
/// cannot be reached).
fn gate(
    reporter: &Reporter,
    flow: &str,
    fingerprint: Fingerprint,
    junit: &JunitSummary,
    failing: &[String],
    scan: &ScanSummary,
) -> Result<(), Stop> {
    if reporter.online {
        let assert = AssertArtifact::new(fingerprint).flow(flow);
        match reporter.client.assert_artifact(&assert) {
            Ok(verdict) if verdict.compliant => {
                step("gate", "Kosli says the artifact is compliant");
                return Ok(());
            }
            Ok(verdict) => {
                step("gate", "Kosli says the artifact is NOT compliant");
                return Err(Stop::Refused(verdict.reasons()));
            }
            Err(e) if matches!(e.kind(), ErrorKind::Network | ErrorKind::Timeout) => {
                step(
                    "gate",
                    &format!("note: Kosli cannot be reached ({e}); gating locally"),
                );
            }
            Err(e) => return Err(Stop::Error("assert artifact".into(), e)),
        }
    }
    let mut reasons: Vec<String> = Vec::new();
    if junit.failed() > 0 {
        reasons.push(format!(
            "{} of {} tests failed or errored",
            junit.failed(),
            junit.total()
        ));
        reasons.extend(failing.iter().map(|f| format!("  {f}")));
    }
    if scan.critical > 0 {
        reasons.push(format!(
            "{} critical vulnerabilities found by {}",
            scan.critical, scan.tool
        ));
        reasons.extend(
            scan.findings
                .iter()
                .filter(|f| f.severity == scan::Severity::Critical)
                .map(|f| format!("  {}: {}", f.id, f.message)),
        );
    }
    // The gate file decides too: a rule it fails stops the deploy, and says why.
    let gate = match std::env::var_os("PIPELINE_GATE") {
        Some(path) => kosli_core::policy::gate::Gate::from_file(PathBuf::from(path)),
        None => kosli_core::policy::gate::Gate::from_yaml(DEMO_GATE),
    }
    .at("reading the gate file")?;
    let evidence = kosli_core::policy::gate::EvidenceSet::new()
        .with_junit(junit)
        .with_scan(scan);
    reasons.extend(gate.evaluate(&evidence).reasons());
    if reasons.is_empty() {
        step(
            "gate",
            "local check passed: no failed or errored tests, no critical vulnerabilities",
        );
        Ok(())
    } else {
        step("gate", "local check FAILED");
        Err(Stop::Refused(reasons))
    }
}

/// Where the artifact runs: `server/<name>` (a folder standing for the machine it runs on).
fn deploy_target(server: &Path, name: &str) -> PathBuf {
    server.join(name.replace(['/', '\\', ':'], "_"))
}

fn copy_all(from: &Path, to: &Path) -> kosli_core::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to).map_err(|e| kosli_core::Error::io("mkdir", to, e))?;
        let entries = fs::read_dir(from).map_err(|e| kosli_core::Error::io("open", from, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| kosli_core::Error::io("readdir", from, e))?;
            copy_all(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir).map_err(|e| kosli_core::Error::io("mkdir", dir, e))?;
        }
        fs::copy(from, to)
            .map(|_| ())
            .map_err(|e| kosli_core::Error::io("copy", from, e))
    }
}

/// Offline: what the journal holds for the next run with a token.
fn pending(reporter: &Reporter) {
    let status = match reporter.client.journal_status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pipeline: could not read the journal: {e}");
            return;
        }
    };
    if status.pending == 0 {
        out!("pipeline: done; nothing pending in the journal");
        return;
    }
    let dir = status
        .dir
        .as_ref()
        .map_or(String::new(), |d| d.display().to_string());
    out!(
        "pipeline: done; {} report(s) pending in the journal {dir}:",
        status.pending
    );
    for r in &status.records {
        let error = r
            .last_error
            .as_ref()
            .map_or(String::new(), |e| format!(" (last error: {e})"));
        out!("  {} {}{error}", r.id, r.operation);
    }
    if !reporter.online {
        out!(
            "deliver them by running again with KOSLI_API_TOKEN and KOSLI_ORG set (and KOSLI_HOST if not app.kosli.com)"
        );
    }
}

fn step(name: &str, text: &str) {
    out!("{name:>12}  {text}");
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Sent(r) if r.created() => "sent (created)".into(),
        Outcome::Sent(_) => "sent (updated)".into(),
        Outcome::DryRun(_) => "dry-run (not sent)".into(),
        Outcome::Queued { id } => format!("queued in the journal ({id})"),
        Outcome::Hosts(_) if outcome.is_complete() => "sent to every host".into(),
        Outcome::Hosts(_) => format!("sent; failed on {}", outcome.failed_hosts().join(", ")),
        _ => "done".into(),
    }
}

fn describe_case(case: &TestCase<'_>) -> String {
    let what = if case.status == Status::Error {
        "errored"
    } else {
        "failed"
    };
    let name = if case.classname.is_empty() {
        case.name.to_string()
    } else {
        format!("{}.{}", case.classname, case.name)
    };
    match case.message {
        Some(m) if !m.is_empty() => format!("{name} {what}: {m}"),
        _ => format!("{name} {what}"),
    }
}

fn junit_line(s: &JunitSummary) -> String {
    let skipped: u64 = s.suites.iter().map(|x| x.skipped).sum();
    format!(
        "{} tests in {} suite(s): {} failed or errored, {skipped} skipped",
        s.total(),
        s.suites.len(),
        s.failed()
    )
}

fn scan_line(s: &ScanSummary) -> String {
    format!(
        "{}: {} critical, {} high, {} medium, {} low",
        s.tool, s.critical, s.high, s.medium, s.low
    )
}

fn default_build_url(args: &Args, inputs: &Inputs) -> String {
    args.build_url
        .clone()
        .unwrap_or_else(|| file_url(&inputs.work.join("build")))
}

fn default_commit_url(args: &Args) -> String {
    args.commit_url
        .clone()
        .unwrap_or_else(|| file_url(&args.repo_root))
}

fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", abs.display())
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

fn unix_time() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
