//! Steps about the HTTP session itself: Basic authentication (HTTP 401, statusCode 20), the
//! agent's user resource, CSRF protection and the `JSESSIONID` cookie
//! (<https://docs.genesys.com/Documentation/HTCC/latest/API/CSRFProtection>), and the contact
//! center session (StartContactCenterSession, Ready, EndContactCenterSession, which "also
//! invalidates the client HTTP session"). Each scenario works on HTTP sessions of its own
//! ([`crate::run::probe::Probe`]), never on the run's shared one; the sessions that POST are the
//! second agent's (`--user2`), so that nothing they start or end touches the run's agent.

use cucumber::{given, then, when};
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::GwsWorld;
use crate::run::{
    agent::CHANNELS,
    probe::{Answer, Credentials, Probe},
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// The text the CSRFProtection page gives for a refused POST.
pub const CSRF_REFUSAL: &str = "Missing or invalid Csrf token";

/// What the session scenarios keep between steps.
#[derive(Debug, Default)]
pub struct Fresh {
    /// The scenario's own HTTP session.
    pub probe: Option<Probe>,
    /// The last answer it got.
    pub answer: Option<Answer>,
    /// The CSRF header and token the session held when it ended its contact center session.
    pub ended_csrf: Option<(HeaderName, HeaderValue)>,
}

impl GwsWorld {
    /// The scenario's own HTTP session; a harness error when no step opened one.
    pub fn probe(&mut self) -> &mut Probe {
        match self.fresh.probe.as_mut() {
            Some(p) => p,
            None => verdict::error(HarnessError::new(
                "ScenarioOrder",
                "no HTTP session of the scenario's own: a `Given a new HTTP session ...` step must come first",
            )),
        }
    }

    /// Records `answer` (transcript, last answer) and returns it.
    pub fn keep_answer(&mut self, request: Option<Value>, answer: Answer) -> Answer {
        match request {
            Some(body) => self.log_reply(body, answer.reply()),
            None => {
                self.log(format!("→ {}", answer.request));
                self.log(format!(
                    "← HTTP {} {}",
                    answer.status,
                    compact(&answer.body, 400)
                ));
            }
        }
        self.fresh.answer = Some(answer.clone());
        answer
    }

    /// The last answer of the scenario's own session; a harness error before any.
    pub fn answer(&self) -> Answer {
        match &self.fresh.answer {
            Some(a) => a.clone(),
            None => verdict::error(HarnessError::new(
                "ScenarioOrder",
                "no request was sent before this check",
            )),
        }
    }
}

/// The harness error of a request that got no answer.
fn unanswered(e: &crate::run::agent::AgentError) -> ! {
    verdict::error(HarnessError::new(e.kind(), e.to_string()))
}

fn open(world: &mut GwsWorld, second: bool, cookies: bool) {
    let config = world.session().fresh_config(second);
    match Probe::new(config, cookies) {
        Ok(p) => world.fresh.probe = Some(p),
        Err(e) => unanswered(&e),
    }
}

#[given("a new HTTP session of the agent")]
async fn new_session(world: &mut GwsWorld) {
    open(world, false, true);
}

#[given("a new HTTP session of the second agent")]
async fn new_session_second(world: &mut GwsWorld) {
    open(world, true, true);
}

#[given("a new HTTP session of the second agent without a cookie store")]
async fn new_session_without_cookies(world: &mut GwsWorld) {
    open(world, true, false);
}

async fn get_me(world: &mut GwsWorld, credentials: Credentials) {
    let probe = world.probe();
    probe.credentials = credentials;
    let answer = probe.get_me().await;
    probe.credentials = Credentials::Right;
    match answer {
        Ok(a) => {
            world.keep_answer(None, a);
        }
        Err(e) => unanswered(&e),
    }
}

#[when("the new session sends GET /api/v2/me")]
async fn sends_get_me(world: &mut GwsWorld) {
    get_me(world, Credentials::Right).await;
}

#[when("the new session sends GET /api/v2/me without credentials")]
async fn sends_get_me_anonymous(world: &mut GwsWorld) {
    get_me(world, Credentials::None).await;
}

#[when("the new session sends GET /api/v2/me with a wrong password")]
async fn sends_get_me_wrong_password(world: &mut GwsWorld) {
    get_me(world, Credentials::WrongPassword).await;
}

#[when("the new session sends a CometD handshake without credentials")]
async fn handshake_anonymous(world: &mut GwsWorld) {
    let batch = json!([{
        "channel": "/meta/handshake",
        "version": "1.0",
        "supportedConnectionTypes": ["long-polling"],
        "id": "1",
    }]);
    let probe = world.probe();
    probe.credentials = Credentials::None;
    let wait = probe.request_timeout();
    let answer = probe.bayeux(&batch, wait).await;
    probe.credentials = Credentials::Right;
    match answer {
        Ok(a) => {
            world.keep_answer(Some(batch), a);
        }
        Err(e) => unanswered(&e),
    }
}

#[then("the answer is HTTP 401 with statusCode 20")]
async fn unauthenticated(world: &mut GwsWorld) {
    let a = world.answer();
    let code = a.body.get("statusCode").cloned().unwrap_or(Value::Null);
    if a.status != 401 || code.as_i64() != Some(20) {
        world.fail(
            Failure::new(
                "NotAuthenticatedMismatch",
                format!(
                    "{} without valid credentials answered HTTP {} with statusCode {}",
                    a.request,
                    a.status,
                    compact(&code, 40)
                ),
            )
            .rule("a request without valid credentials is refused: HTTP 401, statusCode 20 (User is not authenticated)")
            .path("/statusCode")
            .expected_actual("HTTP 401, statusCode 20", format!("HTTP {}, statusCode {}", a.status, compact(&code, 60)))
            .detail(format!("response body:\n{}", pretty(&a.body))),
        )
    }
}

#[then("the answer is the agent's user resource")]
async fn user_resource(world: &mut GwsWorld) {
    let a = world.answer();
    let user = world.probe().user().to_string();
    let code = a.body.get("statusCode").cloned().unwrap_or(Value::Null);
    if !(200..300).contains(&a.status) || code.as_i64() != Some(0) {
        world.fail(
            Failure::new(
                "StatusCodeMismatch",
                format!(
                    "GET /api/v2/me with the agent's credentials answered HTTP {} with statusCode {}, expected 0",
                    a.status,
                    compact(&code, 40)
                ),
            )
            .rule("GET /api/v2/me with the agent's credentials succeeds: HTTP 2xx, statusCode 0")
            .path("/statusCode")
            .expected_actual("HTTP 2xx, statusCode 0", format!("HTTP {}, statusCode {}", a.status, compact(&code, 60)))
            .detail(format!("response body:\n{}", pretty(&a.body))),
        )
    }
    let resource = a.body.get("user");
    let named = resource
        .and_then(|u| u.get("userName"))
        .and_then(Value::as_str);
    let id = resource.and_then(|u| u.get("id")).and_then(Value::as_str);
    if named != Some(user.as_str()) || id.is_none_or(str::is_empty) {
        world.fail(
            Failure::new(
                "UserResourceMismatch",
                format!("GET /api/v2/me does not describe the agent `{user}` (user.id, user.userName)"),
            )
            .rule("GET /api/v2/me answers the agent's user resource: `user` with its `id` and `userName` [inferred]")
            .path("/user")
            .expected_actual(
                format!("{{\"id\": \"<id>\", \"userName\": \"{user}\", ...}}"),
                compact(resource.unwrap_or(&Value::Null), 200),
            )
            .detail(format!("response body:\n{}", pretty(&a.body))),
        )
    }
}

#[given("the target protects against CSRF")]
async fn protects_against_csrf(world: &mut GwsWorld) {
    let require = world.session().require_csrf;
    let answer = match world.probe().get_me().await {
        Ok(a) => world.keep_answer(None, a),
        Err(e) => unanswered(&e),
    };
    if !(200..300).contains(&answer.status) {
        verdict::error(HarnessError::new(
            "HttpStatus",
            format!(
                "{} answered HTTP {}: {}",
                answer.request,
                answer.status,
                compact(&answer.body, 200)
            ),
        ))
    }
    if answer.csrf().is_some() {
        return;
    }
    let header = answer
        .headers
        .get("x-csrf-header")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let token = answer.headers.get("x-csrf-token").map(|v| v.len());
    if require {
        world.fail(
            Failure::new(
                "CsrfTokenMissing",
                "GET /api/v2/me carries no CSRF header name and token (X-CSRF-HEADER, X-CSRF-TOKEN)",
            )
            .rule("with CSRF protection on (--require-csrf), every GET returns X-CSRF-HEADER and X-CSRF-TOKEN")
            .path("X-CSRF-HEADER, X-CSRF-TOKEN")
            .expected_actual(
                "X-CSRF-HEADER: <header name>, X-CSRF-TOKEN: <token>",
                format!(
                    "X-CSRF-HEADER {}, X-CSRF-TOKEN {}",
                    header.map_or("absent".to_string(), |h| format!("`{}`", verdict::one_line(&h, 60))),
                    token.map_or("absent".to_string(), |n| format!("of {n} bytes")),
                ),
            ),
        )
    }
    verdict::skip(
        "CSRF protection off: GET /api/v2/me carries no X-CSRF-HEADER and X-CSRF-TOKEN (give --require-csrf to fail instead)",
    )
}

fn start_body() -> Value {
    json!({"operationName": "StartContactCenterSession", "channels": CHANNELS})
}

async fn post_me(
    world: &mut GwsWorld,
    rel: &str,
    body: Value,
    csrf: Option<(HeaderName, HeaderValue)>,
) {
    let probe = world.probe();
    let answer = probe
        .send(reqwest::Method::POST, rel, Some(&body), csrf.as_ref(), None)
        .await;
    match answer {
        Ok(a) => {
            world.keep_answer(Some(body), a);
        }
        Err(e) => unanswered(&e),
    }
}

#[when("the new session starts a contact center session")]
async fn starts(world: &mut GwsWorld) {
    let csrf = world.probe().csrf.clone();
    post_me(world, "me", start_body(), csrf).await;
}

#[when("the new session starts a contact center session without the CSRF token")]
async fn starts_without_token(world: &mut GwsWorld) {
    post_me(world, "me", start_body(), None).await;
}

#[when("the new session starts a contact center session with another session's CSRF token")]
async fn starts_with_foreign_token(world: &mut GwsWorld) {
    // Another HTTP session of the same agent, opened now: its token, sent by this session.
    let config = world.session().fresh_config(true);
    let mut other = match Probe::new(config, true) {
        Ok(p) => p,
        Err(e) => unanswered(&e),
    };
    let answer = match other.get_me().await {
        Ok(a) => world.keep_answer(None, a),
        Err(e) => unanswered(&e),
    };
    let Some(foreign) = answer.csrf() else {
        verdict::error(HarnessError::new(
            "CsrfTokenMissing",
            "a second HTTP session of the agent got no CSRF token from GET /api/v2/me, while the first did",
        ))
    };
    let own = world.probe().csrf.clone();
    if own.as_ref().map(|(_, t)| t) == Some(&foreign.1) {
        world.fail(
            Failure::new(
                "CsrfTokenShared",
                "two HTTP sessions of the agent were given the same CSRF token",
            )
            .rule("the CSRF token is generated and stored with the HTTP session: each session has its own")
            .path("X-CSRF-TOKEN")
            .expected_actual("a token per HTTP session", "the same token for both"),
        )
    }
    post_me(world, "me", start_body(), Some(foreign)).await;
}

#[when(expr = "the new session sets channel {string} Ready")]
async fn ready(world: &mut GwsWorld, channel: String) {
    let csrf = world.probe().csrf.clone();
    post_me(
        world,
        &format!("me/channels/{channel}"),
        json!({"operationName": "Ready"}),
        csrf,
    )
    .await;
}

#[when("the new session ends the contact center session")]
async fn ends(world: &mut GwsWorld) {
    let csrf = world.probe().csrf.clone();
    world.fresh.ended_csrf.clone_from(&csrf);
    post_me(
        world,
        "me",
        json!({"operationName": "EndContactCenterSession"}),
        csrf,
    )
    .await;
}

#[then("the answer is HTTP 403: Missing or invalid Csrf token")]
async fn csrf_refused(world: &mut GwsWorld) {
    let a = world.answer();
    let text = match &a.body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let says = text
        .to_ascii_lowercase()
        .contains(&CSRF_REFUSAL.to_ascii_lowercase());
    if a.status != 403 || !says {
        world.fail(
            Failure::new(
                "CsrfNotEnforced",
                format!(
                    "{} without a valid CSRF token of its own session answered HTTP {}",
                    a.request, a.status
                ),
            )
            .rule("a POST, PUT or DELETE without the CSRF token of its own HTTP session is refused: HTTP 403 \"Missing or invalid Csrf token\"")
            .path("HTTP status, body")
            .expected_actual(
                format!("HTTP 403, \"{CSRF_REFUSAL}\""),
                format!("HTTP {}, {}", a.status, compact(&a.body, 200)),
            ),
        )
    }
}

#[then("the ended HTTP session is invalidated")]
async fn invalidated(world: &mut GwsWorld) {
    match world.fresh.ended_csrf.clone() {
        Some(old) => {
            // The token shares the life cycle of the HTTP session: after the end, it is refused.
            post_me(world, "me", start_body(), Some(old)).await;
            let a = world.answer();
            if a.status != 403 {
                world.fail(
                    Failure::new(
                        "SessionNotInvalidated",
                        format!(
                            "after EndContactCenterSession, a POST with the ended session's CSRF token answered HTTP {}",
                            a.status
                        ),
                    )
                    .rule("EndContactCenterSession also invalidates the client HTTP session: its CSRF token is refused afterwards (HTTP 403)")
                    .path("HTTP status")
                    .expected_actual("HTTP 403", format!("HTTP {}, {}", a.status, compact(&a.body, 200))),
                )
            }
            // A new GET opens a new session whose token works again.
            let answer = match world.probe().get_me().await {
                Ok(a) => world.keep_answer(None, a),
                Err(e) => unanswered(&e),
            };
            let Some(fresh) = answer.csrf() else {
                verdict::error(HarnessError::new(
                    "CsrfTokenMissing",
                    "after EndContactCenterSession, GET /api/v2/me gave no new CSRF token",
                ))
            };
            post_me(world, "me", start_body(), Some(fresh.clone())).await;
            let a = world.answer();
            let code = a.body.get("statusCode").and_then(Value::as_i64);
            if !(200..300).contains(&a.status) || code != Some(0) {
                world.fail(
                    Failure::new(
                        "StatusCodeMismatch",
                        format!(
                            "after a new GET, StartContactCenterSession with the new token answered HTTP {} {}",
                            a.status,
                            compact(&a.body, 100)
                        ),
                    )
                    .rule("after the session ends, a new GET gives a new session and token; a POST with it succeeds")
                    .path("/statusCode")
                    .expected_actual("HTTP 2xx, statusCode 0", format!("HTTP {}, {}", a.status, compact(&a.body, 200))),
                )
            }
            // Leave the second agent's contact center session ended, as found.
            post_me(
                world,
                "me",
                json!({"operationName": "EndContactCenterSession"}),
                Some(fresh),
            )
            .await;
        }
        None => {
            let before = world.probe().session_cookies.clone();
            if before.is_empty() {
                verdict::skip(
                    "the target keeps no HTTP session the suite can see (no CSRF token, no JSESSIONID cookie), so its invalidation cannot be judged",
                )
            }
            let answer = match world.probe().get_me().await {
                Ok(a) => world.keep_answer(None, a),
                Err(e) => unanswered(&e),
            };
            let new = answer.session_cookies();
            if new.is_empty() || new.iter().any(|c| before.contains(c)) {
                world.fail(
                    Failure::new(
                        "SessionNotInvalidated",
                        "after EndContactCenterSession, the next request opened no new HTTP session (no new JSESSIONID)",
                    )
                    .rule("EndContactCenterSession also invalidates the client HTTP session: the next request gets a new one")
                    .path("Set-Cookie: JSESSIONID")
                    .expected_actual(
                        "a new JSESSIONID",
                        if new.is_empty() { "no Set-Cookie JSESSIONID".to_string() } else { "the ended session's JSESSIONID".to_string() },
                    ),
                )
            }
        }
    }
}
