//! Node.js peers for interop tests: installs `tests/node/node_modules` from the committed lock file
//! when missing, and runs a script there with line-oriented, bounded stdout reading.
//!
//! Reusable from other crates' tests with
//! `#[path = "../../gws-bayeux/tests/common/node.rs"] mod node;` (see tests/node/README.md).
//! Dependencies: tokio (process, io-util, time). No sleeps: every wait is on a process event
//! (line, exit) and bounded.
#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};

/// The npm packages the interop scripts need.
pub const PACKAGES: [&str; 3] = ["cometd", "cometd-nodejs-client", "cometd-nodejs-server"];
/// Bound on `npm ci`.
pub const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);

/// `<workspace>/tests/node`, found from this file's crate manifest directory.
pub fn node_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // crates/<crate>/ → workspace root
    here.ancestors()
        .find(|dir| dir.join("tests/node/package.json").is_file())
        .map_or_else(
            || here.join("../../tests/node"),
            |root| root.join("tests/node"),
        )
}

fn installed(dir: &Path) -> bool {
    PACKAGES.iter().all(|package| {
        dir.join("node_modules")
            .join(package)
            .join("package.json")
            .is_file()
    })
}

/// Makes sure `tests/node/node_modules` holds the packages of `package-lock.json`, running
/// `npm ci` (bounded by [`INSTALL_TIMEOUT`]) when they are missing. Safe to call from parallel tests
/// (one install per process, serialised by a mutex) and from parallel processes (each installs
/// into its own staging directory and moves `node_modules` into place with one atomic rename; the
/// loser discards its copy). Returns the `tests/node` directory.
///
/// Errors (one line each): npm or node not installed, `npm ci` failed or timed out, the rename failed.
pub async fn ensure_node_modules() -> Result<PathBuf, String> {
    static INSTALL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one_install = INSTALL.lock().await;
    let dir = node_dir();
    if installed(&dir) {
        return Ok(dir);
    }
    let staging = dir.join(format!(".npm-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .map_err(|e| format!("creating {}: {e}", staging.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(dir.join(file), staging.join(file))
            .map_err(|e| format!("copying tests/node/{file}: {e}"))?;
    }
    let result = install_into(&staging).await.and_then(|()| {
        match std::fs::rename(staging.join("node_modules"), dir.join("node_modules")) {
            Ok(()) => Ok(()),
            Err(_) if installed(&dir) => Ok(()), // another process finished first
            Err(e) => Err(format!("moving node_modules into {}: {e}", dir.display())),
        }
    });
    let _ = std::fs::remove_dir_all(&staging);
    result.map(|()| dir)
}

async fn install_into(staging: &Path) -> Result<(), String> {
    let mut child = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(staging)
        .current_dir(staging)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run npm ({e}); the CometD interop tests need Node.js 18+ and npm on PATH"
            )
        })?;
    let mut stderr = child.stderr.take();
    let status = tokio::time::timeout(INSTALL_TIMEOUT, child.wait())
        .await
        .map_err(|_| {
            format!(
                "npm ci in {} did not finish within {INSTALL_TIMEOUT:?}",
                staging.display()
            )
        })?
        .map_err(|e| format!("waiting for npm ci: {e}"))?;
    if status.success() {
        return Ok(());
    }
    let mut message = String::new();
    if let Some(stderr) = stderr.as_mut() {
        use tokio::io::AsyncReadExt;
        let _ =
            tokio::time::timeout(Duration::from_secs(5), stderr.read_to_string(&mut message)).await;
    }
    Err(format!(
        "npm ci failed ({status}): {}",
        message.lines().last().unwrap_or("no output")
    ))
}

/// A running Node script in `tests/node`, killed when dropped.
pub struct NodeScript {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    lines: Lines<BufReader<ChildStdout>>,
    /// Every stdout line read so far (for failure messages).
    pub transcript: Vec<String>,
}

impl NodeScript {
    /// Installs the packages if needed and starts `node <script> <args...>` in `tests/node`
    /// (stdin and stdout piped, stderr inherited so the test output shows it).
    pub async fn start(script: &str, args: &[&str]) -> Result<Self, String> {
        let dir = ensure_node_modules().await?;
        let mut child = Command::new("node")
            .arg(script)
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                format!("cannot run node ({e}); the CometD interop tests need Node.js 18+")
            })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("node stdout was not captured")?;
        Ok(Self {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
            transcript: Vec::new(),
        })
    }

    /// The next stdout line, waiting at most `bound`. `Err` on timeout or end of output.
    pub async fn next_line(&mut self, bound: Duration) -> Result<String, String> {
        match tokio::time::timeout(bound, self.lines.next_line()).await {
            Err(_) => Err(format!(
                "no line from node within {bound:?}; output so far: {:?}",
                self.transcript
            )),
            Ok(Err(e)) => Err(format!("reading node output: {e}")),
            Ok(Ok(None)) => Err(format!(
                "node output ended; output so far: {:?}",
                self.transcript
            )),
            Ok(Ok(Some(line))) => {
                self.transcript.push(line.clone());
                Ok(line)
            }
        }
    }

    /// Reads lines until one starts with `KIND ` and returns its JSON payload, within `bound` in
    /// total. Lines of other kinds are kept in the transcript only.
    pub async fn expect(
        &mut self,
        kind: &str,
        bound: Duration,
    ) -> Result<serde_json::Value, String> {
        let deadline = tokio::time::Instant::now() + bound;
        let prefix = format!("{kind} ");
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let line = self
                .next_line(left)
                .await
                .map_err(|e| format!("waiting for {kind}: {e}"))?;
            if let Some(payload) = line.strip_prefix(&prefix) {
                return serde_json::from_str(payload)
                    .map_err(|e| format!("{kind} line is not JSON ({e}): {line}"));
            }
            if line.starts_with("ERROR ") {
                return Err(format!("waiting for {kind}, node reported {line}"));
            }
        }
    }

    /// Writes one JSON command line to the script's stdin.
    pub async fn send(&mut self, command: &serde_json::Value) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("node stdin already closed")?;
        let line = format!("{command}\n");
        stdin
            .write_all(line.as_bytes())
            .await
            .map_err(|e| format!("writing to node: {e}"))?;
        stdin
            .flush()
            .await
            .map_err(|e| format!("writing to node: {e}"))
    }

    /// Closes stdin and waits at most `bound` for the exit status.
    pub async fn finish(mut self, bound: Duration) -> Result<std::process::ExitStatus, String> {
        drop(self.stdin.take());
        tokio::time::timeout(bound, self.child.wait())
            .await
            .map_err(|_| format!("node did not exit within {bound:?}"))?
            .map_err(|e| format!("waiting for node: {e}"))
    }
}
