//! The skills report: which missing skill levels exclude the most pairs, and
//! what a training module raising one skill by one level would open up.
//!
//! Both come from one census of every trainee × vacancy pair (80 million at
//! national size), trainees in chunks on every core: the pairs each skill's
//! gap excludes, and the pairs a module would make eligible, which are
//! exactly those whose one failing rule is one gap that the module closes
//! (a higher level breaks no other rule). Before, each of the dozens of
//! possible modules built the eligibility graph of its changed scenario
//! anew, and the exclusions asked every pair for its rules' messages: at
//! national size that was minutes, with no deadline. Only the modules the
//! report re-solves get their changed scenario.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::{skills_bit, trainee_chunks, Context};
use crate::documents::explanation::{Module, SkillExclusion, SkillsReport};
use crate::documents::match_set::ResultStatus;
use crate::eligibility::{requirement_groups, Eligibility};
use crate::model::problem::{DestIx, Problem, TraineeIx, VacancyIx};
use crate::rules;
use crate::solve::optimize::{self, SolveOptions};
use crate::words;
use crate::PalimError;

/// The modules a report re-solves: those making the most trainees newly
/// eligible.
const MODULES_SHOWN: usize = 8;

pub fn skills(cx: &Context) -> Result<SkillsReport, PalimError> {
    let Some(census) = census(cx.p, &cx.e, cx.deadline) else {
        cx.not_counted(
            "the pairs each missing skill level rules out, and the modules that would open vacancies, were not counted",
        );
        return Ok(SkillsReport {
            unfinished: None,
            exclusions: Vec::new(),
            modules: Vec::new(),
        });
    };
    let exclusions = census.exclusions(cx.p);
    let candidates = census.candidates(cx.p);
    // Each module is its own solve of a changed scenario: on every core,
    // the report in the candidates' order whichever finished first.
    let (p, deadline, placed) = (cx.p, cx.deadline, cx.set.objective.placements);
    let threads = optimize::threads();
    let solved = optimize::in_parallel(&candidates, threads, |c| match optimize::past(deadline) {
        true => Ok(None),
        false => module(p, placed, deadline, c),
    });
    let mut modules = Vec::new();
    for m in solved {
        match m? {
            Some(m) => modules.push(m),
            None => cx.skip(),
        }
    }
    Ok(SkillsReport {
        unfinished: None,
        exclusions,
        modules,
    })
}

/// What the census found, summed over its chunks.
struct Census {
    /// (pairs its gap excludes, pairs it alone excludes) per skill, by its
    /// index: added to for every pair with a gap.
    excluded: Vec<(usize, usize)>,
    /// Per module (skill, level it starts from): what it opens.
    opens: BTreeMap<(usize, i64), Opens>,
}

/// What one module opens.
#[derive(Default)]
struct Opens {
    /// Trainees newly eligible for a destination they had no vacancy in.
    newly: BTreeMap<DestIx, usize>,
    /// Vacancies that gain an eligible trainee.
    gaining: BTreeSet<VacancyIx>,
}

impl Census {
    fn new(p: &Problem) -> Census {
        Census {
            excluded: vec![(0, 0); p.skills.len()],
            opens: BTreeMap::new(),
        }
    }

    fn add(mut self, other: Census) -> Census {
        for (mine, (pairs, only)) in self.excluded.iter_mut().zip(other.excluded) {
            mine.0 += pairs;
            mine.1 += only;
        }
        for (key, o) in other.opens {
            let mine = self.opens.entry(key).or_default();
            for (d, n) in o.newly {
                *mine.newly.entry(d).or_default() += n;
            }
            mine.gaining.extend(o.gaining);
        }
        self
    }

    /// The skills whose gaps exclude any pair, by how many, most first.
    fn exclusions(&self, p: &Problem) -> Vec<SkillExclusion> {
        let mut out: Vec<SkillExclusion> = (self.excluded.iter().enumerate())
            .filter(|(_, &(pairs, _))| pairs > 0)
            .map(|(s, &(pairs, only_reason))| SkillExclusion {
                skill: p.skills[s].name.clone(),
                pairs,
                only_reason,
            })
            .collect();
        out.sort_by(|a, b| b.pairs.cmp(&a.pairs).then(a.skill.cmp(&b.skill)));
        out
    }

    /// The modules that make anyone newly eligible somewhere, those making
    /// the most first, at most [`MODULES_SHOWN`].
    fn candidates(&self, p: &Problem) -> Vec<Candidate> {
        let code = |d: DestIx| p.destinations[d].code.clone();
        let mut out: Vec<Candidate> = (self.opens.iter())
            .filter(|(_, o)| !o.newly.is_empty())
            .map(|(&(skill, from), o)| Candidate {
                skill,
                from,
                trainees: takers(p, skill, from).len(),
                newly: o.newly.iter().map(|(&d, &n)| (code(d), n)).collect(),
                vacancies: (o.newly.keys())
                    .map(|&d| {
                        let gained = o.gaining.iter().filter(|&&v| p.vacancies[v].dest == d);
                        (code(d), gained.count())
                    })
                    .collect(),
            })
            .collect();
        out.sort_by(|a, b| {
            let opened = |c: &Candidate| c.newly.values().sum::<usize>();
            (opened(b).cmp(&opened(a))).then((a.skill, a.from).cmp(&(b.skill, b.from)))
        });
        out.truncate(MODULES_SHOWN);
        out
    }
}

/// Every pair's skill gaps, counted, and the pairs each module would make
/// eligible (`e`: the pairs eligible now). `None` when `deadline` came
/// before every pair was counted.
fn census(p: &Problem, e: &Eligibility, deadline: Option<Instant>) -> Option<Census> {
    let skills_bit = skills_bit();
    // A module raises a skill from a level below the highest any vacancy asks.
    let mut top: Vec<Option<i64>> = vec![None; p.skills.len()];
    for v in &p.vacancies {
        for &(s, need) in &v.requires {
            top[s] = top[s].max(Some(need as i64));
        }
    }
    let groups = requirement_groups(p, 0..p.vacancies.len());
    let chunks = trainee_chunks(p);
    let counted = optimize::in_parallel(&chunks, optimize::threads(), |ts| {
        if optimize::past(deadline) {
            return None;
        }
        let mut census = Census::new(p);
        for t in ts.clone() {
            let levels = &p.trainees[t].levels;
            let before: BTreeSet<DestIx> = (e.of_trainee(t))
                .map(|i| p.vacancies[e.pairs[i].v].dest)
                .collect();
            // The destinations this trainee is newly eligible for, by module.
            let mut newly: BTreeMap<(usize, i64), BTreeSet<DestIx>> = BTreeMap::new();
            for g in &groups {
                let gaps: Vec<(usize, f64)> = (g.requires.iter())
                    .filter(|&&(s, need)| levels[s] < need)
                    .copied()
                    .collect();
                if gaps.is_empty() {
                    continue;
                }
                // The module that closes the group's one gap, if one does:
                // it then opens each of its vacancies no other rule shuts.
                let module = match gaps[..] {
                    [(s, need)] => {
                        let from = levels[s] as i64;
                        let lowest = p.skills[s].scale.min as i64;
                        let closes = (from + 1) as f64 >= need && from >= lowest;
                        (closes && Some(from) < top[s]).then_some((s, from))
                    }
                    _ => None,
                };
                for &v in &g.vacancies {
                    let alone = rules::failing_bits_except(p, t, v, skills_bit) == 0;
                    for &(s, _) in &gaps {
                        census.excluded[s].0 += 1;
                        census.excluded[s].1 += usize::from(alone && gaps.len() == 1);
                    }
                    let Some(key) = module.filter(|_| alone) else {
                        continue;
                    };
                    census.opens.entry(key).or_default().gaining.insert(v);
                    let d = p.vacancies[v].dest;
                    if !before.contains(&d) {
                        newly.entry(key).or_default().insert(d);
                    }
                }
            }
            for (key, dests) in newly {
                let opens = census.opens.entry(key).or_default();
                for d in dests {
                    *opens.newly.entry(d).or_default() += 1;
                }
            }
        }
        Some(census)
    });
    let counted: Vec<Census> = counted.into_iter().collect::<Option<_>>()?;
    Some(counted.into_iter().fold(Census::new(p), Census::add))
}

/// The trainees at `from` in skill `s`, who would take its module.
fn takers(p: &Problem, s: usize, from: i64) -> Vec<TraineeIx> {
    (0..p.trainees.len())
        .filter(|&t| p.trainees[t].levels[s] as i64 == from)
        .collect()
}

/// A bridging module that raises a skill one level for every trainee at
/// `from`, and whom it makes eligible where (by destination code).
struct Candidate {
    skill: usize,
    from: i64,
    trainees: usize,
    newly: BTreeMap<String, usize>,
    vacancies: BTreeMap<String, usize>,
}

/// A module re-solved by `deadline`: what it does to the `placed`
/// placements of the match set. `None` when the re-solve did not finish.
fn module(
    p: &Problem,
    placed: usize,
    deadline: Option<Instant>,
    c: &Candidate,
) -> Result<Option<Module>, PalimError> {
    let (s, from) = (c.skill, c.from);
    let mut q = p.clone();
    for t in takers(p, s, from) {
        q.trainee_mut(t).levels[s] = (from + 1) as f64;
    }
    let e = Eligibility::build(&q);
    let opts = SolveOptions {
        deadline,
        ..SolveOptions::default()
    };
    let set = match crate::solve_with(&q, &e, &opts) {
        Ok(set) if set.status != ResultStatus::TimeLimit => set,
        Ok(_) | Err(PalimError::NoSolutionInTime) => return Ok(None),
        Err(e) => return Err(e),
    };
    let info = &p.skills[s];
    let parts: Vec<String> = (c.newly.iter())
        .map(|(d, k)| {
            let label = (p.destinations.iter())
                .find(|x| x.code == *d)
                .map_or(d.as_str(), |x| x.label.as_str());
            format!(
                "{k} more of them eligible for {} in {label}",
                words::count(c.vacancies[d], "vacancy", "vacancies")
            )
        })
        .collect();
    let delta = set.objective.placements as i64 - placed as i64;
    Ok(Some(Module {
        skill: info.name.clone(),
        from: from as f64,
        to: (from + 1) as f64,
        trainees: c.trainees,
        summary: format!(
            "{} {}→{} for {} would make {}; placements {} ({} → {}).",
            info.name,
            info.scale.describe(from as f64),
            info.scale.describe((from + 1) as f64),
            words::count(c.trainees, "trainee", "trainees"),
            parts.join(" and "),
            words::signed(delta),
            placed,
            set.objective.placements
        ),
        newly_eligible: c.newly.clone(),
        vacancies: c.vacancies.clone(),
        placements_after: set.objective.placements,
    }))
}
