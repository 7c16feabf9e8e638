//! Names by media and dialect: REST collection, resource key, `messageType`, CometD topic, `uri`
//! segment and the `MessageLogUpdated` reference keys (catalog sections 1.1, 3.1–3.3 and 10.1;
//! target-contract section 4).

use crate::Dialect;

/// The three multimedia interaction kinds the reference server serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Media {
    /// Chat API: `/api/v2/me/chats/{id}`.
    Chat,
    /// Facebook Private Messaging API: `/api/v2/me/facebooksessions/{id}` (2019) or
    /// `/api/v2/me/facebooksession/{id}` (2015).
    FacebookSession,
    /// SMS Session API: `/api/v2/me/smssessions/{id}`.
    SmsSession,
}

impl Media {
    /// Every media, in a fixed order.
    pub const ALL: [Media; 3] = [Media::Chat, Media::FacebookSession, Media::SmsSession];

    /// The name used in provider-state params (`media`), target-contract section 3.
    pub fn param_name(self) -> &'static str {
        match self {
            Media::Chat => "chat",
            Media::FacebookSession => "facebooksession",
            Media::SmsSession => "smssession",
        }
    }

    /// Parses a provider-state `media` value.
    pub fn from_param(name: &str) -> Option<Media> {
        Media::ALL.into_iter().find(|m| m.param_name() == name)
    }

    /// The REST collection under `/api/v2/me/` (also the `uri` segment under `/api/v2/`).
    pub fn collection(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Media::Chat, _) => "chats",
            (Media::FacebookSession, Dialect::V2019) => "facebooksessions",
            (Media::FacebookSession, Dialect::V2015) => "facebooksession",
            (Media::SmsSession, _) => "smssessions",
        }
    }

    /// The media served at collection `name` in `dialect`; `None` for an unknown collection
    /// (including the other dialect's Facebook spelling).
    pub fn from_collection(name: &str, dialect: Dialect) -> Option<Media> {
        Media::ALL
            .into_iter()
            .find(|m| m.collection(dialect) == name)
    }

    /// The key holding the resource in state-change notifications and in a single-item GET.
    pub fn resource_key(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Media::Chat, _) => "chat",
            (Media::FacebookSession, Dialect::V2019) => "facebooksessions",
            (Media::FacebookSession, Dialect::V2015) => "facebooksession",
            (Media::SmsSession, _) => "smssession",
        }
    }

    /// `messageType` of state-change notifications (seeds 000, 001, 003, 004).
    pub fn message_type(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (Media::Chat, _) => "ChatStateChangeMessage",
            (Media::FacebookSession, Dialect::V2019) => "facebooksessionStateChangeMessage",
            (Media::FacebookSession, Dialect::V2015) => "FacebooksessionStateChangeMessage",
            (Media::SmsSession, _) => "SMSsessionStateChangeMessage",
        }
    }

    /// The CometD topic the agent's notifications for this media go to (catalog 3.1; the SMS
    /// topic is \[INF\]).
    pub fn topic(self) -> &'static str {
        match self {
            Media::Chat => "/v2/me/chats",
            Media::FacebookSession => "/v2/me/facebooksession",
            Media::SmsSession => "/v2/me/smssessions",
        }
    }

    /// The `MessageLogUpdated` key holding the interaction's `uri` (catalog 3.3).
    pub fn log_uri_key(self) -> &'static str {
        match self {
            Media::Chat => "chatUri",
            Media::FacebookSession => "facebooksessionUri",
            Media::SmsSession => "smssessionUri",
        }
    }

    /// The `MessageLogUpdated` key holding the interaction's `path`, where one is documented
    /// (Facebook Consult, seed 002).
    pub fn log_path_key(self) -> Option<&'static str> {
        match self {
            Media::FacebookSession => Some("facebooksessionPath"),
            _ => None,
        }
    }

    /// The resource field naming the interaction's direction (`chatType`, `facebooksessionType`, ...).
    pub fn type_key(self) -> &'static str {
        match self {
            Media::Chat => "chatType",
            Media::FacebookSession => "facebooksessionType",
            Media::SmsSession => "smssessionType",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facebook_spelling_follows_the_dialect() {
        assert_eq!(
            Media::from_collection("facebooksessions", Dialect::V2019),
            Some(Media::FacebookSession)
        );
        assert_eq!(
            Media::from_collection("facebooksession", Dialect::V2019),
            None
        );
        assert_eq!(
            Media::from_collection("facebooksession", Dialect::V2015),
            Some(Media::FacebookSession)
        );
        assert_eq!(
            Media::from_collection("facebooksessions", Dialect::V2015),
            None
        );
        assert_eq!(Media::FacebookSession.topic(), "/v2/me/facebooksession");
        assert_eq!(
            Media::FacebookSession.message_type(Dialect::V2015),
            "FacebooksessionStateChangeMessage"
        );
        assert_eq!(
            Media::FacebookSession.resource_key(Dialect::V2019),
            "facebooksessions"
        );
        assert_eq!(Media::from_param("smssession"), Some(Media::SmsSession));
        assert_eq!(Media::from_param("sms"), None);
    }
}
