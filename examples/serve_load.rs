//! Load benchmark for `palim serve`: concurrent PALIM-size solves over
//! loopback HTTP, bounded in requests and time.
//!
//! ```text
//! cargo run --release --example serve_load -- [--requests 200] [--workers N] [--seconds 120]
//! ```
//!
//! Starts the real server in this process on an ephemeral loopback port (pool
//! of `--workers` solvers, queue of 4 per worker), then runs two rounds:
//! 4 × the pool size in flight (every request must be answered, none refused)
//! and 16 × (the excess must be refused cleanly with 503 + Retry-After, the
//! rest answered; refused clients wait the Retry-After second). Prints throughput, p50/p99 latency, and counts of answered,
//! refused, failed and lost requests. Exits non-zero when a round misses its
//! target, so it can run in CI on small sizes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use palim::app::server::{spawn, Config};

struct Round {
    in_flight: usize,
    sent: usize,
    ok: usize,
    refused: usize,
    failed: usize,
    latencies_ms: Vec<f64>,
    seconds: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} takes a number"))
            })
            .unwrap_or(default)
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let requests = arg("--requests", 200);
    let workers = arg("--workers", cores);
    let seconds = arg("--seconds", 120) as u64;
    let scenario_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/palim-2020/baseline.json"
    );
    let scenario = Arc::new(std::fs::read_to_string(scenario_path).expect("the bundled scenario"));

    let server = spawn(Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        workers,
        queue: 4 * workers,
        log: false,
        ..Config::default()
    })
    .expect("the server starts");
    let url = format!("http://{}/v1/solve", server.addr);
    println!(
        "palim serve on {} — pool {workers} solvers, queue {}, {requests} requests per round (at most {seconds} s), body {} KB",
        server.addr,
        4 * workers,
        scenario.len() / 1024
    );

    let rounds: Vec<Round> = [4, 16]
        .iter()
        .map(|&k| {
            round(
                &url,
                &scenario,
                k * workers,
                requests,
                Duration::from_secs(seconds),
            )
        })
        .collect();

    let health = ureq::get(&format!("http://{}/healthz", server.addr)).call();
    println!();
    println!("| in flight | sent | answered 200 | refused 503 | failed | lost | req/s | p50 ms | p99 ms |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rounds {
        let lost = r.sent - r.ok - r.refused - r.failed;
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.0} |",
            r.in_flight,
            r.sent,
            r.ok,
            r.refused,
            r.failed,
            lost,
            r.ok as f64 / r.seconds,
            percentile(&r.latencies_ms, 0.5),
            percentile(&r.latencies_ms, 0.99),
        );
    }
    let mut missed = Vec::new();
    let at4 = &rounds[0];
    if at4.failed + at4.refused > 0 || at4.ok != at4.sent {
        missed.push(format!(
            "at {} in flight every request must be answered",
            at4.in_flight
        ));
    }
    let at16 = &rounds[1];
    if at16.failed > 0 || at16.ok + at16.refused != at16.sent {
        missed.push(format!(
            "at {} in flight only 200 and 503 are allowed",
            at16.in_flight
        ));
    }
    if health.is_err() {
        missed.push("the server did not answer /healthz afterwards".into());
    }
    server.stop().expect("the server stops cleanly");
    if missed.is_empty() {
        println!("\nzero errors, zero lost requests; the server stayed up");
    } else {
        for m in &missed {
            eprintln!("MISSED: {m}");
        }
        std::process::exit(1);
    }
}

fn round(
    url: &str,
    body: &Arc<String>,
    in_flight: usize,
    requests: usize,
    limit: Duration,
) -> Round {
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let started = Instant::now();
    let threads: Vec<_> = (0..in_flight)
        .map(|_| {
            let (next, results, body, url) =
                (next.clone(), results.clone(), body.clone(), url.to_string());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(300))
                    .build();
                while next.fetch_add(1, Ordering::SeqCst) < requests && started.elapsed() < limit {
                    let t = Instant::now();
                    let status = match agent
                        .post(&url)
                        .set("Content-Type", "application/json")
                        .send_string(&body)
                    {
                        Ok(r) => {
                            let ok = r
                                .into_string()
                                .is_ok_and(|s| s.contains("\"palim-result/1\""));
                            if ok {
                                200
                            } else {
                                0
                            }
                        }
                        Err(ureq::Error::Status(code, r)) => {
                            let clean = code == 503
                                && r.header("retry-after").is_some()
                                && r.content_type() == "application/problem+json";
                            if clean {
                                503
                            } else {
                                code
                            }
                        }
                        Err(_) => 0,
                    };
                    results
                        .lock()
                        .unwrap()
                        .push((status, t.elapsed().as_secs_f64() * 1000.0));
                    if status == 503 {
                        // A well-behaved client waits as told (Retry-After: 1).
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    let seconds = started.elapsed().as_secs_f64();
    let results = results.lock().unwrap();
    let mut latencies_ms: Vec<f64> = results.iter().filter(|r| r.0 == 200).map(|r| r.1).collect();
    latencies_ms.sort_by(f64::total_cmp);
    Round {
        in_flight,
        sent: results.len(),
        ok: results.iter().filter(|r| r.0 == 200).count(),
        refused: results.iter().filter(|r| r.0 == 503).count(),
        failed: results.iter().filter(|r| r.0 != 200 && r.0 != 503).count(),
        latencies_ms,
        seconds,
    }
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i]
}
