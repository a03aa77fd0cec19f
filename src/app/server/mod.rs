//! `palim serve`: the JSON API, the second front end to the library.
//!
//! Every endpoint reads its inputs, hands them to [`crate::app::service`] (the same
//! functions the command line calls) on the bounded solver pool, and writes
//! the same JSON document the command line writes. Failures are RFC 9457
//! problem documents (`problem_details`). Nothing is stored; bodies are never logged.
//!
//! Request documents:
//! - `solve`, `validate`, `explain`, `risk`: the body is a scenario (`palim/1`),
//!   exactly as in a file, options in the query (`?time_limit=10`);
//! - `compare`, `flatten`: the body carries several documents by name, so that
//!   variants can name their base as they do on disk;
//! - `replan`: the scenario and the earlier match set.

// A `ProblemDetails` is built at most once per request, on its way out; its size
// costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub(crate) mod jobs;
pub(crate) mod openapi;
pub(crate) mod pool;
pub(crate) mod problem_details;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use schemars::{JsonSchema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::analysis::explain::{self, Audience};
use crate::app::service::{self, to_json};
use crate::documents::match_set::MatchSet;
use crate::input::validate::{self, LoadOptions};
use crate::input::variant::InMemory;
use crate::input::workbook::read::Form;
use crate::PalimError;

use jobs::Jobs;
use openapi::{query, Endpoint};
use pool::Pool;
use problem_details::ProblemDetails;

/// How the server runs. [`Config::default`] is what `palim serve` starts with.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Required on every `/v1` request when set (`Authorization: Bearer …`).
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Most eligible pairs a scenario may have. Everything a solve holds is
    /// linear in its pairs (about 1 KiB each, BENCHMARKS.md), so this bounds
    /// a request's memory; the pairs are counted, not built, before anything
    /// else is.
    pub max_pairs: usize,
    /// Largest response body, in bytes. Every list a response holds is
    /// bounded by the request (ids and texts by `crate::limits`, reasons by
    /// their first twenty, comparisons by twenty variants), so responses are
    /// linear in requests; this is the hard cap on top.
    pub max_response: usize,
    /// The most solver time a request may ask for (and what it gets when it
    /// does not ask), in seconds per solve.
    pub max_time_limit: f64,
    /// Solves at once.
    pub workers: usize,
    /// Requests waiting for a solver, beyond which requests are refused.
    pub queue: usize,
    /// Longest a request may take from its body read to its answer.
    pub request_timeout: Duration,
    /// Longest a client may take to send its body.
    pub body_timeout: Duration,
    /// Longest a client may take to send a request's headers (a connection
    /// that trickles them in is closed, not kept open for ever).
    pub header_timeout: Duration,
    pub models_dir: Option<PathBuf>,
    /// Log one structured line per request on standard error.
    pub log: bool,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body: 16 * 1024 * 1024,
            max_pairs: 2_000_000,
            max_response: 256 * 1024 * 1024,
            max_time_limit: 60.0,
            workers: cores,
            queue: 4 * cores,
            request_timeout: Duration::from_secs(300),
            body_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            models_dir: None,
            log: true,
        }
    }
}

impl Config {
    /// Refuse settings that would expose the server or cannot work.
    pub fn check(&self) -> Result<(), String> {
        if !self.addr.ip().is_loopback() && self.token.is_none() {
            return Err(format!(
                "{} is reachable from other machines; give a token with --token-file (clients send it as `Authorization: Bearer TOKEN`)",
                self.addr
            ));
        }
        if self.token.as_deref().is_some_and(|t| t.len() < 16) {
            return Err("the token must have at least 16 characters".into());
        }
        if self.max_time_limit.is_nan() || self.max_time_limit <= 0.0 {
            return Err("--max-time-limit must be a positive number of seconds".into());
        }
        Ok(())
    }
}

/// What every handler shares.
pub struct AppState {
    config: Config,
    pool: Pool,
    jobs: Jobs,
    shutting_down: AtomicBool,
    /// SHA-256 of the token: compared in constant time, whatever its length.
    token_digest: Option<[u8; 32]>,
    /// The scenarios explained last ([`SCENARIOS_KEPT`]), by the SHA-256 of
    /// their text, the latest last: a question about one of them starts
    /// where the one before ended ([`explain::Prepared`]), without reading
    /// or solving it again.
    explained: std::sync::Mutex<Vec<([u8; 32], Arc<explain::Prepared>)>>,
}

/// How many solved scenarios `/v1/explain` keeps for the questions after
/// the first. Each holds its eligible pairs and match set (tens of MB at
/// national size), beside what the solve itself needs.
const SCENARIOS_KEPT: usize = 2;

type Shared = Arc<AppState>;

/// A running server, for tests and the load benchmark: its address and a way
/// to stop it gracefully.
pub struct Handle {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Handle {
    /// Stop accepting requests, finish those in flight, and wait.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(std::io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Start a server on its own thread (and runtime); returns once it listens.
pub fn spawn(config: Config) -> std::io::Result<Handle> {
    config.check().map_err(std::io::Error::other)?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let runtime = runtime(&config)?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            let _ = ready_tx.send(listener.local_addr());
            serve(config, listener, async {
                let _ = rx.await;
            })
            .await
        })
    });
    let addr = ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("the server did not start"))??;
    Ok(Handle {
        addr,
        stop: Some(tx),
        thread: Some(thread),
    })
}

fn runtime(config: &Config) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(config.workers.max(1) + 2)
        .enable_all()
        .build()
}

/// `palim serve`: listen until SIGTERM or Ctrl-C, then finish the requests in
/// flight and return.
pub fn run(config: Config) -> Result<(), String> {
    config.check()?;
    if config.log {
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,palim::progress=off",
            ))
            .with_current_span(false)
            .with_writer(std::io::stderr)
            .try_init();
    }
    let runtime = runtime(&config).map_err(|e| format!("cannot start: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        // The one line on standard output: tools (and tests) read the port from it.
        println!("palim serve: listening on http://{addr}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        eprintln!("palim serve: the officer's page is at http://{addr}/ (open it in a browser); the API is under /v1, described at /openapi.json");
        serve(config, listener, shutdown_signal())
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Serve on `listener` until `shutdown` completes; then stop accepting, let the
/// requests in flight (and their solves) finish, and return.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = Arc::new(AppState {
        pool: Pool::new(config.workers, config.queue, 1),
        // Every admitted solve may be a job, and as many answers may wait to be read.
        jobs: Jobs::new(2 * (config.workers.max(1) + config.queue)),
        token_digest: config
            .token
            .as_deref()
            .map(|t| Sha256::digest(t.as_bytes()).into()),
        config,
        shutting_down: AtomicBool::new(false),
        explained: std::sync::Mutex::default(),
    });
    let app = router(state.clone());
    // hyper's own HTTP/1 connections rather than `axum::serve`, which sets
    // no timer and so no limit on how long a client may take to send its
    // headers.
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(state.config.header_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tracing::warn!(target: "palim::server", error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service =
            hyper_util::service::TowerToHyperService::new(tower::ServiceExt::map_request(
                app.clone(),
                |r: axum::http::Request<hyper::body::Incoming>| r.map(Body::new),
            ));
        let conn = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    state.shutting_down.store(true, Ordering::SeqCst);
    tracing::info!(
        target: "palim::server",
        running = state.pool.running(),
        "shutting down: finishing the requests in flight"
    );
    graceful.shutdown().await;
    Ok(())
}

/// The router: every documented endpoint, the problem-document fallbacks, and
/// the layers (log, compression, authentication on `/v1`).
pub fn router(state: Shared) -> Router {
    let mut api = Router::new();
    let mut open = Router::new();
    for (doc, route) in endpoints() {
        if doc.authenticated {
            api = api.route(doc.path, route);
        } else {
            open = open.route(doc.path, route);
        }
    }
    let api = api.route_layer(middleware::from_fn_with_state(state.clone(), authenticate));
    // The officer's page: no data of its own, so no token; its requests to
    // `/v1` carry the token like any client's.
    let open = open
        .route("/", get(web_page))
        .route("/assets/{file}", get(web_asset));
    open.merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            bound_response,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(middleware::from_fn_with_state(state.clone(), log))
        .with_state(state)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `?time_limit=`, as every solving endpoint takes it.
fn time_limit_param() -> openapi::Param {
    query(
        "time_limit",
        "Seconds per solve (at most the server's maximum, which is the default)",
        || json!({ "type": "number", "exclusiveMinimum": 0 }),
    )
}

/// `?lang=`: the language of a file for people.
fn lang_param() -> openapi::Param {
    query(
        "lang",
        "en, nl or fr (default: the best of Accept-Language, else en)",
        || json!({ "enum": ["en", "nl", "fr"] }),
    )
}

/// The query of a shortlist; `for_people` adds the language of the
/// workbook or report.
fn shortlist_params(for_people: bool) -> Vec<openapi::Param> {
    let mut params = vec![
        openapi::Param {
            name: "per_position",
            location: "query",
            description: "Candidates per open position (K)",
            schema: || json!({ "type": "integer", "minimum": 1, "maximum": service::MAX_PER_SHORTLIST }),
            required: true,
        },
        openapi::Param {
            name: "per_trainee",
            location: "query",
            description: "Shortlists a trainee may be on at most (M)",
            schema: || json!({ "type": "integer", "minimum": 1, "maximum": service::MAX_PER_SHORTLIST }),
            required: true,
        },
        query(
            "time_limit",
            "Seconds for the request (default and most: the server's --max-time-limit)",
            || json!({ "type": "number", "exclusiveMinimum": 0 }),
        ),
    ];
    if for_people {
        params.push(lang_param());
    }
    params
}

/// The query of the endpoints that answer with a match set as a file for
/// people.
fn people_params() -> Vec<openapi::Param> {
    vec![
        time_limit_param(),
        lang_param(),
        query(
            "explain",
            "Add each unmatched trainee's nearest change (slower: each what-if is solved again)",
            || json!({ "type": "boolean" }),
        ),
        query(
            "employer",
            "Workbook only: just this employer's sheet (its vacancies, who starts when, why a position stays open), to forward to them",
            || json!({ "type": "string" }),
        ),
    ]
}

/// The query of a solve, as `/v1/solve` and `/v1/jobs/solve` take it.
fn solve_params() -> Vec<openapi::Param> {
    vec![
        time_limit_param(),
        query(
            "mip_gap",
            "Accept a match set within this relative gap (default 0)",
            || json!({ "type": "number", "minimum": 0, "exclusiveMaximum": 1 }),
        ),
        query(
            "explain",
            "Add the explanations of every unmatched trainee, unfilled vacancy and rule",
            || json!({ "type": "boolean" }),
        ),
        query(
            "engine",
            "auto (default), highs or flow",
            || json!({ "enum": ["auto", "highs", "flow"] }),
        ),
    ]
}

/// The path parameter of a job's own routes.
fn job_id() -> openapi::Param {
    openapi::Param {
        name: "id",
        location: "path",
        description: "The job's id, from POST /v1/jobs/solve",
        schema: || json!({ "type": "string" }),
        required: true,
    }
}

/// Every endpoint with its documentation; the router and `/openapi.json` are
/// both made from this list.
fn endpoints() -> Vec<(Endpoint, MethodRouter<Shared>)> {
    use openapi::SchemaFn;
    fn schema<T: JsonSchema>() -> SchemaFn {
        |g: &mut SchemaGenerator| g.subschema_for::<T>()
    }
    let number = || json!({ "type": "number", "exclusiveMinimum": 0 });
    let boolean = || json!({ "type": "boolean" });
    let string = || json!({ "type": "string" });
    let integer = || json!({ "type": "integer", "minimum": 0 });
    let scenario = Some((
        "application/json",
        schema::<crate::model::scenario::Scenario>(),
    ));
    vec![
        (
            Endpoint {
                method: "post",
                path: "/v1/solve",
                summary: "The optimal match set of a scenario",
                description: "As `palim solve --format json`. A scenario that has no match set gets 200 with status `infeasible` and the reasons.",
                params: solve_params(),
                body: scenario,
                responses: vec![(200, "The match set (palim-result/1)", Some(schema::<MatchSet>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(solve),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/solve/workbook",
                summary: "The optimal match set as a workbook for people",
                description: "As `palim solve --out result.xlsx`: a summary, the matches, the unmatched trainees and open positions with their reasons, and one sheet per employer (naming only its own trainees). In `lang`, or the best of `Accept-Language`, or English.",
                params: people_params(),
                body: scenario,
                responses: vec![(200, "The results workbook (.xlsx)", None)],
                authenticated: true,
                produces: Some(XLSX),
                accepts_workbooks: true,
            },
            post(solve_workbook),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/solve/report",
                summary: "The optimal match set as a self-contained HTML report",
                description: "As `palim solve --out report.html`: one page with inline CSS and SVG, no external request, that prints to PDF. In `lang`, or the best of `Accept-Language`, or English.",
                params: people_params(),
                body: scenario,
                responses: vec![(200, "The report (HTML)", None)],
                authenticated: true,
                produces: Some("text/html"),
                accepts_workbooks: true,
            },
            post(solve_report),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/replan",
                summary: "Re-plan after a change, keeping as many earlier matches as possible",
                description: "As `palim solve --keep PREVIOUS`: placements first, then the fewest changed matches, then score.",
                params: vec![query("time_limit", "Seconds per solve", number)],
                body: Some(("application/json", schema::<ReplanRequest>())),
                responses: vec![(200, "The match set with its `replan` report", Some(schema::<MatchSet>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            post(replan),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/validate",
                summary: "Check a scenario",
                description: "As `palim validate --format json`: a summary when valid, 422 with every issue otherwise.",
                params: vec![],
                body: scenario,
                responses: vec![(200, "The scenario is valid", Some(schema::<service::Summary>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(validate),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/explain",
                summary: "Explain a trainee, a vacancy, the rules or the skill gaps",
                description: "As `palim explain --format json`. Exactly one of trainee, vacancy, rules, skills. The server keeps the last scenarios it explained, solved, with every what-if it proved: a question about the same scenario (the same body) starts from there and gets the same answer sooner; the `Cache-Status` header (RFC 9211) says `palim; hit` then, `palim; fwd=miss` otherwise.",
                params: vec![
                    query("time_limit", "Seconds for everything the request does (default and most: the server's --max-time-limit); what-ifs not proven by then are left out and counted in `unfinished`", number),
                    query("trainee", "A trainee id", string),
                    query("vacancy", "A vacancy id", string),
                    query("rules", "Explain every rule", boolean),
                    query("skills", "Explain the skill gaps", boolean),
                    query("audience", "officer (default) or employer (with vacancy)", || json!({ "enum": ["officer", "employer"] })),
                ],
                body: scenario,
                responses: vec![(200, "The report", Some(schema::<service::Report>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(explain),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/compare",
                summary: "Compare a base scenario with variants, person by person",
                description: "As `palim compare --format json`. Variants name their base by the name it has in `documents`.",
                params: vec![query("time_limit", "Seconds for all the solves together (default and most: the server's --max-time-limit)", number)],
                body: Some(("application/json", schema::<CompareRequest>())),
                responses: vec![(200, "The comparison", Some(schema::<crate::analysis::compare::Comparison>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            post(compare),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/flatten",
                summary: "The scenario a variant makes",
                description: "As `palim flatten`.",
                params: vec![],
                body: Some(("application/json", schema::<FlattenRequest>())),
                responses: vec![(200, "The scenario (palim/1)", Some(schema::<crate::model::scenario::Scenario>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            post(flatten),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/risk",
                summary: "Permit-delay risk of each match",
                description: "As `palim risk --format json`.",
                params: vec![
                    query("time_limit", "Seconds for the simulation and the solve together (default and most: the server's --max-time-limit)", number),
                    query("samples", "Monte Carlo samples per pair (default 2000)", integer),
                    query("seed", "Random seed (default 2020)", integer),
                    query("confidence", "Chance for each pair's latest safe documents date (default 0.9)", number),
                    query("min_on_time", "Solve with only pairs at least this likely on time", number),
                ],
                body: scenario,
                responses: vec![(200, "The risk report", Some(schema::<crate::analysis::risk::RiskReport>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(risk),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/shortlist",
                summary: "Whom to interview: candidates per vacancy, proven optimal",
                description: "As `palim shortlist --format json`: up to per_position candidates per open position, each trainee on at most per_trainee shortlists; the most positions covered, then the most places used, then the best score. Interviews on record are respected.",
                params: shortlist_params(false),
                body: scenario,
                responses: vec![(200, "The shortlists (palim-shortlist/1)", Some(schema::<crate::documents::shortlist::ShortlistSet>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(shortlist),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/shortlist/workbook",
                summary: "Interview shortlists as a workbook for people",
                description: "As `palim shortlist --out shortlists.xlsx`: the summary and its proof, every vacancy's candidates, the interviews to record (the scenario workbook's Interviews sheet, one pending row per candidate), the short shortlists and the trainees on none with their reasons, and one sheet per employer (naming only the candidates proposed to it) with the outcome to fill in. In `lang`, or the best of `Accept-Language`, or English.",
                params: shortlist_params(true),
                body: scenario,
                responses: vec![(200, "The shortlists workbook (.xlsx)", None)],
                authenticated: true,
                produces: Some(XLSX),
                accepts_workbooks: true,
            },
            post(shortlist_workbook),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/shortlist/report",
                summary: "Interview shortlists as a self-contained HTML report",
                description: "As `palim shortlist --out shortlists.html`: employer by employer, whom to interview for each vacancy and why, then who is short and who is on no shortlist and why; prints to PDF. In `lang`, or the best of `Accept-Language`, or English.",
                params: shortlist_params(true),
                body: scenario,
                responses: vec![(200, "The report (HTML)", None)],
                authenticated: true,
                produces: Some("text/html"),
                accepts_workbooks: true,
            },
            post(shortlist_report),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/jobs/solve",
                summary: "Start a solve and watch it: the optimal match set as a job",
                description: "The solve of `POST /v1/solve` (same body and query). The scenario is read and checked first (bad input gets the same 4xx as /v1/solve); then the answer is 202 with the job (`Location: /v1/jobs/{id}`). Read the job for its step; when `done` it holds the match set. For pages that show progress and a cancel.",
                params: solve_params(),
                body: scenario,
                responses: vec![(202, "The job, running", Some(schema::<jobs::Job>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(start_solve_job),
        ),
        (
            Endpoint {
                method: "get",
                path: "/v1/jobs/{id}",
                summary: "A job: its step, and its match set once done",
                description: "`running` with the step it is on, then `done` (with `result`) or `failed` (with `problem`). A finished job is kept in memory only: a minute after its answer is first read, 10 minutes if nobody reads it.",
                params: vec![job_id()],
                body: None,
                responses: vec![(200, "The job", Some(schema::<jobs::Job>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            get(get_job),
        ),
        (
            Endpoint {
                method: "delete",
                path: "/v1/jobs/{id}",
                summary: "Cancel a job, and forget it",
                description: "A running job is `cancelled` at once: its solve stops at its next deadline check and its answer is dropped. Either way the job is gone: its last state is returned, and its id answers 404 from then on.",
                params: vec![job_id()],
                body: None,
                responses: vec![(200, "The job, cancelled (or as it ended, if it had)", Some(schema::<jobs::Job>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            axum::routing::delete(cancel_job),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/convert",
                summary: "The scenario a workbook, CSV sheets or JSON holds, as JSON",
                description: "As `palim convert IN -o scenario.json`: checked first; 422 with every issue, placed on its sheet and cell for a workbook.",
                params: vec![],
                body: scenario,
                responses: vec![(200, "The scenario (palim/1)", Some(schema::<crate::model::scenario::Scenario>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: true,
            },
            post(convert),
        ),
        (
            Endpoint {
                method: "post",
                path: "/v1/sweep",
                summary: "Solve a scenario with one or two parameters varied",
                description: "As `palim sweep --vary PATH=FROM..TO[:STEP]`, at most 100 points a request, solved one after the other; the points the time limit left without a match set are listed in `unsolved`.",
                params: vec![query("time_limit", "Seconds for all the points together (default and most: the server's --max-time-limit)", number)],
                body: Some(("application/json", schema::<SweepRequest>())),
                responses: vec![(200, "The points", Some(schema::<SweepAnswer>()))],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            post(sweep),
        ),
        (
            Endpoint {
                method: "get",
                path: "/v1/schema/{document}",
                summary: "The JSON Schema of a scenario, a match set or a variant",
                description: "As `palim schema`.",
                params: vec![openapi::Param {
                    name: "document",
                    location: "path",
                    description: "scenario, result, variant or shortlist",
                    schema: || json!({ "enum": ["scenario", "result", "variant", "shortlist"] }),
                    required: true,
                }],
                body: None,
                responses: vec![(200, "A JSON Schema (2020-12)", None)],
                authenticated: true,
                produces: None,
                accepts_workbooks: false,
            },
            get(schema_document),
        ),
        (
            Endpoint {
                method: "get",
                path: "/openapi.json",
                summary: "This document",
                description: "OpenAPI 3.1, for client generators.",
                params: vec![],
                body: None,
                responses: vec![(200, "The OpenAPI document", None)],
                authenticated: false,
                produces: None,
                accepts_workbooks: false,
            },
            get(openapi_document),
        ),
        (
            Endpoint {
                method: "get",
                path: "/healthz",
                summary: "Liveness",
                description: "200 while the process serves requests.",
                params: vec![],
                body: None,
                responses: vec![(200, "Alive", Some(schema::<Health>()))],
                authenticated: false,
                produces: None,
                accepts_workbooks: false,
            },
            get(healthz),
        ),
        (
            Endpoint {
                method: "get",
                path: "/readyz",
                summary: "Readiness",
                description: "200 when a request would be admitted; 503 when the queue is full or the server is shutting down.",
                params: vec![],
                body: None,
                responses: vec![
                    (200, "Ready", Some(schema::<Health>())),
                    (503, "Not ready", Some(schema::<Health>())),
                ],
                authenticated: false,
                produces: None,
                accepts_workbooks: false,
            },
            get(readyz),
        ),
    ]
}

/// The OpenAPI document of a server with a token (`authenticated`) or
/// without: bearer security is declared only where it is required.
pub fn openapi(authenticated: bool) -> Value {
    let docs: Vec<Endpoint> = endpoints()
        .into_iter()
        .map(|(d, _)| Endpoint {
            authenticated: d.authenticated && authenticated,
            ..d
        })
        .collect();
    let mut doc = openapi::document(&docs, |g| g.subschema_for::<ProblemDetails>());
    // A started job links to where it is read and cancelled, so that clients
    // (and schemathesis's stateful tests) follow the id.
    let id = json!({ "id": "$response.body#/id" });
    let job = &doc["paths"]["/v1/jobs/{id}"];
    let links = json!({
        "ReadJob": { "operationId": job["get"]["operationId"], "parameters": id },
        "CancelJob": { "operationId": job["delete"]["operationId"], "parameters": id },
    });
    doc["paths"]["/v1/jobs/solve"]["post"]["responses"]["202"]["links"] = links;
    doc
}

// ---------------------------------------------------------------- requests --

/// Several documents by name, as files in a folder: a variant's `base` names
/// another of them, relative to its own name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// Scenarios and variants by name (`"baseline.json"`); each is the document
    /// itself or its text as a string.
    pub documents: BTreeMap<String, Value>,
    /// The name of the base scenario in `documents`.
    pub base: String,
    /// The names of the variants to compare with the base (at most 20).
    pub variants: Vec<String>,
    /// Solve each variant as a re-plan of the base's match set (as
    /// `palim compare --replan`): keep as many of the base's matches as the
    /// most placements allow.
    #[serde(default)]
    pub replan: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlattenRequest {
    pub documents: BTreeMap<String, Value>,
    /// The name of the variant in `documents`.
    pub variant: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplanRequest {
    /// The changed scenario: the document itself or its text.
    pub scenario: Value,
    /// The match set announced earlier (palim-result/1).
    pub previous: MatchSet,
    /// How the earlier match set is named in the `replan` report.
    #[serde(default)]
    pub previous_name: Option<String>,
}

/// The points of a sweep to solve.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SweepRequest {
    /// The scenario (palim/1): the document itself or its text.
    pub scenario: Value,
    /// One or two `PATH=FROM..TO[:STEP]`, as `palim sweep --vary`
    /// (`destinations.BE.max=25..35:5`); at most 100 points in all.
    pub vary: Vec<String>,
}

/// The most points one sweep request solves.
const MAX_SWEEP_POINTS: usize = 100;

/// The solved points of a sweep.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SweepAnswer {
    /// The paths varied, in the order of each point's `values`.
    pub axes: Vec<String>,
    pub points: Vec<crate::analysis::sweep::Point>,
    /// The values of each point the time limit left without a match set
    /// (or before it was started), in the grid's order; absent when every
    /// point was solved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsolved: Vec<Vec<f64>>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// Solves running now.
    pub solving: usize,
    /// Requests admitted (solving or waiting).
    pub admitted: usize,
    /// Solves at once.
    pub workers: usize,
    /// Requests admitted at most (workers + queue).
    pub capacity: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SolveQuery {
    time_limit: Option<f64>,
    mip_gap: Option<f64>,
    explain: Option<bool>,
    engine: Option<crate::solve::optimize::Engine>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleQuery {
    time_limit: Option<f64>,
    lang: Option<crate::lang::Lang>,
    explain: Option<bool>,
    employer: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplanQuery {
    time_limit: Option<f64>,
}

/// The query of endpoints whose only option is their time limit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeQuery {
    time_limit: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainQuery {
    time_limit: Option<f64>,
    trainee: Option<String>,
    vacancy: Option<String>,
    rules: Option<bool>,
    skills: Option<bool>,
    audience: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShortlistQuery {
    per_position: Option<u32>,
    per_trainee: Option<u32>,
    time_limit: Option<f64>,
    /// Only for the workbook and the report.
    lang: Option<crate::lang::Lang>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskQuery {
    time_limit: Option<f64>,
    samples: Option<usize>,
    seed: Option<u64>,
    confidence: Option<f64>,
    min_on_time: Option<f64>,
}

/// The name scenario bodies go by in messages.
const BODY: &str = "request body";

// ---------------------------------------------------------------- handlers --

async fn solve(State(state): State<Shared>, request: Request) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let req = state.solve_request(parse_query(&uri)?)?;
    let loader = state.loader();
    state
        .solve(move || {
            let problem = loader.scenario(&text)?;
            service::solve(&problem, &req).map(|m| to_json(&m))
        })
        .await
        .map(ok_json)
}

/// `POST /v1/jobs/solve`: the solve of `POST /v1/solve`, answered at once
/// with the job to watch (202); the match set comes with the job when done.
async fn start_solve_job(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let req = state.solve_request(parse_query(&uri)?)?;
    // Read and checked before the job starts, so that bad input is a 4xx
    // here, as from /v1/solve, and a job is only ever a solve.
    let loader = state.loader();
    let problem = state.solve(move || loader.scenario(&text)).await?;
    let ticket = state.jobs.start()?;
    let id = ticket.id.clone();
    let shared = state.clone();
    tokio::spawn(async move {
        let id = ticket.id.clone();
        let outcome = shared
            .solve(move || {
                ticket.run(|| {
                    ticket.step(jobs::Phase::Solving, "solving");
                    let m = service::solve(&problem, &req)?;
                    serde_json::value::RawValue::from_string(to_json(&m))
                        .map_err(|e| PalimError::Solver(e.to_string()))
                })
            })
            .await;
        shared.jobs.finish(&id, outcome);
    });
    let job = state.jobs.get(&id).ok_or_else(internal)?;
    let mut r = (StatusCode::ACCEPTED, ok_json(to_json(&job))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/jobs/{id}")) {
        r.headers_mut().insert(header::LOCATION, location);
    }
    Ok(r)
}

async fn get_job(
    State(state): State<Shared>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, ProblemDetails> {
    let job = state.jobs.get(&id).ok_or_else(|| no_job(&id))?;
    Ok(ok_json(to_json(&job)))
}

async fn cancel_job(
    State(state): State<Shared>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, ProblemDetails> {
    let job = state.jobs.cancel(&id).ok_or_else(|| no_job(&id))?;
    Ok(ok_json(to_json(&job)))
}

fn no_job(id: &str) -> ProblemDetails {
    let id: String = id.chars().take(64).collect();
    ProblemDetails::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no job \"{id}\": it never existed, was cancelled, or ended and its answer was \
             dropped ({} s after it was first read, {} s after it ended if nobody read it)",
            jobs::KEEP_READ.as_secs(),
            jobs::KEEP_FINISHED.as_secs()
        ),
    )
}

/// `POST /v1/convert`: the scenario a body holds (a workbook, CSV sheets or
/// JSON), checked, as JSON (`palim/1`), as `palim convert` writes it.
async fn convert(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let _: EmptyQuery = parse_query(&uri)?;
    let loader = state.loader();
    state
        .solve(move || {
            let (json, _) = loader.read(&text)?;
            // Written as `palim convert` writes it: through the scenario's own
            // type, so that a workbook and its JSON give the same bytes.
            let scenario: crate::model::scenario::Scenario =
                serde_json::from_str(&json).map_err(|e| PalimError::Solver(e.to_string()))?;
            Ok(serde_json::to_string_pretty(&scenario).unwrap_or_default() + "\n")
        })
        .await
        .map(ok_json)
}

/// `POST /v1/sweep`: the points of a sweep, as `palim sweep` solves them, one
/// after the other on the request's solver. A page asks for one point at a
/// time to draw them as they come.
async fn sweep(State(state): State<Shared>, request: Request) -> Result<Response, ProblemDetails> {
    let (uri, body) = read_request(&state, request).await?;
    let q: TimeQuery = parse_query(&uri)?;
    let deadline = state.deadline(state.time_limit(q.time_limit)?);
    let r: SweepRequest = parse_json(&body)?;
    let grid = crate::analysis::sweep::Grid::parse(&r.vary).map_err(|m| {
        ProblemDetails::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_request_document", m).at("/vary")
    })?;
    if grid.axes.is_empty() || grid.points() > MAX_SWEEP_POINTS {
        return Err(ProblemDetails::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request_document",
            format!(
                "a sweep request varies one or two parameters over 1 to {MAX_SWEEP_POINTS} points, got {}",
                grid.points()
            ),
        )
        .at("/vary"));
    }
    let text = document_text(r.scenario);
    let loader = state.loader();
    state
        .solve(move || {
            // Checked once, within the server's limits, before any point is solved.
            loader.body(&text)?;
            let opts = LoadOptions {
                models_dir: loader.models_dir.as_deref(),
            };
            let sweep =
                crate::analysis::sweep::run(&text, BODY, &grid.axes, 1, &opts, deadline, &|| {})?;
            let axes = grid.axes.iter().map(|a| a.path.clone()).collect();
            Ok(to_json(&SweepAnswer {
                axes,
                points: sweep.points,
                unsolved: sweep.unsolved,
            }))
        })
        .await
        .map(ok_json)
}

async fn solve_workbook(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    solve_for_people(state, request, crate::app::files::Output::Workbook).await
}

async fn solve_report(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    solve_for_people(state, request, crate::app::files::Output::Html).await
}

/// A match set as a file for people, in the language asked for (`lang`), or
/// the best the browser accepts, or English.
async fn solve_for_people(
    state: Shared,
    request: Request,
    form: crate::app::files::Output,
) -> Result<Response, ProblemDetails> {
    let accepted = accepted_lang(request.headers());
    let (uri, text) = read_scenario_request(&state, request).await?;
    let q: PeopleQuery = parse_query(&uri)?;
    let lang = q.lang.or(accepted).unwrap_or_default();
    let time_limit = state.time_limit(q.time_limit)?;
    let loader = state.loader();
    let req = service::SolveRequest {
        time_limit: Some(time_limit),
        explain: q.explain.unwrap_or(false),
        deadline: state.deadline(time_limit),
        ..Default::default()
    };
    let employer = q.employer;
    let one_employer = employer.is_some();
    if one_employer && form != crate::app::files::Output::Workbook {
        return Err(ProblemDetails::bad_request(
            "bad_parameter",
            "?employer= asks for one employer's sheet, which only /v1/solve/workbook writes",
        )
        .at("?employer"));
    }
    let bytes = state
        .solve(move || {
            let problem = loader.scenario(&text)?;
            let m = service::solve(&problem, &req)?;
            match &employer {
                Some(e) => crate::app::files::for_employer(&problem, &m, e, lang, BODY),
                None => crate::app::files::for_people(&problem, &m, lang, form, BODY),
            }
        })
        .await
        .map_err(|p| {
            if p.code == "bad_parameter" {
                p.at("?employer")
            } else {
                p
            }
        })?;
    let (media, name) = match form {
        crate::app::files::Output::Workbook if one_employer => {
            (XLSX, "attachment; filename=\"palim-employer.xlsx\"")
        }
        crate::app::files::Output::Workbook => (XLSX, "attachment; filename=\"palim-result.xlsx\""),
        _ => (
            "text/html; charset=utf-8",
            "inline; filename=\"palim-report.html\"",
        ),
    };
    Ok(for_people_response(bytes, media, name, lang))
}

/// A file for people: its media type, its name, its language.
fn for_people_response(
    bytes: Vec<u8>,
    media: &'static str,
    disposition: &'static str,
    lang: crate::lang::Lang,
) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(disposition),
    );
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    r
}

async fn replan(State(state): State<Shared>, request: Request) -> Result<Response, ProblemDetails> {
    let (uri, body) = read_request(&state, request).await?;
    let q: ReplanQuery = parse_query(&uri)?;
    let time_limit = state.time_limit(q.time_limit)?;
    let r: ReplanRequest = parse_json(&body)?;
    let text = document_text(r.scenario);
    let loader = state.loader();
    let req = service::SolveRequest {
        time_limit: Some(time_limit),
        deadline: state.deadline(time_limit),
        keep: Some((
            r.previous,
            r.previous_name
                .unwrap_or_else(|| "the previous match set".into()),
        )),
        ..Default::default()
    };
    state
        .solve(move || {
            let problem = loader.body(&text)?;
            service::solve(&problem, &req).map(|m| to_json(&m))
        })
        .await
        .map(ok_json)
}

async fn validate(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let _: EmptyQuery = parse_query(&uri)?;
    let loader = state.loader();
    state
        .solve(move || {
            let problem = loader.scenario(&text)?;
            Ok(to_json(&service::summary(&problem, BODY)))
        })
        .await
        .map(ok_json)
}

async fn explain(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let q: ExplainQuery = parse_query(&uri)?;
    let deadline = state.deadline(state.time_limit(q.time_limit)?);
    let subject = match (
        q.trainee,
        q.vacancy,
        q.rules.unwrap_or(false),
        q.skills.unwrap_or(false),
    ) {
        (Some(t), None, false, false) => service::Subject::Trainee(t),
        (None, Some(v), false, false) => service::Subject::Vacancy(v),
        (None, None, true, false) => service::Subject::Rules,
        (None, None, false, true) => service::Subject::Skills,
        _ => {
            return Err(ProblemDetails::bad_request(
                "bad_parameter",
                "ask about exactly one of ?trainee=ID, ?vacancy=ID, ?rules=true, ?skills=true",
            ))
        }
    };
    let audience = match q.audience.as_deref() {
        None | Some("officer") => Audience::Officer,
        Some("employer") => Audience::Employer,
        Some(other) => {
            return Err(ProblemDetails::bad_request(
                "bad_parameter",
                format!("audience is officer or employer, got \"{other}\""),
            )
            .at("?audience"))
        }
    };
    let loader = state.loader();
    let key = text.digest();
    let kept = state.explained_before(&key);
    // RFC 9211: whether the question started from the scenario solved
    // before.
    let cache_status = match kept {
        Some(_) => "palim; hit",
        None => "palim; fwd=miss",
    };
    let keeper = state.clone();
    let explained = state
        .solve(move || match kept {
            Some(prepared) => service::explain_prepared(&prepared, &subject, audience, deadline),
            None => {
                let problem = loader.scenario(&text)?;
                let prepared = service::prepare(problem, &subject, audience, deadline)?;
                let explained = service::explain_prepared(&prepared, &subject, audience, deadline);
                if prepared.settled() {
                    keeper.keep_explained(key, Arc::new(prepared));
                }
                explained
            }
        })
        .await?;
    let mut response = match explained {
        service::Explained::Report(r) => ok_json(to_json(&r)),
        service::Explained::Infeasible(set) => infeasible(set).into_response(),
    };
    response
        .headers_mut()
        .insert("cache-status", HeaderValue::from_static(cache_status));
    Ok(response)
}

async fn compare(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, body) = read_request(&state, request).await?;
    let q: TimeQuery = parse_query(&uri)?;
    let deadline = state.deadline(state.time_limit(q.time_limit)?);
    let r: CompareRequest = parse_json(&body)?;
    if r.variants.is_empty() || r.variants.len() > 20 {
        return Err(ProblemDetails::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request_document",
            format!(
                "a comparison takes 1 to 20 variants, got {}",
                r.variants.len()
            ),
        )
        .at("/variants"));
    }
    let texts = document_texts(r.documents);
    for (i, name) in std::iter::once(&r.base).chain(&r.variants).enumerate() {
        if !texts.contains_key(name) {
            let at = if i == 0 {
                "/base".to_string()
            } else {
                format!("/variants/{}", i - 1)
            };
            return Err(missing_document(name).at(at));
        }
    }
    let loader = state.loader();
    state
        .solve(move || {
            let docs = InMemory(&texts);
            let opts = LoadOptions {
                models_dir: loader.models_dir.as_deref(),
            };
            // Read side by side; the first that fails, in the order given,
            // is the one reported.
            let names: Vec<&String> = std::iter::once(&r.base).chain(&r.variants).collect();
            let threads = crate::solve::optimize::threads();
            let loaded = crate::solve::optimize::in_parallel(&names, threads, |name| {
                loader.within(service::load(&docs, Path::new(name.as_str()), &opts)?)
            });
            let mut scenarios = Vec::with_capacity(names.len());
            for (name, problem) in names.into_iter().zip(loaded) {
                scenarios.push((name.clone(), problem?));
            }
            service::compare(&scenarios, deadline, r.replan).map(|c| to_json(&c))
        })
        .await
        .map(ok_json)
}

async fn flatten(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    let (uri, body) = read_request(&state, request).await?;
    let _: EmptyQuery = parse_query(&uri)?;
    let r: FlattenRequest = parse_json(&body)?;
    let texts = document_texts(r.documents);
    if !texts.contains_key(&r.variant) {
        return Err(missing_document(&r.variant).at("/variant"));
    }
    state
        .solve(move || service::flatten(&InMemory(&texts), Path::new(&r.variant)))
        .await
        .map(ok_json)
}

async fn risk(State(state): State<Shared>, request: Request) -> Result<Response, ProblemDetails> {
    let (uri, text) = read_scenario_request(&state, request).await?;
    let q: RiskQuery = parse_query(&uri)?;
    let defaults = service::RiskRequest::default();
    let req = service::RiskRequest {
        samples: q.samples.unwrap_or(defaults.samples),
        seed: q.seed.unwrap_or(defaults.seed),
        confidence: q.confidence.unwrap_or(defaults.confidence),
        min_on_time: q.min_on_time,
        deadline: state.deadline(state.time_limit(q.time_limit)?),
    };
    let loader = state.loader();
    let risked = state
        .solve(move || {
            let problem = loader.scenario(&text)?;
            service::risk(problem, &req)
        })
        .await?;
    match risked {
        service::Risked::Report(r) => Ok(ok_json(to_json(&r))),
        service::Risked::Infeasible(set) => Err(infeasible(set)),
    }
}

async fn shortlist(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    shortlist_as(state, request, None).await
}

async fn shortlist_workbook(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    shortlist_as(state, request, Some(crate::app::files::Output::Workbook)).await
}

async fn shortlist_report(
    State(state): State<Shared>,
    request: Request,
) -> Result<Response, ProblemDetails> {
    shortlist_as(state, request, Some(crate::app::files::Output::Html)).await
}

/// Shortlists as `palim-shortlist/1` (`form` none), or as a file for people
/// in the language asked for, or the best the browser accepts, or English.
async fn shortlist_as(
    state: Shared,
    request: Request,
    form: Option<crate::app::files::Output>,
) -> Result<Response, ProblemDetails> {
    let accepted = accepted_lang(request.headers());
    let (uri, text) = read_scenario_request(&state, request).await?;
    let q: ShortlistQuery = parse_query(&uri)?;
    let required = |name: &str, value: Option<u32>| {
        value.ok_or_else(|| {
            ProblemDetails::bad_request(
                "bad_parameter",
                format!(
                    "{name} is required: how many candidates, from 1 to {}",
                    service::MAX_PER_SHORTLIST
                ),
            )
            .at(format!("?{name}"))
        })
    };
    if form.is_none() && q.lang.is_some() {
        return Err(ProblemDetails::bad_request(
            "bad_parameter",
            "?lang= is for /v1/shortlist/workbook and /v1/shortlist/report; the JSON document has no language",
        )
        .at("?lang"));
    }
    let req = service::ShortlistRequest {
        per_position: required("per_position", q.per_position)?,
        per_trainee: required("per_trainee", q.per_trainee)?,
        time_limit: None,
        deadline: state.deadline(state.time_limit(q.time_limit)?),
    };
    let lang = q.lang.or(accepted).unwrap_or_default();
    let loader = state.loader();
    let bytes = state
        .solve(move || {
            let problem = loader.scenario(&text)?;
            let lists = service::shortlist(&problem, &req)?;
            match form {
                None => Ok(to_json(&lists).into_bytes()),
                Some(form) => {
                    crate::app::files::shortlist_for_people(&problem, &lists, lang, form, BODY)
                }
            }
        })
        .await?;
    let (media, name) = match form {
        None => return Ok(ok_json(bytes)),
        Some(crate::app::files::Output::Workbook) => {
            (XLSX, "attachment; filename=\"palim-shortlists.xlsx\"")
        }
        Some(_) => (
            "text/html; charset=utf-8",
            "inline; filename=\"palim-shortlists.html\"",
        ),
    };
    Ok(for_people_response(bytes, media, name, lang))
}

async fn schema_document(
    axum::extract::Path(document): axum::extract::Path<String>,
) -> Result<Response, ProblemDetails> {
    let schema = match document.as_str() {
        "scenario" => schemars::schema_for!(crate::model::scenario::Scenario),
        "result" => schemars::schema_for!(crate::documents::match_set::MatchSet),
        "variant" => schemars::schema_for!(crate::input::variant::Variant),
        "shortlist" => schemars::schema_for!(crate::documents::shortlist::ShortlistSet),
        other => {
            return Err(ProblemDetails::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!(
                "there is no schema \"{other}\"; there are scenario, result, variant and shortlist"
            ),
            ))
        }
    };
    Ok(ok_json(to_json(&schema)))
}

async fn openapi_document(State(state): State<Shared>) -> Response {
    ok_json(to_json(&openapi(state.token_digest.is_some())))
}

async fn healthz(State(state): State<Shared>) -> Response {
    (StatusCode::OK, axum::Json(state.health("ok"))).into_response()
}

async fn readyz(State(state): State<Shared>) -> Response {
    if state.shutting_down.load(Ordering::SeqCst) {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(state.health("shutting_down")),
        )
            .into_response()
    } else if !state.pool.has_room() {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(state.health("busy")),
        )
            .into_response()
    } else {
        (StatusCode::OK, axum::Json(state.health("ready"))).into_response()
    }
}

/// `GET /`: the officer's page, in `?lang=`, or the best of the browser's
/// languages, or English.
async fn web_page(headers: HeaderMap, uri: Uri) -> Response {
    #[derive(Deserialize)]
    struct PageQuery {
        lang: Option<String>,
    }
    let asked = Query::<PageQuery>::try_from_uri(&uri)
        .ok()
        .and_then(|Query(q)| q.lang)
        .and_then(|l| crate::lang::Lang::parse(&l));
    let lang = asked.or(accepted_lang(&headers)).unwrap_or_default();
    page_response(
        "text/html; charset=utf-8",
        crate::app::web::page(lang).into(),
    )
}

async fn web_asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match crate::app::web::asset(&file) {
        Some(a) => page_response(a.media_type, a.body.into()),
        None => not_found(Uri::from_static("/assets/"))
            .await
            .into_response(),
    }
}

/// The best of the languages the client accepts (`Accept-Language`), if it says.
fn accepted_lang(headers: &HeaderMap) -> Option<crate::lang::Lang> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(crate::lang::Lang::negotiate)
}

/// A response of the page, with the headers that keep it to this server.
fn page_response(media: &'static str, body: Body) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::app::web::CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

async fn not_found(uri: Uri) -> ProblemDetails {
    ProblemDetails::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no {}; the routes are listed in /openapi.json",
            uri.path()
        ),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> ProblemDetails {
    let path = uri.path();
    // As the router matches: a route without parameters (`/v1/jobs/solve`)
    // before one with (`/v1/jobs/{id}`).
    let routes = endpoints();
    let exact = routes.iter().any(|(d, _)| d.path == path);
    let allow: Vec<String> = routes
        .iter()
        .filter(|(d, _)| {
            if exact {
                d.path == path
            } else {
                route_matches(d.path, path)
            }
        })
        .map(|(d, _)| d.method.to_uppercase())
        .collect();
    let mut p = ProblemDetails::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{path} does not take {method}; it takes {}",
            allow.join(", ")
        ),
    );
    p.allow = Some(allow.join(", "));
    p
}

/// Whether a concrete path fits a route pattern (`/v1/schema/{document}`).
fn route_matches(pattern: &str, path: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(p, s)| p.starts_with('{') || p == s)
}

// ------------------------------------------------------------- middleware --

async fn authenticate(
    State(state): State<Shared>,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    let Some(expected) = &state.token_digest else {
        return next.run(request).await;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| -> [u8; 32] { Sha256::digest(t.trim().as_bytes()).into() });
    // Digests of equal length, compared in constant time: neither the token's
    // content nor its length leaks through timing.
    match given {
        Some(d) if bool::from(d.ct_eq(expected)) => next.run(request).await,
        _ => {
            discard(&state, request).await;
            let mut p = ProblemDetails::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server needs a bearer token: send `Authorization: Bearer TOKEN`",
            );
            p.authenticate = true;
            p.into_response()
        }
    }
}

/// No response larger than `--max-response`: one that would be is replaced,
/// before a byte of it is sent, by a problem saying how to ask for less.
/// Every body is complete in memory by now (none is streamed), so its size is
/// exact.
async fn bound_response(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let max = state.config.max_response as u64;
    match axum::body::HttpBody::size_hint(response.body()).upper() {
        Some(n) if n <= max => response,
        size => ProblemDetails::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "response_too_large",
            format!(
                "the answer is {} bytes, more than this server sends ({max}); ask for less \
                 in one request: one trainee or vacancy to explain, fewer variants, no \
                 ?explain=true, or a smaller scenario",
                size.map_or_else(|| "an unknown number of".to_string(), |n| n.to_string())
            ),
        )
        .into_response(),
    }
}

/// One structured line per request: method, path, status, duration, sizes.
/// Never the body, the query (it can hold ids) or anything from the scenario.
async fn log(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: the query can hold ids. Long junk paths are cut.
    let path: String = request.uri().path().chars().take(100).collect();
    let request_bytes = content_length(request.headers());
    let response = next.run(request).await;
    if state.config.log {
        tracing::info!(
            target: "palim::http",
            method = %method,
            path = %path,
            status = response.status().as_u16(),
            duration_ms = started.elapsed().as_secs_f64() * 1000.0,
            request_bytes,
            response_bytes = axum::body::HttpBody::size_hint(response.body()).exact(),
        );
    }
    response
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

// ----------------------------------------------------------------- helpers --

impl AppState {
    /// The time limit a request gets: what it asks for, never more than allowed.
    /// When a request asking for `time_limit` seconds must be finished: the
    /// time limit, or the request timeout when that comes first, so that the
    /// work ends, and its worker is free, when the client is answered.
    fn deadline(&self, time_limit: f64) -> Option<Instant> {
        let timeout = Instant::now() + self.config.request_timeout;
        crate::solve::optimize::deadline_after(Some(time_limit), Some(timeout))
    }

    /// What a solve asked with `?time_limit=…&mip_gap=…` gets.
    fn solve_request(&self, q: SolveQuery) -> Result<service::SolveRequest, ProblemDetails> {
        let time_limit = self.time_limit(q.time_limit)?;
        let req = service::SolveRequest {
            time_limit: Some(time_limit),
            mip_gap: q.mip_gap.unwrap_or(0.0),
            explain: q.explain.unwrap_or(false),
            keep: None,
            engine: q.engine.unwrap_or_default(),
            deadline: self.deadline(time_limit),
        };
        req.check().map_err(|e| ProblemDetails::from(e).at("?"))?;
        Ok(req)
    }

    fn time_limit(&self, asked: Option<f64>) -> Result<f64, ProblemDetails> {
        let max = self.config.max_time_limit;
        match asked {
            None => Ok(max),
            Some(t) if t.is_nan() || t <= 0.0 => Err(ProblemDetails::bad_request(
                "bad_parameter",
                format!("time_limit must be a positive number of seconds, got {t}"),
            )
            .at("?time_limit")),
            Some(t) if t > max => Err(ProblemDetails::bad_request(
                "bad_parameter",
                format!("time_limit {t} is more than this server allows ({max} s); ask for {max} or less"),
            )
            .at("?time_limit")),
            Some(t) => Ok(t),
        }
    }

    /// Run `work` on the solver pool within the request timeout.
    async fn solve<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, PalimError> + Send + 'static,
    ) -> Result<T, ProblemDetails> {
        let timeout = self.config.request_timeout;
        let job = self.pool.run(work);
        match tokio::time::timeout(timeout, async { job.await?.await.map_err(|_| internal()) }).await {
            Ok(Ok(out)) => out.map_err(ProblemDetails::from),
            Ok(Err(p)) => Err(p),
            Err(_) => Err(ProblemDetails::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "request_timeout",
                format!(
                    "the request took longer than this server's limit of {} s; ask for a shorter time_limit",
                    timeout.as_secs()
                ),
            )),
        }
    }

    /// The scenario of text digest `key`, if `/v1/explain` kept it.
    fn explained_before(&self, key: &[u8; 32]) -> Option<Arc<explain::Prepared>> {
        let kept = self
            .explained
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        kept.iter().find(|(k, _)| k == key).map(|(_, p)| p.clone())
    }

    /// Keep `prepared` for the next questions, forgetting the scenario
    /// explained longest ago when [`SCENARIOS_KEPT`] are kept.
    fn keep_explained(&self, key: [u8; 32], prepared: Arc<explain::Prepared>) {
        let mut kept = self
            .explained
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        kept.retain(|(k, _)| *k != key);
        if kept.len() >= SCENARIOS_KEPT {
            kept.remove(0);
        }
        kept.push((key, prepared));
    }

    fn loader(&self) -> Loader {
        Loader {
            models_dir: self.config.models_dir.clone(),
            max_pairs: self.config.max_pairs,
        }
    }

    fn health(&self, status: &str) -> Health {
        Health {
            status: status.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            solving: self.pool.running(),
            admitted: self.pool.admitted(),
            workers: self.pool.size(),
            capacity: self.pool.capacity(),
        }
    }
}

fn internal() -> ProblemDetails {
    ProblemDetails::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "the solve stopped unexpectedly; please report the scenario",
    )
}

fn infeasible(set: Box<MatchSet>) -> ProblemDetails {
    let mut p = ProblemDetails::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "infeasible",
        "the scenario has no match set that keeps every hard rule, so there is nothing to explain against; `infeasibility` says why",
    );
    p.infeasibility = set.infeasibility.map(Box::new);
    p
}

fn missing_document(name: &str) -> ProblemDetails {
    ProblemDetails::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_document",
        format!("\"{name}\" is not one of the request's documents"),
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyQuery {}

fn parse_query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ProblemDetails> {
    Query::<T>::try_from_uri(uri)
        .map(|Query(q)| q)
        .map_err(|e| {
            let text = e.body_text();
            let text = text
                .strip_prefix("Failed to deserialize query string: ")
                .unwrap_or(&text);
            ProblemDetails::bad_request("bad_parameter", format!("in the query: {text}")).at("?")
        })
}

/// The request's URI and body. The body is read first, even when the query
/// turns out to be wrong, so that the client can read the answer.
async fn read_request(state: &AppState, request: Request) -> Result<(Uri, String), ProblemDetails> {
    let uri = request.uri().clone();
    Ok((uri, read_body(state, request).await?))
}

/// Read and drop a body we will not use, so that the client, still sending it,
/// gets the answer rather than a reset connection (HTTP/1.1 has no better way
/// without `Expect: 100-continue`). Bounded by the body limit and timeout; a
/// body announced as too large is not read at all.
async fn discard(state: &AppState, request: Request) {
    if content_length(request.headers()).is_some_and(|n| n > state.config.max_body as u64) {
        return;
    }
    let body = axum::body::to_bytes(request.into_body(), state.config.max_body);
    let _ = tokio::time::timeout(state.config.body_timeout, body).await;
}

/// The body as text: JSON only, within the size limit, within the body timeout.
async fn read_body(state: &AppState, request: Request) -> Result<String, ProblemDetails> {
    if let Some(media) = media_type(request.headers()) {
        if media != "application/json" && !media.ends_with("+json") {
            discard(state, request).await;
            return Err(ProblemDetails::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("the body must be application/json, not {media}; with curl, add -H 'Content-Type: application/json'"),
            ));
        }
    }
    let bytes = read_bytes(state, request).await?;
    String::from_utf8(bytes)
        .map_err(|_| ProblemDetails::bad_request("malformed_json", "the body is not UTF-8 text"))
}

/// The media type of the body, lower case, without parameters.
fn media_type(headers: &HeaderMap) -> Option<String> {
    let ct = headers
        .get(header::CONTENT_TYPE)?
        .to_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(ct.split(';').next().unwrap_or("").trim().to_string())
}

/// The media types of the workbooks a scenario may be sent as, and their forms.
const WORKBOOK_MEDIA: [(&str, Form); 3] = [
    (openapi::WORKBOOK_MEDIA_TYPES[0], Form::Xlsx),
    (openapi::WORKBOOK_MEDIA_TYPES[1], Form::Ods),
    (openapi::WORKBOOK_MEDIA_TYPES[2], Form::Xls),
];

/// A scenario as sent: JSON text, a workbook's bytes, or CSV sheets (read on the pool).
enum ScenarioBody {
    Json(String),
    Workbook(Vec<u8>, Form),
    /// A JSON object of CSV file names and their text, as a browser picks
    /// several files (`application/vnd.palim.csv-sheets+json`).
    CsvSheets(String),
}

impl ScenarioBody {
    /// SHA-256 of the body as sent, its form first: one scenario sent twice
    /// the same way has the same digest.
    fn digest(&self) -> [u8; 32] {
        let (form, bytes) = match self {
            ScenarioBody::Json(text) => (Form::Json, text.as_bytes()),
            ScenarioBody::Workbook(bytes, form) => (*form, bytes.as_slice()),
            ScenarioBody::CsvSheets(text) => (Form::CsvFolder, text.as_bytes()),
        };
        Sha256::new()
            .chain_update(format!("{form:?}"))
            .chain_update([0])
            .chain_update(bytes)
            .finalize()
            .into()
    }
}

/// The request of an endpoint whose body is a scenario: JSON, a workbook
/// sent with its media type (`.xlsx`, `.ods`, `.xls`), or CSV sheets.
async fn read_scenario_request(
    state: &AppState,
    request: Request,
) -> Result<(Uri, ScenarioBody), ProblemDetails> {
    let uri = request.uri().clone();
    let media = media_type(request.headers()).unwrap_or_default();
    let workbook = WORKBOOK_MEDIA.iter().find(|(w, _)| *w == media);
    let body = match workbook {
        Some((_, form)) => ScenarioBody::Workbook(read_bytes(state, request).await?, *form),
        None if media == openapi::CSV_SHEETS_MEDIA_TYPE => {
            ScenarioBody::CsvSheets(read_body(state, request).await?)
        }
        None => ScenarioBody::Json(read_body(state, request).await?),
    };
    Ok((uri, body))
}

/// The body's bytes, within the size limit and the body timeout.
async fn read_bytes(state: &AppState, request: Request) -> Result<Vec<u8>, ProblemDetails> {
    let headers = request.headers();
    let limit = state.config.max_body;
    let too_large = || {
        ProblemDetails::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is larger than this server accepts ({limit} bytes)"),
        )
    };
    if content_length(headers).is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let body: Body = request.into_body();
    let bytes =
        match tokio::time::timeout(state.config.body_timeout, axum::body::to_bytes(body, limit))
            .await
        {
            Err(_) => {
                return Err(ProblemDetails::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    "the body did not arrive in time",
                ))
            }
            Ok(Err(e)) => {
                let limited =
                    std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
                        .any(|e| e.to_string().contains("length limit exceeded"));
                return Err(if limited {
                    too_large()
                } else {
                    ProblemDetails::bad_request(
                        "bad_body",
                        format!("the body could not be read: {e}"),
                    )
                });
            }
            Ok(Ok(b)) => b,
        };
    Ok(bytes.to_vec())
}

/// How a handler reads its scenarios on the solver pool: where named models
/// are, and the most pairs a scenario may have.
struct Loader {
    models_dir: Option<PathBuf>,
    max_pairs: usize,
}

impl Loader {
    /// The scenario a body holds, within the server's pair limit.
    fn body(&self, text: &str) -> Result<crate::model::problem::Problem, PalimError> {
        if text.contains(crate::input::variant::VARIANT_FORMAT)
            && serde_json::from_str::<Value>(text)
                .is_ok_and(|v| crate::input::variant::is_variant(&v))
        {
            let issue = crate::InputIssue::new(
                "variant_needs_its_base",
                &crate::locate::JsonPath::root().key("base"),
                "this is a variant; its base is a file the server does not have",
            )
            .hint("send the variant and its base together as `documents` to /v1/compare or /v1/flatten, and solve the scenario /v1/flatten returns");
            return Err(crate::InvalidInput::new(BODY, text, vec![issue]).into());
        }
        let options = LoadOptions {
            models_dir: self.models_dir.as_deref(),
        };
        self.within(validate::load_str(text, BODY, &options)?)
    }

    /// The scenario a body holds, JSON, a workbook or CSV sheets, within the pair limit.
    fn scenario(&self, body: &ScenarioBody) -> Result<crate::model::problem::Problem, PalimError> {
        self.read(body).map(|(_, problem)| problem)
    }

    /// The scenario a body holds, and its JSON text (`palim/1`).
    fn read(
        &self,
        body: &ScenarioBody,
    ) -> Result<(String, crate::model::problem::Problem), PalimError> {
        let options = LoadOptions {
            models_dir: self.models_dir.as_deref(),
        };
        let tables = match body {
            ScenarioBody::Json(text) => return Ok((text.clone(), self.body(text)?)),
            ScenarioBody::Workbook(bytes, form) => {
                crate::input::workbook::read::tables_of_bytes(bytes.clone(), *form, BODY)?
            }
            ScenarioBody::CsvSheets(text) => {
                let files: BTreeMap<String, String> = serde_json::from_str(text).map_err(|e| {
                    crate::InvalidInput::new(
                        BODY,
                        text,
                        vec![crate::InputIssue::new(
                            "malformed_json",
                            &crate::locate::JsonPath::root(),
                            format!(
                                "CSV sheets are a JSON object of file names and their text: {e}"
                            ),
                        )],
                    )
                })?;
                crate::input::workbook::read::tables_of_csv(&files, BODY)?
            }
        };
        let (text, problem) = crate::input::workbook::scenario_of(&tables, BODY, &options)?;
        Ok((text, self.within(problem)?))
    }

    /// A scenario, if its eligible pairs are within the limit; counted
    /// without building them.
    fn within(
        &self,
        p: crate::model::problem::Problem,
    ) -> Result<crate::model::problem::Problem, PalimError> {
        let max = self.max_pairs;
        if crate::eligibility::count_pairs(&p, max.saturating_add(1)) > max {
            return Err(PalimError::TooLarge(format!(
                "the scenario has more than {max} eligible trainee-vacancy pairs, the most this \
                 server solves (about 1 KiB of memory each); split it, by destination for \
                 example, or run `palim` on the command line, which has no such limit"
            )));
        }
        Ok(p)
    }
}

/// A request document: 400 for broken JSON, 422 with the place for a wrong shape.
fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, ProblemDetails> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ProblemDetails::bad_request("malformed_json", format!("the body is not JSON: {e}"))
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer: String = e
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
                serde_path_to_error::Segment::Map { key } => {
                    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
                }
                _ => String::new(),
            })
            .collect();
        let place = if pointer.is_empty() {
            String::new()
        } else {
            format!(" at {pointer}")
        };
        ProblemDetails::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_request_document",
            format!("{}{place}", e.inner()),
        )
        .at(pointer)
    })
}

/// A document given inline or as its text.
fn document_text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => to_json(&other),
    }
}

fn document_texts(docs: BTreeMap<String, Value>) -> BTreeMap<String, String> {
    docs.into_iter()
        .map(|(k, v)| (k, document_text(v)))
        .collect()
}

fn ok_json(body: impl IntoResponse) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
