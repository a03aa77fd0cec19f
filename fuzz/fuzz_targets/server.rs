//! Request bodies and query strings sent to the real server over loopback:
//! whatever arrives, the answer is a 2xx, a 4xx problem document, or a clean
//! 503 when busy; never a 500 or a dropped connection.
#![no_main]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;

static SERVER: OnceLock<SocketAddr> = OnceLock::new();

fn server() -> SocketAddr {
    *SERVER.get_or_init(|| {
        let config = palim::app::server::Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            max_time_limit: 5.0,
            workers: 1,
            queue: 4,
            log: false,
            ..Default::default()
        };
        let handle = palim::app::server::spawn(config).expect("the server starts");
        let addr = handle.addr;
        std::mem::forget(handle); // runs for the whole fuzzing session
        addr
    })
}

const JSON: &str = "application/json";
const CSV_SHEETS: &str = "application/vnd.palim.csv-sheets+json";

/// Each route with the media type its body is sent as.
const ROUTES: &[(&str, &str)] = &[
    ("/v1/solve", JSON),
    ("/v1/solve?explain=true", JSON),
    ("/v1/validate", JSON),
    ("/v1/explain?trainee=T001", JSON),
    ("/v1/explain?vacancy=BE-01", JSON),
    ("/v1/explain?rules=true", JSON),
    ("/v1/compare", JSON),
    ("/v1/flatten", JSON),
    ("/v1/risk", JSON),
    ("/v1/replan", JSON),
    ("/v1/convert", JSON),
    ("/v1/convert", CSV_SHEETS),
    ("/v1/solve", CSV_SHEETS),
    ("/v1/sweep", JSON),
    ("/v1/jobs/solve", JSON),
];

/// A query string as a client library would send it: percent-encoded but
/// for the characters that structure it.
fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'=' | b'&' | b'.' | b'-' | b'_' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    // A query of its own after a newline, the body after that.
    let text = String::from_utf8_lossy(rest);
    let (query, body) = match text.split_once('\n') {
        Some((q, b)) if q.len() < 200 => (encode(q), b.to_string()),
        _ => (String::new(), text.to_string()),
    };
    let (route, media) = ROUTES[pick as usize % ROUTES.len()];
    let sep = if route.contains('?') { '&' } else { '?' };
    let target = if query.is_empty() {
        route.to_string()
    } else {
        format!("{route}{sep}{query}")
    };
    let mut stream = TcpStream::connect(server()).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(120))).ok();
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {media}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // The server may answer before it has read everything (a bad query, a
    // body too large) and close: what it answered is what is checked.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()));
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the server answers");
    let answer = String::from_utf8_lossy(&answer);
    let status: u16 = answer
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {:?}", &answer[..answer.len().min(200)]));
    assert!(
        status < 500 || status == 503,
        "{target} answered {status}: {}",
        &answer[..answer.len().min(2000)]
    );
});
