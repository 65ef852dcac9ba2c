//! Prints the pieces of content files, one line each, to read what the
//! indexer made of them:
//!
//!     cargo run -p rolesearch-indexer --example pieces -- content/roles/product-owner.json

use indexer::{read_file, Salience, Taxonomy};

fn main() {
    let taxonomy = Taxonomy::builtin();
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: pieces FILE.json...");
        std::process::exit(2);
    }
    for file in files {
        let parsed = read_file(std::path::Path::new(&file), &taxonomy);
        for problem in &parsed.problems {
            eprintln!("{problem}");
        }
        for article in &parsed.articles {
            println!(
                "# {} ({}) key={} category={:?}",
                article.title, article.slug, article.key, article.category
            );
            println!("  roles: {}", tags(&article.roles));
            for p in &article.pieces {
                println!(
                    "{:>4} {:<10} #{:<40} [{}] {}",
                    p.position,
                    p.kind.as_str(),
                    p.anchor,
                    tags(&p.roles),
                    p.text
                );
                println!("     path: {}", p.heading_path.join(" > "));
            }
        }
    }
}

fn tags(tags: &[indexer::RoleTag]) -> String {
    tags.iter()
        .map(|t| match t.salience {
            Salience::Main => format!("*{}", t.role),
            Salience::Mention => t.role.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
