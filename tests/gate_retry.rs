//! `--retry N` (issue 13): a scenario that ends in a transport error is run again, up to N more
//! times, and the report keeps one testcase per scenario with the earlier attempts as Surefire
//! writes them (`flakyError` under a pass, `rerunError` under an error); a failure is never run
//! again. Through the scripted proxy of the transport tests, in front of the reference server.

mod fault_support;

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use fault_support::{
    junit_xsd_check,
    proxy::{Ctx, Proxy, ProxyRequest, hook},
    restore_default_panic_hook, run,
};
use gws_conformance::run::report::Outcome;
use gws_reference_server::{ServerConfig, start};

/// The Accept scenarios of every media that are not negative cases.
const CHAT_ACCEPT: &str = "@accept and not @inferred";

/// An Accept answer that breaks off mid-body (the connection is closed): TargetUnreachable.
fn cut_off() -> axum::response::Response {
    let chunks: Vec<Result<&'static str, std::io::Error>> = vec![
        Ok(r#"{"statusCode":"#),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection dropped mid-body",
        )),
    ];
    let mut r =
        axum::response::Response::new(axum::body::Body::from_stream(futures::stream::iter(chunks)));
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    r
}

/// A proxy cutting off the first `cut` Accept answers; counts the Accept requests.
async fn proxy(upstream: &str, cut: usize, accepts: Arc<AtomicUsize>) -> Proxy {
    Proxy::start(
        upstream,
        hook(move |ctx: Ctx, req: ProxyRequest| {
            let accepts = Arc::clone(&accepts);
            async move {
                match req.operation() {
                    Some((_, _, op)) if op == "Accept" => {
                        if accepts.fetch_add(1, Ordering::SeqCst) < cut {
                            cut_off()
                        } else {
                            ctx.upstream.forward(&req).await.into_response()
                        }
                    }
                    _ => ctx.upstream.forward(&req).await.into_response(),
                }
            }
        }),
    )
    .await
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn count(xml: &str, tag: &str) -> usize {
    xml.matches(&format!("<{tag} ")).count() + xml.matches(&format!("<{tag}>")).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transport_error_is_retried_and_reported_as_flaky() {
    let server = start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let flags = |target: &str, retry: &'static str| {
        vec![
            "--target".to_string(),
            target.to_string(),
            "--tags".into(),
            CHAT_ACCEPT.into(),
            "--concurrency".into(),
            "1".into(),
            "--retry".into(),
            retry.into(),
        ]
    };

    // Without retries the cut-off Accept is an error (exit 2).
    let accepts = Arc::new(AtomicUsize::new(0));
    let p = proxy(&server.base_url(), 1, Arc::clone(&accepts)).await;
    let f = flags(&p.base_url(), "0");
    let (plain, _) = run(dir.path(), &args(&f)).await;
    p.shutdown().await;
    let selected = plain.record.scenarios.len();

    // With one retry the scenario runs again and passes: exit 0, one testcase per scenario,
    // the first attempt kept as a flakyError.
    let accepts = Arc::new(AtomicUsize::new(0));
    let p = proxy(&server.base_url(), 1, Arc::clone(&accepts)).await;
    let f = flags(&p.base_url(), "1");
    let (flaky, flaky_xml) = run(dir.path(), &args(&f)).await;
    p.shutdown().await;
    junit_xsd_check(&flaky_xml, dir.path()).unwrap();

    // Every attempt cut off: the error stands, with the earlier attempts as rerunError.
    let accepts = Arc::new(AtomicUsize::new(0));
    let p = proxy(&server.base_url(), usize::MAX, Arc::clone(&accepts)).await;
    let f = flags(&p.base_url(), "2");
    let (stuck, stuck_xml) = run(dir.path(), &args(&f)).await;
    p.shutdown().await;
    let stuck_accepts = accepts.load(Ordering::SeqCst);
    junit_xsd_check(&stuck_xml, dir.path()).unwrap();
    server.shutdown().await;

    restore_default_panic_hook();
    assert_eq!(plain.exit_code, 2);
    assert!(selected >= 2, "{selected}");
    assert_eq!(flaky.exit_code, 0, "{:?}", flaky.counts);
    assert_eq!(flaky.record.scenarios.len(), selected);
    assert_eq!(
        count(&flaky_xml, "testcase"),
        selected,
        "{selected} {flaky_xml}"
    );
    let retried: Vec<_> = flaky
        .record
        .scenarios
        .iter()
        .filter(|s| !s.reruns.is_empty())
        .collect();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].outcome, Outcome::Passed);
    assert_eq!(retried[0].reruns[0].kind, "TargetUnreachable");
    assert_eq!(count(&flaky_xml, "flakyError"), 1, "{flaky_xml}");
    assert!(
        flaky_xml.contains(r#"<flakyError message=""#),
        "{flaky_xml}"
    );
    assert!(
        flaky_xml.contains(r#"type="TargetUnreachable""#),
        "{flaky_xml}"
    );

    assert_eq!(stuck.exit_code, 2);
    assert_eq!(stuck.record.scenarios.len(), selected);
    assert_eq!(count(&stuck_xml, "testcase"), selected, "{stuck_xml}");
    // Each scenario tried three times (the first attempt and two retries), no more.
    assert_eq!(stuck_accepts, 3 * selected);
    for s in &stuck.record.scenarios {
        assert!(matches!(&s.outcome, Outcome::Error(e) if e.kind == "TargetUnreachable"));
        assert_eq!(s.reruns.len(), 2, "{}", s.name);
    }
    assert_eq!(count(&stuck_xml, "rerunError"), 2 * selected, "{stuck_xml}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_is_never_retried() {
    // The fault breaks the Accept answer's statusCode rule: a failure, not a transport error.
    let server = start(
        ServerConfig {
            fault: Some("nonzero-status-for-valid-accept".into()),
            ..Default::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let accepts = Arc::new(AtomicUsize::new(0));
    let p = proxy(&server.base_url(), 0, Arc::clone(&accepts)).await;
    let dir = tempfile::tempdir().unwrap();
    let target = p.base_url();
    let (out, xml) = run(
        dir.path(),
        &["--target", &target, "--tags", CHAT_ACCEPT, "--retry", "3"],
    )
    .await;
    p.shutdown().await;
    server.shutdown().await;
    restore_default_panic_hook();
    assert_eq!(out.exit_code, 1);
    let failed = out
        .record
        .scenarios
        .iter()
        .filter(|s| matches!(s.outcome, Outcome::Failed(_)))
        .count();
    assert!(failed >= 1);
    assert!(out.record.scenarios.iter().all(|s| s.reruns.is_empty()));
    // One Accept per scenario: nothing ran twice.
    assert_eq!(accepts.load(Ordering::SeqCst), out.record.scenarios.len());
    assert_eq!(count(&xml, "rerunFailure") + count(&xml, "flakyFailure"), 0);
}
