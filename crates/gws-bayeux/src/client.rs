//! The agent's Bayeux client: handshake, a background connect loop honouring `advice`,
//! re-handshake on `402::Unknown client`, subscribe, disconnect, and an [`Inbox`] that keeps every
//! notification from the moment its HTTP response is read.
//!
//! Protocol: Bayeux 1.0 long-polling (<https://docs.cometd.org/current/reference/#_bayeux>),
//! sections 4.1 (handshake, connect, disconnect), 4.2 (subscribe) and 5.1 (advice). Every POST goes
//! to [`ClientConfig::endpoint`] itself (no message type appended to the URL), over the caller's
//! `reqwest::Client` (which carries the cookie store, e.g. `JSESSIONID` / `BAYEUX_BROWSER`) with
//! [`ClientConfig::headers`] added. Each round trip has its own bound (set per request, so it
//! overrides a shorter client-wide reqwest timeout): `request_timeout` for handshake, subscribe,
//! unsubscribe and disconnect; the server's advised `timeout` plus `request_timeout` for connect.
//!
//! Failure policy of the connect loop: `advice.reconnect` `"handshake"` or a `402` error →
//! re-handshake and re-subscribe everything subscribed so far (counted in
//! [`BayeuxClient::handshakes`]); `"none"` → stop; transport errors and refused re-handshakes are
//! retried [`TRANSPORT_RETRIES`] times with doubling backoff from [`FIRST_BACKOFF`], after which
//! the error is permanent and every pending and future [`Inbox::take`] returns
//! [`WaitError::Transport`]. A server that forgets the client again right after each
//! re-handshake (every `/meta/connect` unsuccessful) gets [`REHANDSHAKES`] re-handshakes in a
//! row; the next unsuccessful connect is a permanent [`BayeuxError::Transport`] (step `connect`).
//!
//! Pacing: a connect that the server answers successfully, with no notification, sooner than
//! [`MIN_CONNECT_SPACING`] after it was sent is followed by the next one no earlier than
//! [`MIN_CONNECT_SPACING`] after that send (the advised `interval`, when longer, wins). A server
//! that does not hold the long poll and advises `interval` 0 thus gets at most 1 s /
//! [`MIN_CONNECT_SPACING`] empty connects a second instead of a busy loop; a connect that
//! delivers notifications is followed at once.
//!
//! The inbox: [`BayeuxClient::handshake`] files every notification into one mailbox of an
//! [`Inbox::new`]; [`BayeuxClient::handshake_with_inbox`] takes an inbox built by the caller, e.g.
//! with a [`Router`] (per-interaction mailboxes) and [`InboxLimits`]. A notification over a cap is
//! dropped and reported to takers as [`WaitError::Overflow`]; the connect loop keeps running.
//! [`Notification`], [`WaitError`], [`Inbox`] and friends live in [`crate::inbox`] and are
//! re-exported here; [`BayeuxError`] lives in [`crate::error`].
use std::{
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use serde::Deserialize;
use serde_json::Value;
use tokio::{
    sync::{Notify, watch},
    task::AbortHandle,
};

pub use crate::error::BayeuxError;
pub use crate::inbox::{Inbox, InboxLimits, Notification, Overflow, Router, WaitError};
use crate::message::{
    Advice, CONNECT, DISCONNECT, HANDSHAKE, LONG_POLLING, Message, SUBSCRIBE, UNSUBSCRIBE,
    is_unknown_client_error,
};

/// How many times the connect loop retries after a failed round trip before giving up for good.
pub const TRANSPORT_RETRIES: u32 = 3;
/// Backoff before the first retry; it doubles for each further retry (100, 200, 400 ms).
pub const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// The connect hold assumed when the server advises no `timeout` (the CometD default).
pub const DEFAULT_SERVER_TIMEOUT: Duration = Duration::from_secs(30);
/// How many re-handshakes in a row the connect loop makes for a server that answers every
/// `/meta/connect` unsuccessfully (`402::Unknown client`, advice `reconnect: "handshake"`) with
/// no successful connect in between, before the failure is permanent.
pub const REHANDSHAKES: u32 = 3;
/// Least time between the start of a connect answered at once, successfully and with no
/// notification, and the start of the next one (see the module docs, "Pacing").
pub const MIN_CONNECT_SPACING: Duration = Duration::from_millis(50);

/// Where and how to connect.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The Bayeux endpoint, e.g. `http://127.0.0.1:8080/api/v2/notifications`.
    pub endpoint: url::Url,
    /// Headers sent on every POST (Basic `Authorization`, the CSRF header, ...).
    pub headers: reqwest::header::HeaderMap,
    /// Bound on the handshake, subscribe and disconnect round trips.
    pub request_timeout: Duration,
    /// Largest response body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl ClientConfig {
    /// `endpoint` with no extra headers, a 10 s request bound and a 4 MiB body cap.
    pub fn new(endpoint: url::Url) -> Self {
        Self {
            endpoint,
            headers: reqwest::header::HeaderMap::new(),
            request_timeout: Duration::from_secs(10),
            max_body_bytes: 4 * 1024 * 1024,
        }
    }
}

/// A connected Bayeux client. Dropping it stops the connect loop.
#[derive(Debug)]
pub struct BayeuxClient {
    shared: Arc<ConnectionState>,
    connect_loop: AbortHandle,
}

#[derive(Debug)]
struct ConnectionState {
    http: reqwest::Client,
    config: ClientConfig,
    /// The endpoint without user info, for messages.
    endpoint: String,
    inbox: Inbox,
    session: Mutex<Session>,
    next_id: AtomicU64,
    /// Serialises re-handshakes started by the connect loop and by `subscribe`.
    handshake_lock: tokio::sync::Mutex<()>,
    stopped: AtomicBool,
    stop: Notify,
    /// Handshakes completed *with* every subscription renewed (the session is usable again).
    ready: watch::Sender<u32>,
}

#[derive(Debug, Default)]
struct Session {
    client_id: String,
    subscriptions: Vec<String>,
    advice: Advice,
    handshakes: u32,
}

fn redact(url: &url::Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.to_string()
}

fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

impl ConnectionState {
    fn session(&self) -> MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn message(&self, channel: &str) -> Message {
        let mut message = Message::new(channel);
        message.id = Some(self.next_id.fetch_add(1, Ordering::Relaxed).to_string());
        message
    }

    fn transport(&self, step: &'static str, detail: String) -> BayeuxError {
        BayeuxError::Transport {
            step,
            endpoint: self.endpoint.clone(),
            detail,
        }
    }

    fn refused(&self, step: &'static str, reply: &Message) -> BayeuxError {
        BayeuxError::Refused {
            step,
            endpoint: self.endpoint.clone(),
            error: reply
                .error
                .clone()
                .unwrap_or_else(|| "unsuccessful reply without an error".into()),
        }
    }

    /// One POST of `batch`, bounded by `bound`. Non-meta messages in the answer go to the inbox at
    /// once; the meta replies are returned.
    async fn exchange(
        &self,
        step: &'static str,
        batch: &[Message],
        bound: Duration,
    ) -> Result<Vec<Message>, BayeuxError> {
        self.exchange_counted(step, batch, bound)
            .await
            .map(|(meta, _)| meta)
    }

    /// [`ConnectionState::exchange`], also returning how many notifications (non-meta messages)
    /// the answer carried.
    async fn exchange_counted(
        &self,
        step: &'static str,
        batch: &[Message],
        bound: Duration,
    ) -> Result<(Vec<Message>, usize), BayeuxError> {
        let round_trip = async {
            let mut response = self
                .http
                .post(self.config.endpoint.clone())
                .headers(self.config.headers.clone())
                .timeout(bound)
                .json(batch)
                .send()
                .await
                .map_err(|e| self.transport(step, describe(&e.without_url())))?;
            let status = response.status();
            let max = self.config.max_body_bytes;
            if response
                .content_length()
                .is_some_and(|length| length > max as u64)
            {
                return Err(self.transport(
                    step,
                    format!("HTTP {status}: response body larger than {max} bytes"),
                ));
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| {
                self.transport(
                    step,
                    format!("reading the response: {}", describe(&e.without_url())),
                )
            })? {
                if body.len() + chunk.len() > max {
                    return Err(self.transport(
                        step,
                        format!("HTTP {status}: response body larger than {max} bytes"),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            if !status.is_success() {
                return Err(self.transport(step, format!("HTTP {status}: {}", snippet(&body))));
            }
            parse_response(&body).map_err(|detail| self.transport(step, detail))
        };
        let messages = tokio::time::timeout(bound, round_trip)
            .await
            .map_err(|_| BayeuxError::Timeout {
                step,
                endpoint: self.endpoint.clone(),
                waited: bound,
            })??;
        let mut meta = Vec::new();
        let mut notifications = 0;
        for message in messages {
            if message.is_meta() {
                meta.push(message);
            } else {
                notifications += 1;
                // Over a cap the inbox drops the notification and records the overflow, which
                // every take that finds no match reports; the connect loop goes on.
                let _ = self
                    .inbox
                    .push(message.channel, message.data.unwrap_or(Value::Null));
            }
        }
        Ok((meta, notifications))
    }

    fn reply_to<'a>(
        &self,
        step: &'static str,
        replies: &'a [Message],
        channel: &str,
    ) -> Result<&'a Message, BayeuxError> {
        replies
            .iter()
            .find(|reply| reply.channel == channel)
            .ok_or_else(|| self.transport(step, format!("the response holds no {channel} reply")))
    }

    fn merge_advice(&self, advice: Option<&Advice>) {
        if let Some(advice) = advice {
            let mut session = self.session();
            if advice.reconnect.is_some() {
                session.advice.reconnect.clone_from(&advice.reconnect);
            }
            if advice.interval.is_some() {
                session.advice.interval = advice.interval;
            }
            if advice.timeout.is_some() {
                session.advice.timeout = advice.timeout;
            }
        }
    }

    /// `/meta/handshake`; on success stores the new `clientId` and counts the handshake.
    async fn handshake(&self) -> Result<(), BayeuxError> {
        let mut request = self.message(HANDSHAKE);
        request.version = Some("1.0".into());
        request.minimum_version = Some("1.0".into());
        request.supported_connection_types = Some(vec![LONG_POLLING.into()]);
        let replies = self
            .exchange("handshake", &[request], self.config.request_timeout)
            .await?;
        let reply = self.reply_to("handshake", &replies, HANDSHAKE)?;
        if reply.successful != Some(true) {
            return Err(self.refused("handshake", reply));
        }
        let Some(client_id) = reply.client_id.clone().filter(|id| !id.is_empty()) else {
            return Err(self.transport(
                "handshake",
                "successful handshake reply without a clientId".into(),
            ));
        };
        self.merge_advice(reply.advice.as_ref());
        let mut session = self.session();
        session.client_id = client_id;
        session.handshakes += 1;
        Ok(())
    }

    /// Re-handshakes (unless another task already did since `stale_client_id` failed) and
    /// re-subscribes every subscription.
    async fn rehandshake(&self, stale_client_id: &str) -> Result<(), BayeuxError> {
        let _one_at_a_time = self.handshake_lock.lock().await;
        if self.session().client_id != stale_client_id {
            return Ok(());
        }
        self.handshake().await?;
        let (client_id, subscriptions) = {
            let session = self.session();
            (session.client_id.clone(), session.subscriptions.clone())
        };
        if subscriptions.is_empty() {
            self.announce_ready();
            return Ok(());
        }
        let batch: Vec<Message> = subscriptions
            .iter()
            .map(|subscription| {
                let mut request = self.message(SUBSCRIBE);
                request.client_id = Some(client_id.clone());
                request.subscription = Some(Value::String(subscription.clone()));
                request
            })
            .collect();
        let replies = self
            .exchange("subscribe", &batch, self.config.request_timeout)
            .await?;
        for request in &batch {
            let reply = replies
                .iter()
                .find(|reply| reply.channel == SUBSCRIBE && reply.id == request.id)
                .ok_or_else(|| {
                    self.transport(
                        "subscribe",
                        format!(
                            "no reply to re-subscribe {}",
                            request
                                .subscription
                                .as_ref()
                                .map_or(String::new(), Value::to_string)
                        ),
                    )
                })?;
            if reply.successful != Some(true) {
                return Err(self.refused("subscribe", reply));
            }
        }
        self.announce_ready();
        Ok(())
    }

    fn announce_ready(&self) {
        let handshakes = self.session().handshakes;
        self.ready.send_replace(handshakes);
    }

    async fn subscription(
        &self,
        step: &'static str,
        channel: &str,
        subscription: &str,
    ) -> Result<(), BayeuxError> {
        for attempt in 0..2 {
            let client_id = self.session().client_id.clone();
            let mut request = self.message(channel);
            request.client_id = Some(client_id.clone());
            request.subscription = Some(Value::String(subscription.to_owned()));
            let replies = self
                .exchange(step, &[request], self.config.request_timeout)
                .await?;
            let reply = self.reply_to(step, &replies, channel)?;
            if reply.successful == Some(true) {
                return Ok(());
            }
            let unknown = reply.error.as_deref().is_some_and(is_unknown_client_error)
                || reply.advice.as_ref().and_then(|a| a.reconnect.as_deref()) == Some("handshake");
            if !unknown || attempt > 0 {
                return Err(self.refused(step, reply));
            }
            // Re-handshake (or find that the connect loop already did), then repeat the request
            // once with the new clientId: the connect loop's re-subscription may have been taken
            // before this subscription was recorded. Subscribing twice is harmless.
            self.rehandshake(&client_id).await?;
        }
        Err(self.transport(step, "still an unknown client after re-handshaking".into()))
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// Sleeps `duration` unless the client is stopped first; returns whether it is still running.
    async fn pause(&self, duration: Duration) -> bool {
        if duration.is_zero() {
            return !self.stopped();
        }
        let stop = self.stop.notified();
        tokio::pin!(stop);
        stop.as_mut().enable();
        if self.stopped() {
            return false;
        }
        tokio::select! {
            () = tokio::time::sleep(duration) => !self.stopped(),
            () = stop => false,
        }
    }

    async fn connect_loop(self: Arc<Self>) {
        let mut failures: u32 = 0;
        let mut rehandshakes: u32 = 0;
        let mut immediately = true;
        // The earliest start of the next connect (pacing; see the module docs).
        let mut not_before = tokio::time::Instant::now();
        loop {
            let (client_id, advice) = {
                let session = self.session();
                (session.client_id.clone(), session.advice.clone())
            };
            // Advice `interval` (section 5.1.2) is a protocol delay, not synchronisation.
            let interval = if immediately {
                Duration::ZERO
            } else {
                Duration::from_millis(advice.interval.unwrap_or(0))
            };
            let paced = not_before.saturating_duration_since(tokio::time::Instant::now());
            if !self.pause(interval.max(paced)).await {
                return;
            }
            immediately = false;
            let server_timeout = advice
                .timeout
                .map_or(DEFAULT_SERVER_TIMEOUT, Duration::from_millis);
            let mut request = self.message(CONNECT);
            request.client_id = Some(client_id.clone());
            request.connection_type = Some(LONG_POLLING.into());
            let sent = tokio::time::Instant::now();
            let outcome = self
                .exchange_counted(
                    "connect",
                    &[request],
                    server_timeout + self.config.request_timeout,
                )
                .await;
            if self.stopped() {
                return;
            }
            if let Err(error @ BayeuxError::Transport { .. }) = &outcome {
                // An answer that could not be read may have carried notifications.
                self.inbox.note_lost(error.clone());
            }
            let failure = match outcome.and_then(|(replies, notifications)| {
                self.reply_to("connect", &replies, CONNECT)
                    .cloned()
                    .map(|reply| (reply, notifications))
            }) {
                Err(error) => error,
                Ok((reply, notifications)) => {
                    self.merge_advice(reply.advice.as_ref());
                    let reconnect = reply.advice.as_ref().and_then(|a| a.reconnect.clone());
                    if reconnect.as_deref() == Some("none") {
                        self.stop_for_good(BayeuxError::Refused {
                            step: "connect",
                            endpoint: self.endpoint.clone(),
                            error: reply
                                .error
                                .clone()
                                .unwrap_or_else(|| "server advised reconnect \"none\"".into()),
                        });
                        return;
                    }
                    if reply.successful == Some(true) {
                        failures = 0;
                        rehandshakes = 0;
                        if notifications == 0 {
                            not_before = sent + MIN_CONNECT_SPACING;
                        }
                        continue;
                    }
                    let unknown = reply.error.as_deref().is_some_and(is_unknown_client_error);
                    if reconnect.as_deref() == Some("handshake") || unknown {
                        if rehandshakes >= REHANDSHAKES {
                            self.stop_for_good(self.transport(
                                "connect",
                                format!(
                                    "the server forgot the client again after {REHANDSHAKES} re-handshakes in a row: every /meta/connect after a re-handshake was answered unsuccessfully ({}), so no notification can be received",
                                    reply.error.as_deref().unwrap_or("advice reconnect \"handshake\"")
                                ),
                            ));
                            return;
                        }
                        rehandshakes += 1;
                        match self.rehandshake(&client_id).await {
                            Ok(()) => {
                                failures = 0;
                                immediately = true;
                                continue;
                            }
                            Err(error) => error,
                        }
                    } else {
                        self.refused("connect", &reply)
                    }
                }
            };
            if self.stopped() {
                return;
            }
            failures += 1;
            if failures > TRANSPORT_RETRIES {
                self.stop_for_good(failure);
                return;
            }
            if !self.pause(FIRST_BACKOFF * 2u32.pow(failures - 1)).await {
                return;
            }
            // After a failed round trip, retry the handshake path if the server may have lost us.
        }
    }

    fn stop_for_good(&self, error: BayeuxError) {
        self.stopped.store(true, Ordering::Release);
        self.stop.notify_waiters();
        self.inbox.fail(error);
        // Wake `wait_for_handshakes` so it reports the failure.
        self.ready.send_modify(|_| {});
    }
}

/// A response body as a batch: a JSON array of messages, or one message object.
///
/// The usual body, an array of messages, is deserialised straight from the bytes in one pass.
/// Anything else (one message object, or a body that does not parse) goes through
/// [`parse_response_slow`], which accepts the same bodies and words the error.
fn parse_response(body: &[u8]) -> Result<Vec<Message>, String> {
    match serde_json::from_slice::<Vec<Message>>(body) {
        Ok(messages) => Ok(messages),
        Err(_) => parse_response_slow(body),
    }
}

/// [`parse_response`] through a [`Value`]: parses the body, then each message, so an error
/// says whether the body is not JSON, not a batch, or holds a malformed message.
fn parse_response_slow(body: &[u8]) -> Result<Vec<Message>, String> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| format!("response is not JSON ({error}): {}", snippet(body)))?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        other => {
            return Err(format!(
                "response is not a Bayeux message batch: {}",
                snippet(other.to_string().as_bytes())
            ));
        }
    };
    items
        .iter()
        .map(|item| {
            Message::deserialize(item).map_err(|error| {
                format!(
                    "response holds a malformed Bayeux message ({error}): {}",
                    snippet(item.to_string().as_bytes())
                )
            })
        })
        .collect()
}

impl BayeuxClient {
    /// Handshakes (`/meta/handshake`) and starts the background connect loop.
    ///
    /// Errors: [`BayeuxError::Refused`] when the server answers `successful: false`,
    /// [`BayeuxError::Transport`] / [`BayeuxError::Timeout`] when the round trip fails.
    /// Must be called inside a tokio runtime (the connect loop is a spawned task).
    pub async fn handshake(
        http: reqwest::Client,
        config: ClientConfig,
    ) -> Result<Self, BayeuxError> {
        Self::handshake_with_inbox(http, config, Inbox::new()).await
    }

    /// [`BayeuxClient::handshake`], filing notifications into `inbox`, e.g. one built with
    /// [`Inbox::with_router`] (per-interaction mailboxes) and [`InboxLimits`]. Pass a fresh
    /// inbox: one that already failed makes every take that finds no match fail at once.
    /// Errors as [`BayeuxClient::handshake`].
    pub async fn handshake_with_inbox(
        http: reqwest::Client,
        config: ClientConfig,
        inbox: Inbox,
    ) -> Result<Self, BayeuxError> {
        let shared = Arc::new(ConnectionState {
            http,
            endpoint: redact(&config.endpoint),
            config,
            inbox,
            session: Mutex::new(Session::default()),
            next_id: AtomicU64::new(1),
            handshake_lock: tokio::sync::Mutex::new(()),
            stopped: AtomicBool::new(false),
            stop: Notify::new(),
            ready: watch::Sender::new(0),
        });
        shared.handshake().await?;
        shared.announce_ready();
        let connect_loop = tokio::spawn(shared.clone().connect_loop()).abort_handle();
        Ok(Self {
            shared,
            connect_loop,
        })
    }

    /// `/meta/subscribe` to one channel or pattern (`/v2/me/chats`, `/v2/me/*`, `/v2/me/**`);
    /// `Err` when the server refuses. The subscription is remembered and renewed after every
    /// re-handshake. A `402` answer triggers a re-handshake (which subscribes) instead of an error.
    pub async fn subscribe(&self, subscription: &str) -> Result<(), BayeuxError> {
        {
            let mut session = self.shared.session();
            if !session.subscriptions.iter().any(|s| s == subscription) {
                session.subscriptions.push(subscription.to_owned());
            }
        }
        let outcome = self
            .shared
            .subscription("subscribe", SUBSCRIBE, subscription)
            .await;
        if outcome.is_err() {
            self.shared
                .session()
                .subscriptions
                .retain(|s| s != subscription);
        }
        outcome
    }

    /// `/meta/unsubscribe`; the subscription is no longer renewed after a re-handshake.
    pub async fn unsubscribe(&self, subscription: &str) -> Result<(), BayeuxError> {
        self.shared
            .session()
            .subscriptions
            .retain(|s| s != subscription);
        self.shared
            .subscription("unsubscribe", UNSUBSCRIBE, subscription)
            .await
    }

    /// The shared inbox of notifications.
    pub fn inbox(&self) -> Inbox {
        self.shared.inbox.clone()
    }

    /// The current `clientId` (changes after a re-handshake).
    pub fn client_id(&self) -> String {
        self.shared.session().client_id.clone()
    }

    /// How many handshakes succeeded (1 unless the server forgot the client).
    pub fn handshakes(&self) -> u32 {
        self.shared.session().handshakes
    }

    /// Waits (event-driven, up to `timeout`) until at least `handshakes` handshakes have completed
    /// and every subscription was renewed after the last one; returns the count. Used to wait for
    /// the recovery after the server forgot the client (`402::Unknown client`).
    ///
    /// Errors: the connect loop's permanent failure, or [`BayeuxError::Timeout`] (step
    /// `re-handshake`) when the count was not reached in time.
    pub async fn wait_for_handshakes(
        &self,
        handshakes: u32,
        timeout: Duration,
    ) -> Result<u32, BayeuxError> {
        let mut ready = self.shared.ready.subscribe();
        let reached = tokio::time::timeout(timeout, async {
            loop {
                let now = *ready.borrow_and_update();
                if now >= handshakes {
                    return Ok(now);
                }
                if let Some(failure) = self.shared.inbox.failure() {
                    return Err(failure);
                }
                if ready.changed().await.is_err() {
                    return Err(self
                        .shared
                        .transport("re-handshake", "the client was dropped".into()));
                }
            }
        })
        .await;
        reached.unwrap_or_else(|_| {
            Err(BayeuxError::Timeout {
                step: "re-handshake",
                endpoint: self.shared.endpoint.clone(),
                waited: timeout,
            })
        })
    }

    /// The subscriptions that are renewed after a re-handshake, in subscription order.
    pub fn subscriptions(&self) -> Vec<String> {
        self.shared.session().subscriptions.clone()
    }

    /// `/meta/disconnect` and stop the connect loop. The loop is stopped even when the round trip
    /// fails; notifications already in the inbox stay takeable.
    pub async fn disconnect(&self) -> Result<(), BayeuxError> {
        self.shared.stopped.store(true, Ordering::Release);
        self.shared.stop.notify_waiters();
        self.connect_loop.abort();
        let mut request = self.shared.message(DISCONNECT);
        request.client_id = Some(self.client_id());
        let replies = self
            .shared
            .exchange("disconnect", &[request], self.shared.config.request_timeout)
            .await?;
        let reply = self.shared.reply_to("disconnect", &replies, DISCONNECT)?;
        if reply.successful == Some(true) {
            Ok(())
        } else {
            Err(self.shared.refused("disconnect", reply))
        }
    }
}

impl Drop for BayeuxClient {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::Release);
        self.shared.stop.notify_waiters();
        self.connect_loop.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass parse gives exactly what the two-pass parse gives, for every body shape the
    /// two-pass parse accepts, and the same error for the ones it refuses.
    #[test]
    fn one_pass_parse_matches_the_two_pass_parse() {
        let accepted = [
            r#"[{"channel":"/meta/connect","successful":true,"advice":{"interval":0,"timeout":30000,"reconnect":"retry"},"id":"7"},{"channel":"/v2/me/chats","data":{"messageType":"ChatStateChangeMessage","n":1.5,"big":18446744073709551615,"neg":-3},"x-extra":[1,"two",null]}]"#,
            r#"[{"channel":"/meta/handshake","id":12,"clientId":"abc","version":"1.0","supportedConnectionTypes":["long-polling"],"ext":{"ack":true}}]"#,
            r#"{"channel":"/meta/connect","successful":false,"error":"402::Unknown client"}"#,
            r#"[]"#,
            "  [ {\"channel\" : \"/a\\u002fb\", \"data\": null} ]\n",
            r#"[{"channel":"/a","other":1,"other":2}]"#,
        ];
        for body in accepted {
            let fast = parse_response(body.as_bytes());
            let slow = parse_response_slow(body.as_bytes());
            assert!(slow.is_ok(), "{body}: {slow:?}");
            assert_eq!(fast, slow, "{body}");
        }
        let refused = [
            "",
            "<html>busy</html>",
            r#"[{"channel":"/meta/connect""#,
            r#"[{"channel":"/meta/connect"}] trailing"#,
            "42",
            r#"[{"channel":5}]"#,
            r#"[{"id":{"no":"string"},"channel":"/a"}]"#,
            r#"[{"data":{}}]"#,
        ];
        for body in refused {
            let fast = parse_response(body.as_bytes());
            assert!(fast.is_err(), "{body}: {fast:?}");
            assert_eq!(fast, parse_response_slow(body.as_bytes()), "{body}");
        }
        let not_json = parse_response(b"<html>busy</html>").unwrap_err();
        assert!(not_json.starts_with("response is not JSON ("), "{not_json}");
        let not_batch = parse_response(b"42").unwrap_err();
        assert!(
            not_batch.starts_with("response is not a Bayeux message batch: 42"),
            "{not_batch}"
        );
        let malformed = parse_response(br#"[{"channel":5}]"#).unwrap_err();
        assert!(
            malformed.starts_with("response holds a malformed Bayeux message ("),
            "{malformed}"
        );
    }
}
