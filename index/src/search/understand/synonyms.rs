//! Domain synonyms, read from a plain text file at query time: editing the
//! file changes what queries find without a reindex. One group per line,
//! comma-separated, multi-word phrases allowed; `#` starts a comment.

use super::{Alternative, Group, Source};
use crate::analysis::analyzer::analyze;

const BUILTIN: &str = include_str!("../../../data/synonyms.txt");

/// Synonym groups, each phrase as analyzed terms.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Phrase>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// As written in the file.
    pub text: String,
    /// Analyzed, as the index sees it.
    pub terms: Vec<String>,
}

impl Synonyms {
    /// The synonyms shipped with rolesearch (`index/data/synonyms.txt`).
    pub fn builtin() -> Synonyms {
        Synonyms::parse(BUILTIN)
    }

    /// Reads the synonym file format. Lines with fewer than two phrases are
    /// ignored.
    pub fn parse(text: &str) -> Synonyms {
        let mut analyzer = crate::analysis::analyzer::text_analyzer(crate::analysis::Language::En);
        let mut groups = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut group: Vec<Phrase> = Vec::new();
            for phrase in line.split(',') {
                let terms: Vec<String> = analyze(&mut analyzer, phrase)
                    .into_iter()
                    .map(|t| t.term)
                    .collect();
                if !terms.is_empty() && !group.iter().any(|p| p.terms == terms) {
                    group.push(Phrase {
                        text: phrase.trim().to_string(),
                        terms,
                    });
                }
            }
            if group.len() >= 2 {
                groups.push(group);
            }
        }
        Synonyms { groups }
    }

    /// Reads a synonym file from disk.
    pub fn from_file(path: &std::path::Path) -> std::io::Result<Synonyms> {
        Ok(Synonyms::parse(&std::fs::read_to_string(path)?))
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every phrase of the group that contains `phrase` (as written in the
    /// file), as alternatives.
    pub fn alternatives_of(&self, phrase: &str) -> Vec<Alternative> {
        self.groups
            .iter()
            .filter(|g| g.iter().any(|p| p.text == phrase))
            .flatten()
            .map(|p| Alternative {
                text: p.text.clone(),
                terms: p.terms.clone(),
                source: Source::Synonym,
            })
            .collect()
    }

    /// The longest synonym phrase that `terms` starts with, and the other
    /// phrases of its group(s).
    pub fn match_at(&self, terms: &[String]) -> Option<(usize, Vec<&Phrase>)> {
        let mut best: Option<(usize, Vec<&Phrase>)> = None;
        for group in &self.groups {
            for phrase in group {
                let n = phrase.terms.len();
                if n <= terms.len()
                    && phrase.terms[..] == terms[..n]
                    && best.as_ref().is_none_or(|(m, _)| n >= *m)
                {
                    let others: Vec<&Phrase> =
                        group.iter().filter(|p| p.terms != phrase.terms).collect();
                    match &mut best {
                        Some((m, list)) if *m == n => list.extend(others),
                        _ => best = Some((n, others)),
                    }
                }
            }
        }
        best
    }
}

/// Merges runs of groups that spell a synonym phrase into one group whose
/// alternatives are the other phrases of its synonym group.
pub(super) fn apply_synonyms(groups: Vec<Group>, synonyms: &Synonyms) -> Vec<Group> {
    if synonyms.is_empty() {
        return groups;
    }
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    let mut i = 0;
    while i < groups.len() {
        if groups[i].quoted || groups[i].role.is_some() || groups[i].stop {
            out.push(groups[i].clone());
            i += 1;
            continue;
        }
        // Terms of the following plain groups (stop words included: "go to
        // market"), with the group each came from.
        let mut terms = Vec::new();
        let mut owner = Vec::new();
        for (k, g) in groups[i..].iter().enumerate() {
            if g.quoted || g.role.is_some() {
                break;
            }
            for t in &g.terms {
                terms.push(t.clone());
                owner.push(i + k);
            }
        }
        match synonyms.match_at(&terms) {
            Some((n, others)) if n > 0 && !others.is_empty() => {
                let last = owner[n - 1];
                let merged: Vec<&Group> = groups[i..=last].iter().collect();
                out.push(Group {
                    raw: merged
                        .iter()
                        .map(|g| g.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    terms: terms[..n].to_vec(),
                    quoted: false,
                    stop: false,
                    role: None,
                    alternatives: others
                        .into_iter()
                        .map(|p| Alternative {
                            text: p.text.clone(),
                            terms: p.terms.clone(),
                            source: Source::Synonym,
                        })
                        .collect(),
                    unknown: false,
                    searched: 0,
                });
                i = last + 1;
            }
            _ => {
                out.push(groups[i].clone());
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_by_analyzed_terms_longest_first() {
        let s = Synonyms::parse("backlog grooming, backlog refinement, refinement\npay, salary");
        let terms = |t: &str| {
            analyze(
                &mut crate::analysis::analyzer::text_analyzer(crate::analysis::Language::En),
                t,
            )
            .into_iter()
            .map(|t| t.term)
            .collect::<Vec<_>>()
        };
        let (n, others) = s.match_at(&terms("backlog grooming tips")).unwrap();
        assert_eq!(n, 2);
        let texts: Vec<&str> = others.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["backlog refinement", "refinement"]);
        let (n, others) = s.match_at(&terms("salaries")).unwrap();
        assert_eq!((n, others[0].text.as_str()), (1, "pay"));
        assert!(s.match_at(&terms("backlog")).is_none());
    }

    #[test]
    fn the_builtin_file_parses() {
        assert!(Synonyms::builtin().len() >= 5);
    }
}
