//! Counters for `/metrics`, in the Prometheus text format. Labels are
//! route templates, methods, status codes and error codes only: never an
//! id, an address or anything a client sent.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the request-duration histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Request counts of one route, by (method, status).
type RouteCounts = HashMap<(&'static str, u16), u64>;

/// The relay's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Route template, then (method, status), to count.
    requests: Mutex<HashMap<String, RouteCounts>>,
    duration_buckets: [AtomicU64; BUCKETS.len()],
    duration_count: AtomicU64,
    duration_sum_micros: AtomicU64,
    /// Blobs stored by pushes (retries not counted).
    pub blobs_pushed: AtomicU64,
    /// Ciphertext bytes stored by pushes.
    pub blob_bytes_pushed: AtomicU64,
    /// Request-body bytes read into memory from signed requests (bodies
    /// of requests refused before their body are never read).
    pub body_bytes_read: AtomicU64,
    /// Items returned by pulls.
    pub items_pulled: AtomicU64,
    /// Events sent on live streams.
    pub live_events: AtomicU64,
    /// Spaces created.
    pub spaces_created: AtomicU64,
    /// Pairing mailboxes opened.
    pub pairings_opened: AtomicU64,
    /// Storage faults (not refusals).
    pub storage_faults: AtomicU64,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
    rate_limited: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let method = static_method(method);
        if let Ok(mut requests) = self.requests.lock() {
            // Looked up by &str: a route's key is allocated once, ever.
            let counts = match requests.get_mut(route) {
                Some(counts) => counts,
                None => requests.entry(route.to_owned()).or_default(),
            };
            *counts.entry((method, status)).or_insert(0) += 1;
        }
        let seconds = took.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.duration_buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.duration_sum_micros
            .fetch_add(micros, Ordering::Relaxed);
    }

    /// Counts one refused request by its error code.
    pub fn record_refusal(&self, code: &'static str) {
        if let Ok(mut refusals) = self.refusals.lock() {
            *refusals.entry(code).or_insert(0) += 1;
        }
    }

    /// Counts one rate-limited request by limit class.
    pub fn record_rate_limited(&self, class: &'static str) {
        if let Ok(mut limited) = self.rate_limited.lock() {
            *limited.entry(class).or_insert(0) += 1;
        }
    }

    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The Prometheus text exposition, with `live_streams` as a gauge.
    pub fn render(&self, live_streams: usize) -> String {
        let mut out = String::with_capacity(4096);
        header(
            &mut out,
            "hearth_relay_http_requests_total",
            "counter",
            "Requests answered, by route template, method and status.",
        );
        if let Ok(requests) = self.requests.lock() {
            // Sorted, so the exposition reads the same every time.
            let mut lines: Vec<(&str, &str, u16, u64)> = requests
                .iter()
                .flat_map(|(route, counts)| {
                    counts.iter().map(move |((method, status), count)| {
                        (route.as_str(), *method, *status, *count)
                    })
                })
                .collect();
            lines.sort_unstable();
            for (route, method, status, count) in lines {
                let _ = writeln!(
                    out,
                    "hearth_relay_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {count}"
                );
            }
        }
        header(
            &mut out,
            "hearth_relay_http_request_duration_seconds",
            "histogram",
            "Time from request to response head (live streams: until the stream starts).",
        );
        for (bound, bucket) in BUCKETS.iter().zip(&self.duration_buckets) {
            let _ = writeln!(
                out,
                "hearth_relay_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.duration_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "hearth_relay_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        #[expect(
            clippy::cast_precision_loss,
            reason = "a sum of microseconds far below 2^52"
        )]
        let sum = self.duration_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "hearth_relay_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(
            out,
            "hearth_relay_http_request_duration_seconds_count {count}"
        );
        for (name, help, counter) in [
            (
                "hearth_relay_blobs_pushed_total",
                "Blobs stored by pushes (retries not counted).",
                &self.blobs_pushed,
            ),
            (
                "hearth_relay_blob_bytes_pushed_total",
                "Ciphertext bytes stored by pushes.",
                &self.blob_bytes_pushed,
            ),
            (
                "hearth_relay_body_bytes_read_total",
                "Request-body bytes of signed requests read into memory.",
                &self.body_bytes_read,
            ),
            (
                "hearth_relay_items_pulled_total",
                "Blobs and tombstones returned by pulls.",
                &self.items_pulled,
            ),
            (
                "hearth_relay_live_events_total",
                "Events sent on live streams.",
                &self.live_events,
            ),
            (
                "hearth_relay_spaces_created_total",
                "Spaces created.",
                &self.spaces_created,
            ),
            (
                "hearth_relay_pairings_opened_total",
                "Pairing mailboxes opened.",
                &self.pairings_opened,
            ),
            (
                "hearth_relay_storage_faults_total",
                "Storage faults (answered 500 or 503).",
                &self.storage_faults,
            ),
        ] {
            header(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", counter.load(Ordering::Relaxed));
        }
        header(
            &mut out,
            "hearth_relay_live_streams",
            "gauge",
            "Live streams open in this relay process.",
        );
        let _ = writeln!(out, "hearth_relay_live_streams {live_streams}");
        header(
            &mut out,
            "hearth_relay_refusals_total",
            "counter",
            "Requests refused, by error code.",
        );
        if let Ok(refusals) = self.refusals.lock() {
            for (code, count) in refusals.iter() {
                let _ = writeln!(
                    out,
                    "hearth_relay_refusals_total{{code=\"{code}\"}} {count}"
                );
            }
        }
        header(
            &mut out,
            "hearth_relay_rate_limited_total",
            "counter",
            "Requests refused by a per-address rate limit, by limit.",
        );
        if let Ok(limited) = self.rate_limited.lock() {
            for (class, count) in limited.iter() {
                let _ = writeln!(
                    out,
                    "hearth_relay_rate_limited_total{{limit=\"{class}\"}} {count}"
                );
            }
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Methods as static labels; anything unusual is folded into "other" so a
/// client cannot mint label values.
fn static_method(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_counts_requests_by_template() {
        let metrics = Metrics::default();
        metrics.record_request(
            "/v1/spaces/{space}/blobs",
            "POST",
            200,
            Duration::from_millis(2),
        );
        metrics.record_request(
            "/v1/spaces/{space}/blobs",
            "POST",
            200,
            Duration::from_millis(30),
        );
        metrics.record_request("unmatched", "BREW", 404, Duration::from_millis(1));
        metrics.record_refusal("bad_signature");
        Metrics::add(&metrics.blobs_pushed, 2);
        let text = metrics.render(3);
        assert!(text.contains(
            "hearth_relay_http_requests_total{route=\"/v1/spaces/{space}/blobs\",method=\"POST\",status=\"200\"} 2"
        ));
        assert!(text.contains("method=\"other\",status=\"404\"} 1"));
        assert!(
            text.contains("hearth_relay_http_request_duration_seconds_bucket{le=\"0.0025\"} 2")
        );
        assert!(text.contains("hearth_relay_http_request_duration_seconds_bucket{le=\"0.05\"} 3"));
        assert!(text.contains("hearth_relay_http_request_duration_seconds_count 3"));
        assert!(text.contains("hearth_relay_blobs_pushed_total 2"));
        assert!(text.contains("hearth_relay_live_streams 3"));
        assert!(text.contains("hearth_relay_refusals_total{code=\"bad_signature\"} 1"));
    }
}
