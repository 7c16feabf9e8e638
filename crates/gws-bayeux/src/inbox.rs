//! The notification inbox: every non-meta message a [`crate::client::BayeuxClient`] receives is
//! filed here the moment its HTTP response is read, so a notification that arrives before the
//! HTTP response to the operation that caused it is not lost. Steps then take the first
//! notification matching a predicate (topic, `messageType`, interaction id, `referenceId`, ...).
//!
//! Mailboxes: an inbox built with [`Inbox::with_router`] files each notification, on arrival,
//! under the mailbox key its [`Router`] computes from the channel and the `data` (typically the
//! interaction id); `None` is the one mailbox for notifications that name no interaction. An
//! inbox without a router ([`Inbox::new`], [`Inbox::default`]) files everything there.
//! [`Inbox::take_from`] scans one mailbox and is woken only by arrivals into it;
//! [`Inbox::take`] scans every mailbox in arrival order. A mailbox that becomes empty and has
//! no waiter is removed, so the keys do not grow without bound.
//!
//! Bounds: [`InboxLimits`] caps the count and the bytes held per mailbox and in total. Bytes are
//! the serialized size of a notification: the channel's length plus the length of `data` written
//! as compact JSON (counted, not allocated). A notification that would exceed a cap is dropped and
//! the inbox records the first such [`Overflow`]; from then on every take that finds no match
//! returns [`WaitError::Overflow`] at once. The client keeps running and the inbox keeps storing
//! what fits.
//!
//! Concurrency: one `std::sync::Mutex` around the mailboxes (never held across an await), one
//! `tokio::sync::Notify` per mailbox that has a waiter (woken by arrivals into that mailbox) and
//! one that wakes every [`Inbox::take`] on each arrival. Failure and the first overflow wake every
//! waiter. Takers register for the wake-up *before* they look at the queue, so no arrival can slip
//! between the look and the wait.
use std::{
    collections::{HashMap, HashSet, VecDeque},
    fmt, io,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use serde_json::Value;
use tokio::sync::Notify;

use crate::error::BayeuxError;

/// A notification as received: the Bayeux `channel` and `data`.
#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    /// The Bayeux channel (GWS topic), e.g. `/v2/me/chats`.
    pub channel: String,
    /// The message's `data` (GWS payload with `messageType`, `notificationType`, ...); `null`
    /// when the message had none.
    pub data: Value,
    /// Arrival order within the inbox (run-wide, across mailboxes), from 0. Only stored
    /// notifications are numbered; dropped ones are counted by [`Inbox::dropped`].
    pub seq: u64,
    /// When the HTTP response carrying it was read.
    pub received_at: Instant,
}

/// At most this many notifications are cloned into [`WaitError::Timeout::seen`]; the rest are
/// only counted (`others`).
pub const SEEN_IN_TIMEOUT: usize = 10;

/// Why [`Inbox::take`] or [`Inbox::take_from`] returned no notification.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// Nothing matched within the bound. `seen` holds at most [`SEEN_IN_TIMEOUT`] of the
    /// notifications waiting (unmatched) when the wait ended, in arrival order; `others` counts
    /// the ones not shown. For [`Inbox::take_from`], `seen` starts with the oldest of the awaited
    /// mailbox and is filled up with the newest of the other mailboxes; for [`Inbox::take`] it is
    /// the newest of all.
    #[error("no matching notification within {waited:?} ({} other notification(s) waiting)", .seen.len() + .others)]
    Timeout {
        waited: Duration,
        seen: Vec<Notification>,
        others: usize,
    },
    /// The connect loop failed for good (target gone, re-handshake refused).
    #[error(transparent)]
    Transport(BayeuxError),
    /// The inbox dropped notifications because one arrived over a cap (the first overflow):
    /// `cap` is the [`InboxLimits`] field's name (`per_mailbox_count`, `per_mailbox_bytes`,
    /// `total_count`, `total_bytes`), `limit` its value (a count or bytes), `mailbox` the key
    /// of the dropped notification. The awaited notification may have been among the dropped.
    #[error(
        "the notification inbox dropped notifications: over its {cap} cap of {limit} (mailbox {})",
        mailbox_name(.mailbox.as_deref())
    )]
    Overflow {
        cap: String,
        limit: u64,
        mailbox: Option<String>,
    },
}

fn mailbox_name(key: Option<&str>) -> String {
    key.map_or_else(|| "without interaction".to_owned(), |k| format!("{k:?}"))
}

/// Computes the mailbox key of a notification from its channel and `data`; `None` files it in
/// the mailbox for notifications that name no interaction. Runs once per arrival, outside the
/// inbox's lock (it may not block; it must not call back into the inbox it routes for).
pub type Router = Arc<dyn Fn(&str, &Value) -> Option<String> + Send + Sync>;

/// Caps on what an inbox holds; counts are notifications, bytes are serialized sizes (channel
/// length plus compact JSON length of `data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InboxLimits {
    /// Most notifications held in one mailbox.
    pub per_mailbox_count: usize,
    /// Most bytes held in one mailbox.
    pub per_mailbox_bytes: u64,
    /// Most notifications held in the whole inbox.
    pub total_count: usize,
    /// Most bytes held in the whole inbox.
    pub total_bytes: u64,
}

impl InboxLimits {
    /// The defaults for a routed inbox: 1,000 notifications / 8 MiB per mailbox, 20,000
    /// notifications / 64 MiB in total.
    pub const DEFAULT: Self = Self {
        per_mailbox_count: 1_000,
        per_mailbox_bytes: 8 * 1024 * 1024,
        total_count: 20_000,
        total_bytes: 64 * 1024 * 1024,
    };

    /// The limits of an inbox without a router ([`Inbox::new`]): everything shares one mailbox,
    /// so its caps are the totals of [`InboxLimits::DEFAULT`] (20,000 / 64 MiB).
    pub const ONE_MAILBOX: Self = Self {
        per_mailbox_count: Self::DEFAULT.total_count,
        per_mailbox_bytes: Self::DEFAULT.total_bytes,
        total_count: Self::DEFAULT.total_count,
        total_bytes: Self::DEFAULT.total_bytes,
    };
}

impl Default for InboxLimits {
    /// [`InboxLimits::DEFAULT`].
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The first notification an inbox dropped: which cap it would have exceeded, the cap's value
/// and the notification's mailbox key (see [`WaitError::Overflow`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overflow {
    /// The [`InboxLimits`] field's name.
    pub cap: &'static str,
    /// Its value (notifications or bytes).
    pub limit: u64,
    /// The dropped notification's mailbox key.
    pub mailbox: Option<String>,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "over the {} cap of {} (mailbox {})",
            self.cap,
            self.limit,
            mailbox_name(self.mailbox.as_deref())
        )
    }
}

impl std::error::Error for Overflow {}

impl From<Overflow> for WaitError {
    fn from(overflow: Overflow) -> Self {
        Self::Overflow {
            cap: overflow.cap.to_owned(),
            limit: overflow.limit,
            mailbox: overflow.mailbox,
        }
    }
}

/// Every notification received and not yet taken, filed by mailbox. Cloning shares it.
#[derive(Clone, Debug)]
pub struct Inbox {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    router: Option<Router>,
    limits: InboxLimits,
    /// Wakes every [`Inbox::take`] on each arrival (and on failure and the first overflow).
    any_arrival: Notify,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbox")
            .field("routed", &self.router.is_some())
            .field("limits", &self.limits)
            .field("state", &self.state)
            .finish()
    }
}

#[derive(Debug, Default)]
struct State {
    /// The mailbox for notifications that name no interaction (never removed; it is one).
    unnamed: Mailbox,
    named: HashMap<String, Mailbox>,
    next_seq: u64,
    count: usize,
    bytes: u64,
    dropped: u64,
    failure: Option<BayeuxError>,
    overflow: Option<Overflow>,
    /// Connect answers that arrived but could not be read, and the first one's error.
    lost: Option<(u64, BayeuxError)>,
    /// Keys [`Inbox::retire`]d, oldest first (at most [`RETIRED_KEYS`]); with `retired_set`.
    retired: VecDeque<String>,
    retired_set: HashSet<String>,
}

/// How many retired mailbox keys an inbox remembers ([`Inbox::retire`]): notifications for one
/// of them are discarded; for an older one a mailbox is opened again (held within the caps).
pub const RETIRED_KEYS: usize = 4096;

#[derive(Debug, Default)]
struct Mailbox {
    queue: VecDeque<Stored>,
    bytes: u64,
    /// How many [`Inbox::take_from`] calls wait on this mailbox.
    waiters: usize,
    /// Their wake-up, present while `waiters > 0`.
    arrived: Option<Arc<Notify>>,
}

#[derive(Debug)]
struct Stored {
    notification: Notification,
    bytes: u64,
}

/// Which notifications a timeout report describes.
#[derive(Clone, Copy)]
enum Scope<'a> {
    All,
    One(Option<&'a str>),
}

/// The first notification of `queue` matching `predicate` with a `seq` below `below`:
/// (position, seq). The queue is in arrival order, so the scan stops at `below`.
fn first_match(
    queue: &VecDeque<Stored>,
    predicate: &impl Fn(&Notification) -> bool,
    below: u64,
) -> Option<(usize, u64)> {
    for (position, stored) in queue.iter().enumerate() {
        let seq = stored.notification.seq;
        if seq >= below {
            return None;
        }
        if predicate(&stored.notification) {
            return Some((position, seq));
        }
    }
    None
}

/// The length of `value` written as compact JSON, counted without building the text.
fn serialized_len(value: &Value) -> u64 {
    struct Count(u64);
    impl io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0 += bytes.len() as u64;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // A `Value` always serializes (its keys are strings) and this sink never fails.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

impl State {
    fn mailbox(&self, key: Option<&str>) -> Option<&Mailbox> {
        match key {
            None => Some(&self.unnamed),
            Some(key) => self.named.get(key),
        }
    }

    fn mailbox_mut(&mut self, key: Option<&str>) -> Option<&mut Mailbox> {
        match key {
            None => Some(&mut self.unnamed),
            Some(key) => self.named.get_mut(key),
        }
    }

    /// The mailbox under `key`, created empty if missing.
    fn mailbox_or_new(&mut self, key: Option<&str>) -> &mut Mailbox {
        match key {
            None => &mut self.unnamed,
            Some(key) => {
                if !self.named.contains_key(key) {
                    self.named.insert(key.to_owned(), Mailbox::default());
                }
                self.named.get_mut(key).expect("inserted above")
            }
        }
    }

    /// Removes the mailbox under `key` if it is empty and nobody waits on it.
    fn prune(&mut self, key: Option<&str>) {
        if let Some(key) = key
            && self
                .named
                .get(key)
                .is_some_and(|m| m.queue.is_empty() && m.waiters == 0)
        {
            self.named.remove(key);
        }
    }

    /// Removes the notification at `position` of the mailbox under `key` (which must hold it).
    fn remove(&mut self, key: Option<&str>, position: usize) -> Notification {
        let mailbox = self.mailbox_mut(key).expect("the mailbox was just scanned");
        let stored = mailbox
            .queue
            .remove(position)
            .expect("the position was just found");
        mailbox.bytes -= stored.bytes;
        self.count -= 1;
        self.bytes -= stored.bytes;
        self.prune(key);
        stored.notification
    }

    fn take_in(
        &mut self,
        key: Option<&str>,
        predicate: &impl Fn(&Notification) -> bool,
    ) -> Option<Notification> {
        let (position, _) = first_match(&self.mailbox(key)?.queue, predicate, u64::MAX)?;
        Some(self.remove(key, position))
    }

    fn take_any(&mut self, predicate: &impl Fn(&Notification) -> bool) -> Option<Notification> {
        let mut best = first_match(&self.unnamed.queue, predicate, u64::MAX)
            .map(|(position, seq)| (None, position, seq));
        for (key, mailbox) in &self.named {
            let below = best.as_ref().map_or(u64::MAX, |(_, _, seq)| *seq);
            if let Some((position, seq)) = first_match(&mailbox.queue, predicate, below) {
                best = Some((Some(key), position, seq));
            }
        }
        let (key, position, _) = best?;
        let key = key.cloned();
        Some(self.remove(key.as_deref(), position))
    }

    /// Why a take that found no match must end now, if it must.
    fn ended(&self) -> Option<WaitError> {
        if let Some(overflow) = &self.overflow {
            return Some(overflow.clone().into());
        }
        self.failure.clone().map(WaitError::Transport)
    }

    fn mailboxes(&self) -> impl Iterator<Item = (Option<&str>, &Mailbox)> {
        std::iter::once((None, &self.unnamed))
            .chain(self.named.iter().map(|(k, m)| (Some(k.as_str()), m)))
    }

    /// The newest `room` notifications of the mailboxes `include` admits, in arrival order.
    fn newest(&self, room: usize, include: impl Fn(Option<&str>) -> bool) -> Vec<&Notification> {
        if room == 0 {
            return Vec::new();
        }
        let mut newest: Vec<&Notification> = self
            .mailboxes()
            .filter(|(key, _)| include(*key))
            .flat_map(|(_, m)| m.queue.iter().rev().take(room).map(|s| &s.notification))
            .collect();
        newest.sort_unstable_by_key(|n| std::cmp::Reverse(n.seq));
        newest.truncate(room);
        newest.reverse();
        newest
    }

    fn timeout(&self, scope: Scope<'_>, waited: Duration) -> WaitError {
        let seen: Vec<Notification> = match scope {
            Scope::All => self
                .newest(SEEN_IN_TIMEOUT, |_| true)
                .into_iter()
                .cloned()
                .collect(),
            Scope::One(key) => {
                let mut seen: Vec<Notification> = self
                    .mailbox(key)
                    .into_iter()
                    .flat_map(|m| m.queue.iter().take(SEEN_IN_TIMEOUT))
                    .map(|s| s.notification.clone())
                    .collect();
                let room = SEEN_IN_TIMEOUT - seen.len();
                seen.extend(self.newest(room, |k| k != key).into_iter().cloned());
                seen
            }
        };
        WaitError::Timeout {
            waited,
            others: self.count - seen.len(),
            seen,
        }
    }

    /// Wakes every waiter (failure, first overflow).
    fn wake_all(&self) {
        for (_, mailbox) in self.mailboxes() {
            if let Some(arrived) = &mailbox.arrived {
                arrived.notify_waiters();
            }
        }
    }
}

/// A [`Inbox::take_from`] waiting on one mailbox; dropping it (also when the take is cancelled)
/// unregisters and removes the mailbox if it is empty.
struct Registration<'a> {
    inbox: &'a Inbox,
    key: Option<&'a str>,
    arrived: Arc<Notify>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        let mut state = self.inbox.state();
        if let Some(mailbox) = state.mailbox_mut(self.key) {
            mailbox.waiters -= 1;
            if mailbox.waiters == 0 {
                mailbox.arrived = None;
            }
        }
        state.prune(self.key);
    }
}

impl Default for Inbox {
    /// The same as [`Inbox::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl Inbox {
    /// An empty inbox without a router (one mailbox, key `None`) and the limits
    /// [`InboxLimits::ONE_MAILBOX`].
    pub fn new() -> Self {
        Self::build(None, InboxLimits::ONE_MAILBOX)
    }

    /// An empty inbox without a router and with `limits`.
    pub fn with_limits(limits: InboxLimits) -> Self {
        Self::build(None, limits)
    }

    /// An empty inbox that files each notification under `router(channel, data)` and holds at
    /// most `limits`.
    pub fn with_router(router: Router, limits: InboxLimits) -> Self {
        Self::build(Some(router), limits)
    }

    fn build(router: Option<Router>, limits: InboxLimits) -> Self {
        Self {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                router,
                limits,
                any_arrival: Notify::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the mailboxes half-updated (no code that
        // can panic runs between the paired updates), so a poisoned lock is still consistent.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The caps this inbox enforces.
    pub fn limits(&self) -> InboxLimits {
        self.inner.limits
    }

    /// The mailbox key the router gives a notification on `channel` with `data` (`None` without a
    /// router).
    pub fn route(&self, channel: &str, data: &Value) -> Option<String> {
        self.inner.router.as_ref().and_then(|r| r(channel, data))
    }

    /// Removes and returns the first notification (in arrival order, across every mailbox)
    /// matching `predicate`, waiting (event-driven) up to `timeout` for one to arrive; woken by
    /// every arrival. Non-matching notifications stay in the inbox.
    ///
    /// `predicate` runs while the inbox is locked: keep it a pure check of the notification (it
    /// must not call back into this inbox).
    ///
    /// Errors, when nothing in the inbox matches: [`WaitError::Overflow`] at once after the inbox
    /// dropped a notification; [`WaitError::Transport`] at once after the client's connect loop
    /// failed for good; otherwise [`WaitError::Timeout`] when nothing matched within `timeout`.
    pub async fn take(
        &self,
        predicate: impl Fn(&Notification) -> bool,
        timeout: Duration,
    ) -> Result<Notification, WaitError> {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.inner.any_arrival.notified();
            tokio::pin!(arrived);
            // Register before looking, so an arrival between the look and the wait still wakes us.
            arrived.as_mut().enable();
            {
                let mut state = self.state();
                if let Some(found) = state.take_any(&predicate) {
                    return Ok(found);
                }
                if let Some(ended) = state.ended() {
                    return Err(ended);
                }
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let mut state = self.state();
                // One last look: an arrival may have raced the deadline.
                if let Some(found) = state.take_any(&predicate) {
                    return Ok(found);
                }
                return Err(state
                    .ended()
                    .unwrap_or_else(|| state.timeout(Scope::All, started.elapsed())));
            }
        }
    }

    /// Like [`Inbox::take`], but scans only the mailbox under `key` (`None`: the mailbox for
    /// notifications that name no interaction) and is woken only by arrivals into it (and by
    /// failure or the first overflow). A key nothing was ever filed under is a valid, empty
    /// mailbox. Errors as [`Inbox::take`]; a timeout reports the awaited mailbox first.
    pub async fn take_from(
        &self,
        key: Option<&str>,
        predicate: impl Fn(&Notification) -> bool,
        timeout: Duration,
    ) -> Result<Notification, WaitError> {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        // Fast path: the notification is usually there already; no registration needed.
        {
            let mut state = self.state();
            if let Some(found) = state.take_in(key, &predicate) {
                return Ok(found);
            }
            if let Some(ended) = state.ended() {
                return Err(ended);
            }
        }
        let registration = self.register(key);
        loop {
            let arrived = registration.arrived.notified();
            tokio::pin!(arrived);
            // Register before looking, so an arrival between the look and the wait still wakes us.
            arrived.as_mut().enable();
            {
                let mut state = self.state();
                if let Some(found) = state.take_in(key, &predicate) {
                    return Ok(found);
                }
                if let Some(ended) = state.ended() {
                    return Err(ended);
                }
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let mut state = self.state();
                if let Some(found) = state.take_in(key, &predicate) {
                    return Ok(found);
                }
                return Err(state
                    .ended()
                    .unwrap_or_else(|| state.timeout(Scope::One(key), started.elapsed())));
            }
        }
    }

    fn register<'a>(&'a self, key: Option<&'a str>) -> Registration<'a> {
        let mut state = self.state();
        let mailbox = state.mailbox_or_new(key);
        mailbox.waiters += 1;
        let arrived = mailbox
            .arrived
            .get_or_insert_with(|| Arc::new(Notify::new()))
            .clone();
        Registration {
            inbox: self,
            key,
            arrived,
        }
    }

    /// A copy of what is in the inbox now, in arrival order (every mailbox).
    pub fn snapshot(&self) -> Vec<Notification> {
        let state = self.state();
        let mut all: Vec<Notification> = state
            .mailboxes()
            .flat_map(|(_, m)| m.queue.iter().map(|s| s.notification.clone()))
            .collect();
        all.sort_unstable_by_key(|n| n.seq);
        all
    }

    /// How many notifications are waiting to be taken (every mailbox).
    pub fn len(&self) -> usize {
        self.state().count
    }

    /// Whether no notification is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many notifications wait in the mailbox under `key` (0 for an unknown key).
    pub fn len_in(&self, key: Option<&str>) -> usize {
        self.state().mailbox(key).map_or(0, |m| m.queue.len())
    }

    /// How many named mailboxes exist (each holds a notification or has a waiter), plus one if
    /// the mailbox without interaction holds a notification.
    pub fn mailbox_count(&self) -> usize {
        let state = self.state();
        state.named.len() + usize::from(!state.unnamed.queue.is_empty())
    }

    /// The bytes held (every mailbox), as counted against the byte caps.
    pub fn stored_bytes(&self) -> u64 {
        self.state().bytes
    }

    /// How many notifications were dropped over a cap.
    pub fn dropped(&self) -> u64 {
        self.state().dropped
    }

    /// The `seq` the next stored notification will get: a waiter that wants only what arrives
    /// after an action of its own reads it before the action.
    pub fn next_seq(&self) -> u64 {
        self.state().next_seq
    }

    /// The first overflow, if a notification was ever dropped.
    pub fn overflow(&self) -> Option<Overflow> {
        self.state().overflow.clone()
    }

    /// Records that a connect answer, which may have carried notifications, could not be read
    /// (over the body cap, not JSON, cut off): its notifications are lost. The client calls it;
    /// a waiter that then times out cannot blame the server for a missing notification.
    pub fn note_lost(&self, error: BayeuxError) {
        let mut state = self.state();
        match &mut state.lost {
            Some((n, _)) => *n += 1,
            None => state.lost = Some((1, error)),
        }
    }

    /// How many connect answers could not be read, with the first one's error; `None` when
    /// every answer was read.
    pub fn lost(&self) -> Option<(u64, BayeuxError)> {
        self.state().lost.clone()
    }

    /// Files a notification (what the client does for every non-meta message it receives) under
    /// its router's key and wakes the takers it may serve. Public so that tests and other
    /// transports can feed an inbox.
    ///
    /// Returns its `seq`, or, when storing it would exceed a cap, the [`Overflow`] it caused
    /// (the notification is dropped; the first overflow is kept and wakes every waiter).
    pub fn push(&self, channel: impl Into<String>, data: Value) -> Result<u64, Overflow> {
        let channel = channel.into();
        let key = self.route(&channel, &data);
        let bytes = channel.len() as u64 + serialized_len(&data);
        let limits = self.inner.limits;
        let (seq, arrived) = {
            let mut state = self.state();
            if let Some(k) = key.as_deref()
                && state.retired_set.contains(k)
            {
                // Its interaction is over: nothing will take it.
                let seq = state.next_seq;
                state.next_seq += 1;
                return Ok(seq);
            }
            let (count_in, bytes_in) = state
                .mailbox(key.as_deref())
                .map_or((0, 0), |m| (m.queue.len(), m.bytes));
            let exceeded = if count_in >= limits.per_mailbox_count {
                Some(("per_mailbox_count", limits.per_mailbox_count as u64))
            } else if bytes_in + bytes > limits.per_mailbox_bytes {
                Some(("per_mailbox_bytes", limits.per_mailbox_bytes))
            } else if state.count >= limits.total_count {
                Some(("total_count", limits.total_count as u64))
            } else if state.bytes + bytes > limits.total_bytes {
                Some(("total_bytes", limits.total_bytes))
            } else {
                None
            };
            if let Some((cap, limit)) = exceeded {
                let overflow = Overflow {
                    cap,
                    limit,
                    mailbox: key,
                };
                state.dropped += 1;
                if state.overflow.is_none() {
                    state.overflow = Some(overflow.clone());
                    state.wake_all();
                    drop(state);
                    self.inner.any_arrival.notify_waiters();
                }
                return Err(overflow);
            }
            let seq = state.next_seq;
            state.next_seq += 1;
            state.count += 1;
            state.bytes += bytes;
            let mailbox = state.mailbox_or_new(key.as_deref());
            mailbox.bytes += bytes;
            mailbox.queue.push_back(Stored {
                notification: Notification {
                    channel,
                    data,
                    seq,
                    received_at: Instant::now(),
                },
                bytes,
            });
            (seq, mailbox.arrived.clone())
        };
        if let Some(arrived) = arrived {
            arrived.notify_waiters();
        }
        self.inner.any_arrival.notify_waiters();
        Ok(seq)
    }

    /// Retires mailbox `key` (an interaction whose scenario ended): the notifications it holds
    /// are dropped, and those that arrive for it later are discarded as they come, neither
    /// stored nor counted as dropped. A run of any length so holds only the notifications of
    /// the interactions under test. The last [`RETIRED_KEYS`] keys are remembered; a taker
    /// waiting on `key` keeps waiting (for nothing: retire only what no step waits for).
    pub fn retire(&self, key: &str) {
        let mut state = self.state();
        if state.retired_set.contains(key) {
            return;
        }
        let held = state.named.get_mut(key).map(|m| {
            let held = (m.queue.len(), m.bytes);
            m.queue.clear();
            m.bytes = 0;
            held
        });
        if let Some((count, bytes)) = held {
            state.count -= count;
            state.bytes -= bytes;
            state.prune(Some(key));
        }
        if state.retired.len() >= RETIRED_KEYS
            && let Some(old) = state.retired.pop_front()
        {
            state.retired_set.remove(&old);
        }
        state.retired.push_back(key.to_owned());
        state.retired_set.insert(key.to_owned());
    }

    /// Marks the inbox as failed for good: every pending and future take that finds no match
    /// returns [`WaitError::Transport`] with `error` at once (unless the inbox overflowed, which
    /// is reported first). The first failure is kept.
    pub fn fail(&self, error: BayeuxError) {
        {
            let mut state = self.state();
            if state.failure.is_none() {
                state.failure = Some(error);
            }
            state.wake_all();
        }
        self.inner.any_arrival.notify_waiters();
    }

    /// The permanent failure, if the connect loop has given up.
    pub fn failure(&self) -> Option<BayeuxError> {
        self.state().failure.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::{
        future::Future,
        sync::atomic::{AtomicUsize, Ordering},
        task::{Context, Poll, Wake, Waker},
    };

    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    const BOUND: Duration = Duration::from_secs(5);

    /// Routes by `data.id` (a string); anything else goes to the mailbox without interaction.
    fn by_id() -> Router {
        Arc::new(|_channel: &str, data: &Value| data["id"].as_str().map(str::to_owned))
    }

    fn routed(limits: InboxLimits) -> Inbox {
        Inbox::with_router(by_id(), limits)
    }

    /// A waker that counts its wake-ups.
    struct Counting(AtomicUsize);

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn cap_of(error: &WaitError) -> (&str, u64, Option<&str>) {
        match error {
            WaitError::Overflow {
                cap,
                limit,
                mailbox,
            } => (cap.as_str(), *limit, mailbox.as_deref()),
            other => panic!("expected an overflow, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn take_returns_the_first_match_and_leaves_the_rest() {
        let inbox = Inbox::new();
        inbox.push("/v2/me/chats", json!({"n": 1})).unwrap();
        inbox.push("/v2/me/calls", json!({"n": 2})).unwrap();
        inbox.push("/v2/me/chats", json!({"n": 3})).unwrap();
        let got = inbox
            .take(|n| n.channel == "/v2/me/chats", BOUND)
            .await
            .unwrap();
        assert_eq!((got.seq, got.data), (0, json!({"n": 1})));
        let rest: Vec<u64> = inbox.snapshot().iter().map(|n| n.seq).collect();
        assert_eq!(rest, vec![1, 2]);
    }

    #[tokio::test]
    async fn take_waits_for_a_later_arrival() {
        let inbox = Inbox::new();
        let producer = inbox.clone();
        let waiter = tokio::spawn(async move { inbox.take(|n| n.data["n"] == 2, BOUND).await });
        producer.push("/a", json!({"n": 1})).unwrap();
        producer.push("/a", json!({"n": 2})).unwrap();
        let got = waiter.await.unwrap().unwrap();
        assert_eq!(got.data, json!({"n": 2}));
        assert_eq!(producer.len(), 1);
    }

    #[tokio::test]
    async fn timeout_reports_what_was_seen() {
        let inbox = Inbox::new();
        inbox.push("/a", json!("other")).unwrap();
        let started = Instant::now();
        let err = inbox
            .take(|n| n.channel == "/b", Duration::from_millis(50))
            .await
            .unwrap_err();
        match err {
            WaitError::Timeout {
                waited,
                seen,
                others,
            } => {
                assert_eq!(others, 0);
                assert!(waited >= Duration::from_millis(50), "{waited:?}");
                assert_eq!(seen.len(), 1);
                assert_eq!(seen[0].data, json!("other"));
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(inbox.len(), 1, "a timed-out take removes nothing");
    }

    #[tokio::test]
    async fn failure_wakes_pending_takers_and_answers_future_ones() {
        let inbox = Inbox::new();
        let pending = {
            let inbox = inbox.clone();
            tokio::spawn(async move { inbox.take(|_| true, Duration::from_secs(30)).await })
        };
        let error = BayeuxError::Transport {
            step: "connect",
            endpoint: "http://x/".into(),
            detail: "gone".into(),
        };
        // Let the taker register; if it has not yet, it finds the failure on its first look anyway.
        tokio::task::yield_now().await;
        inbox.fail(error.clone());
        let started = Instant::now();
        assert!(
            matches!(pending.await.unwrap(), Err(WaitError::Transport(e)) if e.to_string() == error.to_string())
        );
        assert!(matches!(
            inbox.take(|_| true, Duration::from_secs(30)).await,
            Err(WaitError::Transport(_))
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        // Already-received notifications can still be taken after a failure.
        inbox.push("/a", json!(1)).unwrap();
        assert!(inbox.take(|_| true, BOUND).await.is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_concurrent_takers_each_get_their_own_notification() {
        let inbox = Inbox::new();
        let takers: Vec<_> = (0..50u64)
            .map(|i| {
                let inbox = inbox.clone();
                tokio::spawn(async move {
                    inbox
                        .take(move |n| n.data["i"] == i, BOUND)
                        .await
                        .map(|n| n.data["i"].clone())
                })
            })
            .collect();
        for i in (0..50u64).rev() {
            inbox.push("/v2/me/chats", json!({ "i": i })).unwrap();
        }
        for (i, taker) in takers.into_iter().enumerate() {
            assert_eq!(taker.await.unwrap().unwrap(), json!(i));
        }
        assert!(inbox.is_empty());
    }

    #[tokio::test]
    async fn the_router_files_each_notification_under_its_key() {
        let inbox = routed(InboxLimits::DEFAULT);
        assert_eq!(
            inbox.push("/v2/me/chats", json!({"id": "A", "n": 0})),
            Ok(0)
        );
        assert_eq!(
            inbox.push("/v2/me/chats", json!({"id": "B", "n": 1})),
            Ok(1)
        );
        assert_eq!(inbox.push("/v2/me/agent", json!({"n": 2})), Ok(2));
        assert_eq!(
            inbox.push("/v2/me/chats", json!({"id": "A", "n": 3})),
            Ok(3)
        );
        assert_eq!(
            (
                inbox.len_in(Some("A")),
                inbox.len_in(Some("B")),
                inbox.len_in(None)
            ),
            (2, 1, 1)
        );
        assert_eq!(inbox.len_in(Some("C")), 0);
        assert_eq!(inbox.mailbox_count(), 3);
        assert_eq!(inbox.route("/x", &json!({"id": "Z"})), Some("Z".to_owned()));
        // take_from scans only its mailbox, even with a predicate that accepts anything.
        let a = inbox.take_from(Some("A"), |_| true, BOUND).await.unwrap();
        assert_eq!((a.seq, a.data["n"].clone()), (0, json!(0)));
        let unnamed = inbox.take_from(None, |_| true, BOUND).await.unwrap();
        assert_eq!(unnamed.seq, 2);
        // take scans every mailbox in arrival order (seq is run-wide).
        let next = inbox.take(|_| true, BOUND).await.unwrap();
        assert_eq!(next.seq, 1);
        let seqs: Vec<u64> = inbox.snapshot().iter().map(|n| n.seq).collect();
        assert_eq!(seqs, vec![3]);
        // Without a router everything shares the mailbox without interaction.
        let plain = Inbox::new();
        plain.push("/a", json!({"id": "A"})).unwrap();
        assert_eq!((plain.len_in(None), plain.len_in(Some("A"))), (1, 0));
        assert_eq!(plain.limits(), InboxLimits::ONE_MAILBOX);
    }

    #[tokio::test]
    async fn take_across_mailboxes_returns_the_earliest_match() {
        let inbox = routed(InboxLimits::DEFAULT);
        for (i, id) in ["C", "B", "A", "B", "C", "A"].iter().enumerate() {
            inbox.push("/a", json!({"id": id, "i": i})).unwrap();
        }
        let mut order = Vec::new();
        while let Ok(n) = inbox
            .take(|n| n.data["i"].as_u64().unwrap() % 2 == 1, Duration::ZERO)
            .await
        {
            order.push(n.seq);
        }
        assert_eq!(order, vec![1, 3, 5]);
        assert_eq!(inbox.len(), 3);
    }

    #[tokio::test]
    async fn a_waiter_on_one_mailbox_is_not_woken_by_arrivals_for_another() {
        let inbox = routed(InboxLimits::DEFAULT);
        let counter = Arc::new(Counting(AtomicUsize::new(0)));
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        let take = inbox.take_from(Some("A"), |_| true, BOUND);
        let mut take = std::pin::pin!(take);
        assert!(take.as_mut().poll(&mut cx).is_pending());
        for n in 0..100 {
            inbox
                .push("/v2/me/chats", json!({"id": "B", "n": n}))
                .unwrap();
            inbox.push("/v2/me/agent", json!({"n": n})).unwrap();
        }
        assert_eq!(
            counter.0.load(Ordering::SeqCst),
            0,
            "woken by other mailboxes"
        );
        assert!(
            take.as_mut().poll(&mut cx).is_pending(),
            "served from another mailbox"
        );
        inbox.push("/v2/me/chats", json!({"id": "A"})).unwrap();
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        match take.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(n)) => assert_eq!((n.seq, n.data), (200, json!({"id": "A"}))),
            other => panic!("expected the notification for A, got {other:?}"),
        }
        assert_eq!((inbox.len_in(Some("B")), inbox.len_in(None)), (100, 100));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_waiters_on_many_mailboxes_each_get_their_own() {
        let inbox = routed(InboxLimits::DEFAULT);
        let takers: Vec<_> = (0..40u64)
            .map(|i| {
                let inbox = inbox.clone();
                tokio::spawn(async move {
                    let key = format!("i{i}");
                    inbox
                        .take_from(Some(&key), |n| n.data["last"] == true, BOUND)
                        .await
                        .map(|n| n.data["id"].clone())
                })
            })
            .collect();
        for i in (0..40u64).rev() {
            inbox.push("/a", json!({"id": format!("i{i}")})).unwrap();
            inbox
                .push("/a", json!({"id": format!("i{i}"), "last": true}))
                .unwrap();
        }
        for (i, taker) in takers.into_iter().enumerate() {
            assert_eq!(taker.await.unwrap().unwrap(), json!(format!("i{i}")));
        }
        assert_eq!(inbox.len(), 40);
        assert_eq!(inbox.mailbox_count(), 40);
    }

    #[tokio::test]
    async fn a_retired_mailbox_is_emptied_and_its_later_notifications_are_discarded() {
        let inbox = routed(InboxLimits::DEFAULT);
        for _ in 0..3 {
            inbox.push("/a", json!({"id": "A"})).unwrap();
        }
        inbox.push("/a", json!({"id": "B"})).unwrap();
        let before = inbox.stored_bytes();
        inbox.retire("A");
        assert_eq!((inbox.len(), inbox.mailbox_count()), (1, 1));
        assert!(
            inbox.stored_bytes() < before / 2,
            "{}",
            inbox.stored_bytes()
        );
        // Later arrivals for A are neither stored nor dropped; B is untouched.
        inbox.push("/a", json!({"id": "A"})).unwrap();
        assert_eq!(
            (inbox.len(), inbox.len_in(Some("A")), inbox.dropped()),
            (1, 0, 0)
        );
        assert_eq!(inbox.overflow(), None);
        inbox.take_from(Some("B"), |_| true, BOUND).await.unwrap();
        // Only the last RETIRED_KEYS keys are remembered: the oldest opens a mailbox again.
        for k in 0..RETIRED_KEYS {
            inbox.retire(&format!("k{k}"));
        }
        inbox.push("/a", json!({"id": "A"})).unwrap();
        inbox.push("/a", json!({"id": "k1"})).unwrap();
        assert_eq!((inbox.len_in(Some("A")), inbox.len_in(Some("k1"))), (1, 0));
    }

    #[tokio::test]
    async fn empty_mailboxes_without_waiters_are_removed() {
        let inbox = routed(InboxLimits::DEFAULT);
        inbox.push("/a", json!({"id": "A"})).unwrap();
        inbox.push("/a", json!({"id": "B"})).unwrap();
        assert_eq!(inbox.mailbox_count(), 2);
        inbox.take_from(Some("A"), |_| true, BOUND).await.unwrap();
        assert_eq!(inbox.mailbox_count(), 1, "emptied by take_from");
        inbox.take(|_| true, BOUND).await.unwrap();
        assert_eq!(inbox.mailbox_count(), 0, "emptied by take");
        // A waiter's mailbox exists while it waits and goes when the wait times out ...
        let waiting = {
            let inbox = inbox.clone();
            tokio::spawn(async move {
                inbox
                    .take_from(Some("never"), |_| true, Duration::from_millis(50))
                    .await
            })
        };
        assert!(matches!(
            waiting.await.unwrap(),
            Err(WaitError::Timeout { .. })
        ));
        assert_eq!(inbox.mailbox_count(), 0, "removed after a timeout");
        // ... or when the take is cancelled.
        let counter = Arc::new(Counting(AtomicUsize::new(0)));
        let waker = Waker::from(counter);
        let mut cx = Context::from_waker(&waker);
        {
            let take = inbox.take_from(Some("cancelled"), |_| true, BOUND);
            let mut take = std::pin::pin!(take);
            assert!(take.as_mut().poll(&mut cx).is_pending());
            assert_eq!(inbox.mailbox_count(), 1, "the waiter's mailbox");
        }
        assert_eq!(inbox.mailbox_count(), 0, "removed after cancellation");
        // A mailbox with notifications left is kept after its waiter goes.
        inbox.push("/a", json!({"id": "kept"})).unwrap();
        assert!(
            inbox
                .take_from(Some("kept"), |_| false, Duration::from_millis(10))
                .await
                .is_err()
        );
        assert_eq!(inbox.mailbox_count(), 1);
        // Thousands of interactions come and go without leaving keys behind.
        for i in 0..5_000 {
            inbox.push("/a", json!({"id": format!("x{i}")})).unwrap();
            let key = format!("x{i}");
            inbox.take_from(Some(&key), |_| true, BOUND).await.unwrap();
        }
        assert_eq!(inbox.mailbox_count(), 1);
        assert_eq!(
            inbox.stored_bytes(),
            "/a".len() as u64 + json!({"id": "kept"}).to_string().len() as u64
        );
    }

    #[tokio::test]
    async fn bytes_are_the_channel_plus_the_compact_json_of_data() {
        let inbox = routed(InboxLimits::DEFAULT);
        let data = json!({"id": "A", "text": "caf\u{e9} \"quoted\"\n", "n": [1, 2.5, null]});
        inbox.push("/v2/me/chats", data.clone()).unwrap();
        let expected = "/v2/me/chats".len() + serde_json::to_vec(&data).unwrap().len();
        assert_eq!(inbox.stored_bytes(), expected as u64);
        inbox.take(|_| true, BOUND).await.unwrap();
        assert_eq!(inbox.stored_bytes(), 0);
    }

    /// Fills `inbox` until a push is refused; returns the refusal.
    fn overflow_with(inbox: &Inbox, make: impl Fn(usize) -> Value) -> Overflow {
        for i in 0..10_000 {
            if let Err(overflow) = inbox.push("/a", make(i)) {
                return overflow;
            }
        }
        panic!("no cap reached");
    }

    async fn assert_overflow_reported(inbox: &Inbox, cap: &str, limit: u64, mailbox: Option<&str>) {
        let started = Instant::now();
        let from = inbox
            .take_from(Some("elsewhere"), |_| true, Duration::from_secs(30))
            .await
            .unwrap_err();
        assert_eq!(cap_of(&from), (cap, limit, mailbox));
        let any = inbox
            .take(|_| false, Duration::from_secs(30))
            .await
            .unwrap_err();
        assert_eq!(cap_of(&any), (cap, limit, mailbox));
        assert!(started.elapsed() < Duration::from_secs(1), "at once");
        assert!(any.to_string().contains(cap), "{any}");
        let recorded = inbox.overflow().expect("the overflow is recorded");
        assert_eq!(
            (recorded.cap, recorded.limit, recorded.mailbox.as_deref()),
            (cap, limit, mailbox)
        );
    }

    #[tokio::test]
    async fn per_mailbox_count_cap() {
        let limits = InboxLimits {
            per_mailbox_count: 3,
            ..InboxLimits::DEFAULT
        };
        let inbox = routed(limits);
        let overflow = overflow_with(&inbox, |_| json!({"id": "A"}));
        assert_eq!(
            overflow,
            Overflow {
                cap: "per_mailbox_count",
                limit: 3,
                mailbox: Some("A".into())
            }
        );
        assert_eq!((inbox.len_in(Some("A")), inbox.dropped()), (3, 1));
        // Other mailboxes still take notifications; matches are still served.
        inbox.push("/a", json!({"id": "B"})).unwrap();
        assert!(inbox.take_from(Some("B"), |_| true, BOUND).await.is_ok());
        assert_overflow_reported(&inbox, "per_mailbox_count", 3, Some("A")).await;
        // Later drops are counted and the first overflow is kept.
        assert!(inbox.push("/a", json!({"id": "A"})).is_err());
        assert_eq!(inbox.dropped(), 2);
        assert_eq!(inbox.overflow().unwrap().mailbox.as_deref(), Some("A"));
    }

    #[tokio::test]
    async fn per_mailbox_bytes_cap() {
        let limits = InboxLimits {
            per_mailbox_bytes: 100,
            ..InboxLimits::DEFAULT
        };
        let inbox = routed(limits);
        let overflow = overflow_with(&inbox, |i| json!({"n": i}));
        assert_eq!(
            (overflow.cap, overflow.limit, overflow.mailbox),
            ("per_mailbox_bytes", 100, None)
        );
        assert!(inbox.stored_bytes() <= 100);
        assert_overflow_reported(&inbox, "per_mailbox_bytes", 100, None).await;
    }

    #[tokio::test]
    async fn total_count_cap() {
        let limits = InboxLimits {
            total_count: 5,
            ..InboxLimits::DEFAULT
        };
        let inbox = routed(limits);
        let overflow = overflow_with(&inbox, |i| json!({"id": format!("m{i}")}));
        assert_eq!(
            (overflow.cap, overflow.limit, overflow.mailbox.as_deref()),
            ("total_count", 5, Some("m5"))
        );
        assert_eq!((inbox.len(), inbox.mailbox_count()), (5, 5));
        assert_eq!(
            inbox.len_in(Some("m5")),
            0,
            "the dropped one left no mailbox"
        );
        assert_overflow_reported(&inbox, "total_count", 5, Some("m5")).await;
    }

    #[tokio::test]
    async fn total_bytes_cap() {
        let limits = InboxLimits {
            total_bytes: 1_000,
            ..InboxLimits::DEFAULT
        };
        let inbox = routed(limits);
        let overflow = overflow_with(
            &inbox,
            |i| json!({"id": format!("m{}", i % 7), "pad": "x".repeat(40)}),
        );
        assert_eq!((overflow.cap, overflow.limit), ("total_bytes", 1_000));
        assert!(inbox.stored_bytes() <= 1_000);
        let mailbox = overflow.mailbox.clone();
        assert_overflow_reported(&inbox, "total_bytes", 1_000, mailbox.as_deref()).await;
    }

    #[tokio::test]
    async fn one_notification_over_a_byte_cap_is_dropped() {
        let inbox = Inbox::with_limits(InboxLimits {
            per_mailbox_bytes: 10,
            ..InboxLimits::ONE_MAILBOX
        });
        let overflow = inbox.push("/a", json!("a long string")).unwrap_err();
        assert_eq!(overflow.cap, "per_mailbox_bytes");
        assert!(inbox.is_empty());
    }

    #[tokio::test]
    async fn the_first_overflow_wakes_pending_waiters() {
        let limits = InboxLimits {
            per_mailbox_count: 1,
            ..InboxLimits::DEFAULT
        };
        let inbox = routed(limits);
        let pending = {
            let inbox = inbox.clone();
            tokio::spawn(async move {
                inbox
                    .take_from(Some("waiting"), |_| true, Duration::from_secs(30))
                    .await
            })
        };
        let pending_any = {
            let inbox = inbox.clone();
            tokio::spawn(async move { inbox.take(|_| false, Duration::from_secs(30)).await })
        };
        let started = Instant::now();
        inbox.push("/a", json!({"id": "flood"})).unwrap();
        assert!(inbox.push("/a", json!({"id": "flood"})).is_err());
        for waiter in [pending, pending_any] {
            let error = waiter.await.unwrap().unwrap_err();
            assert_eq!(cap_of(&error), ("per_mailbox_count", 1, Some("flood")));
        }
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn timeouts_report_a_bounded_sample_starting_with_the_awaited_mailbox() {
        let inbox = routed(InboxLimits::DEFAULT);
        for i in 0..25 {
            inbox.push("/a", json!({"id": "A", "i": i})).unwrap();
        }
        for i in 25..30 {
            inbox.push("/a", json!({"id": "B", "i": i})).unwrap();
        }
        let short = Duration::from_millis(20);
        let seqs = |seen: &[Notification]| seen.iter().map(|n| n.seq).collect::<Vec<_>>();
        match inbox
            .take_from(Some("A"), |_| false, short)
            .await
            .unwrap_err()
        {
            WaitError::Timeout { seen, others, .. } => {
                assert_eq!(seqs(&seen), (0..10).collect::<Vec<_>>());
                assert_eq!(others, 20);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        match inbox
            .take_from(Some("B"), |_| false, short)
            .await
            .unwrap_err()
        {
            WaitError::Timeout { seen, others, .. } => {
                // B's five, then the newest five of the rest, each part in arrival order.
                assert_eq!(seqs(&seen), vec![25, 26, 27, 28, 29, 20, 21, 22, 23, 24]);
                assert_eq!(others, 20);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        match inbox.take(|_| false, short).await.unwrap_err() {
            WaitError::Timeout { seen, others, .. } => {
                assert_eq!(seqs(&seen), (20..30).collect::<Vec<_>>());
                assert_eq!(others, 20);
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        let text = inbox.take(|_| false, short).await.unwrap_err().to_string();
        assert!(
            text.contains("(30 other notification(s) waiting)"),
            "{text}"
        );
        assert_eq!(inbox.len(), 30, "timeouts remove nothing");
    }

    #[test]
    fn lost_answers_are_counted_with_the_first_error() {
        let inbox = Inbox::new();
        assert!(inbox.lost().is_none());
        let e = |d: &str| BayeuxError::Transport {
            step: "connect",
            endpoint: "http://x/".into(),
            detail: d.into(),
        };
        inbox.note_lost(e("first"));
        inbox.note_lost(e("second"));
        let (n, first) = inbox.lost().unwrap();
        assert_eq!(n, 2);
        assert!(first.to_string().contains("first"));
    }
}
