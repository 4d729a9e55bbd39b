//! The journal on plain files: a JSON-lines log appended with `fdatasync`, attachments written
//! to a temporary file, synced and renamed to their SHA-256, compaction by write-sync-rename,
//! and `flock`/`LockFileEx` locks (through `fs4`) that the system releases when a process dies.
//!
//! ```text
//! <dir>/journal.jsonl        the log: one JSON object per line (see the journal's docs)
//! <dir>/blobs/<sha256>       attachments, named by the SHA-256 of their bytes
//! <dir>/tmp/                 attachments being written (stale ones are removed after an hour)
//! <dir>/locks/append.lock    held while the log changes
//! <dir>/locks/flush.lock     held by the process delivering queued records
//! <dir>/owners/<id>.lock     held by each open journal handle
//! <dir>/README.txt           this layout, for whoever finds the folder
//! ```

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::storage::{LockGuard, LockName, StagedBlob, Storage};
use super::util::random_hex;

/// The log's file name inside the journal folder.
pub const LOG_FILE: &str = "journal.jsonl";

const README: &str = "\
This folder is a Kosli SDK journal: records of Kosli API writes kept until they are delivered.

journal.jsonl      one JSON object per line: a header, then records (\"t\":\"record\") and marks
                   (\"t\":\"delivered\", \"queued\", \"failed\", \"bind\", ...) that refer to them by seq.
                   Pending records: jq -c 'select(.t==\"record\")' journal.jsonl
blobs/<sha256>     attachments of the records, named by the SHA-256 of their bytes
tmp/, locks/, owners/   working files; never edit the folder while a program uses it.

No API token is ever written here. `kosli journal status` and `kosli journal flush` read and
deliver it.
";

/// The journal's storage on plain files in one folder.
#[derive(Debug)]
pub struct FileStorage {
    dir: PathBuf,
    log: PathBuf,
    /// Whether an append created the log file, so the next sync must sync the folder too.
    created: AtomicBool,
}

impl FileStorage {
    /// Opens (creating) the journal folder `dir`.
    pub fn open(dir: &Path) -> io::Result<FileStorage> {
        for sub in ["", "blobs", "tmp", "locks", "owners"] {
            fs::create_dir_all(dir.join(sub))?;
        }
        let readme = dir.join("README.txt");
        if !readme.exists() {
            // Not part of the journal's state: written without ceremony.
            let _ = fs::write(&readme, README);
        }
        sync_dir(dir)?;
        Ok(FileStorage {
            log: dir.join(LOG_FILE),
            dir: dir.to_path_buf(),
            created: AtomicBool::new(false),
        })
    }

    /// The journal folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock_path(&self, name: LockName<'_>) -> io::Result<PathBuf> {
        Ok(match name {
            LockName::Append => self.dir.join("locks").join("append.lock"),
            LockName::Flush => self.dir.join("locks").join("flush.lock"),
            LockName::Owner(owner) => self.dir.join("owners").join(owner_file(owner)?),
        })
    }
}

fn owner_file(owner: &str) -> io::Result<String> {
    if owner.is_empty()
        || !owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid journal owner name {owner:?}"),
        ));
    }
    Ok(format!("{owner}.lock"))
}

fn blob_name(name: &str) -> io::Result<&str> {
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(name)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid attachment name {name:?} (not a SHA-256)"),
        ))
    }
}

/// Syncs a folder, so that a file created or renamed in it survives a crash (a no-op where
/// folders cannot be opened, as on Windows, whose NTFS journals renames itself).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

impl Storage for FileStorage {
    fn lock(&self, name: LockName<'_>, wait: bool) -> io::Result<Option<LockGuard>> {
        let path = self.lock_path(name)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        if wait {
            fs4::FileExt::lock(&file)?;
            return Ok(Some(LockGuard::new(file)));
        }
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(Some(LockGuard::new(file))),
            Err(fs4::TryLockError::WouldBlock) => Ok(None),
            Err(fs4::TryLockError::Error(e)) => Err(e),
        }
    }

    fn remove_owner(&self, owner: &str) -> io::Result<()> {
        match fs::remove_file(self.lock_path(LockName::Owner(owner))?) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn read_log(&self, offset: u64, max: Option<usize>) -> io::Result<Vec<u8>> {
        let mut file = match File::open(&self.log) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        if offset >= len {
            return Ok(Vec::new());
        }
        file.seek(SeekFrom::Start(offset))?;
        let mut out = Vec::new();
        match max {
            Some(n) => {
                file.take(n as u64).read_to_end(&mut out)?;
            }
            None => {
                file.read_to_end(&mut out)?;
            }
        }
        Ok(out)
    }

    fn log_len(&self) -> io::Result<u64> {
        match fs::metadata(&self.log) {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn append_log(&self, bytes: &[u8]) -> io::Result<()> {
        // Opened by path each time: a compaction in another process may have renamed a new
        // log over the old one, and a kept descriptor would write to the orphan.
        let existed = self.log.exists();
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(&self.log)?;
        if !existed {
            self.created.store(true, Ordering::SeqCst);
        }
        file.write_all(bytes)
    }

    fn sync_log(&self) -> io::Result<()> {
        // fdatasync through any descriptor flushes the file's data and its length.
        OpenOptions::new()
            .append(true)
            .open(&self.log)?
            .sync_data()?;
        if self.created.swap(false, Ordering::SeqCst) {
            sync_dir(&self.dir)?;
        }
        Ok(())
    }

    fn truncate_log(&self, len: u64) -> io::Result<()> {
        let file = OpenOptions::new().write(true).open(&self.log)?;
        file.set_len(len)?;
        file.sync_all()
    }

    fn replace_log(&self, bytes: &[u8]) -> io::Result<()> {
        let tmp = self.dir.join(format!("{LOG_FILE}.{}.tmp", random_hex(8)));
        let result = (|| {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&tmp, &self.log)?;
            sync_dir(&self.dir)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    fn stage_blob(&self, bytes: &[u8]) -> io::Result<StagedBlob> {
        let token = format!("{}.blob", random_hex(12));
        let path = self.dir.join("tmp").join(&token);
        let result = (|| {
            let mut file = File::create(&path)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&path);
            return Err(e);
        }
        Ok(StagedBlob {
            token,
            len: bytes.len() as u64,
        })
    }

    fn commit_blob(&self, staged: StagedBlob, name: &str) -> io::Result<()> {
        let from = self.dir.join("tmp").join(&staged.token);
        let to = self.dir.join("blobs").join(blob_name(name)?);
        if to.exists() {
            return fs::remove_file(from);
        }
        fs::rename(&from, &to)?;
        sync_dir(&self.dir.join("blobs"))
    }

    fn discard_staged(&self, staged: StagedBlob) -> io::Result<()> {
        fs::remove_file(self.dir.join("tmp").join(staged.token))
    }

    fn read_blob(&self, name: &str) -> io::Result<Vec<u8>> {
        fs::read(self.dir.join("blobs").join(blob_name(name)?))
    }

    fn list_blobs(&self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(self.dir.join("blobs"))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if blob_name(&name).is_ok() {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn remove_blob(&self, name: &str) -> io::Result<()> {
        match fs::remove_file(self.dir.join("blobs").join(blob_name(name)?)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn remove_stale_staged(&self) -> io::Result<()> {
        let hour_ago = SystemTime::now()
            .checked_sub(Duration::from_secs(3600))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        for entry in fs::read_dir(self.dir.join("tmp"))? {
            let entry = entry?;
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_appends_reads_truncates_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        assert_eq!(s.log_len().unwrap(), 0);
        assert!(s.read_log(0, None).unwrap().is_empty());
        s.append_log(b"one\n").unwrap();
        s.append_log(b"two\n").unwrap();
        s.sync_log().unwrap();
        assert_eq!(s.read_log(0, None).unwrap(), b"one\ntwo\n");
        assert_eq!(s.read_log(4, Some(2)).unwrap(), b"tw");
        s.truncate_log(4).unwrap();
        assert_eq!(s.read_log(0, None).unwrap(), b"one\n");
        s.replace_log(b"new\n").unwrap();
        assert_eq!(s.read_log(0, None).unwrap(), b"new\n");
        // Nothing is left behind by the replacement.
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[test]
    fn blobs_are_staged_then_committed_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        let name = "a".repeat(64);
        let staged = s.stage_blob(b"data").unwrap();
        assert_eq!(staged.len, 4);
        s.commit_blob(staged, &name).unwrap();
        let again = s.stage_blob(b"data").unwrap();
        s.commit_blob(again, &name).unwrap();
        assert_eq!(s.read_blob(&name).unwrap(), b"data");
        assert_eq!(s.list_blobs().unwrap(), std::slice::from_ref(&name));
        assert_eq!(fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        assert!(s.read_blob("../journal.jsonl").is_err());
        s.remove_blob(&name).unwrap();
        assert!(s.list_blobs().unwrap().is_empty());
    }

    #[test]
    fn locks_exclude_other_holders() {
        let dir = tempfile::tempdir().unwrap();
        let s = FileStorage::open(dir.path()).unwrap();
        let held = s.lock(LockName::Flush, false).unwrap();
        assert!(held.is_some());
        // A second open file description is another holder, even in this process.
        assert!(s.lock(LockName::Flush, false).unwrap().is_none());
        drop(held);
        assert!(s.lock(LockName::Flush, false).unwrap().is_some());
        let owner = s.lock(LockName::Owner("123-abc"), false).unwrap();
        assert!(s.lock(LockName::Owner("123-abc"), false).unwrap().is_none());
        drop(owner);
        s.remove_owner("123-abc").unwrap();
        assert!(s.lock(LockName::Owner("../x"), false).is_err());
    }
}
