//! `rolesearch roles` output: one line per role with its id, name,
//! acronyms and first aliases.

use std::io::Write;

use indexer::Taxonomy;

pub fn taxonomy(taxonomy: &Taxonomy, out: &mut impl Write) -> std::io::Result<()> {
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
