//! The `{media}` parameter of the step vocabulary: `chat`, `facebook session`, `SMS session`
//! (or the media's name, `facebooksession`, ...), parsed into the contract's [`Media`]. Every
//! name of a media comes from the contract's names table (`gws_contract::names`).

use std::{ops::Deref, str::FromStr};

pub use gws_contract::Media;

/// A media as written in a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, cucumber::Parameter)]
#[param(
    name = "media",
    regex = "chat|facebook session|SMS session|facebooksession|smssession"
)]
pub struct MediaParam(pub Media);

impl FromStr for MediaParam {
    type Err = String;
    /// The media named by [`Media::words`] or [`Media::name`]; an error naming the text otherwise.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Media::from_name(s)
            .map(MediaParam)
            .ok_or_else(|| format!("unknown media `{s}`"))
    }
}

impl Deref for MediaParam {
    type Target = Media;
    fn deref(&self) -> &Media {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scenario_words() {
        assert_eq!(
            "facebook session".parse::<MediaParam>().unwrap().0,
            Media::FacebookSession
        );
        assert_eq!(
            "SMS session".parse::<MediaParam>().unwrap().name(),
            "smssession"
        );
        assert!("email".parse::<MediaParam>().is_err());
    }
}
