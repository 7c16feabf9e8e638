//! The notification inbox: every non-meta message a [`crate::client::BayeuxClient`] receives is
//! appended here the moment its HTTP response is read, so a notification that arrives before the
//! HTTP response to the operation that caused it is not lost. Steps then `take` the first
//! notification matching a predicate (topic, `messageType`, interaction id, `referenceId`, ...).
//!
//! Concurrency: one `std::sync::Mutex` around the queue (never held across an await) and one
//! `tokio::sync::Notify` that wakes every waiting taker on each arrival and on failure. Takers
//! register for the wake-up *before* they look at the queue, so no arrival can slip between the
//! look and the wait.
use std::{
    collections::VecDeque,
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
    /// Arrival order within this client, from 0.
    pub seq: u64,
    /// When the HTTP response carrying it was read.
    pub received_at: Instant,
}

/// Why [`Inbox::take`] returned no notification.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// Nothing matched within the bound; `seen` holds every notification that was in the inbox
    /// (unmatched) when the wait ended.
    #[error("no matching notification within {waited:?} ({} other notification(s) arrived)", .seen.len())]
    Timeout {
        waited: Duration,
        seen: Vec<Notification>,
    },
    /// The connect loop failed for good (target gone, re-handshake refused).
    #[error(transparent)]
    Transport(BayeuxError),
}

/// Every notification received and not yet taken, in arrival order. Cloning shares it.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    state: Mutex<State>,
    arrived: Notify,
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Notification>,
    next_seq: u64,
    failure: Option<BayeuxError>,
}

fn take_first(
    queue: &mut VecDeque<Notification>,
    predicate: impl Fn(&Notification) -> bool,
) -> Option<Notification> {
    let position = queue.iter().position(predicate)?;
    queue.remove(position)
}

impl Inbox {
    /// An empty inbox (the same as `Inbox::default()`).
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the queue half-updated (each update is one
        // push/remove), so a poisoned lock is still consistent.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Removes and returns the first notification matching `predicate`, waiting (event-driven)
    /// up to `timeout` for one to arrive. Non-matching notifications stay in the inbox.
    ///
    /// `predicate` runs while the inbox is locked: keep it a pure check of the notification (it
    /// must not call back into this inbox).
    ///
    /// Errors: [`WaitError::Timeout`] when nothing matched within `timeout` (with every notification
    /// still in the inbox in `seen`); [`WaitError::Transport`] as soon as the client's connect loop
    /// has failed for good and nothing in the inbox matches.
    pub async fn take(
        &self,
        predicate: impl Fn(&Notification) -> bool,
        timeout: Duration,
    ) -> Result<Notification, WaitError> {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.inner.arrived.notified();
            tokio::pin!(arrived);
            // Register before looking, so an arrival between the look and the wait still wakes us.
            arrived.as_mut().enable();
            {
                let mut state = self.state();
                if let Some(found) = take_first(&mut state.queue, &predicate) {
                    return Ok(found);
                }
                if let Some(failure) = &state.failure {
                    return Err(WaitError::Transport(failure.clone()));
                }
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let mut state = self.state();
                // One last look: an arrival may have raced the deadline.
                if let Some(found) = take_first(&mut state.queue, &predicate) {
                    return Ok(found);
                }
                return Err(WaitError::Timeout {
                    waited: started.elapsed(),
                    seen: state.queue.iter().cloned().collect(),
                });
            }
        }
    }

    /// A copy of what is in the inbox now, in arrival order.
    pub fn snapshot(&self) -> Vec<Notification> {
        self.state().queue.iter().cloned().collect()
    }

    /// How many notifications are waiting to be taken.
    pub fn len(&self) -> usize {
        self.state().queue.len()
    }

    /// Whether no notification is waiting.
    pub fn is_empty(&self) -> bool {
        self.state().queue.is_empty()
    }

    /// Appends a notification (what the client does for every non-meta message it receives) and
    /// wakes every waiting taker. Returns its `seq`. Public so that tests and other transports can
    /// feed an inbox.
    pub fn push(&self, channel: impl Into<String>, data: Value) -> u64 {
        let seq = {
            let mut state = self.state();
            let seq = state.next_seq;
            state.next_seq += 1;
            state.queue.push_back(Notification {
                channel: channel.into(),
                data,
                seq,
                received_at: Instant::now(),
            });
            seq
        };
        self.inner.arrived.notify_waiters();
        seq
    }

    /// Marks the inbox as failed for good: every pending and future [`Inbox::take`] that finds no
    /// match returns [`WaitError::Transport`] with `error` at once. The first failure is kept.
    pub fn fail(&self, error: BayeuxError) {
        {
            let mut state = self.state();
            if state.failure.is_none() {
                state.failure = Some(error);
            }
        }
        self.inner.arrived.notify_waiters();
    }

    /// The permanent failure, if the connect loop has given up.
    pub fn failure(&self) -> Option<BayeuxError> {
        self.state().failure.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    const BOUND: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn take_returns_the_first_match_and_leaves_the_rest() {
        let inbox = Inbox::new();
        inbox.push("/v2/me/chats", json!({"n": 1}));
        inbox.push("/v2/me/calls", json!({"n": 2}));
        inbox.push("/v2/me/chats", json!({"n": 3}));
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
        producer.push("/a", json!({"n": 1}));
        producer.push("/a", json!({"n": 2}));
        let got = waiter.await.unwrap().unwrap();
        assert_eq!(got.data, json!({"n": 2}));
        assert_eq!(producer.len(), 1);
    }

    #[tokio::test]
    async fn timeout_reports_what_was_seen() {
        let inbox = Inbox::new();
        inbox.push("/a", json!("other"));
        let started = Instant::now();
        let err = inbox
            .take(|n| n.channel == "/b", Duration::from_millis(50))
            .await
            .unwrap_err();
        match err {
            WaitError::Timeout { waited, seen } => {
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
        inbox.push("/a", json!(1));
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
            inbox.push("/v2/me/chats", json!({ "i": i }));
        }
        for (i, taker) in takers.into_iter().enumerate() {
            assert_eq!(taker.await.unwrap().unwrap(), json!(i));
        }
        assert!(inbox.is_empty());
    }
}
