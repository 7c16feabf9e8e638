//! Verdicts: how a step tells the report what went wrong. A step that finds a broken documented
//! rule raises a [`Failure`]; a step that cannot judge (provider state refused, transport down)
//! raises a [`HarnessError`]. Both travel as typed panic payloads ([`std::panic::panic_any`]) that
//! the report writer downcasts from cucumber's `Step::Failed` event.

use std::fmt;

use serde_json::Value;

/// The outcome of a step that did not pass, carried as a panic payload.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The target broke a documented rule.
    Failure(Failure),
    /// The run could not judge (setup, transport, harness).
    Error(HarnessError),
    /// The rule does not apply to this target (e.g. CSRF protection is off): the scenario is
    /// reported as skipped with this reason, never as a pass or a failure.
    Skipped(String),
}

/// A conformance failure: the target broke a documented rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// Check class shown as the JUnit `type`, e.g. `SchemaViolation`, `StatusCodeMismatch`,
    /// `NotificationTimeout`, `SpellingNotNewest`.
    pub kind: &'static str,
    /// One line: what went wrong, e.g. "statusCode is 2, expected 0".
    pub summary: String,
    /// The rule in words.
    pub rule: String,
    /// The documentation page (name and URL) the rule comes from.
    pub source: String,
    /// JSON path (JSON Pointer) into the payload, empty for the root.
    pub path: String,
    /// What the documentation allows here.
    pub expected: String,
    /// What the target sent here.
    pub actual: String,
    /// Further explanation (other violations, what arrived instead, ...); may be empty.
    pub detail: String,
}

/// A harness error: the run could not judge this scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct HarnessError {
    /// Error class shown as the JUnit `type`, e.g. `ProviderStateSetup`, `TargetUnreachable`,
    /// `BayeuxTransport`, `UndefinedStep`.
    pub kind: &'static str,
    /// One line: what could not be done.
    pub summary: String,
    /// Further explanation; may be empty.
    pub detail: String,
}

impl Failure {
    /// A failure of class `kind` with a one-line `summary`; fill the rest with the builder methods.
    pub fn new(kind: &'static str, summary: impl Into<String>) -> Self {
        Self {
            kind,
            summary: summary.into(),
            rule: String::new(),
            source: String::new(),
            path: String::new(),
            expected: String::new(),
            actual: String::new(),
            detail: String::new(),
        }
    }
    /// Sets the rule in words.
    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = rule.into();
        self
    }
    /// Sets the documentation page.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }
    /// Sets the JSON path.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    /// Sets expected and actual.
    pub fn expected_actual(
        mut self,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        self.expected = expected.into();
        self.actual = actual.into();
        self
    }
    /// Sets the further explanation.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// The one line that reports show first (JUnit `message`, the Cucumber JSON error's first
    /// line, the Markdown summary, the HTML report, `::error` annotations): the JSON path,
    /// expected, actual and the rule, e.g.
    /// `` /chat/state: expected one of ["Chatting"], got "Processing" (`state` must be one of the documented values) ``.
    /// It holds nothing that differs between two runs against the same defect (interaction ids,
    /// measured durations, sequence numbers live in [`Failure::detail`] and the summary), so
    /// consumers can group failures and compare runs. A failure without expected and actual
    /// is its summary and rule. At most [`MESSAGE_MAX`] characters, on one line.
    pub fn message(&self) -> String {
        let text = if self.expected.is_empty() && self.actual.is_empty() {
            if self.rule.is_empty() || self.rule == self.summary {
                self.summary.clone()
            } else {
                format!("{} ({})", self.summary, self.rule)
            }
        } else {
            let at = if self.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", self.path)
            };
            let rule = if self.rule.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.rule)
            };
            format!(
                "{at}expected {}, got {}{rule}",
                one_line(&self.expected, VALUE_MAX),
                one_line(&self.actual, VALUE_MAX)
            )
        };
        one_line(&text, MESSAGE_MAX)
    }

    /// The full explanation: rule, documentation page, JSON path, expected, actual, a line diff
    /// of expected vs actual when both span several lines, then the detail. Never coloured.
    pub fn explanation(&self) -> String {
        let mut out = String::new();
        let mut line = |k: &str, v: &str| {
            if !v.is_empty() {
                out.push_str(&format!("{k:<15}{v}\n"));
            }
        };
        line("rule:", &self.rule);
        line("documentation:", &self.source);
        line(
            "JSON path:",
            if self.path.is_empty() && !self.expected.is_empty() {
                "(root)"
            } else {
                &self.path
            },
        );
        if !self.expected.contains('\n') && !self.actual.contains('\n') {
            line("expected:", &self.expected);
            line("actual:", &self.actual);
        } else {
            out.push_str("expected vs actual (- expected, + actual):\n");
            out.push_str(&text_diff(&self.expected, &self.actual));
        }
        if !self.detail.is_empty() {
            out.push_str(self.detail.trim_end());
            out.push('\n');
        }
        out
    }
}

/// The longest [`Failure::message`] / [`HarnessError::message`], in characters.
pub const MESSAGE_MAX: usize = 400;
/// The longest expected or actual value inside a message, in characters.
const VALUE_MAX: usize = 160;

impl HarnessError {
    /// The one line reports show first: the summary, on one line, at most [`MESSAGE_MAX`]
    /// characters.
    pub fn message(&self) -> String {
        one_line(&self.summary, MESSAGE_MAX)
    }

    /// An error of class `kind` with a one-line `summary`.
    pub fn new(kind: &'static str, summary: impl Into<String>) -> Self {
        Self {
            kind,
            summary: summary.into(),
            detail: String::new(),
        }
    }
    /// Sets the further explanation.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Whether the error is a transport error ([`TRANSPORT_KINDS`]): the only kind `--retry`
    /// runs again.
    pub fn is_transport(&self) -> bool {
        TRANSPORT_KINDS.contains(&self.kind)
    }
}

/// The error classes that are transport errors: the target could not be reached, an HTTP
/// request got no answer in time, a Bayeux (CometD) exchange failed.
pub const TRANSPORT_KINDS: [&str; 3] = ["TargetUnreachable", "RequestTimeout", "BayeuxTransport"];

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Failure(x) => write!(f, "{}: {}", x.kind, x.summary),
            Verdict::Error(x) => write!(f, "{}: {}", x.kind, x.summary),
            Verdict::Skipped(why) => write!(f, "skipped: {why}"),
        }
    }
}

/// Ends the current step with a conformance failure.
pub fn fail(failure: Failure) -> ! {
    std::panic::panic_any(Verdict::Failure(failure))
}

/// Ends the current step with a harness error.
pub fn error(err: HarnessError) -> ! {
    std::panic::panic_any(Verdict::Error(err))
}

/// Ends the current step, and the scenario, as skipped with `reason`: the rule it checks does not
/// apply to this target.
pub fn skip(reason: impl Into<String>) -> ! {
    std::panic::panic_any(Verdict::Skipped(reason.into()))
}

/// A unified line diff of two texts (`-` expected, `+` actual), uncoloured.
pub fn text_diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        out.push(sign);
        out.push(' ');
        out.push_str(change.value().trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

/// Pretty JSON for explanations (two-space indent).
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Compact JSON cut to `max` characters (for one-line messages).
pub fn compact(value: &Value, max: usize) -> String {
    one_line(&value.to_string(), max)
}

/// `s` on one line (newlines become spaces), cut to `max` characters with an ellipsis.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Turns a step panic payload into a verdict: our typed payloads as they are, anything else
/// (a bug in a step) as a harness error carrying the panic text.
pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Verdict {
    if let Some(v) = payload.downcast_ref::<Verdict>() {
        return v.clone();
    }
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "step panicked with a non-text payload".to_string());
    Verdict::Error(HarnessError::new("HarnessPanic", one_line(&text, 200)).detail(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_payload_survives_downcast() {
        let f = Failure::new("StatusCodeMismatch", "statusCode is 2, expected 0");
        let caught = std::panic::catch_unwind(|| fail(f.clone())).unwrap_err();
        assert_eq!(from_panic(caught.as_ref()), Verdict::Failure(f));
    }

    #[test]
    fn plain_panic_becomes_harness_error() {
        let caught = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        match from_panic(caught.as_ref()) {
            Verdict::Error(e) => {
                assert_eq!(e.kind, "HarnessPanic");
                assert_eq!(e.summary, "boom 1");
            }
            other => panic!("expected an error verdict, got {other:?}"),
        }
    }

    #[test]
    fn explanation_names_rule_page_path_and_diffs_multiline_values() {
        let f = Failure::new("SchemaViolation", "state is wrong")
            .rule("state must be Chatting")
            .source("ChatAccept https://example.test/ChatAccept")
            .path("/chat/state")
            .expected_actual("{\n  \"a\": 1\n}", "{\n  \"a\": 2\n}");
        let text = f.explanation();
        assert!(
            text.contains("rule:          state must be Chatting"),
            "{text}"
        );
        assert!(text.contains("documentation: ChatAccept"), "{text}");
        assert!(text.contains("JSON path:     /chat/state"), "{text}");
        assert!(text.contains("-   \"a\": 1"), "{text}");
        assert!(text.contains("+   \"a\": 2"), "{text}");
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn message_carries_path_expected_actual_and_rule_on_one_line() {
        let f = Failure::new("SchemaViolation", "state is wrong for chat 0000AB")
            .rule("`state` must be one of the documented values")
            .path("/chat/state")
            .expected_actual("one of [\"Chatting\"]", "\"Processing\"")
            .detail("interaction 0000AB");
        assert_eq!(
            f.message(),
            "/chat/state: expected one of [\"Chatting\"], got \"Processing\" (`state` must be one of the documented values)"
        );
        let multi = Failure::new("CapabilitiesMissing", "x")
            .rule("r")
            .path("")
            .expected_actual("A\nB", "C ".repeat(200));
        let m = multi.message();
        assert!(m.starts_with("expected A B, got C C"), "{m}");
        assert!(!m.contains('\n') && m.chars().count() <= MESSAGE_MAX, "{m}");
        assert_eq!(
            Failure::new("X", "it broke").rule("the rule").message(),
            "it broke (the rule)"
        );
    }

    #[test]
    fn one_line_flattens_and_cuts() {
        assert_eq!(one_line("a\nb   c", 10), "a b c");
        assert_eq!(one_line("abcdefghijkl", 5), "abcd…");
    }
}
