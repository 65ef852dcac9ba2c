//! What understanding asks of an index: its words. Typo correction and
//! search as you type look words up in the vocabulary of whatever engine
//! holds the pieces, through this trait, so the same query is understood
//! the same way on every engine.

/// A word of the vocabulary and the number of articles it appears in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub word: String,
    pub articles: u64,
    /// Edits from the word looked up (0 for prefixes).
    pub distance: u8,
}

/// The words of an index, unstemmed, as one consistent view.
pub trait Vocabulary {
    /// In how many articles `word` appears (0: not a word here).
    fn articles(&self, word: &str) -> u64;
    /// Words within `distance` edits of `word` (a transposition is one
    /// edit), nearest then most common first, at most `limit`.
    fn near(&self, word: &str, distance: u8, limit: usize) -> Vec<Word>;
    /// Words that start with `prefix` (longer than it), most common first,
    /// at most `limit`.
    fn completions(&self, prefix: &str, limit: usize) -> Vec<Word>;
}
