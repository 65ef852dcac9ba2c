//! Plain-text helpers shared by every input format: whitespace and
//! invisible-character clean-up, HTML tag stripping, entity decoding and
//! GitHub-style heading slugs. Pieces are compared, tagged and displayed as
//! plain text, so every path into a piece goes through [`clean`].

/// Characters that are invisible but break words apart or glue them together
/// in ways a reader never sees: zero-width spaces and joiners, the BOM, soft
/// hyphens and the word joiner.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// `text` without its invisible characters (zero-width spaces and joiners,
/// soft hyphens, the BOM), borrowed when it has none: a word typed with one
/// inside is the word.
pub fn strip_invisible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_invisible) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !is_invisible(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Normalises text for a piece: invisible characters removed, every run of
/// whitespace (including non-breaking spaces and line breaks) turned into one
/// space, and the ends trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Decodes the HTML character references that survive in raw HTML, as a
/// browser would (every named reference of the HTML standard and every
/// numeric one, with the `htmlize` crate). Unknown names are left as typed.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    htmlize::unescape(text).into_owned()
}

/// Tags that sit inside a run of text: removing them must not split a word
/// (`fo<em>o</em>` is "foo"). Every other tag becomes a space, so words from
/// adjacent elements do not run together.
fn inline_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// Removes HTML tags (and comments) from raw HTML, keeping the text between
/// them, then decodes entities. HTML in content is always text to
/// rolesearch, never markup.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let looks_like_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !looks_like_tag {
            out.push('<');
            rest = after;
            continue;
        }
        let close = if after.starts_with("!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match close {
            Some(len) => {
                let name: String = after
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !inline_tag(&name) {
                    out.push(' ');
                }
                rest = &after[len..];
            }
            None => {
                // Never closed: not a tag after all, but text.
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// A GitHub-style anchor slug: lower-cased, punctuation other than `-` and
/// `_` removed, spaces turned into `-`. Letters and digits of any script are
/// kept, as GitHub keeps them.
pub fn slugify(heading: &str) -> String {
    let mut out = String::with_capacity(heading.len());
    for c in heading.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Anchor slugs made unique within one article, the way GitHub does it: the
/// second "Overview" becomes `overview-1`.
#[derive(Debug, Default)]
pub struct Anchors {
    seen: std::collections::HashMap<String, u32>,
}

impl Anchors {
    pub fn unique(&mut self, heading: &str) -> String {
        // github-slugger's algorithm, so anchors match the ones sites built
        // with it (rehype-slug, GitHub) generate.
        let base = slugify(heading);
        let mut slug = base.clone();
        while self.seen.contains_key(&slug) {
            let n = self.seen.get_mut(&base).map_or(1, |n| {
                *n += 1;
                *n
            });
            slug = format!("{base}-{n}");
        }
        self.seen.insert(slug.clone(), 0);
        slug
    }
}

/// A file stem made readable as a title: `product-roles_article` becomes
/// "Product roles article".
pub fn readable_stem(stem: &str) -> String {
    let words: Vec<&str> = stem
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

/// Truncates to at most `max` bytes on a character boundary.
pub fn truncate_at_char(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_zero_width_characters_and_folds_whitespace() {
        assert_eq!(
            clean("  Product\u{200B}Owner \n\t and\u{00A0}BA\u{FEFF} "),
            "ProductOwner and BA"
        );
    }

    #[test]
    fn slugs_follow_github_rules() {
        assert_eq!(
            slugify("What is a Product Owner (PO)?"),
            "what-is-a-product-owner-po"
        );
        assert_eq!(
            slugify("1. Why This Gets Confusing"),
            "1-why-this-gets-confusing"
        );
        assert_eq!(
            slugify("Real-world examples: how teams split"),
            "real-world-examples-how-teams-split"
        );
        assert_eq!(slugify("Équipe produit 🚀"), "équipe-produit-");
    }

    #[test]
    fn repeated_headings_get_numbered_anchors() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("Overview"), "overview");
        assert_eq!(a.unique("Overview 1"), "overview-1");
        assert_eq!(a.unique("Overview"), "overview-2");
        assert_eq!(a.unique("Overview 1"), "overview-1-1");
        assert_eq!(a.unique("Overview"), "overview-3");
    }

    #[test]
    fn html_is_stripped_and_entities_decoded() {
        assert_eq!(
            clean(&strip_html(
                "<p>Fish &amp; chips <em>for</em> 2 &lt; 3</p><p>ba<b>r</b></p><!-- x -->"
            )),
            "Fish & chips for 2 < 3 bar"
        );
        assert_eq!(strip_html("a < b and c<d"), "a < b and c<d");
        assert_eq!(
            decode_entities("&#x1F600; &#8212; &bogus; & done"),
            "😀 — &bogus; & done"
        );
        // Every named reference, not a short list of common ones.
        assert_eq!(
            decode_entities("M&uuml;ller &rarr; Zo&euml;"),
            "Müller → Zoë"
        );
        assert_eq!(clean(&decode_entities("co&shy;operate")), "cooperate");
    }

    #[test]
    fn stems_become_readable_titles() {
        assert_eq!(
            readable_stem("product-roles_article"),
            "Product roles article"
        );
    }

    #[test]
    fn truncation_respects_character_boundaries() {
        assert_eq!(truncate_at_char("héllo", 2), "h");
    }
}
