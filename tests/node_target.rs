//! The `@bayeux` features against the official CometD server for Node (npm
//! `cometd-nodejs-server`, `tests/node/cometd-target.mjs`) mounted as a target: proof that the
//! transport rules are CometD's, not only our reference server's. The script serves the CometD
//! endpoint at `/api/v2/notifications` (with one policy: a client may not publish, as GWS's
//! endpoint only delivers), answers the login steps with statusCode 0 and implements the provider
//! state `an interaction is offered to the agent` by publishing on the media's topic.
//!
//! Every `@bayeux` scenario passes. The run also takes the `@cometd-java` feature, the rule of
//! CometD's Java server (the one GWS deploys) that a message arrives once per client session
//! under overlapping subscriptions: cometd-nodejs-server delivers it once per subscription that
//! covers its channel (its `_notifySubscribers` walks the wildcard channels' subscribers and the
//! channel's own, without the Java server's de-duplication), so that scenario must fail here, as
//! a DuplicateDelivery naming the count. The test checks both: the divergence is why the rule is
//! CometD Java's and not a `@bayeux` one.
//!
//! The handshake rules were set by this server's (and CometD Java's `BayeuxServerImpl`)
//! behaviour: a handshake offering only a connection type it does not support is answered
//! successful with `supportedConnectionTypes: ["long-polling"]` (Bayeux 1.0 asks for an
//! unsuccessful reply; the suite accepts either, as both negotiate nothing), and any `version`
//! is answered with `1.0`, so both `@inferred` handshake scenarios pass here.

#[path = "../crates/gws-bayeux/tests/common/node.rs"]
mod node;
mod support;

use std::time::Duration;

use gws_conformance::run::report::Outcome;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bayeux_features_pass_against_the_official_cometd_node_server() {
    // The advised connect hold: short, so that a connect the suite abandons ends soon.
    let mut script = node::NodeScript::start("cometd-target.mjs", &["3000"])
        .await
        .expect("the CometD Node target starts");
    let listening = script
        .expect("LISTENING", Duration::from_secs(30))
        .await
        .expect("the CometD Node target listens");
    let port = listening["port"].as_u64().expect("a port");
    let target = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let (out, _xml) = support::run(
        dir.path(),
        &[
            "--target",
            &target,
            "--tags",
            "@bayeux or @cometd-java",
            "--notification-timeout",
            "2s",
        ],
    )
    .await;
    let _ = script.finish(Duration::from_secs(10)).await;

    assert!(
        out.record.run_errors.is_empty(),
        "{:?}",
        out.record.run_errors
    );
    let mut problems = Vec::new();
    let (mut bayeux, mut cometd_java) = (0, 0);
    for s in &out.record.scenarios {
        let family = |t: &str| s.feature.tags.iter().any(|f| f == t);
        match (&s.outcome, family("bayeux"), family("cometd-java")) {
            (Outcome::Passed, true, false) => bayeux += 1,
            (Outcome::Failed(f), false, true) if f.kind == "DuplicateDelivery" => {
                cometd_java += 1;
                assert!(f.summary.contains("arrived 3 times"), "{}", f.summary);
            }
            (other, _, _) => problems.push(format!("{}: {other:?}", s.name)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        cometd_java, 1,
        "the overlapping-subscriptions scenario ran and failed"
    );
    assert!(bayeux >= 12, "only {bayeux} @bayeux scenarios passed");
}
