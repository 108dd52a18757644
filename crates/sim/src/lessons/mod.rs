//! Guided lessons: each a preset scenario and the one change to try on it. The words
//! (what to try, what to watch, the question, the explanation) belong to the page and
//! its languages; the model's part is data, `lessons/course.json` (see [`data`]), which
//! the page fetches when a lesson is first shown and `tests.rs` checks natively: each
//! lesson's key observations really hold on its preset.

mod data;

pub use crate::patch::merge;
pub(crate) use data::{join, only_keys, patched, wrong};
pub use data::{Course, LessonData};
use std::sync::OnceLock;

/// Where the page fetches the course, relative to the page (Trunk copies the crate's
/// `lessons` folder beside it).
pub const COURSE_ADDRESS: &str = "lessons/course.json";

/// The built-in course's file, for the CLI and the tests; the page fetches it instead.
pub const COURSE_JSON: &str = include_str!("../../lessons/course.json");

/// The built-in course, read once.
pub fn course() -> &'static Course {
    static COURSE: OnceLock<Course> = OnceLock::new();
    COURSE.get_or_init(|| {
        let course = Course::from_json(COURSE_JSON).expect("the built-in course reads");
        course.check().expect("the built-in course is valid");
        course
    })
}

/// A lesson of the built-in course as the lesson list shows it before the course is
/// fetched: its id and English title.
pub struct Lesson {
    /// Stable id, used in links and saved progress.
    pub id: &'static str,
    /// Its title in English (the Chinese is the page's; `loadlab lessons` lists these).
    pub title: &'static str,
}

/// Every lesson, in course order.
pub const ALL: [Lesson; 22] = [
    Lesson {
        id: "round-robin-vs-least-connections",
        title: "Round robin vs least connections",
    },
    Lesson {
        id: "smooth-weighted-shares",
        title: "Smooth weighted round robin: weights 2, 3, 4",
    },
    Lesson {
        id: "power-of-two-choices",
        title: "The power of two choices",
    },
    Lesson {
        id: "thread-pool-sizing",
        title: "Sizing a thread pool",
    },
    Lesson {
        id: "sync-vs-async-io",
        title: "Sync vs async I/O with a slow database",
    },
    Lesson {
        id: "bounded-queues-and-shedding",
        title: "Bounded queues and the latency cliff",
    },
    Lesson {
        id: "rate-limiting",
        title: "Rate limiting: token bucket vs fixed window",
    },
    Lesson {
        id: "cache-eviction",
        title: "Cache eviction under skewed popularity",
    },
    Lesson {
        id: "stampede-and-coalescing",
        title: "Cache stampede and request coalescing",
    },
    Lesson {
        id: "hashing-when-a-server-dies",
        title: "IP hash vs consistent hashing when a server dies",
    },
    Lesson {
        id: "replicas-and-stale-reads",
        title: "Read replicas and stale reads",
    },
    Lesson {
        id: "sharding-and-indexes",
        title: "Sharding, the hot shard, and indexes",
    },
    Lesson {
        id: "optimistic-vs-pessimistic",
        title: "Optimistic vs pessimistic locking on a hot row",
    },
    Lesson {
        id: "retry-storm",
        title: "Retries and the retry storm",
    },
    Lesson {
        id: "the-knee",
        title: "The knee: latency against load",
    },
    Lesson {
        id: "littles-law",
        title: "Little's law: the formulas people get wrong",
    },
    Lesson {
        id: "timeouts-and-wasted-work",
        title: "Timeouts, deadlines and wasted work",
    },
    Lesson {
        id: "scale-up-or-out",
        title: "Scale up or scale out",
    },
    Lesson {
        id: "connection-pool-sizing",
        title: "Sizing a connection pool",
    },
    Lesson {
        id: "circuit-breaker",
        title: "Circuit breaker and degradation",
    },
    Lesson {
        id: "message-queue-smoothing",
        title: "A message queue: smoothing a write spike",
    },
    Lesson {
        id: "autoscaling-lag",
        title: "Autoscaling: capacity arrives late",
    },
];

impl Lesson {
    /// The lesson's model in the built-in course (natively; the page has it only once
    /// it has fetched the course).
    pub fn data(&self) -> &'static LessonData {
        course()
            .lesson(self.id)
            .expect("every listed lesson is in the course")
    }
}

/// The lesson with this id.
pub fn by_id(id: &str) -> Option<&'static Lesson> {
    ALL.iter().find(|l| l.id == id)
}

/// Arrivals in each half of [`LessonData::reference_fingerprint`]'s run.
const REFERENCE_ARRIVALS: u64 = 10_000;

impl LessonData {
    /// A fingerprint of a fixed run: the preset for 10,000 arrivals, the lesson's change,
    /// 10,000 more; then FNV-1a (64-bit) of the summary's JSON. The native tests and the
    /// wasm tests compare the same pinned values, so every mechanism the lessons use (and
    /// a live change of each) is checked to run bit for bit alike on both.
    pub fn reference_fingerprint(&self) -> String {
        let preset = self.preset().expect("a preset is valid");
        let mut sim = crate::Simulation::new(preset).expect("a preset is valid");
        sim.run_arrivals(REFERENCE_ARRIVALS);
        let change = self.try_it(sim.scenario()).expect("the change is valid");
        sim.apply(change).expect("the lesson's change applies");
        sim.run_arrivals(REFERENCE_ARRIVALS);
        let json = serde_json::to_string(&sim.summary()).expect("a summary serialises");
        let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{} {hash:016x}", self.id())
    }
}

#[cfg(test)]
mod capacity_tests;
#[cfg(test)]
mod protection_tests;
#[cfg(test)]
mod scaling_tests;
#[cfg(test)]
mod tests;
