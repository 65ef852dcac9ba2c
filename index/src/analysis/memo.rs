//! A word-level filter chain (British spellings, stemming) remembered per
//! word: analysis repeats the same words all the time (a section's heading
//! path and its article's title are analyzed again with every piece), and
//! stemming was the largest single cost of a build. The chain is run once
//! per distinct word and its answer reused, so every token comes out
//! exactly as the chain alone would make it.

use std::collections::HashMap;

use tantivy::tokenizer::{
    RawTokenizer, TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words remembered by one analyzer before it starts afresh:
/// a few megabytes at most.
const MAX_WORDS: usize = 32_768;

/// Runs `chain` (filters that change each token's text alone) on each
/// token, remembering the answer per word.
#[derive(Clone)]
pub struct Memo {
    chain: TextAnalyzer,
    known: HashMap<String, String>,
}

impl Memo {
    /// `chain`: a [`RawTokenizer`] followed by the word-level filters.
    pub fn new(chain: impl FnOnce(TextAnalyzerBuilder<RawTokenizer>) -> TextAnalyzer) -> Memo {
        Memo {
            chain: chain(TextAnalyzer::builder(RawTokenizer::default())),
            known: HashMap::new(),
        }
    }
}

impl TokenFilter for Memo {
    type Tokenizer<T: Tokenizer> = MemoFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoFilter<T> {
        MemoFilter {
            inner: tokenizer,
            memo: self,
        }
    }
}

#[derive(Clone)]
pub struct MemoFilter<T> {
    inner: T,
    memo: Memo,
}

impl<T: Tokenizer> Tokenizer for MemoFilter<T> {
    type TokenStream<'a> = MemoStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
        }
    }
}

pub struct MemoStream<'a, S> {
    tail: S,
    memo: &'a mut Memo,
}

impl Memo {
    /// What the chain makes of `word`.
    fn word(&mut self, word: &str) -> &str {
        if !self.known.contains_key(word) {
            if self.known.len() >= MAX_WORDS {
                self.known.clear();
            }
            let mut stream = self.chain.token_stream(word);
            let out = if stream.advance() {
                stream.token().text.clone()
            } else {
                word.to_string()
            };
            self.known.insert(word.to_string(), out);
        }
        &self.known[word]
    }
}

impl<S: TokenStream> TokenStream for MemoStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let out = self.memo.word(&token.text);
        if out != token.text.as_str() {
            token.text.clear();
            token.text.push_str(out);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, Stemmer};

    use super::*;
    use crate::analysis::analyzer::{analyze, text_analyzer};
    use crate::analysis::spelling::Americanize;
    use crate::analysis::Language;

    #[test]
    fn remembered_words_come_out_exactly_as_the_filters_alone_make_them() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Americanize)
            .filter(Stemmer::new(tantivy::tokenizer::Language::English))
            .build();
        let mut remembered = text_analyzer(Language::En);
        let text = "Prioritising the backlog: the Product Owner prioritises, \
                    organises and analyses; organising, analysing, running runs ran. \
                    Café owners' colours — the colour of a café.";
        // Twice: the second pass answers from what the first remembered.
        for _ in 0..2 {
            assert_eq!(analyze(&mut remembered, text), analyze(&mut plain, text));
        }
        // Languages stem before folding accents: the same, step by step.
        let mut plain_fr = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(tantivy::tokenizer::Language::French))
            .filter(AsciiFoldingFilter)
            .build();
        let mut french = text_analyzer(Language::Fr);
        let text = "les équipes équipe Équipes, les équipes";
        let words = analyze(&mut french, text);
        assert_eq!(words, analyze(&mut plain_fr, text));
        assert!(
            words[1..4].iter().all(|t| t.term == words[1].term),
            "{words:?}"
        );
    }
}
