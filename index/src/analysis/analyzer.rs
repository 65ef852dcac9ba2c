//! The text analyzers, registered by name on every opened index (tantivy
//! does not store analyzers), and used the same way by the query builder,
//! the vocabulary and the highlighter so that all agree on what a word is.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};

use crate::analysis::spelling::Americanize;

/// The analyzer of searchable text: English, stemmed.
pub const TEXT_ANALYZER: &str = "rolesearch_en";
/// The analyzer of the vocabulary: whole words, not stemmed.
pub const WORDS_ANALYZER: &str = "rolesearch_words";

/// Words split on anything but letters and digits, lower-cased, accents
/// folded, British spellings made American, stemmed.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Americanize)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The same words, whole: what typo correction and prefixes look up.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Americanize)
        .build()
}

/// Registers the analyzers on an index.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
    index
        .tokenizers()
        .register(WORDS_ANALYZER, words_analyzer());
}

/// The analyzers a query needs, pooled together (an analyzer needs `&mut`).
pub(crate) struct Analyzers {
    pub text: TextAnalyzer,
    pub words: TextAnalyzer,
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
