//! Steps about the notification transport itself, Bayeux 1.0 as CometD implements it
//! (<https://docs.cometd.org/current/reference/#_bayeux>), spoken message by message over raw
//! HTTP so that every field of every answer can be judged: handshake, connect (held until a
//! notification, client `advice` honoured), subscribe and unsubscribe (exact channels and the
//! `*`, `**` wildcards), `402` for an unknown client, disconnect, client publishing, batches.
//! Each scenario has its own CometD client ([`RawBayeux`]) on an HTTP session of its own, as the
//! second agent (`--user2`), never the run's shared client. Notifications are made to happen with
//! the provider state `an interaction is offered to the agent` (docs/target-contract.md
//! section 3), naming the agent in `user`.
//!
//! Absence ("nothing arrives after unsubscribe", "once, not twice", "not to another agent") is
//! judged without waiting for a time to pass: the scenario offers a second interaction that
//! must arrive (the sentinel) and judges what arrived before it.

use std::time::{Duration, Instant};

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{GwsWorld, provider_state};
use crate::run::{
    expect::{interaction_of, mentions},
    media::{Media, MediaParam},
    probe::{Answer, Probe},
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// A CometD client spoken to message by message.
#[derive(Debug)]
pub struct RawBayeux {
    probe: Probe,
    /// The `clientId` of its successful handshake (empty before).
    pub client_id: String,
    next_id: u64,
    /// The last `advice` the target gave.
    pub advice: Value,
}

/// An interaction a scenario had offered, in order.
#[derive(Clone, Debug)]
pub struct Offer {
    /// Its media.
    pub media: Media,
    /// The interaction id the provider state returned.
    pub id: String,
    /// The user it was offered to.
    pub user: String,
}

/// What the Bayeux scenarios keep between steps.
#[derive(Debug, Default)]
pub struct Transport {
    /// The scenario's CometD client.
    pub client: Option<RawBayeux>,
    /// The replies to its last request.
    pub replies: Vec<Value>,
    /// The ids of the messages of its last request.
    pub sent_ids: Vec<String>,
    /// Every event message (not `/meta/`) it received, in order.
    pub events: Vec<Value>,
    /// The interactions offered so far.
    pub offers: Vec<Offer>,
}

impl RawBayeux {
    fn id(&mut self) -> String {
        self.next_id += 1;
        self.next_id.to_string()
    }

    /// POSTs `batch`, held at most `hold` (plus the request timeout); the answer and its messages.
    async fn exchange(
        &mut self,
        batch: &Value,
        hold: Duration,
    ) -> Result<(Answer, Vec<Value>), crate::run::agent::AgentError> {
        let answer = self.probe.bayeux(batch, hold).await?;
        let messages = match &answer.body {
            Value::Array(items) => items.clone(),
            obj @ Value::Object(_) => vec![obj.clone()],
            _ => Vec::new(),
        };
        for m in &messages {
            if m.get("advice").is_some_and(Value::is_object) {
                self.advice = m["advice"].clone();
            }
        }
        Ok((answer, messages))
    }
}

fn unanswered(e: &crate::run::agent::AgentError) -> ! {
    verdict::error(HarnessError::new(e.kind(), e.to_string()))
}

fn is_meta(m: &Value) -> bool {
    m.get("channel")
        .and_then(Value::as_str)
        .is_some_and(|c| c.starts_with("/meta/"))
}

/// The reply on `channel` among `replies` (the one with `id` when given).
fn reply_on<'a>(replies: &'a [Value], channel: &str, id: Option<&str>) -> Option<&'a Value> {
    replies.iter().find(|m| {
        m.get("channel").and_then(Value::as_str) == Some(channel)
            && id.is_none_or(|id| m.get("id").and_then(Value::as_str) == Some(id))
    })
}

impl GwsWorld {
    fn bayeux_client(&mut self) -> &mut RawBayeux {
        match self.transport.client.as_mut() {
            Some(c) => c,
            None => verdict::error(HarnessError::new(
                "ScenarioOrder",
                "no CometD client: a `Given a CometD client of the second agent` step must come first",
            )),
        }
    }

    /// Sends `batch` on the scenario's client, logs both ways, keeps the events and the replies.
    async fn bayeux_send(&mut self, batch: Value, hold: Duration) -> Vec<Value> {
        self.log(format!("→ CometD {}", compact(&batch, 400)));
        let sent_ids = batch
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let client = self.bayeux_client();
        let (answer, messages) = match client.exchange(&batch, hold).await {
            Ok(r) => r,
            Err(e) => unanswered(&e),
        };
        self.log(format!(
            "← HTTP {} {}",
            answer.status,
            compact(&answer.body, 600)
        ));
        if !(200..300).contains(&answer.status) {
            verdict::error(HarnessError::new(
                "BayeuxTransport",
                format!(
                    "the CometD endpoint answered HTTP {}: {}",
                    answer.status,
                    compact(&answer.body, 200)
                ),
            ))
        }
        self.transport
            .events
            .extend(messages.iter().filter(|m| !is_meta(m)).cloned());
        self.transport.sent_ids = sent_ids;
        self.transport.replies = messages.clone();
        messages
    }

    fn notification_timeout(&self) -> Duration {
        self.session().notification_timeout
    }
}

#[given("a CometD client of the second agent")]
async fn client(world: &mut GwsWorld) {
    let config = world.session().fresh_config(true);
    let mut probe = match Probe::new(config, true) {
        Ok(p) => p,
        Err(e) => unanswered(&e),
    };
    // Target-contract section 2 step 1: the GET that gives the cookie and the CSRF token.
    match probe.get_me().await {
        Ok(a) if (200..300).contains(&a.status) => {}
        Ok(a) => verdict::error(HarnessError::new(
            "LoginFailed",
            format!(
                "the second agent's GET /api/v2/me answered HTTP {}: {} (check --user2 and --password2)",
                a.status,
                compact(&a.body, 200)
            ),
        )),
        Err(e) => unanswered(&e),
    }
    world.transport.client = Some(RawBayeux {
        probe,
        client_id: String::new(),
        next_id: 0,
        advice: Value::Null,
    });
}

/// What a handshake offers: `version`, `minimumVersion` (left out when `None`) and
/// `supportedConnectionTypes`.
struct Offered<'a> {
    version: &'a str,
    minimum: Option<&'a str>,
    types: &'a [&'a str],
}

/// What a CometD client offers: version and minimumVersion 1.0, long-polling.
const COMETD_OFFER: Offered<'static> = Offered {
    version: "1.0",
    minimum: Some("1.0"),
    types: &["long-polling"],
};

/// A connection type no server supports (no transport of that name exists).
pub const NO_SUCH_CONNECTION_TYPE: &str = "gws-conformance-no-such-transport";

/// One `/meta/handshake` of the scenario's client offering `offer`; keeps the `clientId` of a
/// successful reply.
async fn handshake(world: &mut GwsWorld, offer: &Offered<'_>) {
    let id = world.bayeux_client().id();
    let mut message = json!({
        "channel": "/meta/handshake",
        "version": offer.version,
        "supportedConnectionTypes": offer.types,
        "id": id,
    });
    if let Some(minimum) = offer.minimum {
        message["minimumVersion"] = json!(minimum);
    }
    let timeout = world.session().agent.config().request_timeout;
    let replies = world.bayeux_send(json!([message]), timeout).await;
    if let Some(cid) = reply_on(&replies, "/meta/handshake", None)
        .filter(|r| r.get("successful") == Some(&Value::Bool(true)))
        .and_then(|r| r.get("clientId"))
        .and_then(Value::as_str)
    {
        world.bayeux_client().client_id = cid.to_string();
    }
}

#[when("it handshakes")]
async fn handshakes(world: &mut GwsWorld) {
    handshake(world, &COMETD_OFFER).await;
}

#[when("it handshakes offering only a connection type the server does not support")]
async fn handshakes_unsupported_type(world: &mut GwsWorld) {
    handshake(
        world,
        &Offered {
            types: &[NO_SUCH_CONNECTION_TYPE],
            ..COMETD_OFFER
        },
    )
    .await;
}

#[when(expr = "it handshakes offering version {string} with minimumVersion {string}")]
async fn handshakes_version(world: &mut GwsWorld, version: String, minimum: String) {
    handshake(
        world,
        &Offered {
            version: &version,
            minimum: Some(&minimum),
            ..COMETD_OFFER
        },
    )
    .await;
}

#[given("it has handshaken")]
async fn has_handshaken(world: &mut GwsWorld) {
    handshakes(world).await;
    if world.bayeux_client().client_id.is_empty() {
        verdict::error(HarnessError::new(
            "BayeuxSetup",
            format!(
                "the second agent's CometD handshake did not succeed: {}",
                compact(&Value::Array(world.transport.replies.clone()), 300)
            ),
        ))
    }
}

/// The reply to the last handshake.
fn handshake_reply(world: &GwsWorld) -> Value {
    let replies = &world.transport.replies;
    match reply_on(replies, "/meta/handshake", None) {
        Some(r) => r.clone(),
        None => world.fail(
            Failure::new("HandshakeReplyMissing", "the handshake was answered without a /meta/handshake reply")
                .rule("a Bayeux server MUST respond to a handshake request with a handshake response message")
                .path("/channel")
                .expected_actual("a message on /meta/handshake", compact(&without_client_ids(replies), 300)),
        ),
    }
}

#[then("the handshake succeeds with a clientId, the version and the connection types")]
async fn handshake_succeeds(world: &mut GwsWorld) {
    let sent = world.transport.sent_ids.first().cloned();
    let reply = &handshake_reply(world);
    let types: Vec<&str> = reply
        .get("supportedConnectionTypes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let checks: [(&str, bool, &str); 5] = [
        (
            "successful",
            reply.get("successful") == Some(&Value::Bool(true)),
            "true",
        ),
        (
            "clientId",
            reply
                .get("clientId")
                .and_then(Value::as_str)
                .is_some_and(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric())),
            "a non-empty alphanumeric client ID",
        ),
        (
            "version",
            reply
                .get("version")
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty()),
            "the negotiated protocol version, e.g. \"1.0\"",
        ),
        (
            "supportedConnectionTypes",
            types.contains(&"long-polling"),
            "an array including \"long-polling\" (the type the client offered)",
        ),
        (
            "id",
            sent.is_none() || reply.get("id").and_then(Value::as_str) == sent.as_deref(),
            "the request's id",
        ),
    ];
    for (field, ok, expected) in checks {
        if !ok {
            world.fail(
                Failure::new(
                    "HandshakeReplyMismatch",
                    format!("the successful handshake reply's `{field}` is wrong or missing"),
                )
                .rule("a successful handshake response MUST contain channel, version, supportedConnectionTypes (one in common with the request), clientId and successful true; responses to /meta/** MUST echo the request's id")
                .path(format!("/{field}"))
                .expected_actual(expected, compact(reply.get(field).unwrap_or(&Value::Null), 200))
                .detail(format!("handshake reply:\n{}", pretty(reply))),
            )
        }
    }
}

#[then(
    "no connection type is negotiated: the handshake is refused, or lists none the client offered"
)]
async fn no_type_negotiated(world: &mut GwsWorld) {
    let sent = world.transport.sent_ids.first().cloned();
    let reply = &handshake_reply(world);
    let offered = NO_SUCH_CONNECTION_TYPE;
    let types = reply.get("supportedConnectionTypes");
    let claims = types
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|t| t.as_str() == Some(offered)));
    let rule = "a handshake offering no connection type in common with the server's negotiates none: \
        the response is unsuccessful with an error and no clientId (Bayeux 1.0: \"If there are no \
        connectionTypes in common, the handshake response MUST be unsuccessful\"), or, as CometD's \
        servers answer, its supportedConnectionTypes lists only the server's own, so that the client \
        finds none in common [the second inferred from CometD]";
    let shown = |field: &str| compact(reply.get(field).unwrap_or(&Value::Null), 200);
    let mismatch = |path: &str, expected: &str, actual: String| {
        Failure::new(
            "NoCommonConnectionTypeAccepted",
            format!("the handshake offering only the connection type \"{offered}\" was answered with a connection type negotiated"),
        )
        .rule(rule)
        .path(path.to_string())
        .expected_actual(expected, actual)
        .detail(format!("handshake reply:\n{}", pretty(reply)))
    };
    match reply.get("successful") {
        Some(Value::Bool(false)) => {
            let checks: [(&str, bool, &str); 4] = [
                (
                    "error",
                    reply
                        .get("error")
                        .and_then(Value::as_str)
                        .is_some_and(|e| !e.is_empty()),
                    "a string with the reason for the failure",
                ),
                (
                    "clientId",
                    reply.get("clientId").is_none(),
                    "no clientId (none is returned for a failed handshake)",
                ),
                (
                    "supportedConnectionTypes",
                    !claims,
                    "the server's connection types, if any, without the one offered",
                ),
                (
                    "id",
                    sent.is_none() || reply.get("id").and_then(Value::as_str) == sent.as_deref(),
                    "the request's id",
                ),
            ];
            for (field, ok, expected) in checks {
                if !ok {
                    let actual = if field == "clientId" {
                        "a clientId".to_string()
                    } else {
                        shown(field)
                    };
                    world.fail(
                        Failure::new(
                            "HandshakeRefusalMismatch",
                            format!("the unsuccessful handshake reply's `{field}` is wrong"),
                        )
                        .rule("an unsuccessful handshake response MUST contain channel, successful false and error; the clientId field MAY be returned except for failed handshake requests; responses to /meta/** MUST echo the request's id")
                        .path(format!("/{field}"))
                        .expected_actual(expected, actual)
                        .detail(format!("handshake reply:\n{}", pretty(reply))),
                    )
                }
            }
        }
        Some(Value::Bool(true)) if types.is_none() => world.fail(mismatch(
            "/supportedConnectionTypes",
            "successful false with an error, or the server's own connection types only",
            "successful true without supportedConnectionTypes".into(),
        )),
        Some(Value::Bool(true)) if claims => world.fail(mismatch(
            "/supportedConnectionTypes",
            "successful false with an error, or the server's own connection types only",
            format!(
                "successful true, supportedConnectionTypes {}",
                shown("supportedConnectionTypes")
            ),
        )),
        Some(Value::Bool(true)) => {}
        _ => world.fail(mismatch(
            "/successful",
            "false (or true with the server's own connection types only)",
            shown("successful"),
        )),
    }
}

/// A protocol version (Bayeux 1.0 section "Version": an integer, then `.`-separated
/// alphanumeric elements) compared element by element: numbers as numbers, other elements as
/// text, a missing element before any present one.
fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        let ordering = match (left.next(), right.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => match (x.parse::<u64>(), y.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => x.cmp(y),
            },
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
}

fn is_version(v: &str) -> bool {
    let mut elements = v.split('.');
    elements
        .next()
        .is_some_and(|first| !first.is_empty() && first.chars().all(|c| c.is_ascii_digit()))
        && elements.all(|e| {
            e.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && e.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

#[then(expr = "the handshake succeeds, negotiating a version from {string} to {string}")]
async fn handshake_negotiates(world: &mut GwsWorld, minimum: String, offered: String) {
    let reply = &handshake_reply(world);
    if reply.get("successful") != Some(&Value::Bool(true)) {
        world.fail(
            Failure::new(
                "HandshakeRefused",
                format!("the handshake offering version {offered} with minimumVersion {minimum} was refused"),
            )
            .rule("a handshake whose minimumVersion the server meets is accepted, with the version negotiated; Bayeux 1.0 states no refusal for a version, and CometD's servers answer every handshake with version 1.0 [inferred from CometD]")
            .path("/successful")
            .expected_actual(
                "true",
                format!(
                    "successful {}, error {}",
                    compact(reply.get("successful").unwrap_or(&Value::Null), 20),
                    compact(reply.get("error").unwrap_or(&Value::Null), 120)
                ),
            )
            .detail(format!("handshake reply:\n{}", pretty(reply))),
        )
    }
    let version = reply.get("version").and_then(Value::as_str);
    let in_range = version.is_some_and(|v| {
        is_version(v) && version_order(v, &minimum).is_ge() && version_order(v, &offered).is_le()
    });
    let client_id = reply
        .get("clientId")
        .and_then(Value::as_str)
        .is_some_and(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()));
    let checks = [
        (
            "version",
            in_range,
            format!(
                "the version negotiated, from {minimum} to {offered} (compared element by element)"
            ),
        ),
        (
            "clientId",
            client_id,
            "a non-empty alphanumeric client ID".to_string(),
        ),
    ];
    for (field, ok, expected) in checks {
        if !ok {
            let actual = if field == "clientId" && reply.get(field).is_some() {
                "a client ID that is not alphanumeric".to_string()
            } else {
                compact(reply.get(field).unwrap_or(&Value::Null), 80)
            };
            world.fail(
                Failure::new(
                    "HandshakeReplyMismatch",
                    format!("the successful handshake reply's `{field}` is wrong or missing"),
                )
                .rule("a successful handshake response MUST contain version (the version of the protocol that was negotiated) and clientId")
                .path(format!("/{field}"))
                .expected_actual(expected, actual)
                .detail(format!("handshake reply:\n{}", pretty(reply))),
            )
        }
    }
}

/// One `/meta/connect` of the scenario's client (with `advice` when given), held at most `hold`.
async fn connect(world: &mut GwsWorld, advice: Option<Value>, hold: Duration) -> Vec<Value> {
    let client = world.bayeux_client();
    let id = client.id();
    let mut message = json!({
        "channel": "/meta/connect",
        "clientId": client.client_id,
        "connectionType": "long-polling",
        "id": id,
    });
    if let Some(a) = advice {
        message["advice"] = a;
    }
    world.bayeux_send(json!([message]), hold).await
}

/// The connect reply among `replies`.
fn connect_reply(world: &GwsWorld, replies: &[Value]) -> Value {
    match reply_on(replies, "/meta/connect", None) {
        Some(r) => r.clone(),
        None => world.fail(
            Failure::new(
                "ConnectReplyMissing",
                "a /meta/connect was answered without a /meta/connect reply",
            )
            .rule(
                "a Bayeux server MUST respond to a connect request with a connect response message",
            )
            .path("/channel")
            .expected_actual(
                "a message on /meta/connect",
                compact(&Value::Array(replies.to_vec()), 300),
            ),
        ),
    }
}

#[then("a connect asking for advice timeout 0 is answered at once")]
async fn connect_at_once(world: &mut GwsWorld) {
    let bound = world.notification_timeout();
    let started = Instant::now();
    let held =
        tokio::time::timeout(bound, connect(world, Some(json!({"timeout": 0})), bound)).await;
    let replies = match held {
        Ok(r) => r,
        Err(_) => world.fail(
            Failure::new(
                "ClientAdviceIgnored",
                format!("a /meta/connect carrying advice {{\"timeout\": 0}} was not answered within {bound:?}"),
            )
            .rule("Bayeux servers SHOULD honor timeout advices sent by clients: a connect asking for timeout 0 is answered at once")
            .path("/advice/timeout")
            .expected_actual("an answer at once (timeout 0)", format!("no answer within {bound:?}"))
            .detail(format!("waited {:?}", started.elapsed())),
        ),
    };
    let reply = connect_reply(world, &replies);
    if reply.get("successful") != Some(&Value::Bool(true)) {
        world.fail(
            Failure::new(
                "ConnectRefused",
                format!(
                    "the connect of a handshaken client was refused: {}",
                    compact(&reply, 200)
                ),
            )
            .rule("a connect with the clientId of a successful handshake succeeds")
            .path("/successful")
            .expected_actual(
                "true",
                compact(reply.get("successful").unwrap_or(&Value::Null), 40),
            ),
        )
    }
}

#[when(expr = "it subscribes to {string}")]
async fn subscribes(world: &mut GwsWorld, subscription: String) {
    subscription_request(world, "/meta/subscribe", &subscription).await;
}

#[when(expr = "it unsubscribes from {string}")]
async fn unsubscribes(world: &mut GwsWorld, subscription: String) {
    subscription_request(world, "/meta/unsubscribe", &subscription).await;
}

async fn subscription_request(world: &mut GwsWorld, channel: &str, subscription: &str) {
    let client = world.bayeux_client();
    let id = client.id();
    let batch = json!([{
        "channel": channel,
        "clientId": client.client_id,
        "subscription": subscription,
        "id": id,
    }]);
    let timeout = world.session().agent.config().request_timeout;
    let replies = world.bayeux_send(batch, timeout).await;
    let reply = reply_on(&replies, channel, None)
        .cloned()
        .unwrap_or(Value::Null);
    if reply.get("successful") != Some(&Value::Bool(true))
        || reply.get("subscription").and_then(Value::as_str) != Some(subscription)
    {
        world.fail(
            Failure::new(
                "SubscriptionRefused",
                format!("{channel} of `{subscription}` did not succeed: {}", compact(&reply, 200)),
            )
            .rule("a subscribe or unsubscribe response carries successful and the subscription; the agent's own topics (/v2/me/...) may be subscribed, exactly or with * and **")
            .path("/successful")
            .expected_actual(
                format!("successful true, subscription \"{subscription}\""),
                compact(&reply, 200),
            ),
        )
    }
}

async fn offer(world: &mut GwsWorld, media: Media, second: bool) -> Offer {
    let session = world.session();
    let user = if second {
        session.second_agent.user.clone()
    } else {
        session.user().to_string()
    };
    let n = world.transport.offers.len() + 1;
    let params = json!({
        "media": media.name(),
        "user": user,
        "customer": format!("Transport Customer {n}"),
        "text": format!("gws-conformance transport check {n}"),
    });
    let map = provider_state::setup(world, provider_state::OFFERED, params).await;
    let id = provider_state::string_field(&map, provider_state::OFFERED, "id");
    let offer = Offer { media, id, user };
    world.transport.offers.push(offer.clone());
    offer
}

#[when(expr = "a(n) {media} is offered to the second agent")]
async fn offered_to_second(world: &mut GwsWorld, media: MediaParam) {
    offer(world, media.0, true).await;
}

#[when(expr = "a(n) {media} is offered to the agent")]
async fn offered_to_agent(world: &mut GwsWorld, media: MediaParam) {
    offer(world, media.0, false).await;
}

/// The offer named by `which`: `first`, `second`, `third` or `last`.
fn nth_offer(world: &GwsWorld, which: &str) -> Offer {
    let offers = &world.transport.offers;
    let i = match which {
        "first" => Some(0),
        "second" => Some(1),
        "third" => Some(2),
        "last" => offers.len().checked_sub(1),
        _ => None,
    };
    match i.and_then(|i| offers.get(i)) {
        Some(o) => o.clone(),
        None => verdict::error(HarnessError::new(
            "ScenarioOrder",
            format!(
                "there is no {which} offer (offered so far: {})",
                offers.len()
            ),
        )),
    }
}

/// How many events received so far are about `offer`.
fn deliveries(world: &GwsWorld, offer: &Offer) -> usize {
    world
        .transport
        .events
        .iter()
        .filter(|m| {
            let data = m.get("data").unwrap_or(&Value::Null);
            interaction_of(data).as_deref() == Some(offer.id.as_str()) || mentions(data, &offer.id)
        })
        .count()
}

#[then(expr = "it receives the {word} offer")]
async fn receives(world: &mut GwsWorld, which: String) {
    let offer = nth_offer(world, &which);
    let bound = world.notification_timeout();
    let deadline = Instant::now() + bound;
    while deliveries(world, &offer) == 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            world.fail(
                Failure::new(
                    "NotificationTimeout",
                    format!(
                        "the {} offered to {} did not arrive within {bound:?}",
                        offer.media.words(),
                        offer.user
                    ),
                )
                .rule("event messages MUST be delivered to clients subscribed to their channel")
                .path("channel")
                .expected_actual(
                    format!("a notification about interaction {}", offer.id),
                    format!("{} other event(s)", world.transport.events.len()),
                ),
            )
        }
        // Honour the advised interval between connects (Bayeux: the client MUST wait it).
        let interval = world
            .bayeux_client()
            .advice
            .get("interval")
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
            .unwrap_or_default();
        if !interval.is_zero() {
            tokio::time::sleep(interval.min(left)).await;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = tokio::time::timeout(left, connect(world, None, left)).await;
    }
}

#[then(expr = "it received the {word} offer exactly once")]
async fn received_once(world: &mut GwsWorld, which: String) {
    let offer = nth_offer(world, &which);
    let n = deliveries(world, &offer);
    if n != 1 {
        world.fail(
            Failure::new(
                "DuplicateDelivery",
                format!("the notification of the {} offer arrived {n} times", offer.media.words()),
            )
            .rule("a message arrives once per client session, even when several of its subscriptions (exact, *, **) cover its channel [inferred from CometD's Java server]")
            .path("channel")
            .expected_actual("1 delivery", format!("{n} deliveries"))
            .detail(events_detail(world)),
        )
    }
}

#[then(expr = "it received nothing of the {word} offer")]
async fn received_nothing(world: &mut GwsWorld, which: String) {
    let offer = nth_offer(world, &which);
    let n = deliveries(world, &offer);
    if n != 0 {
        let unsubscribed = offer.user == world.bayeux_client().probe.user();
        let rule = if unsubscribed {
            "after an unsubscribe, messages on the unsubscribed channels are no longer delivered to the client"
        } else {
            "an agent's notifications go to that agent's clients only: another agent receives none of them"
        };
        world.fail(
            Failure::new(
                if unsubscribed {
                    "DeliveredAfterUnsubscribe"
                } else {
                    "DeliveredToAnotherAgent"
                },
                format!(
                    "the notification of the {} offered to {} arrived at the second agent's client",
                    offer.media.words(),
                    offer.user
                ),
            )
            .rule(rule)
            .path("channel")
            .expected_actual("no delivery", format!("{n} deliveries"))
            .detail(events_detail(world)),
        )
    }
}

fn events_detail(world: &GwsWorld) -> String {
    let mut s = String::from("events received:\n");
    for e in &world.transport.events {
        s.push_str(&compact(e, 300));
        s.push('\n');
    }
    s
}

#[then(expr = "a connect held while a(n) {media} is offered to the second agent carries it")]
async fn held_connect(world: &mut GwsWorld, media: MediaParam) {
    let hold = world
        .bayeux_client()
        .advice
        .get("timeout")
        .and_then(Value::as_u64)
        .map(Duration::from_millis);
    let bound = world.notification_timeout();
    // The connect goes out first; the offer is made while it is held.
    let mut client = match world.transport.client.take() {
        Some(c) => c,
        None => verdict::error(HarnessError::new("ScenarioOrder", "no CometD client")),
    };
    let id = client.id();
    let message = json!([{
        "channel": "/meta/connect",
        "clientId": client.client_id,
        "connectionType": "long-polling",
        "id": id,
    }]);
    world.log(format!("→ CometD {}", compact(&message, 400)));
    let started = Instant::now();
    let wait = hold.unwrap_or(bound).min(bound + bound);
    let (held, offered) = futures::join!(
        tokio::time::timeout(bound, client.exchange(&message, wait)),
        offer(world, media.0, true)
    );
    let elapsed = started.elapsed();
    world.transport.client = Some(client);
    let messages = match held {
        Ok(Ok((answer, messages))) => {
            world.log(format!(
                "← HTTP {} {}",
                answer.status,
                compact(&answer.body, 600)
            ));
            messages
        }
        Ok(Err(e)) => unanswered(&e),
        Err(_) => world.fail(
            Failure::new(
                "NotificationTimeout",
                format!(
                    "the held connect did not return the {} offered within {bound:?}",
                    media.0.words()
                ),
            )
            .rule("a held /meta/connect is answered when a message for the client is available")
            .path("channel")
            .expected_actual("the connect answered with the notification", "no answer"),
        ),
    };
    world
        .transport
        .events
        .extend(messages.iter().filter(|m| !is_meta(m)).cloned());
    let reply = connect_reply(world, &messages);
    let events = messages.iter().filter(|m| !is_meta(m)).count();
    if deliveries(world, &offered) == 0 && events > 0 {
        // Woken by another notification for this client: the offer comes with a later connect.
        receives(world, "last".into()).await;
    } else if deliveries(world, &offered) == 0 {
        let early = hold.is_some_and(|h| elapsed < h);
        world.fail(
            Failure::new(
                "ConnectNotHeld",
                format!(
                    "the connect came back after {elapsed:?} without the notification{}",
                    if early { ", before the advised timeout" } else { "" }
                ),
            )
            .rule("a long-polling /meta/connect is held until a message is available or the advised timeout passes, and carries the message")
            .path("/advice/timeout")
            .expected_actual(
                format!("held up to {} ms, answered with the notification", hold.map_or("?".to_string(), |h| h.as_millis().to_string())),
                compact(&Value::Array(messages.clone()), 300),
            )
            .detail(format!("connect reply:\n{}", pretty(&reply))),
        )
    }
}

#[when("it connects with an unknown clientId")]
async fn connects_unknown(world: &mut GwsWorld) {
    world.bayeux_client().client_id = "gwsconformanceunknownclient0".into();
    let bound = world.notification_timeout();
    connect(world, Some(json!({"timeout": 0})), bound).await;
}

#[when("it disconnects")]
async fn disconnects(world: &mut GwsWorld) {
    let client = world.bayeux_client();
    let id = client.id();
    let batch = json!([{"channel": "/meta/disconnect", "clientId": client.client_id, "id": id}]);
    let timeout = world.session().agent.config().request_timeout;
    let replies = world.bayeux_send(batch, timeout).await;
    let reply = reply_on(&replies, "/meta/disconnect", None)
        .cloned()
        .unwrap_or(Value::Null);
    if reply.get("successful") != Some(&Value::Bool(true)) {
        world.fail(
            Failure::new("DisconnectRefused", format!("/meta/disconnect did not succeed: {}", compact(&reply, 200)))
                .rule("a Bayeux server MUST respond to a disconnect request with a disconnect response (successful)")
                .path("/successful")
                .expected_actual("true", compact(&reply, 200)),
        )
    }
}

#[when("it connects again")]
async fn connects_again(world: &mut GwsWorld) {
    let bound = world.notification_timeout();
    let answered =
        tokio::time::timeout(bound, connect(world, Some(json!({"timeout": 0})), bound)).await;
    if answered.is_err() {
        world.fail(
            Failure::new("ConnectNotRefused", format!("a connect after /meta/disconnect was held for {bound:?} instead of refused"))
                .rule("after /meta/disconnect the server has removed the client: its next connect is answered with 402 and advice to handshake")
                .path("/error")
                .expected_actual("an answer with error 402::...", "a held connect"),
        )
    }
}

#[then("the connect is refused with 402 and advice to handshake")]
async fn refused_402(world: &mut GwsWorld) {
    let replies = world.transport.replies.clone();
    let reply = connect_reply(world, &replies);
    let error = reply
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let reconnect = reply
        .get("advice")
        .and_then(|a| a.get("reconnect"))
        .and_then(Value::as_str);
    if reply.get("successful") != Some(&Value::Bool(false))
        || !error.starts_with("402:")
        || reconnect != Some("handshake")
    {
        world.fail(
            Failure::new(
                "UnknownClientAccepted",
                format!("a connect with a clientId the server does not know was answered {}", compact(&reply, 200)),
            )
            .rule("a connect from an unknown client (never handshaken, or disconnected) is unsuccessful with error 402::... and advice reconnect \"handshake\" (the server has terminated any prior connection status)")
            .path("/error")
            .expected_actual(
                "successful false, error \"402::...\", advice.reconnect \"handshake\"",
                format!(
                    "successful {}, error {}, advice.reconnect {}",
                    compact(reply.get("successful").unwrap_or(&Value::Null), 20),
                    compact(reply.get("error").unwrap_or(&Value::Null), 80),
                    reconnect.unwrap_or("(none)")
                ),
            )
            .detail(format!("connect reply:\n{}", pretty(&reply))),
        )
    }
}

#[when(expr = "it publishes to {string}")]
async fn publishes(world: &mut GwsWorld, channel: String) {
    let client = world.bayeux_client();
    let id = client.id();
    let batch = json!([{
        "channel": channel,
        "clientId": client.client_id,
        "data": {"text": "gws-conformance: an agent only listens"},
        "id": id,
    }]);
    let timeout = world.session().agent.config().request_timeout;
    world.bayeux_send(batch, timeout).await;
}

#[then("the publish is refused")]
async fn publish_refused(world: &mut GwsWorld) {
    let id = world.transport.sent_ids.first().cloned();
    let replies = world.transport.replies.clone();
    let reply = replies
        .iter()
        .find(|m| {
            !is_meta(m)
                && (id.is_none() || m.get("id").and_then(Value::as_str) == id.as_deref())
                && m.get("successful").is_some()
        })
        .cloned()
        .unwrap_or(Value::Null);
    if reply.get("successful") != Some(&Value::Bool(false)) {
        world.fail(
            Failure::new(
                "ClientPublishAccepted",
                format!("a publish by the agent's client was not refused: {}", compact(&reply, 200)),
            )
            .rule("the agent only listens: a publish from its client to a service or topic channel is answered successful false")
            .path("/successful")
            .expected_actual("successful false", compact(&without_client_ids(&replies), 300)),
        )
    }
}

#[when(
    expr = "it sends one request holding a subscribe to {string}, a subscribe to {string} and an unsubscribe from the first"
)]
async fn batch(world: &mut GwsWorld, first: String, second: String) {
    let client = world.bayeux_client();
    let cid = client.client_id.clone();
    let (a, b, c) = (client.id(), client.id(), client.id());
    let batch = json!([
        {"channel": "/meta/subscribe", "clientId": cid, "subscription": first, "id": a},
        {"channel": "/meta/subscribe", "clientId": cid, "subscription": second, "id": b},
        {"channel": "/meta/unsubscribe", "clientId": cid, "subscription": first, "id": c},
    ]);
    let timeout = world.session().agent.config().request_timeout;
    world.bayeux_send(batch, timeout).await;
}

#[then("one response answers every message of the request with its id")]
async fn batch_answered(world: &mut GwsWorld) {
    let ids = world.transport.sent_ids.clone();
    let replies = world.transport.replies.clone();
    let channels = ["/meta/subscribe", "/meta/subscribe", "/meta/unsubscribe"];
    for (id, channel) in ids.iter().zip(channels) {
        let Some(reply) = reply_on(&replies, channel, Some(id)) else {
            world.fail(
                Failure::new(
                    "BatchReplyMissing",
                    format!("the {channel} message with id \"{id}\" of the batch has no reply with that id in the response"),
                )
                .rule("several messages in one request are answered in its one response; each reply to a /meta/** message carries the request's id")
                .path("/id")
                .expected_actual(format!("a {channel} reply with id \"{id}\""), compact(&without_client_ids(&replies), 400)),
            )
        };
        if reply.get("successful") != Some(&Value::Bool(true)) {
            world.fail(
                Failure::new(
                    "BatchMessageRefused",
                    format!("the {channel} message \"{id}\" of the batch did not succeed"),
                )
                .rule("each message of a batch is handled as if sent alone")
                .path("/successful")
                .expected_actual("true", compact(reply, 200)),
            )
        }
    }
}

/// `replies` without their `clientId`s: what a failure's one-line message may quote, stable
/// from run to run (the ids go into the transcript).
fn without_client_ids(replies: &[Value]) -> Value {
    Value::Array(
        replies
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if let Some(o) = r.as_object_mut() {
                    o.remove("clientId");
                }
                r
            })
            .collect(),
    )
}
