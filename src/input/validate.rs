//! Scenario text in, [`Problem`] or every problem with it out.
//!
//! Validation runs in two passes so that one run reports everything:
//! 1. *shape*: the JSON is read piece by piece (each destination, trainee and
//!    vacancy on its own), so a wrong type in trainee 3 does not hide one in
//!    trainee 7;
//! 2. *meaning*: ids, references, scales, windows, shares and overrides are
//!    checked against each other.
//!
//! Locks are checked last, against the eligibility rules themselves: a lock on a
//! pair that can never be matched is an input error that says which rule blocks it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{InputIssue, InvalidInput};
use crate::limits;
use crate::locate::{JsonPath, Seg};
use crate::model::competency::{self, CompetencyModel};
use crate::model::problem::*;
use crate::model::scenario::*;

/// Where to look for named competency models besides the bundled ones.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'a> {
    pub models_dir: Option<&'a Path>,
}

/// Validate scenario text; `file` names it in messages.
pub fn load_str(text: &str, file: &str, opts: &LoadOptions) -> Result<Problem, InvalidInput> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let issue = InputIssue::new("malformed_json", &JsonPath::root(), json_error_text(&e))
                .hint("fix the JSON syntax at this place (a missing comma, quote or bracket is the usual cause)")
                .at_line(e.line(), e.column().max(1));
            return Err(InvalidInput::new(file, text, vec![issue]));
        }
    };
    load_value(&value, text, file, opts)
}

/// Validate a scenario already parsed from `text` (a workbook's, which is
/// made as a value); `text` is what the input's fingerprint is taken of.
pub fn load_value(
    value: &Value,
    text: &str,
    file: &str,
    opts: &LoadOptions,
) -> Result<Problem, InvalidInput> {
    let mut v = Validator {
        issues: Vec::new(),
        opts,
    };
    let problem = v.scenario(value, text);
    match problem {
        Some(p) if v.issues.is_empty() => Ok(p),
        _ => Err(InvalidInput::new(file, text, v.issues)),
    }
}

fn json_error_text(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

struct Validator<'a> {
    issues: Vec<InputIssue>,
    opts: &'a LoadOptions<'a>,
}

pub(crate) const TOP_FIELDS: &[&str] = &[
    "format",
    "name",
    "model",
    "destinations",
    "group_shares",
    "max_per_employer",
    "locks",
    "forbids",
    "interviews",
    "objective",
    "pair_scores",
    "pair_scores_only",
    "trainees",
    "vacancies",
];

/// A place in a JSON document as a chain of borrowed steps on the stack:
/// free to extend, and written out as a [`JsonPath`] only when needed.
enum Trail<'a> {
    Root,
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    fn path(&self) -> JsonPath {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                Trail::Root => break,
                Trail::Key(up, k) => {
                    steps.push(Seg::Key((*k).to_string()));
                    at = up;
                }
                Trail::Index(up, i) => {
                    steps.push(Seg::Index(*i));
                    at = up;
                }
            }
        }
        steps.reverse();
        JsonPath(steps)
    }
}

impl Validator<'_> {
    /// A number checked against its range (`crate::limits`): what is allowed
    /// and why, at its place.
    fn in_range(
        &mut self,
        what: &str,
        x: f64,
        lo: f64,
        hi: f64,
        unit: &str,
        at: &JsonPath,
    ) -> bool {
        if (lo..=hi).contains(&x) {
            return true;
        }
        self.push(
            InputIssue::new(
                "out_of_range",
                at,
                format!(
                    "{what} is {}; allowed: {} to {}{unit}",
                    crate::words::num(x),
                    crate::words::num(lo),
                    crate::words::num(hi)
                ),
            )
            .hint(format!("{}; correct the value", limits::WHY)),
        );
        false
    }

    /// A number of placements (a quota, a cap) checked against its range.
    fn placements_in_range(&mut self, what: &str, n: u32, at: &JsonPath) {
        let max = f64::from(limits::MAX_COUNT);
        self.in_range(what, f64::from(n), 0.0, max, " placements", at);
    }

    /// A date checked against the calendar palim plans on.
    fn date_in_range(&mut self, what: &str, d: Option<chrono::NaiveDate>, at: &JsonPath) {
        let Some(d) = d else { return };
        if !(limits::FIRST_DAY..=limits::LAST_DAY).contains(&d) {
            self.push(
                InputIssue::new(
                    "date_out_of_range",
                    at,
                    format!(
                        "{what} {d} is outside {} to {}",
                        limits::FIRST_DAY,
                        limits::LAST_DAY
                    ),
                )
                .hint(format!("{}; is the year a typo?", limits::WHY)),
            );
        }
    }

    /// Every string and key of the document against its length
    /// ([`limits::max_chars`]), before anything reads them. The depth is at
    /// most serde_json's nesting limit (128), whatever the input. `map` says
    /// `v` is a map from identifiers (one of [`limits::MAP_FIELDS`]) rather
    /// than a record of named fields. The place is kept as a chain on the
    /// stack and written out only for a text that is too long, so the walk
    /// allocates nothing on a valid document.
    fn text_lengths(&mut self, v: &Value, field: Option<&str>, map: bool, at: &Trail) {
        let too_long = |what: &str, n: usize, max: usize| {
            InputIssue::new(
                "too_long",
                &at.path(),
                format!("{what} is {n} characters long; allowed: at most {max}"),
            )
            .hint(format!(
                "shorten it; palim bounds every text so that what it writes stays \
                 proportional to what it reads ({} characters for ids, codes and \
                 names of skills, {} for {})",
                limits::MAX_ID,
                limits::MAX_TEXT,
                limits::TEXT_FIELDS.join(", ")
            ))
        };
        // A text of at most `max` bytes has at most `max` characters.
        let chars_over = |s: &str, max: usize| s.len() > max && s.chars().count() > max;
        match v {
            Value::String(s) => {
                let max = limits::max_chars(field);
                if chars_over(s, max) {
                    self.push(too_long("this text", s.chars().count(), max));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let at = Trail::Index(at, i);
                    self.text_lengths(item, field, false, &at);
                }
            }
            Value::Object(o) => {
                for (key, item) in o {
                    if chars_over(key, limits::MAX_ID) {
                        self.push(too_long("this key", key.chars().count(), limits::MAX_ID));
                        continue;
                    }
                    let inner = Trail::Key(at, key);
                    if map {
                        self.text_lengths(item, field, false, &inner);
                    } else {
                        let inner_map = limits::MAP_FIELDS.contains(&key.as_str());
                        self.text_lengths(item, Some(key), inner_map, &inner);
                    }
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, issue: InputIssue) {
        self.issues.push(issue);
    }

    /// Deserialize one piece, recording a typed error at its exact path.
    ///
    /// Without tracking the path first: tracking it keeps a copy of every
    /// key on the way (a national cohort's 10,000 trainees have 150,000),
    /// and the path only matters for an error, found again with it.
    fn typed<T: DeserializeOwned>(&mut self, value: &Value, at: &JsonPath) -> Option<T> {
        plain(value).or_else(|| self.typed_again(value, || at.clone()))
    }

    /// A piece [`plain`] could not read, read again tracking its path, and
    /// its issue recorded there; the path `at` it lies at is made only now.
    fn typed_again<T: DeserializeOwned>(
        &mut self,
        value: &Value,
        at: impl FnOnce() -> JsonPath,
    ) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(t) => Some(t),
            Err(e) => {
                let mut path = at();
                for seg in e.path().iter() {
                    path = match seg {
                        serde_path_to_error::Segment::Seq { index } => path.index(*index),
                        serde_path_to_error::Segment::Map { key } => path.key(key),
                        serde_path_to_error::Segment::Enum { variant } => path.key(variant),
                        serde_path_to_error::Segment::Unknown => path,
                    };
                }
                let msg = e.inner().to_string();
                let mut issue = if let Some(field) = between_backticks(&msg, "unknown field") {
                    let path = if path.0.last() == Some(&crate::locate::Seg::Key(field.clone())) {
                        path
                    } else {
                        path.key(&field)
                    };
                    let expected: Vec<&str> = msg.split('`').skip(3).step_by(2).collect();
                    let mut issue = InputIssue::new(
                        "unknown_field",
                        &path,
                        format!("unknown field \"{field}\""),
                    );
                    issue = match did_you_mean(&field, expected.iter().copied()) {
                        Some(s) => issue.hint(format!(
                            "did you mean \"{s}\"? (fields here: {})",
                            expected.join(", ")
                        )),
                        None => {
                            issue.hint(format!("remove it; fields here: {}", expected.join(", ")))
                        }
                    };
                    issue
                } else if let Some(field) = between_backticks(&msg, "missing field") {
                    InputIssue::new(
                        "missing_field",
                        &path,
                        format!("required field \"{field}\" is missing"),
                    )
                    .hint(format!("add \"{field}\""))
                } else if msg.contains("input contains invalid characters")
                    || msg.contains("premature end of input")
                    || msg.contains("input is out of range")
                    || msg.contains("trailing input")
                    || msg.contains("input is not enough")
                {
                    InputIssue::new("bad_date", &path, format!("not a calendar date ({msg})"))
                        .hint("write dates as YYYY-MM-DD, e.g. \"2020-04-01\"")
                } else if msg
                    .starts_with("data did not match any variant of untagged enum ModelRef")
                {
                    InputIssue::new(
                        "bad_model",
                        &path,
                        "expected a model name (a string) or an inline model object",
                    )
                    .hint(format!(
                        "bundled models: {}",
                        competency::bundled_names().join(", ")
                    ))
                } else if msg.starts_with("data did not match any variant of untagged enum Level") {
                    InputIssue::new(
                        "wrong_type",
                        &path,
                        "expected a skill level: a number, or a CEFR label such as \"B2\"",
                    )
                } else {
                    InputIssue::new("wrong_type", &path, msg.clone())
                };
                if issue.hint.is_none() && msg.starts_with("invalid type") {
                    issue = issue.hint("change the value to the expected type");
                }
                self.push(issue);
                None
            }
        }
    }

    fn scenario(&mut self, value: &Value, text: &str) -> Option<Problem> {
        let root = JsonPath::root();
        let Some(obj) = value.as_object() else {
            self.push(
                InputIssue::new("wrong_type", &root, "a scenario is a JSON object").hint(
                    "start from scenarios/palim-2020/baseline.json or `palim schema scenario`",
                ),
            );
            return None;
        };
        let before = self.issues.len();
        self.text_lengths(value, None, false, &Trail::Root);
        if self.issues.len() > before {
            // Nothing else is read: every later message could repeat the text.
            return None;
        }
        for key in obj.keys() {
            if !TOP_FIELDS.contains(&key.as_str()) {
                let issue = InputIssue::new(
                    "unknown_field",
                    &root.key(key),
                    format!("unknown field \"{key}\""),
                );
                let issue = match did_you_mean(key, TOP_FIELDS.iter().copied()) {
                    Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
                    None => issue.hint(format!(
                        "remove it; top-level fields are {}",
                        TOP_FIELDS.join(", ")
                    )),
                };
                self.push(issue);
            }
        }
        // Format first: a document of another version is not worth reading further.
        match obj.get("format") {
            Some(Value::String(f)) if f == SCENARIO_FORMAT => {}
            Some(Value::String(f)) if f.starts_with("palim/") => {
                self.push(
                    InputIssue::new(
                        "unknown_format_version",
                        &root.key("format"),
                        format!("unknown format version \"{f}\""),
                    )
                    .hint(format!("this palim reads \"{SCENARIO_FORMAT}\"")),
                );
                return None;
            }
            Some(other) => {
                self.push(
                    InputIssue::new(
                        "unknown_format",
                        &root.key("format"),
                        format!("expected \"{SCENARIO_FORMAT}\", found {other}"),
                    )
                    .hint("is this a palim scenario? A match set has \"palim-result/1\""),
                );
                return None;
            }
            None => {
                self.push(
                    InputIssue::new(
                        "missing_field",
                        &root.key("format"),
                        "required field \"format\" is missing",
                    )
                    .hint(format!("add \"format\": \"{SCENARIO_FORMAT}\"")),
                );
                return None;
            }
        }

        let raw_trainee_ids = self.raw_ids(obj, "trainees", "trainee", &root);
        let raw_vacancy_ids = self.raw_ids(obj, "vacancies", "vacancy", &root);
        let name: Option<String> = self.opt_field(obj, "name", &root);
        let model = self.model(obj.get("model"), &root.key("model"));
        let dests: BTreeMap<String, Destination> = self.map_each(obj, "destinations", &root);
        let (trainees, vacancies) = self.trainees_and_vacancies(obj, &root);
        let shares: Vec<Option<GroupShare>> = self.list_each(obj, "group_shares", &root, false);
        let locks: Vec<Option<PairRef>> = self.list_each(obj, "locks", &root, false);
        let forbids: Vec<Option<PairRef>> = self.list_each(obj, "forbids", &root, false);
        let interviews: Vec<Option<Interview>> = self.list_each(obj, "interviews", &root, false);
        let pair_scores: Vec<Option<PairScore>> = self.list_each(obj, "pair_scores", &root, false);
        let max_per_employer: Option<u32> = self.opt_field(obj, "max_per_employer", &root);
        let objective: Option<Objective> = self.opt_field(obj, "objective", &root);
        let pair_scores_only: Option<bool> = self.opt_field(obj, "pair_scores_only", &root);
        if let Some(cap) = max_per_employer {
            self.placements_in_range("max_per_employer", cap, &root.key("max_per_employer"));
        }
        let model = model?;

        let mut b = Builder::new(self, model);
        b.raw_trainee_ids = raw_trainee_ids;
        b.raw_vacancy_ids = raw_vacancy_ids;
        b.destinations(&dests, &root.key("destinations"));
        b.trainees(&trainees, &root.key("trainees"));
        b.vacancies(&vacancies, &root.key("vacancies"));
        b.rankings(&trainees, &vacancies, &root);
        b.shares(&shares, &root.key("group_shares"));
        b.overrides(&locks, &forbids, &root);
        b.interviews(&interviews, &root.key("interviews"));
        b.pair_scores(&pair_scores, &root.key("pair_scores"));
        b.objective(objective.unwrap_or_default(), &root.key("objective"));
        let complete = b.complete;
        let mut problem = b.finish(
            name.unwrap_or_else(|| "unnamed scenario".to_string()),
            max_per_employer,
            pair_scores_only.unwrap_or(false),
        );
        problem.input_sha256 = hex(&Sha256::digest(text.as_bytes()));
        if !complete || !self.issues.is_empty() {
            return None;
        }
        self.locks_are_eligible(&problem, &root.key("locks"));
        self.interviews_are_eligible(&problem, &root.key("interviews"));
        Some(problem)
    }

    /// The ids of a list as written, including elements that fail to parse, so
    /// that references to them are not reported as unknown; duplicates are
    /// reported here, once.
    fn raw_ids(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        what: &str,
        root: &JsonPath,
    ) -> HashSet<String> {
        let mut first: HashMap<String, usize> = HashMap::new();
        if let Some(Value::Array(items)) = obj.get(key) {
            for (i, item) in items.iter().enumerate() {
                let Some(id) = item.get("id").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(&j) = first.get(id) {
                    self.push(
                        InputIssue::new(
                            "duplicate_id",
                            &root.key(key).index(i).key("id"),
                            format!("{what} id \"{id}\" is used twice (first at {key}[{j}])"),
                        )
                        .hint(format!("give every {what} its own id")),
                    );
                } else {
                    first.insert(id.to_string(), i);
                }
            }
        }
        first.into_keys().collect()
    }

    fn opt_field<T: DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &JsonPath,
    ) -> Option<T> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.typed(v, &at.key(key)),
        }
    }

    /// The trainees and the vacancies, most of a national scenario's text,
    /// read side by side ([`plain_each`]); what fails is read again for its
    /// issues, trainees' first, in the file's order.
    fn trainees_and_vacancies(
        &mut self,
        obj: &Map<String, Value>,
        root: &JsonPath,
    ) -> (Vec<Option<Trainee>>, Vec<Option<Vacancy>>) {
        let (trainees, vacancies) = limits::side_by_side(
            || plain_each::<Trainee>(obj.get("trainees")),
            || plain_each::<Vacancy>(obj.get("vacancies")),
        );
        (
            self.list_each_read(obj, "trainees", root, true, trainees),
            self.list_each_read(obj, "vacancies", root, true, vacancies),
        )
    }

    /// Each element of a list on its own, so one bad element does not hide others.
    fn list_each<T: DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &JsonPath,
        required: bool,
    ) -> Vec<Option<T>> {
        self.list_each_read(obj, key, at, required, plain_each(obj.get(key)))
    }

    /// [`Self::list_each`], given `read`: [`plain_each`] of that list (which
    /// may run on another thread), each element it read used as it is.
    fn list_each_read<T: DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &JsonPath,
        required: bool,
        read: Vec<Option<T>>,
    ) -> Vec<Option<T>> {
        let path = at.key(key);
        match obj.get(key) {
            None | Some(Value::Null) if !required => Vec::new(),
            None | Some(Value::Null) => {
                self.push(
                    InputIssue::new(
                        "missing_field",
                        &path,
                        format!("required field \"{key}\" is missing"),
                    )
                    .hint(format!("add \"{key}\": [ ... ]")),
                );
                Vec::new()
            }
            Some(Value::Array(items)) => {
                let mut read = read.into_iter();
                (items.iter().enumerate())
                    .map(|(i, item)| match read.next().flatten() {
                        Some(t) => Some(t),
                        None => self.typed_again(item, || path.index(i)),
                    })
                    .collect()
            }
            Some(other) => {
                self.push(InputIssue::new(
                    "wrong_type",
                    &path,
                    format!("expected a list, found {}", kind(other)),
                ));
                Vec::new()
            }
        }
    }

    fn map_each<T: DeserializeOwned>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        at: &JsonPath,
    ) -> BTreeMap<String, T> {
        let path = at.key(key);
        let mut out = BTreeMap::new();
        match obj.get(key) {
            Some(Value::Object(m)) => {
                for (k, v) in m {
                    if let Some(t) = self.typed(v, &path.key(k)) {
                        out.insert(k.clone(), t);
                    }
                }
                if m.is_empty() {
                    self.push(
                        InputIssue::new("no_destinations", &path, "no destinations are defined")
                            .hint("add at least one, e.g. \"MA\": { \"label\": \"Morocco\" }"),
                    );
                }
            }
            None | Some(Value::Null) => self.push(
                InputIssue::new(
                    "missing_field",
                    &path,
                    format!("required field \"{key}\" is missing"),
                )
                .hint("add \"destinations\": { \"BE\": { ... }, \"MA\": { ... } }"),
            ),
            Some(other) => self.push(InputIssue::new(
                "wrong_type",
                &path,
                format!("expected an object, found {}", kind(other)),
            )),
        }
        out
    }

    fn model(&mut self, value: Option<&Value>, at: &JsonPath) -> Option<CompetencyModel> {
        let Some(value) = value else {
            self.push(
                InputIssue::new("missing_field", at, "required field \"model\" is missing").hint(
                    format!(
                        "name a model, e.g. \"model\": \"junior-java-developer\" (bundled: {})",
                        competency::bundled_names().join(", ")
                    ),
                ),
            );
            return None;
        };
        let model = match self.typed::<ModelRef>(value, at)? {
            ModelRef::Inline(m) => *m,
            ModelRef::Named(name) => {
                let Some((source, text)) = competency::model_source(&name, self.opts.models_dir)
                else {
                    let names = competency::bundled_names();
                    let mut issue = InputIssue::new(
                        "unknown_model",
                        at,
                        format!("no competency model named \"{name}\""),
                    );
                    issue = match did_you_mean(&name, names.iter().copied()) {
                        Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
                        None => issue.hint(format!(
                            "bundled models: {}; or pass --models DIR, or inline the model",
                            names.join(", ")
                        )),
                    };
                    self.push(issue);
                    return None;
                };
                match serde_json::from_str::<CompetencyModel>(&text) {
                    Ok(m) => m,
                    Err(e) => {
                        self.push(InputIssue::new(
                            "bad_model",
                            at,
                            format!("model file {source} is not a valid model: {e}"),
                        ));
                        return None;
                    }
                }
            }
        };
        let mut ok = true;
        if model.skills.is_empty() {
            self.push(InputIssue::new(
                "bad_model",
                at,
                "the model lists no skills",
            ));
            ok = false;
        }
        for (name, skill) in &model.skills {
            let at_scale = at.key("skills").key(name).key("scale");
            let w = limits::MAX_WEIGHT;
            let mut ends_ok = true;
            for (end, x) in [("min", skill.scale.min), ("max", skill.scale.max)] {
                let what = format!("the scale's {end}");
                ends_ok &= self.in_range(&what, x, -w, w, "", &at_scale.key(end));
            }
            if !ends_ok {
                ok = false;
            } else if skill.scale.max <= skill.scale.min {
                self.push(InputIssue::new(
                    "bad_scale",
                    &at.key("skills").key(name).key("scale"),
                    format!(
                        "the scale of {name} has max {} not above min {}",
                        skill.scale.max, skill.scale.min
                    ),
                ));
                ok = false;
            }
        }
        ok.then_some(model)
    }

    /// Why no rule but `forbidden` allows (t, v), if one does not.
    fn blocked(p: &Problem, t: usize, v: usize) -> Option<String> {
        let verdict = crate::rules::evaluate(p, t, v);
        let why: Vec<String> = verdict
            .violations
            .iter()
            .filter(|v| v.code != crate::rules::ReasonCode::Forbidden)
            .map(|v| v.message.clone())
            .collect();
        (!why.is_empty()).then(|| why.join("; "))
    }

    /// An interview is for a pair the rules allow: an outcome for a pair
    /// that could never be matched is a mistake in the data (or the data
    /// changed since), and an acceptance would be a lock nothing can hold.
    fn interviews_are_eligible(&mut self, p: &Problem, at: &JsonPath) {
        // Only a scenario without other issues gets here, so every interview
        // was kept, in the order written.
        for (k, i) in p.interviews.iter().enumerate() {
            if let Some(why) = Self::blocked(p, i.trainee, i.vacancy) {
                self.push(
                    InputIssue::new(
                        "interview_ineligible",
                        &at.index(k),
                        format!(
                            "{} has an interview outcome ({}) for {}, but cannot be matched there: {why}",
                            p.trainees[i.trainee].id,
                            i.outcome.as_str(),
                            p.vacancies[i.vacancy].id,
                        ),
                    )
                    .hint("check the trainee and vacancy ids, or change the data that blocks the pair"),
                );
            }
        }
    }

    fn locks_are_eligible(&mut self, p: &Problem, at: &JsonPath) {
        for (i, lock) in p.locks.iter().enumerate() {
            if let Some(why) = Self::blocked(p, lock.trainee, lock.vacancy) {
                self.push(
                    InputIssue::new(
                        "lock_ineligible",
                        &at.index(i),
                        format!(
                            "{} is locked to {} but cannot be matched there: {why}",
                            p.trainees[lock.trainee].id, p.vacancies[lock.vacancy].id,
                        ),
                    )
                    .hint("remove the lock, or change the data that blocks it"),
                );
            }
        }
    }
}

/// Turns typed pieces into indexed domain data, checking meaning.
struct Builder<'v, 'a> {
    v: &'v mut Validator<'a>,
    model: CompetencyModel,
    skills: Vec<SkillInfo>,
    skill_ix: HashMap<String, usize>,
    dests: Vec<Dest>,
    dest_ix: HashMap<String, usize>,
    trainees: Vec<TraineeData>,
    t_ix: HashMap<String, usize>,
    vacancies: Vec<VacancyData>,
    v_ix: HashMap<String, usize>,
    employers: Vec<String>,
    shares: Vec<Share>,
    locks: Vec<Override>,
    forbids: HashMap<(usize, usize), Option<String>>,
    interviews: Vec<InterviewData>,
    pair_scores: HashMap<(usize, usize), f64>,
    priorities: Vec<Priority>,
    weights: Weights,
    /// False when some piece failed to parse, so references to it can't be checked.
    complete: bool,
    trainees_complete: bool,
    vacancies_complete: bool,
    /// Every id written in the input, parsed or not.
    raw_trainee_ids: HashSet<String>,
    raw_vacancy_ids: HashSet<String>,
}

impl<'v, 'a> Builder<'v, 'a> {
    fn new(v: &'v mut Validator<'a>, model: CompetencyModel) -> Self {
        let skills: Vec<SkillInfo> = model
            .skills
            .iter()
            .map(|(name, s)| SkillInfo {
                name: name.clone(),
                label: s.label.clone(),
                scale: s.scale.clone(),
            })
            .collect();
        let skill_ix = skills
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i))
            .collect();
        Builder {
            complete: v.issues.is_empty(),
            v,
            model,
            skills,
            skill_ix,
            dests: Vec::new(),
            dest_ix: HashMap::new(),
            trainees: Vec::new(),
            t_ix: HashMap::new(),
            vacancies: Vec::new(),
            v_ix: HashMap::new(),
            employers: Vec::new(),
            shares: Vec::new(),
            locks: Vec::new(),
            forbids: HashMap::new(),
            interviews: Vec::new(),
            pair_scores: HashMap::new(),
            priorities: Vec::new(),
            weights: Weights::default(),
            trainees_complete: true,
            vacancies_complete: true,
            raw_trainee_ids: HashSet::new(),
            raw_vacancy_ids: HashSet::new(),
        }
    }

    fn push(&mut self, issue: InputIssue) {
        self.v.push(issue);
    }

    fn window_ok(&mut self, w: &Option<Window>, at: &JsonPath) {
        if let Some(w) = w {
            let here = at.key("start_window");
            self.v.date_in_range(
                "the window's earliest day",
                w.earliest,
                &here.key("earliest"),
            );
            self.v
                .date_in_range("the window's latest day", w.latest, &here.key("latest"));
        }
        if let Some(Window {
            earliest: Some(e),
            latest: Some(l),
        }) = w
        {
            if l < e {
                self.push(
                    InputIssue::new(
                        "window_reversed",
                        &at.key("start_window").key("latest"),
                        format!("the window's latest day {l} is before its earliest day {e}"),
                    )
                    .hint("swap the two dates, or correct the one that is wrong"),
                );
            }
        }
    }

    fn destinations(&mut self, dests: &BTreeMap<String, Destination>, at: &JsonPath) {
        for (code, d) in dests {
            let here = at.key(code);
            if let (Some(min), Some(max)) = (d.min, d.max) {
                if min > max {
                    self.push(
                        InputIssue::new("min_above_max", &here.key("min"), format!("destination {code} needs at least {min} placements but allows at most {max}"))
                            .hint("lower min or raise max"),
                    );
                }
            }
            self.window_ok(&d.start_window, &here);
            for (key, n) in [("min", d.min), ("max", d.max)] {
                if let Some(n) = n {
                    self.v.placements_in_range(key, n, &here.key(key));
                }
            }
            if let Some(days) = d.permit_days {
                let max = f64::from(limits::MAX_DAYS);
                self.v.in_range(
                    "permit_days",
                    f64::from(days),
                    0.0,
                    max,
                    " days (ten years)",
                    &here.key("permit_days"),
                );
            }
            self.permit_distribution(d, &here);
            self.blackouts(d, &here);
            self.salary_floors(d, &here);
            self.dest_ix.insert(code.clone(), self.dests.len());
            self.dests.push(dest(code, d));
        }
    }

    /// A permit lead-time distribution's days in range and its shape sound.
    fn permit_distribution(&mut self, d: &Destination, here: &JsonPath) {
        let days_ok = |x: &f64| (0.0..=f64::from(limits::MAX_DAYS)).contains(x);
        match &d.permit_days_distribution {
            Some(PermitDistribution::Triangular { min, mode, max }) if ![min, mode, max].into_iter().all(days_ok) => self.push(
                InputIssue::new("out_of_range", &here.key("permit_days_distribution"), format!("a lead time of the distribution is outside 0 to {} days (ten years); got {min}, {mode}, {max}", limits::MAX_DAYS))
                    .hint(format!("{}; correct the value", limits::WHY)),
            ),
            Some(PermitDistribution::Empirical(days)) if !days.iter().all(days_ok) && !days.iter().any(|x| *x < 0.0) => self.push(
                InputIssue::new("out_of_range", &here.key("permit_days_distribution"), format!("an observed lead time is above {} days (ten years)", limits::MAX_DAYS))
                    .hint(format!("{}; correct the value", limits::WHY)),
            ),
            Some(PermitDistribution::Triangular { min, mode, max }) if !(0.0 <= *min && min <= mode && mode <= max && min < max) => self.push(
                InputIssue::new("bad_distribution", &here.key("permit_days_distribution"), format!("a triangular distribution needs 0 <= min <= mode <= max and min < max; got {min}, {mode}, {max}"))
                    .hint("for example {\"triangular\": {\"min\": 60, \"mode\": 100, \"max\": 180}}"),
            ),
            Some(PermitDistribution::Empirical(days)) if days.is_empty() || days.iter().any(|x| *x < 0.0) => self.push(
                InputIssue::new("bad_distribution", &here.key("permit_days_distribution"), "observed lead times must be a non-empty list of days, none negative")
                    .hint("for example {\"empirical\": [85, 96, 104, 131]}"),
            ),
            _ => {}
    }
    }

    /// Each blackout's dates in range and in order.
    fn blackouts(&mut self, d: &Destination, here: &JsonPath) {
        for (i, b) in d.blackouts.iter().enumerate() {
            let at_b = here.key("blackouts").index(i);
            self.v
                .date_in_range("the blackout's first day", Some(b.from), &at_b.key("from"));
            self.v
                .date_in_range("the blackout's last day", Some(b.to), &at_b.key("to"));
            if b.to < b.from {
                self.push(
                    InputIssue::new(
                        "blackout_reversed",
                        &here.key("blackouts").index(i).key("to"),
                        format!("the blackout ends ({}) before it begins ({})", b.to, b.from),
                    )
                    .hint("swap \"from\" and \"to\""),
                );
            }
        }
    }

    /// Each floor row's amount and age in range, and no row after the one for everyone.
    fn salary_floors(&mut self, d: &Destination, here: &JsonPath) {
        for (i, row) in d.salary_floor.iter().enumerate() {
            let at_row = here.key("salary_floor").index(i);
            if row.annual < 0.0 {
                self.push(InputIssue::new(
                    "negative_amount",
                    &at_row.key("annual"),
                    "a salary floor cannot be negative",
                ));
            } else {
                self.v.in_range(
                    "the salary floor",
                    row.annual,
                    0.0,
                    limits::MAX_MONEY,
                    " a year",
                    &at_row.key("annual"),
                );
            }
            if let Some(age) = row.under_age {
                self.v.in_range(
                    "under_age",
                    f64::from(age),
                    0.0,
                    f64::from(limits::MAX_AGE),
                    " years",
                    &at_row.key("under_age"),
                );
            }
            if row.under_age.is_none() && i + 1 < d.salary_floor.len() {
                self.push(
                    InputIssue::new("unreachable_floor_row", &here.key("salary_floor").index(i + 1), "this row can never apply: the row before it has no under_age, so it applies to everyone")
                        .hint("put rows with under_age first and the row without under_age last"),
                );
            }
        }
    }

    /// Resolve a map of skill levels against the model.
    fn levels(&mut self, raw: &BTreeMap<String, Level>, at: &JsonPath) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        for (name, level) in raw {
            let path = at.key(name);
            let Some(&s) = self.skill_ix.get(name) else {
                self.unknown_skill(name, &path);
                continue;
            };
            let scale = &self.skills[s].scale;
            let value = match level {
                Level::Number(x) => *x,
                Level::Label(l) => match scale.level_of_label(l) {
                    Some(x) => x,
                    None => {
                        let msg = format!("\"{l}\" is not a level of {name}");
                        let hint = if scale.is_cefr() {
                            "use a number 0-6 or a CEFR label A1, A2, B1, B2, C1, C2".to_string()
                        } else {
                            format!("use a number from {} to {}", scale.min, scale.max)
                        };
                        self.push(InputIssue::new("bad_level", &path, msg).hint(hint));
                        continue;
                    }
                },
            };
            if value < scale.min || value > scale.max {
                let (lo, hi) = (scale.min, scale.max);
                self.push(
                    InputIssue::new(
                        "level_off_scale",
                        &path,
                        format!(
                            "level {} of {name} is outside its scale {lo}-{hi}",
                            crate::words::num(value)
                        ),
                    )
                    .hint(format!("use a level from {lo} to {hi}")),
                );
                continue;
            }
            out.push((s, value));
        }
        out
    }

    fn unknown_skill(&mut self, name: &str, at: &JsonPath) {
        let issue = InputIssue::new(
            "unknown_skill",
            at,
            format!("the model {} has no skill \"{name}\"", self.model.id),
        );
        let issue = match did_you_mean(name, self.skills.iter().map(|s| s.name.as_str())) {
            Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
            None => issue.hint(format!(
                "skills of this model: {}",
                self.skills
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        self.push(issue);
    }

    fn dest_ref(&mut self, code: &str, at: &JsonPath) -> Option<usize> {
        if let Some(&d) = self.dest_ix.get(code) {
            return Some(d);
        }
        if self.dests.is_empty() {
            return None; // already reported: no destinations could be read
        }
        let codes: Vec<&str> = self.dests.iter().map(|d| d.code.as_str()).collect();
        let issue = InputIssue::new(
            "unknown_destination",
            at,
            format!("there is no destination \"{code}\""),
        );
        let issue = issue.hint(format!("destinations defined: {}", codes.join(", ")));
        self.push(issue);
        None
    }

    fn trainees(&mut self, trainees: &[Option<Trainee>], at: &JsonPath) {
        if trainees.is_empty() {
            return;
        }
        for (i, t) in trainees.iter().enumerate() {
            let Some(t) = t else {
                self.trainees_complete = false;
                self.complete = false;
                continue;
            };
            let here = at.index(i);
            if t.id.trim().is_empty() {
                self.push(InputIssue::new(
                    "empty_id",
                    &here.key("id"),
                    "a trainee id cannot be empty",
                ));
            } else if self.t_ix.contains_key(&t.id) {
                // reported with the raw ids
                self.complete = false;
                continue;
            }
            self.v
                .date_in_range("birth_date", t.birth_date, &here.key("birth_date"));
            self.v.date_in_range(
                "available_from",
                Some(t.available_from),
                &here.key("available_from"),
            );
            self.v.date_in_range(
                "documents_ready",
                t.documents_ready,
                &here.key("documents_ready"),
            );
            let skill_levels = self.levels(&t.skills, &here.key("skills"));
            let mut levels = vec![0.0; self.skills.len()];
            for (s, x) in skill_levels {
                levels[s] = x;
            }
            let mut accepts = Vec::new();
            for (j, code) in t.destinations.iter().enumerate() {
                if let Some(d) = self.dest_ref(code, &here.key("destinations").index(j)) {
                    if !accepts.contains(&d) {
                        accepts.push(d);
                    }
                }
            }
            self.t_ix.insert(t.id.clone(), self.trainees.len());
            self.trainees.push(TraineeData {
                id: t.id.clone(),
                gender: t.gender.clone(),
                birth_date: t.birth_date,
                region: t.region.clone(),
                levels,
                accepts,
                available_from: t.available_from,
                documents_ready: t.documents_ready,
                ranking: Vec::new(),
                attributes: t.attributes.clone(),
            });
        }
    }

    fn vacancies(&mut self, vacancies: &[Option<Vacancy>], at: &JsonPath) {
        let mut employer_ix: HashMap<String, usize> = HashMap::new();
        for (i, v) in vacancies.iter().enumerate() {
            let Some(v) = v else {
                self.vacancies_complete = false;
                self.complete = false;
                continue;
            };
            let here = at.index(i);
            if v.id.trim().is_empty() {
                self.push(InputIssue::new(
                    "empty_id",
                    &here.key("id"),
                    "a vacancy id cannot be empty",
                ));
            } else if self.v_ix.contains_key(&v.id) {
                // reported with the raw ids
                self.complete = false;
                continue;
            }
            let dest = self.dest_ref(&v.destination, &here.key("destination"));
            self.positions(v, &here);
            let requires = self.levels(&v.requires, &here.key("requires"));
            let values = self.values(v, &here);
            self.salary(v, &here);
            self.window_ok(&v.start_window, &here);
            let Some(dest) = dest else {
                self.complete = false;
                continue;
            };
            let (earliest, latest) = self.vacancy_window(v, dest, &here);
            let employer_name = v
                .employer
                .clone()
                .unwrap_or_else(|| format!("(employer of {})", v.id));
            let next = self.employers.len();
            let employer = *employer_ix.entry(employer_name.clone()).or_insert(next);
            if employer == next {
                self.employers.push(employer_name);
            }
            self.v_ix.insert(v.id.clone(), self.vacancies.len());
            self.vacancies.push(VacancyData {
                id: v.id.clone(),
                employer,
                title: v.title.clone(),
                dest,
                region: v.region.clone(),
                // Out of range is reported above; the clamp only keeps the value a u32.
                positions: u32::try_from(v.positions.clamp(1, i64::from(limits::MAX_COUNT)))
                    .unwrap_or(1),
                requires,
                values,
                earliest,
                latest,
                salary: v.salary,
                ranking: Vec::new(),
            });
        }
    }

    fn positions(&mut self, v: &Vacancy, here: &JsonPath) {
        if v.positions < 1 {
            self.push(
                InputIssue::new(
                    "positions_below_one",
                    &here.key("positions"),
                    format!("a vacancy needs at least 1 position, found {}", v.positions),
                )
                .hint("remove the vacancy if it offers no position"),
            );
        } else {
            let max = f64::from(limits::MAX_COUNT);
            // Exact: every i64 this large is above the limit either way.
            self.v.in_range(
                "positions",
                v.positions as f64,
                1.0,
                max,
                "",
                &here.key("positions"),
            );
        }
    }

    /// The skill values of a vacancy, each a known skill with a weight in range.
    fn values(&mut self, v: &Vacancy, here: &JsonPath) -> Vec<(usize, f64)> {
        let mut values = Vec::new();
        for (name, w) in &v.values {
            match self.skill_ix.get(name) {
                None => self.unknown_skill(name, &here.key("values").key(name)),
                Some(_) if *w < 0.0 => self.push(InputIssue::new(
                    "negative_weight",
                    &here.key("values").key(name),
                    format!("the value of {name} is {w}; values are weights of 0 or more"),
                )),
                Some(&s) => {
                    let at_w = here.key("values").key(name);
                    if self
                        .v
                        .in_range("the value", *w, 0.0, limits::MAX_WEIGHT, "", &at_w)
                    {
                        values.push((s, *w));
                    }
                }
            }
        }
        values
    }

    fn salary(&mut self, v: &Vacancy, here: &JsonPath) {
        if let Some(s) = v.salary {
            if s < 0.0 {
                self.push(InputIssue::new(
                    "negative_amount",
                    &here.key("salary"),
                    "a salary cannot be negative",
                ));
            } else {
                self.v.in_range(
                    "the salary",
                    s,
                    0.0,
                    limits::MAX_MONEY,
                    " a year",
                    &here.key("salary"),
                );
            }
        }
    }

    /// The window a vacancy's start must fall in: its own within its
    /// destination's, which must overlap.
    fn vacancy_window(
        &mut self,
        v: &Vacancy,
        dest: usize,
        here: &JsonPath,
    ) -> (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) {
        let d = &self.dests[dest];
        let own = v.start_window.clone().unwrap_or_default();
        let earliest = [d.earliest, own.earliest].into_iter().flatten().max();
        let latest = [d.latest, own.latest].into_iter().flatten().min();
        if let (Some(e), Some(l)) = (earliest, latest) {
            let reversed = |a: Option<chrono::NaiveDate>, b: Option<chrono::NaiveDate>| matches!((a, b), (Some(a), Some(b)) if b < a);
            // A reversed window of its own or of the destination is reported already.
            if l < e && !reversed(own.earliest, own.latest) && !reversed(d.earliest, d.latest) {
                self.push(
                    InputIssue::new("window_outside_destination", &here.key("start_window"), format!("the vacancy's window does not overlap {}'s window ({} to {}): nobody could ever start", d.code, d.earliest.map_or("open".into(), |x| x.to_string()), d.latest.map_or("open".into(), |x| x.to_string())))
                        .hint("move the vacancy's window inside the destination's"),
                );
            }
        }
        (earliest, latest)
    }

    fn rankings(
        &mut self,
        trainees: &[Option<Trainee>],
        vacancies: &[Option<Vacancy>],
        root: &JsonPath,
    ) {
        {
            for (i, t) in trainees.iter().enumerate() {
                let Some(t) = t else { continue };
                let Some(&ix) = self.t_ix.get(&t.id) else {
                    continue;
                };
                if self.trainees[ix].id != t.id || ix >= self.trainees.len() {
                    continue;
                }
                let (ranking, issues) = ranking(
                    &t.ranking,
                    &self.v_ix,
                    &self.raw_vacancy_ids,
                    "vacancy",
                    &root.key("trainees").index(i).key("ranking"),
                );
                self.trainees[ix].ranking = ranking;
                self.v.issues.extend(issues);
            }
        }
        {
            for (i, v) in vacancies.iter().enumerate() {
                let Some(v) = v else { continue };
                let Some(&ix) = self.v_ix.get(&v.id) else {
                    continue;
                };
                let (ranking, issues) = ranking(
                    &v.ranking,
                    &self.t_ix,
                    &self.raw_trainee_ids,
                    "trainee",
                    &root.key("vacancies").index(i).key("ranking"),
                );
                self.vacancies[ix].ranking = ranking;
                self.v.issues.extend(issues);
            }
        }
    }
}

/// A ranking of ids resolved to indices, with an issue for each unknown or repeated id.
fn ranking(
    ids: &[String],
    known: &HashMap<String, usize>,
    raw: &HashSet<String>,
    what: &str,
    at: &JsonPath,
) -> (Vec<usize>, Vec<InputIssue>) {
    let mut out = Vec::new();
    let mut issues = Vec::new();
    {
        for (r, id) in ids.iter().enumerate() {
            match known.get(id) {
                // Written but unreadable: its own error says why.
                None if raw.contains(id) => {}
                None => {
                    let issue = InputIssue::new(
                        &format!("unknown_{what}"),
                        &at.index(r),
                        format!("the ranking names {what} \"{id}\", which does not exist"),
                    );
                    let issue = match did_you_mean(id, known.keys().map(String::as_str)) {
                        Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
                        None => issue.hint(format!("remove it or add the {what}")),
                    };
                    issues.push(issue);
                }
                Some(&ix) if out.contains(&ix) => {
                    issues.push(
                        InputIssue::new(
                            "ranked_twice",
                            &at.index(r),
                            format!("\"{id}\" appears twice in this ranking"),
                        )
                        .hint("keep only its best place"),
                    );
                }
                Some(&ix) => out.push(ix),
            }
        }
    }
    (out, issues)
}

impl Builder<'_, '_> {
    fn shares(&mut self, shares: &[Option<GroupShare>], at: &JsonPath) {
        for (i, g) in shares.iter().enumerate() {
            let Some(g) = g else { continue };
            let here = at.index(i);
            let dest = match &g.destination {
                None => None,
                Some(code) => match self.dest_ref(code, &here.key("destination")) {
                    Some(d) => Some(d),
                    None => continue,
                },
            };
            if g.min_share.is_none() && g.max_share.is_none() {
                self.push(
                    InputIssue::new(
                        "share_without_bound",
                        &here,
                        "a group share needs min_share, max_share or both",
                    )
                    .hint("add \"min_share\": 0.18, for example"),
                );
                continue;
            }
            let mut ok = true;
            for (key, val) in [("min_share", g.min_share), ("max_share", g.max_share)] {
                if let Some(x) = val {
                    if !(0.0..=1.0).contains(&x) {
                        self.push(
                            InputIssue::new(
                                "share_out_of_range",
                                &here.key(key),
                                format!("{key} is {x}; shares are fractions from 0 to 1"),
                            )
                            .hint(if x > 1.0 && x <= 100.0 {
                                format!("write {} for {x}%", x / 100.0)
                            } else {
                                "use a number from 0 to 1".to_string()
                            }),
                        );
                        ok = false;
                    }
                }
            }
            if let (Some(lo), Some(hi)) = (g.min_share, g.max_share) {
                if lo > hi {
                    self.push(
                        InputIssue::new(
                            "min_above_max",
                            &here.key("min_share"),
                            format!("min_share {lo} is above max_share {hi}"),
                        )
                        .hint("lower min_share or raise max_share"),
                    );
                    ok = false;
                }
            }
            let known_attr = matches!(g.attribute.as_str(), "gender" | "region")
                || self
                    .trainees
                    .iter()
                    .any(|t| t.attributes.contains_key(&g.attribute));
            if !known_attr && self.trainees_complete {
                self.push(
                    InputIssue::new(
                        "unknown_attribute",
                        &here.key("attribute"),
                        format!("no trainee has the attribute \"{}\"", g.attribute),
                    )
                    .hint("use gender, region, or a key of the trainees' attributes"),
                );
                ok = false;
            }
            if ok {
                self.shares.push(Share {
                    dest,
                    attribute: g.attribute.clone(),
                    value: g.value.clone(),
                    min_share: g.min_share.unwrap_or(0.0),
                    max_share: g.max_share,
                });
            }
        }
    }

    fn pair(&mut self, p: &PairRef, at: &JsonPath) -> Option<(usize, usize)> {
        self.pair_ids(&p.trainee, &p.vacancy, at)
    }

    fn pair_ids(&mut self, trainee: &str, vacancy: &str, at: &JsonPath) -> Option<(usize, usize)> {
        let t = self.t_ix.get(trainee).copied();
        let v = self.v_ix.get(vacancy).copied();
        if t.is_none() && !self.raw_trainee_ids.contains(trainee) {
            let issue = InputIssue::new(
                "unknown_trainee",
                &at.key("trainee"),
                format!("there is no trainee \"{trainee}\""),
            );
            let issue = match did_you_mean(trainee, self.t_ix.keys().map(String::as_str)) {
                Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
                None => issue.hint("check the id against the trainees list"),
            };
            self.push(issue);
        }
        if v.is_none() && !self.raw_vacancy_ids.contains(vacancy) {
            let issue = InputIssue::new(
                "unknown_vacancy",
                &at.key("vacancy"),
                format!("there is no vacancy \"{vacancy}\""),
            );
            let issue = match did_you_mean(vacancy, self.v_ix.keys().map(String::as_str)) {
                Some(s) => issue.hint(format!("did you mean \"{s}\"?")),
                None => issue.hint("check the id against the vacancies list"),
            };
            self.push(issue);
        }
        Some((t?, v?))
    }

    fn overrides(
        &mut self,
        locks: &[Option<PairRef>],
        forbids: &[Option<PairRef>],
        root: &JsonPath,
    ) {
        let mut forbid_at = HashMap::new();
        for (i, f) in forbids.iter().enumerate() {
            let Some(f) = f else { continue };
            let here = root.key("forbids").index(i);
            if let Some(pair) = self.pair(f, &here) {
                if forbid_at.insert(pair, i).is_some() {
                    self.push(
                        InputIssue::new(
                            "duplicate_forbid",
                            &here,
                            format!("{} / {} is forbidden twice", f.trainee, f.vacancy),
                        )
                        .hint("remove one of them"),
                    );
                }
                self.forbids.insert(pair, f.why.clone());
            }
        }
        let mut seen = HashSet::new();
        for (i, l) in locks.iter().enumerate() {
            let Some(l) = l else { continue };
            let here = root.key("locks").index(i);
            let Some(pair) = self.pair(l, &here) else {
                continue;
            };
            if !seen.insert(pair) {
                self.push(
                    InputIssue::new(
                        "duplicate_lock",
                        &here,
                        format!("{} / {} is locked twice", l.trainee, l.vacancy),
                    )
                    .hint("remove one of them"),
                );
                continue;
            }
            if let Some(j) = forbid_at.get(&pair) {
                self.push(
                    InputIssue::new(
                        "lock_and_forbid",
                        &here,
                        format!(
                            "{} / {} is both locked and forbidden (forbids[{j}])",
                            l.trainee, l.vacancy
                        ),
                    )
                    .hint("an override must say one thing: keep the lock or the forbid, not both"),
                );
                continue;
            }
            self.locks.push(Override {
                trainee: pair.0,
                vacancy: pair.1,
                why: l.why.clone(),
            });
        }
    }

    /// Interviews and their outcomes: an acceptance becomes a lock and a
    /// rejection or refusal a forbid (the outcome its reason), each checked
    /// against the officer's own locks and forbids and the positions.
    fn interviews(&mut self, list: &[Option<Interview>], at: &JsonPath) {
        let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
        let mut accepted_by: HashMap<usize, usize> = HashMap::new();
        let mut accepted_at: HashMap<usize, u32> = HashMap::new();
        for (k, i) in list.iter().enumerate() {
            let Some(i) = i else { continue };
            let here = at.index(k);
            let Some((t, v)) = self.pair_ids(&i.trainee, &i.vacancy, &here) else {
                continue;
            };
            if let Some(j) = seen.insert((t, v), k) {
                self.push(
                    InputIssue::new(
                        "duplicate_interview",
                        &here,
                        format!(
                            "{} / {} has two interview outcomes (interviews[{j}] too)",
                            i.trainee, i.vacancy
                        ),
                    )
                    .hint("keep one row per pair, with the latest outcome"),
                );
                continue;
            }
            let why = interview_reason(i);
            let locked = self.locks.iter().any(|l| (l.trainee, l.vacancy) == (t, v));
            match i.outcome {
                InterviewOutcome::Accepted => {
                    if let Some(j) = accepted_by.insert(t, k) {
                        self.push(
                            InputIssue::new(
                                "two_acceptances",
                                &here.key("outcome"),
                                format!(
                                    "{} accepted two positions: {} here and {} in interviews[{j}]",
                                    i.trainee,
                                    i.vacancy,
                                    list[j].as_ref().map_or("", |x| x.vacancy.as_str())
                                ),
                            )
                            .hint("a trainee takes one position: set the other outcome to declined_by_trainee"),
                        );
                        continue;
                    }
                    if self.forbids.contains_key(&(t, v)) {
                        self.push(
                            InputIssue::new(
                                "interview_and_forbid",
                                &here.key("outcome"),
                                format!(
                                    "{} / {} is accepted but also forbidden",
                                    i.trainee, i.vacancy
                                ),
                            )
                            .hint("remove the forbid, or change the outcome"),
                        );
                        continue;
                    }
                    let count = accepted_at.entry(v).or_default();
                    *count += 1;
                    let positions = self.vacancies[v].positions;
                    if *count > positions {
                        self.push(
                            InputIssue::new(
                                "more_accepted_than_positions",
                                &here.key("outcome"),
                                format!(
                                    "{} has {positions} position{} but {count} accepted trainees",
                                    i.vacancy,
                                    if positions == 1 { "" } else { "s" }
                                ),
                            )
                            .hint("give the vacancy more positions, or change one outcome"),
                        );
                        continue;
                    }
                    if !locked {
                        self.locks.push(Override {
                            trainee: t,
                            vacancy: v,
                            why: Some(why),
                        });
                    }
                }
                outcome if outcome.forbids() => {
                    if locked {
                        self.push(
                            InputIssue::new(
                                "interview_and_lock",
                                &here.key("outcome"),
                                format!(
                                    "{} / {} is {} but also locked",
                                    i.trainee,
                                    i.vacancy,
                                    outcome.as_str()
                                ),
                            )
                            .hint("remove the lock, or change the outcome"),
                        );
                        continue;
                    }
                    self.forbids.entry((t, v)).or_insert(Some(why));
                }
                _ => {}
            }
            self.interviews.push(InterviewData {
                trainee: t,
                vacancy: v,
                outcome: i.outcome,
                date: i.date,
                note: i.note.clone(),
            });
        }
    }

    fn pair_scores(&mut self, scores: &[Option<PairScore>], at: &JsonPath) {
        for (i, s) in scores.iter().enumerate() {
            let Some(s) = s else { continue };
            let here = at.index(i);
            let Some(pair) = self.pair_ids(&s.trainee, &s.vacancy, &here) else {
                continue;
            };
            if !s.score.is_finite() {
                self.push(InputIssue::new(
                    "bad_score",
                    &here.key("score"),
                    format!("score {} is not a finite number", s.score),
                ));
                continue;
            }
            if !self.v.in_range(
                "the pair score",
                s.score,
                -limits::MAX_WEIGHT,
                limits::MAX_WEIGHT,
                "",
                &here.key("score"),
            ) {
                continue;
            }
            if self.pair_scores.insert(pair, s.score).is_some() {
                self.push(
                    InputIssue::new(
                        "duplicate_pair_score",
                        &here,
                        format!("{} / {} is scored twice", s.trainee, s.vacancy),
                    )
                    .hint("keep one score per pair"),
                );
            }
        }
    }

    fn objective(&mut self, o: Objective, at: &JsonPath) {
        if o.priorities.is_empty() {
            self.push(
                InputIssue::new(
                    "no_priorities",
                    &at.key("priorities"),
                    "the objective needs at least one priority",
                )
                .hint("use [\"placements\", \"score\"]"),
            );
        }
        let distinct: HashSet<_> = o.priorities.iter().collect();
        if distinct.len() != o.priorities.len() {
            self.push(
                InputIssue::new(
                    "duplicate_priority",
                    &at.key("priorities"),
                    "a priority is listed twice",
                )
                .hint("list each of placements and score at most once"),
            );
        }
        for (name, w) in [
            ("fit", o.weights.fit),
            ("trainee_preference", o.weights.trainee_preference),
            ("employer_preference", o.weights.employer_preference),
        ] {
            if w < 0.0 || !w.is_finite() {
                self.push(InputIssue::new(
                    "negative_weight",
                    &at.key("weights").key(name),
                    format!("weight {name} is {w}; weights are 0 or more"),
                ));
            } else {
                self.v.in_range(
                    &format!("weight {name}"),
                    w,
                    0.0,
                    limits::MAX_WEIGHT,
                    "",
                    &at.key("weights").key(name),
                );
            }
        }
        self.priorities = o.priorities;
        self.weights = o.weights;
    }

    fn finish(
        self,
        name: String,
        max_per_employer: Option<u32>,
        pair_scores_only: bool,
    ) -> Problem {
        let trainee_rank = self
            .trainees
            .iter()
            .map(|t| {
                t.ranking
                    .iter()
                    .enumerate()
                    .map(|(r, &v)| (v, r + 1))
                    .collect()
            })
            .collect();
        let vacancy_rank = self
            .vacancies
            .iter()
            .map(|v| {
                v.ranking
                    .iter()
                    .enumerate()
                    .map(|(r, &t)| (t, r + 1))
                    .collect()
            })
            .collect();
        let trainees: Vec<Arc<TraineeData>> = self.trainees.into_iter().map(Arc::new).collect();
        Problem {
            ids: Ids::of(&trainees, &self.vacancies),
            name,
            model: self.model,
            skills: self.skills,
            destinations: self.dests,
            trainees: Arc::new(trainees),
            vacancies: self.vacancies,
            employer_caps: vec![max_per_employer; self.employers.len()],
            employers: self.employers,
            shares: self.shares,
            max_per_employer,
            locks: self.locks,
            forbids: self.forbids,
            interviews: self.interviews,
            priorities: self.priorities,
            weights: self.weights,
            pair_scores: self.pair_scores,
            pair_scores_only,
            trainee_rank: Arc::new(trainee_rank),
            vacancy_rank: Arc::new(vacancy_rank),
            input_sha256: String::new(),
        }
    }
}

/// Each element of `list` (when it is a list) deserialized without its
/// path, `None` where that fails: no issue is recorded, so this may run on
/// another thread, before [`Validator::list_each_read`] records them.
fn plain_each<T: DeserializeOwned>(list: Option<&Value>) -> Vec<Option<T>> {
    match list {
        Some(Value::Array(items)) => items.iter().map(plain).collect(),
        _ => Vec::new(),
    }
}

/// `value` deserialized without tracking its path, `None` where that fails.
fn plain<T: DeserializeOwned>(value: &Value) -> Option<T> {
    serde::Deserialize::deserialize(value).ok()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn between_backticks(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.strip_prefix(prefix)?;
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    Some(rest[start..end].to_string())
}

/// The closest known name, when it is close enough to be a likely typo.
pub fn did_you_mean<'s>(word: &str, known: impl Iterator<Item = &'s str>) -> Option<&'s str> {
    known
        .map(|k| {
            (
                strsim::damerau_levenshtein(&word.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len())
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The validated destination: defaults filled in, blackouts sorted by their first day.
fn dest(code: &str, d: &Destination) -> Dest {
    let mut blackouts: Vec<BlackoutPeriod> = d
        .blackouts
        .iter()
        .map(|b| BlackoutPeriod {
            from: b.from,
            to: b.to,
            why: b.why.clone(),
        })
        .collect();
    blackouts.sort_by_key(|b| (b.from, b.to));
    Dest {
        code: code.to_string(),
        label: d.label.clone().unwrap_or_else(|| code.to_string()),
        min: d.min.unwrap_or(0),
        max: d.max,
        permit_days: d.permit_days.unwrap_or(0),
        permit_distribution: d.permit_days_distribution.clone(),
        floors: d
            .salary_floor
            .iter()
            .map(|r| FloorRow {
                under_age: r.under_age,
                annual: r.annual,
            })
            .collect(),
        earliest: d.start_window.as_ref().and_then(|w| w.earliest),
        latest: d.start_window.as_ref().and_then(|w| w.latest),
        blackouts,
        currency: d.currency.clone(),
    }
}

/// An interview's outcome in the officer's words, as the reason of the lock
/// or forbid it makes: "declined by the trainee after the interview on
/// 2020-03-02 (prefers Rabat)".
fn interview_reason(i: &Interview) -> String {
    let what = match i.outcome {
        InterviewOutcome::Pending => "interview pending",
        InterviewOutcome::Offer => "offered after the interview",
        InterviewOutcome::Accepted => "accepted after the interview",
        InterviewOutcome::RejectedByEmployer => "rejected by the employer after the interview",
        InterviewOutcome::DeclinedByTrainee => "declined by the trainee after the interview",
    };
    let mut out = what.to_string();
    if let Some(d) = i.date {
        out.push_str(&format!(" on {d}"));
    }
    if let Some(n) = i.note.as_deref().filter(|n| !n.trim().is_empty()) {
        out.push_str(&format!(" ({})", n.trim()));
    }
    out
}
