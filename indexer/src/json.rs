//! JSON paths for messages, and the one error type of shape checks: what is
//! wrong, and where in the file.

use std::fmt;

/// A JSON path such as `$.data[0].attributes.blocks[2].body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path(String);

impl Path {
    pub fn root() -> Path {
        Path("$".to_string())
    }

    pub fn key(&self, key: &str) -> Path {
        let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            Path(format!("{}.{key}", self.0))
        } else {
            Path(format!("{}[{key:?}]", self.0))
        }
    }

    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Content of the wrong shape at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    pub path: Path,
    pub reason: String,
}

impl Shape {
    pub fn new(path: Path, reason: impl Into<String>) -> Shape {
        Shape {
            path,
            reason: reason.into(),
        }
    }
}

/// The JSON type of a value, as a message names it.
pub(crate) fn type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}
