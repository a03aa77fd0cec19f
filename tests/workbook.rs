//! The officer's workbook: scenarios kept in spreadsheets read exactly as the
//! JSON they stand for, problems named by sheet, cell and header, and results
//! written for people (a workbook with a sheet per employer, an HTML report).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use common::{palim, tmp};
use palim::app::files::{self, Output};
use palim::input::validate::LoadOptions;
use palim::lang::Lang;
use palim::model::scenario::Scenario;
use proptest::prelude::*;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every scenario and variant bundled in `scenarios/palim-2020`.
fn bundled() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios/palim-2020"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    files
}

fn read(path: &Path) -> Scenario {
    files::read_scenario(path, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), plain(&e)))
}

fn plain(e: &palim::PalimError) -> String {
    match e {
        palim::PalimError::Invalid(inv) => inv.plain(),
        other => other.to_string(),
    }
}

fn doc(s: &Scenario) -> Value {
    serde_json::to_value(s).unwrap()
}

/// A fresh scratch path (files and folders from an earlier run removed).
fn fresh(name: &str) -> PathBuf {
    let path = tmp(name);
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    path
}

/// Write `s` in the form `path` names, read it back, and hold it to `s`.
fn round_trip(s: &Scenario, path: &Path, lang: Lang) {
    let model = files::model_of(s, &LoadOptions::default());
    files::write_scenario(path, s, model.as_ref(), lang).unwrap();
    let back = read(path);
    assert_eq!(doc(&back), doc(s), "{} ({lang:?})", path.display());
}

#[test]
fn bundled_scenarios_round_trip_through_workbooks_in_every_language_and_csv_folders() {
    for file in bundled() {
        let s = read(&file);
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        for lang in Lang::ALL {
            round_trip(&s, &fresh(&format!("rt-{stem}-{}.xlsx", lang.code())), lang);
        }
        round_trip(&s, &fresh(&format!("rt-{stem}-csv")), Lang::Nl);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Scenarios from the generator (both shapes, any size from tiny) come
    /// back from a workbook and from a CSV folder unchanged.
    #[test]
    fn generated_scenarios_round_trip(seed in 0u64..10_000, trainees in 1usize..40, vacancies in 1usize..20, regional: bool, lang in 0usize..3) {
        let mut params = palim::input::generate::Preset::Palim.params();
        params.trainees = trainees;
        params.vacancies = vacancies;
        params.regional = regional;
        let s = palim::input::generate::generate(&params, seed);
        let lang = Lang::ALL[lang];
        round_trip(&s, &fresh(&format!("gen-{seed}.xlsx")), lang);
        round_trip(&s, &fresh(&format!("gen-{seed}-csv")), lang);
    }
}

#[test]
fn json_to_workbook_to_json_by_the_cli_gives_the_same_bytes() {
    let book = fresh("cli-baseline.xlsx");
    let via_book = fresh("cli-via-book.json");
    let direct = fresh("cli-direct.json");
    let base = "scenarios/palim-2020/baseline.json";
    for args in [
        vec![
            "convert",
            base,
            "-o",
            book.to_str().unwrap(),
            "--lang",
            "fr",
        ],
        vec![
            "convert",
            book.to_str().unwrap(),
            "-o",
            via_book.to_str().unwrap(),
        ],
        vec!["convert", base, "-o", direct.to_str().unwrap()],
    ] {
        let out = palim(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read(&via_book).unwrap(),
        std::fs::read(&direct).unwrap()
    );
}

/// The text of every part of an `.xlsx` (a zip of XML files) whose name starts with `prefix`.
fn xml_parts(path: &Path, prefix: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().starts_with(prefix) {
            std::io::Read::read_to_string(&mut f, &mut out).unwrap();
        }
    }
    out
}

#[test]
fn the_template_has_notes_dropdowns_checks_and_frozen_headers_in_the_chosen_language() {
    let path = fresh("template-nl.xlsx");
    let out = palim(&["template", "--lang", "nl", "-o", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book = Xlsx::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap())).unwrap();
    let names = book.sheet_names();
    for name in [
        "Uitleg",
        "Instellingen",
        "Bestemmingen",
        "Kandidaten",
        "Vacatures",
        "Groepsaandelen",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let sheets = xml_parts(&path, "xl/worksheets/sheet");
    assert!(sheets.contains(r#"state="frozen""#), "frozen header rows");
    // Dropdowns: destinations from their sheet, CEFR labels, lock/forbid in Dutch.
    assert!(
        sheets.contains("'Bestemmingen'!$A$2"),
        "destination dropdown"
    );
    assert!(sheets.contains("\"A1,A2,B1,B2,C1,C2\""), "CEFR dropdown");
    assert!(
        sheets.contains("\"vastleggen,uitsluiten\""),
        "decision dropdown"
    );
    assert!(sheets.contains(r#"type="date""#) && sheets.contains(r#"type="whole""#));
    // A level 0–4 check on the model's 0–4 skills.
    assert!(sheets.contains("<formula1>0</formula1><formula2>4</formula2>"));
    let notes = xml_parts(&path, "xl/comments");
    assert!(
        notes.contains("Geboortedatum") || notes.contains("een datum"),
        "notes in Dutch"
    );
    assert!(
        notes.contains("Java (computer programming)"),
        "skill notes name the model's skill"
    );
}

/// Run a command that must be installed (by `make test` / `.ci/run`); its absence is a failure.
fn tool(program: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test (scripts/test-prerequisites.sh installs it): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn solve_json(scenario: &Path) -> Value {
    let out = palim(&["solve", scenario.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn pairs(m: &Value) -> Vec<(String, String, String)> {
    m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap().to_string();
            (s("trainee"), s("vacancy"), s("start_date"))
        })
        .collect()
}

#[test]
fn a_template_filled_by_another_program_solves_like_the_json() {
    let template = fresh("filled-template-fr.xlsx");
    let filled = fresh("filled.xlsx");
    let out = palim(&["template", "--lang", "fr", "-o", template.to_str().unwrap()]);
    assert!(out.status.success());
    let base = root().join("scenarios/palim-2020/baseline.json");
    tool(
        "python3",
        &[
            root().join("tests/fill_template.py").to_str().unwrap(),
            template.to_str().unwrap(),
            base.to_str().unwrap(),
            filled.to_str().unwrap(),
        ],
    );
    assert_eq!(doc(&read(&filled)), doc(&read(&base)));
    let (a, b) = (solve_json(&filled), solve_json(&base));
    assert_eq!(a["objective"], b["objective"]);
    assert_eq!(pairs(&a), pairs(&b));
    assert_eq!(a["unmatched_trainees"], b["unmatched_trainees"]);
}

#[test]
fn a_workbook_saved_by_libreoffice_still_reads() {
    let base = read(&root().join("scenarios/palim-2020/baseline.json"));
    let book = fresh("lo-base.xlsx");
    files::write_scenario(
        &book,
        &base,
        files::model_of(&base, &LoadOptions::default()).as_ref(),
        Lang::Fr,
    )
    .unwrap();
    let dir = fresh("lo-out");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        fresh("lo-profile").display()
    );
    let soffice = |to: &str, file: &Path, out: &Path| {
        tool(
            "soffice",
            &[
                &profile,
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                out.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
        );
    };
    soffice("ods", &book, &dir);
    let ods = dir.join("lo-base.ods");
    assert_eq!(workbook_form(&ods), palim::input::workbook::read::Form::Ods);
    assert_eq!(doc(&read(&ods)), doc(&base), "LibreOffice's .ods");
    let again = dir.join("again");
    soffice("xlsx", &ods, &again);
    assert_eq!(
        doc(&read(&again.join("lo-base.xlsx"))),
        doc(&base),
        "LibreOffice's .xlsx"
    );
    // Excel 97-2003's binary form, as LibreOffice writes it.
    soffice("xls", &book, &dir);
    let xls = dir.join("lo-base.xls");
    assert_eq!(workbook_form(&xls), palim::input::workbook::read::Form::Xls);
    assert_eq!(doc(&read(&xls)), doc(&base), "LibreOffice's .xls");
    // Read by content: the same file under a name that says nothing.
    let hidden = dir.join("cohort.dat");
    std::fs::copy(&ods, &hidden).unwrap();
    assert_eq!(doc(&read(&hidden)), doc(&base));
}

fn workbook_form(path: &Path) -> palim::input::workbook::read::Form {
    palim::input::workbook::form_of(path).unwrap()
}

/// The baseline as a CSV folder, with `edit` applied to its files.
fn csv_with(name: &str, edit: impl FnOnce(&Path)) -> PathBuf {
    let dir = fresh(name);
    let base = read(&root().join("scenarios/palim-2020/baseline.json"));
    files::write_scenario(
        &dir,
        &base,
        files::model_of(&base, &LoadOptions::default()).as_ref(),
        Lang::En,
    )
    .unwrap();
    edit(&dir);
    dir
}

/// Set the cell at (row, column), both counted from 1, of a CSV file.
fn set_cell(file: &Path, row: usize, col: usize, text: &str) {
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(file)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    while rows.len() < row {
        rows.push(Vec::new());
    }
    let r = &mut rows[row - 1];
    while r.len() < col {
        r.push(String::new());
    }
    r[col - 1] = text.to_string();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_path(file)
        .unwrap();
    for r in rows {
        w.write_record(&r).unwrap();
    }
}

fn validate_lines(path: &Path) -> String {
    let out = palim(&["validate", path.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn every_cell_level_problem_is_named_by_sheet_cell_and_header_in_one_run() {
    let dir = csv_with("cell-errors", |d| {
        let t = d.join("trainees.csv");
        set_cell(&t, 12, 3, "31/02/1995");
        set_cell(&t, 13, 14, "7"); // java, on a 0–4 scale
        set_cell(&t, 1, 30, "favourite colour");
        let v = d.join("vacancies.csv");
        set_cell(&v, 2, 6, "2.5");
        set_cell(&v, 3, 7, "lots");
        set_cell(&v, 4, 4, "XX");
        set_cell(&d.join("group_shares.csv"), 2, 4, "18");
        set_cell(&d.join("destinations.csv"), 2, 6, "normal: 3");
        set_cell(&d.join("destinations.csv"), 4, 1, "BE");
        set_cell(&d.join("salary_floors.csv"), 2, 1, "ZZ");
        set_cell(&d.join("decisions.csv"), 2, 1, "maybe");
        set_cell(&d.join("decisions.csv"), 2, 2, "T001");
        set_cell(&d.join("decisions.csv"), 2, 3, "MA-01");
        std::fs::write(d.join("notes.csv"), "anything\n").unwrap();
    });
    let text = validate_lines(&dir);
    let expected = [
        r#"trainees!C12 (Birth date): "31/02/1995" is not a date [bad_date]"#,
        "trainees!N13 (java): ",
        "[out_of_range]",
        r#"trainees!AD1 (favourite colour): the competency model junior-java-developer has no skill "favourite colour" [unknown_skill]"#,
        "vacancies!F2 (Positions): 2.5 is not a whole number [wrong_type]",
        r#"vacancies!G3 (Annual salary): "lots" is not a number [wrong_type]"#,
        "vacancies!D4 (Destination): ",
        "group_shares!D2 (Minimum share): 18 is more than 100% [out_of_range]",
        r#"destinations!F2 (Permit lead time spread): "normal: 3" is not a lead-time distribution [bad_distribution]"#,
        r#"destinations!A4 (Code): "BE" is listed twice [duplicate_id]"#,
        r#"salary_floors!A2 (Destination): no destination "ZZ" on the Destinations sheet [unknown_id]"#,
        r#"decisions!A2 (Decision): "maybe" is not one of the allowed values [wrong_type]"#,
        r#"sheet notes: palim does not know a sheet "notes" [unknown_sheet]"#,
        "[unknown_sheet]",
    ];
    for e in expected {
        assert!(text.contains(e), "missing {e:?} in:\n{text}");
    }
    // Each line says what to do.
    assert!(text.matches("help: ").count() >= 12, "{text}");
}

#[test]
fn typed_cells_as_spreadsheets_hold_them_are_read_and_a_number_in_a_date_column_is_not() {
    use rust_xlsxwriter::{Format, Workbook};
    let path = fresh("typed.xlsx");
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = book.add_worksheet().set_name("Instellingen").unwrap();
    ws.write(0, 0, "Instelling").unwrap();
    ws.write(1, 0, "Competentiemodel").unwrap();
    ws.write(1, 1, "junior-java-developer").unwrap();
    let ws = book.add_worksheet().set_name("Destinations").unwrap();
    ws.write_row(0, 0, ["code", "Maximum placed", "Earliest start"])
        .unwrap();
    ws.write_row(1, 0, ["BE"]).unwrap();
    ws.write(1, 1, 2).unwrap();
    ws.write_datetime_with_format(
        1,
        2,
        chrono::NaiveDate::from_ymd_opt(2020, 4, 1).unwrap(),
        &date,
    )
    .unwrap();
    ws.write(2, 0, "MA").unwrap();
    let ws = book.add_worksheet().set_name("Candidats").unwrap();
    ws.write_row(
        0,
        0,
        [
            "Candidat",
            "Destinations acceptées",
            "Disponible à partir du",
            "english",
            "java",
        ],
    )
    .unwrap();
    ws.write_row(1, 0, ["T1", "BE, MA"]).unwrap();
    ws.write_datetime_with_format(
        1,
        2,
        chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap(),
        &date,
    )
    .unwrap();
    ws.write(1, 3, "B2").unwrap();
    ws.write(1, 4, 3).unwrap();
    ws.write_row(2, 0, ["T2", "BE", "31/01/2020", "C1"])
        .unwrap();
    ws.write(2, 4, "2").unwrap();
    ws.write_row(3, 0, ["T3", "BE"]).unwrap();
    ws.write(3, 2, 43861).unwrap(); // a serial number, not formatted as a date
                                    // Trailing blank rows, as spreadsheets keep them.
    ws.write(7, 0, "").unwrap();
    let ws = book.add_worksheet().set_name("Vacancies").unwrap();
    ws.write_row(0, 0, ["id", "destination", "required: java"])
        .unwrap();
    ws.write_row(1, 0, ["V1", "BE"]).unwrap();
    ws.write(1, 2, 2).unwrap();
    book.save(&path).unwrap();
    let err = files::read_scenario(&path, &LoadOptions::default()).unwrap_err();
    let text = plain(&err);
    assert!(
        text.contains(
            "Candidats!C4 (Disponible à partir du): 43861 is a number, not a date [bad_date]"
        ),
        "{text}"
    );
    assert_eq!(
        text.matches('[').count(),
        1,
        "only that one problem: {text}"
    );
    // Without the bad row the rest reads as the JSON it stands for.
    let mut book = Xlsx::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap())).unwrap();
    assert!(book.worksheet_range("Candidats").is_ok());
    let fixed = fresh("typed-fixed.xlsx");
    {
        let mut b = Workbook::new();
        let ws = b.add_worksheet().set_name("Settings").unwrap();
        ws.write_row(0, 0, ["setting", "value"]).unwrap();
        ws.write_row(1, 0, ["model", "junior-java-developer"])
            .unwrap();
        let ws = b.add_worksheet().set_name("Destinations").unwrap();
        ws.write_row(0, 0, ["code", "Maximum placed"]).unwrap();
        ws.write(1, 0, "BE").unwrap();
        ws.write(1, 1, 2).unwrap();
        ws.write(2, 0, "MA").unwrap();
        let ws = b.add_worksheet().set_name("Trainees").unwrap();
        ws.write_row(
            0,
            0,
            ["id", "destinations", "available_from", "english", "java"],
        )
        .unwrap();
        ws.write_row(1, 0, ["T1", "BE; MA"]).unwrap();
        ws.write_datetime_with_format(
            1,
            2,
            chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap(),
            &date,
        )
        .unwrap();
        ws.write(1, 3, "B2").unwrap();
        ws.write(1, 4, 3).unwrap();
        ws.write_row(2, 0, ["T2", "BE", "2020-01-31", "C1", "2"])
            .unwrap();
        ws.write(5, 0, " ").unwrap();
        let ws = b.add_worksheet().set_name("Vacancies").unwrap();
        ws.write_row(0, 0, ["id", "destination", "required: java"])
            .unwrap();
        ws.write_row(1, 0, ["V1", "BE"]).unwrap();
        ws.write(1, 2, 2).unwrap();
        b.save(&fixed).unwrap();
    }
    let s = doc(&read(&fixed));
    assert_eq!(
        s["trainees"][0]["destinations"],
        serde_json::json!(["BE", "MA"])
    );
    assert_eq!(s["trainees"][0]["available_from"], "2020-01-31");
    assert_eq!(s["trainees"][0]["skills"]["english"], "B2");
    assert_eq!(s["trainees"][1]["skills"]["java"], 2.0);
    assert_eq!(
        s["trainees"].as_array().unwrap().len(),
        2,
        "blank rows are not trainees"
    );
    assert_eq!(s["destinations"]["BE"]["max"], 2);
}

/// The strings of every cell of a sheet.
fn sheet_rows(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(std::io::BufReader::new(std::fs::File::open(path).unwrap())).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map(|t| t.date().to_string())
                        .unwrap_or_default(),
                    Data::Float(x) => format!("{x}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_results_workbook_holds_the_json_match_set_and_employer_sheets_only_their_own() {
    let base = root().join("scenarios/palim-2020/baseline.json");
    let (book, json) = (fresh("result.xlsx"), fresh("result.json"));
    let out = palim(&[
        "solve",
        base.to_str().unwrap(),
        "--out",
        book.to_str().unwrap(),
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rows = sheet_rows(&book, "Matches");
    let from_book: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[4].clone()))
        .collect();
    assert_eq!(from_book, pairs(&m));
    for (row, x) in rows[1..].iter().zip(m["matches"].as_array().unwrap()) {
        let score: f64 = row[5].parse().unwrap();
        assert!((score - x["score"].as_f64().unwrap()).abs() < 1e-9);
    }
    let unmatched: std::collections::BTreeSet<String> = sheet_rows(&book, "Unmatched trainees")
        [1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let expected: std::collections::BTreeSet<String> = m["unmatched_trainees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["trainee"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(unmatched, expected);
    // The nearest change is there for every unmatched trainee the explanations could place.
    let nearest: Vec<String> = sheet_rows(&book, "Unmatched trainees")[1..]
        .iter()
        .map(|r| r[6].clone())
        .filter(|s| !s.is_empty())
        .collect();
    assert!(
        nearest.iter().any(|n| n.contains("(solved again)")),
        "{nearest:?}"
    );
    // Each employer's sheet names only trainees matched to that employer.
    let problem = palim::input::load::load_file(&base, &LoadOptions::default()).unwrap();
    let reader = Xlsx::new(std::io::BufReader::new(std::fs::File::open(&book).unwrap())).unwrap();
    let sheets = reader.sheet_names();
    let mut employers = 0;
    for (employer, _) in palim::render::people::by_employer(&problem) {
        let name: String = employer.chars().take(31).collect();
        assert!(sheets.contains(&name), "{name}");
        employers += 1;
        let own: std::collections::BTreeSet<&str> = m["matches"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["employer"] == employer.as_str())
            .map(|x| x["trainee"].as_str().unwrap())
            .collect();
        let text: String = sheet_rows(&book, &name).concat().join(" ");
        for t in problem.trainees.iter() {
            let named = text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == t.id);
            assert_eq!(
                named,
                own.contains(t.id.as_str()),
                "{} on {name}'s sheet",
                t.id
            );
        }
    }
    assert!(employers > 20);
}

/// Console messages and failed loads Chromium logs for a page, by rendering
/// it headless to a PNG.
fn render_in_chromium(page: &Path, png: &Path) -> String {
    let out = tool(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,1600",
            &format!("--screenshot={}", png.display()),
            &format!("file://{}", page.display()),
        ],
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("net::ERR"))
        .collect()
}

#[test]
fn the_html_report_is_self_contained_and_renders_in_chromium_without_console_errors() {
    // The check can fail: a page that logs an error and loads a missing image is caught.
    let control = fresh("control.html");
    std::fs::write(&control, "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('boom')</script></body></html>").unwrap();
    let log = render_in_chromium(&control, &fresh("control.png"));
    assert!(
        !console_errors(&log).is_empty(),
        "the control page's error was not seen:\n{log}"
    );

    let base = root().join("scenarios/palim-2020/baseline.json");
    let dir = root().join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    for lang in ["en", "nl", "fr"] {
        let report = dir.join(format!("report-{lang}.html"));
        let out = palim(&[
            "solve",
            base.to_str().unwrap(),
            "--lang",
            lang,
            "--out",
            report.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let html = std::fs::read_to_string(&report).unwrap();
        for external in ["src=", "href=", "url(", "@import", "<script", "<link"] {
            assert!(!html.contains(external), "{lang}: {external} in the report");
        }
        let urls: Vec<&str> = html.matches("http").collect();
        assert_eq!(
            urls.len(),
            html.matches("http://www.w3.org/2000/svg").count(),
            "only SVG namespaces"
        );
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        let png = dir.join(format!("report-{lang}.png"));
        let log = render_in_chromium(&report, &png);
        assert!(console_errors(&log).is_empty(), "{lang}: {log}");
        assert!(
            std::fs::metadata(&png).unwrap().len() > 50_000,
            "a real picture of the report"
        );
    }
}

#[test]
fn what_ifs_and_sweeps_write_workbooks_and_a_report() {
    let dir = fresh("whatif");
    std::fs::create_dir_all(&dir).unwrap();
    let (book, report, sweep) = (dir.join("c.xlsx"), dir.join("c.html"), dir.join("s.xlsx"));
    let out = palim(&[
        "compare",
        "scenarios/palim-2020/baseline.json",
        "scenarios/palim-2020/split-40-80.json",
        "--format",
        "json",
        "--lang",
        "nl",
        "--out",
        book.to_str().unwrap(),
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    let people = sheet_rows(&book, "Wie verandert");
    assert_eq!(
        people.len() - 1,
        c["variants"][0]["people"].as_array().unwrap().len()
    );
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("Wat-als-vergelijking"));
    // The baseline's Flemish places from 28 to 32, as a workbook, with `more` options.
    let sweep_to = |book: &Path, more: &[&str]| {
        let mut args = vec![
            "sweep",
            "scenarios/palim-2020/baseline.json",
            "--vary",
            "destinations.BE.max=28..32",
            "--xlsx",
            book.to_str().unwrap(),
        ];
        args.extend_from_slice(more);
        palim(&args)
    };
    let out = sweep_to(&sweep, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = sheet_rows(&sweep, "Sweep");
    assert_eq!(rows.len(), 6, "a header and five points");
    assert!(
        xml_parts(&sweep, "xl/charts/").contains("<c:lineChart>"),
        "the sweep's chart"
    );
    // Past its time limit, every point keeps its row, saying it was not solved.
    let cut = dir.join("cut.xlsx");
    let out = sweep_to(&cut, &["--time-limit", "0"]);
    assert_eq!(out.status.code(), Some(3));
    let rows = sheet_rows(&cut, "Sweep");
    assert_eq!(rows.len(), 6, "a header and five points: {rows:?}");
    assert!(
        (rows[1..].iter()).all(|row| row.join("|").contains("not solved within the time limit")),
        "{rows:?}"
    );
}

#[test]
fn every_output_in_every_language_shows_words_not_message_ids() {
    let base = root().join("scenarios/palim-2020/baseline.json");
    let problem = palim::input::load::load_file(&base, &LoadOptions::default()).unwrap();
    let m = palim::solve(&problem, &palim::SolveOptions::default()).unwrap();
    let id = regex_like_message_id();
    for lang in Lang::ALL {
        let mut texts = vec![
            palim::render::html::report(&problem, &m, lang),
            palim::render::report::render_in(&m, lang),
        ];
        let book = fresh(&format!("ids-{}.xlsx", lang.code()));
        std::fs::write(
            &book,
            palim::render::workbook::result_workbook(&problem, &m, lang).unwrap(),
        )
        .unwrap();
        let lists = palim::app::service::shortlist(
            &problem,
            &palim::app::service::ShortlistRequest {
                per_position: 3,
                per_trainee: 4,
                time_limit: None,
                deadline: None,
            },
        )
        .unwrap();
        texts.push(palim::render::html::shortlist_report(
            &problem, &lists, lang,
        ));
        let shortlists = fresh(&format!("ids-s-{}.xlsx", lang.code()));
        std::fs::write(
            &shortlists,
            palim::render::workbook::shortlist_workbook(&problem, &lists, lang).unwrap(),
        )
        .unwrap();
        let template = fresh(&format!("ids-t-{}.xlsx", lang.code()));
        let s = read(&base);
        files::write_scenario(
            &template,
            &s,
            files::model_of(&s, &LoadOptions::default()).as_ref(),
            lang,
        )
        .unwrap();
        for path in [&book, &template, &shortlists] {
            texts.push(xml_parts(path, "xl/"));
        }
        for text in texts {
            if let Some(found) = id(&text) {
                panic!("{lang:?}: the message id {found:?} shows where its words should");
            }
        }
    }
    assert_eq!(Output::of(Path::new("r.XLSX")), Output::Workbook);
}

/// Finds a Fluent message id (`out-placed`, `note-trainees-id`, …) in a text.
fn regex_like_message_id() -> impl Fn(&str) -> Option<String> {
    let prefixes = [
        "out-",
        "note-",
        "col-",
        "sheet-",
        "report-",
        "reason-",
        "proof-",
        "status-",
        "priority-",
        "setting-",
        "prefix-",
        "choice-",
        "about-",
        "validation-",
        "nearest-",
        "change-",
        "placed-count",
        "sl-",
        "ui-",
    ];
    move |text: &str| {
        for p in prefixes {
            let mut from = 0;
            while let Some(i) = text[from..].find(p) {
                let at = from + i;
                let before = text[..at].chars().next_back();
                let word: String = text[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
                    && word.len() > p.len()
                {
                    return Some(word);
                }
                from = at + p.len();
            }
        }
        None
    }
}

#[test]
fn a_scenario_a_cell_cannot_hold_unchanged_is_refused_not_changed() {
    let mut s = doc(&read(&root().join("scenarios/palim-2020/baseline.json")));
    // An id with a comma, named in a ranking: a list cell would split it.
    let old = s["trainees"][0]["id"].as_str().unwrap().to_string();
    let new = "T,001";
    s["trainees"][0]["id"] = new.into();
    for v in s["vacancies"].as_array_mut().unwrap() {
        for r in v
            .get_mut("ranking")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if r == old.as_str() {
                *r = new.into();
            }
        }
    }
    for list in ["locks", "forbids", "pair_scores"] {
        for p in s
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if p["trainee"] == old.as_str() {
                p["trainee"] = new.into();
            }
        }
    }
    let json = fresh("comma.json");
    std::fs::write(&json, serde_json::to_string(&s).unwrap()).unwrap();
    let book = fresh("comma.xlsx");
    let out = palim(&[
        "convert",
        json.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot be kept in a spreadsheet unchanged (at /vacancies/"),
        "{err}"
    );
    assert!(!book.exists(), "no half-true workbook is left behind");
}

/// A cell as anything a spreadsheet or a CSV file could hold, extremes included.
fn any_cell() -> impl Strategy<Value = palim::input::workbook::cells::Cell> {
    use palim::input::workbook::cells::Cell;
    prop_oneof![
        Just(Cell::Empty),
        "[ -~äéß€,;%:/.\\n]{0,12}".prop_map(Cell::Text),
        prop_oneof![
            Just("31/02/1995".to_string()),
            Just("2020-01-31".to_string()),
            Just("18%".to_string()),
            Just("B2".to_string()),
            Just("BE, MA".to_string()),
            Just("triangular: 1, 2, 3".to_string()),
            Just("lock".to_string()),
            Just("T1".to_string()),
            Just("V1".to_string()),
        ]
        .prop_map(Cell::Text),
        prop_oneof![
            any::<f64>(),
            Just(f64::MAX),
            Just(-0.0),
            Just(1e15),
            Just(4.0),
            Just(0.5)
        ]
        .prop_map(Cell::Number),
        any::<bool>().prop_map(Cell::Bool),
        (-300_000i32..3_000_000).prop_map(|d| Cell::Date(
            chrono::NaiveDate::from_num_days_from_ce_opt(d).unwrap_or_default()
        )),
        Just(Cell::Error("#DIV/0!".into())),
    ]
}

/// A header as an officer might type one: a real header in any language, or not.
fn any_header() -> impl Strategy<Value = palim::input::workbook::cells::Cell> {
    use palim::input::workbook::cells::Cell;
    use palim::input::workbook::layout::SHEETS;
    let mut known: Vec<String> = Vec::new();
    for sheet in SHEETS {
        for lang in Lang::ALL {
            known.extend(sheet.columns.iter().map(|c| sheet.header(lang, c)));
        }
    }
    known.extend(
        [
            "java",
            "english",
            "required: java",
            "weight: sql",
            "attribute: cohort",
            "jav",
            "",
        ]
        .map(String::from),
    );
    prop_oneof![
        proptest::sample::select(known).prop_map(Cell::Text),
        "[ -~]{0,8}".prop_map(Cell::Text),
        any_cell(),
    ]
}

fn any_table() -> impl Strategy<Value = palim::input::workbook::read::Table> {
    use palim::input::workbook::layout::SHEETS;
    let mut names: Vec<String> = SHEETS
        .iter()
        .flat_map(|s| Lang::ALL.map(|l| s.name(l)))
        .collect();
    names.extend(["Notes", "Uitleg", "settings"].map(String::from));
    (
        proptest::sample::select(names),
        proptest::collection::vec(any_header(), 0..8),
        proptest::collection::vec(proptest::collection::vec(any_cell(), 0..9), 0..6),
        any::<bool>(),
    )
        .prop_map(|(name, header, mut rows, typed)| {
            rows.insert(0, header);
            palim::input::workbook::read::Table { name, rows, typed }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Sheets nobody here wrote, with extreme and ill-typed cells, give a
    /// scenario or problems with a place and a message, never a panic.
    #[test]
    fn any_sheets_give_a_scenario_or_placed_problems(tables in proptest::collection::vec(any_table(), 0..6)) {
        match palim::input::workbook::scenario_of(&tables, "fuzz.xlsx", &LoadOptions::default()) {
            Ok(_) => {}
            Err(palim::PalimError::Invalid(inv)) => {
                prop_assert!(!inv.issues.is_empty());
                for i in &inv.issues {
                    prop_assert!(!i.message.is_empty() && !i.code.is_empty());
                    prop_assert!(i.cell.is_some() || !i.path.is_empty());
                }
            }
            Err(other) => prop_assert!(false, "not an input error: {other}"),
        }
    }
}

#[test]
fn an_output_s_name_says_its_form_and_a_plain_name_gets_the_format_asked_for() {
    assert_eq!(Output::of(Path::new("r.json")), Output::Json);
    assert_eq!(Output::of(Path::new("r.XLSX")), Output::Workbook);
    assert_eq!(Output::of(Path::new("rapport.html")), Output::Html);
    assert_eq!(Output::of(Path::new("/dev/null")), Output::Text);
    assert_eq!(Output::of(Path::new("cohort/")), Output::CsvFolder);
    let plain = fresh("plain-result");
    let out = palim(&[
        "solve",
        "scenarios/palim-2020/baseline.json",
        "--format",
        "json",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&std::fs::read(&plain).unwrap()).unwrap();
    assert_eq!(m["objective"]["placements"], 113);
    // A scenario written to a plain name is a CSV folder.
    let folder = fresh("plain-scenario");
    let out = palim(&[
        "convert",
        "scenarios/palim-2020/baseline.json",
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(folder.join("trainees.csv").exists());
}

#[test]
fn the_terminal_table_speaks_the_officer_s_language_and_english_is_unchanged() {
    let base = "scenarios/palim-2020/baseline.json";
    let nl = palim(&["solve", base, "--format", "table", "--lang", "nl"]);
    let text = String::from_utf8_lossy(&nl.stdout);
    for words in [
        "optimaal (bewezen)",
        "113 kandidaten geplaatst · totale score 92,9341",
        "Plaatsingen (113)",
        "Niet geplaatste kandidaten (7)",
        "• aanvaardt de bestemming niet: T025 does not accept Morocco (MA)",
    ] {
        assert!(text.contains(words), "{words:?} in:\n{text}");
    }
    let en = palim(&["solve", base, "--format", "table"]);
    let text = String::from_utf8_lossy(&en.stdout);
    assert!(
        text.contains("optimal (proven)\n113 trainees placed · total score 92.9341"),
        "{text}"
    );
}

/// The baseline's shortlists for a first round: K = 3, M = 4.
fn baseline_shortlists(out: &[&str]) -> std::process::Output {
    let base = root().join("scenarios/palim-2020/baseline.json");
    let mut args = vec![
        "shortlist",
        base.to_str().unwrap(),
        "--per-position",
        "3",
        "--per-trainee",
        "4",
    ];
    args.extend_from_slice(out);
    let done = palim(&args);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    done
}

#[test]
fn the_shortlist_workbook_holds_the_json_and_its_interviews_paste_back_into_the_scenario() {
    let lists: Value =
        serde_json::from_slice(&baseline_shortlists(&["--format", "json"]).stdout).unwrap();
    let shortlists = lists["shortlists"].as_array().unwrap();
    // (vacancy, rank, trainee) of every candidate, as the document has them.
    let wanted: Vec<(String, String, String)> = shortlists
        .iter()
        .flat_map(|l| {
            l["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    (
                        l["vacancy"].as_str().unwrap().to_string(),
                        (k + 1).to_string(),
                        c["trainee"].as_str().unwrap().to_string(),
                    )
                })
        })
        .collect();
    assert!(wanted.len() > 300, "{}", wanted.len());
    let base = read(&root().join("scenarios/palim-2020/baseline.json"));
    for lang in Lang::ALL {
        let book = fresh(&format!("shortlists-{}.xlsx", lang.code()));
        baseline_shortlists(&["--lang", lang.code(), "--out", book.to_str().unwrap()]);
        let rows = sheet_rows(&book, &lang.text("sl-sheet-shortlists"));
        let from_book: Vec<(String, String, String)> = rows[1..]
            .iter()
            .map(|r| (r[0].clone(), r[4].clone(), r[5].clone()))
            .collect();
        assert_eq!(from_book, wanted, "{lang:?}");

        // Each employer's sheet names exactly the candidates proposed to it.
        let reader =
            Xlsx::new(std::io::BufReader::new(std::fs::File::open(&book).unwrap())).unwrap();
        let sheets = reader.sheet_names();
        let mut employers = std::collections::BTreeMap::<String, Vec<String>>::new();
        for l in shortlists {
            let own = employers
                .entry(l["employer"].as_str().unwrap().chars().take(31).collect())
                .or_default();
            own.extend(
                l["candidates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["trainee"].as_str().unwrap().to_string()),
            );
        }
        for (employer, own) in &employers {
            assert!(sheets.contains(employer), "{employer}");
            let named: std::collections::BTreeSet<String> = sheet_rows(&book, employer)[1..]
                .iter()
                .filter_map(|r| r.get(5).filter(|t| t.starts_with('T')).cloned())
                .collect();
            let own: std::collections::BTreeSet<String> = own.iter().cloned().collect();
            assert_eq!(named, own, "{employer} ({lang:?})");
        }

        // The Interviews sheet is the scenario's own: same headers, one
        // pending row per candidate ...
        let template = fresh(&format!("shortlists-template-{}.xlsx", lang.code()));
        files::write_scenario(
            &template,
            &base,
            files::model_of(&base, &LoadOptions::default()).as_ref(),
            lang,
        )
        .unwrap();
        let sheet = lang.text("sheet-interviews");
        let interviews = sheet_rows(&book, &sheet);
        assert_eq!(interviews[0], sheet_rows(&template, &sheet)[0], "{lang:?}");
        let pending = lang.text("choice-pending");
        let rows: Vec<(String, String)> = interviews[1..]
            .iter()
            .map(|r| {
                assert_eq!(r[2], pending);
                (r[1].clone(), r[0].clone())
            })
            .collect();
        assert_eq!(
            rows,
            wanted
                .iter()
                .map(|(v, _, t)| (v.clone(), t.clone()))
                .collect::<Vec<_>>()
        );
        // ... so its rows, outcomes filled in, paste into the scenario as
        // they are and come back as the round's interviews.
        let folder = fresh(&format!("shortlists-round-{}", lang.code()));
        files::write_scenario(
            &folder,
            &base,
            files::model_of(&base, &LoadOptions::default()).as_ref(),
            lang,
        )
        .unwrap();
        let mut pasted = interviews.clone();
        pasted[1][2] = lang.text("choice-accepted");
        pasted[2][2] = lang.text("choice-rejected_by_employer");
        let mut w = csv::Writer::from_path(folder.join("interviews.csv")).unwrap();
        for r in &pasted {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
        let next = doc(&read(&folder));
        let back: Vec<(String, String, String)> = next["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap().to_string();
                (s("trainee"), s("vacancy"), s("outcome"))
            })
            .collect();
        assert_eq!(back.len(), wanted.len(), "{lang:?}");
        assert_eq!(back[0].2, "accepted");
        assert_eq!(back[1].2, "rejected_by_employer");
        assert!(back[2..].iter().all(|i| i.2 == "pending"));
        let problem = palim::input::load::load_file(&folder, &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{lang:?}: {}", plain(&e)));
        assert_eq!(problem.interviews.len(), wanted.len());
    }
}

#[test]
fn the_shortlist_report_is_self_contained_names_every_candidate_and_renders_in_chromium() {
    let lists: Value =
        serde_json::from_slice(&baseline_shortlists(&["--format", "json"]).stdout).unwrap();
    let dir = root().join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    for lang in ["en", "nl", "fr"] {
        let report = dir.join(format!("shortlists-{lang}.html"));
        baseline_shortlists(&["--lang", lang, "--out", report.to_str().unwrap()]);
        let html = std::fs::read_to_string(&report).unwrap();
        for external in [
            "src=", "href=", "url(", "@import", "<script", "<link", "http",
        ] {
            assert!(!html.contains(external), "{lang}: {external} in the report");
        }
        for l in lists["shortlists"].as_array().unwrap() {
            let vacancy = l["vacancy"].as_str().unwrap();
            let at = html
                .find(&format!("<b>{vacancy}</b>"))
                .unwrap_or_else(|| panic!("{vacancy} in the {lang} report"));
            // Its candidates follow it, best first.
            let mut from = at;
            for c in l["candidates"].as_array().unwrap() {
                let cell = format!("<td>{}</td>", c["trainee"].as_str().unwrap());
                from += html[from..]
                    .find(&cell)
                    .unwrap_or_else(|| panic!("{cell} after {vacancy} ({lang})"));
            }
        }
        for n in lists["not_shortlisted"].as_array().unwrap() {
            assert!(html.contains(&format!("<td>{}</td>", n["trainee"].as_str().unwrap())));
        }
        let png = dir.join(format!("shortlists-{lang}.png"));
        let log = render_in_chromium(&report, &png);
        assert!(console_errors(&log).is_empty(), "{lang}: {log}");
        assert!(std::fs::metadata(&png).unwrap().len() > 50_000);
    }
}

#[test]
fn the_match_set_report_shows_the_blocking_pairs_the_json_has() {
    let base = root().join("scenarios/palim-2020/baseline.json");
    let m = solve_json(&base);
    let blocking = m["blocking_pairs"].as_array().unwrap();
    assert!(!blocking.is_empty());
    let problem = palim::input::load::load_file(&base, &LoadOptions::default()).unwrap();
    let set: palim::documents::match_set::MatchSet = serde_json::from_value(m.clone()).unwrap();
    for lang in Lang::ALL {
        let html = palim::render::html::report(&problem, &set, lang);
        let head = format!("{} ({})", lang.text("report-blocking"), blocking.len());
        assert!(html.contains(&head), "{lang:?}: {head}");
        for b in blocking {
            let row = format!(
                "<tr><td>{}</td><td>{}</td>",
                b["trainee"].as_str().unwrap(),
                b["vacancy"].as_str().unwrap()
            );
            assert!(html.contains(&row), "{lang:?}: {row}");
        }
    }
}
