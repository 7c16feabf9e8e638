//! Turning a JSON Schema validation error into a [`Violation`] a vendor can act on: the rule in
//! plain words (with the schema's own `x-rules` explanation where it has one), what the
//! documentation expects, what the payload holds, and the page the rule comes from.

use std::collections::BTreeMap;
use std::fmt;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::{Source, Violation};

/// How many further pages' URLs a violation lists after its first page.
const MORE_PAGES_SHOWN: usize = 2;

/// Longest `expected`/`actual` text, in characters, before it is cut with `…`.
const MAX_SHOWN: usize = 200;

/// Compact JSON of `value`, cut to [`MAX_SHOWN`] characters.
pub(crate) fn compact(value: &Value) -> String {
    truncate(&value.to_string())
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_SHOWN {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX_SHOWN).collect();
        format!("{cut}…")
    }
}

/// Decodes `%XX` escapes of a URI fragment.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The schema node that holds the failing keyword (found through the error's absolute keyword
/// location inside the embedded bundle).
fn keyword_node<'d>(
    error: &ValidationError<'_>,
    documents: &BTreeMap<String, &'d Value>,
) -> Option<&'d Value> {
    let location = error.absolute_keyword_location()?;
    let (base, fragment) = location.as_str().split_once('#')?;
    let document = documents.get(base)?;
    let pointer = percent_decode(fragment);
    let parent = pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    document.pointer(parent)
}

/// The schema's own explanation of `keyword`, from the `x-rules` object of the node holding it.
fn explanation(node: Option<&Value>, keyword: &str) -> Option<String> {
    node?
        .get("x-rules")?
        .get(keyword)?
        .as_str()
        .map(str::to_owned)
}

/// For an `anyOf`/`oneOf` whose branches each require one property: those property names.
fn alternatives(node: Option<&Value>, keyword: &str) -> Option<Vec<String>> {
    node?
        .get(keyword)?
        .as_array()?
        .iter()
        .map(|branch| {
            branch
                .get("required")?
                .get(0)?
                .as_str()
                .map(|k| format!("`{k}`"))
        })
        .collect()
}

/// The property an error is about: the last segment of the instance path, or "the payload".
fn subject(instance_path: &str) -> String {
    match instance_path.rsplit_once('/') {
        Some((_, last)) if !instance_path.is_empty() => {
            let last = last.replace("~1", "/").replace("~0", "~");
            if last.chars().all(|c| c.is_ascii_digit()) {
                format!("item {last} of `{}`", parent_name(instance_path))
            } else {
                format!("`{last}`")
            }
        }
        _ => "the payload".to_owned(),
    }
}

fn parent_name(instance_path: &str) -> String {
    let parent = instance_path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    parent
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("payload")
        .to_owned()
}

fn type_name(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => format!("{t}"),
        TypeKind::Multiple(set) => format!("{set:?}"),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Builds the [`Violation`] for one validation error of schema `schema`.
pub(crate) fn describe(
    schema: &str,
    error: &ValidationError<'_>,
    sources: &[Source],
    documents: &BTreeMap<String, &'static Value>,
) -> Violation {
    let instance_path = error.instance_path().as_str().to_owned();
    let keyword = error.kind().keyword().to_owned();
    let who = subject(&instance_path);
    let node = keyword_node(error, documents);
    let instance = error.instance();
    let actual_value = || compact(instance);
    let (rule, expected, actual) = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| property.to_string());
            let keys: Vec<&str> = instance
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            (
                format!(
                    "`{name}` is required in {}",
                    subject_or_root(&instance_path)
                ),
                format!("property `{name}` present"),
                truncate(&format!(
                    "`{name}` absent (properties present: {})",
                    keys.join(", ")
                )),
            )
        }
        ValidationErrorKind::Type { kind } => (
            format!("{who} must be of type {}", type_name(kind)),
            format!("a JSON {}", type_name(kind)),
            format!("{} ({})", actual_value(), json_type(instance)),
        ),
        ValidationErrorKind::Enum { options } => (
            format!("{who} must be one of the documented values"),
            format!("one of {}", compact(options)),
            actual_value(),
        ),
        ValidationErrorKind::Constant { expected_value } => (
            format!("{who} must be exactly {}", compact(expected_value)),
            compact(expected_value),
            actual_value(),
        ),
        ValidationErrorKind::Pattern { pattern } => (
            format!("{who} must match the documented form"),
            format!("a string matching the pattern {pattern}"),
            actual_value(),
        ),
        ValidationErrorKind::Minimum { limit } => (
            format!("{who} must be at least {limit}"),
            format!(">= {limit}"),
            actual_value(),
        ),
        ValidationErrorKind::MinLength { limit } => (
            format!("{who} must hold at least {limit} character(s)"),
            format!("a string of at least {limit} character(s)"),
            actual_value(),
        ),
        ValidationErrorKind::UniqueItems => (
            format!("{who} must not list the same item twice"),
            "unique items".to_owned(),
            actual_value(),
        ),
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => (
            format!("{who} is not allowed here"),
            format!("no {who}"),
            actual_value(),
        ),
        ValidationErrorKind::AnyOf { .. }
        | ValidationErrorKind::OneOfNotValid { .. }
        | ValidationErrorKind::OneOfMultipleValid { .. } => {
            let how_many = if keyword == "anyOf" {
                "at least one"
            } else {
                "exactly one"
            };
            let expected = match alternatives(node, &keyword) {
                Some(keys) => format!("{how_many} of {}", keys.join(", ")),
                None => error.to_string(),
            };
            (
                format!("{who} must satisfy `{keyword}`"),
                expected,
                actual_value(),
            )
        }
        _ => (
            error.to_string(),
            format!("`{keyword}` satisfied"),
            actual_value(),
        ),
    };
    let rule = match explanation(node, &keyword) {
        Some(why) => format!("{rule}: {why}"),
        None => rule,
    };
    let source = match sources {
        [] => "no documentation page is recorded for this schema".to_owned(),
        [only] => only.to_string(),
        [first, rest @ ..] => {
            let shown: Vec<&str> = rest
                .iter()
                .take(MORE_PAGES_SHOWN)
                .map(|s| s.url.as_str())
                .collect();
            let unshown = rest.len() - shown.len();
            let tail = if unshown > 0 {
                format!(" and {unshown} more")
            } else {
                String::new()
            };
            format!(
                "{first} (also documented on {} more page(s): {}{tail})",
                rest.len(),
                shown.join(", ")
            )
        }
    };
    Violation {
        schema: schema.to_owned(),
        instance_path,
        schema_path: error.evaluation_path().as_str().to_owned(),
        rule,
        expected: truncate(&expected),
        actual,
        source,
    }
}

fn subject_or_root(instance_path: &str) -> String {
    if instance_path.is_empty() {
        "the payload".to_owned()
    } else {
        format!("`{instance_path}`")
    }
}

impl fmt::Display for Violation {
    /// A multi-line block: rule, documentation page, JSON path, expected, actual, schema path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.instance_path.is_empty() {
            "(root)"
        } else {
            &self.instance_path
        };
        writeln!(f, "rule:     {}", self.rule)?;
        writeln!(f, "page:     {}", self.source)?;
        writeln!(f, "path:     {path}")?;
        writeln!(f, "expected: {}", self.expected)?;
        writeln!(f, "actual:   {}", self.actual)?;
        write!(f, "schema:   {} {}", self.schema, self.schema_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;
    use serde_json::json;

    #[test]
    fn truncates_long_values_to_the_limit() {
        let long = Value::String("x".repeat(500));
        let shown = compact(&long);
        assert_eq!(shown.chars().count(), MAX_SHOWN + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(compact(&json!({"a": 1})), r#"{"a":1}"#);
    }

    #[test]
    fn decodes_percent_escapes_in_fragments() {
        assert_eq!(percent_decode("/%24defs/uri/pattern"), "/$defs/uri/pattern");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }

    #[test]
    fn names_the_subject_of_a_path() {
        assert_eq!(subject(""), "the payload");
        assert_eq!(subject("/chat/state"), "`state`");
        assert_eq!(subject("/chat/capabilities/3"), "item 3 of `capabilities`");
        assert_eq!(subject("/a~1b"), "`a/b`");
    }
}
