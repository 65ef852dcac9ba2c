//! Highlighted snippets: the piece text with `<mark>` around the words that
//! matched, everything else HTML-escaped, cut to a window around the
//! densest cluster of matches. Words are found with the index's own
//! analyzer, so "writes" in the query marks "write" and "writing" in text.

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::analyzer::analyze;

/// Longest snippet, in characters, before it is cut to a window.
const WINDOW: usize = 220;

/// Escapes text for HTML.
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The snippet of `text` for the analyzed query `terms`.
pub fn snippet(text: &str, terms: &[String], analyzer: &mut TextAnalyzer) -> String {
    let tokens = analyze(analyzer, text);
    let hits: Vec<(usize, usize, usize)> = tokens
        .iter()
        .filter_map(|t| {
            terms
                .iter()
                .position(|q| *q == t.term)
                .map(|i| (t.from, t.to, i))
        })
        .collect();
    let (start, end) = window(text, &hits);
    let mut out = String::with_capacity(end - start + 32);
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &(from, to, _) in hits.iter().filter(|h| h.0 >= start && h.1 <= end) {
        escape_html(&text[at..from], &mut out);
        out.push_str("<mark>");
        escape_html(&text[from..to], &mut out);
        out.push_str("</mark>");
        at = to;
    }
    escape_html(&text[at..end], &mut out);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The byte window to show: the whole text when short, else about WINDOW
/// characters around the stretch with the most distinct matched terms,
/// cut at word boundaries.
fn window(text: &str, hits: &[(usize, usize, usize)]) -> (usize, usize) {
    let chars = text.chars().count();
    if chars <= WINDOW {
        return (0, text.len());
    }
    let mut best = (0usize, 0usize); // (distinct terms, start hit)
    for (i, &(from, _, _)) in hits.iter().enumerate() {
        let mut seen = 0u64;
        for &(f, _, term) in &hits[i..] {
            if f - from > WINDOW - 40 {
                break;
            }
            seen |= 1 << (term % 64);
        }
        let distinct = seen.count_ones() as usize;
        if distinct > best.0 {
            best = (distinct, i);
        }
    }
    let anchor = hits.get(best.1).map_or(0, |h| h.0);
    // Start a little before the first match, at a word boundary.
    let mut start = anchor.saturating_sub(40);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        if let Some(space) = text[..start].rfind(' ') {
            if start - space < 20 {
                start = space + 1;
            }
        }
    }
    let end = text[start..]
        .char_indices()
        .nth(WINDOW)
        .map_or(text.len(), |(i, _)| start + i);
    let mut end = end;
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(' ') {
            if space > WINDOW / 2 {
                end = start + space;
            }
        }
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_and_escapes_everything_else() {
        let mut a = crate::analysis::analyzer::text_analyzer(crate::analysis::Language::En);
        let s = snippet(
            "POs <b>write</b> acceptance criteria & more",
            &["write".into(), "criteria".into()],
            &mut a,
        );
        assert_eq!(
            s,
            "POs &lt;b&gt;<mark>write</mark>&lt;/b&gt; acceptance <mark>criteria</mark> &amp; more"
        );
    }

    #[test]
    fn long_text_is_cut_around_the_matches() {
        let mut a = crate::analysis::analyzer::text_analyzer(crate::analysis::Language::En);
        let text = format!(
            "{} the gantt chart is kept by the project manager {}",
            "filler ".repeat(60),
            "tail ".repeat(60)
        );
        let s = snippet(&text, &["gantt".into(), "chart".into()], &mut a);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>gantt</mark> <mark>chart</mark>"), "{s}");
        let visible = s.replace("<mark>", "").replace("</mark>", "");
        assert!(
            visible.chars().count() <= WINDOW + 2,
            "{}",
            visible.chars().count()
        );
    }
}
