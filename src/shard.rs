//! Shards (SPEC §5): which part of a corpus one `cotag run --shard I/N` reads.
//!
//! A file belongs to shard `fmix64(fnv1a64(path)) mod N`, where `path` is its
//! path relative to the CORPUS argument with `/` separators; documents read
//! from standard input are sharded by `doc_id` the same way.

use std::fmt;

/// One shard of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, 0-based.
    pub index: u64,
    /// How many shards there are.
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` with `0 <= I < N`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("bad shard '{s}': expected I/N, e.g. 0/8"))?;
        let index: u64 = i.trim().parse().map_err(|_| format!("bad shard '{s}': I must be a whole number"))?;
        let count: u64 = n.trim().parse().map_err(|_| format!("bad shard '{s}': N must be a whole number"))?;
        if count == 0 || index >= count {
            return Err(format!("bad shard '{s}': I must be from 0 to N-1"));
        }
        Ok(Shard { index, count })
    }

    /// Whether a file (by relative path) or a stdin document (by id) is in this shard.
    pub fn holds(&self, key: &str) -> bool {
        shard_hash(key.as_bytes()) % self.count == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// MurmurHash3's 64-bit finalizer.
pub fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

/// The shard hash of SPEC §5.
pub fn shard_hash(bytes: &[u8]) -> u64 {
    fmix64(fnv1a64(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_test_vectors() {
        assert_eq!(format!("{:016x}", shard_hash(b"00/article_00000.txt")), "e4d35c32084b3db6");
        assert_eq!(shard_hash(b"00/article_00000.txt") % 8, 6);
        assert_eq!(format!("{:016x}", shard_hash("2024/01/02/reuters-ü.json".as_bytes())), "51110ac3dbc63ccc");
        assert_eq!(shard_hash("2024/01/02/reuters-ü.json".as_bytes()) % 8, 4);
        assert_eq!(format!("{:016x}", shard_hash(b"")), "efd01f60ba992926");
        assert!(Shard::parse("6/8").unwrap().holds("00/article_00000.txt"));
        assert!(!Shard::parse("5/8").unwrap().holds("00/article_00000.txt"));
    }

    #[test]
    fn shard_arguments() {
        assert_eq!(Shard::parse("0/1"), Ok(Shard { index: 0, count: 1 }));
        assert_eq!(Shard::parse("3/8").unwrap().to_string(), "3/8");
        for bad in ["8/8", "1/0", "x/2", "3", "-1/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
