//! A map from short byte strings to values, for the lookups made at every
//! word of every document.
//!
//! A `HashMap<String, V>` compares a found key through its heap pointer, a
//! cache miss on most lookups of a large map. Here a key of up to 15 bytes is
//! packed into one `u128` (its bytes, then its length), so that a lookup
//! hashes and compares integers held in the table itself; longer keys, rare
//! among words, sit in a second, ordinary map.

use rustc_hash::FxHashMap;

/// A map keyed by byte strings, short ones stored as integers.
#[derive(Debug, Clone)]
pub(crate) struct PackedMap<V> {
    /// Keys of up to 15 bytes, packed by [`pack`].
    short: FxHashMap<u128, V>,
    /// Longer keys.
    long: FxHashMap<Box<[u8]>, V>,
}

impl<V> Default for PackedMap<V> {
    fn default() -> Self {
        PackedMap { short: FxHashMap::default(), long: FxHashMap::default() }
    }
}

/// A key of up to 15 bytes as one integer: its bytes, then its length (so
/// that keys ending in NUL bytes stay distinct).
pub(crate) fn pack(key: &[u8]) -> Option<u128> {
    if key.len() > 15 {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..key.len()].copy_from_slice(key);
    bytes[15] = key.len() as u8;
    Some(u128::from_le_bytes(bytes))
}

impl<V> PackedMap<V> {
    /// The value of `key`, if any.
    #[inline]
    pub(crate) fn get(&self, key: &[u8]) -> Option<&V> {
        match pack(key) {
            Some(packed) => self.short.get(&packed),
            None => self.long.get(key),
        }
    }

    /// The value of `key`, inserted as `default` if absent.
    pub(crate) fn entry_or(&mut self, key: &[u8], default: V) -> &mut V {
        match pack(key) {
            Some(packed) => self.short.entry(packed).or_insert(default),
            None => self.long.entry(key.into()).or_insert(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys_are_kept_apart_and_found() {
        let mut map = PackedMap::default();
        let keys: [&[u8]; 6] =
            [b"", b"a", b"a\0", b"fifteen bytes!!", b"sixteen bytes!!!", b"a much longer key than that"];
        for (i, key) in keys.iter().enumerate() {
            *map.entry_or(key, 0) += i + 1;
        }
        assert_eq!(map.short.len() + map.long.len(), keys.len());
        assert_eq!(map.long.len(), 2);
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(map.get(key), Some(&(i + 1)), "{key:?}");
        }
        assert_eq!(map.get(b"b"), None);
        assert_eq!(map.get(b"a\0\0"), None);
        assert_eq!(map.get(b"sixteen bytes!!?"), None);
        *map.entry_or(b"a", 0) += 10;
        assert_eq!(map.get(b"a"), Some(&12));
    }
}
