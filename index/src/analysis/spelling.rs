//! British and American spellings made one word: a token filter that
//! rewrites British forms to American before stemming, at index and query
//! time alike, so "prioritise" finds "prioritize" and the reverse.
//!
//! It works by families (-ise/-ize, -yse/-yze, -our/-or, -re/-er,
//! -ogue/-og, doubled l, a few one-offs) but only on known stems or with
//! exception lists, so "size", "prize", "hour", "here" and "wise" are left
//! alone.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words ending in -ise that are spelled -ise in American English too.
const ISE_KEEP: &[&str] = &[
    "advertise",
    "advise",
    "anise",
    "apprise",
    "arise",
    "bruise",
    "chastise",
    "chemise",
    "circumcise",
    "comprise",
    "compromise",
    "concise",
    "cruise",
    "demise",
    "despise",
    "devise",
    "disguise",
    "enterprise",
    "excise",
    "exercise",
    "expertise",
    "franchise",
    "guise",
    "improvise",
    "incise",
    "merchandise",
    "mortise",
    "noise",
    "otherwise",
    "paradise",
    "poise",
    "porpoise",
    "praise",
    "precise",
    "premise",
    "promise",
    "raise",
    "reprise",
    "revise",
    "rise",
    "sunrise",
    "supervise",
    "surmise",
    "surprise",
    "televise",
    "tortoise",
    "treatise",
    "turquoise",
    "valise",
    "vise",
    "wise",
    "likewise",
    "clockwise",
    "anticlockwise",
    "counterclockwise",
    "upraise",
    "uprise",
    "moonrise",
    "highrise",
    "expertise",
    "premise",
    "cerise",
    "marquise",
    "prise",
];

/// Stems spelled -our in British English and -or in American.
const OUR: &[&str] = &[
    "behaviour",
    "colour",
    "favour",
    "flavour",
    "harbour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "rumour",
    "savour",
    "splendour",
    "vapour",
    "vigour",
    "odour",
    "armour",
    "parlour",
    "saviour",
    "endeavour",
    "clamour",
    "candour",
    "valour",
    "rancour",
    "tumour",
    "demeanour",
    "fervour",
    "ardour",
];

/// Words spelled -re in British English and -er in American.
const RE: &[&str] = &[
    "centre",
    "metre",
    "theatre",
    "fibre",
    "litre",
    "lustre",
    "spectre",
    "sombre",
    "calibre",
    "sabre",
    "meagre",
    "titre",
    "kilometre",
    "centimetre",
    "millimetre",
    "epicentre",
];

/// Words spelled -ogue in British English and -og in American.
const OGUE: &[&str] = &[
    "catalogue",
    "dialogue",
    "analogue",
    "prologue",
    "epilogue",
    "monologue",
    "travelogue",
];

/// Verbs that double their final l before -ed, -ing, -er in British English.
const DOUBLE_L: &[&str] = &[
    "model", "travel", "cancel", "label", "counsel", "level", "fuel", "signal", "total", "channel",
    "tunnel", "marvel", "dial", "equal", "rival", "pedal", "panel", "quarrel", "shovel", "libel",
    "duel", "jewel", "funnel", "enamel", "grovel", "spiral", "initial", "refuel", "remodel",
    "unravel", "ravel",
];

/// One-off pairs.
const ONE_OFF: &[(&str, &str)] = &[
    ("programme", "program"),
    ("programmes", "programs"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("pretence", "pretense"),
    ("grey", "gray"),
    ("ageing", "aging"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("acknowledgement", "acknowledgment"),
    ("enrolment", "enrollment"),
    ("instalment", "installment"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("skilful", "skillful"),
    ("wilful", "willful"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practising", "practicing"),
    ("cheque", "check"),
    ("artefact", "artifact"),
    ("artefacts", "artifacts"),
    ("learnt", "learned"),
    ("towards", "toward"),
    ("whilst", "while"),
    ("manoeuvre", "maneuver"),
    ("jewellery", "jewelry"),
    ("marvellous", "marvelous"),
    ("counsellor", "counselor"),
    ("counsellors", "counselors"),
    ("traveller", "traveler"),
    ("travellers", "travelers"),
    ("modeller", "modeler"),
    ("modellers", "modelers"),
];

/// The American spelling of a lower-case word, when it has a British one.
pub fn americanize(word: &str) -> Option<String> {
    if word.len() < 4 || !word.is_ascii() {
        return None;
    }
    // Every token of every piece comes here: the lists below are only
    // walked for words that could be on them.
    static ONE_OFFS: std::sync::OnceLock<std::collections::HashMap<&str, &str>> =
        std::sync::OnceLock::new();
    if let Some(us) = ONE_OFFS
        .get_or_init(|| ONE_OFF.iter().copied().collect())
        .get(word)
    {
        return Some((*us).to_string());
    }
    // -isation(s), -ise, -ised, -ises, -ising, -iser(s)
    for (suffix, us) in [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ise", "ize"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            let base = format!("{stem}ise");
            if stem.len() >= 3 && !ISE_KEEP.contains(&base.as_str()) && !base.ends_with("wise") {
                return Some(format!("{stem}{us}"));
            }
            break;
        }
    }
    // -yse, -ysed, -yses, -ysing
    for (suffix, us) in [
        ("ysing", "yzing"),
        ("ysed", "yzed"),
        ("yses", "yzes"),
        ("yse", "yze"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if ["anal", "paral", "catal", "dial", "electrol", "hydrol"].contains(&stem) {
                return Some(format!("{stem}{us}"));
            }
        }
    }
    // -our and its derived forms: behaviours, favoured, favourite, honourable…
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| word.ends_with(s));
    let (our, re, ogue, double_l) = (
        word.contains("our"),
        ends(&["re", "res", "red", "ring"]),
        word.contains("ogu"),
        ends(&["led", "ling", "ler", "lers"]),
    );
    for base in OUR.iter().filter(|_| our) {
        if let Some(rest) = word.strip_prefix(base) {
            if [
                "", "s", "ed", "ing", "ite", "ites", "able", "ably", "al", "ful", "er", "ers",
                "less",
            ]
            .contains(&rest)
            {
                return Some(format!("{}or{rest}", &base[..base.len() - 3]));
            }
        }
    }
    // -re, -res, -red, -ring
    for base in RE.iter().filter(|_| re) {
        if let Some(rest) = word.strip_prefix(&base[..base.len() - 2]) {
            let us = &base[..base.len() - 2];
            match rest {
                "re" => return Some(format!("{us}er")),
                "res" => return Some(format!("{us}ers")),
                "red" => return Some(format!("{us}ered")),
                "ring" => return Some(format!("{us}ering")),
                _ => {}
            }
        }
    }
    for base in OGUE.iter().filter(|_| ogue) {
        if let Some(rest) = word.strip_prefix(base) {
            if ["", "s"].contains(&rest) {
                return Some(format!("{}{rest}", &base[..base.len() - 2]));
            }
        }
        let stem = &base[..base.len() - 1]; // "catalogu" + ed/ing
        if let Some(rest) = word.strip_prefix(stem) {
            if ["ed", "ing"].contains(&rest) {
                return Some(format!("{}{rest}", &base[..base.len() - 2]));
            }
        }
    }
    for base in DOUBLE_L.iter().filter(|_| double_l) {
        if let Some(rest) = word.strip_prefix(base) {
            match rest {
                "led" => return Some(format!("{base}ed")),
                "ling" => return Some(format!("{base}ing")),
                "ler" => return Some(format!("{base}er")),
                "lers" => return Some(format!("{base}ers")),
                _ => {}
            }
        }
    }
    None
}

/// The token filter: American spellings in, American spellings out.
#[derive(Clone, Copy, Debug, Default)]
pub struct Americanize;

impl TokenFilter for Americanize {
    type Tokenizer<T: Tokenizer> = AmericanizeFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> AmericanizeFilter<T> {
        AmericanizeFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct AmericanizeFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AmericanizeFilter<T> {
    type TokenStream<'a> = AmericanizeStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AmericanizeStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct AmericanizeStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for AmericanizeStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if let Some(mut us) = americanize(&self.tail.token().text) {
            mem::swap(&mut self.tail.token_mut().text, &mut us);
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
    use super::americanize;

    #[test]
    fn british_families_become_american() {
        for (uk, us) in [
            ("prioritise", "prioritize"),
            ("prioritised", "prioritized"),
            ("prioritising", "prioritizing"),
            ("prioritisation", "prioritization"),
            ("organisation", "organization"),
            ("organisations", "organizations"),
            ("specialised", "specialized"),
            ("analyse", "analyze"),
            ("analysed", "analyzed"),
            ("centre", "center"),
            ("centres", "centers"),
            ("favour", "favor"),
            ("favourite", "favorite"),
            ("behaviour", "behavior"),
            ("behaviours", "behaviors"),
            ("catalogue", "catalog"),
            ("catalogued", "cataloged"),
            ("modelling", "modeling"),
            ("travelled", "traveled"),
            ("cancelled", "canceled"),
            ("programme", "program"),
            ("defence", "defense"),
        ] {
            assert_eq!(americanize(uk).as_deref(), Some(us), "{uk}");
        }
    }

    #[test]
    fn look_alike_words_are_left_alone() {
        for word in [
            "size",
            "prize",
            "hour",
            "here",
            "there",
            "where",
            "more",
            "wise",
            "rise",
            "noise",
            "exercise",
            "promise",
            "otherwise",
            "analysis",
            "four",
            "your",
            "pour",
            "genre",
            "acre",
            "vogue",
            "rogue",
            "sell",
            "spelling",
            "telling",
            "yelled",
            "compromise",
            "enterprise",
            "premise",
            "surprise",
            "prioritize",
            "organization",
            "center",
            "behavior",
            "catalog",
            "modeling",
            "user",
            "tour",
        ] {
            assert_eq!(americanize(word), None, "{word}");
        }
    }
}
