//! Exact decimal numbers (mantissa × 10^exponent), the way devices report measured values.
//!
//! Keeping the mantissa and exponent keeps the precision the device reported ("2.00" is not
//! "2.0"), and keeps values such as 0.1 exact; a binary `f64` is produced only at the edge,
//! by parsing the exact decimal text, so it is the `f64` nearest to the reported value.

use std::fmt;

/// An exact decimal number: `mantissa × 10^exponent`.
///
/// Equality compares mantissa and exponent, so `2.00` (200 × 10⁻²) and `2.0` (20 × 10⁻¹) differ;
/// use [`Decimal::normalized`] to compare values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i32,
    exponent: i8,
}

impl Decimal {
    /// The number `mantissa × 10^exponent`.
    pub const fn new(mantissa: i32, exponent: i8) -> Self {
        Decimal { mantissa, exponent }
    }

    /// The mantissa, as reported.
    pub const fn mantissa(self) -> i32 {
        self.mantissa
    }

    /// The power of ten, as reported.
    pub const fn exponent(self) -> i8 {
        self.exponent
    }

    /// The same number with trailing zeros moved from the mantissa into the exponent:
    /// the shortest exact form (`2.00` becomes `2`, `1200` stays `12 × 10²`).
    pub fn normalized(self) -> Self {
        let mut mantissa = self.mantissa;
        let mut exponent = self.exponent;
        if mantissa == 0 {
            return Decimal::new(0, 0);
        }
        while mantissa % 10 == 0 && exponent < i8::MAX {
            mantissa /= 10;
            exponent += 1;
        }
        Decimal::new(mantissa, exponent)
    }

    /// The exact value in scientific notation, such as `12e-7`, shortest form.
    pub fn to_scientific(self) -> String {
        let shortest = self.normalized();
        format!("{}e{}", shortest.mantissa, shortest.exponent)
    }

    /// The `f64` nearest to this decimal (correctly rounded, without `10^e` multiplication
    /// artefacts such as 0.30000000000000004).
    pub fn to_f64(self) -> f64 {
        // Parsing decimal text is correctly rounded; the text is always well formed.
        self.to_scientific().parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal notation that keeps the reported precision: 200 × 10⁻² is `2.00`,
    /// 12 × 10² is `1200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let negative = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        if negative {
            f.write_str("-")?;
        }
        if self.exponent >= 0 {
            f.write_str(&digits)?;
            for _ in 0..self.exponent {
                f.write_str("0")?;
            }
            return Ok(());
        }
        let fraction_digits = usize::from(self.exponent.unsigned_abs());
        if digits.len() > fraction_digits {
            let (whole, fraction) = digits.split_at(digits.len() - fraction_digits);
            write!(f, "{whole}.{fraction}")
        } else {
            f.write_str("0.")?;
            for _ in digits.len()..fraction_digits {
                f.write_str("0")?;
            }
            f.write_str(&digits)
        }
    }
}
