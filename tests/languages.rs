//! The message catalogues: one Fluent file per language, the same messages in
//! each, and every message the code asks for present.

use std::collections::BTreeSet;
use std::path::Path;

use palim::input::workbook::layout::{Shape, SETTINGS, SHEETS};
use palim::lang::Lang;
use palim::render::people::{PROOFS, REASON_CODES};

/// The message ids of a catalogue, with the line each is on.
fn ids(lang: Lang) -> BTreeSet<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{}/palim.ftl", lang.code()));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut ids = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with(' ') {
            continue;
        }
        let (id, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("{}:{}: not `id = text`: {line}", path.display(), n + 1));
        assert!(
            !value.trim().is_empty(),
            "{}:{}: {id} has no text",
            path.display(),
            n + 1
        );
        assert!(
            ids.insert(id.to_string()),
            "{}:{}: {id} twice",
            path.display(),
            n + 1
        );
    }
    ids
}

#[test]
fn every_message_exists_in_every_language() {
    let en = ids(Lang::En);
    for lang in [Lang::Nl, Lang::Fr] {
        let other = ids(lang);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang:?} has messages English lacks: {extra:?}"
        );
    }
}

#[test]
fn the_catalogue_has_every_message_the_code_derives() {
    let en = ids(Lang::En);
    let mut needed: Vec<String> = vec!["sheet-about".into()];
    for sheet in SHEETS {
        needed.push(format!("sheet-{}", sheet.key));
        needed.push(format!("about-{}", sheet.key));
        if sheet.shape == Shape::Settings {
            continue;
        }
        for c in sheet.columns {
            needed.push(format!("col-{}-{}", sheet.key, c.key));
            needed.push(format!("note-{}-{}", sheet.key, c.key));
            needed.extend(c.choices.iter().map(|choice| format!("choice-{choice}")));
        }
        for f in sheet.families.iter().filter(|f| !f.key.is_empty()) {
            needed.push(format!("prefix-{}", f.key));
        }
    }
    for c in SETTINGS {
        needed.push(format!("setting-{}", c.key));
        needed.push(format!("note-setting-{}", c.key));
    }
    needed.extend(REASON_CODES.iter().map(|c| format!("reason-{c}")));
    needed.extend(PROOFS.iter().map(|p| format!("proof-{p}")));
    for status in ["optimal", "time_limit", "infeasible"] {
        needed.push(format!("status-{status}"));
        needed.push(format!("report-status-{status}"));
    }
    let missing: Vec<_> = needed.iter().filter(|id| !en.contains(*id)).collect();
    assert!(missing.is_empty(), "missing messages: {missing:?}");
}

#[test]
fn every_reason_code_the_rules_have_is_worded() {
    use strum::IntoEnumIterator;
    let _ = Lang::En;
    for code in palim::rules::ReasonCode::iter() {
        assert!(
            REASON_CODES.contains(&code.as_str()),
            "{} has no reason-* message",
            code.as_str()
        );
    }
}

#[test]
fn dutch_speaks_vdab_and_french_enabel() {
    assert_eq!(Lang::Nl.text("out-trainee"), "Kandidaat");
    assert_eq!(Lang::Nl.text("out-vacancy"), "Vacature");
    assert_eq!(Lang::Nl.text("out-employer"), "Werkgever");
    assert_eq!(Lang::Nl.text("out-sheet-matches"), "Plaatsingen");
    assert_eq!(Lang::Fr.text("out-trainee"), "Candidat");
    assert_eq!(Lang::Fr.text("out-employer"), "Employeur");
    // Codes never change with the language.
    assert_eq!(
        Lang::Fr.text("reason-forbidden"),
        "interdit par le conseiller"
    );
}
