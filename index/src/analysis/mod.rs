//! What a word is: text in, terms out. One tokenizer chain (split on
//! anything but letters and digits, lower-case, fold accents, British
//! spellings made American, stem) used the same way by the index, the
//! query's understanding, the vocabulary and the highlighter, so all agree.

pub(crate) mod analyzer;
pub(crate) mod spelling;
