//! The scenarios: the built-in `.feature` files embedded in the binary (`features/`), plus any
//! a vendor adds with `--features DIR`, parsed from memory into cucumber's [`Parser`]; and the
//! tag filter (`--tags`), applied by us so that it combines with the feature's own tags.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use super::report::StepRecord;
use cucumber::{
    feature::Ext as _,
    gherkin::{self, GherkinEnv, tagexpr::TagOperation},
    parser::{self, Parser},
    tag::Ext as _,
};
use futures::stream;
use include_dir::{Dir, include_dir};

/// The built-in feature files.
pub static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/features");

/// One feature file's text and where it comes from.
#[derive(Clone, Debug)]
pub struct FeatureSource {
    /// Shown path, e.g. `features/chat/accept.feature` (built in) or the vendor file's path.
    pub path: String,
    /// Stable dotted id used as JUnit `classname`, e.g. `gws.chat.accept`.
    pub classname: String,
    /// The Gherkin text.
    pub text: String,
}

/// Why the features could not be loaded (a bad flag or file: exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum FeatureError {
    /// A file or directory could not be read.
    #[error("cannot read features from {path}: {detail}")]
    Read {
        /// The path.
        path: String,
        /// The I/O error.
        detail: String,
    },
    /// A file is not valid Gherkin: `detail` starts with `line:column:` where the parser says.
    #[error("{path}:{detail}")]
    Parse {
        /// The path.
        path: String,
        /// The parser error.
        detail: String,
    },
    /// `--tags` is not a tag expression.
    #[error("invalid tag expression `{0}`")]
    Tags(String),
}

/// Every embedded `.feature` file, sorted by path.
pub fn embedded() -> Vec<FeatureSource> {
    let mut out = Vec::new();
    collect_embedded(&EMBEDDED, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<FeatureSource>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "feature") {
            let rel = f.path().to_string_lossy().replace('\\', "/");
            out.push(FeatureSource {
                path: format!("features/{rel}"),
                classname: format!("gws.{}", dotted(&rel)),
                text: String::from_utf8_lossy(f.contents()).into_owned(),
            });
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// Every `.feature` file under `dir` (recursively), sorted by path.
pub fn from_dir(dir: &Path) -> Result<Vec<FeatureSource>, FeatureError> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| FeatureError::Read {
        path: dir.display().to_string(),
        detail: e.to_string(),
    })?;
    files.sort();
    if files.is_empty() {
        return Err(FeatureError::Read {
            path: dir.display().to_string(),
            detail: "no .feature file in it".into(),
        });
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| FeatureError::Read {
            path: f.display().to_string(),
            detail: e.to_string(),
        })?;
        let rel = f
            .strip_prefix(dir)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        out.push(FeatureSource {
            path: f.display().to_string(),
            classname: format!("vendor.{}", dotted(&rel)),
            text,
        });
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "feature") {
            out.push(p);
        }
    }
    Ok(())
}

/// `chat/accept.feature` → `chat.accept` (lower case, `[a-z0-9_-]` segments).
fn dotted(rel: &str) -> String {
    rel.trim_end_matches(".feature")
        .split('/')
        .map(|seg| {
            seg.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A parsed feature, Outline rows expanded, with its source.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The feature, Outline rows expanded.
    pub feature: gherkin::Feature,
    /// Where it comes from.
    pub source: FeatureSource,
}

/// The gherkin parser's message (`Error at 1:14: {"unknown keyword"}`) as
/// `1:14: unexpected `…` (expected …)`, naming the line's text.
fn parse_detail(message: &str, text: &str) -> String {
    let re = regex::Regex::new(r"at (\d+):(\d+)").expect("static regex");
    let Some(c) = re.captures(message) else {
        return format!(" {message}");
    };
    let line: usize = c[1].parse().unwrap_or(0);
    let shown = text
        .lines()
        .nth(line.saturating_sub(1))
        .map(|l| l.trim().chars().take(60).collect::<String>())
        .unwrap_or_default();
    format!(
        "{}:{}: unexpected `{shown}` (expected Feature:, Background:, Scenario:, Scenario Outline:, Examples:, a step keyword, a tag, a table row or a comment; a misspelled keyword above this line can cause it)",
        &c[1], &c[2]
    )
}

/// Every row of a table (Examples or a step's data table) must have as many cells as the
/// table's first row; returns the first offender as (1-based line, its cells, the first row's).
fn check_tables(text: &str) -> Option<(usize, usize, usize)> {
    let cells = |line: &str| {
        line.replace("\\|", "")
            .matches('|')
            .count()
            .saturating_sub(1)
    };
    let mut first: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('|') {
            let n = cells(t);
            match first {
                None => first = Some(n),
                Some(m) if m != n => return Some((i + 1, n, m)),
                Some(_) => {}
            }
        } else if !t.starts_with('#') {
            first = None;
        }
    }
    None
}

/// Parses every source (Outline rows expanded). The feature's `path` is set to the shown path.
///
/// # Errors
/// [`FeatureError::Parse`] naming the file, the line and what was expected, for text that is
/// not Gherkin or a table row whose cell count differs from its table's first row.
pub fn parse_all(sources: Vec<FeatureSource>) -> Result<Vec<Loaded>, FeatureError> {
    sources
        .into_iter()
        .map(|source| {
            if let Some((line, found, header)) = check_tables(&source.text) {
                return Err(FeatureError::Parse {
                    path: source.path.clone(),
                    detail: format!(
                        "{line}: this table row has {found} cell(s), the table's first row has {header}"
                    ),
                });
            }
            let mut feature = gherkin::Feature::parse(&source.text, GherkinEnv::default())
                .map_err(|e| FeatureError::Parse {
                    path: source.path.clone(),
                    detail: parse_detail(&e.to_string(), &source.text),
                })?;
            feature.path = Some(PathBuf::from(&source.path));
            let feature = feature.expand_examples().map_err(|e| FeatureError::Parse {
                path: source.path.clone(),
                detail: format!(" {e}"),
            })?;
            Ok(Loaded { feature, source })
        })
        .collect()
}

/// How many scenarios `loaded` holds: top-level and inside rules, Outline rows expanded (one
/// per Examples row, as [`parse_all`] expands them).
pub fn scenario_count(loaded: &[Loaded]) -> usize {
    loaded.iter().map(|l| l.feature.count_scenarios()).sum()
}

/// The feature tags of the families that judge the agent session and the notification transport
/// instead of one media's operation (features/README.md, "Tags"): `@session` (the GWS session
/// pages), `@bayeux` (Bayeux 1.0 as CometD documents it) and `@cometd-java` (behaviour of CometD's
/// Java server, which GWS deploys, that Bayeux 1.0 does not state). Their scenarios carry no media
/// or operation tag.
pub const TRANSPORT_FAMILIES: [&str; 3] = ["session", "bayeux", "cometd-java"];

/// Parses a cucumber tag expression (`@chat and not @consult`).
pub fn parse_tags(expr: &str) -> Result<TagOperation, FeatureError> {
    expr.parse::<TagOperation>()
        .map_err(|_| FeatureError::Tags(expr.to_string()))
}

/// The tags in effect for a scenario: the feature's, the rule's and the scenario's (Examples
/// tags are merged into the scenario's by the Outline expansion), without `@`.
pub fn effective_tags(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<String> {
    let mut tags: Vec<String> = feature.tags.clone();
    if let Some(r) = rule {
        tags.extend(r.tags.iter().cloned());
    }
    tags.extend(scenario.tags.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    tags
}

/// Whether a scenario is selected by `filter` (all are without a filter).
pub fn selected(
    filter: Option<&TagOperation>,
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> bool {
    filter.is_none_or(|f| f.eval(effective_tags(feature, rule, scenario).iter()))
}

/// A scenario's test name: its name (Outline placeholders filled) and, for an Outline row, the
/// row's values, e.g. `agent consults through <field>` row `userName` gives
/// `agent consults through userName [field=userName]`. It carries no line number, so editing
/// the feature file elsewhere does not rename it. The JUnit testcase name and the
/// known-failures baseline both use it (with the feature's classname: [`scenario_id`]).
pub fn test_name(scenario: &gherkin::Scenario) -> String {
    let row = scenario
        .examples
        .first()
        .and_then(|ex| ex.table.as_ref())
        .and_then(|t| Some((t.rows.first()?, t.rows.get(1)?)));
    match row {
        Some((header, values)) => {
            let cells: Vec<String> = header
                .iter()
                .zip(values)
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!("{} [{}]", scenario.name, cells.join(", "))
        }
        None => scenario.name.clone(),
    }
}

/// A scenario's stable identity across runs: `<classname>: <test name>`, e.g.
/// `gws.chat.accept: agent accepts chat -> receives Chatting status`. A classname always holds a
/// dot (`gws.…`, `vendor.…`) and never a colon, so the first `: ` ends it.
pub fn scenario_id(classname: &str, test_name: &str) -> String {
    format!("{classname}: {test_name}")
}

/// One scenario as selection sees it, before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The feature's name.
    pub feature_name: String,
    /// The feature file's shown path.
    pub feature_path: String,
    /// JUnit classname of the feature.
    pub classname: String,
    /// The scenario's name (Outline placeholders filled).
    pub scenario_name: String,
    /// [`test_name`].
    pub name: String,
    /// [`scenario_id`].
    pub id: String,
    /// Line and column of the scenario (of the Examples row for an Outline): with the path,
    /// the key cucumber's events carry.
    pub position: (usize, usize),
    /// [`effective_tags`].
    pub tags: Vec<String>,
    /// Every step (the feature's and the rule's backgrounds first), none run yet; empty unless
    /// [`Planned::with_steps`] filled it (a plan of 10,000 scenarios does not hold their steps
    /// twice).
    pub steps: Vec<StepRecord>,
    /// The feature's own tags (without `@`), its line and its description.
    pub feature: FeatureHead,
}

/// What the reports say of a feature besides its name and path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureHead {
    /// The feature's own tags, without `@`.
    pub tags: Vec<String>,
    /// The line of its `Feature:` keyword.
    pub line: usize,
    /// Its description (the text under `Feature:`), trimmed.
    pub description: String,
}

impl Planned {
    /// The plan entry of `scenario` of `feature` (in `rule`), whose classname is `classname`.
    pub fn new(
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        classname: &str,
    ) -> Self {
        let name = test_name(scenario);
        Self {
            feature_name: feature.name.clone(),
            feature_path: feature_path(feature),
            classname: classname.to_string(),
            id: scenario_id(classname, &name),
            scenario_name: scenario.name.clone(),
            name,
            position: (scenario.position.line, scenario.position.col),
            tags: effective_tags(feature, rule, scenario),
            steps: Vec::new(),
            feature: FeatureHead {
                tags: feature.tags.clone(),
                line: feature.position.line,
                description: feature
                    .description
                    .as_deref()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            },
        }
    }

    /// The key cucumber's events carry: (feature path, line, column).
    pub fn key(&self) -> (String, usize, usize) {
        (self.feature_path.clone(), self.position.0, self.position.1)
    }

    /// The same with [`Planned::steps`] filled from `scenario` (of `feature`, in `rule`).
    pub fn with_steps(
        mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
    ) -> Self {
        self.steps = feature
            .background
            .iter()
            .chain(rule.and_then(|r| r.background.as_ref()))
            .flat_map(|b| b.steps.iter())
            .chain(scenario.steps.iter())
            .map(StepRecord::planned)
            .collect();
        self
    }
}

/// `planned` (scenarios of `loaded`) with their steps filled ([`Planned::with_steps`]); a
/// scenario `loaded` does not hold keeps none.
pub fn with_steps(loaded: &[Loaded], planned: &[Planned]) -> Vec<Planned> {
    let wanted: std::collections::HashSet<(String, usize, usize)> =
        planned.iter().map(Planned::key).collect();
    let mut found: std::collections::HashMap<(String, usize, usize), Planned> =
        std::collections::HashMap::new();
    for l in loaded {
        let f = &l.feature;
        let path = feature_path(f);
        let scenarios = f.scenarios.iter().map(|sc| (None, sc)).chain(
            f.rules
                .iter()
                .flat_map(|r| r.scenarios.iter().map(move |sc| (Some(r), sc))),
        );
        for (rule, sc) in scenarios {
            let key = (path.clone(), sc.position.line, sc.position.col);
            if wanted.contains(&key) {
                found.insert(
                    key,
                    Planned::new(f, rule, sc, &l.source.classname).with_steps(f, rule, sc),
                );
            }
        }
    }
    planned
        .iter()
        .map(|p| found.remove(&p.key()).unwrap_or_else(|| p.clone()))
        .collect()
}

/// The feature file's shown path (its name when it has none).
pub fn feature_path(feature: &gherkin::Feature) -> String {
    match &feature.path {
        Some(p) => p.to_string_lossy().into_owned(),
        None => feature.name.clone(),
    }
}

/// Every scenario of `loaded`, in file order (rules' scenarios after the feature's own).
pub fn all_planned(loaded: &[Loaded]) -> Vec<Planned> {
    let mut out = Vec::new();
    for l in loaded {
        let f = &l.feature;
        for sc in &f.scenarios {
            out.push(Planned::new(f, None, sc, &l.source.classname));
        }
        for r in &f.rules {
            for sc in &r.scenarios {
                out.push(Planned::new(f, Some(r), sc, &l.source.classname));
            }
        }
    }
    out
}

/// `--shard I/N`: the I-th (1-based) of N deterministic parts of the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which part, 1 to `count`.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `I/N` with 1 ≤ I ≤ N ≤ 1024.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not I/N with 1 <= I <= N <= 1024, e.g. 2/4");
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count || count > 1024 {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Scenarios a target's profile leaves out (`--skip-tags`, `skip:` lines of the known-failures
/// file): not run, reported as skipped with `reason`.
#[derive(Clone, Debug)]
pub struct Skip {
    /// The tag expression.
    pub expr: TagOperation,
    /// Why, shown in every report.
    pub reason: String,
}

/// What a run selects: `--tags`, `--name`, `--shard`, then the profile's skips.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `--tags`.
    pub tags: Option<TagOperation>,
    /// `--name`: a regular expression searched in the test name ([`test_name`]).
    pub name: Option<regex::Regex>,
    /// `--shard`.
    pub shard: Option<Shard>,
    /// Profile skips, first match wins.
    pub skip: Vec<Skip>,
}

/// The scenarios of a run: those to run, and those the profile skips (with the reason), each
/// in file order.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// To run.
    pub run: Vec<Planned>,
    /// Selected but left out by the profile, with the reason.
    pub skipped: Vec<(Planned, String)>,
}

impl Selection {
    /// Whether `p` passes `--tags` and `--name` (before sharding and skipping).
    pub fn matches(&self, p: &Planned) -> bool {
        self.tags.as_ref().is_none_or(|t| t.eval(p.tags.iter()))
            && self.name.as_ref().is_none_or(|re| re.is_match(&p.name))
    }

    /// The plan over `all`: filtered by [`Selection::matches`]; then, with a shard, the
    /// filtered scenarios sorted by identity (then path and position, for equal names) are
    /// dealt round-robin into `count` parts and part `index` is kept, so the N parts are
    /// disjoint, their union is the whole selection, and the split depends only on the
    /// selection; then the profile's skips are set aside.
    pub fn plan(&self, all: &[Planned]) -> Plan {
        let mut chosen: Vec<&Planned> = all.iter().filter(|p| self.matches(p)).collect();
        if let Some(shard) = self.shard {
            let mut order: Vec<usize> = (0..chosen.len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (chosen[a], chosen[b]);
                (&a.id, &a.feature_path, a.position).cmp(&(&b.id, &b.feature_path, b.position))
            });
            let mut keep = vec![false; chosen.len()];
            for (rank, &i) in order.iter().enumerate() {
                keep[i] = rank % shard.count == shard.index - 1;
            }
            let mut k = keep.into_iter();
            chosen.retain(|_| k.next().unwrap_or(false));
        }
        let mut plan = Plan::default();
        for p in chosen {
            match self.skip.iter().find(|s| s.expr.eval(p.tags.iter())) {
                Some(s) => plan.skipped.push((p.clone(), s.reason.clone())),
                None => plan.run.push(p.clone()),
            }
        }
        plan
    }
}

/// A cucumber [`Parser`] handing over features parsed beforehand, all at once (the
/// benchmarks' no-op runs; the runner uses [`Paced`]).
#[derive(Debug, Default)]
pub struct Preparsed(pub Vec<gherkin::Feature>);

impl Parser<()> for Preparsed {
    type Cli = cucumber::cli::Empty;
    type Output = stream::Iter<std::vec::IntoIter<parser::Result<gherkin::Feature>>>;

    fn parse(self, _input: (), _cli: Self::Cli) -> Self::Output {
        stream::iter(self.0.into_iter().map(Ok).collect::<Vec<_>>())
    }
}

/// How far the runner is: scenarios started, counted by the `before` hook
/// ([`Pace::started`]), which a [`Paced`] parser waits on.
#[derive(Debug, Default)]
pub struct Pace {
    started: std::sync::atomic::AtomicUsize,
    waker: std::sync::Mutex<Option<std::task::Waker>>,
}

impl Pace {
    /// One more scenario started: wakes the parser waiting for room.
    pub fn started(&self) {
        self.started
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if let Some(w) = self.waker.lock().ok().and_then(|mut w| w.take()) {
            w.wake();
        }
    }
}

/// A cucumber [`Parser`] that hands the parsed features over a few scenarios at a time: each
/// feature is cut into features of at most `chunk` scenarios (same name, path, tags,
/// description and background; a rule's scenarios keep their rule), and the next is given
/// only while fewer than `depth` scenarios wait to start. cucumber keeps a copy of every
/// scenario it was given until that scenario ends, so a run of 10,000 scenarios holds a few
/// dozen of them twice instead of all; the scenarios not yet given are moved out of `features`
/// as they go, never copied.
///
/// Only the scenarios whose key ([`feature_path`], line, column) is in `keys` are given; the
/// rest are dropped. The `before` hook of every scenario must call [`Pace::started`]. That is
/// the progress to wait on, not the writer's `Finished` events: cucumber polls this stream and
/// runs the scenarios in one task, and when nothing is queued or running it loops without
/// yielding, so a stream waiting on events that task has not yet delivered would never be
/// polled again. A scenario future yields at least once after its `before` hook, so the stream
/// is polled again after every start.
pub struct Paced {
    /// The features still to hand over, each with the scenarios not yet given.
    pub features: Vec<gherkin::Feature>,
    /// The scenarios to run.
    pub keys: std::collections::HashSet<(String, usize, usize)>,
    /// Scenarios per feature handed over.
    pub chunk: usize,
    /// How many scenarios may wait to start.
    pub depth: usize,
    /// The runner's progress.
    pub pace: Arc<Pace>,
}

impl Parser<()> for Paced {
    type Cli = cucumber::cli::Empty;
    type Output = PacedStream;

    fn parse(mut self, _input: (), _cli: Self::Cli) -> Self::Output {
        self.features.reverse();
        for f in &mut self.features {
            f.scenarios.reverse();
            f.rules.reverse();
            for r in &mut f.rules {
                r.scenarios.reverse();
            }
        }
        PacedStream {
            given: 0,
            paced: self,
        }
    }
}

/// The stream of a [`Paced`] parser.
pub struct PacedStream {
    paced: Paced,
    /// Scenarios handed over so far.
    given: usize,
}

impl PacedStream {
    /// Whether `depth` scenarios given wait to start.
    fn full(&self) -> bool {
        let started = self
            .paced
            .pace
            .started
            .load(std::sync::atomic::Ordering::SeqCst);
        self.given.saturating_sub(started) >= self.paced.depth.max(1)
    }

    /// The next feature of at most `chunk` selected scenarios, in file order; `None` when none
    /// is left. (`parse` reversed `features`, each feature's scenarios and rules and each
    /// rule's scenarios, so that taking the next one is a `pop`.)
    fn next_chunk(&mut self) -> Option<gherkin::Feature> {
        let Paced {
            features,
            keys,
            chunk,
            ..
        } = &mut self.paced;
        let chunk = (*chunk).max(1);
        loop {
            let f = features.last_mut()?;
            let path = feature_path(f);
            let take = |from: &mut Vec<gherkin::Scenario>| {
                let mut out = Vec::new();
                while out.len() < chunk
                    && let Some(sc) = from.pop()
                {
                    if keys.contains(&(path.clone(), sc.position.line, sc.position.col)) {
                        out.push(sc);
                    }
                }
                out
            };
            let mut head = feature_head(f);
            head.scenarios = take(&mut f.scenarios);
            while head.scenarios.is_empty()
                && head.rules.is_empty()
                && let Some(r) = f.rules.last_mut()
            {
                let mut rule = rule_head(r);
                rule.scenarios = take(&mut r.scenarios);
                if r.scenarios.is_empty() {
                    f.rules.pop();
                }
                if !rule.scenarios.is_empty() {
                    head.rules.push(rule);
                }
            }
            if head.scenarios.is_empty() && head.rules.is_empty() {
                features.pop();
                continue;
            }
            return Some(head);
        }
    }
}

/// A copy of `f` without its scenarios and rules.
fn feature_head(f: &gherkin::Feature) -> gherkin::Feature {
    gherkin::Feature {
        keyword: f.keyword.clone(),
        name: f.name.clone(),
        description: f.description.clone(),
        background: f.background.clone(),
        scenarios: Vec::new(),
        rules: Vec::new(),
        tags: f.tags.clone(),
        span: f.span,
        position: f.position,
        path: f.path.clone(),
    }
}

/// A copy of `r` without its scenarios.
fn rule_head(r: &gherkin::Rule) -> gherkin::Rule {
    gherkin::Rule {
        keyword: r.keyword.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        background: r.background.clone(),
        scenarios: Vec::new(),
        tags: r.tags.clone(),
        span: r.span,
        position: r.position,
    }
}

impl futures::Stream for PacedStream {
    type Item = parser::Result<gherkin::Feature>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.full() {
            if let Ok(mut w) = self.paced.pace.waker.lock() {
                *w = Some(cx.waker().clone());
            }
            // A start between the check and the waker's registration would be missed.
            if self.full() {
                return std::task::Poll::Pending;
            }
        }
        match self.next_chunk() {
            Some(f) => {
                self.given += f.count_scenarios();
                std::task::Poll::Ready(Some(Ok(f)))
            }
            None => std::task::Poll::Ready(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paced_hands_over_chunks_in_file_order_only_while_few_scenarios_wait() {
        use futures::StreamExt as _;
        let mut text = String::from("@chat\nFeature: many\n  Background:\n    Given a\n\n");
        for k in 0..70 {
            text.push_str(&format!("  Scenario: s{k}\n    Given b\n\n"));
        }
        text.push_str("  Rule: r\n\n");
        for k in 70..75 {
            text.push_str(&format!("    Scenario: s{k}\n      Given b\n\n"));
        }
        let feature = parse_all(vec![FeatureSource {
            path: "x.feature".into(),
            classname: "gws.x".into(),
            text,
        }])
        .unwrap()
        .remove(0)
        .feature;
        let path = feature_path(&feature);
        let all: Vec<&gherkin::Scenario> = feature
            .scenarios
            .iter()
            .chain(feature.rules.iter().flat_map(|r| &r.scenarios))
            .collect();
        // Every scenario but s5.
        let keys = all
            .iter()
            .filter(|sc| sc.name != "s5")
            .map(|sc| (path.clone(), sc.position.line, sc.position.col))
            .collect();
        let pace = Arc::new(Pace::default());
        let mut stream = Paced {
            features: vec![feature.clone()],
            keys,
            chunk: 32,
            depth: 40,
            pace: Arc::clone(&pace),
        }
        .parse((), cucumber::cli::Empty);
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        let mut next = || match stream.poll_next_unpin(&mut cx) {
            std::task::Poll::Ready(Some(Ok(f))) => Some(Some(f)),
            std::task::Poll::Ready(_) => Some(None),
            std::task::Poll::Pending => None,
        };
        let names = |f: &gherkin::Feature| -> Vec<String> {
            f.scenarios
                .iter()
                .chain(f.rules.iter().flat_map(|r| &r.scenarios))
                .map(|s| s.name.clone())
                .collect()
        };
        let first = next().unwrap().unwrap();
        assert_eq!(first.name, "many");
        assert!(first.background.is_some());
        assert_eq!(names(&first).len(), 32, "32 selected; s5 is dropped");
        assert_eq!(names(&first)[5], "s6");
        let second = next().unwrap().unwrap();
        assert_eq!(names(&second).len(), 32);
        // 64 given, none started: the depth (40) is reached.
        assert!(next().is_none());
        for _ in 0..30 {
            pace.started();
        }
        let third = next().unwrap().unwrap();
        assert_eq!(
            names(&third),
            (65..70).map(|k| format!("s{k}")).collect::<Vec<_>>()
        );
        let fourth = next().unwrap().unwrap();
        assert_eq!(fourth.rules.len(), 1);
        assert_eq!(fourth.rules[0].name, "r");
        assert_eq!(names(&fourth).len(), 5);
        assert!(next().is_none(), "74 given, 30 started");
        for _ in 0..44 {
            pace.started();
        }
        assert!(matches!(next(), Some(None)), "the stream ends");
    }

    #[test]
    fn every_embedded_feature_parses_and_names_a_classname() {
        let all = embedded();
        assert!(
            all.len() >= 4,
            "expected the seed features, found {}",
            all.len()
        );
        for f in &all {
            assert!(f.classname.starts_with("gws."), "{}", f.classname);
            assert!(!f.classname.contains('/'));
        }
        parse_all(all).expect("embedded features parse");
    }

    #[test]
    fn every_builtin_scenario_follows_the_tag_convention() {
        // features/README.md, "Tags": media, operation (a row of the operation table), a known
        // documentation page (the operation's own page for that media on the feature), one case
        // tag on each inferred negative, and @precondition:<op> for every precondition step.
        let precondition = regex::Regex::new(
            r#"^the agent has (?:accepted the .*|performed "([^"]+)" on the .*)$"#,
        )
        .unwrap();
        let mut checked = 0;
        for loaded in parse_all(embedded()).unwrap() {
            let feature_tags = &loaded.feature.tags;
            if feature_tags
                .iter()
                .any(|t| TRANSPORT_FAMILIES.contains(&t.as_str()))
            {
                checked += transport_convention(&loaded);
                continue;
            }
            let media = feature_tags
                .iter()
                .find_map(|t| gws_contract::Media::from_name(t))
                .unwrap_or_else(|| panic!("{}: no media tag", loaded.feature.name));
            // A resource feature (@resources) reads the interaction by GET, on the SMS Session
            // Resource page; a lifecycle feature (@lifecycle) chains operations, each scenario
            // naming the operations' pages. Every other feature is one operation's page.
            if feature_tags.iter().any(|t| t == "resources") {
                assert!(
                    feature_tags.iter().any(|t| t == "doc:SMSResources"),
                    "{}: a resource feature carries @doc:SMSResources",
                    loaded.feature.name
                );
            } else if !feature_tags.iter().any(|t| t == "lifecycle") {
                let op = gws_contract::OPERATIONS
                    .iter()
                    .find(|o| feature_tags.contains(&o.tag()))
                    .unwrap_or_else(|| panic!("{}: no operation tag", loaded.feature.name));
                let doc = format!("doc:{}", op.page(media).unwrap_or("(none)"));
                assert!(
                    feature_tags.contains(&doc),
                    "{}: feature of {} on {media} must carry @{doc}",
                    loaded.feature.name,
                    op.name
                );
            }
            for sc in &loaded.feature.scenarios {
                let tags = effective_tags(&loaded.feature, None, sc);
                for t in tags.iter().filter_map(|t| t.strip_prefix("doc:")) {
                    assert!(
                        gws_contract::pages::page(t).is_some(),
                        "{}: @doc:{t}",
                        sc.name
                    );
                }
                let cases = [
                    "missing-parameter",
                    "wrong-state",
                    "unknown-interaction",
                    "invalid-value",
                ];
                let n_cases = tags.iter().filter(|t| cases.contains(&t.as_str())).count();
                let inferred = tags.iter().any(|t| t == "inferred");
                assert!(n_cases <= 1, "{}: {tags:?}", sc.name);
                assert!(
                    n_cases == 0 || inferred,
                    "{}: a negative case is @inferred",
                    sc.name
                );
                let steps = loaded
                    .feature
                    .background
                    .iter()
                    .flat_map(|b| b.steps.iter())
                    .chain(sc.steps.iter());
                for step in steps {
                    if let Some(c) = precondition.captures(&step.value) {
                        let name = c
                            .get(1)
                            .map_or("accept".to_string(), |m| m.as_str().to_ascii_lowercase());
                        let tag = format!("precondition:{name}");
                        assert!(
                            tags.contains(&tag),
                            "{}: step `{}` needs @{tag}",
                            sc.name,
                            step.value
                        );
                    }
                }
                checked += 1;
            }
        }
        assert!(checked >= 60, "only {checked} scenarios");
    }

    /// The convention of the session and transport features (features/README.md, "Tags"): no
    /// media or operation tag; every scenario cites known pages only, a `@bayeux` one at least
    /// one section of Bayeux 1.0 (docs.cometd.org), a `@cometd-java` one CometD's Java source
    /// and is `@inferred`, and the negative-case tags of the operation features are not used.
    /// Returns how many scenarios it checked.
    fn transport_convention(loaded: &Loaded) -> usize {
        let bayeux = loaded.feature.tags.iter().any(|t| t == "bayeux");
        let cometd_java = loaded.feature.tags.iter().any(|t| t == "cometd-java");
        for sc in &loaded.feature.scenarios {
            let tags = effective_tags(&loaded.feature, None, sc);
            let pages: Vec<_> = tags
                .iter()
                .filter_map(|t| t.strip_prefix("doc:"))
                .map(|t| {
                    gws_contract::pages::page(t)
                        .unwrap_or_else(|| panic!("{}: @doc:{t} is no known page", sc.name))
                })
                .collect();
            assert!(!pages.is_empty(), "{}: no @doc: tag", sc.name);
            if bayeux {
                assert!(
                    pages
                        .iter()
                        .any(|p| p.url.starts_with("https://docs.cometd.org/")),
                    "{}: a @bayeux scenario cites a section of Bayeux 1.0",
                    sc.name
                );
            }
            if cometd_java {
                assert!(
                    pages
                        .iter()
                        .any(|p| p.url.starts_with("https://github.com/cometd/cometd/"))
                        && tags.iter().any(|t| t == "inferred"),
                    "{}: a @cometd-java scenario cites CometD's Java source and is @inferred",
                    sc.name
                );
            }
            for t in &tags {
                assert!(
                    gws_contract::Media::from_name(t).is_none()
                        && !gws_contract::OPERATIONS.iter().any(|o| o.tag() == *t)
                        && ![
                            "missing-parameter",
                            "wrong-state",
                            "unknown-interaction",
                            "invalid-value"
                        ]
                        .contains(&t.as_str()),
                    "{}: @{t} belongs to the operation features",
                    sc.name
                );
            }
        }
        loaded.feature.scenarios.len()
    }

    #[test]
    fn tag_filter_combines_feature_and_scenario_tags() {
        let text = "@chat\nFeature: F\n\n  @accept\n  Scenario: S\n    Given x\n";
        let f = gherkin::Feature::parse(text, GherkinEnv::default()).unwrap();
        let sc = &f.scenarios[0];
        let yes = parse_tags("@chat and @accept").unwrap();
        let no = parse_tags("@chat and not @accept").unwrap();
        assert!(selected(Some(&yes), &f, None, sc));
        assert!(!selected(Some(&no), &f, None, sc));
        assert!(selected(None, &f, None, sc));
        assert!(parse_tags("@chat and (").is_err());
    }

    #[test]
    fn bad_feature_files_name_the_file_line_and_what_was_expected() {
        let src = |text: &str| FeatureSource {
            path: "vendor/x.feature".into(),
            classname: "vendor.x".into(),
            text: text.into(),
        };
        let e = parse_all(vec![src(
            "# vendor\nFeture: F\n  Scenario: S\n    Given x\n",
        )])
        .err()
        .unwrap()
        .to_string();
        assert!(e.starts_with("vendor/x.feature:3:"), "{e}");
        assert!(
            e.contains("unexpected `Scenario: S`") && e.contains("misspelled"),
            "{e}"
        );
        let outline = "Feature: F\n  Scenario Outline: S <a>\n    Given <a>\n\n    Examples:\n      | a | b |\n      | 1 |\n";
        let e = parse_all(vec![src(outline)]).err().unwrap().to_string();
        assert!(
            e.contains("has 1 cell(s), the table's first row has 2"),
            "{e}"
        );
        assert!(e.starts_with("vendor/x.feature:7:"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        let e = from_dir(empty.path()).err().unwrap().to_string();
        assert!(e.contains("no .feature file"), "{e}");
    }

    #[test]
    fn test_names_carry_the_outline_row_and_no_line() {
        let text = "Feature: F\n  Scenario: plain\n    Given x\n\n  Scenario Outline: through <field>\n    Given <field> <n>\n\n    Examples:\n      | field | n |\n      | userName | 1 |\n      | userName | 2 |\n";
        let loaded = parse_all(vec![FeatureSource {
            path: "vendor/f.feature".into(),
            classname: "vendor.f".into(),
            text: text.into(),
        }])
        .unwrap();
        let ids: Vec<String> = all_planned(&loaded).into_iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                "vendor.f: plain",
                "vendor.f: through userName [field=userName, n=1]",
                "vendor.f: through userName [field=userName, n=2]",
            ]
        );
        // The same scenario further down the file keeps its identity.
        let moved = parse_all(vec![FeatureSource {
            path: "vendor/f.feature".into(),
            classname: "vendor.f".into(),
            text: text.replace("Feature: F\n", "Feature: F\n\n\n# moved\n"),
        }])
        .unwrap();
        let again: Vec<String> = all_planned(&moved).into_iter().map(|p| p.id).collect();
        assert_eq!(again, ids);
    }

    #[test]
    fn every_builtin_scenario_has_its_own_identity() {
        let all = all_planned(&parse_all(embedded()).unwrap());
        let mut seen = std::collections::HashSet::new();
        for p in &all {
            assert!(seen.insert(p.id.clone()), "two scenarios are `{}`", p.id);
        }
        assert_eq!(all.len(), scenario_count(&parse_all(embedded()).unwrap()));
    }

    #[test]
    fn shards_are_disjoint_and_their_union_is_the_selection() {
        let all = all_planned(&parse_all(embedded()).unwrap());
        let base = Selection {
            tags: Some(parse_tags("not @consult").unwrap()),
            ..Default::default()
        };
        let whole: Vec<_> = base.plan(&all).run.into_iter().map(|p| p.key()).collect();
        assert!(whole.len() > 100);
        for n in [1, 2, 3, 7] {
            let mut union = Vec::new();
            for i in 1..=n {
                let part = Selection {
                    shard: Some(Shard { index: i, count: n }),
                    ..base.clone()
                }
                .plan(&all)
                .run;
                // Balanced round-robin: sizes differ by at most one.
                assert!(part.len() + 1 >= whole.len() / n && part.len() <= whole.len() / n + 1);
                // Deterministic.
                let again = Selection {
                    shard: Some(Shard { index: i, count: n }),
                    ..base.clone()
                }
                .plan(&all)
                .run;
                assert_eq!(part, again);
                union.extend(part.into_iter().map(|p| p.key()));
            }
            let mut sorted = union.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), union.len(), "shards of {n} overlap");
            let mut w = whole.clone();
            w.sort();
            assert_eq!(sorted, w, "shards of {n} do not add up to the selection");
        }
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "4", "a/b", "1/0", "1/2000"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn name_filter_and_profile_skips() {
        let all = all_planned(&parse_all(embedded()).unwrap());
        let sel = Selection {
            name: Some(regex::Regex::new("^agent accepts").unwrap()),
            skip: vec![Skip {
                expr: parse_tags("@facebooksession").unwrap(),
                reason: "no Facebook".into(),
            }],
            ..Default::default()
        };
        let plan = sel.plan(&all);
        assert!(!plan.run.is_empty() && !plan.skipped.is_empty());
        assert!(plan.run.iter().all(|p| p.name.starts_with("agent accepts")));
        assert!(
            plan.run
                .iter()
                .all(|p| !p.tags.iter().any(|t| t == "facebooksession"))
        );
        assert!(
            plan.skipped
                .iter()
                .all(|(p, why)| p.tags.iter().any(|t| t == "facebooksession")
                    && why == "no Facebook")
        );
    }

    #[test]
    fn dotted_ids() {
        assert_eq!(
            dotted("facebooksession/accept.feature"),
            "facebooksession.accept"
        );
        assert_eq!(dotted("My Vendor/x.y.feature"), "my_vendor.x_y");
    }
}
