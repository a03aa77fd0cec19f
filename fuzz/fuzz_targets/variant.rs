//! A variant and its base as a user might write them: `palim flatten`, then
//! everything a scenario goes through.
#![no_main]

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use palim::input::variant::InMemory;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The variant, then its base (named "base.json"), split at the first NUL.
    let (variant, base) = text.split_once('\0').unwrap_or((text, ""));
    let mut docs = BTreeMap::new();
    docs.insert("variant.json".to_string(), variant.to_string());
    docs.insert("base.json".to_string(), base.to_string());
    let docs = InMemory(&docs);
    if let Some(flat) = common::no_solver_failure(
        "flatten",
        palim::app::service::flatten(&docs, Path::new("variant.json")),
    ) {
        common::exercise(&flat);
    }
});
