//! Coverage counts and coverage.py's percentages: `pc_covered`, the display rounding that
//! never shows "0" or "100" unless exact, and the `fail_under` check and message.

use std::ops::{Add, AddAssign};

use crate::error::ReportError;
use crate::pytext;

/// Counts for one file, one region or a total (coverage.py's `results.Numbers`).
/// Branch counts are zero for line coverage; with branches the percentage combines both
/// (coverage.py's `ratio_covered`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Numbers {
    pub files: usize,
    pub statements: usize,
    pub excluded: usize,
    pub missing: usize,
    pub branches: usize,
    pub partial_branches: usize,
    pub missing_branches: usize,
}

fn percent(numerator: usize, denominator: usize) -> f64 {
    if denominator > 0 {
        // Same operations, same order as coverage.py, so the same float.
        (100.0 * numerator as f64) / denominator as f64
    } else {
        100.0
    }
}

impl Numbers {
    pub fn executed(&self) -> usize {
        self.statements - self.missing
    }

    pub fn executed_branches(&self) -> usize {
        // A region can count an arc into an excluded line outside it as missing while its
        // exit count leaves it out (coverage.py then shows a negative count); never panic.
        self.branches.saturating_sub(self.missing_branches)
    }

    /// Statements and branches together (`pc_covered`); 100.0 when there is nothing to cover.
    pub fn percent(&self) -> f64 {
        percent(
            self.executed() + self.executed_branches(),
            self.statements + self.branches,
        )
    }

    pub fn percent_statements(&self) -> f64 {
        percent(self.executed(), self.statements)
    }

    pub fn percent_branches(&self) -> f64 {
        percent(self.executed_branches(), self.branches)
    }

    /// `pc_covered_str`: the percent shown, without a percent sign.
    pub fn display_percent(&self, precision: u32) -> String {
        display_covered(self.percent(), precision)
    }
}

impl Add for Numbers {
    type Output = Numbers;
    fn add(self, o: Numbers) -> Numbers {
        Numbers {
            files: self.files + o.files,
            statements: self.statements + o.statements,
            excluded: self.excluded + o.excluded,
            missing: self.missing + o.missing,
            branches: self.branches + o.branches,
            partial_branches: self.partial_branches + o.partial_branches,
            missing_branches: self.missing_branches + o.missing_branches,
        }
    }
}

impl AddAssign for Numbers {
    fn add_assign(&mut self, o: Numbers) {
        *self = *self + o;
    }
}

/// Formats a percentage with `precision` decimals; rounding never produces "0" or "100"
/// (at precision 0, 99.9 shows as "99" and 0.1 as "1").
pub fn display_covered(pc: f64, precision: u32) -> String {
    let near0 = 1.0 / 10f64.powi(precision as i32);
    let pc = if 0.0 < pc && pc < near0 {
        near0
    } else if (100.0 - near0) < pc && pc < 100.0 {
        100.0 - near0
    } else {
        pc
    };
    // Rust's fixed formatting rounds the exact binary value half-to-even, as Python's
    // round() followed by "{:.Nf}" does.
    format!("{pc:.prec$}", prec = precision as usize)
}

/// The decimals the fail-under check uses: at least `precision`, more when the threshold
/// itself has more (`fail_under = 80.25` compares at 2 decimals).
pub fn fail_under_precision(fail_under: f64, precision: u32) -> u32 {
    if fail_under == fail_under.trunc() {
        return precision;
    }
    precision.max(pytext::decimal_places(fail_under))
}

fn round_to(value: f64, decimals: u32) -> f64 {
    // Python's round(x, n) is the double nearest to the correctly rounded decimal.
    format!("{value:.prec$}", prec = decimals as usize)
        .parse()
        .unwrap_or(value)
}

/// True when `total` should fail `fail_under` (coverage.py's `should_fail_under`).
pub fn should_fail_under(total: f64, fail_under: f64, precision: u32) -> Result<bool, ReportError> {
    if !(0.0..=100.0).contains(&fail_under) {
        return Err(ReportError::InvalidFailUnder(pytext::float_repr(
            fail_under,
        )));
    }
    if fail_under == 100.0 && total != 100.0 {
        return Ok(true);
    }
    Ok(round_to(total, fail_under_precision(fail_under, precision)) < fail_under)
}

/// "total of 79 is less than fail-under=80", with the numbers the check used.
pub fn fail_under_message(total: f64, fail_under: f64, precision: u32) -> String {
    let precision = fail_under_precision(fail_under, precision);
    let p = precision as usize;
    let shown_total = if fail_under == 100.0 && total != 100.0 {
        display_covered(total, precision)
    } else {
        format!("{:.p$}", round_to(total, precision))
    };
    format!("total of {shown_total} is less than fail-under={fail_under:.p$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(statements: usize, missing: usize) -> Numbers {
        Numbers {
            files: 1,
            statements,
            missing,
            ..Numbers::default()
        }
    }

    #[test]
    fn percent_of_nothing_is_100() {
        assert_eq!(nums(0, 0).percent(), 100.0);
        assert_eq!(nums(0, 0).display_percent(0), "100");
    }

    #[test]
    fn display_never_rounds_to_0_or_100() {
        assert_eq!(display_covered(99.9999, 0), "99");
        assert_eq!(display_covered(99.5, 0), "99");
        assert_eq!(display_covered(0.0001, 0), "1");
        assert_eq!(display_covered(0.4, 0), "1");
        assert_eq!(display_covered(99.999, 2), "99.99");
        assert_eq!(display_covered(0.001, 2), "0.01");
        assert_eq!(display_covered(100.0, 2), "100.00");
        assert_eq!(display_covered(0.0, 1), "0.0");
    }

    #[test]
    fn display_rounds_half_to_even_like_python() {
        // Exact binary halves: Python's round() goes to even.
        assert_eq!(display_covered(12.5, 0), "12");
        assert_eq!(display_covered(13.5, 0), "14");
        assert_eq!(display_covered(0.125 + 50.0, 2), "50.12");
        // 2/3 and 1/3 of 100.
        assert_eq!(nums(3, 1).display_percent(0), "67");
        assert_eq!(nums(3, 2).display_percent(2), "33.33");
        assert_eq!(nums(7, 1).display_percent(1), "85.7");
    }

    #[test]
    fn fail_under_edges() {
        // 79.5 rounds (half to even) to 80 at precision 0: passes 80.
        assert!(!should_fail_under(79.5, 80.0, 0).unwrap());
        assert!(should_fail_under(78.5, 79.0, 0).unwrap());
        assert!(should_fail_under(79.49, 80.0, 0).unwrap());
        // The threshold's own decimals are used.
        assert!(should_fail_under(80.24, 80.25, 0).unwrap());
        assert!(!should_fail_under(80.25, 80.25, 0).unwrap());
        assert!(!should_fail_under(80.246, 80.25, 0).unwrap());
        // 100 must be exactly 100.
        assert!(should_fail_under(99.9999, 100.0, 0).unwrap());
        assert!(!should_fail_under(100.0, 100.0, 0).unwrap());
        assert!(!should_fail_under(0.0, 0.0, 0).unwrap());
        assert!(matches!(
            should_fail_under(50.0, 101.0, 0),
            Err(ReportError::InvalidFailUnder(s)) if s == "101.0"
        ));
    }

    #[test]
    fn fail_under_messages() {
        assert_eq!(
            fail_under_message(79.4, 80.0, 0),
            "total of 79 is less than fail-under=80"
        );
        assert_eq!(
            fail_under_message(99.9999, 100.0, 0),
            "total of 99 is less than fail-under=100"
        );
        assert_eq!(
            fail_under_message(80.2, 80.25, 1),
            "total of 80.20 is less than fail-under=80.25"
        );
    }

    #[test]
    fn numbers_add() {
        let t = nums(3, 1) + nums(5, 5);
        assert_eq!(
            (t.files, t.statements, t.missing, t.executed()),
            (2, 8, 6, 2)
        );
    }
}
