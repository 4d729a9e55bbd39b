//! The pipeline example's deploy step is gated by a gate file (`PIPELINE_GATE`, else the
//! demo's `examples/pipeline/gate.yml`): offline, a gate the evidence fails stops the
//! pipeline before the deployment and names the failed rule; a bad gate file is a clear error.

use std::process::Command;

fn pipeline(gate: Option<&str>) -> (String, String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(kosli_tests::example_binary("pipeline"));
    cmd.env_clear()
        .env("HOME", dir.path())
        .env("PATH", "/usr/bin:/bin")
        .current_dir(dir.path())
        .args([
            "--journal",
            &dir.path().join("journal").display().to_string(),
        ]);
    if let Some(text) = gate {
        let path = dir.path().join("gate.yml");
        std::fs::write(&path, text).unwrap();
        cmd.env("PIPELINE_GATE", &path);
    }
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_failing_gate_stops_the_deploy_and_says_why() {
    let strict =
        "policies:\n- name: release\n  rules:\n  - type: code-review\n    min-approvals: 2\n";
    let (stdout, stderr, code) = pipeline(Some(strict));
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("the gate refused the artifact"), "{stderr}");
    assert!(
        stderr.contains("release: code-review: no code review (pull request) was found"),
        "{stderr}"
    );
    assert!(!stdout.contains("  deploy  "), "deployed anyway:\n{stdout}");
}

#[test]
fn the_demo_gate_passes_the_demo_evidence_and_deploys() {
    let (stdout, stderr, code) = pipeline(None);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("  deploy  "), "{stdout}");
}

#[test]
fn a_bad_gate_file_is_named() {
    let (_, stderr, code) = pipeline(Some("policies:\n- name: p\n  rules:\n  - type: nope\n"));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("reading the gate file failed"), "{stderr}");
    assert!(
        stderr.contains("gate.yml:4: policies[0].rules[0].type: unknown rule type `nope`"),
        "{stderr}"
    );
}
