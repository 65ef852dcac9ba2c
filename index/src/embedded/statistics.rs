//! BM25 statistics per language. tantivy scores a term with the number of
//! documents of the whole index (N) and the average length of its field
//! over all of them; a language's fields hold that language's pieces only,
//! so a language with few pieces would see every one of its terms as rare
//! and its pieces as short, and outrank every other language in a query
//! read in several. Here a language's fields are scored as if its pieces
//! were the whole index: its document frequencies and token counts are
//! scaled by N / N(language). An index of one language is scored exactly
//! as tantivy would.

use std::collections::HashMap;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::schema::Fields;
use crate::analysis::Language;

pub(crate) struct LanguageStatistics<'s> {
    searcher: &'s Searcher,
    /// N / N(language) of each scored field of a language with pieces.
    scale: HashMap<Field, f64>,
}

impl<'s> LanguageStatistics<'s> {
    pub fn new(searcher: &'s Searcher, fields: &Fields) -> tantivy::Result<Self> {
        let total = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let mut scale = HashMap::new();
        for language in Language::ALL {
            let pieces = searcher.doc_freq(&Term::from_field_text(fields.lang, language.code()))?;
            if pieces == 0 || pieces >= total {
                continue;
            }
            let factor = total as f64 / pieces as f64;
            let lf = fields.of(language);
            for field in [lf.text, lf.heading, lf.title, lf.description, lf.context] {
                scale.insert(field, factor);
            }
        }
        Ok(LanguageStatistics { searcher, scale })
    }

    fn scaled(&self, field: Field, value: u64, limit: Option<u64>) -> u64 {
        match self.scale.get(&field) {
            None => value,
            Some(factor) => {
                let scaled = (value as f64 * factor).round() as u64;
                limit.map_or(scaled, |l| scaled.min(l))
            }
        }
    }
}

impl Bm25StatisticsProvider for LanguageStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let tokens = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(self.scaled(field, tokens, None))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let found = self.searcher.doc_freq(term)?;
        let total = Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        Ok(self.scaled(term.field(), found, Some(total)))
    }
}
