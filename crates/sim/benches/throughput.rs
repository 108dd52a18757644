//! Prints Loadlab's engine figures beside their peers, measured in the same run:
//! `scripts/bench` (which installs the peers), or `cargo bench -p loadlab-sim --bench
//! throughput` with `LOADLAB_PYTHON` naming a Python that has simpy and libcachesim.
//!
//! - engine: M/M/8 at utilisation 0.8, no cache, against SimPy on the same model;
//! - pipeline: Poisson → power of two choices → 8 servers with sync I/O → a shared
//!   LRU cache → a database with 2 replicas, beside the bare M/M/8 engine of the same run;
//! - replay: 10 million Zipf(0.9) requests over 1 million keys, capacity 100 thousand,
//!   every policy, LRU against libCacheSim's C LRU. Trace generation and parsing are
//!   not timed on our side; libCacheSim's time includes streaming its binary trace.
//!
//! Each Loadlab figure is the median of three runs.

use loadlab_sim::balancer::BalancerKind;
use loadlab_sim::cache::{Key, PolicyKind};
use loadlab_sim::db::Database;
use loadlab_sim::dist::Distribution;
use loadlab_sim::replay::replay;
use loadlab_sim::rng::{stream, Stream};
use loadlab_sim::scenario::Scenario;
use loadlab_sim::theory::{mmc, model_scenario};
use loadlab_sim::zipf::Zipf;
use loadlab_sim::Simulation;
use std::io::Write;
use std::process::Command;
use std::time::Instant;

const MMC_CUSTOMERS: u64 = 20_000_000;
const SIMPY_CUSTOMERS: u64 = 1_000_000;
const MMC_WORKERS: u32 = 8;
const MMC_UTILISATION: f64 = 0.8;
const MEAN_SERVICE: f64 = 0.001;

const PIPELINE_REQUESTS: u64 = 10_000_000;
/// The target issue 5 names, in requests per second.
const PIPELINE_TARGET: f64 = 3e6;

const REPLAY_REQUESTS: usize = 10_000_000;
const REPLAY_KEYS: u64 = 1_000_000;
const REPLAY_CAPACITY: usize = 100_000;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// One server of 8 workers, Poisson arrivals, exponential service, unbounded queue.
fn mm8() -> Scenario {
    let lambda = MMC_UTILISATION * f64::from(MMC_WORKERS) / MEAN_SERVICE;
    model_scenario(lambda, 1, MMC_WORKERS, None, MEAN_SERVICE)
}

fn python() -> String {
    std::env::var("LOADLAB_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Runs a peer script; its last stdout line is JSON. `Err` says why it could not run.
fn peer(script: &str, args: &[String]) -> Result<serde_json::Value, String> {
    let out = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python()))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().last().unwrap_or("failed").to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or("")).map_err(|e| format!("bad output: {e}"))
}

/// The full pipeline at 100,000 req/s (simulated): P2C over 8 servers of 64 workers
/// on 16 cores with sync I/O, a shared LRU of `capacity` entries over `keys` Zipf(0.9)
/// keys, 5 % writes, and a database with 2 read replicas, 64 connections per server.
fn pipeline(keys: u64, capacity: u32) -> Scenario {
    let mut s = Scenario {
        seed: 7,
        ..Scenario::default()
    };
    s.traffic.arrivals = loadlab_sim::traffic::Arrivals::open_loop(100_000.0);
    s.traffic.clients = 100_000;
    s.traffic.keys.count = keys;
    s.traffic.write_fraction = 0.05;
    s.traffic.timeout_seconds = None;
    s.balancer = BalancerKind::PowerOfTwoChoices;
    s.health_check = None;
    s.servers.count = 8;
    s.servers.workers = 64;
    s.servers.cores = 16;
    s.servers.queue_capacity = Some(1000);
    s.servers.service_time = Distribution::Exponential {
        mean_seconds: 0.0005,
    };
    let cache = s.cache.as_mut().expect("the default has a cache");
    cache.capacity = capacity;
    cache.lookup_latency = Distribution::Constant { seconds: 0.0001 };
    s.database = Some(Database {
        network: Distribution::Constant { seconds: 0.0002 },
        processing: Distribution::Exponential {
            mean_seconds: 0.0005,
        },
        disk: Distribution::Exponential {
            mean_seconds: 0.001,
        },
        node_concurrency: 64,
        pool_size: 64,
        replicas: 2,
        ..Database::default()
    });
    s
}

/// Requests per wall-clock second through the full pipeline (median of three), with the
/// walk-through's key space (10,000 keys, 1,000 cached) and one 100 times larger.
fn bench_pipeline(bare_engine: f64) {
    println!("pipeline: Poisson -> P2C -> 8 servers (sync I/O) -> shared LRU -> database with 2 replicas, {PIPELINE_REQUESTS} requests");
    for (keys, capacity) in [(10_000, 1_000), (1_000_000, 100_000)] {
        bench_pipeline_once(bare_engine, keys, capacity);
    }
}

fn bench_pipeline_once(bare_engine: f64, keys: u64, capacity: u32) {
    println!("  {keys} Zipf(0.9) keys, LRU of {capacity}:");
    let mut rates = Vec::new();
    let mut summary = None;
    for _ in 0..3 {
        let mut sim = Simulation::new(pipeline(keys, capacity)).expect("valid");
        let start = Instant::now();
        sim.run_arrivals(PIPELINE_REQUESTS);
        rates.push(PIPELINE_REQUESTS as f64 / start.elapsed().as_secs_f64());
        summary = Some(sim.summary());
    }
    let ours = median(rates);
    let s = summary.expect("ran");
    let db = s.database.expect("a database").totals;
    println!(
        "    loadlab  {:>8.2} M req/s   hit rate {:.3}, {} reads + {} writes in the database, {} rejected",
        ours / 1e6,
        s.cache.map_or(0.0, |c| c.hit_rate),
        db.reads,
        db.writes,
        s.rejected.total()
    );
    println!(
        "    target   {:>8.2} M req/s   ({:.2}x the target; {:.2}x the bare M/M/8 engine's customers/s)",
        PIPELINE_TARGET / 1e6,
        ours / PIPELINE_TARGET,
        ours / bare_engine
    );
}

fn bench_engine() -> f64 {
    println!("engine: M/M/{MMC_WORKERS} at utilisation {MMC_UTILISATION}, no cache, {MMC_CUSTOMERS} customers");
    let mut rates = Vec::new();
    let mut wait = 0.0;
    for _ in 0..3 {
        let mut sim = Simulation::new(mm8()).expect("valid");
        let start = Instant::now();
        sim.run_arrivals(MMC_CUSTOMERS);
        rates.push(MMC_CUSTOMERS as f64 / start.elapsed().as_secs_f64());
        wait = sim.metrics().mean_latency() - MEAN_SERVICE;
    }
    let ours = median(rates);
    let lambda = MMC_UTILISATION * f64::from(MMC_WORKERS) / MEAN_SERVICE;
    let theory = mmc(lambda, 1.0 / MEAN_SERVICE, MMC_WORKERS)
        .expect("stable")
        .mean_wait;
    println!(
        "  loadlab  {:>8.2} M customers/s   mean wait {:.4} ms (Erlang C {:.4} ms)",
        ours / 1e6,
        wait * 1e3,
        theory * 1e3
    );
    let args = [SIMPY_CUSTOMERS, u64::from(MMC_WORKERS)]
        .iter()
        .map(u64::to_string)
        .chain([MMC_UTILISATION.to_string(), "1".into()])
        .collect::<Vec<_>>();
    match peer("benches/peers/simpy_mmc.py", &args) {
        Ok(v) => {
            let theirs = v["customers_per_second"].as_f64().unwrap_or(f64::NAN);
            println!(
                "  SimPy    {:>8.3} M customers/s   mean wait {:.4} ms",
                theirs / 1e6,
                v["mean_wait"].as_f64().unwrap_or(f64::NAN) * 1e3
            );
            println!("  ratio    {:>8.1}x SimPy", ours / theirs);
        }
        Err(why) => println!("  SimPy    unavailable ({why}); scripts/bench installs it"),
    }
    ours
}

fn zipf_trace() -> Vec<Key> {
    let zipf = Zipf::new(REPLAY_KEYS, 0.9);
    let mut rng = stream(2026, Stream::Requests);
    (0..REPLAY_REQUESTS)
        .map(|_| zipf.sample(&mut rng) - 1)
        .collect()
}

/// The trace in libCacheSim's oracleGeneral format: (u32 time, u64 id, u32 size, i64 next).
fn write_oracle_general(trace: &[Key]) -> std::io::Result<std::path::PathBuf> {
    let path = std::env::temp_dir().join("loadlab-bench-zipf.oracleGeneral");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for (i, &key) in trace.iter().enumerate() {
        out.write_all(&(i as u32).to_le_bytes())?;
        out.write_all(&(key + 1).to_le_bytes())?;
        out.write_all(&1u32.to_le_bytes())?;
        out.write_all(&(-1i64).to_le_bytes())?;
    }
    out.flush()?;
    Ok(path)
}

fn bench_replay() {
    let trace = zipf_trace();
    println!("replay: {REPLAY_REQUESTS} Zipf(0.9) requests, {REPLAY_KEYS} keys, capacity {REPLAY_CAPACITY}");
    let mut lru = 0.0;
    for policy in PolicyKind::ALL {
        let mut rates = Vec::new();
        let mut hit_rate = 0.0;
        for _ in 0..3 {
            let start = Instant::now();
            hit_rate = replay(policy, REPLAY_CAPACITY, &trace).hit_rate;
            rates.push(REPLAY_REQUESTS as f64 / start.elapsed().as_secs_f64());
        }
        let rate = median(rates);
        if policy == PolicyKind::Lru {
            lru = rate;
        }
        println!(
            "  {:<8} {:>7.1} M req/s  hit rate {hit_rate:.4}",
            policy.name(),
            rate / 1e6
        );
    }
    let result = write_oracle_general(&trace)
        .map_err(|e| format!("cannot write the trace: {e}"))
        .and_then(|path| {
            let args = [path.display().to_string(), REPLAY_CAPACITY.to_string()];
            let v = peer("benches/peers/libcachesim_replay.py", &args);
            let _ = std::fs::remove_file(&path);
            v
        });
    match result {
        Ok(v) => {
            let theirs = v["requests_per_second"].as_f64().unwrap_or(f64::NAN);
            println!(
                "  libCacheSim LRU {:>7.1} M req/s  hit rate {:.4}",
                theirs / 1e6,
                v["hit_rate"].as_f64().unwrap_or(f64::NAN)
            );
            println!("  ratio    {:>7.1}x libCacheSim (LRU)", lru / theirs);
        }
        Err(why) => println!("  libCacheSim unavailable ({why}); scripts/bench installs it"),
    }
}

fn main() {
    let bare = bench_engine();
    bench_pipeline(bare);
    bench_replay();
}
