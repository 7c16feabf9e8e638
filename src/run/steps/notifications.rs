//! Steps about CometD notifications: each awaits the notification the documentation lists for
//! the scenario's interaction, validates the Bayeux envelope and the payload against their
//! schemas, learns the spellings the target uses, and checks what the page documents (state,
//! capabilities, participants, history).

use cucumber::then;
use gws_bayeux::client::Notification;
use serde_json::{Value, json};

use super::{GwsWorld, is_message_log, is_state_change, messages, resource};
use crate::run::{
    catalog::{TARGET_CONTRACT_S4, accept_capabilities},
    media::Media,
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// Validates `instance` against schema `schema`; a failure names the first violated rule and
/// lists all of them.
pub fn judge_schema(world: &GwsWorld, schema: &str, instance: &Value, what: &str) {
    let mode = world.session().mode();
    match gws_contract::validate(schema, instance, mode) {
        Ok(()) => {}
        Err(gws_contract::ContractError::Invalid(violations)) => {
            let Some(first) = violations.first() else {
                world.fail(Failure::new(
                    "SchemaViolation",
                    format!("{what} is not valid against schema `{schema}`"),
                ))
            };
            let mut detail = String::new();
            if violations.len() > 1 {
                detail.push_str(&format!("all {} violations:\n", violations.len()));
                for v in &violations {
                    detail.push_str(&format!("{v}\n"));
                }
            }
            detail.push_str(&format!("{what}:\n{}\n", pretty(instance)));
            let path = if first.instance_path.is_empty() {
                "(root)".to_string()
            } else {
                first.instance_path.clone()
            };
            world.fail(
                Failure::new(
                    "SchemaViolation",
                    format!("{what} breaks schema `{schema}` at {path}: {}", first.rule),
                )
                .rule(first.rule.clone())
                .source(first.source.clone())
                .path(first.instance_path.clone())
                .expected_actual(first.expected.clone(), first.actual.clone())
                .detail(detail),
            )
        }
        Err(e @ gws_contract::ContractError::UnknownSchema(_)) => verdict::error(
            HarnessError::new("SchemaMissing", format!("cannot judge {what}: {e}")),
        ),
    }
}

/// In `--strict` mode, fails when `used` is not the newest documented spelling `newest`.
fn strict_spelling(world: &GwsWorld, name: &str, used: &str, newest: &str, path: &str) {
    if world.session().strict && used != newest {
        world.fail(
            Failure::new(
                "SpellingNotNewest",
                format!(
                    "{name} is spelled `{used}`; --strict requires the newest spelling `{newest}`"
                ),
            )
            .rule(format!(
                "with --strict, the {name} must use the newest documented spelling"
            ))
            .source(TARGET_CONTRACT_S4)
            .path(path.to_string())
            .expected_actual(newest.to_string(), used.to_string()),
        )
    }
}

/// The names under which the spellings of `media` are learned: `{media}.topic`,
/// `{media}.messageType`, `{media}.resourceKey`, `{media}.collection` ([`Media::name`]).
fn spelling_names(media: Media) -> [&'static str; 4] {
    match media {
        Media::Chat => [
            "chat.topic",
            "chat.messageType",
            "chat.resourceKey",
            "chat.collection",
        ],
        Media::FacebookSession => [
            "facebooksession.topic",
            "facebooksession.messageType",
            "facebooksession.resourceKey",
            "facebooksession.collection",
        ],
        Media::SmsSession => [
            "smssession.topic",
            "smssession.messageType",
            "smssession.resourceKey",
            "smssession.collection",
        ],
    }
}

/// Learns the spellings in a state-change notification (topic, messageType, resource key,
/// REST collection of the resource `uri`) and, with `--strict`, requires the newest ones.
pub fn learn_state_change(world: &GwsWorld, media: Media, n: &Notification) {
    let session = world.session();
    let [topic, message_type, resource_key, collection] = spelling_names(media);
    session.learn(topic, &n.channel);
    if let Some(mt) = n.data.get("messageType").and_then(Value::as_str) {
        session.learn(message_type, mt);
    }
    let key = resource(media, &n.data).map(|(k, _)| k);
    if let Some(k) = key {
        session.learn(resource_key, k);
    }
    let uri = resource(media, &n.data)
        .and_then(|(_, r)| r.get("uri"))
        .and_then(Value::as_str);
    if let Some(c) = uri.and_then(|u| media.collection_in_uri(u)) {
        session.learn(collection, c);
    }
    if media == Media::FacebookSession {
        if let Some(mt) = n.data.get("messageType").and_then(Value::as_str)
            && media.state_message_types().contains(&mt)
        {
            strict_spelling(
                world,
                "Facebook state-change messageType",
                mt,
                media.state_message_types()[0],
                "/messageType",
            );
        }
        if let Some(k) = key {
            strict_spelling(
                world,
                "Facebook resource key",
                k,
                media.resource_keys()[0],
                &format!("/{k}"),
            );
        }
        if let Some(c) = uri.and_then(|u| media.collection_in_uri(u)) {
            strict_spelling(
                world,
                "Facebook REST collection",
                c,
                media.collections()[0],
                &format!("/{}/uri", key.unwrap_or("facebooksession")),
            );
        }
        if media.topics().contains(&n.channel.as_str()) {
            strict_spelling(
                world,
                "Facebook CometD topic",
                &n.channel,
                media.topics()[0],
                "channel",
            );
        }
    }
}

/// Checks the topic a notification came on: one of the media's documented topics (any
/// `/v2/me/...` topic for SMS, whose topic is undocumented [INF]).
fn judge_topic(world: &GwsWorld, media: Media, n: &Notification) {
    let ok = match media {
        Media::SmsSession => n.channel.starts_with("/v2/me/"),
        _ => media.topics().contains(&n.channel.as_str()),
    };
    if !ok {
        world.fail(
            Failure::new(
                "TopicMismatch",
                format!("{} notification arrived on `{}`", media.words(), n.channel),
            )
            .rule(format!(
                "{} notifications are published on the documented topic",
                media.words()
            ))
            .source(
                "Asynchronous events / message type pages (gws-api-v2-multimedia.md section 3.1)",
            )
            .path("channel")
            .expected_actual(media.topics().join(" or "), n.channel.clone()),
        )
    }
}

/// Validates a notification: Bayeux envelope (`bayeux-envelope`), then its data against
/// `schema`. The envelope `{"channel", "data"}` borrows the notification's `data` for the
/// check (moved in and back, not copied); `n` is unchanged when this returns.
pub fn judge_notification(world: &GwsWorld, media: Media, n: &mut Notification, schema: &str) {
    judge_topic(world, media, n);
    let mut envelope = serde_json::Map::new();
    envelope.insert("channel".to_string(), Value::String(n.channel.clone()));
    envelope.insert("data".to_string(), std::mem::take(&mut n.data));
    let envelope = Value::Object(envelope);
    judge_schema(world, "bayeux-envelope", &envelope, "the CometD message");
    if let Value::Object(mut envelope) = envelope {
        n.data = envelope.remove("data").unwrap_or_default();
    }
    judge_schema(world, schema, &n.data, "the notification data");
}

/// Awaits the first state-change notification of `notification_type` for the scenario's
/// interaction, judges and learns from it, and returns it with its resource key. `state`, when
/// given, is the state the step expects; it only words the failure when none arrives.
pub async fn await_state_change(
    world: &mut GwsWorld,
    notification_type: &str,
    state: Option<&str>,
) -> (Notification, &'static str) {
    let interaction = world.interaction();
    let media = interaction.media;
    let id = interaction.id.clone();
    let what = || {
        let extra = state.map(|s| format!(", state {s}")).unwrap_or_default();
        format!(
            "{} notification (messageType {}, notificationType {notification_type}{extra}) for {} {id}",
            media.words(),
            media.state_message_types().join(" or "),
            media.words()
        )
    };
    let mut n = world
        .await_notification_lazy(what, |n| is_state_change(media, n, notification_type, &id))
        .await;
    learn_state_change(world, media, &n);
    judge_notification(world, media, &mut n, &media.state_schema());
    judge_resource_uri(world, media, &n);
    let key = resource(media, &n.data)
        .map(|(k, _)| k)
        .unwrap_or(media.resource_keys()[0]);
    (n, key)
}

/// The interaction resource's `uri` and `path` name the interaction itself (every sample ends
/// them with the resource's `id`).
pub fn judge_resource_uri(world: &GwsWorld, media: Media, n: &Notification) {
    let Some((key, r)) = resource(media, &n.data) else {
        return;
    };
    let Some(id) = r.get("id").and_then(Value::as_str) else {
        return;
    };
    for field in ["uri", "path"] {
        if let Some(u) = r.get(field).and_then(Value::as_str) {
            let last = u.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if last != id {
                world.fail(
                    Failure::new(
                        "UriMismatch",
                        format!(
                            "the {} `{field}` names `{last}`, not the interaction `{id}`",
                            media.words()
                        ),
                    )
                    .rule(format!("the interaction's `{field}` ends with its own id"))
                    .path(format!("/{key}/{field}"))
                    .expected_actual(format!("…/{id}"), u.to_string())
                    .detail(format!("notification data:\n{}", pretty(&n.data))),
                )
            }
        }
    }
}

/// The order in which the Accept pages list the notifications after Accept.
const ACCEPT_ORDER: [&str; 3] = ["StatusChange", "ParticipantsUpdated", "NewMessages"];

/// Records `label` (one of [`ACCEPT_ORDER`]) at arrival `seq` and fails when a notification
/// the pages list earlier arrived after it.
fn judge_accept_order(world: &mut GwsWorld, label: &'static str, n: &Notification) {
    let pos = ACCEPT_ORDER.iter().position(|l| *l == label).unwrap_or(0);
    let later = world
        .accept_flow
        .iter()
        .find(|(l, seq)| {
            ACCEPT_ORDER.iter().position(|x| x == l).unwrap_or(0) < pos && *seq > n.seq
        })
        .copied();
    if let Some((earlier_label, earlier_seq)) = later {
        world.fail(
            Failure::new("NotificationOrder", format!("{label} arrived before {earlier_label}"))
                .rule("after Accept the notifications arrive in the documented order: StatusChange (Chatting), ParticipantsUpdated, MessageLogUpdated/NewMessages")
                .expected_actual(format!("{earlier_label} before {label}"), format!("{label} was notification #{}, {earlier_label} #{earlier_seq}", n.seq)),
        )
    }
    world.accept_flow.push((label, n.seq));
}

/// Awaits the first MessageLogUpdated/NewMessages for the scenario's interaction that satisfies
/// `extra_predicate`, judges it and returns it.
pub async fn await_message_log(
    world: &mut GwsWorld,
    what_extra: &str,
    extra_predicate: impl Fn(&Value) -> bool,
) -> Notification {
    let interaction = world.interaction();
    let media = interaction.media;
    let id = interaction.id.clone();
    let what = || {
        format!(
            "MessageLogUpdated notification (notificationType NewMessages{what_extra}) for {} {id}",
            media.words()
        )
    };
    let mut n = world
        .await_notification_lazy(what, |n| is_message_log(n, &id) && extra_predicate(&n.data))
        .await;
    world.session().learn(spelling_names(media)[0], &n.channel);
    judge_notification(world, media, &mut n, &media.log_schema());
    if n.data.get("notificationType").and_then(Value::as_str) != Some("NewMessages") {
        world.fail(
            Failure::new(
                "NotificationTypeMismatch",
                "MessageLogUpdated does not carry notificationType NewMessages",
            )
            .rule("a MessageLogUpdated after Accept carries notificationType NewMessages")
            .path("/notificationType")
            .expected_actual(
                "NewMessages",
                compact(n.data.get("notificationType").unwrap_or(&Value::Null), 80),
            ),
        )
    }
    n
}

#[then(expr = "a StatusChange notification for the {media} arrives with state {string}")]
async fn status_change_with_state(world: &mut GwsWorld, _media: Media, state: String) {
    let (n, key) = await_state_change(world, "StatusChange", Some(&state)).await;
    judge_accept_order(world, "StatusChange", &n);
    let actual = n
        .data
        .get(key)
        .and_then(|r| r.get("state"))
        .cloned()
        .unwrap_or(Value::Null);
    if actual.as_str() != Some(state.as_str()) {
        world.fail(
            Failure::new(
                "StateMismatch",
                format!(
                    "StatusChange carries state {}, expected {state}",
                    compact(&actual, 60)
                ),
            )
            .rule(format!(
                "after the operation the interaction is in state {state}"
            ))
            .path(format!("/{key}/state"))
            .expected_actual(format!("\"{state}\""), compact(&actual, 200))
            .detail(format!("notification data:\n{}", pretty(&n.data))),
        )
    }
    let capabilities: Vec<String> = n
        .data
        .get(key)
        .and_then(|r| r.get("capabilities"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    world.log(format!("state {state}; capabilities {capabilities:?}"));
    world.capabilities = Some((key, capabilities));
}

#[then(expr = "the {media} capabilities include the ones documented for Accept")]
async fn capabilities_include_accept_ones(world: &mut GwsWorld, _media: Media) {
    let Some((key, caps)) = world.capabilities.clone() else {
        verdict::error(HarnessError::new(
            "ScenarioOrder",
            "no StatusChange seen yet: check the state first",
        ))
    };
    let documented = accept_capabilities();
    let missing: Vec<&str> = documented
        .iter()
        .map(String::as_str)
        .filter(|c| !caps.iter().any(|x| x == c))
        .collect();
    if !missing.is_empty() {
        let expected = documented.join("\n");
        let mut sorted = caps.clone();
        sorted.sort();
        world.fail(
            Failure::new(
                "CapabilitiesMissing",
                format!("capabilities after Accept lack {}", missing.join(", ")),
            )
            .rule(
                "after Accept the interaction offers the documented capabilities (a subset check)",
            )
            .path(format!("/{key}/capabilities"))
            .expected_actual(format!("{expected}\n"), format!("{}\n", sorted.join("\n")))
            .detail(format!("missing: {}", missing.join(", "))),
        )
    }
}

fn participant_matches(p: &Value, kind: &str, nickname: &str) -> bool {
    p.get("type").and_then(Value::as_str) == Some(kind)
        && p.get("nickname").and_then(Value::as_str) == Some(nickname)
}

#[then(
    expr = "a ParticipantsUpdated notification for the {media} lists the agent as {string} and the customer as {string}"
)]
async fn participants_list_agent_and_customer(
    world: &mut GwsWorld,
    _media: Media,
    agent: String,
    customer: String,
) {
    let (n, key) = await_state_change(world, "ParticipantsUpdated", None).await;
    judge_accept_order(world, "ParticipantsUpdated", &n);
    let participants = n
        .data
        .get(key)
        .and_then(|r| r.get("participants"))
        .cloned()
        .unwrap_or(Value::Null);
    let list = participants.as_array().cloned().unwrap_or_default();
    let has_agent = list.iter().any(|p| participant_matches(p, "Agent", &agent));
    let has_customer = list
        .iter()
        .any(|p| participant_matches(p, "Customer", &customer));
    if !(has_agent && has_customer) {
        let wanted = json!([{"type": "Agent", "nickname": agent}, {"type": "Customer", "nickname": customer}]);
        let summary = match (has_agent, has_customer) {
            (false, false) => format!(
                "participants list neither the agent \"{agent}\" nor the customer \"{customer}\""
            ),
            (false, true) => {
                format!("participants do not list the agent under the nickname \"{agent}\"")
            }
            _ => format!("participants do not list the customer \"{customer}\""),
        };
        world.fail(
            Failure::new("ParticipantMissing", summary)
                .rule("after Accept, ParticipantsUpdated lists the agent (under the nickname sent) and the customer")
                .path(format!("/{key}/participants"))
                .expected_actual(pretty(&wanted), pretty(&participants)),
        )
    }
}

#[then(expr = "a NewMessages notification for the {media} carries the customer's message {string}")]
async fn history_carries_customer_message(world: &mut GwsWorld, _media: Media, text: String) {
    let customer = world.interaction().customer;
    let n = await_message_log(world, "", |_| true).await;
    judge_accept_order(world, "NewMessages", &n);
    let found = messages(&n.data).iter().any(|m| {
        m.get("type").and_then(Value::as_str) == Some("Text")
            && m.get("text").and_then(Value::as_str) == Some(text.as_str())
            && m.get("from")
                .is_some_and(|f| participant_matches(f, "Customer", &customer))
    });
    if !found {
        let wanted = json!({"type": "Text", "from": {"type": "Customer", "nickname": customer}, "text": text});
        world.fail(
            Failure::new("HistoryIncomplete", format!("the history does not carry the customer's message \"{text}\""))
                .rule("after Accept, MessageLogUpdated/NewMessages carries the history up to the point of joining, the customer's messages included")
                .path("/messages")
                .expected_actual(format!("an item like\n{}", pretty(&wanted)), pretty(n.data.get("messages").unwrap_or(&Value::Null))),
        )
    }
}

/// The consulting agent in a participants list: an Agent that is not the scenario's agent,
/// preferring the one whose `uri`/`path` is the consult target.
fn find_consultant<'a>(
    list: &'a [Value],
    own_nickname: &str,
    target: Option<&super::OtherAgent>,
) -> Option<(usize, &'a Value)> {
    let others: Vec<(usize, &Value)> = list
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.get("type").and_then(Value::as_str) == Some("Agent")
                && p.get("nickname").and_then(Value::as_str) != Some(own_nickname)
        })
        .collect();
    if let Some(t) = target
        && let Some(hit) = others.iter().find(|(_, p)| {
            p.get("uri").and_then(Value::as_str) == Some(t.target_uri.as_str())
                || p.get("path").and_then(Value::as_str) == Some(t.target_path.as_str())
        })
    {
        return Some(*hit);
    }
    others.first().copied()
}

#[then(
    expr = "a ParticipantsUpdated notification for the {media} shows the consulting agent with visibility {string}"
)]
async fn consultant_in_participants(world: &mut GwsWorld, _media: Media, visibility: String) {
    let interaction = world.interaction();
    let media = interaction.media;
    let id = interaction.id.clone();
    let own = world.nickname.clone().unwrap_or_default();
    let what = || {
        format!(
            "{} notification (notificationType ParticipantsUpdated, with an agent other than \"{own}\") for {} {id}",
            media.words(),
            media.words()
        )
    };
    let mut n = world
        .await_notification_lazy(what, |n| {
            is_state_change(media, n, "ParticipantsUpdated", &id)
                && resource(media, &n.data)
                    .and_then(|(_, r)| r.get("participants"))
                    .and_then(Value::as_array)
                    .is_some_and(|l| find_consultant(l, &own, None).is_some())
        })
        .await;
    learn_state_change(world, media, &n);
    judge_notification(world, media, &mut n, &media.state_schema());
    let key = resource(media, &n.data)
        .map(|(k, _)| k)
        .unwrap_or(media.resource_keys()[0]);
    let list = n
        .data
        .get(key)
        .and_then(|r| r.get("participants"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some((i, consultant)) = find_consultant(&list, &own, world.other_agent.as_ref()) else {
        verdict::error(HarnessError::new(
            "HarnessBug",
            "matched notification lost its consulting agent",
        ))
    };
    let actual = consultant.get("visibility").cloned().unwrap_or(Value::Null);
    if actual.as_str() != Some(visibility.as_str()) {
        world.fail(
            Failure::new("VisibilityMismatch", format!("the consulting agent has visibility {}, expected {visibility}", compact(&actual, 40)))
                .rule("a consulting agent is visible to agents only: the customer is not aware of the consultation")
                .path(format!("/{key}/participants/{i}/visibility"))
                .expected_actual(format!("\"{visibility}\""), compact(&actual, 100))
                .detail(format!("participant:\n{}", pretty(consultant))),
        )
    }
    world.consultant = Some(consultant.clone());
}

#[then(
    expr = "a NewMessages notification for the {media} carries a ParticipantJoined message from the consulting agent with visibility {string}"
)]
async fn consultant_joined_message(world: &mut GwsWorld, _media: Media, visibility: String) {
    let own = world.nickname.clone().unwrap_or_default();
    let consultant_id = world
        .consultant
        .as_ref()
        .and_then(|c| c.get("participantId"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let joined_by_other = {
        let own = own.clone();
        let consultant_id = consultant_id.clone();
        move |m: &Value| {
            let from = m.get("from");
            m.get("type").and_then(Value::as_str) == Some("ParticipantJoined")
                && from.and_then(|f| f.get("type")).and_then(Value::as_str) == Some("Agent")
                && match &consultant_id {
                    Some(pid) => {
                        from.and_then(|f| f.get("participantId"))
                            .and_then(Value::as_str)
                            == Some(pid.as_str())
                    }
                    None => {
                        from.and_then(|f| f.get("nickname")).and_then(Value::as_str)
                            != Some(own.as_str())
                    }
                }
        }
    };
    let pred = joined_by_other.clone();
    let n = await_message_log(
        world,
        ", a ParticipantJoined message from the consulting agent",
        move |d| messages(d).iter().any(&pred),
    )
    .await;
    let msgs = messages(&n.data);
    let Some((i, m)) = msgs.iter().enumerate().find(|(_, m)| joined_by_other(m)) else {
        verdict::error(HarnessError::new(
            "HarnessBug",
            "matched notification lost its ParticipantJoined message",
        ))
    };
    let actual = m.get("visibility").cloned().unwrap_or(Value::Null);
    if actual.as_str() != Some(visibility.as_str()) {
        world.fail(
            Failure::new("VisibilityMismatch", format!("the consulting agent's ParticipantJoined has visibility {}, expected {visibility}", compact(&actual, 40)))
                .rule("messages and notifications from the consulting agent are visible to other agents, not to the customer")
                .path(format!("/messages/{i}/visibility"))
                .expected_actual(format!("\"{visibility}\""), compact(&actual, 100))
                .detail(format!("message:\n{}", pretty(m))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_names_are_media_name_dot_field() {
        for media in [Media::Chat, Media::FacebookSession, Media::SmsSession] {
            let expected = ["topic", "messageType", "resourceKey", "collection"]
                .map(|field| format!("{}.{field}", media.name()));
            assert_eq!(spelling_names(media).map(str::to_string), expected);
        }
    }
}
