//! What a word is: text in, terms out, per language. One tokenizer chain
//! per language (split on anything but letters and digits, lower-case,
//! stem, fold accents; British spellings made American in English), used
//! the same way by the index, the query's understanding, the vocabulary and
//! the highlighter, so all agree.

pub(crate) mod analyzer;
pub(crate) mod language;
pub(crate) mod memo;
pub(crate) mod spelling;

pub use language::Language;
