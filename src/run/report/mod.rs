//! Reports: a cucumber [`Writer`] that receives every event of the run, keeps one
//! [`ScenarioRecord`] per scenario (steps, time, verdict), prints one console line per scenario
//! as it finishes, and hands the records to the JUnit writer ([`junit`]) at the end.

pub mod cucumber_json;
pub mod html;
pub mod junit;
pub mod matrix;
pub mod summary;

use std::{
    collections::HashMap,
    io::Write as _,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use cucumber::{
    Event, Writer,
    event::{Cucumber, Feature, Hook, Rule, Scenario, Step, StepError},
    gherkin, parser,
};

use super::{
    baseline::Baseline,
    catalog,
    features::{self, Planned},
    redact::{Secrets, escape_control},
    steps::GwsWorld,
    verdict::{self, HarnessError, Verdict},
};

/// How a scenario ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Every step passed.
    Passed,
    /// The target broke a documented rule.
    Failed(verdict::Failure),
    /// The run could not judge.
    Error(HarnessError),
    /// Not judged (a step was skipped and the scenario allowed it, or the target's profile
    /// left it out); the reason.
    Skipped(String),
    /// Failed as the known-failures baseline says it does: not counted as failed.
    ExpectedFailure(verdict::Failure, Known),
    /// Passed although the known-failures baseline lists it: fails the run until the line is
    /// removed.
    Stale(Known),
}

impl Outcome {
    /// The type of a non-pass (JUnit `type`): the failure's or error's kind, `Skipped`,
    /// `ExpectedFailure`, `StaleKnownFailure`.
    pub fn kind(&self) -> Option<&'static str> {
        match self {
            Outcome::Passed => None,
            Outcome::Failed(f) => Some(f.kind),
            Outcome::Error(e) => Some(e.kind),
            Outcome::Skipped(_) => Some("Skipped"),
            Outcome::ExpectedFailure(..) => Some("ExpectedFailure"),
            Outcome::Stale(_) => Some("StaleKnownFailure"),
        }
    }

    /// Whether the outcome makes the run red: a failure, an error or a stale known failure
    /// (what the summary lists and GitHub annotates).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Outcome::Failed(_) | Outcome::Error(_) | Outcome::Stale(_)
        )
    }

    /// The one-line message of a non-pass, the one place every report takes it from: for a
    /// failure [`verdict::Failure::message`] (JSON path, expected, actual, rule; the same on every
    /// run against the same defect), for an error its summary.
    pub fn message(&self) -> Option<String> {
        let cut = |s: &str| verdict::one_line(s, verdict::MESSAGE_MAX);
        match self {
            Outcome::Passed => None,
            Outcome::Failed(f) => Some(f.message()),
            Outcome::Error(e) => Some(e.message()),
            Outcome::Skipped(why) => Some(cut(why)),
            Outcome::ExpectedFailure(f, known) => {
                Some(cut(&format!("{}: {}", known.expected_line(), f.message())))
            }
            Outcome::Stale(known) => Some(cut(&known.stale_line())),
        }
    }

    /// The explanation of a non-pass: the summary (which may name run-specific ids and
    /// durations), then rule, page, JSON path, expected, actual and the detail; empty for a
    /// pass. `failed_step` (`step: ...` line or empty) goes after the summary.
    pub fn explanation(&self, failed_step: &str) -> String {
        match self {
            Outcome::Passed => String::new(),
            Outcome::Failed(f) => {
                format!(
                    "{}: {}\n{failed_step}{}",
                    f.kind,
                    f.summary,
                    f.explanation()
                )
            }
            Outcome::Error(e) => format!(
                "{}: {}\n{failed_step}{}",
                e.kind,
                e.summary,
                if e.detail.is_empty() {
                    String::new()
                } else {
                    format!("{}\n", e.detail.trim_end())
                }
            ),
            Outcome::Skipped(why) => format!("skipped: {why}\n"),
            Outcome::ExpectedFailure(f, known) => format!(
                "{}\n{}: {}\n{failed_step}{}",
                known.expected_line(),
                f.kind,
                f.summary,
                f.explanation()
            ),
            Outcome::Stale(known) => format!("StaleKnownFailure: {}\n", known.stale_line()),
        }
    }
}

/// The known-failures entry that lists a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// `FILE:LINE` of the entry.
    pub at: String,
    /// The entry as written.
    pub entry: String,
    /// Its reason, empty for none.
    pub reason: String,
}

impl Known {
    /// One line for an expected failure: `expected failure (kf.txt:3: reason)`.
    pub fn expected_line(&self) -> String {
        if self.reason.is_empty() {
            format!("expected failure ({})", self.at)
        } else {
            format!("expected failure ({}: {})", self.at, self.reason)
        }
    }

    /// One line for a stale entry, saying what to do.
    pub fn stale_line(&self) -> String {
        format!(
            "passed, but {} lists it as a known failure (`{}`): remove that line (or narrow it)",
            self.at,
            verdict::one_line(&self.entry, 120)
        )
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// It passed.
    Passed,
    /// It failed or ended in error (the scenario's outcome says which).
    Failed,
    /// It was skipped (no step definition decided, or the scenario was skipped).
    Skipped,
    /// It never ran: an earlier step did not pass, or the run ended first.
    NotRun,
}

/// One step of a scenario as the reports show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    /// `Given `, `When `, `And `, ... (with the trailing space, as Gherkin keeps it).
    pub keyword: String,
    /// The step's text, Outline placeholders filled.
    pub value: String,
    /// Its line in the feature file.
    pub line: usize,
    /// The rows of its data table, if any.
    pub table: Vec<Vec<String>>,
    /// Its doc string, if any.
    pub docstring: Option<String>,
    /// How it ended.
    pub status: StepStatus,
    /// Wall time from its start to its end (zero when it did not run).
    pub duration: Duration,
    started: Option<Instant>,
}

impl StepRecord {
    /// The record of `step`, not run yet.
    pub fn planned(step: &gherkin::Step) -> Self {
        Self {
            keyword: step.keyword.clone(),
            value: step.value.clone(),
            line: step.position.line,
            table: step
                .table
                .as_ref()
                .map(|t| t.rows.clone())
                .unwrap_or_default(),
            docstring: step.docstring.clone(),
            status: StepStatus::NotRun,
            duration: Duration::ZERO,
            started: None,
        }
    }

    /// A step `keyword value` at `line` that ended with `status` (no table, no doc string).
    pub fn new(keyword: &str, value: &str, line: usize, status: StepStatus) -> Self {
        Self {
            keyword: keyword.to_string(),
            value: value.to_string(),
            line,
            table: Vec::new(),
            docstring: None,
            status,
            duration: Duration::ZERO,
            started: None,
        }
    }

    /// `Given a chat ...`: the keyword and the text.
    pub fn text(&self) -> String {
        format!("{}{}", self.keyword, self.value)
    }

    /// One line for the text reports: `✔ Given ...`, `✘ Then ...`, `- When ... (skipped)`,
    /// `· Then ... (not run)`.
    pub fn line_text(&self) -> String {
        match self.status {
            StepStatus::Passed => format!("✔ {}", self.text()),
            StepStatus::Failed => format!("✘ {}", self.text()),
            StepStatus::Skipped => format!("- {} (skipped)", self.text()),
            StepStatus::NotRun => format!("· {} (not run)", self.text()),
        }
    }

    fn finish(&mut self, status: StepStatus) {
        self.status = status;
        self.duration = self.started.map(|s| s.elapsed()).unwrap_or_default();
    }
}

/// What the report knows about one scenario.
#[derive(Clone, Debug)]
pub struct ScenarioRecord {
    /// The feature's name.
    pub feature_name: String,
    /// The feature file's shown path.
    pub feature_path: String,
    /// JUnit classname of the feature.
    pub classname: String,
    /// The scenario's name (Outline placeholders filled).
    pub name: String,
    /// The test name: the name plus an Outline row's values ([`features::test_name`]).
    pub test_name: String,
    /// Line of the scenario (of the Examples row for an Outline).
    pub line: usize,
    /// Its column (with the path and line, the key cucumber's events carry).
    pub column: usize,
    /// When it started (when it was planned, for a scenario that never ran).
    pub started_at: std::time::SystemTime,
    /// Effective tags, without `@`.
    pub tags: Vec<String>,
    /// The documentation page from the `@doc:` tag.
    pub source: Option<String>,
    /// Wall time from start to finish.
    pub duration: Duration,
    /// Every step of the scenario (backgrounds first), in order, each with its status; steps
    /// after a failure are [`StepStatus::NotRun`].
    pub steps: Vec<StepRecord>,
    /// The verdict.
    pub outcome: Outcome,
    /// The feature's own tags, line and description.
    pub feature: features::FeatureHead,
    /// The HTTP/CometD exchanges of a scenario that did not pass.
    pub transcript: Vec<String>,
    /// The transport errors of earlier attempts (`--retry`), oldest first; the outcome is the
    /// last attempt's.
    pub reruns: Vec<HarnessError>,
    started: Option<Instant>,
}

impl ScenarioRecord {
    /// A record of `planned`, not yet run (outcome `Passed`, no steps, no time).
    pub fn planned(planned: &Planned) -> Self {
        let source = catalog::source_of(&planned.tags);
        Self {
            feature_name: planned.feature_name.clone(),
            feature_path: planned.feature_path.clone(),
            classname: planned.classname.clone(),
            name: planned.scenario_name.clone(),
            test_name: planned.name.clone(),
            line: planned.position.0,
            column: planned.position.1,
            started_at: std::time::SystemTime::now(),
            tags: planned.tags.clone(),
            source,
            duration: Duration::ZERO,
            steps: planned.steps.clone(),
            feature: planned.feature.clone(),
            outcome: Outcome::Passed,
            transcript: Vec::new(),
            reruns: Vec::new(),
            started: None,
        }
    }

    /// The key cucumber's events carry: (feature path, line, column).
    pub fn key(&self) -> (String, usize, usize) {
        (self.feature_path.clone(), self.line, self.column)
    }

    /// Whether the scenario ended in a transport error (what `--retry` runs again).
    pub fn transport_error(&self) -> bool {
        matches!(&self.outcome, Outcome::Error(e) if e.is_transport())
    }

    /// `features/chat/accept.feature:7`.
    pub fn location(&self) -> String {
        format!("{}:{}", self.feature_path, self.line)
    }

    /// The stable identity ([`features::scenario_id`]): the baseline's key.
    pub fn id(&self) -> String {
        features::scenario_id(&self.classname, &self.test_name)
    }

    /// `step:          <the step that did not pass>\n`, or nothing when no step failed.
    pub fn failed_step_line(&self) -> String {
        self.steps
            .iter()
            .rev()
            .find(|s| s.status == StepStatus::Failed)
            .map(|s| format!("{:<15}{}\n", "step:", s.text()))
            .unwrap_or_default()
    }

    /// The record of the step at `line`, added at the end when it was not planned.
    fn step_at(&mut self, step: &gherkin::Step) -> &mut StepRecord {
        let line = step.position.line;
        let i = match self
            .steps
            .iter()
            .position(|s| s.line == line && s.status == StepStatus::NotRun)
        {
            Some(i) => i,
            None => {
                self.steps.push(StepRecord::planned(step));
                self.steps.len() - 1
            }
        };
        &mut self.steps[i]
    }
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that failed (a documented rule broken).
    pub failed: usize,
    /// Scenarios in error, plus run-level errors.
    pub errors: usize,
    /// Scenarios skipped.
    pub skipped: usize,
    /// Scenarios that failed as the known-failures baseline says (not in `failed`).
    pub expected: usize,
    /// Scenarios that passed although the baseline lists them (they fail the run).
    pub stale: usize,
}

/// What a run says of the target as a whole (the head of the HTML report and of the Markdown
/// summary).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunVerdict {
    /// Something passed and nothing failed, went stale or ended in error.
    Conformant,
    /// A scenario failed or a known failure went stale.
    NotConformant,
    /// Nothing failed, but something ended in error or nothing passed.
    NotJudged,
}

impl Counts {
    /// The run's [`RunVerdict`].
    pub fn verdict(&self) -> RunVerdict {
        if self.failed + self.stale > 0 {
            RunVerdict::NotConformant
        } else if self.errors > 0 || self.passed == 0 {
            RunVerdict::NotJudged
        } else {
            RunVerdict::Conformant
        }
    }

    /// Counts one scenario's `outcome`.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::Error(_) => self.errors += 1,
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::ExpectedFailure(..) => self.expected += 1,
            Outcome::Stale(_) => self.stale += 1,
        }
    }

    /// Every scenario and run error counted.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.errors + self.skipped + self.expected + self.stale
    }

    /// The console's last line: `N passed, N failed, N errors, N skipped`.
    ///
    /// With a known-failures baseline, `, N expected failures, N stale` follow when not zero.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} passed, {} failed, {} errors, {} skipped",
            self.passed, self.failed, self.errors, self.skipped
        );
        if self.expected > 0 {
            line.push_str(&format!(", {} expected failures", self.expected));
        }
        if self.stale > 0 {
            line.push_str(&format!(", {} stale known failures", self.stale));
        }
        line
    }
}

/// Everything recorded during a run, in finishing order.
#[derive(Clone, Debug, Default)]
pub struct RunRecord {
    /// Finished scenarios.
    pub scenarios: Vec<ScenarioRecord>,
    /// Feature paths in the order they were given (for stable JUnit suites).
    pub feature_order: Vec<(String, String)>,
    /// Problems outside any scenario (parser errors, a run that ended early).
    pub run_errors: Vec<HarnessError>,
}

impl RunRecord {
    /// The features with their finished scenarios sorted by line: features in the order they
    /// started, then any feature only a scenario names; features without a scenario left out.
    pub fn by_feature(&self) -> Vec<(String, String, Vec<&ScenarioRecord>)> {
        let record = self;
        let mut order: Vec<(String, String)> = record.feature_order.clone();
        for s in &record.scenarios {
            if !order.iter().any(|(p, _)| p == &s.feature_path) {
                order.push((s.feature_path.clone(), s.feature_name.clone()));
            }
        }
        order
            .into_iter()
            .filter_map(|(path, name)| {
                let mut scenarios: Vec<&ScenarioRecord> = record
                    .scenarios
                    .iter()
                    .filter(|s| s.feature_path == path)
                    .collect();
                scenarios.sort_by_key(|s| s.line);
                (!scenarios.is_empty()).then_some((path, name, scenarios))
            })
            .collect()
    }

    /// Counts per outcome; a run error counts as one error.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for s in &self.scenarios {
            c.add(&s.outcome);
        }
        c.errors += self.run_errors.len();
        c
    }
}

/// Where the reports of a run go. Every report is written from the same masked [`RunRecord`]
/// and [`junit::ReportMeta`], by [`Outputs::write_all`], on every end of a run that started
/// (finished, failed login, interrupted, `--fail-fast`), so all of them describe the same run.
#[derive(Clone, Debug, Default)]
pub struct Outputs {
    /// The JUnit XML report (`--junit`).
    pub junit: std::path::PathBuf,
    /// The Cucumber JSON report (`--json`).
    pub json: Option<std::path::PathBuf>,
    /// The self-contained HTML report (`--html`).
    pub html: Option<std::path::PathBuf>,
    /// The Markdown summary (`--summary`).
    pub summary: Option<std::path::PathBuf>,
    /// `GITHUB_STEP_SUMMARY`: the Markdown summary is appended there too.
    pub step_summary: Option<std::path::PathBuf>,
    /// `GITHUB_ACTIONS=true`: print `::error` workflow commands.
    pub annotations: bool,
}

/// What [`Outputs::write_all`] wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// The JUnit file, when it was written.
    pub junit: Option<std::path::PathBuf>,
    /// Every report that could not be written: `--flag PATH: why`.
    pub failed: Vec<String>,
}

/// One report file of a run: what it is called in the console, the flag that names it, how it
/// is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReportFile {
    Junit,
    Json,
    Html,
    Summary,
    StepSummary,
}

impl ReportFile {
    /// (console name, flag or variable).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            ReportFile::Junit => ("JUnit report", "--junit"),
            ReportFile::Json => ("Cucumber JSON report", "--json"),
            ReportFile::Html => ("HTML report", "--html"),
            ReportFile::Summary => ("Markdown summary", "--summary"),
            ReportFile::StepSummary => ("GitHub step summary", "GITHUB_STEP_SUMMARY"),
        }
    }

    fn write(
        self,
        path: &std::path::Path,
        record: &RunRecord,
        meta: &junit::ReportMeta,
    ) -> std::io::Result<()> {
        match self {
            ReportFile::Junit => junit::write(path, record, meta),
            ReportFile::Json => cucumber_json::write(path, record),
            ReportFile::Html => html::write(path, record, meta),
            ReportFile::Summary => summary::write(path, record, meta),
            // Appended: other steps' summaries stay.
            ReportFile::StepSummary => summary::append(path, record, meta),
        }
    }
}

impl Outputs {
    /// The reports this run writes and where, JUnit first, the GitHub step summary last.
    fn reports(&self) -> Vec<(ReportFile, &std::path::Path)> {
        let mut out = vec![(ReportFile::Junit, self.junit.as_path())];
        for (report, p) in [
            (ReportFile::Json, &self.json),
            (ReportFile::Html, &self.html),
            (ReportFile::Summary, &self.summary),
            (ReportFile::StepSummary, &self.step_summary),
        ] {
            if let Some(p) = p {
                out.push((report, p.as_path()));
            }
        }
        out
    }

    /// The files the run writes, with the flag that names each (`--junit`, ...), the GitHub
    /// step summary last.
    pub fn files(&self) -> Vec<(&'static str, &std::path::Path)> {
        self.reports()
            .into_iter()
            .map(|(report, path)| (report.names().1, path))
            .collect()
    }

    /// Writes every report of `record`; `say` prints one line per report written (`JUnit
    /// report: PATH`, unless `quiet`) and per report that could not be (always), and the
    /// workflow commands.
    pub fn write_all(
        &self,
        record: &RunRecord,
        meta: &junit::ReportMeta,
        quiet: bool,
        say: &dyn Fn(&str),
    ) -> Written {
        let mut written = Written::default();
        for (report, path) in self.reports() {
            let (name, flag) = report.names();
            match report.write(path, record, meta) {
                Ok(()) => {
                    if !quiet {
                        say(&format!("{name}: {}", path.display()));
                    }
                    if report == ReportFile::Junit {
                        written.junit = Some(path.to_path_buf());
                    }
                }
                Err(e) => {
                    say(&format!(
                        "error: cannot write the {name} to {} ({flag}): {e}",
                        path.display()
                    ));
                    written
                        .failed
                        .push(format!("{flag} {}: {e}", path.display()));
                }
            }
        }
        if self.annotations {
            for line in summary::annotations(record) {
                say(&line);
            }
        }
        written
    }
}

/// Writes `text` to `path`, creating its parent directory: how every report file is written.
pub fn write_text(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

/// Records for the report writers' unit tests.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// A planned record of scenario `name` at `line` of features/chat/accept.feature (feature
    /// "Chat: Accept", classname `gws.chat.accept`), with effective `tags`, the feature's own
    /// tags the first two of them, and `outcome`.
    pub fn scenario(name: &str, line: usize, tags: &[&str], outcome: Outcome) -> ScenarioRecord {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        let mut r = ScenarioRecord::planned(&Planned {
            feature_name: "Chat: Accept".into(),
            feature_path: "features/chat/accept.feature".into(),
            classname: "gws.chat.accept".into(),
            scenario_name: name.into(),
            name: name.into(),
            id: format!("gws.chat.accept: {name}"),
            position: (line, 3),
            tags: tags.clone(),
            steps: vec![],
            feature: features::FeatureHead {
                tags: tags.iter().take(2).cloned().collect(),
                line: 2,
                description: "d".into(),
            },
        });
        r.outcome = outcome;
        r
    }

    /// [`scenario`] `name` at line 7 with tags `@chat @accept @doc:ChatAccept`, failed: rule
    /// ChatAccept, path `/chat/state`, expected `one of [Chatting]`, got `actual`.
    pub fn failing(name: &str, actual: &str) -> ScenarioRecord {
        scenario(
            name,
            7,
            &["chat", "accept", "doc:ChatAccept"],
            Outcome::Failed(
                verdict::Failure::new("StateMismatch", "x")
                    .rule("ChatAccept")
                    .path("/chat/state")
                    .expected_actual("one of [Chatting]", actual),
            ),
        )
    }
}

/// Console settings.
#[derive(Clone, Copy, Debug)]
pub struct Console {
    /// ANSI colours (only on a terminal, or when forced).
    pub color: bool,
    /// Print the per-scenario lines at all.
    pub enabled: bool,
    /// When `enabled` is off (`--quiet`): still print one line for each scenario that failed,
    /// went stale or ended in error ([`problem_line`]).
    pub problems: bool,
}

/// The cucumber writer of the runner.
pub struct ReportWriter {
    record: Arc<Mutex<RunRecord>>,
    /// Scenarios started and not finished: feature path → (line, column) → record.
    pending: HashMap<String, HashMap<(usize, usize), ScenarioRecord>>,
    classnames: HashMap<String, String>,
    console: Console,
    baseline: Option<Arc<Baseline>>,
    /// `[n/total]` before each console line (on a terminal only).
    progress: Option<(usize, usize)>,
    /// Notified when a scenario fails, goes stale or ends in error (`--fail-fast`).
    stop: Option<Arc<tokio::sync::Notify>>,
    /// Masked in every finished scenario before it is printed or recorded.
    secrets: Secrets,
    /// Transport errors will be retried: they do not notify `stop`.
    retrying: bool,
    /// Before each console line when there is no progress counter (e.g. `[retry 1/2] `).
    label: Option<String>,
}

impl ReportWriter {
    /// A writer filling `record`; `classnames` maps feature paths to JUnit classnames.
    pub fn new(
        record: Arc<Mutex<RunRecord>>,
        classnames: HashMap<String, String>,
        console: Console,
    ) -> Self {
        Self {
            record,
            pending: HashMap::new(),
            classnames,
            console,
            baseline: None,
            progress: None,
            stop: None,
            secrets: Secrets::default(),
            retrying: false,
            label: None,
        }
    }

    /// Masks `secrets` in every finished scenario before it is printed or recorded.
    pub fn with_secrets(mut self, secrets: Secrets) -> Self {
        self.secrets = secrets;
        self
    }

    /// Marks the pass as one whose transport errors will be retried (they do not stop a
    /// `--fail-fast` run), and sets the console label of its lines.
    pub fn with_retry(mut self, retrying: bool, label: Option<String>) -> Self {
        self.retrying = retrying;
        self.label = label;
        self
    }

    /// Prefixes each console line with `[n/total]` (finished/selected).
    pub fn with_progress(mut self, total: Option<usize>) -> Self {
        self.progress = total.map(|t| (0, t));
        self
    }

    /// Notifies `stop` when a scenario fails (an expected failure does not), goes stale or
    /// ends in error.
    pub fn with_stop(mut self, stop: Option<Arc<tokio::sync::Notify>>) -> Self {
        self.stop = stop;
        self
    }

    /// Applies the known-failures `baseline` to each scenario as it finishes
    /// ([`Baseline::judge`]).
    pub fn with_baseline(mut self, baseline: Option<Arc<Baseline>>) -> Self {
        self.baseline = baseline;
        self
    }

    fn feature_path(f: &gherkin::Feature) -> String {
        Self::feature_path_ref(f).into_owned()
    }

    /// The feature file's shown path (its name when it has none), borrowed when it is UTF-8:
    /// looked up on every event, so it is not formatted each time.
    fn feature_path_ref(f: &gherkin::Feature) -> std::borrow::Cow<'_, str> {
        match &f.path {
            Some(p) => p.to_string_lossy(),
            None => std::borrow::Cow::Borrowed(f.name.as_str()),
        }
    }

    fn scenario_event(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        sc: &gherkin::Scenario,
        ev: Scenario<GwsWorld>,
    ) {
        let path = Self::feature_path_ref(feature);
        let key = (sc.position.line, sc.position.col);
        if matches!(ev, Scenario::Started) {
            let path = path.into_owned();
            let classname = self
                .classnames
                .get(&path)
                .map_or("gws.unknown", String::as_str);
            let mut rec = ScenarioRecord::planned(
                &Planned::new(feature, rule, sc, classname).with_steps(feature, rule, sc),
            );
            rec.started = Some(Instant::now());
            rec.started_at = std::time::SystemTime::now();
            self.pending.entry(path).or_default().insert(key, rec);
            return;
        }
        let Some(in_feature) = self.pending.get_mut(path.as_ref()) else {
            return;
        };
        let Some(rec) = in_feature.get_mut(&key) else {
            return;
        };
        match ev {
            Scenario::Started | Scenario::Log(_) => {}
            Scenario::Hook(which, Hook::Failed(world, info)) => {
                if let Some(w) = world {
                    rec.transcript.extend(w.transcript_lines());
                }
                if rec.outcome == Outcome::Passed {
                    rec.outcome = match verdict::from_panic(info.as_ref()) {
                        Verdict::Failure(f) => Outcome::Failed(f),
                        Verdict::Error(e) => Outcome::Error(
                            HarnessError::new(
                                "HookFailed",
                                format!("{which:?} hook: {}", e.summary),
                            )
                            .detail(e.detail),
                        ),
                        Verdict::Skipped(why) => Outcome::Skipped(why),
                    };
                }
            }
            Scenario::Hook(..) => {}
            Scenario::Background(step, st) | Scenario::Step(step, st) => {
                let text = format!("{}{}", step.keyword, step.value);
                let at = rec.step_at(&step);
                match st {
                    Step::Started => {
                        at.started = Some(Instant::now());
                    }
                    Step::Passed(..) => at.finish(StepStatus::Passed),
                    Step::Skipped => {
                        at.finish(StepStatus::Skipped);
                        if rec.outcome == Outcome::Passed {
                            rec.outcome = Outcome::Skipped(format!("step skipped: {text}"));
                        }
                    }
                    Step::Failed(_, _, world, err) => {
                        at.finish(StepStatus::Failed);
                        if let Some(w) = world {
                            rec.transcript.extend(w.transcript_lines());
                        }
                        rec.outcome = match err {
                            StepError::Panic(info) => match verdict::from_panic(info.as_ref()) {
                                Verdict::Failure(f) => Outcome::Failed(f),
                                Verdict::Error(e) => Outcome::Error(e),
                                Verdict::Skipped(why) => Outcome::Skipped(why),
                            },
                            StepError::NotFound => Outcome::Error(HarnessError::new(
                                "UndefinedStep",
                                format!("no step definition matches `{text}`"),
                            )),
                            StepError::AmbiguousMatch(e) => Outcome::Error(HarnessError::new(
                                "AmbiguousStep",
                                format!("`{text}`: {e}"),
                            )),
                        };
                    }
                }
            }
            Scenario::Finished => {
                if let Some(mut rec) = in_feature.remove(&key) {
                    rec.duration = rec.started.map(|s| s.elapsed()).unwrap_or_default();
                    self.secrets.mask_scenario(&mut rec);
                    if let Some(b) = &self.baseline {
                        let outcome = std::mem::replace(&mut rec.outcome, Outcome::Passed);
                        rec.outcome = b.judge(&rec.id(), &rec.tags, outcome);
                    }
                    let stops = match &rec.outcome {
                        Outcome::Failed(_) | Outcome::Stale(_) => true,
                        Outcome::Error(e) => !(self.retrying && e.is_transport()),
                        _ => false,
                    };
                    if let Some(stop) = &self.stop
                        && stops
                    {
                        stop.notify_one();
                    }
                    let counter = self
                        .progress
                        .as_mut()
                        .map(|(n, total)| {
                            *n += 1;
                            progress_prefix(*n, *total)
                        })
                        .or_else(|| self.label.clone());
                    if self.console.enabled {
                        print_scenario(&rec, self.console.choice(), counter.as_deref());
                    } else if self.console.problems
                        && let Some(line) = problem_line(&rec)
                    {
                        let mut out = std::io::stdout().lock();
                        let _ = writeln!(out, "{line}");
                        let _ = out.flush();
                    }
                    if let Ok(mut r) = self.record.lock() {
                        r.scenarios.push(rec);
                    }
                }
            }
        }
    }
}

impl Writer<GwsWorld> for ReportWriter {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<Cucumber<GwsWorld>>>,
        _cli: &Self::Cli,
    ) {
        match event.map(Event::into_inner) {
            Err(e) => {
                if let Ok(mut r) = self.record.lock() {
                    r.run_errors
                        .push(HarnessError::new("FeatureParse", e.to_string()));
                }
            }
            Ok(Cucumber::Feature(f, Feature::Started)) => {
                // Once per feature, also when `--retry` runs it again.
                let path = Self::feature_path(&f);
                if let Ok(mut r) = self.record.lock()
                    && !r.feature_order.iter().any(|(p, _)| *p == path)
                {
                    r.feature_order.push((path, f.name.clone()));
                }
            }
            Ok(Cucumber::Feature(f, Feature::Scenario(sc, ev))) => {
                self.scenario_event(&f, None, &sc, ev.event)
            }
            Ok(Cucumber::Feature(f, Feature::Rule(r, Rule::Scenario(sc, ev)))) => {
                self.scenario_event(&f, Some(&r), &sc, ev.event)
            }
            Ok(_) => {}
        }
    }
}

impl cucumber::writer::Normalized for ReportWriter {}

const PASSED: Style = AnsiColor::Green.on_default();
const FAILED: Style = AnsiColor::Red.on_default();
const NOT_JUDGED: Style = AnsiColor::Yellow.on_default();

/// The console text for one finished scenario: the line, and for a non-pass the explanation
/// indented below it.
pub fn scenario_text(rec: &ScenarioRecord, color: bool) -> String {
    let (mark, style) = match rec.outcome {
        Outcome::Passed => ("✔", PASSED),
        Outcome::Failed(_) => ("✘", FAILED),
        Outcome::Error(_) => ("!", NOT_JUDGED),
        Outcome::Skipped(_) => ("-", NOT_JUDGED),
        Outcome::ExpectedFailure(..) => ("✘", NOT_JUDGED),
        Outcome::Stale(_) => ("✘", FAILED),
    };
    // A plain style renders nothing, its reset included.
    let style = if color { style } else { Style::new() };
    // Names and explanations may carry the target's bytes: escaped before the terminal (the
    // only control sequences printed are this function's own styles).
    let mut out = format!(
        "{style}{mark}{style:#} {} › {} ({:.2}s)\n",
        escape_control(&rec.feature_name),
        escape_control(&rec.name),
        rec.duration.as_secs_f64()
    );
    let body = match &rec.outcome {
        Outcome::Passed => return out,
        Outcome::Failed(f) => format!(
            "failure {}: {}\n{}{}",
            f.kind,
            f.summary,
            rec.failed_step_line(),
            f.explanation()
        ),
        Outcome::Error(e) => format!(
            "error {}: {}\n{}{}",
            e.kind,
            e.summary,
            rec.failed_step_line(),
            e.detail
        ),
        Outcome::Skipped(why) => format!("skipped: {why}\n"),
        Outcome::ExpectedFailure(f, known) => format!(
            "{}\nfailure {}: {}\n{}{}",
            known.expected_line(),
            f.kind,
            f.summary,
            rec.failed_step_line(),
            f.explanation()
        ),
        Outcome::Stale(known) => format!("stale known failure: {}\n", known.stale_line()),
    };
    out.push_str(&format!(
        "    at {}:{}\n",
        escape_control(&rec.feature_path),
        rec.line
    ));
    for l in body.lines() {
        out.push_str("    ");
        out.push_str(&escape_control(l));
        out.push('\n');
    }
    out
}

impl Console {
    /// The colour choice for stdout: `color` was resolved from `--color` by the caller.
    pub fn choice(&self) -> ColorChoice {
        if self.color {
            ColorChoice::Always
        } else {
            ColorChoice::Never
        }
    }
}

/// `[n/total] `, the progress counter before a console line.
pub fn progress_prefix(n: usize, total: usize) -> String {
    format!("[{n}/{total}] ")
}

/// The one line `--quiet` prints for a scenario that failed, went stale or ended in error
/// (`✘ Feature › scenario: failure Kind: summary (at path:line)`); `None` for the others.
pub fn problem_line(rec: &ScenarioRecord) -> Option<String> {
    let (mark, what) = match &rec.outcome {
        Outcome::Failed(f) => ("✘", format!("failure {}: {}", f.kind, f.summary)),
        Outcome::Error(e) => ("!", format!("error {}: {}", e.kind, e.summary)),
        Outcome::Stale(k) => ("✘", format!("stale known failure: {}", k.stale_line())),
        Outcome::Passed | Outcome::Skipped(_) | Outcome::ExpectedFailure(..) => return None,
    };
    Some(format!(
        "{mark} {} › {}: {} (at {}:{})",
        escape_control(&rec.feature_name),
        escape_control(&rec.name),
        escape_control(&verdict::one_line(&what, 300)),
        escape_control(&rec.feature_path),
        rec.line
    ))
}

/// Prints the coloured text through [`anstream`], which strips the styles when the choice is
/// `Never` (and translates them for a legacy Windows console when it is `Always`).
pub fn print_scenario(rec: &ScenarioRecord, choice: ColorChoice, prefix: Option<&str>) {
    let mut text = scenario_text(rec, true);
    if let Some(p) = prefix {
        text.insert_str(0, p);
    }
    let mut out = anstream::AutoStream::new(std::io::stdout().lock(), choice);
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(outcome: Outcome) -> ScenarioRecord {
        ScenarioRecord {
            feature_name: "Chat Accept".into(),
            feature_path: "features/chat/accept.feature".into(),
            classname: "gws.chat.accept".into(),
            name: "agent accepts chat -> receives Chatting status".into(),
            test_name: "agent accepts chat -> receives Chatting status".into(),
            line: 7,
            column: 3,
            started_at: std::time::SystemTime::UNIX_EPOCH,
            tags: vec!["chat".into()],
            source: None,
            duration: Duration::from_millis(120),
            steps: vec![
                StepRecord::new("Given ", "x", 8, StepStatus::Passed),
                StepRecord::new(
                    "Then ",
                    "the operation succeeds with statusCode 0",
                    9,
                    StepStatus::Failed,
                ),
            ],
            outcome,
            feature: features::FeatureHead::default(),
            transcript: vec![],
            reruns: vec![],
            started: None,
        }
    }

    #[test]
    fn console_lines_are_plain_without_colour() {
        let t = scenario_text(&rec(Outcome::Passed), false);
        assert_eq!(
            t,
            "✔ Chat Accept › agent accepts chat -> receives Chatting status (0.12s)\n"
        );
        let f = verdict::Failure::new("StatusCodeMismatch", "statusCode is 2, expected 0")
            .rule("r")
            .path("/statusCode")
            .expected_actual("0", "2");
        let t = scenario_text(&rec(Outcome::Failed(f)), false);
        assert!(t.starts_with("✘ Chat Accept"), "{t}");
        assert!(
            t.contains("    failure StatusCodeMismatch: statusCode is 2, expected 0\n"),
            "{t}"
        );
        assert!(t.contains("    at features/chat/accept.feature:7\n"), "{t}");
        assert!(
            t.contains("    step:          Then the operation succeeds with statusCode 0\n"),
            "{t}"
        );
        assert!(!t.contains('\u{1b}'));
        assert!(scenario_text(&rec(Outcome::Passed), true).starts_with("\u{1b}[32m✔\u{1b}[0m "));
    }

    #[test]
    fn never_strips_the_styles_always_keeps_them() {
        let text = scenario_text(&rec(Outcome::Passed), true);
        let plain = scenario_text(&rec(Outcome::Passed), false);
        let mut never = anstream::AutoStream::new(Vec::new(), ColorChoice::Never);
        never.write_all(text.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(never.into_inner()).unwrap(), plain);
        let mut always = anstream::AutoStream::new(Vec::new(), ColorChoice::AlwaysAnsi);
        always.write_all(text.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(always.into_inner()).unwrap(), text);
    }

    #[test]
    fn counts_line() {
        let mut r = RunRecord::default();
        r.scenarios.push(rec(Outcome::Passed));
        r.scenarios
            .push(rec(Outcome::Error(HarnessError::new("X", "y"))));
        r.run_errors.push(HarnessError::new("LoginFailed", "z"));
        assert_eq!(r.counts().line(), "1 passed, 0 failed, 2 errors, 0 skipped");
    }
}
