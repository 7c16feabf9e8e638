//! Reusable notification matchers and the expectation a step awaits: what is awaited (in
//! words), the rule a missing notification breaks, the documentation page it rests on, and a
//! [`Matcher`] over the notification (interaction, kind, transcript entry). Steps describe what
//! they wait for with these and call [`crate::run::steps::GwsWorld::await_expectation`]
//! (defined here, the one place that talks to the Bayeux inbox); steps never import the Bayeux
//! crate.

pub use gws_bayeux::client::Notification;
use gws_bayeux::client::WaitError;
use gws_contract::{
    Media,
    operations::{Kind, Who},
};
use serde_json::Value;

use super::{
    catalog::BAYEUX_CHANNELS,
    steps::{Exchange, GwsWorld},
    verdict::{self, Failure, HarnessError, compact},
};

/// Which interaction a notification is about: the `id` of its state-change resource (any
/// documented resource key of any media), else the last segment of a `…Uri` / `…Path` string
/// field (a message log's transcript key). `None` for a notification that names none. This is
/// the inbox's mailbox key.
pub fn interaction_of(data: &Value) -> Option<String> {
    let obj = data.as_object()?;
    if let Some((_, key)) = Media::from_resource_key(obj)
        && let Some(id) = obj[key].get("id").and_then(Value::as_str)
    {
        return Some(id.to_string());
    }
    obj.iter().find_map(|(k, v)| {
        if !(k.ends_with("Uri") || k.ends_with("Path")) {
            return None;
        }
        let last = v.as_str()?.trim_end_matches('/').rsplit('/').next()?;
        (!last.is_empty()).then(|| last.to_string())
    })
}

/// The interaction resource of a state-change notification of `media`: (key, object) for the
/// first of the media's documented keys present as an object.
pub fn resource(media: Media, data: &Value) -> Option<(&'static str, &Value)> {
    media
        .names()
        .resource_key
        .all
        .iter()
        .find_map(|k| data.get(*k).filter(|v| v.is_object()).map(|v| (*k, v)))
}

/// The `messages` array of a MessageLogUpdated (empty when absent).
pub fn messages(data: &Value) -> &[Value] {
    data.get("messages")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
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

/// Who the scenario's participants are, for matching `from` and participant entries.
#[derive(Clone, Debug, Default)]
pub struct Cast {
    /// The agent's nickname, once it accepted.
    pub agent: Option<String>,
    /// The customer's nickname.
    pub customer: String,
    /// The other agent's `participantId`, once seen in a participants list.
    pub other_agent_id: Option<String>,
}

impl Cast {
    /// Whether the participant object `p` (or a message's `from`) is `who`.
    pub fn is(&self, who: Who, p: &Value) -> bool {
        let field = |k: &str| p.get(k).and_then(Value::as_str);
        match who {
            Who::Customer => {
                field("type") == Some("Customer") && field("nickname") == Some(&self.customer)
            }
            Who::Agent => {
                field("type") == Some("Agent")
                    && self
                        .agent
                        .as_deref()
                        .is_none_or(|n| field("nickname") == Some(n))
            }
            Who::OtherAgent => {
                field("type") == Some("Agent")
                    && match &self.other_agent_id {
                        Some(id) => field("participantId") == Some(id),
                        None => field("nickname") != self.agent.as_deref(),
                    }
            }
        }
    }

    /// Whether `p` is an agent other than the scenario's own (any identity).
    pub fn is_another_agent(&self, p: &Value) -> bool {
        p.get("type").and_then(Value::as_str) == Some("Agent")
            && p.get("nickname").and_then(Value::as_str) != self.agent.as_deref()
    }
}

/// What makes a notification the one awaited.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// The interaction's media.
    pub media: Media,
    /// The interaction's id.
    pub interaction: String,
    /// Its kind (notificationType; `NewMessages` is a MessageLogUpdated).
    pub kind: Kind,
    /// For `ParticipantsUpdated`: the list must contain another agent than the scenario's own.
    pub with_another_agent: bool,
    /// For `NewMessages`: the transcript must hold an entry of this `type` from this agent
    /// (only for agents: a customer's entries are the history, matched by the kind alone).
    pub entry_from_agent: Option<(&'static str, Who)>,
    /// Who the participants are.
    pub cast: Cast,
    /// Only notifications that arrived at or after this inbox `seq`: those that follow the
    /// scenario's last action (0: any).
    pub since: u64,
}

impl Matcher {
    /// A matcher of `kind` for the interaction, with no further condition.
    pub fn new(media: Media, interaction: &str, kind: Kind, cast: Cast) -> Self {
        Self {
            media,
            interaction: interaction.to_string(),
            kind,
            with_another_agent: false,
            entry_from_agent: None,
            cast,
            since: 0,
        }
    }

    /// Whether `n` matches.
    pub fn matches(&self, n: &Notification) -> bool {
        if n.seq < self.since {
            return false;
        }
        let data = &n.data;
        if data.get("notificationType").and_then(Value::as_str)
            != Some(self.kind.notification_type())
            && !(self.kind.is_message_log()
                && data.get("messageType").and_then(Value::as_str) == Some("MessageLogUpdated"))
        {
            return false;
        }
        if self.kind.is_message_log() {
            if data.get("messageType").and_then(Value::as_str) != Some("MessageLogUpdated")
                || interaction_of_log(data) != Some(self.interaction.as_str())
            {
                return false;
            }
            return match self.entry_from_agent {
                None => true,
                Some((kind, who)) => messages(data).iter().any(|m| {
                    m.get("type").and_then(Value::as_str) == Some(kind)
                        && m.get("from").is_some_and(|f| self.cast.is(who, f))
                }),
            };
        }
        let Some((_, r)) = resource(self.media, data) else {
            return false;
        };
        if r.get("id").and_then(Value::as_str) != Some(self.interaction.as_str()) {
            return false;
        }
        !self.with_another_agent
            || r.get("participants")
                .and_then(Value::as_array)
                .is_some_and(|l| l.iter().any(|p| self.cast.is_another_agent(p)))
    }

    /// The words of a timeout: what was awaited, without the interaction's id (it differs on
    /// every run; the failure's detail names it), so that the same defect reads the same.
    pub fn describe(&self) -> String {
        let words = self.media.words();
        if self.kind.is_message_log() {
            let extra = match self.entry_from_agent {
                Some((kind, Who::OtherAgent)) => {
                    format!(", a {kind} message from the other agent")
                }
                Some((kind, _)) => format!(", a {kind} message from the agent"),
                None => String::new(),
            };
            format!(
                "MessageLogUpdated notification (notificationType NewMessages{extra}) for the scenario's {words}"
            )
        } else {
            let extra = if self.with_another_agent {
                ", with an agent other than the scenario's own"
            } else {
                ""
            };
            format!(
                "{words} notification (messageType {}, notificationType {}{extra}) for the scenario's {words}",
                self.media.names().state_message_type.all.join(" or "),
                self.kind.notification_type(),
            )
        }
    }
}

/// The interaction a message log names through any `…Uri` / `…Path` key.
fn interaction_of_log(data: &Value) -> Option<&str> {
    data.as_object()?.iter().find_map(|(k, v)| {
        (k.ends_with("Uri") || k.ends_with("Path"))
            .then(|| v.as_str()?.trim_end_matches('/').rsplit('/').next())
            .flatten()
    })
}

/// What a step awaits: the matcher, and what a timeout failure cites.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The notification awaited.
    pub matcher: Matcher,
    /// The rule a missing notification breaks (`None`: "the documentation lists …").
    pub rule: Option<String>,
    /// Where the rule is documented (`None`: the scenario's page).
    pub source: Option<String>,
}

impl Expectation {
    /// Awaits what `matcher` describes, citing the scenario's page.
    pub fn of(matcher: Matcher) -> Self {
        Self {
            matcher,
            rule: None,
            source: None,
        }
    }

    /// The same, citing `rule` from `source`.
    pub fn citing(mut self, rule: impl Into<String>, source: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self.source = Some(source.into());
        self
    }
}

/// The failure of a notification delivered on a subscription pattern such as `/v2/me/*`.
fn wildcard_channel(matcher: &Matcher, n: &Notification) -> Failure {
    Failure::new(
        "WildcardChannel",
        format!(
            "{} notification for {} delivered on the wildcard channel `{}`",
            matcher.media.words(),
            matcher.interaction,
            n.channel
        ),
    )
    .rule(
        "Bayeux delivers a message on the channel it was published to; a channel with a `*` or `**` segment is a subscription pattern, never a delivery channel",
    )
    .source(BAYEUX_CHANNELS)
    .path("channel")
    .expected_actual(
        "a channel without wildcard segments (e.g. /v2/me/chats)",
        n.channel.clone(),
    )
    .detail(format!("notification: {} {}", n.channel, compact(&n.data, 600)))
}

impl GwsWorld {
    /// Awaits the notification `expectation` describes (bounded by `--notification-timeout`),
    /// skipping identical copies of notifications this scenario already took (a legal duplicate
    /// delivery). Unmatched notifications stay in the inbox for other steps and scenarios.
    ///
    /// A notification taken from a wildcard channel (`/v2/me/*`, `/v2/me/**`) is a
    /// `WildcardChannel` failure citing Bayeux (2.2.1). A timeout is a `NotificationTimeout`
    /// failure naming what was awaited, the rule and the page, with the notifications that did arrive for this interaction; a Bayeux transport
    /// failure is a harness error. What is awaited is put into words only when the wait fails.
    pub async fn await_expectation(&mut self, expectation: &Expectation) -> Notification {
        let session = self.session();
        let matcher = &expectation.matcher;
        // The matcher first: it is cheap and rejects most queued notifications, so the deep
        // comparison with the notifications already taken runs only on a match.
        let taken = &self.taken;
        let fresh = |n: &Notification| {
            matcher.matches(n) && !taken.iter().any(|(c, d)| *c == n.channel && *d == n.data)
        };
        match session
            .inbox
            .take_from(
                Some(matcher.interaction.as_str()),
                fresh,
                session.notification_timeout,
            )
            .await
        {
            Ok(n) => {
                self.transcript.push(Exchange::Taken(self.taken.len()));
                self.taken.push((n.channel.clone(), n.data.clone()));
                if gws_bayeux::channel::is_pattern(&n.channel) {
                    self.fail(wildcard_channel(matcher, &n))
                }
                n
            }
            Err(WaitError::Timeout {
                waited,
                seen,
                others: not_listed,
            }) => {
                let what = matcher.describe();
                if let Some((n, e)) = session.inbox.lost() {
                    verdict::error(HarnessError::new(
                        "NotificationsLost",
                        format!(
                            "no {what} within {waited:?}, but {n} CometD connect answer(s) could not be read (first: {e}): notifications may have been lost, so the target cannot be judged on it"
                        ),
                    ))
                }
                let rule = match &expectation.rule {
                    Some(rule) => rule.clone(),
                    None => "the documentation lists this notification".to_string(),
                };
                // The configured bound, not the measured wait: the same on every run.
                let bound = humantime::format_duration(session.notification_timeout);
                let interaction_id = &matcher.interaction;
                let related: Vec<&Notification> = seen
                    .iter()
                    .filter(|n| mentions(&n.data, interaction_id))
                    .collect();
                let mut detail = format!(
                    "awaited: {what}\ninteraction: {interaction_id}\nwaited: {waited:?}\narrived for this interaction and not taken by an earlier step: {}\n",
                    related.len()
                );
                for n in related.iter().take(10) {
                    detail.push_str(&format!("  {} {}\n", n.channel, compact(&n.data, 600)));
                }
                let others: Vec<&Notification> = seen
                    .iter()
                    .filter(|n| !related.iter().any(|r| r.seq == n.seq))
                    .collect();
                detail.push_str(&format!(
                    "other notifications waiting in the inbox: {} (at most {} listed)\n",
                    others.len() + not_listed,
                    others.len().min(10)
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
                    Failure::new("NotificationTimeout", format!("no {what} within {bound}"))
                        .rule(rule)
                        .source(expectation.source.clone().unwrap_or_default())
                        .expected_actual(what, format!("none within {bound}"))
                        .detail(detail),
                )
            }
            Err(WaitError::Transport(e)) => verdict::error(HarnessError::new(
                "BayeuxTransport",
                format!("while awaiting {}: {e}", matcher.describe()),
            )),
            Err(e @ WaitError::Overflow { .. }) => verdict::error(HarnessError::new(
                "NotificationOverflow",
                format!("while awaiting {}: {e}", matcher.describe()),
            )),
        }
    }
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

    fn cast() -> Cast {
        Cast {
            agent: Some("Marat".into()),
            customer: "PersonP".into(),
            other_agent_id: None,
        }
    }

    #[test]
    fn state_change_matches_either_facebook_key_and_only_its_interaction() {
        let m = Matcher::new(Media::FacebookSession, "A", Kind::StatusChange, cast());
        for key in ["facebooksession", "facebooksessions"] {
            let n = note(json!({"notificationType": "StatusChange", key: {"id": "A"}}));
            assert!(m.matches(&n));
            let other = note(json!({"notificationType": "StatusChange", key: {"id": "B"}}));
            assert!(!m.matches(&other));
            let pu = note(json!({"notificationType": "ParticipantsUpdated", key: {"id": "A"}}));
            assert!(!m.matches(&pu));
        }
        let chat = Matcher::new(Media::Chat, "A", Kind::StatusChange, cast());
        assert!(!chat.matches(&note(
            json!({"notificationType": "StatusChange", "facebooksession": {"id": "A"}})
        )));
    }

    #[test]
    fn message_log_matches_by_uri_or_path_key_and_by_entry() {
        let mut m = Matcher::new(Media::Chat, "A", Kind::NewMessages, cast());
        let by_uri = note(
            json!({"messageType": "MessageLogUpdated", "notificationType": "NewMessages", "chatUri": "http://h/api/v2/chats/A",
                   "messages": [{"type": "Text", "from": {"type": "Customer", "nickname": "PersonP"}}]}),
        );
        let by_path = note(
            json!({"messageType": "MessageLogUpdated", "facebooksessionPath": "/facebooksessions/A"}),
        );
        assert!(m.matches(&by_uri));
        assert!(m.matches(&by_path));
        m.interaction = "AB".into();
        assert!(!m.matches(&by_uri));
        m.interaction = "A".into();
        m.entry_from_agent = Some(("Text", Who::Agent));
        assert!(!m.matches(&by_uri), "a customer's Text is not the agent's");
        let agent = note(
            json!({"messageType": "MessageLogUpdated", "chatUri": "/chats/A",
                   "messages": [{"type": "Text", "from": {"type": "Agent", "nickname": "Marat"}}]}),
        );
        assert!(m.matches(&agent));
    }

    #[test]
    fn mailbox_key_is_the_interaction_id() {
        assert_eq!(
            interaction_of(&json!({"smssession": {"id": "Q1"}})).as_deref(),
            Some("Q1")
        );
        assert_eq!(
            interaction_of(&json!({"chatUri": "http://h/api/v2/chats/Q2/"})).as_deref(),
            Some("Q2")
        );
        assert_eq!(interaction_of(&json!({"x": 1})), None);
        assert!(mentions(&json!({"x": [{"uri": "/api/v2/chats/Q1"}]}), "Q1"));
        assert!(!mentions(&json!({"x": "Q12"}), "Q1"));
    }
}
