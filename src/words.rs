//! Numbers, money and dates the way a matching officer reads them.
//!
//! Every human-facing sentence goes through these helpers so that the same
//! amount is written the same way in the table, the JSON `why` sentences and the
//! error messages.

/// A number without trailing zeros: `2`, `2.5`, `34156.8`.
pub fn num(x: f64) -> String {
    // Beyond 10^15 four decimals mean nothing (and x * 10^4 could overflow):
    // such values, which only an error message shows, print as Rust writes them.
    if !x.is_finite() || x.abs() >= 1e15 {
        return format!("{x:e}");
    }
    let rounded = (x * 10_000.0).round() / 10_000.0;
    if rounded.fract() == 0.0 {
        // Whole numbers (skill levels, days) are most of what is written,
        // and integer formatting is many times cheaper than decimal; `as`
        // is exact below 10^15 and turns -0 into 0.
        return (rounded as i64).to_string();
    }
    decimal(rounded)
}

/// `rounded` (to four decimals already) in decimal, without trailing zeros
/// or a minus on zero: how [`num`] writes what is not a whole number.
fn decimal(rounded: f64) -> String {
    let s = format!("{rounded:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Money with thousands separators and cents only when there are any:
/// `EUR 34,156.80`, `EUR 36,000`.
pub fn money(amount: f64, currency: Option<&str>) -> String {
    let cents = (amount * 100.0).round() as i64;
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = cents / 100;
    let frac = cents % 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let body = if frac == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:02}")
    };
    match currency {
        Some(c) => format!("{c} {body}"),
        None => body,
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `1 day`, `14 days`.
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// `"a, b and c"`; lists longer than `max` end with `"and N more"`.
pub fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].to_string(),
        (n, 0) => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        (_, r) => format!("{} and {r} more", shown.join(", ")),
    }
}

/// `"1 trainee"`, `"3 trainees"`.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// A change with its sign, `"+0"` included: `"+2"`, `"-1"`.
pub fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A signed change in a count of things.
///
/// ```
/// assert_eq!(palim::words::signed_count(1, "placement", "placements"), "+1 placement");
/// assert_eq!(palim::words::signed_count(-3, "placement", "placements"), "-3 placements");
/// assert_eq!(palim::words::signed_count(0, "placement", "placements"), "+0 placements");
/// ```
pub fn signed_count(n: i64, singular: &str, plural: &str) -> String {
    let what = if n.abs() == 1 { singular } else { plural };
    format!("{} {what}", signed(n))
}

/// Round for output so that floating-point noise never changes the bytes.
pub fn round4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    #[test]
    fn money_groups_thousands_and_keeps_cents() {
        assert_eq!(money(34156.8, Some("EUR")), "EUR 34,156.80");
        assert_eq!(money(36000.0, Some("EUR")), "EUR 36,000");
        assert_eq!(money(999.0, None), "999");
        assert_eq!(money(1157.0, None), "1,157");
    }

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(num(2.0), "2");
        assert_eq!(num(0.25), "0.25");
        assert_eq!(num(-0.00001), "0");
    }

    proptest::proptest! {
        /// The whole-number shortcut writes what the decimal path would.
        #[test]
        fn whole_numbers_take_a_shortcut_to_the_same_text(
            x in proptest::prop_oneof![
                (-1_000_000_000_000_000i64..1_000_000_000_000_000).prop_map(|i| i as f64),
                (-1_000_000i64..1_000_000).prop_map(|i| i as f64 / 10_000.0),
                -1e15..1e15f64,
            ]
        ) {
            let rounded = (x * 10_000.0).round() / 10_000.0;
            proptest::prop_assert_eq!(num(x), decimal(rounded));
        }
    }

    #[test]
    fn ordinals_and_lists() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(23), "23rd");
        let items: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list(&items[..3], 5), "a, b and c");
        assert_eq!(list(&items, 2), "a, b and 2 more");
    }
}
