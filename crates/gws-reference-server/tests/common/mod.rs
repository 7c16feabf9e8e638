//! Shared helpers for the reference-server tests: start a server on 127.0.0.1:0, log in as an
//! agent (cookies + CSRF token), POST operations, drive provider states, listen on CometD, and
//! validate every payload against the documented contract.
#![allow(dead_code)]

use std::time::Duration;

use base64::Engine as _;
use gws_bayeux::client::{BayeuxClient, ClientConfig, Inbox, Notification};
use gws_reference_server::{Dialect, RunningServer, ServerConfig};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

/// Bound on every wait for a notification.
pub const WAIT: Duration = Duration::from_secs(5);

pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn config(dialect: Dialect) -> ServerConfig {
    ServerConfig {
        dialect,
        connect_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    }
}

pub async fn server(config: ServerConfig) -> RunningServer {
    install_crypto();
    gws_reference_server::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("server starts")
}

pub fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// An HTTP session of one agent: cookie store, Basic auth, CSRF token from `GET /api/v2/me`.
pub struct AgentSession {
    pub base: String,
    pub http: reqwest::Client,
    pub auth: String,
    pub csrf: String,
    pub user: String,
    pub dialect: Dialect,
}

pub async fn login(base: &str, user: &str, password: &str, dialect: Dialect) -> AgentSession {
    install_crypto();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let auth = basic(user, password);
    let resp = http
        .get(format!("{base}/api/v2/me"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-csrf-header"], "X-CSRF-TOKEN");
    let csrf = resp.headers()["x-csrf-token"].to_str().unwrap().to_string();
    let body: Value = resp.json().await.unwrap();
    assert_contract(&body, dialect);
    AgentSession {
        base: base.to_string(),
        http,
        auth,
        csrf,
        user: user.to_string(),
        dialect,
    }
}

impl AgentSession {
    /// POST `body` to `{base}{path}` with auth and CSRF; (HTTP status, JSON body).
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("JSON body"))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("authorization", &self.auth)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.expect("JSON body"))
    }

    /// Handshakes CometD and subscribes to `/v2/me/*`.
    pub async fn cometd(&self) -> BayeuxClient {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_str(&self.auth).unwrap());
        headers.insert("x-csrf-token", HeaderValue::from_str(&self.csrf).unwrap());
        let config = ClientConfig {
            endpoint: format!("{}/api/v2/notifications", self.base)
                .parse()
                .unwrap(),
            headers,
            request_timeout: Duration::from_secs(5),
            max_body_bytes: 1 << 20,
        };
        let client = BayeuxClient::handshake(self.http.clone(), config)
            .await
            .expect("CometD handshake");
        client
            .subscribe("/v2/me/*")
            .await
            .expect("subscribe /v2/me/*");
        client
    }
}

/// Provider-state call (no auth); (HTTP status, JSON body).
pub async fn provider_state(base: &str, body: &Value) -> (u16, Value) {
    // One client for all tests (building one costs ~20 ms); no idle pooling, so no connection
    // outlives the test runtime that opened it.
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    install_crypto();
    let client = CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap()
    });
    let resp = client
        .post(format!("{base}/conformance/states"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("JSON body"))
}

/// Offers an interaction of `media` to `user`; returns its id.
pub async fn offer(base: &str, media: &str, user: &str, customer: &str, text: &str) -> String {
    let (status, body) = provider_state(
        base,
        &json!({"state": "an interaction is offered to the agent", "action": "setup",
                "params": {"media": media, "user": user, "customer": customer, "text": text}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().expect("id").to_string()
}

/// Takes the next notification (arrival order) whose data mentions interaction `id`.
pub async fn next_for(inbox: &Inbox, id: &str) -> Notification {
    let needle = id.to_string();
    inbox
        .take(move |n| n.data.to_string().contains(&needle), WAIT)
        .await
        .unwrap_or_else(|e| panic!("waiting for a notification about {id}: {e}"))
}

/// Asserts that no notification mentioning `id` is in the inbox now.
pub fn assert_no_more(inbox: &Inbox, id: &str) {
    let left: Vec<_> = inbox
        .snapshot()
        .into_iter()
        .filter(|n| n.data.to_string().contains(id))
        .collect();
    assert!(left.is_empty(), "unexpected notifications: {left:#?}");
}

/// Validates `payload` against the schema the contract picks for it (strict for 2019).
pub fn assert_contract(payload: &Value, dialect: Dialect) {
    let mode = if dialect == Dialect::V2019 {
        gws_contract::Mode::Strict
    } else {
        gws_contract::Mode::Lenient
    };
    let schema = gws_contract::detect_schema(payload)
        .unwrap_or_else(|| panic!("no schema detected for {payload}"));
    if let Err(e) = gws_contract::validate(schema, payload, mode) {
        panic!("{payload:#} breaks the contract: {e}: {e:?}");
    }
}

/// The REST collection of `media` in `dialect`.
pub fn collection(media: &str, dialect: Dialect) -> &'static str {
    match (media, dialect) {
        ("chat", _) => "chats",
        ("facebooksession", Dialect::V2019) => "facebooksessions",
        ("facebooksession", Dialect::V2015) => "facebooksession",
        ("smssession", _) => "smssessions",
        _ => panic!("unknown media {media}"),
    }
}

pub fn resource_key(media: &str, dialect: Dialect) -> &'static str {
    match (media, dialect) {
        ("facebooksession", Dialect::V2019) => "facebooksessions",
        ("facebooksession", Dialect::V2015) => "facebooksession",
        ("chat", _) => "chat",
        _ => "smssession",
    }
}

pub fn topic(media: &str) -> &'static str {
    match media {
        "chat" => "/v2/me/chats",
        "facebooksession" => "/v2/me/facebooksession",
        _ => "/v2/me/smssessions",
    }
}

pub const ALL_MEDIA: [&str; 3] = ["chat", "facebooksession", "smssession"];
