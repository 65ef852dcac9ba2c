//! A deterministic synthetic corpus of Strapi articles of realistic shape.
//!
//! Article `i` is generated from its own seed, so the first 1,000 articles of
//! the 10,000 corpus are the 1,000 corpus. Words come from a Zipf-Mandelbrot
//! distribution over `words.txt`, with role names and acronyms of the built-in
//! taxonomy, career phrases and numbers mixed in. Markdown has `##` and `###`
//! headings, paragraphs of 40–120 words, bullet lists, pipe tables with role
//! names in the first column and bold pseudo-headings; blocks are
//! `shared.rich-text` with occasional `shared.media` and `shared.quote`.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use serde_json::{json, Value};

const WORDS: &str = include_str!("words.txt");

/// Multi-word phrases that queries look for.
const PHRASES: &[&str] = &[
    "acceptance criteria",
    "user stories",
    "product backlog",
    "definition of done",
    "stakeholder management",
    "product roadmap",
    "sprint planning",
    "backlog refinement",
    "technical debt",
    "user research",
    "career path",
    "salary range",
    "interview questions",
    "foreign key",
    "primary key",
    "connection pooling",
    "transaction isolation",
    "replication slot",
    "query planner",
    "write-ahead log",
    "data types",
    "release planning",
    "team structure",
];

const CATEGORIES: &[&str] = &[
    "Roles",
    "Comparisons",
    "Pay",
    "Teams",
    "Careers",
    "Interviews",
    "Process",
    "Tools",
];

const PEOPLE: &[&str] = &[
    "Alex Morgan",
    "Priya Shah",
    "Tom Becker",
    "Maria Lopez",
    "Chen Wei",
    "Sam Okafor",
    "Julia Novak",
    "Ravi Kumar",
];

/// splitmix64: tiny, fast and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in [lo, hi].
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// How a role can be named in text.
struct RoleNames {
    name: String,
    acronym: Option<String>,
}

/// What the generator draws from.
pub struct Generator {
    words: Vec<&'static str>,
    cdf: Vec<f64>,
    roles: Vec<RoleNames>,
    seed: u64,
}

/// One generated corpus on disk.
pub struct Written {
    pub files: usize,
    pub articles: usize,
    pub markdown_bytes: usize,
    pub json_bytes: usize,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        let mut words: Vec<&'static str> = Vec::new();
        for line in WORDS.lines().filter(|l| !l.starts_with('#')) {
            for w in line.split_whitespace() {
                if !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        let mut cdf = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for rank in 0..words.len() {
            total += 1.0 / (rank as f64 + 2.7);
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        let roles = indexer::Taxonomy::builtin()
            .roles()
            .iter()
            .map(|r| RoleNames {
                name: r.name.clone(),
                acronym: r.acronyms.first().cloned(),
            })
            .collect();
        Generator {
            words,
            cdf,
            roles,
            seed,
        }
    }

    pub fn vocabulary(&self) -> usize {
        self.words.len()
    }

    /// Writes articles `0..n` under `dir`, `per_file` articles a file (one
    /// article object per file, or `{"data": [...]}` lists).
    pub fn write(&self, dir: &Path, n: usize, per_file: usize) -> std::io::Result<Written> {
        fs::create_dir_all(dir)?;
        let per_file = per_file.max(1);
        let mut written = Written {
            files: 0,
            articles: 0,
            markdown_bytes: 0,
            json_bytes: 0,
        };
        let mut start = 0;
        while start < n {
            let end = (start + per_file).min(n);
            let mut list = Vec::with_capacity(end - start);
            for i in start..end {
                let (article, md) = self.article(i);
                written.markdown_bytes += md;
                list.push(article);
            }
            let value = if per_file == 1 {
                list.pop().expect("one article")
            } else {
                json!({ "data": list })
            };
            let bytes = serde_json::to_vec(&value).expect("JSON serializes");
            let name = if per_file == 1 {
                format!("article-{start:07}.json")
            } else {
                format!("articles-{start:07}.json")
            };
            fs::File::create(dir.join(name))?.write_all(&bytes)?;
            written.files += 1;
            written.articles += end - start;
            written.json_bytes += bytes.len();
            start = end;
        }
        Ok(written)
    }

    /// Article number `i` as Strapi 5 JSON, and its bytes of markdown.
    pub fn article(&self, i: usize) -> (Value, usize) {
        let mut rng = Rng::new(self.seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let title = self.title(&mut rng);
        let slug = format!("{}-{i}", slugify(&title));
        let mut description = String::new();
        let words = rng.range(15, 30);
        self.sentence(&mut rng, &mut description, words);
        let category = rng.below(CATEGORIES.len());

        let mut blocks = Vec::new();
        let mut markdown_bytes = 0;
        let sections = rng.range(2, 5);
        let mut done = 0;
        let mut block_id = i * 16;
        while done < sections {
            let take = rng.range(1, 2).min(sections - done);
            let mut body = String::new();
            for _ in 0..take {
                self.section(&mut rng, &mut body);
            }
            done += take;
            markdown_bytes += body.len();
            block_id += 1;
            blocks.push(json!({
                "__component": "shared.rich-text",
                "id": block_id,
                "body": body,
            }));
            if done < sections && rng.chance(0.25) {
                block_id += 1;
                blocks.push(self.media(&mut rng, block_id));
            }
            if rng.chance(0.12) {
                block_id += 1;
                let mut body = String::new();
                let words = rng.range(12, 30);
                self.sentence(&mut rng, &mut body, words);
                blocks.push(json!({
                    "__component": "shared.quote",
                    "id": block_id,
                    "title": rng.pick(PEOPLE),
                    "body": body,
                }));
            }
        }
        let day = i % 28 + 1;
        let month = (i / 28) % 12 + 1;
        let article = json!({
            "id": i + 1,
            "documentId": format!("doc{:021}", i),
            "title": title,
            "slug": slug,
            "description": description,
            "publishedAt": format!("2025-{month:02}-{day:02}T09:00:00.000Z"),
            "locale": "en",
            "category": {
                "id": category + 1,
                "name": CATEGORIES[category],
                "slug": CATEGORIES[category].to_lowercase(),
            },
            "author": { "id": i % PEOPLE.len() + 1, "name": PEOPLE[i % PEOPLE.len()] },
            "blocks": blocks,
        });
        (article, markdown_bytes)
    }

    fn word(&self, rng: &mut Rng) -> &'static str {
        let u = rng.unit();
        let at = self.cdf.partition_point(|&c| c < u);
        self.words[at.min(self.words.len() - 1)]
    }

    fn role<'a>(&'a self, rng: &mut Rng) -> &'a RoleNames {
        &self.roles[rng.below(self.roles.len())]
    }

    /// A role as text mentions it: its name, or its acronym in capitals.
    fn role_mention(&self, rng: &mut Rng, out: &mut String) {
        let role = self.role(rng);
        match &role.acronym {
            Some(acronym) if rng.chance(0.4) => out.push_str(acronym),
            _ if rng.chance(0.3) => out.push_str(&role.name.to_lowercase()),
            _ => out.push_str(&role.name),
        }
    }

    /// A sentence of about `words` words, capitalized and closed.
    fn sentence(&self, rng: &mut Rng, out: &mut String, words: usize) {
        let start = out.len();
        let mut i = 0;
        while i < words {
            if i > 0 {
                if rng.chance(0.06) {
                    out.push(',');
                }
                out.push(' ');
            }
            let r = rng.unit();
            if r < 0.025 {
                self.role_mention(rng, out);
                i += 2;
            } else if r < 0.045 {
                out.push_str(rng.pick(PHRASES));
                i += 2;
            } else if r < 0.055 {
                let _ = write!(out, "{}", rng.below(2000) + 1);
                i += 1;
            } else {
                out.push_str(self.word(rng));
                i += 1;
            }
        }
        if let Some(first) = out[start..].chars().next() {
            if first.is_ascii_lowercase() {
                out.replace_range(start..start + 1, &first.to_ascii_uppercase().to_string());
            }
        }
        out.push(if rng.chance(0.04) { '?' } else { '.' });
    }

    fn paragraph(&self, rng: &mut Rng, out: &mut String) {
        let target = rng.range(40, 120);
        let mut words = 0;
        while words < target {
            if words > 0 {
                out.push(' ');
            }
            let n = rng.range(8, 24).min(target - words).max(4);
            self.sentence(rng, out, n);
            words += n;
        }
        out.push_str("\n\n");
    }

    /// A few words, the first capitalized.
    fn phrase(&self, rng: &mut Rng, out: &mut String, words: usize) {
        let start = out.len();
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.word(rng));
        }
        if let Some(first) = out[start..].chars().next() {
            if first.is_ascii_lowercase() {
                out.replace_range(start..start + 1, &first.to_ascii_uppercase().to_string());
            }
        }
    }

    fn heading_text(&self, rng: &mut Rng, out: &mut String) {
        if rng.chance(0.25) {
            let role = self.role(rng);
            match rng.below(4) {
                0 => match &role.acronym {
                    Some(a) => {
                        let _ = write!(out, "What is a {} ({a})?", role.name);
                    }
                    None => {
                        let _ = write!(out, "What is a {}?", role.name);
                    }
                },
                1 => {
                    let _ = write!(out, "What does a {} do?", role.name);
                }
                2 => {
                    let other = self.role(rng);
                    let _ = write!(out, "{} vs {}", role.name, other.name);
                }
                _ => {
                    let _ = write!(out, "How the {} works with ", role.name);
                    let words = rng.range(1, 3);
                    self.phrase(rng, out, words);
                    out.make_ascii_lowercase();
                    let first = out.remove(0).to_ascii_uppercase();
                    out.insert(0, first);
                }
            }
        } else {
            let words = rng.range(2, 5);
            self.phrase(rng, out, words);
        }
    }

    /// A `##` section: paragraphs, maybe a `###` subsection, a list, a
    /// table or a bold pseudo-heading.
    fn section(&self, rng: &mut Rng, out: &mut String) {
        out.push_str("## ");
        let mut heading = String::new();
        self.heading_text(rng, &mut heading);
        out.push_str(&heading);
        out.push_str("\n\n");
        for _ in 0..rng.range(1, 3) {
            self.paragraph(rng, out);
        }
        if rng.chance(0.2) {
            // A bold pseudo-heading: leading a paragraph, or alone above it.
            out.push_str("**");
            let role = self.role(rng);
            match &role.acronym {
                Some(a) if rng.chance(0.5) => {
                    let _ = write!(out, "What is a {} ({a})?", role.name);
                }
                _ => {
                    let words = rng.range(2, 5);
                    self.phrase(rng, out, words);
                    out.push('?');
                }
            }
            out.push_str(if rng.chance(0.5) { "**\n" } else { "**\n\n" });
            self.paragraph(rng, out);
        }
        if rng.chance(0.35) {
            for _ in 0..rng.range(3, 7) {
                out.push_str("- ");
                if rng.chance(0.3) {
                    out.push_str("**");
                    let words = rng.range(1, 3);
                    self.phrase(rng, out, words);
                    out.push_str(".** ");
                }
                let words = rng.range(5, 18);
                self.sentence(rng, out, words);
                out.push('\n');
            }
            out.push('\n');
        }
        if rng.chance(0.4) {
            out.push_str("### ");
            let words = rng.range(2, 4);
            self.phrase(rng, out, words);
            out.push_str("\n\n");
            for _ in 0..rng.range(1, 2) {
                self.paragraph(rng, out);
            }
        }
        if rng.chance(0.2) {
            self.table(rng, out);
        }
    }

    fn table(&self, rng: &mut Rng, out: &mut String) {
        let columns = rng.range(3, 4);
        out.push_str("| Role |");
        for _ in 1..columns {
            out.push(' ');
            let words = rng.range(1, 2);
            self.phrase(rng, out, words);
            out.push_str(" |");
        }
        out.push_str("\n|");
        for _ in 0..columns {
            out.push_str("---|");
        }
        out.push('\n');
        for _ in 0..rng.range(3, 6) {
            out.push_str("| ");
            out.push_str(&self.role(rng).name);
            out.push_str(" |");
            for c in 1..columns {
                out.push(' ');
                if c == columns - 1 && rng.chance(0.5) {
                    let low = rng.range(35, 90);
                    let _ = write!(out, "£{low},000–£{},000", low + rng.range(10, 40));
                } else {
                    let words = rng.range(2, 6);
                    self.phrase(rng, out, words);
                }
                out.push_str(" |");
            }
            out.push('\n');
        }
        out.push('\n');
    }

    fn media(&self, rng: &mut Rng, id: usize) -> Value {
        let mut alt = String::new();
        let words = rng.range(6, 12);
        self.sentence(rng, &mut alt, words);
        let caption = if rng.chance(0.5) {
            let mut c = String::new();
            let words = rng.range(6, 16);
            self.sentence(rng, &mut c, words);
            Value::String(c)
        } else {
            Value::Null
        };
        let mut stem = String::new();
        self.phrase(rng, &mut stem, 3);
        let stem = slugify(&stem);
        json!({
            "__component": "shared.media",
            "id": id,
            "file": {
                "id": id,
                "name": format!("{stem}.jpg"),
                "alternativeText": alt,
                "caption": caption,
                "url": format!("/uploads/{stem}_{id:x}.jpg"),
                "width": 1200,
                "height": 800,
                "mime": "image/jpeg",
            },
        })
    }

    fn title(&self, rng: &mut Rng) -> String {
        let role = &self.role(rng).name;
        let mut out = String::new();
        match rng.below(8) {
            0 => {
                let _ = write!(out, "What Does a {role} Do?");
            }
            1 => {
                let other = &self.role(rng).name;
                let _ = write!(out, "{role} vs {other}: Key Differences");
            }
            2 => {
                let _ = write!(out, "{role} Salary Guide");
            }
            3 => {
                let _ = write!(out, "How to Become a {role}");
            }
            _ => {
                let words = rng.range(3, 6);
                self.phrase(rng, &mut out, words);
            }
        }
        out
    }
}

pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("article");
    }
    out
}
