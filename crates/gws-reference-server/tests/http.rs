//! The HTTP surface without CometD: authentication, session cookie, CSRF, the agent's own
//! resources, provider states, and bad input answered with documented JSON.

mod common;

use common::*;
use gws_reference_server::{Dialect, ServerConfig};
use serde_json::{Value, json};

#[tokio::test]
async fn unauthenticated_and_wrong_password_get_401_status_code_20() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let http = reqwest::Client::new();
    for auth in [
        None,
        Some(basic("agent1", "wrong")),
        Some("Basic !!!".to_string()),
    ] {
        let mut req = http.get(format!("{base}/api/v2/me"));
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["statusCode"], 20);
        assert!(body["statusMessage"].is_string());
        assert_contract(&body, Dialect::V2019);
    }
    // CometD too.
    let resp = http
        .post(format!("{base}/api/v2/notifications/handshake"))
        .json(&json!([]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    server.shutdown().await;
}

#[tokio::test]
async fn me_sets_session_cookie_and_csrf_headers() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v2/me"))
        .header("authorization", basic("agent1", "secret1"))
        .send()
        .await
        .unwrap();
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("JSESSIONID=")
            && cookie.contains("HttpOnly")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert_eq!(resp.headers()["x-csrf-header"], "X-CSRF-TOKEN");
    let token = resp.headers()["x-csrf-token"].to_str().unwrap().to_string();
    assert_eq!(token.len(), 36, "a UUID: {token}");
    let body: Value = resp.json().await.unwrap();
    assert_contract(&body, Dialect::V2019);
    let user = &body["user"];
    assert_eq!(user["userName"], "agent1");
    assert_eq!(user["roles"], json!(["ROLE_AGENT"]));
    assert_eq!(
        user["uri"],
        format!("{base}/api/v2/users/{}", user["id"].as_str().unwrap())
    );
    assert_eq!(
        user["path"],
        format!("/users/{}", user["id"].as_str().unwrap())
    );

    // The same session keeps its token; a second agent gets another one.
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let again = a1
        .http
        .get(format!("{base}/api/v2/me"))
        .header("authorization", &a1.auth)
        .send()
        .await
        .unwrap();
    assert!(
        again.headers().get("set-cookie").is_none(),
        "the session cookie is reused"
    );
    assert_eq!(again.headers()["x-csrf-token"].to_str().unwrap(), a1.csrf);
    server.shutdown().await;
}

#[tokio::test]
async fn csrf_is_enforced_on_post_and_can_be_switched_off() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let start = json!({"operationName": "StartContactCenterSession", "channels": ["chat"]});
    for token in [None, Some("not-the-token")] {
        let mut req = a1
            .http
            .post(format!("{base}/api/v2/me"))
            .header("authorization", &a1.auth)
            .json(&start);
        if let Some(t) = token {
            req = req.header("x-csrf-token", t);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 403);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body,
            json!({"statusCode": 3, "statusMessage": "Missing or invalid Csrf token"})
        );
        assert_contract(&body, Dialect::V2019);
    }
    // The right token without the session cookie is refused too (the token lives with the session).
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v2/me"))
        .header("authorization", &a1.auth)
        .header("x-csrf-token", &a1.csrf)
        .json(&start)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // CometD POSTs do not modify data: Basic auth alone (no cookie, no CSRF header) is enough,
    // as plain Bayeux clients send it.
    let handshake = json!([{"channel": "/meta/handshake", "version": "1.0",
                            "supportedConnectionTypes": ["long-polling"]}]);
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v2/notifications"))
        .header("authorization", &a1.auth)
        .json(&handshake)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let reply: Value = resp.json().await.unwrap();
    assert_eq!(reply[0]["successful"], true, "{reply}");
    assert_eq!(
        a1.post("/api/v2/me", &start).await,
        (200, json!({"statusCode": 0}))
    );
    server.shutdown().await;

    // With csrf_cometd (serve --csrf-cometd) the CometD endpoint wants the token too.
    let server = common::server(ServerConfig {
        csrf_cometd: true,
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let resp = a1
        .http
        .post(format!("{base}/api/v2/notifications"))
        .header("authorization", &a1.auth)
        .json(&handshake)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        a1.post("/api/v2/me", &start).await,
        (200, json!({"statusCode": 0}))
    );
    server.shutdown().await;

    let server = common::server(ServerConfig {
        csrf: false,
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v2/me"))
        .header("authorization", basic("agent1", "secret1"))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("x-csrf-token").is_none());
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v2/me"))
        .header("authorization", basic("agent1", "secret1"))
        .json(&start)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    server.shutdown().await;
}

#[tokio::test]
async fn contact_center_session_and_channels() {
    let server = server(config(Dialect::V2019)).await;
    let a1 = login(&server.base_url(), "agent1", "secret1", Dialect::V2019).await;
    let cases = [
        (
            "/api/v2/me",
            json!({"operationName": "StartContactCenterSession", "channels": ["chat", "facebooksession", "smssession"]}),
            0,
        ),
        (
            "/api/v2/me",
            json!({"operationName": "StartContactCenterSession"}),
            1,
        ),
        ("/api/v2/me", json!({"channels": []}), 1),
        ("/api/v2/me", json!({"operationName": "Dance"}), 2),
        (
            "/api/v2/me/channels/chat",
            json!({"operationName": "Ready"}),
            0,
        ),
        (
            "/api/v2/me/channels/chat",
            json!({"operationName": "NotReady"}),
            0,
        ),
        (
            "/api/v2/me/channels/chat",
            json!({"operationName": "Sleep"}),
            2,
        ),
        ("/api/v2/me/channels/chat", json!({}), 1),
        (
            "/api/v2/me",
            json!({"operationName": "EndContactCenterSession"}),
            0,
        ),
    ];
    for (path, body, code) in cases {
        let (status, resp) = a1.post(path, &body).await;
        assert_eq!(
            (status, resp["statusCode"].as_i64()),
            (200, Some(code)),
            "{path} {body} → {resp}"
        );
        assert_contract(&resp, Dialect::V2019);
        if code != 0 {
            assert!(resp["statusMessage"].is_string());
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn bad_input_gets_json_answers() {
    let max = 1024;
    let server = server(ServerConfig {
        max_body_bytes: max,
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let id = offer(&base, "chat", "agent1", "PersonP", "Hi").await;
    let send = |body: String, path: String| {
        let a = &a1;
        async move {
            let resp = a
                .http
                .post(format!("{}{path}", a.base))
                .header("authorization", &a.auth)
                .header("x-csrf-token", &a.csrf)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap();
            let json: Value =
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
            (status, json)
        }
    };
    let op = format!("/api/v2/me/chats/{id}");
    for (body, path, http, code) in [
        (
            "{\"operationName\": \"Accept\",".to_string(),
            op.clone(),
            400,
            1,
        ),
        ("".to_string(), op.clone(), 400, 1),
        ("[1,2]".to_string(), op.clone(), 400, 1),
        ("not json".to_string(), "/api/v2/me".to_string(), 400, 1),
        (
            format!(
                "{{\"operationName\":\"Accept\",\"nickname\":\"{}\"}}",
                "x".repeat(2 * max)
            ),
            op.clone(),
            413,
            10,
        ),
        (
            "{\"operationName\":\"Accept\",\"nickname\":\"x\"}".to_string(),
            format!("/api/v2/me/emails/{id}"),
            404,
            6,
        ),
        (
            "{\"operationName\":\"Accept\",\"nickname\":\"x\"}".to_string(),
            format!("/api/v2/me/facebooksession/{id}"),
            404,
            6,
        ),
        (
            "[{\"channel\": 5}]".to_string(),
            "/api/v2/notifications".to_string(),
            400,
            1,
        ),
    ] {
        let (status, resp) = send(body.clone(), path.clone()).await;
        assert_eq!(
            (status, resp["statusCode"].as_i64()),
            (http, Some(code)),
            "{path} {body:.60} → {resp}"
        );
        let message = resp["statusMessage"].as_str().unwrap();
        assert!(
            !message.contains("Error(") && !message.contains("panicked"),
            "{message}"
        );
    }
    let (status, resp) = a1.get("/api/v2/me/emails").await;
    assert_eq!((status, resp["statusCode"].as_i64()), (404, Some(6)));
    let (status, resp) = a1.get("/api/v2/nothing/here").await;
    assert_eq!((status, resp["statusCode"].as_i64()), (404, Some(6)));
    let (status, resp) = a1.get("/api/v2/me/chats/%FF%FE").await;
    assert_eq!(
        (status, resp["statusCode"].as_i64()),
        (404, Some(6)),
        "invalid UTF-8 in the path"
    );
    let (status, resp) = a1.get("/api/v2/me/chats?fields=*&fields=id").await;
    assert_eq!(
        (status, resp["statusCode"].as_i64()),
        (400, Some(1)),
        "a repeated query parameter"
    );
    let resp = a1
        .http
        .delete(format!("{base}/api/v2/me"))
        .header("authorization", &a1.auth)
        .header("x-csrf-token", &a1.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let body: Value = resp.json().await.unwrap();
    assert!(body["statusCode"].is_i64());
    server.shutdown().await;
}

#[tokio::test]
async fn provider_states_as_in_the_target_contract() {
    let server = server(config(Dialect::V2019)).await;
    let base = server.base_url();
    let offered = json!({"state": "an interaction is offered to the agent", "action": "setup",
        "params": {"media": "smssession", "user": "agent1", "customer": "PersonP", "text": "Hi"}});
    let (status, body) = provider_state(&base, &offered).await;
    assert_eq!(status, 200);
    let id = body["id"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    let (status, body) = provider_state(
        &base,
        &json!({"state": "an interaction is offered to the agent", "action": "teardown",
        "params": {"media": "smssession", "user": "agent1", "customer": "PersonP", "text": "Hi"}}),
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = provider_state(
        &base,
        &json!({"state": "another agent is available", "params": {"user": "agent1"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["targetPath"],
        "/users/e2c90c960d3d40c79684818983ceb314"
    );
    assert_eq!(
        body["targetUri"],
        format!("{base}/api/v2/users/e2c90c960d3d40c79684818983ceb314")
    );

    for bad in [
        json!({"state": "the moon is full", "params": {}}),
        json!({"params": {}}),
        json!({"state": "an interaction is offered to the agent", "params": {"media": "fax", "user": "agent1", "customer": "c", "text": "t"}}),
        json!({"state": "an interaction is offered to the agent", "params": {"media": "chat", "user": "nobody", "customer": "c", "text": "t"}}),
        json!({"state": "an interaction is offered to the agent", "params": {"media": "chat", "user": "agent1", "text": "t"}}),
        json!({"state": "an interaction is offered to the agent", "params": {"media": "chat", "user": "agent1", "customer": "c", "text": "t"}, "action": "explode"}),
        json!({"state": "another agent is available", "params": "agent1"}),
        json!([1]),
    ] {
        let (status, body) = provider_state(&base, &bad).await;
        assert_eq!(status, 400, "{bad} → {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
    server.shutdown().await;
}

/// With `provider_state_auth` (what `serve --allow-remote` sets), the provider-state endpoint
/// needs an agent's Basic auth: without it, or with a wrong password, HTTP 401 statusCode 20 and
/// no interaction is created; with it, the state is set up.
#[tokio::test]
async fn provider_states_require_basic_auth_when_served_remotely() {
    let server = server(ServerConfig {
        provider_state_auth: true,
        ..config(Dialect::V2019)
    })
    .await;
    let base = server.base_url();
    let body = json!({"state": "an interaction is offered to the agent",
        "params": {"media": "chat", "user": "agent1", "customer": "PersonP", "text": "Hi"}});
    let http = reqwest::Client::new();
    for auth in [None, Some(basic("agent1", "wrong"))] {
        let mut req = http.post(format!("{base}/conformance/states")).json(&body);
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        let reply: Value = resp.json().await.unwrap();
        assert_eq!(reply["statusCode"], 20);
    }
    let a1 = login(&base, "agent1", "secret1", Dialect::V2019).await;
    let (status, chats) = a1.get("/api/v2/me/chats").await;
    assert_eq!(status, 200);
    assert_eq!(
        chats["uris"],
        json!([]),
        "no interaction was created: {chats}"
    );
    let resp = http
        .post(format!("{base}/conformance/states"))
        .header("authorization", basic("agent1", "secret1"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let reply: Value = resp.json().await.unwrap();
    assert!(reply["id"].is_string(), "{reply}");
    server.shutdown().await;
}

/// A connection that sends nothing, or only part of its request headers, is closed once
/// `header_read_timeout` has passed, so idle and half-sent connections cannot pile up.
#[tokio::test]
async fn idle_and_half_sent_connections_are_closed_after_the_header_read_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let timeout = std::time::Duration::from_millis(300);
    let server = server(ServerConfig {
        header_read_timeout: timeout,
        ..config(Dialect::V2019)
    })
    .await;
    let addr = server.local_addr();
    for sent in [
        &b""[..],
        b"GET /api/v2/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthoriz",
    ] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(sent).await.unwrap();
        let started = std::time::Instant::now();
        let mut buf = Vec::new();
        // Bounded: the server must close well before this; without the timeout it never does.
        let read = tokio::time::timeout(
            timeout + std::time::Duration::from_secs(5),
            stream.read_to_end(&mut buf),
        )
        .await;
        assert!(
            read.is_ok(),
            "{sent:?}: still open {:?} after the header read timeout of {timeout:?}",
            started.elapsed()
        );
        assert!(
            !String::from_utf8_lossy(&buf).contains("200 OK"),
            "{sent:?}: {}",
            String::from_utf8_lossy(&buf)
        );
    }
    // A keep-alive connection idle after a complete request is closed too.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /api/v2/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        timeout + std::time::Duration::from_secs(5),
        stream.read_to_end(&mut buf),
    )
    .await;
    let text = String::from_utf8_lossy(&buf);
    assert!(
        read.is_ok(),
        "an idle keep-alive connection stayed open: {text}"
    );
    assert!(text.starts_with("HTTP/1.1 401"), "{text}");
    // A complete request on a fresh connection is still served.
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v2/me", server.base_url()))
        .header("authorization", basic("agent1", "secret1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    server.shutdown().await;
}
