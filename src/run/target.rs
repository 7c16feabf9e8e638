//! The server under test, like Complement's `Deployment`: either the embedded reference server
//! (started on 127.0.0.1 on a free port, stopped at the end) or a remote server given by URL.
//! A [`Target`] owns start, login (the agent session of the target contract, section 2), and
//! teardown; the runner, the tests and the benchmark use it instead of wiring clients by hand.

use std::time::Duration;

use gws_contract::Dialect;
use url::Url;

use super::{
    agent::{self, AgentClient, AgentConfig, AgentError, TlsConfig},
    redact::Secrets,
    session::AgentSession,
};

/// Where the suite runs.
#[derive(Debug)]
pub enum Target {
    /// The embedded reference server, owned by the run.
    Embedded {
        /// The running server.
        server: gws_reference_server::RunningServer,
        /// Its base URL.
        url: Url,
    },
    /// A server somewhere else.
    Remote {
        /// Its base URL (may carry user info; never printed as is).
        url: Url,
    },
}

/// How the agent logs in to a target.
#[derive(Clone, Debug)]
pub struct Login {
    /// The agent's user name.
    pub user: String,
    /// The agent's password (never printed).
    pub password: String,
    /// The provider-state endpoint; `None`: `{target}/conformance/states`.
    pub state_url: Option<Url>,
    /// Bound on every HTTP request.
    pub request_timeout: Duration,
    /// Bound on every wait for a notification.
    pub notification_timeout: Duration,
    /// `--strict`.
    pub strict: bool,
    /// `--state-credentials`: the agent's credentials also to a state URL on another origin.
    pub state_credentials: bool,
    /// `--ca-cert`, `--insecure`.
    pub tls: TlsConfig,
    /// The run's secrets; the agent adds those the target issues.
    pub secrets: Secrets,
}

impl Target {
    /// The remote server at `url`, or (when `None`) the embedded reference server in `dialect`,
    /// started now. Errors: the embedded server could not start (one line saying why).
    pub async fn start(url: Option<Url>, dialect: Dialect) -> Result<Target, String> {
        if let Some(url) = url {
            return Ok(Target::Remote { url });
        }
        let config = gws_reference_server::ServerConfig {
            dialect: match dialect {
                Dialect::V2015 => gws_reference_server::Dialect::V2015,
                Dialect::V2019 => gws_reference_server::Dialect::V2019,
            },
            ..Default::default()
        };
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let server = gws_reference_server::start(config, addr)
            .await
            .map_err(|e| format!("cannot start the embedded reference server: {e}"))?;
        let base = server.base_url();
        match Url::parse(&base) {
            Ok(url) => Ok(Target::Embedded { server, url }),
            Err(e) => {
                server.shutdown().await;
                Err(format!(
                    "the embedded server reported an unusable URL `{base}`: {e}"
                ))
            }
        }
    }

    /// The base URL.
    pub fn url(&self) -> &Url {
        match self {
            Target::Embedded { url, .. } | Target::Remote { url } => url,
        }
    }

    /// The base URL without credentials, for output.
    pub fn shown(&self) -> String {
        agent::redact(self.url())
    }

    /// `{target}/conformance/states` without user info (target contract, section 3).
    pub fn default_state_url(&self) -> Url {
        let mut base = self.url().clone();
        let _ = base.set_username("");
        let _ = base.set_password(None);
        let p = format!("{}/conformance/states", base.path().trim_end_matches('/'));
        base.set_path(&p);
        base
    }

    /// Logs the agent in (GET /api/v2/me, CometD handshake and subscribe,
    /// StartContactCenterSession, Ready) and returns the run's shared session.
    ///
    /// # Errors
    /// The [`AgentError`] of the first step that failed.
    pub async fn login(&self, login: &Login) -> Result<AgentSession, AgentError> {
        let mut client = AgentClient::new(AgentConfig {
            target: self.url().clone(),
            state_url: login
                .state_url
                .clone()
                .unwrap_or_else(|| self.default_state_url()),
            user: login.user.clone(),
            password: login.password.clone(),
            request_timeout: login.request_timeout,
            state_credentials: login.state_credentials,
            tls: login.tls.clone(),
            secrets: login.secrets.clone(),
        })?;
        client.login().await?;
        let Some(inbox) = client.inbox() else {
            return Err(AgentError::Protocol(
                "the agent has no notification inbox after login".into(),
            ));
        };
        Ok(AgentSession::new(
            client,
            inbox,
            login.notification_timeout,
            login.strict,
        ))
    }

    /// Stops the embedded server (a remote target is left alone).
    pub async fn stop(self) {
        if let Target::Embedded { server, .. } = self {
            server.shutdown().await;
        }
    }
}
