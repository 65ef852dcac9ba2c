//! The fixed query mix: what readers of a careers site type, and what
//! readers of the PostgreSQL manual type, so that both corpora get hits
//! and misses. Deterministic: the same list in the same order every run.

use index::SearchRequest;

/// One query of the mix.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub kind: &'static str,
    pub request: SearchRequest,
}

impl BenchQuery {
    /// A short label for reports.
    pub fn label(&self) -> String {
        let r = &self.request;
        let mut s = format!("{:?}", r.q);
        if !r.roles.is_empty() {
            s.push_str(&format!(" roles={}", r.roles.join(",")));
        }
        if !r.categories.is_empty() {
            s.push_str(&format!(" categories={}", r.categories.join(",")));
        }
        if r.offset > 0 {
            s.push_str(&format!(" offset={}", r.offset));
        }
        s
    }
}

fn plain(kind: &'static str, qs: &[&str]) -> Vec<BenchQuery> {
    qs.iter()
        .map(|q| BenchQuery {
            kind,
            request: SearchRequest::new(*q),
        })
        .collect()
}

fn roled(q: &str, roles: &[&str]) -> BenchQuery {
    BenchQuery {
        kind: "role-filter",
        request: SearchRequest {
            roles: roles.iter().map(|r| r.to_string()).collect(),
            ..SearchRequest::new(q)
        },
    }
}

fn category(q: &str, categories: &[&str]) -> BenchQuery {
    BenchQuery {
        kind: "category-filter",
        request: SearchRequest {
            categories: categories.iter().map(|r| r.to_string()).collect(),
            ..SearchRequest::new(q)
        },
    }
}

fn paged(q: &str, offset: usize) -> BenchQuery {
    BenchQuery {
        kind: "paging",
        request: SearchRequest {
            offset,
            ..SearchRequest::new(q)
        },
    }
}

/// The mix, in a fixed order (kinds interleaved, so a run of `--queries`
/// shorter than the mix still sees every kind).
pub fn mix() -> Vec<BenchQuery> {
    let groups: Vec<Vec<BenchQuery>> = vec![
        plain(
            "word-common",
            &[
                "team",
                "product",
                "data",
                "process",
                "management",
                "customer",
                "performance",
                "release",
                "system",
                "change",
                "time",
                "user",
                "requirements",
                "roadmap",
                "backlog",
                "stakeholders",
                "table",
                "query",
                "server",
                "function",
                "value",
                "configuration",
                "security",
                "example",
            ],
        ),
        plain(
            "word-rare",
            &[
                "kaleidoscope",
                "zeitgeist",
                "serendipity",
                "obsequious",
                "telescope",
                "okrs",
                "retrospective",
                "onboarding",
                "tablespace",
                "savepoint",
                "autovacuum",
                "collation",
                "tsvector",
                "plpgsql",
                "brin",
                "xyzzyplugh",
            ],
        ),
        plain(
            "database",
            &[
                "index",
                "vacuum",
                "transaction isolation",
                "\"foreign key\"",
                "pg_dump",
                "replication slot",
                "primary key",
                "create table",
                "query planner",
                "explain analyze",
                "checkpoint",
                "shared_buffers",
                "json",
                "trigger function",
                "row level security",
                "partition",
                "deadlock",
                "prepared statement",
                "connection pooling",
                "write-ahead log",
            ],
        ),
        plain(
            "two-words",
            &[
                "product roadmap",
                "backlog refinement",
                "stakeholder management",
                "sprint planning",
                "user research",
                "career path",
                "technical debt",
                "data analysis",
                "release planning",
                "team structure",
                "salary range",
                "interview questions",
                "server configuration",
                "data types",
                "customer feedback",
                "market strategy",
            ],
        ),
        plain(
            "phrase",
            &[
                "\"acceptance criteria\"",
                "\"user stories\"",
                "\"product owner\"",
                "\"definition of done\"",
                "\"primary key\"",
                "\"write-ahead log\"",
                "\"connection pooling\"",
                "\"the product backlog\"",
                "\"data types\"",
                "\"query planner\"",
            ],
        ),
        vec![
            roled("backlog", &["product-owner"]),
            roled("requirements", &["business-analyst"]),
            roled("roadmap", &["product-manager"]),
            roled("salary", &["product-manager"]),
            roled("interview", &["ux-researcher"]),
            roled("sprint", &["scrum-master"]),
            roled("data", &["data-scientist"]),
            roled("design", &["product-designer"]),
            roled("launch", &["product-marketing-manager"]),
            roled("index", &["engineering-manager"]),
            roled("team", &["tech-lead"]),
            roled("stakeholders", &["project-manager"]),
            roled("acceptance criteria", &["Product Owner"]),
            roled("process", &["BA", "PO"]),
            roled("career", &["associate-product-manager", "product-analyst"]),
            roled("table", &["program-manager"]),
        ],
        plain(
            "question",
            &[
                "who writes acceptance criteria",
                "what does a product owner do",
                "how much does a product manager earn",
                "what is the difference between a PM and a PO",
                "who owns the product backlog",
                "how do I become a business analyst",
                "what is a foreign key",
                "how to create an index",
                "how does vacuum work",
                "what is transaction isolation",
                "why is my query slow",
                "how to back up a database",
            ],
        ),
        plain(
            "acronym",
            &[
                "PO vs BA",
                "PM vs PO",
                "PM vs PMM",
                "TPM",
                "APM",
                "SE",
                "EM vs tech lead",
                "BA",
                "SQL",
                "WAL",
                "MVCC",
                "TCP",
                "SSL",
                "OKRs",
                "KPI",
            ],
        ),
        vec![
            paged("team", 20),
            paged("product", 20),
            paged("data", 20),
            paged("table", 20),
            paged("function", 20),
            paged("manager", 20),
            paged("server", 50),
            paged("work", 100),
        ],
        vec![
            category("process", &["Teams"]),
            category("salary", &["Pay"]),
            category("product owner", &["Roles", "Comparisons"]),
        ],
        plain(
            "long",
            &[
                "how to write good user stories with acceptance criteria for the team",
                "best way to configure the server for high write throughput with replication",
            ],
        ),
    ];
    // Round-robin over the groups.
    let mut out = Vec::new();
    let mut iters: Vec<_> = groups.into_iter().map(|g| g.into_iter()).collect();
    loop {
        let mut any = false;
        for it in &mut iters {
            if let Some(q) = it.next() {
                out.push(q);
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    out
}
