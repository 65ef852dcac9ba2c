//! `rolesearch pieces`: the content files to split.

use std::path::PathBuf;

use crate::cli::PiecesArgs;
use crate::error::{Code, Error};

/// A validated `pieces`: every file exists.
pub struct PiecesOptions {
    pub files: Vec<PathBuf>,
    /// JSON lines rather than text.
    pub json: bool,
}

impl PiecesOptions {
    pub fn resolve(args: PiecesArgs) -> Result<PiecesOptions, Error> {
        if let Some(file) = args.files.iter().find(|f| !f.is_file()) {
            return Err(Error::new(
                Code::InvalidInput,
                format!("{} is not a file", file.display()),
            ));
        }
        Ok(PiecesOptions {
            files: args.files,
            json: args.json,
        })
    }
}
