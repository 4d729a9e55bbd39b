//! Attachments packed as the CLI packs them: an attestation carries at most one
//! `attachment_file` part (`application/octet-stream`):
//! * exactly one path that is a **file**: that file, raw, named by its base name;
//! * exactly one **directory**: a gzip tar `evidence.tgz` of the regular files under it, member
//!   names relative to it (`e1.txt`, `nested/e2.txt`);
//! * **several paths**: one `evidence.tgz` holding every file under each path by its path as
//!   given, cleaned and without a leading `/` (`tmp/build/report.txt`, `fix/evidence/e1.txt`).
//!
//! Members are regular files only (symbolic links and empty directories are left out), in the
//! order Go's `filepath.Walk` visits them (each directory's entries sorted by name), with their
//! permission bits, owner ids and modification time.
//!
//! One deliberate difference: the CLI copies each of several paths into a temporary directory
//! under its path as given, so a path starting with `..` lands outside it and is silently
//! missing from the archive. Here such a path is taken as its absolute path instead.
//!
//! ```no_run
//! use kosli_core::ops::attachments;
//! let part = attachments::pack(&["target/report.txt", "target/screens"])?.expect("two paths");
//! assert_eq!(part.filename(), Some("evidence.tgz"));
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::fs;
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::client::Part;
use crate::error::{Error, Result};

/// The form field every attachment goes in.
pub const FIELD: &str = "attachment_file";

/// The archive's file name when several files are sent.
pub const ARCHIVE_NAME: &str = "evidence.tgz";

/// One file to put in the archive: its member name and where it is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member {
    /// The name's components, compared one by one for `filepath.Walk`'s order.
    name: Vec<String>,
    path: PathBuf,
}

/// Packs `paths` into the one `attachment_file` part the CLI would send, or `None` when there
/// is nothing to attach. A path that does not exist is an `Io` error naming it
/// (`stat <path>: no such file or directory`, the CLI's words).
pub fn pack<P: AsRef<Path>>(paths: &[P]) -> Result<Option<Part>> {
    match paths {
        [] => Ok(None),
        [one] => pack_one(one.as_ref()).map(Some),
        several => {
            let mut members = Vec::new();
            for p in several {
                let p = p.as_ref();
                let meta = fs::metadata(p).map_err(|e| Error::io("stat", p, e))?;
                let prefix = member_prefix(p)?;
                if meta.is_dir() {
                    walk(p, &prefix, &mut members)?;
                } else if meta.is_file() {
                    members.push(Member {
                        name: prefix,
                        path: p.to_path_buf(),
                    });
                } else {
                    return Err(not_a_file(p));
                }
            }
            Ok(Some(Part::file(FIELD, ARCHIVE_NAME, tgz(members)?)))
        }
    }
}

fn pack_one(path: &Path) -> Result<Part> {
    let meta = fs::metadata(path).map_err(|e| Error::io("stat", path, e))?;
    if meta.is_dir() {
        let mut members = Vec::new();
        walk(path, &[], &mut members)?;
        return Ok(Part::file(FIELD, ARCHIVE_NAME, tgz(members)?));
    }
    if !meta.is_file() {
        return Err(not_a_file(path));
    }
    let data = fs::read(path).map_err(|e| Error::io("open", path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(Part::file(FIELD, name, data))
}

fn not_a_file(path: &Path) -> Error {
    Error::invalid_input(
        "attachments",
        format!(
            "{} is neither a regular file nor a directory: it cannot be attached",
            path.display()
        ),
    )
}

/// The member name of a path among several: cleaned as Go's `filepath.Clean` would, without
/// the leading `/`; a path that climbs out with `..` is made absolute first (see the module
/// documentation).
fn member_prefix(path: &Path) -> Result<Vec<String>> {
    let cleaned = clean(path);
    if cleaned.first().map(String::as_str) != Some("..") {
        return Ok(cleaned);
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io("getwd", Path::new("."), e))?;
    Ok(clean(&cwd.join(path)))
}

/// The normal components of `path` with `.` dropped and `..` applied lexically (leading `..`
/// kept), as Go's `filepath.Clean` leaves them.
fn clean(path: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if out.last().is_some_and(|l| l != "..") {
                    out.pop();
                } else if !path.is_absolute() {
                    out.push("..".into());
                }
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Adds every regular file under `dir` (symbolic links are not followed, as `filepath.Walk`).
fn walk(dir: &Path, prefix: &[String], out: &mut Vec<Member>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io("open", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("readdirent", dir, e))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("lstat", &path, e))?;
        let mut name = prefix.to_vec();
        name.push(entry.file_name().to_string_lossy().into_owned());
        if kind.is_dir() {
            walk(&path, &name, out)?;
        } else if kind.is_file() {
            out.push(Member { name, path });
        }
    }
    Ok(())
}

/// The gzip tar of `members`, in walk order, each once.
fn tgz(mut members: Vec<Member>) -> Result<Bytes> {
    // Component-wise order is the order of a walk that sorts each directory's entries.
    members.sort_by(|a, b| a.name.cmp(&b.name));
    members.dedup_by(|a, b| a.name == b.name);
    let gz = GzEncoder::new(Vec::new(), Compression::default());
    let mut builder = tar::Builder::new(gz);
    for m in &members {
        let meta = fs::metadata(&m.path).map_err(|e| Error::io("stat", &m.path, e))?;
        let data = fs::read(&m.path).map_err(|e| Error::io("open", &m.path, e))?;
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(mode_of(&meta));
        let (uid, gid) = owner_of(&meta);
        header.set_uid(uid);
        header.set_gid(gid);
        header.set_mtime(mtime_of(&meta));
        let name = m.name.join("/");
        builder
            .append_data(&mut header, &name, data.as_slice())
            .map_err(|e| archive_error(&m.path, &e))?;
    }
    let gz = builder
        .into_inner()
        .map_err(|e| archive_error(Path::new(ARCHIVE_NAME), &e))?;
    let bytes = gz
        .finish()
        .map_err(|e| archive_error(Path::new(ARCHIVE_NAME), &e))?;
    tracing::debug!(
        files = members.len(),
        bytes = bytes.len(),
        "packed {ARCHIVE_NAME}"
    );
    Ok(Bytes::from(bytes))
}

fn archive_error(path: &Path, e: &std::io::Error) -> Error {
    Error::invalid_input(
        "attachments",
        format!("failed to add {} to {ARCHIVE_NAME}: {e}", path.display()),
    )
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(meta: &fs::Metadata) -> u32 {
    if meta.permissions().readonly() {
        0o444
    } else {
        0o644
    }
}

#[cfg(unix)]
fn owner_of(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (u64::from(meta.uid()), u64::from(meta.gid()))
}

#[cfg(not(unix))]
fn owner_of(_meta: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

fn mtime_of(meta: &fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// (name, content) of each member of a gzip tar, in archive order.
    pub(crate) fn members(tgz: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tgz));
        archive
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let name = e.path().unwrap().display().to_string();
                let mut data = Vec::new();
                e.read_to_end(&mut data).unwrap();
                (name, data)
            })
            .collect()
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let ev = dir.path().join("evidence");
        fs::create_dir_all(ev.join("nested")).unwrap();
        fs::create_dir_all(ev.join("empty")).unwrap();
        fs::write(ev.join("e1.txt"), "e1\n").unwrap();
        fs::write(ev.join("nested/e2.txt"), "e2\n").unwrap();
        fs::write(ev.join("a-b"), "z\n").unwrap();
        fs::write(dir.path().join("report.txt"), "report contents\n").unwrap();
        fs::write(dir.path().join("blob.bin"), b"\x00\x01\x02binary\xff").unwrap();
        dir
    }

    #[test]
    fn nothing_to_attach() {
        assert_eq!(pack::<&str>(&[]).unwrap(), None);
    }

    #[test]
    fn one_file_goes_raw_under_its_base_name() {
        let t = tree();
        let part = pack(&[t.path().join("blob.bin")]).unwrap().unwrap();
        assert_eq!(part.name(), FIELD);
        assert_eq!(part.filename(), Some("blob.bin"));
        assert_eq!(part.content_type(), Some("application/octet-stream"));
        assert_eq!(&part.data()[..], b"\x00\x01\x02binary\xff");
    }

    #[test]
    fn one_dir_is_a_tgz_relative_to_it_in_walk_order() {
        let t = tree();
        let part = pack(&[t.path().join("evidence")]).unwrap().unwrap();
        assert_eq!(part.filename(), Some(ARCHIVE_NAME));
        let got = members(part.data());
        // Walk order: `a-b` < `e1.txt` < `nested/...`; no directory or empty-dir entries.
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a-b", "e1.txt", "nested/e2.txt"]);
        assert_eq!(got[1].1, b"e1\n");
    }

    #[test]
    fn several_paths_keep_their_paths_sorted_as_a_walk() {
        let t = tree();
        let root = clean(t.path()).join("/");
        let part = pack(&[t.path().join("report.txt"), t.path().join("evidence")])
            .unwrap()
            .unwrap();
        let got = members(part.data());
        let names: Vec<String> = got.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(
            names,
            [
                format!("{root}/evidence/a-b"),
                format!("{root}/evidence/e1.txt"),
                format!("{root}/evidence/nested/e2.txt"),
                format!("{root}/report.txt"),
            ]
        );
        assert!(!names[0].starts_with('/'));
        assert_eq!(got[3].1, b"report contents\n");
    }

    #[test]
    fn the_same_file_twice_is_one_member() {
        let t = tree();
        let f = t.path().join("report.txt");
        let part = pack(&[&f, &f]).unwrap().unwrap();
        assert_eq!(members(part.data()).len(), 1);
    }

    #[test]
    fn cleaning_is_lexical_like_go() {
        assert_eq!(
            clean(Path::new("./fix/../fix/report.txt")),
            ["fix", "report.txt"]
        );
        assert_eq!(clean(Path::new("/a/b/../c")), ["a", "c"]);
        assert_eq!(clean(Path::new("../x")), ["..", "x"]);
        assert_eq!(clean(Path::new("/../x")), ["x"]);
        // A path that climbs out becomes absolute (the CLI would drop it).
        let p = member_prefix(Path::new("../x")).unwrap();
        assert_ne!(p.first().map(String::as_str), Some(".."));
        assert_eq!(p.last().map(String::as_str), Some("x"));
    }

    #[test]
    fn missing_paths_are_named_in_the_clis_words() {
        let e = pack(&["/nope/at/all"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "stat /nope/at/all: no such file or directory"
        );
        assert_eq!(e.kind(), crate::ErrorKind::Io);
        let t = tree();
        let e = pack(&[t.path().join("report.txt"), PathBuf::from("/nope/x")]).unwrap_err();
        assert_eq!(e.to_string(), "stat /nope/x: no such file or directory");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_in_a_dir_are_left_out_and_modes_kept() {
        use std::os::unix::fs::PermissionsExt;
        let t = tree();
        let ev = t.path().join("evidence");
        std::os::unix::fs::symlink(ev.join("e1.txt"), ev.join("link")).unwrap();
        std::os::unix::fs::symlink(ev.join("nested"), ev.join("dirlink")).unwrap();
        fs::set_permissions(ev.join("e1.txt"), fs::Permissions::from_mode(0o755)).unwrap();
        let part = pack(&[&ev]).unwrap().unwrap();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&part.data()[..]));
        let got: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.path().unwrap().display().to_string(),
                    e.header().mode().unwrap(),
                )
            })
            .collect();
        // Written with the process's umask: compare with what the files really have.
        let mode = |p: &str| fs::metadata(ev.join(p)).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            got,
            [
                ("a-b".to_string(), mode("a-b")),
                ("e1.txt".to_string(), 0o755),
                ("nested/e2.txt".to_string(), mode("nested/e2.txt")),
            ]
        );
    }
}
