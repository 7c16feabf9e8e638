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
