//! `rolesearch eval` output: a line per judged query, the measures per
//! tag and overall, and the differences from a baseline.

use std::io::Write;

use index::{EvalReport, Metrics};

pub fn report(
    report: &EvalReport,
    baseline: Option<&EvalReport>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<48} {:>6} {:>5} {:>3} {:>3}  first result",
        "query", "nDCG@5", "RR", "@1", "@3"
    )?;
    for q in &report.queries {
        let mark = |b: bool| if b { "yes" } else { "-" };
        writeln!(
            out,
            "{:<48} {:>6.3} {:>5.2} {:>3} {:>3}  {}",
            truncate(&q.q, 48),
            q.ndcg_at_5,
            q.reciprocal_rank,
            mark(q.success_at_1),
            mark(q.success_at_3),
            q.first.as_deref().unwrap_or("(nothing)")
        )?;
    }
    writeln!(out)?;
    for (tag, m) in &report.by_tag {
        writeln!(out, "{:<16} {}", tag, line(m))?;
    }
    writeln!(out, "{:<16} {}", "overall", line(&report.overall))?;
    if let Some(base) = baseline {
        writeln!(out)?;
        let (a, b) = (&base.overall, &report.overall);
        writeln!(
            out,
            "vs baseline: nDCG@5 {}  MRR {}  success@1 {}  success@3 {}",
            delta(b.ndcg_at_5 - a.ndcg_at_5),
            delta(b.mrr - a.mrr),
            delta(b.success_at_1 - a.success_at_1),
            delta(b.success_at_3 - a.success_at_3)
        )?;
        for q in &report.queries {
            if let Some(old) = base.queries.iter().find(|o| o.q == q.q) {
                let delta = q.ndcg_at_5 - old.ndcg_at_5;
                if delta.abs() >= 0.001 {
                    writeln!(
                        out,
                        "  {:+.3}  {:<48} {} -> {}",
                        delta,
                        truncate(&q.q, 48),
                        old.first.as_deref().unwrap_or("-"),
                        q.first.as_deref().unwrap_or("-")
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// A difference to three decimals, signed; one too small to show is
/// `+0.000`, never `-0.000`.
fn delta(d: f64) -> String {
    let rounded = (d * 1000.0).round() / 1000.0;
    if rounded == 0.0 {
        "+0.000".into()
    } else {
        format!("{rounded:+.3}")
    }
}

fn line(m: &Metrics) -> String {
    format!(
        "{:>4} queries  nDCG@5 {:.3}  MRR {:.3}  success@1 {:.3}  success@3 {:.3}",
        m.queries, m.ndcg_at_5, m.mrr, m.success_at_1, m.success_at_3
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::delta;

    #[test]
    fn a_difference_too_small_to_show_is_plus_zero() {
        assert_eq!(delta(-0.0000001), "+0.000");
        assert_eq!(delta(0.0004), "+0.000");
        assert_eq!(delta(-0.0006), "-0.001");
        assert_eq!(delta(0.0125), "+0.013");
    }
}
