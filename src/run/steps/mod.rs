//! The scenario world and the step definitions, grouped by subject: provider states
//! ([`provider_state`]), operations and their responses ([`operations`]), notifications
//! ([`notifications`]). This module holds the [`GwsWorld`] and the helpers every step uses to
//! talk to the target and to turn what it sees into verdicts.

pub mod notifications;
pub mod operations;
pub mod provider_state;

use std::sync::Arc;

use gws_bayeux::client::{Notification, WaitError};
use serde_json::Value;

use super::{
    agent::{AgentError, Reply},
    media::Media,
    session::Session,
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

/// Per-scenario state. The shared [`Session`] is injected by the runner's `before` hook.
#[derive(Debug, Default, cucumber::World)]
pub struct GwsWorld {
    /// The run's shared agent session.
    pub session: Option<Arc<Session>>,
    /// The documentation page this scenario cites (from its `@doc:` tag).
    pub source: String,
    /// The interaction under test.
    pub interaction: Option<Interaction>,
    /// The second agent, when one was made available.
    pub other_agent: Option<OtherAgent>,
    /// The nickname the agent accepted with.
    pub nickname: Option<String>,
    /// Resource key and capabilities of the last StatusChange checked.
    pub capabilities: Option<(&'static str, Vec<String>)>,
    /// The consulting agent's participant object, once seen.
    pub consultant: Option<Value>,
    /// Notifications of the Accept flow judged so far: (notificationType, arrival seq).
    pub accept_flow: Vec<(&'static str, u64)>,
    /// Provider states set up (name, params), torn down after the scenario.
    pub states: Vec<(String, Value)>,
    /// Notifications this scenario took (channel, data): an identical later delivery is a
    /// duplicate, legal and ignored. The transcript refers to them by index.
    pub taken: Vec<(String, Value)>,
    /// HTTP and CometD exchanges of this scenario, for the report (credentials never logged),
    /// kept unformatted: [`GwsWorld::transcript_lines`] renders them, which the report does only
    /// for a scenario that did not pass.
    pub transcript: Vec<Exchange>,
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
    pub fn session(&self) -> Arc<Session> {
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

    /// Waits (bounded by `--notification-timeout`) for the first notification matching
    /// `predicate`, described by `what` in the failure when none arrives. Unmatched
    /// notifications stay in the inbox for other scenarios.
    pub async fn await_notification(
        &mut self,
        what: &str,
        predicate: impl Fn(&Notification) -> bool,
    ) -> Notification {
        self.await_described(|| what.to_string(), None, None, predicate)
            .await
    }

    /// [`GwsWorld::await_notification`] with the description built by `what` only when the wait
    /// fails (a passing step formats nothing).
    pub async fn await_notification_lazy(
        &mut self,
        what: impl Fn() -> String,
        predicate: impl Fn(&Notification) -> bool,
    ) -> Notification {
        self.await_described(what, None, None, predicate).await
    }

    /// [`GwsWorld::await_notification`] with the rule and source a timeout failure cites
    /// (`source` `None`: the scenario's page).
    pub async fn await_notification_citing(
        &mut self,
        what: &str,
        rule: &str,
        source: Option<&str>,
        predicate: impl Fn(&Notification) -> bool,
    ) -> Notification {
        self.await_described(|| what.to_string(), Some(rule), source, predicate)
            .await
    }

    /// [`GwsWorld::await_notification_citing`] with the description built by `what` only when
    /// the wait fails.
    pub async fn await_notification_citing_lazy(
        &mut self,
        what: impl Fn() -> String,
        rule: &str,
        source: Option<&str>,
        predicate: impl Fn(&Notification) -> bool,
    ) -> Notification {
        self.await_described(what, Some(rule), source, predicate)
            .await
    }

    /// The wait behind the `await_notification*` methods. `what` and the rule (default: "the
    /// documentation lists {what}") are formatted only on a timeout or transport error.
    async fn await_described(
        &mut self,
        what: impl Fn() -> String,
        rule: Option<&str>,
        source: Option<&str>,
        predicate: impl Fn(&Notification) -> bool,
    ) -> Notification {
        let session = self.session();
        // The step's own predicate first: it is cheap and rejects most queued notifications,
        // so the deep comparison with the notifications already taken runs only on a match.
        let taken = &self.taken;
        let fresh = |n: &Notification| {
            predicate(n) && !taken.iter().any(|(c, d)| *c == n.channel && *d == n.data)
        };
        match session
            .inbox
            .take(fresh, session.notification_timeout)
            .await
        {
            Ok(n) => {
                self.transcript.push(Exchange::Taken(self.taken.len()));
                self.taken.push((n.channel.clone(), n.data.clone()));
                n
            }
            Err(WaitError::Timeout { waited, seen }) => {
                let what = what();
                let rule = match rule {
                    Some(rule) => rule.to_string(),
                    None => format!("the documentation lists {what}"),
                };
                let interaction_id = self.interaction.as_ref().map(|i| i.id.clone());
                let related: Vec<&Notification> = seen
                    .iter()
                    .filter(|n| {
                        interaction_id
                            .as_deref()
                            .is_some_and(|id| mentions(&n.data, id))
                    })
                    .collect();
                let mut detail = format!(
                    "awaited: {what}\nwaited: {waited:?}\narrived for this interaction and not taken by an earlier step: {}\n",
                    related.len()
                );
                for n in &related {
                    detail.push_str(&format!("  {} {}\n", n.channel, compact(&n.data, 600)));
                }
                let others: Vec<&Notification> = seen
                    .iter()
                    .filter(|n| !related.iter().any(|r| r.seq == n.seq))
                    .collect();
                detail.push_str(&format!(
                    "other notifications waiting in the inbox: {}\n",
                    others.len()
                ));
                for n in others.iter().rev().take(10) {
                    let field = |k: &str| {
                        n.data
                            .get(k)
                            .and_then(Value::as_str)
                            .unwrap_or("-")
                            .to_string()
                    };
                    detail.push_str(&format!(
                        "  {} messageType {} notificationType {}\n",
                        n.channel,
                        field("messageType"),
                        field("notificationType")
                    ));
                }
                self.fail(
                    Failure::new(
                        "NotificationTimeout",
                        format!("no {what} within {waited:?}"),
                    )
                    .rule(rule)
                    .source(source.unwrap_or_default().to_string())
                    .expected_actual(
                        what,
                        format!("{} related notification(s), none matching", related.len()),
                    )
                    .detail(detail),
                )
            }
            Err(WaitError::Transport(e)) => verdict::error(HarnessError::new(
                "BayeuxTransport",
                format!("while awaiting {}: {e}", what()),
            )),
        }
    }
}

/// Whether any string in `v` is `id` or ends with `/id` (an interaction reference).
pub fn mentions(v: &Value, id: &str) -> bool {
    match v {
        Value::String(s) => s == id || s.trim_end_matches('/').rsplit('/').next() == Some(id),
        Value::Array(a) => a.iter().any(|x| mentions(x, id)),
        Value::Object(o) => o.values().any(|x| mentions(x, id)),
        _ => false,
    }
}

/// The interaction resource of a state-change notification: (key, object) for the first of
/// the media's documented keys present as an object.
pub fn resource(media: Media, data: &Value) -> Option<(&'static str, &Value)> {
    media
        .resource_keys()
        .iter()
        .find_map(|k| data.get(*k).filter(|v| v.is_object()).map(|v| (*k, v)))
}

/// Whether `n` is a state-change notification with `notificationType` `nt` about interaction `id`.
pub fn is_state_change(media: Media, n: &Notification, nt: &str, id: &str) -> bool {
    n.data.get("notificationType").and_then(Value::as_str) == Some(nt)
        && resource(media, &n.data)
            .and_then(|(_, r)| r.get("id"))
            .and_then(Value::as_str)
            == Some(id)
}

/// Whether `n` is a MessageLogUpdated about interaction `id` (matched through any `...Uri` or
/// `...Path` key, whichever spelling the target uses).
pub fn is_message_log(n: &Notification, id: &str) -> bool {
    n.data.get("messageType").and_then(Value::as_str) == Some("MessageLogUpdated")
        && n.data.as_object().is_some_and(|o| {
            o.iter().any(|(k, v)| {
                (k.ends_with("Uri") || k.ends_with("Path"))
                    && v.as_str()
                        .is_some_and(|s| s.trim_end_matches('/').rsplit('/').next() == Some(id))
            })
        })
}

/// The `messages` array of a MessageLogUpdated (empty when absent).
pub fn messages(data: &Value) -> &[Value] {
    data.get("messages")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use serde_json::json;

    use super::*;

    fn note(data: Value) -> Notification {
        Notification {
            channel: "/v2/me/facebooksession".into(),
            data,
            seq: 0,
            received_at: Instant::now(),
        }
    }

    #[test]
    fn state_change_matches_either_facebook_key() {
        let old = note(
            json!({"notificationType": "StatusChange", "facebooksession": {"id": "A", "state": "Chatting"}}),
        );
        let new = note(
            json!({"notificationType": "StatusChange", "facebooksessions": {"id": "A", "state": "Chatting"}}),
        );
        for n in [&old, &new] {
            assert!(is_state_change(
                Media::FacebookSession,
                n,
                "StatusChange",
                "A"
            ));
            assert!(!is_state_change(
                Media::FacebookSession,
                n,
                "StatusChange",
                "B"
            ));
            assert!(!is_state_change(
                Media::FacebookSession,
                n,
                "ParticipantsUpdated",
                "A"
            ));
            assert!(!is_state_change(Media::Chat, n, "StatusChange", "A"));
        }
    }

    #[test]
    fn message_log_matches_by_uri_or_path_key() {
        let by_uri =
            note(json!({"messageType": "MessageLogUpdated", "chatUri": "http://h/api/v2/chats/A"}));
        let by_path = note(
            json!({"messageType": "MessageLogUpdated", "facebooksessionPath": "/facebooksessions/A"}),
        );
        assert!(is_message_log(&by_uri, "A"));
        assert!(is_message_log(&by_path, "A"));
        assert!(!is_message_log(&by_uri, "AB"));
        assert!(!is_message_log(
            &note(json!({"messageType": "Other", "chatUri": "/chats/A"})),
            "A"
        ));
    }

    #[test]
    fn every_step_is_listed_in_the_features_readme() {
        let readme = include_str!("../../../features/README.md");
        let sources = [
            include_str!("provider_state.rs"),
            include_str!("operations.rs"),
            include_str!("notifications.rs"),
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

    #[test]
    fn mentions_finds_nested_ids() {
        assert!(mentions(&json!({"x": [{"uri": "/api/v2/chats/Q1"}]}), "Q1"));
        assert!(!mentions(&json!({"x": "Q12"}), "Q1"));
    }
}
