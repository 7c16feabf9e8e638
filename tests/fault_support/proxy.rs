//! A small scripted HTTP proxy for the transport cases: it listens on 127.0.0.1:0 and passes
//! every request to an upstream (the in-process reference server) unchanged, except what its
//! [`Hook`] alters. Helpers parse and rewrite Bayeux (CometD) batches so a hook can drop,
//! repeat or change notifications, answer a `/meta/connect` itself, or hold a response.

use std::{future::Future, net::SocketAddr, pin::Pin, sync::Arc};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::Value;
use tokio::sync::watch;

/// A request as the proxy received it.
#[derive(Clone, Debug)]
pub struct ProxyRequest {
    /// HTTP method.
    pub method: Method,
    /// Path and query, e.g. `/api/v2/me/chats/0001`.
    pub path: String,
    /// Headers as sent by the suite (Basic auth, cookies, CSRF header).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl ProxyRequest {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    /// Whether this is a POST to the CometD endpoint.
    pub fn is_bayeux(&self) -> bool {
        self.method == Method::POST && self.path.starts_with("/api/v2/notifications")
    }
    /// The Bayeux channels of the batch (`/meta/connect`, ...), empty when not Bayeux.
    pub fn bayeux_channels(&self) -> Vec<String> {
        if !self.is_bayeux() {
            return Vec::new();
        }
        batch(&self.json())
            .iter()
            .filter_map(|m| m.get("channel").and_then(Value::as_str).map(str::to_string))
            .collect()
    }
    /// Whether the batch holds a message on `channel`.
    pub fn has_channel(&self, channel: &str) -> bool {
        self.bayeux_channels().iter().any(|c| c == channel)
    }
    /// The operation posted to an interaction: `(collection, id, operationName)` for
    /// `POST /api/v2/me/{collection}/{id}`.
    pub fn operation(&self) -> Option<(String, String, String)> {
        if self.method != Method::POST {
            return None;
        }
        let rest = self.path.strip_prefix("/api/v2/me/")?;
        let mut parts = rest.split('/');
        let (collection, id) = (parts.next()?, parts.next()?);
        if parts.next().is_some() || collection == "channels" {
            return None;
        }
        let op = self.json().get("operationName")?.as_str()?.to_string();
        Some((collection.to_string(), id.to_string(), op))
    }
    /// Whether this is a provider-state call with `action` (`setup` or `teardown`).
    pub fn is_provider_state(&self, action: &str) -> bool {
        self.method == Method::POST
            && self.path.starts_with("/conformance/states")
            && self.json().get("action").and_then(Value::as_str) == Some(action)
    }
}

/// An upstream answer, read in full.
#[derive(Clone, Debug)]
pub struct Forwarded {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers, hop-by-hop and length headers removed.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Forwarded {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    /// The same answer with a JSON body.
    pub fn with_json(mut self, v: &Value) -> Self {
        self.body = Bytes::from(v.to_string());
        self
    }
    /// As an axum response.
    pub fn into_response(self) -> Response {
        let mut r = Response::new(Body::from(self.body));
        *r.status_mut() = self.status;
        *r.headers_mut() = self.headers;
        r
    }
}

/// Passes requests to the upstream server.
#[derive(Clone)]
pub struct Upstream {
    client: reqwest::Client,
    base: String,
}

const HOP: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
];

impl Upstream {
    /// Sends `req` upstream unchanged and reads the whole answer; a 502 answer when the
    /// upstream cannot be reached.
    pub async fn forward(&self, req: &ProxyRequest) -> Forwarded {
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in &req.headers {
            if !HOP.contains(&k.as_str()) {
                headers.append(k.clone(), v.clone());
            }
        }
        let sent = self
            .client
            .request(req.method.clone(), format!("{}{}", self.base, req.path))
            .headers(headers)
            .body(req.body.clone())
            .send()
            .await;
        let resp = match sent {
            Ok(r) => r,
            Err(e) => return bad_gateway(&e.to_string()),
        };
        let status = resp.status();
        let mut out = HeaderMap::new();
        for (k, v) in resp.headers() {
            if !HOP.contains(&k.as_str()) {
                out.append(k.clone(), v.clone());
            }
        }
        match resp.bytes().await {
            Ok(body) => Forwarded {
                status,
                headers: out,
                body,
            },
            Err(e) => bad_gateway(&e.to_string()),
        }
    }
}

fn bad_gateway(why: &str) -> Forwarded {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    Forwarded {
        status: StatusCode::BAD_GATEWAY,
        headers,
        body: Bytes::from(format!("proxy: upstream failed: {why}")),
    }
}

/// What a hook gets: the upstream and a signal that fires when the proxy shuts down (hooks that
/// hold a request wait on it, so nothing outlives the test).
#[derive(Clone)]
pub struct Ctx {
    /// The upstream server.
    pub upstream: Upstream,
    shutdown: watch::Receiver<bool>,
}

impl Ctx {
    /// Resolves when the proxy shuts down.
    pub async fn shutdown(&self) {
        let mut rx = self.shutdown.clone();
        let _ = rx.wait_for(|down| *down).await;
    }
}

/// The boxed future a hook returns.
pub type HookFuture = Pin<Box<dyn Future<Output = Response> + Send>>;
/// Decides the answer to each request.
pub type Hook = Arc<dyn Fn(Ctx, ProxyRequest) -> HookFuture + Send + Sync>;

/// A running proxy.
pub struct Proxy {
    base_url: String,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream_base` (e.g. `http://127.0.0.1:4000`) answering with `hook`.
    pub async fn start(upstream_base: &str, hook: Hook) -> Proxy {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .build()
            .expect("proxy HTTP client");
        let (tx, rx) = watch::channel(false);
        let ctx = Ctx {
            upstream: Upstream {
                client,
                base: upstream_base.trim_end_matches('/').to_string(),
            },
            shutdown: rx,
        };
        let app = Router::new()
            .fallback(handle)
            .with_state((ctx.clone(), hook));
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("proxy binds 127.0.0.1:0");
        let addr = listener.local_addr().expect("proxy address");
        let mut down = ctx.shutdown.clone();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = down.wait_for(|d| *d).await;
                })
                .await;
        });
        Proxy {
            base_url: format!("http://{addr}"),
            shutdown: tx,
            task,
        }
    }

    /// `http://127.0.0.1:port`: the `--target` of the run.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Releases every held request and stops the proxy (bounded: 2 s, then aborted).
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if tokio::time::timeout(std::time::Duration::from_secs(2), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

async fn handle(State((ctx, hook)): State<(Ctx, Hook)>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, 64 * 1024 * 1024).await {
        Ok(b) => b,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let req = ProxyRequest {
        method: parts.method,
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string()),
        headers: parts.headers,
        body,
    };
    hook(ctx, req).await
}

/// Builds a [`Hook`] from an async closure.
pub fn hook<F, Fut>(f: F) -> Hook
where
    F: Fn(Ctx, ProxyRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    Arc::new(move |ctx, req| Box::pin(f(ctx, req)))
}

/// The hook that changes nothing.
pub fn pass_through() -> Hook {
    hook(
        |ctx: Ctx, req: ProxyRequest| async move { ctx.upstream.forward(&req).await.into_response() },
    )
}

/// A Bayeux batch as a list of messages (a single object counts as a batch of one).
pub fn batch(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::Object(_) => vec![v.clone()],
        _ => Vec::new(),
    }
}

/// Whether a Bayeux message is a notification (not on a `/meta/` channel, with `data`).
pub fn is_notification(m: &Value) -> bool {
    m.get("channel")
        .and_then(Value::as_str)
        .is_some_and(|c| !c.starts_with("/meta/"))
        && m.get("data").is_some()
}

/// An answer with `status`, content type `content_type` and `body`.
pub fn respond(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut r = Response::new(Body::from(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// The `/meta/connect` message of a request, if it holds one.
pub fn connect_of(req: &ProxyRequest) -> Option<Value> {
    batch(&req.json())
        .into_iter()
        .find(|m| m.get("channel") == Some(&serde_json::json!("/meta/connect")))
}

/// A reply to `connect` on its channel with its `id` and `clientId`, plus `fields`.
pub fn connect_reply(connect: &Value, fields: Value) -> Response {
    let mut reply = serde_json::json!({"channel": "/meta/connect"});
    for k in ["id", "clientId"] {
        if let Some(v) = connect.get(k) {
            reply[k] = v.clone();
        }
    }
    if let (Some(reply), Value::Object(fields)) = (reply.as_object_mut(), fields) {
        reply.extend(fields);
    }
    respond(
        200,
        "application/json",
        serde_json::json!([reply]).to_string(),
    )
}
