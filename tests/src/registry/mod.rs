//! A real registry for the image tests: Debian's `docker-registry` (distribution 2.8) on
//! 127.0.0.1, optionally behind htpasswd Basic auth (user `reguser`, password `regpass`,
//! tests/fixtures/images/htpasswd), filled by tests/tools/push_test_images.py over plain HTTP.
//! [`Registry::start`] returns `None` (the caller skips loudly) when the binary is missing.

pub mod token;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The test registry's user.
pub const USER: &str = "reguser";
/// The test registry's password.
pub const PASSWORD: &str = "regpass";

/// A running registry with the test images; killed when dropped.
pub struct Registry {
    child: Child,
    port: u16,
    dir: PathBuf,
    /// What the pusher reported: `{"test/oci:1.0": {"media_type", "digest", "children"?}}`.
    pub pushed: Value,
}

/// The registry binary: `$KOSLI_TEST_REGISTRY` or Debian's `/usr/bin/docker-registry`.
pub fn binary() -> Option<PathBuf> {
    let p = std::env::var_os("KOSLI_TEST_REGISTRY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/docker-registry"));
    p.exists().then_some(p)
}

impl Registry {
    /// Starts a registry (with Basic auth when `auth`) and pushes the test images. `None`
    /// when `docker-registry` is not installed.
    pub fn start(auth: bool) -> Option<Registry> {
        let bin = binary()?;
        let dir = std::env::temp_dir().join(format!(
            "kosli-registry-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(dir.join("storage")).expect("registry folder");
        let port = free_port();
        let auth_block = if auth {
            format!(
                "auth:\n  htpasswd:\n    realm: test-realm\n    path: {}\n",
                crate::fixtures_dir().join("images/htpasswd").display()
            )
        } else {
            String::new()
        };
        let config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{auth_block}",
            dir.join("storage").display()
        );
        std::fs::write(dir.join("config.yml"), config).expect("registry config");
        let child = Command::new(bin)
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting docker-registry");
        let mut registry = Registry {
            child,
            port,
            dir,
            pushed: Value::Null,
        };
        registry.wait_ready();
        let mut push = Command::new("python3");
        push.arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/push_test_images.py"))
            .arg(format!("http://127.0.0.1:{port}"));
        if auth {
            push.arg(format!("{USER}:{PASSWORD}"));
        }
        let out = push.output().expect("running push_test_images.py");
        assert!(
            out.status.success(),
            "pushing the test images: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        registry.pushed = serde_json::from_slice(&out.stdout).expect("the pusher's JSON");
        Some(registry)
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let req = format!(
                    "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                    self.port
                );
                let mut answer = String::new();
                if s.write_all(req.as_bytes()).is_ok()
                    && s.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1.1")
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("docker-registry did not start on port {}", self.port);
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
