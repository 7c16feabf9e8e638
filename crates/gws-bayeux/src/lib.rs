//! Bayeux 1.0 (CometD) over HTTP long-polling, as GWS uses it at `/api/v2/notifications`:
//! the message types (`message`), channel-pattern matching (`channel`), an agent-side client with an
//! inbox that keeps every notification from the moment it arrives (`client`), and the server-side
//! hub that the reference server mounts (`server`).
//!
//! INTERFACE STUB: the signatures below are the agreed interface; the bodies are being written.

pub mod channel {
    //! Channel names and subscription patterns (Bayeux 1.0 section 2.2): `/a/b` exact,
    //! `/a/*` one segment, `/a/**` any depth.

    /// Whether `channel` (a concrete channel name) matches `pattern`.
    pub fn matches(pattern: &str, channel: &str) -> bool {
        let _ = (pattern, channel);
        todo!()
    }
}

pub mod message {
    //! A Bayeux message: the JSON object exchanged in batches (JSON arrays) on every POST.
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    /// Server advice (Bayeux 1.0 section 5.1); times in milliseconds.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Advice {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reconnect: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub interval: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub timeout: Option<u64>,
    }

    /// One Bayeux message. Unknown fields are kept in `other`.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Message {
        pub channel: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub client_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub data: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub successful: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advice: Option<Advice>,
        /// A string or, in some clients, an array of strings.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subscription: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub version: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub minimum_version: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub supported_connection_types: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub connection_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ext: Option<Value>,
        #[serde(flatten)]
        pub other: serde_json::Map<String, Value>,
    }
}

pub mod client {
    //! The agent's Bayeux client: handshake, a background connect loop honouring `advice`,
    //! re-handshake on `402::Unknown client`, subscribe, disconnect, and an [`Inbox`].
    use std::time::{Duration, Instant};

    use serde_json::Value;

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

    /// A notification as received: the Bayeux `channel` and `data`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Notification {
        pub channel: String,
        pub data: Value,
        /// Arrival order within this client, from 0.
        pub seq: u64,
        pub received_at: Instant,
    }

    /// Why a Bayeux exchange failed (a harness problem, never a conformance verdict by itself).
    #[derive(Debug, thiserror::Error, Clone)]
    pub enum BayeuxError {
        #[error("CometD {step} to {endpoint}: {detail}")]
        Transport { step: &'static str, endpoint: String, detail: String },
        #[error("CometD {step} refused by {endpoint}: {error}")]
        Refused { step: &'static str, endpoint: String, error: String },
        #[error("CometD {step} to {endpoint}: no answer within {waited:?}")]
        Timeout { step: &'static str, endpoint: String, waited: Duration },
    }

    /// Why [`Inbox::take`] returned no notification.
    #[derive(Debug, thiserror::Error)]
    pub enum WaitError {
        /// Nothing matched within the bound; `seen` holds every notification that was in the inbox
        /// (unmatched) when the wait ended.
        #[error("no matching notification within {waited:?} ({} other notification(s) arrived)", .seen.len())]
        Timeout { waited: Duration, seen: Vec<Notification> },
        /// The connect loop failed for good (target gone, re-handshake refused).
        #[error(transparent)]
        Transport(BayeuxError),
    }

    /// Every notification received and not yet taken, in arrival order. Cloning shares it.
    #[derive(Clone, Debug, Default)]
    pub struct Inbox {}

    impl Inbox {
        /// Removes and returns the first notification matching `predicate`, waiting (event-driven)
        /// up to `timeout` for one to arrive. Non-matching notifications stay in the inbox.
        pub async fn take(
            &self,
            predicate: impl Fn(&Notification) -> bool,
            timeout: Duration,
        ) -> Result<Notification, WaitError> {
            let _ = (predicate, timeout);
            todo!()
        }

        /// A copy of what is in the inbox now.
        pub fn snapshot(&self) -> Vec<Notification> {
            todo!()
        }
    }

    /// A connected Bayeux client. Dropping it stops the connect loop.
    #[derive(Debug)]
    pub struct BayeuxClient {}

    impl BayeuxClient {
        /// Handshakes (`/meta/handshake`) and starts the background connect loop.
        pub async fn handshake(http: reqwest::Client, config: ClientConfig) -> Result<Self, BayeuxError> {
            let _ = (http, config);
            todo!()
        }
        /// `/meta/subscribe` to one channel or pattern; `Err` when the server refuses.
        pub async fn subscribe(&self, subscription: &str) -> Result<(), BayeuxError> {
            let _ = subscription;
            todo!()
        }
        /// `/meta/unsubscribe`.
        pub async fn unsubscribe(&self, subscription: &str) -> Result<(), BayeuxError> {
            let _ = subscription;
            todo!()
        }
        /// The shared inbox of notifications.
        pub fn inbox(&self) -> Inbox {
            todo!()
        }
        /// The current `clientId` (changes after a re-handshake).
        pub fn client_id(&self) -> String {
            todo!()
        }
        /// How many handshakes succeeded (1 unless the server forgot the client).
        pub fn handshakes(&self) -> u32 {
            todo!()
        }
        /// `/meta/disconnect` and stop the connect loop.
        pub async fn disconnect(&self) -> Result<(), BayeuxError> {
            todo!()
        }
    }
}

pub mod server {
    //! The server side of the Bayeux endpoint: client sessions, subscriptions, long-polling
    //! `/meta/connect`, and delivery of published notifications to one owner (agent) only.
    //! The HTTP layer (routing, authentication) belongs to the embedding server; it calls
    //! [`Hub::handle`] with the authenticated owner and the request's message batch.
    use std::{sync::Arc, time::Duration};

    use serde_json::Value;

    use crate::message::Message;

    /// Hub settings; times are what the server advises clients.
    #[derive(Clone, Debug)]
    pub struct HubConfig {
        /// How long `/meta/connect` is held open when nothing is queued (advice `timeout`).
        pub connect_timeout: Duration,
        /// Advice `interval` between connects.
        pub interval: Duration,
        /// A client that has not connected for this long is forgotten (`402::Unknown client`).
        pub client_ttl: Duration,
    }

    impl Default for HubConfig {
        fn default() -> Self {
            Self { connect_timeout: Duration::from_secs(30), interval: Duration::ZERO, client_ttl: Duration::from_secs(60) }
        }
    }

    /// Shared state of the Bayeux endpoint.
    #[derive(Debug)]
    pub struct Hub {}

    impl Hub {
        pub fn new(config: HubConfig) -> Arc<Self> {
            let _ = config;
            todo!()
        }
        /// Answers one POSTed batch from the authenticated `owner`; the reply batch (may wait up to
        /// `connect_timeout` when the batch holds a `/meta/connect`).
        pub async fn handle(&self, owner: &str, batch: Vec<Message>) -> Vec<Message> {
            let _ = (owner, batch);
            todo!()
        }
        /// Queues `data` on `channel` for every client of `owner` subscribed to a matching pattern
        /// and wakes their pending connects. Returns how many clients it was queued for.
        pub fn publish(&self, owner: &str, channel: &str, data: Value) -> usize {
            let _ = (owner, channel, data);
            todo!()
        }
        /// Forgets every client of `owner` (their next message gets `402::Unknown client`).
        pub fn forget_clients(&self, owner: &str) -> usize {
            let _ = owner;
            todo!()
        }
    }
}
