//! The one hash the index folder stores: FNV-1a, 64 bits. File names and
//! the per-file state compare hashes written by earlier runs, possibly by
//! another build of rolesearch, so it must never change: hand-written, with
//! the reference test vectors, rather than a crate whose hasher may.

/// FNV-1a, 64 bits: stable across builds and platforms.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv_matches_the_reference_values() {
        use super::fnv64;
        assert_eq!(fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
