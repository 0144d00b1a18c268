//! The user's language, for choosing a template: Logto passes `payload.locale` (the sign-in page's
//! language) and, when the sign-in request had them, `payload.uiLocales` (space separated).
//! A Tencent template is one approved text in one language, so localising means choosing the id.

/// Longer tags are refused in a config and ignored in a message; real ones are far shorter.
pub const MAX_TAG_LEN: usize = 64;
/// How many of the user's languages are tried; `uiLocales` is client input.
pub const MAX_USER_LANGUAGES: usize = 16;

/// Whether `tag` is a well-formed BCP 47 language tag (RFC 5646 §2.1): the syntax only, not the
/// subtag registry, and not the grandfathered irregular tags (`i-klingon`). Case-insensitive.
pub fn is_well_formed(tag: &str) -> bool {
    if tag.is_empty() || tag.len() > MAX_TAG_LEN {
        return false;
    }
    let mut subtags = tag.split('-');
    let Some(language) = subtags.next() else {
        return false;
    };
    let alpha = |text: &str| text.bytes().all(|byte| byte.is_ascii_alphabetic());
    let alnum = |text: &str| text.bytes().all(|byte| byte.is_ascii_alphanumeric());
    if language.eq_ignore_ascii_case("x") {
        // Private use only: x-1*8alphanum, at least one.
        return private_use(subtags, alnum);
    }
    if !(alpha(language) && matches!(language.len(), 2..=3 | 5..=8)) {
        return false;
    }
    // Then, each at most in this order: up to 3 extlangs (only after a 2-3 letter language),
    // script, region, variants, extensions, private use.
    const EXTLANG: u8 = 0;
    const SCRIPT: u8 = 1;
    const REGION: u8 = 2;
    const VARIANT: u8 = 3;
    const EXTENSION: u8 = 4;
    let mut stage = if language.len() <= 3 { EXTLANG } else { SCRIPT };
    let mut extlangs = 0;
    while let Some(subtag) = subtags.next() {
        let length = subtag.len();
        let digits = subtag.bytes().all(|byte| byte.is_ascii_digit());
        if stage == EXTLANG && length == 3 && alpha(subtag) && extlangs < 3 {
            extlangs += 1;
        } else if stage <= SCRIPT && length == 4 && alpha(subtag) {
            stage = REGION;
        } else if (stage <= REGION && ((length == 2 && alpha(subtag)) || (length == 3 && digits)))
            || (stage <= VARIANT
                && alnum(subtag)
                && (matches!(length, 5..=8)
                    || (length == 4 && subtag.as_bytes().first().is_some_and(u8::is_ascii_digit))))
        {
            // A region, or a variant (region and variants come before any extension).
            stage = VARIANT;
        } else if length == 1 && subtag.eq_ignore_ascii_case("x") {
            return private_use(subtags, alnum);
        } else if length == 1 && alnum(subtag) {
            // An extension: a singleton, then one or more 2-8 character subtags.
            let mut count = 0;
            while subtags
                .clone()
                .next()
                .is_some_and(|next| matches!(next.len(), 2..=8) && alnum(next))
            {
                subtags.next();
                count += 1;
            }
            if count == 0 {
                return false;
            }
            stage = EXTENSION;
        } else {
            return false;
        }
    }
    true
}

fn private_use<'a>(subtags: impl Iterator<Item = &'a str>, alnum: impl Fn(&str) -> bool) -> bool {
    let mut any = false;
    for subtag in subtags {
        if !(matches!(subtag.len(), 1..=8) && alnum(subtag)) {
            return false;
        }
        any = true;
    }
    any
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
    let tags = locale
        .into_iter()
        .chain(ui_locales.into_iter().flat_map(str::split_ascii_whitespace));
    for tag in tags.filter(|tag| is_well_formed(tag)) {
        if languages.len() >= MAX_USER_LANGUAGES {
            break;
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
    let find = |usage: &str, wanted: &dyn Fn(Option<&str>) -> bool| {
        entries.iter().find(|entry| {
            key(entry).is_some_and(|(entry_usage, locale)| entry_usage == usage && wanted(locale))
        })
    };
    let for_language = |usage: &str, language: &str| {
        find(usage, &|locale| {
            locale.is_some_and(|tag| tag.eq_ignore_ascii_case(language))
        })
        .or_else(|| {
            find(usage, &|locale| {
                locale.is_some_and(|tag| serves(tag, language))
            })
        })
    };
    languages
        .iter()
        .find_map(|language| {
            let language = language.as_ref();
            for_language(usage_type, language).or_else(|| for_language(GENERIC, language))
        })
        .or_else(|| find(usage_type, &|locale| locale.is_none()))
        .or_else(|| find(GENERIC, &|locale| locale.is_none()))
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
            "de-419-DE",
            "en-US-Latn",
            "a-DE",
            "ar-a-aaa-b-bbb-a-ccc-",
            "en-toolongsubtag",
            "é",
            "abcd",
        ] {
            assert!(!is_well_formed(tag), "{tag:?} should be malformed");
        }
        assert!(!is_well_formed(&format!("en-{}", "x-abc".repeat(20))));
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
