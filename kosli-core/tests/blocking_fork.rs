//! The blocking client keeps working in a forked child: the shared runtime and the connection
//! pool are rebuilt there instead of waiting on threads that only exist in the parent.
//! A process of its own, so that few threads run when it forks.
#![cfg(unix)]
#![allow(
    unsafe_code,
    reason = "fork, waitpid and _exit are the subject of this test"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use kosli_core::blocking::Client;
use kosli_core::Config;

/// Answers `"OK"` to every request on every connection (keep-alive), until the process ends.
fn serve_ok() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut out = stream;
                loop {
                    let mut line = String::new();
                    let mut headers_done = false;
                    while reader.read_line(&mut line).unwrap_or(0) > 0 {
                        if line == "\r\n" {
                            headers_done = true;
                            break;
                        }
                        line.clear();
                    }
                    if !headers_done {
                        return;
                    }
                    let body = "\"OK\"";
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if out.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_forked_child_rebuilds_the_runtime_and_pool() {
    let host = serve_ok();
    let client = Client::new(Config::builder().host(host).build().unwrap()).unwrap();
    // The parent has a runtime and a pooled keep-alive connection before the fork.
    assert_eq!(client.status().unwrap(), "\"OK\"");

    // SAFETY: the child only uses the SDK (whose locks no other thread holds at this point:
    // the calls above have returned) and then leaves with `_exit`.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = match client.status() {
            Ok(body) if body == "\"OK\"" => 0,
            _ => 1,
        };
        // SAFETY: ends the child without running the parent's atexit handlers or destructors.
        unsafe { libc::_exit(code) };
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    let mut status = 0;
    loop {
        // SAFETY: waits for our own child; `status` is a valid out-pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if Instant::now() > deadline {
            // SAFETY: kills our own child, which hung.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("the forked child hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child status {status}"
    );
    // And the parent goes on with its own runtime.
    assert_eq!(client.status().unwrap(), "\"OK\"");
}
