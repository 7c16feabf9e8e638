//! The bare exchange of the benchmark (issue 6, measurement 3): the same Accept exchange the
//! runner's chat happy-path scenario makes, done with a bare `reqwest` client and a bare Bayeux
//! long-poll loop, with none of the runner's machinery (no cucumber, no schema validation, no
//! transcript, no report). It is the baseline the runner's per-exchange time is compared with.
//!
//! Wire traffic, as in target-contract sections 2 and 3: `GET /api/v2/me` (Basic, JSESSIONID,
//! CSRF token), CometD handshake + subscribe `/v2/me/*` + a connect loop, StartContactCenterSession
//! and Ready, then per exchange: provider-state setup, wait for the Invited StatusChange, POST
//! Accept, wait for StatusChange Chatting, ParticipantsUpdated and NewMessages, and (timed
//! separately) the provider-state teardown the runner also sends after each scenario.
//!
//! Deliberately minimal: the connect loop ignores `advice` (the reference server advises
//! `interval` 0 and answers a held connect as soon as a notification is queued) and stops at
//! the first failed round trip; every wait is bounded.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Bound on every request and every wait of the bare exchange.
pub const BOUND: Duration = Duration::from_secs(10);

/// Why the bare exchange could not be made (the benchmark then stops: its numbers would be
/// meaningless).
#[derive(Debug)]
pub struct BareError(pub String);

impl std::fmt::Display for BareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(what: impl Into<String>) -> BareError {
    BareError(what.into())
}

/// Times of one exchange.
#[derive(Clone, Copy, Debug)]
pub struct ExchangeTimes {
    /// Provider-state setup through the third Accept notification.
    pub exchange: Duration,
    /// The provider-state teardown round trip that follows.
    pub teardown: Duration,
}

/// A logged-in bare agent with its notification stream.
pub struct BareAgent {
    http: reqwest::Client,
    base: String,
    user: String,
    password: String,
    csrf: (HeaderName, HeaderValue),
    notes: mpsc::UnboundedReceiver<Result<Value, String>>,
    pending: Vec<Value>,
    connect_loop: tokio::task::JoinHandle<()>,
}

impl Drop for BareAgent {
    fn drop(&mut self) {
        self.connect_loop.abort();
    }
}

impl BareAgent {
    /// Logs in as `user` against `base` (`http://127.0.0.1:PORT`) and starts the connect loop.
    pub async fn login(base: &str, user: &str, password: &str) -> Result<Self, BareError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(BOUND + Duration::from_secs(30))
            .build()
            .map_err(|e| err(format!("building the HTTP client: {e}")))?;
        let me = http
            .get(format!("{base}/api/v2/me"))
            .basic_auth(user, Some(password))
            .send()
            .await
            .map_err(|e| err(format!("GET /api/v2/me: {e}")))?;
        let header = |n: &str| me.headers().get(n).cloned();
        let (Some(name), Some(token)) = (header("x-csrf-header"), header("x-csrf-token")) else {
            return Err(err("GET /api/v2/me issued no CSRF token"));
        };
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| err(format!("bad X-CSRF-HEADER: {e}")))?;
        let (tx, notes) = mpsc::unbounded_channel();
        let mut agent = Self {
            http,
            base: base.to_string(),
            user: user.to_string(),
            password: password.to_string(),
            csrf: (name, token),
            notes,
            pending: Vec::new(),
            connect_loop: tokio::spawn(async {}),
        };
        let cometd = format!("{base}/api/v2/notifications");
        let hs = agent
            .post(
                &cometd,
                &json!([{"channel": "/meta/handshake", "version": "1.0", "minimumVersion": "1.0",
                          "supportedConnectionTypes": ["long-polling"], "id": "1"}]),
            )
            .await?;
        let client_id = hs[0]["clientId"]
            .as_str()
            .ok_or_else(|| err(format!("handshake without clientId: {hs}")))?
            .to_string();
        let sub = agent
            .post(
                &cometd,
                &json!([{"channel": "/meta/subscribe", "clientId": client_id,
                          "subscription": "/v2/me/*", "id": "2"}]),
            )
            .await?;
        if sub[0]["successful"] != json!(true) {
            return Err(err(format!("subscribe refused: {sub}")));
        }
        agent.connect_loop = tokio::spawn(connect_loop(agent.requester(cometd), client_id, tx));
        agent
            .me_operation(
                "me",
                json!({"operationName": "StartContactCenterSession",
                       "channels": ["chat", "facebooksession", "smssession"]}),
            )
            .await?;
        for channel in ["chat", "facebooksession", "smssession"] {
            agent
                .me_operation(
                    &format!("me/channels/{channel}"),
                    json!({"operationName": "Ready"}),
                )
                .await?;
        }
        Ok(agent)
    }

    fn requester(&self, url: String) -> Requester {
        Requester {
            http: self.http.clone(),
            url,
            user: self.user.clone(),
            password: self.password.clone(),
            csrf: self.csrf.clone(),
        }
    }

    async fn post(&self, url: &str, body: &Value) -> Result<Value, BareError> {
        self.requester(url.to_string()).post(body, BOUND).await
    }

    async fn me_operation(&self, rel: &str, body: Value) -> Result<Value, BareError> {
        let reply = self
            .post(&format!("{}/api/v2/{rel}", self.base), &body)
            .await?;
        if reply["statusCode"] != json!(0) {
            return Err(err(format!("{rel} {body}: {reply}")));
        }
        Ok(reply)
    }

    /// Waits (bounded by [`BOUND`]) for the first notification `data` matching `pred`; others
    /// are kept for later waits.
    async fn wait(
        &mut self,
        what: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Result<Value, BareError> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return Ok(self.pending.remove(i));
        }
        let deadline = tokio::time::Instant::now() + BOUND;
        loop {
            match tokio::time::timeout_at(deadline, self.notes.recv()).await {
                Err(_) => return Err(err(format!("no {what} within {BOUND:?}"))),
                Ok(None) => return Err(err(format!("connect loop ended while awaiting {what}"))),
                Ok(Some(Err(e))) => return Err(err(format!("connect loop: {e}"))),
                Ok(Some(Ok(data))) if pred(&data) => return Ok(data),
                Ok(Some(Ok(data))) => self.pending.push(data),
            }
        }
    }

    /// One chat Accept exchange with customer `customer`, timed; then its teardown, timed apart.
    pub async fn accept_exchange(&mut self, customer: &str) -> Result<ExchangeTimes, BareError> {
        let states = format!("{}/conformance/states", self.base);
        let params = json!({"media": "chat", "user": self.user, "customer": customer,
                            "text": "Hello World"});
        let started = Instant::now();
        let setup = self
            .post(
                &states,
                &json!({"state": "an interaction is offered to the agent", "params": params,
                         "action": "setup"}),
            )
            .await?;
        let id = setup["id"]
            .as_str()
            .ok_or_else(|| err(format!("provider state answered no id: {setup}")))?
            .to_string();
        let state_change = |nt: &'static str, state: Option<&'static str>, id: String| {
            move |d: &Value| {
                d["notificationType"] == nt
                    && d["chat"]["id"] == id.as_str()
                    && state.is_none_or(|s| d["chat"]["state"] == s)
            }
        };
        self.wait(
            "Invited",
            state_change("StatusChange", Some("Invited"), id.clone()),
        )
        .await?;
        let reply = self
            .post(
                &format!("{}/api/v2/me/chats/{id}", self.base),
                &json!({"operationName": "Accept", "nickname": "Marat"}),
            )
            .await?;
        if reply["statusCode"] != json!(0) {
            return Err(err(format!("Accept answered {reply}")));
        }
        self.wait(
            "StatusChange Chatting",
            state_change("StatusChange", Some("Chatting"), id.clone()),
        )
        .await?;
        self.wait(
            "ParticipantsUpdated",
            state_change("ParticipantsUpdated", None, id.clone()),
        )
        .await?;
        let suffix = format!("/{id}");
        self.wait("NewMessages", |d| {
            d["notificationType"] == "NewMessages"
                && d["chatUri"].as_str().is_some_and(|u| u.ends_with(&suffix))
        })
        .await?;
        let exchange = started.elapsed();
        let t = Instant::now();
        self.post(
            &states,
            &json!({"state": "an interaction is offered to the agent", "params": params,
                     "action": "teardown"}),
        )
        .await?;
        Ok(ExchangeTimes {
            exchange,
            teardown: t.elapsed(),
        })
    }
}

/// What one POST needs (cloneable into the connect loop).
#[derive(Clone)]
struct Requester {
    http: reqwest::Client,
    url: String,
    user: String,
    password: String,
    csrf: (HeaderName, HeaderValue),
}

impl Requester {
    async fn post(&self, body: &Value, bound: Duration) -> Result<Value, BareError> {
        let resp = self
            .http
            .post(&self.url)
            .basic_auth(&self.user, Some(&self.password))
            .header(self.csrf.0.clone(), self.csrf.1.clone())
            .timeout(bound)
            .json(body)
            .send()
            .await
            .map_err(|e| err(format!("POST {}: {e}", self.url)))?;
        let status = resp.status();
        let v: Value = resp
            .json()
            .await
            .map_err(|e| err(format!("POST {}: body is not JSON: {e}", self.url)))?;
        if !status.is_success() {
            return Err(err(format!(
                "POST {} answered HTTP {status}: {v}",
                self.url
            )));
        }
        Ok(v)
    }
}

/// `/meta/connect` in a loop; every non-meta message's `data` goes to `tx`.
async fn connect_loop(
    req: Requester,
    client_id: String,
    tx: mpsc::UnboundedSender<Result<Value, String>>,
) {
    let mut n: u64 = 100;
    loop {
        n += 1;
        let body = json!([{"channel": "/meta/connect", "clientId": client_id,
                           "connectionType": "long-polling", "id": n.to_string()}]);
        // The hold is the server's advised timeout (25 s for the embedded server) plus margin.
        let batch = match req.post(&body, BOUND + Duration::from_secs(30)).await {
            Ok(Value::Array(b)) => b,
            Ok(other) => {
                let _ = tx.send(Err(format!("connect answered a non-array: {other}")));
                return;
            }
            Err(e) => {
                let _ = tx.send(Err(e.0));
                return;
            }
        };
        for m in batch {
            let channel = m["channel"].as_str().unwrap_or_default();
            if channel == "/meta/connect" {
                if m["successful"] != json!(true) {
                    let _ = tx.send(Err(format!("connect refused: {m}")));
                    return;
                }
            } else if !channel.starts_with("/meta/") {
                let data = m.get("data").cloned().unwrap_or(Value::Null);
                if tx.send(Ok(data)).is_err() {
                    return;
                }
            }
        }
    }
}
