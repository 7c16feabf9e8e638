//! The whole suite against the embedded reference server, in-process through
//! `gws_conformance::run::execute`: both dialects pass, `--concurrency 1` gives the same
//! verdicts, `--strict` fails the 2015 dialect on its spellings only, and every JUnit report
//! is valid against junit-10.xsd and meets the report constraints.

mod support;

use support::{assert_report_constraints, assert_valid_against_xsd, run, verdicts};

/// Every built-in scenario (Outline rows expanded).
fn builtin_scenarios() -> usize {
    use gws_conformance::run::features::{embedded, parse_all, scenario_count};
    scenario_count(&parse_all(embedded()).expect("the built-in features parse"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dialect_2019_passes_and_the_report_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (out, xml) = run(dir.path(), &["--dialect", "2019"]).await;
    assert_eq!(out.exit_code, 0, "{:#?}", verdicts(&out));
    assert_eq!(out.counts.passed, builtin_scenarios());
    assert!(builtin_scenarios() >= 16);
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &out);
    // The run's testsuite, then one per feature; spellings learned from the target and
    // reported.
    let parsed = support::parse(&xml);
    assert_eq!(
        parsed.suites.len(),
        1 + gws_conformance::run::features::embedded().len()
    );
    let sp = out.spellings.summary();
    assert!(
        sp.contains("facebooksession.collection=facebooksessions"),
        "{sp}"
    );
    assert!(
        sp.contains("facebooksession.messageType=facebooksessionStateChangeMessage"),
        "{sp}"
    );
    assert!(
        xml.contains(r#"name="spelling.facebooksession.resourceKey" value="facebooksessions""#)
    );
    assert!(xml.contains(r#"classname="gws.facebooksession.accept""#));
    assert!(xml.contains(
        "tags:          @facebooksession @consult @precondition:accept @doc:FacebookPMConsult"
    ));
    assert!(xml.contains("documentation: Facebook Private Messaging API: Consult — https://"));
    // An Outline row's values name its testcase.
    assert!(
        xml.contains(
            r#"<testcase name="agent consults another agent through targetUri -&gt; consultant joins for agents only [field=targetUri]""#
        ),
        "{xml}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dialect_2015_passes_with_the_same_verdicts_at_concurrency_1() {
    let dir = tempfile::tempdir().unwrap();
    let (many, xml) = run(dir.path(), &["--dialect", "2015"]).await;
    assert_eq!(many.exit_code, 0, "{:#?}", verdicts(&many));
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &many);
    let sp = many.spellings.summary();
    assert!(
        sp.contains("facebooksession.collection=facebooksession;"),
        "{sp}"
    );
    assert!(
        sp.contains("facebooksession.messageType=FacebooksessionStateChangeMessage"),
        "{sp}"
    );

    let dir1 = tempfile::tempdir().unwrap();
    let (one, _) = run(dir1.path(), &["--dialect", "2015", "--concurrency", "1"]).await;
    assert_eq!(one.exit_code, 0);
    assert_eq!(verdicts(&one), verdicts(&many));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_fails_the_2015_dialect_on_its_spellings_only() {
    let dir = tempfile::tempdir().unwrap();
    let (out, xml) = run(dir.path(), &["--dialect", "2015", "--strict"]).await;
    assert_eq!(out.exit_code, 1);
    assert_valid_against_xsd(&xml, dir.path());
    assert_report_constraints(&xml, &out);
    let mut failed = 0;
    for s in &out.record.scenarios {
        match &s.outcome {
            gws_conformance::run::report::Outcome::Failed(f) => {
                failed += 1;
                assert!(
                    s.tags.iter().any(|t| t == "facebooksession"),
                    "{} failed: {f:?}",
                    s.name
                );
                assert_eq!(f.kind, "SpellingNotNewest", "{}", s.name);
                assert!(f.source.contains("section 4"), "{}", f.source);
            }
            gws_conformance::run::report::Outcome::Passed => {
                assert!(
                    !s.tags.iter().any(|t| t == "facebooksession"),
                    "{} passed under --strict",
                    s.name
                );
            }
            other => panic!("{}: {other:?}", s.name),
        }
    }
    let facebook = out
        .record
        .scenarios
        .iter()
        .filter(|s| s.tags.iter().any(|t| t == "facebooksession"))
        .count();
    assert_eq!(
        failed, facebook,
        "every Facebook scenario fails on the 2015 spellings"
    );

    // The 2019 dialect uses the newest spellings: strict passes.
    let dir19 = tempfile::tempdir().unwrap();
    let (ok, _) = run(dir19.path(), &["--dialect", "2019", "--strict"]).await;
    assert_eq!(ok.exit_code, 0, "{:#?}", verdicts(&ok));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_filter_selects_scenarios_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (out, xml) = run(
        dir.path(),
        &["--tags", "@chat and @accept and not @inferred"],
    )
    .await;
    assert_eq!(out.exit_code, 0);
    assert_eq!(out.counts.passed, 1);
    assert_eq!(
        out.record.scenarios[0].name,
        "agent accepts chat -> receives Chatting status"
    );
    assert!(
        xml.contains(r#"<property name="tags" value="@chat and @accept and not @inferred"/>"#),
        "{xml}"
    );
}
