//! A validation report: where each problem is and what to do about it. Shared by the config
//! validator, which fills it, and errors, which carry its issues to Logto.

use serde::Serialize;

/// Bounds the report for hostile input (a million bad templates still yields a readable answer).
pub const MAX_ISSUES: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

// Every issue becomes a zod issue with code `custom` in the JS layer: Logto's API replaces the
// message of an `invalid_type` issue with its own "Expected string but received number", so
// `custom` is what keeps this advice visible. Our `code` travels in the issue's params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: Vec<PathSegment>,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Validation {
    pub valid: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Validation {
    /// Records an error, up to [`MAX_ISSUES`]; `valid` is the caller's to set once all are in.
    pub fn error(&mut self, path: Vec<PathSegment>, code: &'static str, message: String) {
        push_bounded(&mut self.errors, path, code, message);
    }

    /// Records a warning, up to [`MAX_ISSUES`].
    pub fn warn(&mut self, path: Vec<PathSegment>, code: &'static str, message: String) {
        push_bounded(&mut self.warnings, path, code, message);
    }
}

fn push_bounded(
    issues: &mut Vec<Issue>,
    path: Vec<PathSegment>,
    code: &'static str,
    message: String,
) {
    if issues.len() < MAX_ISSUES {
        issues.push(Issue {
            path,
            code,
            message,
        });
    }
}
