//! The server side of the Bayeux endpoint: client sessions, subscriptions, long-polling
//! `/meta/connect`, and delivery of published notifications to one owner (agent) only.
//! The HTTP layer (routing, authentication) belongs to the embedding server; it calls
//! [`Hub::handle`] (or [`Hub::handle_json`] with the raw body) with the authenticated owner and the
//! request's message batch. [`router_without_auth`] is a ready axum router for tests and embedding.
//!
//! Protocol: Bayeux 1.0 (<https://docs.cometd.org/current/reference/#_bayeux>): handshake
//! (section 4.1.1), connect (4.1.3, held until a message is queued or the advised `timeout`
//! passes), subscribe/unsubscribe (4.2) with the wildcards of section 2.2.1, disconnect (4.1.5),
//! advice (5.1), and `402::Unknown client` with `advice.reconnect: "handshake"` for a `clientId`
//! the hub does not know (the endpoint is `/api/v2/notifications`, as the CometD notifications page
//! says: <https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/AsynchronousEvents>).
//!
//! Locking (many agents, many clients at once): sessions live in [`SHARDS`] shards, each a
//! `RwLock<HashMap>` keyed by `clientId`, plus an owner index sharded the same way. A request takes
//! one shard lock just long enough to clone the session's `Arc`; all per-client work (queue,
//! subscriptions, the held connect) happens under that client's own `Mutex`. No lock is ever held
//! across an await: a held `/meta/connect` waits on a `tokio::sync::oneshot` that `publish`,
//! a newer connect, `disconnect` or `forget_clients` fire. Lock order is always shard, then
//! session (never the reverse), so there is no deadlock. Expired clients are swept lazily on
//! traffic (at most every `client_ttl / 4`), so no background task is needed.
//!
//! Bounds (issue 12: a hub that stays bounded under abuse), each a [`HubConfig`] field whose
//! default is a documented const:
//! - live sessions per owner ([`MAX_SESSIONS_PER_OWNER`]): a handshake at the cap evicts that
//!   owner's oldest session (by handshake order), passing over (and renewing the age of) at most
//!   [`EVICTION_SKIPS`] sessions that hold a `/meta/connect` at that moment, so an active client
//!   survives a flood of handshakes that never connect. The evicted client is forgotten: a connect
//!   it holds is answered at once, and its next message gets `402::Unknown client` with advice
//!   `reconnect: "handshake"`, as after expiry. Eviction is O(log n) (an ordered index per owner),
//!   never a scan of the owner's sessions.
//! - handshakes per request batch ([`MAX_HANDSHAKES_PER_BATCH`]): the excess handshakes of one
//!   batch are refused in the same reply batch, each with `successful: false` and
//!   [`TOO_MANY_HANDSHAKES`]; the others are answered as usual.
//! - queued messages per client, by count ([`MAX_QUEUED_PER_CLIENT`]) and by bytes
//!   ([`MAX_QUEUED_BYTES_PER_CLIENT`], a message counted as its JSON text): a publish to a full
//!   queue first drops the client's oldest queued messages until the new one fits, as a CometD
//!   `QueueMaxedListener` may ("Implementers may modify the queue, for example by removing or
//!   merging messages",
//!   <https://docs.cometd.org/current/apidocs/org/cometd/bayeux/server/ServerSession.QueueMaxedListener.html>).
//!   The session stays; a client that connects again gets the newest messages. One message larger
//!   than the byte bound on its own is still queued, alone. A published message is shared (one
//!   `Arc`) by every client it is queued for.
use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    hash::{BuildHasher, RandomState},
    sync::{
        Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::Value;
use tokio::sync::oneshot;

use crate::{
    channel,
    message::{
        self, Advice, CONNECT, DISCONNECT, HANDSHAKE, LONG_POLLING, Message, SUBSCRIBE,
        UNKNOWN_CLIENT, UNSUBSCRIBE,
    },
};

/// How many shards the session maps are split into.
pub const SHARDS: usize = 16;
/// Most messages queued for one client that is not connecting; older ones are dropped first.
pub const MAX_QUEUED_PER_CLIENT: usize = 10_000;
/// Most bytes (of the messages' JSON text) queued for one client that is not connecting, 4 MiB;
/// older messages are dropped first.
pub const MAX_QUEUED_BYTES_PER_CLIENT: usize = 4 * 1024 * 1024;
/// Most live sessions (handshaken, not yet ended) of one owner; a handshake at the cap evicts the
/// owner's oldest session (see the module doc).
pub const MAX_SESSIONS_PER_OWNER: usize = 1024;
/// Most `/meta/handshake` messages answered successfully in one request batch; the excess are
/// refused with [`TOO_MANY_HANDSHAKES`].
pub const MAX_HANDSHAKES_PER_BATCH: usize = 16;
/// At most this many sessions holding a `/meta/connect` are passed over by one eviction.
pub const EVICTION_SKIPS: usize = 4;
/// The Bayeux error of a handshake refused because its batch already held
/// [`HubConfig::max_handshakes_per_batch`] handshakes.
pub const TOO_MANY_HANDSHAKES: &str = "400::too many handshakes in one batch";

/// Hub settings; times are what the server advises clients.
#[derive(Clone, Debug)]
pub struct HubConfig {
    /// How long `/meta/connect` is held open when nothing is queued (advice `timeout`).
    pub connect_timeout: Duration,
    /// Advice `interval` between connects.
    pub interval: Duration,
    /// A client that has not connected for this long is forgotten (`402::Unknown client`).
    pub client_ttl: Duration,
    /// Most live sessions per owner (default [`MAX_SESSIONS_PER_OWNER`]; at least 1).
    pub max_sessions_per_owner: usize,
    /// Most successful handshakes per request batch (default [`MAX_HANDSHAKES_PER_BATCH`]).
    pub max_handshakes_per_batch: usize,
    /// Most messages queued per client (default [`MAX_QUEUED_PER_CLIENT`]; at least 1).
    pub max_queued_messages: usize,
    /// Most bytes queued per client (default [`MAX_QUEUED_BYTES_PER_CLIENT`]).
    pub max_queued_bytes: usize,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(30),
            interval: Duration::ZERO,
            client_ttl: Duration::from_secs(60),
            max_sessions_per_owner: MAX_SESSIONS_PER_OWNER,
            max_handshakes_per_batch: MAX_HANDSHAKES_PER_BATCH,
            max_queued_messages: MAX_QUEUED_PER_CLIENT,
            max_queued_bytes: MAX_QUEUED_BYTES_PER_CLIENT,
        }
    }
}

/// What is queued for one client: see [`Hub::queued`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    /// Messages waiting for the client's next `/meta/connect`.
    pub messages: usize,
    /// Their size, in bytes of JSON text.
    pub bytes: usize,
}

type Shard<V> = RwLock<HashMap<String, V>>;

/// Shared state of the Bayeux endpoint.
#[derive(Debug)]
pub struct Hub {
    config: HubConfig,
    hasher: RandomState,
    /// `clientId` → session.
    sessions: Vec<Shard<Arc<Session>>>,
    /// owner → its live sessions, oldest first.
    owners: Vec<Shard<OwnerSessions>>,
    epoch: Instant,
    last_sweep_ms: AtomicU64,
}

/// The live sessions of one owner, in handshake order.
#[derive(Debug, Default)]
struct OwnerSessions {
    /// `clientId` → its key in `by_age`.
    ages: HashMap<String, u64>,
    /// Age → session, oldest (smallest) first. An eviction that passes over a session holding a
    /// connect gives it a new (youngest) age.
    by_age: BTreeMap<u64, Arc<Session>>,
    next_age: u64,
}

impl OwnerSessions {
    fn len(&self) -> usize {
        self.ages.len()
    }

    fn is_empty(&self) -> bool {
        self.ages.is_empty()
    }

    fn push(&mut self, session: Arc<Session>) {
        let age = self.next_age;
        self.next_age += 1;
        self.ages.insert(session.id.clone(), age);
        self.by_age.insert(age, session);
    }

    fn remove(&mut self, client_id: &str) {
        if let Some(age) = self.ages.remove(client_id) {
            self.by_age.remove(&age);
        }
    }

    /// Takes the session to evict: the oldest, passing over up to [`EVICTION_SKIPS`] that hold a
    /// connect (each renewed to the youngest age). O(log n) per step.
    fn pop_for_eviction(&mut self) -> Option<Arc<Session>> {
        for _ in 0..EVICTION_SKIPS {
            let (_, oldest) = self.by_age.pop_first()?;
            let holding = {
                let state = oldest.state();
                state.holding && state.ended.is_none()
            };
            if !holding {
                self.ages.remove(&oldest.id);
                return Some(oldest);
            }
            self.ages.remove(&oldest.id);
            self.push(oldest);
        }
        let (_, oldest) = self.by_age.pop_first()?;
        self.ages.remove(&oldest.id);
        Some(oldest)
    }

    fn sessions(&self) -> Vec<Arc<Session>> {
        self.by_age.values().cloned().collect()
    }
}

#[derive(Debug)]
struct Session {
    id: String,
    owner: String,
    state: Mutex<SessionState>,
}

#[derive(Debug)]
struct SessionState {
    subscriptions: Vec<String>,
    /// Messages and their sizes in bytes, oldest first.
    queue: VecDeque<(Arc<Message>, usize)>,
    /// Sum of the sizes in `queue`.
    queued_bytes: usize,
    last_seen: Instant,
    /// Number of the newest `/meta/connect`; a held connect with an older number was superseded.
    connect_gen: u64,
    /// Wakes the held connect, if any.
    waiter: Option<oneshot::Sender<()>>,
    holding: bool,
    ended: Option<End>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Disconnected,
    Forgotten,
}

impl Session {
    fn state(&self) -> MutexGuard<'_, SessionState> {
        // Every update under this lock is a single step, so a poisoned lock is still consistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Un-marks a held connect whose request future was dropped before it was answered.
struct HoldGuard<'a> {
    session: &'a Session,
    generation: u64,
    armed: bool,
}

impl Drop for HoldGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            let mut state = self.session.state();
            if state.connect_gen == self.generation {
                state.holding = false;
                state.waiter = None;
                state.last_seen = Instant::now();
            }
        }
    }
}

fn read<V>(shard: &Shard<V>) -> RwLockReadGuard<'_, HashMap<String, V>> {
    shard
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<V>(shard: &Shard<V>) -> RwLockWriteGuard<'_, HashMap<String, V>> {
    shard
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Hub {
    /// A hub with no clients.
    pub fn new(config: HubConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            hasher: RandomState::new(),
            sessions: (0..SHARDS).map(|_| RwLock::default()).collect(),
            owners: (0..SHARDS).map(|_| RwLock::default()).collect(),
            epoch: Instant::now(),
            last_sweep_ms: AtomicU64::new(0),
        })
    }

    /// The settings this hub was built with.
    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    fn shard_of(&self, key: &str) -> usize {
        usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0)
    }

    fn advice(&self) -> Advice {
        Advice {
            reconnect: Some("retry".into()),
            interval: Some(millis(self.config.interval)),
            timeout: Some(millis(self.config.connect_timeout)),
        }
    }

    /// Answers one POSTed batch from the authenticated `owner`; the reply batch (may wait up to
    /// `connect_timeout` when the batch holds a `/meta/connect`). Replies come in request order;
    /// a connect reply is preceded by the notifications it delivers.
    pub async fn handle(&self, owner: &str, batch: Vec<Message>) -> Vec<Message> {
        self.handle_parsed(owner, batch.into_iter().map(Ok).collect())
            .await
    }

    /// Like [`Hub::handle`] but from the raw request body: a malformed body or batch element gets an
    /// unsuccessful reply with a `400::...` error in its place (see [`message::parse_batch`]).
    pub async fn handle_json(&self, owner: &str, body: &[u8]) -> Vec<Message> {
        self.handle_parsed(owner, message::parse_batch(body)).await
    }

    async fn handle_parsed(
        &self,
        owner: &str,
        batch: Vec<Result<Message, Message>>,
    ) -> Vec<Message> {
        self.maybe_sweep();
        let mut replies = Vec::with_capacity(batch.len());
        let mut handshakes = 0usize;
        for item in batch {
            match item {
                Err(reply) => replies.push(reply),
                Ok(request) if request.channel == HANDSHAKE => {
                    handshakes += 1;
                    if handshakes > self.config.max_handshakes_per_batch {
                        replies.push(failure(
                            &request,
                            format!(
                                "{TOO_MANY_HANDSHAKES} (at most {})",
                                self.config.max_handshakes_per_batch
                            ),
                        ));
                    } else {
                        replies.push(self.handshake(owner, &request));
                    }
                }
                Ok(request) => self.handle_one(owner, request, &mut replies).await,
            }
        }
        replies
    }

    async fn handle_one(&self, owner: &str, request: Message, replies: &mut Vec<Message>) {
        match request.channel.as_str() {
            HANDSHAKE => replies.push(self.handshake(owner, &request)),
            CONNECT => self.connect(owner, &request, replies).await,
            SUBSCRIBE => replies.push(self.subscription(owner, &request, true)),
            UNSUBSCRIBE => replies.push(self.subscription(owner, &request, false)),
            DISCONNECT => replies.push(self.disconnect(owner, &request)),
            other if channel::is_meta(other) => {
                replies.push(failure(
                    &request,
                    format!("400::unknown meta channel {other}"),
                ));
            }
            other => {
                let reply = match channel::validate(other, false) {
                    Err(error) => failure(&request, format!("400::{error}")),
                    Ok(()) => failure(
                        &request,
                        "403::publish denied: notifications are sent by the server only".into(),
                    ),
                };
                replies.push(reply);
            }
        }
    }

    /// Section 4.1.1: a handshake offering no connection type in common with the server's
    /// (`long-polling` only) is unsuccessful ("If there are no connectionTypes in common, the
    /// handshake response MUST be unsuccessful"), with an `error`, the server's
    /// `supportedConnectionTypes` and its `version` (both MAY fields of an unsuccessful reply) and
    /// no `clientId`. The `version` and `minimumVersion` a client offers are not judged: Bayeux
    /// 1.0 states no refusal for them, and CometD's servers (Java `BayeuxServerImpl`,
    /// cometd-nodejs-server) answer every handshake with version `1.0`, as this one does.
    fn handshake(&self, owner: &str, request: &Message) -> Message {
        if let Some(types) = &request.supported_connection_types
            && !types.iter().any(|t| t == LONG_POLLING)
        {
            let mut reply = failure(
                request,
                "400::no common connection type; this server supports long-polling".into(),
            );
            reply.client_id = None;
            reply.version = Some("1.0".into());
            reply.supported_connection_types = Some(vec![LONG_POLLING.into()]);
            return reply;
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let session = Arc::new(Session {
            id: id.clone(),
            owner: owner.to_owned(),
            state: Mutex::new(SessionState {
                subscriptions: Vec::new(),
                queue: VecDeque::new(),
                queued_bytes: 0,
                last_seen: Instant::now(),
                connect_gen: 0,
                waiter: None,
                holding: false,
                ended: None,
            }),
        });
        let mut evicted = Vec::new();
        {
            let mut owners = write(&self.owners[self.shard_of(owner)]);
            let clients = owners.entry(owner.to_owned()).or_default();
            while clients.len() >= self.config.max_sessions_per_owner.max(1) {
                match clients.pop_for_eviction() {
                    Some(oldest) => evicted.push(oldest),
                    None => break,
                }
            }
            clients.push(session.clone());
        }
        write(&self.sessions[self.shard_of(&id)]).insert(id.clone(), session);
        for oldest in &evicted {
            // Already out of the owner index: remove() finds nothing there, and drops it from
            // the clientId map and ends it.
            self.remove(oldest, End::Forgotten);
        }
        let mut reply = request.reply();
        reply.version = Some("1.0".into());
        reply.supported_connection_types = Some(vec![LONG_POLLING.into()]);
        reply.client_id = Some(id);
        reply.successful = Some(true);
        reply.advice = Some(self.advice());
        reply
    }

    /// The live session `client_id` of `owner`, if any. Another owner's `clientId` is unknown here.
    fn session(&self, owner: &str, client_id: Option<&str>) -> Option<Arc<Session>> {
        let client_id = client_id?;
        let session = read(&self.sessions[self.shard_of(client_id)])
            .get(client_id)
            .cloned()?;
        if session.owner != owner {
            return None;
        }
        let expired = {
            let state = session.state();
            if state.ended.is_some() {
                return None;
            }
            !state.holding && state.last_seen.elapsed() > self.config.client_ttl
        };
        if expired {
            self.remove(&session, End::Forgotten);
            return None;
        }
        Some(session)
    }

    fn unknown_client(&self, request: &Message, reconnect: &str) -> Message {
        let mut reply = failure(request, UNKNOWN_CLIENT.into());
        reply.advice = Some(Advice {
            reconnect: Some(reconnect.into()),
            interval: Some(0),
            timeout: None,
        });
        reply
    }

    async fn connect(&self, owner: &str, request: &Message, replies: &mut Vec<Message>) {
        let Some(session) = self.session(owner, request.client_id.as_deref()) else {
            replies.push(self.unknown_client(request, "handshake"));
            return;
        };
        if let Some(kind) = &request.connection_type
            && kind != LONG_POLLING
        {
            replies.push(failure(
                request,
                format!("400::unsupported connectionType {kind:?}; use long-polling"),
            ));
            return;
        }
        // A client may ask for a shorter hold (CometD clients send `advice.timeout: 0` on their
        // first connect to get an immediate answer).
        let hold = match request.advice.as_ref().and_then(|a| a.timeout) {
            Some(asked) => self
                .config
                .connect_timeout
                .min(Duration::from_millis(asked)),
            None => self.config.connect_timeout,
        };
        let (generation, woken) = {
            let mut state = session.state();
            state.last_seen = Instant::now();
            if !state.queue.is_empty() || hold.is_zero() {
                drain(&mut state, replies);
                replies.push(self.connect_reply(request, &session.id));
                return;
            }
            state.connect_gen += 1;
            let (wake, woken) = oneshot::channel();
            if let Some(previous) = state.waiter.replace(wake) {
                // A newer connect from the same client supersedes the held one: answer it now.
                let _ = previous.send(());
            }
            state.holding = true;
            (state.connect_gen, woken)
        };
        // If the HTTP request goes away mid-hold (the client closed the connection), the guard
        // un-marks the hold so the client can expire; queued messages stay for its next connect.
        let mut guard = HoldGuard {
            session: &session,
            generation,
            armed: true,
        };
        // Ok(Ok) woken by publish/supersede/end, Ok(Err) sender dropped, Err the hold expired: the
        // state below says which.
        let _ = tokio::time::timeout(hold, woken).await;
        guard.armed = false;
        let mut state = session.state();
        state.last_seen = Instant::now();
        if state.connect_gen != generation {
            // Superseded: leave queued messages for the newer connect.
            replies.push(self.connect_reply(request, &session.id));
            return;
        }
        state.holding = false;
        state.waiter = None;
        match state.ended {
            Some(End::Disconnected) => replies.push(self.unknown_client(request, "none")),
            Some(End::Forgotten) => replies.push(self.unknown_client(request, "handshake")),
            None => {
                drain(&mut state, replies);
                replies.push(self.connect_reply(request, &session.id));
            }
        }
    }

    fn connect_reply(&self, request: &Message, client_id: &str) -> Message {
        let mut reply = request.reply();
        reply.client_id = Some(client_id.to_owned());
        reply.successful = Some(true);
        reply.advice = Some(self.advice());
        reply
    }

    fn subscription(&self, owner: &str, request: &Message, subscribe: bool) -> Message {
        let Some(session) = self.session(owner, request.client_id.as_deref()) else {
            let mut reply = self.unknown_client(request, "handshake");
            reply.subscription = request.subscription.clone();
            return reply;
        };
        let mut reply = request.reply();
        reply.client_id = Some(session.id.clone());
        reply.subscription = request.subscription.clone();
        let Some(patterns) = request.subscriptions().filter(|p| !p.is_empty()) else {
            reply.successful = Some(false);
            reply.error =
                Some("400::subscription missing, or not a channel or an array of channels".into());
            return reply;
        };
        for pattern in &patterns {
            let problem = match channel::validate(pattern, true) {
                Err(error) => Some(format!("400::{error}")),
                Ok(()) if channel::is_meta(pattern) => {
                    Some(format!("403::cannot subscribe to meta channel {pattern}"))
                }
                Ok(()) => None,
            };
            if let Some(error) = problem {
                reply.successful = Some(false);
                reply.error = Some(error);
                return reply;
            }
        }
        let mut state = session.state();
        state.last_seen = Instant::now();
        for pattern in patterns {
            let known = state.subscriptions.contains(&pattern);
            if subscribe && !known {
                state.subscriptions.push(pattern);
            } else if !subscribe && known {
                state.subscriptions.retain(|p| *p != pattern);
            }
        }
        reply.successful = Some(true);
        reply
    }

    fn disconnect(&self, owner: &str, request: &Message) -> Message {
        let Some(session) = self.session(owner, request.client_id.as_deref()) else {
            return self.unknown_client(request, "none");
        };
        self.remove(&session, End::Disconnected);
        let mut reply = request.reply();
        reply.client_id = Some(session.id.clone());
        reply.successful = Some(true);
        reply
    }

    /// Removes `session` from both maps, marks it ended and releases its held connect.
    fn remove(&self, session: &Arc<Session>, end: End) {
        write(&self.sessions[self.shard_of(&session.id)]).remove(&session.id);
        {
            let mut owners = write(&self.owners[self.shard_of(&session.owner)]);
            if let Some(clients) = owners.get_mut(&session.owner) {
                clients.remove(&session.id);
                if clients.is_empty() {
                    owners.remove(&session.owner);
                }
            }
        }
        let mut state = session.state();
        state.ended.get_or_insert(end);
        state.queue = VecDeque::new();
        state.queued_bytes = 0;
        if let Some(wake) = state.waiter.take() {
            let _ = wake.send(());
        }
    }

    /// Queues `data` on `channel` for every client of `owner` subscribed to a matching pattern
    /// and wakes their pending connects. Returns how many clients it was queued for (0 for an
    /// invalid channel name). A full queue drops its oldest messages first (see the module doc:
    /// [`HubConfig::max_queued_messages`], [`HubConfig::max_queued_bytes`]).
    pub fn publish(&self, owner: &str, channel: &str, data: Value) -> usize {
        if channel::validate(channel, false).is_err() {
            return 0;
        }
        let clients: Vec<Arc<Session>> = read(&self.owners[self.shard_of(owner)])
            .get(owner)
            .map(OwnerSessions::sessions)
            .unwrap_or_default();
        let mut message = Message::new(channel);
        message.data = Some(data);
        let size = json_len(&message);
        let message = Arc::new(message);
        let max_messages = self.config.max_queued_messages.max(1);
        let max_bytes = self.config.max_queued_bytes;
        let mut delivered = 0;
        for session in clients {
            let mut state = session.state();
            if state.ended.is_some()
                || !state
                    .subscriptions
                    .iter()
                    .any(|p| channel::matches(p, channel))
            {
                continue;
            }
            while state.queue.len() >= max_messages
                || (!state.queue.is_empty() && state.queued_bytes + size > max_bytes)
            {
                if let Some((_, dropped)) = state.queue.pop_front() {
                    state.queued_bytes -= dropped;
                }
            }
            state.queue.push_back((Arc::clone(&message), size));
            state.queued_bytes += size;
            if let Some(wake) = state.waiter.take() {
                let _ = wake.send(());
            }
            delivered += 1;
        }
        delivered
    }

    /// Forgets every client of `owner` (their next message gets `402::Unknown client`; a connect
    /// held at that moment is answered with it at once). Returns how many were forgotten.
    pub fn forget_clients(&self, owner: &str) -> usize {
        let clients: Vec<Arc<Session>> = read(&self.owners[self.shard_of(owner)])
            .get(owner)
            .map(OwnerSessions::sessions)
            .unwrap_or_default();
        for session in &clients {
            self.remove(session, End::Forgotten);
        }
        clients.len()
    }

    /// How many clients of `owner` are known (handshaken, not disconnected, forgotten or expired
    /// by the last sweep).
    pub fn client_count(&self, owner: &str) -> usize {
        read(&self.owners[self.shard_of(owner)])
            .get(owner)
            .map_or(0, OwnerSessions::len)
    }

    /// What is queued for the live client `client_id` (of any owner), `None` for an unknown one.
    pub fn queued(&self, client_id: &str) -> Option<Queued> {
        let session = read(&self.sessions[self.shard_of(client_id)])
            .get(client_id)
            .cloned()?;
        let state = session.state();
        Some(Queued {
            messages: state.queue.len(),
            bytes: state.queued_bytes,
        })
    }

    /// How many clients are known across all owners.
    pub fn total_clients(&self) -> usize {
        self.sessions.iter().map(|shard| read(shard).len()).sum()
    }

    /// Forgets clients that have not connected for `client_ttl` (no held connect, last message
    /// older than the TTL). Runs at most every `client_ttl / 4`, called on traffic.
    fn maybe_sweep(&self) {
        let now = millis(self.epoch.elapsed());
        let period = millis(self.config.client_ttl / 4).max(1);
        let last = self.last_sweep_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < period
            || self
                .last_sweep_ms
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        self.sweep();
    }

    /// Forgets every client idle for longer than `client_ttl` now; returns how many.
    pub fn sweep(&self) -> usize {
        let ttl = self.config.client_ttl;
        let mut expired = Vec::new();
        for shard in &self.sessions {
            let sessions: Vec<Arc<Session>> = read(shard).values().cloned().collect();
            for session in sessions {
                let state = session.state();
                if !state.holding && state.last_seen.elapsed() > ttl {
                    drop(state);
                    expired.push(session);
                }
            }
        }
        for session in &expired {
            self.remove(session, End::Forgotten);
        }
        expired.len()
    }
}

/// Moves the queued messages into `replies` (a message queued for several clients is cloned
/// here, once per client, when it is delivered).
fn drain(state: &mut SessionState, replies: &mut Vec<Message>) {
    replies.extend(
        state
            .queue
            .drain(..)
            .map(|(message, _)| Arc::unwrap_or_clone(message)),
    );
    state.queued_bytes = 0;
}

/// The length of `message`'s JSON text, without building it.
fn json_len(message: &Message) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, message);
    count.0
}

fn failure(request: &Message, error: String) -> Message {
    let mut reply = request.reply();
    reply.client_id = request.client_id.clone();
    reply.successful = Some(false);
    reply.error = Some(error);
    reply
}

/// An axum router serving `hub` at `/api/v2/notifications`, POST only, and also at
/// `/api/v2/notifications/` and `/api/v2/notifications/{*rest}`: the CometD JavaScript client
/// (`appendMessageTypeToURL`, on by default) posts handshakes to `.../handshake`, connects to
/// `.../connect` and every other batch to the URL with a trailing `/`. NO
/// authentication: the owner is the user name of an `Authorization: Basic` header if present and
/// decodable, `"anonymous"` otherwise; the password is ignored. For tests and embedding only; the
/// reference server authenticates before calling [`Hub::handle_json`].
pub fn router_without_auth(hub: Arc<Hub>) -> axum::Router {
    use axum::{Json, extract::State, http::HeaderMap, routing::post};

    async fn endpoint(
        State(hub): State<Arc<Hub>>,
        headers: HeaderMap,
        body: axum::body::Bytes,
    ) -> Json<Vec<Message>> {
        let owner = basic_user(&headers).unwrap_or_else(|| "anonymous".to_owned());
        Json(hub.handle_json(&owner, &body).await)
    }

    axum::Router::new()
        .route("/api/v2/notifications", post(endpoint))
        .route("/api/v2/notifications/", post(endpoint))
        .route("/api/v2/notifications/{*rest}", post(endpoint))
        .with_state(hub)
}

/// The user name of an `Authorization: Basic` header (RFC 7617), unverified; `None` when absent or
/// undecodable. The password is dropped at once.
pub fn basic_user(headers: &axum::http::HeaderMap) -> Option<String> {
    use headers::{Authorization, HeaderMapExt as _, authorization::Basic};
    let Authorization(basic) = headers.typed_get::<Authorization<Basic>>()?;
    Some(basic.username().to_owned())
}
