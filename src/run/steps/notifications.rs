//! Steps about CometD notifications. `Then the notifications documented for "X" arrive` awaits,
//! in documented order, every notification the operation table lists after operation X for the
//! scenario's interaction, and for each: validates the Bayeux envelope and the payload against
//! their schemas, checks the topic, learns the spellings the target uses, and checks what the
//! page documents (state, capabilities, participants, the transcript entry and the request's
//! values it carries, the order).

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use crate::run::expect::Notification;
use cucumber::then;
use gws_contract::{
    Operation, State, capabilities_after,
    operations::{Expected, Kind, Property, Source, Who},
};
use serde_json::{Value, json};

use super::{GwsWorld, messages, resource};
use crate::run::{
    catalog::TARGET_CONTRACT_S4,
    expect::{Expectation, Matcher},
    media::Media,
    verdict::{self, Failure, HarnessError, compact, pretty},
};

/// Number of schema validations [`judge_schema`] has made in this process.
static VALIDATIONS: AtomicU64 = AtomicU64::new(0);
/// Their total time, nanoseconds.
static VALIDATION_NS: AtomicU64 = AtomicU64::new(0);

/// The schema validations the steps have made in this process so far: how many, and the total
/// wall time spent in `gws_contract::validate` (the schema bundle's compile on first use
/// included). Read by `cargo bench` to split a run's time (BENCHMARKS.md); a process-wide
/// counter, so concurrent runs in one process add up.
pub fn validation_totals() -> (u64, Duration) {
    (
        VALIDATIONS.load(Ordering::Relaxed),
        Duration::from_nanos(VALIDATION_NS.load(Ordering::Relaxed)),
    )
}

/// Validates `instance` against schema `schema`; a failure names the first violated rule and
/// lists all of them.
pub fn judge_schema(world: &GwsWorld, schema: &str, instance: &Value, what: &str) {
    let mode = world.session().mode();
    let started = Instant::now();
    let validated = gws_contract::validate(schema, instance, mode);
    let ns = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    VALIDATIONS.fetch_add(1, Ordering::Relaxed);
    VALIDATION_NS.fetch_add(ns, Ordering::Relaxed);
    match validated {
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

/// Learns the spellings in a state-change notification (topic, messageType, resource key,
/// REST collection of the resource `uri`) and, with `--strict`, requires the newest ones.
pub fn learn_state_change(world: &GwsWorld, media: Media, n: &Notification) {
    let session = world.session();
    let names = media.names();
    session.learn_name(media, "topic", &n.channel);
    let message_type = n.data.get("messageType").and_then(Value::as_str);
    if let Some(mt) = message_type {
        session.learn_name(media, "messageType", mt);
    }
    let key = resource(media, &n.data).map(|(k, _)| k);
    if let Some(k) = key {
        session.learn_name(media, "resourceKey", k);
    }
    let uri = resource(media, &n.data)
        .and_then(|(_, r)| r.get("uri"))
        .and_then(Value::as_str);
    let collection = uri.and_then(|u| media.collection_in_uri(u));
    if let Some(c) = collection {
        session.learn_name(media, "collection", c);
    }
    let words = media.words();
    if let Some(mt) = message_type
        && names.state_message_type.varies()
        && names.state_message_type.contains(mt)
    {
        strict_spelling(
            world,
            &format!("{words} state-change messageType"),
            mt,
            names.state_message_type.newest(),
            "/messageType",
        );
    }
    if let Some(k) = key
        && names.resource_key.varies()
    {
        strict_spelling(
            world,
            &format!("{words} resource key"),
            k,
            names.resource_key.newest(),
            &format!("/{k}"),
        );
    }
    if let Some(c) = collection
        && names.collection.varies()
    {
        strict_spelling(
            world,
            &format!("{words} REST collection"),
            c,
            names.collection.newest(),
            &format!("/{}/uri", key.unwrap_or(names.resource_key.newest())),
        );
    }
    if names.topic_documented && names.topic.varies() && names.topic.contains(&n.channel) {
        strict_spelling(
            world,
            &format!("{words} CometD topic"),
            &n.channel,
            names.topic.newest(),
            "channel",
        );
    }
}

/// Checks the topic a notification came on: one of the media's documented topics (any
/// `/v2/me/...` topic where no page documents the media's topic, as for SMS).
fn judge_topic(world: &GwsWorld, media: Media, n: &Notification) {
    let names = media.names();
    let ok = if names.topic_documented {
        names.topic.contains(&n.channel)
    } else {
        n.channel.starts_with("/v2/me/")
    };
    if !ok {
        let source = ["ChatMessageType", "FacebookPMMessageType"]
            .iter()
            .filter_map(|t| gws_contract::pages::page(t))
            .map(|p| p.cite())
            .collect::<Vec<_>>()
            .join("; ");
        world.fail(
            Failure::new(
                "TopicMismatch",
                format!("{} notification arrived on `{}`", media.words(), n.channel),
            )
            .rule(format!(
                "{} notifications are published on the documented topic",
                media.words()
            ))
            .source(source)
            .path("channel")
            .expected_actual(names.topic.all.join(" or "), n.channel.clone()),
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
                    // The ids and the target's address differ on every run: the detail has
                    // them, the message stays the same.
                    .expected_actual("…/<the interaction's id>", format!("…/{last} (another id)"))
                    .detail(format!(
                        "interaction: {id}\n{field}: {u}\nnotification data:\n{}",
                        pretty(&n.data)
                    )),
                )
            }
        }
    }
}

/// Awaits the state-change notification `matcher` describes, judges it (topic, envelope,
/// schema, spellings, uri) and returns it with its resource key.
pub async fn await_state_change(
    world: &mut GwsWorld,
    expectation: &Expectation,
) -> (Notification, &'static str) {
    let media = expectation.matcher.media;
    let mut n = world.await_expectation(expectation).await;
    learn_state_change(world, media, &n);
    judge_notification(world, media, &mut n, media.state_schema());
    judge_resource_uri(world, media, &n);
    let key = resource(media, &n.data)
        .map(|(k, _)| k)
        .unwrap_or(media.names().resource_key.newest());
    (n, key)
}

/// Awaits the MessageLogUpdated `expectation` describes, judges it and returns it.
pub async fn await_message_log(world: &mut GwsWorld, expectation: &Expectation) -> Notification {
    let media = expectation.matcher.media;
    let mut n = world.await_expectation(expectation).await;
    world.session().learn_name(media, "topic", &n.channel);
    judge_notification(world, media, &mut n, media.log_schema());
    if n.data.get("notificationType").and_then(Value::as_str) != Some("NewMessages") {
        world.fail(
            Failure::new(
                "NotificationTypeMismatch",
                "MessageLogUpdated does not carry notificationType NewMessages",
            )
            .rule("a MessageLogUpdated carries notificationType NewMessages")
            .path("/notificationType")
            .expected_actual(
                "NewMessages",
                compact(n.data.get("notificationType").unwrap_or(&Value::Null), 80),
            ),
        )
    }
    n
}

/// The label of a notification kind in the order rule.
fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::StatusChange => "StatusChange",
        Kind::ParticipantsUpdated => "ParticipantsUpdated",
        Kind::NewMessages => "NewMessages",
        Kind::PropertiesUpdated => "PropertiesUpdated",
    }
}

/// Records `kind` at arrival `seq` and fails when a notification the page lists earlier
/// arrived after it.
fn judge_order(world: &mut GwsWorld, op: &Operation, kind: Kind, n: &Notification) {
    let later = world.flow.iter().find(|(_, seq)| *seq > n.seq).copied();
    if let Some((earlier, earlier_seq)) = later {
        let order: Vec<String> = op
            .notifications
            .iter()
            .map(|e| match e.kind {
                Kind::NewMessages => "MessageLogUpdated/NewMessages".to_string(),
                k => label(k).to_string(),
            })
            .collect();
        world.fail(
            Failure::new(
                "NotificationOrder",
                format!("{} arrived before {}", label(kind), label(earlier)),
            )
            .rule(format!(
                "after {} the notifications arrive in the documented order: {}",
                op.name,
                order.join(", ")
            ))
            .expected_actual(
                format!("{} before {}", label(earlier), label(kind)),
                format!("{} before {}", label(kind), label(earlier)),
            )
            // Sequence numbers count the whole run's notifications: the detail has them.
            .detail(format!(
                "{} was notification #{} of the run, {} #{earlier_seq}",
                label(kind),
                n.seq,
                label(earlier)
            )),
        )
    }
    world.flow.push((kind, n.seq));
}

/// `[ParticipantJoined from Customer, Text from Agent]`: the type and sender type of each
/// transcript entry.
fn entry_kinds(msgs: &[Value]) -> String {
    let field = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("?").to_string();
    let kinds: Vec<String> = msgs
        .iter()
        .map(|m| {
            format!(
                "{} from {}",
                field(m.get("type")),
                field(m.get("from").and_then(|f| f.get("type")))
            )
        })
        .collect();
    format!("[{}]", kinds.join(", "))
}

/// The capabilities of a resource, as strings.
fn capabilities_of(r: &Value) -> Option<Vec<String>> {
    r.get("capabilities").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect()
    })
}

/// Judges the state a StatusChange after `op` carries: `expected`, the state the operation
/// leads to (a `StateMismatch` failure otherwise); the scenario's interaction is then in it.
/// Used by the flow's judge and by preconditions.
pub fn judge_state(
    world: &mut GwsWorld,
    op: &Operation,
    n: &Notification,
    key: &'static str,
    expected: State,
) {
    let actual = n
        .data
        .get(key)
        .and_then(|r| r.get("state"))
        .cloned()
        .unwrap_or(Value::Null);

    if actual.as_str() != Some(expected.name()) {
        world.fail(
            Failure::new(
                "StateMismatch",
                format!(
                    "StatusChange carries state {}, expected {}",
                    compact(&actual, 60),
                    expected.name()
                ),
            )
            .rule(format!(
                "after {} the interaction is in state {}",
                op.name,
                expected.name()
            ))
            .path(format!("/{key}/state"))
            .expected_actual(format!("\"{}\"", expected.name()), compact(&actual, 200))
            .detail(format!("notification data:\n{}", pretty(&n.data))),
        )
    }
    world.state = Some(expected);
}

/// Judges a StatusChange after `op`: the state it leads to, and the capabilities documented
/// for that state (a subset check; none at all on `Completed`).
fn judge_status(
    world: &mut GwsWorld,
    op: &'static Operation,
    n: &Notification,
    key: &'static str,
    expected: State,
) {
    judge_state(world, op, n, key, expected);
    let r = n.data.get(key).cloned().unwrap_or(Value::Null);
    let caps = capabilities_of(&r);
    world.log(format!("state {}; capabilities {caps:?}", expected.name()));
    if expected == State::Completed {
        if let Some(caps) = caps.filter(|c| !c.is_empty()) {
            world.fail(
                Failure::new(
                    "CapabilitiesAfterCompleted",
                    format!("a Completed {} still offers {}", op.name, caps.join(", ")),
                )
                .rule("a Completed interaction offers no capabilities (the documented Completed notifications list none)")
                .path(format!("/{key}/capabilities"))
                .expected_actual("no capabilities", caps.join(", ")),
            )
        }
        return;
    }
    let Some(documented) = capabilities_after(op.name, expected) else {
        return;
    };
    let caps = caps.unwrap_or_default();
    let missing: Vec<&str> = documented
        .iter()
        .map(String::as_str)
        .filter(|c| !caps.iter().any(|x| x == c))
        .collect();
    if !missing.is_empty() {
        let mut sorted = caps.clone();
        sorted.sort();
        world.fail(
            Failure::new(
                "CapabilitiesMissing",
                format!("capabilities after {} lack {}", op.name, missing.join(", ")),
            )
            .rule(format!(
                "after {} the interaction offers the documented capabilities (a subset check)",
                op.name
            ))
            .path(format!("/{key}/capabilities"))
            .expected_actual(
                format!("{}\n", documented.join("\n")),
                format!("{}\n", sorted.join("\n")),
            )
            .detail(format!("missing: {}", missing.join(", "))),
        )
    }
}

/// Judges a ParticipantsUpdated: every participant the page lists is there, with the
/// visibility it documents.
fn judge_participants(
    world: &mut GwsWorld,
    op: &Operation,
    expected: &Expected,
    n: &Notification,
    key: &'static str,
) {
    let cast = world.cast();
    let participants = n
        .data
        .get(key)
        .and_then(|r| r.get("participants"))
        .cloned()
        .unwrap_or(Value::Null);
    let list = participants.as_array().cloned().unwrap_or_default();
    let find = |who: Who| {
        list.iter().enumerate().find(|(_, p)| match who {
            Who::OtherAgent => cast.is_another_agent(p),
            w => cast.is(w, p),
        })
    };
    let missing: Vec<Who> = expected
        .participants
        .iter()
        .map(|(w, _)| *w)
        .filter(|w| find(*w).is_none())
        .collect();
    if !missing.is_empty() {
        let agent = cast.agent.clone().unwrap_or_default();
        let customer = cast.customer.clone();
        let describe = |w: &Who| match w {
            Who::Agent => format!("the agent \"{agent}\""),
            Who::Customer => format!("the customer \"{customer}\""),
            Who::OtherAgent => "the other agent".to_string(),
        };
        let wanted: Vec<Value> = expected
            .participants
            .iter()
            .map(|(w, _)| match w {
                Who::Agent => json!({"type": "Agent", "nickname": agent}),
                Who::Customer => json!({"type": "Customer", "nickname": customer}),
                Who::OtherAgent => json!({"type": "Agent"}),
            })
            .collect();
        world.fail(
            Failure::new(
                "ParticipantMissing",
                format!(
                    "participants do not list {}",
                    missing
                        .iter()
                        .map(describe)
                        .collect::<Vec<_>>()
                        .join(" nor ")
                ),
            )
            .rule(format!(
                "after {}, ParticipantsUpdated lists {}",
                op.name,
                expected
                    .participants
                    .iter()
                    .map(|(w, _)| describe(w))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))
            .path(format!("/{key}/participants"))
            .expected_actual(pretty(&Value::Array(wanted)), pretty(&participants)),
        )
    }
    for who in expected.absent {
        if let Some((i, p)) = find(*who) {
            world.fail(
                Failure::new(
                    "ParticipantStillListed",
                    format!("participants still list the agent {} removed", op.name),
                )
                .rule(format!(
                    "after {}, ParticipantsUpdated no longer lists the agent it removed",
                    op.name
                ))
                .path(format!("/{key}/participants/{i}"))
                .expected_actual("no agent besides the agent under test", compact(p, 200))
                .detail(format!("participants:\n{}", pretty(&participants))),
            )
        }
    }
    for (who, visibility) in expected.participants {
        let Some((i, p)) = find(*who) else { continue };
        if *who == Who::OtherAgent {
            world.consultant = Some(p.clone());
        }
        let Some(visibility) = visibility else {
            continue;
        };
        let actual = p.get("visibility").cloned().unwrap_or(Value::Null);
        if actual.as_str() != Some(visibility) {
            world.fail(
                Failure::new(
                    "VisibilityMismatch",
                    format!(
                        "the other agent has visibility {}, expected {visibility}",
                        compact(&actual, 40)
                    ),
                )
                .rule(format!(
                    "after {}, the agent it brings in is visible to {visibility} only: the customer is not aware of it",
                    op.name
                ))
                .path(format!("/{key}/participants/{i}/visibility"))
                .expected_actual(format!("\"{visibility}\""), compact(&actual, 100))
                .detail(format!("participant:\n{}", pretty(p))),
            )
        }
    }
}

/// Judges a NewMessages: it carries the documented transcript entry, from the documented
/// participant, with the documented visibility and the request's values.
fn judge_transcript(world: &mut GwsWorld, op: &Operation, expected: &Expected, n: &Notification) {
    let Some(t) = expected.message else {
        return;
    };
    let cast = world.cast();
    let request = world.performed.as_ref().map(|(_, r)| r.clone());
    let offer_text = world.interaction().text;
    let value_of = |source: &Source| -> Value {
        match source {
            Source::OfferText => json!(offer_text),
            Source::Param(p) => request
                .as_ref()
                .and_then(|r| r.get(*p))
                .cloned()
                .unwrap_or(Value::Null),
        }
    };
    let msgs = messages(&n.data);
    let entries: Vec<(usize, &Value)> = msgs
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            m.get("type").and_then(Value::as_str) == Some(t.kind)
                && m.get("from").is_some_and(|f| cast.is(t.from, f))
        })
        .collect();
    let exact = entries.iter().find(|(_, m)| {
        t.echoes
            .iter()
            .all(|(field, source)| m.get(*field) == Some(&value_of(source)))
    });
    let Some((i, m)) = exact.or(entries.first()).copied() else {
        let wanted = json!({"type": t.kind, "from": match t.from {
            Who::Customer => json!({"type": "Customer", "nickname": cast.customer}),
            _ => json!({"type": "Agent"}),
        }});
        let what = match t.from {
            Who::Customer => format!(
                "the customer's message \"{}\"",
                value_of(&Source::OfferText).as_str().unwrap_or_default()
            ),
            _ => format!("a {} entry from the agent", t.kind),
        };
        world.fail(
            Failure::new(
                "HistoryIncomplete",
                format!("the history does not carry {what}"),
            )
            .rule(format!(
                "after {}, MessageLogUpdated/NewMessages carries {what}",
                op.name
            ))
            .path("/messages")
            // What each entry is (type and sender), not the entries themselves: those carry
            // participant ids and times that differ on every run; the detail has them whole.
            .expected_actual(
                format!("an item like {}", compact(&wanted, 200)),
                entry_kinds(msgs),
            )
            .detail(format!(
                "messages:\n{}",
                pretty(n.data.get("messages").unwrap_or(&Value::Null))
            )),
        )
    };
    for (field, source) in t.echoes {
        let want = value_of(source);
        let actual = m.get(*field).cloned().unwrap_or(Value::Null);
        if actual != want {
            let what = match source {
                Source::Param(p) => format!("the request's `{p}`"),
                Source::OfferText => "the customer's first message".to_string(),
            };
            let kind = if t.from == Who::Customer {
                "HistoryIncomplete"
            } else {
                "TranscriptMismatch"
            };
            world.fail(
                Failure::new(
                    kind,
                    format!(
                        "the {} entry's `{field}` is {}, not {what}",
                        t.kind,
                        compact(&actual, 60)
                    ),
                )
                .rule(format!(
                    "after {}, the transcript entry's `{field}` carries {what}",
                    op.name
                ))
                .path(format!("/messages/{i}/{field}"))
                .expected_actual(compact(&want, 200), compact(&actual, 200))
                .detail(format!("message:\n{}", pretty(m))),
            )
        }
    }
    let actual = m.get("visibility").cloned().unwrap_or(Value::Null);
    if actual.as_str() != Some(t.visibility) {
        world.fail(
            Failure::new(
                "VisibilityMismatch",
                format!(
                    "the {} entry has visibility {}, expected {}",
                    t.kind,
                    compact(&actual, 40),
                    t.visibility
                ),
            )
            .rule(format!(
                "after {}, the {} entry is visible to {}",
                op.name, t.kind, t.visibility
            ))
            .path(format!("/messages/{i}/visibility"))
            .expected_actual(format!("\"{}\"", t.visibility), compact(&actual, 100))
            .detail(format!("message:\n{}", pretty(m))),
        )
    }
}

/// Judges a PropertiesUpdated: the resource shows what the operation changed (the user data
/// attached, updated or deleted, the disposition under its key, the comment).
fn judge_property(
    world: &mut GwsWorld,
    op: &Operation,
    expected: &Expected,
    n: &Notification,
    key: &'static str,
) {
    let Some(property) = expected.property else {
        return;
    };
    let request = world
        .performed
        .as_ref()
        .map(|(_, r)| r.clone())
        .unwrap_or(Value::Null);
    let r = n.data.get(key).cloned().unwrap_or(Value::Null);
    let user_data = r.get("userData").cloned().unwrap_or(Value::Null);
    let fail = |what: String, path: String, want: String, actual: &Value| -> ! {
        world.fail(
            Failure::new("PropertiesMismatch", format!("after {}, {what}", op.name))
                .rule(format!(
                    "after {} the PropertiesUpdated resource shows {what_rule}",
                    op.name,
                    what_rule = match property {
                        Property::UserDataIncludes(p) => format!("the request's `{p}` in its userData"),
                        Property::UserDataLacks(p) => format!("none of the request's `{p}` in its userData"),
                        Property::UserDataEntry { value_param, key_param, default_key } => format!(
                            "the request's `{value_param}` in userData under `{key_param}` (default `{default_key}`)"
                        ),
                        Property::Field(f) => format!("the request's `{f}`"),
                    }
                ))
                .path(path)
                .expected_actual(want, compact(actual, 300))
                .detail(format!("notification data:\n{}", pretty(&n.data))),
        )
    };
    match property {
        Property::UserDataIncludes(param) => {
            let sent = request
                .get(param)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (k, v) in &sent {
                let actual = user_data.get(k).cloned().unwrap_or(Value::Null);
                if &actual != v {
                    fail(
                        format!(
                            "userData `{k}` is {}, not the value sent",
                            compact(&actual, 60)
                        ),
                        format!("/{key}/userData/{k}"),
                        compact(v, 200),
                        &actual,
                    )
                }
            }
        }
        Property::UserDataLacks(param) => {
            let keys = request
                .get(param)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for k in keys.iter().filter_map(Value::as_str) {
                if let Some(actual) = user_data.get(k) {
                    fail(
                        format!("userData still holds the deleted key `{k}`"),
                        format!("/{key}/userData/{k}"),
                        "no such key".to_string(),
                        actual,
                    )
                }
            }
        }
        Property::UserDataEntry {
            key_param,
            default_key,
            value_param,
        } => {
            let k = request
                .get(key_param)
                .and_then(Value::as_str)
                .unwrap_or(default_key)
                .to_string();
            let want = request.get(value_param).cloned().unwrap_or(Value::Null);
            let actual = user_data.get(&k).cloned().unwrap_or(Value::Null);
            if actual != want {
                fail(
                    format!(
                        "userData `{k}` is {}, not the `{value_param}` sent",
                        compact(&actual, 60)
                    ),
                    format!("/{key}/userData/{k}"),
                    compact(&want, 200),
                    &actual,
                )
            }
        }
        Property::Field(field) => {
            let want = request.get(field).cloned().unwrap_or(Value::Null);
            let actual = r.get(field).cloned().unwrap_or(Value::Null);
            if actual != want {
                fail(
                    format!(
                        "`{field}` is {}, not the `{field}` sent",
                        compact(&actual, 60)
                    ),
                    format!("/{key}/{field}"),
                    compact(&want, 200),
                    &actual,
                )
            }
        }
    }
}

/// The expectation of one documented notification after `op`, for the scenario's interaction.
pub fn expectation_of(world: &GwsWorld, expected: &Expected) -> Expectation {
    let mut matcher: Matcher = world.matcher(expected.kind);
    matcher.with_another_agent = expected
        .participants
        .iter()
        .any(|(w, _)| *w == Who::OtherAgent);
    matcher.entry_from_agent = expected
        .message
        .filter(|t| t.from != Who::Customer)
        .map(|t| (t.kind, t.from));
    Expectation::of(matcher)
}

/// Awaits and judges, in documented order, every notification the table lists after `op`.
pub async fn judge_documented_notifications(world: &mut GwsWorld, op: &'static Operation) {
    let before = world.state.unwrap_or(State::Chatting);
    let next = op.next_state(before, world.in_conference);
    for expected in op.notifications {
        let expectation = expectation_of(world, expected);
        match expected.kind {
            Kind::StatusChange | Kind::ParticipantsUpdated => {
                let (n, key) = await_state_change(world, &expectation).await;
                judge_order(world, op, expected.kind, &n);
                if expected.kind == Kind::StatusChange && expected.carries_state {
                    judge_status(world, op, &n, key, next);
                }
                if expected.kind == Kind::ParticipantsUpdated {
                    judge_participants(world, op, expected, &n, key);
                }
            }
            Kind::NewMessages => {
                let n = await_message_log(world, &expectation).await;
                judge_order(world, op, expected.kind, &n);
                judge_transcript(world, op, expected, &n);
            }
            Kind::PropertiesUpdated => {
                let (n, key) = await_state_change(world, &expectation).await;
                judge_order(world, op, expected.kind, &n);
                judge_property(world, op, expected, &n, key);
            }
        }
    }
    world.in_conference = op.side_effect.conference_after(world.in_conference);
    world.state = Some(next);
}

#[then(expr = "the notifications documented for {string} arrive")]
async fn documented_notifications_arrive(world: &mut GwsWorld, name: String) {
    let op = super::operations::operation_named(&name);
    match &world.performed {
        Some((performed, _)) if performed.name == op.name => {}
        _ => verdict::error(HarnessError::new(
            "ScenarioOrder",
            format!(
                "\"{}\" was not the last operation performed in this scenario",
                op.name
            ),
        )),
    }
    judge_documented_notifications(world, op).await;
}
