//! Human-readable output: results for a terminal (colour only where the
//! stream supports it and `NO_COLOR` is unset) or a pipe.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use index::SearchResponse;

const TITLE: Style = Style::new().bold();
const MARK: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const DIM: Style = Style::new().dimmed();

pub fn human(response: &SearchResponse, out: &mut impl Write) -> std::io::Result<()> {
    if response.hits.is_empty() {
        writeln!(out, "No results for {:?}.", response.query)?;
        return Ok(());
    }
    let first = response.offset + 1;
    let last = response.offset + response.hits.len();
    writeln!(
        out,
        "{DIM}{first}-{last} of about {} articles for {:?} ({} ms){DIM:#}",
        response.estimated_total_hits, response.query, response.processing_time_ms
    )?;
    // As the search page does: when the results are for other words than
    // those typed (a correction, a relaxed query), say so.
    if let Some(showing) = &response.understood.showing_results_for {
        if showing.to_lowercase() != response.query.to_lowercase() {
            writeln!(out, "Showing results for {showing:?}.")?;
        }
    }
    for (i, hit) in response.hits.iter().enumerate() {
        writeln!(out)?;
        let category = hit
            .category
            .as_deref()
            .map(|c| format!(" · {c}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}. {TITLE}{}{TITLE:#}{DIM}{category}{DIM:#}",
            first + i,
            hit.title
        )?;
        for section in &hit.sections {
            let path = if section.heading_path.is_empty() {
                "(top of the article)".to_string()
            } else {
                section.heading_path.join(" › ")
            };
            writeln!(out, "   {DIM}{} · {}{DIM:#}", path, section.kind)?;
            writeln!(out, "   {}", terminal_snippet(&section.snippet))?;
            writeln!(out, "   {DIM}{}{DIM:#}", section.url)?;
        }
    }
    if !response.facet_distribution.role.is_empty() {
        writeln!(out)?;
        let roles: Vec<String> = response
            .facet_distribution
            .role
            .iter()
            .map(|(r, n)| format!("{r} ({n})"))
            .collect();
        writeln!(out, "{DIM}roles: {}{DIM:#}", roles.join(", "))?;
    }
    Ok(())
}

/// Turns an HTML snippet (`<mark>` and entities) into terminal text.
fn terminal_snippet(html: &str) -> String {
    let marked = html
        .replace("<mark>", &MARK.render().to_string())
        .replace("</mark>", &MARK.render_reset().to_string());
    indexer::text::decode_entities(&marked)
}
