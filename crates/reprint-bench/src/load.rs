//! A closed-loop HTTP load generator for `reprint serve`: `concurrency` clients, each with
//! its own keep-alive connection, send request bodies in turn for a duration (or a number of
//! requests) and check every answer: status 200 and the text the request expects in it.

use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// One request of the bodies file: `{"body": {...}, "expect": "text the answer holds"}`.
#[derive(Deserialize)]
struct Line {
    body: serde_json::Value,
    #[serde(default)]
    expect: Option<String>,
}

struct Request {
    body: Vec<u8>,
    expect: Option<String>,
}

/// How to load the service.
pub struct LoadSettings {
    /// The endpoint's URL.
    pub url: String,
    /// Clients sending at once (each waits for its answer before the next request).
    pub concurrency: usize,
    /// How long to send for.
    pub duration: Duration,
    /// Requests to send at most (across clients).
    pub max_requests: Option<u64>,
}

/// What the run measured.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub url: String,
    pub concurrency: usize,
    pub seconds: f64,
    pub requests: u64,
    /// Answers other than 200 with the expected text, and transport failures.
    pub errors: u64,
    /// The first few errors, as seen.
    pub error_samples: Vec<String>,
    pub throughput_per_s: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

fn read_bodies(path: &Path) -> Result<Vec<Request>> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a bodies line", path.display(), i + 1))?;
        out.push(Request {
            body: serde_json::to_vec(&l.body)?,
            expect: l.expect,
        });
    }
    anyhow::ensure!(!out.is_empty(), "{}: no request bodies", path.display());
    Ok(out)
}

/// Per client: latencies in microseconds, errors, and a few error texts.
type ClientResult = (Vec<u32>, u64, Vec<String>);

fn client(
    s: &LoadSettings,
    bodies: &[Request],
    first: usize,
    deadline: Instant,
    sent: &std::sync::atomic::AtomicU64,
) -> ClientResult {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let (mut lat, mut errors, mut samples) = (Vec::new(), 0u64, Vec::new());
    let mut k = first;
    while Instant::now() < deadline {
        let n = sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if s.max_requests.is_some_and(|m| n >= m) {
            break;
        }
        let r = &bodies[k % bodies.len()];
        k += s.concurrency;
        let t0 = Instant::now();
        let answer = agent
            .post(&s.url)
            .header("Content-Type", "application/json")
            .send(&r.body[..])
            .and_then(|mut resp| {
                let status = resp.status().as_u16();
                let text = resp
                    .body_mut()
                    .with_config()
                    .limit(64 << 20)
                    .read_to_string()?;
                Ok((status, text))
            });
        lat.push(t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        let problem = match answer {
            Err(e) => Some(format!("transport: {e}")),
            Ok((status, text)) if status != 200 => Some(format!(
                "status {status}: {}",
                text.chars().take(200).collect::<String>()
            )),
            Ok((_, text)) => match &r.expect {
                Some(want) if !text.contains(want.as_str()) => {
                    Some(format!("answer lacks {want:?}"))
                }
                _ => None,
            },
        };
        if let Some(p) = problem {
            errors += 1;
            if samples.len() < 5 {
                samples.push(p);
            }
        }
    }
    (lat, errors, samples)
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

/// Runs the load and reports.
pub fn run(s: &LoadSettings, bodies_file: &Path) -> Result<LoadReport> {
    anyhow::ensure!(s.concurrency > 0, "--concurrency must be at least 1");
    let bodies = read_bodies(bodies_file)?;
    let sent = std::sync::atomic::AtomicU64::new(0);
    let t0 = Instant::now();
    let deadline = t0 + s.duration;
    let results: Vec<ClientResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..s.concurrency)
            .map(|c| {
                let (bodies, sent) = (&bodies, &sent);
                scope.spawn(move || client(s, bodies, c, deadline, sent))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let seconds = t0.elapsed().as_secs_f64();
    let mut lat: Vec<u32> = Vec::new();
    let (mut errors, mut error_samples) = (0, Vec::new());
    for (l, e, samples) in results {
        lat.extend(l);
        errors += e;
        error_samples.extend(samples);
    }
    error_samples.truncate(10);
    lat.sort_unstable();
    Ok(LoadReport {
        url: s.url.clone(),
        concurrency: s.concurrency,
        seconds,
        requests: lat.len() as u64,
        errors,
        error_samples,
        throughput_per_s: lat.len() as f64 / seconds,
        p50_ms: percentile(&lat, 0.50),
        p90_ms: percentile(&lat, 0.90),
        p99_ms: percentile(&lat, 0.99),
        max_ms: lat.last().map_or(0.0, |&m| f64::from(m) / 1000.0),
    })
}
