//! The user's language, for choosing a template: Logto passes `payload.locale` (the sign-in page's
//! language) and, when the sign-in request had them, `payload.uiLocales` (space separated).
//! A Tencent template is one approved text in one language, so localising means choosing the id.

#[allow(unused_imports)]
use crate::prelude::*;

/// Longer tags are refused in a config and ignored in a message; real ones are far shorter.
pub const MAX_TAG_LEN: usize = 64;
/// How many of the user's languages are tried; `uiLocales` is client input.
pub const MAX_USER_LANGUAGES: usize = 16;

/// Whether `tag` is a well-formed language tag, compactly (RFC 5646 §2.1 without the order of
/// the optional subtags, the registry or the grandfathered tags): subtags of 1-8 ASCII letters
/// or digits joined by `-`, the first a 2-3 or 5-8 letter language or `x` (private use), and
/// every single-character subtag (an extension or private-use prefix) followed by another.
pub fn is_well_formed(tag: &str) -> bool {
    if tag.len() > MAX_TAG_LEN {
        return false;
    }
    let mut subtags = tag.split('-').peekable();
    let first = subtags.next().unwrap_or_default();
    let language = first.bytes().all(|byte| byte.is_ascii_alphabetic())
        && matches!(first.len(), 2..=3 | 5..=8);
    if !language && !first.eq_ignore_ascii_case("x") {
        return false;
    }
    let mut needs_more = first.len() == 1;
    while let Some(subtag) = subtags.next() {
        if !matches!(subtag.len(), 1..=8)
            || !subtag.bytes().all(|byte| byte.is_ascii_alphanumeric())
        {
            return false;
        }
        needs_more = subtag.len() == 1 && subtags.peek().is_none();
    }
    !needs_more
}

/// The language subtag: `fr` for `fr-CA`.
pub fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// The user's languages in the order to try: `locale`, then each tag of `ui_locales`, each followed
/// by its primary language, without repeats (case-insensitive). Malformed tags are skipped: no
/// configured tag could match them.
pub fn user_languages(locale: Option<&str>, ui_locales: Option<&str>) -> Vec<String> {
    let mut languages: Vec<String> = Vec::new();
    let mut add = |tag: &str| {
        if !is_well_formed(tag) {
            return;
        }
        for language in [tag, primary(tag)] {
            if languages.len() < MAX_USER_LANGUAGES
                && !languages
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(language))
            {
                languages.push(language.to_owned());
            }
        }
    };
    add(locale.unwrap_or_default());
    // Bounded by the input budget; past the cap each tag is only checked.
    for tag in ui_locales.unwrap_or_default().split_ascii_whitespace() {
        add(tag);
    }
    languages
}

/// Whether a configured tag serves `language`: the same tag, or a bare language subtag equal to
/// the language's own (`fr` serves `fr-CA`; `fr-CA` does not serve `fr` or `fr-FR`).
pub fn serves(entry: &str, language: &str) -> bool {
    entry.eq_ignore_ascii_case(language)
        || (!entry.contains('-') && entry.eq_ignore_ascii_case(primary(language)))
}

/// The usage type every other one falls back to.
pub const GENERIC: &str = "Generic";

/// The entry a send of `usage_type` uses. For each language in order: the `usage_type` entry
/// serving it, else the Generic one (an exact tag before a bare language subtag); after the list,
/// the `usage_type` entry without locale, then Generic's. Language comes before usage: a French
/// Generic beats a Chinese SignIn for a French user. `key` gives an entry's usage type and
/// locale, or `None` for an entry that must not be sent (no real template id).
pub fn resolve<'a, T, L: AsRef<str>>(
    entries: &'a [T],
    usage_type: &str,
    languages: &[L],
    key: impl Fn(&T) -> Option<(&str, Option<&str>)>,
) -> Option<&'a T> {
    // Per language, the first entry of the best rank: 0 the type's with the same tag, 1 the
    // type's bare language, 2 and 3 the same for Generic; without languages, the defaults.
    let best = |rank: &dyn Fn(Option<&str>) -> Option<u8>| {
        let mut found: Option<(u8, &'a T)> = None;
        for entry in entries {
            let Some((usage, locale)) = key(entry) else {
                continue;
            };
            let generic = if usage == usage_type {
                0
            } else if usage == GENERIC {
                2
            } else {
                continue;
            };
            if let Some(rank) = rank(locale).map(|rank| rank + generic) {
                if found.map_or(true, |(best, _)| rank < best) {
                    found = Some((rank, entry));
                }
            }
        }
        found.map(|(_, entry)| entry)
    };
    languages
        .iter()
        .find_map(|language| {
            let language = language.as_ref();
            best(&|locale| {
                let tag = locale?;
                if tag.eq_ignore_ascii_case(language) {
                    Some(0)
                } else {
                    serves(tag, language).then_some(1)
                }
            })
        })
        .or_else(|| best(&|locale| locale.is_none().then_some(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags_pass_and_malformed_ones_do_not() {
        for tag in [
            "en",
            "EN",
            "zh-CN",
            "zh-cn",
            "fr-CA",
            "zh-Hant-TW",
            "zh-Hans",
            "es-419",
            "sr-Latn-RS",
            "de-CH-1901",
            "sl-rozaj-biske",
            "zh-yue-HK",
            "en-US-u-ca-gregory",
            "en-a-bbb-x-a-ccc",
            "x-whatever",
            "haw",
            "pt-BR",
            "qaa-Qaaa-QM-x-southern",
            "de-CH-x-phonebk",
        ] {
            assert!(is_well_formed(tag), "{tag} should be well formed");
        }
        for tag in [
            "",
            "e",
            "englishlanguage",
            "zh_CN",
            "zh-",
            "-zh",
            "zh--CN",
            "en-US-",
            "fr CA",
            "1en",
            "en-a",
            "en-x",
            "x",
            "a-DE",
            "ar-a-aaa-b-bbb-a-ccc-",
            "en-toolongsubtag",
            "é",
            "abcd",
        ] {
            assert!(!is_well_formed(tag), "{tag:?} should be malformed");
        }
        assert!(!is_well_formed(&format!("en-{}", "x-abc".repeat(20))));
        // Compact: the order of script, region and variants is not checked.
        assert!(is_well_formed("en-US-Latn"));
    }

    #[test]
    fn user_languages_add_primary_subtags_without_repeats() {
        assert_eq!(
            user_languages(Some("fr-CA"), Some("fr-CA fr en-GB  EN zh_CN")),
            ["fr-CA", "fr", "en-GB", "en"]
        );
        assert_eq!(user_languages(None, None), Vec::<&str>::new());
        let many = "aa ab ac ad ae af ag ah ai aj ak al am an ao ap aq ar as at";
        assert_eq!(user_languages(None, Some(many)).len(), MAX_USER_LANGUAGES);
    }

    #[test]
    fn a_bare_language_serves_its_regions_but_not_the_reverse() {
        assert!(serves("fr", "fr-CA"));
        assert!(serves("FR-ca", "fr-CA"));
        assert!(!serves("fr-CA", "fr"));
        assert!(!serves("fr-FR", "fr-CA"));
        assert!(!serves("zh-Hant", "zh-Hant-TW"));
    }
}
