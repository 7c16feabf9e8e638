//! The known-failures baseline (`--known-failures FILE`, `GWS_KNOWN_FAILURES`): the scenarios a
//! target is known to fail, so that a CI gate can be adopted on the first day and stays red only
//! for what changes. In the manner of ConnectRPC's conformance runner (`--known-failing`): a
//! listed scenario that fails is an *expected failure*; a listed scenario that passes is *stale*
//! and fails the run, so the list cannot rot; an entry that matches no scenario is a warning.
//! Errors (the run could not judge) are never absorbed.
//!
//! The file is plain text, one entry a line; blank lines and lines starting with `#` are
//! comments, and anything after ` # ` is the entry's reason:
//!
//! ```text
//! # <classname>: <test name>      one scenario, by its identity (JUnit classname and name)
//! gws.chat.accept: agent accepts chat -> receives Chatting status  # #123, state is Processing
//! # tags: <tag expression>         every scenario the expression selects
//! tags: @chat and @sendurl  # URLs are rewritten by our proxy
//! # skip: <tag expression>         the target's profile: not run, reported as skipped
//! skip: @consult  # we do not implement consultations
//! ```
//!
//! A `#` inside a test name that follows a space is written `\#`. `--write-known-failures FILE`
//! writes this format ([`render`]).

use std::path::Path;

use cucumber::{gherkin::tagexpr::TagOperation, tag::Ext as _};

use super::{
    features::{self, Planned, Skip},
    report::{Known, Outcome},
    verdict::one_line,
};

/// What an entry matches.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// One scenario, by [`features::scenario_id`].
    Id(String),
    /// Known failures: every scenario this tag expression selects.
    Tags(TagOperation),
    /// Profile: every scenario this tag expression selects is skipped.
    Skip(TagOperation),
}

/// One line of the file.
#[derive(Clone, Debug)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// The entry as written (without its reason).
    pub text: String,
    /// What it matches.
    pub matcher: Matcher,
    /// The reason after ` # `, if any.
    pub reason: Option<String>,
}

/// A parsed known-failures file.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// The file as given (for messages: `FILE:LINE`).
    pub path: String,
    /// The entries in file order.
    pub entries: Vec<Entry>,
}

/// A known-failures file that cannot be used (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read.
    #[error("--known-failures {path}: cannot read it: {detail}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        detail: String,
    },
    /// A line is not an entry.
    #[error("--known-failures {path}:{line}: {detail}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong, naming the expected forms.
        detail: String,
    },
}

/// The longest file read (a baseline of every scenario is a few tens of kilobytes).
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// Splits `entry # reason` at the first ` # ` (or a trailing ` #`), unescaping `\#`.
fn split_reason(line: &str) -> (String, Option<String>) {
    let (entry, reason) = match line.find(" # ") {
        Some(i) => (&line[..i], Some(line[i + 3..].trim())),
        None => match line.strip_suffix(" #") {
            Some(e) => (e, None),
            None => (line, None),
        },
    };
    let reason = reason.filter(|r| !r.is_empty()).map(str::to_string);
    (entry.trim().replace(" \\#", " #"), reason)
}

/// Writes `#` after a space as `\#`, so that [`split_reason`] reads the name back whole.
fn escape(name: &str) -> String {
    name.replace(" #", " \\#")
}

impl Baseline {
    /// Reads and parses `path`.
    ///
    /// # Errors
    /// [`BaselineError::Read`] when it cannot be read (or exceeds 4 MiB), [`BaselineError::Line`]
    /// naming the first line that is not an entry.
    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let shown = path.display().to_string();
        let read = || -> std::io::Result<String> {
            use std::io::Read as _;
            let mut text = String::new();
            let file = std::fs::File::open(path)?;
            file.take(MAX_FILE + 1).read_to_string(&mut text)?;
            if text.len() as u64 > MAX_FILE {
                return Err(std::io::Error::other("it is larger than 4 MiB"));
            }
            Ok(text)
        };
        let text = read().map_err(|e| BaselineError::Read {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        Self::parse(&shown, &text)
    }

    /// Parses the text of a file shown as `path`.
    ///
    /// # Errors
    /// [`BaselineError::Line`] for a line that is neither a comment, `tags: EXPR`, `skip: EXPR`
    /// nor `<classname>: <test name>`, or whose tag expression does not parse.
    pub fn parse(path: &str, text: &str) -> Result<Self, BaselineError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let bad = |detail: String| BaselineError::Line {
                path: path.to_string(),
                line,
                detail,
            };
            let (entry, reason) = split_reason(t);
            let tags = |expr: &str| {
                features::parse_tags(expr.trim()).map_err(|_| {
                    bad(format!(
                        "`{}` is not a tag expression (e.g. `@consult or @invite`)",
                        one_line(expr.trim(), 80)
                    ))
                })
            };
            let matcher = if let Some(expr) = entry.strip_prefix("tags:") {
                Matcher::Tags(tags(expr)?)
            } else if let Some(expr) = entry.strip_prefix("skip:") {
                Matcher::Skip(tags(expr)?)
            } else {
                match entry.split_once(": ") {
                    Some((class, name))
                        if class.contains('.')
                            && !class.contains(char::is_whitespace)
                            && !name.trim().is_empty() =>
                    {
                        Matcher::Id(features::scenario_id(class, name.trim()))
                    }
                    _ => {
                        return Err(bad(format!(
                            "`{}` is not an entry: expected `<classname>: <test name>` (as in the JUnit report, e.g. `gws.chat.accept: agent accepts chat -> receives Chatting status`), `tags: <tag expression>` or `skip: <tag expression>`, optionally followed by ` # reason`",
                            one_line(&entry, 80)
                        )));
                    }
                }
            };
            entries.push(Entry {
                line,
                text: entry,
                matcher,
                reason,
            });
        }
        Ok(Self {
            path: path.to_string(),
            entries,
        })
    }

    /// The profile's skips (`skip:` lines), each with its reason or, without one, the line.
    pub fn skips(&self) -> Vec<Skip> {
        self.entries
            .iter()
            .filter_map(|e| match &e.matcher {
                Matcher::Skip(expr) => Some(Skip {
                    expr: expr.clone(),
                    reason: match &e.reason {
                        Some(r) => format!("{r} ({}:{})", self.path, e.line),
                        None => format!("not in the target's profile ({}:{})", self.path, e.line),
                    },
                }),
                _ => None,
            })
            .collect()
    }

    /// Whether entry `e` matches the scenario with identity `id` and `tags`.
    fn entry_matches(e: &Entry, id: &str, tags: &[String]) -> bool {
        match &e.matcher {
            Matcher::Id(x) => x == id,
            Matcher::Tags(expr) | Matcher::Skip(expr) => expr.eval(tags.iter()),
        }
    }

    /// The first known-failure entry (`<id>` or `tags:` line) listing the scenario.
    pub fn listing(&self, id: &str, tags: &[String]) -> Option<Known> {
        self.entries
            .iter()
            .filter(|e| !matches!(e.matcher, Matcher::Skip(_)))
            .find(|e| Self::entry_matches(e, id, tags))
            .map(|e| Known {
                at: format!("{}:{}", self.path, e.line),
                entry: e.text.clone(),
                reason: e.reason.clone().unwrap_or_default(),
            })
    }

    /// The verdict with the baseline applied: a listed failure becomes
    /// [`Outcome::ExpectedFailure`], a listed pass [`Outcome::Stale`]; errors, skips and
    /// unlisted scenarios keep their outcome.
    pub fn judge(&self, id: &str, tags: &[String], outcome: Outcome) -> Outcome {
        let Some(known) = self.listing(id, tags) else {
            return outcome;
        };
        match outcome {
            Outcome::Failed(f) => Outcome::ExpectedFailure(f, known),
            Outcome::Passed => Outcome::Stale(known),
            other => other,
        }
    }

    /// The entries that match none of `all` (every loaded scenario, selected or not).
    pub fn unmatched(&self, all: &[Planned]) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| !all.iter().any(|p| Self::entry_matches(e, &p.id, &p.tags)))
            .collect()
    }
}

/// The text of a known-failures file listing `failing` (identity and reason: the failure's
/// class and one-line summary), after the `skip:` lines of `keep` (a profile survives being
/// rewritten). Identities are sorted, so rewriting the same results gives the same file.
pub fn render(failing: &[(String, String)], keep: Option<&Baseline>) -> String {
    let mut out = String::from(
        "# gws-conformance known failures: one entry a line, `# ` starts a comment, ` # ` a reason.\n\
         # <classname>: <test name> | tags: <tag expression> | skip: <tag expression> (profile)\n\
         # A listed scenario that passes fails the run: remove its line then.\n",
    );
    if let Some(b) = keep {
        for e in b
            .entries
            .iter()
            .filter(|e| matches!(e.matcher, Matcher::Skip(_)))
        {
            out.push_str(&e.text);
            if let Some(r) = &e.reason {
                out.push_str(" # ");
                out.push_str(r);
            }
            out.push('\n');
        }
    }
    let mut sorted: Vec<&(String, String)> = failing.iter().collect();
    sorted.sort();
    sorted.dedup();
    for (id, reason) in sorted {
        out.push_str(&escape(&one_line(id, usize::MAX)));
        let reason = one_line(reason, 160);
        if !reason.is_empty() {
            out.push_str(" # ");
            out.push_str(&reason);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::verdict::{Failure, HarnessError};

    const FILE: &str = "# header\n\
        \n\
        gws.chat.accept: agent accepts chat # server says Processing\n\
        tags: @sendurl\n\
        skip: @consult or @invite # no conferences here\n\
        vendor.x: a \\# b # reason\n";

    #[test]
    fn parses_ids_tags_skips_and_reasons() {
        let b = Baseline::parse("kf.txt", FILE).unwrap();
        assert_eq!(b.entries.len(), 4);
        assert!(
            matches!(&b.entries[0].matcher, Matcher::Id(id) if id == "gws.chat.accept: agent accepts chat")
        );
        assert_eq!(
            b.entries[0].reason.as_deref(),
            Some("server says Processing")
        );
        assert_eq!(b.entries[0].line, 3);
        assert!(matches!(b.entries[1].matcher, Matcher::Tags(_)));
        assert!(b.entries[1].reason.is_none());
        assert!(
            matches!(&b.entries[3].matcher, Matcher::Id(id) if id == "vendor.x: a # b"),
            "{:?}",
            b.entries[3]
        );
        let skips = b.skips();
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0].reason, "no conferences here (kf.txt:5)");
        assert!(skips[0].expr.eval(["consult".to_string()].iter()));
    }

    #[test]
    fn bad_lines_name_the_file_line_and_the_forms() {
        let e = Baseline::parse("kf.txt", "# ok\nnot an entry\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("--known-failures kf.txt:2: `not an entry`"),
            "{e}"
        );
        assert!(
            e.contains("<classname>: <test name>") && e.contains("tags:"),
            "{e}"
        );
        let e = Baseline::parse("kf.txt", "tags: @a and (\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("kf.txt:1: `@a and (` is not a tag expression"),
            "{e}"
        );
    }

    #[test]
    fn listed_failure_is_expected_listed_pass_is_stale_errors_stay() {
        let b = Baseline::parse("kf.txt", FILE).unwrap();
        let id = "gws.chat.accept: agent accepts chat";
        let f = Failure::new("StatusCodeMismatch", "statusCode is 2");
        match b.judge(id, &[], Outcome::Failed(f.clone())) {
            Outcome::ExpectedFailure(g, k) => {
                assert_eq!(g, f);
                assert_eq!(k.at, "kf.txt:3");
                assert_eq!(k.reason, "server says Processing");
            }
            o => panic!("{o:?}"),
        }
        assert!(
            matches!(b.judge(id, &[], Outcome::Passed), Outcome::Stale(k) if k.at == "kf.txt:3")
        );
        let e = Outcome::Error(HarnessError::new("TargetUnreachable", "down"));
        assert_eq!(b.judge(id, &[], e.clone()), e);
        // By tag; an unlisted scenario keeps its verdict; a skip line lists nothing.
        let tags = vec!["sendurl".to_string()];
        assert!(matches!(
            b.judge("gws.other: x", &tags, Outcome::Passed),
            Outcome::Stale(k) if k.at == "kf.txt:4"
        ));
        assert_eq!(
            b.judge("gws.other: x", &[], Outcome::Passed),
            Outcome::Passed
        );
        let consult = vec!["consult".to_string()];
        assert_eq!(
            b.judge("gws.other: x", &consult, Outcome::Passed),
            Outcome::Passed
        );
    }

    #[test]
    fn rendered_file_reads_back_with_the_same_entries() {
        let keep = Baseline::parse("kf.txt", FILE).unwrap();
        let failing = vec![
            (
                "gws.sms.x: b #1 [a=1]".to_string(),
                "K: two\nlines".to_string(),
            ),
            ("gws.chat.y: a".to_string(), String::new()),
        ];
        let text = render(&failing, Some(&keep));
        let back = Baseline::parse("w.txt", &text).unwrap();
        let ids: Vec<String> = back
            .entries
            .iter()
            .map(|e| match &e.matcher {
                Matcher::Id(id) => id.clone(),
                Matcher::Skip(_) => format!("skip {}", e.text),
                Matcher::Tags(_) => "tags".into(),
            })
            .collect();
        assert_eq!(
            ids,
            [
                "skip skip: @consult or @invite",
                "gws.chat.y: a",
                "gws.sms.x: b #1 [a=1]"
            ]
        );
        assert_eq!(back.entries[2].reason.as_deref(), Some("K: two lines"));
        assert_eq!(render(&failing, Some(&keep)), text);
    }
}
