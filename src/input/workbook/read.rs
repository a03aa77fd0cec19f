//! A workbook (`.xlsx`, `.ods`) or a folder of CSV files, read into the same
//! JSON scenario the officer could have written by hand, with the cell each
//! value came from; the JSON validation then runs unchanged and its findings
//! are put back on the cells.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, Reader, Xls, Xlsx};
use serde_json::{Map, Value};

use super::cells::{self, Cell};
use super::layout::{column_letters, Column, Family, Kind, Shape, Sheet, SHEETS};
use crate::error::{InputIssue, InvalidInput};
use crate::locate::{JsonPath, Seg};
use crate::model::scenario::SCENARIO_FORMAT;
use crate::PalimError;

/// What a file holds, told by its content, not its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Json,
    Xlsx,
    Ods,
    /// The binary workbook of Excel 97–2003 (`.xls`), an OLE compound file.
    Xls,
    /// A folder with one `.csv` file per sheet.
    CsvFolder,
}

impl Form {
    /// Look at the first bytes: an OLE compound file is an `.xls`; a zip
    /// archive is an OpenDocument spreadsheet when its first entry says so
    /// (the ODF rule), an Office Open XML workbook otherwise; anything else is
    /// text for the JSON reader.
    pub fn of(path: &Path, head: &[u8]) -> Form {
        if path.is_dir() {
            return Form::CsvFolder;
        }
        if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Form::Xls;
        }
        if !head.starts_with(b"PK\x03\x04") {
            return Form::Json;
        }
        let ods = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
        if head.windows(ods.len()).take(200).any(|w| w == ods) {
            Form::Ods
        } else {
            Form::Xlsx
        }
    }

    pub fn is_workbook(self) -> bool {
        self != Form::Json
    }
}

/// One sheet's cells, from whichever format; `rows[r][c]` is the cell at
/// spreadsheet row `r + 1`, column `c`.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name, or the CSV file's name.
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// False for CSV, whose cells are all text: a group attribute `3` or
    /// `true` there means the number or the yes/no, as a typed cell would.
    pub typed: bool,
}

/// Why a file could not be opened as a workbook at all.
pub fn unreadable(what: &str, e: impl std::fmt::Display) -> InputIssue {
    InputIssue::new(
        "not_a_workbook",
        &JsonPath::root(),
        format!("cannot read the file as {what}: {e}"),
    )
    .hint("save it again from the spreadsheet program as .xlsx or .ods, or export each sheet as CSV into one folder")
}

/// The sheets of an `.xlsx` or `.ods` file; `file` names it in errors.
pub fn tables_of_bytes(bytes: Vec<u8>, form: Form, file: &str) -> Result<Vec<Table>, PalimError> {
    let found = sheets_of_bytes(bytes, form);
    found.map_err(|issue| InvalidInput::new(file, "", vec![*issue]).into())
}

fn sheets_of_bytes(bytes: Vec<u8>, form: Form) -> Result<Vec<Table>, Box<InputIssue>> {
    fn all<R: Reader<Cursor<Vec<u8>>>>(mut book: R) -> Result<Vec<Table>, String>
    where
        R::Error: std::fmt::Display,
    {
        let mut out = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
            out.push(Table {
                name,
                rows: grid(&range),
                typed: true,
            });
        }
        Ok(out)
    }
    let cursor = Cursor::new(bytes);
    let boxed = |what: &str, e: String| Box::new(unreadable(what, e));
    match form {
        Form::Ods => {
            let what = "an OpenDocument spreadsheet";
            let book = Ods::new(cursor).map_err(|e| boxed(what, e.to_string()))?;
            all(book).map_err(|e| boxed(what, e))
        }
        Form::Xls => {
            let what = "an Excel 97-2003 workbook (.xls)";
            let book = Xls::new(cursor).map_err(|e| boxed(what, e.to_string()))?;
            all(book).map_err(|e| boxed(what, e))
        }
        _ => {
            let what = "an Excel workbook";
            let book = Xlsx::new(cursor).map_err(|e| boxed(what, e.to_string()))?;
            all(book).map_err(|e| boxed(what, e))
        }
    }
}

/// A calamine range as rows from A1 (a range starts at its first used cell).
fn grid(range: &calamine::Range<Data>) -> Vec<Vec<Cell>> {
    let Some((r0, c0)) = range.start() else {
        return Vec::new();
    };
    let mut rows = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; c0 as usize];
        cells.extend(row.iter().map(cell));
        rows.push(cells);
    }
    rows
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(x) => Cell::Number(*x),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) => Cell::Date(t.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => match cells::parse_date(s) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(s.clone()),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("#{e:?}")),
    }
}

/// The `.csv` files of a folder, in name order. The separator is found per
/// file: a semicolon when the header has more of them than commas (what
/// spreadsheets write in Belgium, France and Morocco), else a comma.
pub fn tables_of_folder(dir: &Path) -> Result<Vec<Table>, PalimError> {
    let file = dir.display().to_string();
    csv_sheets(dir).map_err(|issue| InvalidInput::new(&file, "", vec![*issue]).into())
}

fn csv_sheets(dir: &Path) -> Result<Vec<Table>, Box<InputIssue>> {
    let unreadable = |what: &str, e: String| Box::new(unreadable(what, e));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| unreadable("a folder of CSV files", e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(unreadable(
            "a folder of CSV files",
            "it holds no .csv file".into(),
        ));
    }
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| unreadable("a CSV file", e.to_string()))?;
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(
            csv_table(name, &bytes)
                .map_err(|e| unreadable("a CSV file", format!("{}: {e}", file.display())))?,
        );
    }
    Ok(out)
}

/// CSV files given by name and text (a browser's pick of several files),
/// read as a folder of them would be: in name order, `.csv` dropped from the
/// sheet's name; `file` names them in errors.
pub fn tables_of_csv(
    files: &BTreeMap<String, String>,
    file: &str,
) -> Result<Vec<Table>, PalimError> {
    let fail = |e: String| -> PalimError {
        InvalidInput::new(file, "", vec![unreadable("CSV files", e)]).into()
    };
    if files.is_empty() {
        return Err(fail("there is no CSV file".into()));
    }
    files
        .iter()
        .map(|(name, text)| {
            let stem = name
                .strip_suffix(".csv")
                .or_else(|| name.strip_suffix(".CSV"))
                .unwrap_or(name);
            csv_table(stem.to_string(), text.as_bytes()).map_err(|e| fail(format!("{name}: {e}")))
        })
        .collect()
}

/// One CSV file as a sheet. The separator is a semicolon when the header has
/// more of them than commas (what spreadsheets write in Belgium, France and
/// Morocco), else a comma.
fn csv_table(name: String, bytes: &[u8]) -> Result<Table, csv::Error> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(
            record?
                .iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Table {
        name,
        rows,
        typed: false,
    })
}

/// Where a value of the scenario came from.
#[derive(Debug, Clone)]
struct Place {
    table: usize,
    row: usize,
    col: usize,
    header: Option<String>,
}

/// The scenario a workbook makes, the places of its values, and the problems
/// found in its cells.
pub struct Assembled {
    pub scenario: Value,
    pub issues: Vec<InputIssue>,
    /// Places named one by one: settings, and cells with a problem.
    places: HashMap<String, Place>,
    /// Each row's item (`/trainees/3`) and its sheet and row; with
    /// `columns`, the place of any value, without a map entry per cell.
    items: HashMap<String, (usize, usize)>,
    /// Per sheet, the pointer below an item (`/skills/java`) that each
    /// column fills: its column and header.
    columns: HashMap<(usize, String), (usize, String)>,
    /// The headers read as the model's skills (a trainee sheet's unknown
    /// headers), checked against the model once it is known.
    skill_headers: Vec<(String, Place)>,
    /// Pointers whose cell already has an issue: the JSON validation's
    /// finding there would say the same thing again.
    reported: Vec<String>,
    names: Vec<String>,
}

impl Assembled {
    /// Put a JSON validation issue on its cell; drop it when the cell's own
    /// problem was already reported.
    pub fn place(&self, issue: InputIssue) -> Option<InputIssue> {
        let p = &issue.pointer;
        if self
            .reported
            .iter()
            .any(|r| p == r || p.starts_with(&format!("{r}/")))
        {
            return None;
        }
        let mut at = p.as_str();
        loop {
            if let Some(place) = self
                .places
                .get(at)
                .cloned()
                .or_else(|| self.in_row(at, &p[at.len()..]))
            {
                let (cell, shown) = self.shown(&place);
                return Some(issue.in_cell(cell, shown));
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return Some(issue),
            }
        }
    }

    /// The place of `below` (`/skills/java`, or nothing for the row itself)
    /// in the row of the item at `item`.
    fn in_row(&self, item: &str, below: &str) -> Option<Place> {
        let &(table, row) = self.items.get(item)?;
        let mut field = below;
        loop {
            if let Some((col, header)) = self.columns.get(&(table, field.to_string())) {
                return Some(Place {
                    table,
                    row,
                    col: *col,
                    header: Some(header.clone()),
                });
            }
            match field.rfind('/') {
                Some(i) if !field.is_empty() => field = &field[..i],
                _ => {
                    return Some(Place {
                        table,
                        row,
                        col: 0,
                        header: None,
                    })
                }
            }
        }
    }

    /// A skill column the model does not have is a misspelling or a column
    /// palim would otherwise ignore: an issue on its header.
    pub fn check_skills(&mut self, model: &str, skills: &[&str]) {
        for (name, place) in self.skill_headers.clone() {
            if skills.contains(&name.as_str()) {
                continue;
            }
            let hint = match crate::input::validate::did_you_mean(&name, skills.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"? (or remove the column)"),
                None => format!(
                    "the skills of {model} are: {}; for a group attribute, head the column \"attribute: {name}\"",
                    skills.join(", ")
                ),
            };
            let (cell, shown) = self.shown(&place);
            let issue = InputIssue::new(
                "unknown_skill",
                &JsonPath::root().key("trainees"),
                format!("the competency model {model} has no skill \"{name}\""),
            )
            .hint(hint)
            .in_cell(cell, shown);
            self.issues.push(issue);
        }
    }

    /// Issues in the order of the sheets, rows and columns they are on.
    pub fn sort(&self, issues: &mut [InputIssue]) {
        let key = |i: &InputIssue| -> (usize, usize, usize) {
            let Some((sheet, at)) = i.cell.as_deref().and_then(|c| c.rsplit_once('!')) else {
                return (usize::MAX, 0, 0);
            };
            let table = self
                .names
                .iter()
                .position(|n| n == sheet)
                .unwrap_or(usize::MAX);
            let rank = Sheet::named(sheet).map_or(SHEETS.len(), |s| {
                SHEETS.iter().position(|x| x.key == s.key).unwrap_or(0)
            });
            let letters: String = at.chars().take_while(char::is_ascii_alphabetic).collect();
            let row: usize = at[letters.len()..].parse().unwrap_or(0);
            let col = letters
                .bytes()
                .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
            (rank * 10_000 + table.min(9_999), row, col)
        };
        issues.sort_by_key(key);
    }

    fn shown(&self, place: &Place) -> (String, String) {
        let cell = format!(
            "{}!{}{}",
            self.names[place.table],
            column_letters(place.col),
            place.row + 1
        );
        let shown = match &place.header {
            Some(h) => format!("{cell} ({h})"),
            None => format!("{} row {}", self.names[place.table], place.row + 1),
        };
        (cell, shown)
    }
}

/// Build the scenario from the sheets.
pub fn assemble(tables: &[Table]) -> Assembled {
    let mut b = Builder {
        out: Assembled {
            scenario: Value::Null,
            issues: Vec::new(),
            places: HashMap::new(),
            items: HashMap::new(),
            columns: HashMap::new(),
            reported: Vec::new(),
            skill_headers: Vec::new(),
            names: tables.iter().map(|t| t.name.clone()).collect(),
        },
        top: Map::new(),
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // Sheets are read in the layout's order, whatever the file's: the
    // destinations come before the floors and blackouts that name them.
    let rank = |t: &Table| {
        Sheet::named(&t.name).map_or(SHEETS.len(), |s| {
            SHEETS.iter().position(|x| x.key == s.key).unwrap_or(0)
        })
    };
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by_key(|&i| rank(&tables[i]));
    for ti in order {
        let table = &tables[ti];
        if Sheet::is_about(&table.name) {
            continue;
        }
        let Some(sheet) = Sheet::named(&table.name) else {
            b.unknown_sheet(ti, &table.name);
            continue;
        };
        if let Some(first) = seen.insert(sheet.key, ti) {
            let msg = format!(
                "sheets \"{}\" and \"{}\" are both the {} sheet",
                tables[first].name, table.name, sheet.key
            );
            b.sheet_issue(ti, "duplicate_sheet", msg, "keep one of them");
            continue;
        }
        match sheet.shape {
            Shape::Settings => b.settings(ti, sheet, table),
            _ => b.rows(ti, sheet, table),
        }
    }
    b.finish()
}

struct Builder {
    out: Assembled,
    top: Map<String, Value>,
}

/// A column of a sheet as found in its header row.
enum Found {
    Known(&'static Column),
    Family(&'static Family, String),
}

impl Builder {
    fn place(
        &mut self,
        path: &JsonPath,
        table: usize,
        row: usize,
        col: usize,
        header: Option<String>,
    ) {
        self.out.places.insert(
            path.pointer(),
            Place {
                table,
                row,
                col,
                header,
            },
        );
    }

    fn sheet_issue(&mut self, table: usize, code: &str, msg: String, hint: &str) {
        let name = self.out.names[table].clone();
        let issue = InputIssue::new(code, &JsonPath::root(), msg)
            .hint(hint)
            .in_cell(format!("{name}!A1"), format!("sheet {name}"));
        self.out.issues.push(issue);
    }

    fn unknown_sheet(&mut self, table: usize, name: &str) {
        let known: Vec<String> = SHEETS
            .iter()
            .map(|s| s.name(crate::lang::Lang::En))
            .collect();
        let hint =
            match crate::input::validate::did_you_mean(name, known.iter().map(String::as_str)) {
                Some(s) => format!(
                    "did you mean \"{s}\"? palim reads the sheets {}",
                    known.join(", ")
                ),
                None => format!(
                    "rename it to one of {}, or remove it (nothing in it would be read)",
                    known.join(", ")
                ),
            };
        self.sheet_issue(
            table,
            "unknown_sheet",
            format!("palim does not know a sheet \"{name}\""),
            &hint,
        );
    }

    fn cell_issue(
        &mut self,
        path: &JsonPath,
        table: usize,
        row: usize,
        col: usize,
        header: &str,
        p: cells::CellProblem,
    ) {
        self.place(path, table, row, col, Some(header.to_string()));
        let place = &self.out.places[&path.pointer()];
        let (cell, shown) = self.out.shown(place);
        let issue = InputIssue::new(p.code, path, p.message)
            .hint(p.hint)
            .in_cell(cell, shown);
        self.out.issues.push(issue);
        self.out.reported.push(path.pointer());
    }

    /// Read one cell into `item` at `field`, or report it.
    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        item: &mut Map<String, Value>,
        at: &JsonPath,
        field: &[&str],
        (table, row, col): (usize, usize, usize),
        header: &str,
        c: &Cell,
        column: &Column,
        kind: Kind,
    ) {
        match cells::read(c, column, kind) {
            Ok(None) => {}
            Ok(Some(v)) => set(item, field, v),
            Err(p) => {
                let path = field.iter().fold(at.clone(), |p, f| p.key(f));
                self.cell_issue(&path, table, row, col, header, p);
                set(item, field, Value::Null);
            }
        }
    }

    fn settings(&mut self, ti: usize, sheet: &'static Sheet, table: &Table) {
        for (r, row) in table.rows.iter().enumerate().skip(1) {
            let label = row.first().and_then(Cell::text).unwrap_or_default();
            if label.is_empty() {
                continue;
            }
            let Some(column) = sheet.column(&label) else {
                let path = JsonPath::root();
                let known: Vec<String> = sheet
                    .columns
                    .iter()
                    .map(|c| sheet.header(crate::lang::Lang::En, c))
                    .collect();
                let p = cells::CellProblem {
                    code: "unknown_field",
                    message: format!("palim does not know the setting \"{label}\""),
                    hint: format!("the settings are: {}", known.join(", ")),
                };
                self.cell_issue(&path.key(&label), ti, r, 0, &label, p);
                continue;
            };
            let cell = row.get(1).cloned().unwrap_or(Cell::Empty);
            let field: Vec<&str> = column.field.split('.').collect();
            let path = field.iter().fold(JsonPath::root(), |p, f| p.key(f));
            self.place(&path, ti, r, 1, Some(label.clone()));
            let mut top = std::mem::take(&mut self.top);
            self.value(
                &mut top,
                &JsonPath::root(),
                &field,
                (ti, r, 1),
                &label,
                &cell,
                column,
                column.kind,
            );
            self.top = top;
        }
    }

    fn header(
        &mut self,
        ti: usize,
        sheet: &'static Sheet,
        table: &Table,
    ) -> Vec<Option<(Found, String)>> {
        let Some(row) = table.rows.first() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (c, cell) in row.iter().enumerate() {
            let Some(h) = cell.text().filter(|h| !h.is_empty()) else {
                found.push(None);
                continue;
            };
            let what = match sheet.column(&h) {
                Some(col) => Some(Found::Known(col)),
                None => sheet.family(&h).map(|(f, name)| Found::Family(f, name)),
            };
            let Some(what) = what else {
                let known: Vec<String> = sheet
                    .columns
                    .iter()
                    .map(|c| sheet.header(crate::lang::Lang::En, c))
                    .collect();
                let hint = match crate::input::validate::did_you_mean(
                    &h,
                    known.iter().map(String::as_str),
                ) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!("the columns of this sheet are: {}", known.join(", ")),
                };
                let p = cells::CellProblem {
                    code: "unknown_field",
                    message: format!("palim does not know a column \"{h}\""),
                    hint,
                };
                self.cell_issue(&JsonPath::root().key(sheet.key).key(&h), ti, 0, c, &h, p);
                found.push(None);
                continue;
            };
            if let Found::Family(f, name) = &what {
                if f.key.is_empty() {
                    let place = Place {
                        table: ti,
                        row: 0,
                        col: c,
                        header: Some(h.clone()),
                    };
                    self.out.skill_headers.push((name.clone(), place));
                }
            }
            let id = match &what {
                Found::Known(col) => col.key.to_string(),
                Found::Family(f, name) => format!("{}.{name}", f.field),
            };
            if let Some(first) = seen.insert(id, c) {
                let p = cells::CellProblem {
                    code: "duplicate_column",
                    message: format!(
                        "the column \"{h}\" is also column {}",
                        column_letters(first)
                    ),
                    hint: "keep one of the two columns".into(),
                };
                self.cell_issue(&JsonPath::root().key(sheet.key).key(&h), ti, 0, c, &h, p);
                found.push(None);
                continue;
            }
            found.push(Some((what, h)));
        }
        for col in sheet.columns.iter().filter(|c| c.required) {
            let present = found
                .iter()
                .flatten()
                .any(|(f, _)| matches!(f, Found::Known(k) if k.key == col.key));
            if !present
                && table
                    .rows
                    .iter()
                    .skip(1)
                    .any(|r| r.iter().any(|c| !c.is_blank()))
            {
                let name = sheet.header(crate::lang::Lang::En, col);
                let p = cells::CellProblem {
                    code: "missing_field",
                    message: format!("the sheet has no column \"{name}\""),
                    hint: format!(
                        "add a column headed \"{name}\" (or its name in Dutch or French)"
                    ),
                };
                self.cell_issue(
                    &JsonPath::root().key(sheet.key).key(col.key),
                    ti,
                    0,
                    row.len(),
                    &name,
                    p,
                );
            }
        }
        found
    }

    fn rows(&mut self, ti: usize, sheet: &'static Sheet, table: &Table) {
        let columns = self.header(ti, sheet, table);
        let mut fields: Vec<Vec<&str>> = Vec::new();
        for (c, found) in columns.iter().enumerate() {
            let segments: Vec<&str> = match found {
                Some((Found::Known(col), _)) if !col.field.is_empty() => {
                    col.field.split('.').collect()
                }
                Some((Found::Family(f, name), _)) => vec![f.field, name.as_str()],
                _ => Vec::new(),
            };
            if let Some((_, header)) = found {
                let below = segments
                    .iter()
                    .fold(JsonPath::root(), |p, f| p.key(f))
                    .pointer();
                self.out.columns.insert((ti, below), (c, header.clone()));
            }
            fields.push(segments);
        }
        for (r, row) in table.rows.iter().enumerate().skip(1) {
            if row.iter().all(Cell::is_blank) {
                continue; // trailing and spacer rows
            }
            let (at, key) = self.item_path(sheet, row, &columns);
            let mut item = Map::new();
            for (c, cell) in row.iter().enumerate() {
                let Some(Some((found, header))) = columns.get(c) else {
                    if !cell.is_blank() && c >= columns.len() {
                        let p = cells::CellProblem {
                            code: "unknown_field",
                            message: format!("{} is in a column without a header", cell.shown()),
                            hint: "give the column a header, or clear the cell".into(),
                        };
                        self.cell_issue(&at.key(&column_letters(c)), ti, r, c, "no header", p);
                    }
                    continue;
                };
                let header = header.clone();
                let untyped;
                let cell = if table.typed {
                    cell
                } else {
                    untyped = cells::untyped(cell);
                    &untyped
                };
                match found {
                    Found::Known(col) if col.field.is_empty() => {
                        // The key of a map entry or the parent destination;
                        // an empty one is reported as a missing field below.
                        if let Err(p) = cells::read(cell, col, col.kind) {
                            self.cell_issue(&at, ti, r, c, &header, p);
                        }
                    }
                    Found::Known(col) => {
                        let field = &fields[c];
                        self.value(
                            &mut item,
                            &at,
                            field,
                            (ti, r, c),
                            &header,
                            cell,
                            col,
                            col.kind,
                        );
                    }
                    Found::Family(f, name) => {
                        let field = [f.field, name.as_str()];
                        let col = Column {
                            key: "",
                            field: "",
                            kind: f.kind,
                            required: false,
                            choices: &[],
                        };
                        self.value(
                            &mut item,
                            &at,
                            &field,
                            (ti, r, c),
                            &header,
                            cell,
                            &col,
                            f.kind,
                        );
                    }
                }
            }
            self.out.items.insert(at.pointer(), (ti, r));
            self.store(ti, r, sheet, at, key, item);
        }
    }

    /// Where a row goes: its path in the scenario and, for map entries and
    /// per-destination rows, the key cell's text.
    fn item_path(
        &self,
        sheet: &Sheet,
        row: &[Cell],
        columns: &[Option<(Found, String)>],
    ) -> (JsonPath, Option<String>) {
        let key_col = columns
            .iter()
            .position(|c| matches!(c, Some((Found::Known(k), _)) if k.field.is_empty()));
        let key = key_col
            .and_then(|c| row.get(c))
            .and_then(Cell::text)
            .filter(|k| !k.is_empty());
        let len = |field: &str| {
            self.top
                .get(field)
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        };
        let at = match sheet.shape {
            Shape::List(field) => JsonPath::root().key(field).index(len(field)),
            Shape::Map(field) => JsonPath::root()
                .key(field)
                .key(key.as_deref().unwrap_or("")),
            Shape::PerDestination(field) => {
                let dest = key.clone().unwrap_or_default();
                let n = self
                    .top
                    .get("destinations")
                    .and_then(|d| d.get(&dest))
                    .and_then(|d| d.get(field))
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                JsonPath::root()
                    .key("destinations")
                    .key(&dest)
                    .key(field)
                    .index(n)
            }
            Shape::Decisions => {
                let choice = key.as_deref().and_then(|k| sheet.columns[0].choice(k));
                let field = if choice == Some("forbid") {
                    "forbids"
                } else {
                    "locks"
                };
                JsonPath::root().key(field).index(len(field))
            }
            Shape::Settings => JsonPath::root(),
        };
        (at, key)
    }

    fn store(
        &mut self,
        ti: usize,
        r: usize,
        sheet: &Sheet,
        at: JsonPath,
        key: Option<String>,
        item: Map<String, Value>,
    ) {
        let missing_key = |b: &mut Self, what: &str| {
            let col = &sheet.columns[0];
            let header = sheet.header(crate::lang::Lang::En, col);
            let p = cells::CellProblem {
                code: "missing_field",
                message: format!("the row has no {what}"),
                hint: format!("fill in the \"{header}\" column, or clear the row"),
            };
            b.cell_issue(&at, ti, r, 0, &header, p);
        };
        match sheet.shape {
            Shape::List(_) | Shape::Decisions => {
                let Some(Seg::Key(field)) = at.0.first() else {
                    return;
                };
                if sheet.shape == Shape::Decisions && key.is_none() {
                    missing_key(self, "decision (lock or forbid)");
                }
                push(&mut self.top, field, Value::Object(item));
            }
            Shape::Map(field) => {
                let Some(key) = key else {
                    return missing_key(self, "code");
                };
                let map = self
                    .top
                    .entry(field)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(m) = map.as_object_mut() {
                    if m.contains_key(&key) {
                        let p = cells::CellProblem {
                            code: "duplicate_id",
                            message: format!("\"{key}\" is listed twice"),
                            hint: "keep one row per code".into(),
                        };
                        return self.cell_issue(
                            &at,
                            ti,
                            r,
                            0,
                            &sheet.header(crate::lang::Lang::En, &sheet.columns[0]),
                            p,
                        );
                    }
                    m.insert(key, Value::Object(item));
                }
            }
            Shape::PerDestination(field) => {
                let Some(dest) = key else {
                    return missing_key(self, "destination");
                };
                let dests = self
                    .top
                    .entry("destinations")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(dests) = dests.as_object_mut() else {
                    return;
                };
                if !dests.contains_key(&dest) {
                    let p = cells::CellProblem {
                        code: "unknown_id",
                        message: format!("no destination \"{dest}\" on the Destinations sheet"),
                        hint: "add the destination there first, or correct the code".into(),
                    };
                    return self.cell_issue(
                        &at,
                        ti,
                        r,
                        0,
                        &sheet.header(crate::lang::Lang::En, &sheet.columns[0]),
                        p,
                    );
                }
                if let Some(d) = dests.get_mut(&dest).and_then(Value::as_object_mut) {
                    push(d, field, Value::Object(item));
                }
            }
            Shape::Settings => {}
        }
    }

    /// The scenario with its fields in the contract's order.
    fn finish(mut self) -> Assembled {
        let mut top = std::mem::take(&mut self.top);
        let mut out = Map::new();
        out.insert("format".into(), Value::from(SCENARIO_FORMAT));
        for key in crate::input::validate::TOP_FIELDS.iter().skip(1) {
            if let Some(v) = top.remove(*key) {
                out.insert((*key).to_string(), v);
            }
        }
        for key in ["destinations", "trainees", "vacancies"] {
            out.entry(key).or_insert_with(|| match key {
                "destinations" => Value::Object(Map::new()),
                _ => Value::Array(Vec::new()),
            });
        }
        self.out.scenario = Value::Object(out);
        self.out
    }
}

fn push(map: &mut Map<String, Value>, field: &str, v: Value) {
    let list = map.entry(field).or_insert_with(|| Value::Array(Vec::new()));
    if let Some(l) = list.as_array_mut() {
        l.push(v);
    }
}

fn set(map: &mut Map<String, Value>, field: &[&str], v: Value) {
    match field {
        [] => {}
        [last] => {
            map.insert((*last).to_string(), v);
        }
        [first, rest @ ..] => {
            let inner = map
                .entry(*first)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(m) = inner.as_object_mut() {
                set(m, rest, v);
            }
        }
    }
}
