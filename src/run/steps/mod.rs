//! The scenario world and the step definitions, grouped by subject: provider states
//! ([`provider_state`]), operations and their responses ([`operations`]), notifications
//! ([`notifications`]), the HTTP session itself ([`session`]) and the notification transport
//! ([`bayeux`]). The steps are generic over the operation table
//! (`gws_contract::operations`): what an operation sends, which states it is valid in and which
//! notifications follow is read from its row, never written in a step. This module holds the
//! [`GwsWorld`] and the one await every step uses ([`GwsWorld::await_expectation`]).

pub mod bayeux;
pub mod notifications;
pub mod operations;
pub mod provider_state;
pub mod resources;
pub mod session;

use std::sync::Arc;

use gws_contract::{Operation, State, operations::Kind};
use serde_json::Value;

pub use super::expect::{Notification, mentions, messages, resource};
use super::{
    agent::{AgentError, Reply},
    expect::{Cast, Matcher},
    media::Media,
    session::AgentSession,
    verdict::{self, Failure, HarnessError, compact},
};

/// The interaction a scenario works on (created through a provider state).
#[derive(Clone, Debug)]
pub struct Interaction {
    /// Its media.
    pub media: Media,
    /// The interaction id returned by the provider state.
    pub id: String,
    /// REST collection learned from the Invited notification's `uri`.
    pub collection: &'static str,
    /// The customer's nickname.
    pub customer: String,
    /// The customer's first message.
    pub text: String,
}

/// The second agent of the "another agent is available" provider state.
#[derive(Clone, Debug)]
pub struct OtherAgent {
    /// `targetUri` of the second agent.
    pub target_uri: String,
    /// `targetPath` of the second agent.
    pub target_path: String,
}

/// Per-scenario state. The shared [`AgentSession`] is injected by the runner's `before` hook.
#[derive(Debug, Default, cucumber::World)]
pub struct GwsWorld {
    /// The run's shared agent session.
    pub session: Option<Arc<AgentSession>>,
    /// The documentation page this scenario cites (from its `@doc:` tag).
    pub source: String,
    /// The interaction under test.
    pub interaction: Option<Interaction>,
    /// The second agent, when one was made available.
    pub other_agent: Option<OtherAgent>,
    /// The queue of the `a queue is available` provider state, when one was made available.
    pub queue: Option<String>,
    /// The nickname the agent accepted with.
    pub nickname: Option<String>,
    /// The state the interaction is in, as far as the scenario has seen.
    pub state: Option<State>,
    /// Whether a second agent is in the interaction (a consultation or conference).
    pub in_conference: bool,
    /// The last operation performed and the request body sent.
    pub performed: Option<(&'static Operation, Value)>,
    /// The consulting agent's participant object, once seen.
    pub consultant: Option<Value>,
    /// The inbox `seq` before the scenario's last action (operation or provider state): the
    /// notifications it causes come at or after it.
    pub since: u64,
    /// Notifications of the last operation judged so far: (kind, arrival seq), for the order rule.
    pub flow: Vec<(Kind, u64)>,
    /// Provider states set up (name, params), torn down after the scenario.
    pub states: Vec<(String, Value)>,
    /// Notifications this scenario took (channel, data): an identical later delivery is a
    /// duplicate, legal and ignored. The transcript refers to them by index.
    pub taken: Vec<(String, Value)>,
    /// HTTP and CometD exchanges of this scenario, for the report (credentials never logged),
    /// kept unformatted: [`GwsWorld::transcript_lines`] renders them, which the report does only
    /// for a scenario that did not pass.
    pub transcript: Vec<Exchange>,
    /// The scenario's own HTTP session (session scenarios).
    pub fresh: session::Fresh,
    /// The scenario's own CometD client (transport scenarios).
    pub transport: bayeux::Transport,
}

/// One entry of a scenario's transcript, kept as data and rendered to text
/// ([`GwsWorld::transcript_lines`]) only when the report shows it.
#[derive(Clone, Debug)]
pub enum Exchange {
    /// A line of text, shown as it is.
    Note(String),
    /// An operation: the request body POSTed and the reply (two lines: `→ POST url body` and
    /// `← HTTP status body`, each body cut to 400 characters).
    Operation {
        /// The JSON body POSTed.
        request: Value,
        /// URL, HTTP status and JSON body of the answer.
        reply: Reply,
    },
    /// A provider-state setup request: `→ provider state setup "state" params` (params cut to
    /// 300 characters).
    SetupRequest {
        /// The provider state's name.
        state: String,
        /// Its parameters.
        params: Value,
    },
    /// The provider-state endpoint's answer: `← answer` (cut to 300 characters).
    SetupReply(Value),
    /// The notification at this index of [`GwsWorld::taken`]: `⇐ channel data` (data cut to
    /// 600 characters).
    Taken(usize),
}

impl GwsWorld {
    /// The shared session; a harness error when the runner did not inject one.
    pub fn session(&self) -> Arc<AgentSession> {
        match &self.session {
            Some(s) => Arc::clone(s),
            None => verdict::error(HarnessError::new(
                "NoSession",
                "no agent session was injected into the scenario",
            )),
        }
    }

    /// The scenario's interaction; a harness error when no step created one.
    pub fn interaction(&self) -> Interaction {
        match &self.interaction {
            Some(i) => i.clone(),
            None => verdict::error(HarnessError::new(
                "ScenarioOrder",
                "no interaction yet: a `Given a ... is offered to the agent` step must come first",
            )),
        }
    }

    /// Ends the step with `failure`, citing the scenario's documentation page when the failure
    /// names none.
    pub fn fail(&self, mut failure: Failure) -> ! {
        if failure.source.is_empty() {
            failure.source = self.source.clone();
        }
        verdict::fail(failure)
    }

    /// Appends one line of text to the transcript.
    pub fn log(&mut self, line: impl Into<String>) {
        self.transcript.push(Exchange::Note(line.into()));
    }

    /// The transcript as text, one line per element: requests, replies and notifications as
    /// compact JSON cut to a few hundred characters (see [`Exchange`]).
    pub fn transcript_lines(&self) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.transcript.len() + 2);
        for e in &self.transcript {
            match e {
                Exchange::Note(line) => lines.push(line.clone()),
                Exchange::Operation { request, reply } => {
                    lines.push(format!("→ POST {} {}", reply.url, compact(request, 400)));
                    lines.push(format!(
                        "← HTTP {} {}",
                        reply.status,
                        compact(&reply.body, 400)
                    ));
                }
                Exchange::SetupRequest { state, params } => lines.push(format!(
                    "→ provider state setup \"{state}\" {}",
                    compact(params, 300)
                )),
                Exchange::SetupReply(answer) => lines.push(format!("← {}", compact(answer, 300))),
                Exchange::Taken(i) => {
                    if let Some((channel, data)) = self.taken.get(*i) {
                        lines.push(format!("⇐ {channel} {}", compact(data, 600)));
                    }
                }
            }
        }
        lines
    }

    /// Ends the step with the harness error behind `e`.
    pub fn agent_error(&self, kind: &'static str, e: &AgentError) -> ! {
        verdict::error(HarnessError::new(kind, e.to_string()))
    }

    /// Records an operation's request and reply in the transcript; the reply becomes the last
    /// operation's answer ([`GwsWorld::reply`]).
    pub fn log_reply(&mut self, request: Value, reply: Reply) {
        self.transcript.push(Exchange::Operation { request, reply });
    }

    /// The last operation's answer (from the transcript); `None` before any operation.
    pub fn reply(&self) -> Option<&Reply> {
        self.transcript.iter().rev().find_map(|e| match e {
            Exchange::Operation { reply, .. } => Some(reply),
            _ => None,
        })
    }

    /// Who the scenario's participants are (for matchers).
    pub fn cast(&self) -> Cast {
        Cast {
            agent: self.nickname.clone(),
            customer: self
                .interaction
                .as_ref()
                .map(|i| i.customer.clone())
                .unwrap_or_default(),
            other_agent_id: self
                .consultant
                .as_ref()
                .and_then(|c| c.get("participantId"))
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// A matcher of `kind` for the scenario's interaction.
    pub fn matcher(&self, kind: Kind) -> Matcher {
        let i = self.interaction();
        let mut m = Matcher::new(i.media, &i.id, kind, self.cast());
        m.since = self.since;
        m
    }

    /// Marks the start of an action: notifications awaited from now on must arrive after it.
    pub fn mark_action(&mut self) {
        self.since = self.session().inbox.next_seq();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_step_is_listed_in_the_features_readme() {
        let readme = include_str!("../../../features/README.md");
        let sources = [
            include_str!("provider_state.rs"),
            include_str!("operations.rs"),
            include_str!("notifications.rs"),
            include_str!("session.rs"),
            include_str!("bayeux.rs"),
        ];
        let attr =
            regex::Regex::new(r#"#\[(?:given|when|then)\(\s*(?:expr\s*=\s*)?"([^"]+)""#).unwrap();
        let mut n = 0;
        for src in sources {
            for cap in attr.captures_iter(src) {
                n += 1;
                assert!(
                    readme.contains(&cap[1]),
                    "features/README.md does not list the step `{}`",
                    &cap[1]
                );
            }
        }
        assert!(n >= 19, "found only {n} step definitions");
    }

    #[test]
    fn transcript_renders_each_exchange_as_one_compact_line() {
        let mut w = GwsWorld::default();
        w.transcript.push(Exchange::SetupRequest {
            state: OFFERED_FOR_TEST.into(),
            params: json!({"media": "chat", "text": "Hello  World"}),
        });
        w.transcript
            .push(Exchange::SetupReply(json!({"id": "0001"})));
        w.taken
            .push(("/v2/me/chats".into(), json!({"x": "y".repeat(700)})));
        w.transcript.push(Exchange::Taken(0));
        w.log_reply(
            json!({"operationName": "Accept"}),
            Reply {
                url: "http://h/api/v2/me/chats/0001".into(),
                status: 200,
                body: json!({"statusCode": 0}),
            },
        );
        w.log("state Chatting; capabilities []");
        let lines = w.transcript_lines();
        let long = format!("⇐ /v2/me/chats {}", compact(&w.taken[0].1, 600));
        assert_eq!(
            long.chars().count(),
            "⇐ /v2/me/chats ".chars().count() + 600
        );
        assert!(long.ends_with('…'));
        assert_eq!(
            lines,
            vec![
                format!(
                    "→ provider state setup \"{OFFERED_FOR_TEST}\" {{\"media\":\"chat\",\"text\":\"Hello World\"}}"
                ),
                "← {\"id\":\"0001\"}".to_string(),
                long,
                "→ POST http://h/api/v2/me/chats/0001 {\"operationName\":\"Accept\"}".to_string(),
                "← HTTP 200 {\"statusCode\":0}".to_string(),
                "state Chatting; capabilities []".to_string(),
            ]
        );
        assert_eq!(w.reply().map(|r| r.status), Some(200));
        assert!(GwsWorld::default().reply().is_none());
    }

    const OFFERED_FOR_TEST: &str = "an interaction is offered to the agent";
}
