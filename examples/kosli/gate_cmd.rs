//! `kosli gate POLICY.yml --junit DIR --scan FILE` (the SDK's own, not in the official CLI):
//! evaluates a local gate file (the seed's `policies:` shape, see
//! `kosli_core::policy::gate`) against evidence files, prints each rule's result and exits 1
//! with the reasons when the gate denies. Nothing is sent to Kosli.

use std::path::PathBuf;
use std::process::ExitCode;

use kosli_core::evidence::{junit, scan};
use kosli_core::policy::gate::{EvidenceSet, Gate};
use kosli_core::Error;

use crate::cmd_support::exact_args;
use crate::output::Context;

/// Flags of `kosli gate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// GATE-FILE (YAML: `policies:` with `test-evidence`, `security-scan`, `code-review` and `attestation` rules)
    #[arg(value_name = "GATE-FILE")]
    args: Vec<String>,
    /// [optional] A folder (or file) of JUnit XML results; repeat for several.
    #[arg(long, value_name = "DIR")]
    junit: Vec<PathBuf>,
    /// [optional] A security scan (SARIF 2.1.0, e.g. Snyk, or a Trivy JSON report); repeat for several.
    #[arg(long, value_name = "FILE")]
    scan: Vec<PathBuf>,
    /// [defaulted] The format of the output. Valid formats are: [table, json].
    #[arg(short = 'o', long, default_value = "table", value_name = "FORMAT")]
    output: String,
}

/// Runs `kosli gate`.
pub fn run(args: &Args, _ctx: &Context) -> ExitCode {
    let label = "kosli gate";
    let result = (|| -> Result<bool, Error> {
        exact_args(&args.args, 1)?;
        if !matches!(args.output.as_str(), "table" | "json") {
            return Err(Error::invalid_input(
                "output",
                format!("unsupported output format: {}", args.output),
            ));
        }
        let gate = Gate::from_file(&args.args[0])?;
        let mut evidence = EvidenceSet::new();
        for dir in &args.junit {
            evidence = evidence.with_junit(&junit::parse_dir(dir)?);
        }
        for file in &args.scan {
            evidence = evidence.with_scan(&scan::parse_file(file)?);
        }
        let verdict = gate.evaluate(&evidence);
        if args.output == "json" {
            let text = serde_json::to_string_pretty(&verdict)
                .map_err(|e| Error::invalid_input("output", e.to_string()))?;
            println!("{text}");
        } else {
            println!(
                "RESULT: {}",
                if verdict.allowed { "ALLOWED" } else { "DENIED" }
            );
            for r in &verdict.results {
                match &r.reason {
                    None => println!("  PASS  {}: {}", r.policy, r.rule),
                    Some(why) => println!("  FAIL  {}: {}: {why}", r.policy, r.rule),
                }
            }
        }
        if verdict.allowed {
            Ok(true)
        } else {
            Err(verdict
                .into_result()
                .err()
                .unwrap_or_else(|| Error::invalid_input("gate", "denied")))
        }
    })();
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => crate::output::fail(label, &e),
    }
}
