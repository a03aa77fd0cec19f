//! The ranges every number and date of a scenario must lie in.
//!
//! Each limit is far beyond any real programme, so no honest scenario meets
//! one, and close enough that everything computed from a validated scenario
//! stays exact: dates plus day counts stay on the calendar, money in cents and
//! scores scaled to integers fit in 64 bits, sums of counts fit in `u64`, and
//! the solver's coefficients stay well inside what HiGHS handles without
//! losing precision. Validation reports a value outside its range with the
//! range and this reason; the JSON Schema states the same bounds (from these
//! constants), so a client generated from it knows them too.

use chrono::NaiveDate;

/// The first day a scenario may name (a birth date, a window, a blackout).
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// The last day a scenario may name.
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => panic!("2199-12-31 is a date"),
};

/// Dates as the schema writes them: ISO 8601, years 1900 to 2199.
pub const DATE_PATTERN: &str = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$";

/// A permit lead time (or one observed duration) in days: ten years.
pub const MAX_DAYS: u32 = 3650;

/// An age in years (`under_age` of a salary floor row).
pub const MAX_AGE: u32 = 150;

/// A yearly salary or salary floor, in the destination's currency.
pub const MAX_MONEY: f64 = 1e9;

/// Positions of one vacancy, a destination's min or max, the employer cap.
pub const MAX_COUNT: u32 = 1_000_000;

/// An objective weight, a vacancy's value of a skill, either end of a skill scale.
pub const MAX_WEIGHT: f64 = 1000.0;

/// An identifier in characters: an id, a code, a skill, an employer, a
/// group's value, a map key. Identifiers are what outputs repeat (a reason
/// lists up to twenty vacancies by id), so their length bounds how much larger
/// a response can be than its request.
pub const MAX_ID: usize = 100;

/// A piece of free text in characters: a name, a title, a label, the `why` of
/// a lock or a forbid.
pub const MAX_TEXT: usize = 1000;

/// The fields whose strings are free text ([`MAX_TEXT`]); every other string
/// of a scenario is an identifier ([`MAX_ID`]).
pub const TEXT_FIELDS: [&str; 6] = ["name", "title", "label", "why", "fit_note", "levels"];

/// The fields that are maps from identifiers to values: their keys are
/// identifiers, and a string among their values is judged by the map's field.
pub const MAP_FIELDS: [&str; 5] = ["destinations", "skills", "requires", "values", "attributes"];

/// The longest a string under `field` may be.
pub fn max_chars(field: Option<&str>) -> usize {
    match field {
        Some(f) if TEXT_FIELDS.contains(&f) => MAX_TEXT,
        _ => MAX_ID,
    }
}

/// Gives every string of an input document's schema its [`max_chars`], and
/// every map's keys [`MAX_ID`], unless the type says otherwise (a `const`, an
/// `enum`, a `pattern`); the schema then states the same bound validation
/// checks. Used as `#[schemars(transform = crate::limits::bound_strings)]`
/// on each input type.
pub fn bound_strings(schema: &mut schemars::Schema) {
    use serde_json::{Map, Value};
    fn walk_value(field: Option<&str>, v: &mut Value) {
        if let Value::Object(o) = v {
            walk(field, o);
        }
    }
    fn walk(field: Option<&str>, o: &mut Map<String, Value>) {
        let is = |o: &Map<String, Value>, t: &str| match o.get("type") {
            Some(Value::String(s)) => s == t,
            Some(Value::Array(a)) => a.iter().any(|x| x == t),
            _ => false,
        };
        let fixed = ["const", "enum", "pattern", "maxLength", "format"]
            .iter()
            .any(|k| o.contains_key(*k));
        if is(o, "string") && !fixed {
            o.insert("maxLength".into(), max_chars(field).into());
        }
        if is(o, "object") && o.contains_key("additionalProperties") {
            o.entry("propertyNames")
                .or_insert_with(|| serde_json::json!({ "maxLength": MAX_ID }));
        }
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            for (name, sub) in props.iter_mut() {
                walk_value(Some(name), sub);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(sub) = o.get_mut(key) {
                walk_value(field, sub);
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(subs)) = o.get_mut(key) {
                for sub in subs {
                    walk_value(field, sub);
                }
            }
        }
    }
    if let Some(o) = schema.as_object_mut() {
        walk(None, o);
    }
}

/// Why a value is bounded at all, for messages.
pub const WHY: &str = "palim bounds every number so that its arithmetic stays exact";

/// `n` days after `day`, or `None` past the end of the calendar.
///
/// Validation keeps every date and day count in range, so on a validated
/// scenario this is always `Some`; it is checked anyway, because a `Problem`
/// changed by a what-if or built in a test has not been through validation.
pub fn days_after(day: NaiveDate, n: u64) -> Option<NaiveDate> {
    day.checked_add_days(chrono::Days::new(n))
}

/// `n` days before `day`, or `None` before the start of the calendar.
pub fn days_before(day: NaiveDate, n: u64) -> Option<NaiveDate> {
    day.checked_sub_days(chrono::Days::new(n))
}

/// The day after `day`; the last day of chrono's calendar has none, and is
/// returned itself (no validated scenario comes within 200,000 years of it).
pub fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

/// Threads for work that splits into independent parts (what-ifs, sweep
/// points, compared variants, the eligible pairs of many trainees): the
/// machine's cores, at most eight.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// `first` on a thread of its own while `second` runs on this one, for two
/// independent halves of one piece of work; a panic in `first` is passed on.
pub fn side_by_side<A: Send, B>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|s| {
        let first = s.spawn(first);
        let second = second();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_s_edges_are_checked_not_wrapped() {
        assert_eq!(days_after(NaiveDate::MAX, 1), None);
        assert_eq!(days_before(NaiveDate::MIN, 1), None);
        assert_eq!(
            days_after(LAST_DAY, u64::from(MAX_DAYS) * 3).map(|d| d > LAST_DAY),
            Some(true)
        );
        assert_eq!(days_after(FIRST_DAY, u64::MAX), None);
        assert_eq!(next_day(NaiveDate::MAX), NaiveDate::MAX);
    }
}
