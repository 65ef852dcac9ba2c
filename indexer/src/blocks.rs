//! Strapi 5 "blocks" rich text (the editor's JSON tree) turned into the
//! equivalent markdown, so that it is read exactly like a markdown body:
//! same pieces, same pseudo-headings, same heading context. All text is
//! escaped on the way, so words in the JSON can never become markup.

use serde_json::Value;

use crate::json::{Path, Shape};

/// Writes `nodes` (the `body` array) as markdown. Unknown node types are
/// skipped and reported in `warnings`.
pub(crate) fn to_markdown(
    nodes: &[Value],
    path: &Path,
    warnings: &mut Vec<(String, String)>,
) -> Result<String, Shape> {
    let mut out = String::new();
    for (i, node) in nodes.iter().enumerate() {
        let path = path.index(i);
        block(node, &path, &mut out, warnings)?;
    }
    Ok(out)
}

fn block(
    node: &Value,
    path: &Path,
    out: &mut String,
    warnings: &mut Vec<(String, String)>,
) -> Result<(), Shape> {
    let kind = node_type(node, path)?;
    match kind {
        "paragraph" => {
            let text = paragraph(node, path)?;
            if !text.trim().is_empty() {
                out.push_str(&text);
                out.push_str("\n\n");
            }
        }
        "heading" => {
            let level = match node.get("level") {
                None | Some(Value::Null) => 2,
                Some(Value::Number(n)) => {
                    n.as_u64().filter(|l| (1..=6).contains(l)).ok_or_else(|| {
                        Shape::new(
                            path.key("level"),
                            "a heading level must be a whole number from 1 to 6",
                        )
                    })?
                }
                Some(_) => {
                    return Err(Shape::new(
                        path.key("level"),
                        "a heading level must be a number",
                    ));
                }
            };
            let text = inline_children(node, path, false)?;
            out.push_str(&"#".repeat(level as usize));
            out.push(' ');
            out.push_str(&text);
            out.push_str("\n\n");
        }
        "list" => {
            list(node, path, "", out, warnings)?;
            out.push('\n');
        }
        "quote" => {
            let text = inline_children(node, path, false)?;
            out.push_str("> ");
            out.push_str(&text);
            out.push_str("\n\n");
        }
        "code" => {
            let code = plain_children(node, path)?;
            let fence = "`".repeat(longest_run(&code, '`').max(2) + 1);
            out.push_str(&fence);
            out.push('\n');
            out.push_str(&code);
            out.push('\n');
            out.push_str(&fence);
            out.push_str("\n\n");
        }
        "image" => {
            let image = match node.get("image") {
                Some(Value::Object(map)) => map,
                _ => {
                    return Err(Shape::new(
                        path.key("image"),
                        "an image block needs an `image` object",
                    ))
                }
            };
            let field = |name: &str| image.get(name).and_then(Value::as_str).unwrap_or_default();
            out.push_str("![");
            out.push_str(&escape(&one_line(field("alternativeText"))));
            out.push_str("](<");
            out.push_str(&field("url").replace(['<', '>', '\n'], ""));
            out.push('>');
            let caption = one_line(field("caption"));
            if !caption.is_empty() {
                out.push_str(" \"");
                out.push_str(&escape(&caption));
                out.push('"');
            }
            out.push_str(")\n\n");
        }
        other => warnings.push((
            path.to_string(),
            format!("unknown rich-text block type {other:?} skipped"),
        )),
    }
    Ok(())
}

/// A list and the lists nested in it; `indent` is the indentation of its
/// markers.
fn list(
    node: &Value,
    path: &Path,
    indent: &str,
    out: &mut String,
    warnings: &mut Vec<(String, String)>,
) -> Result<(), Shape> {
    let ordered = node.get("format").and_then(Value::as_str) == Some("ordered");
    let children = children(node, path)?;
    let mut number = 1;
    let mut marker_width = 2;
    for (i, child) in children.iter().enumerate() {
        let path = path.key("children").index(i);
        match node_type(child, &path)? {
            "list-item" => {
                let marker = if ordered {
                    format!("{number}. ")
                } else {
                    "- ".to_string()
                };
                number += 1;
                marker_width = marker.len();
                let mut text = String::new();
                let mut nested = Vec::new();
                for (j, inline_node) in self::children(child, &path)?.iter().enumerate() {
                    let inner = path.key("children").index(j);
                    if inline_node.get("type").and_then(Value::as_str) == Some("list") {
                        nested.push((inline_node, inner));
                    } else {
                        inline(inline_node, &inner, false, &mut text)?;
                    }
                }
                out.push_str(indent);
                out.push_str(&marker);
                out.push_str(&text);
                out.push('\n');
                let inner_indent = format!("{indent}{}", " ".repeat(marker.len()));
                for (nested, inner) in nested {
                    list(nested, &inner, &inner_indent, out, warnings)?;
                }
            }
            "list" => {
                let inner_indent = format!("{indent}{}", " ".repeat(marker_width));
                list(child, &path, &inner_indent, out, warnings)?;
            }
            other => warnings.push((
                path.to_string(),
                format!("unknown list child type {other:?} skipped"),
            )),
        }
    }
    Ok(())
}

fn node_type<'v>(node: &'v Value, path: &Path) -> Result<&'v str, Shape> {
    match node.get("type") {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Shape::new(
            path.key("type"),
            "a block's `type` must be a string",
        )),
        None if node.is_object() => Err(Shape::new(path.clone(), "a block needs a `type`")),
        None => Err(Shape::new(path.clone(), "a block must be an object")),
    }
}

fn children<'v>(node: &'v Value, path: &Path) -> Result<&'v [Value], Shape> {
    match node.get("children") {
        Some(Value::Array(items)) => Ok(items),
        None | Some(Value::Null) => Ok(&[]),
        Some(_) => Err(Shape::new(
            path.key("children"),
            "`children` must be a list",
        )),
    }
}

fn inline_children(node: &Value, path: &Path, keep_breaks: bool) -> Result<String, Shape> {
    let mut out = String::new();
    for (i, child) in children(node, path)?.iter().enumerate() {
        inline(child, &path.key("children").index(i), keep_breaks, &mut out)?;
    }
    Ok(out)
}

fn plain_children(node: &Value, path: &Path) -> Result<String, Shape> {
    let mut out = String::new();
    for (i, child) in children(node, path)?.iter().enumerate() {
        let path = path.key("children").index(i);
        match child.get("text") {
            Some(Value::String(s)) => out.push_str(s),
            Some(_) => return Err(Shape::new(path.key("text"), "`text` must be a string")),
            None => out.push_str(&plain_children(child, &path)?),
        }
    }
    Ok(out)
}

/// Inline text as markdown that reads back as the same plain text: every
/// character escaped, emphasis dropped (only a bold opening line matters to
/// the reader of pieces, and the paragraph adds that back). Markers glued
/// to words would not even parse as emphasis ("Release**(beta)**").
fn inline(node: &Value, path: &Path, keep_breaks: bool, out: &mut String) -> Result<(), Shape> {
    match node_type(node, path)? {
        "text" => {
            let text = match node.get("text") {
                Some(Value::String(s)) => s.as_str(),
                None | Some(Value::Null) => "",
                Some(_) => return Err(Shape::new(path.key("text"), "`text` must be a string")),
            };
            let text = if keep_breaks {
                text.to_string()
            } else {
                one_line(text)
            };
            out.push_str(&escape(&text));
        }
        "link" => {
            // The link text is what a reader sees; the URL is not content.
            for (i, child) in children(node, path)?.iter().enumerate() {
                inline(child, &path.key("children").index(i), keep_breaks, out)?;
            }
        }
        _ => {
            // Unknown inline nodes keep their text.
            out.push_str(&escape(&plain_children(node, path)?));
        }
    }
    Ok(())
}

/// Whether a paragraph's first line is all bold text: a heading in all but
/// syntax, as `**What is a PO?**` is in markdown.
fn bold_first_line(node: &Value) -> bool {
    let Some(Value::Array(children)) = node.get("children") else {
        return false;
    };
    let mut saw_text = false;
    for child in children {
        let Some(text) = child.get("text").and_then(Value::as_str) else {
            return false;
        };
        let first_line = text.split('\n').next().unwrap_or_default();
        if !first_line.trim().is_empty() {
            if child.get("bold").and_then(Value::as_bool) != Some(true) {
                return false;
            }
            saw_text = true;
        }
        if text.contains('\n') {
            break;
        }
    }
    saw_text
}

/// A paragraph's markdown: lines never start with spaces (which would make
/// an indented code block), and a bold first line is marked bold.
fn paragraph(node: &Value, path: &Path) -> Result<String, Shape> {
    let text = inline_children(node, path, true)?;
    let lines: Vec<&str> = text.lines().map(str::trim_start).collect();
    let mut text = lines.join("\n");
    if bold_first_line(node) {
        let (first, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        let first = first.trim_end();
        text = if rest.is_empty() {
            format!("**{first}**")
        } else {
            format!("**{first}**\n{rest}")
        };
    }
    Ok(text)
}

/// Backslash-escapes every ASCII punctuation character, which CommonMark
/// always reads back as the character itself.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}
