//! The floor under `sync_bench --turns`: the same turn-taking workload
//! (couples, partners taking turns, ~400-character entries, each written
//! once the partner has seen the previous one), done with nothing but the
//! work a delivery cannot do without, on the same runtimes and the same
//! libraries, so its CPU per delivery is what Hearth could reach on this
//! machine if everything else were free.
//!
//! ```sh
//! cargo run --release -p hearth-tests --example floor_bench
//! cargo run --release -p hearth-tests --example floor_bench -- --couples 200 --entries 20
//! ```
//!
//! What a run does, and what it leaves out, is in [`floor`].
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: fail loudly

mod floor;

fn main() {
    let couples = floor::arg("--couples", 1);
    let entries = floor::arg("--entries", 400);
    let figures = floor::phones_runtime().block_on(floor::turn_taking(couples, entries));
    println!(
        "floor, turn-taking, {couples} couples x {entries} entries per partner: {} delivered in {:.2} s = {:.0} deliveries/s; latency p50 {:.1} ms p99 {:.1} ms",
        figures.latencies.len(),
        figures.elapsed.as_secs_f64(),
        figures.per_second(),
        figures.percentile(50).as_secs_f64() * 1000.0,
        figures.percentile(99).as_secs_f64() * 1000.0,
    );
    println!(
        "  CPU (both phones of every couple and the relay, one process): {:.2} s = {:.2} ms per delivery",
        figures.cpu,
        figures.cpu_ms()
    );
}
