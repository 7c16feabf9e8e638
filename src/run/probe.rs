//! A fresh HTTP session of a scenario's own, for the rules about the session itself
//! (authentication, CSRF, the `JSESSIONID` cookie, StartContactCenterSession and
//! EndContactCenterSession) and about the notification transport (raw Bayeux messages). Unlike
//! the run's shared agent session ([`super::session::AgentSession`]), each scenario builds its
//! own, so what it does (no credentials, a missing token, an ended session) touches no other
//! scenario. It uses the agent's HTTP client ([`super::agent::http_client`]: timeouts, TLS) and
//! body cap ([`super::agent::read_body`]), and keeps every answer whole (status, headers, body)
//! for the steps to judge.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

use super::agent::{self, AgentConfig, AgentError, Reply};

/// Whose credentials a probe sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// The configured user and password, as HTTP Basic.
    Right,
    /// The configured user with a password that is not its own.
    WrongPassword,
    /// No `Authorization` header at all.
    None,
}

/// One HTTP answer, kept whole.
#[derive(Clone, Debug)]
pub struct Answer {
    /// `METHOD url` (credentials removed).
    pub request: String,
    /// The URL (credentials removed).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body: its JSON, or (when it is not JSON) its text as a JSON string, cut to 500
    /// characters.
    pub body: Value,
}

impl Answer {
    /// The answer as a [`Reply`] (URL, status, body) for the transcript and the response steps.
    pub fn reply(&self) -> Reply {
        Reply {
            url: self.url.clone(),
            status: self.status,
            body: self.body.clone(),
        }
    }

    /// The values of every `Set-Cookie: JSESSIONID=...` of the answer.
    pub fn session_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| cookie_value(v, "JSESSIONID"))
            .collect()
    }

    /// The CSRF header name and token of the answer (`X-CSRF-HEADER`, `X-CSRF-TOKEN`), when
    /// both are present and the name is a valid header name.
    pub fn csrf(&self) -> Option<(HeaderName, HeaderValue)> {
        let name = self.headers.get("x-csrf-header")?.to_str().ok()?.trim();
        let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
        let mut token = self.headers.get("x-csrf-token")?.clone();
        if token.is_empty() {
            return None;
        }
        token.set_sensitive(true);
        Some((name, token))
    }
}

/// A password that is not `password` (for the wrong-credentials scenarios).
fn wrong_password(password: &str) -> String {
    format!("{password}-not-the-password")
}

/// `name`'s value in one `Set-Cookie` header value (`name=value; attributes`).
fn cookie_value(set_cookie: &str, name: &str) -> Option<String> {
    let (k, v) = set_cookie.split(';').next()?.split_once('=')?;
    (k.trim() == name).then(|| v.trim().to_string())
}

/// A fresh HTTP session: its own client (with or without a cookie store), its credentials, and
/// the CSRF token its last GET was given.
pub struct Probe {
    http: reqwest::Client,
    config: AgentConfig,
    api_root: Url,
    /// Which credentials it sends.
    pub credentials: Credentials,
    /// The CSRF header name and token of its last GET that carried them.
    pub csrf: Option<(HeaderName, HeaderValue)>,
    /// The `JSESSIONID` values the target set on this session so far.
    pub session_cookies: Vec<String>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("csrf", &self.csrf.as_ref().map(|(h, _)| h.as_str()))
            .finish_non_exhaustive()
    }
}

impl Probe {
    /// A fresh session as `config.user`; with `cookies` false it has no cookie store (it never
    /// sends `JSESSIONID` back).
    pub fn new(config: AgentConfig, cookies: bool) -> Result<Self, AgentError> {
        let http = agent::http_client(&config, cookies)?;
        // Its credentials, and every token and cookie the target gives it, never appear in output.
        config.secrets.add_basic(&config.user, &config.password);
        config
            .secrets
            .add_basic(&config.user, &wrong_password(&config.password));
        let mut api_root = config.target.clone();
        let _ = api_root.set_username("");
        let _ = api_root.set_password(None);
        let path = format!("{}/api/v2/", api_root.path().trim_end_matches('/'));
        api_root.set_path(&path);
        Ok(Self {
            http,
            config,
            api_root,
            credentials: Credentials::Right,
            csrf: None,
            session_cookies: Vec::new(),
        })
    }

    /// The user name this session logs in as.
    pub fn user(&self) -> &str {
        &self.config.user
    }

    /// Bound on every request.
    pub fn request_timeout(&self) -> Duration {
        self.config.request_timeout
    }

    /// `{target}/api/v2/{rel}`.
    pub fn api(&self, rel: &str) -> Url {
        self.api_root
            .join(rel.trim_start_matches('/'))
            .unwrap_or_else(|_| self.api_root.clone())
    }

    /// Sends one request to `{target}/api/v2/{rel}`: the session's credentials, the JSON `body`
    /// if any, and the header `csrf` (name, token) if given. `wait` bounds it (default: the
    /// request timeout). Any HTTP status is an answer; only a transport problem is an error.
    pub async fn send(
        &mut self,
        method: reqwest::Method,
        rel: &str,
        body: Option<&Value>,
        csrf: Option<&(HeaderName, HeaderValue)>,
        wait: Option<Duration>,
    ) -> Result<Answer, AgentError> {
        let url = self.api(rel);
        let shown = agent::redact(&url);
        let step = format!("{method} {shown}");
        let wait = wait.unwrap_or(self.config.request_timeout);
        let mut req = self.http.request(method.clone(), url).timeout(wait);
        match self.credentials {
            Credentials::Right => {
                req = req.basic_auth(&self.config.user, Some(&self.config.password));
            }
            Credentials::WrongPassword => {
                let wrong = wrong_password(&self.config.password);
                req = req.basic_auth(&self.config.user, Some(wrong));
            }
            Credentials::None => {}
        }
        if let Some((h, v)) = csrf {
            req = req.header(h.clone(), v.clone());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let mut resp = req.send().await.map_err(|e| {
            if e.is_timeout() {
                AgentError::Timeout {
                    step: step.clone(),
                    url: shown.clone(),
                    waited: wait,
                }
            } else {
                AgentError::Unreachable {
                    step: step.clone(),
                    url: shown.clone(),
                    detail: e.without_url().to_string(),
                }
            }
        })?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = agent::read_body(&step, &shown, &mut resp, wait).await?;
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            Value::String(super::verdict::one_line(
                &String::from_utf8_lossy(&bytes),
                500,
            ))
        });
        let answer = Answer {
            request: format!("{method} {shown}"),
            url: shown,
            status,
            headers,
            body,
        };
        for cookie in answer.session_cookies() {
            self.config.secrets.add(&cookie);
            self.session_cookies.push(cookie);
        }
        if let Some((_, token)) = answer.csrf() {
            self.config
                .secrets
                .add(&String::from_utf8_lossy(token.as_bytes()));
        }
        Ok(answer)
    }

    /// `GET /api/v2/me`; keeps the CSRF token it carries (target-contract section 2 step 1).
    pub async fn get_me(&mut self) -> Result<Answer, AgentError> {
        let answer = self
            .send(reqwest::Method::GET, "me", None, None, None)
            .await?;
        if let Some(csrf) = answer.csrf() {
            self.csrf = Some(csrf);
        }
        Ok(answer)
    }

    /// `POST /api/v2/{rel}` with `body` and the session's own CSRF token (if it has one).
    pub async fn post(&mut self, rel: &str, body: &Value) -> Result<Answer, AgentError> {
        let csrf = self.csrf.clone();
        self.send(reqwest::Method::POST, rel, Some(body), csrf.as_ref(), None)
            .await
    }

    /// One Bayeux request: `batch` (a JSON array of messages) POSTed to
    /// `{target}/api/v2/notifications` with the session's credentials and CSRF token, bounded by
    /// `hold` (how long the target may hold it, e.g. a `/meta/connect`) plus the request timeout.
    pub async fn bayeux(&mut self, batch: &Value, hold: Duration) -> Result<Answer, AgentError> {
        let csrf = self.csrf.clone();
        let wait = hold + self.config.request_timeout;
        self.send(
            reqwest::Method::POST,
            "notifications",
            Some(batch),
            csrf.as_ref(),
            Some(wait),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookies_are_read_from_set_cookie() {
        assert_eq!(
            cookie_value("JSESSIONID=ABC; Path=/; HttpOnly", "JSESSIONID").as_deref(),
            Some("ABC")
        );
        assert_eq!(cookie_value("BAYEUX_BROWSER=x", "JSESSIONID"), None);
        assert_eq!(cookie_value("garbage", "JSESSIONID"), None);
    }

    #[test]
    fn the_api_root_keeps_a_path_prefix_and_no_credentials() {
        let p = Probe::new(
            AgentConfig {
                target: Url::parse("http://u:pw@127.0.0.1:1/prefix").unwrap(),
                state_url: Url::parse("http://127.0.0.1:1/conformance/states").unwrap(),
                user: "u".into(),
                password: "pw".into(),
                request_timeout: Duration::from_secs(1),
                state_credentials: false,
                tls: Default::default(),
                secrets: Default::default(),
            },
            false,
        )
        .unwrap();
        assert_eq!(
            p.api("notifications").as_str(),
            "http://127.0.0.1:1/prefix/api/v2/notifications"
        );
        assert!(!format!("{p:?}").contains("\"pw\""));
    }
}
