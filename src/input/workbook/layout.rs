//! The workbook form of a scenario, described once as data: which sheets,
//! which columns, what each column holds and where it goes in the scenario.
//!
//! Reading (`read`), the template and `--from` (`render::workbook`) and the CSV
//! folder are all derived from [`SHEETS`], so a column added here is written,
//! read, documented and translated everywhere at once. Headers, sheet names,
//! notes and choices are Fluent messages (`sheet-*`, `col-*`, `note-*`,
//! `choice-*`); a workbook in any of palim's languages reads the same.

use crate::lang::Lang;

/// What a cell holds, and so how it is read, written and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text (an id, a name). A number typed into it is read as its digits.
    Text,
    /// A whole number (positions, days, a quota).
    Integer,
    /// Any number (a salary, a weight, a score).
    Number,
    /// A calendar day: a date cell, or text `2020-01-31`, `31/01/2020`, `31-01-2020`, `31.01.2020`.
    Date,
    /// A list of ids or codes, separated by commas or semicolons.
    List,
    /// A skill level: a number on the skill's scale, or a CEFR label such as `B2`.
    Level,
    /// Yes or no.
    Flag,
    /// A share of placements: `0.18` or `18%`.
    Share,
    /// A text, number or yes/no compared as it is (group attributes).
    Value,
    /// A permit lead-time distribution: `triangular: 60, 90, 150` or `empirical: 80, 95, 120`.
    Distribution,
    /// The competency model: a bundled name, or an inline model as JSON.
    Model,
    /// One of a fixed set of words ([`Column::choices`]).
    Choice,
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The stable name: the header's message id is `col-<sheet>-<key>`, and the
    /// header may always be written as the key itself.
    pub key: &'static str,
    /// Where the value goes in the item, `.` between nested fields.
    pub field: &'static str,
    pub kind: Kind,
    /// A row without it is not an item (the JSON validation says so too).
    pub required: bool,
    /// For [`Kind::Choice`]: the values, each with a message `choice-<value>`.
    pub choices: &'static [&'static str],
}

const fn col(key: &'static str, field: &'static str, kind: Kind) -> Column {
    Column {
        key,
        field,
        kind,
        required: false,
        choices: &[],
    }
}

const fn req(key: &'static str, field: &'static str, kind: Kind) -> Column {
    Column {
        key,
        field,
        kind,
        required: true,
        choices: &[],
    }
}

/// A family of columns named by the officer's data (one per skill, one per
/// attribute): the header is `<prefix>: <name>` (no prefix for trainees'
/// skills) and the value goes to `<field>.<name>`.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// The prefix's message id is `prefix-<key>`; empty for none.
    pub key: &'static str,
    pub field: &'static str,
    pub kind: Kind,
}

/// How a sheet's rows become parts of the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row per setting: label, value, note.
    Settings,
    /// Each row is an entry of the top-level list `field`.
    List(&'static str),
    /// Each row is an entry of the top-level map `field`, keyed by the first column.
    Map(&'static str),
    /// Each row is an entry of the list `field` of the destination named in
    /// the first column.
    PerDestination(&'static str),
    /// Each row is a lock or a forbid, by its first column.
    Decisions,
}

/// One sheet: its name's message is `sheet-<key>`; its CSV file is `<key>.csv`.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    pub key: &'static str,
    pub shape: Shape,
    pub columns: &'static [Column],
    pub families: &'static [Family],
}

/// The settings of the Settings sheet, in order.
pub const SETTINGS: &[Column] = &[
    col("name", "name", Kind::Text),
    req("model", "model", Kind::Model),
    col("max_per_employer", "max_per_employer", Kind::Integer),
    col("pair_scores_only", "pair_scores_only", Kind::Flag),
    col("priorities", "objective.priorities", Kind::List),
    col("weight_fit", "objective.weights.fit", Kind::Number),
    col(
        "weight_trainee_preference",
        "objective.weights.trainee_preference",
        Kind::Number,
    ),
    col(
        "weight_employer_preference",
        "objective.weights.employer_preference",
        Kind::Number,
    ),
];

/// Every sheet of a scenario workbook, in the order they are written.
pub const SHEETS: &[Sheet] = &[
    Sheet {
        key: "settings",
        shape: Shape::Settings,
        columns: SETTINGS,
        families: &[],
    },
    Sheet {
        key: "destinations",
        shape: Shape::Map("destinations"),
        columns: &[
            req("code", "", Kind::Text),
            col("label", "label", Kind::Text),
            col("min", "min", Kind::Integer),
            col("max", "max", Kind::Integer),
            col("permit_days", "permit_days", Kind::Integer),
            col(
                "permit_days_distribution",
                "permit_days_distribution",
                Kind::Distribution,
            ),
            col("window_earliest", "start_window.earliest", Kind::Date),
            col("window_latest", "start_window.latest", Kind::Date),
            col("currency", "currency", Kind::Text),
        ],
        families: &[],
    },
    Sheet {
        key: "salary_floors",
        shape: Shape::PerDestination("salary_floor"),
        columns: &[
            req("destination", "", Kind::Text),
            col("under_age", "under_age", Kind::Integer),
            req("annual", "annual", Kind::Number),
        ],
        families: &[],
    },
    Sheet {
        key: "blackouts",
        shape: Shape::PerDestination("blackouts"),
        columns: &[
            req("destination", "", Kind::Text),
            req("from", "from", Kind::Date),
            req("to", "to", Kind::Date),
            col("why", "why", Kind::Text),
        ],
        families: &[],
    },
    Sheet {
        key: "trainees",
        shape: Shape::List("trainees"),
        columns: &[
            req("id", "id", Kind::Text),
            col("gender", "gender", Kind::Text),
            col("birth_date", "birth_date", Kind::Date),
            col("region", "region", Kind::Text),
            col("destinations", "destinations", Kind::List),
            req("available_from", "available_from", Kind::Date),
            col("documents_ready", "documents_ready", Kind::Date),
            col("ranking", "ranking", Kind::List),
        ],
        families: &[
            Family {
                key: "",
                field: "skills",
                kind: Kind::Level,
            },
            Family {
                key: "attribute",
                field: "attributes",
                kind: Kind::Value,
            },
        ],
    },
    Sheet {
        key: "vacancies",
        shape: Shape::List("vacancies"),
        columns: &[
            req("id", "id", Kind::Text),
            col("employer", "employer", Kind::Text),
            col("title", "title", Kind::Text),
            req("destination", "destination", Kind::Text),
            col("region", "region", Kind::Text),
            col("positions", "positions", Kind::Integer),
            col("salary", "salary", Kind::Number),
            col("window_earliest", "start_window.earliest", Kind::Date),
            col("window_latest", "start_window.latest", Kind::Date),
            col("ranking", "ranking", Kind::List),
        ],
        families: &[
            Family {
                key: "required",
                field: "requires",
                kind: Kind::Level,
            },
            Family {
                key: "weight",
                field: "values",
                kind: Kind::Number,
            },
        ],
    },
    Sheet {
        key: "group_shares",
        shape: Shape::List("group_shares"),
        columns: &[
            col("destination", "destination", Kind::Text),
            req("attribute", "attribute", Kind::Text),
            req("value", "value", Kind::Value),
            col("min_share", "min_share", Kind::Share),
            col("max_share", "max_share", Kind::Share),
        ],
        families: &[],
    },
    Sheet {
        key: "decisions",
        shape: Shape::Decisions,
        columns: &[
            Column {
                key: "decision",
                field: "",
                kind: Kind::Choice,
                required: true,
                choices: &["lock", "forbid"],
            },
            req("trainee", "trainee", Kind::Text),
            req("vacancy", "vacancy", Kind::Text),
            col("why", "why", Kind::Text),
        ],
        families: &[],
    },
    Sheet {
        key: "interviews",
        shape: Shape::List("interviews"),
        columns: &[
            req("trainee", "trainee", Kind::Text),
            req("vacancy", "vacancy", Kind::Text),
            Column {
                key: "outcome",
                field: "outcome",
                kind: Kind::Choice,
                required: true,
                choices: &[
                    "pending",
                    "offer",
                    "accepted",
                    "rejected_by_employer",
                    "declined_by_trainee",
                ],
            },
            col("date", "date", Kind::Date),
            col("note", "note", Kind::Text),
        ],
        families: &[],
    },
    Sheet {
        key: "pair_scores",
        shape: Shape::List("pair_scores"),
        columns: &[
            req("trainee", "trainee", Kind::Text),
            req("vacancy", "vacancy", Kind::Text),
            req("score", "score", Kind::Number),
        ],
        families: &[],
    },
];

/// The sheet of instructions a template starts with; read past, never parsed.
pub const ABOUT_SHEET: &str = "about";

impl Sheet {
    /// The sheet's name in `lang` (Excel allows at most 31 characters).
    pub fn name(&self, lang: Lang) -> String {
        lang.text(&format!("sheet-{}", self.key))
    }

    /// The header of `column` in `lang`.
    pub fn header(&self, lang: Lang, column: &Column) -> String {
        let key = if self.shape == Shape::Settings {
            format!("setting-{}", column.key)
        } else {
            format!("col-{}-{}", self.key, column.key)
        };
        lang.text(&key)
    }

    /// The note on `column`'s header in `lang`: what it holds, its unit, the
    /// allowed values.
    pub fn note(&self, lang: Lang, column: &Column) -> String {
        let key = if self.shape == Shape::Settings {
            format!("note-setting-{}", column.key)
        } else {
            format!("note-{}-{}", self.key, column.key)
        };
        lang.text(&key)
    }

    /// The header of `family`'s column for `name`.
    pub fn family_header(&self, lang: Lang, family: &Family, name: &str) -> String {
        if family.key.is_empty() {
            name.to_string()
        } else {
            format!("{}: {name}", lang.text(&format!("prefix-{}", family.key)))
        }
    }

    /// The sheet whose name, in any language or as its key, is `name`.
    pub fn named(name: &str) -> Option<&'static Sheet> {
        let wanted = fold(name);
        SHEETS.iter().find(|s| {
            fold(s.key) == wanted
                || fold(&s.key.replace('_', " ")) == wanted
                || Lang::ALL.iter().any(|l| fold(&s.name(*l)) == wanted)
        })
    }

    /// Whether `name` is the instructions sheet in any language.
    pub fn is_about(name: &str) -> bool {
        let wanted = fold(name);
        fold(ABOUT_SHEET) == wanted
            || Lang::ALL
                .iter()
                .any(|l| fold(&l.text("sheet-about")) == wanted)
    }

    /// The column whose header, in any language or as its key, is `header`.
    pub fn column(&self, header: &str) -> Option<&'static Column> {
        let wanted = fold(header);
        self.columns.iter().find(|c| {
            fold(c.key) == wanted
                || fold(&c.key.replace('_', " ")) == wanted
                || Lang::ALL
                    .iter()
                    .any(|l| fold(&self.header(*l, c)) == wanted)
        })
    }

    /// The family a header belongs to, and the name after its prefix; a
    /// trainee sheet's unprefixed unknown header is a skill.
    pub fn family(&self, header: &str) -> Option<(&'static Family, String)> {
        for family in self.families.iter().filter(|f| !f.key.is_empty()) {
            let prefixes = std::iter::once(family.key.to_string()).chain(
                Lang::ALL
                    .iter()
                    .map(|l| l.text(&format!("prefix-{}", family.key))),
            );
            for prefix in prefixes {
                if let Some(rest) = strip_prefix_folded(header, &prefix) {
                    let rest = rest.trim_start().strip_prefix(':')?.trim();
                    return (!rest.is_empty()).then(|| (family, rest.to_string()));
                }
            }
        }
        let bare = self.families.iter().find(|f| f.key.is_empty())?;
        let name = header.trim();
        (!name.is_empty() && !name.contains(':')).then(|| (bare, name.to_string()))
    }
}

impl Column {
    /// The choice a cell's text names, in any language or as its key.
    pub fn choice(&self, text: &str) -> Option<&'static str> {
        let wanted = fold(text);
        self.choices.iter().copied().find(|c| {
            fold(c) == wanted
                || Lang::ALL
                    .iter()
                    .any(|l| fold(&l.text(&format!("choice-{c}"))) == wanted)
        })
    }
}

/// Headers and names compare without case, surrounding spaces or a
/// spreadsheet's non-breaking spaces.
fn fold(s: &str) -> String {
    s.replace('\u{a0}', " ").trim().to_lowercase()
}

fn strip_prefix_folded<'h>(header: &'h str, prefix: &str) -> Option<&'h str> {
    let h = header.trim_start();
    let n = prefix.len();
    (h.len() >= n && h.is_char_boundary(n) && fold(&h[..n]) == fold(prefix)).then(|| &h[n..])
}

/// The spreadsheet name of a column, counted from 0: `A`, …, `Z`, `AA`, ….
pub fn column_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet_convention() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sheets_and_headers_are_found_in_every_language() {
        for lang in Lang::ALL {
            for sheet in SHEETS {
                let found = Sheet::named(&sheet.name(lang)).map(|s| s.key);
                assert_eq!(found, Some(sheet.key), "{lang:?} {}", sheet.key);
                for c in sheet.columns {
                    let h = sheet.header(lang, c);
                    assert_eq!(sheet.column(&h).map(|c| c.key), Some(c.key), "{lang:?} {h}");
                }
            }
        }
    }
}
