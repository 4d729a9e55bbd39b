//! Bad input to the fingerprint API: each case returns a typed error (checked with `kind()`)
//! whose message names the path or pattern at fault, quickly, without a panic or a hang.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use kosli_core::fingerprint::{self, split_exclude_values, Fingerprinter};
use kosli_core::{Error, ErrorKind};

/// A fingerprint that takes longer than this is treated as a hang.
const DEADLINE: Duration = Duration::from_secs(10);

enum Kind {
    File,
    Dir,
}

/// Runs a fingerprint on a helper thread and returns its error; fails on success or a hang.
fn fails(fp: Fingerprinter, path: &Path, kind: Kind) -> Error {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let result = match kind {
            Kind::File => fp.file(&path),
            Kind::Dir => fp.dir(&path),
        };
        let _ = tx.send(result);
    });
    match rx.recv_timeout(DEADLINE) {
        Ok(Ok(digest)) => panic!("expected an error, got the digest {digest}"),
        Ok(Err(e)) => e,
        Err(_) => panic!("no answer within {DEADLINE:?}: the fingerprint hangs"),
    }
}

fn file_error(path: &Path) -> Error {
    fails(Fingerprinter::new(), path, Kind::File)
}

fn dir_error(path: &Path) -> Error {
    fails(Fingerprinter::new(), path, Kind::Dir)
}

/// Asserts the kind, that the message names `names`, and for I/O errors that the error's
/// `path` is `at_fault` and the OS error is kept as the source.
fn assert_error(e: &Error, kind: ErrorKind, at_fault: &Path, names: &[&str]) {
    assert_eq!(e.kind(), kind, "{e}");
    let message = e.to_string();
    for name in names {
        assert!(message.contains(name), "{message:?} does not name {name:?}");
    }
    match e {
        Error::Io { path, .. } | Error::Fingerprint { path, .. } => {
            assert_eq!(path, at_fault, "{message}")
        }
        _ => {}
    }
    if kind == ErrorKind::Io {
        assert!(
            std::error::Error::source(e).is_some(),
            "{message}: no source"
        );
    }
}

fn show(p: &Path) -> String {
    p.display().to_string()
}

struct Scene {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// A directory with one good file, ready for a bad entry.
fn scene() -> Scene {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("d");
    fs::create_dir(&dir).expect("mkdir");
    fs::write(dir.join("ok.txt"), "ok\n").expect("write");
    Scene { _tmp: tmp, dir }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn missing_path() {
    let s = scene();
    let missing = s.dir.join("nope");
    let e = file_error(&missing);
    assert_error(
        &e,
        ErrorKind::Io,
        &missing,
        &[&show(&missing), "no such file or directory"],
    );
    assert!(e.to_string().starts_with("open "), "{e}");
    let e = dir_error(&missing);
    assert_error(
        &e,
        ErrorKind::Io,
        &missing,
        &[&show(&missing), "no such file or directory"],
    );
    assert!(e.to_string().starts_with("stat "), "{e}");
}

#[test]
fn single_space_path_gets_the_cli_hint() {
    // A relative path " " that does not exist (the test runs in the package folder).
    let e = file_error(Path::new(" "));
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(e.to_string().contains("The filename is ' '"), "{e}");
    let e = dir_error(Path::new(" "));
    assert!(e.to_string().contains("The directory path is ' '"), "{e}");
}

#[test]
fn file_given_as_dir_and_dir_given_as_file() {
    let s = scene();
    let file = s.dir.join("ok.txt");
    let e = dir_error(&file);
    assert_error(
        &e,
        ErrorKind::Fingerprint,
        &file,
        &[&format!("{} is not a directory", show(&file))],
    );
    let e = file_error(&s.dir);
    assert_error(
        &e,
        ErrorKind::Io,
        &s.dir,
        &[&show(&s.dir), "is a directory"],
    );
}

#[test]
fn socket() {
    let s = scene();
    let sock = s.dir.join("sock");
    let _listener = UnixListener::bind(&sock).expect("bind socket");
    let e = file_error(&sock);
    assert_error(
        &e,
        ErrorKind::Io,
        &sock,
        &[&show(&sock), "no such device or address"],
    );
    let e = dir_error(&s.dir);
    assert_error(
        &e,
        ErrorKind::Io,
        &sock,
        &[&show(&sock), "no such device or address"],
    );
    let e = dir_error(&sock);
    assert_error(&e, ErrorKind::Fingerprint, &sock, &["is not a directory"]);
    // Excluded, it is harmless.
    assert!(Fingerprinter::new().exclude("sock").dir(&s.dir).is_ok());
}

#[test]
fn fifo_is_an_error_not_a_hang() {
    let s = scene();
    let fifo = s.dir.join("fifo");
    mkfifo(&fifo);
    let e = file_error(&fifo);
    assert_error(&e, ErrorKind::Fingerprint, &fifo, &[&show(&fifo)]);
    for threads in [1, 4] {
        let e = fails(Fingerprinter::new().threads(threads), &s.dir, Kind::Dir);
        assert_error(&e, ErrorKind::Fingerprint, &fifo, &[&show(&fifo)]);
    }
    // A link to the FIFO is followed like any link to a file.
    let link = s.dir.join("z_link");
    symlink("fifo", &link).expect("symlink");
    let e = fails(Fingerprinter::new().exclude("fifo"), &s.dir, Kind::Dir);
    assert_error(&e, ErrorKind::Fingerprint, &link, &[&show(&link)]);
    // Excluded, it is harmless.
    assert!(Fingerprinter::new()
        .excludes(["fifo", "z_link"])
        .dir(&s.dir)
        .is_ok());
}

#[test]
fn broken_link() {
    let s = scene();
    let link = s.dir.join("broken");
    symlink("nowhere", &link).expect("symlink");
    let e = file_error(&link);
    assert_error(
        &e,
        ErrorKind::Io,
        &link,
        &[&format!("open {}: no such file or directory", show(&link))],
    );
    let e = dir_error(&s.dir);
    assert_error(
        &e,
        ErrorKind::Io,
        &link,
        &[&format!("stat {}: no such file or directory", show(&link))],
    );
    let e = dir_error(&link);
    assert_error(&e, ErrorKind::Io, &link, &[&show(&link)]);
}

#[test]
fn symlink_loop() {
    let s = scene();
    let (a, b) = (s.dir.join("loop_a"), s.dir.join("loop_b"));
    symlink("loop_b", &a).expect("symlink");
    symlink("loop_a", &b).expect("symlink");
    let e = file_error(&a);
    assert_error(
        &e,
        ErrorKind::Io,
        &a,
        &[&show(&a), "too many levels of symbolic links"],
    );
    let e = dir_error(&s.dir);
    assert_error(
        &e,
        ErrorKind::Io,
        &a,
        &[&format!("stat {}: too many levels", show(&a))],
    );
    // The first failure in walk order is the one reported, whatever the thread count.
    for threads in [1, 2, 8] {
        let e = fails(Fingerprinter::new().threads(threads), &s.dir, Kind::Dir);
        assert_error(&e, ErrorKind::Io, &a, &[&show(&a)]);
    }
}

#[test]
fn bad_glob_names_the_pattern() {
    let s = scene();
    for bad in ["[", "[a-", "[]", "x\\", "ok[", "**/[z-"] {
        let e = fails(
            Fingerprinter::new().exclude("ok.txt").exclude(bad),
            &s.dir,
            Kind::Dir,
        );
        assert_error(
            &e,
            ErrorKind::InvalidInput,
            &s.dir,
            &["syntax error in pattern", bad],
        );
    }
    // From the ignore file: the message names the pattern, the file and the line.
    fs::write(s.dir.join(".kosli_ignore"), "# comment\nok.txt\n  [a-  \n").expect("write");
    let e = dir_error(&s.dir);
    let ignore = show(&s.dir.join(".kosli_ignore"));
    assert_error(
        &e,
        ErrorKind::InvalidInput,
        &s.dir,
        &["[a-", &ignore, "line 3"],
    );
}

#[test]
fn empty_exclude_value() {
    let s = scene();
    for fp in [
        Fingerprinter::new().exclude(""),
        Fingerprinter::new().excludes(["ok.txt", ""]),
    ] {
        let e = fails(fp.clone(), &s.dir, Kind::Dir);
        assert_error(&e, ErrorKind::InvalidInput, &s.dir, &["empty"]);
        // Checked for files too, as the CLI does.
        let e = fails(fp, &s.dir.join("ok.txt"), Kind::File);
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    }
    for value in ["", "a,,b", ",", "a,"] {
        let e = split_exclude_values([value]).expect_err(value);
        assert_error(
            &e,
            ErrorKind::InvalidInput,
            &s.dir,
            &["--exclude", "empty value"],
        );
    }
    let e = split_exclude_values(["ok", "a\"b"]).expect_err("bare quote");
    assert_error(
        &e,
        ErrorKind::InvalidInput,
        &s.dir,
        &["a\\\"b", "--exclude"],
    );
}

#[test]
fn unreadable_subdirectory() {
    let s = scene();
    let locked = s.dir.join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::write(locked.join("x"), "x").expect("write");
    let mut perms = fs::metadata(&locked).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    fs::set_permissions(&locked, perms.clone()).expect("chmod");
    // Root ignores permissions: only check when the directory is really unreadable.
    if fs::read_dir(&locked).is_err() {
        let e = dir_error(&s.dir);
        assert_error(
            &e,
            ErrorKind::Io,
            &locked,
            &[&format!("open {}: permission denied", show(&locked))],
        );
    }
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    fs::set_permissions(&locked, perms).expect("chmod back");
    assert!(fingerprint::dir(&s.dir, ["locked"]).is_ok());
}

#[test]
fn fifo_as_ignore_file_is_an_error_not_a_hang() {
    let s = scene();
    let fifo = s.dir.join(".kosli_ignore");
    mkfifo(&fifo);
    let e = dir_error(&s.dir);
    assert_error(&e, ErrorKind::Fingerprint, &fifo, &[&show(&fifo)]);
    // Excluding it by a flag does not stop the rules being read.
    let e = fails(
        Fingerprinter::new().exclude(".kosli_ignore"),
        &s.dir,
        Kind::Dir,
    );
    assert_error(&e, ErrorKind::Fingerprint, &fifo, &[&show(&fifo)]);
}

#[test]
fn overlong_ignore_line_is_an_error() {
    let s = scene();
    let ignore = s.dir.join(".kosli_ignore");
    // 65535 bytes and a newline is the longest line Go's scanner takes.
    fs::write(&ignore, format!("{}\nok.txt\n", "x".repeat(65535))).expect("write");
    assert!(dir_error_or_digest(&s.dir).is_ok(), "65535 bytes is fine");
    for content in [
        format!("{}\nok.txt\n", "x".repeat(65536)),
        format!("ok.txt\n{}", "x".repeat(65536)),
        format!("{}\r\nok.txt\r\n", "x".repeat(65535)),
    ] {
        fs::write(&ignore, content).expect("write");
        let e = dir_error(&s.dir);
        assert_error(
            &e,
            ErrorKind::Io,
            &ignore,
            &[&format!("failed to read {}", show(&ignore))],
        );
    }
}

fn dir_error_or_digest(dir: &Path) -> Result<String, Error> {
    Fingerprinter::new().dir(dir).map(|d| d.to_hex())
}
