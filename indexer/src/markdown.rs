//! Markdown bodies of `shared.rich-text` components, read with
//! pulldown-cmark into pieces.
//!
//! The event stream is flat, and so is this reader: open containers live on
//! a heap-allocated stack, so a list nested 10,000 levels deep costs memory,
//! not call stack.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::article::{Media, PieceKind};
use crate::builder::{Builder, PseudoScope};

/// The longest bold line still read as a pseudo-heading.
const MAX_PSEUDO_HEADING: usize = 150;

#[derive(Debug)]
enum Frame {
    Paragraph(Paragraph),
    Heading(u8, String),
    Item { text: String },
    List,
    Quote { text: String },
    Code(String),
    Html(String),
    Table(Table),
    Image(Image),
    Other,
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    /// Whether the paragraph sits directly in the body (not in a list
    /// item, quote or table): only those can be pseudo-headings.
    top_level: bool,
    lead: Lead,
    strong_depth: u32,
    images: Vec<Media>,
    /// Text outside images, to tell an image-only paragraph.
    other_text: bool,
}

/// Where a paragraph is in deciding whether it opens with a bold line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Lead {
    #[default]
    Start,
    InStrong,
    AfterStrong,
    /// The bold line became a heading; the rest is the paragraph.
    Split,
    No,
}

#[derive(Debug, Default)]
struct Table {
    headers: Vec<String>,
    row: Vec<String>,
    cell: Option<String>,
    in_head: bool,
}

#[derive(Debug, Default)]
struct Image {
    url: String,
    title: String,
    alt: String,
}

/// Reads one markdown body into the builder.
pub(crate) fn read(markdown: &str, builder: &mut Builder<'_>) {
    let mut stack: Vec<Frame> = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => start(tag, &mut stack, builder),
            Event::End(tag) => end(tag, &mut stack, builder),
            Event::Text(t) | Event::Code(t) => text(&t, &mut stack),
            Event::InlineMath(t) | Event::DisplayMath(t) => text(&t, &mut stack),
            Event::Html(t) | Event::InlineHtml(t) => match stack.last_mut() {
                Some(Frame::Html(buf)) => buf.push_str(&t),
                _ => text(&crate::text::strip_html(&t), &mut stack),
            },
            Event::SoftBreak | Event::HardBreak => line_break(&mut stack, builder),
            Event::FootnoteReference(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }
    // A body cut mid-way (truncated) may leave frames open: flush them.
    while let Some(frame) = stack.pop() {
        close(frame, &mut stack, builder);
    }
}

fn start(tag: Tag<'_>, stack: &mut Vec<Frame>, builder: &mut Builder<'_>) {
    let frame = match tag {
        Tag::Paragraph => Frame::Paragraph(Paragraph {
            top_level: stack.is_empty(),
            ..Paragraph::default()
        }),
        Tag::Heading { level, .. } => Frame::Heading(heading_level(level), String::new()),
        Tag::BlockQuote(_) => Frame::Quote {
            text: String::new(),
        },
        Tag::CodeBlock(_) => Frame::Code(String::new()),
        Tag::HtmlBlock => Frame::Html(String::new()),
        Tag::List(_) => {
            // The text of an item before its nested list is a piece of its
            // own, and comes before the nested items.
            if let Some(Frame::Item { text }) = stack.last_mut() {
                let t = std::mem::take(text);
                builder.block(PieceKind::ListItem, &t);
            }
            Frame::List
        }
        Tag::Item => Frame::Item {
            text: String::new(),
        },
        Tag::Table(_) => Frame::Table(Table::default()),
        Tag::TableHead => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                t.in_head = true;
                t.row.clear();
            }
            return;
        }
        Tag::TableRow => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                t.row.clear();
            }
            return;
        }
        Tag::TableCell => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                t.cell = Some(String::new());
            }
            return;
        }
        Tag::Image {
            dest_url, title, ..
        } => Frame::Image(Image {
            url: dest_url.to_string(),
            title: title.to_string(),
            alt: String::new(),
        }),
        Tag::Strong => {
            if let Some(Frame::Paragraph(p)) = stack.last_mut() {
                p.strong_depth += 1;
                p.lead = match p.lead {
                    Lead::Start if p.text.trim().is_empty() => Lead::InStrong,
                    Lead::AfterStrong => Lead::InStrong,
                    Lead::InStrong => Lead::InStrong,
                    Lead::Split => Lead::Split,
                    _ => Lead::No,
                };
            }
            return;
        }
        Tag::Emphasis
        | Tag::Strikethrough
        | Tag::Superscript
        | Tag::Subscript
        | Tag::Link { .. } => return,
        Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::MetadataBlock(_) => Frame::Other,
    };
    stack.push(frame);
}

fn end(tag: TagEnd, stack: &mut Vec<Frame>, builder: &mut Builder<'_>) {
    match tag {
        TagEnd::Strong => {
            if let Some(Frame::Paragraph(p)) = stack.last_mut() {
                p.strong_depth = p.strong_depth.saturating_sub(1);
                if p.strong_depth == 0 && p.lead == Lead::InStrong {
                    p.lead = Lead::AfterStrong;
                }
            }
        }
        TagEnd::Emphasis
        | TagEnd::Strikethrough
        | TagEnd::Superscript
        | TagEnd::Subscript
        | TagEnd::Link => {}
        TagEnd::TableHead => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                // The header row is not wrapped in a TableRow: its cells are
                // the column names, never a piece.
                t.headers = std::mem::take(&mut t.row);
                t.in_head = false;
            }
        }
        TagEnd::TableRow => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                let cells = std::mem::take(&mut t.row);
                builder.table_row(&t.headers, cells);
            }
        }
        TagEnd::TableCell => {
            if let Some(Frame::Table(t)) = stack.last_mut() {
                let cell = t.cell.take().unwrap_or_default();
                t.row.push(cell);
            }
        }
        _ => {
            if let Some(frame) = stack.pop() {
                close(frame, stack, builder);
            }
        }
    }
}

/// Finishes a frame: emits its piece, or hands its text to the frame around
/// it (a paragraph inside a list item is part of the item).
fn close(frame: Frame, stack: &mut [Frame], builder: &mut Builder<'_>) {
    match frame {
        Frame::Paragraph(p) => {
            if p.lead == Lead::AfterStrong && p.top_level && is_pseudo_heading(&p.text) {
                builder.heading(0, &p.text, Some(PseudoScope::Component));
                return;
            }
            if !p.other_text && !p.images.is_empty() {
                for media in p.images {
                    builder.media(media);
                }
                if p.lead == Lead::Split {
                    builder.end_paragraph();
                }
                return;
            }
            match stack.last_mut() {
                Some(Frame::Item { text }) | Some(Frame::Quote { text }) => append(text, &p.text),
                _ => {
                    builder.block(PieceKind::Paragraph, &p.text);
                    for media in p.images {
                        builder.media(media);
                    }
                }
            }
            if p.lead == Lead::Split {
                builder.end_paragraph();
            }
        }
        Frame::Heading(level, text) => builder.heading(level, &text, None),
        Frame::Item { text } => builder.block(PieceKind::ListItem, &text),
        Frame::Quote { text } => match stack.last_mut() {
            Some(Frame::Item { text: outer }) | Some(Frame::Quote { text: outer }) => {
                append(outer, &text)
            }
            _ => builder.block(PieceKind::Quote, &text),
        },
        Frame::Code(code) => block_text(&code, stack, builder),
        Frame::Html(html) => block_text(&crate::text::strip_html(&html), stack, builder),
        Frame::Image(img) => {
            let media = Media {
                name: img
                    .url
                    .rsplit('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
                url: Some(img.url).filter(|u| !u.is_empty()),
                alt: Some(img.alt.clone()).filter(|a| !a.trim().is_empty()),
                caption: Some(img.title).filter(|t| !t.trim().is_empty()),
            };
            match stack.last_mut() {
                Some(Frame::Paragraph(p)) => {
                    // The alt text reads as part of the paragraph; an
                    // image-only paragraph becomes media pieces instead.
                    p.text.push_str(&img.alt);
                    p.images.push(media);
                }
                Some(_) => text(&img.alt, stack),
                None => builder.media(media),
            }
        }
        Frame::List | Frame::Table(_) | Frame::Other => {}
    }
}

/// A code or HTML block: a paragraph of its own, or part of the list item
/// or quote it sits in.
fn block_text(text: &str, stack: &mut [Frame], builder: &mut Builder<'_>) {
    match stack.last_mut() {
        Some(Frame::Item { text: outer }) | Some(Frame::Quote { text: outer }) => {
            append(outer, text)
        }
        _ => builder.block(PieceKind::Paragraph, text),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn append(buf: &mut String, text: &str) {
    if !buf.is_empty() && !text.is_empty() {
        buf.push(' ');
    }
    buf.push_str(text);
}

fn text(t: &str, stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Paragraph(p)) => {
            if p.strong_depth == 0 && !t.trim().is_empty() {
                p.other_text = true;
                p.lead = match p.lead {
                    Lead::Split => Lead::Split,
                    _ => Lead::No,
                };
            } else if p.strong_depth > 0 {
                p.other_text = true;
            }
            p.text.push_str(t);
        }
        Some(Frame::Heading(_, buf))
        | Some(Frame::Item { text: buf })
        | Some(Frame::Quote { text: buf })
        | Some(Frame::Code(buf))
        | Some(Frame::Html(buf)) => buf.push_str(t),
        Some(Frame::Image(img)) => img.alt.push_str(t),
        Some(Frame::Table(table)) => {
            if let Some(cell) = table.cell.as_mut() {
                cell.push_str(t);
            }
        }
        Some(Frame::List) | Some(Frame::Other) | None => {}
    }
}

fn line_break(stack: &mut [Frame], builder: &mut Builder<'_>) {
    if let Some(Frame::Paragraph(p)) = stack.last_mut() {
        if p.lead == Lead::AfterStrong && p.top_level && is_pseudo_heading(&p.text) {
            let heading = std::mem::take(&mut p.text);
            p.lead = Lead::Split;
            p.other_text = false;
            builder.heading(0, &heading, Some(PseudoScope::Paragraph));
            return;
        }
        if p.lead != Lead::Split {
            p.lead = Lead::No;
        }
    }
    text(" ", stack);
}

/// A bold line reads as a heading unless it is really a sentence: too long,
/// or ending like one ("**PM = direction. PO = execution.**").
fn is_pseudo_heading(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.len() <= MAX_PSEUDO_HEADING && !t.ends_with(['.', ',', ';', '!'])
}
