//! The three media of the seed pages and the names the documentation gives them: REST
//! collection, notification topic, state-change `messageType`, resource key, schema prefix.
//! Where a name has several documented spellings (target-contract section 4) all are listed,
//! newest first.

use std::str::FromStr;

/// A media as written in the scenarios: `chat`, `facebook session`, `SMS session`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, cucumber::Parameter)]
#[param(name = "media", regex = "chat|facebook session|SMS session")]
pub enum Media {
    /// Chat (`/api/v2/me/chats`).
    Chat,
    /// Facebook private messaging (`/api/v2/me/facebooksessions`).
    FacebookSession,
    /// SMS session (`/api/v2/me/smssessions`).
    SmsSession,
}

impl FromStr for Media {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "chat" => Ok(Self::Chat),
            "facebook session" | "facebooksession" => Ok(Self::FacebookSession),
            "SMS session" | "smssession" => Ok(Self::SmsSession),
            other => Err(format!("unknown media `{other}`")),
        }
    }
}

impl Media {
    /// The media name of the provider-state contract and of the schemas:
    /// `chat`, `facebooksession`, `smssession`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::FacebookSession => "facebooksession",
            Self::SmsSession => "smssession",
        }
    }

    /// The words used in scenario text.
    pub fn words(self) -> &'static str {
        match self {
            Self::Chat => "chat",
            Self::FacebookSession => "facebook session",
            Self::SmsSession => "SMS session",
        }
    }

    /// REST collections under `/api/v2/me/`, newest first.
    pub fn collections(self) -> &'static [&'static str] {
        match self {
            Self::Chat => &["chats"],
            Self::FacebookSession => &["facebooksessions", "facebooksession"],
            Self::SmsSession => &["smssessions"],
        }
    }

    /// Keys of the interaction resource in state-change notifications, newest first.
    pub fn resource_keys(self) -> &'static [&'static str] {
        match self {
            Self::Chat => &["chat"],
            Self::FacebookSession => &["facebooksessions", "facebooksession"],
            Self::SmsSession => &["smssession"],
        }
    }

    /// State-change `messageType` spellings, newest first.
    pub fn state_message_types(self) -> &'static [&'static str] {
        match self {
            Self::Chat => &["ChatStateChangeMessage"],
            Self::FacebookSession => &[
                "facebooksessionStateChangeMessage",
                "FacebooksessionStateChangeMessage",
            ],
            Self::SmsSession => &["SMSsessionStateChangeMessage"],
        }
    }

    /// CometD topics, the documented (or newest) one first. The SMS topic is \[INF\]: no SMS
    /// message-type page documents it.
    pub fn topics(self) -> &'static [&'static str] {
        match self {
            Self::Chat => &["/v2/me/chats"],
            Self::FacebookSession => &["/v2/me/facebooksession", "/v2/me/facebooksessions"],
            Self::SmsSession => &["/v2/me/smssessions", "/v2/me/smssession"],
        }
    }

    /// Schema of its state-change notifications.
    pub fn state_schema(self) -> String {
        format!("{}-state-change", self.name())
    }

    /// Schema of its MessageLogUpdated notifications.
    pub fn log_schema(self) -> String {
        format!("{}-message-log", self.name())
    }

    /// The REST collection named in a resource `uri` or `path` such as
    /// `http://host/api/v2/facebooksession/ID`: the segment before the last one, if it is one of
    /// [`Media::collections`].
    pub fn collection_in_uri(self, uri: &str) -> Option<&'static str> {
        let mut segs: Vec<&str> = uri.trim_end_matches('/').split('/').collect();
        segs.pop()?;
        let seg = segs.pop()?;
        self.collections().iter().copied().find(|c| *c == seg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scenario_words() {
        assert_eq!(
            "facebook session".parse::<Media>().unwrap(),
            Media::FacebookSession
        );
        assert_eq!("SMS session".parse::<Media>().unwrap().name(), "smssession");
        assert!("email".parse::<Media>().is_err());
    }

    #[test]
    fn learns_collection_from_uri() {
        let m = Media::FacebookSession;
        assert_eq!(
            m.collection_in_uri("http://localhost:8080/api/v2/facebooksession/0000Na9B26EF002X"),
            Some("facebooksession")
        );
        assert_eq!(
            m.collection_in_uri("/api/v2/facebooksessions/X"),
            Some("facebooksessions")
        );
        assert_eq!(m.collection_in_uri("/api/v2/chats/X"), None);
    }
}
