//! The reference server: the GWS v2 multimedia agent API (chat, Facebook session, SMS session) as
//! the documentation describes it, with its CometD endpoint and the provider-state endpoint of the
//! target contract. Embedded by the runner when no `--target` is given, and served standalone by
//! `gws-conformance serve`.
//!
//! What the server does rests on the documented contract (`gws_contract`): the media, dialects
//! and names come from its names table, and every operation, with the states it is valid in,
//! its parameters and the notifications it publishes, from its operation table (pages such as
//! <https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept> and
//! <https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatReject>).
//!
//! The router is composed from small modules: [`auth`] (Basic, JSESSIONID, CSRF), `agent` (`/me`,
//! channels), `interactions` (the store, the resources and the HTTP handlers), [`operations`]
//! (one engine over the operation table), `notifications` (the Bayeux mount), `provider_state`
//! (`/conformance/states`), [`mod@fault`] (deliberate deviations, one row each) and [`error`]
//! (errors rendered as documented JSON). State is passed explicitly in an `Arc`; maps are
//! sharded and no lock is held across an `.await`.

use std::{
    net::{Ipv4Addr, SocketAddr},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use gws_bayeux::server::{Hub, HubConfig};

mod agent;
pub mod auth;
pub mod error;
pub mod fault;
mod interactions;
mod notifications;
pub mod operations;
mod provider_state;
mod shard;

pub use fault::{FaultRow, Mutation, fault, faults};
/// Which documented spellings the server speaks (the 2015–2016 pages or the 2019 reference),
/// and the three media; both from the contract's names table.
pub use gws_contract::{Dialect, Media};
pub use interactions::MAX_INTERACTIONS_PER_AGENT;
pub use operations::{INVITED_CAPABILITIES, capabilities};

/// Server settings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Documented spellings to serve (default: the newest, 2019).
    pub dialect: Dialect,
    /// CSRF protection as documented (GET issues the token, POST/PUT/DELETE without it get 403).
    pub csrf: bool,
    /// Also require the CSRF token on the CometD endpoint (`/api/v2/notifications`). Off by
    /// default: the CSRF page asks the token for requests that modify data, and the notification
    /// transport is not one, so plain Bayeux clients sending only Basic auth (the official CometD
    /// clients) are served (<https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/CSRFProtection>).
    pub csrf_cometd: bool,
    /// Require an agent's Basic auth on the provider-state endpoint (`/conformance/states`),
    /// which otherwise lets anyone who can reach it create interactions: on for a server
    /// reachable from other hosts (`serve --allow-remote`), off for test setups on loopback.
    pub provider_state_auth: bool,
    /// Deliberately break one documented rule; `None` for a conformant server. Names are
    /// [`FaultRow::name`]s of [`faults`]; an unknown name makes [`start`] fail with
    /// [`StartError::UnknownFault`].
    pub fault: Option<String>,
    /// Largest request body accepted, in bytes (larger: HTTP 413, statusCode 10).
    pub max_body_bytes: usize,
    /// How long `/meta/connect` is held when nothing is queued.
    pub connect_timeout: Duration,
    /// One log line per request on stderr (method, path, status, milliseconds).
    pub log_requests: bool,
    /// How long a connection may take to send a request's headers (also an idle keep-alive
    /// connection waiting for its next request); then it is closed. Bounds what idle or
    /// half-sent connections hold.
    pub header_read_timeout: Duration,
    /// Most interactions kept per agent they were offered to; an offer at the bound evicts that
    /// agent's oldest first (default [`MAX_INTERACTIONS_PER_AGENT`]).
    pub max_interactions_per_agent: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            dialect: Dialect::V2019,
            csrf: true,
            csrf_cometd: false,
            provider_state_auth: false,
            fault: None,
            max_body_bytes: 64 * 1024,
            connect_timeout: Duration::from_secs(25),
            log_requests: false,
            header_read_timeout: Duration::from_secs(10),
            max_interactions_per_agent: MAX_INTERACTIONS_PER_AGENT,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address is taken or not ours.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// `ServerConfig.fault` names no row of [`faults`].
    #[error("unknown fault `{0}`")]
    UnknownFault(String),
}

/// Everything the handlers share.
pub(crate) struct AppState {
    pub config: ServerConfig,
    pub fault: Option<&'static FaultRow>,
    /// `http://host:port` used in every `uri` the server writes.
    pub base: String,
    pub agents: Vec<auth::AgentAccount>,
    pub sessions: auth::HttpSessions,
    pub interactions: interactions::Store,
    pub hub: Arc<Hub>,
    /// Per-agent `referenceId` counters.
    reference_ids: Vec<AtomicU64>,
    /// The subscriptions of each CometD client, by `clientId`, as the replies granted them: kept
    /// only under [`Mutation::DeliverPerSubscription`], which needs them.
    pub(crate) fault_subscriptions:
        std::sync::Mutex<std::collections::HashMap<String, Vec<String>>>,
}

impl AppState {
    pub(crate) fn context(&self) -> operations::OperationContext<'_> {
        operations::OperationContext {
            dialect: self.config.dialect,
            base: &self.base,
            agents: &self.agents,
            queues: provider_state::QUEUES,
        }
    }
    /// The agent's next `referenceId` (1, 2, ...).
    pub(crate) fn next_reference_id(&self, agent: usize) -> u64 {
        self.reference_ids
            .get(agent)
            .map(|c| c.fetch_add(1, Ordering::Relaxed) + 1)
            .unwrap_or(1)
    }
    /// Whether the server runs with the fault whose mutation is `mutation`.
    pub(crate) fn faulty(&self, mutation: Mutation) -> bool {
        self.fault.is_some_and(|f| f.mutation == mutation)
    }
    /// Publishes a notification to its agent's CometD clients.
    pub(crate) fn publish(&self, publication: operations::Publication) {
        if self.faulty(Mutation::DeliverToEveryAgent) {
            for agent in &self.agents {
                self.hub.publish(
                    agent.user_name,
                    &publication.topic,
                    publication.data.clone(),
                );
            }
            return;
        }
        if let Some(agent) = self.agents.get(publication.owner) {
            self.hub
                .publish(agent.user_name, &publication.topic, publication.data);
        }
    }
}

/// A server running on a tokio task.
pub struct RunningServer {
    local_addr: SocketAddr,
    base_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    hub: Arc<Hub>,
    owners: Vec<&'static str>,
    state: Arc<AppState>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("local_addr", &self.local_addr)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl RunningServer {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }
    /// `http://{local_addr}`: what `--target` would be (127.0.0.1 when bound to 0.0.0.0).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
    /// How many interactions the server holds now (all agents; bounded by
    /// `ServerConfig::max_interactions_per_agent` per agent).
    pub fn stored_interactions(&self) -> usize {
        self.state.interactions.len()
    }
    /// How many CometD clients the server knows now (all agents).
    pub fn bayeux_clients(&self) -> usize {
        self.hub.total_clients()
    }
    /// Stops accepting and ends the server task: held `/meta/connect`s are answered at once
    /// (`402::Unknown client`), in-flight requests get up to 2 s to finish, then the task is aborted.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for owner in &self.owners {
            self.hub.forget_clients(owner);
        }
        if tokio::time::timeout(Duration::from_secs(2), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
            let _ = (&mut self.task).await;
        }
    }
}

async fn not_found(req: Request) -> Response {
    error::ApiError::not_found(format!("no resource at {}", req.uri().path())).into_response()
}

async fn method_not_allowed() -> Response {
    error::ApiError::method_not_allowed().into_response()
}

async fn log_request(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    req.extensions_mut()
        .insert(error::BodyLimit(state.config.max_body_bytes));
    if !state.config.log_requests {
        return next.run(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    eprintln!(
        "{method} {path} {} {}ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

/// The full router over `state`.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/v2/me", get(agent::me).post(agent::post_me))
        .route("/api/v2/me/channels/{channel}", post(agent::post_channel))
        .route("/api/v2/me/{collection}", get(interactions::list))
        .route(
            "/api/v2/me/{collection}/{id}",
            get(interactions::get_one).post(interactions::post_operation),
        )
        .route(
            "/api/v2/me/{collection}/{id}/messages",
            get(interactions::get_messages),
        )
        .route("/api/v2/notifications", post(notifications::bayeux))
        .route("/api/v2/notifications/", post(notifications::bayeux))
        .route("/api/v2/notifications/{*rest}", post(notifications::bayeux))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_agent,
        ));
    Router::new()
        .merge(api)
        .route("/conformance/states", post(provider_state::states))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state)
}

/// Accepts connections on `listener` and serves `app` on each (HTTP/1.1 or HTTP/2) until
/// `stop` fires, then lets the open connections finish gracefully (the caller bounds that).
/// Each HTTP/1 connection must send a request's headers within `header_read_timeout`
/// (hyper's `header_read_timeout`), else it is closed.
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    header_read_timeout: Duration,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    use hyper_util::{
        rt::{TokioExecutor, TokioIo, TokioTimer},
        server::{conn::auto::Builder, graceful::GracefulShutdown},
        service::TowerToHyperService,
    };
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait a little (a protocol-level
                // backoff, as axum::serve does) instead of spinning on the error.
                eprintln!("reference server: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // hyper's timeout starts with the first byte (after the HTTP/1-or-2 detection):
            // a connection that sends nothing at all is bounded here.
            let mut first = [0u8; 1];
            match tokio::time::timeout(header_read_timeout, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            // A client that goes away mid-request is not the server's error.
            let _ = watcher.watch(connection).await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Binds `addr` (port 0 for a free port) and serves until [`RunningServer::shutdown`].
pub async fn start(config: ServerConfig, addr: SocketAddr) -> Result<RunningServer, StartError> {
    let fault = match config.fault.as_deref() {
        None => None,
        Some(name) => Some(fault(name).ok_or_else(|| StartError::UnknownFault(name.into()))?),
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    let local_addr = listener
        .local_addr()
        .map_err(|source| StartError::Bind { addr, source })?;
    let shown = if local_addr.ip().is_unspecified() {
        SocketAddr::new(Ipv4Addr::LOCALHOST.into(), local_addr.port())
    } else {
        local_addr
    };
    let base_url = format!("http://{shown}");
    let hub = Hub::new(HubConfig {
        connect_timeout: config.connect_timeout,
        ..HubConfig::default()
    });
    let agents = auth::demo_agents();
    let interactions = interactions::Store::new(agents.len(), config.max_interactions_per_agent);
    let state = Arc::new(AppState {
        reference_ids: agents.iter().map(|_| AtomicU64::new(0)).collect(),
        agents,
        fault,
        base: base_url.clone(),
        sessions: Default::default(),
        interactions,
        hub: hub.clone(),
        fault_subscriptions: Default::default(),
        config,
    });
    let owners = state.agents.iter().map(|a| a.user_name).collect();
    let header_read_timeout = state.config.header_read_timeout;
    let app = router(state.clone());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app, header_read_timeout, rx));
    Ok(RunningServer {
        local_addr,
        base_url,
        shutdown: Some(tx),
        task,
        hub,
        owners,
        state,
    })
}
