//! A [`Plan`] as a tantivy query: one clause per requirement (`Must`), one
//! per bonus (`Should`), filters as unscored `Must` clauses. Built from
//! terms, never through tantivy's query parser.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Term};

use indexer::PieceKind;

use super::schema::{kind_code, Fields, LangFields};
use crate::search::plan::{Branch, Field, Filters, Match, Plan, Tag};

/// The tantivy query of `plan`.
pub(crate) fn build(plan: &Plan, f: &Fields) -> Box<dyn Query> {
    if plan.matches_nothing() {
        return Box::new(EmptyQuery);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if plan.browse {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(kind_query(f, PieceKind::Title), 1.0)),
        ));
    }
    let branches: Vec<&Branch> = plan
        .branches
        .iter()
        .filter(|b| !b.requirements.is_empty())
        .collect();
    match branches.as_slice() {
        [] => {}
        // One language: its clauses, as they are.
        [only] => push_branch(&mut clauses, only, f),
        // Several: a piece matches the branch of its own language (the
        // role tags of one branch would match pieces of any language).
        several => {
            let any: Vec<(Occur, Box<dyn Query>)> = several
                .iter()
                .map(|b| {
                    let mut branch = Vec::new();
                    push_branch(&mut branch, b, f);
                    branch.push((
                        Occur::Must,
                        Box::new(ConstScoreQuery::new(
                            Box::new(raw_term(f.lang, b.language.code())),
                            0.0,
                        )) as Box<dyn Query>,
                    ));
                    let q: Box<dyn Query> = Box::new(BooleanQuery::new(branch));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
    }
    push_filters(&mut clauses, &plan.filters, f);
    let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    if plan.filters.kinds.is_empty() {
        return query;
    }
    let kinds = plan
        .filters
        .kinds
        .iter()
        .map(|k| (Occur::Should, kind_query(f, *k)))
        .collect();
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(kinds)),
                0.0,
            )),
        ),
    ]))
}

/// A branch's requirements (`Must`) and bonuses (`Should`), its words in
/// the fields of its language.
fn push_branch(clauses: &mut Vec<(Occur, Box<dyn Query>)>, branch: &Branch, f: &Fields) {
    let lf = f.of(branch.language);
    for requirement in &branch.requirements {
        let any = requirement
            .any
            .iter()
            .map(|m| (Occur::Should, match_query(m, f, lf)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for bonus in &branch.bonuses {
        clauses.push((Occur::Should, match_query(bonus, f, lf)));
    }
}

/// Role, category and locale filters, in that order.
fn push_filters(clauses: &mut Vec<(Occur, Box<dyn Query>)>, filters: &Filters, f: &Fields) {
    if !filters.roles.is_empty() {
        clauses.push((Occur::Must, any_of(f.role, &filters.roles)));
    }
    if !filters.categories.is_empty() {
        clauses.push((Occur::Must, any_of(f.category, &filters.categories)));
    }
    if !filters.locales.is_empty() {
        clauses.push((Occur::Must, any_of(f.locale, &filters.locales)));
    }
}

fn field(lf: &LangFields, field: Field) -> tantivy::schema::Field {
    match field {
        Field::Text => lf.text,
        Field::Heading => lf.heading,
        Field::Title => lf.title,
        Field::Description => lf.description,
        Field::Context => lf.context,
    }
}

fn tag_field(f: &Fields, tag: Tag) -> tantivy::schema::Field {
    match tag {
        Tag::Main => f.role,
        Tag::Mention => f.mention,
    }
}

fn match_query(m: &Match, f: &Fields, lf: &LangFields) -> Box<dyn Query> {
    match m {
        Match::Terms {
            field: which,
            terms,
            weight,
        } => Box::new(BoostQuery::new(
            terms_query(field(lf, *which), terms),
            *weight,
        )),
        Match::AllTerms {
            field: which,
            terms,
            weight,
        } => {
            let all: Vec<(Occur, Box<dyn Query>)> = terms
                .iter()
                .map(|t| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field(lf, *which), t),
                        IndexRecordOption::WithFreqs,
                    ));
                    (Occur::Must, q)
                })
                .collect();
            Box::new(BoostQuery::new(Box::new(BooleanQuery::new(all)), *weight))
        }
        Match::Phrase {
            field: which,
            terms,
            slop,
            weight,
        } => {
            let at = field(lf, *which);
            let terms: Vec<(usize, Term)> = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(at, t)))
                .collect();
            Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new_with_offset_and_slop(terms, *slop)),
                *weight,
            ))
        }
        Match::Role { role, tag, score } => const_term(tag_field(f, *tag), role, *score),
        Match::BothRoles { roles, score } => {
            let about = |role: &str| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, const_term(f.role, role, 0.0)),
                    (Occur::Should, const_term(f.mention, role, 0.0)),
                ]))
            };
            let both: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Must, about(&roles[0])),
                (Occur::Must, about(&roles[1])),
            ]));
            Box::new(ConstScoreQuery::new(both, *score))
        }
        Match::HeadingTerm { term, score } => Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(lf.heading, term),
                IndexRecordOption::Basic,
            )),
            *score,
        )),
        Match::Definition {
            openings,
            names,
            unless,
            score,
        } => {
            let any = |list: &[Vec<String>]| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(
                    list.iter()
                        .map(|terms| (Occur::Should, terms_query(lf.heading, terms)))
                        .collect(),
                ))
            };
            let asks: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Must, any(openings)),
                (Occur::Must, any(names)),
                (
                    Occur::MustNot,
                    Box::new(TermQuery::new(
                        Term::from_field_text(lf.heading, unless),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]));
            Box::new(ConstScoreQuery::new(asks, *score))
        }
    }
}

/// Pieces of one kind.
fn kind_query(f: &Fields, kind: PieceKind) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(f.kind, kind_code(kind)),
        IndexRecordOption::Basic,
    ))
}

/// A filter: matches pieces with any of `values` in `field`, adding no score.
fn any_of(field: tantivy::schema::Field, values: &[String]) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(terms)),
        0.0,
    ))
}

fn const_term(field: tantivy::schema::Field, value: &str, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )),
        score,
    ))
}

/// Matches `terms` in a field: a term, or a phrase when there are several.
fn terms_query(field: tantivy::schema::Field, terms: &[String]) -> Box<dyn Query> {
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &terms[0]),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))
    }
}

/// Articles' title pieces and the pieces of one article: the lookups the
/// reader does by key and slug.
pub(crate) fn raw_term(field: tantivy::schema::Field, value: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )
}

/// Every title piece: one per article.
pub(crate) fn titles(f: &Fields) -> TermQuery {
    TermQuery::new(
        Term::from_field_u64(f.kind, kind_code(PieceKind::Title)),
        IndexRecordOption::Basic,
    )
}
