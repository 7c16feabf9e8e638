//! `gws-conformance validate` as a vendor runs it: the built binary, started in an empty temporary
//! directory (so the schemas can only come from the binary itself), on files written there.

use std::path::Path;
use std::process::{Command, Output};

use pretty_assertions::assert_eq;
use serde_json::{Value, json};

/// Runs `gws-conformance validate ARGS` with `dir` as the working directory.
fn validate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gws-conformance"))
        .arg("validate")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the gws-conformance binary starts")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, value: &Value) {
    std::fs::write(dir.join(name), serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

fn fixture(path: &str) -> Value {
    gws_contract::fixture(path)
        .unwrap_or_else(|| panic!("fixture {path}"))
        .value
}

#[test]
fn documented_samples_are_ok_from_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (i, f) in gws_contract::fixtures().iter().enumerate() {
        let name = format!("{i:02}.json");
        write(dir.path(), &name, &f.value);
        names.push(name);
    }
    let args: Vec<&str> = names.iter().map(String::as_str).collect();
    let out = validate(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert_eq!(text.lines().count(), names.len(), "{text}");
    for (name, f) in names.iter().zip(gws_contract::fixtures()) {
        assert!(
            text.contains(&format!("{name}: ok ({})", f.schema)),
            "{name}: {text}"
        );
    }
    assert_eq!(stderr(&out), "");
}

#[test]
fn an_invalid_payload_prints_every_violation_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = fixture("chat/accept/2015/3-notification-status-change-chatting.json");
    value["chat"]["state"] = json!("Talking");
    value["chat"].as_object_mut().unwrap().shift_remove("id");
    write(dir.path(), "captured.json", &value);
    let out = validate(dir.path(), &["captured.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("captured.json: 2 violation(s) of chat-state-change (lenient mode)"),
        "{text}"
    );
    for needle in [
        "path:     /chat/state",
        "actual:   \"Talking\"",
        "expected: one of [\"Invited\",\"Chatting\",\"LeftChat\",\"Completed\",\"Revoked\"]",
        "rule:     `id` is required in `/chat`",
        "path:     /chat\n",
        "page:     Chat API: Accept",
        "https://enu.docs.genesys.com/",
        "schema:   chat-state-change /properties/chat/$ref/properties/state/$ref/enum",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn strict_mode_requires_the_newest_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let old = fixture("facebooksession/accept/2015/3-notification-status-change-chatting.json");
    let new = fixture("facebooksession/accept/2019/3-notification-status-change-chatting.json");
    write(dir.path(), "old.json", &old);
    write(dir.path(), "new.json", &new);
    let lenient = validate(dir.path(), &["old.json", "new.json"]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stdout(&lenient));
    let strict = validate(dir.path(), &["--strict", "old.json", "new.json"]);
    assert_eq!(strict.status.code(), Some(1));
    let text = stdout(&strict);
    assert!(
        text.contains("old.json: 3 violation(s) of facebooksession-state-change (strict mode)"),
        "{text}"
    );
    assert!(
        text.contains("new.json: ok (facebooksession-state-change)"),
        "{text}"
    );
    for path in [
        "path:     /messageType",
        "path:     /facebooksession\n",
        "path:     /facebooksession/uri",
    ] {
        assert!(text.contains(path), "missing {path:?} in:\n{text}");
    }
}

#[test]
fn schema_flag_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "response.json", &json!({"statusCode": 0}));
    let out = validate(dir.path(), &["--schema", "accept-request", "response.json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("`operationName` is required"), "{text}");
    assert!(text.contains("`nickname` is required"), "{text}");
    let out = validate(
        dir.path(),
        &["--schema", "operation-response", "response.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn unusable_input_exits_2_with_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"statusCode\": 0,\n}\n",
    )
    .unwrap();
    write(dir.path(), "unknown.json", &json!({"hello": "world"}));
    write(dir.path(), "fine.json", &json!({"statusCode": 0}));
    let out = validate(
        dir.path(),
        &["broken.json", "missing.json", "unknown.json", "fine.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "fine.json: ok (operation-response)\n");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("broken.json: not JSON at line 3 column 1: trailing comma"),
        "{err}"
    );
    assert!(
        lines[1].starts_with("missing.json: cannot read the file:"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("unknown.json: no schema fits this payload"),
        "{err}"
    );
    assert!(
        lines[2].contains("accept-request, addcomment-request")
            && lines[2].contains("bayeux-envelope"),
        "{err}"
    );
    assert!(
        !err.contains("Error {") && !err.contains("Os {"),
        "no Rust debug strings: {err}"
    );
}

#[test]
fn an_unknown_schema_name_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "fine.json", &json!({"statusCode": 0}));
    let out = validate(dir.path(), &["--schema", "chat-statechange", "fine.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let expected = format!(
        "no schema named `chat-statechange`; valid names: {}\n",
        gws_contract::schema_names().join(", ")
    );
    assert_eq!(stderr(&out), expected);
}

#[test]
fn an_input_larger_than_the_bound_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    // /dev/zero never ends: the old reader grew without bound. Now the read stops at the cap.
    let out = validate(dir.path(), &["--max-input-mib", "1", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "/dev/zero: larger than 1 MiB, not read further; raise the bound with --max-input-mib\n"
    );
    // The default bound is 64 MiB; a file just over a raised bound is refused, one at it read.
    let big = dir.path().join("big.json");
    let mut text = String::from("{\"statusCode\": 0, \"pad\": \"");
    let fill = 1024 * 1024 - text.len() - 2;
    text.push_str(&"x".repeat(fill));
    text.push_str("\"}");
    assert_eq!(text.len(), 1024 * 1024);
    std::fs::write(&big, &text).unwrap();
    let at = validate(dir.path(), &["--max-input-mib", "1", "big.json"]);
    assert_eq!(at.status.code(), Some(0), "{}", stderr(&at));
    text.push(' ');
    std::fs::write(&big, &text).unwrap();
    let over = validate(dir.path(), &["--max-input-mib", "1", "big.json"]);
    assert_eq!(over.status.code(), Some(2));
    assert!(stderr(&over).starts_with("big.json: larger than 1 MiB"));
    let bad = validate(dir.path(), &["--max-input-mib", "0", "big.json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--max-input-mib"), "{}", stderr(&bad));
}

#[test]
fn a_bayeux_batch_is_judged_message_by_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("chat/accept/2015/3-notification-status-change-chatting.json");
    let mut bad = good.clone();
    bad["chat"]["state"] = json!("Talking");
    let batch = json!([
        {"channel": "/meta/connect", "successful": true, "id": "7"},
        {"channel": "/v2/me/chats", "data": good},
        {"channel": "/v2/me/chats", "data": bad},
        {"channel": 5, "data": {}},
    ]);
    write(dir.path(), "batch.json", &batch);
    let out = validate(dir.path(), &["batch.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("batch.json[0]: not judged (/meta/connect is a Bayeux meta message"),
        "{text}"
    );
    assert!(
        text.contains("batch.json[1]: ok (bayeux-envelope)"),
        "{text}"
    );
    assert!(
        text.contains("batch.json[1] data: ok (chat-state-change)"),
        "{text}"
    );
    assert!(
        text.contains("batch.json[2]: ok (bayeux-envelope)"),
        "{text}"
    );
    assert!(
        text.contains("batch.json[2] data: 1 violation(s) of chat-state-change"),
        "{text}"
    );
    assert!(text.contains("/chat/state"), "{text}");
    assert!(
        text.contains("batch.json[3]: 1 violation(s) of bayeux-envelope"),
        "{text}"
    );
}

#[test]
fn a_payload_matching_no_schema_exactly_is_judged_against_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "status.json", &json!({"status": 0}));
    let out = validate(dir.path(), &["status.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("status.json: 2 violation(s) of operation-response (lenient mode; no schema matches exactly; judged against the closest by status (for statusCode))"),
        "{text}"
    );
    assert!(text.contains("`statusCode` is required"), "{text}");
    // A message log without its interaction key: judged against every media's message log,
    // each violation naming the key it lacks.
    write(
        dir.path(),
        "log.json",
        &json!({"messageType": "MessageLogUpdated", "notificationType": "NewMessages", "messages": []}),
    );
    let out = validate(dir.path(), &["log.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for (schema, key) in [
        ("chat-message-log", "chatUri"),
        ("facebooksession-message-log", "facebooksessionUri"),
        ("smssession-message-log", "smssessionUri"),
    ] {
        assert!(
            text.contains(&format!("log.json: 1 violation(s) of {schema} (lenient mode; no schema matches exactly; judged against the closest (3 equally close)")),
            "{text}"
        );
        assert!(text.contains(&format!("`{key}` is required")), "{text}");
    }
    assert_eq!(stderr(&out), "");
}

#[test]
fn help_cites_documentation_urls_not_repository_paths() {
    let dir = tempfile::tempdir().unwrap();
    let out = validate(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for tag in [
        "ReturnValues",
        "ChatAccept",
        "FacebookPMAccept",
        "SMSAccept",
    ] {
        let page = gws_contract::pages::page(tag).unwrap();
        assert!(text.contains(page.url), "{tag}: {text}");
    }
    assert!(text.contains("--max-input-mib"), "{text}");
    for repo_path in [".md", "schemas/", "fixtures/", "docs/"] {
        assert!(!text.contains(repo_path), "cites `{repo_path}`: {text}");
    }
}
