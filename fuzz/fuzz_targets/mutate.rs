//! A small valid scenario with fields set to extremes, wrong types, odd
//! strings and dates at the calendar's edges, as a mutation campaign would:
//! every such document must be answered or refused with a clear error.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[path = "common.rs"]
mod common;

const SEED: &str = include_str!("../seeds/small.json");

#[derive(Arbitrary, Debug)]
enum Leaf {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Extreme(u8),
    Date(u8),
    Text(String),
    EmptyArray,
    EmptyObject,
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Set(u16, Leaf),
    Remove(u16),
    /// Copy one part of the document over another (an id, a list, a record).
    Copy(u16, u16),
}

const EXTREMES: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1e-300,
    3650.0,
    3651.0,
    1e6,
    1_000_001.0,
    4_294_967_295.0,
    4_294_967_296.0,
    9.007_199_254_740_993e15,
    9.2e18,
    1e300,
    1e308,
    -1e308,
];

const DATES: &[&str] = &[
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "1899-12-31",
    "2199-12-31",
    "2200-01-01",
    "2020-02-29",
    "2021-02-29",
    "2020-04-31",
    "+262143-12-31",
    "-0001-01-01",
    "2020-1-5",
    "31/01/2020",
    "",
];

fn leaf(l: &Leaf) -> Value {
    match l {
        Leaf::Null => Value::Null,
        Leaf::Bool(b) => json!(b),
        Leaf::Int(i) => json!(i),
        Leaf::Float(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
        Leaf::Extreme(i) => {
            let x = EXTREMES[*i as usize % EXTREMES.len()];
            if x.fract() == 0.0 && x.abs() < 9e18 {
                json!(x as i64)
            } else {
                json!(x)
            }
        }
        Leaf::Date(i) => json!(DATES[*i as usize % DATES.len()]),
        Leaf::Text(s) => json!(s),
        Leaf::EmptyArray => json!([]),
        Leaf::EmptyObject => json!({}),
    }
}

/// Every place in the document, as JSON pointers, in document order.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{here}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

fn edit(doc: &mut Value, e: &Edit) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let at = |i: &u16| all[*i as usize % all.len()].clone();
    match e {
        Edit::Set(i, l) => {
            if let Some(x) = doc.pointer_mut(&at(i)) {
                *x = leaf(l);
            }
        }
        Edit::Remove(i) => {
            let p = at(i);
            let (parent, key) = p.rsplit_once('/').unwrap_or(("", &p));
            match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => {
                    m.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(a)) => {
                    if let Ok(k) = key.parse::<usize>() {
                        if k < a.len() {
                            a.remove(k);
                        }
                    }
                }
                _ => {}
            }
        }
        Edit::Copy(from, to) => {
            if let Some(x) = doc.pointer(&at(from)).cloned() {
                if let Some(y) = doc.pointer_mut(&at(to)) {
                    *y = x;
                }
            }
        }
    }
}

fuzz_target!(|edits: Vec<Edit>| {
    let mut doc: Value = serde_json::from_str(SEED).expect("the seed is JSON");
    for e in edits.iter().take(8) {
        edit(&mut doc, e);
    }
    common::exercise(&doc.to_string());
});
