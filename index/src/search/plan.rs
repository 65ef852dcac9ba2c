//! The ranking model, engine-neutral: an understood query becomes a plan
//! of what must match, what scores extra and what filters, with every
//! weight decided here. An engine executes a plan as it is written: each
//! [`Requirement`] must be met (its matching [`Match`]es add up), each
//! [`Bonus`] that matches adds its score, [`Plan::kind_bonus`] is added by
//! piece kind, and [`Filters`] restrict without scoring. The tantivy engine
//! (`crate::embedded::query`) turns it into tantivy queries; another engine
//! would turn it into its own query language and rank the same.

use indexer::PieceKind;

use super::understand::{Group, ParsedQuery, Source, Understanding};
use crate::analysis::Language;

/// Field weights: a match in a heading counts more than one in body text,
/// and the article title most.
const W_TEXT: f32 = 1.0;
const W_HEADING: f32 = 1.6;
const W_TITLE: f32 = 2.2;
const W_DESCRIPTION: f32 = 0.6;
const W_CONTEXT: f32 = 0.4;
/// Extra score for a piece of a kind that answers by itself.
const KIND_BONUS_HEADING: f32 = 0.8;
const KIND_BONUS_TITLE: f32 = 1.2;
/// Extra score when all the words appear together, in order.
const W_PHRASE: f32 = 1.5;
/// Extra score for a piece mainly about (or mentioning) a role the query names.
const ROLE_MAIN: f32 = 4.0;
const ROLE_MENTION: f32 = 1.0;
/// What a role name scores when it matches by tag rather than by its words.
const ROLE_TAG_MAIN: f32 = 1.0;
const ROLE_TAG_MENTION: f32 = 0.5;
/// Extra score for a piece about both roles of a comparison.
const COMPARISON_BOTH: f32 = 6.0;
const COMPARISON_HEADING: f32 = 3.0;
/// Heading words that set roles side by side ("PO vs BA: the quick
/// version", "Comparison table"), analyzed.
const COMPARISON_HEADINGS: [&str; 5] = ["vs", "versus", "comparison", "compar", "differ"];
/// Extra score for the definition section of the role asked about.
const DEFINITION: f32 = 8.0;
/// Weights of alternatives, relative to what was typed.
const W_SYNONYM: f32 = 0.8;
const W_CORRECTION: f32 = 0.7;
const W_COMPLETION: f32 = 0.5;
/// Phrases of more words than this are not worth a phrase bonus.
const MAX_PHRASE: usize = 12;

/// Where a piece's words are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The piece's own text.
    Text,
    /// Its heading path (a title piece: the title).
    Heading,
    /// The article title, on title pieces.
    Title,
    /// The article description and SEO text, on title pieces.
    Description,
    /// The article title on every other piece: weak context, no positions.
    Context,
}

/// How strongly a piece is tagged with a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Filed under the role: mainly about it (or its article is).
    Main,
    /// Only mentions it.
    Mention,
}

/// One way to meet a requirement or earn a bonus.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    /// The terms in `field`: one term, or several as a phrase (in order,
    /// adjacent), scored by the engine's text relevance times `weight`.
    Terms {
        field: Field,
        terms: Vec<String>,
        weight: f32,
    },
    /// Every one of the terms in `field`, in any order, scored times `weight`.
    AllTerms {
        field: Field,
        terms: Vec<String>,
        weight: f32,
    },
    /// The terms as a phrase with up to `slop` words between or out of
    /// place, scored times `weight`.
    Phrase {
        field: Field,
        terms: Vec<String>,
        slop: u32,
        weight: f32,
    },
    /// Pieces tagged with the role: a constant `score`.
    Role { role: String, tag: Tag, score: f32 },
    /// Pieces tagged (main or mention) with both roles: a constant `score`.
    BothRoles { roles: [String; 2], score: f32 },
    /// A heading term, for a constant `score`.
    HeadingTerm { term: String, score: f32 },
    /// A heading that opens like a definition question and names the role
    /// (any of `openings` and any of `names`, each one term or a phrase),
    /// but not one with `unless` in it: a constant `score`.
    Definition {
        openings: Vec<Vec<String>>,
        names: Vec<Vec<String>>,
        unless: String,
        score: f32,
    },
}

/// Something every matching piece must satisfy: any of its matches; the
/// scores of those that match add up.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub any: Vec<Match>,
}

/// Restrictions that add no score; each list is "any of", empty is "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Role ids a piece must be filed under.
    pub roles: Vec<String>,
    /// Categories the piece's article must be in.
    pub categories: Vec<String>,
    /// Locales the piece's article must be in, lower case, exactly as the
    /// index has them.
    pub locales: Vec<String>,
    /// Piece kinds.
    pub kinds: Vec<PieceKind>,
}

/// The query as read in one language, for the pieces of that language:
/// their words are in that language's fields, analyzed its way.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub language: Language,
    /// Every one must be met; none at all: the branch matches nothing.
    pub requirements: Vec<Requirement>,
    /// Each adds its score to the pieces it matches.
    pub bonuses: Vec<Match>,
}

/// What an engine runs. A piece matches when the branch of its language
/// matches it (a query read in several languages has one branch each).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub branches: Vec<Branch>,
    /// Added to a piece's score by its kind.
    pub kind_bonus: Vec<(PieceKind, f32)>,
    pub filters: Filters,
    /// No words: the title pieces of the articles the filters let through,
    /// all with the same score.
    pub browse: bool,
}

impl Plan {
    /// The plan of an understood query: a branch per reading.
    pub fn of(understanding: &Understanding, filters: Filters) -> Plan {
        Plan {
            branches: understanding.readings.iter().map(branch).collect(),
            kind_bonus: vec![
                (PieceKind::Heading, KIND_BONUS_HEADING),
                (PieceKind::Title, KIND_BONUS_TITLE),
            ],
            filters,
            browse: false,
        }
    }

    /// Browsing without words: the articles the filters let through.
    pub fn browse(filters: Filters) -> Plan {
        Plan {
            branches: Vec::new(),
            kind_bonus: Vec::new(),
            filters,
            browse: true,
        }
    }

    /// The same plan with other filters.
    pub fn filtered(&self, filters: Filters) -> Plan {
        Plan {
            filters,
            ..self.clone()
        }
    }

    /// Whether nothing can match (no branch with a requirement, and not
    /// browsing).
    pub fn matches_nothing(&self) -> bool {
        !self.browse && self.branches.iter().all(|b| b.requirements.is_empty())
    }
}

/// The branch of one reading.
fn branch(parsed: &ParsedQuery) -> Branch {
    let requirements: Vec<Requirement> = parsed
        .groups
        .iter()
        .filter(|g| !g.stop)
        .map(requirement)
        .collect();
    let bonuses = if requirements.is_empty() {
        Vec::new()
    } else {
        bonuses_of(parsed)
    };
    Branch {
        language: parsed.language,
        requirements,
        bonuses,
    }
}

/// What a group must match: its terms (or an alternative's) in the text,
/// heading or title, the article title as context, or, for a role name,
/// the role's tag.
fn requirement(group: &Group) -> Requirement {
    let mut variants: Vec<(&[String], f32)> = Vec::new();
    if !group.unknown {
        variants.push((&group.terms, 1.0));
    }
    for alt in &group.alternatives {
        let weight = match alt.source {
            Source::Synonym => W_SYNONYM,
            Source::Correction => W_CORRECTION,
            Source::Completion => W_COMPLETION,
        };
        variants.push((&alt.terms, weight));
    }
    let mut any = Vec::new();
    // The article title as context: all the terms, in any order (the
    // field has no positions).
    for (terms, weight) in &variants {
        any.push(Match::AllTerms {
            field: Field::Context,
            terms: terms.to_vec(),
            weight: W_CONTEXT * weight,
        });
    }
    for (terms, variant_weight) in &variants {
        for (field, weight) in [
            (Field::Text, W_TEXT),
            (Field::Heading, W_HEADING),
            (Field::Title, W_TITLE),
            (Field::Description, W_DESCRIPTION),
        ] {
            any.push(Match::Terms {
                field,
                terms: terms.to_vec(),
                weight: weight * variant_weight,
            });
        }
    }
    if let Some(role) = &group.role {
        any.push(Match::Role {
            role: role.clone(),
            tag: Tag::Main,
            score: ROLE_TAG_MAIN,
        });
        any.push(Match::Role {
            role: role.clone(),
            tag: Tag::Mention,
            score: ROLE_TAG_MENTION,
        });
    }
    Requirement { any }
}

fn bonuses_of(parsed: &ParsedQuery) -> Vec<Match> {
    let mut bonuses = Vec::new();
    // All the meaningful words together, in order (a little slop for the
    // words dropped between them), outrank the same words scattered.
    let all: Vec<String> = parsed
        .groups
        .iter()
        .filter(|g| !g.stop)
        .flat_map(|g| g.terms.iter().cloned())
        .collect();
    if all.len() >= 2 && all.len() <= MAX_PHRASE {
        for (field, weight) in [
            (Field::Text, W_PHRASE),
            (Field::Heading, W_PHRASE * W_HEADING),
        ] {
            bonuses.push(Match::Phrase {
                field,
                terms: all.clone(),
                slop: 2,
                weight,
            });
        }
    }
    // The question as typed, stop words included ("what is a product
    // owner"), is how headings read: matching it whole is a strong sign.
    let every: Vec<String> = parsed
        .groups
        .iter()
        .flat_map(|g| g.terms.iter().cloned())
        .collect();
    if every.len() > all.len() && every.len() >= 2 && every.len() <= MAX_PHRASE {
        for (field, weight) in [
            (Field::Heading, W_PHRASE * W_HEADING * 1.5),
            (Field::Title, W_PHRASE * W_TITLE),
        ] {
            bonuses.push(Match::Phrase {
                field,
                terms: every.clone(),
                slop: 1,
                weight,
            });
        }
    }
    for role in &parsed.roles {
        bonuses.push(Match::Role {
            role: role.clone(),
            tag: Tag::Main,
            score: ROLE_MAIN,
        });
        bonuses.push(Match::Role {
            role: role.clone(),
            tag: Tag::Mention,
            score: ROLE_MENTION,
        });
    }
    if let Some((a, b)) = &parsed.comparison {
        bonuses.push(Match::BothRoles {
            roles: [a.clone(), b.clone()],
            score: COMPARISON_BOTH,
        });
        for cue in COMPARISON_HEADINGS {
            bonuses.push(Match::HeadingTerm {
                term: cue.to_string(),
                score: COMPARISON_HEADING,
            });
        }
    }
    if parsed.definition.is_some() && !parsed.definition_names.is_empty() {
        // The section under "What is a …?" / "What does a … do?" whose
        // heading names the role asked about.
        bonuses.push(Match::Definition {
            openings: parsed.definition_openings.clone(),
            names: parsed.definition_names.clone(),
            unless: "vs".into(),
            score: DEFINITION,
        });
    }
    bonuses
}
