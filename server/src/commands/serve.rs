//! `rolesearch serve`: the HTTP API and the search page, until Ctrl-C or
//! SIGTERM.

use anyhow::Result;

use crate::options::serve::ServeOptions;

pub fn run(options: ServeOptions) -> Result<()> {
    crate::http::serve(options)
}
