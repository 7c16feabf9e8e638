//! Helpers of the fault tests: running the suite in-process, checking the JUnit file against
//! junit-10.xsd, which scenarios a behaviour fault must fail (its row's `fails` tag expression,
//! evaluated with cucumber's tag-expression parser over each scenario's tags), the expected
//! verdict of every transport case ([`TRANSPORT`]), and the rendering of docs/FAULTS.md from the
//! fault rows (`gws_reference_server::faults()`) and [`TRANSPORT`].

#![allow(dead_code)]

pub mod proxy;
#[path = "../support/mod.rs"]
mod support;

/// Runs the suite in-process (the runner tests' helper: `--color never`, `--quiet`, a JUnit path in
/// `dir`); returns the outcome and the JUnit text ("" when none was written).
pub use support::run;

/// The check of a JUnit report against junit-10.xsd (tests/common/junit_xsd.rs).
pub use support::junit_xsd::junit_xsd_check;

use cucumber::{gherkin::tagexpr::TagOperation, tag::Ext as _};
use gws_conformance::run::{
    RunOutcome,
    features::{effective_tags, embedded, parse_all},
    report::{Outcome, ScenarioRecord},
};
use gws_reference_server::FaultRow;

/// What [`measured`] saw of a run of the binary.
pub struct Measured {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Wall time from spawn to exit.
    pub wall: std::time::Duration,
    /// Peak resident set size of the child, in KiB (`wait4`'s `ru_maxrss`).
    pub peak_kib: i64,
    /// Its standard output and error, lossily decoded.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// The peak RSS every hostile run must stay under (issue 12: 100 MiB).
pub const PEAK_RSS_KIB: i64 = 100 * 1024;

/// Runs `cmd` (blocking) with its output captured and returns its exit code, wall time, peak
/// RSS (through `wait4`, which reaps it) and output.
// The child is reaped by `wait4`.
#[allow(clippy::zombie_processes)]
pub fn measured(mut cmd: std::process::Command) -> Measured {
    use std::{io::Read as _, process::Stdio};
    let started = std::time::Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet reaped; the pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    Measured {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        wall: started.elapsed(),
        peak_kib: usage.ru_maxrss,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Puts the default panic hook back. cucumber 0.23 swaps in a silent hook for the duration of a
/// run and restores the one it saw at the start; runs that overlap in one process (as here) can
/// leave the silent hook installed, which would swallow this test's own assertion messages.
/// Call it right before asserting.
pub fn restore_default_panic_hook() {
    drop(std::panic::take_hook());
}

/// One line per scenario, sorted: `path:line name => outcome`, then the run errors.
pub fn dump(outcome: &RunOutcome) -> String {
    let mut lines: Vec<String> = outcome
        .record
        .scenarios
        .iter()
        .map(|s| format!("{} => {}", label(s), describe(&s.outcome)))
        .collect();
    lines.sort();
    for e in &outcome.record.run_errors {
        lines.push(format!("run error {}: {}", e.kind, e.summary));
    }
    lines.join("\n")
}

/// `path:line name` of a scenario.
pub fn label(s: &ScenarioRecord) -> String {
    format!("{}:{} {}", s.feature_path, s.line, s.name)
}

/// An outcome on one line.
pub fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Passed => "passed".into(),
        Outcome::Failed(f) => format!(
            "failed {} [{}] rule={:?} path={:?} source={:?}",
            f.kind, f.summary, f.rule, f.path, f.source
        ),
        Outcome::Error(e) => format!("error {} [{}]", e.kind, e.summary),
        Outcome::Skipped(r) => format!("skipped [{r}]"),
        Outcome::ExpectedFailure(f, k) => format!("expected failure {} ({})", f.kind, k.at),
        Outcome::Stale(k) => format!("stale ({})", k.at),
    }
}

// ---------------------------------------------------------------------------------------------
// Behaviour faults: which scenarios each row must fail.

/// The row's `fails` expression, parsed by cucumber's tag-expression parser.
pub fn fails_expression(row: &FaultRow) -> Result<TagOperation, String> {
    row.fails.parse::<TagOperation>().map_err(|e| {
        format!(
            "fault `{}`: `fails` {:?} is no tag expression: {e}",
            row.name, row.fails
        )
    })
}

/// Whether a scenario with `tags` (feature and scenario tags, without `@`) must fail under
/// the fault whose parsed `fails` expression is `fails`.
pub fn must_fail(fails: &TagOperation, tags: &[String]) -> bool {
    fails.eval(tags)
}

/// Every built-in scenario as (`path:line name`, effective tags), Outline rows not expanded
/// (they share their scenario's tags).
pub fn builtin_scenarios() -> Vec<(String, Vec<String>)> {
    let loaded = parse_all(embedded()).expect("the built-in features parse");
    let mut out = Vec::new();
    for l in &loaded {
        let f = &l.feature;
        let scenarios = f.scenarios.iter().map(|sc| (None, sc)).chain(
            f.rules
                .iter()
                .flat_map(|r| r.scenarios.iter().map(move |sc| (Some(r), sc))),
        );
        for (rule, sc) in scenarios {
            out.push((
                format!("{}:{} {}", l.source.path, sc.position.line, sc.name),
                effective_tags(f, rule, sc),
            ));
        }
    }
    out
}

/// The built-in scenarios a row must fail.
pub fn scenarios_failed_by(row: &FaultRow) -> Result<Vec<String>, String> {
    let fails = fails_expression(row)?;
    Ok(builtin_scenarios()
        .into_iter()
        .filter(|(_, tags)| must_fail(&fails, tags))
        .map(|(label, _)| label)
        .collect())
}

/// Problems of the rows themselves: a `fails` that does not parse or selects no built-in
/// scenario.
pub fn rows_select_scenarios(rows: &[FaultRow]) -> Vec<String> {
    let mut problems = Vec::new();
    for row in rows {
        match scenarios_failed_by(row) {
            Err(e) => problems.push(e),
            Ok(s) if s.is_empty() => problems.push(format!(
                "fault `{}`: `fails` {:?} matches no built-in scenario",
                row.name, row.fails
            )),
            Ok(_) => {}
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Transport cases.

/// The verdict class a transport case must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every selected scenario passes (exit 0): the behaviour is legal.
    Pass,
    /// The scenario fails (exit 1): a documented rule is broken.
    Fail,
    /// The run cannot judge (exit 2): a harness or transport problem.
    Error,
}

impl Verdict {
    /// The exit status of the target contract, section 1.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Error => 2,
        }
    }
    /// As written in the docs.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "pass (exit 0)",
            Verdict::Fail => "failure (exit 1)",
            Verdict::Error => "error (exit 2)",
        }
    }
}

/// One transport case of tests/transport_faults.rs.
#[derive(Clone, Copy, Debug)]
pub struct TransportCase {
    /// Test function name in tests/transport_faults.rs.
    pub name: &'static str,
    /// What the target does.
    pub what: &'static str,
    /// The verdict the suite must give.
    pub verdict: Verdict,
    /// The JUnit `type` of the failure/error (empty for a pass).
    pub kind: &'static str,
    /// What the message must name (case-insensitive), empty for a pass.
    pub names: &'static str,
    /// Why that verdict is right (target contract / issue 5: harness problem = error,
    /// documented rule broken = failure, legal behaviour = pass).
    pub why: &'static str,
}

/// Every transport case; each test in tests/transport_faults.rs looks its row up by name, so
/// the docs table and the tests share one source.
pub const TRANSPORT: &[TransportCase] = &[
    TransportCase {
        name: "connection_refused",
        what: "nothing listens on the target port",
        verdict: Verdict::Error,
        kind: "LoginFailed",
        names: "unreachable",
        why: "no answer at all: the suite cannot judge anything (target-contract section 1: target unreachable is exit 2)",
    },
    TransportCase {
        name: "login_answers_500_html",
        what: "GET /api/v2/me answers HTTP 500 with an HTML page",
        verdict: Verdict::Error,
        kind: "LoginFailed",
        names: "HTTP 500",
        why: "login failed: no scenario can run (target-contract section 1: login failed is exit 2)",
    },
    TransportCase {
        name: "operation_answers_500_html",
        what: "Accept answers HTTP 500 with an HTML page",
        verdict: Verdict::Fail,
        kind: "ResponseNotJson",
        names: "HTTP 500",
        why: "Return Values: all methods return a JSON body with statusCode; an HTML error page breaks that rule",
    },
    TransportCase {
        name: "operation_answers_non_json",
        what: "Accept answers HTTP 200 with a plain-text body",
        verdict: Verdict::Fail,
        kind: "ResponseNotJson",
        names: "not JSON",
        why: "Return Values: all methods return a JSON body with statusCode",
    },
    TransportCase {
        name: "operation_answers_truncated_json",
        what: "Accept answers HTTP 200 with `{\"statusCode\":` (JSON cut short, consistent Content-Length)",
        verdict: Verdict::Fail,
        kind: "ResponseNotJson",
        names: "not JSON",
        why: "a complete HTTP answer whose body is not JSON breaks the Return Values rule",
    },
    TransportCase {
        name: "operation_body_cut_off",
        what: "Accept's answer breaks off: HTTP 200 with a chunked body that fails after `{\"statusCode\":` (the connection is closed mid-answer)",
        verdict: Verdict::Error,
        kind: "TargetUnreachable",
        names: "Accept on /api/v2/me/chats/",
        why: "the HTTP answer itself is incomplete (a transport failure), so there is no body to judge",
    },
    TransportCase {
        name: "operation_answers_over_size_cap",
        what: "Accept answers a 3 MiB JSON body (the agent reads at most 1 MiB)",
        verdict: Verdict::Error,
        kind: "ResponseTooLarge",
        names: "more than 1048576 bytes",
        why: "the suite stops reading at its own cap, so it cannot judge the body: a harness limit, not a documented rule",
    },
    TransportCase {
        name: "operation_slower_than_request_timeout",
        what: "Accept answers after the request timeout",
        verdict: Verdict::Error,
        kind: "RequestTimeout",
        names: "did not answer within 500ms",
        why: "no answer within --request-timeout: the suite cannot judge the operation (no documented latency rule)",
    },
    TransportCase {
        name: "handshake_refused",
        what: "/meta/handshake answers successful:false",
        verdict: Verdict::Error,
        kind: "LoginFailed",
        names: "handshake",
        why: "target-contract section 1: a failed CometD handshake is exit 2",
    },
    TransportCase {
        name: "unknown_client_mid_run",
        what: "a /meta/connect between two scenarios answers 402::Unknown client (the server forgot the client)",
        verdict: Verdict::Pass,
        kind: "",
        names: "",
        why: "Bayeux 1.0: the client re-handshakes and re-subscribes; nothing the documentation lists is lost",
    },
    TransportCase {
        name: "connect_never_returns",
        what: "every /meta/connect is held forever (advice timeout 100 ms)",
        verdict: Verdict::Error,
        kind: "BayeuxTransport",
        names: "connect",
        why: "the notification channel is dead: the suite cannot see notifications, so it cannot judge (bounded by the connect bound and retries)",
    },
    TransportCase {
        name: "unknown_client_on_every_connect",
        what: "every /meta/connect answers 402::Unknown client (advice: re-handshake at once), every handshake succeeds",
        verdict: Verdict::Error,
        kind: "BayeuxTransport",
        names: "re-handshakes in a row",
        why: "the server forgets the client after each re-handshake, so no notification can arrive: the suite cannot judge (bounded: a few re-handshakes, then a transport error, not a loop blamed on the target)",
    },
    TransportCase {
        name: "connect_answers_at_once_empty",
        what: "every /meta/connect is answered at once, successfully and empty (advice interval 0): no long poll, no notification",
        verdict: Verdict::Fail,
        kind: "NotificationTimeout",
        names: "StatusChange",
        why: "the documented notifications never arrive; the client paces the empty connects (at most one per 50 ms) instead of spinning",
    },
    TransportCase {
        name: "notification_on_wildcard_channel",
        what: "every notification is delivered on the subscription pattern (`/v2/me/*` or `/v2/me/**`) instead of its topic (SMS scenarios, whose topic no page documents)",
        verdict: Verdict::Fail,
        kind: "WildcardChannel",
        names: "wildcard channel",
        why: "Bayeux 1.0 section 2.2.1: `*` and `**` make subscription patterns; a message is delivered on the channel it was published to",
    },
    TransportCase {
        name: "documented_notification_never_arrives",
        what: "the MessageLogUpdated history after Accept is dropped on the way",
        verdict: Verdict::Fail,
        kind: "NotificationTimeout",
        names: "MessageLogUpdated",
        why: "the Accept pages list the history notification; it did not come within --notification-timeout",
    },
    TransportCase {
        name: "same_notification_twice",
        what: "every notification is delivered twice",
        verdict: Verdict::Pass,
        kind: "",
        names: "",
        why: "legal: no page forbids a repeated notification and each check is satisfied",
    },
    TransportCase {
        name: "other_interaction_interleaved",
        what: "before every notification, a copy about another interaction id arrives",
        verdict: Verdict::Pass,
        kind: "",
        names: "",
        why: "legal: the agent's topics carry every interaction; the suite matches notifications by interaction id",
    },
    TransportCase {
        name: "notifications_before_http_response",
        what: "the Accept HTTP response is held until its StatusChange has been delivered",
        verdict: Verdict::Pass,
        kind: "",
        names: "",
        why: "legal: notifications are asynchronous; their order relative to the HTTP response is not documented",
    },
    TransportCase {
        name: "undocumented_extra_fields",
        what: "every response and notification carries extra undocumented fields",
        verdict: Verdict::Pass,
        kind: "",
        names: "",
        why: "legal: the pages document what is present, not that nothing else may be (lenient mode)",
    },
];

/// The row of a transport case.
pub fn transport_case(name: &str) -> &'static TransportCase {
    TRANSPORT
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("transport case `{name}` has no row in TRANSPORT"))
}

// ---------------------------------------------------------------------------------------------
// docs/FAULTS.md

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// How a page is cited in the docs: a Markdown link to it.
fn page_link(tag: &str) -> String {
    match gws_contract::pages::page(tag) {
        Some(p) => format!("[{}]({})", p.title, p.url),
        None => format!("`{tag}` (NO SUCH PAGE)"),
    }
}

/// A row's documentation: its page, then the other media's pages of its operation.
fn documentation(row: &FaultRow) -> String {
    let mut s = page_link(row.page);
    if let Some(op) = gws_contract::operation(row.operation)
        && op.pages.iter().any(|(_, t)| *t == row.page)
    {
        let others: Vec<String> = op
            .pages
            .iter()
            .filter(|(_, t)| *t != row.page)
            .map(|(_, t)| page_link(t))
            .collect();
        if !others.is_empty() {
            s.push_str(&format!("; also {}", others.join(", ")));
        }
    }
    s
}

/// docs/FAULTS.md rendered from the fault rows (`gws_reference_server::faults()`) and
/// [`TRANSPORT`].
pub fn render_faults_md(rows: &[FaultRow]) -> String {
    let mut s = String::new();
    s.push_str("# Faults the suite must catch\n\n");
    s.push_str(
        "<!-- Generated by `UPDATE_DOCS=1 cargo test --test fault_matrix docs_table_is_current`\n",
    );
    s.push_str("     from gws_reference_server::faults() and tests/fault_support/mod.rs. Do not edit. -->\n\n");
    s.push_str("## Behaviour faults\n\n");
    s.push_str("Each row is one `--fault NAME` of the reference server (`gws-conformance serve --fault NAME`),\n");
    s.push_str("one row of `crates/gws-reference-server/src/fault.rs`: one operation, one mutation, breaking\n");
    s.push_str("exactly one documented rule. `tests/fault_matrix.rs` runs the whole suite against each, in both\n");
    s.push_str("dialects (2015 and 2019 spellings), and checks exactly this outcome: every scenario whose tags\n");
    s.push_str("match the row's tag expression fails (never errors) with one of the listed failure types and a\n");
    s.push_str("message containing every listed word, citing a documentation page; every other scenario passes.\n");
    s.push_str("The expressions use the feature files' tags: `@<media>`, `@<operation>`, `@inferred` with one\n");
    s.push_str(
        "of `@missing-parameter`, `@wrong-state`, `@unknown-interaction`, `@invalid-value`, and\n",
    );
    s.push_str("`@precondition:<operation>` on scenarios that perform another operation first (so a fault that\n");
    s.push_str("breaks Accept's answer or its StatusChange also fails `@precondition:accept`).\n");
    s.push_str(
        "Rows of operation \"none\" break the HTTP session or the notification transport instead\n",
    );
    s.push_str(
        "(`features/session`, `@session`; `features/bayeux`, `@bayeux`; `features/cometd-java`,\n",
    );
    s.push_str("`@cometd-java`), whose scenarios carry a tag\n");
    s.push_str("per rule (`@authentication`, `@csrf`, `@contact-center-session`, `@delivery`, `@handshake`,\n");
    s.push_str("`@advice`, `@unknown-client`, `@overlapping`, `@unsubscribe`, `@publish`, `@batch`, ...).\n\n");
    s.push_str(
        "| fault | operation | mutation | what the server does wrong | scenarios that must fail | failure | rule | documentation |\n",
    );
    s.push_str("|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        let selected = match scenarios_failed_by(row) {
            Ok(list) => format!("`{}` ({} scenarios)", row.fails, list.len()),
            Err(e) => format!("INVALID: {e}"),
        };
        let failure = format!(
            "{}, naming {}",
            row.kinds.join(" or "),
            row.names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        );
        let operation = match row.operation {
            "*" => "any".to_string(),
            "-" => "none (session, CometD)".to_string(),
            op => op.to_string(),
        };
        s.push_str(&format!(
            "| `{}` | {} | `{}` | {} | {} | {} | {} | {} |\n",
            row.name,
            operation,
            cell(&format!("{:?}", row.mutation)),
            cell(row.description),
            cell(&selected),
            cell(&failure),
            cell(row.rule),
            cell(&documentation(row))
        ));
    }
    s.push_str("\n## Transport faults\n\n");
    s.push_str("`tests/transport_faults.rs` runs each case against a closed port, wiremock or a small axum\n");
    s.push_str("proxy in front of the in-process reference server that alters exactly one thing. Each case ends\n");
    s.push_str("within its configured bound plus a margin, nothing panics, and the JUnit file is written and\n");
    s.push_str("valid against junit-10.xsd. Harness problem = error; documented rule broken = failure; legal\n");
    s.push_str("behaviour = pass.\n\n");
    s.push_str("| case | what the target does | outcome | type, message names | why |\n");
    s.push_str("|---|---|---|---|---|\n");
    for c in TRANSPORT {
        let named = if c.kind.is_empty() {
            "".to_string()
        } else {
            format!("`{}`, \"{}\"", c.kind, c.names)
        };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            c.name,
            cell(c.what),
            c.verdict.word(),
            cell(&named),
            cell(c.why)
        ));
    }
    s
}
