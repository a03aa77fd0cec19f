//! The layout is the architecture: each step of the pipeline is a folder of
//! `src/`, and no `crate::` path runs from a step to a later one.
//!
//! A file may name its own step and the steps before it, never one after. The
//! order is ARCHITECTURE.md's; this test is how it is kept.

use std::path::Path;

/// The steps in import order: each may use those before it. The first holds
/// what every step shares (errors, wording, limits, text positions).
const STEPS: &[&[&str]] = &[
    &["error", "limits", "locate", "words"],
    &["model"],
    &["rules"],
    &["input"],
    &["documents"],
    &["eligibility"],
    &["solve"],
    &["analysis"],
    &["render"],
    &["app"],
];

/// The crate root's re-exports, and the step each comes from.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("PalimError", "error"),
    ("InputIssue", "error"),
    ("InvalidInput", "error"),
    ("MatchSet", "documents"),
    ("SolveOptions", "solve"),
    ("solve_with", "analysis"),
    ("solve_detailed", "analysis"),
];

fn step_of(module: &str) -> Option<usize> {
    STEPS.iter().position(|s| s.contains(&module))
}

/// The code of a file without comments, string literals and its unit tests,
/// which may reach anywhere.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                match (escaped, c) {
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => escaped = false,
                }
            } else if c == '"' {
                in_string = true;
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The first segment of every `crate::` path in `code`, including each
/// member of a `crate::{a, b::c}` group, and whether it is called.
fn crate_paths(code: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for member in group[..end].split(',') {
                let name: String = member
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push((name, false));
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let called = rest[name.len()..].trim_start().starts_with('(');
        found.push((name, called));
    }
    found
}

/// The step a path's first segment names.
fn step_named(name: &str, called: bool) -> Option<usize> {
    if name == "solve" && called {
        return step_of("analysis");
    }
    if let Some((_, module)) = ROOT_ITEMS.iter().find(|(item, _)| *item == name) {
        return step_of(module);
    }
    step_of(name)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_import_runs_from_a_step_to_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut unplaced = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(mine) = step_of(&module) else {
            unplaced.push(rel.display().to_string());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (name, called) in crate_paths(&code(&text)) {
            match step_named(&name, called) {
                Some(theirs) if theirs > mine => wrong.push(format!(
                    "{} ({}) uses crate::{name} ({}), a later step",
                    rel.display(),
                    STEPS[mine].join("/"),
                    STEPS[theirs].join("/")
                )),
                Some(_) => {}
                None => unplaced.push(format!("crate::{name} in {}", rel.display())),
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "not in any step of STEPS: {unplaced:#?}"
    );
    assert!(wrong.is_empty(), "imports that run back up: {wrong:#?}");
}

#[test]
fn the_check_sees_grouped_and_inline_paths() {
    let code = code("use crate::{input::problem, PalimError};\nlet x = crate::solve(p); // crate::app\n\"crate::render\"");
    assert_eq!(
        crate_paths(&code),
        [
            ("input".to_string(), false),
            ("PalimError".to_string(), false),
            ("solve".to_string(), true)
        ]
    );
    assert_eq!(step_named("solve", true), step_of("analysis"));
    assert_eq!(step_named("solve", false), step_of("solve"));
}
