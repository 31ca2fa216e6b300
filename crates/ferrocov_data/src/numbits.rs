//! coverage.py's "numbits" byte format for a set of line numbers, and set operations on it.
//!
//! Number `n` is present when bit `n % 8` (least significant first) of byte `n / 8` is set.
//! A non-empty set is `max / 8 + 1` bytes long; the empty set is zero bytes. coverage.py
//! stores one numbits blob per file and context in the `line_bits` table.

/// Encodes a set of numbers (any order, duplicates allowed) as numbits.
pub fn nums_to_numbits(nums: impl IntoIterator<Item = u32>) -> Vec<u8> {
    let mut bytes = Vec::new();
    for num in nums {
        let index = (num / 8) as usize;
        if index >= bytes.len() {
            bytes.resize(index + 1, 0);
        }
        bytes[index] |= 1 << (num % 8);
    }
    bytes
}

/// Decodes numbits into the sorted numbers it holds. Bits for numbers beyond `u32::MAX`
/// (only possible in a blob over 512 MiB) are ignored.
pub fn numbits_to_nums(numbits: &[u8]) -> Vec<u32> {
    let mut nums = Vec::new();
    for (index, &byte) in numbits.iter().enumerate() {
        let mut rest = byte;
        while rest != 0 {
            let bit = rest.trailing_zeros();
            rest &= rest - 1;
            match u32::try_from(index * 8 + bit as usize) {
                Ok(num) => nums.push(num),
                Err(_) => return nums,
            }
        }
    }
    nums
}

/// The union of two numbits: bytewise OR, the shorter one padded with zeros.
pub fn numbits_union(a: &[u8], b: &[u8]) -> Vec<u8> {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut out = long.to_vec();
    for (out_byte, &byte) in out.iter_mut().zip(short) {
        *out_byte |= byte;
    }
    out
}

/// The intersection of two numbits: bytewise AND with trailing zero bytes removed.
pub fn numbits_intersection(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = a.iter().zip(b).map(|(x, y)| x & y).collect();
    while out.last() == Some(&0) {
        out.pop();
    }
    out
}

/// Whether `num` is in the set.
pub fn num_in_numbits(num: u32, numbits: &[u8]) -> bool {
    numbits
        .get((num / 8) as usize)
        .is_some_and(|byte| byte & (1 << (num % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn known_encodings() {
        assert_eq!(nums_to_numbits([]), Vec::<u8>::new());
        assert_eq!(nums_to_numbits([0]), vec![0x01]);
        assert_eq!(nums_to_numbits([1, 2, 3]), vec![0x0e]);
        assert_eq!(nums_to_numbits([7, 8]), vec![0x80, 0x01]);
        assert_eq!(nums_to_numbits([17]), vec![0, 0, 0x02]);
        assert_eq!(numbits_to_nums(&[0x0e, 0, 0x80]), vec![1, 2, 3, 23]);
    }

    #[test]
    fn intersection_strips_trailing_zeros() {
        assert_eq!(
            numbits_intersection(&[0x03, 0x01], &[0x01, 0x02]),
            vec![0x01]
        );
        assert_eq!(numbits_intersection(&[0x02], &[0x01]), Vec::<u8>::new());
    }

    fn set() -> impl Strategy<Value = BTreeSet<u32>> {
        prop::collection::btree_set(prop_oneof![0u32..100, 0u32..5000], 0..60)
    }

    proptest! {
        #[test]
        fn round_trip(nums in set()) {
            let bits = nums_to_numbits(nums.iter().copied());
            let expected_len = nums.last().map_or(0, |max| (max / 8 + 1) as usize);
            prop_assert_eq!(bits.len(), expected_len);
            prop_assert_eq!(numbits_to_nums(&bits), nums.iter().copied().collect::<Vec<_>>());
            for n in 0..200u32 {
                prop_assert_eq!(num_in_numbits(n, &bits), nums.contains(&n));
            }
        }

        #[test]
        fn union_and_intersection_match_sets(a in set(), b in set()) {
            let (ba, bb) = (nums_to_numbits(a.iter().copied()), nums_to_numbits(b.iter().copied()));
            let union: Vec<u32> = a.union(&b).copied().collect();
            let inter: Vec<u32> = a.intersection(&b).copied().collect();
            prop_assert_eq!(numbits_to_nums(&numbits_union(&ba, &bb)), union.clone());
            prop_assert_eq!(numbits_union(&ba, &bb), nums_to_numbits(union));
            prop_assert_eq!(numbits_intersection(&ba, &bb), nums_to_numbits(inter));
        }
    }
}
