//! Counters for the admin address's `/metrics`, in the OpenMetrics text
//! format (prometheus-client writes it). Labels are route templates,
//! methods, status codes and error codes only: never an id, an address or
//! anything a client sent.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Upper bounds of the request-duration histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The content type of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabel {
    code: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabel {
    limit: &'static str,
}

/// The relay's counters.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    duration: Histogram,
    /// Blobs stored by pushes (retries not counted).
    pub blobs_pushed: Counter,
    /// Ciphertext bytes stored by pushes.
    pub blob_bytes_pushed: Counter,
    /// Request-body bytes read into memory from signed requests (bodies
    /// of requests refused before their body are never read).
    pub body_bytes_read: Counter,
    /// Items returned by pulls.
    pub items_pulled: Counter,
    /// Events sent on live streams.
    pub live_events: Counter,
    /// Spaces created.
    pub spaces_created: Counter,
    /// Pairing mailboxes opened.
    pub pairings_opened: Counter,
    /// Storage faults (not refusals).
    pub storage_faults: Counter,
    live_streams: Gauge,
    buffered_bytes: Gauge,
    /// Pairing reads waiting for the other side's message (kept by the
    /// handler itself: see [`Metrics::waiting_pairing_read`]).
    pairing_reads_waiting: Gauge,
    refusals: Family<CodeLabel, Counter>,
    rate_limited: Family<LimitLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        // Names without `_total`: the OpenMetrics encoder adds it to
        // counters. Help texts without the final period: it adds that too.
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "hearth_relay_http_requests",
            "Requests answered, by route template, method and status",
            requests.clone(),
        );
        let duration = Histogram::new(BUCKETS);
        registry.register(
            "hearth_relay_http_request_duration_seconds",
            "Time from request to response head (live streams: until the stream starts)",
            duration.clone(),
        );
        let mut counter = |name: &str, help: &str| {
            let counter = Counter::default();
            registry.register(name, help, counter.clone());
            counter
        };
        let blobs_pushed = counter(
            "hearth_relay_blobs_pushed",
            "Blobs stored by pushes (retries not counted)",
        );
        let blob_bytes_pushed = counter(
            "hearth_relay_blob_bytes_pushed",
            "Ciphertext bytes stored by pushes",
        );
        let body_bytes_read = counter(
            "hearth_relay_body_bytes_read",
            "Request-body bytes of signed requests read into memory",
        );
        let items_pulled = counter(
            "hearth_relay_items_pulled",
            "Blobs and tombstones returned by pulls",
        );
        let live_events = counter("hearth_relay_live_events", "Events sent on live streams");
        let spaces_created = counter("hearth_relay_spaces_created", "Spaces created");
        let pairings_opened = counter("hearth_relay_pairings_opened", "Pairing mailboxes opened");
        let storage_faults = counter(
            "hearth_relay_storage_faults",
            "Storage faults (answered 500 or 503)",
        );
        let live_streams = Gauge::default();
        registry.register(
            "hearth_relay_live_streams",
            "Live streams open in this relay process",
            live_streams.clone(),
        );
        let buffered_bytes = Gauge::default();
        registry.register(
            "hearth_relay_buffered_body_bytes",
            "Request-body bytes reserved by requests being read right now",
            buffered_bytes.clone(),
        );
        let pairing_reads_waiting = Gauge::default();
        registry.register(
            "hearth_relay_pairing_reads_waiting",
            "Pairing mailbox reads waiting for the other side's message",
            pairing_reads_waiting.clone(),
        );
        let refusals = Family::<CodeLabel, Counter>::default();
        registry.register(
            "hearth_relay_refusals",
            "Requests refused, by error code",
            refusals.clone(),
        );
        let rate_limited = Family::<LimitLabel, Counter>::default();
        registry.register(
            "hearth_relay_rate_limited",
            "Requests refused by a per-address rate limit, by limit",
            rate_limited.clone(),
        );
        Self {
            registry,
            requests,
            duration,
            blobs_pushed,
            blob_bytes_pushed,
            body_bytes_read,
            items_pulled,
            live_events,
            spaces_created,
            pairings_opened,
            storage_faults,
            live_streams,
            buffered_bytes,
            pairing_reads_waiting,
            refusals,
            rate_limited,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn record_request(&self, route: &str, method: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: static_method(method),
                status,
            })
            .inc();
        self.duration.observe(took.as_secs_f64());
    }

    /// Counts one refused request by its error code.
    pub fn record_refusal(&self, code: &'static str) {
        self.refusals.get_or_create(&CodeLabel { code }).inc();
    }

    /// Counts one rate-limited request by limit class.
    pub fn record_rate_limited(&self, class: &'static str) {
        self.rate_limited
            .get_or_create(&LimitLabel { limit: class })
            .inc();
    }

    /// Adds `n` to a counter.
    pub fn add(counter: &Counter, n: u64) {
        counter.inc_by(n);
    }

    /// Counts a pairing read as waiting until the guard is dropped.
    pub fn waiting_pairing_read(&self) -> impl Drop + use<> {
        struct Waiting(Gauge);
        impl Drop for Waiting {
            fn drop(&mut self) {
                self.0.dec();
            }
        }
        self.pairing_reads_waiting.inc();
        Waiting(self.pairing_reads_waiting.clone())
    }

    /// The text exposition, with the gauges read at this moment.
    pub fn render(&self, now: Readings) -> String {
        let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        self.live_streams.set(gauge(now.live_streams));
        self.buffered_bytes.set(gauge(now.buffered_bytes));
        let mut out = String::with_capacity(4096);
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The gauges that are read from the relay's state when metrics are asked
/// for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Readings {
    /// Live streams open in this process.
    pub live_streams: usize,
    /// Request-body bytes reserved by requests being read.
    pub buffered_bytes: usize,
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
        let waiting = metrics.waiting_pairing_read();
        let text = metrics.render(Readings {
            live_streams: 3,
            buffered_bytes: 4096,
        });
        assert!(text.contains("hearth_relay_buffered_body_bytes 4096"));
        assert!(text.contains("hearth_relay_pairing_reads_waiting 1"));
        drop(waiting);
        assert!(
            metrics
                .render(Readings::default())
                .contains("hearth_relay_pairing_reads_waiting 0")
        );
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
