//! A web site that misbehaves on purpose, for sitrep's fetching tests and benches: a plain
//! HTTP/1.1 server on loopback whose every answer a test scripts — statuses, headers, bodies
//! that drip a byte at a time, bodies that never end, lengths that lie — and which counts
//! the requests each path received. And the articles such a site serves, in words of its own.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    /// `http://HOST:PORT` as the client addressed this site, for absolute links.
    pub fn base(&self) -> String {
        format!("http://{}", self.header("Host").unwrap_or("localhost"))
    }

    /// A header's value (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the body is sent.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// One byte every `every`, with the true length declared.
    Drip {
        bytes: Vec<u8>,
        every: Duration,
    },
    /// Declares `declared` bytes and sends zeros until the client hangs up.
    Huge {
        declared: u64,
    },
    /// No length; zeros until the client hangs up.
    Endless,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
        }
    }

    pub fn status(status: u16) -> Self {
        Response::new(status, "text/plain", format!("status {status}"))
    }

    pub fn html(body: impl Into<Vec<u8>>) -> Self {
        Response::new(200, "text/html; charset=utf-8", body)
    }

    pub fn xml(body: impl Into<Vec<u8>>) -> Self {
        Response::new(200, "application/rss+xml", body)
    }

    pub fn redirect(to: &str) -> Self {
        Response::status(302).with("Location", to)
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A running site; it stops when dropped (its threads end with the test process).
pub struct Site {
    addr: SocketAddr,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Site {
    /// Serves `handler` on 127.0.0.1, on a free port.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Site {
        Site::start_on(IpAddr::V4(Ipv4Addr::LOCALHOST), handler)
    }

    /// Serves `handler` on a loopback address of the caller's choosing (127.0.0.0/8 is all
    /// loopback, so one machine can play many hosts).
    pub fn start_on(
        ip: IpAddr,
        handler: impl Fn(&Request) -> Response + Send + Sync + 'static,
    ) -> Site {
        let listener = TcpListener::bind((ip, 0)).expect("a loopback port");
        let addr = listener.local_addr().expect("bound");
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let counted = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, hits) = (handler.clone(), counted.clone());
                std::thread::spawn(move || serve(stream, &*handler, &hits));
            }
        });
        Site { addr, hits }
    }

    /// The address of `path` on this site.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests `path` received so far.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, handler: &Handler, hits: &Mutex<HashMap<String, usize>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut out = stream;
    while let Some(request) = read_request(&mut reader) {
        *hits
            .lock()
            .unwrap()
            .entry(request.path.clone())
            .or_default() += 1;
        if write_response(&mut out, handler(&request)).is_err() {
            return;
        }
    }
}

fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok().filter(|n| *n > 0)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Some(Request { path, headers })
}

fn write_response(out: &mut TcpStream, r: Response) -> std::io::Result<()> {
    let length = match &r.body {
        Body::Bytes(b) | Body::Drip { bytes: b, .. } => Some(b.len() as u64),
        Body::Huge { declared } => Some(*declared),
        Body::Endless => None,
    };
    let mut head = format!("HTTP/1.1 {} Scripted\r\n", r.status);
    for (n, v) in &r.headers {
        head += &format!("{n}: {v}\r\n");
    }
    match length {
        Some(n) => head += &format!("Content-Length: {n}\r\n"),
        None => head += "Connection: close\r\n",
    }
    head += "\r\n";
    out.write_all(head.as_bytes())?;
    match r.body {
        Body::Bytes(b) => out.write_all(&b),
        Body::Drip { bytes, every } => {
            for b in bytes {
                out.write_all(&[b])?;
                out.flush()?;
                std::thread::sleep(every);
            }
            Ok(())
        }
        Body::Huge { .. } | Body::Endless => {
            let zeros = vec![b' '; 64 * 1024];
            loop {
                out.write_all(&zeros)?;
            }
        }
    }
}

const WORDS: &[&str] = &[
    "convoy",
    "village",
    "militia",
    "shelling",
    "ceasefire",
    "patrol",
    "district",
    "governor",
    "refugees",
    "bridge",
    "harvest",
    "drone",
    "council",
    "border",
    "garrison",
    "checkpoint",
    "market",
    "clinic",
    "artillery",
    "negotiators",
    "tribal",
    "elders",
    "airstrip",
    "reservoir",
    "curfew",
    "prisoners",
    "envoy",
    "ministry",
    "battalion",
    "smugglers",
    "highway",
    "orchard",
    "school",
    "mortar",
    "hostages",
    "railway",
    "monitors",
    "protest",
    "pipeline",
    "port",
];

/// News-like prose of `words` words for article `n`, different for each `n` (no two are
/// near-duplicates), in sentences of ten words.
pub fn prose(n: u64, words: usize) -> String {
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = format!("Report number {n}.");
    for i in 0..words {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push(' ');
        out.push_str(WORDS[(state % WORDS.len() as u64) as usize]);
        if i % 10 == 9 {
            out.push('.');
        }
    }
    out
}

/// An article page holding `prose(n, 90)`.
pub fn article_page(n: u64) -> String {
    format!(
        "<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1><p>{}</p></article></body></html>",
        prose(n, 90)
    )
}
