//! Variants: a what-if written as only what changes.
//!
//! ```json
//! { "format": "palim-variant/1", "name": "40/80 split", "base": "baseline.json",
//!   "set": { "destinations.BE.max": 40, "destinations.MA.max": 80 },
//!   "trainees": { "change": { "T017": { "available_from": "2020-06-15" } }, "remove": ["T044"] } }
//! ```
//!
//! A variant names its base (a scenario or another variant, relative to the
//! variant's own file), sets fields by dotted path, and adds, changes or
//! removes trainees and vacancies **by id**. Resolving it gives an ordinary
//! scenario document, which is then validated like any other; so a variant can
//! never mean something a scenario could not.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{InputIssue, InvalidInput};
use crate::locate::JsonPath;
use crate::PalimError;

pub const VARIANT_FORMAT: &str = "palim-variant/1";

/// A what-if: a base scenario and what changes.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
#[schemars(title = "palim variant (palim-variant/1)")]
pub struct Variant {
    /// Always `"palim-variant/1"`.
    pub format: String,
    /// The name of the resulting scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The scenario or variant this one changes, relative to this file.
    pub base: String,
    /// Fields to set, by dotted path into the scenario: `"destinations.BE.max": 40`.
    /// `null` removes the field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainees: Option<ListChanges>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancies: Option<ListChanges>,
    /// Locks to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<Value>,
    /// Forbids to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbids: Vec<Value>,
    /// Interviews to add: the outcomes of a round, on top of the rounds before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviews: Vec<Value>,
}

/// Changes to a list of records with ids.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = crate::limits::bound_strings)]
#[serde(deny_unknown_fields)]
pub struct ListChanges {
    /// New records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Value>,
    /// Fields to change, by id; `null` removes a field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub change: BTreeMap<String, Map<String, Value>>,
    /// Ids to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Fields to set on every record (applied before `change`), e.g. a later
    /// `available_from` for the whole cohort.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub all: Map<String, Value>,
}

/// Whether a JSON document is a variant (by its format tag).
pub fn is_variant(doc: &Value) -> bool {
    doc.get("format").and_then(Value::as_str) == Some(VARIANT_FORMAT)
}

/// The scenario a file stands for.
pub struct Resolved {
    /// The scenario text: the file itself, or the variant's result written out.
    pub text: String,
    /// Whether the file was a variant.
    pub from_variant: bool,
    /// `text` parsed, when its JSON is well formed: the file's own parse
    /// for a scenario, the document `text` was written from for a variant
    /// (which reads back as itself). Validation reads it rather than parsing
    /// the text again (a tenth of a second at national size).
    pub parsed: Option<Value>,
}

/// Where documents (scenarios and variants) are read from: the file system for
/// the command line, the request's own `documents` for the server. A variant's
/// `base` is a path relative to the variant's folder in either.
pub trait Documents {
    /// The text of the document at `path`.
    fn read(&self, path: &Path) -> Result<String, PalimError>;
    /// Whether there is a document at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// A name that is equal for two paths to the same document (cycle detection).
    fn identity(&self, path: &Path) -> PathBuf;
}

/// Documents on disk.
pub struct FileSystem;

impl Documents for FileSystem {
    fn read(&self, path: &Path) -> Result<String, PalimError> {
        // A variant's base may be a workbook; it is read as the scenario it makes.
        let form = crate::input::workbook::form_of(path)?;
        if form.is_workbook() {
            let opts = crate::input::validate::LoadOptions::default();
            return crate::input::workbook::scenario(path, form, &opts).map(|(text, _)| text);
        }
        std::fs::read_to_string(path).map_err(|source| PalimError::Read {
            path: path.display().to_string(),
            source,
        })
    }
    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
    fn identity(&self, path: &Path) -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Documents sent together, by name (`"baseline.json"`, `"variants/covid.json"`).
pub struct InMemory<'a>(pub &'a BTreeMap<String, String>);

impl Documents for InMemory<'_> {
    fn read(&self, path: &Path) -> Result<String, PalimError> {
        self.0
            .get(&normal(path))
            .cloned()
            .ok_or_else(|| PalimError::Read {
                path: path.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such document in the request",
                ),
            })
    }
    fn exists(&self, path: &Path) -> bool {
        self.0.contains_key(&normal(path))
    }
    fn identity(&self, path: &Path) -> PathBuf {
        PathBuf::from(normal(path))
    }
}

/// A path with `.` and `name/..` steps taken out, `/`-separated.
fn normal(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// The scenario a file stands for: the file itself, or the variant resolved
/// against its chain of bases.
pub fn resolve_file(path: &Path) -> Result<Resolved, PalimError> {
    resolve_in(&FileSystem, path)
}

/// [`resolve_file`] against any source of documents.
pub fn resolve_in(docs: &dyn Documents, path: &Path) -> Result<Resolved, PalimError> {
    let mut seen = HashSet::new();
    let (text, doc) = resolve(docs, path, &mut seen)?;
    let from_variant = !seen.is_empty();
    Ok(Resolved {
        text,
        from_variant,
        parsed: doc,
    })
}

/// A document's text, and its JSON when well formed (malformed JSON is
/// reported by validation, with the place and a hint).
fn read(docs: &dyn Documents, path: &Path) -> Result<(String, Option<Value>), PalimError> {
    let text = docs.read(path)?;
    let doc = serde_json::from_str(&text).ok();
    Ok((text, doc))
}

fn resolve(
    docs: &dyn Documents,
    path: &Path,
    seen: &mut HashSet<PathBuf>,
) -> Result<(String, Option<Value>), PalimError> {
    let file = path.display().to_string();
    let key = docs.identity(path);
    let (text, doc) = match read(docs, path)? {
        (text, Some(doc)) if is_variant(&doc) => (text, doc),
        not_a_variant => return Ok(not_a_variant),
    };
    let invalid =
        |issues: Vec<InputIssue>| -> PalimError { InvalidInput::new(&file, &text, issues).into() };
    if !seen.insert(key) {
        return Err(invalid(vec![InputIssue::new(
            "variant_cycle",
            &JsonPath::root().key("base"),
            "this variant is its own base, through its chain of bases",
        )
        .hint("point \"base\" at a scenario")]));
    }
    let variant: Variant = serde_path_to_error::deserialize(&doc).map_err(|e| {
        invalid(vec![InputIssue::new(
            "bad_variant",
            &JsonPath::root(),
            format!("{} at {}", e.inner(), e.path()),
        )
        .hint("see `palim schema variant`")])
    })?;
    let base_path = path.parent().unwrap_or(Path::new(".")).join(&variant.base);
    if !docs.exists(&base_path) {
        return Err(invalid(vec![InputIssue::new(
            "missing_base",
            &JsonPath::root().key("base"),
            format!("the base {} does not exist", base_path.display()),
        )
        .hint("\"base\" is relative to the variant's own folder")]));
    }
    let (base_text, scenario) = resolve(docs, &base_path, seen)?;
    let mut scenario = scenario.unwrap_or(Value::Null);
    if !scenario.is_object() {
        // Let validation say what is wrong with the base, in the base's own terms.
        return Err(crate::input::validate::load_str(
            &base_text,
            &base_path.display().to_string(),
            &Default::default(),
        )
        .err()
        .map_or_else(
            || {
                InvalidInput::new(
                    &base_path.display().to_string(),
                    &base_text,
                    vec![InputIssue::new(
                        "wrong_type",
                        &JsonPath::root(),
                        "a scenario is a JSON object",
                    )],
                )
                .into()
            },
            PalimError::from,
        ));
    }
    let issues = apply(&variant, &mut scenario);
    if !issues.is_empty() {
        return Err(invalid(issues));
    }
    // Written out the way `palim flatten` prints it, so that the two hash alike.
    let merged = serde_json::to_string_pretty(&scenario).unwrap_or_default() + "\n";
    Ok((merged, Some(scenario)))
}

/// Apply a variant to a scenario document; the issues point into the variant.
pub fn apply(v: &Variant, scenario: &mut Value) -> Vec<InputIssue> {
    let mut issues = Vec::new();
    let root = JsonPath::root();
    let Some(doc) = scenario.as_object_mut() else {
        issues.push(InputIssue::new(
            "wrong_type",
            &root.key("base"),
            "the base is not a JSON object, so it is not a scenario",
        ));
        return issues;
    };
    if let Some(name) = &v.name {
        doc.insert("name".to_string(), Value::String(name.clone()));
    }
    for (path, value) in &v.set {
        let at = root.key("set").key(path);
        let segs: Vec<&str> = path.split('.').collect();
        let Some((last, parents)) = segs.split_last() else {
            continue; // split always gives a piece
        };
        // The first parent that is missing or not an object, if any.
        let mut pointer = String::new();
        let mut broken = None;
        for seg in parents {
            pointer.push('/');
            pointer.push_str(&seg.replace('~', "~0").replace('/', "~1"));
            if !scenario.pointer(&pointer).is_some_and(Value::is_object) {
                broken = Some(*seg);
                break;
            }
        }
        if let Some(seg) = broken {
            issues.push(
                InputIssue::new("unknown_path", &at, format!("the base has no object at \"{seg}\" in \"{path}\""))
                    .hint("paths name object fields, e.g. destinations.BE.max; change trainees and vacancies by id instead"),
            );
            continue;
        }
        let parent = if pointer.is_empty() {
            Some(&mut *scenario)
        } else {
            scenario.pointer_mut(&pointer)
        };
        if let Some(obj) = parent.and_then(Value::as_object_mut) {
            if value.is_null() {
                obj.remove(*last);
            } else {
                obj.insert((*last).to_string(), value.clone());
            }
        }
    }
    for (list, changes) in [("trainees", &v.trainees), ("vacancies", &v.vacancies)] {
        let Some(changes) = changes else { continue };
        let at = root.key(list);
        let Some(items) = scenario.get_mut(list).and_then(Value::as_array_mut) else {
            continue;
        };
        for obj in items.iter_mut().filter_map(Value::as_object_mut) {
            merge(obj, &changes.all);
        }
        for (id, fields) in &changes.change {
            match items
                .iter_mut()
                .find(|x| x.get("id").and_then(Value::as_str) == Some(id))
            {
                Some(item) => {
                    if let Some(obj) = item.as_object_mut() {
                        merge(obj, fields);
                    }
                }
                None => issues.push(unknown_id(&at.key("change").key(id), list, id)),
            }
        }
        for (i, id) in changes.remove.iter().enumerate() {
            let before = items.len();
            items.retain(|x| x.get("id").and_then(Value::as_str) != Some(id));
            if items.len() == before {
                issues.push(unknown_id(&at.key("remove").index(i), list, id));
            }
        }
        items.extend(changes.add.iter().cloned());
    }
    for (list, extra) in [
        ("locks", &v.locks),
        ("forbids", &v.forbids),
        ("interviews", &v.interviews),
    ] {
        if extra.is_empty() {
            continue;
        }
        let Some(doc) = scenario.as_object_mut() else {
            continue;
        };
        let items = doc
            .entry(list.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        match items.as_array_mut() {
            Some(items) => items.extend(extra.iter().cloned()),
            None => issues.push(InputIssue::new(
                "wrong_type",
                &root.key(list),
                format!("the base's \"{list}\" is not a list, so these cannot be added to it"),
            )),
        }
    }
    issues
}

/// Set fields of a record; `null` removes one.
fn merge(obj: &mut Map<String, Value>, fields: &Map<String, Value>) {
    for (k, val) in fields {
        if val.is_null() {
            obj.remove(k);
        } else {
            obj.insert(k.clone(), val.clone());
        }
    }
}

fn unknown_id(at: &JsonPath, list: &str, id: &str) -> InputIssue {
    InputIssue::new(
        &format!(
            "unknown_{}",
            list.trim_end_matches('s').replace("vacancie", "vacancy")
        ),
        at,
        format!(
            "the base has no {} \"{id}\"",
            list.trim_end_matches('s').replace("vacancie", "vacancy")
        ),
    )
    .hint("variants change records by id; check the id against the base")
}
