//! The operation table: one [`Operation`] per documented agent operation, holding what its
//! documentation pages say — pages per media, `operationName` and its documented spellings,
//! parameters, the states it is valid in and the state it leads to, the notifications that
//! follow in documented order, whether the response carries `referenceId`, and the negative
//! cases. The runner's steps, the request schemas ([`crate::generated_schemas`]), the reference
//! server and its fault catalog all read this table; adding an operation without side effects
//! of its own is one row here, its fixtures and a feature file.
//!
//! Values a documented sample shows (e.g. the capabilities after an operation) are not typed
//! here: [`capabilities_after`] derives them from the fixtures.
//!
//! Rules that rest on an inference rather than a sample carry `inferred: true`; their scenarios
//! are tagged `@inferred`.

use std::{collections::BTreeMap, sync::LazyLock};

use serde_json::Value;

use crate::names::Media;

/// An interaction state (the state machine the operation pages describe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// Offered to the agent, not yet accepted (the provider state's offer).
    Invited,
    /// Accepted: the agent works on it.
    Chatting,
    /// The agent left while alone: the session ended for the customer; the agent may still
    /// complete it (ChatLeave page).
    LeftChat,
    /// Done: no capabilities any more (ChatReject, ChatComplete pages).
    Completed,
}

impl State {
    /// Every state.
    pub const ALL: [State; 4] = [
        State::Invited,
        State::Chatting,
        State::LeftChat,
        State::Completed,
    ];

    /// The documented state name.
    pub fn name(self) -> &'static str {
        match self {
            State::Invited => "Invited",
            State::Chatting => "Chatting",
            State::LeftChat => "LeftChat",
            State::Completed => "Completed",
        }
    }

    /// The state named `name`.
    pub fn from_name(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The JSON type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// A string.
    String,
    /// `true` or `false` (the JSON booleans or those two strings).
    Boolean,
    /// A resource URI, e.g. `http://host/api/v2/users/{id}`.
    Uri,
    /// A resource path, e.g. `/users/{id}`.
    Path,
}

/// Whether a parameter must be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Mandatory: without it the operation fails with statusCode 1.
    Mandatory,
    /// Optional.
    Optional,
    /// One parameter of this group is mandatory ("targetUri: mandatory if targetPath is not
    /// specified").
    OneOf(&'static str),
    /// Optional, and only together with the named parameter ("must be provided together with
    /// the text parameter").
    With(&'static str),
}

/// One request parameter besides `operationName`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Its JSON type.
    pub ty: ParamType,
    /// Whether it must be sent.
    pub need: Need,
    /// The media whose pages list it; empty: every media of the operation.
    pub media: &'static [Media],
    /// What the page says it is.
    pub doc: &'static str,
}

impl Param {
    /// Whether the page of `media` lists it.
    pub fn applies_to(&self, media: Media) -> bool {
        self.media.is_empty() || self.media.contains(&media)
    }
}

/// The kind of a notification: its `notificationType` (the messageType family follows:
/// `NewMessages` is a `MessageLogUpdated`, the others are the media's state-change message).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `StatusChange`: the interaction's state changed.
    StatusChange,
    /// `ParticipantsUpdated`: the participants list changed.
    ParticipantsUpdated,
    /// `NewMessages` of a `MessageLogUpdated`: transcript entries.
    NewMessages,
}

impl Kind {
    /// The `notificationType` value.
    pub fn notification_type(self) -> &'static str {
        match self {
            Kind::StatusChange => "StatusChange",
            Kind::ParticipantsUpdated => "ParticipantsUpdated",
            Kind::NewMessages => "NewMessages",
        }
    }

    /// Whether it is a `MessageLogUpdated` (else a state-change message).
    pub fn is_message_log(self) -> bool {
        self == Kind::NewMessages
    }
}

/// Who a participant or a transcript message's `from` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The agent under test, under the nickname it accepted with.
    Agent,
    /// The customer of the offer, under the offer's nickname.
    Customer,
    /// The second agent the operation brought in (Consult, Invite).
    OtherAgent,
}

/// Where a value the notification must carry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The request parameter of that name.
    Param(&'static str),
    /// The customer's first message of the offer.
    OfferText,
}

/// A transcript entry a `NewMessages` notification must carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transcript {
    /// Its `type`: `Text`, `ParticipantJoined`, ...
    pub kind: &'static str,
    /// Whose it is (`from`).
    pub from: Who,
    /// Its `visibility`: `All` or `Agents`.
    pub visibility: &'static str,
    /// Message fields that carry a value of the request or the offer: `(field, source)`.
    pub echoes: &'static [(&'static str, Source)],
}

/// One notification the documentation lists after an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// Its kind.
    pub kind: Kind,
    /// For `StatusChange`: the state it must carry is the state the operation leads to.
    pub carries_state: bool,
    /// For `ParticipantsUpdated`: who must be listed, with the visibility required (`None`: any).
    pub participants: &'static [(Who, Option<&'static str>)],
    /// For `NewMessages`: the transcript entry it must carry.
    pub message: Option<Transcript>,
}

/// What happens to the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leads {
    /// The state does not change.
    Same,
    /// The interaction goes to this state.
    To(State),
    /// Leave: alone → `LeftChat`; in a conference or consultation → `Completed` (ChatLeave page).
    Leave,
}

/// A case the operation must refuse, with the statusCode the Return Values page gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// The mandatory parameter (or every parameter of the one-of group) left out: statusCode 1.
    Missing(&'static str),
    /// Performed in a state it is not valid in: statusCode 2.
    InState(State),
    /// On an interaction id that does not exist: statusCode 6.
    Unknown,
    /// The parameter set to a value outside its range: statusCode 10.
    Invalid(&'static str, &'static str),
}

impl Case {
    /// The statusCode the Return Values page documents for the case.
    pub fn status_code(self) -> i64 {
        match self {
            Case::Missing(_) => 1,
            Case::InState(_) => 2,
            Case::Unknown => 6,
            Case::Invalid(..) => 10,
        }
    }
}

/// What an operation does beyond the table, implemented in code by the server and the runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideEffect {
    /// Nothing beyond the table.
    None,
    /// A second agent joins (Consult): its participant and `ParticipantJoined` are visible to
    /// agents only.
    SecondAgentJoins,
}

/// One documented operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// `operationName` as the page's title and the capability name spell it.
    pub name: &'static str,
    /// Other documented spellings of `operationName` (accepted and reported; `--strict`
    /// requires `name`).
    pub spellings: &'static [&'static str],
    /// The documentation page of each media the operation is documented for (page tags of
    /// [`crate::pages::PAGES`]).
    pub pages: &'static [(Media, &'static str)],
    /// Parameters besides `operationName`.
    pub params: &'static [Param],
    /// States the operation is valid in.
    pub valid_in: &'static [State],
    /// The state it leads to.
    pub leads: Leads,
    /// The notifications that follow, in documented order.
    pub notifications: &'static [Expected],
    /// Whether the response carries `referenceId`.
    pub reference_id: bool,
    /// Cases it must refuse; `inferred` when no sample shows the refusal.
    pub negatives: &'static [(Case, bool)],
    /// What code must do beyond the table.
    pub side_effect: SideEffect,
}

impl Operation {
    /// The lower-case name: the scenario tag (`@reject`), the fixture directory and the
    /// request schema's prefix (`reject-request`).
    pub fn tag(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    /// Its request schema: `<tag>-request`.
    pub fn request_schema(&self) -> String {
        format!("{}-request", self.tag())
    }

    /// The page tag for `media`, when the operation is documented for it.
    pub fn page(&self, media: Media) -> Option<&'static str> {
        self.pages
            .iter()
            .find(|(m, _)| *m == media)
            .map(|(_, p)| *p)
    }

    /// Whether `name` is a documented spelling of this operation's `operationName`.
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.spellings.contains(&name)
    }

    /// The parameter `name`, if the operation has one.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The state the operation leads to from `from`, `in_conference` telling whether a second
    /// agent is in the interaction.
    pub fn next_state(&self, from: State, in_conference: bool) -> State {
        match self.leads {
            Leads::Same => from,
            Leads::To(s) => s,
            Leads::Leave if in_conference => State::Completed,
            Leads::Leave => State::LeftChat,
        }
    }

    /// Whether the operation is valid in `state`.
    pub fn valid_in(&self, state: State) -> bool {
        self.valid_in.contains(&state)
    }
}

const CHAT: &[Media] = &[Media::Chat];
const CHAT_SMS: &[Media] = &[Media::Chat, Media::SmsSession];
const ALL_MEDIA: &[Media] = &[];

const TEXT_PARAMS_DOC: &str =
    "optional text sent to the customer; messageType and treatAs only with text";

/// The notification after an operation that only changes the state.
const STATUS_CHANGE: Expected = Expected {
    kind: Kind::StatusChange,
    carries_state: true,
    participants: &[],
    message: None,
};

/// The operation table.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        name: "Accept",
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatAccept"),
            (Media::FacebookSession, "FacebookPMAccept"),
            (Media::SmsSession, "SMSAccept"),
        ],
        params: &[
            Param {
                name: "nickname",
                ty: ParamType::String,
                need: Need::Mandatory,
                media: ALL_MEDIA,
                doc: "the agent's nickname shown in the chat",
            },
            Param {
                name: "saveLAR",
                ty: ParamType::Boolean,
                need: Need::Optional,
                media: ALL_MEDIA,
                doc: "true or false: store the agent for last agent routing",
            },
        ],
        valid_in: &[State::Invited],
        leads: Leads::To(State::Chatting),
        notifications: &[
            STATUS_CHANGE,
            Expected {
                kind: Kind::ParticipantsUpdated,
                carries_state: false,
                participants: &[(Who::Agent, None), (Who::Customer, None)],
                message: None,
            },
            Expected {
                kind: Kind::NewMessages,
                carries_state: false,
                participants: &[],
                message: Some(Transcript {
                    kind: "Text",
                    from: Who::Customer,
                    visibility: "All",
                    echoes: &[("text", Source::OfferText)],
                }),
            },
        ],
        reference_id: false,
        negatives: &[
            (Case::Missing("nickname"), true),
            (Case::Unknown, true),
            (Case::InState(State::Chatting), true),
            (Case::Invalid("saveLAR", "sometimes"), true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "Consult",
        spellings: &[],
        pages: &[(Media::FacebookSession, "FacebookPMConsult")],
        params: &[
            Param {
                name: "targetUri",
                ty: ParamType::Uri,
                need: Need::OneOf("target"),
                media: ALL_MEDIA,
                doc: "the URI of the agent to consult; mandatory if targetPath is not specified",
            },
            Param {
                name: "targetPath",
                ty: ParamType::Path,
                need: Need::OneOf("target"),
                media: ALL_MEDIA,
                doc: "the path of the agent to consult; mandatory if targetUri is not specified",
            },
        ],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[
            Expected {
                kind: Kind::ParticipantsUpdated,
                carries_state: false,
                participants: &[(Who::OtherAgent, Some("Agents"))],
                message: None,
            },
            Expected {
                kind: Kind::NewMessages,
                carries_state: false,
                participants: &[],
                message: Some(Transcript {
                    kind: "ParticipantJoined",
                    from: Who::OtherAgent,
                    visibility: "Agents",
                    echoes: &[],
                }),
            },
        ],
        reference_id: true,
        negatives: &[(Case::Missing("target"), true)],
        side_effect: SideEffect::SecondAgentJoins,
    },
    Operation {
        name: "Reject",
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatReject"),
            (Media::FacebookSession, "FacebookPMReject"),
            (Media::SmsSession, "SMSReject"),
        ],
        params: &[],
        valid_in: &[State::Invited],
        leads: Leads::To(State::Completed),
        notifications: &[STATUS_CHANGE],
        reference_id: false,
        negatives: &[
            (Case::InState(State::Chatting), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "Complete",
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatComplete"),
            (Media::FacebookSession, "FacebookPMComplete"),
            (Media::SmsSession, "SMSComplete"),
        ],
        params: &[
            Param {
                name: "queueName",
                ty: ParamType::String,
                need: Need::Optional,
                media: ALL_MEDIA,
                doc: "the queue where the interaction is placed",
            },
            Param {
                name: "saveLAR",
                ty: ParamType::Boolean,
                need: Need::Optional,
                media: CHAT_SMS,
                doc: "true or false: store the agent for last agent routing",
            },
            Param {
                name: "text",
                ty: ParamType::String,
                need: Need::Optional,
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
            Param {
                name: "messageType",
                ty: ParamType::String,
                need: Need::With("text"),
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
            Param {
                name: "treatAs",
                ty: ParamType::String,
                need: Need::With("text"),
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
        ],
        valid_in: &[State::Chatting, State::LeftChat],
        leads: Leads::To(State::Completed),
        notifications: &[STATUS_CHANGE],
        reference_id: false,
        negatives: &[(Case::InState(State::Invited), true), (Case::Unknown, true)],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "Leave",
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatLeave"),
            (Media::FacebookSession, "FacebookPMLeave"),
            (Media::SmsSession, "SMSLeave"),
        ],
        params: &[
            Param {
                name: "text",
                ty: ParamType::String,
                need: Need::Optional,
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
            Param {
                name: "messageType",
                ty: ParamType::String,
                need: Need::With("text"),
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
            Param {
                name: "treatAs",
                ty: ParamType::String,
                need: Need::With("text"),
                media: CHAT,
                doc: TEXT_PARAMS_DOC,
            },
        ],
        valid_in: &[State::Chatting],
        leads: Leads::Leave,
        notifications: &[STATUS_CHANGE],
        reference_id: false,
        negatives: &[(Case::InState(State::Invited), true), (Case::Unknown, true)],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SendMessage",
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSend"),
            (Media::FacebookSession, "FacebookPMSendMessage"),
            (Media::SmsSession, "SMSSendMessage"),
        ],
        params: &[
            Param {
                name: "text",
                ty: ParamType::String,
                need: Need::Mandatory,
                media: ALL_MEDIA,
                doc: "the text sent to the other participants",
            },
            Param {
                name: "messageType",
                ty: ParamType::String,
                need: Need::Optional,
                media: CHAT,
                doc: "the message type, echoed only with the includeMessageType option",
            },
            Param {
                name: "treatAs",
                ty: ParamType::String,
                need: Need::Optional,
                media: CHAT,
                doc: "Normal or System",
            },
        ],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[Expected {
            kind: Kind::NewMessages,
            carries_state: false,
            participants: &[],
            message: Some(Transcript {
                kind: "Text",
                from: Who::Agent,
                visibility: "All",
                echoes: &[("text", Source::Param("text"))],
            }),
        }],
        reference_id: false,
        negatives: &[
            (Case::Missing("text"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
];

/// The operation whose `operationName` (any documented spelling) is `name`.
pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.is_named(name))
}

/// The capabilities a documented sample shows after `operation` in `state`: those common to
/// every state-change fixture of that operation whose resource is in `state` and lists
/// capabilities, in the order the first lists them. `None` when no sample shows any: the
/// documentation is silent and no capability rule applies. Derived once from the embedded
/// fixtures, so a rule cannot drift from the samples.
pub fn capabilities_after(operation: &str, state: State) -> Option<&'static [String]> {
    static DERIVED: LazyLock<BTreeMap<(String, State), Vec<String>>> = LazyLock::new(|| {
        let mut lists: BTreeMap<(String, State), Vec<Vec<String>>> = BTreeMap::new();
        for f in crate::fixtures() {
            let Some(obj) = f.value.as_object() else {
                continue;
            };
            let Some((_, key)) = Media::from_resource_key(obj) else {
                continue;
            };
            let resource = &obj[key];
            let Some(state) = resource
                .get("state")
                .and_then(Value::as_str)
                .and_then(State::from_name)
            else {
                continue;
            };
            let Some(caps) = resource.get("capabilities").and_then(Value::as_array) else {
                continue;
            };
            lists
                .entry((f.provenance.operation.clone(), state))
                .or_default()
                .push(
                    caps.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect(),
                );
        }
        lists
            .into_iter()
            .filter_map(|(k, lists)| {
                let (first, rest) = lists.split_first()?;
                let common = first
                    .iter()
                    .filter(|c| rest.iter().all(|l| l.contains(c)))
                    .cloned()
                    .collect();
                Some((k, common))
            })
            .collect()
    });
    DERIVED
        .get(&(operation.to_ascii_lowercase(), state))
        .map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_consistent() {
        for op in OPERATIONS {
            assert!(!op.pages.is_empty(), "{} has no page", op.name);
            for (_, tag) in op.pages {
                assert!(crate::pages::page(tag).is_some(), "{}: page {tag}", op.name);
            }
            for p in op.params {
                if let Need::With(other) = p.need {
                    assert!(op.param(other).is_some(), "{}.{}", op.name, p.name);
                }
            }
            for (case, _) in op.negatives {
                match case {
                    Case::Missing(name) => assert!(
                        op.params
                            .iter()
                            .any(|p| p.name == *name || p.need == Need::OneOf(name)),
                        "{}: missing {name}",
                        op.name
                    ),
                    Case::InState(s) => assert!(!op.valid_in(*s), "{}: {s:?}", op.name),
                    Case::Invalid(name, _) => assert!(op.param(name).is_some()),
                    Case::Unknown => {}
                }
            }
            assert_eq!(operation(op.name).map(|o| o.name), Some(op.name));
        }
    }

    #[test]
    fn accept_capabilities_are_the_seven_every_accept_page_prints() {
        assert_eq!(
            capabilities_after("Accept", State::Chatting).unwrap(),
            [
                "Transfer",
                "Complete",
                "Leave",
                "InFocus",
                "SendMessage",
                "SendStartTypingNotification",
                "SendStopTypingNotification",
            ]
        );
        assert_eq!(capabilities_after("Accept", State::Completed), None);
    }

    #[test]
    fn leave_leads_to_left_chat_alone_and_completed_in_a_conference() {
        let leave = operation("Leave").unwrap();
        assert_eq!(leave.next_state(State::Chatting, false), State::LeftChat);
        assert_eq!(leave.next_state(State::Chatting, true), State::Completed);
        assert_eq!(
            operation("Reject")
                .unwrap()
                .next_state(State::Invited, false),
            State::Completed
        );
    }
}
