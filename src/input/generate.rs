//! A seeded generator of synthetic scenarios in the shape of the PALIM pilot.
//!
//! The bundled baseline (`scenarios/palim-2020/baseline.json`) is its output
//! for `--preset palim --seed 2020`, so larger instances follow the same
//! distributions. Everything is drawn from one ChaCha stream, so a seed gives
//! the same file on every machine. Names of employers are invented; no person
//! or company in the output is real.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::scenario::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Preset {
    /// The PALIM pilot: 120 trainees, about 20 Flemish vacancies (30 positions)
    /// and 40 Moroccan ones, the 90/30 split.
    Palim,
    /// 1,000 trainees × 400 vacancies.
    Medium,
    /// 10,000 trainees × 8,000 vacancies.
    Large,
}

/// The knobs of the generator.
#[derive(Debug, Clone)]
pub struct Params {
    pub name: String,
    pub trainees: usize,
    pub vacancies: usize,
    /// Share of vacancies in Flanders.
    pub be_fraction: f64,
    pub women: f64,
    pub permit_days: u32,
    /// Flemish / Moroccan quota as a share of the trainees (30 and 90 of 120).
    pub be_quota: f64,
    pub ma_quota: f64,
    pub women_share_be: f64,
    pub max_per_employer: u32,
    /// Vacancies per employer, on average.
    pub vacancies_per_employer: f64,
    /// National shape: one destination per Flemish province and Moroccan
    /// region (each with a quota of half its seats), trainees who accept their
    /// home region and a few others, and specialist skills — so eligibility is
    /// sparse (about 50 pairs per trainee) as in a public employment service's
    /// matching, not every trainee for every vacancy.
    pub regional: bool,
}

impl Preset {
    pub fn params(self) -> Params {
        let palim = Params {
            name: "PALIM 2020 baseline (synthetic)".to_string(),
            trainees: 120,
            vacancies: 60,
            be_fraction: 1.0 / 3.0,
            women: 22.0 / 120.0,
            permit_days: 100,
            be_quota: 0.25,
            ma_quota: 0.75,
            women_share_be: 0.18,
            max_per_employer: 4,
            vacancies_per_employer: 1.5,
            regional: false,
        };
        match self {
            Preset::Palim => palim,
            Preset::Medium => Params {
                name: "medium (synthetic, 1,000 × 400)".into(),
                trainees: 1000,
                vacancies: 400,
                max_per_employer: 8,
                ..palim
            },
            Preset::Large => Params {
                name: "large (synthetic, 10,000 × 8,000, regional)".into(),
                trainees: 10_000,
                vacancies: 8_000,
                be_fraction: 0.25,
                women: 0.25,
                women_share_be: 0.25,
                max_per_employer: 6,
                vacancies_per_employer: 3.0,
                regional: true,
                ..palim
            },
        }
    }
}

/// Morocco's twelve regions: (name, code, weight roughly by population).
const MA_REGIONS: &[(&str, &str, u32)] = &[
    ("Casablanca-Settat", "CAS", 20),
    ("Rabat-Salé-Kénitra", "RAB", 13),
    ("Fès-Meknès", "FES", 12),
    ("Marrakech-Safi", "MAR", 13),
    ("Tanger-Tétouan-Al Hoceïma", "TAN", 11),
    ("Souss-Massa", "SOU", 8),
    ("Oriental", "ORI", 7),
    ("Béni Mellal-Khénifra", "BEN", 7),
    ("Drâa-Tafilalet", "DRA", 5),
    ("Guelmim-Oued Noun", "GUE", 2),
    ("Laâyoune-Sakia El Hamra", "LAA", 1),
    ("Dakhla-Oued Ed-Dahab", "DAK", 1),
];

const MA_CITIES: &[(&str, &str, u32)] = &[
    ("Casablanca", "Casablanca-Settat", 8),
    ("Rabat", "Rabat-Salé-Kénitra", 5),
    ("Fès", "Fès-Meknès", 2),
    ("Tangier", "Tanger-Tétouan-Al Hoceïma", 2),
    ("Tétouan", "Tanger-Tétouan-Al Hoceïma", 1),
    ("Oujda", "Oriental", 1),
    ("Marrakech", "Marrakech-Safi", 1),
];

const BE_EMPLOYER_WORDS: &[&str] = &[
    "Brugse",
    "Kortrijkse",
    "Gentse",
    "Roeselaarse",
    "Oostendse",
    "Aalsterse",
    "Ieperse",
    "Waregemse",
    "Eeklose",
    "Lokerse",
    "Tieltse",
    "Deinse",
    "Zottegemse",
    "Poperingse",
];
const BE_EMPLOYER_KINDS: &[&str] = &[
    "Software NV",
    "Digital BV",
    "Codefabriek NV",
    "IT Solutions BV",
    "Data NV",
    "Systems BV",
];
const MA_EMPLOYER_WORDS: &[&str] = &[
    "Atlas",
    "Zellige",
    "Argan",
    "Medina",
    "Kasbah",
    "Sahara",
    "Rif",
    "Oasis",
    "Andalus",
    "Saffron",
    "Cedre",
    "Marina",
    "Majorelle",
    "Bouregreg",
    "Anfa",
    "Agdal",
    "Hay Riad",
    "Souissi",
    "Corniche",
    "Palmeraie",
];
const MA_EMPLOYER_KINDS: &[&str] = &[
    "Nearshore SARL",
    "Digital SA",
    "Tech SARL",
    "Software Services SA",
    "IT Consulting SARL",
];

/// Skill ranges of a cohort that has just finished the same course.
const COHORT: &[(&str, u32, u32)] = &[
    ("java", 2, 4),
    ("oop", 2, 4),
    ("sql", 1, 4),
    ("spring", 0, 3),
    ("rest", 1, 3),
    ("git", 1, 4),
    ("testing", 0, 3),
    ("maven", 0, 3),
    ("agile", 1, 3),
    ("softskills", 1, 4),
    ("english", 2, 5),
    ("dutch", 0, 2),
    ("french", 3, 6),
];

fn date(s: &str) -> NaiveDate {
    s.parse().expect("generator dates are valid")
}

fn weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut x = rng.gen_range(0..total);
    for item in items {
        let w = weight(item);
        if x < w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1]
}

/// Flanders' floor for a work permit (2020): a lower one under 30.
fn flemish_salary_floor() -> Vec<SalaryFloorRow> {
    vec![
        SalaryFloorRow {
            under_age: Some(30),
            annual: 34156.80,
        },
        SalaryFloorRow {
            under_age: None,
            annual: 42696.0,
        },
    ]
}

fn level(n: u32) -> Level {
    Level::Number(f64::from(n))
}

/// Generate a scenario.
pub fn generate(k: &Params, seed: u64) -> Scenario {
    if k.regional {
        return generate_regional(k, seed);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_be = ((k.vacancies as f64) * k.be_fraction).round() as usize;
    let n_ma = k.vacancies - n_be;
    let n_be_emp = ((n_be as f64) / k.vacancies_per_employer).ceil().max(1.0) as usize;
    let n_ma_emp = ((n_ma as f64) / k.vacancies_per_employer).ceil().max(1.0) as usize;
    let be_employers = employer_names(&mut rng, n_be_emp, BE_EMPLOYER_WORDS, BE_EMPLOYER_KINDS);
    let ma_employers = employer_names(&mut rng, n_ma_emp, MA_EMPLOYER_WORDS, MA_EMPLOYER_KINDS);

    let width_v = (n_be.max(n_ma)).to_string().len().max(2);
    let mut vacancies = Vec::with_capacity(k.vacancies);
    for i in 0..n_be {
        let id = format!("BE-{:0width_v$}", i + 1);
        let employer = be_employers[i * n_be_emp / n_be.max(1)].clone();
        vacancies.push(flemish_vacancy(&mut rng, id, employer));
    }
    for i in 0..n_ma {
        let id = format!("MA-{:0width_v$}", i + 1);
        let employer = ma_employers[i * n_ma_emp / n_ma.max(1)].clone();
        vacancies.push(moroccan_vacancy(&mut rng, id, employer));
    }

    let n_women = (k.trainees as f64 * k.women).round() as usize;
    let mut women: Vec<bool> = (0..k.trainees).map(|i| i < n_women).collect();
    women.shuffle(&mut rng);
    let mut regions: Vec<&str> = (0..k.trainees)
        .map(|i| {
            if i < MA_REGIONS.len() {
                MA_REGIONS[i].0
            } else {
                weighted(&mut rng, MA_REGIONS, |r| r.2).0
            }
        })
        .collect();
    regions.shuffle(&mut rng);
    let width_t = k.trainees.to_string().len().max(3);
    let ids_in = |code: &str| -> Vec<String> {
        vacancies
            .iter()
            .filter(|v| v.destination == code)
            .map(|v| v.id.clone())
            .collect()
    };
    let rankable = Rankable {
        be: ids_in("BE"),
        ma: ids_in("MA"),
    };
    let trainees: Vec<Trainee> = women
        .iter()
        .zip(&regions)
        .enumerate()
        .map(|(i, (&woman, &region))| {
            let id = format!("T{:0width_t$}", i + 1);
            cohort_trainee(&mut rng, i, id, woman, region, &rankable)
        })
        .collect();
    // A third of employers rank a few trainees they met at the info sessions.
    let ids: Vec<String> = trainees.iter().map(|t| t.id.clone()).collect();
    for v in &mut vacancies {
        if rng.gen_bool(0.33) {
            let n = rng.gen_range(2..=5).min(ids.len());
            v.ranking = ids.choose_multiple(&mut rng, n).cloned().collect();
        }
    }
    let women_share = GroupShare {
        destination: Some("BE".into()),
        attribute: "gender".into(),
        value: serde_json::Value::String("F".into()),
        min_share: Some(k.women_share_be),
        max_share: None,
    };
    assemble(
        k,
        palim_destinations(k),
        vec![women_share],
        trainees,
        vacancies,
    )
}

/// The scenario document around what was drawn: the parts every preset shares.
fn assemble(
    k: &Params,
    destinations: BTreeMap<String, Destination>,
    group_shares: Vec<GroupShare>,
    trainees: Vec<Trainee>,
    vacancies: Vec<Vacancy>,
) -> Scenario {
    Scenario {
        format: SCENARIO_FORMAT.to_string(),
        name: Some(k.name.clone()),
        model: ModelRef::Named("junior-java-developer".into()),
        destinations,
        group_shares,
        max_per_employer: Some(k.max_per_employer),
        locks: Vec::new(),
        forbids: Vec::new(),
        interviews: Vec::new(),
        objective: Objective::default(),
        pair_scores: Vec::new(),
        pair_scores_only: false,
        trainees,
        vacancies,
    }
}

/// Flanders with its permit, floors and window, and Morocco: the pilot's two
/// destinations, each with a quota of the cohort.
fn palim_destinations(k: &Params) -> BTreeMap<String, Destination> {
    let mut destinations = BTreeMap::new();
    destinations.insert(
        "BE".to_string(),
        Destination {
            label: Some("Flanders, Belgium".into()),
            min: Some(0),
            max: Some((k.trainees as f64 * k.be_quota).round() as u32),
            permit_days: Some(k.permit_days),
            permit_days_distribution: None,
            salary_floor: flemish_salary_floor(),
            start_window: Some(Window {
                earliest: Some(date("2020-04-01")),
                latest: Some(date("2020-06-30")),
            }),
            blackouts: Vec::new(),
            currency: Some("EUR".into()),
        },
    );
    destinations.insert(
        "MA".to_string(),
        Destination {
            label: Some("Morocco".into()),
            min: Some(0),
            max: Some((k.trainees as f64 * k.ma_quota).round() as u32),
            start_window: Some(Window {
                earliest: Some(date("2020-04-15")),
                latest: Some(date("2020-09-30")),
            }),
            currency: Some("MAD".into()),
            ..Destination::default()
        },
    );
    destinations
}

/// `n` invented employer names (a place word and a company form), shuffled;
/// past every combination, a number tells them apart.
fn employer_names(rng: &mut ChaCha8Rng, n: usize, words: &[&str], kinds: &[&str]) -> Vec<String> {
    let mut combos: Vec<String> = words
        .iter()
        .flat_map(|w| kinds.iter().map(move |k| format!("{w} {k}")))
        .collect();
    combos.shuffle(rng);
    (0..n)
        .map(|i| match i / combos.len() {
            0 => combos[i].clone(),
            round => format!("{} {}", combos[i % combos.len()], round + 1),
        })
        .collect()
}

/// A Flemish vacancy of the pilot: Java and English, sometimes Dutch or a
/// speciality, a Q2 window and starter pay at the under-30 floor.
fn flemish_vacancy(rng: &mut ChaCha8Rng, id: String, employer: String) -> Vacancy {
    let mut requires = BTreeMap::new();
    requires.insert(
        "java".to_string(),
        level(*[2, 2, 3].choose(rng).unwrap_or(&2)),
    );
    requires.insert("english".to_string(), level(rng.gen_range(3..=4)));
    if rng.gen_bool(0.25) {
        requires.insert("dutch".to_string(), level(rng.gen_range(1..=2)));
    }
    if rng.gen_bool(0.3) {
        let s = *["spring", "sql", "testing", "git"]
            .choose(rng)
            .unwrap_or(&"sql");
        requires.insert(s.to_string(), level(2));
    }
    let earliest = *["2020-04-01", "2020-04-15", "2020-05-01"]
        .choose(rng)
        .unwrap_or(&"2020-04-01");
    let latest = *["2020-06-30", "2020-06-30", "2020-06-15"]
        .choose(rng)
        .unwrap_or(&"2020-06-30");
    // Starter pay sits right at the under-30 floor; a few pay the general floor.
    let salary = if rng.gen_bool(0.1) {
        f64::from(rng.gen_range(43..=46) * 1000)
    } else {
        f64::from(rng.gen_range(336..=400) * 100)
    };
    Vacancy {
        id,
        employer: Some(employer),
        title: Some("Junior Java developer".into()),
        destination: "BE".into(),
        region: Some(
            if rng.gen_bool(0.5) {
                "West-Vlaanderen"
            } else {
                "Oost-Vlaanderen"
            }
            .into(),
        ),
        positions: *[1, 1, 1, 2, 2, 3].choose(rng).unwrap_or(&1),
        requires,
        values: values(
            rng,
            &["spring", "sql", "testing", "rest", "git", "maven", "dutch"],
        ),
        start_window: Some(Window {
            earliest: Some(date(earliest)),
            latest: Some(date(latest)),
        }),
        salary: Some(salary),
        ranking: Vec::new(),
    }
}

/// A Moroccan vacancy of the pilot: Java, sometimes French or a speciality,
/// in a city drawn by its weight, paid in dirham.
fn moroccan_vacancy(rng: &mut ChaCha8Rng, id: String, employer: String) -> Vacancy {
    let (city, _, _) = *weighted(rng, MA_CITIES, |c| c.2);
    let mut requires = BTreeMap::new();
    requires.insert(
        "java".to_string(),
        level(*[2, 2, 3].choose(rng).unwrap_or(&2)),
    );
    if rng.gen_bool(0.4) {
        requires.insert("french".to_string(), level(4));
    }
    if rng.gen_bool(0.3) {
        let s = *["spring", "sql", "testing", "git"]
            .choose(rng)
            .unwrap_or(&"sql");
        requires.insert(s.to_string(), level(2));
    }
    Vacancy {
        id,
        employer: Some(employer),
        title: Some(format!("Junior Java developer, {city}")),
        destination: "MA".into(),
        region: Some(city.to_string()),
        positions: *[1, 2, 2, 3, 3, 4].choose(rng).unwrap_or(&2),
        requires,
        values: values(
            rng,
            &["spring", "sql", "testing", "rest", "git", "maven", "french"],
        ),
        start_window: None,
        salary: Some(f64::from(rng.gen_range(72..=120) * 1000)),
        ranking: Vec::new(),
    }
}

/// The vacancies a trainee of the pilot may rank, by destination.
struct Rankable {
    be: Vec<String>,
    ma: Vec<String>,
}

/// A trainee of the pilot's cohort: levels from the course's ranges, the
/// destinations they accept, a birth date (a few turn 30 in the window),
/// availability, documents, and a short ranking of vacancies.
fn cohort_trainee(
    rng: &mut ChaCha8Rng,
    i: usize,
    id: String,
    woman: bool,
    region: &str,
    rankable: &Rankable,
) -> Trainee {
    let mut skills = BTreeMap::new();
    for &(s, lo, hi) in COHORT {
        let x = rng.gen_range(lo..=hi);
        if x > 0 {
            skills.insert(s.to_string(), level(x));
        }
    }
    let accepts: Vec<String> = match rng.gen_range(0..20) {
        0 => vec!["BE".into()],
        1..=4 => vec!["MA".into()],
        _ => vec!["BE".into(), "MA".into()],
    };
    let birth = if rng.gen_bool(0.08) {
        // turns 30 around the Flemish start window
        date("1990-03-15") + Duration::days(rng.gen_range(0..=120))
    } else {
        date("2020-04-01") - Duration::days(rng.gen_range(22 * 365 + 6..=35 * 365 + 8))
    };
    let late = if rng.gen_bool(0.15) { 60 } else { 0 };
    let available = date("2020-04-13") + Duration::days(rng.gen_range(-3..=10) + late);
    let documents = if rng.gen_bool(0.05) {
        None
    } else {
        Some(date("2020-01-06") + Duration::days(rng.gen_range(0..=120)))
    };
    let ranking = trainee_ranking(rng, &accepts, rankable);
    Trainee {
        id,
        gender: Some(if woman { "F" } else { "M" }.into()),
        birth_date: Some(birth),
        region: Some(region.to_string()),
        skills,
        destinations: accepts,
        available_from: available,
        documents_ready: documents,
        ranking,
        attributes: cohort(i),
    }
}

/// Two to five vacancies in the destinations a trainee accepts, Flemish ones
/// more often.
fn trainee_ranking(rng: &mut ChaCha8Rng, accepts: &[String], rankable: &Rankable) -> Vec<String> {
    let mut ranking = Vec::new();
    // No more than the vacancies the trainee could rank: a small scenario
    // has fewer than five, and the draw below would never end.
    let possible = match accepts {
        [only] if only == "BE" => rankable.be.len(),
        [only] if only == "MA" => rankable.ma.len(),
        _ => rankable.be.len() + rankable.ma.len(),
    };
    let wanted = rng.gen_range(2..=5).min(possible);
    while ranking.len() < wanted {
        let pool =
            if accepts.contains(&"BE".to_string()) && (accepts.len() == 1 || rng.gen_bool(0.6)) {
                &rankable.be
            } else {
                &rankable.ma
            };
        if let Some(v) = pool.choose(rng) {
            if !ranking.contains(v) {
                ranking.push(v.clone());
            }
        } else {
            break;
        }
    }
    ranking
}

/// Flemish provinces: (code, name, weight by ICT jobs).
const BE_PROVINCES: &[(&str, &str, u32)] = &[
    ("ANT", "Antwerpen", 30),
    ("OVL", "Oost-Vlaanderen", 25),
    ("VBR", "Vlaams-Brabant", 20),
    ("WVL", "West-Vlaanderen", 15),
    ("LIM", "Limburg", 10),
];

/// Technical skills a specialist is strong or weak in.
const TECH: &[&str] = &[
    "java", "oop", "sql", "spring", "rest", "git", "testing", "maven", "agile",
];

/// The national shape (see [`Params::regional`]).
fn generate_regional(k: &Params, seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_be = ((k.vacancies as f64) * k.be_fraction).round() as usize;
    let n_ma = k.vacancies - n_be;
    let mut destinations = regional_destinations(k);
    let n_be_emp = ((n_be as f64) / k.vacancies_per_employer).ceil().max(1.0) as usize;
    let n_ma_emp = ((n_ma as f64) / k.vacancies_per_employer).ceil().max(1.0) as usize;
    let width_v = (n_be.max(n_ma)).to_string().len().max(2);
    let mut vacancies = Vec::with_capacity(k.vacancies);
    for (country, count, n_emp) in [("BE", n_be, n_be_emp), ("MA", n_ma, n_ma_emp)] {
        for i in 0..count {
            let id = format!("{country}-{:0width_v$}", i + 1);
            vacancies.push(regional_vacancy(&mut rng, country, id, n_emp));
        }
    }
    // Quotas: half the seats of each destination.
    for (code, d) in destinations.iter_mut() {
        let seats: i64 = vacancies
            .iter()
            .filter(|v| &v.destination == code)
            .map(|v| v.positions)
            .sum();
        d.max = Some(u32::try_from(seats / 2).unwrap_or(u32::MAX));
    }
    let width_t = k.trainees.to_string().len().max(3);
    let trainees = (0..k.trainees)
        .map(|i| regional_trainee(&mut rng, k, i, format!("T{:0width_t$}", i + 1)))
        .collect();
    let group_shares = BE_PROVINCES
        .iter()
        .map(|&(code, _, _)| GroupShare {
            destination: Some(format!("BE-{code}")),
            attribute: "gender".into(),
            value: serde_json::Value::String("F".into()),
            min_share: Some(k.women_share_be),
            max_share: None,
        })
        .collect();
    assemble(k, destinations, group_shares, trainees, vacancies)
}

/// One destination per Flemish province and Moroccan region, quotas still open.
fn regional_destinations(k: &Params) -> BTreeMap<String, Destination> {
    let window = |a: &str, b: &str| Window {
        earliest: Some(date(a)),
        latest: Some(date(b)),
    };
    let mut destinations = BTreeMap::new();
    for &(code, name, _) in BE_PROVINCES {
        destinations.insert(
            format!("BE-{code}"),
            Destination {
                label: Some(format!("{name}, Belgium")),
                permit_days: Some(k.permit_days),
                salary_floor: flemish_salary_floor(),
                start_window: Some(window("2020-04-01", "2020-06-30")),
                currency: Some("EUR".into()),
                ..Destination::default()
            },
        );
    }
    for &(name, code, _) in MA_REGIONS {
        destinations.insert(
            format!("MA-{code}"),
            Destination {
                label: Some(format!("{name}, Morocco")),
                start_window: Some(window("2020-04-15", "2020-09-30")),
                currency: Some("MAD".into()),
                ..Destination::default()
            },
        );
    }
    destinations
}

/// A vacancy of the national shape in `country` ("BE" or "MA"): a province or
/// region by weight, three specialities and the working language, and one of
/// `n_emp` employers who recruit across regions.
fn regional_vacancy(rng: &mut ChaCha8Rng, country: &str, id: String, n_emp: usize) -> Vacancy {
    let width_e = n_emp.to_string().len();
    let (dest, region) = if country == "BE" {
        let &(code, name, _) = weighted(rng, BE_PROVINCES, |p| p.2);
        (format!("BE-{code}"), name.to_string())
    } else {
        let &(name, code, _) = weighted(rng, MA_REGIONS, |r| r.2);
        (format!("MA-{code}"), name.to_string())
    };
    // Three specialities at level 3, and the working language.
    let mut requires: BTreeMap<String, Level> = TECH
        .choose_multiple(rng, 3)
        .map(|s| (s.to_string(), level(3)))
        .collect();
    let language = if country == "BE" { "english" } else { "french" };
    requires.insert(language.into(), level(rng.gen_range(3..=4)));
    let salary = if country == "BE" {
        f64::from(rng.gen_range(336..=460) * 100)
    } else {
        f64::from(rng.gen_range(72..=120) * 1000)
    };
    Vacancy {
        id,
        // Employers recruit across regions: their caps span destinations.
        employer: Some(format!(
            "{country} employer {:0width_e$}",
            rng.gen_range(0..n_emp) + 1
        )),
        title: Some(format!("Junior Java developer, {region}")),
        destination: dest,
        region: Some(region),
        positions: rng.gen_range(1..=if country == "BE" { 2 } else { 3 }),
        requires,
        values: values(rng, TECH),
        start_window: None,
        salary: Some(salary),
        ranking: Vec::new(),
    }
}

/// A trainee of the national shape: strong in three to five specialities,
/// accepting their home region, a few others and sometimes a Flemish province.
fn regional_trainee(rng: &mut ChaCha8Rng, k: &Params, i: usize, id: String) -> Trainee {
    let home = rng.gen_range(0..MA_REGIONS.len());
    let n_strong = rng.gen_range(3..=5);
    let strong: Vec<&str> = TECH.choose_multiple(rng, n_strong).copied().collect();
    let mut skills = BTreeMap::new();
    for &s in TECH {
        let x = if strong.contains(&s) {
            rng.gen_range(3..=4)
        } else {
            rng.gen_range(0..=2)
        };
        if x > 0 {
            skills.insert(s.to_string(), level(x));
        }
    }
    skills.insert("english".into(), level(rng.gen_range(2..=6)));
    skills.insert("french".into(), level(rng.gen_range(2..=6)));
    let mut accepts = vec![format!("MA-{}", MA_REGIONS[home].1)];
    for _ in 0..rng.gen_range(0..=2) {
        accepts.push(format!(
            "MA-{}",
            MA_REGIONS[rng.gen_range(0..MA_REGIONS.len())].1
        ));
    }
    if rng.gen_bool(0.4) {
        for _ in 0..rng.gen_range(1..=2) {
            accepts.push(format!("BE-{}", weighted(rng, BE_PROVINCES, |p| p.2).0));
        }
    }
    accepts.sort();
    accepts.dedup();
    let birth = date("2020-04-01") - Duration::days(rng.gen_range(22 * 365 + 6..=36 * 365 + 8));
    let late = if rng.gen_bool(0.15) { 60 } else { 0 };
    let available = date("2020-04-11") + Duration::days(rng.gen_range(-10..=30) + late);
    let documents = date("2020-01-02") + Duration::days(rng.gen_range(0..=110));
    Trainee {
        id,
        gender: Some(if rng.gen_bool(k.women) { "F" } else { "M" }.into()),
        birth_date: Some(birth),
        region: Some(MA_REGIONS[home].0.to_string()),
        skills,
        destinations: accepts,
        available_from: available,
        documents_ready: Some(documents),
        ranking: Vec::new(),
        attributes: cohort(i),
    }
}

/// The `cohort` attribute of the `i`-th trainee: the course's three groups in turn.
fn cohort(i: usize) -> BTreeMap<String, serde_json::Value> {
    let group = ["A", "B", "C"][i % 3];
    BTreeMap::from([("cohort".to_string(), serde_json::Value::from(group))])
}

fn values(rng: &mut ChaCha8Rng, pool: &[&str]) -> BTreeMap<String, f64> {
    let n = rng.gen_range(2..=4);
    pool.choose_multiple(rng, n)
        .map(|s| (s.to_string(), f64::from(rng.gen_range(1..=4)) * 0.5))
        .collect()
}
