//! Streaming SHA-256 of one file with a caller-owned buffer.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::value::Fingerprint;
use crate::error::{Error, Result};

/// Read size: large enough that syscalls vanish next to hashing, small enough for flat memory.
pub(crate) const BUFFER_SIZE: usize = 256 * 1024;

/// Opens `path` for hashing. FIFOs are refused instead of blocking forever as the CLI does:
/// the open never waits for a writer (`O_NONBLOCK`), then the file type is checked.
pub(crate) fn open(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io("open", path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let meta = file.metadata().map_err(|e| Error::io("stat", path, e))?;
        if meta.file_type().is_fifo() {
            return Err(Error::Fingerprint {
                path: path.to_path_buf(),
                message: format!(
                    "open {}: is a named pipe (FIFO); reading it would never end, so it cannot be \
                     fingerprinted (exclude it)",
                    path.display()
                ),
            });
        }
    }
    Ok(file)
}

/// Hashes the file at `path`. `on_chunk` is told each chunk's size and returns `false` to stop
/// (the result is then a cancellation error).
pub(crate) fn hash_file(
    path: &Path,
    buf: &mut [u8],
    on_chunk: &mut dyn FnMut(u64) -> bool,
) -> Result<Fingerprint> {
    let mut file = open(path)?;
    let mut hasher = Sha256::new();
    loop {
        let n = match file.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("read", path, e)),
        };
        hasher.update(&buf[..n]);
        if !on_chunk(n as u64) {
            return Err(Error::cancelled(format!(
                "fingerprinting {}",
                path.display()
            )));
        }
    }
    Ok(Fingerprint::from_digest(hasher.finalize().into()))
}

/// The CLI's digest of a name or link target: SHA-256 of the raw bytes, as lowercase hex.
pub(crate) fn hex_of(bytes: &[u8]) -> [u8; 64] {
    Fingerprint::of_bytes(bytes).to_hex_bytes()
}

/// A buffer for [`hash_file`], allocated once per thread.
pub(crate) fn new_buffer() -> Vec<u8> {
    vec![0u8; BUFFER_SIZE]
}
