use super::util::*;
use serde_json::json;

fn show_blocks(body: serde_json::Value) {
    let a = article_with_blocks(json!([{"__component": "shared.rich-text", "body": body}]));
    println!("----- \n{}", describe(&a.pieces));
}

#[test]
fn probe() {
    show_blocks(json!([
        {"type": "paragraph", "children": [{"type": "text", "text": "    Four spaces first. Then (more) text!"}]},
        {"type": "paragraph", "children": [{"type": "text", "text": "Line one\n\n    code-ish line."}]},
        {"type": "paragraph", "children": [{"type": "text", "text": "What is a PO?", "bold": true}, {"type": "text", "text": "\nThe PO owns the backlog."}]},
        {"type": "heading", "level": 3, "children": [{"type": "text", "text": "Next"}]},
        {"type": "list", "format": "unordered", "children": [
            {"type": "list-item", "children": [{"type": "text", "text": "Parent"}]},
            {"type": "list", "format": "unordered", "indentLevel": 1, "children": [
                {"type": "list-item", "children": [{"type": "text", "text": "Child"}]}
            ]},
            {"type": "list-item", "children": [{"type": "text", "text": "Sibling"}]}
        ]},
        {"type": "list", "format": "ordered", "children": [
            {"type": "list-item", "children": [{"type": "text", "text": "One"}, {"type": "list", "format": "ordered", "children": [{"type": "list-item", "children": [{"type": "text", "text": "One.a"}]}]}]},
            {"type": "list-item", "children": [{"type": "text", "text": "Two"}]}
        ]},
        {"type": "paragraph", "children": [{"type": "text", "text": "# not a heading"}, {"type": "text", "text": " <b>tag</b> & *stars*"}]},
        {"type": "paragraph", "children": [{"type": "text", "text": "1. not a list"}]},
        {"type": "quote", "children": [{"type": "text", "text": "Quote me"}]},
        {"type": "code", "children": [{"type": "text", "text": "let x = `a`;\n```\ny"}]},
        {"type": "image", "image": {"name": "n.png", "url": "/uploads/n.png", "alternativeText": "Alt", "caption": "Cap"}},
        {"type": "paragraph", "children": [{"type": "text", "text": "Read "}, {"type": "link", "url": "https://example.com/a b", "children": [{"type": "text", "text": "the guide", "italic": true}]}, {"type": "text", "text": "."}]}
    ]));
    let body: String = std::iter::repeat("- ").take(10_000).collect::<String>() + "deep";
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let a = markdown_article(&body);
            a.pieces.len()
        })
        .unwrap();
    println!("deep list: {:?}", h.join().is_ok());
    let body: String = std::iter::repeat("> ").take(10_000).collect::<String>() + "deep";
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let a = markdown_article(&body);
            describe(&a.pieces)
        })
        .unwrap();
    println!("deep quote: {:?}", h.join());
}
