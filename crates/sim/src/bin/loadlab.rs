//! `loadlab`: run scenarios, replay cache traces and sweep parameters from the command
//! line. Every failure is one line on stderr naming what is wrong, and exit code 2.

use loadlab_sim::cache::PolicyKind;
use loadlab_sim::engine::MAX_CLOCK_SECONDS;
use loadlab_sim::replay::{intern_lines, replay};
use loadlab_sim::sweep::{self, Length, SweepSpec};
use loadlab_sim::{timeseries, Scenario, Simulation};
use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::rc::Rc;

const USAGE: &str = "usage:
  loadlab example
  loadlab run SCENARIO.json [--requests N | --duration SECONDS] [--seed S] [--timeseries FILE.csv]
  loadlab replay --policy lru|lfu|fifo|random|sieve|s3_fifo --capacity N TRACE
  loadlab sweep SCENARIO.json --param PATH=FROM..TO[:STEPS] [--requests N | --duration SECONDS]
                [--replications R [--csv FILE]]   (R runs per point, warm-up cut, 95 % intervals)
  loadlab lessons   (each lesson's id and title)
  loadlab lesson ID [--changed]   (its preset scenario, or the scenario after its change)
  loadlab course COURSE.json   (checks a course file, docs/lessons.md: every preset and change)
  loadlab challenges   (each challenge's id, level, area and goal)
  loadlab challenge ID [--settings SETTINGS.json]   (plays its script with your settings, a merge
                patch over its start, and prints the score and the debrief as JSON)
  loadlab workshop WORKSHOP.json   (checks a workshop file, docs/workshops.md: each item, a trainer's
                challenge's start failing and answer passing; prints its link)
  loadlab sweep SCENARIO.json [--csv FILE]   (the curve the scenario keeps, as the page's Curves
                runs it; --csv writes every figure with its band, the page's CSV byte for byte)";

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
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("example") if rest.is_empty() => Ok(Scenario::default().to_json()),
        Some("run") => run_scenario(&Options::parse(
            rest,
            &["--requests", "--duration", "--seed", "--timeseries"],
        )?),
        Some("replay") => run_replay(&Options::parse(rest, &["--policy", "--capacity"])?),
        Some("sweep") => run_sweep(&Options::parse(
            rest,
            &[
                "--param",
                "--requests",
                "--duration",
                "--replications",
                "--csv",
            ],
        )?),
        Some("lessons") => Ok(list_lessons()),
        Some("lesson") => run_lesson(rest),
        Some("course") => check_course(rest),
        Some("challenges") if rest.is_empty() => Ok(list_challenges()),
        Some("challenge") => play_challenge(rest),
        Some("workshop") => check_workshop(rest),
        Some("-h" | "--help" | "help") => Ok(USAGE.to_string()),
        Some(other) => Err(format!(
            "unknown command {other:?}; {}",
            USAGE.replace('\n', " ")
        )),
        None => Err(USAGE.replace('\n', " ")),
    }
}

/// One positional file and `--flag value` pairs.
struct Options {
    file: Option<String>,
    flags: Vec<(String, String)>,
}

impl Options {
    fn parse(args: &[String], known: &[&str]) -> Result<Self, String> {
        let mut file = None;
        let mut flags = Vec::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if arg.starts_with("--") {
                if !known.contains(&arg.as_str()) {
                    return Err(format!(
                        "unknown option {arg} (this command takes {})",
                        known.join(", ")
                    ));
                }
                if flags.iter().any(|(f, _)| f == arg) {
                    return Err(format!("{arg} given twice"));
                }
                let value = it.next().ok_or_else(|| format!("{arg} needs a value"))?;
                flags.push((arg.clone(), value.clone()));
            } else if file.is_none() {
                file = Some(arg.clone());
            } else {
                return Err(format!("unexpected argument {arg}"));
            }
        }
        Ok(Self { file, flags })
    }

    fn get(&self, flag: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(f, _)| f == flag)
            .map(|(_, v)| v.as_str())
    }

    fn file(&self, what: &str) -> Result<&str, String> {
        self.file
            .as_deref()
            .ok_or_else(|| format!("missing {what}"))
    }

    fn length(&self) -> Result<Length, String> {
        match (self.get("--requests"), self.get("--duration")) {
            (Some(_), Some(_)) => Err("give --requests or --duration, not both".into()),
            (Some(n), None) => match n.parse::<u64>() {
                Ok(n) if n > 0 => Ok(Length::Requests(n)),
                _ => Err(format!(
                    "--requests: must be a whole number above 0, got {n}"
                )),
            },
            (None, Some(s)) => match s.parse::<f64>() {
                Ok(s) if s > 0.0 && s <= MAX_CLOCK_SECONDS => Ok(Length::Duration(s)),
                _ => Err(format!(
                    "--duration: must be a number of seconds above 0, at most {MAX_CLOCK_SECONDS:e}, got {s}"
                )),
            },
            (None, None) => Ok(Length::Duration(DEFAULT_DURATION)),
        }
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn load_scenario(path: &str) -> Result<Scenario, String> {
    Scenario::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))
}

fn run_scenario(opts: &Options) -> Result<String, String> {
    let path = opts.file("scenario file")?;
    let mut scenario = load_scenario(path)?;
    if let Some(seed) = opts.get("--seed") {
        scenario.seed = seed
            .parse()
            .map_err(|_| format!("--seed: not a whole number: {seed}"))?;
    }
    let length = opts.length()?;
    let servers = scenario.servers.count;
    let mut sim = Simulation::new(scenario).map_err(|e| format!("{path}: {e}"))?;
    let csv = match opts.get("--timeseries") {
        Some(file) => Some(open_timeseries(file, servers, &mut sim)?),
        None => None,
    };
    match length {
        Length::Requests(n) => sim.run_arrivals(n),
        Length::Duration(s) => sim.run_until(s),
    }
    if let Some((file, writer)) = csv {
        writer
            .borrow_mut()
            .flush()
            .map_err(|e| format!("cannot write {file}: {e}"))?;
    }
    Ok(serde_json::to_string_pretty(&sim.summary()).expect("a summary always serialises"))
}

type SharedWriter = Rc<RefCell<BufWriter<File>>>;

/// Opens `file` and streams each closing window into it.
fn open_timeseries(
    file: &str,
    servers: u32,
    sim: &mut Simulation,
) -> Result<(String, SharedWriter), String> {
    let created = File::create(file).map_err(|e| format!("cannot create {file}: {e}"))?;
    let writer = Rc::new(RefCell::new(BufWriter::new(created)));
    writeln!(writer.borrow_mut(), "{}", timeseries::header(servers))
        .map_err(|e| format!("cannot write {file}: {e}"))?;
    let sink = writer.clone();
    sim.on_window(Box::new(move |w| {
        // A failed write shows at the final flush, which reports it.
        let _ = writeln!(sink.borrow_mut(), "{}", timeseries::row(w, servers));
    }));
    Ok((file.to_string(), writer))
}

/// `lessons`: each lesson's id and English title, in course order.
fn list_lessons() -> String {
    let width = loadlab_sim::lessons::ALL
        .iter()
        .map(|l| l.id.len())
        .max()
        .unwrap_or(0);
    loadlab_sim::lessons::ALL
        .iter()
        .map(|l| format!("{:width$}  {}", l.id, l.title))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `lesson ID [--changed]`: the lesson's preset as scenario JSON, or the scenario after
/// its change (when the change is a setting; an action such as killing a server has no
/// scenario of its own, and is said instead).
fn run_lesson(args: &[String]) -> Result<String, String> {
    use loadlab_sim::lessons;
    let (id, changed) = match args {
        [id] => (id, false),
        [id, flag] if flag == "--changed" => (id, true),
        _ => return Err("lesson needs an ID, and optionally --changed".to_string()),
    };
    let lesson = lessons::course().lesson(id).ok_or_else(|| {
        let known: Vec<&str> = lessons::ALL.iter().map(|l| l.id).collect();
        format!("no lesson {id:?}; the lessons are: {}", known.join(", "))
    })?;
    let preset = lesson.preset().map_err(|e| e.to_string())?;
    if !changed {
        return Ok(preset.to_json());
    }
    match lesson.try_it(&preset).map_err(|e| e.to_string())? {
        loadlab_sim::Change::Scenario(next) => Ok(next.to_json()),
        action => Err(format!(
            "lesson {id}'s change is an action, not a setting ({action:?}): run the preset \
             (`loadlab lesson {id}`) and make the change live on the page"
        )),
    }
}

/// `course FILE`: reads a course as the page would and checks every part of every lesson
/// (`Course::check`), saying what is wrong by its path in the file.
fn check_course(args: &[String]) -> Result<String, String> {
    let [path] = args else {
        return Err("course needs one file: loadlab course COURSE.json".to_string());
    };
    let course = loadlab_sim::lessons::Course::from_json(&read(path)?)
        .and_then(|c| c.check().map(|()| c))
        .map_err(|e| format!("{path}: {e}"))?;
    let ids: Vec<&str> = course.lessons().iter().map(|l| l.id()).collect();
    Ok(format!(
        "{path}: {} lessons, each valid: {}",
        ids.len(),
        ids.join(", ")
    ))
}

fn list_challenges() -> String {
    let set = loadlab_sim::challenges::Challenges::built_in();
    let lines: Vec<String> = set
        .challenges
        .iter()
        .map(|c| {
            let g = &c.goal;
            format!(
                "{}  level {}  {}  p99 <= {} ms, {} % in time, <= {} an hour; may change: {}",
                c.id,
                c.level,
                c.area,
                g.p99_ms,
                g.good_share * 100.0,
                g.cost_per_hour,
                c.may_change.join(", ")
            )
        })
        .collect();
    lines.join("\n")
}

fn play_challenge(args: &[String]) -> Result<String, String> {
    let (id, rest) = args
        .split_first()
        .ok_or("challenge needs an id: loadlab challenges")?;
    let opts = Options::parse(rest, &["--settings"])?;
    let set = loadlab_sim::challenges::Challenges::built_in();
    let challenge = set
        .get(id)
        .ok_or_else(|| format!("no challenge {id:?}: loadlab challenges lists them"))?;
    let settings = match opts.get("--settings") {
        Some(path) => {
            let text = read(path)?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))?
        }
        None => serde_json::json!({}),
    };
    let score = challenge
        .play(&settings)
        .map_err(|e| format!("{id}: {e}"))?;
    Ok(serde_json::to_string_pretty(&score).expect("a score serialises"))
}

/// A workshop file read and checked, as a trainer needs before a session: each item,
/// whether each of their own challenges can be lost and won, and the link to share.
fn check_workshop(args: &[String]) -> Result<String, String> {
    use loadlab_sim::workshop::{self, Item, Workshop};
    let [path] = args else {
        return Err("workshop needs one file: loadlab workshop WORKSHOP.json".to_string());
    };
    let text = read(path)?;
    let w = Workshop::from_json(&text).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = vec![format!("{path}: {} items, each valid", w.items.len())];
    for (i, item) in w.items.iter().enumerate() {
        let line = match item {
            Item::BuiltInLesson(id) => format!("lesson {id} (built in)"),
            Item::BuiltInChallenge(id) => format!("challenge {id} (built in)"),
            Item::Lesson(lesson) => {
                format!("lesson {}: {}", lesson.id(), item.title("en").unwrap_or(""))
            }
            Item::Challenge(c) => {
                let play = |settings: &serde_json::Value| {
                    let score = c.play(settings).map_err(|e| e.to_string())?;
                    let v = &score.verdicts;
                    Ok::<_, String>(format!(
                        "{} (p99 {:.0} ms, {:.2} % in time, {:.2} an hour)",
                        if score.passed { "passes" } else { "fails" },
                        v.p99_ms,
                        v.good_share * 100.0,
                        v.cost_per_hour
                    ))
                };
                format!(
                    "challenge {}: {}; start {}, answer {}",
                    c.id,
                    item.title("en").unwrap_or(""),
                    play(&serde_json::json!({}))?,
                    play(&c.answer)?
                )
            }
        };
        lines.push(format!("  {}. {line}", i + 1));
    }
    let fragment = workshop::encode(&text).expect("a workshop read is JSON");
    lines.push(format!(
        "link fragment ({} characters): #{fragment}",
        fragment.len() + 1
    ));
    Ok(lines.join("\n"))
}

fn run_replay(opts: &Options) -> Result<String, String> {
    let names: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.name()).collect();
    let policy = opts.get("--policy").ok_or("replay needs --policy")?;
    let policy = PolicyKind::from_name(policy).ok_or_else(|| {
        format!(
            "--policy: unknown policy {policy:?}; choose one of {}",
            names.join(", ")
        )
    })?;
    let capacity = opts.get("--capacity").ok_or("replay needs --capacity")?;
    let capacity: usize = capacity
        .parse()
        .map_err(|_| format!("--capacity: must be a whole number of entries, got {capacity}"))?;
    let trace = opts.file("trace file")?;
    let keys = intern_lines(&read(trace)?);
    Ok(
        serde_json::to_string_pretty(&replay(policy, capacity, &keys))
            .expect("a result always serialises"),
    )
}

fn run_sweep(opts: &Options) -> Result<String, String> {
    let path = opts.file("scenario file")?;
    let base = load_scenario(path)?;
    let Some(param) = opts.get("--param") else {
        // The curve the page chose and exported with the scenario, as the page runs it.
        let curve = base
            .curve
            .clone()
            .ok_or("sweep needs --param PATH=FROM..TO[:STEPS], or a scenario with a curve")?;
        curve.check_ends(&base).map_err(|e| format!("curve: {e}"))?;
        let table = Curve {
            values: curve.values(&base),
            spec: curve,
            csv: opts.get("--csv"),
        };
        return table.print(&base);
    };
    let spec = SweepSpec::parse(param)?;
    if let Some(r) = opts.get("--replications") {
        return run_curve(&base, &spec, r, opts);
    }
    let rows = sweep::run(&base, &spec, opts.length()?).map_err(|e| format!("--param {e}"))?;
    let mut out = format!(
        "{:>14} {:>11} {:>11} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        spec.path.rsplit('.').next().unwrap_or(&spec.path),
        "throughput",
        "goodput",
        "p50_ms",
        "p99_ms",
        "hit_rate",
        "rejected",
        "util"
    );
    for (value, s) in rows {
        let rejected = if s.arrivals == 0 {
            0.0
        } else {
            s.rejected.total() as f64 / s.arrivals as f64
        };
        let util =
            s.servers.iter().map(|v| v.utilisation).sum::<f64>() / s.servers.len().max(1) as f64;
        let hit_rate = s.cache.map_or(f64::NAN, |c| c.hit_rate);
        out += &format!(
            "{value:>14} {:>11.1} {:>11.1} {:>9.2} {:>9.2} {hit_rate:>9.3} {rejected:>9.3} {util:>9.3}\n",
            s.throughput,
            s.goodput,
            s.latency.p50 * 1e3,
            s.latency.p99 * 1e3
        );
    }
    Ok(out.trim_end().to_string())
}

/// `sweep --replications R`: each point as `loadlab_sim::curves` computes it (what the
/// page's curves show): means with 95 % intervals over R runs, warm-up cut, theory beside.
fn run_curve(
    base: &Scenario,
    spec: &SweepSpec,
    replications: &str,
    opts: &Options,
) -> Result<String, String> {
    let replications = match replications.parse::<u32>() {
        Ok(r) if (2..=100).contains(&r) => r,
        _ => {
            return Err(format!(
                "--replications: must be from 2 to 100, got {replications}"
            ))
        }
    };
    let requests = match opts.length()? {
        Length::Requests(n) => n,
        Length::Duration(_) if opts.get("--duration").is_some() => {
            return Err("--replications counts requests: give --requests, not --duration".into())
        }
        Length::Duration(_) => 100_000,
    };
    let integer = sweep::is_integer(base, &spec.path).map_err(|e| format!("--param {e}"))?;
    let values = spec.values(integer);
    let table = Curve {
        spec: loadlab_sim::curves::CurveSpec {
            setting: spec.path.clone(),
            from: spec.from,
            to: spec.to,
            points: values.len() as u32,
            replications,
            requests,
            measure: loadlab_sim::curves::Measure::MeanLatency,
            band: None,
        },
        values,
        csv: opts.get("--csv"),
    };
    table.print(base)
}

/// A curve to run and print: its figure in its own columns (with theory's value) when
/// it is not the mean.
struct Curve<'a> {
    spec: loadlab_sim::curves::CurveSpec,
    values: Vec<f64>,
    /// Where to write the points as CSV (`curves::csv`, what the page downloads).
    csv: Option<&'a str>,
}

impl Curve<'_> {
    /// Runs the points in parallel (each is single-threaded and seeded, so the numbers
    /// do not depend on the thread count) and prints a row per point.
    fn print(&self, base: &Scenario) -> Result<String, String> {
        use loadlab_sim::curves::{self, Measure, Unit};
        use rayon::prelude::*;
        let points: Vec<curves::Point> = self
            .values
            .par_iter()
            .map(|&v| curves::curve_point(base, &self.spec, v, &mut |_| {}))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("--param {e}"))?;
        if let Some(file) = self.csv {
            std::fs::write(file, curves::csv(&self.spec.setting, &points))
                .map_err(|e| format!("--csv {file}: {e}"))?;
        }
        let extra = (self.spec.measure != Measure::MeanLatency).then_some(self.spec.measure);
        let scale = |m: Measure| if m.unit() == Unit::Seconds { 1e3 } else { 1.0 };
        let path = self.spec.setting.as_str();
        let name = path.rsplit('.').next().unwrap_or(path);
        let mut out = format!(
            "{name:>14} {:>20} {:>20} {:>20} {:>12} {:>12}",
            "mean_ms ± 95%", "p99_ms ± 95%", "throughput ± 95%", "errors", "theory_ms"
        );
        if let Some(m) = extra {
            let label = serde_json::to_value(m).expect("a measure serialises");
            let label = format!(
                "{}{}",
                label.as_str().unwrap_or("?"),
                if scale(m) == 1e3 { "_ms" } else { "" }
            );
            out += &format!(" {:>22} {:>12}", format!("{label} ± 95%"), "theory");
        }
        if self.spec.band.is_some() {
            out += &format!(" {:>10}", "requests");
        }
        out.push('\n');
        for p in points {
            let cell = |m: Measure| {
                let e = p.figure(m);
                format!("{:.3} ± {:.3}", e.mean * scale(m), e.half_width * scale(m))
            };
            let theory = |m: Measure| {
                p.theory_of(m)
                    .map_or("–".to_string(), |w| format!("{:.3}", w * scale(m)))
            };
            out += &format!(
                "{:>14} {:>20} {:>20} {:>20} {:>12.4} {:>12}",
                p.value,
                cell(Measure::MeanLatency),
                cell(Measure::P99),
                cell(Measure::Throughput),
                p.figure(Measure::ErrorShare).mean,
                theory(Measure::MeanLatency),
            );
            if let Some(m) = extra {
                out += &format!(" {:>22} {:>12}", cell(m), theory(m));
            }
            if self.spec.band.is_some() {
                out += &format!(" {:>10}", p.requests);
            }
            out.push('\n');
        }
        Ok(out.trim_end().to_string())
    }
}
