//! The search page and the embeddable widget, compiled into the binary.

pub const PAGE: &str = include_str!("../../assets/index.html");
pub const WIDGET: &str = include_str!("../../assets/widget.js");
