//! Compression: gzip for clients that accept it, when it is worth it.

use std::io::Write;

use warp::http::HeaderMap;

/// Bodies smaller than this go as they are.
const WORTH_IT: usize = 1024;

/// Whether `Accept-Encoding` takes gzip (or `*`) without `q=0`.
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(warp::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|enc| {
            let mut parts = enc.trim().split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// `bytes` compressed, when they are worth compressing and it works.
pub fn compress(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.len() <= WORTH_IT {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::fast(),
    );
    encoder.write_all(bytes).and_then(|_| encoder.finish()).ok()
}
