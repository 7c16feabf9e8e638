//! The reference server: the GWS v2 multimedia agent API (chat, Facebook session, SMS session) as
//! the documentation describes it, with its CometD endpoint and the provider-state endpoint of the
//! target contract. Embedded by the runner when no `--target` is given, and served standalone by
//! `gws-conformance serve`.
//!
//! INTERFACE STUB: the signatures below are the agreed interface; the bodies are being written.

use std::{net::SocketAddr, time::Duration};

/// Which documented spellings the server uses (target-contract section 4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// 2015–2016 pages: `/facebooksession`, `FacebooksessionStateChangeMessage`, key `facebooksession`.
    V2015,
    /// From 2019: `/facebooksessions`, `facebooksessionStateChangeMessage`, key `facebooksessions`.
    #[default]
    V2019,
}

/// Server settings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub dialect: Dialect,
    /// CSRF protection as documented (GET issues the token, POST/PUT/DELETE without it get 403).
    pub csrf: bool,
    /// Deliberately break one documented rule (issue 5); `None` for a conformant server.
    pub fault: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long `/meta/connect` is held when nothing is queued.
    pub connect_timeout: Duration,
    /// One log line per request on stderr.
    pub log_requests: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            dialect: Dialect::V2019,
            csrf: true,
            fault: None,
            max_body_bytes: 64 * 1024,
            connect_timeout: Duration::from_secs(25),
            log_requests: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot bind {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("unknown fault `{0}`")]
    UnknownFault(String),
}

/// A server running on a tokio task.
#[derive(Debug)]
pub struct RunningServer {}

impl RunningServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        todo!()
    }
    /// `http://{local_addr}`: what `--target` would be.
    pub fn base_url(&self) -> String {
        todo!()
    }
    /// Stops accepting and ends the server task.
    pub async fn shutdown(self) {
        todo!()
    }
}

/// Binds `addr` (port 0 for a free port) and serves until [`RunningServer::shutdown`].
pub async fn start(config: ServerConfig, addr: SocketAddr) -> Result<RunningServer, StartError> {
    let _ = (config, addr);
    todo!()
}
