//! `attest jira` as the official CLI was observed (tests/fixtures/review/jira): field types
//! beyond status/assignee/issue type through the SDK (same Jira requests, same `data_json`)
//! and every run through the `kosli` example (stdout, stderr, exit code, `data_json`),
//! including `--assert` with no reference, no trailer and a missing issue.

mod review_common;

use std::path::Path;
use std::process::Command;

use kosli_core::ops::attestations::Attestation;
use kosli_core::provenance::GitCommitInfo;
use kosli_core::review::jira::JiraSource;
use kosli_core::review::ReviewAttestation;
use kosli_tests::fake::{FakeKosli, Fault};
use kosli_tests::fake_providers::{FakeProvider, Scenario, OBSERVED_BASE};
use serde_json::Value;

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

/// The `data_json` fake-kosli received, if any.
fn sent(fake: &FakeKosli) -> Option<String> {
    fake.requests()
        .iter()
        .find(|r| {
            r["raw_target"]
                .as_str()
                .unwrap_or_default()
                .starts_with("/api/v2/attestations/")
        })
        .map(|r| r["multipart"][0]["text"].as_str().unwrap().to_string())
}

/// Runs git in `dir` as Alice Dev at `date`.
fn git(dir: &Path, args: &[&str], date: &str) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice Dev")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice Dev")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// The observation repository: one commit, HEAD 672bc19d.
fn observation_repo(dir: &Path) {
    let d = "2024-06-02T11:30:00Z";
    git(dir, &["init", "-q", "-b", "main", "."], d);
    git(
        dir,
        &["remote", "add", "origin", "https://github.com/acme/app.git"],
        d,
    );
    std::fs::write(dir.join("a"), "a\n").unwrap();
    git(dir, &["add", "a"], d);
    git(
        dir,
        &["commit", "-q", "-m", "second commit: add feature"],
        d,
    );
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "672bc19d53c7da939116dfc5e254cfdc62b36bcc"
    );
}

fn load(name: &str) -> (Scenario, FakeProvider, String) {
    let s = Scenario::load(&format!("jira/{name}"));
    let fake = FakeProvider::start(Vec::new()).unwrap();
    let base = fake.url();
    fake.add_routes(s.routes_at(&base));
    (s, fake, base)
}

#[test]
fn sdk_sends_every_field_type_as_the_cli() {
    let (s, fake, base) = load("jira_rich_fields");
    let mut source = JiraSource::new(&base);
    source.pat = Some(s.flag("jira-pat").unwrap().into());
    source.issue_fields = s.flag("jira-issue-fields").unwrap();
    source.secondary_source = s.flag("jira-secondary-source");
    let want = s.data_json_at(&base).unwrap();
    let recorded: Value = serde_json::from_str(&want).unwrap();
    let info: GitCommitInfo = serde_json::from_value(recorded["git_commit_info"].clone()).unwrap();
    let keys = source.references(&info.message, &info.branch);
    assert_eq!(keys, ["ABC-7"]);
    let (client, _) = review_common::client(&base);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let results = rt.block_on(client.jira_results(&source, &keys)).unwrap();
    let seen = fake.requests();
    let asked = s.provider_requests();
    assert_eq!(seen.len(), asked.len());
    for (g, w) in seen.iter().zip(&asked) {
        assert_eq!(g.path, w["path"].as_str().unwrap());
        assert_eq!(g.query, w["query"].as_str().unwrap());
        assert_eq!(g.header("authorization"), Some("Bearer jira-pat-1"));
    }
    let fields = &results[0].issue_fields;
    assert!(
        !fields.contains_key("assignee"),
        "a null known field is left out"
    );
    assert_eq!(
        fields["customfield_10040"],
        Value::Null,
        "a null custom field stays"
    );
    let a = ReviewAttestation::jira(
        Attestation::generic("demo-flow", "trail-1", "jira-ticket", true)
            .unwrap()
            .git_commit_info(info),
        results,
    );
    let kosli = kosli_fake();
    let (client, _) = review_common::client(&kosli.url());
    rt.block_on(client.attest_review(&a)).unwrap();
    assert_eq!(sent(&kosli).unwrap(), want);
}

/// The `kosli` example with the scenario's command in the observation repository.
fn run_example(name: &str) {
    let (s, fake, base) = load(name);
    let tmp = tempfile::tempdir().unwrap();
    observation_repo(tmp.path());
    let kosli = kosli_fake();
    let mut args = s.args_at(&base);
    let host = args.iter().position(|a| a == "--host").unwrap() + 1;
    args[host] = kosli.url();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", tmp.path())
        .env("PATH", "/usr/bin:/bin")
        .current_dir(tmp.path())
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = format!("{name}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    assert_eq!(stdout, s.text("stdout"), "stdout of {ctx}");
    assert_eq!(
        stderr,
        s.text("stderr").replace(OBSERVED_BASE, &base),
        "stderr of {ctx}"
    );
    assert_eq!(out.status.code(), Some(s.exit_code()), "exit code of {ctx}");
    assert_eq!(sent(&kosli), s.data_json_at(&base), "data_json of {ctx}");
    let targets: Vec<(String, String)> = fake
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.query.clone()))
        .collect();
    let want: Vec<(String, String)> = s
        .provider_requests()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["query"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(targets, want, "Jira requests of {name}");
}

macro_rules! examples {
    ($($name:ident),* $(,)?) => {
        mod example {
            $(
                #[test]
                fn $name() {
                    super::run_example(stringify!($name));
                }
            )*
        }

        #[test]
        fn every_jira_scenario_is_run() {
            let listed = [$(stringify!($name)),*];
            let dir = kosli_tests::fixtures_dir().join("review/jira");
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

examples!(
    jira_missing_issue_assert,
    jira_no_key,
    jira_no_key_assert,
    jira_no_key_secondary_assert,
    jira_no_key_trailer_assert,
    jira_rich_fields,
);
