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
///
/// The bytes are read as (overlapping) whole integers, not copied: a copy of
/// a variable length is a call to `memcpy`, which cost more than the rest
/// of a lookup.
#[inline]
pub(crate) fn pack(key: &[u8]) -> Option<u128> {
    let len = key.len();
    let word = |at: usize| u64::from_le_bytes(key[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u32::from_le_bytes(key[at..at + 4].try_into().expect("four bytes")) as u64;
    let (low, high) = match len {
        // Bytes 8..len are the last len - 8 bytes of the word ending at len.
        8..=15 => (word(0), word(len - 8).checked_shr(8 * (16 - len as u32)).unwrap_or(0)),
        // Two halves that overlap where they hold the same bytes.
        4..=7 => (half(0) | half(len - 4) << (8 * (len - 4)), 0),
        1..=3 => {
            let byte = |i: usize| (key[i] as u64) << (8 * i);
            (byte(0) | byte(len / 2) | byte(len - 1), 0)
        }
        0 => (0, 0),
        _ => return None,
    };
    Some((low as u128) | (high as u128) << 64 | (len as u128) << 120)
}

/// A packed key mixed into 64 bits whose high bits are well spread: shift
/// it right to index a table of a power of two (Fibonacci hashing). For the
/// small direct tables beside the maps, which a full hash would slow.
#[inline]
pub(crate) fn spread(packed: u128) -> u64 {
    let folded = (packed as u64) ^ ((packed >> 64) as u64);
    folded.wrapping_mul(0x9E37_79B9_7F4A_7C15)
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

    /// The value of a key of up to 15 bytes, given as [`pack`] packed it.
    #[inline]
    pub(crate) fn get_packed(&self, packed: u128) -> Option<&V> {
        self.short.get(&packed)
    }

    /// The value of a key longer than 15 bytes (which [`pack`] refuses).
    pub(crate) fn get_long(&self, key: &[u8]) -> Option<&V> {
        self.long.get(key)
    }

    /// The packed keys of up to 15 bytes, in no order.
    pub(crate) fn packed_keys(&self) -> impl Iterator<Item = u128> + '_ {
        self.short.keys().copied()
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

    /// The packing as first written: the bytes copied into a zeroed array.
    fn pack_by_copy(key: &[u8]) -> Option<u128> {
        if key.len() > 15 {
            return None;
        }
        let mut bytes = [0u8; 16];
        bytes[..key.len()].copy_from_slice(key);
        bytes[15] = key.len() as u8;
        Some(u128::from_le_bytes(bytes))
    }

    #[test]
    fn packing_by_loads_is_packing_by_copy() {
        // Every length, with bytes that differ by place (so that a byte read
        // from the wrong place or shifted wrongly shows), and all-0xFF bytes.
        let source: Vec<u8> = (1..=20u8).map(|b| b.wrapping_mul(37)).collect();
        for len in 0..=20 {
            for key in [&source[..len], &vec![0xFF; len][..]] {
                assert_eq!(pack(key), pack_by_copy(key), "{key:?}");
            }
        }
        assert_eq!(pack(b"the"), pack_by_copy(b"the"));
        assert_ne!(pack(b"a"), pack(b"a\0"));
    }

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
