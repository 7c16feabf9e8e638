//! The fault catalog: each [`FaultRow`] makes the reference server break exactly ONE documented
//! rule, so that the suite's verdicts can be proven. A row is data: the operation it applies to,
//! one [`Mutation`], the rule it breaks and the page that documents it, and what the suite must
//! then report — the scenarios that must fail (a cucumber tag expression over the feature files'
//! tags), the failure types it may give and the words its failure must contain.
//! `tests/fault_matrix.rs` runs the whole suite once per row, in both dialects, and checks
//! exactly that; `gws-conformance serve --fault NAME` serves one row, `--list-faults` lists them;
//! docs/FAULTS.md is generated from the rows.
//!
//! Where a mutation takes effect:
//! - [`Mutation::AnyState`] and [`Mutation::EndIn`] change what the operation *does*; the
//!   operation engine reads them before it acts, through [`FaultRow::deviation`].
//! - Every other mutation changes what the operation *produced* (its answer, its notifications,
//!   its refusal) and is applied by [`apply`], the one function run after every operation.
//!
//! The operation code (`crate::operations`) describes documented behaviour only.
//!
//! Pointers are JSON Pointers into a notification's `data`; `*` stands for every element of an
//! array. Pointers and JSON values may use `{resource}` (the media's resource key in the
//! server's dialect, e.g. `chat`, `facebooksessions`), `{log_uri}` (the transcript's `…Uri` key),
//! `{base}` (`http://host:port`) and `{collection}` (the media's REST collection).

use gws_contract::{State, operations::Kind};
use serde_json::Value;

use crate::operations::{Deviation, OperationOutcome, Refusal};

/// One way of breaking a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    /// A successful answer's body is replaced by this JSON.
    Respond(&'static str),
    /// The notification of this kind is not published.
    Drop(Kind),
    /// The notification of this kind is published first.
    MoveFirst(Kind),
    /// In the notifications of each kind, the value at each pointer is set to this JSON.
    Set(&'static [(Kind, &'static str)], &'static str),
    /// In the notifications of each kind, the value at each pointer is removed.
    Remove(&'static [(Kind, &'static str)]),
    /// In the notifications of each kind, the items of the array at each pointer that match
    /// this JSON (equal to it, or an object holding all of its fields) are removed.
    RemoveItems(&'static [(Kind, &'static str)], &'static str),
    /// Every notification of the operation goes to this topic.
    Topic(&'static str),
    /// The operation is performed in any state: where it is not valid it answers statusCode 0
    /// and acts (read by the engine).
    AnyState,
    /// The operation leads to this state instead of the documented one (read by the engine).
    EndIn(State),
    /// An operation refused for the interaction's state answers `{"statusCode": 0}` and does
    /// nothing: the interaction keeps its state.
    KeepState,
    /// An operation refused for a missing parameter answers `{"statusCode": 0}` and does
    /// nothing.
    IgnoreMissing,
    /// An operation on an unknown interaction answers `{"statusCode": 0}` (HTTP 200).
    UnknownAccepted,
    /// Refusals answer `{"statusCode": N}` without `statusMessage`.
    OmitStatusMessage,
    // --- the session and the notification transport (operation `-`: no operation request;
    // read by the authentication middleware, the agent resource and the CometD mount)
    /// A request with no or wrong credentials is served as the first agent's (no HTTP 401).
    AuthNotEnforced,
    /// `GET /api/v2/me` answers `{"statusCode": 0}` without the `user` resource.
    UserResourceMissing,
    /// POST, PUT and DELETE are served without checking the CSRF token (GET still hands it out).
    CsrfNotEnforced,
    /// Any CSRF token the server handed out is accepted, whichever HTTP session sends it.
    CsrfTokenUnbound,
    /// EndContactCenterSession leaves the HTTP session, and its CSRF token, valid.
    EndKeepsHttpSession,
    /// Every notification is published to every agent's CometD clients.
    DeliverToEveryAgent,
    /// A notification is delivered once per subscription of a client that covers its channel.
    DeliverPerSubscription,
    /// `/meta/unsubscribe` answers successful and changes nothing.
    UnsubscribeIgnored,
    /// A `/meta/connect` from an unknown client is answered successful (no `402`).
    UnknownClientAccepted,
    /// The `advice` a client sends with `/meta/connect` is ignored (a connect asking for timeout 0
    /// is held like any other).
    ClientAdviceIgnored,
    /// A publish by a client is answered successful.
    ClientPublishAccepted,
    /// The successful handshake reply carries no `version` and no `supportedConnectionTypes`.
    HandshakeIncomplete,
    /// A handshake offering no connection type the server supports is answered successful, with
    /// the offered types as the server's `supportedConnectionTypes`.
    NoCommonTypeAccepted,
    /// A handshake whose `version` is not `1.0` is refused (`400::unsupported version`), whatever
    /// its `minimumVersion`.
    NewerVersionRefused,
    /// The replies to a request of several messages carry no `id`.
    BatchIdsDropped,
}

impl Mutation {
    /// Whether it breaks the session or the notification transport (its row's operation is `-`).
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            Self::AuthNotEnforced
                | Self::UserResourceMissing
                | Self::CsrfNotEnforced
                | Self::CsrfTokenUnbound
                | Self::EndKeepsHttpSession
                | Self::DeliverToEveryAgent
                | Self::DeliverPerSubscription
                | Self::UnsubscribeIgnored
                | Self::UnknownClientAccepted
                | Self::ClientAdviceIgnored
                | Self::ClientPublishAccepted
                | Self::HandshakeIncomplete
                | Self::NoCommonTypeAccepted
                | Self::NewerVersionRefused
                | Self::BatchIdsDropped
        )
    }
}

/// One fault: one operation, one mutation, one rule broken, and the verdict the suite must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultRow {
    /// kebab-case name, as given to `--fault`.
    pub name: &'static str,
    /// The `operationName` it applies to (a name of the operation table), `*` for every
    /// operation request, or a resource GET's pseudo-operation (`GET collection`, `GET resource`,
    /// `GET messages`: `crate::interactions::get_names`; only `Respond` applies to those), or `-` for none (a fault of the session or the notification
    /// transport).
    pub operation: &'static str,
    /// What it changes.
    pub mutation: Mutation,
    /// What the server then does wrong, in words.
    pub description: &'static str,
    /// The documented rule it breaks.
    pub rule: &'static str,
    /// The page that documents the rule: a tag of `gws_contract::pages::PAGES`.
    pub page: &'static str,
    /// The scenarios that must fail: a cucumber tag expression over each scenario's tags
    /// (feature and scenario tags, e.g. `(@accept and not @inferred) or @precondition:accept`);
    /// every other scenario must pass.
    pub fails: &'static str,
    /// The failure types (JUnit `type`) the failing scenarios may report.
    pub kinds: &'static [&'static str],
    /// Words every such failure must contain (summary, rule, JSON path, expected or actual;
    /// case-insensitive): how the failure names the rule.
    pub names: &'static [&'static str],
}

impl FaultRow {
    /// Whether the row applies to a request for `operation` (`""`: a request naming none).
    pub fn applies_to(&self, operation: &str) -> bool {
        self.operation == "*" && !operation.starts_with("GET ")
            || self.operation == operation
            || gws_contract::operation(self.operation).is_some_and(|op| op.is_named(operation))
    }

    /// What the row changes in what `operation` does (the default when nothing).
    pub fn deviation(&self, operation: &str) -> Deviation {
        if !self.applies_to(operation) {
            return Deviation::default();
        }
        match self.mutation {
            Mutation::AnyState => Deviation {
                any_state: true,
                ..Deviation::default()
            },
            Mutation::EndIn(state) => Deviation {
                ends_in: Some(state),
                ..Deviation::default()
            },
            _ => Deviation::default(),
        }
    }
}

/// The values the `{...}` placeholders of pointers and JSON stand for, for one interaction.
#[derive(Clone, Copy, Debug)]
pub struct Placeholders<'a> {
    /// `{resource}`: the resource key of state-change notifications.
    pub resource: &'static str,
    /// `{log_uri}`: the transcript notification's `…Uri` key.
    pub log_uri: &'static str,
    /// `{base}`: `http://host:port`.
    pub base: &'a str,
    /// `{collection}`: the REST collection.
    pub collection: &'static str,
}

impl Placeholders<'_> {
    fn expand(&self, text: &str) -> String {
        text.replace("{resource}", self.resource)
            .replace("{log_uri}", self.log_uri)
            .replace("{base}", self.base)
            .replace("{collection}", self.collection)
    }
}

/// Applies `row` to what an operation request produced (nothing when the row is for another
/// operation, or its mutation is one the engine reads). Run after every operation request.
pub fn apply(row: &FaultRow, outcome: &mut OperationOutcome, names: &Placeholders<'_>) {
    if !row.applies_to(&outcome.operation) {
        return;
    }
    let performed = outcome.refusal.is_none();
    let json = |text: &str| -> Value {
        // Every row's JSON is parsed by the catalog's tests; a broken one is a build defect.
        serde_json::from_str(&names.expand(text))
            .unwrap_or_else(|e| panic!("fault {}: JSON `{text}`: {e}", row.name))
    };
    let of_kind = |outcome: &mut OperationOutcome, kind: Kind, f: &mut dyn FnMut(&mut Value)| {
        for p in &mut outcome.publications {
            if p.kind == Some(kind) {
                f(&mut p.data);
            }
        }
    };
    match row.mutation {
        Mutation::Respond(body) if performed => outcome.body = json(body),
        Mutation::Drop(kind) if performed => outcome.publications.retain(|p| p.kind != Some(kind)),
        Mutation::MoveFirst(kind) if performed => {
            if let Some(i) = outcome
                .publications
                .iter()
                .position(|p| p.kind == Some(kind))
            {
                let p = outcome.publications.remove(i);
                outcome.publications.insert(0, p);
            }
        }
        Mutation::Set(targets, value) => {
            let value = json(value);
            for (kind, pointer) in targets {
                let tokens = tokens(&names.expand(pointer));
                of_kind(outcome, *kind, &mut |data| {
                    each_parent(data, &tokens, &mut |parent, last| set(parent, last, &value));
                });
            }
        }
        Mutation::Remove(targets) => {
            for (kind, pointer) in targets {
                let tokens = tokens(&names.expand(pointer));
                of_kind(outcome, *kind, &mut |data| {
                    each_parent(data, &tokens, &mut remove);
                });
            }
        }
        Mutation::RemoveItems(targets, pattern) => {
            let pattern = json(pattern);
            for (kind, pointer) in targets {
                let tokens = tokens(&names.expand(pointer));
                of_kind(outcome, *kind, &mut |data| {
                    each_parent(data, &tokens, &mut |parent, last| {
                        if let Some(Value::Array(items)) = child_mut(parent, last) {
                            items.retain(|item| !matches_pattern(item, &pattern));
                        }
                    });
                });
            }
        }
        Mutation::Topic(topic) => {
            for p in &mut outcome.publications {
                p.topic = topic.to_string();
            }
        }
        Mutation::KeepState if outcome.refusal == Some(Refusal::WrongState) => answer_zero(outcome),
        Mutation::IgnoreMissing if outcome.refusal == Some(Refusal::MissingParameter) => {
            answer_zero(outcome)
        }
        Mutation::UnknownAccepted if outcome.refusal == Some(Refusal::UnknownInteraction) => {
            answer_zero(outcome)
        }
        Mutation::OmitStatusMessage if !performed => {
            if let Some(body) = outcome.body.as_object_mut() {
                body.remove("statusMessage");
            }
        }
        _ => {}
    }
}

/// A refusal answered as a success that did nothing.
fn answer_zero(outcome: &mut OperationOutcome) {
    outcome.http = 200;
    outcome.body = serde_json::json!({ "statusCode": 0 });
    outcome.refusal = None;
    outcome.publications.clear();
}

/// The reference tokens of a JSON Pointer (`~1` is `/`, `~0` is `~`).
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn child_mut<'v>(v: &'v mut Value, token: &str) -> Option<&'v mut Value> {
    match v {
        Value::Object(m) => m.get_mut(token),
        Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    }
}

/// Calls `f` with the parent of every location the pointer `tokens` names and the last token
/// (`*` stands for every element of an array).
fn each_parent(v: &mut Value, tokens: &[String], f: &mut dyn FnMut(&mut Value, &str)) {
    match tokens {
        [] => {}
        [last] => f(v, last),
        [head, rest @ ..] if head == "*" => {
            if let Value::Array(items) = v {
                for item in items {
                    each_parent(item, rest, f);
                }
            }
        }
        [head, rest @ ..] => {
            if let Some(child) = child_mut(v, head) {
                each_parent(child, rest, f);
            }
        }
    }
}

fn set(parent: &mut Value, last: &str, value: &Value) {
    match parent {
        Value::Object(m) => {
            m.insert(last.to_string(), value.clone());
        }
        Value::Array(items) if last == "*" => items.iter_mut().for_each(|i| *i = value.clone()),
        Value::Array(_) => {
            if let Some(slot) = child_mut(parent, last) {
                *slot = value.clone();
            }
        }
        _ => {}
    }
}

fn remove(parent: &mut Value, last: &str) {
    match parent {
        Value::Object(m) => {
            m.shift_remove(last);
        }
        Value::Array(items) if last == "*" => items.clear(),
        Value::Array(items) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Whether `item` equals `pattern`, or is an object holding every field of the object
/// `pattern` with the same value.
fn matches_pattern(item: &Value, pattern: &Value) -> bool {
    match (item, pattern) {
        (Value::Object(i), Value::Object(p)) => p.iter().all(|(k, v)| i.get(k) == Some(v)),
        _ => item == pattern,
    }
}

/// Scenarios that accept first: the precondition step judges Accept's answer and its
/// StatusChange (state Chatting), so a fault in either fails them too.
macro_rules! after_accept {
    ($flow:literal) => {
        concat!("(", $flow, ") or @precondition:accept")
    };
}

/// The rule of the Accept flow's notifications.
const ACCEPT_SEQUENCE: &str = "Accept is followed by StatusChange Chatting, ParticipantsUpdated and the history, in that order";
/// The Accept flow of every media.
const ACCEPT_FLOW: &str = "@accept and not @inferred";
/// The Leave flow of an agent alone, and every scenario that left first.
const LEAVE_ALONE: &str =
    "(@leave and not @inferred and not @precondition:consult) or @precondition:leave";

/// Every fault.
pub static FAULTS: &[FaultRow] = &[
    FaultRow {
        name: "status-instead-of-status-code",
        operation: "Accept",
        mutation: Mutation::Respond(r#"{"status": 0}"#),
        description: "Accept answers {\"status\": 0} instead of {\"statusCode\": 0}",
        rule: "every response carries the integer attribute statusCode",
        page: "ReturnValues",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["SchemaViolation"],
        names: &["statusCode", "required"],
    },
    FaultRow {
        name: "status-code-as-string",
        operation: "Accept",
        mutation: Mutation::Respond(r#"{"statusCode": "0"}"#),
        description: "Accept answers {\"statusCode\": \"0\"}, a string",
        rule: "statusCode is an integer",
        page: "ReturnValues",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["SchemaViolation"],
        names: &["statusCode", "integer"],
    },
    FaultRow {
        name: "nonzero-status-for-valid-accept",
        operation: "Accept",
        mutation: Mutation::Respond(
            r#"{"statusCode": 4, "statusMessage": "internal error (injected fault)"}"#,
        ),
        description: "a valid Accept answers statusCode 4 (the notifications still follow)",
        rule: "a successful operation answers statusCode 0",
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 4, expected 0"],
    },
    FaultRow {
        name: "error-without-status-message",
        operation: "*",
        mutation: Mutation::OmitStatusMessage,
        description: "operation errors answer {\"statusCode\": N} without statusMessage",
        rule: "when statusCode is not 0 the response includes statusMessage",
        page: "ReturnValues",
        fails: "@missing-parameter or @wrong-state or @unknown-interaction or @invalid-value",
        kinds: &["SchemaViolation", "StatusMessageMissing"],
        names: &["statusMessage"],
    },
    FaultRow {
        name: "accept-missing-status-change",
        operation: "Accept",
        mutation: Mutation::Drop(Kind::StatusChange),
        description: "Accept sends no StatusChange (Chatting) notification",
        rule: ACCEPT_SEQUENCE,
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["NotificationTimeout"],
        names: &["notificationType StatusChange"],
    },
    FaultRow {
        name: "accept-missing-participants-updated",
        operation: "Accept",
        mutation: Mutation::Drop(Kind::ParticipantsUpdated),
        description: "Accept sends no ParticipantsUpdated notification",
        rule: ACCEPT_SEQUENCE,
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["NotificationTimeout"],
        names: &["notificationType ParticipantsUpdated"],
    },
    FaultRow {
        name: "accept-missing-history",
        operation: "Accept",
        mutation: Mutation::Drop(Kind::NewMessages),
        description: "Accept sends no MessageLogUpdated history",
        rule: ACCEPT_SEQUENCE,
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated"],
    },
    FaultRow {
        name: "accept-notifications-out-of-order",
        operation: "Accept",
        mutation: Mutation::MoveFirst(Kind::ParticipantsUpdated),
        description: "Accept sends ParticipantsUpdated before StatusChange",
        rule: ACCEPT_SEQUENCE,
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["NotificationOrder"],
        names: &["order"],
    },
    FaultRow {
        name: "accept-wrong-topic",
        operation: "Accept",
        mutation: Mutation::Topic("/v2/me/interactions"),
        description: "Accept's notifications are published on /v2/me/interactions instead of the media's topic",
        rule: "state-change notifications are published on the media's documented topic (/v2/me/chats, /v2/me/facebooksession); no page documents the SMS topic, so any /v2/me/ topic is accepted for SMS [inferred]",
        page: "ChatMessageType",
        fails: "((@accept and not @inferred) or @precondition:accept) and not @smssession",
        kinds: &["TopicMismatch"],
        names: &["topic", "/v2/me/interactions"],
    },
    FaultRow {
        name: "accept-wrong-state",
        operation: "Accept",
        mutation: Mutation::Set(
            &[(Kind::StatusChange, "/{resource}/state")],
            r#""Processing""#,
        ),
        description: "Accept's StatusChange says state Processing",
        rule: "after Accept the interaction's state is Chatting",
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["SchemaViolation", "StateMismatch"],
        names: &["state"],
    },
    FaultRow {
        name: "accept-wrong-message-type",
        operation: "Accept",
        mutation: Mutation::Set(
            &[(Kind::StatusChange, "/messageType")],
            r#""InteractionStateChangeMessage""#,
        ),
        description: "Accept's StatusChange has messageType InteractionStateChangeMessage",
        rule: "state-change notifications carry the media's messageType (ChatStateChangeMessage, ...)",
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["SchemaViolation"],
        names: &["messageType"],
    },
    FaultRow {
        name: "accept-wrong-notification-type",
        operation: "Accept",
        mutation: Mutation::Set(
            &[(Kind::StatusChange, "/notificationType")],
            r#""StateChanged""#,
        ),
        description: "Accept's StatusChange has notificationType StateChanged",
        rule: "notificationType is one of StatusChange, ParticipantsUpdated, PropertiesUpdated, Error",
        page: "ChatMessageType",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["NotificationTimeout"],
        names: &["notificationType StatusChange"],
    },
    FaultRow {
        name: "accept-capabilities-missing",
        operation: "Accept",
        mutation: Mutation::Remove(&[(Kind::StatusChange, "/{resource}/capabilities")]),
        description: "Accept's StatusChange has no capabilities",
        rule: "after Accept the resource lists the capabilities every Accept page documents",
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["SchemaViolation"],
        names: &["capabilities"],
    },
    FaultRow {
        name: "accept-capabilities-incomplete",
        operation: "Accept",
        mutation: Mutation::RemoveItems(
            &[
                (Kind::StatusChange, "/{resource}/capabilities"),
                (Kind::ParticipantsUpdated, "/{resource}/capabilities"),
            ],
            r#""SendMessage""#,
        ),
        description: "Accept's notifications list capabilities without SendMessage",
        rule: "after Accept the resource lists the capabilities every Accept page documents",
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["CapabilitiesMissing"],
        names: &["capabilities", "SendMessage"],
    },
    FaultRow {
        name: "history-without-customer-text",
        operation: "Accept",
        mutation: Mutation::RemoveItems(&[(Kind::NewMessages, "/messages")], r#"{"type": "Text"}"#),
        description: "the history after Accept lacks the customer's Text message",
        rule: "the history up to the point of joining contains the customer's messages",
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["HistoryIncomplete"],
        names: &["customer's message"],
    },
    FaultRow {
        name: "participant-without-participant-id",
        operation: "Accept",
        mutation: Mutation::Remove(&[(
            Kind::ParticipantsUpdated,
            "/{resource}/participants/0/participantId",
        )]),
        description: "ParticipantsUpdated lists the agent without participantId",
        rule: "every participant carries participantId",
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["SchemaViolation"],
        names: &["participantId"],
    },
    FaultRow {
        name: "wrong-interaction-id-in-uri",
        operation: "Accept",
        mutation: Mutation::Set(
            &[
                (Kind::StatusChange, "/{resource}/uri"),
                (Kind::ParticipantsUpdated, "/{resource}/uri"),
                (Kind::NewMessages, "/{log_uri}"),
            ],
            r#""{base}/api/v2/{collection}/0000FOREIGNID000""#,
        ),
        description: "Accept's notifications carry a uri naming another interaction id",
        rule: "the resource uri ends with the interaction's id",
        page: "ChatAccept",
        fails: after_accept!("@accept and not @inferred"),
        kinds: &["UriMismatch"],
        names: &["uri"],
    },
    FaultRow {
        name: "timestamp-not-a-string",
        operation: "Accept",
        mutation: Mutation::Set(
            &[(Kind::NewMessages, "/messages/*/timestamp")],
            "1445346881000",
        ),
        description: "history timestamps are numbers (epoch milliseconds)",
        rule: "message timestamp is a string",
        page: "ChatAccept",
        fails: ACCEPT_FLOW,
        kinds: &["SchemaViolation"],
        names: &["timestamp", "string"],
    },
    FaultRow {
        name: "consult-without-reference-id",
        operation: "Consult",
        mutation: Mutation::Respond(r#"{"statusCode": 0}"#),
        description: "Consult answers {\"statusCode\": 0} without referenceId",
        rule: "Consult answers statusCode 0 with referenceId",
        page: "FacebookPMConsult",
        fails: "(@consult and not @doc:ReturnValues) or @precondition:consult",
        kinds: &["ReferenceIdMissing"],
        names: &["referenceId"],
    },
    FaultRow {
        name: "consult-agent-visible-to-all",
        operation: "Consult",
        mutation: Mutation::Set(
            &[
                (
                    Kind::ParticipantsUpdated,
                    "/{resource}/participants/1/visibility",
                ),
                (Kind::NewMessages, "/messages/0/visibility"),
                (Kind::NewMessages, "/messages/0/from/visibility"),
            ],
            r#""All""#,
        ),
        description: "the consulted agent appears with visibility All",
        rule: "the consulted agent and its messages are visible to Agents only",
        page: "FacebookPMConsult",
        fails: "@consult and not @doc:ReturnValues",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "consult-without-target-accepted",
        operation: "Consult",
        mutation: Mutation::IgnoreMissing,
        description: "Consult with neither targetUri nor targetPath answers statusCode 0",
        rule: "targetUri is mandatory if targetPath is not specified (missing parameter: statusCode 1)",
        page: "FacebookPMConsult",
        fails: "@consult and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    // --- Resource GETs (pseudo-operations, crate::interactions::get_names)
    FaultRow {
        name: "collection-without-the-interaction",
        operation: "GET collection",
        mutation: Mutation::Respond(r#"{"statusCode": 0, "uris": [], "{collection}": []}"#),
        description: "GET /api/v2/me/{collection} (with or without fields=*) lists none of the agent's interactions",
        rule: "the collection lists the agent's interactions: their uris, or with fields=* the resources",
        page: "SMSResources",
        fails: "@resources and @collection",
        kinds: &["ResourceMissing"],
        names: &["collection"],
    },
    FaultRow {
        name: "resource-without-body",
        operation: "GET resource",
        mutation: Mutation::Respond(r#"{"statusCode": 0}"#),
        description: "GET /api/v2/me/{collection}/{id} answers {\"statusCode\": 0} without the resource",
        rule: "GET of an interaction answers its resource",
        page: "SMSResources",
        fails: "@resources and @resource",
        kinds: &["ResourceMissing"],
        names: &["resource"],
    },
    FaultRow {
        name: "messages-empty",
        operation: "GET messages",
        mutation: Mutation::Respond(r#"{"statusCode": 0, "messages": []}"#),
        description: "GET /api/v2/me/{collection}/{id}/messages answers no transcript entry",
        rule: "GET …/messages answers the interaction's transcript from startIndex, at most count entries",
        page: "SMSResources",
        fails: "@resources and @messages",
        kinds: &["MessagesMismatch"],
        names: &["messages"],
    },
    // --- Invite, RemoveParticipantFromConference, Transfer
    FaultRow {
        name: "invite-without-reference-id",
        operation: "Invite",
        mutation: Mutation::Respond(r#"{"statusCode": 0}"#),
        description: "Invite answers {\"statusCode\": 0} without referenceId",
        rule: "Invite answers statusCode 0 with referenceId",
        page: "ChatInviteUser",
        fails: "(@invite and not @doc:ReturnValues) or @precondition:invite",
        kinds: &["ReferenceIdMissing"],
        names: &["referenceId"],
    },
    FaultRow {
        name: "invited-agent-visible-to-agents-only",
        operation: "Invite",
        mutation: Mutation::Set(
            &[(Kind::NewMessages, "/messages/0/visibility")],
            r#""Agents""#,
        ),
        description: "the invited agent's ParticipantJoined is visible to Agents only, as in a consultation",
        rule: "in a conference the customer is aware of every agent: the invited agent joins visible to All",
        page: "ChatInviteUser",
        fails: "@invite and not @doc:ReturnValues",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "All"],
    },
    FaultRow {
        name: "invite-without-target-accepted",
        operation: "Invite",
        mutation: Mutation::IgnoreMissing,
        description: "Invite without targetUri or targetPath answers statusCode 0",
        rule: "targetUri is mandatory if targetPath is not specified (missing parameter: statusCode 1)",
        page: "ChatInviteUser",
        fails: "@invite and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    FaultRow {
        name: "removed-agent-still-listed",
        operation: "RemoveParticipantFromConference",
        mutation: Mutation::Set(
            &[(Kind::ParticipantsUpdated, "/{resource}/participants")],
            r#"[{"nickname": "TestName", "type": "Agent", "participantId": "009052CB057100E7"}, {"nickname": "FirstL", "type": "Customer", "participantId": "009052CB056C00E5"}, {"nickname": "BFriend", "type": "Agent", "participantId": "009052CB05CA00EB"}]"#,
        ),
        description: "after RemoveParticipantFromConference the ParticipantsUpdated still lists a second agent (BFriend, beside the agent TestName and the customer FirstL of the built-in scenarios)",
        rule: "after RemoveParticipantFromConference the removed agent is no longer a participant",
        page: "FacebookPMRemovePart",
        fails: "@removeparticipantfromconference and not @doc:ReturnValues",
        kinds: &["ParticipantStillListed"],
        names: &["participants", "removed"],
    },
    FaultRow {
        name: "remove-participant-notice-visible-to-all",
        operation: "RemoveParticipantFromConference",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/visibility")], r#""All""#),
        description: "the Notice of RemoveParticipantFromConference is visible to All, the customer included",
        rule: "the Notice of RemoveParticipantFromConference is visible to Agents only",
        page: "FacebookPMRemovePart",
        fails: "@removeparticipantfromconference and not @doc:ReturnValues",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "remove-participant-without-target-accepted",
        operation: "RemoveParticipantFromConference",
        mutation: Mutation::IgnoreMissing,
        description: "RemoveParticipantFromConference without targetUri answers statusCode 0",
        rule: "targetUri is mandatory if targetPath is not specified (missing parameter: statusCode 1)",
        page: "ChatRemoveParticipantFromConference",
        fails: "@removeparticipantfromconference and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    FaultRow {
        name: "transfer-not-completed",
        operation: "Transfer",
        mutation: Mutation::EndIn(State::Chatting),
        description: "Transfer leaves the interaction in Chatting for the agent who handed it over",
        rule: "after Transfer the interaction is Completed for the agent who handed it over [inferred]",
        page: "ChatSingleStepTransfer",
        fails: "@transfer and not @doc:ReturnValues",
        kinds: &["StateMismatch"],
        names: &["state", "Completed"],
    },
    FaultRow {
        name: "transfer-without-reference-id",
        operation: "Transfer",
        mutation: Mutation::Respond(r#"{"statusCode": 0}"#),
        description: "Transfer answers {\"statusCode\": 0} without referenceId (the Facebook page's response carries one; the chat page's does not)",
        rule: "the Facebook Transfer answers statusCode 0 with referenceId",
        page: "FacebookPMTransfer",
        fails: "@transfer and @facebooksession and not @doc:ReturnValues",
        kinds: &["ReferenceIdMissing"],
        names: &["referenceId"],
    },
    FaultRow {
        name: "transfer-without-target-accepted",
        operation: "Transfer",
        mutation: Mutation::IgnoreMissing,
        description: "Transfer with neither targetUri nor queueName (chat) or targetPath (Facebook) answers statusCode 0",
        rule: "targetUri or queueName is mandatory (missing parameter: statusCode 1)",
        page: "ChatSingleStepTransfer",
        fails: "@transfer and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    FaultRow {
        name: "accept-twice-accepted",
        operation: "Accept",
        mutation: Mutation::KeepState,
        description: "a second Accept of the same interaction answers statusCode 0 (and does nothing)",
        rule: "an operation not valid in the interaction's state fails with statusCode 2",
        page: "ReturnValues",
        fails: "@accept and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "unknown-interaction-accepted",
        operation: "*",
        mutation: Mutation::UnknownAccepted,
        description: "an operation on an unknown interaction id answers statusCode 0",
        rule: "an unknown resource fails with statusCode 6",
        page: "ReturnValues",
        fails: "@unknown-interaction",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 6"],
    },
    // --- Reject, Complete, Leave, SendMessage
    FaultRow {
        name: "reject-not-completed",
        operation: "Reject",
        mutation: Mutation::EndIn(State::Chatting),
        description: "Reject leaves the interaction in Chatting (its StatusChange says Chatting, with the Chatting capabilities)",
        rule: "after Reject the interaction is Completed",
        page: "ChatReject",
        fails: "@reject and not @inferred",
        kinds: &["StateMismatch"],
        names: &["state", "Completed"],
    },
    FaultRow {
        name: "reject-keeps-capabilities",
        operation: "Reject",
        mutation: Mutation::Set(
            &[(Kind::StatusChange, "/{resource}/capabilities")],
            r#"["Accept", "Reject"]"#,
        ),
        description: "Reject's StatusChange (Completed) still lists the offer's capabilities Accept, Reject",
        rule: "a Completed interaction offers no capabilities",
        page: "ChatReject",
        fails: "@reject and not @inferred",
        kinds: &["CapabilitiesAfterCompleted"],
        names: &["Completed", "capabilities"],
    },
    FaultRow {
        name: "complete-not-completed",
        operation: "Complete",
        mutation: Mutation::EndIn(State::Chatting),
        description: "Complete leaves the interaction in Chatting (its StatusChange says Chatting, with the Chatting capabilities)",
        rule: "after Complete the interaction is Completed",
        page: "ChatComplete",
        fails: "@complete and not @inferred",
        kinds: &["StateMismatch"],
        names: &["state", "Completed"],
    },
    FaultRow {
        name: "complete-keeps-capabilities",
        operation: "Complete",
        mutation: Mutation::Set(
            &[(Kind::StatusChange, "/{resource}/capabilities")],
            r#"["Transfer", "Complete", "Leave", "InFocus", "SendMessage", "SendStartTypingNotification", "SendStopTypingNotification"]"#,
        ),
        description: "Complete's StatusChange (Completed) still lists the Chatting capabilities",
        rule: "a Completed interaction offers no capabilities",
        page: "ChatComplete",
        fails: "@complete and not @inferred",
        kinds: &["CapabilitiesAfterCompleted"],
        names: &["Completed", "capabilities"],
    },
    FaultRow {
        name: "leave-completes-when-alone",
        operation: "Leave",
        mutation: Mutation::EndIn(State::Completed),
        description: "Leave by an agent alone in the interaction ends it Completed instead of LeftChat (so it can no longer be completed)",
        rule: "an agent alone who leaves puts the interaction in LeftChat, where it can still complete it",
        page: "ChatLeave",
        fails: LEAVE_ALONE,
        kinds: &["StateMismatch"],
        names: &["state", "LeftChat"],
    },
    FaultRow {
        name: "leave-capabilities-missing",
        operation: "Leave",
        mutation: Mutation::Remove(&[(Kind::StatusChange, "/{resource}/capabilities")]),
        description: "Leave's StatusChange (LeftChat) has no capabilities",
        rule: "an interaction in state LeftChat lists its capabilities",
        page: "ChatLeave",
        fails: LEAVE_ALONE,
        kinds: &["SchemaViolation"],
        names: &["capabilities"],
    },
    FaultRow {
        name: "send-message-missing-transcript",
        operation: "SendMessage",
        mutation: Mutation::Drop(Kind::NewMessages),
        description: "SendMessage sends no MessageLogUpdated with the agent's Text entry",
        rule: "SendMessage is followed by a MessageLogUpdated carrying the agent's Text entry",
        page: "ChatSend",
        fails: "(@sendmessage and not @inferred) or @precondition:sendmessage",
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated", "Text"],
    },
    FaultRow {
        name: "send-message-text-altered",
        operation: "SendMessage",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/text")], r#""(altered)""#),
        description: "SendMessage's transcript entry carries another text than the one sent",
        rule: "the agent's Text entry carries the request's text",
        page: "ChatSend",
        fails: "@sendmessage and not @inferred",
        kinds: &["TranscriptMismatch"],
        names: &["text", "(altered)"],
    },
    FaultRow {
        name: "send-message-wrong-type",
        operation: "SendMessage",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/type")], r#""Notice""#),
        description: "SendMessage's transcript entry has type Notice instead of Text",
        rule: "the message the agent sends enters the transcript as a Text entry",
        page: "ChatSend",
        fails: "(@sendmessage and not @inferred) or @precondition:sendmessage",
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated", "Text"],
    },
    FaultRow {
        name: "reject-in-wrong-state-accepted",
        operation: "Reject",
        mutation: Mutation::AnyState,
        description: "Reject of an interaction already accepted answers statusCode 0 and completes it",
        rule: "an operation not valid in the interaction's state fails with statusCode 2 (Reject is valid while the interaction is offered)",
        page: "ReturnValues",
        fails: "@reject and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "complete-in-wrong-state-accepted",
        operation: "Complete",
        mutation: Mutation::AnyState,
        description: "Complete of an interaction still offered answers statusCode 0 and completes it",
        rule: "an operation not valid in the interaction's state fails with statusCode 2 (Complete is valid in Chatting and LeftChat)",
        page: "ReturnValues",
        fails: "@complete and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "leave-in-wrong-state-accepted",
        operation: "Leave",
        mutation: Mutation::AnyState,
        description: "Leave of an interaction still offered answers statusCode 0 and leaves it",
        rule: "an operation not valid in the interaction's state fails with statusCode 2 (Leave is valid in Chatting)",
        page: "ReturnValues",
        fails: "@leave and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "send-message-in-wrong-state-accepted",
        operation: "SendMessage",
        mutation: Mutation::AnyState,
        description: "SendMessage on an interaction still offered answers statusCode 0 and sends the message",
        rule: "an operation not valid in the interaction's state fails with statusCode 2 (SendMessage is valid in Chatting)",
        page: "ReturnValues",
        fails: "@sendmessage and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "send-message-without-text-accepted",
        operation: "SendMessage",
        mutation: Mutation::IgnoreMissing,
        description: "SendMessage without text answers statusCode 0",
        rule: "text is mandatory (missing parameter: statusCode 1)",
        page: "ReturnValues",
        fails: "@sendmessage and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    FaultRow {
        name: "typing-started-missing",
        operation: "SendStartTypingNotification",
        mutation: Mutation::Drop(Kind::NewMessages),
        description: "SendStartTypingNotification sends no MessageLogUpdated with the agent's TypingStarted entry",
        rule: "SendStartTypingNotification is followed by a MessageLogUpdated carrying a TypingStarted entry from the agent",
        page: "ChatSendStartTypingNotification",
        fails: "@sendstarttypingnotification and not @inferred",
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated", "TypingStarted"],
    },
    FaultRow {
        name: "typing-stopped-wrong-type",
        operation: "SendStopTypingNotification",
        mutation: Mutation::Set(
            &[(Kind::NewMessages, "/messages/0/type")],
            r#""TypingStarted""#,
        ),
        description: "SendStopTypingNotification's transcript entry has type TypingStarted",
        rule: "SendStopTypingNotification enters the transcript as a TypingStopped entry",
        page: "ChatSendStopTypingNotification",
        fails: "@sendstoptypingnotification and not @inferred",
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated", "TypingStopped"],
    },
    FaultRow {
        name: "typing-to-agents-visible-to-all",
        operation: "SendStartTypingToAgentsNotification",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/visibility")], r#""All""#),
        description: "SendStartTypingToAgentsNotification's TypingStarted entry is visible to All",
        rule: "typing notifications to agents are visible to Agents only",
        page: "ChatSendStartTypingToAgentsNotification",
        fails: "@sendstarttypingtoagentsnotification and not @inferred",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "stop-typing-to-agents-visible-to-all",
        operation: "SendStopTypingToAgentsNotification",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/visibility")], r#""All""#),
        description: "SendStopTypingToAgentNotification's TypingStopped entry is visible to All",
        rule: "typing notifications to agents are visible to Agents only",
        page: "ChatSendStopTypingToAgentsNotification",
        fails: "@sendstoptypingtoagentsnotification and not @inferred",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "send-url-url-altered",
        operation: "SendUrl",
        mutation: Mutation::Set(
            &[(Kind::NewMessages, "/messages/0/url")],
            r#""http://example.invalid/""#,
        ),
        description: "SendUrl's PushUrl entry carries another url than the one sent",
        rule: "the PushUrl entry carries the url sent",
        page: "ChatSendURL",
        fails: "@sendurl and not @inferred",
        kinds: &["TranscriptMismatch"],
        names: &["url", "example.invalid"],
    },
    FaultRow {
        name: "send-url-in-wrong-state-accepted",
        operation: "SendUrl",
        mutation: Mutation::AnyState,
        description: "SendUrl on an interaction still offered answers statusCode 0 and pushes the URL",
        rule: "an operation not valid in the interaction's state fails with statusCode 2 (SendUrl is valid in Chatting)",
        page: "ReturnValues",
        fails: "@sendurl and @wrong-state",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
    },
    FaultRow {
        name: "send-to-agents-visible-to-all",
        operation: "SendToAgents",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/visibility")], r#""All""#),
        description: "SendToAgents' Text entry is visible to All (the customer sees it)",
        rule: "a message sent to agents is visible to Agents only",
        page: "ChatSendToAgents",
        fails: "@sendtoagents and not @inferred",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "custom-notice-text-altered",
        operation: "SendCustomNotice",
        mutation: Mutation::Set(
            &[(Kind::NewMessages, "/messages/0/noticeText")],
            r#""(altered)""#,
        ),
        description: "SendCustomNotice's CustomNotice entry carries another noticeText than the one sent",
        rule: "the CustomNotice entry carries the noticeText sent",
        page: "ChatSendCustomNotice",
        fails: "@sendcustomnotice and not @inferred",
        kinds: &["TranscriptMismatch"],
        names: &["noticeText", "(altered)"],
    },
    FaultRow {
        name: "custom-notice-to-agents-visible-to-all",
        operation: "SendCustomNoticeToAgents",
        mutation: Mutation::Set(&[(Kind::NewMessages, "/messages/0/visibility")], r#""All""#),
        description: "SendCustomNoticeToAgents' CustomNotice entry is visible to All",
        rule: "a notice to agents is visible to Agents only",
        page: "ChatSendCustomNoticeToAgents",
        fails: "@sendcustomnoticetoagents and not @inferred",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
    },
    FaultRow {
        name: "disposition-properties-missing",
        operation: "SetDisposition",
        mutation: Mutation::Drop(Kind::PropertiesUpdated),
        description: "SetDisposition sends no PropertiesUpdated",
        rule: "SetDisposition is followed by a PropertiesUpdated carrying the disposition in userData",
        page: "ChatSetDisposition",
        fails: "@setdisposition and not @inferred",
        kinds: &["NotificationTimeout"],
        names: &["notificationType PropertiesUpdated"],
    },
    FaultRow {
        name: "disposition-not-stored",
        operation: "SetDisposition",
        mutation: Mutation::Remove(&[(Kind::PropertiesUpdated, "/{resource}/userData")]),
        description: "SetDisposition's PropertiesUpdated carries no userData",
        rule: "the disposition is stored in userData under dispositionKey (default DispositionCode)",
        page: "ChatSetDisposition",
        fails: "@setdisposition and not @inferred",
        kinds: &["PropertiesMismatch"],
        names: &["userData", "disposition"],
    },
    FaultRow {
        name: "comment-not-stored",
        operation: "AddComment",
        mutation: Mutation::Remove(&[(Kind::PropertiesUpdated, "/{resource}/comment")]),
        description: "AddComment's PropertiesUpdated carries no comment",
        rule: "the Facebook session carries the comment sent",
        page: "FacebookPMAddComment",
        fails: "@addcomment and not @inferred",
        kinds: &["PropertiesMismatch"],
        names: &["comment"],
    },
    FaultRow {
        name: "attached-user-data-missing",
        operation: "AttachUserData",
        mutation: Mutation::Set(&[(Kind::PropertiesUpdated, "/{resource}/userData")], "{}"),
        description: "AttachUserData's PropertiesUpdated shows empty userData",
        rule: "the attached keys and values appear in userData",
        page: "ChatAttachUserData",
        fails: "@attachuserdata and not @inferred",
        kinds: &["PropertiesMismatch"],
        names: &["userData"],
    },
    FaultRow {
        name: "attach-without-user-data-accepted",
        operation: "AttachUserData",
        mutation: Mutation::IgnoreMissing,
        description: "AttachUserData without userData answers statusCode 0",
        rule: "userData is mandatory (missing parameter: statusCode 1)",
        page: "ReturnValues",
        fails: "@attachuserdata and @missing-parameter",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
    },
    FaultRow {
        name: "updated-user-data-missing",
        operation: "UpdateUserData",
        mutation: Mutation::Set(&[(Kind::PropertiesUpdated, "/{resource}/userData")], "{}"),
        description: "UpdateUserData's PropertiesUpdated shows empty userData",
        rule: "the updated keys and values appear in userData",
        page: "ChatUpdateUserData",
        fails: "@updateuserdata and not @inferred",
        kinds: &["PropertiesMismatch"],
        names: &["userData"],
    },
    FaultRow {
        name: "deleted-user-data-kept",
        operation: "DeleteUserData",
        mutation: Mutation::Set(
            &[(Kind::PropertiesUpdated, "/{resource}/userData")],
            r#"{"UserData1": "DATA1", "GwsConformance": "1"}"#,
        ),
        description: "DeleteUserData's PropertiesUpdated still shows the keys it deleted",
        rule: "deleted keys no longer appear in userData",
        page: "ChatDeleteUserData",
        fails: "@deleteuserdata and not @inferred",
        kinds: &["PropertiesMismatch"],
        names: &["deleted key"],
    },
    // --- the session and the notification transport (features/session, features/bayeux)
    FaultRow {
        name: "auth-not-enforced",
        operation: "-",
        mutation: Mutation::AuthNotEnforced,
        description: "requests without credentials or with a wrong password are served (as the first agent), REST and CometD alike",
        rule: "a request without valid credentials is refused with HTTP 401 and statusCode 20 (User is not authenticated)",
        page: "ReturnValues",
        fails: "@authentication and not @inferred",
        kinds: &["NotAuthenticatedMismatch"],
        names: &["401", "statusCode 20"],
    },
    FaultRow {
        name: "user-resource-missing",
        operation: "-",
        mutation: Mutation::UserResourceMissing,
        description: "GET /api/v2/me answers {\"statusCode\": 0} without the agent's user resource",
        rule: "GET /api/v2/me answers the agent's user resource (id, userName) [inferred]",
        page: "CSRFProtection",
        fails: "@authentication and @inferred",
        kinds: &["UserResourceMismatch"],
        names: &["user", "userName"],
    },
    FaultRow {
        name: "csrf-not-enforced",
        operation: "-",
        mutation: Mutation::CsrfNotEnforced,
        description: "POST, PUT and DELETE are served without checking the CSRF token (GET still hands one out)",
        rule: "a POST, PUT or DELETE without the CSRF token of its HTTP session is refused with HTTP 403 \"Missing or invalid Csrf token\"",
        page: "CSRFProtection",
        fails: "@csrf or @contact-center-session",
        kinds: &["CsrfNotEnforced", "SessionNotInvalidated"],
        names: &["HTTP 403"],
    },
    FaultRow {
        name: "csrf-token-not-bound-to-session",
        operation: "-",
        mutation: Mutation::CsrfTokenUnbound,
        description: "any CSRF token the server handed out is accepted, from any HTTP session (and without the JSESSIONID cookie)",
        rule: "the CSRF token is stored with the HTTP session and shares its life cycle: another session's token, or a token without the session cookie, is refused with HTTP 403",
        page: "CSRFProtection",
        fails: "@csrf and @token-of-another-session",
        kinds: &["CsrfNotEnforced"],
        names: &["HTTP 403", "Missing or invalid Csrf token"],
    },
    FaultRow {
        name: "end-session-keeps-http-session",
        operation: "-",
        mutation: Mutation::EndKeepsHttpSession,
        description: "EndContactCenterSession leaves the HTTP session and its CSRF token valid",
        rule: "EndContactCenterSession also invalidates the client HTTP session",
        page: "EndContactCenterSession",
        fails: "@contact-center-session",
        kinds: &["SessionNotInvalidated"],
        names: &["EndContactCenterSession", "HTTP 403"],
    },
    FaultRow {
        name: "notifications-to-every-agent",
        operation: "-",
        mutation: Mutation::DeliverToEveryAgent,
        description: "every notification is published to every agent's CometD clients",
        rule: "an agent's notifications go to that agent's clients only",
        page: "AsynchronousEvents",
        fails: "@delivery",
        kinds: &["DeliveredToAnotherAgent"],
        names: &["another agent"],
    },
    FaultRow {
        name: "delivery-per-subscription",
        operation: "-",
        mutation: Mutation::DeliverPerSubscription,
        description: "a notification is delivered once per subscription covering its channel (three times under /v2/me/chats, /v2/me/* and /v2/me/**)",
        rule: "a message arrives once per client session, even when several subscriptions cover its channel [inferred from CometD's Java server]",
        page: "CometDJavaDelivery",
        fails: "@overlapping",
        kinds: &["DuplicateDelivery"],
        names: &["arrived 3 times", "once"],
    },
    FaultRow {
        name: "unsubscribe-ignored",
        operation: "-",
        mutation: Mutation::UnsubscribeIgnored,
        description: "/meta/unsubscribe answers successful and the subscription stays",
        rule: "after an unsubscribe, messages on the unsubscribed channels are no longer delivered",
        page: "BayeuxUnsubscribe",
        fails: "@unsubscribe",
        kinds: &["DeliveredAfterUnsubscribe"],
        names: &["unsubscribe"],
    },
    FaultRow {
        name: "unknown-client-accepted",
        operation: "-",
        mutation: Mutation::UnknownClientAccepted,
        description: "a /meta/connect with a clientId the server does not know (never given, or disconnected) is answered successful",
        rule: "a connect from an unknown client is unsuccessful with error 402::... and advice reconnect handshake",
        page: "BayeuxConnect",
        fails: "@unknown-client",
        kinds: &["UnknownClientAccepted"],
        names: &["402", "handshake"],
    },
    FaultRow {
        name: "client-advice-ignored",
        operation: "-",
        mutation: Mutation::ClientAdviceIgnored,
        description: "the advice a client sends with /meta/connect is ignored: a connect asking for timeout 0 is held like any other",
        rule: "Bayeux servers SHOULD honor timeout advices sent by clients",
        page: "BayeuxAdvice",
        fails: "@advice",
        kinds: &["ClientAdviceIgnored"],
        names: &["advice", "timeout 0"],
    },
    FaultRow {
        name: "client-publish-accepted",
        operation: "-",
        mutation: Mutation::ClientPublishAccepted,
        description: "a publish by the agent's client to a service or topic channel is answered successful",
        rule: "the agent only listens: a publish from its client is answered successful false [inferred]",
        page: "BayeuxPublish",
        fails: "@publish",
        kinds: &["ClientPublishAccepted"],
        names: &["publish", "successful false"],
    },
    FaultRow {
        name: "handshake-reply-incomplete",
        operation: "-",
        mutation: Mutation::HandshakeIncomplete,
        description: "the successful handshake reply carries no version and no supportedConnectionTypes",
        rule: "a successful handshake response MUST contain version and supportedConnectionTypes",
        page: "BayeuxHandshake",
        fails: "@handshake and not @connection-type",
        kinds: &["HandshakeReplyMismatch"],
        names: &["handshake", "version"],
    },
    FaultRow {
        name: "no-common-connection-type-accepted",
        operation: "-",
        mutation: Mutation::NoCommonTypeAccepted,
        description: "a handshake offering only a connection type the server does not support is answered successful, listing the offered type as supported",
        rule: "if there are no connectionTypes in common, the handshake response MUST be unsuccessful (CometD's servers instead list only their own types) [inferred from CometD]",
        page: "BayeuxHandshake",
        fails: "@connection-type",
        kinds: &["NoCommonConnectionTypeAccepted"],
        names: &["connection type", "successful false"],
    },
    FaultRow {
        name: "newer-version-refused",
        operation: "-",
        mutation: Mutation::NewerVersionRefused,
        description: "a handshake whose version is not 1.0 is refused (400::unsupported version), though its minimumVersion is 1.0",
        rule: "a handshake whose minimumVersion the server meets is accepted with the version negotiated (Bayeux 1.0 states no refusal; CometD answers 1.0) [inferred from CometD]",
        page: "BayeuxHandshake",
        fails: "@version",
        kinds: &["HandshakeRefused"],
        names: &["version 2.0", "minimumVersion 1.0", "refused"],
    },
    FaultRow {
        name: "batch-ids-dropped",
        operation: "-",
        mutation: Mutation::BatchIdsDropped,
        description: "the replies to a request of several messages carry no id",
        rule: "replies to /meta/** messages MUST carry the request's id, also in a batch",
        page: "BayeuxId",
        fails: "@batch",
        kinds: &["BatchReplyMissing"],
        names: &["id"],
    },
];

/// Every fault, in catalog order.
pub fn faults() -> &'static [FaultRow] {
    FAULTS
}

/// The fault named `name`, if any.
pub fn fault(name: &str) -> Option<&'static FaultRow> {
    FAULTS.iter().find(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde_json::json;

    use super::*;
    use crate::operations::Publication;

    const NAMES: Placeholders<'static> = Placeholders {
        resource: "chat",
        log_uri: "chatUri",
        base: "http://h:1",
        collection: "chats",
    };

    #[test]
    fn rows_are_unique_kebab_case_and_name_real_operations_pages_and_json() {
        assert!(FAULTS.len() >= 20, "have {}", FAULTS.len());
        let names: HashSet<_> = FAULTS.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FAULTS.len());
        for f in FAULTS {
            assert!(
                f.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                f.name
            );
            assert_eq!(fault(f.name), Some(f));
            assert!(
                (f.operation == "-") == f.mutation.is_transport(),
                "{}: operation `-` is for the session and transport mutations only",
                f.name
            );
            assert!(
                matches!(f.operation, "*" | "-")
                    || f.operation.starts_with("GET ")
                    || gws_contract::operation(f.operation).is_some(),
                "{}: operation {}",
                f.name,
                f.operation
            );
            assert!(
                gws_contract::pages::page(f.page).is_some(),
                "{}: page {}",
                f.name,
                f.page
            );
            assert!(!f.fails.is_empty() && !f.kinds.is_empty() && !f.names.is_empty());
            let jsons: Vec<&str> = match f.mutation {
                Mutation::Respond(j) | Mutation::Set(_, j) | Mutation::RemoveItems(_, j) => vec![j],
                _ => vec![],
            };
            for j in jsons {
                let text = NAMES.expand(j);
                assert!(
                    serde_json::from_str::<Value>(&text).is_ok(),
                    "{}: {text}",
                    f.name
                );
            }
        }
        assert_eq!(fault("no-such-fault"), None);
    }

    fn publication(kind: Kind, data: Value) -> Publication {
        Publication {
            owner: 0,
            topic: "/v2/me/chats".into(),
            kind: Some(kind),
            data,
        }
    }

    fn accept_outcome() -> OperationOutcome {
        OperationOutcome::performed(
            "Accept",
            json!({"statusCode": 0}),
            vec![
                publication(
                    Kind::StatusChange,
                    json!({"chat": {"state": "Chatting", "capabilities": ["Leave", "SendMessage"], "uri": "u"}}),
                ),
                publication(
                    Kind::ParticipantsUpdated,
                    json!({"chat": {"participants": [{"participantId": "P"}], "capabilities": ["SendMessage"]}}),
                ),
                publication(
                    Kind::NewMessages,
                    json!({"chatUri": "u", "messages": [{"type": "ParticipantJoined", "timestamp": "t"}, {"type": "Text", "timestamp": "t"}]}),
                ),
            ],
        )
    }

    fn applied(name: &str, mut outcome: OperationOutcome) -> OperationOutcome {
        apply(fault(name).unwrap(), &mut outcome, &NAMES);
        outcome
    }

    #[test]
    fn mutations_edit_what_they_say_and_nothing_else() {
        let o = applied("accept-wrong-state", accept_outcome());
        assert_eq!(o.publications[0].data["chat"]["state"], "Processing");
        assert_eq!(o.publications[1..], accept_outcome().publications[1..]);

        let o = applied("accept-capabilities-incomplete", accept_outcome());
        assert_eq!(
            o.publications[0].data["chat"]["capabilities"],
            json!(["Leave"])
        );
        assert_eq!(o.publications[1].data["chat"]["capabilities"], json!([]));

        let o = applied("history-without-customer-text", accept_outcome());
        assert_eq!(
            o.publications[2].data["messages"].as_array().unwrap().len(),
            1
        );

        let o = applied("timestamp-not-a-string", accept_outcome());
        assert!(
            o.publications[2].data["messages"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["timestamp"] == 1_445_346_881_000_u64)
        );

        let o = applied("wrong-interaction-id-in-uri", accept_outcome());
        let foreign = json!("http://h:1/api/v2/chats/0000FOREIGNID000");
        assert_eq!(o.publications[0].data["chat"]["uri"], foreign);
        assert_eq!(o.publications[2].data["chatUri"], foreign);

        let o = applied("participant-without-participant-id", accept_outcome());
        assert_eq!(o.publications[1].data["chat"]["participants"][0], json!({}));

        let o = applied("accept-notifications-out-of-order", accept_outcome());
        assert_eq!(o.publications[0].kind, Some(Kind::ParticipantsUpdated));
        assert_eq!(o.publications[1].kind, Some(Kind::StatusChange));

        let o = applied("accept-missing-history", accept_outcome());
        assert_eq!(o.publications.len(), 2);

        let o = applied("status-code-as-string", accept_outcome());
        assert_eq!(o.body, json!({"statusCode": "0"}));

        // Rows of another operation change nothing.
        assert_eq!(
            applied("consult-without-reference-id", accept_outcome()),
            accept_outcome()
        );
        assert_eq!(
            applied("reject-keeps-capabilities", accept_outcome()),
            accept_outcome()
        );
    }

    #[test]
    fn refusal_mutations_answer_zero_only_for_their_refusal() {
        let refused = |refusal, code| {
            OperationOutcome::refused(
                "Accept",
                refusal,
                crate::error::ApiError::invalid_state(format!("code {code}")),
            )
        };
        let o = applied("accept-twice-accepted", refused(Refusal::WrongState, 2));
        assert_eq!((o.http, o.body), (200, json!({"statusCode": 0})));
        let o = applied(
            "accept-twice-accepted",
            refused(Refusal::MissingParameter, 1),
        );
        assert_eq!(o.body["statusCode"], 2);
        let o = applied("error-without-status-message", refused(Refusal::Other, 2));
        assert_eq!(o.body, json!({"statusCode": 2}));
        let o = applied("error-without-status-message", accept_outcome());
        assert_eq!(o, accept_outcome());
    }

    #[test]
    fn behaviour_mutations_are_deviations_of_their_operation_only() {
        let row = fault("leave-completes-when-alone").unwrap();
        assert_eq!(row.deviation("Leave").ends_in, Some(State::Completed));
        assert_eq!(row.deviation("Complete"), Deviation::default());
        let row = fault("reject-in-wrong-state-accepted").unwrap();
        assert!(row.deviation("Reject").any_state);
        assert!(!row.deviation("Accept").any_state);
        assert!(
            fault("unknown-interaction-accepted")
                .unwrap()
                .applies_to("")
        );
    }
}
