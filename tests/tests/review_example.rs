//! The `kosli` example, as a separate process, run with each observed CLI run of
//! tests/fixtures/review (pull requests) and the Sonar/Jira captures: a fake provider answers
//! as the CLI's did, fake-kosli takes the attestation; stdout, stderr, exit code and the
//! `data_json` sent are the CLI's.

use std::path::Path;
use std::process::Command;

use kosli_tests::fake::{FakeKosli, Fault};
use kosli_tests::fake_providers::captures::{Capture, CAPTURED_BASE};
use kosli_tests::fake_providers::{FakeProvider, Scenario};

/// Runs git in `dir` with fixed identities and `date`.
fn git(dir: &Path, args: &[&str], date: Option<&str>) {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/nonexistent")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice Dev")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice Dev")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com");
    if let Some(d) = date {
        cmd.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    assert!(cmd.status().unwrap().success(), "git {args:?}");
}

/// A repository of `(file content, message, date)` commits on `main` with `origin`.
fn repo(dir: &Path, origin: &str, commits: &[(&str, &str, &str)]) -> String {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "main", "."], None);
    git(dir, &["remote", "add", "origin", origin], None);
    for (file, message, date) in commits {
        let (name, content) = file.split_once('=').unwrap();
        std::fs::write(dir.join(name), content).unwrap();
        git(dir, &["add", name], None);
        git(dir, &["commit", "-q", "-m", message], Some(date));
    }
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs the example in `dir` with `args` and `env`.
fn kosli(dir: &Path, args: &[String], env: &[(&str, String)]) -> std::process::Output {
    let mut cmd = Command::new(kosli_tests::example_binary("kosli"));
    cmd.env_clear()
        .env("HOME", dir)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(dir)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// fake-kosli answering 201 to every POST (as the observation servers did).
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
fn sent_data_json(fake: &FakeKosli) -> Option<String> {
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

fn run_scenario(name: &str) {
    let s = Scenario::load(name);
    let tmp = tempfile::tempdir().unwrap();
    // The observation repository's origin was GitHub's, GitLab's for the GitLab runs.
    let origin = match s.data_json_at("") {
        Some(d)
            if d.contains(
                "https://gitlab.com/acme/app/-/commit/672bc19d53c7da939116dfc5e254cfdc62b36bcc\"},",
            ) =>
        {
            "https://gitlab.com/acme/app.git"
        }
        _ => "https://github.com/acme/app.git",
    };
    let head = repo(
        tmp.path(),
        origin,
        &[(
            "a=a\n",
            "second commit: add feature",
            "2024-06-02T11:30:00Z",
        )],
    );
    assert_eq!(head, "672bc19d53c7da939116dfc5e254cfdc62b36bcc");
    let provider = FakeProvider::start(Vec::new()).unwrap();
    let base = provider.url();
    provider.add_routes(s.routes_at(&base));
    let fake = kosli_fake();
    let mut args = s.args_at(&base);
    let host = args.iter().position(|a| a == "--host").unwrap() + 1;
    args[host] = fake.url();
    let env = [("KOSLI_BITBUCKET_API_URL", format!("{base}/2.0"))];
    let out = kosli(tmp.path(), &args, &env);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = format!("{name}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    assert_eq!(stdout, s.text("stdout"), "stdout of {ctx}");
    assert_eq!(stderr, s.text("stderr"), "stderr of {ctx}");
    assert_eq!(out.status.code(), Some(s.exit_code()), "exit code of {ctx}");
    assert_eq!(
        sent_data_json(&fake),
        s.data_json_at(&base),
        "data_json of {ctx}"
    );
}

#[test]
fn every_observed_pull_request_run() {
    for name in Scenario::all_names() {
        run_scenario(&name);
    }
}

fn run_capture(name: &str, repo_commits: &[(&str, &str, &str)]) {
    let c = Capture::load(name);
    let tmp = tempfile::tempdir().unwrap();
    let fixdir = tmp.path().display().to_string();
    if !repo_commits.is_empty() {
        let head = repo(
            &tmp.path().join("repo"),
            "git@github.com:acme/app.git",
            repo_commits,
        );
        assert_eq!(head, "07518e8af157a6e2ee935cdfdd4fb784ffc9eb95");
    } else {
        std::fs::create_dir_all(tmp.path().join("repo")).unwrap();
    }
    let provider = FakeProvider::start(Vec::new()).unwrap();
    let base = provider.url();
    provider.add_routes(c.routes_at(&base));
    let fake = kosli_fake();
    let mut args = c.args_at(&fixdir, &base);
    let host = args.iter().position(|a| a == "--host").unwrap() + 1;
    args[host] = fake.url();
    let out = kosli(&tmp.path().join("repo"), &args, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = format!("{name}\n--- stdout\n{stdout}--- stderr\n{stderr}");
    assert_eq!(stdout, c.stdout, "stdout of {ctx}");
    assert_eq!(
        stderr,
        c.stderr.replace(CAPTURED_BASE, &base),
        "stderr of {ctx}"
    );
    assert_eq!(out.status.code(), Some(c.exit_code), "exit code of {ctx}");
    assert_eq!(
        sent_data_json(&fake),
        c.data_json_at(&base),
        "data_json of {ctx}"
    );
    let seen: Vec<String> = provider
        .requests()
        .iter()
        .map(|r| {
            if r.query.is_empty() {
                r.path.clone()
            } else {
                format!("{}?{}", r.path, r.query)
            }
        })
        .collect();
    let want: Vec<String> = c
        .provider_requests()
        .iter()
        .map(|r| r["raw_target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen, want, "provider requests of {name}");
}

#[test]
fn attest_sonar_ce_task_url() {
    run_capture("attest_sonar_ce_task_url", &[]);
}

#[test]
fn attest_sonar_project_key() {
    run_capture("attest_sonar_project_key", &[]);
}

#[test]
fn attest_jira_fields() {
    run_capture(
        "attest_jira_fields",
        &[
            (
                "README.md=v1\n",
                "ABC-123 first commit",
                "2024-06-01T10:00:00Z",
            ),
            (
                "README.md=v1\nv2\n",
                "ABC-124 second commit: add feature\n\nRefs NOPE-9",
                "2024-06-02T11:30:00Z",
            ),
        ],
    );
}
