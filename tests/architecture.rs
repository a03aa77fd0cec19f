//! The layout is the architecture: each step of the pipeline is a folder of
//! `src/`, and no `crate::` path runs from a step to a later one.
//!
//! A file may name its own step and the steps before it, never one after. The
//! order is ARCHITECTURE.md's; this test is how it is kept.

use std::path::Path;

/// The steps in import order: each may use those before it. The first holds
/// what every step shares (errors, wording, limits, text positions).
const STEPS: &[&[&str]] = &[
    &["error", "lang", "limits", "locate", "words"],
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
    String::from_utf8_lossy(&blank_literals(text)).into_owned()
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

/// A function longer than this is split into named parts; data tables
/// (`DATA_TABLES`) are the exception.
const MAX_FUNCTION_LINES: usize = 120;

/// Functions that are one table of data: (file under `src/`, function).
const DATA_TABLES: &[(&str, &str)] = &[("app/server/mod.rs", "endpoints")];

/// `text` with comments, strings and character literals blanked (newlines
/// kept), so that braces left are the code's own.
fn blank_literals(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            i + text[i..].find("*/").map_or(rest.len(), |k| k + 2)
        } else if rest.starts_with(b"r\"") || rest.starts_with(b"r#") {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let open = 2 + hashes;
            i + open + text[i + open..].find(&close).map_or(0, |k| k + close.len())
        } else if rest[0] == b'"' {
            let mut k = 1;
            while k < rest.len() && rest[k] != b'"' {
                k += if rest[k] == b'\\' { 2 } else { 1 };
            }
            i + k + 1
        } else if rest[0] == b'\'' && rest.len() > 2 && (rest[1] == b'\\' || rest[2] == b'\'') {
            // A character literal, not a lifetime.
            let k = rest[2..]
                .iter()
                .position(|&c| c == b'\'')
                .map_or(1, |k| k + 3);
            i + k
        } else {
            i += 1;
            continue;
        };
        blank(&mut out, i, end);
        i = end.max(i + 1);
    }
    out
}

/// Every function with a body in `text`: (name, first line, lines).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = blank_literals(text);
    let code = String::from_utf8_lossy(&code);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(k) = code[from..].find("fn ") {
        let at = from + k;
        from = at + 3;
        let word_start = at == 0
            || !code.as_bytes()[at - 1].is_ascii_alphanumeric() && code.as_bytes()[at - 1] != b'_';
        if !word_start {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (Some(open), semi) = (code[at..].find('{'), code[at..].find(';')) else {
            continue;
        };
        if semi.is_some_and(|s| s < open) {
            continue; // a declaration without a body
        }
        let mut depth = 0;
        let mut end = at + open;
        for (k, c) in code[at + open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push((name, line_of(at), line_of(end) - line_of(at) + 1));
    }
    found
}

#[test]
fn no_function_is_longer_than_it_takes_to_read_it_in_one_go() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut long = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        for (name, line, lines) in functions(&text) {
            let table = DATA_TABLES.contains(&(rel.as_str(), name.as_str()));
            if lines > MAX_FUNCTION_LINES && !table {
                long.push(format!("{rel}:{line} {name}: {lines} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these into named parts (at most {MAX_FUNCTION_LINES} lines each): {long:#?}"
    );
}

#[test]
fn function_lengths_count_code_not_literals() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '}';\n    // }\n    x::<'static>();\n}\nfn b();\nfn c() { r#\"{\"# }\n";
    assert_eq!(
        functions(text),
        [("a".to_string(), 1, 6), ("c".to_string(), 8, 1)]
    );
}
