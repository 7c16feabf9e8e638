//! The agent's HTTP client against scripted answers (wiremock): Basic auth, cookies and the
//! CSRF token echoed on POST, the response-size cap, non-JSON bodies naming the URL, provider
//! states that are not JSON objects, and the request timeout.

use std::time::{Duration, Instant};

use gws_conformance::run::agent::{AgentClient, AgentConfig, AgentError, MAX_BODY_BYTES};
use serde_json::json;
use url::Url;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, header_regex, method, path},
};

fn agent(server: &MockServer, timeout: Duration) -> AgentClient {
    let target = Url::parse(&server.uri()).unwrap();
    let state_url = target.join("/conformance/states").unwrap();
    AgentClient::new(AgentConfig {
        target,
        state_url,
        user: "agent1".into(),
        password: "secret1".into(),
        request_timeout: timeout,
        state_credentials: false,
        tls: Default::default(),
        secrets: Default::default(),
    })
    .unwrap()
}

#[tokio::test]
async fn csrf_token_cookie_and_basic_auth_are_sent_on_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/me"))
        .and(header("authorization", "Basic YWdlbnQxOnNlY3JldDE="))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-CSRF-HEADER", "X-CSRF-TOKEN")
                .insert_header("X-CSRF-TOKEN", "tok-123")
                .insert_header("Set-Cookie", "JSESSIONID=s1; Path=/")
                .set_body_json(json!({"statusCode": 0, "user": {"userName": "agent1"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/me/chats/X1"))
        .and(header("x-csrf-token", "tok-123"))
        .and(header_regex("cookie", "JSESSIONID=s1"))
        .and(header("authorization", "Basic YWdlbnQxOnNlY3JldDE="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"statusCode": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let mut a = agent(&server, Duration::from_secs(5));
    let me = a.get_me().await.unwrap();
    assert_eq!(me.body["statusCode"], 0);
    assert_eq!(a.csrf_header(), Some("x-csrf-token"));
    let reply = a
        .operate(
            "chats",
            "X1",
            &json!({"operationName": "Accept", "nickname": "M"}),
        )
        .await
        .unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json!({"statusCode": 0}));
    server.verify().await;
}

#[tokio::test]
async fn a_body_over_the_cap_stops_with_a_clear_error() {
    let server = MockServer::start().await;
    let big = format!("\"{}\"", "x".repeat(MAX_BODY_BYTES + 10));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(big))
        .mount(&server)
        .await;
    let a = agent(&server, Duration::from_secs(5));
    let e = a
        .operate("chats", "X", &json!({"operationName": "Accept"}))
        .await
        .unwrap_err();
    assert!(matches!(e, AgentError::TooLarge { .. }), "{e}");
    assert_eq!(e.kind(), "ResponseTooLarge");
    assert!(e.to_string().contains("/api/v2/me/chats/X"), "{e}");
}

#[tokio::test]
async fn non_json_bodies_name_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/me/chats/H"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/me/chats/T"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"statusCode\": 0"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/me/chats/E"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>500</html>"))
        .mount(&server)
        .await;
    let a = agent(&server, Duration::from_secs(5));
    for (id, kind) in [
        ("H", "ResponseNotJson"),
        ("T", "ResponseNotJson"),
        ("E", "HttpStatus"),
    ] {
        let e = a
            .operate("chats", id, &json!({"operationName": "Accept"}))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{id}: {e}");
        let text = e.to_string();
        assert!(
            text.contains(&format!("{}/api/v2/me/chats/{id}", server.uri())),
            "{text}"
        );
        assert!(!text.contains('\n'), "{text}");
    }
}

#[tokio::test]
async fn a_provider_state_answer_must_be_a_2xx_json_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/conformance/states"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["not", "an", "object"])))
        .mount(&server)
        .await;
    let a = agent(&server, Duration::from_secs(5));
    let e = a
        .provider_state_setup("another agent is available", &json!({"user": "agent1"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not a JSON object"), "{e}");
    assert!(e.to_string().contains("provider state setup"), "{e}");
}

#[tokio::test]
async fn a_slow_answer_ends_at_the_request_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"statusCode": 0}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let a = agent(&server, Duration::from_millis(300));
    let started = Instant::now();
    let e = a
        .operate("chats", "S", &json!({"operationName": "Accept"}))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(e.kind(), "RequestTimeout", "{e}");
}
