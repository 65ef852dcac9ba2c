//! The languages text is analyzed in: each piece in its article's locale's
//! language, each query in the languages it is limited to. Every language
//! tantivy's stemmer covers that career sites commonly write in gets its
//! stemmer; any other locale is analyzed plainly (words folded, unstemmed).

use tantivy::tokenizer::Language as Stemming;

/// A language of analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    #[default]
    En,
    Fr,
    De,
    Es,
    It,
    Nl,
    Pt,
    Sv,
    Da,
    No,
    Fi,
    /// A locale in no supported language: plain analysis.
    Other,
}

impl Language {
    /// Every language, in field order.
    pub const ALL: [Language; 12] = [
        Language::En,
        Language::Fr,
        Language::De,
        Language::Es,
        Language::It,
        Language::Nl,
        Language::Pt,
        Language::Sv,
        Language::Da,
        Language::No,
        Language::Fi,
        Language::Other,
    ];

    /// Its ISO 639-1 code (`other` for the plain analysis).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::De => "de",
            Language::Es => "es",
            Language::It => "it",
            Language::Nl => "nl",
            Language::Pt => "pt",
            Language::Sv => "sv",
            Language::Da => "da",
            Language::No => "no",
            Language::Fi => "fi",
            Language::Other => "other",
        }
    }

    /// The language of an ISO 639-1 code; `None` for any other.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| *l != Language::Other && l.code() == code)
    }

    /// The language a locale ("fr", "fr-CA", "pt_BR", "nb") is analyzed in.
    pub fn of_locale(locale: &str) -> Language {
        let code = indexer::language_of(locale);
        match code.as_str() {
            // Norwegian Bokmål and Nynorsk share the Norwegian stemmer.
            "nb" | "nn" => Language::No,
            _ => Language::from_code(&code).unwrap_or(Language::Other),
        }
    }

    /// Its position in [`Language::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stemmer of the language, if it has one.
    pub fn stemming(self) -> Option<Stemming> {
        Some(match self {
            Language::En => Stemming::English,
            Language::Fr => Stemming::French,
            Language::De => Stemming::German,
            Language::Es => Stemming::Spanish,
            Language::It => Stemming::Italian,
            Language::Nl => Stemming::Dutch,
            Language::Pt => Stemming::Portuguese,
            Language::Sv => Stemming::Swedish,
            Language::Da => Stemming::Danish,
            Language::No => Stemming::Norwegian,
            Language::Fi => Stemming::Finnish,
            Language::Other => return None,
        })
    }

    /// The name of the taxonomy's role titles to read text of this
    /// language with (the English ones count in every language).
    pub fn roles(self) -> indexer::Languages<'static> {
        indexer::Languages::Of(match self {
            Language::Other => "en",
            other => other.code(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_their_language_and_unknown_ones_to_plain_analysis() {
        assert_eq!(Language::of_locale("fr"), Language::Fr);
        assert_eq!(Language::of_locale("fr-CA"), Language::Fr);
        assert_eq!(Language::of_locale("pt_BR"), Language::Pt);
        assert_eq!(Language::of_locale("nb"), Language::No);
        assert_eq!(Language::of_locale("EN-gb"), Language::En);
        assert_eq!(Language::of_locale("ja"), Language::Other);
        assert_eq!(Language::of_locale("other"), Language::Other);
    }
}
