//! A stable radix sort of `(u64 key, u32 payload)` items, for the keys of
//! entity pairs (`a << 32 | b`): the pair tables of counting and the edges
//! of the network file sort millions of them.

/// Bits of one radix digit: 2,048 buckets, whose counts and write
/// positions stay in the first cache levels.
const DIGIT_BITS: u32 = 11;

/// Sorts `items` by key, stably (items with equal keys keep their order),
/// with a least significant digit first radix sort: a few linear passes
/// instead of a comparison sort, which dominated counting on dense corpora
/// and the network file's edges. `scratch` is working space.
///
/// A key holds two entity indices, `a << 32 | b`, and indices rarely use
/// more than 16 or 18 of their 32 bits. The keys are sorted as if packed
/// to the bits their halves use (`a << width(b) | b`, which orders them as
/// the keys do), in digits of [`DIGIT_BITS`]: three passes for two indices
/// of 16 bits, where a byte a pass took four, and four for the 18-bit
/// indices of `--discover`, where it took six. A pass in which every key
/// has the same digit is skipped.
///
/// The passes go back and forth between the two buffers, and the result is
/// copied back into `items` after an odd number of them: the buffers are
/// never exchanged, so a table's pending buffer keeps its own capacity
/// (exchanged with a scratch shared by tables of other sizes, buffers were
/// regrown in fresh memory at every fold).
pub fn sort_by_key(items: &mut [(u64, u32)], scratch: &mut Vec<(u64, u32)>) {
    if items.len() < 256 || items.len() > u32::MAX as usize {
        items.sort_by_key(|p| p.0);
        return;
    }
    let (mut high, mut low) = (0u64, 0u64);
    for &(key, _) in items.iter() {
        high |= key >> 32;
        low |= key & u64::from(u32::MAX);
    }
    let low_bits = u64::BITS - low.leading_zeros();
    let bits = low_bits + (u64::BITS - high.leading_zeros());
    // `low_bits` may be 0 (every `b` is 0), and then the shift is too.
    let packed = move |key: u64| ((key >> 32) << low_bits) | (key & u64::from(u32::MAX));
    let passes = bits.div_ceil(DIGIT_BITS) as usize;
    const BUCKETS: usize = 1 << DIGIT_BITS;
    const MASK: u64 = BUCKETS as u64 - 1;
    let mut counts = vec![[0u32; BUCKETS]; passes];
    for &(key, _) in items.iter() {
        let key = packed(key);
        for (pass, c) in counts.iter_mut().enumerate() {
            c[((key >> (DIGIT_BITS as usize * pass)) & MASK) as usize] += 1;
        }
    }
    scratch.clear();
    scratch.resize(items.len(), (0, 0));
    let mut in_scratch = false;
    for (pass, c) in counts.iter().enumerate() {
        if c.contains(&(items.len() as u32)) {
            continue; // one digit for every key: this pass would change nothing
        }
        let mut offsets = [0u32; BUCKETS];
        let mut next = 0;
        for (o, &n) in offsets.iter_mut().zip(c.iter()) {
            *o = next;
            next += n;
        }
        let shift = DIGIT_BITS as usize * pass;
        let (from, to) = if in_scratch { (&scratch[..], &mut items[..]) } else { (&items[..], &mut scratch[..]) };
        for &item in from {
            let digit = ((packed(item.0) >> shift) & MASK) as usize;
            to[offsets[digit] as usize] = item;
            offsets[digit] += 1;
        }
        in_scratch = !in_scratch;
    }
    if in_scratch {
        items.copy_from_slice(scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The radix sort orders items as a stable comparison sort does,
        /// whichever bytes of the keys vary (below and above the 256-item
        /// cut-over); every key is there twice, so that a sort that moved
        /// equal keys out of their order would fail.
        #[test]
        fn radix_sort_orders_keys(
            keys in proptest::collection::vec((0u64..4, 0u64..70_000, 0u64..300), 0..3000),
            high in 0u32..3,
        ) {
            let mut items: Vec<(u64, u32)> = (keys.iter().chain(&keys))
                .enumerate()
                .map(|(i, &(top, a, b))| ((top << (56 + high)) | (a << 32) | (b << (8 * high)), i as u32))
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            sort_by_key(&mut items, &mut Vec::new());
            proptest::prop_assert_eq!(items, expected);
        }
    }
}
