//! A fake Docker Engine on a unix socket, answering the calls the CLI makes (wire-2.md §1) as
//! the contract's `fake_docker.py` does: `HEAD|GET /_ping` (with `Api-Version`), `GET
//! [/vX.Y]/containers/json`, `GET [/vX.Y]/images/{name}/json` (404 `No such image` for names
//! the state lacks or maps to null). State: `{"containers": [...], "images": {name: inspect}}`.

pub mod http;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};

use http::{Answer, Handler, Seen, ServerThread};

/// A running fake Engine; stops when dropped.
pub struct FakeDocker {
    server: ServerThread,
    socket: PathBuf,
    _dir: Option<tempfile_dir::Dir>,
}

mod tempfile_dir {
    /// A temporary folder removed on drop (no dev-dependency in library code).
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl FakeDocker {
    /// Starts a fake with `state` on a socket in a fresh temporary folder.
    pub fn start(state: Value) -> std::io::Result<FakeDocker> {
        let dir = std::env::temp_dir().join(format!(
            "kosli-fake-docker-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir)?;
        let socket = dir.join("docker.sock");
        let mut fake = FakeDocker::start_at(&socket, state)?;
        fake._dir = Some(tempfile_dir::Dir(dir));
        Ok(fake)
    }

    /// Starts a fake with `state` listening on `socket`.
    pub fn start_at(socket: &Path, state: Value) -> std::io::Result<FakeDocker> {
        let _ = std::fs::remove_file(socket);
        let listener = std::os::unix::net::UnixListener::bind(socket)?;
        listener.set_nonblocking(true)?;
        let state = Arc::new(state);
        let handler: Handler = Arc::new(move |seen: &Seen<'_>| answer(&state, seen));
        let server = ServerThread::spawn("fake-docker", move |log, mut stopped| async move {
            let Ok(listener) = tokio::net::UnixListener::from_std(listener) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            tokio::spawn(http::serve_connection(stream, handler.clone(), log.clone()));
                        }
                    }
                }
            }
        })?;
        Ok(FakeDocker {
            server,
            socket: socket.to_path_buf(),
            _dir: None,
        })
    }

    /// `unix://<socket>`, for `DOCKER_HOST`.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// The requests seen: `{method, target, headers, status}`.
    pub fn requests(&self) -> Vec<Value> {
        self.server.requests()
    }
}

fn answer(state: &Value, seen: &Seen<'_>) -> Answer {
    let path = seen.target.split('?').next().unwrap_or_default();
    let rest = match path.strip_prefix("/v") {
        Some(after) => match after.find('/') {
            Some(i) if after[..i].contains('.') => &after[i..],
            _ => path,
        },
        None => path,
    };
    let mut a = if rest == "/_ping" {
        Answer {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: b"OK".to_vec(),
        }
    } else if rest == "/containers/json" {
        Answer::json(200, &state["containers"])
    } else if let Some(name) = rest
        .strip_prefix("/images/")
        .and_then(|r| r.strip_suffix("/json"))
    {
        let name = percent_decode(name);
        match state["images"].get(&name) {
            Some(img) if !img.is_null() => Answer::json(200, img),
            _ => Answer::json(404, &json!({"message": format!("No such image: {name}")})),
        }
    } else {
        Answer::json(404, &json!({"message": "page not found"}))
    };
    a.headers.push(("Api-Version".into(), "1.47".into()));
    a.headers.push(("Ostype".into(), "linux".into()));
    a
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
