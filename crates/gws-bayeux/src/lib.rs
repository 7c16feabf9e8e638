//! Bayeux 1.0 (CometD) over HTTP long-polling, as GWS uses it at `/api/v2/notifications`:
//! the message types (`message`), channel-pattern matching (`channel`), an agent-side client
//! (`client`) with an inbox that keeps every notification from the moment it arrives, filed per
//! interaction and bounded (`inbox`), their error type (`error`), and the server-side hub that the
//! reference server mounts (`server`).
//!
//! Spec: Bayeux 1.0, <https://docs.cometd.org/current/reference/#_bayeux>; GWS usage: catalog
//! section 3 (`/api/v2/notifications`, long-polling only, topics under `/v2/me/`).

pub mod channel;
pub mod client;
pub mod error;
pub mod inbox;
pub mod message;
pub mod server;
