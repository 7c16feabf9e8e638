//! The run-wide agent session shared by every scenario: the logged-in [`AgentClient`], its
//! notification inbox, the settings steps need, and the spellings learned from the target.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use gws_bayeux::client::Inbox;

use super::agent::{AgentClient, AgentConfig};

/// The second agent the session scenarios log in as (`--user2`, `--password2`): its own HTTP
/// sessions and CometD clients, never the run's shared session.
#[derive(Clone, PartialEq, Eq)]
pub struct SecondAgent {
    /// Its user name.
    pub user: String,
    /// Its password (never printed; `Debug` redacts it).
    pub password: String,
}

impl Default for SecondAgent {
    /// The reference server's second agent, `agent2` / `secret2`.
    fn default() -> Self {
        Self {
            user: "agent2".into(),
            password: "secret2".into(),
        }
    }
}

impl std::fmt::Debug for SecondAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondAgent")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// One agent session for the whole run (target-contract section 2), shared by all scenarios.
#[derive(Debug)]
pub struct AgentSession {
    /// The logged-in agent.
    pub agent: AgentClient,
    /// Its notification inbox (shared by all scenarios; each takes its own interactions').
    pub inbox: Inbox,
    /// Bound on every wait for a notification.
    pub notification_timeout: Duration,
    /// `--strict`: require the newest documented spelling (target-contract section 4).
    pub strict: bool,
    /// The second agent of the session scenarios (`--user2`, `--password2`).
    pub second_agent: SecondAgent,
    /// `--require-csrf`: a target that hands out no CSRF token fails the CSRF scenarios instead
    /// of having them skipped.
    pub require_csrf: bool,
    spellings: Mutex<Spellings>,
    counter: AtomicU64,
}

impl AgentSession {
    /// Wraps a logged-in agent.
    pub fn new(
        agent: AgentClient,
        inbox: Inbox,
        notification_timeout: Duration,
        strict: bool,
    ) -> Self {
        Self {
            agent,
            inbox,
            notification_timeout,
            strict,
            second_agent: SecondAgent::default(),
            require_csrf: false,
            spellings: Mutex::new(Spellings::default()),
            counter: AtomicU64::new(0),
        }
    }

    /// Sets the second agent and `--require-csrf` (the settings of the session scenarios).
    pub fn with_session_checks(mut self, second_agent: SecondAgent, require_csrf: bool) -> Self {
        self.second_agent = second_agent;
        self.require_csrf = require_csrf;
        self
    }

    /// The configuration of a fresh HTTP session of the agent (`second`: of the second agent):
    /// the run's target, provider-state URL and request timeout.
    pub fn fresh_config(&self, second: bool) -> AgentConfig {
        let mut config = self.agent.config().clone();
        if second {
            config.user.clone_from(&self.second_agent.user);
            config.password.clone_from(&self.second_agent.password);
        }
        config
    }

    /// The agent's user name.
    pub fn user(&self) -> &str {
        &self.agent.config().user
    }

    /// Records that the target used `value` for the name `what` (e.g. `facebooksession.collection`).
    pub fn learn(&self, what: &str, value: &str) {
        if let Ok(mut s) = self.spellings.lock() {
            s.record(what, value);
        }
    }

    /// Records that the target used `value` for `field` (`topic`, `messageType`, `resourceKey`,
    /// `collection`) of `media`, under the name `<media>.<field>`; other fields are ignored.
    pub fn learn_name(&self, media: gws_contract::Media, field: &str, value: &str) {
        const FIELDS: [&str; 4] = ["topic", "messageType", "resourceKey", "collection"];
        const NAMES: [[&str; 4]; 3] = [
            [
                "chat.topic",
                "chat.messageType",
                "chat.resourceKey",
                "chat.collection",
            ],
            [
                "facebooksession.topic",
                "facebooksession.messageType",
                "facebooksession.resourceKey",
                "facebooksession.collection",
            ],
            [
                "smssession.topic",
                "smssession.messageType",
                "smssession.resourceKey",
                "smssession.collection",
            ],
        ];
        if let Some(i) = FIELDS.iter().position(|f| *f == field) {
            self.learn(NAMES[media as usize][i], value);
        }
    }

    /// The first value learned for `what`, if any.
    pub fn learned(&self, what: &str) -> Option<String> {
        self.spellings
            .lock()
            .ok()?
            .0
            .get(what)?
            .iter()
            .next()
            .cloned()
    }

    /// A copy of what was learned so far.
    pub fn spellings(&self) -> Spellings {
        self.spellings.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// A number unique within the run (for made-up interaction ids).
    pub fn next_number(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    /// The validation mode of the contract crate.
    pub fn mode(&self) -> gws_contract::Mode {
        if self.strict {
            gws_contract::Mode::Strict
        } else {
            gws_contract::Mode::Lenient
        }
    }
}

/// The spellings a target used, per name (target-contract section 4), as seen in its own
/// responses and notifications.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spellings(BTreeMap<String, BTreeSet<String>>);

impl Spellings {
    /// Adds one observation.
    pub fn record(&mut self, what: &str, value: &str) {
        // Most observations repeat one already made: look up by the borrowed strings first.
        match self.0.get_mut(what) {
            Some(values) if values.contains(value) => {}
            Some(values) => {
                values.insert(value.to_string());
            }
            None => {
                self.0
                    .insert(what.to_string(), BTreeSet::from([value.to_string()]));
            }
        }
    }

    /// `(name, "v1,v2")` pairs, sorted by name.
    pub fn entries(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().cloned().collect::<Vec<_>>().join(",")))
            .collect()
    }

    /// `name=value; name=value`, or `none observed`.
    pub fn summary(&self) -> String {
        if self.0.is_empty() {
            return "none observed".to_string();
        }
        self.entries()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_summarise_sorted_and_deduplicated() {
        let mut s = Spellings::default();
        assert_eq!(s.summary(), "none observed");
        s.record("facebooksession.collection", "facebooksessions");
        s.record("chat.topic", "/v2/me/chats");
        s.record("facebooksession.collection", "facebooksessions");
        assert_eq!(
            s.summary(),
            "chat.topic=/v2/me/chats; facebooksession.collection=facebooksessions"
        );
    }
}
