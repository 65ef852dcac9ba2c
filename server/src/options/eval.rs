//! `rolesearch eval`: the judged query set and the baseline, read and
//! parsed before the index is opened.

use std::path::{Path, PathBuf};

use index::{EvalReport, JudgedSet, Location, OpenOptions};
use serde::de::DeserializeOwned;

use super::shared;
use crate::cli::EvalArgs;
use crate::error::{Code, Error};

/// A validated `eval`.
pub struct EvalOptions {
    /// The index folder, or the OpenSearch cluster.
    pub index: Location,
    pub open: OpenOptions,
    pub set: JudgedSet,
    /// A report saved earlier, to print the differences from.
    pub baseline: Option<EvalReport>,
    /// Where to save this run's report.
    pub save: Option<PathBuf>,
    pub json: bool,
}

impl EvalOptions {
    pub fn resolve(args: EvalArgs) -> Result<EvalOptions, Error> {
        let set = read_json(&args.file, "judged query set", "a judged query set")?;
        let baseline = match &args.baseline {
            None => None,
            Some(path) => Some(read_json(path, "baseline", "a saved eval report")?),
        };
        let synonyms = shared::synonyms(args.synonyms.as_deref())?;
        let (index, taxonomy) = shared::located(args.location)?;
        Ok(EvalOptions {
            index,
            open: shared::open_options(
                taxonomy,
                synonyms,
                index::DEFAULT_URL_PATTERN.into(),
                Default::default(),
                0,
            ),
            set,
            baseline,
            save: args.save,
            json: args.json,
        })
    }
}

/// Reads `path` as JSON of type `T`; `role` names the file in the "cannot
/// read" message, `what` says what it should be.
fn read_json<T: DeserializeOwned>(path: &Path, role: &str, what: &str) -> Result<T, Error> {
    let text = shared::read_text(path, role)?;
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            format!("{} is not {what}: {e}", path.display()),
        )
    })
}
