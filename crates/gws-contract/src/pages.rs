//! The documentation pages the contract rests on: tag (the value of a scenario's `@doc:` tag),
//! title, URL, revision and whether the stored copy of the page was cut short.
//!
//! A rule that rests on a page whose copy is cut short says so through [`Page::truncated`]; the
//! runner prints it with the rule.

/// One documentation page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// The `@doc:` tag value, e.g. `ChatReject`.
    pub tag: &'static str,
    /// Human title, e.g. "Chat API: Reject".
    pub title: &'static str,
    /// Where it is published.
    pub url: &'static str,
    /// The revision the samples were taken from (last-edited date or wiki revision).
    pub revision: &'static str,
    /// What of the page could not be read, when the copy is cut short (`None`: complete).
    pub truncated: Option<&'static str>,
}

impl Page {
    /// `title — url`, how failures cite a page: a bare URL, never in angle brackets (HTML
    /// report viewers read `<https://…>` as a tag).
    pub fn cite(&self) -> String {
        format!("{} — {}", self.title, self.url)
    }
}

/// Every page, by tag.
pub const PAGES: &[Page] = &[
    // --- seeds
    Page {
        tag: "ChatAccept",
        title: "Chat API: Accept",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAccept",
        revision: "revision before December 2015 (no saveLAR)",
        truncated: None,
    },
    Page {
        tag: "FacebookPMAccept",
        title: "Facebook Private Messaging API: Accept (2015 page and 2019 PDF)",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMAccept",
        revision: "revision of 2015-10-23; Web Services API Reference PDF (2019 and later)",
        truncated: None,
    },
    Page {
        tag: "FacebookPMConsult",
        title: "Facebook Private Messaging API: Consult",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMConsult",
        revision: "last edited 2016-01-22",
        truncated: None,
    },
    Page {
        tag: "SMSAccept",
        title: "SMS Session API: Accept",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSAccept",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    // --- common
    Page {
        tag: "ReturnValues",
        title: "Return Values (statusCode), All Methods",
        url: "https://enu.docs.genesys.com/Documentation:HTCC:API:ReturnValues:8.5.2",
        revision: "8.6.0 copy (8.5.2 identical)",
        truncated: Some(
            "the copy stops after the statusCode table: the Partial Success section and the GET rules could not be read",
        ),
    },
    Page {
        tag: "ChatMessageType",
        title: "Chat API: CometD notifications",
        url: "https://enu.docs.genesys.com/Documentation/HTCC/latest/API/ChatMessageType",
        revision: "published copy and the February 2016 draft",
        truncated: Some("the copy stops in the MessageLogUpdated property table"),
    },
    Page {
        tag: "FacebookPMMessageType",
        title: "Facebook Private Messaging API: CometD notifications",
        url: "https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/FacebookPMMessageType",
        revision: "published copy",
        truncated: Some("the copy stops in the MessageLogUpdated property table"),
    },
    Page {
        tag: "CSRFProtection",
        title: "Cross-Site Request Forgery protection",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/CSRFProtection",
        revision: "published copy (and the GWS 8.5.2 copy)",
        truncated: Some(
            "the copy stops in the Cookie support paragraph, after \"Missing or invalid Csrf token\"",
        ),
    },
    Page {
        tag: "StartContactCenterSession",
        title: "StartContactCenterSession",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/StartContactCenterSession",
        revision: "published copy",
        truncated: Some("the copy stops inside the description of the place parameter"),
    },
    Page {
        tag: "EndContactCenterSession",
        title: "EndContactCenterSession",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/EndContactCenterSession",
        revision: "last edited 2016-03-25",
        truncated: None,
    },
    Page {
        tag: "SettingAgentStateChannel",
        title: "Set Agent State for a Particular Channel (Ready)",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.1/API/SettingAgentStateChannel",
        revision: "last edited 2013-12-10 (8.5.1)",
        truncated: None,
    },
    Page {
        tag: "AsynchronousEvents",
        title: "CometD notifications",
        url: "https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/AsynchronousEvents",
        revision: "published copy",
        truncated: Some("the copy stops in the topic table at /notifications/services"),
    },
    // --- Bayeux 1.0 as CometD documents it (the CometD reference book, appendix "The Bayeux
    // Protocol Specification 1.0"), one row per section a rule rests on
    Page {
        tag: "BayeuxHandshake",
        title: "Bayeux 1.0: Handshake",
        url: "https://docs.cometd.org/current/reference/#_bayeux_meta_handshake",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxConnect",
        title: "Bayeux 1.0: Connect",
        url: "https://docs.cometd.org/current/reference/#_bayeux_meta_connect",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxAdvice",
        title: "Bayeux 1.0: the advice field",
        url: "https://docs.cometd.org/current/reference/#_bayeux_advice",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxSubscribe",
        title: "Bayeux 1.0: Subscribe",
        url: "https://docs.cometd.org/current/reference/#_bayeux_meta_subscribe",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxUnsubscribe",
        title: "Bayeux 1.0: Unsubscribe",
        url: "https://docs.cometd.org/current/reference/#_bayeux_meta_unsubscribe",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxDisconnect",
        title: "Bayeux 1.0: Disconnect",
        url: "https://docs.cometd.org/current/reference/#_bayeux_meta_disconnect",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxPublish",
        title: "Bayeux 1.0: Publish",
        url: "https://docs.cometd.org/current/reference/#_bayeux_publish",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    Page {
        tag: "BayeuxId",
        title: "Bayeux 1.0: the id field",
        url: "https://docs.cometd.org/current/reference/#_bayeux_id",
        revision: "CometD reference, Bayeux 1.0 appendix",
        truncated: None,
    },
    // --- CometD's Java server, which GWS runs on (the GWS CometD deployment page names CometD
    // 3): behaviour it has and Bayeux 1.0 does not state, which CometD's Node server lacks
    Page {
        tag: "CometDJavaDelivery",
        title: "CometD Java server: one delivery per session (BayeuxServerImpl.notifySubscribers)",
        url: "https://github.com/cometd/cometd/blob/master/cometd-java/cometd-java-server/cometd-java-server-common/src/main/java/org/cometd/server/BayeuxServerImpl.java",
        revision: "CometD 3 to 8 source; GWS 8.5.2 deploys CometD 3 (https://en.docs.genesys.com/index.php?direction=prev&oldid=345751&title=Documentation%3AHTCC%3ADep%3ACometD%3A8.5.2DRAFT)",
        truncated: None,
    },
    // --- chat
    Page {
        tag: "ChatReject",
        title: "Chat API: Reject",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatReject",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "ChatComplete",
        title: "Chat API: Complete",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatComplete",
        revision: "last edited 2017-05-19",
        truncated: None,
    },
    Page {
        tag: "ChatLeave",
        title: "Chat API: Leave",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatLeave",
        revision: "8.6.0 copy last edited 2024-02-15",
        truncated: Some("only the footer: every sample is complete"),
    },
    Page {
        tag: "ChatSend",
        title: "Chat API: SendMessage",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSend",
        revision: "last edited 2021-10-20",
        truncated: None,
    },
    // --- Facebook session
    Page {
        tag: "FacebookPMReject",
        title: "Facebook Private Messaging API: Reject",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMReject",
        revision: "last edited 2019-01-24",
        truncated: None,
    },
    Page {
        tag: "FacebookPMComplete",
        title: "Facebook Private Messaging API: Complete",
        url: "https://en.docs.genesys.com/index.php?oldid=321190&title=Documentation%3AHTCC%3AAPI%3AFacebookPMComplete%3A8.5.2DRAFT",
        revision: "draft revision of 2015-09-29",
        truncated: Some(
            "the copy stops inside the notification's userData: its state value could not be read",
        ),
    },
    Page {
        tag: "FacebookPMLeave",
        title: "Facebook Private Messaging API: Leave",
        url: "https://en.docs.genesys.com/index.php?diff=prev&oldid=321418&title=Documentation%3AHTCC%3AAPI%3AFacebookPMLeave%3A8.5.2DRAFT",
        revision: "draft revision of 2015-09-29",
        truncated: Some(
            "the copy stops inside the notification's userData: its state value could not be read",
        ),
    },
    Page {
        tag: "FacebookPMSendMessage",
        title: "Facebook Private Messaging API: SendMessage",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMSendMessage",
        revision: "last edited 2019-01-24",
        truncated: None,
    },
    // --- SMS session
    Page {
        tag: "SMSReject",
        title: "SMS Session API: Reject",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/SMSReject",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "SMSComplete",
        title: "SMS Session API: Complete",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSComplete",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSLeave",
        title: "SMS Session API: Leave",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSLeave",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendMessage",
        title: "SMS Session API: SendMessage",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendMessage",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    // --- pages of the operations added with issue 10
    Page {
        tag: "ChatSendStartTypingNotification",
        title: "Chat API: SendStartTypingNotification",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSendStartTypingNotification",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "ChatSendStopTypingNotification",
        title: "Chat API: SendStopTypingNotification",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSendStopTypingNotification",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "ChatSendStartTypingToAgentsNotification",
        title: "Chat API: SendStartTypingToAgentsNotification",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendStartTypingToAgentsNotification",
        revision: "last edited 2016-01-22",
        truncated: None,
    },
    Page {
        tag: "ChatSendStopTypingToAgentsNotification",
        title: "Chat API: SendStopTypingToAgentsNotification",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendStopTypingToAgentsNotification",
        revision: "last edited 2016-01-22",
        truncated: None,
    },
    Page {
        tag: "ChatSendURL",
        title: "Chat API: SendURL",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendURL",
        revision: "last edited 2016-01-22",
        truncated: None,
    },
    Page {
        tag: "ChatSendToAgents",
        title: "Chat API: SendToAgents",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendToAgents",
        revision: "last edited 2017-05-19",
        truncated: None,
    },
    Page {
        tag: "ChatSendCustomNotice",
        title: "Chat API: SendCustomNotice",
        url: "https://enu.docs.genesys.com/Documentation/GWS/latest/API/ChatSendCustomNotice",
        revision: "last edited 2024-02-15",
        truncated: None,
    },
    Page {
        tag: "ChatSendCustomNoticeToAgents",
        title: "Chat API: SendCustomNoticeToAgents",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/ChatSendCustomNoticeToAgents",
        revision: "last edited 2016-01-22",
        truncated: None,
    },
    Page {
        tag: "ChatSetDisposition",
        title: "Chat API: SetDisposition",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSetDisposition",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "ChatAttachUserData",
        title: "Chat API: AttachUserData",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatAttachUserData",
        revision: "8.5.2 copy",
        truncated: Some("the copy stops inside the notification's participants list"),
    },
    Page {
        tag: "ChatUpdateUserData",
        title: "Chat API: UpdateUserData",
        url: "https://docs.genesys.com/Documentation/GWS/8.6.0/API/ChatUpdateUserData",
        revision: "8.6.0 copy last edited 2024-02-15",
        truncated: Some("the copy stops inside the notification after the chat uri"),
    },
    Page {
        tag: "ChatDeleteUserData",
        title: "Chat API: DeleteUserData",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatDeleteUserData",
        revision: "last edited 2023-10-31",
        truncated: Some("the copy stops inside the notification's participants list"),
    },
    Page {
        tag: "FacebookPMSendUrl",
        title: "Facebook Private Messaging API: SendUrl",
        url: "https://enu.docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMSendUrl",
        revision: "last edited 2019-01-24",
        truncated: None,
    },
    Page {
        tag: "FacebookPMSendToAgents",
        title: "Facebook Private Messaging API: SendToAgents",
        url: "https://docs.genesys.com/Documentation/HTCC/8.5.2/API/FacebookPMSendToAgents",
        revision: "last edited 2019-01-24",
        truncated: None,
    },
    Page {
        tag: "FacebookPMSetDisposition",
        title: "Facebook Private Messaging API: SetDisposition",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/FacebookPMSetDisposition",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "FacebookPMAttachUserData",
        title: "Facebook Private Messaging API: AttachUserData",
        url: "https://en.docs.genesys.com/index.php?diff=prev&oldid=321425&title=Documentation%3AHTCC%3AAPI%3AFacebookPMAttachUserData%3A8.5.2DRAFT",
        revision: "draft revision of 2015-09-29",
        truncated: Some("the copy stops inside the notification's userData"),
    },
    Page {
        tag: "FacebookPMUpdateUserData",
        title: "Facebook Private Messaging API: UpdateUserData",
        url: "https://en.docs.genesys.com/index.php?diff=next&oldid=329539&title=Documentation%3AHTCC%3AAPI%3AFacebookPMUpdateUserData%3A8.5.2",
        revision: "revision of 2016-01-22",
        truncated: Some("the copy stops inside the notification's userData"),
    },
    Page {
        tag: "FacebookPMDeleteUserData",
        title: "Facebook Private Messaging API: DeleteUserData",
        url: "https://en.docs.genesys.com/index.php?diff=next&oldid=329541&title=Documentation%3AHTCC%3AAPI%3AFacebookPMDeleteUserData%3A8.5.2",
        revision: "revision of 2016-01-22",
        truncated: Some("the copy stops inside the notification's userData"),
    },
    Page {
        tag: "FacebookPMAddComment",
        title: "Facebook Private Messaging API: AddComment",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMAddComment",
        revision: "last edited 2019-01-24",
        truncated: None,
    },
    Page {
        tag: "SMSSendStartType",
        title: "SMS Session API: SendStartTypingNotification",
        url: "https://docs.genesys.com/Documentation:HTCC:API:SMSSendStartType:8.5.2",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendStopType",
        title: "SMS Session API: SendStopTypingNotification",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendStopType",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendStartTypingToAgentsNotification",
        title: "SMS Session API: SendStartTypingToAgentsNotification",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendStartTypingToAgentsNotification",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendStopTypingToAgentsNotification",
        title: "SMS Session API: SendStopTypingToAgentsNotification",
        url: "https://docs.genesys.com/Documentation/GWS/latest/API/SMSSendStopTypingToAgentsNotification",
        revision: "last edited 2024-02-15",
        truncated: None,
    },
    Page {
        tag: "SMSSendUrl",
        title: "SMS Session API: SendURL",
        url: "https://docs.genesys.com/Documentation:HTCC:API:SMSSendUrl:8.5.2",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendToAgents",
        title: "SMS Session API: SendToAgents",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendToAgents",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendCustomNotice",
        title: "SMS Session API: SendCustomNotice",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendCustomNotice",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSendCustomNoticeToAgents",
        title: "SMS Session API: SendCustomNoticeToAgents",
        url: "https://docs.genesys.com/Documentation/HTCC/latest/API/SMSSendCustomNoticeToAgents",
        revision: "last edited 2016-11-04",
        truncated: None,
    },
    Page {
        tag: "SMSSetDisposition",
        title: "SMS Session API: SetDisposition",
        url: "https://docs.genesys.com/Documentation/GWS/latest/API/SMSSetDisposition",
        revision: "last edited 2024-02-15",
        truncated: None,
    },
    Page {
        tag: "SMSAttachUserData",
        title: "SMS Session API: AttachUserData",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/SMSAttachUserData",
        revision: "last edited 2023-10-31",
        truncated: Some("the copy stops inside the notification's uri"),
    },
    Page {
        tag: "SMSUpdateUserData",
        title: "SMS Session API: UpdateUserData",
        url: "https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSUpdateUserData",
        revision: "8.5.2 copy of 2016-11-04",
        truncated: Some("every copy stops inside the notification after the smssession uri"),
    },
    Page {
        tag: "SMSDeleteUserData",
        title: "SMS Session API: DeleteUserData",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/SMSDeleteUserData",
        revision: "last edited 2023-10-31",
        truncated: Some("the copy stops inside the notification's participants list"),
    },
    // --- second agents, conferences, transfers, resources
    Page {
        tag: "ChatConsult",
        title: "Chat API: Consult",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatConsult",
        revision: "8.5.2 copy, date not shown (the 8.6.0 copy was last edited 2024-02-15)",
        truncated: Some(
            "every copy stops inside the first notification (ParticipantsUpdated, after its capabilities): the participants' visibility and the ParticipantJoined notification could not be read",
        ),
    },
    Page {
        tag: "ChatInviteUser",
        title: "Chat API: Invite",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatInviteUser",
        revision: "8.5.2 copy, date not shown (the 8.6.0 copy was last edited 2024-02-15)",
        truncated: Some(
            "every copy stops inside the second notification (MessageLogUpdated from the invited agent, visibility All): its message type could not be read",
        ),
    },
    Page {
        tag: "ChatRemoveParticipantFromConference",
        title: "Chat API: RemoveParticipantFromConference",
        url: "https://docs.genesys.com/Documentation/GWS/latest/API/ChatRemoveParticipantFromConference",
        revision: "GWS latest copy, date not shown",
        truncated: Some(
            "the copy stops inside the first notification's userData: the chat notifications could not be read; the rule rests on the Facebook and SMS pages",
        ),
    },
    Page {
        tag: "ChatSingleStepTransfer",
        title: "Chat API: Transfer",
        url: "https://docs.genesys.com/Documentation/GWS/8.5.2/API/ChatSingleStepTransfer",
        revision: "last edited 2023-10-31",
        truncated: None,
    },
    Page {
        tag: "FacebookPMRemovePart",
        title: "Facebook Private Messaging API: RemoveParticipantFromConference",
        url: "https://enu.docs.genesys.com/Documentation/HTCC/latest/API/FacebookPMRemovePart",
        revision: "HTCC latest copy, date not shown",
        truncated: Some(
            "the copy stops inside the second notification (ParticipantsUpdated) in userData: its participants could not be read",
        ),
    },
    Page {
        tag: "FacebookPMTransfer",
        title: "Facebook Private Messaging API: Transfer",
        url: "https://en.docs.genesys.com/index.php?diff=prev&oldid=321447&title=Documentation%3AHTCC%3AAPI%3AFacebookPMTransfer%3A8.5.2DRAFT",
        revision: "draft revision of 2015-09-29 (the only copy found)",
        truncated: None,
    },
    Page {
        tag: "SMSConsult",
        title: "SMS Session API: Consult",
        url: "https://enu.docs.genesys.com/Documentation/GWS/latest/API/SMSConsult",
        revision: "GWS latest copy (docs.genesys.com copy last edited 2024-02-15)",
        truncated: Some(
            "every copy stops inside the first notification's capabilities: the participants' visibility and the ParticipantJoined notification could not be read",
        ),
    },
    Page {
        tag: "SMSInvite",
        title: "SMS Session API: Invite",
        url: "https://docs.genesys.com/Documentation/GWS/latest/API/SMSInvite",
        revision: "GWS latest copy, date not shown",
        truncated: Some(
            "every copy stops inside the first notification's uri: the ParticipantJoined notification could not be read",
        ),
    },
    Page {
        tag: "SMSRemoveParticipantFromConference",
        title: "SMS Session API: RemoveParticipantFromConference",
        url: "https://enu.docs.genesys.com/Documentation/GWS/8.5.2/API/SMSRemoveParticipantFromConference",
        revision: "GWS 8.5.2 copy, date not shown",
        truncated: Some(
            "the copy stops inside the second notification (ParticipantsUpdated) in userData: its participants could not be read",
        ),
    },
    Page {
        tag: "SMSResources",
        title: "SMS Session API: SMS Session Resource",
        url: "https://enu.docs.genesys.com/Documentation/HTCC/latest/API/SMSResources",
        revision: "HTCC latest copy, date not shown",
        truncated: Some("the copy stops inside the Message Types table (row Notice)"),
    },
];

/// The page tagged `tag`, if any.
pub fn page(tag: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.tag == tag)
}

/// `title — url` of the page cited by the last `doc:` tag in `tags` (tags without `@`; a
/// scenario's own tag, coming after its feature's, wins). A tag naming no known page (a vendor's
/// own) is returned as it is; `None` when no tag is a `doc:` tag.
pub fn source_of<'a>(tags: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let name = tags
        .into_iter()
        .filter_map(|t| t.strip_prefix("doc:"))
        .last()?;
    Some(match page(name) {
        Some(p) => p.cite(),
        None => name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_unique_and_urls_absolute() {
        for (i, p) in PAGES.iter().enumerate() {
            assert!(p.url.starts_with("https://"), "{}", p.tag);
            assert!(
                PAGES[..i].iter().all(|q| q.tag != p.tag),
                "duplicate {}",
                p.tag
            );
        }
    }

    #[test]
    fn doc_tags_resolve_to_pages() {
        let tags = vec!["chat".to_string(), "doc:ChatAccept".to_string()];
        let s = source_of(&tags).unwrap();
        assert!(
            s.starts_with("Chat API: Accept — https://docs.genesys.com/"),
            "{s}"
        );
        assert_eq!(
            source_of(&vec!["doc:VendorPage".to_string()]).as_deref(),
            Some("VendorPage")
        );
        assert_eq!(source_of(&vec!["chat".to_string()]), None);
        let both = vec!["doc:ChatAccept".to_string(), "doc:ReturnValues".to_string()];
        assert!(source_of(&both).unwrap().starts_with("Return Values"));
    }
}
