//! The text analyzers, registered by name on every opened index (tantivy
//! does not store analyzers), and used the same way by the query builder,
//! the vocabulary and the highlighter so that all agree on what a word is.

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenStream,
};

use crate::analysis::language::Language;
use crate::analysis::memo::Memo;
use crate::analysis::spelling::Americanize;

/// The name an index knows the text analyzer of `language` by.
pub fn text_analyzer_name(language: Language) -> String {
    format!("rolesearch_text_{}", language.code())
}

/// The name an index knows the vocabulary analyzer of `language` by.
pub fn words_analyzer_name(language: Language) -> String {
    format!("rolesearch_words_{}", language.code())
}

/// Searchable text: words split on anything but letters and digits,
/// lower-cased, stemmed in the language, accents folded. English folds
/// accents first and makes British spellings American before stemming
/// (prioritise is prioritize); the other languages stem the accented words
/// their stemmers expect, then fold (équipes, equipe and équipe meet).
pub fn text_analyzer(language: Language) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match (language, language.stemming()) {
        // The word-level steps are remembered per word (see `Memo`).
        (Language::En, Some(stemming)) => base
            .filter(AsciiFoldingFilter)
            .filter(Memo::new(|word| {
                word.filter(Americanize)
                    .filter(Stemmer::new(stemming))
                    .build()
            }))
            .build(),
        (_, Some(stemming)) => base
            .filter(Memo::new(|word| {
                word.filter(Stemmer::new(stemming)).build()
            }))
            .filter(AsciiFoldingFilter)
            .build(),
        (_, None) => base.filter(AsciiFoldingFilter).build(),
    }
}

/// The same words, whole: what typo correction and prefixes look up.
pub fn words_analyzer(language: Language) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    if language == Language::En {
        base.filter(Americanize).build()
    } else {
        base.build()
    }
}

/// Registers every language's analyzers on an index.
pub fn register(index: &tantivy::Index) {
    for language in Language::ALL {
        index
            .tokenizers()
            .register(&text_analyzer_name(language), text_analyzer(language));
        index
            .tokenizers()
            .register(&words_analyzer_name(language), words_analyzer(language));
    }
}

/// The analyzers a request needs, by language, made when first asked for
/// and pooled by the index (an analyzer needs `&mut`).
#[derive(Default)]
pub(crate) struct Analyzers {
    text: HashMap<Language, TextAnalyzer>,
    words: HashMap<Language, TextAnalyzer>,
}

impl Analyzers {
    pub fn text(&mut self, language: Language) -> &mut TextAnalyzer {
        self.text
            .entry(language)
            .or_insert_with(|| text_analyzer(language))
    }

    /// The text and the vocabulary analyzers of `language`, at once.
    pub fn both(&mut self, language: Language) -> (&mut TextAnalyzer, &mut TextAnalyzer) {
        let text = self
            .text
            .entry(language)
            .or_insert_with(|| text_analyzer(language));
        let words = self
            .words
            .entry(language)
            .or_insert_with(|| words_analyzer(language));
        (text, words)
    }
}

/// A token: its indexed form and where it came from in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub from: usize,
    pub to: usize,
}

/// Analyzes `text` into terms with byte offsets.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Token {
            term: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}
