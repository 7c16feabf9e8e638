//! The JUnit XML report, written with `quick-junit` and valid against the Jenkins xUnit
//! `junit-10.xsd` (conformance-anchors section 3.3).
//!
//! Layout (README, "Verdicts, reports and exit codes"):
//! - the first `testsuite`, `gws-conformance run`, holds the run-wide `properties` once (version,
//!   bundle SHA-256, target, tags, spellings, ...) and one `error` testcase per problem outside
//!   any scenario (login failed, interrupted, notifications lost); it has no testcase otherwise;
//! - then one `testsuite` per feature: `name` "feature (path)", `file` the feature file,
//!   `package` its classname, `timestamp` its first scenario's start, `hostname`;
//! - one `testcase` per scenario: `name` the scenario's name plus the Outline row's values (never
//!   a line number: editing a feature file renames no test), `classname` the feature's dotted id;
//! - a non-pass has exactly one `failure`/`error`/`skipped` whose `message` is the outcome's
//!   one-line message ([`super::Outcome::message`]: JSON path, expected, actual, rule; the same on
//!   every run for the same defect) and whose body starts with a stack-frame line
//!   `at <classname>(<file>:<line>)`, where annotators that read stack traces find the file
//!   and line (junit-10.xsd allows no `file`/`line` on a testcase), then the explanation;
//! - `system-out` of each testcase: location, tags, documentation page, steps, and for a
//!   non-pass the exchanges.
//!
//! No ANSI codes, times in fixed-point seconds, no text in angle brackets of our own (HTML
//! viewers take `<https://…>` for a tag), documentation cited by full URL.

use std::{collections::HashSet, io::Write, path::Path, time::SystemTime};

use quick_junit::{
    NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestRerun, TestSuite, XmlString,
};

use super::{Outcome, RunRecord, ScenarioRecord};

/// Run-wide facts, written once as the first suite's properties.
#[derive(Clone, Debug, Default)]
pub struct ReportMeta {
    /// `gws-conformance` version.
    pub version: String,
    /// SHA-256 (hex) of the embedded features, schemas and fixtures.
    pub bundle_sha256: String,
    /// Target URL with credentials removed.
    pub target: String,
    /// The spellings the target used, (name, value).
    pub spellings: Vec<(String, String)>,
    /// The tag filter, empty for none.
    pub tags: String,
    /// `--strict` given.
    pub strict: bool,
    /// `--concurrency`.
    pub concurrency: usize,
    /// `--insecure`: TLS certificates were not verified.
    pub insecure: bool,
    /// When the run started.
    pub started_at: Option<SystemTime>,
    /// The machine that ran the suite.
    pub hostname: String,
}

impl ReportMeta {
    /// The run-wide facts as (name, value) pairs, in the order reports list them.
    pub fn facts(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("suite.version".to_string(), self.version.clone()),
            (
                "suite.bundle.sha256".to_string(),
                self.bundle_sha256.clone(),
            ),
            ("target.url".to_string(), self.target.clone()),
            (
                "tags".to_string(),
                if self.tags.is_empty() {
                    "(all)".to_string()
                } else {
                    self.tags.clone()
                },
            ),
            ("strict".to_string(), self.strict.to_string()),
            ("concurrency".to_string(), self.concurrency.to_string()),
            ("tls.insecure".to_string(), self.insecure.to_string()),
            (
                "run.started".to_string(),
                chrono::DateTime::<chrono::Utc>::from(self.started())
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            ),
            ("hostname".to_string(), self.hostname.clone()),
        ];
        if self.spellings.is_empty() {
            p.push(("spelling".to_string(), "none observed".to_string()));
        }
        for (k, v) in &self.spellings {
            p.push((format!("spelling.{k}"), v.clone()));
        }
        p
    }

    fn started(&self) -> SystemTime {
        self.started_at.unwrap_or(SystemTime::UNIX_EPOCH)
    }
}

/// The name of the first testsuite: run-wide properties and run errors.
pub const RUN_SUITE: &str = "gws-conformance run";

fn timestamp(t: SystemTime) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::<chrono::Utc>::from(t).fixed_offset()
}

fn with_host(suite: &mut TestSuite, info: &ReportMeta, id: usize) {
    suite
        .extra
        .insert(XmlString::new("id"), XmlString::new(id.to_string()));
    suite.extra.insert(
        XmlString::new("hostname"),
        XmlString::new(info.hostname.as_str()),
    );
}

/// The status element of a testcase: one `failure`, `error` or `skipped` with the outcome's
/// type and message, the body starting with `frame`.
fn status(outcome: &Outcome, frame: &str, failed_step: &str) -> TestCaseStatus {
    let mut st = match outcome {
        Outcome::Passed => return TestCaseStatus::success(),
        Outcome::Failed(_) | Outcome::Stale(_) => {
            TestCaseStatus::non_success(NonSuccessKind::Failure)
        }
        Outcome::Error(_) => TestCaseStatus::non_success(NonSuccessKind::Error),
        // An expected failure as pytest writes an xfail: a skipped testcase (consumers do not
        // count it as failed) whose body keeps the failure.
        Outcome::Skipped(_) | Outcome::ExpectedFailure(..) => TestCaseStatus::skipped(),
    };
    st.set_message(outcome.message().unwrap_or_default());
    st.set_type(outcome.kind().unwrap_or_default());
    if !matches!(outcome, Outcome::Skipped(_)) {
        st.set_description(format!("{frame}\n{}", outcome.explanation(failed_step)));
    }
    st
}

fn system_out(s: &ScenarioRecord) -> String {
    let mut out = format!("scenario:      {}\n", s.location());
    let tags: Vec<String> = s.tags.iter().map(|t| format!("@{t}")).collect();
    out.push_str(&format!("tags:          {}\n", tags.join(" ")));
    if let Some(src) = &s.source {
        out.push_str(&format!("documentation: {src}\n"));
    }
    out.push_str("steps:\n");
    for step in &s.steps {
        out.push_str("  ");
        out.push_str(&step.line_text());
        out.push('\n');
    }
    if !matches!(s.outcome, Outcome::Passed) && !s.transcript.is_empty() {
        out.push_str("exchanges:\n");
        for l in &s.transcript {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// A name not used yet in this report (as written: quick-junit's XmlString drops ANSI escapes
/// and control characters, so names are compared after that): `base`, else `base #2`, ...
fn unique(used: &mut HashSet<String>, base: &str) -> String {
    let base = XmlString::new(base).into_string();
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base} #{n}");
        n += 1;
    }
    name
}

/// Builds the XML text for `record`.
pub fn render(record: &RunRecord, info: &ReportMeta) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = serialize(record, info, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the XML of `record` to `out` as it is serialized (a run of 10,000 scenarios never
/// holds its whole report text), the root's `skipped` attribute cut on the way.
fn serialize(record: &RunRecord, info: &ReportMeta, out: impl Write) -> std::io::Result<()> {
    let report = build(record, info);
    let mut w = WithoutRootSkipped::new(out, report.skipped);
    report.serialize(&mut w).map_err(std::io::Error::other)?;
    w.finish()
}

/// The quick-junit report of `record`.
fn build(record: &RunRecord, info: &ReportMeta) -> Report {
    let mut report = Report::new(format!("gws-conformance {}", info.version));
    let mut total = std::time::Duration::ZERO;

    // Run-wide: the properties once, and the run errors.
    let mut run = TestSuite::new(RUN_SUITE);
    with_host(&mut run, info, 0);
    run.timestamp = Some(timestamp(info.started()));
    run.add_properties(info.facts().into_iter().map(|(k, v)| Property::new(k, v)));
    let mut run_names = HashSet::new();
    for e in &record.run_errors {
        let outcome = Outcome::Error(e.clone());
        let base = match e.kind {
            "LoginFailed" => {
                "agent login and CometD subscription (target-contract section 2)".to_string()
            }
            kind => format!("run problem: {kind}"),
        };
        let mut tc = TestCase::new(
            unique(&mut run_names, &base),
            status(&outcome, "at gws.run(gws-conformance run)", ""),
        );
        tc.set_classname("gws.run");
        tc.set_time(std::time::Duration::ZERO);
        run.add_test_case(tc);
    }
    run.set_time(std::time::Duration::ZERO);
    report.add_test_suite(run);

    for (i, (path, name, scenarios)) in record.by_feature().into_iter().enumerate() {
        let mut suite = TestSuite::new(format!("{name} ({path})"));
        with_host(&mut suite, info, i + 1);
        suite.timestamp = scenarios.iter().map(|s| s.started_at).min().map(timestamp);
        // junit-10.xsd allows `package` and `file` on a testsuite (not on a testcase);
        // annotators fall back to the suite's `file`.
        if let Some(first) = scenarios.first() {
            suite
                .extra
                .insert(XmlString::new("package"), XmlString::new(&first.classname));
        }
        suite
            .extra
            .insert(XmlString::new("file"), XmlString::new(&path));
        let mut suite_time = std::time::Duration::ZERO;
        let mut used = HashSet::new();
        for s in scenarios {
            let frame = format!("at {}({})", s.classname, s.location());
            let mut status = status(&s.outcome, &frame, &s.failed_step_line());
            // Earlier attempts (`--retry`), as Surefire writes them: `flakyError` under a pass,
            // `rerunError` under a failure or error; one testcase per scenario either way.
            for e in &s.reruns {
                let mut rerun = TestRerun::new(NonSuccessKind::Error);
                rerun.set_message(e.message());
                rerun.set_type(e.kind);
                rerun.set_description(format!("{frame}\n{}: {}\n{}", e.kind, e.summary, e.detail));
                status.add_rerun(rerun);
            }
            let mut tc = TestCase::new(unique(&mut used, &s.test_name), status);
            tc.set_classname(&s.classname);
            tc.set_time(s.duration);
            tc.set_system_out(system_out(s));
            suite_time += s.duration;
            suite.add_test_case(tc);
        }
        suite.set_time(suite_time);
        total += suite_time;
        report.add_test_suite(suite);
    }
    report.set_time(total);
    report
}

/// junit-10.xsd allows only `name time tests failures errors` on `testsuites`. quick-junit 0.8
/// always writes `skipped="N"` there (`Report::skipped` is a plain count with no switch, and the
/// crate has no public serializer for a lone `testsuite` to write the root ourselves), so that
/// one attribute is cut from the root tag. The other optional root attributes it knows
/// (`disabled`, `uuid`, `timestamp`) are only written when set, and this report never sets them.
struct WithoutRootSkipped<W: Write> {
    inner: W,
    /// The start of the text, held until the root start tag is complete; `None` after.
    head: Option<Vec<u8>>,
    attr: String,
}

impl<W: Write> WithoutRootSkipped<W> {
    /// The root tag is within the first few hundred bytes; past this the head is let through.
    const HEAD_MAX: usize = 64 * 1024;

    fn new(inner: W, skipped: usize) -> Self {
        Self {
            inner,
            head: Some(Vec::new()),
            attr: format!(r#" skipped="{skipped}""#),
        }
    }

    /// Writes the held head, with the attribute cut when its root tag is complete (or `force`).
    fn release(&mut self, force: bool) -> std::io::Result<()> {
        let Some(head) = &self.head else {
            return Ok(());
        };
        let text = String::from_utf8_lossy(head);
        let Some(start) = text.find("<testsuites") else {
            if force || head.len() > Self::HEAD_MAX {
                let head = self.head.take().unwrap_or_default();
                return self.inner.write_all(&head);
            }
            return Ok(());
        };
        let Some(end) = text[start..].find('>').map(|e| start + e) else {
            if force || head.len() > Self::HEAD_MAX {
                let head = self.head.take().unwrap_or_default();
                return self.inner.write_all(&head);
            }
            return Ok(());
        };
        let mut text = text.into_owned();
        if let Some(i) = text[start..end].find(&self.attr) {
            text.replace_range(start + i..start + i + self.attr.len(), "");
        }
        self.head = None;
        self.inner.write_all(text.as_bytes())
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.release(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for WithoutRootSkipped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.head {
            Some(head) => {
                head.extend_from_slice(buf);
                self.release(false)?;
            }
            None => self.inner.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the report to `path`, creating its parent directory.
pub fn write(path: &Path, record: &RunRecord, info: &ReportMeta) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    serialize(record, info, file)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::run::{
        report::ScenarioRecord,
        verdict::{Failure, HarnessError},
    };

    fn rec(name: &str, line: usize, outcome: Outcome) -> ScenarioRecord {
        let mut r = crate::run::report::fixture::scenario(name, line, &["chat", "accept"], outcome);
        r.feature_name = "Chat Accept".into();
        r.source = Some("Chat API: Accept — https://x".into());
        r.duration = Duration::from_micros(1234);
        r.steps = vec![super::super::StepRecord::new(
            "Given ",
            "x",
            4,
            super::super::StepStatus::Passed,
        )];
        r.transcript = vec!["→ POST \u{1b}[31mred\u{1b}[0m".into()];
        r
    }

    fn attrs_of(xml: &str, tag: &str) -> Vec<String> {
        let head = &xml[xml.find(tag).unwrap()..];
        let head = &head[..head.find('>').unwrap()];
        head.split('"')
            .step_by(2)
            .filter_map(|part| {
                Some(
                    part.trim()
                        .rsplit(' ')
                        .next()?
                        .strip_suffix('=')?
                        .to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn one_status_element_run_wide_properties_once_and_no_ansi() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios.push(rec(
            "c",
            9,
            Outcome::Failed(
                Failure::new("StatusCodeMismatch", "statusCode is 2,\nexpected 0")
                    .rule("r")
                    .path("/statusCode")
                    .expected_actual("0", "2"),
            ),
        ));
        r.scenarios.push(rec(
            "b",
            12,
            Outcome::Error(HarnessError::new("ProviderStateSetup", "refused")),
        ));
        let info = ReportMeta {
            version: "0.1.0".into(),
            tags: "@chat".into(),
            hostname: "ci-host".into(),
            ..Default::default()
        };
        for s in &mut r.scenarios {
            s.started_at = SystemTime::UNIX_EPOCH;
        }
        let xml = render(&r, &info);
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains(r#"classname="gws.chat.accept""#));
        assert!(
            xml.contains(
                r#"<failure message="/statusCode: expected 0, got 2 (r)" type="StatusCodeMismatch">at gws.chat.accept(features/chat/accept.feature:9)"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"type="ProviderStateSetup""#));
        assert_eq!(
            xml.matches(r#"name="suite.version" value="0.1.0""#).count(),
            1
        );
        assert!(xml.contains("tags:          @chat @accept"), "{xml}");
        assert!(!xml.contains("[[PROPERTY"), "{xml}");
        assert!(xml.contains(r#"time="0.001""#));
        assert_eq!(
            attrs_of(&xml, "<testsuites"),
            ["name", "tests", "failures", "errors", "time"]
        );
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert!(
            xml.contains(r#"file="features/chat/accept.feature""#),
            "{xml}"
        );
        assert!(xml.contains(r#"package="gws.chat.accept""#), "{xml}");
        assert_eq!(xml.matches(r#"hostname="ci-host""#).count(), 2, "{xml}");
        assert_eq!(xml.matches("timestamp=\"").count(), 2, "{xml}");
        assert!(
            xml.contains(r#"<testcase name="c" classname="gws.chat.accept""#),
            "{xml}"
        );
    }

    #[test]
    fn the_root_skipped_attribute_is_cut_however_the_text_is_split() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Skipped("x".into())));
        let xml = render(&r, &ReportMeta::default());
        assert_eq!(
            attrs_of(&xml, "<testsuites"),
            ["name", "tests", "failures", "errors", "time"]
        );
        // Byte by byte through the filter: the same text.
        let report = build(&r, &ReportMeta::default());
        let mut whole = Vec::new();
        report.serialize(&mut whole).unwrap();
        let mut out = Vec::new();
        let mut w = WithoutRootSkipped::new(&mut out, report.skipped);
        for b in &whole {
            w.write_all(std::slice::from_ref(b)).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), xml);
        assert!(
            String::from_utf8(whole)
                .unwrap()
                .contains(r#" skipped="1""#)
        );
    }

    #[test]
    fn duplicate_names_get_suffixes_and_names_carry_no_line() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios.push(rec("a", 8, Outcome::Passed));
        let xml = render(&r, &ReportMeta::default());
        assert!(xml.contains(r#"<testcase name="a" "#), "{xml}");
        assert!(xml.contains(r#"<testcase name="a #2" "#), "{xml}");
        assert!(!xml.contains("accept.feature:5)\""), "{xml}");
    }

    #[test]
    fn names_are_unique_after_quick_junit_drops_escapes() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios
            .push(rec("\u{1b}[1ma\u{1b}[0m\u{7}", 6, Outcome::Passed));
        let xml = render(&r, &ReportMeta::default());
        assert!(xml.contains(r#"name="a #2""#), "{xml}");
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}'));
    }

    #[test]
    fn run_errors_live_in_the_run_suite_with_the_properties() {
        let mut r = RunRecord::default();
        r.run_errors
            .push(HarnessError::new("LoginFailed", "target unreachable"));
        let xml = render(&r, &ReportMeta::default());
        let run = &xml[xml.find(RUN_SUITE).unwrap()..];
        assert!(run.find("<properties>").unwrap() < run.find("<testcase").unwrap());
        assert!(
            xml.contains(r#"<error message="target unreachable" type="LoginFailed">"#),
            "{xml}"
        );
    }
}
