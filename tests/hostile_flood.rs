//! A target that floods the agent: a proxy in front of the reference server appends 20,000
//! notifications (about 50 interactions the run never created) to every `/meta/connect`
//! answer. The run must stay bounded whatever the target sends: it ends within its
//! notification timeout plus a second of slack beyond start-up, its peak RSS stays under
//! 100 MiB, it writes its JUnit file, and the flood is reported as a harness error naming the
//! inbox cap that overflowed, or the connect answer too large to read (exit 2), never as a pass
//! or as a conformance failure.

#[allow(unused_imports)] // only the proxy of the fault-test support is used here
mod fault_support;

use std::{
    net::SocketAddr,
    process::Command,
    time::{Duration, Instant},
};

use fault_support::proxy::{Ctx, Proxy, ProxyRequest, batch, hook};
use gws_reference_server::{ServerConfig, start};
use serde_json::{Value, json};

/// The run's notification timeout.
const NOTIFICATION_TIMEOUT: Duration = Duration::from_secs(3);
/// Start-up (process, server, login) plus a second, on a busy 2-core machine.
const SLACK: Duration = Duration::from_secs(4);

/// Runs the binary and returns (exit code, wall time, peak RSS in KiB) through `wait4`.
// The child is reaped by `wait4`, which also gives its peak RSS.
#[allow(clippy::zombie_processes)]
fn run_measured(args: &[String]) -> (Option<i32>, Duration, i64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet reaped; the pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, started.elapsed(), usage.ru_maxrss)
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
    let args: Vec<String> = [
        "run",
        "--target",
        &proxy.base_url(),
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
    .collect();
    let (code, wall, peak_kib) = tokio::task::spawn_blocking(move || run_measured(&args))
        .await
        .unwrap();
    proxy.shutdown().await;
    server.shutdown().await;

    assert_eq!(code, Some(2), "a flood is a harness error: exit 2");
    assert!(
        wall < NOTIFICATION_TIMEOUT + SLACK,
        "the run took {wall:?}, bound {:?}",
        NOTIFICATION_TIMEOUT + SLACK
    );
    assert!(
        peak_kib < 100 * 1024,
        "peak RSS {} MiB (bound 100 MiB)",
        peak_kib / 1024
    );
    let xml = std::fs::read_to_string(&junit).expect("the JUnit file is written");
    assert!(xml.contains(error), "{xml}");
    assert!(
        !xml.contains("<failure"),
        "never a conformance failure: {xml}"
    );
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
