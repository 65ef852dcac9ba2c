//! One search, step by step: understand the text, match the plan, relax it
//! when nothing matched, count facets, take the page, and turn it into
//! hits with sections and snippets. Every step but matching is the same on
//! every engine.

use super::engine::{Page, Reader};
use super::hits;
use super::options::OpenOptions;
use super::plan::{Filters, Plan};
use super::relax::relax;
use super::request::SearchRequest;
use super::response::{FacetDistribution, Relaxed, SearchResponse, Understood};
use super::understand::{self, did_you_mean, display_text, understood, ParsedQuery};
use crate::analysis::analyzer::Analyzers;
use crate::error::Result;

pub(crate) fn run(
    options: &OpenOptions,
    reader: &dyn Reader,
    request: &SearchRequest,
    roles: &[String],
    a: &mut Analyzers,
) -> Result<SearchResponse> {
    // Understand.
    let vocab = reader.vocabulary();
    let mut parsed = understand::parse(
        &request.q,
        &mut a.text,
        &options.taxonomy,
        &options.synonyms,
    );
    understand::expand_and_reparse(
        &mut parsed,
        vocab,
        &mut a.words,
        &mut a.text,
        &options.taxonomy,
        &options.synonyms,
    );
    let mut understood = understood(&parsed);
    let mut response = SearchResponse {
        query: request.q.clone(),
        processing_time_ms: 0.0,
        estimated_total_hits: 0,
        offset: request.offset,
        limit: request.limit,
        hits: Vec::new(),
        facet_distribution: FacetDistribution::default(),
        understood: Understood::default(),
    };
    // No words but a filter: browse the articles filed under it.
    let browsing = parsed.is_empty();
    if browsing && roles.is_empty() && request.categories.is_empty() {
        response.understood = understood;
        return Ok(response);
    }
    let filters = Filters {
        roles: roles.to_vec(),
        categories: request.categories.clone(),
        kinds: Vec::new(),
    };
    let plan_of = |parsed: &ParsedQuery| {
        if browsing {
            Plan::browse(filters.clone())
        } else {
            Plan::of(parsed, filters.clone())
        }
    };
    let page = Page {
        offset: request.offset,
        limit: request.limit,
        sections: request.sections,
    };

    // Match.
    let mut ranked = reader.rank(&plan_of(&parsed), page)?;

    // Relax when nothing matched: suggest spellings, and answer a query
    // with the least informative words dropped (no dead ends).
    if ranked.articles == 0 && !browsing {
        understood.did_you_mean = did_you_mean(&parsed, vocab, &mut a.words);
        if let Some((relaxed, dropped)) = relax(reader, &parsed, &filters)? {
            let text = display_text(&relaxed);
            understood.relaxed = Some(Relaxed {
                dropped,
                query: text.clone(),
            });
            understood.showing_results_for = Some(text);
            ranked = reader.rank(&plan_of(&relaxed), page)?;
            parsed = relaxed;
        }
    }
    response.understood = understood;
    response.estimated_total_hits = ranked.articles;

    // Facets, largest first.
    let mut role = ranked.facets.roles;
    role.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut category = ranked.facets.categories;
    category.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    response.facet_distribution = FacetDistribution { role, category };

    // Hits.
    let terms = parsed.highlight_terms();
    response.hits = ranked
        .hits
        .iter()
        .map(|hit| hits::hit(options, hit, &terms, &mut a.text))
        .collect();
    Ok(response)
}
