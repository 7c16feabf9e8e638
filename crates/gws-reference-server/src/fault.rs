//! The fault catalog (issue 5): each [`Fault`] makes the reference server break exactly ONE
//! documented rule, so the suite's verdicts can be proven. Chosen with `ServerConfig.fault`
//! (`gws-conformance serve --fault NAME`); [`faults`] describes them all for the runner's tests and
//! the generated docs table.
//!
//! Scenario keys used in [`FaultInfo::scenarios`] (the runner maps them to its scenarios):
//! `accept` (the Accept flow of every media: response plus the three notifications),
//! `consult` (the Consult flow of seed 002), `accept-twice` (a second Accept must fail with
//! statusCode 2), `unknown-interaction` (an operation on an unknown id must fail with statusCode 6),
//! `consult-without-target` (Consult with neither targetUri nor targetPath must fail with statusCode 1),
//! `missing-nickname` (Accept without nickname must fail with statusCode 1).

use std::{fmt, str::FromStr};

/// One deliberate deviation from the documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Accept answers `{"status": 0}` instead of `{"statusCode": 0}`.
    StatusInsteadOfStatusCode,
    /// Accept answers `{"statusCode": "0"}` (a string).
    StatusCodeAsString,
    /// A valid Accept answers statusCode 4 (the notifications still follow).
    NonZeroStatusForValidAccept,
    /// Operation errors carry no `statusMessage`.
    ErrorWithoutStatusMessage,
    /// Accept sends no StatusChange notification.
    AcceptMissingStatusChange,
    /// Accept sends no ParticipantsUpdated notification.
    AcceptMissingParticipantsUpdated,
    /// Accept sends no MessageLogUpdated history.
    AcceptMissingHistory,
    /// Accept sends ParticipantsUpdated before StatusChange.
    AcceptNotificationsOutOfOrder,
    /// Accept's notifications go to `/v2/me/interactions` instead of the media's topic.
    AcceptWrongTopic,
    /// Accept's StatusChange says state `Processing` instead of `Chatting`.
    AcceptWrongState,
    /// Accept's StatusChange has `messageType` `InteractionStateChangeMessage`.
    AcceptWrongMessageType,
    /// Accept's StatusChange has `notificationType` `StateChanged`.
    AcceptWrongNotificationType,
    /// Accept's StatusChange has no `capabilities`.
    AcceptCapabilitiesMissing,
    /// Accept's StatusChange and ParticipantsUpdated lack `SendMessage` in `capabilities`.
    AcceptCapabilitiesIncomplete,
    /// The history after Accept lacks the customer's `Text` message.
    HistoryWithoutCustomerText,
    /// ParticipantsUpdated after Accept lists the agent without `participantId`.
    ParticipantWithoutParticipantId,
    /// Accept's notifications carry a `uri` naming another interaction id.
    WrongInteractionIdInUri,
    /// History `timestamp` values are numbers (epoch ms) instead of strings.
    TimestampNotAString,
    /// Consult answers `{"statusCode": 0}` without `referenceId`.
    ConsultWithoutReferenceId,
    /// The consulted agent appears with visibility `All` instead of `Agents`.
    ConsultAgentVisibleToAll,
    /// Consult with neither `targetUri` nor `targetPath` is accepted (consults agent2).
    ConsultWithoutTargetAccepted,
    /// A second Accept of the same interaction answers statusCode 0.
    AcceptTwiceAccepted,
    /// An operation on an unknown interaction id answers statusCode 0.
    UnknownInteractionAccepted,
}

/// A fault described for tests and docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    /// kebab-case name, as given to `--fault`.
    pub name: &'static str,
    /// What the server does wrong.
    pub description: &'static str,
    /// The documented rule it breaks.
    pub rule: &'static str,
    /// Where the rule is documented.
    pub source: &'static str,
    /// Scenario keys (see the module doc) that must fail under this fault.
    pub scenarios: &'static [&'static str],
}

const RETURN_VALUES: &str = "Return Values page (docs.genesys.com/Documentation/GWS/8.5.2/API/ReturnValues), catalog section 8";
const ACCEPT_SEEDS: &str =
    "Accept pages: seeds 000 (Facebook 2015), 001 (chat), 003 (SMS), 004 (Facebook 2019)";
const CONSULT_SEED: &str = "FacebookPMConsult page, seed 002";
const CATALOG_STATES: &str =
    "catalog section 4.2 (capabilities are the authority) and Return Values code 2";

impl Fault {
    /// Every fault, in catalog order.
    pub fn all() -> &'static [Fault] {
        use Fault::*;
        &[
            StatusInsteadOfStatusCode,
            StatusCodeAsString,
            NonZeroStatusForValidAccept,
            ErrorWithoutStatusMessage,
            AcceptMissingStatusChange,
            AcceptMissingParticipantsUpdated,
            AcceptMissingHistory,
            AcceptNotificationsOutOfOrder,
            AcceptWrongTopic,
            AcceptWrongState,
            AcceptWrongMessageType,
            AcceptWrongNotificationType,
            AcceptCapabilitiesMissing,
            AcceptCapabilitiesIncomplete,
            HistoryWithoutCustomerText,
            ParticipantWithoutParticipantId,
            WrongInteractionIdInUri,
            TimestampNotAString,
            ConsultWithoutReferenceId,
            ConsultAgentVisibleToAll,
            ConsultWithoutTargetAccepted,
            AcceptTwiceAccepted,
            UnknownInteractionAccepted,
        ]
    }

    /// The full description.
    pub fn info(self) -> FaultInfo {
        use Fault::*;
        let (name, description, rule, source, scenarios): (_, _, _, _, &'static [&'static str]) =
            match self {
                StatusInsteadOfStatusCode => (
                    "status-instead-of-status-code",
                    "Accept answers {\"status\": 0} instead of {\"statusCode\": 0}",
                    "every response carries the integer attribute statusCode",
                    RETURN_VALUES,
                    &["accept"],
                ),
                StatusCodeAsString => (
                    "status-code-as-string",
                    "Accept answers {\"statusCode\": \"0\"}, a string",
                    "statusCode is an integer",
                    RETURN_VALUES,
                    &["accept"],
                ),
                NonZeroStatusForValidAccept => (
                    "nonzero-status-for-valid-accept",
                    "a valid Accept answers statusCode 4 (the notifications still follow)",
                    "a successful operation answers statusCode 0",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                ErrorWithoutStatusMessage => (
                    "error-without-status-message",
                    "operation errors answer {\"statusCode\": N} without statusMessage",
                    "when statusCode is not 0 the response includes statusMessage",
                    RETURN_VALUES,
                    &[
                        "accept-twice",
                        "unknown-interaction",
                        "missing-nickname",
                        "consult-without-target",
                    ],
                ),
                AcceptMissingStatusChange => (
                    "accept-missing-status-change",
                    "Accept sends no StatusChange (Chatting) notification",
                    "Accept is followed by StatusChange Chatting, ParticipantsUpdated and the history, in that order",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptMissingParticipantsUpdated => (
                    "accept-missing-participants-updated",
                    "Accept sends no ParticipantsUpdated notification",
                    "Accept is followed by StatusChange Chatting, ParticipantsUpdated and the history, in that order",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptMissingHistory => (
                    "accept-missing-history",
                    "Accept sends no MessageLogUpdated history",
                    "Accept is followed by StatusChange Chatting, ParticipantsUpdated and the history, in that order",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptNotificationsOutOfOrder => (
                    "accept-notifications-out-of-order",
                    "Accept sends ParticipantsUpdated before StatusChange",
                    "Accept is followed by StatusChange Chatting, ParticipantsUpdated and the history, in that order",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptWrongTopic => (
                    "accept-wrong-topic",
                    "Accept's notifications are published on /v2/me/interactions instead of the media's topic",
                    "state-change notifications are published on the media's documented topic (/v2/me/chats, /v2/me/facebooksession); the SMS topic /v2/me/smssessions is inferred [INF]",
                    "ChatMessageType and FacebookPMMessageType pages, catalog section 3.1",
                    &["accept"],
                ),
                AcceptWrongState => (
                    "accept-wrong-state",
                    "Accept's StatusChange says state Processing",
                    "after Accept the interaction's state is Chatting",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptWrongMessageType => (
                    "accept-wrong-message-type",
                    "Accept's StatusChange has messageType InteractionStateChangeMessage",
                    "state-change notifications carry the media's messageType (ChatStateChangeMessage, ...)",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptWrongNotificationType => (
                    "accept-wrong-notification-type",
                    "Accept's StatusChange has notificationType StateChanged",
                    "notificationType is one of StatusChange, ParticipantsUpdated, PropertiesUpdated, Error",
                    "ChatMessageType page, catalog section 3.2",
                    &["accept"],
                ),
                AcceptCapabilitiesMissing => (
                    "accept-capabilities-missing",
                    "Accept's StatusChange has no capabilities",
                    "after Accept the resource lists the 7 documented capabilities",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                AcceptCapabilitiesIncomplete => (
                    "accept-capabilities-incomplete",
                    "Accept's notifications list capabilities without SendMessage",
                    "after Accept the resource lists the 7 documented capabilities",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                HistoryWithoutCustomerText => (
                    "history-without-customer-text",
                    "the history after Accept lacks the customer's Text message",
                    "the history up to the point of joining contains the customer's messages",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                ParticipantWithoutParticipantId => (
                    "participant-without-participant-id",
                    "ParticipantsUpdated lists the agent without participantId",
                    "every participant carries participantId",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                WrongInteractionIdInUri => (
                    "wrong-interaction-id-in-uri",
                    "Accept's notifications carry a uri naming another interaction id",
                    "the resource uri ends with the interaction's id",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                TimestampNotAString => (
                    "timestamp-not-a-string",
                    "history timestamps are numbers (epoch milliseconds)",
                    "message timestamp is a string",
                    ACCEPT_SEEDS,
                    &["accept"],
                ),
                ConsultWithoutReferenceId => (
                    "consult-without-reference-id",
                    "Consult answers {\"statusCode\": 0} without referenceId",
                    "Consult answers statusCode 0 with referenceId",
                    CONSULT_SEED,
                    &["consult"],
                ),
                ConsultAgentVisibleToAll => (
                    "consult-agent-visible-to-all",
                    "the consulted agent appears with visibility All",
                    "the consulted agent and its messages are visible to Agents only",
                    CONSULT_SEED,
                    &["consult"],
                ),
                ConsultWithoutTargetAccepted => (
                    "consult-without-target-accepted",
                    "Consult with neither targetUri nor targetPath answers statusCode 0",
                    "targetUri is mandatory if targetPath is not specified (missing parameter: statusCode 1)",
                    CONSULT_SEED,
                    &["consult-without-target"],
                ),
                AcceptTwiceAccepted => (
                    "accept-twice-accepted",
                    "a second Accept of the same interaction answers statusCode 0",
                    "an operation not in the interaction's capabilities fails with statusCode 2",
                    CATALOG_STATES,
                    &["accept-twice"],
                ),
                UnknownInteractionAccepted => (
                    "unknown-interaction-accepted",
                    "an operation on an unknown interaction id answers statusCode 0",
                    "an unknown resource fails with statusCode 6",
                    RETURN_VALUES,
                    &["unknown-interaction"],
                ),
            };
        FaultInfo {
            name,
            description,
            rule,
            source,
            scenarios,
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// What the server does wrong.
    pub fn description(self) -> &'static str {
        self.info().description
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Fault {
    type Err = crate::StartError;

    /// Parses a kebab-case name; [`crate::StartError::UnknownFault`] otherwise.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::all()
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| crate::StartError::UnknownFault(s.to_string()))
    }
}

/// Every fault's description, in catalog order.
pub fn faults() -> Vec<FaultInfo> {
    Fault::all().iter().map(|f| f.info()).collect()
}

/// A Markdown table of every fault (name, what the server does, the rule it breaks, source,
/// scenarios that must fail), for the docs; generated from [`faults`] so it cannot drift.
pub fn markdown_table() -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from(
        "| fault | what the server does | rule broken | documented in | scenarios that must fail |\n|---|---|---|---|---|\n",
    );
    for f in faults() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            f.name,
            cell(f.description),
            cell(f.rule),
            cell(f.source),
            f.scenarios
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let all = faults();
        assert!(
            all.len() >= 20,
            "issue 5 asks for at least 20 faults, have {}",
            all.len()
        );
        let names: HashSet<_> = all.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), all.len());
        for f in Fault::all() {
            let name = f.name();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(name.parse::<Fault>().unwrap(), *f);
            assert!(!f.info().scenarios.is_empty(), "{name} names no scenario");
        }
        assert!(
            matches!("no-such-fault".parse::<Fault>(), Err(crate::StartError::UnknownFault(n)) if n == "no-such-fault")
        );
    }
}
