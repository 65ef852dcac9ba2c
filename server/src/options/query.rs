//! `rolesearch query`: the search request and how to open the index.

use anyhow::Result;
use index::{Location, OpenOptions, SearchRequest};

use super::shared;
use crate::cli::QueryArgs;
use crate::error::{Code, Error};

/// A validated `query`.
pub struct QueryOptions {
    /// The index folder, or the OpenSearch cluster.
    pub index: Location,
    pub open: OpenOptions,
    /// Checked against the limits already.
    pub request: SearchRequest,
    /// Print the API's JSON rather than text.
    pub json: bool,
}

impl QueryOptions {
    pub fn resolve(args: QueryArgs) -> Result<QueryOptions> {
        let synonyms = shared::synonyms(args.synonyms.as_deref())?;
        let url_pattern = shared::url_pattern(args.url_pattern, "--url-pattern")?;
        let request = SearchRequest {
            q: args.query.join(" "),
            roles: args.roles,
            categories: args.categories,
            locales: args.locales,
            limit: args.limit,
            offset: args.offset,
            sections: args.sections,
        };
        if request.q.trim().is_empty() && request.roles.is_empty() && request.categories.is_empty()
        {
            return Err(Error::new(
                Code::InvalidArgument,
                "a query needs at least one word (or --role/--category to browse)",
            )
            .into());
        }
        request.validate()?;
        let (index, taxonomy) = shared::located(args.location)?;
        Ok(QueryOptions {
            index,
            open: shared::open_options(taxonomy, synonyms, url_pattern, Default::default(), 0),
            request,
            json: args.json,
        })
    }
}
