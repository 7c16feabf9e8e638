//! Helpers of the fault tests (issue 5): running the suite in-process, checking the JUnit file
//! against junit-10.xsd, mapping the fault catalog's scenario keys to the built-in scenarios
//! (the ONE place where that mapping lives), the expected verdict of every behaviour fault
//! ([`BEHAVIOUR`]) and of every transport case ([`TRANSPORT`]), and the rendering of
//! docs/FAULTS.md from those tables plus `gws_reference_server::faults()`.

#![allow(dead_code)]

pub mod proxy;
#[path = "../support/mod.rs"]
mod support;

/// Runs the suite in-process (the runner tests' helper: `--color never`, `--quiet`, a JUnit path in
/// `dir`); returns the outcome and the JUnit text ("" when none was written).
pub use support::run;

/// The check of a JUnit report against junit-10.xsd (tests/common/junit_xsd.rs).
pub use support::junit_xsd::junit_xsd_check;

use gws_conformance::run::{
    RunOutcome,
    report::{Outcome, ScenarioRecord},
};
use gws_reference_server::FaultInfo;

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
    }
}

// ---------------------------------------------------------------------------------------------
// Scenario keys (crates/gws-reference-server/src/fault.rs, module doc) → built-in scenarios.

/// Every scenario key the fault catalog may name.
pub const SCENARIO_KEYS: &[&str] = &[
    "accept",
    "consult",
    "accept-twice",
    "unknown-interaction",
    "consult-without-target",
    "missing-nickname",
];

/// The fault catalog's scenario key of a built-in scenario, from its tags and name; `None` for a
/// scenario no key describes (the matrix test then fails, so a new scenario cannot go unjudged).
pub fn scenario_key(tags: &[String], name: &str) -> Option<&'static str> {
    let has = |t: &str| tags.iter().any(|x| x == t);
    if has("consult") {
        return Some(if name.contains("without targetUri or targetPath") {
            "consult-without-target"
        } else {
            "consult"
        });
    }
    if has("accept") {
        return Some(
            if name.contains("without nickname") || name.contains("without a nickname") {
                "missing-nickname"
            } else if name.contains("unknown") {
                "unknown-interaction"
            } else if name.contains("already accepted") {
                "accept-twice"
            } else if !has("inferred") {
                "accept"
            } else {
                return None;
            },
        );
    }
    None
}

/// Scenario keys whose scenarios first bring an interaction to Chatting through the step
/// "the agent has accepted the ... as ..." (which judges the Accept response and its StatusChange
/// Chatting): a fault in those breaks them too.
pub const ACCEPT_PRECONDITION: &[&str] = &["accept-twice", "consult", "consult-without-target"];

// ---------------------------------------------------------------------------------------------
// Behaviour faults: the expected verdict of each.

/// The expected verdict of one fault of `gws_reference_server::faults()`.
#[derive(Clone, Copy, Debug)]
pub struct Expect {
    /// The fault's name.
    pub fault: &'static str,
    /// Failure kinds (JUnit `type`) the failing scenarios may report; empty: any kind.
    pub kinds: &'static [&'static str],
    /// Words every failure must contain (in its summary, rule, JSON path, expected or actual;
    /// case-insensitive): this is how the failure names the rule.
    pub names: &'static [&'static str],
    /// Whether the fault also breaks [`ACCEPT_PRECONDITION`] (the Accept response or its
    /// StatusChange Chatting), so those scenarios fail too.
    pub breaks_accept_precondition: bool,
    /// Scenarios (name substrings) of the fault's keys that legitimately still pass, and why.
    pub spared: &'static [(&'static str, &'static str)],
}

const NONE: &[(&str, &str)] = &[];

/// Every behaviour fault's expected verdict. [`expectations_cover_the_catalog`] fails when a
/// fault of the catalog has no row here or a row names no fault.
pub const BEHAVIOUR: &[Expect] = &[
    Expect {
        fault: "status-instead-of-status-code",
        kinds: &["SchemaViolation"],
        names: &["statusCode", "required"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "status-code-as-string",
        kinds: &["SchemaViolation"],
        names: &["statusCode", "integer"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "nonzero-status-for-valid-accept",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 4, expected 0"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "error-without-status-message",
        kinds: &["SchemaViolation", "StatusMessageMissing"],
        names: &["statusMessage"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "accept-missing-status-change",
        kinds: &["NotificationTimeout"],
        names: &["notificationType StatusChange"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "accept-missing-participants-updated",
        kinds: &["NotificationTimeout"],
        names: &["notificationType ParticipantsUpdated"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "accept-missing-history",
        kinds: &["NotificationTimeout"],
        names: &["MessageLogUpdated"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    // The runner must notice the order (StatusChange, ParticipantsUpdated, history).
    Expect {
        fault: "accept-notifications-out-of-order",
        kinds: &["NotificationOrder"],
        names: &["order"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "accept-wrong-topic",
        kinds: &["TopicMismatch"],
        names: &["topic", "/v2/me/interactions"],
        breaks_accept_precondition: true,
        spared: &[(
            "SMS session",
            "no page documents the SMS topic ([INF], catalog section 3.1), so the suite accepts any /v2/me/ topic for SMS",
        )],
    },
    Expect {
        fault: "accept-wrong-state",
        kinds: &["SchemaViolation", "StateMismatch"],
        names: &["state"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "accept-wrong-message-type",
        kinds: &["SchemaViolation"],
        names: &["messageType"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "accept-wrong-notification-type",
        kinds: &["NotificationTimeout"],
        names: &["notificationType StatusChange"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "accept-capabilities-missing",
        kinds: &["SchemaViolation"],
        names: &["capabilities"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "accept-capabilities-incomplete",
        kinds: &["CapabilitiesMissing"],
        names: &["capabilities", "SendMessage"],
        breaks_accept_precondition: false,
        spared: &[(
            "with saveLAR",
            "the saveLAR scenario checks state, participants and history, not capabilities (the plain SMS Accept scenario checks them)",
        )],
    },
    Expect {
        fault: "history-without-customer-text",
        kinds: &["HistoryIncomplete"],
        names: &["customer's message"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "participant-without-participant-id",
        kinds: &["SchemaViolation"],
        names: &["participantId"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    // The failure must name the resource uri, not a notification that merely seems missing;
    // the "has accepted" step checks the StatusChange uri too.
    Expect {
        fault: "wrong-interaction-id-in-uri",
        kinds: &["UriMismatch"],
        names: &["uri"],
        breaks_accept_precondition: true,
        spared: NONE,
    },
    Expect {
        fault: "timestamp-not-a-string",
        kinds: &["SchemaViolation"],
        names: &["timestamp", "string"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "consult-without-reference-id",
        kinds: &["ReferenceIdMissing"],
        names: &["referenceId"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "consult-agent-visible-to-all",
        kinds: &["VisibilityMismatch"],
        names: &["visibility", "Agents"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "consult-without-target-accepted",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 1"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "accept-twice-accepted",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 2"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
    Expect {
        fault: "unknown-interaction-accepted",
        kinds: &["StatusCodeMismatch"],
        names: &["statusCode is 0, expected 6"],
        breaks_accept_precondition: false,
        spared: NONE,
    },
];

/// The row of `fault`, if any.
pub fn expect_of(fault: &str) -> Option<&'static Expect> {
    BEHAVIOUR.iter().find(|e| e.fault == fault)
}

/// Problems between the catalog and [`BEHAVIOUR`]: faults without a row, rows without a fault,
/// keys no scenario has.
pub fn expectations_cover_the_catalog(catalog: &[FaultInfo]) -> Vec<String> {
    let mut problems = Vec::new();
    for f in catalog {
        if expect_of(f.name).is_none() {
            problems.push(format!(
                "fault `{}` has no expected verdict in tests/fault_support/mod.rs BEHAVIOUR",
                f.name
            ));
        }
        for k in f.scenarios {
            if !SCENARIO_KEYS.contains(k) {
                problems.push(format!(
                    "fault `{}` names unknown scenario key `{k}`",
                    f.name
                ));
            }
        }
    }
    for e in BEHAVIOUR {
        if !catalog.iter().any(|f| f.name == e.fault) {
            problems.push(format!(
                "BEHAVIOUR row `{}` names no fault of the catalog",
                e.fault
            ));
        }
    }
    problems
}

/// The scenario keys that must fail under `info`: its own, plus [`ACCEPT_PRECONDITION`] when the
/// row says the fault breaks it.
pub fn failing_keys(info: &FaultInfo, e: &Expect) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = info.scenarios.to_vec();
    if e.breaks_accept_precondition {
        for k in ACCEPT_PRECONDITION {
            if !keys.contains(k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// How a fault's failures read in the docs: `failed: <kinds> naming <words>`.
pub fn behaviour_outcome_text(info: &FaultInfo, e: &Expect) -> String {
    let keys = failing_keys(info, e);
    let mut s = format!("fail ({})", keys.join(", "));
    if !e.kinds.is_empty() {
        s.push_str(&format!(" as {}", e.kinds.join(" or ")));
    }
    s.push_str(&format!(
        ", naming {}",
        e.names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    ));
    for (n, why) in e.spared {
        s.push_str(&format!("; scenarios named \"{n}\" pass: {why}"));
    }
    s
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

/// docs/FAULTS.md rendered from `catalog` (`gws_reference_server::faults()`), [`BEHAVIOUR`] and
/// [`TRANSPORT`].
pub fn render_faults_md(catalog: &[FaultInfo]) -> String {
    let mut s = String::new();
    s.push_str("# Faults the suite must catch (issue 5)\n\n");
    s.push_str(
        "<!-- Generated by `UPDATE_DOCS=1 cargo test --test fault_matrix docs_table_is_current`\n",
    );
    s.push_str("     from gws_reference_server::faults() and tests/fault_support/mod.rs. Do not edit. -->\n\n");
    s.push_str("## Behaviour faults\n\n");
    s.push_str("Each row is one `--fault NAME` of the reference server (`gws-conformance serve --fault NAME`),\n");
    s.push_str("breaking exactly one documented rule. `tests/fault_matrix.rs` runs the whole suite against each,\n");
    s.push_str(
        "in both dialects (2015 and 2019 spellings), and checks exactly this outcome: the named\n",
    );
    s.push_str("scenarios fail (never error), the failure names the rule and the documentation page, and\n");
    s.push_str("every other scenario passes.\n\n");
    s.push_str("Scenario keys: `accept` the Accept flow of each media (response and the three notifications);\n");
    s.push_str("`consult` the Consult flow; `accept-twice` a second Accept (statusCode 2); `unknown-interaction`\n");
    s.push_str("an unknown id (statusCode 6); `consult-without-target` Consult without target (statusCode 1);\n");
    s.push_str("`missing-nickname` Accept without nickname (statusCode 1). Faults that break the Accept response\n");
    s.push_str("or its StatusChange also fail the scenarios that accept first (`accept-twice`, `consult`,\n");
    s.push_str("`consult-without-target`).\n\n");
    s.push_str(
        "| fault | what the server does wrong | outcome the suite gives | rule | documentation |\n",
    );
    s.push_str("|---|---|---|---|---|\n");
    for f in catalog {
        let outcome = match expect_of(f.name) {
            Some(e) => behaviour_outcome_text(f, e),
            None => "NO EXPECTED VERDICT".to_string(),
        };
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            f.name,
            cell(f.description),
            cell(&outcome),
            cell(f.rule),
            cell(f.source)
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
