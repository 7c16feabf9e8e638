//! Authentication as documented: HTTP Basic on every `/api/v2` request (CometD included), the
//! `JSESSIONID` session cookie, and CSRF protection
//! (<https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/CSRFProtection>:
//! every GET answers `X-CSRF-HEADER: X-CSRF-TOKEN` and `X-CSRF-TOKEN: <uuid>` bound to the session;
//! POST/PUT/DELETE without that token get HTTP 403 "Missing or invalid Csrf token").
//! Also owns the agent directory (`agent1`/`secret1`, `agent2`/`secret2`).

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use cookie::Cookie;
use headers::{Authorization, HeaderMapExt as _, authorization::Basic};

use crate::{AppState, Mutation, error::ApiError, shard::Sharded};

/// One agent the server knows. The password is only compared, never printed.
#[derive(Clone)]
pub struct AgentAccount {
    /// Login name (`agent1`, `agent2`): the Basic user and the CometD owner.
    pub user_name: &'static str,
    password: &'static str,
    /// User id (32 hex digits, like the documented user URIs).
    pub id: &'static str,
    /// `firstName` of `GET /api/v2/me`.
    pub first_name: &'static str,
    /// `lastName` of `GET /api/v2/me`.
    pub last_name: &'static str,
}

impl std::fmt::Debug for AgentAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("user_name", &self.user_name)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl AgentAccount {
    /// `{base}/api/v2/users/{id}`.
    pub fn uri(&self, base: &str) -> String {
        format!("{base}/api/v2/users/{}", self.id)
    }
    /// `/users/{id}`.
    pub fn path(&self) -> String {
        format!("/users/{}", self.id)
    }
}

/// The demo agents: index 0 is `agent1`, index 1 is `agent2` (the consult target).
pub fn demo_agents() -> Vec<AgentAccount> {
    vec![
        AgentAccount {
            user_name: "agent1",
            password: "secret1",
            id: "5e101708f14442c7ab79814bb4f799b2",
            first_name: "Test",
            last_name: "Name",
        },
        AgentAccount {
            user_name: "agent2",
            password: "secret2",
            id: "e2c90c960d3d40c79684818983ceb314",
            first_name: "Agent",
            last_name: "Two",
        },
    ]
}

/// The authenticated agent of a request (index into the agent directory, [`demo_agents`]), put in extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Authed {
    /// Index into the agent directory.
    pub agent: usize,
}

/// A server-side HTTP session: who it belongs to and its CSRF token.
#[derive(Clone, Debug)]
pub struct HttpSession {
    /// The agent the session was opened for (a cookie of another agent's session is ignored).
    pub agent: usize,
    /// The token POST/PUT/DELETE must echo in `X-CSRF-TOKEN`.
    pub csrf_token: String,
    /// Creation time.
    pub created: std::time::Instant,
}

/// The `JSESSIONID` of the request's HTTP session (new or existing), put in extensions: what
/// EndContactCenterSession invalidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionId(pub String);

/// Most sessions kept per shard (16 shards): a client that never sends its cookie back creates
/// a session per request, so the store is bounded; the oldest session is evicted first, in
/// amortised O(1) (the shard keeps its sessions in creation order).
pub const MAX_SESSIONS_PER_SHARD: usize = 4096;

/// HTTP sessions by `JSESSIONID`.
pub type HttpSessions = Sharded<HttpSession>;

/// Which agent the `Authorization: Basic` header names, if its credentials are right.
pub fn basic_agent(headers: &HeaderMap, agents: &[AgentAccount]) -> Option<usize> {
    let Authorization(basic) = headers.typed_get::<Authorization<Basic>>()?;
    agents
        .iter()
        .position(|a| a.user_name == basic.username() && a.password == basic.password())
}

/// The `JSESSIONID` cookie value of a request, if any (the first one, across all `Cookie`
/// headers).
pub fn jsessionid(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == "JSESSIONID")
        .map(|c| c.value().to_string())
}

/// The `Set-Cookie` value opening session `sid`: `JSESSIONID=<sid>; HttpOnly; Path=/`.
fn session_cookie(sid: &str) -> String {
    Cookie::build(("JSESSIONID", sid))
        .path("/")
        .http_only(true)
        .build()
        .to_string()
}

fn needs_csrf(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    )
}

/// Middleware for everything under `/api/v2`: Basic auth (401 statusCode 20), session cookie,
/// CSRF check (not on the CometD endpoint unless `csrf_cometd`) and CSRF headers on GET.
pub(crate) async fn require_agent(
    State(state): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let agent = basic_agent(req.headers(), &state.agents)
        .or_else(|| state.faulty(Mutation::AuthNotEnforced).then_some(0));
    let Some(agent) = agent else {
        return ApiError::unauthenticated().into_response();
    };
    let existing = jsessionid(req.headers()).and_then(|sid| {
        state
            .sessions
            .get(&sid)
            .filter(|s| s.agent == agent)
            .map(|s| (sid, s))
    });
    let (sid, session, is_new) = match existing {
        Some((sid, session)) => (sid, session, false),
        None => {
            let sid = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
            let session = HttpSession {
                agent,
                csrf_token: uuid::Uuid::new_v4().to_string(),
                created: std::time::Instant::now(),
            };
            state
                .sessions
                .insert_capped(sid.clone(), session.clone(), MAX_SESSIONS_PER_SHARD);
            (sid, session, true)
        }
    };
    req.extensions_mut().insert(SessionId(sid.clone()));
    let method = req.method().clone();
    // The notification transport modifies no data: without `csrf_cometd` it needs Basic only.
    let cometd = req.uri().path().starts_with("/api/v2/notifications");
    let checked = state.config.csrf
        && needs_csrf(&method)
        && (!cometd || state.config.csrf_cometd)
        && !state.faulty(Mutation::CsrfNotEnforced);
    let mut response = if checked {
        let sent = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok());
        let valid = sent == Some(session.csrf_token.as_str())
            || (state.faulty(Mutation::CsrfTokenUnbound)
                && sent.is_some_and(|t| state.sessions.values().iter().any(|s| s.csrf_token == t)));
        if valid {
            req.extensions_mut().insert(Authed { agent });
            next.run(req).await
        } else {
            ApiError::csrf().into_response()
        }
    } else {
        req.extensions_mut().insert(Authed { agent });
        next.run(req).await
    };
    let headers = response.headers_mut();
    if is_new && let Ok(v) = HeaderValue::from_str(&session_cookie(&sid)) {
        headers.append(axum::http::header::SET_COOKIE, v);
    }
    if state.config.csrf && method == Method::GET {
        headers.insert("x-csrf-header", HeaderValue::from_static("X-CSRF-TOKEN"));
        if let Ok(v) = HeaderValue::from_str(&session.csrf_token) {
            headers.insert("x-csrf-token", v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_checked() {
        let agents = demo_agents();
        let mut h = HeaderMap::new();
        h.typed_insert(Authorization::basic("agent2", "secret2"));
        assert_eq!(basic_agent(&h, &agents), Some(1));
        h.typed_insert(Authorization::basic("agent2", "secret1"));
        assert_eq!(basic_agent(&h, &agents), None);
        // The scheme is case-insensitive (RFC 7235 section 2.1); "agent1:secret1" in base64.
        h.insert(
            "authorization",
            HeaderValue::from_static("basic YWdlbnQxOnNlY3JldDE="),
        );
        assert_eq!(basic_agent(&h, &agents), Some(0));
        h.insert(
            "authorization",
            HeaderValue::from_static("Basic not-base64!"),
        );
        assert_eq!(basic_agent(&h, &agents), None);
        h.insert("authorization", HeaderValue::from_static("Bearer abc"));
        assert_eq!(basic_agent(&h, &agents), None);
    }

    #[test]
    fn cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            "cookie",
            HeaderValue::from_static("a=1; JSESSIONID=XYZ; b=2"),
        );
        assert_eq!(jsessionid(&h).as_deref(), Some("XYZ"));
        let mut h = HeaderMap::new();
        h.append("cookie", HeaderValue::from_static("a=1"));
        h.append("cookie", HeaderValue::from_static("JSESSIONID=ABC"));
        assert_eq!(jsessionid(&h).as_deref(), Some("ABC"));
        assert_eq!(jsessionid(&HeaderMap::new()), None);
        assert!(!format!("{:?}", demo_agents()[0]).contains("secret"));
    }

    #[test]
    fn session_cookie_is_http_only_on_the_whole_site() {
        let c = Cookie::parse(session_cookie("ABC123")).unwrap();
        assert_eq!((c.name(), c.value()), ("JSESSIONID", "ABC123"));
        assert_eq!(c.path(), Some("/"));
        assert_eq!(c.http_only(), Some(true));
    }
}
