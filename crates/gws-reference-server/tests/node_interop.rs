//! Interoperability with a real peer (issue 3): the official CometD JavaScript client in Node
//! (`tests/node/accept-flow.mjs`) logs in with Basic auth, handshakes, subscribes to `/v2/me/*`,
//! drives the provider state and an Accept over HTTP, and must receive the offer plus the three
//! documented Accept notifications from this server. Installs the npm packages when missing.

mod common;

use std::{path::PathBuf, process::Stdio, time::Duration};

use common::*;
use gws_reference_server::Dialect;
use serde_json::Value;
use tokio::process::Command;

fn node_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/node")
}

/// Installs the npm packages once per test process when they are missing (the two tests of
/// this file would otherwise race on `npm ci`).
fn ensure_packages() {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = node_dir();
    let present = |p: &str| {
        dir.join("node_modules")
            .join(p)
            .join("package.json")
            .exists()
    };
    if present("cometd") && present("cometd-nodejs-client") {
        return;
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .status()
        .expect("npm must be installed (scripts/setup.sh installs it)");
    assert!(status.success(), "npm ci in tests/node failed: {status}");
}

async fn run_script(media: &str, collection: &str, dialect: Dialect) {
    run_script_with(media, collection, dialect, &[]).await;
}

/// [`run_script`] with extra arguments for the script (`basic-only`).
async fn run_script_with(media: &str, collection: &str, dialect: Dialect, extra: &[&str]) {
    ensure_packages();
    let server = server(config(dialect)).await;
    let child = Command::new("node")
        .arg("accept-flow.mjs")
        .args([server.base_url().as_str(), media, collection])
        .args(extra)
        .current_dir(node_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node must be installed (scripts/setup.sh installs it)");
    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("the Node script ended within 30 s")
        .expect("the Node script ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node failed: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let notifications: Vec<Value> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("NOTIFICATION "))
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let accept: Value = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ACCEPT "))
        .map(|l| serde_json::from_str(l).unwrap())
        .unwrap_or_else(|| panic!("no ACCEPT line in:\n{stdout}"));
    assert_eq!(accept["status"], 200);
    assert_eq!(accept["body"], serde_json::json!({"statusCode": 0}));
    assert!(stdout.lines().any(|l| l == "DONE"), "{stdout}");
    let kinds: Vec<(String, String, String)> = notifications
        .iter()
        .map(|n| {
            assert_eq!(n["channel"], topic(media));
            assert_contract(&n["data"], dialect);
            (
                n["data"]["messageType"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                n["data"]["notificationType"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                n["data"][resource_key(media, dialect)]["state"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    let state_change = match media {
        "chat" => "ChatStateChangeMessage",
        "smssession" => "SMSsessionStateChangeMessage",
        _ if dialect == Dialect::V2019 => "facebooksessionStateChangeMessage",
        _ => "FacebooksessionStateChangeMessage",
    };
    let expected = [
        (state_change, "StatusChange", "Invited"),
        (state_change, "StatusChange", "Chatting"),
        (state_change, "ParticipantsUpdated", "Chatting"),
        ("MessageLogUpdated", "NewMessages", ""),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(kinds, expected, "\n{stdout}");
    server.shutdown().await;
}

#[tokio::test]
async fn official_cometd_client_receives_chat_accept_notifications() {
    run_script("chat", "chats", Dialect::V2019).await;
}

#[tokio::test]
async fn official_cometd_client_receives_facebook_accept_notifications() {
    run_script("facebooksession", "facebooksessions", Dialect::V2019).await;
}

/// A plain Bayeux client: the official CometD client configured with Basic auth only (no
/// JSESSIONID cookie, no CSRF header) handshakes, subscribes to `/v2/me/*` and receives the
/// Accept notifications (the CSRF page asks the token for requests that modify data; the
/// notification transport is not one).
#[tokio::test]
async fn official_cometd_client_with_basic_auth_only_receives_accept_notifications() {
    run_script_with("chat", "chats", Dialect::V2019, &["basic-only"]).await;
}
