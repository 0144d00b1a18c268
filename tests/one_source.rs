//! The Rust core owns the config keys and message types; the JS package states them again for
//! Logto (metadata.js) and for TypeScript (index.d.ts). This test fails when they drift apart.

use std::collections::BTreeSet;

use tencent_sms_connector::config::{
    KNOWN_USAGE_TYPES, REQUIRED_USAGE_TYPES, ROOT_KEYS, TEMPLATE_KEYS,
};
use tencent_sms_connector::validation::IssueCode;

mod common;

use common::root_file;

fn package_file(name: &str) -> String {
    root_file(&format!("pkg-template/{name}"))
}

/// The text between `start` and the first line that is exactly `end` after it.
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &text[from + start.len()..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("no end {end:?} after {start:?}"));
    &rest[..to]
}

/// Property names of a TypeScript interface body (`  name?: type;`).
fn interface_properties(types: &str, name: &str) -> BTreeSet<String> {
    section(types, &format!("export interface {name} {{"), "\n}")
        .lines()
        .filter_map(|line| {
            let line = line.strip_prefix("  ")?;
            let key: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let after = &line[key.len()..];
            (!key.is_empty() && (after.starts_with(':') || after.starts_with("?:"))).then_some(key)
        })
        .collect()
}

/// Every `'quoted'` word in `text`.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn form_items_and_typescript_name_exactly_the_config_keys_the_core_reads() {
    let metadata = package_file("lib/metadata.js");
    let form_keys: BTreeSet<String> = metadata
        .lines()
        .filter_map(|line| line.trim().strip_prefix("key: '"))
        .filter_map(|rest| rest.split('\'').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(form_keys, set(&ROOT_KEYS), "metadata.js formItems");
    let types = package_file("index.d.ts");
    assert_eq!(
        interface_properties(&types, "TencentSmsConfig"),
        set(&ROOT_KEYS),
        "index.d.ts TencentSmsConfig"
    );
    assert_eq!(
        interface_properties(&types, "TencentSmsTemplate"),
        set(&TEMPLATE_KEYS),
        "index.d.ts TencentSmsTemplate"
    );
}

#[test]
fn typescript_and_the_form_know_the_core_s_message_types() {
    let types = package_file("index.d.ts");
    let union = section(&types, "export type UsageType =", ";");
    assert_eq!(
        quoted(union),
        set(&KNOWN_USAGE_TYPES),
        "index.d.ts UsageType"
    );
    let metadata = package_file("lib/metadata.js");
    let prefilled = section(&metadata, "const requiredUsageTypes = [", "]");
    assert_eq!(
        quoted(prefilled),
        set(&REQUIRED_USAGE_TYPES),
        "metadata.js requiredUsageTypes"
    );
}

/// The codes of a Markdown list whose items start "- `code`:".
fn listed_codes(list: &str) -> BTreeSet<String> {
    list.lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split_once("`:"))
        .map(|(code, _)| code.to_owned())
        .collect()
}

fn issue_codes(errors: bool) -> BTreeSet<String> {
    IssueCode::ALL
        .iter()
        .filter(|code| code.is_error() == errors)
        .map(|code| code.as_str().to_owned())
        .collect()
}

#[test]
fn typescript_and_the_readmes_list_exactly_the_core_s_issue_codes() {
    let (errors, warnings) = (issue_codes(true), issue_codes(false));
    let types = package_file("index.d.ts");
    assert_eq!(
        quoted(section(&types, "export type ConfigErrorCode =", ";")),
        errors,
        "index.d.ts ConfigErrorCode"
    );
    assert_eq!(
        quoted(section(&types, "export type ConfigWarningCode =", ";")),
        warnings,
        "index.d.ts ConfigWarningCode"
    );
    let readme = root_file("README.md");
    assert_eq!(
        listed_codes(section(&readme, "Error codes:\n", "Warning codes:")),
        errors,
        "README.md Error codes"
    );
    assert_eq!(
        listed_codes(section(&readme, "Warning codes:\n", "\n#")),
        warnings,
        "README.md Warning codes"
    );
    // pkg-template/README.md, the operator's guide, explains fields and Tencent's codes; it
    // lists no issue codes, so there is nothing there to drift.
}

#[test]
fn issue_codes_are_listed_once_and_serialised_by_name() {
    let names: BTreeSet<_> = IssueCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(names.len(), IssueCode::ALL.len(), "a name used twice");
    for &code in IssueCode::ALL {
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            format!("\"{}\"", code.as_str())
        );
    }
    assert!(!IssueCode::MissingTemplates.blocks_sending());
    assert!(IssueCode::Required.blocks_sending());
    assert!(!IssueCode::UnknownRegion.blocks_sending());
}
