//! An article as a plain HTML page, for browsers that follow a result's
//! deep link to this server (`/articles/{slug}` asked for as HTML): every
//! heading carries its anchor as `id`, so `#section` links land on the
//! section. All article text is escaped.

use index::{ArticleOutline, PieceView};

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    index::escape_html(text, &mut out);
    out
}

pub fn render(article: &ArticleOutline, pieces: &[PieceView]) -> String {
    let mut body = String::new();
    let mut in_list = false;
    let mut table: Option<Vec<String>> = None;
    let close = |body: &mut String, in_list: &mut bool, table: &mut Option<Vec<String>>| {
        if *in_list {
            body.push_str("</ul>\n");
            *in_list = false;
        }
        if table.take().is_some() {
            body.push_str("</tbody></table>\n");
        }
    };
    for p in pieces {
        if p.kind != "list_item" && in_list {
            close(&mut body, &mut in_list, &mut table);
        }
        if p.kind != "table_row" && table.is_some() {
            close(&mut body, &mut in_list, &mut table);
        }
        match p.kind.as_str() {
            "title" => {}
            "heading" => {
                let level = p.heading_path.len().clamp(1, 5) + 1;
                body.push_str(&format!(
                    "<h{level} id=\"{}\">{}</h{level}>\n",
                    esc(&p.anchor),
                    esc(&p.text)
                ));
            }
            "list_item" => {
                if !in_list {
                    body.push_str("<ul>\n");
                    in_list = true;
                }
                body.push_str(&format!("<li>{}</li>\n", esc(&p.text)));
            }
            "table_row" => {
                let headers: Vec<String> = p.cells.iter().map(|(h, _)| h.clone()).collect();
                if table.as_ref() != Some(&headers) {
                    close(&mut body, &mut in_list, &mut table);
                    body.push_str("<table><thead><tr>");
                    for h in &headers {
                        body.push_str(&format!("<th>{}</th>", esc(h)));
                    }
                    body.push_str("</tr></thead><tbody>\n");
                    table = Some(headers);
                }
                body.push_str("<tr>");
                for (_, c) in &p.cells {
                    body.push_str(&format!("<td>{}</td>", esc(c)));
                }
                body.push_str("</tr>\n");
            }
            "quote" => body.push_str(&format!("<blockquote>{}</blockquote>\n", esc(&p.text))),
            "media" => body.push_str(&format!(
                "<figure><figcaption>{}</figcaption></figure>\n",
                esc(&p.text)
            )),
            _ => body.push_str(&format!("<p>{}</p>\n", esc(&p.text))),
        }
    }
    close(&mut body, &mut in_list, &mut table);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>body{{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2433}}\
         table{{border-collapse:collapse;width:100%;font-size:.9rem}}td,th{{border:1px solid #d7dbe3;padding:.35rem .5rem;text-align:left;vertical-align:top}}\
         :target{{background:#fff6d6}}blockquote{{border-left:3px solid #c9cfdb;margin:1rem 0;padding-left:1rem;color:#4a5263}}\
         figcaption{{color:#4a5263;font-style:italic}}a{{color:#2952cc}}</style></head>\
         <body><p><a href=\"/\">← Search</a></p><h1>{title}</h1>{description}\n{body}</body></html>\n",
        title = esc(&article.title),
        description = article
            .description
            .as_deref()
            .map(|d| format!("<p><em>{}</em></p>", esc(d)))
            .unwrap_or_default(),
    )
}
