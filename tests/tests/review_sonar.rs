//! `attest sonar` by project key (with a revision, a branch, a pull request) and by
//! `--sonar-working-dir`, as the official CLI was observed doing (tests/fixtures/review/sonar):
//! the SDK sends the same SonarQube requests (target and `Authorization`), then the same
//! `data_json` or the same error; the `kosli` example prints the CLI's stdout and stderr, exits
//! with its code and sends its `data_json`.

mod review_common;

use std::path::Path;
use std::process::Command;

use kosli_core::ops::attestations::Attestation;
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::ReviewAttestation;
use kosli_core::ErrorKind;
use kosli_tests::fake::{FakeKosli, Fault};
use kosli_tests::fake_providers::{FakeProvider, Scenario, OBSERVED_BASE};

/// The folder of the observed runs' working dirs (`wd` held report-task.txt, `nowhere` did
/// not exist); a replay substitutes its temporary dir.
const OBSERVED_DIR: &str = "/tmp/rev/sonar";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// fake-kosli answering 201 to every attestation POST, as the observation server did.
fn kosli_fake() -> FakeKosli {
    let fake = FakeKosli::start().unwrap();
    let mut f = Fault::status(201).method("POST");
    f.path_re = Some("^/api/v2/attestations/.*".into());
    f.raw_body = Some("OK".into());
    f.times = Some(100);
    fake.push_faults(vec![f]).unwrap();
    fake
}

/// The attestation fake-kosli received: its target and `data_json`.
fn sent(fake: &FakeKosli) -> Option<(String, String)> {
    fake.requests()
        .iter()
        .find(|r| {
            r["raw_target"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/api/v2/attestations/")
        })
        .map(|r| {
            (
                r["raw_target"].as_str().unwrap().to_string(),
                r["multipart"][0]["text"].as_str().unwrap().to_string(),
            )
        })
}

/// A started fake SonarQube answering scenario `name`, and a working dir holding the
/// scenario's report-task.txt (if any) with the fake's address.
fn setup(name: &str) -> (Scenario, FakeProvider, String, tempfile::TempDir) {
    let s = Scenario::load(&format!("sonar/{name}"));
    let fake = FakeProvider::start(Vec::new()).unwrap();
    let base = fake.url();
    fake.add_routes(s.routes_at(&base));
    let tmp = tempfile::tempdir().unwrap();
    let report = kosli_tests::fixtures_dir()
        .join("review/sonar")
        .join(format!("{name}.report-task.txt"));
    if let Ok(text) = std::fs::read_to_string(report) {
        let wd = tmp.path().join("wd");
        std::fs::create_dir_all(&wd).unwrap();
        std::fs::write(
            wd.join("report-task.txt"),
            text.replace(OBSERVED_BASE, &base),
        )
        .unwrap();
    }
    (s, fake, base, tmp)
}

/// Asserts that the fake saw the CLI's SonarQube requests, in order, with its credentials.
fn assert_requests(s: &Scenario, fake: &FakeProvider) {
    let got = fake.requests();
    let want = s.provider_requests();
    let targets = |g: &[(String, String, String)]| g.to_vec();
    let got: Vec<(String, String, String)> = got
        .iter()
        .map(|g| {
            (
                g.path.clone(),
                g.query.clone(),
                g.header("authorization").unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|w| {
            (
                w["path"].as_str().unwrap().to_string(),
                w["query"].as_str().unwrap().to_string(),
                w["headers"]["Authorization"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(targets(&got), want, "{}: SonarQube requests", s.name);
}

/// The SDK with the scenario's flags: same requests, same `data_json` or same error.
fn run_sdk(name: &str) {
    let (s, fake, base, tmp) = setup(name);
    let mut source = SonarSource::new(&s.flag("sonar-api-token").unwrap());
    source.project_key = s.flag("sonar-project-key");
    source.revision = s.flag("sonar-revision");
    source.branch = s.flag("sonar-branch");
    source.pull_request = s.flag("pull-request");
    source.ce_task_url = s.flag("sonar-ce-task-url");
    if let Some(url) = s.flag("sonar-server-url") {
        source.server_url = url.replace(OBSERVED_BASE, &base);
    }
    source.working_dir = s
        .flag("sonar-working-dir")
        .map(|d| d.replace(OBSERVED_DIR, &tmp.path().display().to_string()));
    let (client, _) = review_common::client(&base);
    let results = rt().block_on(client.sonar_results(&source));
    assert_requests(&s, &fake);
    match results {
        Err(e) => {
            assert_eq!(
                s.exit_code(),
                1,
                "{name}: the CLI succeeded where the SDK failed: {e}"
            );
            assert!(
                matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Io),
                "{name}: {e:?}"
            );
            let stderr = s
                .text("stderr")
                .replace(OBSERVED_BASE, &base)
                .replace(OBSERVED_DIR, &tmp.path().display().to_string());
            assert!(
                stderr.contains(&format!("] {e}\n")),
                "{name}: {e}\nvs\n{stderr}"
            );
            assert!(s.data_json_at(&base).is_none());
        }
        Ok(results) => {
            assert_eq!(
                s.exit_code(),
                0,
                "{name}: the CLI failed where the SDK did not"
            );
            let a = ReviewAttestation::sonar(
                Attestation::generic("demo-flow", "trail-1", "sonar-scan", true).unwrap(),
                results,
            );
            let kosli = kosli_fake();
            let (client, _) = review_common::client(&kosli.url());
            rt().block_on(client.attest_review(&a)).unwrap();
            let (target, data) = sent(&kosli).unwrap();
            assert_eq!(
                target,
                "/api/v2/attestations/acme/demo-flow/trail/trail-1/sonar"
            );
            assert_eq!(Some(data), s.data_json_at(&base), "{name}: data_json");
        }
    }
}

/// The `kosli` example with the scenario's command: the CLI's output, exit code and payload.
fn run_example(name: &str) {
    let (s, fake, base, tmp) = setup(name);
    let kosli = kosli_fake();
    let dir_text = tmp.path().display().to_string();
    let mut args: Vec<String> = s
        .args_at(&base)
        .into_iter()
        .map(|a| a.replace(OBSERVED_DIR, &dir_text))
        .collect();
    let host = args.iter().position(|a| a == "--host").unwrap() + 1;
    args[host] = kosli.url();
    let dir: &Path = tmp.path();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", dir)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(dir)
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = format!("{name}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    assert_eq!(stdout, s.text("stdout"), "stdout of {ctx}");
    assert_eq!(
        stderr,
        s.text("stderr")
            .replace(OBSERVED_BASE, &base)
            .replace(OBSERVED_DIR, &dir_text),
        "stderr of {ctx}"
    );
    assert_eq!(out.status.code(), Some(s.exit_code()), "exit code of {ctx}");
    assert_eq!(
        sent(&kosli).map(|(_, d)| d),
        s.data_json_at(&base),
        "data_json of {ctx}"
    );
    assert_requests(&s, &fake);
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        mod sdk {
            $(
                #[test]
                fn $name() {
                    super::run_sdk(stringify!($name));
                }
            )*
        }

        mod example {
            $(
                #[test]
                fn $name() {
                    super::run_example(stringify!($name));
                }
            )*
        }

        #[test]
        fn every_sonar_scenario_is_run() {
            let listed = [$(stringify!($name)),*];
            let dir = kosli_tests::fixtures_dir().join("review/sonar");
            let mut n = 0;
            for e in std::fs::read_dir(dir).unwrap() {
                let file = e.unwrap().file_name().into_string().unwrap();
                if let Some(name) = file.strip_suffix(".cli.json") {
                    assert!(listed.contains(&name), "scenario {name} is not run");
                    n += 1;
                }
            }
            assert_eq!(n, listed.len());
        }
    };
}

scenarios!(
    sonar_key_branch,
    sonar_key_branch_task,
    sonar_key_no_revision,
    sonar_key_pr,
    sonar_key_pr_none,
    sonar_key_pr_revision,
    sonar_key_pr_task,
    sonar_key_revision,
    sonar_key_revision_task,
    sonar_working_dir,
    sonar_working_dir_missing,
);
