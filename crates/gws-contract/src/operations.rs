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
    /// A JSON object (`userData`: key → string or number).
    Object,
    /// A JSON array of strings (`keys`).
    StringArray,
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
    /// `PropertiesUpdated`: the interaction's properties (`userData`, `comment`) changed.
    PropertiesUpdated,
}

impl Kind {
    /// The `notificationType` value.
    pub fn notification_type(self) -> &'static str {
        match self {
            Kind::StatusChange => "StatusChange",
            Kind::ParticipantsUpdated => "ParticipantsUpdated",
            Kind::NewMessages => "NewMessages",
            Kind::PropertiesUpdated => "PropertiesUpdated",
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

/// What a `PropertiesUpdated` notification's resource must show after the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    /// `userData` holds every key and value of the request's object parameter of that name
    /// (AttachUserData, UpdateUserData).
    UserDataIncludes(&'static str),
    /// `userData` holds none of the keys listed by the request's array parameter of that name
    /// (DeleteUserData).
    UserDataLacks(&'static str),
    /// `userData[key]` carries the request's `value` parameter, where `key` is the request's
    /// `key_param` or, without it, `default_key` (SetDisposition: `disposition` under
    /// `dispositionKey`, else `DispositionCode` as the samples show).
    UserDataEntry {
        /// The parameter naming the key.
        key_param: &'static str,
        /// The key when the request names none.
        default_key: &'static str,
        /// The parameter carrying the value.
        value_param: &'static str,
    },
    /// The resource field carries the request parameter of the same name (AddComment's
    /// `comment`).
    Field(&'static str),
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
    /// For `ParticipantsUpdated`: who must no longer be listed (RemoveParticipantFromConference).
    pub absent: &'static [Who],
    /// For `NewMessages`: the transcript entry it must carry.
    pub message: Option<Transcript>,
    /// For `PropertiesUpdated`: what the resource must show.
    pub property: Option<Property>,
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

/// Whether an operation's response carries `referenceId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceId {
    /// No sample shows one: the suite does not require it.
    No,
    /// Every page's response sample carries one.
    Yes,
    /// Only these media's response samples carry one (Transfer: the Facebook page's, not the
    /// chat page's).
    On(&'static [Media]),
}

impl ReferenceId {
    /// Whether the response on `media` must carry `referenceId`.
    pub fn required_on(self, media: Media) -> bool {
        match self {
            ReferenceId::No => false,
            ReferenceId::Yes => true,
            ReferenceId::On(m) => m.contains(&media),
        }
    }
}

/// What an operation does beyond the table, implemented in code by the server and the runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideEffect {
    /// Nothing beyond the table.
    None,
    /// A second agent, named by the request's target, joins (Consult: visible to agents only;
    /// Invite: visible to all, a conference). The visibility is the one the row's
    /// `ParticipantsUpdated` requires for [`Who::OtherAgent`] (none required: `All`). Valid only
    /// while no second agent is in the interaction.
    SecondAgentJoins,
    /// The second agent named by the request's target is removed
    /// (RemoveParticipantFromConference). Valid only while a second agent is in the interaction.
    OtherAgentLeaves,
    /// The interaction is handed over to the agent or queue the request names (Transfer); the
    /// agent under test is no longer in it.
    HandOver,
}

impl SideEffect {
    /// Whether a second agent is in the interaction after the operation, `before` telling
    /// whether one was before.
    pub fn conference_after(self, before: bool) -> bool {
        match self {
            SideEffect::SecondAgentJoins => true,
            SideEffect::OtherAgentLeaves => false,
            SideEffect::None | SideEffect::HandOver => before,
        }
    }
}

/// One documented operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// `operationName` as the page's title and the capability name spell it.
    pub name: &'static str,
    /// The `operationName` the page's parameter table and sample send, when it differs from
    /// `name` (one of `spellings`); the runner sends it.
    pub wire: Option<&'static str>,
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
    pub reference_id: ReferenceId,
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

    /// The `operationName` a request carries: [`Operation::wire`], else the name.
    pub fn request_name(&self) -> &'static str {
        self.wire.unwrap_or(self.name)
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
const FACEBOOK: &[Media] = &[Media::FacebookSession];
const FACEBOOK_SMS: &[Media] = &[Media::FacebookSession, Media::SmsSession];
const SMS: &[Media] = &[Media::SmsSession];
const ALL_MEDIA: &[Media] = &[];

const TEXT_PARAMS_DOC: &str =
    "optional text sent to the customer; messageType and treatAs only with text";

/// The notification after an operation that only changes the state.
const STATUS_CHANGE: Expected = Expected {
    kind: Kind::StatusChange,
    carries_state: true,
    participants: &[],
    absent: &[],
    message: None,
    property: None,
};

/// A `NewMessages` carrying a transcript entry of `kind` from the agent, with `visibility`
/// and the request's values in `echoes`.
const fn entry(
    kind: &'static str,
    visibility: &'static str,
    echoes: &'static [(&'static str, Source)],
) -> Expected {
    Expected {
        kind: Kind::NewMessages,
        carries_state: false,
        participants: &[],
        absent: &[],
        message: Some(Transcript {
            kind,
            from: Who::Agent,
            visibility,
            echoes,
        }),
        property: None,
    }
}

/// A `PropertiesUpdated` whose resource shows `property`.
const fn properties(property: Property) -> Expected {
    Expected {
        kind: Kind::PropertiesUpdated,
        carries_state: false,
        participants: &[],
        absent: &[],
        message: None,
        property: Some(property),
    }
}

/// The negative cases of an operation without a mandatory parameter: performed while offered
/// (statusCode 2) and on an unknown interaction (statusCode 6), both inferred.
const NOT_WHILE_OFFERED: &[(Case, bool)] =
    &[(Case::InState(State::Invited), true), (Case::Unknown, true)];

/// A typing operation (to the customer or to the agents): no parameter, valid while Chatting,
/// one transcript entry from the agent (`notifications`). `wire`: the page's own spelling, when
/// it differs from the title's; `spellings`: the other documented spellings.
const fn typing(
    name: &'static str,
    wire: Option<&'static str>,
    spellings: &'static [&'static str],
    pages: &'static [(Media, &'static str)],
    notifications: &'static [Expected],
) -> Operation {
    Operation {
        name,
        wire,
        spellings,
        pages,
        params: &[],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications,
        reference_id: ReferenceId::No,
        negatives: NOT_WHILE_OFFERED,
        side_effect: SideEffect::None,
    }
}

/// The typing notifications: the entry's `type` and `visibility`.
const TYPING_STARTED_ALL: &[Expected] = &[entry("TypingStarted", "All", &[])];
const TYPING_STOPPED_ALL: &[Expected] = &[entry("TypingStopped", "All", &[])];
const TYPING_STARTED_AGENTS: &[Expected] = &[entry("TypingStarted", "Agents", &[])];
const TYPING_STOPPED_AGENTS: &[Expected] = &[entry("TypingStopped", "Agents", &[])];

/// `noticeText`, mandatory, of the custom-notice operations.
const NOTICE_TEXT: Param = Param {
    name: "noticeText",
    ty: ParamType::String,
    need: Need::Mandatory,
    media: ALL_MEDIA,
    doc: "the notice text",
};

/// `userData`, mandatory, of AttachUserData and UpdateUserData.
const USER_DATA: Param = Param {
    name: "userData",
    ty: ParamType::Object,
    need: Need::Mandatory,
    media: ALL_MEDIA,
    doc: "the user data: key → string or number",
};

/// The operation table.
pub static OPERATIONS: &[Operation] = &[
    Operation {
        name: "Accept",
        wire: None,
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
                absent: &[],
                message: None,
                property: None,
            },
            Expected {
                kind: Kind::NewMessages,
                carries_state: false,
                participants: &[],
                absent: &[],
                message: Some(Transcript {
                    kind: "Text",
                    from: Who::Customer,
                    visibility: "All",
                    echoes: &[("text", Source::OfferText)],
                }),
                property: None,
            },
        ],
        reference_id: ReferenceId::No,
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
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatConsult"),
            (Media::FacebookSession, "FacebookPMConsult"),
            (Media::SmsSession, "SMSConsult"),
        ],
        // ChatConsult lists targetUri only ("contact URI, where contact is either an agent or
        // multimedia queue"); the Facebook and SMS pages list targetUri or targetPath.
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
                media: FACEBOOK_SMS,
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
                absent: &[],
                message: None,
                property: None,
            },
            Expected {
                kind: Kind::NewMessages,
                carries_state: false,
                participants: &[],
                absent: &[],
                message: Some(Transcript {
                    kind: "ParticipantJoined",
                    from: Who::OtherAgent,
                    visibility: "Agents",
                    echoes: &[],
                }),
                property: None,
            },
        ],
        reference_id: ReferenceId::Yes,
        negatives: &[(Case::Missing("target"), true)],
        side_effect: SideEffect::SecondAgentJoins,
    },
    Operation {
        name: "Invite",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatInviteUser"),
            (Media::SmsSession, "SMSInvite"),
        ],
        // The SMSInvite sample sends `userUri`, which its own table does not list: a
        // documentation error (fixtures/ERRATA.md), not a parameter.
        params: &[
            Param {
                name: "targetUri",
                ty: ParamType::Uri,
                need: Need::OneOf("target"),
                media: ALL_MEDIA,
                doc: "the URI of the agent to invite; mandatory if targetPath is not specified",
            },
            Param {
                name: "targetPath",
                ty: ParamType::Path,
                need: Need::OneOf("target"),
                media: SMS,
                doc: "the path of the agent to invite; mandatory if targetUri is not specified",
            },
        ],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        // "The customer will be aware of the presence of all agents in the conference": the
        // invited agent's ParticipantJoined is visible to all (ChatInviteUser, second
        // notification: from BFriend, visibility All; its type is cut off).
        notifications: &[
            Expected {
                kind: Kind::ParticipantsUpdated,
                carries_state: false,
                participants: &[(Who::OtherAgent, None)],
                absent: &[],
                message: None,
                property: None,
            },
            Expected {
                kind: Kind::NewMessages,
                carries_state: false,
                participants: &[],
                absent: &[],
                message: Some(Transcript {
                    kind: "ParticipantJoined",
                    from: Who::OtherAgent,
                    visibility: "All",
                    echoes: &[],
                }),
                property: None,
            },
        ],
        reference_id: ReferenceId::Yes,
        negatives: &[
            (Case::Missing("target"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::SecondAgentJoins,
    },
    Operation {
        name: "RemoveParticipantFromConference",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatRemoveParticipantFromConference"),
            (Media::FacebookSession, "FacebookPMRemovePart"),
            (Media::SmsSession, "SMSRemoveParticipantFromConference"),
        ],
        params: &[
            Param {
                name: "targetUri",
                ty: ParamType::Uri,
                need: Need::OneOf("target"),
                media: ALL_MEDIA,
                doc: "the URI of the agent to remove; mandatory if targetPath is not specified",
            },
            Param {
                name: "targetPath",
                ty: ParamType::Path,
                need: Need::OneOf("target"),
                media: CHAT,
                doc: "the path of the agent to remove; mandatory if targetUri is not specified",
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
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        // FacebookPMRemovePart and SMSRemoveParticipantFromConference: first a Notice from the
        // agent, visible to agents (text REMOVE_PARTICIPANT_FROM_CONFERENCE<user id>), then a
        // ParticipantsUpdated (cut short; that the removed agent is no longer listed is what
        // the operation means).
        notifications: &[
            entry("Notice", "Agents", &[]),
            Expected {
                kind: Kind::ParticipantsUpdated,
                carries_state: false,
                participants: &[(Who::Agent, None), (Who::Customer, None)],
                absent: &[Who::OtherAgent],
                message: None,
                property: None,
            },
        ],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("target"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::OtherAgentLeaves,
    },
    Operation {
        name: "Transfer",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSingleStepTransfer"),
            (Media::FacebookSession, "FacebookPMTransfer"),
        ],
        // ChatSingleStepTransfer: "targetUri or queueName"; FacebookPMTransfer (2015 draft):
        // targetPath, "the userPath or queuePath" (its agent sample sends the path as
        // `targetUri`: a documentation error, fixtures/ERRATA.md).
        params: &[
            Param {
                name: "targetUri",
                ty: ParamType::Uri,
                need: Need::OneOf("target"),
                media: CHAT,
                doc: "the URI of the agent to transfer to; mandatory if queueName is not specified",
            },
            Param {
                name: "queueName",
                ty: ParamType::String,
                need: Need::OneOf("target"),
                media: CHAT,
                doc: "the queue to transfer to; mandatory if targetUri is not specified",
            },
            Param {
                name: "targetPath",
                ty: ParamType::Path,
                need: Need::OneOf("target"),
                media: FACEBOOK,
                doc: "the path of the agent or queue to transfer to",
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
        // Transfer is a capability after Accept and in LeftChat (ChatLeave sample).
        valid_in: &[State::Chatting, State::LeftChat],
        // Every page's notification section is empty or "Missing": that the interaction is
        // Completed for the agent who handed it over is inferred (its scenarios are @inferred).
        leads: Leads::To(State::Completed),
        notifications: &[STATUS_CHANGE],
        reference_id: ReferenceId::On(FACEBOOK),
        negatives: &[
            (Case::Missing("target"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::HandOver,
    },
    Operation {
        name: "Reject",
        wire: None,
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
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::InState(State::Chatting), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "Complete",
        wire: None,
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
        reference_id: ReferenceId::No,
        negatives: NOT_WHILE_OFFERED,
        side_effect: SideEffect::None,
    },
    Operation {
        name: "Leave",
        wire: None,
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
        reference_id: ReferenceId::No,
        negatives: NOT_WHILE_OFFERED,
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SendMessage",
        wire: None,
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
            absent: &[],
            message: Some(Transcript {
                kind: "Text",
                from: Who::Agent,
                visibility: "All",
                echoes: &[("text", Source::Param("text"))],
            }),
            property: None,
        }],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("text"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    typing(
        "SendStartTypingNotification",
        None,
        &[],
        &[
            (Media::Chat, "ChatSendStartTypingNotification"),
            (Media::SmsSession, "SMSSendStartType"),
        ],
        TYPING_STARTED_ALL,
    ),
    typing(
        "SendStopTypingNotification",
        None,
        &[],
        &[
            (Media::Chat, "ChatSendStopTypingNotification"),
            (Media::SmsSession, "SMSSendStopType"),
        ],
        TYPING_STOPPED_ALL,
    ),
    typing(
        "SendStartTypingToAgentsNotification",
        None,
        &[],
        &[
            (Media::Chat, "ChatSendStartTypingToAgentsNotification"),
            (Media::SmsSession, "SMSSendStartTypingToAgentsNotification"),
        ],
        TYPING_STARTED_AGENTS,
    ),
    // The pages' parameter tables and samples say SendStopTypingToAgentNotification; their
    // titles and the capability say SendStopTypingToAgentsNotification.
    typing(
        "SendStopTypingToAgentsNotification",
        Some("SendStopTypingToAgentNotification"),
        &["SendStopTypingToAgentNotification"],
        &[
            (Media::Chat, "ChatSendStopTypingToAgentsNotification"),
            (Media::SmsSession, "SMSSendStopTypingToAgentsNotification"),
        ],
        TYPING_STOPPED_AGENTS,
    ),
    Operation {
        name: "SendUrl",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSendURL"),
            (Media::FacebookSession, "FacebookPMSendUrl"),
            (Media::SmsSession, "SMSSendUrl"),
        ],
        params: &[Param {
            name: "url",
            ty: ParamType::String,
            need: Need::Mandatory,
            media: ALL_MEDIA,
            doc: "the URL pushed to the customer",
        }],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[entry("PushUrl", "All", &[("url", Source::Param("url"))])],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("url"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SendToAgents",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSendToAgents"),
            (Media::FacebookSession, "FacebookPMSendToAgents"),
            (Media::SmsSession, "SMSSendToAgents"),
        ],
        params: &[
            Param {
                name: "text",
                ty: ParamType::String,
                need: Need::Mandatory,
                media: ALL_MEDIA,
                doc: "the text sent to the other agents only",
            },
            Param {
                name: "messageType",
                ty: ParamType::String,
                need: Need::Optional,
                media: CHAT,
                doc: "the message type",
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
        notifications: &[entry("Text", "Agents", &[("text", Source::Param("text"))])],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("text"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SendCustomNotice",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSendCustomNotice"),
            (Media::SmsSession, "SMSSendCustomNotice"),
        ],
        params: &[NOTICE_TEXT],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[entry(
            "CustomNotice",
            "All",
            &[("noticeText", Source::Param("noticeText"))],
        )],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("noticeText"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SendCustomNoticeToAgents",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSendCustomNoticeToAgents"),
            (Media::SmsSession, "SMSSendCustomNoticeToAgents"),
        ],
        params: &[NOTICE_TEXT],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[entry(
            "CustomNotice",
            "Agents",
            &[("noticeText", Source::Param("noticeText"))],
        )],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("noticeText"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "SetDisposition",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatSetDisposition"),
            (Media::FacebookSession, "FacebookPMSetDisposition"),
            (Media::SmsSession, "SMSSetDisposition"),
        ],
        params: &[
            Param {
                name: "disposition",
                ty: ParamType::String,
                need: Need::Mandatory,
                media: ALL_MEDIA,
                doc: "the disposition code",
            },
            Param {
                name: "dispositionKey",
                ty: ParamType::String,
                need: Need::Optional,
                media: ALL_MEDIA,
                doc: "the user data key the disposition is stored under",
            },
        ],
        // ChatLeave: after Leave the agent can still "update user data and set disposition".
        valid_in: &[State::Chatting, State::LeftChat],
        leads: Leads::Same,
        notifications: &[properties(Property::UserDataEntry {
            key_param: "dispositionKey",
            default_key: "DispositionCode",
            value_param: "disposition",
        })],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("disposition"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "AddComment",
        wire: None,
        spellings: &[],
        pages: &[(Media::FacebookSession, "FacebookPMAddComment")],
        params: &[Param {
            name: "comment",
            ty: ParamType::String,
            need: Need::Mandatory,
            media: ALL_MEDIA,
            doc: "the comment stored with the Facebook session",
        }],
        valid_in: &[State::Chatting],
        leads: Leads::Same,
        notifications: &[properties(Property::Field("comment"))],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("comment"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "AttachUserData",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatAttachUserData"),
            (Media::FacebookSession, "FacebookPMAttachUserData"),
            (Media::SmsSession, "SMSAttachUserData"),
        ],
        params: &[USER_DATA],
        valid_in: &[State::Chatting, State::LeftChat],
        leads: Leads::Same,
        notifications: &[properties(Property::UserDataIncludes("userData"))],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("userData"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "UpdateUserData",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatUpdateUserData"),
            (Media::FacebookSession, "FacebookPMUpdateUserData"),
            (Media::SmsSession, "SMSUpdateUserData"),
        ],
        params: &[USER_DATA],
        valid_in: &[State::Chatting, State::LeftChat],
        leads: Leads::Same,
        notifications: &[properties(Property::UserDataIncludes("userData"))],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("userData"), true),
            (Case::InState(State::Invited), true),
            (Case::Unknown, true),
        ],
        side_effect: SideEffect::None,
    },
    Operation {
        name: "DeleteUserData",
        wire: None,
        spellings: &[],
        pages: &[
            (Media::Chat, "ChatDeleteUserData"),
            (Media::FacebookSession, "FacebookPMDeleteUserData"),
            (Media::SmsSession, "SMSDeleteUserData"),
        ],
        params: &[Param {
            name: "keys",
            ty: ParamType::StringArray,
            need: Need::Mandatory,
            media: ALL_MEDIA,
            doc: "the user data keys to delete",
        }],
        valid_in: &[State::Chatting, State::LeftChat],
        leads: Leads::Same,
        notifications: &[properties(Property::UserDataLacks("keys"))],
        reference_id: ReferenceId::No,
        negatives: &[
            (Case::Missing("keys"), true),
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
