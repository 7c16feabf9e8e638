//! Transport faults (issue 5): wiremock, a closed port and a scripted proxy in front of the
//! in-process reference server (tests/fault_support/proxy.rs), each altering exactly one thing.
//! Each case must give the verdict of its row in `fault_support::TRANSPORT` (which also renders
//! the docs table): a clear error or failure naming what happened, or a pass where the behaviour
//! is legal. Every case ends within its configured bound plus [`MARGIN`], nothing panics, and
//! the JUnit file is still written and valid against junit-10.xsd.

mod fault_support;

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use fault_support::{
    TransportCase, Verdict, describe, dump, junit_xsd_check,
    proxy::{
        Ctx, Hook, Proxy, ProxyRequest, batch, connect_of, connect_reply, hook, is_notification,
        respond,
    },
    restore_default_panic_hook, run, transport_case,
};
use gws_conformance::run::{RunOutcome, report::Outcome};
use gws_reference_server::{RunningServer, ServerConfig, start};
use serde_json::{Value, json};
use tokio::sync::watch;

/// Slack on top of a case's configured bound (login, report writing, a busy 2-core machine).
const MARGIN: Duration = Duration::from_millis(1500);
/// The one scenario most proxy cases run.
const CHAT_ACCEPT: &str = "@chat and @accept and not @inferred";

async fn reference_server() -> RunningServer {
    start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts")
}

/// Runs the suite with `flags`, timing it.
async fn timed_run(flags: &[&str]) -> (RunOutcome, String, Duration, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let (out, xml) = run(dir.path(), flags).await;
    (out, xml, started.elapsed(), dir)
}

/// Checks a run against its case's row: exit status, verdict class and type, what the message
/// names, no panic, JUnit written and valid, elapsed within `bound` + [`MARGIN`].
fn check(
    case: &TransportCase,
    out: &RunOutcome,
    xml: &str,
    elapsed: Duration,
    bound: Duration,
    dir: &std::path::Path,
) {
    restore_default_panic_hook();
    let all = dump(out);
    assert!(
        elapsed < bound + MARGIN,
        "{}: took {elapsed:?}, bound {bound:?} + {MARGIN:?}\n{all}",
        case.name
    );
    assert_eq!(
        out.exit_code,
        case.verdict.exit_code(),
        "{}: exit status\n{all}",
        case.name
    );
    assert!(
        out.junit.is_some() && !xml.is_empty(),
        "{}: no JUnit file",
        case.name
    );
    if let Err(e) = junit_xsd_check(xml, dir) {
        panic!("{}: {e}\n{xml}", case.name);
    }
    let panicked = out
        .record
        .scenarios
        .iter()
        .any(|s| matches!(&s.outcome, Outcome::Error(e) if e.kind == "HarnessPanic"))
        || out
            .record
            .run_errors
            .iter()
            .any(|e| e.kind == "HarnessPanic");
    assert!(!panicked, "{}: a step panicked\n{all}", case.name);
    let names = case.names.to_lowercase();
    match case.verdict {
        Verdict::Pass => {
            assert!(
                !out.record.scenarios.is_empty()
                    && out
                        .record
                        .scenarios
                        .iter()
                        .all(|s| s.outcome == Outcome::Passed),
                "{}: every scenario must pass\n{all}",
                case.name
            );
        }
        Verdict::Fail => {
            let hit = out.record.scenarios.iter().any(|s| match &s.outcome {
                Outcome::Failed(f) => {
                    f.kind == case.kind
                        && format!("{} {} {} {}", f.summary, f.rule, f.actual, f.detail)
                            .to_lowercase()
                            .contains(&names)
                        && !f.source.is_empty()
                }
                _ => false,
            });
            assert!(
                hit,
                "{}: no failure of type {} naming `{}` with a documentation page\n{all}",
                case.name, case.kind, case.names
            );
            assert!(
                xml.contains("<failure "),
                "{}: no <failure> in JUnit",
                case.name
            );
        }
        Verdict::Error => {
            let scenario_hit = out.record.scenarios.iter().any(|s| {
                matches!(&s.outcome, Outcome::Error(e) if e.kind == case.kind && e.summary.to_lowercase().contains(&names))
            });
            let run_hit = out
                .record
                .run_errors
                .iter()
                .any(|e| e.kind == case.kind && e.summary.to_lowercase().contains(&names));
            assert!(
                scenario_hit || run_hit,
                "{}: no error of type {} naming `{}`\n{all}",
                case.name,
                case.kind,
                case.names
            );
            assert!(
                out.record
                    .scenarios
                    .iter()
                    .all(|s| !matches!(s.outcome, Outcome::Failed(_))),
                "{}: a harness problem must not be reported as a conformance failure\n{all}",
                case.name
            );
            assert!(
                xml.contains("<error "),
                "{}: no <error> in JUnit",
                case.name
            );
        }
    }
}

/// Runs the chat Accept scenario through a proxy with `hook` and checks the case.
async fn through_proxy(
    name: &str,
    hook: Hook,
    request_timeout: Duration,
    notification_timeout: Duration,
    bound: Duration,
) -> RunOutcome {
    through_proxy_tagged(
        name,
        hook,
        CHAT_ACCEPT,
        request_timeout,
        notification_timeout,
        bound,
    )
    .await
}

/// [`through_proxy`] for the scenarios `tags` selects.
async fn through_proxy_tagged(
    name: &str,
    hook: Hook,
    tags: &str,
    request_timeout: Duration,
    notification_timeout: Duration,
    bound: Duration,
) -> RunOutcome {
    let case = transport_case(name);
    let server = reference_server().await;
    let proxy = Proxy::start(&server.base_url(), hook).await;
    let target = proxy.base_url();
    let rt = format!("{}ms", request_timeout.as_millis());
    let nt = format!("{}ms", notification_timeout.as_millis());
    let (out, xml, elapsed, dir) = timed_run(&[
        "--target",
        &target,
        "--tags",
        tags,
        "--request-timeout",
        &rt,
        "--notification-timeout",
        &nt,
    ])
    .await;
    proxy.shutdown().await;
    server.shutdown().await;
    check(case, &out, &xml, elapsed, bound, dir.path());
    out
}

/// A hook answering the Accept operation with `answer` instead of passing it on.
fn on_accept(answer: fn() -> axum::response::Response) -> Hook {
    hook(move |ctx: Ctx, req: ProxyRequest| async move {
        match req.operation() {
            Some((_, _, op)) if op == "Accept" => answer(),
            _ => ctx.upstream.forward(&req).await.into_response(),
        }
    })
}

/// A hook rewriting the notifications of every `/meta/connect` answer with `f` (given the
/// batch's messages, returns the messages to deliver).
fn rewrite_notifications(f: fn(Vec<Value>) -> Vec<Value>) -> Hook {
    hook(move |ctx: Ctx, req: ProxyRequest| async move {
        let fwd = ctx.upstream.forward(&req).await;
        if !req.has_channel("/meta/connect") || !fwd.status.is_success() {
            return fwd.into_response();
        }
        let messages = f(batch(&fwd.json()));
        fwd.with_json(&Value::Array(messages)).into_response()
    })
}

const RT: Duration = Duration::from_millis(800);
const NT: Duration = Duration::from_millis(800);
/// Bounds for the cases whose right verdict is a pass: waits are event-driven, so a generous
/// bound costs nothing when the suite behaves, and a loaded machine cannot turn a legal
/// behaviour into a false failure.
const PASS_RT: Duration = Duration::from_secs(5);
const PASS_NT: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// Login-time faults.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused() {
    let case = transport_case("connection_refused");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let target = format!("http://127.0.0.1:{port}");
    let (out, xml, elapsed, dir) =
        timed_run(&["--target", &target, "--request-timeout", "500ms"]).await;
    check(
        case,
        &out,
        &xml,
        elapsed,
        Duration::from_millis(500),
        dir.path(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_answers_500_html() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    let case = transport_case("login_answers_500_html");
    let mock = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("content-type", "text/html")
                .set_body_string("<html><body><h1>500 Internal Server Error</h1></body></html>"),
        )
        .mount(&mock)
        .await;
    let (out, xml, elapsed, dir) =
        timed_run(&["--target", &mock.uri(), "--request-timeout", "800ms"]).await;
    check(case, &out, &xml, elapsed, RT, dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_refused() {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{method, path},
    };
    let case = transport_case("handshake_refused");
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 0,
            "user": {"id": "1", "userName": "agent1", "roles": ["ROLE_AGENT"], "enabled": true}
        })))
        .mount(&mock)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/notifications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{
            "channel": "/meta/handshake",
            "successful": false,
            "error": "403::Handshake denied",
            "advice": {"reconnect": "none"}
        }])))
        .mount(&mock)
        .await;
    let (out, xml, elapsed, dir) =
        timed_run(&["--target", &mock.uri(), "--request-timeout", "800ms"]).await;
    check(case, &out, &xml, elapsed, RT, dir.path());
}

// ---------------------------------------------------------------------------------------------
// Faulty answers to the Accept operation.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_answers_500_html() {
    through_proxy(
        "operation_answers_500_html",
        on_accept(|| {
            respond(
                500,
                "text/html",
                "<html><body><h1>HTTP Status 500 - Internal Server Error</h1></body></html>",
            )
        }),
        RT,
        NT,
        RT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_answers_non_json() {
    through_proxy(
        "operation_answers_non_json",
        on_accept(|| respond(200, "text/plain", "OK")),
        RT,
        NT,
        RT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_answers_truncated_json() {
    through_proxy(
        "operation_answers_truncated_json",
        on_accept(|| respond(200, "application/json", r#"{"statusCode":"#)),
        RT,
        NT,
        RT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_body_cut_off() {
    through_proxy(
        "operation_body_cut_off",
        on_accept(|| {
            let chunks: Vec<Result<&'static str, std::io::Error>> = vec![
                Ok(r#"{"statusCode":"#),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection dropped mid-body",
                )),
            ];
            let mut r = axum::response::Response::new(axum::body::Body::from_stream(
                futures::stream::iter(chunks),
            ));
            r.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            r
        }),
        RT,
        NT,
        RT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_answers_over_size_cap() {
    through_proxy(
        "operation_answers_over_size_cap",
        on_accept(|| {
            let pad = "x".repeat(3 * 1024 * 1024);
            respond(
                200,
                "application/json",
                format!(r#"{{"statusCode":0,"pad":"{pad}"}}"#),
            )
        }),
        RT,
        NT,
        RT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_slower_than_request_timeout() {
    let request_timeout = Duration::from_millis(500);
    through_proxy(
        "operation_slower_than_request_timeout",
        hook(|ctx: Ctx, req: ProxyRequest| async move {
            let slow = matches!(req.operation(), Some((_, _, op)) if op == "Accept");
            if slow {
                // The fault itself: an answer far slower than the suite's request timeout
                // (released at once when the proxy shuts down).
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(20)) => {}
                    () = ctx.shutdown() => return respond(503, "text/plain", "proxy shut down"),
                }
            }
            ctx.upstream.forward(&req).await.into_response()
        }),
        request_timeout,
        NT,
        request_timeout,
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// CometD faults.

/// Phases of the `402::Unknown client` case.
const IDLE: u8 = 0;
const ARMED: u8 = 1;
const FIRED: u8 = 2;
const RECOVERED: u8 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_client_mid_run() {
    // After the first scenario's provider-state teardown, the held /meta/connect is answered
    // `402::Unknown client` (as a server that forgot the client would). The next scenario's
    // provider-state setup is held until the client has re-handshaken and re-subscribed, so
    // no documented notification is published into the gap; every scenario must pass.
    let case = transport_case("unknown_client_mid_run");
    let (phase, _) = watch::channel(IDLE);
    let phase = Arc::new(phase);
    let handshakes = Arc::new(AtomicU32::new(0));
    let released_without_recovery = Arc::new(AtomicBool::new(false));
    let h = {
        let (phase, handshakes, released) = (
            phase.clone(),
            handshakes.clone(),
            released_without_recovery.clone(),
        );
        hook(move |ctx: Ctx, req: ProxyRequest| {
            let (phase, handshakes, released) =
                (phase.clone(), handshakes.clone(), released.clone());
            async move {
                if req.is_provider_state("teardown") {
                    let fwd = ctx.upstream.forward(&req).await;
                    phase.send_if_modified(|p| (*p == IDLE).then(|| *p = ARMED).is_some());
                    return fwd.into_response();
                }
                if req.is_provider_state("setup") && matches!(*phase.borrow(), ARMED | FIRED) {
                    let mut rx = phase.subscribe();
                    let recovered = tokio::time::timeout(
                        Duration::from_secs(5),
                        rx.wait_for(|p| *p == RECOVERED),
                    )
                    .await
                    .is_ok_and(|r| r.is_ok());
                    if !recovered {
                        released.store(true, Ordering::SeqCst);
                    }
                    return ctx.upstream.forward(&req).await.into_response();
                }
                if req.has_channel("/meta/handshake") {
                    handshakes.fetch_add(1, Ordering::SeqCst);
                }
                if req.has_channel("/meta/subscribe") {
                    let fwd = ctx.upstream.forward(&req).await;
                    let ok = batch(&fwd.json())
                        .iter()
                        .any(|m| m.get("successful") == Some(&json!(true)));
                    if ok {
                        phase.send_if_modified(|p| (*p == FIRED).then(|| *p = RECOVERED).is_some());
                    }
                    return fwd.into_response();
                }
                if req.has_channel("/meta/connect") {
                    let connect = batch(&req.json())
                        .into_iter()
                        .find(|m| m.get("channel") == Some(&json!("/meta/connect")))
                        .unwrap_or(Value::Null);
                    let unknown = move || {
                        let mut reply = json!({
                            "channel": "/meta/connect",
                            "successful": false,
                            "error": "402::Unknown client",
                            "advice": {"reconnect": "handshake", "interval": 0}
                        });
                        for k in ["id", "clientId"] {
                            if let Some(v) = connect.get(k) {
                                reply[k] = v.clone();
                            }
                        }
                        respond(200, "application/json", json!([reply]).to_string())
                    };
                    let mut rx = phase.subscribe();
                    let forwarded = ctx.upstream.forward(&req);
                    tokio::pin!(forwarded);
                    loop {
                        let fire = *rx.borrow_and_update() == ARMED
                            && phase
                                .send_if_modified(|p| (*p == ARMED).then(|| *p = FIRED).is_some());
                        if fire {
                            return unknown();
                        }
                        tokio::select! {
                            fwd = &mut forwarded => return fwd.into_response(),
                            changed = rx.changed() => if changed.is_err() {
                                return forwarded.await.into_response();
                            },
                        }
                    }
                }
                ctx.upstream.forward(&req).await.into_response()
            }
        })
    };
    let server = reference_server().await;
    let proxy = Proxy::start(&server.base_url(), h).await;
    let target = proxy.base_url();
    let (out, xml, elapsed, dir) = timed_run(&[
        "--target",
        &target,
        "--tags",
        "@accept and not @inferred",
        "--concurrency",
        "1",
        "--request-timeout",
        &format!("{}ms", PASS_RT.as_millis()),
        "--notification-timeout",
        &format!("{}ms", PASS_NT.as_millis()),
    ])
    .await;
    proxy.shutdown().await;
    server.shutdown().await;
    restore_default_panic_hook();
    let all = dump(&out);
    assert_eq!(
        *phase.borrow(),
        RECOVERED,
        "the 402 was not answered or the client did not re-subscribe\n{all}"
    );
    assert_eq!(
        handshakes.load(Ordering::SeqCst),
        2,
        "exactly one re-handshake expected\n{all}"
    );
    assert!(
        !released_without_recovery.load(Ordering::SeqCst),
        "a provider-state setup was released before the client recovered\n{all}"
    );
    assert!(out.record.scenarios.len() >= 2, "{all}");
    // Bound: four sequential scenarios together within one notification wait.
    check(case, &out, &xml, elapsed, PASS_NT, dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_never_returns() {
    // The handshake advises a 100 ms hold; every /meta/connect is then held forever. The client
    // bounds each connect by advice timeout + request timeout and gives up after
    // TRANSPORT_RETRIES retries with backoff: the scenario must end in a transport error.
    let request_timeout = Duration::from_millis(400);
    let advised = Duration::from_millis(100);
    let h = hook(|ctx: Ctx, req: ProxyRequest| async move {
        if req.has_channel("/meta/connect") {
            ctx.shutdown().await;
            return respond(503, "text/plain", "proxy shut down");
        }
        let fwd = ctx.upstream.forward(&req).await;
        if req.has_channel("/meta/handshake") {
            let messages: Vec<Value> = batch(&fwd.json())
                .into_iter()
                .map(|mut m| {
                    if m.get("channel") == Some(&json!("/meta/handshake")) {
                        m["advice"]["timeout"] = json!(100);
                        m["advice"]["interval"] = json!(0);
                    }
                    m
                })
                .collect();
            return fwd.with_json(&Value::Array(messages)).into_response();
        }
        fwd.into_response()
    });
    let retries = gws_bayeux::client::TRANSPORT_RETRIES;
    let backoff: Duration = (0..retries)
        .map(|i| gws_bayeux::client::FIRST_BACKOFF * 2u32.pow(i))
        .sum();
    let give_up = (advised + request_timeout) * (retries + 1) + backoff;
    // The notification wait must outlast the transport's give-up so the cause is visible.
    let notification_timeout = give_up + Duration::from_secs(1);
    through_proxy(
        "connect_never_returns",
        h,
        request_timeout,
        notification_timeout,
        give_up,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_client_on_every_connect() {
    // Every connect: `402::Unknown client`, re-handshake at once. The old client re-handshook
    // thousands of times a second until every scenario timed out and blamed the target.
    let handshakes = Arc::new(AtomicU32::new(0));
    let connects = Arc::new(AtomicU32::new(0));
    let h = {
        let (handshakes, connects) = (handshakes.clone(), connects.clone());
        hook(move |ctx: Ctx, req: ProxyRequest| {
            let (handshakes, connects) = (handshakes.clone(), connects.clone());
            async move {
                if req.has_channel("/meta/handshake") {
                    handshakes.fetch_add(1, Ordering::SeqCst);
                }
                if let Some(connect) = connect_of(&req) {
                    connects.fetch_add(1, Ordering::SeqCst);
                    return connect_reply(
                        &connect,
                        json!({"successful": false, "error": "402::Unknown client",
                               "advice": {"reconnect": "handshake", "interval": 0}}),
                    );
                }
                ctx.upstream.forward(&req).await.into_response()
            }
        })
    };
    let out = through_proxy("unknown_client_on_every_connect", h, RT, NT, NT).await;
    let all = dump(&out);
    let bound = 1 + gws_bayeux::client::REHANDSHAKES;
    // The subscribe of the login may add one re-handshake of its own.
    assert!(
        handshakes.load(Ordering::SeqCst) <= bound + 1,
        "{} handshakes, bound {}\n{all}",
        handshakes.load(Ordering::SeqCst),
        bound + 1
    );
    assert!(
        connects.load(Ordering::SeqCst) <= bound,
        "{} connects, bound {bound}\n{all}",
        connects.load(Ordering::SeqCst)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_answers_at_once_empty() {
    // A target that does not hold the long poll: every connect answered at once and empty,
    // advice interval 0. The old client sent thousands of connects a second (a busy loop);
    // the count over the run must stay within one per MIN_CONNECT_SPACING (plus slack).
    let connects = Arc::new(AtomicU32::new(0));
    let h = {
        let connects = connects.clone();
        hook(move |ctx: Ctx, req: ProxyRequest| {
            let connects = connects.clone();
            async move {
                if let Some(connect) = connect_of(&req) {
                    connects.fetch_add(1, Ordering::SeqCst);
                    return connect_reply(
                        &connect,
                        json!({"successful": true, "advice": {"reconnect": "retry", "interval": 0}}),
                    );
                }
                ctx.upstream.forward(&req).await.into_response()
            }
        })
    };
    let started = Instant::now();
    let out = through_proxy("connect_answers_at_once_empty", h, RT, NT, NT).await;
    let elapsed = started.elapsed();
    let spacing = gws_bayeux::client::MIN_CONNECT_SPACING;
    let bound = (elapsed.as_millis() / spacing.as_millis()) as u32 + 2;
    let sent = connects.load(Ordering::SeqCst);
    assert!(
        sent <= bound,
        "{sent} connects in {elapsed:?}: more than one per {spacing:?}\n{}",
        dump(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notification_on_wildcard_channel() {
    // The SMS topic is not documented (any /v2/me/... topic is accepted), so only the wildcard
    // rule catches a target that delivers on the subscription pattern itself.
    for pattern in ["/v2/me/*", "/v2/me/**"] {
        let h = hook(move |ctx: Ctx, req: ProxyRequest| async move {
            let fwd = ctx.upstream.forward(&req).await;
            if !req.has_channel("/meta/connect") || !fwd.status.is_success() {
                return fwd.into_response();
            }
            let messages: Vec<Value> = batch(&fwd.json())
                .into_iter()
                .map(|mut m| {
                    if is_notification(&m) {
                        m["channel"] = json!(pattern);
                    }
                    m
                })
                .collect();
            fwd.with_json(&Value::Array(messages)).into_response()
        });
        let out = through_proxy_tagged(
            "notification_on_wildcard_channel",
            h,
            "@smssession and @accept and not @inferred",
            RT,
            NT,
            NT,
        )
        .await;
        let all = dump(&out);
        assert!(
            out.record.scenarios.iter().all(|s| matches!(
                &s.outcome,
                Outcome::Failed(f) if f.kind == "WildcardChannel"
                    && f.actual == pattern
                    && f.source.contains("Bayeux")
            )),
            "{pattern}: every scenario must fail WildcardChannel\n{all}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_notification_never_arrives() {
    through_proxy(
        "documented_notification_never_arrives",
        rewrite_notifications(|messages| {
            messages
                .into_iter()
                .filter(|m| {
                    !(is_notification(m) && m["data"]["messageType"] == json!("MessageLogUpdated"))
                })
                .collect()
        }),
        RT,
        NT,
        NT,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_notification_twice() {
    through_proxy(
        "same_notification_twice",
        rewrite_notifications(|messages| {
            let mut out = Vec::new();
            for m in messages {
                if is_notification(&m) {
                    out.push(m.clone());
                }
                out.push(m);
            }
            out
        }),
        PASS_RT,
        PASS_NT,
        PASS_NT,
    )
    .await;
}

/// `v` with every interaction-id-like token (`0000` + 12 hex digits, as the reference server
/// makes them) turned into another id.
fn about_another_interaction(v: &Value) -> Value {
    let re = regex::Regex::new(r"\b0000([0-9A-Fa-f]{12})\b").expect("static regex");
    let text = re.replace_all(&v.to_string(), "FFFF$1").into_owned();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_interaction_interleaved() {
    let out = through_proxy(
        "other_interaction_interleaved",
        rewrite_notifications(|messages| {
            let mut out = Vec::new();
            for m in messages {
                if is_notification(&m) {
                    let mut other = m.clone();
                    other["data"] = about_another_interaction(&m["data"]);
                    other.as_object_mut().map(|o| o.remove("id"));
                    out.push(other);
                }
                out.push(m);
            }
            out
        }),
        PASS_RT,
        PASS_NT,
        PASS_NT,
    )
    .await;
    assert!(
        out.record.scenarios.len() == 1,
        "{}",
        describe(&out.record.scenarios[0].outcome)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_before_http_response() {
    // The Accept answer is held until the proxy has delivered a StatusChange Chatting about that
    // interaction to the suite (event-driven: a watch counter bumped per delivered batch).
    let delivered: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(Vec::new()));
    let (bump, _) = watch::channel(0u64);
    let bump = Arc::new(bump);
    let held = Arc::new(AtomicBool::new(false));
    let h = {
        let (delivered, bump, held) = (delivered.clone(), bump.clone(), held.clone());
        hook(move |ctx: Ctx, req: ProxyRequest| {
            let (delivered, bump, held) = (delivered.clone(), bump.clone(), held.clone());
            async move {
                if req.has_channel("/meta/connect") {
                    let fwd = ctx.upstream.forward(&req).await;
                    let notes: Vec<Value> = batch(&fwd.json())
                        .into_iter()
                        .filter(is_notification)
                        .collect();
                    if !notes.is_empty() {
                        delivered
                            .lock()
                            .expect("delivered list")
                            .extend(notes.into_iter().map(|m| m["data"].clone()));
                        bump.send_modify(|n| *n += 1);
                    }
                    return fwd.into_response();
                }
                if let Some((_, id, op)) = req.operation()
                    && op == "Accept"
                {
                    let mut rx = bump.subscribe();
                    let fwd = ctx.upstream.forward(&req).await;
                    let chatting = |d: &Value| {
                        d["notificationType"] == json!("StatusChange")
                            && d.as_object().is_some_and(|o| {
                                o.values().any(|r| {
                                    r["id"] == json!(id) && r["state"] == json!("Chatting")
                                })
                            })
                    };
                    let waited = tokio::time::timeout(Duration::from_secs(5), async {
                        loop {
                            if delivered
                                .lock()
                                .expect("delivered list")
                                .iter()
                                .any(chatting)
                            {
                                return;
                            }
                            if rx.changed().await.is_err() {
                                return;
                            }
                        }
                    })
                    .await;
                    if waited.is_ok() {
                        held.store(true, Ordering::SeqCst);
                    }
                    return fwd.into_response();
                }
                ctx.upstream.forward(&req).await.into_response()
            }
        })
    };
    let out = through_proxy(
        "notifications_before_http_response",
        h,
        PASS_RT,
        PASS_NT,
        PASS_NT,
    )
    .await;
    restore_default_panic_hook();
    assert!(
        held.load(Ordering::SeqCst),
        "the StatusChange was not delivered before the Accept answer\n{}",
        dump(&out)
    );
}

/// `v` with undocumented fields added to every object at the top two levels.
fn with_extra_fields(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for inner in o.values_mut() {
            if let Some(io) = inner.as_object_mut() {
                io.insert("vendorNestedExtra".into(), json!({"x": [1, 2]}));
            }
        }
        o.insert("vendorExtra".into(), json!("not documented"));
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undocumented_extra_fields() {
    through_proxy(
        "undocumented_extra_fields",
        hook(|ctx: Ctx, req: ProxyRequest| async move {
            let fwd = ctx.upstream.forward(&req).await;
            if req.has_channel("/meta/connect") {
                let messages: Vec<Value> = batch(&fwd.json())
                    .into_iter()
                    .map(|mut m| {
                        if is_notification(&m) {
                            m["data"] = with_extra_fields(&m["data"]);
                        }
                        m
                    })
                    .collect();
                return fwd.with_json(&Value::Array(messages)).into_response();
            }
            if req.operation().is_some() || req.path.starts_with("/api/v2/me") {
                let body = fwd.json();
                if body.is_object() {
                    let extended = with_extra_fields(&body);
                    return fwd.with_json(&extended).into_response();
                }
            }
            fwd.into_response()
        }),
        PASS_RT,
        PASS_NT,
        PASS_NT,
    )
    .await;
}

#[test]
fn every_transport_row_has_a_test() {
    let source = include_str!("transport_faults.rs");
    for c in fault_support::TRANSPORT {
        assert!(
            source.contains(&format!("async fn {}()", c.name)),
            "TRANSPORT row `{}` has no test function",
            c.name
        );
    }
}

#[test]
fn the_rewrites_change_what_they_claim() {
    let n = json!({"notificationType": "StatusChange",
        "chat": {"id": "0000E6AE94D7CB3E", "uri": "http://h/api/v2/chats/0000E6AE94D7CB3E", "state": "Chatting"}});
    let other = about_another_interaction(&n);
    assert_eq!(other["chat"]["id"], json!("FFFFE6AE94D7CB3E"));
    assert_eq!(
        other["chat"]["uri"],
        json!("http://h/api/v2/chats/FFFFE6AE94D7CB3E")
    );
    assert_eq!(other["chat"]["state"], json!("Chatting"));
    let extra = with_extra_fields(&n);
    assert_eq!(extra["vendorExtra"], json!("not documented"));
    assert!(extra["chat"]["vendorNestedExtra"].is_object());
    assert_eq!(extra["chat"]["id"], n["chat"]["id"]);
}
