//! Turns a stream of headings and blocks into pieces with their heading path,
//! anchor, position and roles.
//!
//! One builder serves a whole article, across all its components: a table in
//! a component of its own still sits under the heading that the previous
//! component ended with. Bold pseudo-headings (`**What is a PO?**`) enter the
//! heading path one level below the current real heading; one that leads a
//! paragraph covers only that paragraph, a bold-only paragraph covers what
//! follows until the next heading or the end of its component.

use crate::article::{Media, Piece, PieceKind, RoleTag, Salience};
use crate::taxonomy::{AcronymCase, Languages, Taxonomy};
use crate::text::Anchors;

/// How far a pseudo-heading reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PseudoScope {
    /// Only the rest of the paragraph it leads.
    Paragraph,
    /// Until the next heading or the end of the component.
    Component,
}

#[derive(Debug)]
struct Heading {
    level: u8,
    text: String,
    anchor: String,
    roles: Vec<usize>,
    pseudo: Option<PseudoScope>,
}

pub(crate) struct Builder<'t> {
    taxonomy: &'t Taxonomy,
    /// The article's language: its role names count, with the English ones.
    language: String,
    title: String,
    pieces: Vec<Piece>,
    headings: Vec<Heading>,
    anchors: Anchors,
    /// Column headers (after the first) of the table row being pushed.
    table_headers: Vec<String>,
}

impl<'t> Builder<'t> {
    pub fn new(taxonomy: &'t Taxonomy, language: String) -> Self {
        Builder {
            taxonomy,
            language,
            title: String::new(),
            pieces: Vec::new(),
            headings: Vec::new(),
            anchors: Anchors::default(),
            table_headers: Vec::new(),
        }
    }

    /// The first heading seen, for articles that carry no title.
    pub fn first_heading(&self) -> Option<&str> {
        self.pieces
            .iter()
            .find(|p| p.kind == PieceKind::Heading)
            .map(|p| p.text.as_str())
    }

    pub fn set_title(&mut self, title: &str) {
        self.title = title.to_string();
    }

    /// A real heading (`level` 1–6) or a pseudo-heading.
    pub fn heading(&mut self, level: u8, text: &str, pseudo: Option<PseudoScope>) {
        let text = crate::text::clean(text);
        if text.is_empty() {
            return;
        }
        let level = match pseudo {
            Some(_) => {
                let real = self
                    .headings
                    .iter()
                    .rev()
                    .find(|h| h.pseudo.is_none())
                    .map_or(1, |h| h.level);
                // One below the real heading; 7 under an h6 (any real
                // heading closes it).
                (real + 1).min(7)
            }
            None => level.clamp(1, 6),
        };
        while self
            .headings
            .last()
            .is_some_and(|h| h.level >= level || (pseudo.is_none() && h.pseudo.is_some()))
        {
            self.headings.pop();
        }
        let context = self.context();
        let roles = self.role_indices(&text, &context);
        let anchor = self.anchors.unique(&text);
        self.headings.push(Heading {
            level,
            text: text.clone(),
            anchor,
            roles,
            pseudo,
        });
        self.push(PieceKind::Heading, text, Vec::new(), None);
    }

    /// Ends the paragraph that a leading pseudo-heading covered.
    pub fn end_paragraph(&mut self) {
        if self
            .headings
            .last()
            .is_some_and(|h| h.pseudo == Some(PseudoScope::Paragraph))
        {
            self.headings.pop();
        }
    }

    /// Ends a component: pseudo-headings do not reach into the next one.
    pub fn end_component(&mut self) {
        while self.headings.last().is_some_and(|h| h.pseudo.is_some()) {
            self.headings.pop();
        }
    }

    pub fn title_piece(&mut self, title: &str) {
        let text = crate::text::clean(title);
        if text.is_empty() {
            return;
        }
        let roles = self.role_indices(&text, "");
        let tags = roles
            .into_iter()
            .map(|r| self.tag(r, Salience::Main))
            .collect();
        // The title comes first even when it is known only at the end (a
        // bare component list takes its first heading as title).
        self.pieces.insert(
            0,
            Piece {
                kind: PieceKind::Title,
                text,
                heading_path: Vec::new(),
                anchor: String::new(),
                position: 0,
                roles: tags,
                cells: Vec::new(),
                media: None,
            },
        );
        for (i, p) in self.pieces.iter_mut().enumerate() {
            p.position = i as u32;
        }
    }

    pub fn block(&mut self, kind: PieceKind, text: &str) {
        let text = crate::text::clean(text);
        if !text.is_empty() {
            self.push(kind, text, Vec::new(), None);
        }
    }

    pub fn table_row(&mut self, headers: &[String], cells: Vec<String>) {
        let mut keyed = Vec::new();
        for (i, cell) in cells.into_iter().enumerate() {
            let cell = crate::text::clean(&cell);
            if cell.is_empty() {
                continue;
            }
            let header = headers
                .get(i)
                .map(|h| crate::text::clean(h))
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| format!("Column {}", i + 1));
            keyed.push((header, cell));
        }
        if keyed.is_empty() {
            return;
        }
        // A first column without a header labels the rows ("Typical
        // background"): it reads as the label alone.
        let unlabelled_first = headers
            .first()
            .is_none_or(|h| crate::text::clean(h).is_empty());
        let text = keyed
            .iter()
            .map(|(h, c)| {
                if unlabelled_first && *h == "Column 1" {
                    c.clone()
                } else {
                    format!("{h}: {c}")
                }
            })
            .collect::<Vec<_>>()
            .join(" · ");
        self.table_headers = headers
            .iter()
            .skip(1)
            .map(|h| crate::text::clean(h))
            .collect();
        self.push(PieceKind::TableRow, text, keyed, None);
        self.table_headers.clear();
    }

    pub fn media(&mut self, media: Media) {
        let alt = media
            .alt
            .as_deref()
            .map(crate::text::clean)
            .unwrap_or_default();
        let caption = media
            .caption
            .as_deref()
            .map(crate::text::clean)
            .unwrap_or_default();
        let mut text = match (alt.is_empty(), caption.is_empty()) {
            (false, false) if alt != caption => format!("{alt} — {caption}"),
            (false, _) => alt,
            (true, false) => caption,
            (true, true) => String::new(),
        };
        if text.is_empty() {
            // Nothing written for readers: the file name is all there is.
            let name = media.name.as_deref().unwrap_or_default();
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            text = crate::text::readable_stem(stem);
        }
        if text.is_empty() && media.url.is_none() {
            return;
        }
        self.push(PieceKind::Media, text, Vec::new(), Some(media));
    }

    fn context(&self) -> String {
        let mut context = self.title.clone();
        for h in &self.headings {
            context.push_str(" . ");
            context.push_str(&h.text);
        }
        context
    }

    fn role_indices(&self, text: &str, context: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for m in self.taxonomy.mentions_in(
            text,
            context,
            AcronymCase::Exact,
            Languages::Of(&self.language),
        ) {
            if !out.contains(&m.role) {
                out.push(m.role);
            }
        }
        out
    }

    fn tag(&self, role: usize, salience: Salience) -> RoleTag {
        RoleTag {
            role: self.taxonomy.roles()[role].id.clone(),
            salience,
        }
    }

    fn push(
        &mut self,
        kind: PieceKind,
        text: String,
        cells: Vec<(String, String)>,
        media: Option<Media>,
    ) {
        let context = self.context();
        let mut main: Vec<usize> = Vec::new();
        let mut mention: Vec<usize> = Vec::new();
        let add = |list: &mut Vec<usize>, r: usize| {
            if !list.contains(&r) {
                list.push(r)
            }
        };
        // The row subject: roles named in the first cell; in a comparison
        // table laid out the other way round (roles as column headers, one
        // aspect per row), the roles of the headers.
        let subject: Vec<usize> = match cells.first() {
            Some((_, first)) if kind == PieceKind::TableRow => {
                let roles = self.role_indices(first, &context);
                if roles.is_empty() {
                    self.role_indices(&self.table_headers.join(" . "), &context)
                } else {
                    roles
                }
            }
            _ => Vec::new(),
        };
        for &r in &subject {
            add(&mut main, r);
        }
        // The nearest heading is what the piece is about; a heading piece's
        // nearest heading is itself. Headings further up are context.
        let nearest = self.headings.len().checked_sub(1);
        for (i, h) in self.headings.iter().enumerate() {
            let is_nearest = Some(i) == nearest;
            for &r in &h.roles {
                if is_nearest && subject.is_empty() {
                    add(&mut main, r);
                } else {
                    add(&mut mention, r);
                }
            }
        }
        // A piece that opens by naming a role ("POs manage the backlog",
        // "**PM** defines the problem") is about it.
        let body = match kind {
            PieceKind::TableRow => cells
                .iter()
                .map(|(_, c)| c.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
            _ => text.clone(),
        };
        for m in self.taxonomy.mentions_in(
            &body,
            &context,
            AcronymCase::Exact,
            Languages::Of(&self.language),
        ) {
            if m.start < 3 && kind != PieceKind::TableRow {
                add(&mut main, m.role);
            } else {
                add(&mut mention, m.role);
            }
        }
        mention.retain(|r| !main.contains(r));
        let roles = main
            .iter()
            .map(|&r| self.tag(r, Salience::Main))
            .chain(mention.iter().map(|&r| self.tag(r, Salience::Mention)))
            .collect();
        let (heading_path, anchor) = match self.headings.last() {
            Some(h) => (
                self.headings.iter().map(|h| h.text.clone()).collect(),
                h.anchor.clone(),
            ),
            None => (Vec::new(), String::new()),
        };
        self.pieces.push(Piece {
            kind,
            text,
            heading_path,
            anchor,
            position: self.pieces.len() as u32,
            roles,
            cells,
            media,
        });
    }

    /// The pieces, and the article's roles: the ones its title names, and
    /// the ones that pieces are mainly about often enough, are main.
    pub fn finish(self) -> (Vec<Piece>, Vec<RoleTag>) {
        let mut counts: Vec<(String, usize, usize)> = Vec::new();
        for p in &self.pieces {
            for tag in &p.roles {
                let entry = match counts.iter_mut().find(|(id, _, _)| *id == tag.role) {
                    Some(e) => e,
                    None => {
                        counts.push((tag.role.clone(), 0, 0));
                        counts.last_mut().expect("just pushed")
                    }
                };
                match tag.salience {
                    Salience::Main => entry.1 += 1,
                    Salience::Mention => entry.2 += 1,
                }
            }
        }
        let title_roles: Vec<String> = self
            .pieces
            .iter()
            .filter(|p| p.kind == PieceKind::Title)
            .flat_map(|p| p.roles.iter().map(|t| t.role.clone()))
            .collect();
        let threshold = (self.pieces.len() / 10).max(3);
        let mut main: Vec<(String, usize)> = Vec::new();
        let mut mention: Vec<(String, usize)> = Vec::new();
        for (id, m, n) in counts {
            if title_roles.contains(&id) {
                main.push((id, usize::MAX));
            } else if m >= threshold {
                main.push((id, m));
            } else {
                mention.push((id, m * 4 + n));
            }
        }
        main.sort_by_key(|e| std::cmp::Reverse(e.1));
        mention.sort_by_key(|e| std::cmp::Reverse(e.1));
        let roles = main
            .into_iter()
            .map(|(role, _)| RoleTag {
                role,
                salience: Salience::Main,
            })
            .chain(mention.into_iter().map(|(role, _)| RoleTag {
                role,
                salience: Salience::Mention,
            }))
            .collect();
        (self.pieces, roles)
    }
}
