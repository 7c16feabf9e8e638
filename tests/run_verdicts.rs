//! Verdicts against targets that misbehave: a target breaking a documented rule is reported as
//! a failure (exit 1), an unreachable target and a refused provider state as errors (exit 2),
//! undefined vendor steps and bad flags as errors; the password never reaches the report.

mod support;

use std::net::SocketAddr;

use gws_conformance::run::report::Outcome;
use gws_reference_server::{ServerConfig, start};
use support::{assert_report_constraints, assert_valid_against_xsd, run, verdicts};

async fn faulty_server(fault: &str) -> gws_reference_server::RunningServer {
    let config = ServerConfig {
        fault: Some(fault.to_string()),
        ..Default::default()
    };
    start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("server starts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_in_the_wrong_state_fails_the_accept_scenarios() {
    let server = faulty_server("accept-wrong-state").await;
    let dir = tempfile::tempdir().unwrap();
    let target = server.base_url();
    let (out, xml) = run(
        dir.path(),
        &[
            "--target",
            &target,
            "--tags",
            "@accept and not @inferred",
            "--notification-timeout",
            "2s",
        ],
    )
    .await;
    server.shutdown().await;
    assert_eq!(out.exit_code, 1, "{:#?}", verdicts(&out));
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &out);
    assert!(out.counts.failed >= 3, "{:#?}", verdicts(&out));
    for s in &out.record.scenarios {
        let Outcome::Failed(f) = &s.outcome else {
            panic!("{} was {:?}", s.name, s.outcome)
        };
        // The schema's state enum or the Chatting check catches it first; both name the path.
        assert!(
            ["SchemaViolation", "StateMismatch"].contains(&f.kind),
            "{}: {f:?}",
            s.name
        );
        assert!(f.expected.contains("Chatting"), "{}", f.expected);
        assert!(f.actual.contains("Processing"), "{}", f.actual);
        assert!(f.path.ends_with("/state"), "{}", f.path);
        assert!(f.source.contains("docs.genesys.com"), "{}", f.source);
    }
    assert!(xml.contains(r#"<failure message="#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_notification_is_a_timeout_failure_saying_what_was_awaited() {
    let server = faulty_server("accept-missing-history").await;
    let dir = tempfile::tempdir().unwrap();
    let target = server.base_url();
    let (out, _) = run(
        dir.path(),
        &[
            "--target",
            &target,
            "--tags",
            "@chat and @accept and not @inferred",
            "--notification-timeout",
            "300ms",
        ],
    )
    .await;
    server.shutdown().await;
    assert_eq!(out.exit_code, 1);
    let Outcome::Failed(f) = &out.record.scenarios[0].outcome else {
        panic!("{:?}", out.record.scenarios[0].outcome)
    };
    assert_eq!(f.kind, "NotificationTimeout");
    assert!(f.summary.contains("MessageLogUpdated"), "{}", f.summary);
    assert!(f.detail.contains("awaited:"), "{}", f.detail);
    assert!(
        f.detail
            .contains("other notifications waiting in the inbox"),
        "{}",
        f.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_target_is_an_error_with_exit_2_and_a_report() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let target = format!("http://agent1:topsecret9@127.0.0.1:{port}");
    let (out, xml) = run(
        dir.path(),
        &[
            "--target",
            &target,
            "--password",
            "topsecret9",
            "--request-timeout",
            "2s",
        ],
    )
    .await;
    assert_eq!(out.exit_code, 2);
    assert!(
        out.junit.is_some(),
        "the report is written when the run started"
    );
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &out);
    assert_eq!(out.counts.errors, 1);
    assert!(
        !xml.contains("topsecret9"),
        "password leaked into the report"
    );
    assert!(!out.target.contains("topsecret9"));
    let e = &out.record.run_errors[0];
    assert_eq!(e.kind, "LoginFailed");
    assert!(
        e.summary.contains(&format!("127.0.0.1:{port}")),
        "{}",
        e.summary
    );
    assert!(e.summary.contains("GET /api/v2/me"), "{}", e.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_provider_state_is_an_error_never_a_pass_or_failure() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};
    let states = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&states)
        .await;
    let server = start(
        ServerConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = server.base_url();
    let state_url = format!("{}/states", states.uri());
    let (out, xml) = run(
        dir.path(),
        &["--target", &target, "--state-url", &state_url],
    )
    .await;
    server.shutdown().await;
    assert_eq!(out.exit_code, 2, "{:#?}", verdicts(&out));
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &out);
    assert!(!out.record.scenarios.is_empty());
    for s in &out.record.scenarios {
        // Every built-in operation scenario starts from a provider state; of the session and
        // transport ones (@session, @bayeux), those that need none pass.
        let transport = s.tags.iter().any(|t| t == "session" || t == "bayeux");
        let e = match &s.outcome {
            Outcome::Error(e) => e,
            Outcome::Passed if transport => continue,
            other => panic!("{}: {other:?}", s.name),
        };
        assert_eq!(e.kind, "ProviderStateSetup");
        assert!(e.summary.contains("HTTP 500"), "{}", e.summary);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vendor_features_run_and_undefined_steps_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = dir.path().join("vendor");
    std::fs::create_dir_all(vendor.join("acme")).unwrap();
    std::fs::write(
        vendor.join("acme/extra.feature"),
        "@chat @accept @doc:AcmeChat\nFeature: Acme chat extras\n\n  Scenario: acme accepts chat\n    Given a chat from customer \"Ann\" saying \"Hi\" is offered to the agent\n    When the agent accepts the chat as \"Bob\"\n    Then the operation succeeds with statusCode 0\n\n  Scenario: acme does something undocumented\n    When the agent dances\n",
    )
    .unwrap();
    let v = vendor.display().to_string();
    let (out, xml) = run(dir.path(), &["--features", &v, "--tags", "@doc:AcmeChat"]).await;
    assert_eq!(out.exit_code, 2, "{:#?}", verdicts(&out));
    assert_report_constraints(&xml, &out);
    assert_eq!(out.counts.passed, 1);
    let undefined = out
        .record
        .scenarios
        .iter()
        .find(|s| s.name.contains("undocumented"))
        .unwrap();
    let Outcome::Error(e) = &undefined.outcome else {
        panic!("{:?}", undefined.outcome)
    };
    assert_eq!(e.kind, "UndefinedStep");
    assert!(xml.contains(r#"classname="vendor.acme.extra""#), "{xml}");
}

#[tokio::test]
async fn bad_flags_end_the_run_with_exit_2_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    // Refused when parsed: the error names the flag (and never echoes a password).
    for (flags, says) in [
        (&["--target", "not a url"][..], "--target"),
        (&["--target", "http://agent1:hunter2@"][..], "--target"),
        (&["--tags", "@chat and ("][..], "--tags"),
        (&["--concurrency", "0"][..], "--concurrency"),
    ] {
        let e = gws_conformance::run::RunArgs::from_args(flags.iter().copied())
            .err()
            .unwrap_or_else(|| panic!("{flags:?} parsed"))
            .to_string();
        assert!(e.contains(says), "{flags:?}: {e}");
        assert!(!e.contains("hunter2"), "{flags:?}: {e}");
    }
    // Refused before the run starts: exit 2, no report.
    for flags in [&["--features", "/nonexistent/dir"][..]] {
        let (out, xml) = run(dir.path(), flags).await;
        assert_eq!(out.exit_code, 2, "{flags:?}");
        assert!(
            out.junit.is_none() && xml.is_empty(),
            "{flags:?}: no run, no report"
        );
    }
}
