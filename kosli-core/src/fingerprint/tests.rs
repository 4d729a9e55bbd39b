//! Behaviour the vectors cannot show: progress, cancellation, thread counts, typed errors.

use std::fs;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::*;
use crate::ErrorKind;

fn tree(files: usize, size: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..files {
        let sub = tmp.path().join(format!("d{}", i % 7));
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join(format!("f{i:04}")), vec![(i % 251) as u8; size]).unwrap();
    }
    tmp
}

#[test]
fn known_answer_from_the_cli_tests() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("file.extra"), "this is known extra content").unwrap();
    let fp = dir(tmp.path(), Vec::<String>::new()).unwrap();
    assert_eq!(
        fp.to_string(),
        "c71f5baef8cce289c9b7c971cf219e21b787a025af68ad6539b82634fe62819e"
    );
}

#[test]
fn thread_count_does_not_change_the_digest() {
    let tmp = tree(300, 3000);
    let one = Fingerprinter::new().threads(1).dir(tmp.path()).unwrap();
    for threads in [2, 3, 8] {
        assert_eq!(
            Fingerprinter::new()
                .threads(threads)
                .dir(tmp.path())
                .unwrap(),
            one
        );
    }
}

#[test]
fn progress_reports_reach_the_totals() {
    let tmp = tree(200, 1000);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let report = Fingerprinter::new()
        .threads(2)
        .on_progress(move |p| {
            sink.lock().unwrap().push(*p);
            ProgressControl::Continue
        })
        .dir_report(tmp.path())
        .unwrap();
    assert_eq!((report.files, report.bytes), (200, 200_000));
    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(
        (last.files_done, last.bytes_done, last.files_total),
        (200, 200_000, Some(200))
    );
    assert!(
        seen.windows(2).all(|w| w[0].files_done <= w[1].files_done),
        "progress went backwards"
    );
}

#[test]
fn a_progress_callback_can_cancel_a_directory() {
    let tmp = tree(500, 100);
    let calls = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&calls);
    let err = Fingerprinter::new()
        .threads(2)
        .on_progress(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
            ProgressControl::Cancel
        })
        .dir(tmp.path())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert_eq!(
        calls.load(Ordering::Relaxed),
        1,
        "no callback after a cancel"
    );
}

#[test]
fn a_progress_callback_can_cancel_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    fs::write(&big, vec![7u8; 20 << 20]).unwrap();
    let err = Fingerprinter::new()
        .on_progress(|p| {
            assert_eq!(p.bytes_total, Some(20 << 20));
            ProgressControl::Cancel
        })
        .file(&big)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
}

#[test]
fn the_first_error_in_walk_order_wins() {
    // Many files before and after a broken link: parallel hashing must still report the link.
    let tmp = tree(100, 10);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere", tmp.path().join("d3").join("f0000-broken")).unwrap();
        let err = Fingerprinter::new().threads(4).dir(tmp.path()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        assert!(err.to_string().starts_with("stat "), "{err}");
        assert!(
            err.to_string()
                .contains("f0000-broken: no such file or directory"),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_a_typed_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let err = file(&fifo).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Fingerprint);
    assert!(err.to_string().contains("pipe"), "{err}");
    fs::write(tmp.path().join("a"), "a").unwrap();
    let err = Fingerprinter::new().threads(2).dir(tmp.path()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Fingerprint);
    assert!(err.to_string().contains("named pipe"), "{err}");
}

#[test]
fn empty_and_bad_patterns_are_named() {
    let tmp = tree(3, 1);
    let err = dir(tmp.path(), [""]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = dir(tmp.path(), ["ok", "[a-"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("\"[a-\""), "{err}");
    fs::write(tmp.path().join(IGNORE_FILE), "fine\n\n[\n").unwrap();
    let err = dir(tmp.path(), Vec::<String>::new()).unwrap_err();
    assert!(err.to_string().contains(".kosli_ignore line 3"), "{err}");
}

#[test]
fn not_a_directory_and_missing_paths() {
    let tmp = tree(1, 1);
    let file_path = tmp.path().join("d0").join("f0000");
    let err = dir(&file_path, Vec::<String>::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Fingerprint);
    assert_eq!(
        err.to_string(),
        format!("{} is not a directory", file_path.display())
    );
    let err = file(tmp.path().join("nope")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(
        err.to_string().ends_with("nope: no such file or directory"),
        "{err}"
    );
    let err = file(tmp.path()).unwrap_err();
    assert!(err.to_string().ends_with(": is a directory"), "{err}");
    assert!(err.to_string().starts_with("read "), "{err}");
}
