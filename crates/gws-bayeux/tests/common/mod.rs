//! Test support shared by the gws-bayeux integration tests: an in-process hub on 127.0.0.1:0 and
//! a reqwest client like the runner's (cookie store, Basic auth header naming the owner).
#![allow(dead_code)]

pub mod node;

use std::{sync::Arc, time::Duration};

use base64::Engine;
use gws_bayeux::{
    client::ClientConfig,
    server::{Hub, HubConfig, router_without_auth},
};
use tokio::{sync::oneshot, task::JoinHandle};

/// Bound for every wait in these tests that is expected to succeed.
pub const BOUND: Duration = Duration::from_secs(5);

pub struct TestHub {
    pub hub: Arc<Hub>,
    pub endpoint: url::Url,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: JoinHandle<()>,
}

impl TestHub {
    pub async fn start(config: HubConfig) -> Self {
        let hub = Hub::new(config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let address = listener.local_addr().expect("local address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = router_without_auth(hub.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        let endpoint = url::Url::parse(&format!("http://{address}/api/v2/notifications"))
            .expect("endpoint URL");
        Self {
            hub,
            endpoint,
            shutdown: Some(shutdown),
            server,
        }
    }

    /// Stops accepting connections and waits (bounded) for the server task to end.
    pub async fn stop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        tokio::time::timeout(BOUND, &mut self.server)
            .await
            .expect("server stopped within the bound")
            .expect("server task");
    }

    pub fn config(&self, owner: &str) -> ClientConfig {
        let mut config = ClientConfig::new(self.endpoint.clone());
        config
            .headers
            .insert(reqwest::header::AUTHORIZATION, basic(owner, "secret"));
        config.request_timeout = BOUND;
        config
    }
}

pub fn basic(user: &str, password: &str) -> reqwest::header::HeaderValue {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    reqwest::header::HeaderValue::from_str(&format!("Basic {token}")).expect("header value")
}

pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("reqwest client")
}

/// Short hold so that tests which need a connect to come back do not wait long.
pub fn quick_hub() -> HubConfig {
    HubConfig {
        connect_timeout: Duration::from_millis(500),
        interval: Duration::ZERO,
        client_ttl: Duration::from_secs(60),
        ..HubConfig::default()
    }
}
