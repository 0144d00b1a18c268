//! What several integration tests read: repository files, Tencent's declared codes, and the
//! fixtures they generate. Each test crate uses part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;

use serde_json::Value;

/// A file of the repository, by its path from the root.
pub fn root_file(path: &str) -> String {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Tencent's declared codes (tests/fixtures/tencent-error-codes.json), SMS first; a code in
/// both lists once.
pub fn declared_codes() -> Vec<String> {
    let fixture: Value =
        serde_json::from_str(&root_file("tests/fixtures/tencent-error-codes.json"))
            .expect("fixture is JSON");
    assert!(fixture["origin"]["sms"]["version"].is_string());
    let mut seen = BTreeSet::new();
    ["sms", "common"]
        .iter()
        .flat_map(|list| fixture[list].as_array().expect("code list").iter())
        .map(|entry| entry["code"].as_str().expect("code").to_owned())
        .filter(|code| seen.insert(code.clone()))
        .collect()
}

/// Holds a generated fixture to `value`, pretty-printed; `UPDATE_FIXTURES=1` rewrites it first.
/// `what` names the content and `test` the test target, for the failure's advice.
pub fn generated_fixture(path: &str, value: &Value, what: &str, test: &str) {
    let text = serde_json::to_string_pretty(value).expect("JSON") + "\n";
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")), &text).expect("write");
    }
    assert!(
        root_file(path) == text,
        "{path} is not {what}: run UPDATE_FIXTURES=1 cargo test --test {test}"
    );
}
