//! Provenance resolved by the SDK equals what the official CLI v2.43.1 sent, case by case.
//!
//! `fixtures/provenance/cli_cases.json` holds one run of the CLI per case (made by
//! `regen_cli_cases.py`): the CI variables, the provenance flags, the repository, and what came
//! out (request body, warnings, error). `shared_captures.json` holds the contract's own
//! captures that carry provenance. Each case is replayed through
//! `ProvenanceInput::resolve_*` with the same environment map (the process environment is
//! never touched) and a repository built with the captures' recipe, and every provenance field
//! must be byte-identical in Go-compatible JSON.

mod provenance_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kosli_core::model::go_json;
use kosli_core::provenance::{external_urls, ProvenanceInput, Redactions};
use serde::Deserialize;

use provenance_support::{fixtures, Repos, HEAD_SHA, PREV_SHA};

#[derive(Debug, Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    kind: String,
    repo: String,
    env: BTreeMap<String, String>,
    args: Vec<String>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    cwd: Option<String>,
    exit_code: i32,
    warnings: Vec<String>,
    error: Option<String>,
    body: Option<String>,
}

/// What the flags of a case turn into.
struct Parsed {
    input: ProvenanceInput,
    external: Result<kosli_core::provenance::ExternalUrls, kosli_core::Error>,
}

fn parse_args(case: &Case, base: &Path, workdir: PathBuf) -> Result<Parsed, kosli_core::Error> {
    let mut input = ProvenanceInput::new().working_dir(workdir);
    let mut redact = Vec::new();
    let (mut urls, mut fingerprints) = (Vec::new(), Vec::new());
    let mut it = case.args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .unwrap_or_else(|| panic!("{}: {flag} has no value", case.name));
        let value = value.replace("$BASE", &base.display().to_string());
        input = match flag.as_str() {
            "--commit" => input.commit(value),
            "--repo-root" => input.repo_root(value),
            "--build-url" => input.build_url(value),
            "--commit-url" => input.commit_url(value),
            "--repo-id" => input.repo_id(value),
            "--repository" => input.repository(value),
            "--repo-url" => input.repo_url(value),
            "--repo-provider" => input.repo_provider(value),
            "--origin-url" => input.origin_url(value),
            "--redact-commit-info" => {
                redact.extend(value.split(',').map(str::to_string));
                input
            }
            "--external-url" | "--external-fingerprint" => {
                let (k, v) = value.split_once('=').unwrap();
                let list = if flag == "--external-url" {
                    &mut urls
                } else {
                    &mut fingerprints
                };
                list.push((k.to_string(), v.to_string()));
                input
            }
            other => panic!("{}: unexpected flag {other}", case.name),
        };
    }
    // The CLI checks --redact-commit-info before anything else.
    let input = input.redact(Redactions::from_values(&redact)?);
    Ok(Parsed {
        input,
        external: external_urls(urls, fingerprints),
    })
}

/// `"key":<value>` appears in the body (values are Go-compatible JSON).
fn assert_field(case: &str, body: &str, key: &str, value: &str) {
    let needle = format!("\"{key}\":{value}");
    assert!(
        body.contains(&needle),
        "{case}: body lacks {needle}\nbody: {body}"
    );
}

fn assert_absent(case: &str, body: &str, key: &str) {
    assert!(
        !body.contains(&format!("\"{key}\":")),
        "{case}: body has {key}\nbody: {body}"
    );
}

fn json<T: serde::Serialize>(v: &T) -> String {
    go_json::to_string(v).unwrap()
}

/// Replays one case and panics at the first difference from the CLI.
fn replay(case: &Case, repos: &Repos) {
    let name = case.name.as_str();
    let repo = match &case.origin {
        Some(remote) => repos.with_origin(&format!("origin-{name}"), remote),
        None => repos.get(&case.repo),
    };
    let workdir = match &case.cwd {
        Some(sub) => repo.join(sub),
        None => repo,
    };
    let env = &case.env;
    let parsed = parse_args(case, repos.base(), workdir);
    type Fields = Vec<(&'static str, Option<String>)>;
    let outcome: Result<(Fields, Vec<String>), kosli_core::Error> = parsed.and_then(|p| {
        let external = p.external?;
        let (fields, warnings) = match case.kind.as_str() {
            "artifact" => {
                let prov = p.input.resolve_artifact(env)?;
                let mut fields = vec![
                    ("git_commit", Some(json(&prov.git_commit))),
                    ("git_commit_info", Some(json(&prov.git_commit_info))),
                    ("repo_info", prov.repo_info.as_ref().map(json)),
                    ("build_url", Some(json(&prov.build_url))),
                    ("commit_url", Some(json(&prov.commit_url))),
                    ("repo_url", Some(json(&prov.repo_url))),
                ];
                fields.push((
                    "external_urls",
                    (!external.is_empty()).then(|| json(&external)),
                ));
                (fields, prov.warnings)
            }
            "attestation" | "trail" => {
                let prov = if case.kind == "trail" {
                    p.input.resolve_trail(env)?
                } else {
                    p.input.resolve_attestation(env)?
                };
                let fields = vec![
                    ("git_commit_info", prov.git_commit_info.as_ref().map(json)),
                    ("repo_info", prov.repo_info.as_ref().map(json)),
                    ("origin_url", prov.origin_url.as_ref().map(json)),
                    (
                        "external_urls",
                        (!external.is_empty()).then(|| json(&external)),
                    ),
                ];
                (fields, prov.warnings)
            }
            other => panic!("{name}: unknown kind {other}"),
        };
        Ok((fields, warnings))
    });
    match (case.exit_code, outcome) {
        (0, Ok((fields, warnings))) => {
            let body = case
                .body
                .as_deref()
                .unwrap_or_else(|| panic!("{name}: no request body"));
            for (key, value) in fields {
                match value {
                    Some(v) => assert_field(name, body, key, &v),
                    None => assert_absent(name, body, key),
                }
            }
            // The CLI may add warnings of its own after provenance's (none in these cases).
            assert_eq!(warnings, case.warnings, "{name}: warnings");
        }
        (0, Err(e)) => panic!("{name}: the CLI succeeded but the SDK failed: {e}"),
        (_, Ok(_)) => panic!(
            "{name}: the CLI failed with {:?} but the SDK succeeded",
            case.error
        ),
        (_, Err(e)) => {
            let want = case
                .error
                .as_deref()
                .unwrap()
                .replace("$BASE", &repos.base().display().to_string());
            let text = e.to_string();
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(first, want, "{name}: error (whole SDK message: {text})");
        }
    }
}

fn load(file: &str) -> Fixture {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_cli_case_matches() {
    let fixture = load("cli_cases.json");
    assert!(
        fixture.cases.len() >= 140,
        "the fixture lost cases: {}",
        fixture.cases.len()
    );
    let repos = Repos::new();
    for case in &fixture.cases {
        replay(case, &repos);
    }
}

#[test]
fn the_contract_captures_match() {
    let fixture = load("shared_captures.json");
    let names: Vec<&str> = fixture.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ci_github_attest_artifact",
            "ci_gitlab_attest_artifact",
            "attest_artifact_file",
            "attest_artifact_fingerprint",
            "begin_trail_full"
        ]
    );
    let repos = Repos::new();
    for case in &fixture.cases {
        replay(case, &repos);
    }
}

#[test]
fn fixture_repository_has_the_captures_shas() {
    let repos = Repos::new();
    let repo = kosli_core::provenance::GitRepo::open(repos.get("main")).unwrap();
    assert_eq!(repo.resolve("HEAD").unwrap(), HEAD_SHA);
    assert_eq!(repo.resolve("HEAD~1").unwrap(), PREV_SHA);
}

#[test]
fn every_ci_system_has_cli_cases() {
    let fixture = load("cli_cases.json");
    for prefix in [
        "github_",
        "gitlab_",
        "bitbucket_",
        "azure_",
        "circleci_",
        "codebuild_",
        "teamcity_",
        "jenkins_",
    ] {
        for kind in ["artifact", "attestation", "trail"] {
            assert!(
                fixture
                    .cases
                    .iter()
                    .any(|c| c.name.starts_with(prefix) && c.kind == kind && c.exit_code == 0),
                "no successful {kind} case for {prefix}"
            );
        }
    }
    let teamcity_without_url = fixture
        .cases
        .iter()
        .find(|c| c.name == "teamcity_artifact_without_build_url")
        .unwrap();
    assert_eq!(
        teamcity_without_url.error.as_deref(),
        Some(r#"required flag(s) "build-url", "commit-url" not set"#)
    );
}
