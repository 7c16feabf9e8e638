//! Helpers shared by the runner's integration tests: running the suite in-process, and checking
//! a JUnit report against junit-10.xsd (xmllint) and the report constraints (quick-xml).

#![allow(dead_code)]

#[path = "../common/junit_xsd.rs"]
pub mod junit_xsd;

use std::{collections::HashMap, path::Path};

use gws_conformance::run::{RunArgs, RunOutcome, execute, report::Outcome};
use quick_xml::{Reader, events::Event};

type Hook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The process's panic hook from before the first run.
static ORIGINAL_HOOK: std::sync::Mutex<Option<Hook>> = std::sync::Mutex::new(None);
/// Runs in flight in this test process.
static ACTIVE_RUNS: std::sync::Mutex<usize> = std::sync::Mutex::new(0);

/// cucumber swaps the process-wide panic hook for a silent one during a run and puts back the
/// one it found; with overlapping runs the silent one can stay, hiding later assertion
/// messages. Each run therefore counts itself, and the last one to finish reinstalls a hook
/// forwarding to the original.
fn run_started() {
    let mut active = ACTIVE_RUNS.lock().unwrap();
    if *active == 0 {
        let mut original = ORIGINAL_HOOK.lock().unwrap();
        if original.is_none() {
            *original = Some(std::panic::take_hook());
        }
    }
    *active += 1;
}

fn run_finished() {
    let mut active = ACTIVE_RUNS.lock().unwrap();
    *active -= 1;
    if *active == 0 {
        std::panic::set_hook(Box::new(|info| {
            if let Some(h) = ORIGINAL_HOOK.lock().ok().as_ref().and_then(|o| o.as_ref()) {
                h(info);
            }
        }));
    }
}

/// Runs the suite in-process with `flags` (run flags only) and a JUnit path in `dir`.
pub async fn run(dir: &Path, flags: &[&str]) -> (RunOutcome, String) {
    run_started();
    let result = run_inner(dir, flags).await;
    run_finished();
    result
}

async fn run_inner(dir: &Path, flags: &[&str]) -> (RunOutcome, String) {
    let junit = dir.join("report").join("junit.xml");
    let mut args: Vec<String> = vec![
        "--junit".into(),
        junit.display().to_string(),
        "--color".into(),
        "never".into(),
        "--quiet".into(),
        "--silent".into(),
    ];
    args.extend(flags.iter().map(|s| s.to_string()));
    let args = RunArgs::from_args(args).expect("run flags parse");
    let outcome = execute(args).await;
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    (outcome, xml)
}

/// Scenario name → outcome class (`passed`, `failed:<type>`, `error:<type>`, `skipped`).
pub fn verdicts(outcome: &RunOutcome) -> HashMap<String, String> {
    outcome
        .record
        .scenarios
        .iter()
        .map(|s| {
            let v = match &s.outcome {
                Outcome::Passed => "passed".to_string(),
                Outcome::Failed(f) => format!("failed:{}", f.kind),
                Outcome::Error(e) => format!("error:{}", e.kind),
                Outcome::Skipped(_) => "skipped".to_string(),
                Outcome::ExpectedFailure(f, _) => format!("expected:{}", f.kind),
                Outcome::Stale(_) => "stale".to_string(),
            };
            (format!("{}:{} {}", s.feature_path, s.line, s.name), v)
        })
        .collect()
}

/// Validates `xml` against the Jenkins junit-10.xsd with xmllint; fails the test (with the
/// report) when it is not valid or xmllint is missing.
pub fn assert_valid_against_xsd(xml: &str, dir: &Path) {
    if let Err(e) = junit_xsd::junit_xsd_check(xml, dir) {
        panic!("{e}\n{xml}");
    }
}

/// One parsed testcase.
#[derive(Debug, Default, Clone)]
pub struct Case {
    pub name: String,
    pub classname: Option<String>,
    pub time: Option<String>,
    /// (element, type, message, body) of each failure/error/skipped child.
    pub statuses: Vec<(String, Option<String>, Option<String>, String)>,
    pub system_out: String,
}

/// What the report holds.
#[derive(Debug, Default)]
pub struct Parsed {
    /// (name, properties) of each testsuite.
    pub suites: Vec<(String, Vec<(String, String)>)>,
    /// The attributes of each testsuite.
    pub suite_attrs: Vec<HashMap<String, String>>,
    pub cases: Vec<Case>,
    pub times: Vec<String>,
    pub testsuites_attrs: Vec<String>,
}

/// Parses the report with quick-xml.
pub fn parse(xml: &str) -> Parsed {
    let mut reader = Reader::from_str(xml);
    let mut parsed = Parsed::default();
    let mut current: Option<Case> = None;
    let mut in_status: Option<usize> = None;
    let mut in_out = false;
    loop {
        let ev = reader.read_event().expect("well-formed XML");
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let attrs: HashMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("attribute value")
                                .into_owned(),
                        )
                    })
                    .collect();
                if let Some(t) = attrs.get("time") {
                    parsed.times.push(t.clone());
                }
                match name.as_str() {
                    "testsuites" => parsed.testsuites_attrs = attrs.keys().cloned().collect(),
                    "testsuite" => {
                        parsed
                            .suites
                            .push((attrs.get("name").cloned().unwrap_or_default(), Vec::new()));
                        parsed.suite_attrs.push(attrs.clone());
                    }
                    "property" => {
                        if let Some(s) = parsed.suites.last_mut() {
                            s.1.push((attrs["name"].clone(), attrs["value"].clone()));
                        }
                    }
                    "testcase" => {
                        let c = Case {
                            name: attrs.get("name").cloned().unwrap_or_default(),
                            classname: attrs.get("classname").cloned(),
                            time: attrs.get("time").cloned(),
                            ..Default::default()
                        };
                        if empty {
                            parsed.cases.push(c);
                        } else {
                            current = Some(c);
                        }
                    }
                    "failure" | "error" | "skipped" => {
                        if let Some(c) = current.as_mut() {
                            c.statuses.push((
                                name.clone(),
                                attrs.get("type").cloned(),
                                attrs.get("message").cloned(),
                                String::new(),
                            ));
                            if !empty {
                                in_status = Some(c.statuses.len() - 1);
                            }
                        }
                    }
                    "system-out" => in_out = !empty && current.is_some(),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let text = t.decode().expect("text").into_owned();
                let text = quick_xml::escape::unescape(&text)
                    .expect("unescape")
                    .into_owned();
                if let Some(c) = current.as_mut() {
                    if let Some(i) = in_status {
                        c.statuses[i].3.push_str(&text);
                    } else if in_out {
                        c.system_out.push_str(&text);
                    }
                }
            }
            Event::GeneralRef(r) => {
                let s = match r.decode().expect("ref").as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                }
                .to_string();
                if let Some(c) = current.as_mut() {
                    if let Some(i) = in_status {
                        c.statuses[i].3.push_str(&s);
                    } else if in_out {
                        c.system_out.push_str(&s);
                    }
                }
            }
            Event::CData(t) => {
                if let Some(c) = current.as_mut() {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    if let Some(i) = in_status {
                        c.statuses[i].3.push_str(&text);
                    } else if in_out {
                        c.system_out.push_str(&text);
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"testcase" => {
                    if let Some(c) = current.take() {
                        parsed.cases.push(c);
                    }
                }
                b"failure" | b"error" | b"skipped" => in_status = None,
                b"system-out" => in_out = false,
                _ => {}
            },
            _ => {}
        }
    }
    parsed
}

/// Checks the report constraints of the runner brief on `xml`, given the run's counts.
pub fn assert_report_constraints(xml: &str, outcome: &RunOutcome) {
    assert!(!xml.contains('\u{1b}'), "ANSI escape in the report");
    // Attribute normalisation would hide a raw newline in a message: check the text itself.
    let multi_line_message = regex::Regex::new(r#"message="[^"]*(\n|&#10;|&#xA;|&#xa;)"#).unwrap();
    assert!(
        !multi_line_message.is_match(xml),
        "a message attribute spans several lines"
    );
    let p = parse(xml);
    for a in &p.testsuites_attrs {
        assert!(
            ["name", "time", "tests", "failures", "errors"].contains(&a.as_str()),
            "testsuites carries `{a}`"
        );
    }
    let fixed = regex::Regex::new(r"^[0-9]+\.[0-9]+$").unwrap();
    for t in &p.times {
        assert!(fixed.is_match(t), "time `{t}` is not fixed-point seconds");
    }
    // Our own text never puts a URL in angle brackets (HTML viewers read it as a tag), never
    // cites a repository path for documentation, never writes Jenkins `[[PROPERTY|` lines.
    for bad in [
        "<https://",
        "&lt;https://",
        "schemas/README.md",
        "[[PROPERTY|",
    ] {
        assert!(!xml.contains(bad), "the report contains `{bad}`");
    }
    let file_line = regex::Regex::new(r"\.feature:\d").unwrap();
    let mut names = std::collections::HashSet::new();
    let (mut failed, mut errors, mut skipped) = (0, 0, 0);
    for c in &p.cases {
        assert!(
            names.insert((c.classname.clone(), c.name.clone())),
            "duplicate testcase `{:?}` `{}`",
            c.classname,
            c.name
        );
        assert!(
            !file_line.is_match(&c.name),
            "testcase name `{}` carries a file and line",
            c.name
        );
        let cls = c.classname.as_deref().unwrap_or("");
        assert!(
            !cls.is_empty() && cls.split('.').all(|s| !s.is_empty()),
            "testcase `{}` has classname `{cls}`",
            c.name
        );
        assert!(
            c.statuses.len() <= 1,
            "testcase `{}` has {} status elements",
            c.name,
            c.statuses.len()
        );
        if let Some((kind, ty, msg, body)) = c.statuses.first() {
            match kind.as_str() {
                "failure" => failed += 1,
                "error" => errors += 1,
                _ => skipped += 1,
            }
            let msg = msg.as_deref().unwrap_or("");
            assert!(
                !msg.is_empty() && !msg.contains('\n'),
                "testcase `{}`: message `{msg}` is not one line",
                c.name
            );
            assert!(
                ty.as_deref().is_some_and(|t| !t.is_empty()),
                "testcase `{}` has no type",
                c.name
            );
            if kind != "skipped" {
                assert!(
                    body.trim().len() > msg.len(),
                    "testcase `{}`: the body does not explain more than the message:\n{body}",
                    c.name
                );
            }
        }
    }
    let counts = outcome.counts;
    assert_eq!(
        (failed, errors, skipped),
        (counts.failed, counts.errors, counts.skipped),
        "report vs run counts"
    );
    assert_eq!(
        p.cases.len(),
        counts.passed + counts.failed + counts.errors + counts.skipped
    );
    for attrs in &p.suite_attrs {
        for k in ["timestamp", "hostname"] {
            assert!(
                attrs.get(k).is_some_and(|v| !v.is_empty()),
                "testsuite `{:?}` lacks `{k}`",
                attrs.get("name")
            );
        }
    }
    // The run-wide properties once: in the first suite only.
    let with_props: Vec<&String> = p
        .suites
        .iter()
        .filter(|(_, props)| !props.is_empty())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        with_props,
        [&p.suites[0].0],
        "only the first testsuite carries properties"
    );
    for (suite, props) in p.suites.iter().take(1) {
        let has = |k: &str| props.iter().any(|(n, _)| n == k);
        for k in ["suite.version", "suite.bundle.sha256", "target.url", "tags"] {
            assert!(has(k), "suite `{suite}` lacks property {k}");
        }
        assert!(
            props.iter().any(|(n, _)| n.starts_with("spelling")),
            "suite `{suite}` lacks the spellings"
        );
        let sha = &props
            .iter()
            .find(|(n, _)| n == "suite.bundle.sha256")
            .unwrap()
            .1;
        assert!(
            sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "bundle sha `{sha}`"
        );
    }
}
