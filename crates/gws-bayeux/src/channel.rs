//! Channel names and subscription patterns (Bayeux 1.0 section 2.2, "Channels"): `/a/b` exact,
//! `/a/*` one more segment, `/a/**` one or more segments at any depth. This module owns the
//! matching rule and the validity rule for channel names and patterns; the client and the hub both
//! use it.

/// Whether `channel` (a concrete channel name such as `/v2/me/chats`) matches `pattern`
/// (Bayeux 1.0 section 2.2.1 "Channel Globbing").
///
/// - an exact pattern matches only the same name;
/// - `/a/*` matches `/a/b` but neither `/a` nor `/a/b/c`;
/// - `/a/**` matches `/a/b` and `/a/b/c` but not `/a`;
/// - `/*` matches every single-segment channel and `/**` every channel.
///
/// A wildcard anywhere but in the last segment is not a wildcard (Bayeux only allows it last), so
/// such a pattern matches only the identical string. Never panics.
pub fn matches(pattern: &str, channel: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix("/**") {
        match channel
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(rest) => !rest.is_empty() && rest.split('/').all(|segment| !segment.is_empty()),
            None => false,
        }
    } else if let Some(prefix) = pattern.strip_suffix("/*") {
        match channel
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(rest) => !rest.is_empty() && !rest.contains('/'),
            None => false,
        }
    } else {
        pattern == channel
    }
}

/// Why a channel name or subscription pattern is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    /// Empty, not starting with `/`, or with an empty segment (`//`, trailing `/`).
    #[error("channel {0:?} is not a Bayeux channel name (must be /segment[/segment...])")]
    Malformed(String),
    /// `*` or `**` used other than as the whole last segment.
    #[error("channel {0:?} uses a wildcard other than as its last segment")]
    MisplacedWildcard(String),
}

/// Checks that `name` is a well-formed channel name or, when `allow_wildcard`, a subscription
/// pattern whose only wildcard (`*` or `**`) is its last segment (Bayeux 1.0 section 2.2).
pub fn validate(name: &str, allow_wildcard: bool) -> Result<(), ChannelError> {
    let Some(rest) = name.strip_prefix('/') else {
        return Err(ChannelError::Malformed(name.to_owned()));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (index, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            return Err(ChannelError::Malformed(name.to_owned()));
        }
        let wildcard = *segment == "*" || *segment == "**";
        if segment.contains('*') && !(wildcard && index == last && allow_wildcard) {
            return Err(ChannelError::MisplacedWildcard(name.to_owned()));
        }
    }
    Ok(())
}

/// Whether `name` has a wildcard segment (`*` or `**`, anywhere): a subscription pattern, which
/// names a set of channels and is never the channel a message is delivered on (Bayeux 1.0
/// section 2.2.1: patterns are for subscribing; a message carries the channel it was published
/// to).
pub fn is_pattern(name: &str) -> bool {
    name.split('/')
        .any(|segment| segment == "*" || segment == "**")
}

/// Whether `channel` is a meta channel (`/meta/...`, Bayeux 1.0 section 2.2.3).
pub fn is_meta(channel: &str) -> bool {
    channel.starts_with("/meta/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn exact_patterns_match_only_the_same_channel() {
        assert!(matches("/v2/me/chats", "/v2/me/chats"));
        assert!(!matches("/v2/me/chats", "/v2/me/chats/x"));
        assert!(!matches("/v2/me/chats", "/v2/me/chat"));
        assert!(!matches("/v2/me/chats", "/v2/me"));
    }

    #[test]
    fn single_star_matches_exactly_one_more_segment() {
        assert!(matches("/v2/me/*", "/v2/me/chats"));
        assert!(matches("/v2/me/*", "/v2/me/facebooksession"));
        assert!(!matches("/v2/me/*", "/v2/me"));
        assert!(!matches("/v2/me/*", "/v2/me/"));
        assert!(!matches("/v2/me/*", "/v2/me/chats/1"));
        assert!(!matches("/v2/me/*", "/v2/mex/chats"));
        assert!(!matches("/v2/me/*", "/v2/other/chats"));
        assert!(matches("/*", "/v2"));
        assert!(!matches("/*", "/v2/me"));
    }

    #[test]
    fn double_star_matches_any_depth_below_the_prefix() {
        assert!(matches("/v2/me/**", "/v2/me/chats"));
        assert!(matches("/v2/me/**", "/v2/me/chats/1/x"));
        assert!(!matches("/v2/me/**", "/v2/me"));
        assert!(!matches("/v2/me/**", "/v2/mechats"));
        assert!(!matches("/v2/me/**", "/v2/me//x"));
        assert!(matches("/**", "/v2/me/chats"));
        assert!(matches("/**", "/notifications/services"));
    }

    #[test]
    fn validation_accepts_names_and_trailing_wildcards_only() {
        assert_eq!(validate("/v2/me/chats", false), Ok(()));
        assert_eq!(validate("/v2/me/*", true), Ok(()));
        assert_eq!(validate("/v2/me/**", true), Ok(()));
        assert_eq!(
            validate("/v2/me/*", false),
            Err(ChannelError::MisplacedWildcard("/v2/me/*".into()))
        );
        assert_eq!(
            validate("/v2/*/chats", true),
            Err(ChannelError::MisplacedWildcard("/v2/*/chats".into()))
        );
        assert_eq!(
            validate("/v2/me/c*", true),
            Err(ChannelError::MisplacedWildcard("/v2/me/c*".into()))
        );
        assert_eq!(
            validate("", true),
            Err(ChannelError::Malformed(String::new()))
        );
        assert_eq!(
            validate("v2/me", true),
            Err(ChannelError::Malformed("v2/me".into()))
        );
        assert_eq!(
            validate("/v2//me", true),
            Err(ChannelError::Malformed("/v2//me".into()))
        );
        assert_eq!(
            validate("/v2/me/", true),
            Err(ChannelError::Malformed("/v2/me/".into()))
        );
        assert_eq!(
            validate("/", true),
            Err(ChannelError::Malformed("/".into()))
        );
    }

    #[test]
    fn patterns_are_recognised() {
        assert!(is_pattern("/v2/me/*"));
        assert!(is_pattern("/v2/me/**"));
        assert!(is_pattern("/v2/*/chats"));
        assert!(!is_pattern("/v2/me/chats"));
        assert!(!is_pattern("/v2/me/c*"));
    }

    #[test]
    fn meta_channels_are_recognised() {
        assert!(is_meta("/meta/connect"));
        assert!(!is_meta("/v2/me/chats"));
        assert!(!is_meta("/metadata"));
    }
}
