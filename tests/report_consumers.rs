//! The JUnit report read by real consumers, and its messages stable across runs.
//!
//! - Three reports of real runs: a pass (the embedded server, `@chat and @accept`), a failure
//!   (the reference server with fault `accept-wrong-state`) and an error (a target where nothing
//!   listens: login fails). Each is valid against junit-10.xsd and is read by Python
//!   `junitparser`, `xunitparser` and `junit2html` (tests/consumers/read_junit.py) and merged by
//!   npm `junit-report-merger` (tests/consumers/node/merge.mjs) and Allure 2 (npm
//!   `allure-commandline`, tests/consumers/node/allure.mjs) and read by npm `xunit-viewer`
//!   (tests/consumers/node/xunit_viewer.mjs); each consumer must see the run's
//!   counts, names and one-line messages. `scripts/setup.sh` installs the consumers.
//! - The same three runs with `--json`, `--html` and `--summary`: the Cucumber JSON is read by
//!   npm `cucumber-html-reporter` and `multiple-cucumber-html-reporter`
//!   (tests/consumers/node/read_cucumber.mjs), which must count the run's scenarios as the run
//!   does; the HTML by Python's HTML parser (tests/consumers/read_html.py): verdict, counts,
//!   matrix cells as the record's matrix says, every message in an article, nothing external;
//!   the Markdown holds the counts and every message. And the HTML of a failing run rendered by
//!   headless Chromium: the screenshot shows failing cells (their colour's pixels) and a passing
//!   run's none.
//! - Every behaviour fault, run twice (its `fails` scenarios only): the `message` of every
//!   failure is the same on both runs, byte for byte, and carries the actual value.

mod support;

use std::{collections::BTreeMap, net::SocketAddr, path::Path, process::Command};

use futures::StreamExt as _;
use gws_conformance::run::report::{matrix, summary};
use gws_conformance::run::{RunOutcome, report::Outcome, verdict::one_line};
use gws_reference_server::{Dialect, ServerConfig, faults, start};
use serde_json::Value;
use support::{assert_report_constraints, assert_valid_against_xsd, run};

const CONSUMERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/consumers");

/// The tests of this file take turns: cucumber swaps the process's panic hook during a run,
/// and overlapping runs of two tests would print the verdict panics' backtraces.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `text` as Jinja2 (junit2html) escapes it: `& < > " '`.
fn jinja_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Runs the suite against the reference server with `fault` (`None`: the embedded server).
async fn run_fault(dir: &Path, fault: Option<&str>, tags: &str) -> (RunOutcome, String) {
    run_fault_with(dir, fault, tags, &[]).await
}

/// [`run_fault`] with more flags.
async fn run_fault_with(
    dir: &Path,
    fault: Option<&str>,
    tags: &str,
    extra: &[&str],
) -> (RunOutcome, String) {
    let Some(fault) = fault else {
        let mut flags = vec!["--tags", tags];
        flags.extend_from_slice(extra);
        return run(dir, &flags).await;
    };
    let server = start(
        ServerConfig {
            fault: Some(fault.to_string()),
            dialect: Dialect::V2019,
            ..Default::default()
        },
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("the reference server starts");
    let target = server.base_url();
    let mut flags = vec![
        "--target",
        &target,
        "--tags",
        tags,
        "--notification-timeout",
        "1500ms",
    ];
    flags.extend_from_slice(extra);
    let out = run(dir, &flags).await;
    server.shutdown().await;
    out
}

/// What the Python consumers saw (tests/consumers/read_junit.py), as JSON.
fn python_consumers(report: &Path, html: &Path) -> Value {
    let out = Command::new("python3")
        .arg(format!("{CONSUMERS}/read_junit.py"))
        .arg(report)
        .arg(html)
        .output()
        .expect("python3 runs (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "the Python consumers could not read {}: {}\n(install them: scripts/setup.sh)",
        report.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("read_junit.py prints JSON")
}

/// The failure/error messages of a run, by test name (what every report must show).
fn messages(out: &RunOutcome) -> BTreeMap<String, String> {
    out.record
        .scenarios
        .iter()
        .filter_map(|s| Some((s.test_name.clone(), s.outcome.message()?)))
        .collect()
}

/// The same by scenario identity (classname and test name): the same scenario name stands in
/// several features (one per media), so two runs are compared scenario by scenario.
fn messages_by_id(out: &RunOutcome) -> BTreeMap<String, String> {
    out.record
        .scenarios
        .iter()
        .filter_map(|s| Some((s.id(), s.outcome.message()?)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pass_fail_and_error_reports_read_the_same_in_every_consumer() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let nothing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}", nothing.local_addr().unwrap());
    drop(nothing);
    let mut reports = Vec::new();
    for (label, fault, flags) in [
        ("pass", None, vec!["--tags", "@chat and @accept"]),
        ("fail", Some("accept-wrong-state"), vec![]),
        ("error", None, vec!["--target", refused.as_str()]),
    ] {
        let sub = dir.path().join(label);
        let (out, xml) = match (label, fault) {
            ("fail", Some(f)) => run_fault(&sub, Some(f), "@accept").await,
            _ => run(&sub, &flags).await,
        };
        let expected_exit = match label {
            "pass" => 0,
            "fail" => 1,
            _ => 2,
        };
        assert_eq!(out.exit_code, expected_exit, "{label}: {:?}", out.counts);
        assert_valid_against_xsd(&xml, &sub);
        assert_report_constraints(&xml, &out);
        let path = sub.join("report").join("junit.xml");
        reports.push((label, out, path));
    }

    for (label, out, path) in &reports {
        let html = path.with_extension("html");
        let seen = python_consumers(path, &html);
        let c = out.counts;
        let jp = &seen["junitparser"];
        let suites = jp["suites"].as_array().unwrap();
        let sum = |k: &str| suites.iter().map(|s| s[k].as_u64().unwrap()).sum::<u64>() as usize;
        assert_eq!(
            (sum("tests"), sum("failures"), sum("errors"), sum("skipped")),
            (c.total(), c.failed, c.errors, c.skipped),
            "{label}: junitparser's counts"
        );
        for s in suites {
            assert!(
                s["timestamp"].as_str().is_some_and(|t| !t.is_empty()),
                "{s}"
            );
            assert!(s["hostname"].as_str().is_some_and(|t| !t.is_empty()), "{s}");
        }
        let with_props = suites.iter().filter(|s| s["properties"] != 0).count();
        assert_eq!(with_props, 1, "{label}: properties in {with_props} suites");
        // Names and messages as the run computed them.
        let want = messages(out);
        let got: BTreeMap<String, String> = jp["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["classname"] != "gws.run")
            .filter_map(|c| {
                let r = c["results"].as_array()?.first()?;
                Some((
                    c["name"].as_str()?.to_string(),
                    r["message"].as_str()?.to_string(),
                ))
            })
            .collect();
        assert_eq!(got, want, "{label}: junitparser's names and messages");
        if *label == "fail" {
            for m in want.values() {
                assert!(m.contains("got \"Processing\""), "{m}");
            }
        }
        let xp = &seen["xunitparser"];
        assert_eq!(
            (
                xp["tests_run"].as_u64().unwrap() as usize,
                xp["failures"].as_u64().unwrap() as usize,
                xp["errors"].as_u64().unwrap() as usize,
                xp["skipped"].as_u64().unwrap() as usize
            ),
            (c.total(), c.failed, c.errors, c.skipped),
            "{label}: xunitparser's counts"
        );
        let mut failure_messages: Vec<&String> = out
            .record
            .scenarios
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Failed(_)))
            .map(|s| &want[&s.test_name])
            .collect();
        failure_messages.sort();
        let xp_messages: Vec<&str> = xp["failure_messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            xp_messages, failure_messages,
            "{label}: xunitparser's messages"
        );
        assert_eq!(seen["junit2html"]["exit"], 0, "{label}: junit2html: {seen}");
        let page = std::fs::read_to_string(&html).expect("junit2html wrote its page");
        // The bodies hold no tag of our own: every URL is bare text, never `<https://…>`.
        assert!(
            !page.contains("<https://"),
            "{label}: a URL rendered as a tag"
        );
        for m in want.values() {
            assert!(
                page.contains(&jinja_escaped(m)),
                "{label}: junit2html does not show `{m}`"
            );
        }
        // Allure 2 (npm allure-commandline, Java): its report's statistic and messages.
        let seen_allure = node_consumer("allure.mjs", &[path, &path.with_file_name("allure")]);
        let stat = |k: &str| seen_allure["statistic"][k].as_u64().unwrap() as usize;
        assert_eq!(
            (
                stat("passed"),
                stat("failed"),
                stat("broken"),
                stat("skipped"),
                stat("total")
            ),
            (
                c.passed,
                c.failed + c.stale,
                c.errors,
                c.skipped + c.expected,
                c.total()
            ),
            "{label}: Allure's statistic"
        );
        let allure_messages: std::collections::BTreeSet<&str> = seen_allure["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["message"].as_str())
            .collect();
        for m in want.values() {
            assert!(
                allure_messages.contains(m.as_str()),
                "{label}: Allure lacks `{m}`"
            );
        }
        // xunit-viewer (npm): its parser's statuses and messages, and its page written.
        let seen_xv = node_consumer(
            "xunit_viewer.mjs",
            &[path, &path.with_file_name("xunit-viewer.html")],
        );
        let status = |k: &str| seen_xv["statuses"][k].as_u64().unwrap_or(0) as usize;
        assert_eq!(
            (
                status("passed"),
                status("failure"),
                status("error"),
                status("skipped")
            ),
            (
                c.passed,
                c.failed + c.stale,
                c.errors,
                c.skipped + c.expected
            ),
            "{label}: xunit-viewer's statuses {seen_xv}"
        );
        assert_eq!(seen_xv["page"], true, "{label}: xunit-viewer wrote no page");
        let xv_messages: std::collections::BTreeSet<&str> = seen_xv["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        for m in want.values() {
            assert!(
                xv_messages.contains(m.as_str()),
                "{label}: xunit-viewer lacks `{m}`"
            );
        }
        eprintln!(
            "consumers/{label}: junitparser {} cases ({} failures, {} errors), xunitparser {} run ({} failures, {} errors), junit2html exit 0, Allure {}, xunit-viewer {}",
            sum("tests"),
            sum("failures"),
            sum("errors"),
            xp["tests_run"],
            xp["failures"],
            xp["errors"],
            seen_allure["statistic"],
            seen_xv["statuses"]
        );
    }

    // junit-report-merger (npm) merges the three: every testcase, failure and error is kept.
    let merged = dir.path().join("merged.xml");
    let node = Command::new("node")
        .arg(format!("{CONSUMERS}/node/merge.mjs"))
        .arg(&merged)
        .args(reports.iter().map(|(_, _, p)| p))
        .output()
        .expect("node runs");
    assert!(
        node.status.success(),
        "junit-report-merger failed: {}\n(install it: scripts/setup.sh)",
        String::from_utf8_lossy(&node.stderr)
    );
    let seen: Value = serde_json::from_slice(&node.stdout).unwrap();
    let total = |f: fn(&RunOutcome) -> usize| reports.iter().map(|(_, o, _)| f(o)).sum::<usize>();
    assert_eq!(
        seen["testcases"].as_u64().unwrap() as usize,
        total(|o| o.counts.total()),
        "{seen}"
    );
    assert_eq!(
        seen["failures"].as_u64().unwrap() as usize,
        total(|o| o.counts.failed)
    );
    assert_eq!(
        seen["errors"].as_u64().unwrap() as usize,
        total(|o| o.counts.errors)
    );
    // One block of run-wide properties per merged report, not one per feature.
    assert_eq!(seen["properties_blocks"], 3, "{seen}");
    eprintln!("consumers/merged: junit-report-merger {seen}");
}

/// The last line of `out` parsed as JSON (consumers print progress lines before it).
fn last_json_line(out: &std::process::Output, what: &str) -> Value {
    assert!(
        out.status.success(),
        "{what} failed: {}\n(install it: scripts/setup.sh)",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or("");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{what} printed no JSON ({e}): {text}"))
}

/// Runs the consumer script `script` of tests/consumers/node with `args`; what it printed last,
/// as JSON.
fn node_consumer(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("node")
        .arg(format!("{CONSUMERS}/node/{script}"))
        .args(args)
        .output()
        .expect("node runs (scripts/setup.sh installs it)");
    last_json_line(&out, script)
}

/// The paths of the three extra outputs under `dir`.
fn extra_outputs(dir: &Path) -> [std::path::PathBuf; 3] {
    let r = dir.join("report");
    [
        r.join("cucumber.json"),
        r.join("report.html"),
        r.join("summary.md"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_html_and_summary_describe_the_same_run_in_their_consumers() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let nothing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("http://{}", nothing.local_addr().unwrap());
    drop(nothing);
    for (label, fault, tags, target) in [
        ("pass", None, "@chat and @accept", None),
        ("fail", Some("accept-wrong-state"), "@accept or @csrf", None),
        ("error", None, "@accept", Some(refused.as_str())),
    ] {
        let sub = dir.path().join(label);
        let [json, html, md] = extra_outputs(&sub);
        let (json_s, html_s, md_s) = (
            json.display().to_string(),
            html.display().to_string(),
            md.display().to_string(),
        );
        let mut extra = vec!["--json", &json_s, "--html", &html_s, "--summary", &md_s];
        if let Some(t) = target {
            extra.extend(["--target", t]);
        }
        if label == "pass" {
            // The profile's skips too.
            extra.extend(["--skip-tags", "@unknown-interaction"]);
        }
        let (out, _) = run_fault_with(&sub, fault, tags, &extra).await;
        let c = out.counts;
        assert_eq!(
            out.exit_code,
            match label {
                "pass" => 0,
                "fail" => 1,
                _ => 2,
            },
            "{label}: {c:?}"
        );
        if label == "pass" {
            assert!(c.skipped > 0, "{c:?}");
        }
        let want = messages(&out);

        // Cucumber JSON, read by two npm consumers.
        let seen = node_consumer("read_cucumber.mjs", &[&json, &sub.join("consumers")]);
        let expected = (
            c.passed,
            c.failed + c.errors + c.stale,
            c.skipped + c.expected,
        );
        for consumer in ["cucumber_html_reporter", "multiple_cucumber_html_reporter"] {
            let got = |k: &str| seen[consumer][k].as_u64().unwrap() as usize;
            assert_eq!(
                (got("passed"), got("failed"), got("skipped")),
                expected,
                "{label}: {consumer} counts {seen}"
            );
        }
        assert_eq!(seen["multiple_cucumber_html_reporter"]["index"], true);
        // Every step has a status; the failing step carries the one-line message; tags kept.
        let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let mut carried = BTreeMap::new();
        for feature in report.as_array().unwrap() {
            for element in feature["elements"].as_array().unwrap() {
                let steps = element["steps"].as_array().unwrap();
                assert!(!steps.is_empty(), "{label}: {element}");
                for step in steps {
                    let st = step["result"]["status"].as_str().unwrap();
                    assert!(["passed", "failed", "skipped"].contains(&st), "{step}");
                    if let Some(m) = step["result"]["error_message"].as_str() {
                        carried.insert(
                            element["name"].as_str().unwrap().to_string(),
                            m.lines()
                                .next()
                                .unwrap()
                                .trim_start_matches("error: ")
                                .to_string(),
                        );
                    }
                }
                if feature["uri"] != "gws-conformance run" {
                    assert!(
                        element["tags"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|t| t["name"].as_str().unwrap().starts_with("@doc:")),
                        "{label}: {element}"
                    );
                }
            }
        }
        for (name, m) in &want {
            assert_eq!(carried.get(name), Some(m), "{label}: the JSON of `{name}`");
        }

        // HTML, read by Python's HTML parser.
        let py = Command::new("python3")
            .arg(format!("{CONSUMERS}/read_html.py"))
            .arg(&html)
            .output()
            .expect("python3 runs");
        let page = last_json_line(&py, "read_html.py");
        assert_eq!(page["counts"], c.line(), "{label}");
        assert_eq!(
            page["verdict"],
            match label {
                "pass" => "CONFORMANT",
                "fail" => "NOT CONFORMANT",
                _ => "NOT JUDGED",
            }
        );
        assert_eq!(page["external"], serde_json::json!([]), "{label}");
        assert_eq!(page["duplicate_ids"], serde_json::json!([]), "{label}");
        let rows = matrix::build(&out.record);
        let want_cells: Vec<String> = rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|cell| match cell.status().word() {
                "" => "empty".to_string(),
                w => w.to_string(),
            })
            .collect();
        let got_cells: Vec<String> = page["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|cell| cell["class"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got_cells, want_cells, "{label}: the matrix");
        if label == "fail" {
            assert!(got_cells.iter().any(|c| c == "failed"), "{got_cells:?}");
            assert!(got_cells.iter().any(|c| c == "passed"), "{got_cells:?}");
        }
        // The messages of the scenarios that did not pass (a skip is listed in its cell only).
        let problems: Vec<String> = out
            .record
            .scenarios
            .iter()
            .filter(|s| !matches!(s.outcome, Outcome::Passed | Outcome::Skipped(_)))
            .filter_map(|s| s.outcome.message())
            .collect();
        let articles: Vec<&str> = page["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["text"].as_str().unwrap())
            .collect();
        for m in &problems {
            assert!(
                articles.iter().any(|a| a.contains(m.as_str())),
                "{label}: no article shows `{m}`"
            );
        }

        // Markdown.
        let text = std::fs::read_to_string(&md).unwrap();
        assert!(text.contains(&summary::md(&c.line())), "{label}: {text}");
        for m in &problems {
            assert!(
                text.contains(&summary::md(m)),
                "{label}: the summary lacks `{m}`"
            );
        }
        eprintln!(
            "consumers/{label}: cucumber JSON {seen}; HTML {} cells",
            got_cells.len()
        );
    }
}

/// Pixels of `png` with exactly the colour `rgb`.
fn pixels_of(png_file: &Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    buf[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3] == rgb)
        .count()
}

/// Renders `html` with headless Chromium into `png`; returns the rendered DOM.
fn chromium(html: &Path, png_file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1280,1400",
    ];
    let url = format!("file://{}", html.display());
    let shot = Command::new("chromium")
        .args(common)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png_file.display()))
        .arg(&url)
        .output()
        .expect("chromium runs (scripts/setup.sh installs it)");
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let dom = Command::new("chromium")
        .args(common)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_report_renders_in_chromium_with_the_failing_cells_marked() {
    let _turn = ONE_AT_A_TIME.lock().await;
    const FAILED_CELL: [u8; 3] = [0xcf, 0x22, 0x2e];
    const PASSED_CELL: [u8; 3] = [0x2d, 0xa4, 0x4e];
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for (label, fault) in [("pass", None), ("fail", Some("accept-wrong-state"))] {
        let sub = dir.path().join(label);
        let [_, html, _] = extra_outputs(&sub);
        let html_s = html.display().to_string();
        let (out, _) = run_fault_with(&sub, fault, "@accept or @csrf", &["--html", &html_s]).await;
        assert_eq!(out.exit_code, if fault.is_some() { 1 } else { 0 });
        let shot = sub.join("report.png");
        let dom = chromium(&html, &shot);
        assert!(
            dom.contains(r#"<table id="matrix">"#),
            "{label}: no matrix in {dom}"
        );
        seen.push((
            label,
            pixels_of(&shot, FAILED_CELL),
            pixels_of(&shot, PASSED_CELL),
        ));
    }
    eprintln!("chromium: (run, failing-cell pixels, passing-cell pixels) {seen:?}");
    let [(_, pass_failed, pass_passed), (_, fail_failed, fail_passed)] = seen[..] else {
        unreachable!()
    };
    // A cell is at least 150 × 40 pixels.
    assert_eq!(pass_failed, 0, "a passing run shows a failing cell");
    assert!(pass_passed > 6_000, "a passing run shows no passing cell");
    assert!(
        fail_failed > 6_000,
        "the failing run's failing cells are not marked"
    );
    assert!(
        fail_passed > 6_000,
        "the failing run's @csrf cell is not passing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gives_the_same_messages_on_two_runs_with_the_actual_value() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let rows = faults();
    /// (fault, messages by test name, problems) of one run.
    type Run<'a> = (&'a str, BTreeMap<String, String>, Vec<String>);
    let runs: Vec<Run> = futures::stream::iter(rows.iter().flat_map(|row| [(row, 0), (row, 1)]))
        .map(|(row, n)| async move {
            let dir = tempfile::tempdir().unwrap();
            let (out, _) = run_fault(dir.path(), Some(row.name), row.fails).await;
            let mut problems = Vec::new();
            for s in &out.record.scenarios {
                if let Outcome::Failed(f) = &s.outcome {
                    let m = f.message();
                    let actual = one_line(&f.actual, 40);
                    let actual = actual.trim_end_matches('…');
                    if !f.actual.is_empty() && !m.contains(actual) {
                        problems.push(format!(
                            "{}: `{m}` lacks the actual value `{actual}`",
                            s.test_name.clone()
                        ));
                    }
                }
            }
            let _ = n;
            (row.name, messages_by_id(&out), problems)
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let mut by_fault: BTreeMap<&str, Vec<BTreeMap<String, String>>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, msgs, p) in runs {
        problems.extend(p.into_iter().map(|p| format!("{name}: {p}")));
        by_fault.entry(name).or_default().push(msgs);
    }
    for (name, pair) in &by_fault {
        if pair[0].is_empty() {
            problems.push(format!("{name}: no failure at all"));
        }
        if pair[0] != pair[1] {
            problems.push(format!(
                "{name}: the messages differ between two runs:\n{}",
                gws_conformance::run::verdict::text_diff(
                    &format!("{:#?}", pair[0]),
                    &format!("{:#?}", pair[1])
                )
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
