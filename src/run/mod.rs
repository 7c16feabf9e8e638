//! `gws-conformance run`: the conformance runner. It logs in as the agent (target-contract
//! section 2), runs the Gherkin scenarios concurrently on that one session, judges every
//! response and notification, and writes the console lines and the JUnit report.
//!
//! Modules: [`agent`] (HTTP + Bayeux clients and protocol actions), [`session`] (the shared
//! session and learned spellings), [`media`] and [`catalog`] (documented names and pages),
//! [`features`] (embedded and vendor `.feature` files, tag filter), [`steps`] (world and step
//! definitions), [`verdict`] (failure vs error), [`report`] (console and JUnit).

#![warn(missing_docs)]

pub mod agent;
pub mod baseline;
pub mod catalog;
pub mod expect;
pub mod features;
pub mod interrupt;
pub mod media;
pub mod probe;
pub mod redact;
pub mod report;
pub mod session;
pub mod steps;
pub mod target;
pub mod verdict;

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use clap::{Parser, ValueEnum};

use cucumber::World as _;
use futures::FutureExt as _;
use sha2::{Digest as _, Sha256};
use url::Url;

use self::{
    interrupt::Interrupts,
    report::{Console, Counts, ReportWriter, RunRecord, junit::ReportMeta},
    session::{SecondAgent, Spellings},
    steps::GwsWorld,
    target::{Login, Target},
    verdict::HarnessError,
};

/// Scenarios per feature that the runner hands to cucumber at a time ([`features::Paced`]).
const PACED_CHUNK: usize = 32;

/// When to colour the console.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Only when stdout is a terminal.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The longest duration [`parse_duration`] accepts.
const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// Parses a [`humantime`] duration (`5s`, `500ms`, `1.5s`, `2m`, `1m30s`, `1h`) or a bare
/// number of seconds (`2`, `0.5`), up to 24 hours.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let bare = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
    let d = if bare {
        humantime::parse_duration(&format!("{t}s"))
    } else {
        humantime::parse_duration(t)
    }
    .map_err(|e| format!("`{s}` is not a duration like 5s, 500ms or 1m ({e})"))?;
    if d > MAX_DURATION {
        return Err(format!("`{s}` is out of range (at most 24h)"));
    }
    Ok(d)
}

/// Parses an `http://` or `https://` URL with a host; the error names the flag and the URL
/// without its credentials (clap's own error would echo the value, password included).
#[derive(Clone, Copy, Debug)]
pub struct HttpUrlParser;

impl clap::builder::TypedValueParser for HttpUrlParser {
    type Value = Url;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Url, clap::Error> {
        let text = value.to_string_lossy();
        match Url::parse(&text) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.host().is_some()
                    && u.path().trim_end_matches('/').ends_with("/api/v2")
                    && arg.is_some_and(|a| a.get_id() == "target") =>
            {
                Err(clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!(
                        "--target: `{}` ends in /api/v2; give the server's base URL (the suite adds /api/v2 itself)\n",
                        agent::redact(&u)
                    ),
                )
                .with_cmd(cmd))
            }
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(u),
            _ => {
                let flag = arg
                    .map(|a| a.get_id().as_str().replace('_', "-"))
                    .unwrap_or_default();
                Err(clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!(
                        "--{flag}: `{}` is not an http(s) URL with a host\n",
                        redact_text(&text)
                    ),
                )
                .with_cmd(cmd))
            }
        }
    }
}

/// The shortest wait the suite accepts: below it a loopback round trip under load can miss it,
/// and a target would be blamed for the harness's impatience.
pub const MIN_WAIT: Duration = Duration::from_millis(100);

/// Parses a bound (`--notification-timeout`, `--request-timeout`) like [`parse_duration`] and
/// refuses one shorter than [`MIN_WAIT`].
pub fn parse_wait(s: &str) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d < MIN_WAIT {
        return Err(format!(
            "`{s}` is too short to judge anything; use at least {}ms",
            MIN_WAIT.as_millis()
        ));
    }
    Ok(d)
}

/// Parses `--concurrency`: a whole number from 1 to 1024.
pub fn parse_concurrency(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n @ 1..=1024) => Ok(n),
        _ => Err(format!("`{s}` is not a number from 1 to 1024")),
    }
}

/// Checks a cucumber tag expression (kept as text; empty means all scenarios).
pub fn parse_tag_expression(s: &str) -> Result<String, String> {
    let t = s.trim();
    if !t.is_empty() {
        features::parse_tags(t).map_err(|e| e.to_string())?;
    }
    Ok(t.to_string())
}

/// Flags of `run` (target-contract section 1, plus runner settings).
#[derive(Clone, clap::Args)]
pub struct RunArgs {
    /// Base URL of the server under test; `{target}/api/v2` is the API root. Without it the
    /// embedded reference server is started on 127.0.0.1 on a free port.
    #[arg(long, env = "GWS_TARGET", value_name = "URL", value_parser = HttpUrlParser, hide_env_values = true)]
    pub target: Option<Url>,
    /// The agent's user name (HTTP Basic on every request).
    #[arg(long, env = "GWS_USER", default_value = "agent1")]
    pub user: String,
    /// The agent's password. Never printed.
    #[arg(
        long,
        env = "GWS_PASSWORD",
        default_value = "secret1",
        hide_default_value = true,
        hide_env_values = true
    )]
    pub password: String,
    /// The second agent's user name, for the session scenarios (`@session`: its own HTTP sessions,
    /// per-agent delivery; target-contract section 1).
    #[arg(long, env = "GWS_USER2", default_value = "agent2")]
    pub user2: String,
    /// The second agent's password. Never printed.
    #[arg(
        long,
        env = "GWS_PASSWORD2",
        default_value = "secret2",
        hide_default_value = true,
        hide_env_values = true
    )]
    pub password2: String,
    /// Fail the CSRF scenarios when the target hands out no CSRF token (without it they are
    /// skipped, "CSRF protection off").
    #[arg(long)]
    pub require_csrf: bool,
    /// The provider-state endpoint (target-contract section 3) [default: {target}/conformance/states].
    #[arg(long, env = "GWS_STATE_URL", value_name = "URL", value_parser = HttpUrlParser, hide_env_values = true)]
    pub state_url: Option<Url>,
    /// Send the agent's Authorization and CSRF token to a --state-url on another origin than
    /// the target's too (by default it gets neither, only its own userinfo's credentials).
    #[arg(long)]
    pub state_credentials: bool,
    /// A PEM file of certificates to trust, in addition to the platform's (repeatable).
    #[arg(long = "ca-cert", value_name = "PATH")]
    pub ca_cert: Vec<PathBuf>,
    /// Do not verify TLS certificates (lab targets only; warned on every run and recorded in
    /// the reports).
    #[arg(long)]
    pub insecure: bool,
    /// Cucumber tag expression selecting scenarios, e.g. `@chat and not @consult`.
    #[arg(long, value_name = "EXPR", value_parser = parse_tag_expression)]
    pub tags: Option<String>,
    /// Where the JUnit XML report is written.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "target/gws-conformance/junit.xml"
    )]
    pub junit: PathBuf,
    /// Also write the Cucumber JSON report there (for cucumber-html-reporter, Allure, ...).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Also write the self-contained HTML conformance report there (matrix, failures).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Also write the Markdown summary there (appended to $GITHUB_STEP_SUMMARY when set).
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,
    /// GitHub Actions' step summary file: the Markdown summary is appended to it.
    #[arg(long, env = "GITHUB_STEP_SUMMARY", value_name = "PATH", hide = true)]
    pub github_step_summary: Option<PathBuf>,
    /// Running under GitHub Actions: print `::error` workflow commands for the problems.
    #[arg(long, env = "GITHUB_ACTIONS", hide = true)]
    pub github_actions: bool,
    /// Require the newest documented spelling of every name (target-contract section 4).
    #[arg(long)]
    pub strict: bool,
    /// A directory of vendor `.feature` files, run in addition to the built-in ones (repeatable).
    #[arg(long = "features", value_name = "DIR")]
    pub features: Vec<PathBuf>,
    /// How many scenarios run at once.
    #[arg(long, default_value_t = 16, value_parser = parse_concurrency)]
    pub concurrency: usize,
    /// How long a step waits for a documented notification (e.g. 5s, 500ms).
    #[arg(long, default_value = "5s", value_parser = parse_wait)]
    pub notification_timeout: Duration,
    /// Bound on every HTTP request (e.g. 10s).
    #[arg(long, default_value = "10s", value_parser = parse_wait)]
    pub request_timeout: Duration,
    /// Spellings of the embedded reference server (ignored with --target): 2015 or 2019.
    #[arg(long, default_value = "2019", value_parser = |s: &str| s.parse::<gws_contract::Dialect>())]
    pub dialect: gws_contract::Dialect,
    /// Print only problems and the closing counts line (no per-scenario lines).
    #[arg(long)]
    pub quiet: bool,
    /// Print nothing at all (the reports are still written): for running the suite in-process
    /// inside another program's tests, whose own log must stay readable.
    #[arg(long, hide = true)]
    pub silent: bool,
    /// Colour the console: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// The known-failures baseline: listed scenarios that fail are expected failures, listed
    /// scenarios that pass fail the run (stale), `skip:` lines are the target's profile.
    #[arg(long, env = "GWS_KNOWN_FAILURES", value_name = "FILE")]
    pub known_failures: Option<PathBuf>,
    /// Write the scenarios that failed to FILE in the known-failures format (the baseline).
    #[arg(long, value_name = "FILE")]
    pub write_known_failures: Option<PathBuf>,
    /// The target's profile: scenarios this tag expression selects are not run and are
    /// reported as skipped, e.g. `@consult or @invite`.
    #[arg(long, value_name = "EXPR", value_parser = parse_tag_expression)]
    pub skip_tags: Option<String>,
    /// Run only scenarios whose test name matches this regular expression.
    #[arg(long, value_name = "REGEX", value_parser = parse_name_regex)]
    pub name: Option<regex::Regex>,
    /// Print the selected scenarios (identity, tags, documentation page) and run nothing.
    #[arg(long)]
    pub list: bool,
    /// Stop after the first scenario that fails, goes stale or ends in error.
    #[arg(long)]
    pub fail_fast: bool,
    /// Run a scenario that ended in a transport error (target unreachable, request timeout,
    /// Bayeux transport) again, up to N more times; failures are never retried.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub retry: u8,
    /// Run only part I of N of the selection (deterministic), e.g. 2/4 for a CI matrix.
    #[arg(long, value_name = "I/N", value_parser = |s: &str| s.parse::<features::Shard>())]
    pub shard: Option<features::Shard>,
}

/// Parses `--name`: a regular expression (at most 1000 characters).
pub fn parse_name_regex(s: &str) -> Result<regex::Regex, String> {
    if s.len() > 1000 {
        return Err("the regular expression is longer than 1000 characters".into());
    }
    regex::Regex::new(s).map_err(|e| format!("not a regular expression: {e}"))
}

impl std::fmt::Debug for RunArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunArgs")
            .field("target", &self.target.as_ref().map(agent::redact))
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("user2", &self.user2)
            .field("password2", &"<redacted>")
            .field("require_csrf", &self.require_csrf)
            .field("state_url", &self.state_url.as_ref().map(agent::redact))
            .field("state_credentials", &self.state_credentials)
            .field("ca_cert", &self.ca_cert)
            .field("insecure", &self.insecure)
            .field("tags", &self.tags)
            .field("junit", &self.junit)
            .field("json", &self.json)
            .field("html", &self.html)
            .field("summary", &self.summary)
            .field("github_step_summary", &self.github_step_summary)
            .field("github_actions", &self.github_actions)
            .field("strict", &self.strict)
            .field("features", &self.features)
            .field("concurrency", &self.concurrency)
            .field("notification_timeout", &self.notification_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("dialect", &self.dialect)
            .field("color", &self.color)
            .field("quiet", &self.quiet)
            .field("known_failures", &self.known_failures)
            .field("write_known_failures", &self.write_known_failures)
            .field("skip_tags", &self.skip_tags)
            .field("name", &self.name)
            .field("list", &self.list)
            .field("fail_fast", &self.fail_fast)
            .field("shard", &self.shard)
            .field("retry", &self.retry)
            .finish()
    }
}

#[derive(Parser)]
#[command(no_binary_name = true)]
struct RunArgsOnly {
    #[command(flatten)]
    run: RunArgs,
}

impl RunArgs {
    /// Where this run's reports go (`--junit`, `--json`, `--html`, `--summary`, GitHub's
    /// step summary and workflow commands). A `--silent` run (in-process, inside another
    /// program's tests) leaves GitHub's step summary and workflow commands to that program.
    pub fn outputs(&self) -> report::Outputs {
        report::Outputs {
            junit: self.junit.clone(),
            json: self.json.clone(),
            html: self.html.clone(),
            summary: self.summary.clone(),
            step_summary: self.github_step_summary.clone().filter(|_| !self.silent),
            annotations: self.github_actions && !self.silent,
        }
    }

    /// Parses `run` flags alone (no program name), e.g. `RunArgs::from_args(["--strict"])`;
    /// for tests and benchmarks. Environment variables apply as on the command line.
    pub fn from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        RunArgsOnly::try_parse_from(args).map(|a| a.run)
    }
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    /// 0 all passed, 1 any failed, 2 errors only / bad flags / unreachable target.
    pub exit_code: u8,
    /// Scenarios per outcome.
    pub counts: Counts,
    /// Where the JUnit report was written (`None` when the run did not start).
    pub junit: Option<PathBuf>,
    /// The spellings the target used.
    pub spellings: Spellings,
    /// Every scenario's record.
    pub record: RunRecord,
    /// The target URL, credentials removed.
    pub target: String,
}

impl RunOutcome {
    fn not_started(code: u8) -> Self {
        Self {
            exit_code: code,
            counts: Counts::default(),
            junit: None,
            spellings: Spellings::default(),
            record: RunRecord::default(),
            target: String::new(),
        }
    }
}

/// Runs the suite; returns the exit code of the target contract (0, 1, 2).
pub fn main(args: RunArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(execute(args)).exit_code
}

/// SHA-256 (hex) of the embedded features, schemas and fixtures, sorted by path.
pub fn bundle_sha256() -> String {
    let mut entries: Vec<(String, Vec<u8>)> = features::embedded()
        .into_iter()
        .map(|f| (f.path, f.text.into_bytes()))
        .collect();
    entries.extend(
        gws_contract::bundle_files()
            .into_iter()
            .map(|(p, b)| (p, b.to_vec())),
    );
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut h = Sha256::new();
    for (p, b) in entries {
        h.update(p.as_bytes());
        h.update([0]);
        h.update((b.len() as u64).to_be_bytes());
        h.update(&b);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One console line; a closed stdout (e.g. `| head`) is not an error of the run.
fn say(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Runs the suite in-process: starts the embedded server when no target is given, logs in,
/// runs the selected scenarios, writes the JUnit report, ends the session.
pub async fn execute(args: RunArgs) -> RunOutcome {
    let silent = args.silent;
    // Every console line goes through the run's one redaction (no secret shown) and escaping
    // (no control sequence from the target reaches the terminal).
    let secrets = redact::Secrets::new();
    secrets.add_basic(&args.user, &args.password);
    for u in args.target.iter().chain(args.state_url.iter()) {
        secrets.add_url(u);
    }
    let say = |line: &str| {
        if !silent {
            say(&secrets.for_console(line))
        }
    };
    // Flags were validated when parsed; the tag expression is compiled once here.
    let tag_filter = match args.tags.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => match features::parse_tags(t) {
            Ok(op) => Some(op),
            Err(e) => {
                say(&format!("error: --tags: {e}"));
                return RunOutcome::not_started(2);
            }
        },
        None => None,
    };
    let mut sources = features::embedded();
    for dir in &args.features {
        match features::from_dir(dir) {
            Ok(v) => sources.extend(v),
            Err(e) => {
                say(&format!("error: --features: {e}"));
                return RunOutcome::not_started(2);
            }
        }
    }
    let loaded = match features::parse_all(sources) {
        Ok(l) => l,
        Err(e) => {
            say(&format!("error: {e}"));
            return RunOutcome::not_started(2);
        }
    };
    // The baseline and the selection.
    let baseline = match args.known_failures.as_deref().map(baseline::Baseline::load) {
        None => None,
        Some(Ok(b)) => Some(Arc::new(b)),
        Some(Err(e)) => {
            say(&format!("error: {e}"));
            return RunOutcome::not_started(2);
        }
    };
    let mut skip = Vec::new();
    if let Some(expr) = args.skip_tags.as_deref().filter(|t| !t.is_empty()) {
        match features::parse_tags(expr) {
            Ok(op) => skip.push(features::Skip {
                expr: op,
                reason: format!("not in the target's profile (--skip-tags `{expr}`)"),
            }),
            Err(e) => {
                say(&format!("error: --skip-tags: {e}"));
                return RunOutcome::not_started(2);
            }
        }
    }
    skip.extend(baseline.iter().flat_map(|b| b.skips()));
    let selection = features::Selection {
        tags: tag_filter,
        name: args.name.clone(),
        shard: args.shard,
        skip,
    };
    let all = features::all_planned(&loaded);
    let mut plan = selection.plan(&all);
    if let Some(b) = &baseline {
        for e in b.unmatched(&all) {
            say(&format!(
                "warning: --known-failures {}:{}: `{}` matches no scenario",
                b.path,
                e.line,
                verdict::one_line(&e.text, 120)
            ));
        }
    }
    if args.list {
        return list(&plan, silent);
    }
    let to_run: std::collections::HashSet<(String, usize, usize)> =
        plan.run.iter().map(features::Planned::key).collect();
    let total = plan.run.len();
    // From here on only the keys and the profile's skips are needed, not every planned entry.
    drop(all);
    plan.run = Vec::new();

    // The report paths must be writable before anything runs (a run that cannot report is
    // useless to a CI gate).
    let outputs = args.outputs();
    for (flag, path) in outputs.files() {
        if let Err(e) = check_writable(path) {
            say(&format!(
                "error: {flag} {}: cannot write there: {e}",
                path.display()
            ));
            return RunOutcome::not_started(2);
        }
    }
    if let Some(path) = &args.write_known_failures
        && let Err(e) = check_writable(path)
    {
        say(&format!(
            "error: --write-known-failures {}: cannot write there: {e}",
            path.display()
        ));
        return RunOutcome::not_started(2);
    }

    let tls = match agent::TlsConfig::load(&args.ca_cert, args.insecure) {
        Ok(t) => t,
        Err(e) => {
            say(&format!("error: {e}"));
            return RunOutcome::not_started(2);
        }
    };

    // From here on SIGINT, SIGTERM and SIGHUP end the phase in progress, and the reports are
    // written.
    let interrupts = Interrupts::listen();

    // The target: given, or the embedded reference server.
    let target = match Target::start(args.target.clone(), args.dialect).await {
        Ok(t) => t,
        Err(e) => {
            say(&format!("error: {e}"));
            return RunOutcome::not_started(2);
        }
    };
    let shown_target = target.shown();

    // The profile's skips are reported whatever happens next.
    let skipped: Vec<features::Planned> = plan.skipped.iter().map(|(p, _)| p.clone()).collect();
    let record = Arc::new(Mutex::new(RunRecord {
        scenarios: features::with_steps(&loaded, &skipped)
            .iter()
            .zip(&plan.skipped)
            .map(|(p, (_, why))| {
                let mut r = report::ScenarioRecord::planned(p);
                r.outcome = report::Outcome::Skipped(why.clone());
                r
            })
            .collect(),
        ..Default::default()
    }));
    // One record per selected scenario: no regrowth of a 10,000-entry vector while it runs.
    if let Ok(mut r) = record.lock() {
        r.scenarios.reserve(total);
    }
    let mut meta = ReportMeta {
        version: env!("CARGO_PKG_VERSION").to_string(),
        bundle_sha256: bundle_sha256(),
        target: shown_target.clone(),
        spellings: Vec::new(),
        tags: args.tags.clone().unwrap_or_default(),
        strict: args.strict,
        concurrency: args.concurrency,
        insecure: args.insecure,
        started_at: Some(std::time::SystemTime::now()),
        hostname: gethostname::gethostname().to_string_lossy().into_owned(),
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        // NO_COLOR, CLICOLOR_FORCE, TERM=dumb and a non-terminal stdout, as anstream decides.
        ColorArg::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    };
    let quiet = args.quiet;
    let info = |line: &str| {
        if !quiet && !silent {
            say(line)
        }
    };
    info(&format!(
        "gws-conformance {} against {shown_target}",
        meta.version
    ));

    if args.insecure {
        say(
            "warning: --insecure: TLS certificates are not verified, so anyone on the path can read the agent's credentials; for lab targets only",
        );
    }

    // Login (target-contract section 2, steps 1–3).
    let login = Login {
        user: args.user.clone(),
        password: args.password.clone(),
        state_url: args.state_url.clone(),
        request_timeout: args.request_timeout,
        notification_timeout: args.notification_timeout,
        strict: args.strict,
        state_credentials: args.state_credentials,
        tls,
        secrets: secrets.clone(),
    };
    let second_agent = SecondAgent {
        user: args.user2.clone(),
        password: args.password2.clone(),
    };
    enum LoginEnd {
        Done(Result<Arc<session::AgentSession>, agent::AgentError>),
        Interrupted(&'static str),
    }
    let login_end = tokio::select! {
        r = target.login(&login) => LoginEnd::Done(
            r.map(|s| Arc::new(s.with_session_checks(second_agent, args.require_csrf))),
        ),
        sig = interrupts.after(0) => LoginEnd::Interrupted(sig),
    };
    let session = match login_end {
        LoginEnd::Done(Ok(s)) => s,
        LoginEnd::Done(Err(e)) => {
            say(&format!("error: login failed: {e}"));
            let error = HarnessError::new("LoginFailed", e.to_string()).detail(
                "The agent could not log in (GET /api/v2/me), handshake or subscribe (CometD /api/v2/notifications), \
                 or start its session (StartContactCenterSession, Ready); no scenario could run. See target-contract section 2.",
            );
            return end_early(&args, &record, &meta, &secrets, target, error).await;
        }
        LoginEnd::Interrupted(sig) => {
            say(&format!(
                "error: interrupted ({sig}) during login; writing the report"
            ));
            let error = interrupted(
                sig,
                "during login (GET /api/v2/me, CometD handshake and subscribe, StartContactCenterSession, Ready)",
            );
            return end_early(&args, &record, &meta, &secrets, target, error).await;
        }
    };

    // The scenarios.
    let classnames: HashMap<String, String> = loaded
        .iter()
        .map(|l| (l.source.path.clone(), l.source.classname.clone()))
        .collect();
    let mut features: Vec<_> = loaded.into_iter().map(|l| l.feature).collect();
    let console = Console {
        color,
        enabled: !args.quiet && !silent,
        problems: args.quiet && !silent,
    };
    if console.enabled
        && let Ok(r) = record.lock()
    {
        for s in &r.scenarios {
            report::print_scenario(s, console.choice(), None);
        }
    }
    // The counter only where a person watches: a terminal, not a pipe or a CI log.
    let progress = {
        use std::io::IsTerminal as _;
        (console.enabled && std::io::stdout().is_terminal()).then_some(total)
    };
    let stop = args.fail_fast.then(|| Arc::new(tokio::sync::Notify::new()));
    // Pass 0 runs the plan; each further pass (`--retry`) runs again the scenarios of the
    // previous pass that ended in a transport error, and the new record keeps the earlier
    // errors as reruns (one testcase per scenario).
    let mut pass_keys = to_run;
    let mut stashed: HashMap<(String, usize, usize), report::ScenarioRecord> = HashMap::new();
    let mut fail_fast_stopped = false;
    let mut interrupted_now = false;
    let mut handled = 0;
    for attempt in 0..=args.retry {
        let last = attempt == args.retry;
        let label = (attempt > 0).then(|| format!("[retry {attempt}/{}] ", args.retry));
        let writer = ReportWriter::new(Arc::clone(&record), classnames.clone(), console)
            .with_baseline(baseline.clone())
            .with_progress(if attempt == 0 { progress } else { None })
            .with_stop(stop.clone())
            .with_secrets(secrets.clone())
            .with_retry(!last, label);
        let first_new = record.lock().map(|r| r.scenarios.len()).unwrap_or(0);
        let keys = std::mem::take(&mut pass_keys);
        let for_before = Arc::clone(&session);
        let for_after = Arc::clone(&session);
        // The features are handed to cucumber a few scenarios at a time, as scenarios start
        // ([`features::Paced`]); the last pass takes the parsed features instead of a copy.
        let pace = Arc::new(features::Pace::default());
        let for_pace = Arc::clone(&pace);
        let scenarios = GwsWorld::cucumber::<&str>()
            .with_parser(features::Paced {
                features: if last {
                    std::mem::take(&mut features)
                } else {
                    features.clone()
                },
                keys,
                chunk: PACED_CHUNK,
                depth: PACED_CHUNK + 2 * args.concurrency,
                pace,
            })
            .with_writer(writer)
            .fail_on_skipped()
            .max_concurrent_scenarios(args.concurrency)
            .before(move |feature, rule, scenario, world| {
                for_pace.started();
                let tags = features::effective_tags(feature, rule, scenario);
                world.session = Some(Arc::clone(&for_before));
                world.source = catalog::source_of(&tags).unwrap_or_default();
                async {}.boxed_local()
            })
            .after(move |_feature, _rule, _scenario, _finished, world| {
                let session = Arc::clone(&for_after);
                let (states, interaction) = world
                    .map(|w| {
                        (
                            std::mem::take(&mut w.states),
                            w.interaction.take().map(|i| i.id),
                        )
                    })
                    .unwrap_or_default();
                async move {
                    for (state, params) in states.into_iter().rev() {
                        // The target may ignore teardown; its answer does not change the verdict.
                        let _ = session.agent.provider_state_teardown(&state, &params).await;
                    }
                    // No later step waits for this interaction's notifications.
                    if let Some(id) = interaction {
                        session.inbox.retire(&id);
                    }
                }
                .boxed_local()
            })
            .with_default_cli()
            .run(());
        let stopped = async {
            match &stop {
                Some(s) => s.notified().await,
                None => std::future::pending().await,
            }
        };
        // An interrupted run (SIGINT, SIGTERM, SIGHUP) still ends the agent session and writes
        // its reports: the scenarios finished so far keep their verdicts, and the interruption
        // is one run error.
        tokio::select! {
            _ = scenarios => {}
            _ = stopped => {
                fail_fast_stopped = true;
            }
            sig = interrupts.after(0) => {
                handled = interrupts.count();
                interrupted_now = true;
                say(&format!("error: interrupted ({sig}); ending the session and writing the report of the scenarios finished so far (a second signal ends at once)"));
                push_error(&record, interrupted(sig, "before every scenario finished"));
            }
        }
        let Ok(mut r) = record.lock() else { break };
        // This pass's records of retried scenarios carry the earlier attempts.
        for rec in r.scenarios.iter_mut().skip(first_new) {
            if let Some(mut earlier) = stashed.remove(&rec.key()) {
                if let report::Outcome::Error(e) = earlier.outcome {
                    earlier.reruns.push(e);
                }
                rec.reruns = earlier.reruns;
            }
        }
        if last || fail_fast_stopped || interrupted_now {
            break;
        }
        let mut i = first_new;
        while i < r.scenarios.len() {
            if r.scenarios[i].transport_error() {
                let rec = r.scenarios.remove(i);
                pass_keys.insert(rec.key());
                stashed.insert(rec.key(), rec);
            } else {
                i += 1;
            }
        }
        if pass_keys.is_empty() {
            break;
        }
    }
    // Retries that did not finish (interrupted, --fail-fast) keep their last error.
    if let Ok(mut r) = record.lock() {
        r.scenarios.extend(stashed.into_values());
    }

    // Notifications the inbox had to drop or could not read make the run unjudgeable as a
    // whole, even where every wait happened to find its notification: a run error (exit 2).
    if let Ok(mut r) = record.lock() {
        if let Some(o) = session.inbox.overflow() {
            r.run_errors.push(
                HarnessError::new(
                    "NotificationOverflow",
                    format!("the target sent more notifications than the inbox holds: {o}"),
                )
                .detail(format!(
                    "{} notification(s) were dropped; waits that found no match ended at once.",
                    session.inbox.dropped()
                )),
            );
        }
        if let Some((n, e)) = session.inbox.lost() {
            r.run_errors.push(HarnessError::new(
                "NotificationsLost",
                format!("{n} CometD connect answer(s) could not be read (first: {e}); the notifications they carried are lost"),
            ));
        }
    }

    // End of session (target-contract section 2 step 4).
    // A signal not yet acted on (the first, or a second one after an interruption) stops
    // waiting for it.
    tokio::select! {
        r = session.agent.end_contact_center_session() => {
            if let Err(e) = r {
                say(&format!("warning: ending the agent session: {e}"));
            }
        }
        sig = interrupts.after(handled) => {
            say(&format!("error: interrupted ({sig}) while ending the agent session; not waiting for it, writing the report"));
            if handled == 0 {
                push_error(&record, interrupted(sig, "while ending the agent session (EndContactCenterSession)"));
            }
        }
    }
    let spellings = session.spellings();
    drop(session);
    target.stop().await;

    // What every report writer receives: the record and the properties, secrets masked.
    // Every writer of the record has ended: it is taken, not copied.
    let mut rec = record
        .lock()
        .map(|mut r| std::mem::take(&mut *r))
        .unwrap_or_default();
    secrets.mask_record(&mut rec);
    meta.spellings = spellings
        .entries()
        .into_iter()
        .map(|(k, v)| (k, secrets.mask(&v).into_owned()))
        .collect();
    let written = outputs.write_all(&rec, &meta, args.quiet || silent, &|l: &str| {
        if !silent {
            say(l)
        }
    });
    let junit = written.junit.clone();
    let counts = rec.counts();
    info(&format!(
        "spellings used by the target: {}",
        spellings.summary()
    ));
    if args.strict {
        info("strict: the newest documented spellings were required (target-contract section 4)");
    }
    let interrupted = rec.run_errors.iter().any(|e| e.kind == "Interrupted");
    let nothing_selected =
        rec.scenarios.len() == plan.skipped.len() && !interrupted && !fail_fast_stopped;
    if fail_fast_stopped {
        let finished = rec.scenarios.len() - plan.skipped.len();
        say(&format!(
            "--fail-fast: stopped after the first scenario that did not pass; {} of {total} selected scenario(s) did not finish and are not in the report",
            total.saturating_sub(finished)
        ));
    }
    let stale: Vec<&report::Known> = rec
        .scenarios
        .iter()
        .filter_map(|s| match &s.outcome {
            report::Outcome::Stale(k) => Some(k),
            _ => None,
        })
        .collect();
    if !stale.is_empty() {
        let mut lines: Vec<String> = stale
            .iter()
            .map(|k| format!("  {}: {}", k.at, verdict::one_line(&k.entry, 160)))
            .collect();
        lines.sort();
        lines.dedup();
        say(&format!(
            "error: {} listed known failure(s) now pass: remove these lines from the known-failures file (or narrow the tag expression):\n{}",
            stale.len(),
            lines.join("\n")
        ));
    }
    let mut wrote_baseline = true;
    if let Some(path) = &args.write_known_failures {
        wrote_baseline = write_known_failures(path, &rec, baseline.as_deref(), silent);
    }
    if nothing_selected {
        say(
            "error: no scenario was selected (check --tags and --features): a gate must not pass on nothing",
        );
    }
    say(&counts.line());
    let exit_code = if counts.failed > 0 || counts.stale > 0 {
        1
    } else if counts.errors > 0 || !written.failed.is_empty() || nothing_selected || !wrote_baseline
    {
        2
    } else {
        0
    };
    RunOutcome {
        exit_code,
        counts,
        junit,
        spellings,
        record: rec,
        target: shown_target,
    }
}

/// `--list`: prints each selected scenario (identity, tags, documentation page; the profile's
/// skips with their reason) and a closing count; exit status 2 when none would run.
fn list(plan: &features::Plan, silent: bool) -> RunOutcome {
    let say = |line: &str| {
        if !silent {
            say(line)
        }
    };
    let show = |p: &features::Planned, note: &str| {
        let tags: Vec<String> = p.tags.iter().map(|t| format!("@{t}")).collect();
        let mut text = format!("{}{note}\n    tags: {}", p.id, tags.join(" "));
        if let Some(src) = catalog::source_of(&p.tags) {
            text.push_str(&format!("\n    documentation: {src}"));
        }
        text.push_str(&format!("\n    at {}:{}", p.feature_path, p.position.0));
        say(&text);
    };
    for p in &plan.run {
        show(p, "");
    }
    for (p, why) in &plan.skipped {
        show(p, &format!(" (skipped: {why})"));
    }
    say(&format!(
        "{} scenario(s) selected, {} skipped by the profile",
        plan.run.len(),
        plan.skipped.len()
    ));
    if plan.run.is_empty() {
        say(
            "error: no scenario was selected (check --tags, --name, --shard, --skip-tags and --features)",
        );
        return RunOutcome::not_started(2);
    }
    RunOutcome::not_started(0)
}

/// `--write-known-failures`: writes the scenarios that failed (expected failures included) in
/// the known-failures format, keeping the `skip:` lines of the baseline given; false when the
/// file cannot be written.
fn write_known_failures(
    path: &std::path::Path,
    rec: &RunRecord,
    baseline: Option<&baseline::Baseline>,
    silent: bool,
) -> bool {
    let failing: Vec<(String, String)> = rec
        .scenarios
        .iter()
        .filter_map(|s| match &s.outcome {
            report::Outcome::Failed(f) | report::Outcome::ExpectedFailure(f, _) => {
                Some((s.id(), format!("{}: {}", f.kind, f.summary)))
            }
            _ => None,
        })
        .collect();
    match std::fs::write(path, baseline::render(&failing, baseline)) {
        Ok(()) => {
            if !silent {
                say(&format!(
                    "known failures: {} scenario(s) written to {}",
                    failing.len(),
                    path.display()
                ));
            }
            true
        }
        Err(e) => {
            say(&format!(
                "error: --write-known-failures {}: {e}",
                path.display()
            ));
            false
        }
    }
}

/// The run error of an interruption by `signal` (`SIGTERM`, ...) `when` (e.g. "during login").
fn interrupted(signal: &str, when: &str) -> HarnessError {
    HarnessError::new(
        "Interrupted",
        format!("the run was interrupted ({signal}) {when}"),
    )
    .detail("Scenarios that had not finished are not in this report.")
}

fn push_error(record: &Mutex<RunRecord>, error: HarnessError) {
    if let Ok(mut r) = record.lock() {
        r.run_errors.push(error);
    }
}

/// Ends a run that could not reach its scenarios (login failed or interrupted): records
/// `error`, writes the reports, prints the counts line, stops the target; exit 2.
async fn end_early(
    args: &RunArgs,
    record: &Mutex<RunRecord>,
    meta: &ReportMeta,
    secrets: &redact::Secrets,
    target: Target,
    error: HarnessError,
) -> RunOutcome {
    push_error(record, error);
    let mut rec = record.lock().map(|r| r.clone()).unwrap_or_default();
    secrets.mask_record(&mut rec);
    let silent = args.silent;
    let written = args
        .outputs()
        .write_all(&rec, meta, args.quiet || silent, &|l: &str| {
            if !silent {
                say(l)
            }
        });
    let junit = written.junit;
    let counts = rec.counts();
    if !args.silent {
        say(&counts.line());
    }
    let shown_target = target.shown();
    target.stop().await;
    RunOutcome {
        exit_code: 2,
        counts,
        junit,
        spellings: Spellings::default(),
        record: rec,
        target: shown_target,
    }
}

/// Creates the report's directory and checks that the file can be written (it is created
/// empty, or left as it is when it exists and can be opened for writing).
fn check_writable(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if path.is_dir() {
        return Err(std::io::Error::other("it is a directory"));
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
}

/// A URL-ish text with any `user:password@` removed (for messages about unparsable URLs).
fn redact_text(s: &str) -> String {
    match (s.find("://"), s.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}{}", &s[..scheme_end + 3], &s[at + 1..])
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("0.5").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-1s").is_err());
        // Hours were refused only because the old parser knew no `h`, while `18000s` passed;
        // the bound is the range (24 hours), whatever the unit.
        assert_eq!(parse_duration("5h").unwrap(), Duration::from_secs(5 * 3600));
        assert_eq!(parse_duration("86400").unwrap(), MAX_DURATION);
        let e = parse_duration("25h").unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        assert!(parse_duration("86401s").is_err());
        assert!(parse_wait("0s").is_err());
        assert!(parse_wait("50ms").is_err());
        assert_eq!(parse_wait("100ms").unwrap(), MIN_WAIT);
        assert!(RunArgs::from_args(["--target", "http://h:1/api/v2/"]).is_err());
        assert!(RunArgs::from_args(["--notification-timeout", "0s"]).is_err());
    }

    #[test]
    fn args_parse_with_defaults_and_never_debug_the_password() {
        let a = RunArgs::from_args([
            "--password",
            "hunter2",
            "--dialect",
            "2015",
            "--concurrency",
            "1",
        ])
        .unwrap();
        assert_eq!(a.dialect, gws_contract::Dialect::V2015);
        for bad in [
            &["--concurrency", "0"][..],
            &["--target", "ftp://x"],
            &["--target", "http://u:hunter2@"],
            &["--tags", "@chat and ("],
        ] {
            let e = RunArgs::from_args(bad.iter().copied())
                .err()
                .unwrap()
                .to_string();
            assert!(!e.contains("hunter2"), "{e}");
        }
        assert_eq!(a.concurrency, 1);
        assert_eq!(a.notification_timeout, Duration::from_secs(5));
        assert_eq!(a.junit, PathBuf::from("target/gws-conformance/junit.xml"));
        assert!(!format!("{a:?}").contains("hunter2"));
        assert!(RunArgs::from_args(["--dialect", "2017"]).is_err());
    }

    #[test]
    fn redacts_unparsable_urls() {
        assert_eq!(redact_text("http://u:pw@h:x:y"), "http://h:x:y");
        assert_eq!(redact_text("nonsense"), "nonsense");
    }
}
