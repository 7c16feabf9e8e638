//! The JUnit XML report, written with `quick-junit` and valid against the Jenkins xUnit
//! `junit-10.xsd` (conformance-anchors section 3.3): one `testsuite` per feature, `classname`
//! on every `testcase`, names unique across the file, exactly one `failure`/`error`/`skipped`
//! per non-passing testcase with a one-line `message`, a `type` and the full explanation in the
//! body, suite `properties`, and `[[PROPERTY|k=v]]` lines plus the step transcript in each
//! testcase's `system-out`. No ANSI codes, times in fixed-point seconds.

use std::{collections::HashSet, path::Path};

use quick_junit::{
    NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestRerun, TestSuite, XmlString,
};

use super::{Outcome, RunRecord};
use crate::run::verdict::one_line;

/// Run-wide facts written as suite properties.
#[derive(Clone, Debug, Default)]
pub struct ReportMeta {
    /// `gws-conformance` version.
    pub version: String,
    /// SHA-256 (hex) of the embedded features, schemas and fixtures.
    pub bundle_sha256: String,
    /// Target URL with credentials removed.
    pub target: String,
    /// The spellings the target used, `name=value; ...`.
    pub spellings: Vec<(String, String)>,
    /// The tag filter, empty for none.
    pub tags: String,
    /// `--strict` given.
    pub strict: bool,
    /// `--concurrency`.
    pub concurrency: usize,
    /// `--insecure`: TLS certificates were not verified.
    pub insecure: bool,
}

fn properties(meta: &ReportMeta) -> Vec<Property> {
    let mut p = vec![
        Property::new("suite.version", meta.version.as_str()),
        Property::new("suite.bundle.sha256", meta.bundle_sha256.as_str()),
        Property::new("target.url", meta.target.as_str()),
        Property::new(
            "tags",
            if meta.tags.is_empty() {
                "(all)"
            } else {
                meta.tags.as_str()
            },
        ),
        Property::new("strict", meta.strict.to_string()),
        Property::new("concurrency", meta.concurrency.to_string()),
        Property::new("tls.insecure", meta.insecure.to_string()),
    ];
    if meta.spellings.is_empty() {
        p.push(Property::new("spelling", "none observed"));
    }
    for (k, v) in &meta.spellings {
        p.push(Property::new(format!("spelling.{k}"), v));
    }
    p
}

/// Builds the XML text for `record`.
pub fn render(record: &RunRecord, meta: &ReportMeta) -> String {
    let mut report = Report::new(format!("gws-conformance {}", meta.version));
    let mut used_names: HashSet<String> = HashSet::new();
    let mut total = std::time::Duration::ZERO;

    let mut order: Vec<(String, String)> = record.feature_order.clone();
    for s in &record.scenarios {
        if !order.iter().any(|(p, _)| p == &s.feature_path) {
            order.push((s.feature_path.clone(), s.feature_name.clone()));
        }
    }
    let mut suite_id = 0usize;
    for (path, name) in &order {
        let scenarios: Vec<_> = record
            .scenarios
            .iter()
            .filter(|s| &s.feature_path == path)
            .collect();
        if scenarios.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(format!("{name} ({path})"));
        // junit-10.xsd allows `id`, `package` and `file` on a testsuite; GitHub annotators
        // fall back to `file`.
        suite
            .extra
            .insert(XmlString::new("id"), XmlString::new(suite_id.to_string()));
        suite_id += 1;
        if let Some(first) = scenarios.first() {
            suite
                .extra
                .insert(XmlString::new("package"), XmlString::new(&first.classname));
        }
        suite
            .extra
            .insert(XmlString::new("file"), XmlString::new(path));
        suite.add_properties(properties(meta));
        let mut suite_time = std::time::Duration::ZERO;
        let mut sorted = scenarios;
        sorted.sort_by_key(|s| s.line);
        for s in sorted {
            let status = match &s.outcome {
                Outcome::Passed => TestCaseStatus::success(),
                Outcome::Failed(f) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(one_line(&f.summary, 300));
                    st.set_type(f.kind);
                    st.set_description(format!(
                        "{}: {}\n{}{}",
                        f.kind,
                        f.summary,
                        s.failed_step_line(),
                        f.explanation()
                    ));
                    st
                }
                Outcome::Error(e) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
                    st.set_message(one_line(&e.summary, 300));
                    st.set_type(e.kind);
                    st.set_description(format!(
                        "{}: {}\n{}{}",
                        e.kind,
                        e.summary,
                        s.failed_step_line(),
                        e.detail
                    ));
                    st
                }
                Outcome::Skipped(why) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(one_line(why, 300));
                    st.set_type("Skipped");
                    st
                }
                // As pytest writes an xfail: a skipped testcase (consumers do not count it as
                // failed) whose message says why and whose body keeps the failure.
                Outcome::ExpectedFailure(f, known) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(one_line(
                        &format!("{}: {}: {}", known.expected_line(), f.kind, f.summary),
                        300,
                    ));
                    st.set_type("ExpectedFailure");
                    st.set_description(format!(
                        "{}\n{}: {}\n{}{}",
                        known.expected_line(),
                        f.kind,
                        f.summary,
                        s.failed_step_line(),
                        f.explanation()
                    ));
                    st
                }
                Outcome::Stale(known) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(one_line(&known.stale_line(), 300));
                    st.set_type("StaleKnownFailure");
                    st.set_description(format!("StaleKnownFailure: {}\n", known.stale_line()));
                    st
                }
            };
            // Earlier attempts (`--retry`), as Surefire writes them: `flakyError` under a pass,
            // `rerunError` under a failure or error; one testcase per scenario either way.
            let mut status = status;
            for e in &s.reruns {
                let mut rerun = TestRerun::new(NonSuccessKind::Error);
                rerun.set_message(one_line(&e.summary, 300));
                rerun.set_type(e.kind);
                rerun.set_description(format!("{}: {}\n{}", e.kind, e.summary, e.detail));
                status.add_rerun(rerun);
            }
            // Unique as written: quick-junit's XmlString drops ANSI escapes and control
            // characters, so names are compared after that.
            let base =
                XmlString::new(format!("{} ({}:{})", s.name, s.feature_path, s.line)).into_string();
            let mut name = base.clone();
            let mut n = 2;
            while !used_names.insert(name.clone()) {
                name = format!("{base} #{n}");
                n += 1;
            }
            let mut tc = TestCase::new(name, status);
            tc.set_classname(&s.classname);
            tc.set_time(s.duration);
            let mut out = String::new();
            let tags: Vec<String> = s.tags.iter().map(|t| format!("@{t}")).collect();
            out.push_str(&format!("[[PROPERTY|tags={}]]\n", tags.join(",")));
            if let Some(src) = &s.source {
                out.push_str(&format!("[[PROPERTY|source={src}]]\n"));
            }
            for step in &s.steps {
                out.push_str(step);
                out.push('\n');
            }
            if !matches!(s.outcome, Outcome::Passed) && !s.transcript.is_empty() {
                out.push_str("-- exchanges --\n");
                for l in &s.transcript {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            tc.set_system_out(out);
            suite_time += s.duration;
            suite.add_test_case(tc);
        }
        suite.set_time(suite_time);
        total += suite_time;
        report.add_test_suite(suite);
    }
    if !record.run_errors.is_empty() {
        let mut suite = TestSuite::new("gws-conformance run");
        suite.add_properties(properties(meta));
        for (i, e) in record.run_errors.iter().enumerate() {
            let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
            st.set_message(one_line(&e.summary, 300));
            st.set_type(e.kind);
            st.set_description(format!("{}: {}\n{}", e.kind, e.summary, e.detail));
            let base = match e.kind {
                "LoginFailed" => {
                    "agent login and CometD subscription (target-contract section 2)".to_string()
                }
                _ => format!("run problem {}: {}", i + 1, e.kind),
            };
            let mut name = base.clone();
            let mut n = 2;
            while !used_names.insert(name.clone()) {
                name = format!("{base} #{n}");
                n += 1;
            }
            let mut tc = TestCase::new(name, st);
            tc.set_classname("gws.run");
            tc.set_time(std::time::Duration::ZERO);
            suite.add_test_case(tc);
        }
        suite.set_time(std::time::Duration::ZERO);
        report.add_test_suite(suite);
    }
    report.set_time(total);
    let xml = report.to_string().unwrap_or_default();
    without_testsuites_skipped(xml, report.skipped)
}

/// junit-10.xsd allows only `name time tests failures errors` on `testsuites`. quick-junit 0.8
/// always writes `skipped="N"` there (`Report::skipped` is a plain count with no switch, and the
/// crate has no public serializer for a lone `testsuite` to write the root ourselves), so that
/// one attribute is cut from the root tag. The other optional root attributes it knows
/// (`disabled`, `uuid`, `timestamp`) are only written when set, and this report never sets them.
fn without_testsuites_skipped(mut xml: String, skipped: usize) -> String {
    let attr = format!(r#" skipped="{skipped}""#);
    let at = xml.find("<testsuites").and_then(|start| {
        let end = start + xml[start..].find('>')?;
        xml[start..end].find(&attr).map(|i| start + i)
    });
    if let Some(at) = at {
        xml.replace_range(at..at + attr.len(), "");
    }
    xml
}

/// Writes the report to `path`, creating its parent directory.
pub fn write(path: &Path, record: &RunRecord, meta: &ReportMeta) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, render(record, meta))
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
        ScenarioRecord {
            feature_name: "Chat Accept".into(),
            feature_path: "features/chat/accept.feature".into(),
            classname: "gws.chat.accept".into(),
            name: name.into(),
            test_name: name.into(),
            line,
            column: 3,
            tags: vec!["chat".into(), "accept".into()],
            source: Some("Chat API: Accept <https://x>".into()),
            duration: Duration::from_micros(1234),
            steps: vec!["✔ Given x".into()],
            outcome,
            transcript: vec!["→ POST \u{1b}[31mred\u{1b}[0m".into()],
            reruns: vec![],
            started: None,
        }
    }

    #[test]
    fn renders_one_status_element_classnames_properties_and_no_ansi() {
        let mut r = RunRecord::default();
        r.feature_order
            .push(("features/chat/accept.feature".into(), "Chat Accept".into()));
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios.push(rec(
            "a",
            9,
            Outcome::Failed(
                Failure::new("StatusCodeMismatch", "statusCode is 2,\nexpected 0").rule("r"),
            ),
        ));
        r.scenarios.push(rec(
            "b",
            12,
            Outcome::Error(HarnessError::new("ProviderStateSetup", "refused")),
        ));
        let meta = ReportMeta {
            version: "0.1.0".into(),
            tags: "@chat".into(),
            ..Default::default()
        };
        let xml = render(&r, &meta);
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains(r#"classname="gws.chat.accept""#));
        assert!(
            xml.contains(
                r#"<failure message="statusCode is 2, expected 0" type="StatusCodeMismatch">"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"type="ProviderStateSetup""#));
        assert!(xml.contains(r#"name="suite.version" value="0.1.0""#));
        assert!(xml.contains("[[PROPERTY|tags=@chat,@accept]]"));
        assert!(xml.contains(r#"time="0.001""#));
        let head = &xml[xml.find("<testsuites").unwrap()..];
        let head = &head[..head.find('>').unwrap()];
        let attrs: Vec<&str> = head
            .split('"')
            .step_by(2)
            .filter_map(|part| part.trim().rsplit(' ').next()?.strip_suffix('='))
            .collect();
        assert_eq!(
            attrs,
            ["name", "tests", "failures", "errors", "time"],
            "{head}"
        );
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert!(
            xml.contains(r#"file="features/chat/accept.feature""#),
            "{xml}"
        );
        assert!(xml.contains(r#"package="gws.chat.accept""#), "{xml}");
    }

    #[test]
    fn duplicate_names_get_suffixes() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        let xml = render(&r, &ReportMeta::default());
        assert!(xml.contains("accept.feature:5) #2"), "{xml}");
    }

    #[test]
    fn names_are_unique_after_quick_junit_drops_escapes() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec("a", 5, Outcome::Passed));
        r.scenarios
            .push(rec("\u{1b}[1ma\u{1b}[0m\u{7}", 5, Outcome::Passed));
        let xml = render(&r, &ReportMeta::default());
        assert!(
            xml.contains(r#"name="a (features/chat/accept.feature:5)""#),
            "{xml}"
        );
        assert!(xml.contains("accept.feature:5) #2"), "{xml}");
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}'));
    }
}
