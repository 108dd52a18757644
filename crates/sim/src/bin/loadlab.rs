//! `loadlab`: run scenarios from the command line.
//!
//! Every failure is one line on stderr naming what is wrong, and exit code 2.

use loadlab_sim::{Scenario, Simulation};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: loadlab example | loadlab run SCENARIO.json [--requests N | --duration SECONDS] [--seed S]";

/// Simulated seconds a run covers when neither --requests nor --duration is given.
const DEFAULT_DURATION: f64 = 60.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(output) => {
            // A reader that closes the pipe early (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("loadlab: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("example") if args.len() == 1 => Ok(Scenario::default().to_json()),
        Some("run") => run_scenario(&args[1..]),
        Some("-h" | "--help") => Ok(USAGE.to_string()),
        _ => Err(USAGE.to_string()),
    }
}

/// How long `run` goes on.
enum Length {
    Requests(u64),
    Duration(f64),
}

struct RunArgs {
    path: String,
    length: Length,
    seed: Option<u64>,
}

fn parse_run_args(args: &[String]) -> Result<RunArgs, String> {
    let mut path = None;
    let mut length = None;
    let mut seed = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--requests" | "--duration" if length.is_some() => {
                return Err("give --requests or --duration, not both".into())
            }
            "--requests" => length = Some(Length::Requests(parse_count(&value("--requests")?)?)),
            "--duration" => length = Some(Length::Duration(parse_seconds(&value("--duration")?)?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed: not a whole number: {v}"))?,
                )
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if path.is_none() => path = Some(file.to_string()),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    Ok(RunArgs {
        path: path.ok_or_else(|| format!("run needs a scenario file; {USAGE}"))?,
        length: length.unwrap_or(Length::Duration(DEFAULT_DURATION)),
        seed,
    })
}

fn parse_count(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "--requests: must be a whole number above 0, got {text}"
        )),
    }
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!(
            "--duration: must be a positive number of seconds, got {text}"
        )),
    }
}

fn run_scenario(args: &[String]) -> Result<String, String> {
    let args = parse_run_args(args)?;
    let text = std::fs::read_to_string(&args.path)
        .map_err(|e| format!("cannot read {}: {e}", args.path))?;
    let mut scenario = Scenario::from_json(&text).map_err(|e| format!("{}: {e}", args.path))?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let mut sim = Simulation::new(scenario).map_err(|e| format!("{}: {e}", args.path))?;
    match args.length {
        Length::Requests(n) => sim.run_arrivals(n),
        Length::Duration(s) => sim.run_until(s),
    }
    Ok(serde_json::to_string_pretty(&sim.summary()).expect("a summary always serialises"))
}
