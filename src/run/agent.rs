//! The agent's side of the wire: one shared HTTP client (cookie store, Basic auth, the CSRF token
//! echoed once the target issues one, a request timeout, a cap on response size), the Bayeux
//! client on top of it, and one small helper per protocol action of target-contract section 2
//! (login, StartContactCenterSession, Ready, operations, provider states, EndContactCenterSession).

use std::{sync::Arc, time::Duration};

use gws_bayeux::client::{BayeuxClient, BayeuxError, ClientConfig, Inbox};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};
use url::Url;

use super::redact::Secrets;

/// Channels activated by StartContactCenterSession and set Ready, one per media [INF: the
/// documentation names no FB/SMS channel, target-contract section 2 step 3].
pub const CHANNELS: [&str; 3] = ["chat", "facebooksession", "smssession"];

/// Largest response body the agent reads, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Where the agent talks to and as whom.
#[derive(Clone)]
pub struct AgentConfig {
    /// The target's base URL (`{target}/api/v2` is the API root). Userinfo is ignored.
    pub target: Url,
    /// The provider-state endpoint (target-contract section 3).
    pub state_url: Url,
    /// The agent's user name.
    pub user: String,
    /// The agent's password (never printed; `Debug` redacts it).
    pub password: String,
    /// Bound on every HTTP request and Bayeux meta round trip.
    pub request_timeout: Duration,
    /// Send the agent's `Authorization` and CSRF token to a provider-state URL on another
    /// origin than the target's too (`--state-credentials`). Off: such a URL gets neither
    /// (only the credentials of its own userinfo, if any); cookies never go there.
    pub state_credentials: bool,
    /// Trust anchors and verification (`--ca-cert`, `--insecure`).
    pub tls: TlsConfig,
    /// Where the secrets the target issues (CSRF token, cookie values) are recorded, so that
    /// no output shows them.
    pub secrets: Secrets,
}

/// TLS settings of the agent's HTTP client.
#[derive(Clone, Debug, Default)]
pub struct TlsConfig {
    /// Extra trust anchors (from `--ca-cert` PEM files), added to the platform's.
    pub ca_certs: Vec<reqwest::Certificate>,
    /// Accept any certificate (`--insecure`, for lab targets only).
    pub insecure: bool,
}

impl TlsConfig {
    /// Reads the PEM files of `--ca-cert`. Errors: one line naming the file and what is wrong.
    pub fn load(paths: &[std::path::PathBuf], insecure: bool) -> Result<Self, String> {
        let mut ca_certs = Vec::new();
        for p in paths {
            let pem = std::fs::read(p)
                .map_err(|e| format!("--ca-cert {}: cannot read it: {e}", p.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                format!("--ca-cert {}: not a PEM certificate file: {e}", p.display())
            })?;
            if certs.is_empty() {
                return Err(format!(
                    "--ca-cert {}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    p.display()
                ));
            }
            ca_certs.extend(certs);
        }
        Ok(Self { ca_certs, insecure })
    }
}

impl std::fmt::Debug for AgentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentConfig")
            .field("target", &redact(&self.target))
            .field("state_url", &redact(&self.state_url))
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

/// Why an exchange with the target could not be judged (harness problems, target-contract
/// section 1 exit status 2). Messages are one line and never carry the password.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AgentError {
    /// No HTTP answer at all (connection refused, DNS, timeout).
    #[error("{step}: {url} is unreachable: {detail}")]
    Unreachable {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// The transport error.
        detail: String,
    },
    /// An answer with an unexpected HTTP status.
    #[error("{step}: {url} answered HTTP {status}: {body}")]
    Status {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The body, one line, cut.
        body: String,
    },
    /// The body is not JSON (or not the JSON shape required).
    #[error("{step}: {url} answered a body that is not {wanted}: {body}")]
    NotJson {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// What was wanted (`JSON`, `a JSON object`).
        wanted: &'static str,
        /// The body, one line, cut.
        body: String,
    },
    /// No complete answer within the request timeout.
    #[error("{step}: {url} did not answer within {waited:?}")]
    Timeout {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// The request timeout.
        waited: Duration,
    },
    /// The body exceeds [`MAX_BODY_BYTES`].
    #[error("{step}: {url} answered more than {limit} bytes; stopped reading")]
    TooLarge {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// The cap in bytes.
        limit: usize,
    },
    /// The answer was JSON but said no (statusCode not 0 during login).
    #[error("{step}: {url} refused: {body}")]
    Refused {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// The body, one line, cut.
        body: String,
    },
    /// A redirect to another origin, not followed: the agent's credentials, cookies and CSRF
    /// token stay with the target.
    #[error(
        "{step}: {url} redirects {how} ({location}); not followed: the agent's credentials, cookies and CSRF token go only to the target's origin{hint}"
    )]
    Redirected {
        /// The protocol step.
        step: String,
        /// The URL, credentials removed.
        url: String,
        /// `to another origin` or `from http to https`.
        how: &'static str,
        /// Where to, credentials removed.
        location: String,
        /// What to do about it, empty or starting with `; `.
        hint: String,
    },
    /// The client's own protocol sequence broke (e.g. no notification inbox after login).
    #[error("{0}")]
    Protocol(String),
    /// A Bayeux (CometD) exchange failed.
    #[error("{step}: {source}")]
    Bayeux {
        /// The protocol step.
        step: String,
        /// The Bayeux client's error.
        source: BayeuxError,
    },
}

impl AgentError {
    /// The error class shown as the JUnit `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unreachable { .. } => "TargetUnreachable",
            Self::Status { .. } => "HttpStatus",
            Self::NotJson { .. } => "ResponseNotJson",
            Self::Timeout { .. } => "RequestTimeout",
            Self::TooLarge { .. } => "ResponseTooLarge",
            Self::Refused { .. } => "Refused",
            Self::Redirected { .. } => "Redirected",
            Self::Bayeux { .. } => "BayeuxTransport",
            Self::Protocol(_) => "ProtocolError",
        }
    }
}

/// A transport error as an [`AgentError`]: a timeout as [`AgentError::Timeout`], anything else
/// as [`AgentError::Unreachable`].
fn transport(step: &str, url: &str, e: &reqwest::Error, timeout: Duration) -> AgentError {
    if e.is_timeout() {
        AgentError::Timeout {
            step: step.to_string(),
            url: url.to_string(),
            waited: timeout,
        }
    } else {
        AgentError::Unreachable {
            step: step.to_string(),
            url: url.to_string(),
            detail: tls_sentence(e, url).unwrap_or_else(|| error_chain(e)),
        }
    }
}

/// A TLS failure in `e` as one plain sentence with what to do, `None` when `e` is not one.
fn tls_sentence(e: &reqwest::Error, url: &str) -> Option<String> {
    let at = Url::parse(url)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
        .unwrap_or_else(|| url.to_string());
    // The rustls error is boxed inside the connector's error, out of reach of downcasting;
    // its text (rustls' Display) names the case.
    let text = error_chain(e);
    let has = |needle: &str| text.contains(needle);
    const TRUST: &str = "pass --ca-cert PATH with the PEM certificate of its authority, or --insecure for a lab target";
    if has("CaUsedAsEndEntity") {
        Some(format!(
            "the certificate of {at} is self-signed (a CA certificate used as the server's) and not trusted; {TRUST}"
        ))
    } else if has("invalid peer certificate: UnknownIssuer") {
        Some(format!(
            "the certificate of {at} is not signed by a trusted authority (self-signed or an unknown issuer); {TRUST}"
        ))
    } else if has("invalid peer certificate: Expired") {
        Some(format!(
            "the certificate of {at} has expired; renew it, or pass --insecure for a lab target"
        ))
    } else if has("invalid peer certificate: NotValidForName") {
        Some(format!(
            "the certificate of {at} is not valid for that name; use the name it was issued for, or --insecure for a lab target"
        ))
    } else if has("invalid peer certificate") {
        Some(format!(
            "the certificate of {at} is not accepted ({}); {TRUST}",
            text.rsplit("invalid peer certificate: ")
                .next()
                .unwrap_or_default()
        ))
    } else if has("received corrupt message") || has("InvalidContentType") {
        Some(format!(
            "{at} does not speak TLS (a plain-HTTP server?); use an http:// URL for it"
        ))
    } else {
        None
    }
}

/// The redirect policy of every client: follow at most 10 redirects, and none to another
/// origin (scheme, host, port) than the request's: the 3xx answer is then returned as is and
/// reported ([`AgentError::Redirected`]), so no credential, cookie or CSRF token follows.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(Url::origin);
        if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else if first.is_some_and(|o| o != attempt.url().origin()) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// The userinfo of `url` (percent-decoded), removed from it.
fn take_userinfo(url: &mut Url) -> Option<(String, Option<String>)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let user = decode(url.username());
    let password = url.password().map(decode);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Some((user, password))
}

/// One HTTP answer: status and JSON body.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The URL requested (credentials removed).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

/// A logged-in agent: HTTP session, CSRF token, Bayeux client subscribed to `/v2/me/*`.
pub struct AgentClient {
    http: reqwest::Client,
    /// For a provider-state URL on another origin: no cookie store.
    state_http: Option<reqwest::Client>,
    jar: Arc<reqwest::cookie::Jar>,
    config: AgentConfig,
    api_root: Url,
    csrf: Option<(HeaderName, HeaderValue)>,
    bayeux: Option<BayeuxClient>,
}

impl std::fmt::Debug for AgentClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("config", &self.config)
            .field("csrf", &self.csrf.as_ref().map(|(h, _)| h.as_str()))
            .field("bayeux", &self.bayeux.is_some())
            .finish()
    }
}

/// `url` as text without username and password.
pub fn redact(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

/// `base` with a trailing slash, so `join("api/v2/me")` keeps its path prefix.
fn with_slash(base: &Url) -> Url {
    let mut u = base.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u
}

impl AgentClient {
    /// Builds the HTTP client (no request yet). The rustls provider is installed here.
    ///
    /// When the target and the provider-state URL are both `http://`, the client trusts no
    /// certificate root at all instead of loading the platform's roots (`/etc/ssl/certs`, about
    /// 4 ms): no request of the run needs TLS, and an `https://` URL reached anyway (a redirect)
    /// fails with a certificate error instead of being trusted.
    pub fn new(config: AgentConfig) -> Result<Self, AgentError> {
        let built = |b: reqwest::ClientBuilder| {
            b.build().map_err(|e| AgentError::Unreachable {
                step: "building the HTTP client".into(),
                url: redact(&config.target),
                detail: error_chain(&e),
            })
        };
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = built(http_builder(&config).cookie_provider(Arc::clone(&jar)))?;
        let state_http = if config.state_url.origin() == config.target.origin() {
            None
        } else {
            Some(built(http_builder(&config))?)
        };
        config.secrets.add_basic(&config.user, &config.password);
        let api_root = with_slash(&config.target)
            .join("api/v2/")
            .expect("static relative path joins");
        Ok(Self {
            http,
            state_http,
            jar,
            config,
            api_root,
            csrf: None,
            bayeux: None,
        })
    }

    /// Records the values of the cookies the target set (the session cookie, JSESSIONID) as
    /// secrets.
    fn learn_cookie_secrets(&self) {
        use reqwest::cookie::CookieStore as _;
        let Some(header) = self.jar.cookies(&self.api_root) else {
            return;
        };
        for pair in header.to_str().unwrap_or_default().split(';') {
            if let Some((_, value)) = pair.split_once('=') {
                self.config.secrets.add(value.trim());
            }
        }
    }

    /// The configuration (password included: never print it).
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// `{target}/api/v2/{rel}`.
    pub fn api(&self, rel: &str) -> Url {
        self.api_root
            .join(rel.trim_start_matches('/'))
            .unwrap_or_else(|_| self.api_root.clone())
    }

    /// The Basic `Authorization` header value, marked sensitive.
    fn authorization(&self) -> Option<HeaderValue> {
        let req = self
            .http
            .get(self.api_root.clone())
            .basic_auth(&self.config.user, Some(&self.config.password))
            .build()
            .ok()?;
        let mut v = req.headers().get(reqwest::header::AUTHORIZATION)?.clone();
        v.set_sensitive(true);
        Some(v)
    }

    /// Sends one request and reads a JSON body (any HTTP status), capped at [`MAX_BODY_BYTES`].
    async fn send(
        &self,
        step: &str,
        method: reqwest::Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Reply, AgentError> {
        let shown = redact(&url);
        let mut url = url;
        // Credentials go only to the target's origin: the agent's Basic auth and CSRF token,
        // and (one client) its cookies. Another origin gets the credentials of its own
        // userinfo, if any, and the agent's only when `state_credentials` says so.
        let own = take_userinfo(&mut url);
        let to_target = url.origin() == self.config.target.origin();
        let agents = to_target || self.config.state_credentials;
        let client = match &self.state_http {
            Some(c) if !to_target => c,
            _ => &self.http,
        };
        let mut req = client.request(method.clone(), url);
        match own {
            Some((user, password)) => req = req.basic_auth(user, password),
            None if agents => {
                req = req.basic_auth(&self.config.user, Some(&self.config.password));
            }
            None => {}
        }
        if agents
            && method != reqwest::Method::GET
            && let Some((h, v)) = &self.csrf
        {
            req = req.header(h.clone(), v.clone());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let timeout = self.config.request_timeout;
        let resp = req
            .send()
            .await
            .map_err(|e| transport(step, &shown, &e, timeout))?;
        read_reply(step, shown, resp, timeout).await
    }

    /// POSTs `body` to `url` and returns the answer (any HTTP status with a JSON body).
    pub async fn post(&self, step: &str, url: Url, body: &Value) -> Result<Reply, AgentError> {
        self.send(step, reqwest::Method::POST, url, Some(body))
            .await
    }

    /// GETs `url` and returns the answer (any HTTP status with a JSON body).
    pub async fn get(&self, step: &str, url: Url) -> Result<Reply, AgentError> {
        self.send(step, reqwest::Method::GET, url, None).await
    }

    /// Target-contract section 2 step 1: `GET /api/v2/me`; keeps cookies and the CSRF token.
    pub async fn get_me(&mut self) -> Result<Reply, AgentError> {
        let step = "login (GET /api/v2/me)";
        let url = self.api("me");
        let shown = redact(&url);
        let resp = self
            .http
            .get(url.clone())
            .basic_auth(&self.config.user, Some(&self.config.password))
            .send()
            .await
            .map_err(|e| transport(step, &shown, &e, self.config.request_timeout))?;
        let headers = resp.headers().clone();
        if let (Some(name), Some(token)) =
            (headers.get("x-csrf-header"), headers.get("x-csrf-token"))
        {
            let name = name
                .to_str()
                .ok()
                .and_then(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok());
            if let Some(name) = name {
                self.config
                    .secrets
                    .add(token.to_str().unwrap_or_default().trim());
                let mut token = token.clone();
                token.set_sensitive(true);
                self.csrf = Some((name, token));
            }
        }
        self.learn_cookie_secrets();
        let reply = read_reply(step, shown, resp, self.config.request_timeout).await?;
        if !(200..300).contains(&reply.status) {
            return Err(AgentError::Status {
                step: step.into(),
                url: reply.url,
                status: reply.status,
                body: crate::run::verdict::compact(&reply.body, 200),
            });
        }
        Ok(reply)
    }

    /// Whether the target issued a CSRF token at login.
    pub fn csrf_header(&self) -> Option<&str> {
        self.csrf.as_ref().map(|(h, _)| h.as_str())
    }

    /// Target-contract section 2 step 2: handshake and subscribe to `/v2/me/*`.
    pub async fn connect_notifications(&mut self) -> Result<(), AgentError> {
        let mut headers = HeaderMap::new();
        if let Some(auth) = self.authorization() {
            headers.insert(reqwest::header::AUTHORIZATION, auth);
        }
        if let Some((h, v)) = &self.csrf {
            headers.insert(h.clone(), v.clone());
        }
        let config = ClientConfig {
            endpoint: self.api("notifications"),
            headers,
            request_timeout: self.config.request_timeout,
            max_body_bytes: MAX_BODY_BYTES,
        };
        // Each notification is filed under the interaction it names (one mailbox per
        // interaction), so a step waits only on its own interaction's notifications and every
        // mailbox is bounded (gws_bayeux::inbox::InboxLimits::DEFAULT).
        let router: gws_bayeux::inbox::Router =
            std::sync::Arc::new(|_channel: &str, data: &serde_json::Value| {
                crate::run::expect::interaction_of(data)
            });
        let inbox = Inbox::with_router(router, gws_bayeux::inbox::InboxLimits::DEFAULT);
        let client = BayeuxClient::handshake_with_inbox(self.http.clone(), config, inbox)
            .await
            .map_err(|source| AgentError::Bayeux {
                step: "CometD handshake".into(),
                source,
            })?;
        client
            .subscribe("/v2/me/*")
            .await
            .map_err(|source| AgentError::Bayeux {
                step: "CometD subscribe to /v2/me/*".into(),
                source,
            })?;
        self.bayeux = Some(client);
        self.learn_cookie_secrets();
        Ok(())
    }

    /// A POST to `/api/v2/me...` during login that must answer `statusCode` 0.
    async fn me_operation(&self, step: &str, rel: &str, body: Value) -> Result<Reply, AgentError> {
        let reply = self.post(step, self.api(rel), &body).await?;
        if !(200..300).contains(&reply.status) {
            return Err(AgentError::Status {
                step: step.into(),
                url: reply.url,
                status: reply.status,
                body: crate::run::verdict::compact(&reply.body, 200),
            });
        }
        if reply.body.get("statusCode").and_then(Value::as_i64) != Some(0) {
            return Err(AgentError::Refused {
                step: step.into(),
                url: reply.url,
                body: crate::run::verdict::compact(&reply.body, 200),
            });
        }
        Ok(reply)
    }

    /// Target-contract section 2 step 3: StartContactCenterSession with [`CHANNELS`].
    pub async fn start_contact_center_session(&self) -> Result<Reply, AgentError> {
        self.me_operation(
            "StartContactCenterSession",
            "me",
            json!({"operationName": "StartContactCenterSession", "channels": CHANNELS}),
        )
        .await
    }

    /// Target-contract section 2 step 3: `POST /api/v2/me/channels/{channel}` Ready.
    pub async fn ready(&self, channel: &str) -> Result<Reply, AgentError> {
        self.me_operation(
            &format!("Ready on channel {channel}"),
            &format!("me/channels/{channel}"),
            json!({"operationName": "Ready"}),
        )
        .await
    }

    /// The whole login of target-contract section 2, steps 1–3.
    pub async fn login(&mut self) -> Result<(), AgentError> {
        let me = self.get_me().await?;
        if me.body.get("statusCode").and_then(Value::as_i64) != Some(0) {
            return Err(AgentError::Refused {
                step: "login (GET /api/v2/me)".into(),
                url: me.url,
                body: crate::run::verdict::compact(&me.body, 200),
            });
        }
        self.connect_notifications().await?;
        self.start_contact_center_session().await?;
        for channel in CHANNELS {
            self.ready(channel).await?;
        }
        Ok(())
    }

    /// An operation on an interaction: `POST /api/v2/me/{collection}/{id}` with `body`.
    pub async fn operate(
        &self,
        collection: &str,
        id: &str,
        body: &Value,
    ) -> Result<Reply, AgentError> {
        let op = body
            .get("operationName")
            .and_then(Value::as_str)
            .unwrap_or("operation");
        let url = self.api(&format!("me/{collection}/{}", urlencode_segment(id)));
        self.post(&format!("{op} on /api/v2/me/{collection}/{id}"), url, body)
            .await
    }

    /// Target-contract section 3: a provider-state `setup` or `teardown`. The answer must be 2xx
    /// with a JSON object; anything else is an error.
    pub async fn provider_state(
        &self,
        action: &str,
        state: &str,
        params: &Value,
    ) -> Result<serde_json::Map<String, Value>, AgentError> {
        let step = format!("provider state {action} \"{state}\"");
        let body = json!({"state": state, "params": params, "action": action});
        let reply = self
            .post(&step, self.config.state_url.clone(), &body)
            .await?;
        if !(200..300).contains(&reply.status) {
            return Err(AgentError::Status {
                step,
                url: reply.url,
                status: reply.status,
                body: crate::run::verdict::compact(&reply.body, 200),
            });
        }
        match reply.body {
            Value::Object(map) => Ok(map),
            other => Err(AgentError::NotJson {
                step,
                url: reply.url,
                wanted: "a JSON object",
                body: crate::run::verdict::compact(&other, 200),
            }),
        }
    }

    /// Provider-state setup (see [`AgentClient::provider_state`]).
    pub async fn provider_state_setup(
        &self,
        state: &str,
        params: &Value,
    ) -> Result<serde_json::Map<String, Value>, AgentError> {
        self.provider_state("setup", state, params).await
    }

    /// Provider-state teardown (see [`AgentClient::provider_state`]).
    pub async fn provider_state_teardown(
        &self,
        state: &str,
        params: &Value,
    ) -> Result<serde_json::Map<String, Value>, AgentError> {
        self.provider_state("teardown", state, params).await
    }

    /// Target-contract section 2 step 4: `/meta/disconnect`, then EndContactCenterSession, last
    /// because it "also invalidates the client HTTP session"
    /// (<https://docs.genesys.com/Documentation/HTCC/8.5.2/API/EndContactCenterSession>).
    pub async fn end_contact_center_session(&self) -> Result<(), AgentError> {
        let disconnected = match &self.bayeux {
            Some(b) => b.disconnect().await.map_err(|source| AgentError::Bayeux {
                step: "CometD disconnect".into(),
                source,
            }),
            None => Ok(()),
        };
        self.me_operation(
            "EndContactCenterSession",
            "me",
            json!({"operationName": "EndContactCenterSession"}),
        )
        .await?;
        disconnected
    }

    /// The notification inbox (`None` before [`AgentClient::connect_notifications`]).
    pub fn inbox(&self) -> Option<Inbox> {
        self.bayeux.as_ref().map(BayeuxClient::inbox)
    }
}

/// The builder of the agent's HTTP clients for `config` ([`AgentClient::new`] builds its own with
/// it; scenarios that need a fresh HTTP session build another): the request timeout, same-origin
/// redirects only, and the TLS settings (`--ca-cert`, `--insecure`; when the target and the
/// provider-state URL are both `http://`, no certificate root at all, see [`AgentClient::new`]).
/// The rustls provider is installed here.
pub fn http_builder(config: &AgentConfig) -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = reqwest::Client::builder()
        .timeout(config.request_timeout)
        .connect_timeout(config.request_timeout)
        .redirect(same_origin_redirects());
    if config.tls.insecure {
        b = b.tls_danger_accept_invalid_certs(true);
    } else if config.target.scheme() == "http"
        && config.state_url.scheme() == "http"
        && config.tls.ca_certs.is_empty()
    {
        b = b.tls_certs_only(Vec::<reqwest::Certificate>::new());
    } else if !config.tls.ca_certs.is_empty() {
        b = b.tls_certs_merge(config.tls.ca_certs.iter().cloned());
    }
    b
}

/// A fresh HTTP client for `config` ([`http_builder`]), with a cookie store (`JSESSIONID`) when
/// `cookies`.
pub fn http_client(config: &AgentConfig, cookies: bool) -> Result<reqwest::Client, AgentError> {
    http_builder(config)
        .cookie_store(cookies)
        .build()
        .map_err(|e| AgentError::Unreachable {
            step: "building the HTTP client".into(),
            url: redact(&config.target),
            detail: error_chain(&e),
        })
}

/// Reads a response body (any HTTP status), at most [`MAX_BODY_BYTES`]: more is
/// [`AgentError::TooLarge`], a broken or slow body a transport error naming `shown`.
pub async fn read_body(
    step: &str,
    shown: &str,
    resp: &mut reqwest::Response,
    timeout: Duration,
) -> Result<Vec<u8>, AgentError> {
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(AgentError::TooLarge {
                        step: step.into(),
                        url: shown.to_string(),
                        limit: MAX_BODY_BYTES,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(e) => return Err(transport(step, shown, &e, timeout)),
        }
    }
}

/// Reads a JSON body (any HTTP status) capped at [`MAX_BODY_BYTES`]; a non-JSON body is an
/// error naming the URL.
async fn read_reply(
    step: &str,
    shown: String,
    mut resp: reqwest::Response,
    timeout: Duration,
) -> Result<Reply, AgentError> {
    let status = resp.status().as_u16();
    if resp.status().is_redirection()
        && let Some(to) = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| resp.url().join(l).ok())
    {
        let from = resp.url();
        let upgrade =
            from.scheme() == "http" && to.scheme() == "https" && from.host_str() == to.host_str();
        let (how, hint) = if upgrade {
            (
                "from http to https",
                "; give the https:// URL itself (--target https://...)".to_string(),
            )
        } else {
            ("to another origin", String::new())
        };
        return Err(AgentError::Redirected {
            step: step.into(),
            url: shown,
            how,
            location: redact(&to),
            hint,
        });
    }
    let bytes = read_body(step, &shown, &mut resp, timeout).await?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => Ok(Reply {
            url: shown,
            status,
            body: v,
        }),
        Err(_) => {
            let text = String::from_utf8_lossy(&bytes);
            if (200..300).contains(&status) {
                Err(AgentError::NotJson {
                    step: step.into(),
                    url: shown,
                    wanted: "JSON",
                    body: crate::run::verdict::one_line(&text, 200),
                })
            } else {
                Err(AgentError::Status {
                    step: step.into(),
                    url: shown,
                    status,
                    body: crate::run::verdict::one_line(&text, 200),
                })
            }
        }
    }
}

/// Percent-encodes one path segment (interaction ids are opaque).
fn urlencode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The error and its sources on one line (reqwest hides the useful part in `source()`).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_strips_userinfo() {
        let u = Url::parse("http://agent1:secret1@127.0.0.1:8080/gws").unwrap();
        let shown = redact(&u);
        assert_eq!(shown, "http://127.0.0.1:8080/gws");
        assert!(!shown.contains("secret1"));
    }

    #[test]
    fn api_root_keeps_a_path_prefix() {
        let cfg = AgentConfig {
            target: Url::parse("http://127.0.0.1:1/prefix").unwrap(),
            state_url: Url::parse("http://127.0.0.1:1/conformance/states").unwrap(),
            user: "u".into(),
            password: "p".into(),
            request_timeout: Duration::from_secs(1),
            state_credentials: false,
            tls: TlsConfig::default(),
            secrets: Secrets::default(),
        };
        let a = AgentClient::new(cfg).unwrap();
        assert_eq!(
            a.api("me/chats/x").as_str(),
            "http://127.0.0.1:1/prefix/api/v2/me/chats/x"
        );
        assert_eq!(
            a.api("notifications").as_str(),
            "http://127.0.0.1:1/prefix/api/v2/notifications"
        );
        let dbg = format!("{a:?}");
        assert!(!dbg.contains("\"p\""), "{dbg}");
    }

    #[test]
    fn the_client_builds_for_http_and_https_targets() {
        for (target, state) in [
            (
                "http://127.0.0.1:1/",
                "http://127.0.0.1:1/conformance/states",
            ),
            (
                "https://127.0.0.1:1/",
                "https://127.0.0.1:1/conformance/states",
            ),
            (
                "http://127.0.0.1:1/",
                "https://127.0.0.1:2/conformance/states",
            ),
        ] {
            let cfg = AgentConfig {
                target: Url::parse(target).unwrap(),
                state_url: Url::parse(state).unwrap(),
                user: "u".into(),
                password: "p".into(),
                request_timeout: Duration::from_secs(1),
                state_credentials: false,
                tls: TlsConfig::default(),
                secrets: Secrets::default(),
            };
            let a = AgentClient::new(cfg);
            assert!(a.is_ok(), "{target} / {state}: {:?}", a.err());
        }
    }

    #[test]
    fn segment_encoding() {
        assert_eq!(urlencode_segment("0000Na9B26EF002X"), "0000Na9B26EF002X");
        assert_eq!(urlencode_segment("a/b c"), "a%2Fb%20c");
    }
}
