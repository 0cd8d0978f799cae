//! Association measures of a pair, exactly as SPEC §4 writes them, and the
//! six-significant-digit format they are written in.

/// The measures of one pair in one window kind and period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    /// Pointwise mutual information, log base 2.
    pub pmi: f64,
    /// PMI normalized to [-1, 1].
    pub npmi: f64,
    /// Dunning's log-likelihood ratio G² of the 2×2 table (natural log).
    pub llr: f64,
    /// Dice coefficient.
    pub dice: f64,
    /// Jaccard index.
    pub jaccard: f64,
}

/// Computes the measures from `count` (windows holding both), `count_a`,
/// `count_b` (windows holding each) and `windows` (all windows).
///
/// Requires `1 <= count <= min(count_a, count_b)` and `count_a + count_b - count <= windows`,
/// which boolean counting guarantees.
pub fn measures(count: u64, count_a: u64, count_b: u64, windows: u64) -> Measures {
    let (k, a, b, n) = (count as f64, count_a as f64, count_b as f64, windows as f64);
    let (pmi, npmi) = pmi_npmi(count, count_a, count_b, windows);
    let cells = [(k, a, b), (a - k, a, n - b), (b - k, n - a, b), (n - a - b + k, n - a, n - b)];
    // G² = 2 Σ O ln(O/E), E = row total × column total / n; empty cells add nothing.
    let mut g2 = 0.0;
    for (observed, row, column) in cells {
        if observed > 0.0 {
            g2 += observed * (observed * n / (row * column)).ln();
        }
    }
    Measures {
        pmi,
        npmi,
        // Rounding can leave a tiny negative for independent pairs; G² is never below 0.
        llr: (2.0 * g2).max(0.0),
        dice: 2.0 * k / (a + b),
        jaccard: k / (a + b - k),
    }
}

/// The `npmi` of [`measures`] alone, computed the same way (same bits).
pub fn npmi(count: u64, count_a: u64, count_b: u64, windows: u64) -> f64 {
    pmi_npmi(count, count_a, count_b, windows).1
}

fn pmi_npmi(count: u64, count_a: u64, count_b: u64, windows: u64) -> (f64, f64) {
    let (k, a, b, n) = (count as f64, count_a as f64, count_b as f64, windows as f64);
    let pmi = (k * n / (a * b)).log2();
    let npmi = if count == windows { 1.0 } else { pmi / -(k / n).log2() };
    (pmi, npmi)
}

/// Formats `x` with six significant digits, as C's `%.6g` does: plain
/// decimals for exponents from -4 to 5, scientific notation otherwise,
/// trailing zeros dropped. R, pandas, Stata and DuckDB all read both forms.
pub fn format_g6(x: f64) -> String {
    let mut out = Vec::with_capacity(16);
    push_g6(&mut out, x);
    String::from_utf8(out).expect("push_g6 writes ASCII")
}

/// Powers of ten that a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `a` (positive, finite) rounded to six significant digits, as the
/// integer of those digits (100000..=999999) and the decimal exponent of the
/// first — by one multiplication, when that is provably what exact decimal
/// rounding gives: the scaled value is within 10⁻¹⁰ of the exact one (one
/// rounding of a number below 10⁶), so it rounds the same unless it lies
/// within 10⁻⁶ of a half. `None` then, and for exponents beyond 10^±22.
///
/// No libm call: the first guess of the exponent comes from the binary
/// exponent (`floor(e₂·log₁₀2)`, which is the decimal exponent or one
/// below it), and the scaled value, below 10⁸, is rounded by integer
/// conversion, which is exact there once halves are ruled out.
fn six_digits(a: f64) -> Option<(u32, i32)> {
    let binary = ((a.to_bits() >> 52) & 0x7FF) as i32 - 1023;
    if binary <= -1023 {
        return None; // subnormal: far beyond 10^-22 anyway
    }
    // floor(binary · log₁₀2) in integers (exact for |binary| < 1650).
    let mut exponent = (binary * 78_913) >> 18;
    // The guess is at most one off: at most one correction.
    for _ in 0..2 {
        let k = 5 - exponent;
        let scale = *POW10.get(k.unsigned_abs() as usize)?;
        let y = if k >= 0 { a * scale } else { a / scale };
        // 0 < y < 10^8 here, so truncation is floor and fits a u64.
        let whole = y as u64;
        let fraction = y - whole as f64;
        if (fraction - 0.5).abs() < 1e-6 {
            return None;
        }
        let m = whole + u64::from(fraction > 0.5);
        match m {
            0..=99_999 => exponent -= 1,
            100_000..=999_999 => return Some((m as u32, exponent)),
            1_000_000 => return Some((100_000, exponent + 1)),
            _ => exponent += 1,
        }
    }
    None
}

/// [`six_digits`] by the standard library's exact formatting (`{:.5e}`),
/// using the end of `out` as scratch space.
fn six_digits_exact(out: &mut Vec<u8>, a: f64) -> ([u8; 6], i32) {
    use std::io::Write;
    let at = out.len();
    write!(out, "{a:.5e}").expect("writing to a Vec cannot fail");
    // `d.ddddde[-]x`: six digits, then the exponent after rounding.
    let mut digits = [0u8; 6];
    digits[0] = out[at];
    digits[1..].copy_from_slice(&out[at + 2..at + 7]);
    let exponent: i32 =
        std::str::from_utf8(&out[at + 8..]).ok().and_then(|e| e.parse().ok()).expect("{:e} writes an integer exponent");
    out.truncate(at);
    (digits, exponent)
}

/// Appends `x` as [`format_g6`] writes it, without allocating: the value is
/// rounded to six significant digits once (correctly: by one multiplication
/// where that provably rounds as exact decimal rounding, or by the
/// standard library where that cannot be sure), and the plain form is laid
/// out from those digits and the exponent.
pub fn push_g6(out: &mut Vec<u8>, x: f64) {
    if x == 0.0 {
        out.push(b'0');
        return;
    }
    if !x.is_finite() {
        out.extend_from_slice(if x.is_nan() {
            b"nan"
        } else if x > 0.0 {
            b"inf"
        } else {
            b"-inf"
        });
        return;
    }
    let (digits, exponent) = match six_digits(x.abs()) {
        Some((m, exponent)) => {
            let mut digits = [0u8; 6];
            digits.copy_from_slice(itoa::Buffer::new().format(m).as_bytes());
            (digits, exponent)
        }
        None => six_digits_exact(out, x.abs()),
    };
    if x < 0.0 {
        out.push(b'-');
    }
    // Significant digits without trailing zeros (the first is never 0).
    let kept = digits.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
    let digits = &digits[..kept];
    if (-4..6).contains(&exponent) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            out.extend_from_slice(&digits[..whole.min(kept)]);
            out.resize(out.len() + whole.saturating_sub(kept), b'0');
            if kept > whole {
                out.push(b'.');
                out.extend_from_slice(&digits[whole..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + (-exponent - 1) as usize, b'0');
            out.extend_from_slice(digits);
        }
    } else {
        out.push(digits[0]);
        if kept > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(itoa::Buffer::new().format(magnitude).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn measures_match_hand_computation() {
        // 10 windows; a in 4, b in 5, both in 3.
        let m = measures(3, 4, 5, 10);
        assert!(close(m.pmi, (3.0f64 * 10.0 / 20.0).log2()));
        assert!(close(m.npmi, (1.5f64).log2() / -(0.3f64).log2()));
        assert!(close(m.dice, 6.0 / 9.0));
        assert!(close(m.jaccard, 3.0 / 6.0));
        // Cells 3, 1, 2, 4; expected 2, 2, 3, 3.
        let g2 = 2.0
            * (3.0 * (3.0f64 / 2.0).ln()
                + 1.0 * (1.0f64 / 2.0).ln()
                + 2.0 * (2.0f64 / 3.0).ln()
                + 4.0 * (4.0f64 / 3.0).ln());
        assert!(close(m.llr, g2), "{} vs {g2}", m.llr);
    }

    #[test]
    fn edge_cases_are_defined() {
        let all = measures(5, 5, 5, 5);
        assert_eq!(all.npmi, 1.0);
        assert_eq!(all.pmi, 0.0);
        assert_eq!(all.llr, 0.0);
        assert_eq!(all.dice, 1.0);
        // Independent: pmi 0, llr 0.
        let ind = measures(1, 2, 2, 4);
        assert!(close(ind.pmi, 0.0));
        assert!(ind.llr.abs() < 1e-12);
        // Perfect association within a larger set.
        let perfect = measures(2, 2, 2, 8);
        assert!(close(perfect.npmi, 1.0));
    }

    #[test]
    fn six_significant_digits() {
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (-1.0, "-1"),
            (0.5, "0.5"),
            (1.0 / 3.0, "0.333333"),
            (2.0 / 3.0, "0.666667"),
            (123456.7, "123457"),
            (999999.6, "1e+06"),
            (1234567.0, "1.23457e+06"),
            (0.0001234567, "0.000123457"),
            (0.00001234567, "1.23457e-05"),
            (-1.23456789, "-1.23457"),
            (42.0, "42"),
            (9.9999996, "10"),
        ];
        for (x, want) in cases {
            assert_eq!(format_g6(x), want, "{x}");
        }
    }

    /// `%.6g` the slow and obvious way: round to six significant digits,
    /// then format once more with the decimals the exponent calls for.
    fn g6_by_two_formats(x: f64) -> String {
        let sci = format!("{x:.5e}");
        let (mantissa, exponent) = sci.split_once('e').unwrap();
        let exponent: i32 = exponent.parse().unwrap();
        let trim = |s: String| {
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            }
        };
        if (-4..6).contains(&exponent) {
            let decimals = (5 - exponent).max(0) as usize;
            trim(format!("{x:.decimals$}"))
        } else {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{}e{}{:02}", trim(mantissa.to_string()), sign, exponent.abs())
        }
    }

    #[test]
    fn measures_of_real_counts_format_as_by_two_formats() {
        // Every measure of a grid of counts, as the tables hold them, and
        // decimal halves that must round exactly.
        let mut values = vec![2.5, 0.5, 1234565.0, 1234575.0, 0.1234565, 9.999995, 999999.5, 0.000123456500];
        for n in [7u64, 100, 1009, 65_536, 1_000_003] {
            for a in [1, 2, 3, 7, 50, n / 3, n / 2, n] {
                for b in [1, 2, 5, 11, n / 5, n] {
                    for k in [1, 2, 3, 4, a.min(b) / 2, a.min(b)] {
                        if k >= 1 && k <= a.min(b) && a + b - k <= n {
                            let m = measures(k, a, b, n);
                            values.extend([m.pmi, m.npmi, m.llr, m.dice, m.jaccard]);
                        }
                    }
                }
            }
        }
        // (Zero of either sign is written "0", outside this comparison.)
        for x in values.into_iter().filter(|x| *x != 0.0) {
            assert_eq!(format_g6(x), g6_by_two_formats(x), "{x:e}");
            assert_eq!(format_g6(-x), g6_by_two_formats(-x), "{x:e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_rounding_agrees_with_two_formats(bits: u64, scale in -12i32..12) {
            // Any finite double, and doubles near every decade boundary.
            let any = f64::from_bits(bits);
            if any.is_finite() && any != 0.0 {
                proptest::prop_assert_eq!(format_g6(any), g6_by_two_formats(any));
            }
            let near = 10f64.powi(scale) * (1.0 - (bits % 1000) as f64 * 1e-9);
            proptest::prop_assert_eq!(format_g6(near), g6_by_two_formats(near));
            proptest::prop_assert_eq!(format_g6(-near), g6_by_two_formats(-near));
            // Ordinary magnitudes, where the fast path is taken.
            let ordinary = (bits >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi(scale);
            if ordinary != 0.0 {
                proptest::prop_assert_eq!(format_g6(ordinary), g6_by_two_formats(ordinary));
            }
        }
    }
}
