//! What the target sends must not leak the agent's credentials nor drive the terminal.
//!
//! [`Secrets`] holds the run's secrets (the password, its HTTP Basic form, the CSRF token, the
//! session cookies' values, the passwords in `--target` and `--state-url`) as the run learns
//! them; [`Secrets::mask`] is the one redaction applied where target bytes reach an output: the
//! console lines, the transcript and every report ([`Secrets::mask_record`]).
//! [`escape_control`] makes target text safe for a terminal (no ESC, OSC, BEL, backspace, NUL
//! or other control or bidirectional-override characters). [`Secrets::for_console`] does both.

use std::{
    borrow::Cow,
    sync::{Arc, RwLock},
};

use base64::Engine as _;

use super::{
    report::{Outcome, RunRecord, ScenarioRecord},
    verdict::{Failure, HarnessError},
};

/// What a masked secret is replaced with.
pub const MASK: &str = "[redacted]";

/// Secrets shorter than this are not masked (masking every `a` would make output unreadable).
pub const MIN_SECRET_CHARS: usize = 4;

/// The run's secrets, shared (cloning shares the set); new ones can be added while the run goes.
#[derive(Clone, Default)]
pub struct Secrets(Arc<RwLock<Vec<String>>>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.read().map(|s| s.len()).unwrap_or(0);
        write!(f, "Secrets({n} masked)")
    }
}

impl Secrets {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `secret` and the forms it takes in output: as is, JSON-escaped (inside a JSON
    /// string) and percent-encoded (inside a URL). Ignored when shorter than
    /// [`MIN_SECRET_CHARS`].
    pub fn add(&self, secret: &str) {
        if secret.chars().count() < MIN_SECRET_CHARS {
            return;
        }
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json
            .strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or(secret)
            .to_string();
        let query: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let path =
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let Ok(mut set) = self.0.write() else { return };
        for form in [secret.to_string(), json, query, path] {
            if !set.contains(&form) {
                set.push(form);
            }
        }
        // Longest first: a secret containing another is masked whole.
        set.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Adds the agent's HTTP Basic credentials: the password and the base64 of `user:password`
    /// (what an `Authorization: Basic ...` header carries, RFC 7617).
    pub fn add_basic(&self, user: &str, password: &str) {
        self.add(password);
        self.add(&base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")));
    }

    /// Adds the credentials of a URL's userinfo (as written and percent-decoded), if any.
    pub fn add_url(&self, url: &url::Url) {
        if let Some(p) = url.password() {
            self.add(p);
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            self.add_basic(&decode(url.username()), &decode(p));
        }
    }

    /// `text` with every secret replaced by [`MASK`].
    pub fn mask<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Ok(set) = self.0.read() else {
            return Cow::Borrowed(text);
        };
        let mut out = Cow::Borrowed(text);
        for s in set.iter() {
            if out.contains(s.as_str()) {
                out = Cow::Owned(out.replace(s.as_str(), MASK));
            }
        }
        out
    }

    /// Masks `text` in place.
    pub fn mask_in_place(&self, text: &mut String) {
        if let Cow::Owned(m) = self.mask(text) {
            *text = m;
        }
    }

    /// [`Secrets::mask`], then [`escape_control`]: target text as it may reach a terminal.
    pub fn for_console(&self, text: &str) -> String {
        escape_control(&self.mask(text)).into_owned()
    }

    /// Masks every text of a run record (scenario names, steps, verdicts, transcripts, run
    /// errors): what every report writer receives.
    pub fn mask_record(&self, rec: &mut RunRecord) {
        for s in &mut rec.scenarios {
            self.mask_scenario(s);
        }
        for e in &mut rec.run_errors {
            self.mask_error(e);
        }
    }

    /// Masks every text of one scenario's record.
    pub fn mask_scenario(&self, s: &mut ScenarioRecord) {
        for t in [&mut s.name, &mut s.feature_name, &mut s.feature_path] {
            self.mask_in_place(t);
        }
        for step in &mut s.steps {
            self.mask_in_place(&mut step.value);
            if let Some(d) = &mut step.docstring {
                self.mask_in_place(d);
            }
            for cell in step.table.iter_mut().flatten() {
                self.mask_in_place(cell);
            }
        }
        for t in &mut s.transcript {
            self.mask_in_place(t);
        }
        match &mut s.outcome {
            Outcome::Passed => {}
            Outcome::Failed(f) => self.mask_failure(f),
            Outcome::Error(e) => self.mask_error(e),
            Outcome::Skipped(why) => self.mask_in_place(why),
            Outcome::ExpectedFailure(f, _) => self.mask_failure(f),
            Outcome::Stale(_) => {}
        }
    }

    fn mask_failure(&self, f: &mut Failure) {
        for t in [
            &mut f.summary,
            &mut f.rule,
            &mut f.source,
            &mut f.path,
            &mut f.expected,
            &mut f.actual,
            &mut f.detail,
        ] {
            self.mask_in_place(t);
        }
    }

    fn mask_error(&self, e: &mut HarnessError) {
        self.mask_in_place(&mut e.summary);
        self.mask_in_place(&mut e.detail);
    }
}

/// Whether `c` must not reach a terminal as is: C0 controls but newline and tab, DEL, C1
/// controls (8-bit CSI/OSC), and the bidirectional overrides and isolates that reorder what is
/// shown (CVE-2021-42574).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` with every character a terminal would act on written as a visible escape (`\u{1b}`):
/// a target's body cannot move the cursor, recolour, hide text, ring the bell or fake a line.
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_password_its_basic_form_and_escaped_forms() {
        let s = Secrets::new();
        s.add_basic("agent1", "pa\"ss word");
        let basic = base64::engine::general_purpose::STANDARD.encode("agent1:pa\"ss word");
        let text = format!(
            "echo pa\"ss word / Basic {basic} / {{\"p\":\"pa\\\"ss word\"}} / pa%22ss+word"
        );
        let m = s.mask(&text);
        assert!(!m.contains("ss word") && !m.contains(&basic), "{m}");
        assert_eq!(m.matches(MASK).count(), 4, "{m}");
        s.add("ab");
        assert_eq!(s.mask("ab"), "ab", "too short to mask");
    }

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        let t = "ok\u{1b}[8mhidden\u{7}\u{8}\0\u{9b}2J\u{202e}x\nnext\tcol";
        let e = escape_control(t);
        assert!(!e.chars().any(is_unsafe), "{e}");
        assert!(e.contains("\\u{1b}[8mhidden"), "{e}");
        assert!(e.contains("\nnext\tcol"), "{e}");
        assert!(matches!(escape_control("plain ✔"), Cow::Borrowed(_)));
    }
}
