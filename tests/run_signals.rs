//! Signals at every phase of a run. A hostile target (a proxy in front of the reference server)
//! holds one request forever: the login (`GET /api/v2/me`), the CometD handshake, a scenario's
//! provider-state setup, or `EndContactCenterSession`. When the request arrives the test sends
//! the run SIGTERM, SIGHUP or SIGINT (what `timeout`, `docker stop`, CI cancellation, a closed
//! terminal and Ctrl-C send): the run ends, writes its JUnit file listing what finished plus one
//! `Interrupted` error, prints the counts line (and no "no scenario was selected"), and exits 2.
//! A second signal ends the run at once while `EndContactCenterSession` hangs.

#[allow(unused_imports)] // only the proxy of the fault-test support is used here
mod fault_support;

use std::{
    process::{Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use fault_support::proxy::{Ctx, Proxy, ProxyRequest, hook, respond};
use gws_reference_server::{ServerConfig, start};
use tokio::sync::mpsc;

/// The phase whose request the hostile target holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Login,
    Handshake,
    /// The second provider-state setup (the first scenario finishes).
    Scenario,
    End,
}

fn phase_of(req: &ProxyRequest, setups: &AtomicUsize) -> Option<Phase> {
    let body = req.json();
    let op = body.get("operationName").and_then(|v| v.as_str());
    if req.method == "GET" && req.path.starts_with("/api/v2/me") {
        Some(Phase::Login)
    } else if req.has_channel("/meta/handshake") {
        Some(Phase::Handshake)
    } else if req.is_provider_state("setup") {
        (setups.fetch_add(1, Ordering::SeqCst) >= 1).then_some(Phase::Scenario)
    } else if req.path == "/api/v2/me" && op == Some("EndContactCenterSession") {
        Some(Phase::End)
    } else {
        None
    }
}

struct Ended {
    code: Option<i32>,
    stdout: String,
    xml: String,
    /// The Cucumber JSON, HTML and Markdown reports (empty when not written).
    json: String,
    html: String,
    summary: String,
}

/// Runs the Accept scenarios (one at a time) against a target holding the requests of the
/// phases in `script`; when each is held, sends its signal. Bounded: 30 s per phase, 20 s for
/// the run to end after the last signal.
async fn run_with_signals(script: &[(Phase, libc::c_int)]) -> Ended {
    let server = start(
        ServerConfig::default(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts");
    let holds: Vec<Phase> = script.iter().map(|(p, _)| *p).collect();
    let (held_tx, mut held_rx) = mpsc::unbounded_channel::<Phase>();
    let setups = Arc::new(AtomicUsize::new(0));
    let hostile = hook(move |ctx: Ctx, req: ProxyRequest| {
        let phase = phase_of(&req, &setups).filter(|p| holds.contains(p));
        let held_tx = held_tx.clone();
        async move {
            if let Some(p) = phase {
                let _ = held_tx.send(p);
                ctx.shutdown().await;
                return respond(503, "text/plain", "held");
            }
            ctx.upstream.forward(&req).await.into_response()
        }
    });
    let proxy = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let child = Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .args(["run", "--color", "never", "--concurrency", "1"])
        .args(["--tags", "@accept and not @inferred"])
        .args(["--request-timeout", "120s", "--notification-timeout", "60s"])
        .arg("--target")
        .arg(proxy.base_url())
        .arg("--junit")
        .arg(&junit)
        .arg("--json")
        .arg(dir.path().join("cucumber.json"))
        .arg("--html")
        .arg(dir.path().join("report.html"))
        .arg("--summary")
        .arg(dir.path().join("summary.md"))
        .env_remove("GWS_TARGET")
        .env_remove("GWS_STATE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let pid = child.id() as libc::pid_t;
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait_with_output());
    });
    for (phase, sig) in script {
        let held = tokio::time::timeout(Duration::from_secs(30), held_rx.recv())
            .await
            .unwrap_or_else(|_| panic!("the run never reached {phase:?} within 30 s"));
        assert_eq!(held, Some(*phase), "phases in order");
        // SAFETY: `pid` is our child, not yet reaped (its waiter holds it until it exits).
        assert_eq!(unsafe { libc::kill(pid, *sig) }, 0, "kill");
    }
    let out = tokio::task::spawn_blocking(move || done_rx.recv_timeout(Duration::from_secs(20)))
        .await
        .unwrap()
        .expect("the run did not end within 20 s of its last signal")
        .unwrap();
    proxy.shutdown().await;
    server.shutdown().await;
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    if !xml.is_empty() {
        fault_support::junit_xsd_check(&xml, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    }
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    Ended {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        xml,
        json: read("cucumber.json"),
        html: read("report.html"),
        summary: read("summary.md"),
    }
}

/// What every interrupted run shows: exit 2, one `Interrupted` error in the JUnit file, the
/// counts line last with that error counted, and no "no scenario was selected".
fn assert_interrupted(e: &Ended, signal: &str) {
    assert_eq!(e.code, Some(2), "exit status; console:\n{}", e.stdout);
    assert_eq!(
        e.xml.matches(r#"type="Interrupted""#).count(),
        1,
        "one Interrupted error in the JUnit file:\n{}\nconsole:\n{}",
        e.xml,
        e.stdout
    );
    assert!(
        e.xml.contains(signal),
        "the report names {signal}:\n{}",
        e.xml
    );
    let last = e.stdout.lines().last().unwrap_or_default();
    assert!(
        regex::Regex::new(r"^\d+ passed, \d+ failed, [1-9]\d* errors, \d+ skipped$")
            .unwrap()
            .is_match(last),
        "last line: {last}\n{}",
        e.stdout
    );
    assert!(
        !e.stdout.contains("no scenario was selected"),
        "{}",
        e.stdout
    );
    // Every other report is written too, and describes the same run.
    let json: serde_json::Value = serde_json::from_str(&e.json)
        .unwrap_or_else(|err| panic!("the Cucumber JSON report ({err}): {}", e.json));
    let run = json
        .as_array()
        .and_then(|features| features.iter().find(|f| f["uri"] == "gws-conformance run"))
        .unwrap_or_else(|| panic!("no run problems in the Cucumber JSON: {json}"));
    assert!(run.to_string().contains(signal), "{run}");
    assert!(
        e.html
            .contains(&format!(r#"<p class="counts" id="counts">{last}</p>"#)),
        "the HTML report's counts are not `{last}`:\n{}",
        e.html
    );
    assert!(e.html.contains(signal), "{}", e.html);
    assert!(e.summary.contains(last), "{}", e.summary);
    assert!(e.summary.contains("Interrupted"), "{}", e.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_signal_during_login_writes_the_report_and_exits_2() {
    for (sig, name) in [
        (libc::SIGTERM, "SIGTERM"),
        (libc::SIGHUP, "SIGHUP"),
        (libc::SIGINT, "SIGINT"),
    ] {
        let e = run_with_signals(&[(Phase::Login, sig)]).await;
        assert_interrupted(&e, name);
        assert!(e.xml.contains("during login"), "{}", e.xml);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_the_handshake_writes_the_report_and_exits_2() {
    let e = run_with_signals(&[(Phase::Handshake, libc::SIGTERM)]).await;
    assert_interrupted(&e, "SIGTERM");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_the_scenarios_keeps_what_finished() {
    let e = run_with_signals(&[(Phase::Scenario, libc::SIGTERM)]).await;
    assert_interrupted(&e, "SIGTERM");
    // The first scenario finished before the second one's setup was held.
    assert!(e.xml.matches("<testcase").count() >= 2, "{}", e.xml);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_while_ending_the_session_stops_waiting_for_it() {
    let e = run_with_signals(&[(Phase::End, libc::SIGHUP)]).await;
    assert_interrupted(&e, "SIGHUP");
    assert!(
        e.xml.contains("while ending the agent session"),
        "{}",
        e.xml
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_ends_a_hanging_end_of_session_at_once() {
    let e = run_with_signals(&[(Phase::Scenario, libc::SIGTERM), (Phase::End, libc::SIGINT)]).await;
    assert_interrupted(&e, "SIGTERM");
    assert!(
        e.stdout.contains("error: interrupted (SIGINT)"),
        "{}",
        e.stdout
    );
}
