//! What each subcommand does, over the `index` and `indexer` libraries.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use index::{BuildOptions, OpenOptions, SearchIndex, SearchRequest};
use indexer::{Severity, Taxonomy};

use crate::cli::{Cli, Command, IndexArgs, PiecesArgs, QueryArgs};

/// Errors the user can fix by changing what they typed or pointed at: exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.is::<InputError>() {
            return 2;
        }
        if let Some(e) = cause.downcast_ref::<index::Error>() {
            return match e {
                index::Error::Io { .. } | index::Error::Tantivy(_) | index::Error::Locked(_) => 1,
                _ => 2,
            };
        }
    }
    1
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index(args) => index_command(args),
        Command::Query(args) => query_command(args),
        Command::Roles => roles_command(),
        Command::Pieces(args) => pieces_command(args),
        Command::Eval(args) => crate::eval::run(args),
        Command::Sync(args) => sync_command(args),
        Command::Serve(args) => crate::http::serve(crate::settings::Settings::resolve(args)?),
    }
}

fn index_command(args: IndexArgs) -> Result<()> {
    let options = BuildOptions::default();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} indexing {bar:30} {pos}/{len} files {elapsed}")
                .expect("a valid template"),
        );
        Some(bar)
    } else {
        None
    };
    let mut progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = if args.full {
        index::build(&args.content, &args.location.index, &options, &mut progress).map(|b| {
            Summary {
                full: true,
                files: b.files,
                read: b.files,
                changed: b.files,
                articles: b.articles as u64,
                pieces: b.pieces as u64,
                upserted: b.articles,
                deleted: 0,
                problems: b.problems,
                elapsed: b.elapsed,
            }
        })
    } else {
        index::update(&args.content, &args.location.index, &options, &mut progress).map(|u| {
            Summary {
                full: u.full,
                files: u.files,
                read: u.read,
                changed: u.added + u.changed + u.removed,
                articles: u.articles,
                pieces: u.pieces,
                upserted: u.upserted,
                deleted: u.deleted,
                problems: u.problems,
                elapsed: u.elapsed,
            }
        })
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report.with_context(|| format!("indexing {} failed", args.content.display()))?;
    let mut err = std::io::stderr().lock();
    for problem in report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
    {
        writeln!(
            err,
            "warning: {}: {}: {}",
            problem.source, problem.path, problem.reason
        )?;
    }
    let skipped: Vec<String> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Skipped)
        .map(|p| format!("{} ({}: {})", p.source, p.path, p.reason))
        .collect();
    let how = if report.full {
        format!("{} files", report.files)
    } else {
        format!(
            "{} files ({} read, {} added/changed/removed; {} articles re-indexed, {} removed)",
            report.files, report.read, report.changed, report.upserted, report.deleted
        )
    };
    let mut line = format!(
        "indexed {} articles, {} pieces from {} into {} in {:.2}s",
        report.articles,
        report.pieces,
        how,
        args.location.index.display(),
        report.elapsed.as_secs_f64()
    );
    if skipped.is_empty() {
        line.push_str("; nothing skipped");
    } else {
        line.push_str(&format!(
            "; skipped {}: {}",
            skipped.len(),
            skipped.join("; ")
        ));
    }
    writeln!(err, "{line}")?;
    Ok(())
}

/// What `rolesearch index` reports, for a full build or an update.
struct Summary {
    full: bool,
    files: usize,
    read: usize,
    changed: usize,
    articles: u64,
    pieces: u64,
    upserted: usize,
    deleted: usize,
    problems: Vec<indexer::Problem>,
    elapsed: std::time::Duration,
}
fn query_command(args: QueryArgs) -> Result<()> {
    let options = OpenOptions {
        taxonomy: Arc::new(Taxonomy::builtin()),
        synonyms: Arc::new(load_synonyms(args.synonyms.as_deref())?),
        url_pattern: args.url_pattern.clone(),
        ..OpenOptions::default()
    };
    if !args.url_pattern.contains("{slug}") {
        return Err(InputError(format!(
            "--url-pattern {:?} must contain {{slug}}",
            args.url_pattern
        ))
        .into());
    }
    let index = SearchIndex::open(&args.location.index, options)?;
    let request = SearchRequest {
        q: args.query.join(" "),
        roles: args.roles.clone(),
        categories: args.categories.clone(),
        limit: args.limit,
        offset: args.offset,
        sections: args.sections,
    };
    let response = index.search(&request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        crate::print::human(&response, &mut anstream::AutoStream::auto(out))?;
    }
    Ok(())
}

/// The synonym file given, or the built-in one.
pub fn load_synonyms(path: Option<&std::path::Path>) -> Result<index::Synonyms> {
    match path {
        None => Ok(index::Synonyms::builtin()),
        Some(path) => index::Synonyms::from_file(path).map_err(|e| {
            InputError(format!("cannot read synonyms file {}: {e}", path.display())).into()
        }),
    }
}

fn sync_command(args: crate::cli::SyncArgs) -> Result<()> {
    let source = crate::strapi::Source {
        url: args.strapi_url,
        token: std::env::var("ROLESEARCH_STRAPI_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        collection: args.collection,
        page_size: usize::from(args.page_size),
    };
    let synced = crate::sync::sync(&source, &args.location.index, &Taxonomy::builtin())?;
    let mut err = std::io::stderr().lock();
    for p in &synced.problems {
        writeln!(err, "{p}")?;
    }
    writeln!(err, "{synced}")?;
    Ok(())
}

fn roles_command() -> Result<()> {
    let taxonomy = Taxonomy::builtin();
    let mut out = std::io::stdout().lock();
    for role in taxonomy.roles() {
        let mut names = role.acronyms.clone();
        names.extend(role.aliases.iter().take(3).cloned());
        writeln!(
            out,
            "{:<28} {:<28} {}",
            role.id,
            role.name,
            names.join(", ")
        )?;
    }
    Ok(())
}

fn pieces_command(args: PiecesArgs) -> Result<()> {
    let taxonomy = Taxonomy::builtin();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for file in &args.files {
        if !file.is_file() {
            return Err(InputError(format!("{} is not a file", file.display())).into());
        }
        let parsed = indexer::read_file(file, &taxonomy);
        for problem in &parsed.problems {
            eprintln!("{problem}");
            failed |= problem.severity == Severity::Skipped;
        }
        for article in &parsed.articles {
            if args.json {
                serde_json::to_writer(&mut out, article)?;
                writeln!(out)?;
                continue;
            }
            writeln!(out, "# {} ({})", article.title, article.slug)?;
            writeln!(
                out,
                "  key {} · category {}",
                article.key,
                article.category.as_deref().unwrap_or("-")
            )?;
            writeln!(out, "  roles {}", crate::print::tags(&article.roles))?;
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
                    crate::print::tags(&p.roles)
                )?;
            }
        }
    }
    if failed {
        return Err(InputError("some content was skipped (see above)".into()).into());
    }
    Ok(())
}
