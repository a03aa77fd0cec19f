//! `palim serve`, specified from the outside: the real binary on an ephemeral
//! loopback port, talked to over HTTP. Every happy path returns the bytes the
//! command line prints for the same input; every hostile input gets the right
//! status and a problem document.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};

use common::{palim, tmp};
use serde_json::{json, Value};

const BASELINE: &str = "scenarios/palim-2020/baseline.json";
const COVID: &str = "scenarios/palim-2020/covid-flight-suspension.json";
const SPLIT: &str = "scenarios/palim-2020/split-40-80.json";

/// A running `palim serve`; stopped (SIGTERM) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_palim"))
            .args(["serve", "--addr", "127.0.0.1:0", "--quiet"])
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("palim serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("palim serve: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.terminate();
        let _ = self.child.wait();
    }
}

/// A response: status, content type, and body text.
#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// A problem document with this status and code.
    fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        assert_eq!(p["code"], code, "{p:#}");
        assert_eq!(p["type"], format!("urn:palim:problem:{code}"));
        assert!(p["title"].is_string() && p["detail"].is_string());
        p
    }
}

fn call(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Reply {
    let mut req = ureq::request(method, url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let result = match body {
        Some(b) => req.send_string(b),
        None => req.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let headers = response
        .headers_names()
        .into_iter()
        .map(|n| {
            let v = response.header(&n).unwrap_or("").to_string();
            (n, v)
        })
        .collect();
    Reply {
        status: response.status(),
        content_type: response.content_type().to_string(),
        headers,
        body: response.into_string().unwrap(),
    }
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

fn post(server: &Server, path: &str, body: &str) -> Reply {
    call("POST", &server.url(path), &[JSON], Some(body))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// What the command line prints on standard output.
fn cli(args: &[&str]) -> String {
    String::from_utf8(palim(args).stdout).unwrap()
}

#[test]
fn each_endpoint_returns_what_the_command_line_prints() {
    let server = Server::start(&[]);
    let baseline = read(BASELINE);

    let solved = post(&server, "/v1/solve", &baseline);
    assert_eq!(solved.status, 200);
    assert_eq!(solved.content_type, "application/json");
    assert_eq!(solved.body, cli(&["solve", BASELINE, "--format", "json"]));

    // The first question solves the scenario; the others start from it
    // (RFC 9211's Cache-Status says which), and answer the very same bytes
    // as the command line, which solves from nothing each time.
    for (i, (query, args)) in [
        ("trainee=T025", vec!["--trainee", "T025"]),
        ("vacancy=BE-02", vec!["--vacancy", "BE-02"]),
        (
            "vacancy=BE-02&audience=employer",
            vec!["--vacancy", "BE-02", "--audience", "employer"],
        ),
        ("rules=true", vec!["--rules"]),
        ("skills=true", vec!["--skills"]),
        ("trainee=T025", vec!["--trainee", "T025"]),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = post(&server, &format!("/v1/explain?{query}"), &baseline);
        assert_eq!(reply.status, 200, "{query}: {}", reply.body);
        let reused = if i == 0 {
            "palim; fwd=miss"
        } else {
            "palim; hit"
        };
        assert_eq!(reply.header("cache-status"), Some(reused), "{query}");
        let mut cli_args = vec!["explain", BASELINE, "--format", "json"];
        cli_args.extend(args);
        assert_eq!(reply.body, cli(&cli_args), "{query}");
    }

    // A variant alone names a base file the server does not have: it says so.
    let p = post(
        &server,
        "/v1/risk",
        &read("scenarios/palim-2020/permit-delay-risk.json"),
    )
    .problem(422, "invalid_input");
    assert_eq!(p["errors"][0]["code"], "variant_needs_its_base");
    assert_eq!(p["errors"][0]["pointer"], "/base");
    let flat = cli(&["flatten", "scenarios/palim-2020/permit-delay-risk.json"]);
    let reply = post(&server, "/v1/risk?samples=300&seed=7&confidence=0.8", &flat);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let path = tmp("risk-flat.json");
    std::fs::write(&path, &flat).unwrap();
    assert_eq!(
        reply.body,
        cli(&[
            "risk",
            path.to_str().unwrap(),
            "--samples",
            "300",
            "--seed",
            "7",
            "--confidence",
            "0.8",
            "--format",
            "json"
        ])
    );

    let reply = post(&server, "/v1/validate", &baseline);
    assert_eq!(reply.status, 200);
    let mut from_cli: Value =
        serde_json::from_str(&cli(&["validate", BASELINE, "--format", "json"])).unwrap();
    // The one difference: what the input is called.
    from_cli["file"] = json!("request body");
    assert_eq!(reply.json(), from_cli);

    let documents = json!({
        BASELINE: serde_json::from_str::<Value>(&baseline).unwrap(),
        COVID: read(COVID),
        SPLIT: serde_json::from_str::<Value>(&read(SPLIT)).unwrap(),
    });
    let reply = post(
        &server,
        "/v1/compare",
        &json!({ "documents": documents, "base": BASELINE, "variants": [COVID, SPLIT] })
            .to_string(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        cli(&["compare", BASELINE, COVID, SPLIT, "--format", "json"])
    );

    let reply = post(
        &server,
        "/v1/flatten",
        &json!({ "documents": documents, "variant": COVID }).to_string(),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, cli(&["flatten", COVID]));

    // Re-plan after a change: the split variant, keeping the baseline's matches.
    let previous = tmp("server-previous.json");
    std::fs::write(&previous, &solved.body).unwrap();
    let reply = post(
        &server,
        "/v1/replan",
        &json!({
            "scenario": cli(&["flatten", SPLIT]),
            "previous": solved.json(),
            "previous_name": previous.to_str().unwrap(),
        })
        .to_string(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let split_flat = tmp("server-split.json");
    std::fs::write(&split_flat, cli(&["flatten", SPLIT])).unwrap();
    assert_eq!(
        reply.body,
        cli(&[
            "solve",
            split_flat.to_str().unwrap(),
            "--keep",
            previous.to_str().unwrap(),
            "--format",
            "json"
        ])
    );
    assert!(reply.json()["replan"].is_object());

    for kind in ["scenario", "result", "variant"] {
        let reply = call("GET", &server.url(&format!("/v1/schema/{kind}")), &[], None);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, cli(&["schema", kind]));
    }
}

#[test]
fn an_infeasible_scenario_is_an_answer_to_solve_and_a_problem_to_explain() {
    let server = Server::start(&[]);
    let flat = cli(&["flatten", COVID]);
    let mut scenario: Value = serde_json::from_str(&flat).unwrap();
    scenario["destinations"]["BE"]["min"] = json!(5);
    let text = serde_json::to_string_pretty(&scenario).unwrap();
    let solved = post(&server, "/v1/solve", &text);
    assert_eq!(solved.status, 200);
    assert_eq!(solved.json()["status"], "infeasible");
    let p = post(&server, "/v1/explain?rules=true", &text).problem(422, "infeasible");
    assert_eq!(p["infeasibility"], solved.json()["infeasibility"]);
    // Asked again, the scenario the server kept says the same.
    let again = post(&server, "/v1/explain?skills=true", &text);
    assert_eq!(again.header("cache-status"), Some("palim; hit"));
    assert_eq!(again.problem(422, "infeasible"), p);
}

#[test]
fn bad_input_gets_the_clis_codes_and_messages_with_pointers() {
    let server = Server::start(&["--max-body", "200000"]);

    // Malformed JSON: 400, with the line and column.
    let p = post(
        &server,
        "/v1/solve",
        "{\"format\": \"palim/1\",\n  \"name\": }",
    )
    .problem(400, "malformed_json");
    assert_eq!(p["errors"][0]["line"], 2);

    // Wrong types: 422, the same issues `palim validate --format json` lists.
    let mut scenario: Value = serde_json::from_str(&read(BASELINE)).unwrap();
    scenario["vacancies"][2]["positions"] = json!("two");
    scenario["trainees"][4]["skills"]["jav"] = json!(3);
    let text = serde_json::to_string_pretty(&scenario).unwrap();
    let path = tmp("server-invalid.json");
    std::fs::write(&path, &text).unwrap();
    let from_cli: Value = serde_json::from_str(&cli(&[
        "validate",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    for endpoint in ["/v1/solve", "/v1/validate", "/v1/explain?rules=true"] {
        let p = post(&server, endpoint, &text).problem(422, "invalid_input");
        assert_eq!(p["errors"], from_cli["errors"], "{endpoint}");
        let pointers: BTreeSet<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["pointer"].as_str().unwrap())
            .collect();
        assert!(pointers.contains("/vacancies/2/positions"), "{pointers:?}");
        assert!(pointers.contains("/trainees/4/skills/jav"), "{pointers:?}");
    }

    // Too large: 413 at once when announced (a client that waits for
    // `100 Continue` sends nothing more) ...
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /v1/solve HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 300000\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(raw.contains("\"code\": \"body_too_large\""), "{raw}");
    // ... and when it only shows while the body streams in.
    let big = format!("{{\"padding\": \"{}\"}}", "x".repeat(200_100));
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /v1/validate HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    // Not JSON: 415.
    call(
        "POST",
        &server.url("/v1/solve"),
        &[("Content-Type", "text/plain")],
        Some("{}"),
    )
    .problem(415, "unsupported_media_type");
    // Unknown routes and methods.
    call("GET", &server.url("/v2/solve"), &[], None).problem(404, "not_found");
    call("GET", &server.url("/v1/schema/scenarios"), &[], None).problem(404, "not_found");
    let r = call("GET", &server.url("/v1/solve"), &[], None);
    r.problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("POST"));
    call("DELETE", &server.url("/healthz"), &[], None).problem(405, "method_not_allowed");
    // Parameters: wrong types, unknown names, more time than allowed, two subjects.
    let baseline = read(BASELINE);
    post(&server, "/v1/solve?time_limit=soon", &baseline).problem(400, "bad_parameter");
    post(&server, "/v1/solve?timelimit=5", &baseline).problem(400, "bad_parameter");
    let p = post(&server, "/v1/solve?time_limit=100000", &baseline).problem(400, "bad_parameter");
    assert_eq!(p["pointer"], "?time_limit");
    post(&server, "/v1/solve?time_limit=-1", &baseline).problem(400, "bad_parameter");
    post(&server, "/v1/explain?rules=true&skills=true", &baseline).problem(400, "bad_parameter");
    post(&server, "/v1/explain", &baseline).problem(400, "bad_parameter");
    post(
        &server,
        "/v1/explain?rules=true&audience=employer",
        &baseline,
    )
    .problem(400, "bad_parameter");
    // Unknown ids: the CLI's message, with its suggestion.
    let p = post(&server, "/v1/explain?trainee=T0255", &baseline).problem(422, "unknown_trainee");
    let out = palim(&["explain", BASELINE, "--trainee", "T0255"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        format!("palim: {}", p["detail"].as_str().unwrap())
    );
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("did you mean \"T025\"?"),
        "{p}"
    );
    // Request documents of the wrong shape: 422 at the place.
    let p = post(
        &server,
        "/v1/compare",
        &json!({ "documents": {}, "base": 3, "variants": [] }).to_string(),
    )
    .problem(422, "bad_request_document");
    assert_eq!(p["pointer"], "/base");
    let p = post(
        &server,
        "/v1/compare",
        &json!({ "documents": {}, "base": "a.json", "variants": ["b.json"] }).to_string(),
    )
    .problem(422, "missing_document");
    assert_eq!(p["pointer"], "/base");
    post(&server, "/v1/compare", "[1, 2").problem(400, "malformed_json");
    // A variant whose base is not in the request.
    let p = post(
        &server,
        "/v1/compare",
        &json!({ "documents": { "b.json": baseline, "v.json": read(COVID) }, "base": "b.json", "variants": ["v.json"] }).to_string(),
    )
    .problem(422, "invalid_input");
    assert_eq!(p["errors"][0]["code"], "missing_base");

    // The server is still up and answering.
    assert_eq!(call("GET", &server.url("/healthz"), &[], None).status, 200);
}

#[test]
fn a_token_is_required_when_configured_and_compared_exactly() {
    let token_file = tmp("server-token");
    std::fs::write(&token_file, "s3cret-token-for-palim-tests\n").unwrap();
    let server = Server::start(&["--token-file", token_file.to_str().unwrap()]);
    let baseline = read(BASELINE);
    let r = post(&server, "/v1/validate", &baseline);
    r.problem(401, "unauthorized");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    for wrong in [
        "Bearer s3cret-token-for-palim-test",
        "Bearer s3cret-token-for-palim-tests2",
        "Basic s3cret-token-for-palim-tests",
        "s3cret-token-for-palim-tests",
    ] {
        call(
            "POST",
            &server.url("/v1/validate"),
            &[JSON, ("Authorization", wrong)],
            Some(&baseline),
        )
        .problem(401, "unauthorized");
    }
    let ok = call(
        "POST",
        &server.url("/v1/validate"),
        &[
            JSON,
            ("Authorization", "Bearer s3cret-token-for-palim-tests"),
        ],
        Some(&baseline),
    );
    assert_eq!(ok.status, 200);
    // Probes and the API description stay open.
    assert_eq!(call("GET", &server.url("/healthz"), &[], None).status, 200);
    assert_eq!(
        call("GET", &server.url("/openapi.json"), &[], None).status,
        200
    );
    // It declares the token where it is required, and only there.
    let doc = call("GET", &server.url("/openapi.json"), &[], None).json();
    assert_eq!(
        doc["paths"]["/v1/solve"]["post"]["security"],
        json!([{ "bearer": [] }])
    );
    assert!(doc["paths"]["/healthz"]["get"]["security"].is_null());
    let open = Server::start(&[]);
    let doc = call("GET", &open.url("/openapi.json"), &[], None).json();
    assert!(doc["paths"]["/v1/solve"]["post"]["security"].is_null());
    assert!(doc["paths"]["/v1/solve"]["post"]["responses"]["401"].is_null());
}

#[test]
fn a_non_loopback_address_needs_a_token() {
    let out = palim(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token-file"));
}

#[test]
fn beyond_the_queue_requests_are_refused_cleanly_and_the_rest_answered() {
    let server = Arc::new(Server::start(&["--workers", "1", "--queue", "1"]));
    let baseline = Arc::new(read(BASELINE));
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (server, baseline, barrier) = (server.clone(), baseline.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = post(&server, "/v1/explain?rules=true", &baseline);
                (r.status, r.header("retry-after").map(str::to_string), r)
            })
        })
        .collect();
    let replies: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let ok = replies.iter().filter(|r| r.0 == 200).count();
    let refused: Vec<_> = replies.iter().filter(|r| r.0 == 503).collect();
    assert_eq!(
        ok + refused.len(),
        n,
        "only 200 and 503: {:?}",
        replies.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert!(ok >= 1 && ok <= n);
    assert!(
        !refused.is_empty(),
        "8 at once with 1 worker and 1 queue place: some must be refused"
    );
    for (_, retry, r) in refused {
        r.problem(503, "busy");
        assert_eq!(retry.as_deref(), Some("1"));
    }
    let ready = call("GET", &server.url("/readyz"), &[], None);
    assert_eq!(ready.status, 200, "{}", ready.body);
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits() {
    let mut server = Server::start(&[]);
    let url = server.url("/v1/explain?skills=true");
    let baseline = read(BASELINE);
    let in_flight = std::thread::spawn(move || call("POST", &url, &[JSON], Some(&baseline)));
    std::thread::sleep(std::time::Duration::from_millis(150));
    server.terminate();
    let reply = in_flight.join().unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        cli(&["explain", BASELINE, "--skills", "--format", "json"])
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn responses_are_compressed_when_asked() {
    let server = Server::start(&[]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let body = read(BASELINE);
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /v1/solve HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    // ureq asks for gzip too and decodes it: the same document as uncompressed.
    let plain = cli(&["solve", BASELINE, "--format", "json"]);
    assert!(
        raw.len() - head_end < plain.len() / 3,
        "compressed to less than a third"
    );
    assert_eq!(post(&server, "/v1/solve", &body).body, plain);
}

#[test]
fn the_openapi_document_lists_every_route_and_its_references_resolve() {
    let server = Server::start(&[]);
    let doc = call("GET", &server.url("/openapi.json"), &[], None).json();
    assert_eq!(doc["openapi"], "3.1.0");
    let listed: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("post", "/v1/solve"),
        ("post", "/v1/solve/workbook"),
        ("post", "/v1/solve/report"),
        ("post", "/v1/replan"),
        ("post", "/v1/validate"),
        ("post", "/v1/explain"),
        ("post", "/v1/compare"),
        ("post", "/v1/flatten"),
        ("post", "/v1/risk"),
        ("post", "/v1/shortlist"),
        ("post", "/v1/shortlist/workbook"),
        ("post", "/v1/shortlist/report"),
        ("post", "/v1/jobs/solve"),
        ("get", "/v1/jobs/{id}"),
        ("delete", "/v1/jobs/{id}"),
        ("post", "/v1/convert"),
        ("post", "/v1/sweep"),
        ("get", "/v1/schema/{document}"),
        ("get", "/openapi.json"),
        ("get", "/healthz"),
        ("get", "/readyz"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(listed, expected);
    // Every listed route is served (no 404), every operation answers something documented.
    for (method, path) in &listed {
        // A job of its own for each route that names one (a DELETE forgets it).
        let job = post(&server, "/v1/jobs/solve", &read(BASELINE)).json();
        let job = job["id"].as_str().unwrap();
        let concrete = path.replace("{document}", "scenario").replace("{id}", job);
        let r = call(
            &method.to_uppercase(),
            &server.url(&concrete),
            &[JSON],
            (method == "post").then_some("{}"),
        );
        assert_ne!(r.status, 404, "{method} {path}");
        let op = &doc["paths"][path][method];
        assert!(
            op["responses"]
                .as_object()
                .unwrap()
                .contains_key(&r.status.to_string()),
            "{method} {path}: {} undocumented",
            r.status
        );
        assert!(op["operationId"].is_string() && op["summary"].is_string());
    }
    // Every $ref points at a schema in components.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20);
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a component reference"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
    for name in [
        "MatchSet",
        "Scenario",
        "Problem",
        "CompareRequest",
        "Comparison",
        "Summary",
    ] {
        assert!(doc["components"]["schemas"][name].is_object(), "{name}");
    }
}

/// 1,000 × 400 with shares, whose every explanation (`solve?explain=true`,
/// about a thousand what-ifs) takes some 9 s in full.
fn medium_scenario() -> String {
    std::fs::read_to_string(common::generated("medium", "server-medium.json")).unwrap()
}

#[test]
fn a_long_explanation_stops_at_its_time_limit_and_frees_its_worker() {
    let server = Server::start(&["--workers", "1"]);
    let body = medium_scenario();
    let started = std::time::Instant::now();
    let r = post(&server, "/v1/solve?explain=true&time_limit=2", &body);
    let took = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    let set: Value = serde_json::from_str(&r.body).unwrap();
    let note = set["explanations"]["unfinished"]
        .as_str()
        .expect("says what it left out");
    assert!(note.contains("not computed"), "{note}");
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
    // The one worker is free again: a small request is answered at once.
    let health: Value =
        serde_json::from_str(&call("GET", &server.url("/healthz"), &[], None).body).unwrap();
    assert_eq!(health["solving"], 0, "{health}");
    let small = post(&server, "/v1/validate", &read(BASELINE));
    assert_eq!(small.status, 200);
}

#[test]
fn the_request_timeout_ends_the_work_not_only_the_wait() {
    let server = Server::start(&["--workers", "1", "--request-timeout", "2"]);
    let body = medium_scenario();
    let started = std::time::Instant::now();
    let r = post(&server, "/v1/solve?explain=true", &body);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(
        r.status == 200 || r.status == 503,
        "{} {}",
        r.status,
        r.body
    );
    // Soon after, the worker is free: the solve stopped at the deadline too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let health: Value =
            serde_json::from_str(&call("GET", &server.url("/healthz"), &[], None).body).unwrap();
        if health["solving"] == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still solving: {health}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_client_that_trickles_its_headers_is_disconnected() {
    let server = Server::start(&["--header-timeout", "1"]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    stream
        .write_all(b"POST /v1/solve HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // No more headers: the server must give up on this connection.
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited < std::time::Duration::from_secs(15),
        "the connection stayed open {waited:?}"
    );
}

#[test]
fn a_scenario_with_more_pairs_than_the_server_holds_is_refused_before_it_is_built() {
    // The baseline has 3,416 eligible pairs.
    let server = Server::start(&["--max-pairs", "3415"]);
    for path in [
        "/v1/solve",
        "/v1/validate",
        "/v1/explain?rules=true",
        "/v1/risk",
    ] {
        let r = post(&server, path, &read(BASELINE));
        let p = r.problem(413, "too_large");
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains("more than 3415 eligible"), "{detail}");
    }
    let server = Server::start(&["--max-pairs", "3416"]);
    assert_eq!(post(&server, "/v1/validate", &read(BASELINE)).status, 200);
}

#[test]
fn no_answer_is_larger_than_the_servers_response_limit() {
    // The baseline's match set is about 115 kB; its summary is small.
    let server = Server::start(&["--max-response", "20000"]);
    let r = post(&server, "/v1/solve", &read(BASELINE));
    let p = r.problem(413, "response_too_large");
    assert!(r.body.len() < 20_000);
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains("more than this server sends (20000)"));
    assert_eq!(post(&server, "/v1/validate", &read(BASELINE)).status, 200);
    // Compressed or not, the limit is on the answer itself.
    let gz = call(
        "POST",
        &server.url("/v1/solve"),
        &[JSON, ("Accept-Encoding", "gzip")],
        Some(&read(BASELINE)),
    );
    assert_eq!(gz.status, 413);
}

/// The workbook an endpoint answers `body` with, as an .xlsx, read.
fn workbook_answer(
    server: &Server,
    path: &str,
    body: &str,
) -> calamine::Xlsx<std::io::Cursor<Vec<u8>>> {
    let response = ureq::post(&server.url(path))
        .set("Content-Type", "application/json")
        .send_string(body)
        .unwrap();
    assert_eq!(
        response.content_type(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
    calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap()
}

#[test]
fn files_for_people_come_in_the_language_asked_for_or_the_browser_s() {
    let server = Server::start(&[]);
    let body = read(BASELINE);
    // The browser's language when the request does not say.
    let r = call(
        "POST",
        &server.url("/v1/solve/report"),
        &[JSON, ("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.5")],
        Some(&body),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "text/html");
    assert!(r.body.contains("<html lang=\"nl\">") && r.body.contains("Plaatsingen (113)"));
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-language") && v == "nl"));
    // `lang` wins over the header; an unknown language is a 400 with the parameter named.
    let r = call(
        "POST",
        &server.url("/v1/solve/report?lang=fr"),
        &[JSON, ("Accept-Language", "nl")],
        Some(&body),
    );
    assert!(
        r.body.contains("<html lang=\"fr\">"),
        "{}",
        &r.body[..200.min(r.body.len())]
    );
    let r = call(
        "POST",
        &server.url("/v1/solve/report?lang=de"),
        &[JSON],
        Some(&body),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    // The workbook, with a sheet per employer, in English by default.
    use calamine::Reader;
    let book = workbook_answer(&server, "/v1/solve/workbook", &body);
    let names = book.sheet_names();
    assert!(
        names.contains(&"Matches".to_string()) && names.contains(&"Lokerse Systems BV".to_string()),
        "{names:?}"
    );
}

#[test]
fn shortlists_come_as_a_workbook_and_a_report_the_json_has_no_language() {
    let server = Server::start(&[]);
    let body = read(BASELINE);
    let q = "per_position=3&per_trainee=4";
    let json = post(&server, &format!("/v1/shortlist?{q}"), &body);
    assert_eq!(json.status, 200, "{}", json.body);
    let lists = json.json();
    // The report in the browser's language, naming every vacancy shortlisted.
    let r = call(
        "POST",
        &server.url(&format!("/v1/shortlist/report?{q}")),
        &[JSON, ("Accept-Language", "fr-BE,fr;q=0.9")],
        Some(&body),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "text/html");
    assert!(r.body.contains("<html lang=\"fr\">"));
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("content-language") && v == "fr"));
    for l in lists["shortlists"].as_array().unwrap() {
        let vacancy = l["vacancy"].as_str().unwrap();
        assert!(r.body.contains(&format!("<b>{vacancy}</b>")), "{vacancy}");
    }
    // The workbook in the language asked for: the interviews to record.
    use calamine::Reader;
    let mut book = workbook_answer(
        &server,
        &format!("/v1/shortlist/workbook?{q}&lang=nl"),
        &body,
    );
    let interviews = book.worksheet_range("Sollicitatiegesprekken").unwrap();
    let places = lists["objective"]["places_used"].as_u64().unwrap() as usize;
    assert_eq!(interviews.rows().count(), places + 1);
    // The document has no language; K and M are required, each named.
    let p =
        post(&server, &format!("/v1/shortlist?{q}&lang=nl"), &body).problem(400, "bad_parameter");
    assert_eq!(p["pointer"], "?lang");
    let p =
        post(&server, "/v1/shortlist/report?per_trainee=4", &body).problem(400, "bad_parameter");
    assert_eq!(p["pointer"], "?per_position");
}

#[test]
fn a_scenario_may_be_sent_as_a_workbook_and_its_problems_come_back_on_cells() {
    let server = Server::start(&[]);
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let book = std::env::temp_dir().join(format!("palim-server-{}.xlsx", std::process::id()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_palim"))
        .args([
            "convert",
            BASELINE,
            "-o",
            book.to_str().unwrap(),
            "--lang",
            "nl",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&book).unwrap();
    let _ = std::fs::remove_file(&book);
    let send = |path: &str, body: &[u8]| match ureq::post(&server.url(path))
        .set("Content-Type", xlsx)
        .send_bytes(body)
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => (r.status(), r.into_string().unwrap()),
        Err(e) => panic!("{path}: {e}"),
    };
    let (status, body) = send("/v1/solve", &bytes);
    assert_eq!(status, 200, "{body}");
    let from_book: Value = serde_json::from_str(&body).unwrap();
    let from_json: Value =
        serde_json::from_str(&cli(&["solve", BASELINE, "--format", "json"])).unwrap();
    assert_eq!(from_book["objective"], from_json["objective"]);
    assert_eq!(from_book["matches"], from_json["matches"]);
    // Not a workbook at all: 422, said in words.
    let (status, body) = send("/v1/validate", b"PK\x03\x04 not really a zip");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("not_a_workbook"), "{body}");
}

/// Poll a job until it is no longer running.
fn finished_job(server: &Server, id: &str) -> Value {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let job = call("GET", &server.url(&format!("/v1/jobs/{id}")), &[], None).json();
        if job["state"] != "running" || std::time::Instant::now() > until {
            return job;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_solve_job_ends_with_the_match_set_the_solve_endpoint_gives() {
    let server = Server::start(&[]);
    let started = post(&server, "/v1/jobs/solve", &read(BASELINE));
    assert_eq!(started.status, 202, "{}", started.body);
    let job = started.json();
    let id = job["id"].as_str().unwrap();
    assert_eq!(
        started.header("location"),
        Some(format!("/v1/jobs/{id}").as_str())
    );
    let done = finished_job(&server, id);
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["step"], "done");
    let direct: Value = post(&server, "/v1/solve", &read(BASELINE)).json();
    assert_eq!(done["result"], direct);
    // Bad input is refused at once, with the problem /v1/solve gives; no job.
    let bad = post(&server, "/v1/jobs/solve", r#"{"format":"palim/1"}"#);
    let direct = post(&server, "/v1/solve", r#"{"format":"palim/1"}"#);
    assert_eq!(bad.problem(422, "invalid_input"), direct.json());
    // No such job: 404 in words.
    call("GET", &server.url("/v1/jobs/nothing"), &[], None).problem(404, "not_found");
    call("DELETE", &server.url("/v1/jobs/nothing"), &[], None).problem(404, "not_found");
}

#[test]
fn a_cancelled_job_stops_its_solve_and_frees_its_worker() {
    let server = Server::start(&["--workers", "1"]);
    // Every what-if of a 1,000 × 400 scenario: minutes, so the job runs to
    // its 60 s deadline unless it is stopped.
    let started = post(
        &server,
        "/v1/jobs/solve?explain=true&time_limit=60",
        &medium_scenario(),
    );
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.json()["id"].as_str().unwrap().to_string();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let running = call("GET", &server.url(&format!("/v1/jobs/{id}")), &[], None).json();
    assert_eq!(running["state"], "running", "{running}");
    assert_ne!(running["step"], "waiting for a solver", "{running}");
    let cancelled = call("DELETE", &server.url(&format!("/v1/jobs/{id}")), &[], None).json();
    assert_eq!(cancelled["state"], "cancelled");
    // The work itself stops, not only the wait: no what-if begins after the
    // cancel, and the one worker is free well before the deadline. Not at
    // once: a HiGHS call already running (a what-if's LP relaxation, about
    // 20 s here) ends only within the time it was given.
    let stopped = std::time::Instant::now();
    loop {
        let health = call("GET", &server.url("/healthz"), &[], None).json();
        if health["solving"] == 0 {
            break;
        }
        assert!(
            stopped.elapsed() < std::time::Duration::from_secs(45),
            "still solving {:?} after the cancel",
            stopped.elapsed()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Cancelled is gone: its id answers 404.
    call("GET", &server.url(&format!("/v1/jobs/{id}")), &[], None).problem(404, "not_found");
}

#[test]
fn the_page_comes_in_the_browser_s_language_with_a_policy_that_keeps_it_here() {
    let token_file = std::env::temp_dir().join(format!("palim-page-token-{}", std::process::id()));
    std::fs::write(&token_file, "a-token-of-some-length").unwrap();
    let server = Server::start(&["--token-file", token_file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&token_file);
    // The page holds no data: no token needed for it; the API still needs one.
    let page = call(
        "GET",
        &server.url("/"),
        &[("Accept-Language", "fr-BE, nl;q=0.8")],
        None,
    );
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert!(
        page.body.contains("<html lang=\"fr\""),
        "{}",
        &page.body[..200]
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let dutch = call(
        "GET",
        &server.url("/?lang=nl"),
        &[("Accept-Language", "fr")],
        None,
    );
    assert!(dutch.body.contains("<html lang=\"nl\""));
    let script = call("GET", &server.url("/assets/palim.js"), &[], None);
    assert_eq!(script.status, 200);
    assert!(script.content_type.starts_with("text/javascript"));
    call("GET", &server.url("/assets/other.js"), &[], None).problem(404, "not_found");
    post(&server, "/v1/convert", &read(BASELINE)).problem(401, "unauthorized");
    // Nothing the page loads comes from anywhere else.
    for text in [&page.body, &script.body] {
        assert!(
            !text.contains("http://") && !text.contains("https://")
                || text.contains("http://www.w3.org/2000/svg")
        );
    }
}

#[test]
fn convert_reads_a_workbook_s_csv_sheets_and_places_their_problems() {
    let server = Server::start(&[]);
    let dir = std::env::temp_dir().join(format!("palim-csv-sheets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    cli(&["convert", BASELINE, "-o", dir.to_str().unwrap()]);
    let mut sheets = serde_json::Map::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        sheets.insert(name, Value::String(std::fs::read_to_string(&path).unwrap()));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let csv = ("Content-Type", "application/vnd.palim.csv-sheets+json");
    let body = Value::Object(sheets.clone()).to_string();
    let r = call("POST", &server.url("/v1/convert"), &[csv], Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let from_csv = r.json();
    let from_json = post(&server, "/v1/convert", &read(BASELINE)).json();
    assert_eq!(from_csv, from_json);
    // The same scenario the command line writes.
    let file = std::env::temp_dir().join(format!("palim-convert-{}.json", std::process::id()));
    cli(&["convert", BASELINE, "-o", file.to_str().unwrap()]);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let _ = std::fs::remove_file(&file);
    assert_eq!(from_json, written);
    // A broken date in a CSV cell comes back on its cell.
    let trainees = sheets
        .iter()
        .find(|(k, _)| k.starts_with("trainees") || k.starts_with("Trainees"))
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .expect("a trainees sheet");
    let broken = trainees.1.replacen("1991-01-21", "1991-02-31", 1);
    assert_ne!(broken, trainees.1);
    sheets.insert(trainees.0, Value::String(broken));
    let r = call(
        "POST",
        &server.url("/v1/convert"),
        &[csv],
        Some(&Value::Object(sheets).to_string()),
    );
    let p = r.problem(422, "invalid_input");
    assert_eq!(p["errors"][0]["code"], "bad_date", "{p:#}");
    assert!(
        p["errors"][0]["cell"].as_str().unwrap().contains('!'),
        "{p:#}"
    );
}

#[test]
fn sweep_compare_replan_and_an_employer_s_sheet_answer_as_the_command_line() {
    let server = Server::start(&[]);
    let scenario: Value = serde_json::from_str(&read(BASELINE)).unwrap();
    let body = json!({ "scenario": scenario, "vary": ["destinations.BE.max=20..30:10"] });
    let points = post(&server, "/v1/sweep", &body.to_string()).json();
    assert_eq!(points["axes"], json!(["destinations.BE.max"]));
    let csv = cli(&["sweep", BASELINE, "--vary", "destinations.BE.max=20..30:10"]);
    let from_cli: Vec<&str> = csv.lines().skip(1).collect();
    let placements: Vec<String> = points["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["placements"].to_string())
        .collect();
    assert_eq!(placements.len(), from_cli.len());
    for (p, line) in placements.iter().zip(&from_cli) {
        assert!(line.split(',').any(|cell| cell == p), "{p} not in {line}");
    }
    let too_many = json!({ "scenario": scenario, "vary": ["destinations.BE.max=0..1000"] });
    post(&server, "/v1/sweep", &too_many.to_string()).problem(422, "bad_request_document");
    // Past its time limit, a sweep still answers: what it solved, and which
    // points it did not (here, none solved, every point listed).
    let cut = post(&server, "/v1/sweep?time_limit=0.000001", &body.to_string()).json();
    assert_eq!(cut["points"], json!([]), "{cut:#}");
    assert_eq!(cut["unsolved"], json!([[20.0], [30.0]]), "{cut:#}");
    assert!(
        points.get("unsolved").is_none(),
        "left out when every point is solved"
    );

    // Compare as a re-plan: the variant keeps the base's matches where it can.
    let variant = read("scenarios/palim-2020/split-40-80.json");
    let compare = |replan: bool| {
        let request = json!({
            "documents": { "baseline.json": scenario, "split-40-80.json": variant },
            "base": "baseline.json", "variants": ["split-40-80.json"], "replan": replan,
        });
        post(&server, "/v1/compare", &request.to_string()).json()
    };
    let fresh = compare(false);
    let replanned = compare(true);
    let moved = |c: &Value| c["variants"][0]["people"].as_array().unwrap().len();
    assert_eq!(
        fresh["variants"][0]["column"]["placements"],
        replanned["variants"][0]["column"]["placements"]
    );
    assert!(
        moved(&replanned) <= moved(&fresh),
        "{} > {}",
        moved(&replanned),
        moved(&fresh)
    );
    let cli_replan: Value = serde_json::from_str(&cli(&[
        "compare",
        BASELINE,
        "scenarios/palim-2020/split-40-80.json",
        "--replan",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        cli_replan["variants"][0]["people"],
        replanned["variants"][0]["people"]
    );

    // One employer's sheet alone; an employer nobody offers a vacancy: 400.
    let one = ureq::post(&server.url("/v1/solve/workbook?employer=Lokerse%20Systems%20BV"))
        .set("Content-Type", "application/json")
        .send_string(&read(BASELINE))
        .unwrap();
    assert_eq!(
        one.header("content-disposition"),
        Some("attachment; filename=\"palim-employer.xlsx\"")
    );
    let p = post(
        &server,
        "/v1/solve/workbook?employer=Nobody%20NV",
        &read(BASELINE),
    );
    assert_eq!(p.problem(400, "bad_parameter")["pointer"], "?employer");
}
