//! The command line: a thin front end over the library.
//!
//! Exit codes (the contract's, plus one): 0 solved (optimal or time limit),
//! 1 infeasible (the explanation is printed), 2 invalid input or usage,
//! 3 no match set could be produced (time limit before any was found, or a
//! solver failure).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::service::{self, to_json};
use crate::documents::match_set::ResultStatus;
use crate::error::InvalidInput;
use crate::input::generate;
use crate::input::validate::LoadOptions;
use crate::lang::Lang;
use crate::render::report;
use crate::PalimError;

const ABOUT: &str =
    "Match trained candidates to job vacancies under hard rules, optimally, and say why.";

const AFTER_HELP: &str = "\
Typical use:
  palim template --lang nl -o cohort.xlsx             a workbook to fill in (LibreOffice, Excel)
  palim solve cohort.xlsx --lang nl --out resultaat.xlsx --out rapport.html
                                                      results for people (a sheet per employer)
  palim validate scenarios/palim-2020/baseline.json   check a scenario, list every problem in it
  palim solve scenarios/palim-2020/baseline.json      who goes where, who is left out and why
  palim solve scenario.json --format json --out result.json   the match set for other tools
  palim schema scenario                               the JSON Schema of a scenario file

Exit codes: 0 solved · 1 infeasible (the conflicting rules are printed) · 2 invalid input or usage · 3 no answer within the time limit";

#[derive(Debug, Parser)]
#[command(name = "palim", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find the best match set for a scenario and explain it.
    ///
    /// First as many trainees as possible are placed, then (holding that number)
    /// the best total score is found — or in the order the scenario's
    /// objective.priorities says. Every hard rule holds in the answer; every
    /// trainee left out and every position left open comes with reasons.
    Solve(SolveArgs),
    /// Explain one trainee, one vacancy, the rules or the skill gaps, and what
    /// would change the answer.
    ///
    /// Every "with one more Flemish place, T090 would start at BE-07" is found by
    /// changing the scenario and solving it again; every "would need Spring 2"
    /// by re-applying the eligibility rules to the changed data.
    Explain(ExplainArgs),
    /// Solve a base scenario and its variants and show, side by side and person
    /// by person, what each variant changes.
    Compare(CompareArgs),
    /// Propose whom to interview: for each vacancy up to --per-position
    /// candidates per open position, each trainee on at most --per-trainee
    /// shortlists. Proven optimal for the most positions covered, then the
    /// most places used, then the best score; interviews already on record
    /// are respected (nobody is proposed twice for one vacancy).
    Shortlist(ShortlistArgs),
    /// Vary one or two parameters over a range and solve every point (in
    /// parallel), writing a CSV table and an SVG chart of placements.
    Sweep(SweepArgs),
    /// Permit-delay risk: for each match, how likely the start still falls
    /// inside the window when permit lead times follow the destinations'
    /// `permit_days_distribution` (seeded Monte Carlo).
    Risk(RiskArgs),
    /// Write a workbook to fill in: one sheet per part of a scenario, a column
    /// per skill of the model, notes on every header, dropdowns and checks.
    /// With --from, filled with an existing scenario.
    Template(TemplateArgs),
    /// Convert a scenario between JSON, a workbook (.xlsx; .ods and .xls are
    /// read) and a folder of CSV files (a path without extension). The
    /// output's name says its form.
    Convert(ConvertArgs),
    /// Print the full scenario a variant makes (palim-variant/1 resolved against its bases).
    Flatten(FlattenArgs),
    /// Check a scenario and list every problem in it, with file, line and
    /// column (sheet, cell and column header for a workbook).
    Validate(ValidateArgs),
    /// Print the JSON Schema of a scenario or of a match set.
    Schema(SchemaArgs),
    /// Serve the officer's web page at / and the JSON API under /v1 (the same
    /// operations and documents as these commands). Open the address it
    /// prints in a browser; the API is described at /openapi.json.
    Serve(ServeArgs),
    /// Write a synthetic scenario from the seeded generator (the one that made
    /// the bundled PALIM baseline).
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The scenario file (format palim/1).
    pub scenario: PathBuf,
    /// table: for reading; json: the match set for other tools (palim-result/1).
    /// Default: table on a terminal, json otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the result to this file instead of the screen; the name says the
    /// form: .json (for tools), .xlsx (a workbook with a sheet per employer),
    /// .html (a report that prints to PDF), anything else the table. May be
    /// given more than once. Beside a .json file, the LP that solved it
    /// (FILE.start), for `explain --result FILE` to start from.
    #[arg(long, short)]
    pub out: Vec<PathBuf>,
    /// The language of workbooks, reports and their reasons: en, nl or fr.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Stop after this many seconds with the best match set found so far
    /// (status time_limit, with its gap).
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Accept a match set within this relative gap of optimal (default 0: proven optimal).
    #[arg(long, default_value_t = 0.0, value_name = "FRACTION")]
    pub mip_gap: f64,
    /// A folder with more competency models (NAME.json), looked at before the bundled ones.
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Re-plan after a change: keep as many matches of this earlier result
    /// (a palim-result/1 file) as the most placements allow; priorities
    /// become placements, then fewest changed matches, then score.
    #[arg(long, value_name = "PREVIOUS_RESULT")]
    pub keep: Option<PathBuf>,
    /// auto: the min-cost flow when the rules form a network, else the
    /// integer program; highs: always the integer program; flow: only the
    /// flow (an error when the scenario is not a network).
    #[arg(long, value_enum, default_value_t = crate::solve::optimize::Engine::Auto)]
    pub engine: crate::solve::optimize::Engine,
    /// Add the `palim explain` reports for every unmatched trainee, every
    /// unfilled vacancy and the rules to the match set (slower: each
    /// what-if is solved again).
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["trainee", "vacancy", "rules", "skills"])))]
pub struct ExplainArgs {
    pub scenario: PathBuf,
    /// A trainee id: where they are or why nowhere, and what would give them a place.
    #[arg(long, value_name = "ID")]
    pub trainee: Option<String>,
    /// A vacancy id: who fills it, why positions stay open, what would fill them.
    #[arg(long, value_name = "ID")]
    pub vacancy: Option<String>,
    /// Every rule: what it excludes, whether it binds, the effect of relaxing it by one unit.
    #[arg(long)]
    pub rules: bool,
    /// Missing skill levels across the cohort, and what a training module would open up.
    #[arg(long)]
    pub skills: bool,
    /// employer: a view of one vacancy that names no other trainee and shows no one's age.
    #[arg(long, value_enum, default_value_t = crate::analysis::explain::Audience::Officer)]
    pub audience: crate::analysis::explain::Audience,
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Seconds for everything, the solve and every what-if; what-ifs not
    /// proven by then are left out and the report says how many.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// The match set to explain, written by `palim solve` from this very
    /// scenario: nothing is solved before the question (at national size, the
    /// solve is most of the time otherwise). The what-ifs start from the LP
    /// kept beside it (MATCH_SET.start: the solve's, or else the first
    /// question's).
    #[arg(long, value_name = "MATCH_SET")]
    pub result: Option<PathBuf>,
    /// Write the report to this file (in `--format`) instead of the screen.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The base scenario (or variant).
    pub base: PathBuf,
    /// Variants (or other scenarios) to compare with the base.
    #[arg(required = true)]
    pub variants: Vec<PathBuf>,
    /// table, json, or markdown (the headline table). Default: table on a terminal, json otherwise.
    #[arg(long, value_enum)]
    pub format: Option<CompareFormat>,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Seconds for all the solves together.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Also write the comparison here: .json, .xlsx, .html (a report) or .md.
    /// May be given more than once.
    #[arg(long, short)]
    pub out: Vec<PathBuf>,
    /// The language of workbooks and reports: en, nl or fr.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Solve each variant as a re-plan of the base's match set (as
    /// `solve --keep`): the most placements, then as many of the base's
    /// matches kept as those allow. For what-ifs after the base's matches
    /// were announced.
    #[arg(long)]
    pub replan: bool,
}

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// The competency model whose skills become columns.
    #[arg(long, default_value = "junior-java-developer")]
    pub model: String,
    /// Fill the workbook with this scenario (JSON, workbook or CSV folder).
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<PathBuf>,
    /// The language of sheet names, headers and notes: en, nl or fr.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// The workbook to write (.xlsx), or a folder for CSV files.
    #[arg(long, short)]
    pub out: PathBuf,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The scenario: JSON, .xlsx, .ods, or a folder of CSV files (read by content).
    pub input: PathBuf,
    /// Where to write it: .json, .xlsx, or a path without extension for a CSV folder.
    #[arg(long, short)]
    pub out: PathBuf,
    /// The language of a workbook's sheet names, headers and notes.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario (or variant).
    pub scenario: PathBuf,
    /// PATH=FROM..TO or PATH=FROM..TO:STEP, e.g. destinations.BE.permit_days=30..180:15; at most twice.
    #[arg(long = "vary", required = true, value_name = "PATH=FROM..TO[:STEP]")]
    pub vary: Vec<String>,
    /// Write the table here (default: print it).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the chart here.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write the points and a chart as a workbook here (.xlsx).
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// The language of the workbook.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Solver threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Stop the whole sweep after this many seconds: a point without proof
    /// by then has status time_limit, one without a match set (or not
    /// started) not_solved, and the command exits with 3.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct RiskArgs {
    pub scenario: PathBuf,
    #[arg(long, default_value_t = 2000)]
    pub samples: usize,
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// The chance an officer wants, for each pair's latest safe documents date.
    #[arg(long, default_value_t = 0.9, value_name = "P")]
    pub confidence: f64,
    /// Solve using only pairs whose on-time probability is at least P.
    #[arg(long, value_name = "P")]
    pub min_on_time: Option<f64>,
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// Seconds for the simulation and the solve together.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
}

#[derive(Debug, clap::Args)]
pub struct FlattenArgs {
    variant: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    pub scenario: PathBuf,
    /// text or json (for tools).
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ShortlistArgs {
    /// The scenario file (format palim/1), or a workbook.
    pub scenario: PathBuf,
    /// Candidates per open position (K).
    #[arg(long, value_name = "K")]
    pub per_position: u32,
    /// Shortlists a trainee may be on at most (M).
    #[arg(long, value_name = "M")]
    pub per_trainee: u32,
    /// table: for reading; json: palim-shortlist/1 for other tools.
    /// Default: table on a terminal, json otherwise.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of the screen: .json the document, .xlsx
    /// a workbook (a sheet per employer, the interviews to record), .html a
    /// report; anything else the table.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Stop after this many seconds with the best shortlists found so far.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// The language of the table, workbook or report: en, nl or fr.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    #[arg(value_enum, default_value_t = SchemaKind::Scenario)]
    pub document: SchemaKind,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on. Loopback unless told otherwise; any other
    /// address needs --token-file. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// A file holding the bearer token clients must send (at least 16 characters).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: usize,
    /// Most eligible pairs a scenario may have: what a solve holds in
    /// memory is about 1 KiB per pair (default 2,000,000, about 2 GiB).
    #[arg(long, default_value_t = 2_000_000, value_name = "PAIRS")]
    pub max_pairs: usize,
    /// Largest response body, in bytes; a larger answer is replaced by a
    /// 413 problem that says what to ask for instead.
    #[arg(long, default_value_t = 256 * 1024 * 1024, value_name = "BYTES")]
    pub max_response: usize,
    /// The most solver time a request may ask for (and its default), in seconds per solve.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub max_time_limit: f64,
    /// Solves at once (default: one per core).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Requests that may wait for a solver; more are refused with 503 (default: 4 per worker).
    #[arg(long)]
    pub queue: Option<usize>,
    /// Longest a request may take, in seconds: its work stops then too,
    /// and its worker is free.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub request_timeout: u64,
    /// Longest a client may take to send a request's headers, in seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub header_timeout: u64,
    #[arg(long, value_name = "DIR")]
    pub models: Option<PathBuf>,
    /// No request log on standard error.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Which scenario shape to generate.
    #[arg(long, value_enum, default_value_t = generate::Preset::Palim)]
    pub preset: generate::Preset,
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// Override the preset's number of trainees.
    #[arg(long)]
    pub trainees: Option<usize>,
    /// Override the preset's number of vacancies.
    #[arg(long)]
    pub vacancies: Option<usize>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// On a terminal, long solves say what they are doing on standard error, one
/// line per step with the time since the start (the solver's `palim::progress`
/// events). Piped or redirected, nothing is printed: output stays the same bytes.
fn show_progress() {
    if std::io::stderr().is_terminal() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("palim::progress=info"))
            .with_target(false)
            .with_level(false)
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .with_writer(std::io::stderr)
            .try_init();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Scenario,
    Result,
    Variant,
    Shortlist,
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(err) => report_error(&err, None),
    }
}

fn execute(cli: Cli) -> Result<ExitCode, PalimError> {
    match cli.command {
        Command::Solve(args) => solve(args),
        Command::Validate(args) => validate(args),
        Command::Explain(args) => explain(args),
        Command::Compare(args) => compare(args),
        Command::Shortlist(args) => shortlist(args),
        Command::Sweep(args) => sweep(args),
        Command::Risk(args) => risk(args),
        Command::Serve(args) => serve(args),
        Command::Template(args) => template(args),
        Command::Convert(args) => convert(args),
        Command::Flatten(args) => flatten(args),
        Command::Schema(args) => schema(args),
        Command::Generate(args) => generate(args),
    }
}

fn solve(args: SolveArgs) -> Result<ExitCode, PalimError> {
    let SolveArgs {
        scenario,
        format,
        out,
        time_limit,
        mip_gap,
        models,
        explain,
        keep,
        engine,
        lang,
    } = args;
    let format = format.unwrap_or(if out.is_empty() && std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    show_progress();
    let problem = match load_scenario(&scenario, models.as_deref(), format == Format::Json) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let keep = match &keep {
        None => None,
        Some(path) => match read_match_set(path) {
            Ok(m) => Some((m, path.display().to_string())),
            Err(code) => return Ok(code),
        },
    };
    // Files for people name the nearest change that would place each
    // unmatched trainee; that takes the explanations, which are quick at a
    // pilot's size (at national size, ask with --explain).
    let for_people = out
        .iter()
        .any(|p| crate::app::files::Output::of(p).for_people());
    let explain = explain || (for_people && problem.trainees.len() <= PEOPLE_EXPLAIN_MAX);
    let request = service::SolveRequest {
        time_limit,
        mip_gap,
        explain,
        keep,
        engine,
        deadline: None,
    };
    let (result, start) = service::solve_keeping(&problem, &request)?;
    let text = || match format {
        Format::Json => to_json(&result),
        Format::Table => report::render_in(&result, lang),
    };
    if out.is_empty() {
        emit(&text(), None)?;
    }
    for path in &out {
        crate::app::files::write_result(path, &problem, &result, lang, text)?;
        // `explain --result` reads a result file, and starts its what-ifs
        // from the start beside it.
        if crate::app::files::Output::of(path) == crate::app::files::Output::Json {
            let kept =
                crate::app::files::keep_solve_start(path, &problem.input_sha256, start.clone());
            if let Err(e) = kept {
                eprintln!("palim: the solve's LP start was not kept: {e}");
            }
        }
    }
    Ok(match result.status {
        ResultStatus::Infeasible => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

fn validate(args: ValidateArgs) -> Result<ExitCode, PalimError> {
    let ValidateArgs {
        scenario,
        format,
        models,
    } = args;
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    match crate::input::load::load_file(&scenario, &opts) {
        Ok(p) => {
            let summary = service::summary(&p, &scenario.display().to_string());
            match format {
                ValidateFormat::Json => emit(&to_json(&summary), None)?,
                ValidateFormat::Text => println!(
                    "{} is valid: {} trainees, {} vacancies ({} positions), {} destinations, {} eligible pairs.",
                    summary.file,
                    summary.trainees,
                    summary.vacancies,
                    summary.positions,
                    summary.destinations,
                    summary.eligible_pairs
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(report_error(&err, Some(format == ValidateFormat::Json))),
    }
}

fn explain(args: ExplainArgs) -> Result<ExitCode, PalimError> {
    let ExplainArgs {
        scenario,
        trainee,
        vacancy,
        rules,
        skills,
        audience,
        format,
        models,
        time_limit,
        result,
        out,
    } = args;
    show_progress();
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    let json = format == ValidateFormat::Json;
    // At national size a match set (27 MB of JSON) and its scenario each
    // take a tenth of a second or more to read, before anything can start.
    let (solved, problem) = crate::limits::side_by_side(
        || result.as_deref().map(read_match_set),
        || crate::input::load::load_file(&scenario, &opts),
    );
    // The match set's problems first, as when it was read first.
    let solved = match (solved, &result) {
        (Some(Err(code)), _) => return Ok(code),
        (Some(Ok(m)), Some(path)) => Some((m, path.display().to_string())),
        _ => None,
    };
    let problem = match problem {
        Ok(p) => p,
        Err(err) => return Ok(report_error(&err, Some(json))),
    };
    let subject = match (trainee, vacancy, rules, skills) {
        (Some(id), ..) => service::Subject::Trainee(id),
        (_, Some(id), ..) => service::Subject::Vacancy(id),
        (_, _, true, _) => service::Subject::Rules,
        _ => service::Subject::Skills,
    };
    let deadline = crate::solve::optimize::deadline_after(time_limit, None);
    let explained = match (solved, &result) {
        (Some((set, file)), Some(path)) => {
            let asked = (&subject, audience, deadline);
            explained_with_start(&problem, asked, (set, &file), path)?
        }
        _ => service::explain(&problem, &subject, audience, deadline)?,
    };
    match explained {
        service::Explained::Report(r) => {
            emit(&if json { to_json(&r) } else { r.render() }, out.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        service::Explained::Infeasible(set) => {
            // The question cannot be answered against a match set that does not exist.
            let why = if json {
                to_json(&set.infeasibility)
            } else {
                report::render(&set)
            };
            emit(&why, out.as_deref())?;
            Ok(ExitCode::from(1))
        }
    }
}

/// `explain --result`: the what-ifs' LP starts from the start kept beside
/// the result by the question before (`files::start_beside`), and this
/// question's is kept there when there was none (or it was not one).
fn explained_with_start(
    problem: &crate::model::problem::Problem,
    (subject, audience, deadline): (
        &service::Subject,
        crate::analysis::explain::Audience,
        Option<std::time::Instant>,
    ),
    solved: (crate::MatchSet, &str),
    result: &Path,
) -> Result<service::Explained, PalimError> {
    let at = crate::app::files::start_beside(result);
    let not_a_start = |why: &str| {
        eprintln!(
            "palim: {}: {why}; the what-ifs start from nothing, and their start is kept there anew",
            at.display()
        );
    };
    let kept = crate::app::files::read_start(&at, &problem.input_sha256).unwrap_or_else(|why| {
        not_a_start(&why);
        None
    });
    let had = kept.is_some();
    let answer = service::explain_solved(problem, subject, audience, deadline, solved, kept)?;
    if answer.refused {
        not_a_start("not a start for this scenario's pairs");
    }
    if let Some(start) = answer.kept.filter(|_| !had || answer.refused) {
        if let Err(e) = crate::app::files::write_start(&at, &problem.input_sha256, start) {
            eprintln!("palim: the what-ifs' start was not kept: {e}");
        }
    }
    Ok(answer.explained)
}

fn shortlist(args: ShortlistArgs) -> Result<ExitCode, PalimError> {
    let ShortlistArgs {
        scenario,
        per_position,
        per_trainee,
        format,
        out,
        time_limit,
        models,
        lang,
    } = args;
    let json_file = out
        .as_ref()
        .is_some_and(|o| o.extension().is_some_and(|x| x == "json"));
    // A .json file gets the document, any other file the table; the screen
    // gets the table on a terminal and the document through a pipe.
    let format = format.unwrap_or(if json_file {
        Format::Json
    } else if out.is_some() || std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    });
    show_progress();
    let problem = match load_scenario(&scenario, models.as_deref(), format == Format::Json) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let request = service::ShortlistRequest {
        per_position,
        per_trainee,
        time_limit,
        deadline: None,
    };
    let lists = service::shortlist(&problem, &request)?;
    let text = || match format {
        Format::Json => to_json(&lists),
        Format::Table => crate::render::shortlist::render_in(&lists, lang),
    };
    match &out {
        Some(path) => crate::app::files::write_shortlist(path, &problem, &lists, lang, text)?,
        None => emit(&text(), None)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn compare(args: CompareArgs) -> Result<ExitCode, PalimError> {
    let CompareArgs {
        base,
        variants,
        format,
        models,
        time_limit,
        out,
        lang,
        replan,
    } = args;
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        CompareFormat::Table
    } else {
        CompareFormat::Json
    });
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    // Read side by side (at national size each is half a second); the
    // first that fails, in the order given, is the one reported.
    let paths: Vec<&PathBuf> = std::iter::once(&base).chain(variants.iter()).collect();
    let threads = crate::solve::optimize::threads();
    let loaded = crate::solve::optimize::in_parallel(&paths, threads, |path| {
        crate::input::load::load_file(path, &opts)
    });
    let mut scenarios = Vec::with_capacity(paths.len());
    for (path, loaded) in paths.iter().zip(loaded) {
        match loaded {
            Ok(p) => scenarios.push((path.display().to_string(), p)),
            Err(err) => return Ok(report_error(&err, Some(format == CompareFormat::Json))),
        }
    }
    let c = service::compare(
        &scenarios,
        crate::solve::optimize::deadline_after(time_limit, None),
        replan,
    )?;
    let text = || match format {
        CompareFormat::Json => to_json(&c),
        CompareFormat::Table => crate::render::comparison::table(&c),
        CompareFormat::Markdown => crate::render::comparison::markdown(&c),
    };
    emit(&text(), None)?;
    for path in &out {
        crate::app::files::write_comparison(path, &c, lang, text)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn sweep(args: SweepArgs) -> Result<ExitCode, PalimError> {
    let SweepArgs {
        scenario,
        vary,
        csv,
        svg,
        xlsx,
        lang,
        jobs,
        models,
        time_limit,
    } = args;
    let deadline = crate::solve::optimize::deadline_after(time_limit, None);
    let grid = match crate::analysis::sweep::Grid::parse(&vary) {
        Ok(grid) => grid,
        Err(m) => {
            eprintln!("palim: {m}");
            return Ok(ExitCode::from(2));
        }
    };
    let axes = &grid.axes;
    let resolved = crate::input::variant::resolve_file(&scenario)?;
    let total = grid.points();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} points solved, {elapsed} ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    let sweep = match crate::analysis::sweep::run(
        &resolved.text,
        &scenario.display().to_string(),
        axes,
        jobs,
        &opts,
        deadline,
        &|| bar.inc(1),
    ) {
        Ok(p) => p,
        Err(err @ PalimError::Invalid(_)) => return Ok(report_error(&err, None)),
        Err(err) => return Err(err),
    };
    bar.finish_and_clear();
    let table = crate::render::sweep::csv(axes, &sweep);
    match &csv {
        Some(path) => std::fs::write(path, &table).map_err(|source| PalimError::Write {
            path: path.display().to_string(),
            source,
        })?,
        None => emit(&table, None)?,
    }
    if let Some(path) = &svg {
        crate::render::sweep::svg(axes, &sweep.points, path)?;
    }
    if let Some(path) = &xlsx {
        let file = path.display().to_string();
        let bytes = crate::render::workbook::sweep_workbook(axes, &sweep, lang)
            .map_err(|e| crate::render::workbook::write_error(&file, e))?;
        std::fs::write(path, bytes).map_err(|source| PalimError::Write { path: file, source })?;
    }
    if sweep.unsolved.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "palim: the time limit passed with {} of {total} points not solved (status {}); allow more time with --time-limit",
        sweep.unsolved.len(),
        crate::render::sweep::NOT_SOLVED,
    );
    Ok(ExitCode::from(3))
}

fn risk(args: RiskArgs) -> Result<ExitCode, PalimError> {
    let RiskArgs {
        scenario,
        samples,
        seed,
        confidence,
        min_on_time,
        format,
        models,
        time_limit,
    } = args;
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    let problem = match crate::input::load::load_file(&scenario, &opts) {
        Ok(p) => p,
        Err(err) => return Ok(report_error(&err, Some(format == ValidateFormat::Json))),
    };
    let request = service::RiskRequest {
        samples,
        seed,
        confidence,
        min_on_time,
        deadline: crate::solve::optimize::deadline_after(time_limit, None),
    };
    match service::risk(problem, &request)? {
        service::Risked::Report(r) => {
            emit(
                &if format == ValidateFormat::Json {
                    to_json(&r)
                } else {
                    crate::render::risk::text(&r)
                },
                None,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        service::Risked::Infeasible(set) => {
            emit(&report::render(&set), None)?;
            Ok(ExitCode::from(1))
        }
    }
}

fn serve(args: ServeArgs) -> Result<ExitCode, PalimError> {
    let ServeArgs {
        addr,
        token_file,
        max_body,
        max_pairs,
        max_response,
        max_time_limit,
        workers,
        queue,
        request_timeout,
        header_timeout,
        models,
        quiet,
    } = args;
    let token = match &token_file {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => Some(t.trim().to_string()),
            Err(source) => {
                return Err(PalimError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        },
    };
    let defaults = crate::app::server::Config::default();
    let workers = workers.unwrap_or(defaults.workers).max(1);
    let config = crate::app::server::Config {
        addr,
        token,
        max_body,
        max_pairs: max_pairs.max(1),
        max_response,
        max_time_limit,
        workers,
        queue: queue.unwrap_or(4 * workers),
        request_timeout: std::time::Duration::from_secs(request_timeout),
        header_timeout: std::time::Duration::from_secs(header_timeout.max(1)),
        models_dir: models,
        log: !quiet,
        ..defaults
    };
    match crate::app::server::run(config) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(message) => {
            eprintln!("palim serve: {message}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Scenarios up to this many trainees get the explanations in files for
/// people without asking (about 10 s at the PALIM baseline's 120).
const PEOPLE_EXPLAIN_MAX: usize = 500;

fn template(args: TemplateArgs) -> Result<ExitCode, PalimError> {
    let TemplateArgs {
        model,
        from,
        lang,
        out,
        models,
    } = args;
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    let scenario = match &from {
        Some(path) => match crate::app::files::read_scenario(path, &opts) {
            Ok(s) => s,
            Err(err) => return Ok(report_error(&err, None)),
        },
        None => crate::app::files::empty_scenario(&model),
    };
    let Some(skills) = crate::app::files::model_of(&scenario, &opts) else {
        let names = crate::model::competency::bundled_names().join(", ");
        return Err(PalimError::Usage(format!(
            "no competency model named \"{model}\" (bundled: {names}; or pass --models DIR)"
        )));
    };
    crate::app::files::write_scenario(&out, &scenario, Some(&skills), lang)?;
    eprintln!("palim: wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn convert(args: ConvertArgs) -> Result<ExitCode, PalimError> {
    let ConvertArgs {
        input,
        out,
        lang,
        models,
    } = args;
    let opts = LoadOptions {
        models_dir: models.as_deref(),
    };
    let scenario = match crate::app::files::read_scenario(&input, &opts) {
        Ok(s) => s,
        Err(err) => return Ok(report_error(&err, None)),
    };
    let model = crate::app::files::model_of(&scenario, &opts);
    crate::app::files::write_scenario(&out, &scenario, model.as_ref(), lang)?;
    eprintln!("palim: wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn flatten(args: FlattenArgs) -> Result<ExitCode, PalimError> {
    let FlattenArgs { variant } = args;
    let text = crate::app::service::flatten(&crate::input::variant::FileSystem, &variant)?;
    emit(&text, None)?;
    Ok(ExitCode::SUCCESS)
}

fn schema(args: SchemaArgs) -> Result<ExitCode, PalimError> {
    let SchemaArgs { document } = args;
    let schema = match document {
        SchemaKind::Scenario => schemars::schema_for!(crate::model::scenario::Scenario),
        SchemaKind::Result => schemars::schema_for!(crate::documents::match_set::MatchSet),
        SchemaKind::Variant => schemars::schema_for!(crate::input::variant::Variant),
        SchemaKind::Shortlist => {
            schemars::schema_for!(crate::documents::shortlist::ShortlistSet)
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

fn generate(args: GenerateArgs) -> Result<ExitCode, PalimError> {
    let GenerateArgs {
        preset,
        seed,
        trainees,
        vacancies,
        out,
    } = args;
    let mut params = preset.params();
    if let Some(t) = trainees {
        params.trainees = t;
    }
    if let Some(v) = vacancies {
        params.vacancies = v;
    }
    let scenario = generate::generate(&params, seed);
    let text = to_json(&scenario);
    emit(&text, out.as_deref())?;
    if let Some(path) = out {
        let problem = crate::input::load::load_file(&path, &LoadOptions::default())?;
        let elig = crate::eligibility::Eligibility::build(&problem);
        eprintln!(
            "wrote {}: {} trainees, {} vacancies, {} eligible pairs",
            path.display(),
            problem.trainees.len(),
            problem.vacancies.len(),
            elig.pairs.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A previous match set, or the exit code after saying what is wrong with it.
fn read_match_set(path: &Path) -> Result<crate::MatchSet, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("palim: cannot read {}: {e}", path.display());
        ExitCode::from(2)
    })?;
    serde_json::from_str::<crate::MatchSet>(&text).map_err(|e| {
        eprintln!(
            "palim: {}:{}:{}: not a palim-result/1 match set: {e}",
            path.display(),
            e.line(),
            e.column()
        );
        ExitCode::from(2)
    })
}

/// The scenario at `path`, or its problems reported the way the output
/// asks (`json`) and the exit code to end with.
fn load_scenario(
    path: &Path,
    models: Option<&Path>,
    json: bool,
) -> Result<crate::model::problem::Problem, ExitCode> {
    let opts = LoadOptions { models_dir: models };
    crate::input::load::load_file(path, &opts).map_err(|err| report_error(&err, Some(json)))
}

fn emit(text: &str, out: Option<&Path>) -> Result<(), PalimError> {
    match out {
        Some(path) => std::fs::write(path, text).map_err(|source| PalimError::Write {
            path: path.display().to_string(),
            source,
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`palim solve … | head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// Print an error the way its reader needs it; returns the exit code.
fn report_error(err: &PalimError, json: Option<bool>) -> ExitCode {
    match err {
        PalimError::Invalid(inv) => {
            if json == Some(true) {
                println!("{}", to_json(&errors_document(inv)).trim_end());
            }
            if std::io::stderr().is_terminal() {
                eprint!("{}", inv.fancy());
            } else {
                eprint!("{}", inv.plain());
            }
            ExitCode::from(2)
        }
        PalimError::Read { .. }
        | PalimError::Usage(_)
        | PalimError::UnknownId { .. }
        | PalimError::TooLarge(_) => {
            eprintln!("palim: {err}");
            ExitCode::from(2)
        }
        PalimError::Write { .. }
        | PalimError::Solver(_)
        | PalimError::NoSolutionInTime
        | PalimError::TimeLimit(_) => {
            eprintln!("palim: {err}");
            ExitCode::from(3)
        }
    }
}

/// The errors of an invalid input as a document for tools.
pub fn errors_document(inv: &InvalidInput) -> serde_json::Value {
    serde_json::json!({
        "format": "palim-errors/1",
        "file": inv.file,
        "valid": false,
        "errors": inv.issues,
        "omitted": inv.omitted,
    })
}

/// A time limit as clap reads it: a positive, finite number of seconds.
fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("\"{s}\" is not a positive number of seconds")),
    }
}
