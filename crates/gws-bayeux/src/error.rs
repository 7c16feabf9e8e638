//! The error of a Bayeux exchange, shared by the client ([`crate::client`]) and the inbox
//! ([`crate::inbox`], which hands a permanent one to every waiting taker).
use std::time::Duration;

/// Why a Bayeux exchange failed (a harness problem, never a conformance verdict by itself).
#[derive(Debug, thiserror::Error, Clone)]
pub enum BayeuxError {
    /// The round trip failed: connection, HTTP status, body over the cap, not JSON, not a batch,
    /// or the expected reply missing. `step` is `handshake`, `connect`, `subscribe`,
    /// `unsubscribe`, `disconnect` or `re-handshake`; `endpoint` has no user info.
    #[error("CometD {step} to {endpoint}: {detail}")]
    Transport {
        step: &'static str,
        endpoint: String,
        detail: String,
    },
    /// The server answered `successful: false` (or advised `reconnect: "none"`); `error` is its
    /// Bayeux error string, e.g. `403::denied`.
    #[error("CometD {step} refused by {endpoint}: {error}")]
    Refused {
        step: &'static str,
        endpoint: String,
        error: String,
    },
    /// No complete answer within the round trip's bound.
    #[error("CometD {step} to {endpoint}: no answer within {waited:?}")]
    Timeout {
        step: &'static str,
        endpoint: String,
        waited: Duration,
    },
}
