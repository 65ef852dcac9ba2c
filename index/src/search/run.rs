//! One search, step by step: choose the locales and the languages to read
//! the query in, understand the text, match the plan, relax it when nothing
//! matched, count facets, take the page, and turn it into hits with
//! sections and snippets. Every step but matching is the same on every
//! engine.

use super::engine::{Page, Reader};
use super::hits;
use super::options::OpenOptions;
use super::plan::{Filters, Plan};
use super::relax::relax;
use super::request::SearchRequest;
use super::response::{FacetDistribution, Relaxed, SearchResponse, Understood};
use super::understand::{self, did_you_mean, display_text, understood, Understanding};
use crate::analysis::analyzer::Analyzers;
use crate::analysis::Language;
use crate::error::{Error, Result};

pub(crate) fn run(
    options: &OpenOptions,
    reader: &dyn Reader,
    request: &SearchRequest,
    roles: &[String],
    a: &mut Analyzers,
) -> Result<SearchResponse> {
    // Locales and languages.
    let totals = reader.totals()?;
    let available = &totals.locales;
    let categories = resolve_categories(&request.categories, &totals.categories)?;
    let default_locale = options.taxonomy.default_locale();
    let locales = matching_locales(&request.locales, available);
    let languages = if request.locales.is_empty() {
        index_languages(available, default_locale)
    } else {
        let chosen: Vec<&str> = if locales.is_empty() {
            request.locales.iter().map(String::as_str).collect()
        } else {
            locales.iter().map(String::as_str).collect()
        };
        languages_of(&chosen)
    };

    // Understand.
    let understanding = understand::understand(
        &request.q,
        &languages,
        &|language| reader.vocabulary(language),
        a,
        &options.taxonomy,
        &options.synonyms,
    );
    let mut understood = understood(understanding.primary());
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
    let browsing = understanding.is_empty();
    if browsing && roles.is_empty() && request.categories.is_empty() && request.locales.is_empty() {
        response.understood = understood;
        return Ok(response);
    }
    let filters = Filters {
        roles: roles.to_vec(),
        categories,
        locales: if request.locales.is_empty() {
            Vec::new()
        } else if locales.is_empty() {
            // Locales the index does not have: nothing matches them.
            request.locales.iter().map(|l| l.to_lowercase()).collect()
        } else {
            locales
        },
        kinds: Vec::new(),
    };
    let plan_of = |understanding: &Understanding, filters: Filters| {
        if browsing {
            Plan::browse(filters)
        } else {
            Plan::of(understanding, filters)
        }
    };
    let page = Page {
        offset: request.offset,
        limit: request.limit,
        sections: request.sections,
    };

    // Match.
    let mut understanding = understanding;
    let mut ranked = reader.rank(&plan_of(&understanding, filters.clone()), page)?;

    // Relax when nothing matched: suggest spellings, and answer a query
    // with the least informative words dropped (no dead ends).
    if ranked.articles == 0 && !browsing {
        let primary = understanding.primary();
        let (_, words) = a.both(primary.language);
        understood.did_you_mean = did_you_mean(primary, reader.vocabulary(primary.language), words);
        if let Some((relaxed, dropped)) = relax(reader, &understanding, &filters)? {
            let text = display_text(relaxed.primary());
            understood.relaxed = Some(Relaxed {
                dropped,
                query: text.clone(),
            });
            understood.showing_results_for = Some(text);
            ranked = reader.rank(&plan_of(&relaxed, filters.clone()), page)?;
            understanding = relaxed;
        }
    }
    response.understood = understood;
    response.estimated_total_hits = ranked.articles;

    // Facets, largest first; the locale facet as if its filter were not
    // set, with the query read in every language the index has.
    let mut facets = ranked.facets;
    if !filters.locales.is_empty() {
        let all_languages = index_languages(available, default_locale);
        let everywhere = if all_languages == languages {
            understanding.clone()
        } else {
            understand::understand(
                &request.q,
                &all_languages,
                &|language| reader.vocabulary(language),
                a,
                &options.taxonomy,
                &options.synonyms,
            )
        };
        let without = Filters {
            locales: Vec::new(),
            ..filters.clone()
        };
        facets.locales = reader.facets(&plan_of(&everywhere, without))?.locales;
    }
    let largest_first = |mut counts: Vec<(String, usize)>| {
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    };
    response.facet_distribution = FacetDistribution {
        role: largest_first(facets.roles),
        category: largest_first(facets.categories),
        locale: largest_first(facets.locales),
    };

    // Hits.
    response.hits = ranked
        .hits
        .iter()
        .map(|hit| {
            let language = hit.article.language();
            let terms = understanding.highlight_terms(language);
            hits::hit(options, hit, &terms, a.text(language))
        })
        .collect();
    Ok(response)
}

/// The index's locales that `requested` asks for: the same locale, the
/// regional ones of a bare language ("fr": "fr-ca" too), and the bare
/// language of a regional one ("fr-CA": "fr" too). Lower case.
pub(crate) fn matching_locales(requested: &[String], available: &[(String, usize)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for want in requested {
        let want = want.to_lowercase().replace('_', "-");
        let language = indexer::language_of(&want);
        for (have, _) in available {
            let have_norm = have.replace('_', "-");
            let matches = have_norm == want
                || (!want.contains('-') && indexer::language_of(&have_norm) == want)
                || (!have_norm.contains('-') && have_norm == language);
            if matches && !out.contains(have) {
                out.push(have.clone());
            }
        }
    }
    out
}

/// The index's names of the categories asked for, matched as roles are
/// (case and accents aside); one the index does not have is an error that
/// lists those it has.
fn resolve_categories(asked: &[String], known: &[(String, usize)]) -> Result<Vec<String>> {
    asked
        .iter()
        .map(|name| {
            let folded = indexer::fold(name.trim()).into_owned();
            known
                .iter()
                .find(|(k, _)| indexer::fold(k) == folded)
                .map(|(k, _)| k.clone())
                .ok_or_else(|| {
                    let mut names: Vec<String> = known.iter().map(|(k, _)| k.clone()).collect();
                    names.sort();
                    Error::UnknownCategory {
                        name: name.clone(),
                        known: names,
                    }
                })
        })
        .collect()
}

/// The languages of `locales`, in order, each once.
fn languages_of(locales: &[&str]) -> Vec<Language> {
    let mut out = Vec::new();
    for locale in locales {
        let language = Language::of_locale(locale);
        if !out.contains(&language) {
            out.push(language);
        }
    }
    if out.is_empty() {
        out.push(Language::En);
    }
    out
}

/// Every language the index has articles in, the default locale's first.
pub(crate) fn index_languages(
    available: &[(String, usize)],
    default_locale: &str,
) -> Vec<Language> {
    let mut locales: Vec<&str> = vec![default_locale];
    locales.extend(available.iter().map(|(l, _)| l.as_str()));
    let mut languages = languages_of(&locales);
    // The default locale's language leads only if the index has it (or
    // has nothing at all).
    let default = Language::of_locale(default_locale);
    let present = available
        .iter()
        .any(|(l, _)| Language::of_locale(l) == default);
    if !present && languages.len() > 1 {
        languages.retain(|l| *l != default);
    }
    languages
}
