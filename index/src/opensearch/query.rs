//! A [`Plan`] as OpenSearch query DSL, clause for clause as the embedded
//! engine builds it (`crate::embedded::query`): one `must` per
//! requirement (a `bool` of its matches as `should`, at least one), one
//! `should` per bonus, filters as unscored `filter` clauses; a query read
//! in several languages has one branch per language, each limited to its
//! language's pieces. Terms go as they are (the fields hold our analyzed
//! terms; see `mapping`). The one file that turns plan variants into DSL:
//! a new `Match` or filter is one arm here.

use serde_json::{json, Value};

use indexer::PieceKind;

use super::documents::term;
use super::mapping::field_name;
use crate::analysis::Language;
use crate::search::plan::{Branch, Field, Filters, Match, Plan, Tag};

/// The query of `plan` with `filters` instead of its own (a facet counted
/// without its own filter), without the kind bonus (`kind_bonus`).
pub(crate) fn build(plan: &Plan, filters: &Filters) -> Value {
    if plan.matches_nothing() {
        return json!({"match_none": {}});
    }
    let mut must: Vec<Value> = Vec::new();
    let mut should: Vec<Value> = Vec::new();
    if plan.browse {
        must.push(constant(kind_term(PieceKind::Title), 1.0));
    }
    let branches: Vec<&Branch> = plan
        .branches
        .iter()
        .filter(|b| !b.requirements.is_empty())
        .collect();
    match branches.as_slice() {
        [] => {}
        // One language: its clauses, as they are.
        [only] => push_branch(&mut must, &mut should, only),
        // Several: a piece matches the branch of its own language (the
        // role tags of one branch would match pieces of any language).
        several => {
            let any: Vec<Value> = several
                .iter()
                .map(|b| {
                    let (mut m, mut s) = (Vec::new(), Vec::new());
                    push_branch(&mut m, &mut s, b);
                    json!({"bool": {
                        "must": m,
                        "should": s,
                        "filter": [{"term": {"lang": b.language.code()}}],
                    }})
                })
                .collect();
            must.push(any_of(any));
        }
    }
    let mut filter = filter_clauses(filters);
    if !filters.kinds.is_empty() {
        let kinds: Vec<&str> = filters.kinds.iter().map(|k| k.as_str()).collect();
        filter.push(json!({"terms": {"kind": kinds}}));
    }
    json!({"bool": {"must": must, "should": should, "filter": filter}})
}

/// `query` with the plan's bonus by piece kind added to each piece.
pub(crate) fn with_kind_bonus(plan: &Plan, query: Value) -> Value {
    if plan.kind_bonus.is_empty() {
        return query;
    }
    let bonuses: Vec<Value> = plan
        .kind_bonus
        .iter()
        .map(|(kind, bonus)| constant(kind_term(*kind), *bonus))
        .collect();
    json!({"bool": {"must": [query], "should": bonuses}})
}

/// Role, category and locale filters, in that order (piece kinds are the
/// query's own: see [`build`]).
pub(crate) fn filter_clauses(filters: &Filters) -> Vec<Value> {
    let mut out = Vec::new();
    if !filters.roles.is_empty() {
        out.push(json!({"terms": {"role": filters.roles}}));
    }
    if !filters.categories.is_empty() {
        out.push(json!({"terms": {"category": filters.categories}}));
    }
    if !filters.locales.is_empty() {
        out.push(json!({"terms": {"locale": filters.locales}}));
    }
    out
}

/// A branch's requirements (`must`) and bonuses (`should`), its words in
/// the fields of its language.
fn push_branch(must: &mut Vec<Value>, should: &mut Vec<Value>, branch: &Branch) {
    let language = branch.language;
    for requirement in &branch.requirements {
        let any = requirement
            .any
            .iter()
            .map(|m| match_query(m, language))
            .collect();
        must.push(any_of(any));
    }
    for bonus in &branch.bonuses {
        should.push(match_query(bonus, language));
    }
}

fn tag_field(tag: Tag) -> &'static str {
    match tag {
        Tag::Main => "role",
        Tag::Mention => "mention",
    }
}

fn match_query(m: &Match, language: Language) -> Value {
    match m {
        Match::Terms {
            field,
            terms,
            weight,
        } => terms_query(&field_name(language, *field), terms, 0, *weight),
        Match::AllTerms {
            field,
            terms,
            weight,
        } => {
            let name = field_name(language, *field);
            let all: Vec<Value> = terms
                .iter()
                .map(|t| json!({"term": {&name: {"value": term(t)}}}))
                .collect();
            json!({"bool": {"must": all, "boost": weight}})
        }
        Match::Phrase {
            field,
            terms,
            slop,
            weight,
        } => terms_query(&field_name(language, *field), terms, *slop, *weight),
        Match::Role { role, tag, score } => {
            constant(json!({"term": {tag_field(*tag): role}}), *score)
        }
        Match::BothRoles { roles, score } => {
            let about = |role: &str| {
                any_of(vec![
                    json!({"term": {"role": role}}),
                    json!({"term": {"mention": role}}),
                ])
            };
            constant(
                json!({"bool": {"must": [about(&roles[0]), about(&roles[1])]}}),
                *score,
            )
        }
        Match::HeadingTerm { term: t, score } => constant(
            json!({"term": {field_name(language, Field::Heading): term(t)}}),
            *score,
        ),
        Match::Definition {
            openings,
            names,
            unless,
            score,
        } => {
            let heading = field_name(language, Field::Heading);
            let any = |list: &[Vec<String>]| {
                any_of(
                    list.iter()
                        .map(|terms| terms_query(&heading, terms, 0, 1.0))
                        .collect(),
                )
            };
            constant(
                json!({"bool": {
                    "must": [any(openings), any(names)],
                    "must_not": [{"term": {&heading: term(unless)}}],
                }}),
                *score,
            )
        }
    }
}

/// `terms` in `field`: a term, or a phrase (with `slop`) when there are
/// several, scored times `boost`.
fn terms_query(field: &str, terms: &[String], slop: u32, boost: f32) -> Value {
    match terms {
        [one] => json!({"term": {field: {"value": term(one), "boost": boost}}}),
        _ => {
            let phrase: Vec<_> = terms.iter().map(|t| term(t)).collect();
            json!({"match_phrase": {field: {
                "query": phrase.join(" "),
                "slop": slop,
                "boost": boost,
            }}})
        }
    }
}

/// At least one of `clauses`; the scores of those that match add up.
fn any_of(clauses: Vec<Value>) -> Value {
    json!({"bool": {"should": clauses, "minimum_should_match": 1}})
}

/// Matches what `filter` matches, for a constant `score`.
fn constant(filter: Value, score: f32) -> Value {
    json!({"constant_score": {"filter": filter, "boost": score}})
}

fn kind_term(kind: PieceKind) -> Value {
    json!({"term": {"kind": kind.as_str()}})
}

/// Every title piece: one per article.
pub(crate) fn titles() -> Value {
    kind_term(PieceKind::Title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::plan::Requirement;

    fn plan(branches: Vec<Branch>) -> Plan {
        Plan {
            branches,
            kind_bonus: vec![(PieceKind::Heading, 0.8)],
            filters: Filters::default(),
            browse: false,
        }
    }

    fn branch(language: Language) -> Branch {
        Branch {
            language,
            requirements: vec![Requirement {
                any: vec![Match::Terms {
                    field: Field::Text,
                    terms: vec!["backlog".into()],
                    weight: 1.0,
                }],
            }],
            bonuses: vec![Match::Phrase {
                field: Field::Heading,
                terms: vec!["product".into(), "owner".into()],
                slop: 2,
                weight: 1.5,
            }],
        }
    }

    #[test]
    fn a_plan_with_nothing_to_match_matches_nothing() {
        assert_eq!(
            build(&plan(vec![]), &Filters::default()),
            json!({"match_none": {}})
        );
    }

    #[test]
    fn one_language_is_its_clauses_and_several_are_limited_to_their_pieces() {
        let one = build(&plan(vec![branch(Language::En)]), &Filters::default());
        assert_eq!(
            one["bool"]["must"][0]["bool"]["should"][0],
            json!({"term": {"a.text_en": {"value": "backlog", "boost": 1.0}}})
        );
        assert_eq!(
            one["bool"]["should"][0]["match_phrase"]["a.heading_en"]["slop"],
            2
        );
        let two = build(
            &plan(vec![branch(Language::En), branch(Language::Fr)]),
            &Filters {
                roles: vec!["product-owner".into()],
                ..Filters::default()
            },
        );
        let branches = &two["bool"]["must"][0]["bool"]["should"];
        assert_eq!(
            branches[1]["bool"]["filter"][0],
            json!({"term": {"lang": "fr"}})
        );
        assert_eq!(
            two["bool"]["filter"][0],
            json!({"terms": {"role": ["product-owner"]}})
        );
    }
}
