//! The role taxonomy and the matcher that finds roles named in text.
//!
//! The taxonomy is data (`data/roles.json`, built in), so a site can extend
//! it without touching code. Matching is word-based: a role is named by its
//! name, an alias or a plural (any case, accents folded), or by an acronym
//! typed in capitals ("PO", "POs", "PM's", "PMs'"). The longest name wins,
//! so "Technical Product Managers" is the TPM and not also the PM. An
//! ambiguous acronym ("PM") means its default role unless the surrounding
//! words say otherwise.
//!
//! Names are per language: the English names (which many teams keep
//! everywhere) name a role in text of any language, and each role's
//! `languages` add the local titles ("chef de produit", "Produktmanagerin")
//! for text of that language only. Role ids are shared by all languages.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::TaxonomyError;

const BUILTIN: &str = include_str!("../data/roles.json");

/// One role of the taxonomy.
#[derive(Debug, Clone, Deserialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub plurals: Vec<String>,
    /// The role's titles in other languages, by ISO 639-1 code.
    #[serde(default)]
    pub languages: BTreeMap<String, LocalNames>,
}

/// A role's titles in one language.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LocalNames {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub plurals: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Ambiguity {
    acronym: String,
    default: String,
    cues: HashMap<String, Vec<String>>,
    /// Cue words in other languages, by language and role.
    #[serde(default)]
    languages: HashMap<String, HashMap<String, Vec<String>>>,
}

/// The languages whose role names count in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages<'a> {
    /// The English names and those of one language (ISO 639-1 code): the
    /// text of an article in that language. `"en"` is the English names only.
    Of(&'a str),
    /// Every language's names: a query that is not limited to one.
    All,
}

impl Languages<'_> {
    /// Whether a name of language `lang` (`None`: English, everywhere) counts.
    fn admit(self, lang: Option<&str>) -> bool {
        match (self, lang) {
            (_, None) | (Languages::All, _) => true,
            (Languages::Of(of), Some(lang)) => of == lang,
        }
    }
}

#[derive(Debug, Deserialize)]
struct TaxonomyFile {
    roles: Vec<Role>,
    #[serde(default)]
    ambiguous: Vec<Ambiguity>,
}

/// How acronyms are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcronymCase {
    /// Only as typed in capitals: content, where "po" or "ba" are other words.
    Exact,
    /// In any case: queries, where people type "po vs ba".
    Any,
}

/// A role named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index into [`Taxonomy::roles`].
    pub role: usize,
    /// Word positions `[start, end)` in the text's words.
    pub start: usize,
    pub end: usize,
    /// Byte range of the mention in the text.
    pub bytes: (usize, usize),
    /// Whether an acronym named it.
    pub by_acronym: bool,
}

/// A role name of one or more words (lower case, accents folded), the roles
/// it names, and its language (`None`: English, valid everywhere).
#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    roles: Vec<usize>,
    lang: Option<String>,
}

/// Role names keyed by their first word; longest first.
type Phrases = HashMap<String, Vec<Phrase>>;

/// An acronym's roles, each with the language it is an acronym in.
type Acronyms = HashMap<String, Vec<(usize, Option<String>)>>;

/// A cue word of an ambiguous acronym, with its language.
type Cue = (String, Option<String>);

/// An ambiguous acronym: its default role and the cue words of each role.
type Ambiguous = HashMap<String, (usize, Vec<(usize, Vec<Cue>)>)>;

/// The role taxonomy, ready to match.
#[derive(Debug)]
pub struct Taxonomy {
    roles: Vec<Role>,
    index: HashMap<String, usize>,
    /// Phrases keyed by their first word (lower case), longest first.
    phrases: Phrases,
    /// Acronyms as typed (upper case) to roles.
    acronyms: Acronyms,
    /// Ambiguous acronym to (default role, [(role, cues)]).
    ambiguous: Ambiguous,
    /// The locale of articles that name none.
    default_locale: String,
}

/// The locale of articles that name none, unless the site says otherwise.
pub const DEFAULT_LOCALE: &str = "en";

/// The language of a locale: its primary subtag, lower case ("fr-CA" is
/// "fr", "pt_BR" is "pt").
pub fn language_of(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

impl Taxonomy {
    /// The taxonomy shipped with rolesearch.
    pub fn builtin() -> Taxonomy {
        Taxonomy::from_json(BUILTIN).expect("the built-in taxonomy is valid")
    }

    /// Reads a taxonomy in the format of `data/roles.json`.
    pub fn from_json(json: &str) -> Result<Taxonomy, TaxonomyError> {
        let file: TaxonomyFile =
            serde_json::from_str(json).map_err(|e| TaxonomyError::Invalid(e.to_string()))?;
        let mut index = HashMap::new();
        for (i, role) in file.roles.iter().enumerate() {
            if role.id.is_empty()
                || !role
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(TaxonomyError::Invalid(format!(
                    "role id {:?} must be lower-case letters, digits and '-'",
                    role.id
                )));
            }
            if index.insert(role.id.clone(), i).is_some() {
                return Err(TaxonomyError::Invalid(format!(
                    "role id {:?} is repeated",
                    role.id
                )));
            }
        }
        let mut phrases: Phrases = HashMap::new();
        let mut acronyms: Acronyms = HashMap::new();
        for (i, role) in file.roles.iter().enumerate() {
            let english = std::iter::once(&role.name)
                .chain(&role.aliases)
                .chain(&role.plurals)
                .map(|n| (n, None));
            let local = role.languages.iter().flat_map(|(lang, names)| {
                names
                    .name
                    .iter()
                    .chain(&names.aliases)
                    .chain(&names.plurals)
                    .map(move |n| (n, Some(lang.as_str())))
            });
            for (name, lang) in english.chain(local) {
                let words: Vec<String> = words(name).map(|w| w.text.to_string()).collect();
                if words.len() == 1 && is_acronym(&words[0]) {
                    add_unique(
                        acronyms.entry(words[0].clone()).or_default(),
                        (i, lang.map(str::to_string)),
                    );
                    continue;
                }
                let folded: Vec<String> = words.iter().map(|w| fold(w).into_owned()).collect();
                let Some(first) = folded.first().cloned() else {
                    continue;
                };
                let lang = lang.map(str::to_string);
                let list = phrases.entry(first).or_default();
                match list
                    .iter_mut()
                    .find(|p| p.words == folded && p.lang == lang)
                {
                    Some(p) => add_unique(&mut p.roles, i),
                    None => list.push(Phrase {
                        words: folded,
                        roles: vec![i],
                        lang,
                    }),
                }
            }
            let local_acronyms = role
                .languages
                .iter()
                .flat_map(|(lang, n)| n.acronyms.iter().map(move |a| (a, Some(lang.clone()))));
            for (acronym, lang) in role
                .acronyms
                .iter()
                .map(|a| (a, None))
                .chain(local_acronyms)
            {
                add_unique(acronyms.entry(acronym.clone()).or_default(), (i, lang));
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        let mut ambiguous = HashMap::new();
        for amb in file.ambiguous {
            let lookup = |id: &str| {
                index.get(id).copied().ok_or_else(|| {
                    TaxonomyError::Invalid(format!("unknown role {id:?} in ambiguous"))
                })
            };
            let default = lookup(&amb.default)?;
            let mut cues: Vec<(usize, Vec<Cue>)> = Vec::new();
            let english = amb.cues.iter().map(|(id, list)| (id, list, None));
            let local = amb.languages.iter().flat_map(|(lang, by_role)| {
                by_role
                    .iter()
                    .map(move |(id, list)| (id, list, Some(lang.clone())))
            });
            for (id, list, lang) in english.chain(local) {
                let role = lookup(id)?;
                add_unique(
                    acronyms.entry(amb.acronym.clone()).or_default(),
                    (role, None),
                );
                let words = list.iter().map(|c| (normalized_words(c), lang.clone()));
                match cues.iter_mut().find(|(r, _)| *r == role) {
                    Some((_, existing)) => existing.extend(words),
                    None => cues.push((role, words.collect())),
                }
            }
            cues.sort_by_key(|(role, _)| *role);
            ambiguous.insert(amb.acronym, (default, cues));
        }
        Ok(Taxonomy {
            roles: file.roles,
            index,
            phrases,
            acronyms,
            ambiguous,
            default_locale: DEFAULT_LOCALE.to_string(),
        })
    }

    /// The same taxonomy for a site whose articles that name no locale are
    /// in `locale`.
    pub fn with_default_locale(mut self, locale: &str) -> Taxonomy {
        self.default_locale = locale.trim().to_string();
        self
    }

    /// The locale of articles that name none.
    pub fn default_locale(&self) -> &str {
        &self.default_locale
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.index.get(id).map(|&i| &self.roles[i])
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Resolves what a user typed for a role ("po", "Product Owner",
    /// "product-owner") to a role id.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        if let Some(role) = self.role(name) {
            return Some(&role.id);
        }
        let found = self.mentions_in(name, "", AcronymCase::Any, Languages::All);
        let total = words(name).count();
        match found.as_slice() {
            [only] if only.start == 0 && only.end == total => Some(&self.roles[only.role].id),
            _ => None,
        }
    }

    /// Finds the roles named in English `text`: [`Taxonomy::mentions_in`]
    /// with the English names only.
    pub fn mentions(&self, text: &str, context: &str, case: AcronymCase) -> Vec<Mention> {
        self.mentions_in(text, context, case, Languages::Of("en"))
    }

    /// Finds the roles named in `text`, by the names of `languages`.
    /// `context` is other text around it (headings, the article title) that
    /// decides what an ambiguous acronym means; it is not searched for
    /// mentions itself.
    pub fn mentions_in(
        &self,
        text: &str,
        context: &str,
        case: AcronymCase,
        languages: Languages<'_>,
    ) -> Vec<Mention> {
        let tokens: Vec<Word<'_>> = words(text).collect();
        // Lower case and accents folded, borrowed when it already is: every
        // piece's text and table cells come here while indexing.
        let lower: Vec<Cow<'_, str>> = tokens
            .iter()
            .map(|w| fold(w.without_possessive()))
            .collect();
        let mut found = Vec::new();
        let mut resolved_context: Option<(String, String)> = None;
        let mut i = 0;
        while i < tokens.len() {
            // "Non-technical PMs" are not technical PMs: a negated first word
            // leaves the rest of the name to match on its own.
            let negated = i > 0 && lower[i - 1] == "non";
            if let Some(list) = self.phrases.get(lower[i].as_ref()).filter(|_| !negated) {
                let hit = list.iter().find(|p| {
                    languages.admit(p.lang.as_deref())
                        && i + p.words.len() <= tokens.len()
                        && p.words.iter().zip(&lower[i..]).all(|(a, b)| a == b)
                });
                if let Some(phrase) = hit {
                    let end = i + phrase.words.len();
                    for &role in &phrase.roles {
                        found.push(Mention {
                            role,
                            start: i,
                            end,
                            bytes: (tokens[i].start, tokens[end - 1].end),
                            by_acronym: false,
                        });
                    }
                    i = end;
                    continue;
                }
            }
            if let Some((acronym, roles)) = self.acronym(&tokens[i], case, languages) {
                let role = if roles.len() == 1 {
                    roles[0]
                } else {
                    let (text_ctx, outer_ctx) = resolved_context.get_or_insert_with(|| {
                        (
                            format!(" {} ", lower.join(" ")),
                            format!(" {} ", normalized_words(context)),
                        )
                    });
                    self.disambiguate(acronym, &roles, text_ctx, outer_ctx, languages)
                };
                found.push(Mention {
                    role,
                    start: i,
                    end: i + 1,
                    bytes: (tokens[i].start, tokens[i].end),
                    by_acronym: true,
                });
            }
            i += 1;
        }
        found
    }

    fn acronym<'s>(
        &'s self,
        word: &Word<'_>,
        case: AcronymCase,
        languages: Languages<'_>,
    ) -> Option<(&'s str, Vec<usize>)> {
        let bare = word.without_possessive();
        let candidates = [bare, bare.strip_suffix('s').unwrap_or("")];
        for candidate in candidates {
            if candidate.is_empty() {
                continue;
            }
            let key = match case {
                AcronymCase::Exact => candidate.to_string(),
                AcronymCase::Any => {
                    if bare.len() > 5 {
                        continue;
                    }
                    candidate.to_uppercase()
                }
            };
            if let Some((k, roles)) = self.acronyms.get_key_value(&key) {
                let roles: Vec<usize> = roles
                    .iter()
                    .filter(|(_, lang)| languages.admit(lang.as_deref()))
                    .map(|(role, _)| *role)
                    .collect();
                if !roles.is_empty() {
                    return Some((k.as_str(), roles));
                }
            }
        }
        None
    }

    /// Picks the role an ambiguous acronym means from cue words. A cue that
    /// is itself a role name ("project manager") counts only in the context
    /// (headings, title): a text that spells out "Project Managers" and also
    /// says "PMs" uses the acronym for the other role.
    fn disambiguate(
        &self,
        acronym: &str,
        roles: &[usize],
        text: &str,
        context: &str,
        languages: Languages<'_>,
    ) -> usize {
        let Some((default, cues)) = self.ambiguous.get(acronym) else {
            return roles[0];
        };
        let mut best = (*default, 0usize);
        let mut default_score = 0;
        for (role, list) in cues {
            let score: usize = list
                .iter()
                .filter(|(_, lang)| languages.admit(lang.as_deref()))
                .map(|(cue, _)| {
                    let needle = format!(" {cue} ");
                    let is_name = cue
                        .split(' ')
                        .next()
                        .and_then(|first| self.phrases.get(first))
                        .is_some_and(|l| l.iter().any(|p| p.words.join(" ") == *cue));
                    let in_text = if is_name {
                        0
                    } else {
                        text.matches(&needle).count()
                    };
                    in_text + context.matches(&needle).count()
                })
                .sum();
            if role == default {
                default_score = score;
            } else if score > best.1 {
                best = (*role, score);
            }
        }
        if best.0 != *default && best.1 > default_score {
            best.0
        } else {
            *default
        }
    }
}

fn add_unique<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn is_acronym(word: &str) -> bool {
    word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase())
}

/// A word of a text with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

impl<'a> Word<'a> {
    /// The word without a possessive ending: "PM's" and "PMs'" lose the
    /// apostrophe part.
    pub fn without_possessive(&self) -> &'a str {
        let t = self.text;
        for suffix in ["'s", "’s", "'S", "’S"] {
            if let Some(stripped) = t.strip_suffix(suffix) {
                return stripped;
            }
        }
        t.trim_end_matches(['\'', '’'])
    }

    /// Lower case, accents folded, possessive removed: the form phrases are
    /// matched on.
    pub fn normalized(&self) -> String {
        fold(self.without_possessive()).into_owned()
    }
}

/// Splits text into words: runs of letters and digits, keeping apostrophes
/// inside or at the end of a word ("PM's", "PMs'") so possessives can be
/// recognised. Hyphens, slashes and all other punctuation separate words.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break (i, c);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                chars.next();
            } else if c == '\'' || c == '’' {
                chars.next();
                match chars.peek() {
                    Some(&(_, n)) if n.is_alphanumeric() => {}
                    _ => {
                        end = i + c.len_utf8();
                        // A trailing apostrophe belongs to the word only after
                        // an "s" (the plural possessive).
                        if !text[start..i].ends_with(['s', 'S']) {
                            end = i;
                        }
                        break;
                    }
                }
            } else {
                end = i;
                break;
            }
        }
        Some(Word {
            text: &text[start..end],
            start,
            end,
        })
    })
}

/// A word in lower case with its accents folded ("Métier" is "metier"),
/// borrowed when it already is (plain lower-case ASCII).
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(word.to_ascii_lowercase());
        }
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.nfd()
            .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

fn normalized_words(text: &str) -> String {
    words(text)
        .map(|w| w.normalized())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(t: &Taxonomy, text: &str, context: &str) -> Vec<String> {
        t.mentions(text, context, AcronymCase::Exact)
            .into_iter()
            .map(|m| t.roles()[m.role].id.clone())
            .collect()
    }

    #[test]
    fn words_keep_possessives_and_split_on_slashes() {
        let w: Vec<&str> = words("PMs' week, the PO's call; PM/BA pairing")
            .map(|w| w.text)
            .collect();
        assert_eq!(
            w,
            ["PMs'", "week", "the", "PO's", "call", "PM", "BA", "pairing"]
        );
    }

    #[test]
    fn acronyms_plurals_and_possessives_name_roles() {
        let t = Taxonomy::builtin();
        assert_eq!(
            ids(&t, "POs and PMs' incentives; a BA's notes", ""),
            ["product-owner", "product-manager", "business-analyst"]
        );
    }

    #[test]
    fn lower_case_acronyms_are_other_words_in_content() {
        let t = Taxonomy::builtin();
        assert!(ids(&t, "the po box and a ba degree", "").is_empty());
    }

    #[test]
    fn the_longest_name_wins() {
        let t = Taxonomy::builtin();
        assert_eq!(
            ids(
                &t,
                "Technical Product Managers and Associate Product Managers",
                ""
            ),
            ["technical-product-manager", "associate-product-manager"]
        );
    }

    #[test]
    fn pm_means_project_manager_when_the_context_says_so() {
        let t = Taxonomy::builtin();
        assert_eq!(ids(&t, "The PM owns the roadmap", ""), ["product-manager"]);
        assert_eq!(
            ids(&t, "The PM keeps the Gantt chart and the budget", ""),
            ["project-manager"]
        );
        assert_eq!(
            ids(&t, "Ask the PM", "What does a project manager do?"),
            ["project-manager"]
        );
        assert_eq!(
            ids(&t, "You will find PMs, POs and Project Managers", ""),
            ["product-manager", "product-owner", "project-manager"]
        );
    }

    #[test]
    fn a_negated_name_is_not_that_role() {
        let t = Taxonomy::builtin();
        assert_eq!(ids(&t, "Non-Technical PMs", ""), ["product-manager"]);
    }

    #[test]
    fn a_shared_alias_names_both_roles() {
        let t = Taxonomy::builtin();
        assert_eq!(
            ids(&t, "Project and Program Managers ensure it ships", ""),
            ["project-manager", "program-manager"]
        );
    }

    #[test]
    fn names_typed_by_users_resolve_to_ids() {
        let t = Taxonomy::builtin();
        assert_eq!(t.resolve("po"), Some("product-owner"));
        assert_eq!(
            t.resolve("Product Marketing Managers"),
            Some("product-marketing-manager")
        );
        assert_eq!(t.resolve("business-analyst"), Some("business-analyst"));
        assert_eq!(t.resolve("astronaut"), None);
    }
}
