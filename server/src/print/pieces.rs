//! `rolesearch pieces` output: an article's pieces with their positions,
//! kinds, anchors, heading paths and role tags, or one JSON line.

use std::io::Write;

use indexer::{Article, RoleTag, Salience};

/// The article as one JSON line.
pub fn json(article: &Article, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, article)?;
    writeln!(out)
}

/// The article as text: a header, then two lines per piece.
pub fn text(article: &Article, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "# {} ({})", article.title, article.slug)?;
    writeln!(
        out,
        "  key {} · category {}",
        article.key,
        article.category.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "  roles {}", tags(&article.roles))?;
    for p in &article.pieces {
        writeln!(out, "{:>4} {:<9} {}", p.position, p.kind.as_str(), p.text)?;
        let path = if p.heading_path.is_empty() {
            "(top)".to_string()
        } else {
            p.heading_path.join(" > ")
        };
        writeln!(
            out,
            "          #{} · {} · {}",
            p.anchor,
            path,
            tags(&p.roles)
        )?;
    }
    Ok(())
}

/// Role tags, main ones starred.
fn tags(tags: &[RoleTag]) -> String {
    if tags.is_empty() {
        return "-".into();
    }
    tags.iter()
        .map(|t| match t.salience {
            Salience::Main => format!("*{}", t.role),
            Salience::Mention => t.role.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
