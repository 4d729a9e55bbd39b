//! `kosli fingerprint`: the digest of a file or directory, printed as 64 hex and a newline.

use std::io::IsTerminal;
use std::path::PathBuf;

use kosli_core::fingerprint::{split_exclude_values, Fingerprinter};
use kosli_core::{ArtifactType, Error, ProgressControl};

use crate::output::Context;

/// Flags of `kosli fingerprint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The type of the artifact to calculate its SHA256 fingerprint. One of: [oci, docker, file, dir].
    #[arg(short = 't', long = "artifact-type", value_name = "TYPE")]
    pub artifact_type: Option<String>,
    /// [optional] The comma separated list of directories and files to exclude from
    /// fingerprinting. Can take glob patterns. Only applicable for --artifact-type dir.
    #[arg(
        short = 'x',
        long = "exclude",
        visible_short_alias = 'e',
        value_name = "PATTERNS",
        allow_hyphen_values = true
    )]
    pub exclude: Vec<String>,
    /// [conditional] The container registry password or access token. Only required if you want to read container image SHA256 digest from a remote container registry and it is not already accessible via Docker/Podman auth files or a credential helper.
    #[arg(long = "registry-password", value_name = "PASSWORD")]
    pub registry_password: Option<String>,
    /// [conditional] The container registry username. Only required if you want to read container image SHA256 digest from a remote container registry and it is not already accessible via Docker/Podman auth files or a credential helper.
    #[arg(long = "registry-username", value_name = "USER")]
    pub registry_username: Option<String>,
    /// The file or directory to fingerprint.
    #[arg(value_name = "FILE-PATH | DIR-PATH", num_args = 0..)]
    pub paths: Vec<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args, ctx: &Context) -> Result<(), Error> {
    let Some(kind) = &args.artifact_type else {
        return Err(Error::invalid_input(
            "artifact-type",
            "required flag(s) \"artifact-type\" not set",
        ));
    };
    if args.paths.len() != 1 {
        return Err(Error::invalid_input(
            "arguments",
            format!("accepts 1 arg(s), received {}", args.paths.len()),
        ));
    }
    let path = &args.paths[0];
    let kind: ArtifactType = kind.parse()?;
    let excludes = split_exclude_values(&args.exclude)?;
    // Warnings print as they arise, so one that precedes an error is still shown (as the CLI).
    let quiet = ctx.quiet;
    let mut fingerprinter = Fingerprinter::new()
        .excludes(excludes)
        .on_warning(move |w| {
            if !quiet {
                eprintln!("[warning] {w}");
            }
        });
    if std::io::stderr().is_terminal() && !ctx.quiet {
        fingerprinter = fingerprinter.on_progress(|p| {
            let mib = p.bytes_done as f64 / (1024.0 * 1024.0);
            match p.files_total {
                Some(total) if total > 1 => {
                    eprint!("\r{} / {total} files, {mib:.1} MiB", p.files_done)
                }
                _ => eprint!("\r{} files, {mib:.1} MiB", p.files_done),
            }
            ProgressControl::Continue
        });
    }
    let result = match kind {
        ArtifactType::Dir => fingerprinter
            .dir_report(path)
            .map(|r| (r.fingerprint, r.warnings)),
        ArtifactType::File => fingerprinter.file(path).map(|fp| (fp, Vec::new())),
        image => crate::image_cmd::fingerprint(
            &path.to_string_lossy(),
            image,
            args.registry_username.as_deref(),
            args.registry_password.as_deref(),
        )
        .map(|fp| (fp, Vec::new())),
    };
    if std::io::stderr().is_terminal() && !ctx.quiet {
        eprint!("\r\x1b[2K");
    }
    let (fingerprint, _warnings_already_printed) = result?;
    println!("{fingerprint}");
    Ok(())
}
