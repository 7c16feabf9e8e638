//! A target that floods the agent: a proxy in front of the reference server appends 20,000
//! notifications (about 50 interactions the run never created) to every `/meta/connect`
//! answer. The run must stay bounded whatever the target sends: it ends within its
//! notification timeout plus a second of slack beyond start-up, its peak RSS stays under
//! 100 MiB, it writes its JUnit file, and the flood is reported as a harness error naming the
//! inbox cap that overflowed, or the connect answer too large to read (exit 2), never as a pass
//! or as a conformance failure.
//!
//! The same bounds hold for a target that answers every `/meta/connect` with `402::Unknown
//! client`: the client re-handshakes a bounded number of times, then the run ends in a
//! transport error.

#[allow(unused_imports)] // only the proxy of the fault-test support is used here
mod fault_support;

use std::{net::SocketAddr, process::Command, time::Duration};

use fault_support::{
    PEAK_RSS_KIB, measured,
    proxy::{Ctx, Proxy, ProxyRequest, batch, connect_of, connect_reply, hook},
};
use gws_reference_server::{ServerConfig, start};
use serde_json::{Value, json};

/// The run's notification timeout.
const NOTIFICATION_TIMEOUT: Duration = Duration::from_secs(3);
/// Start-up (process, server, login) plus a second, on a busy 2-core machine.
const SLACK: Duration = Duration::from_secs(4);

/// Runs the binary with `args` and checks what every hostile run must hold: exit 2 (a harness
/// error, never a pass or a conformance failure), the end within the notification timeout plus
/// [`SLACK`], peak RSS under 100 MiB, and a JUnit file naming `error` with no `<failure`.
fn run_bounded(args: &[String], junit: &std::path::Path, error: &str) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gws-conformance"));
    cmd.args(args);
    let m = measured(cmd);
    eprintln!(
        "hostile run: exit {:?}, {:?}, peak RSS {} MiB",
        m.code,
        m.wall,
        m.peak_kib / 1024
    );
    assert_eq!(m.code, Some(2), "a harness error: exit 2\n{}", m.stdout);
    assert!(
        m.wall < NOTIFICATION_TIMEOUT + SLACK,
        "the run took {:?}, bound {:?}",
        m.wall,
        NOTIFICATION_TIMEOUT + SLACK
    );
    assert!(
        m.peak_kib < PEAK_RSS_KIB,
        "peak RSS {} MiB (bound 100 MiB)",
        m.peak_kib / 1024
    );
    let xml = std::fs::read_to_string(junit).expect("the JUnit file is written");
    assert!(xml.contains(error), "{xml}");
    assert!(
        !xml.contains("<failure"),
        "never a conformance failure: {xml}"
    );
}

/// The arguments of a run of the chat Accept flow against `target`, its JUnit file in `dir`.
fn accept_args(target: &str, junit: &std::path::Path) -> Vec<String> {
    [
        "run",
        "--target",
        target,
        "--tags",
        "@chat and @accept and not @inferred",
        "--notification-timeout",
        &format!("{}ms", NOTIFICATION_TIMEOUT.as_millis()),
        "--color",
        "never",
        "--junit",
        junit.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs the chat Accept flow against a proxy adding `flood` notifications to every connect
/// answer (about `interactions` interactions the run never created), and checks the bounds; `error` is the harness error the run must report.
async fn flood_run(flood: usize, interactions: usize, error: &str) {
    let server = start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts");
    let flood = hook(move |ctx: Ctx, req: ProxyRequest| async move {
        let fwd = ctx.upstream.forward(&req).await;
        if !req.has_channel("/meta/connect") || !fwd.status.is_success() {
            return fwd.into_response();
        }
        let mut messages = batch(&fwd.json());
        messages.extend((0..flood).map(|i| {
            json!({"channel": "/v2/me/chats", "data": {
                "messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
                "chat": {"id": format!("FLOOD{:011}", i % interactions), "state": "Chatting"}}})
        }));
        fwd.with_json(&Value::Array(messages)).into_response()
    });
    let proxy = Proxy::start(&server.base_url(), flood).await;
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let args = accept_args(&proxy.base_url(), &junit);
    let error = error.to_string();
    tokio::task::spawn_blocking(move || run_bounded(&args, &junit, &error))
        .await
        .unwrap();
    proxy.shutdown().await;
    server.shutdown().await;
}

/// 20,000 notifications per connect: the answer is over the client's body cap, so it is not
/// read, and the notifications it may have carried are lost: a harness error saying so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_notifications_per_connect_are_a_harness_error() {
    flood_run(20_000, 50, "NotificationsLost").await;
}

/// 5,000 per connect about one interaction fit in an answer but not in that interaction's
/// mailbox: the overflow is a harness error naming the cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inbox_overflow_is_a_harness_error_naming_the_cap() {
    flood_run(5_000, 1, "NotificationOverflow").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_402_on_every_connect_ends_in_a_transport_error_within_the_bounds() {
    let server = start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts");
    let unknown = hook(move |ctx: Ctx, req: ProxyRequest| async move {
        if let Some(connect) = connect_of(&req) {
            return connect_reply(
                &connect,
                json!({"successful": false, "error": "402::Unknown client",
                       "advice": {"reconnect": "handshake", "interval": 0}}),
            );
        }
        ctx.upstream.forward(&req).await.into_response()
    });
    let proxy = Proxy::start(&server.base_url(), unknown).await;
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let args = accept_args(&proxy.base_url(), &junit);
    tokio::task::spawn_blocking(move || run_bounded(&args, &junit, "402::Unknown client"))
        .await
        .unwrap();
    proxy.shutdown().await;
    server.shutdown().await;
}
