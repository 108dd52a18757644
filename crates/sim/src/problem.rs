//! What is wrong with a scenario, a live change or a shared link, as data rather than
//! words, so the page can say each [`Problem`] in the reader's language from its
//! values; `Display` gives the English the CLI prints.
//!
//! A problem says what is wrong; the field it is wrong at is the
//! [`ScenarioError`](crate::validate::ScenarioError)'s path.

use std::fmt;

/// Longest serde message kept, in characters: a document can quote a gigantic value
/// back in its error (an unknown variant of 200,000 characters), which no one can read.
const MAX_SYNTAX_CHARS: usize = 240;

impl Problem {
    /// Serde's message, cut to [`MAX_SYNTAX_CHARS`] with an ellipsis.
    pub fn syntax(message: impl fmt::Display) -> Self {
        let message = message.to_string();
        match message.char_indices().nth(MAX_SYNTAX_CHARS) {
            Some((cut, _)) => Problem::Syntax(format!("{}…", &message[..cut])),
            None => Problem::Syntax(message),
        }
    }
}

/// What is wrong, one variant per kind of message, carrying the values the message
/// quotes.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The JSON did not decode (malformed, a wrong type, a missing or unknown field):
    /// serde's own message, which stays in English because serde writes it.
    Syntax(String),
    /// The document ends in the middle of a value (a file cut off while copying or
    /// downloading): said before any field path, which would only name where it stopped.
    Truncated {
        /// The line where the text stops.
        line: usize,
    },
    /// The document has a key the format does not know, where serde cannot tell (on an
    /// enum variant without fields); serde reports the others as [`Problem::Syntax`].
    UnknownField,
    /// The document is in a format version this build does not read.
    Version {
        /// The version this build reads.
        reads: u32,
        /// The version the document says it is in.
        got: u32,
    },
    /// Needs a positive finite number (not NaN, infinite, zero or negative).
    Positive {
        /// The value given.
        got: f64,
    },
    /// Needs a finite number ≥ 0 (not NaN, infinite or negative).
    NonNegative {
        /// The value given.
        got: f64,
    },
    /// Needs a share from 0 to 1.
    Fraction {
        /// The value given.
        got: f64,
    },
    /// Needs a value from `min` to `max`. The bounds and value are whole numbers or
    /// decimals depending on the field, so they come already written out, as Rust's
    /// `Display` writes them.
    Range {
        /// The smallest value allowed.
        min: String,
        /// The largest value allowed.
        max: String,
        /// The value given.
        got: String,
    },
    /// A ramp's end is not after its start.
    EndBeforeStart {
        /// The ramp's start, in seconds.
        start: f64,
        /// The end given, in seconds.
        got: f64,
    },
    /// A per-server list has the wrong length.
    OnePer {
        /// Which list.
        what: PerServer,
        /// How many servers there are: the length needed.
        servers: u32,
        /// The list's length.
        got: usize,
    },
    /// Every server weight is zero, so no server would get traffic.
    AllWeightsZero,
    /// Autoscaling with per-server weights or speeds.
    ScalingNeedsAlike,
    /// A challenge's setting the learner may not change.
    Locked,
    /// Spikes and sines together would take the rate beyond what a schedule may reach.
    PeakTooHigh {
        /// The highest rate the schedule would reach, per second.
        peak: f64,
        /// The highest rate a schedule may reach, per second.
        max: f64,
    },
    /// A log-normal's sigma is beyond any real service's tail.
    SigmaTooLarge {
        /// The largest sigma allowed.
        max: f64,
        /// The sigma given.
        got: f64,
    },
    /// A sweep names a field the scenario does not have.
    NoSuchField,
    /// A sweep names a field that is not a number.
    NotANumber,
    /// A database action, but the scenario has no database.
    NoDatabase,
    /// An action on a server that is not running (never was, or was drained away).
    NoServer {
        /// The server's index.
        index: u32,
    },
    /// Killing a server that is already dead.
    AlreadyDead {
        /// The server's index.
        index: u32,
    },
    /// Reviving a server that is not dead.
    NotDead {
        /// The server's index.
        index: u32,
    },
    /// A spike, but traffic is closed-loop (users, not a rate).
    SpikeNeedsOpenLoop,
    /// A broken link: longer than any scenario link (refused unread).
    LinkTooLong,
    /// A broken link: its lesson id has characters no lesson id has.
    LinkBadLesson,
    /// A broken link: it has no scenario part.
    LinkNoScenario,
    /// A broken link: its scenario part ends before the payload (no `.` after the format).
    LinkCutShort,
    /// A broken link: in a link format this build does not read.
    LinkFormat {
        /// The format this build reads.
        reads: &'static str,
        /// The format the link says it is in.
        got: String,
    },
    /// A broken link: the payload is not base64url.
    LinkNotBase64,
    /// A broken link: the payload does not inflate (corrupt).
    LinkNotDeflate,
    /// A broken link: the payload inflates to more than any scenario (a "zip bomb", or
    /// a document padded with a gigantic value).
    LinkTooLarge,
    /// A broken link: the payload inflates to something that is not UTF-8 text.
    LinkNotUtf8,
}

/// The per-server lists a scenario may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerServer {
    /// `servers.weights`.
    Weight,
    /// `servers.speeds`.
    Speed,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(message) => f.write_str(message),
            Problem::Truncated { line } => write!(
                f,
                "the file ends in the middle (line {line}): is it complete?"
            ),
            Problem::UnknownField => f.write_str("unknown field"),
            Problem::Version { reads, got } => {
                write!(f, "this build reads version {reads}, the file says {got}")
            }
            Problem::Positive { got } => write!(f, "must be a positive finite number, got {got}"),
            Problem::NonNegative { got } => write!(f, "must be a finite number ≥ 0, got {got}"),
            Problem::Fraction { got } => write!(f, "must be between 0 and 1, got {got}"),
            Problem::Range { min, max, got } => write!(f, "must be from {min} to {max}, got {got}"),
            Problem::EndBeforeStart { start, got } => {
                write!(f, "must be after start ({start}), got {got}")
            }
            Problem::OnePer { what, servers, got } => {
                write!(f, "needs one {what} per server ({servers}), got {got}")
            }
            Problem::Locked => f.write_str("this challenge does not let you change this setting"),
            Problem::ScalingNeedsAlike => f.write_str(
                "autoscaling needs the servers alike: remove the weights and speeds lists",
            ),
            Problem::AllWeightsZero => {
                f.write_str("all weights are zero: no server would get traffic")
            }
            Problem::PeakTooHigh { peak, max } => write!(
                f,
                "spikes and sines together would take the rate to {peak} /s; a schedule may reach at most {max} /s"
            ),
            Problem::SigmaTooLarge { max, got } => write!(
                f,
                "must be at most {max} (a tail beyond any real service), got {got}"
            ),
            Problem::NoSuchField => f.write_str("no such field in this scenario"),
            Problem::NotANumber => f.write_str("is not a number, so it cannot be swept"),
            Problem::NoDatabase => f.write_str("there is no database"),
            Problem::NoServer { index } => write!(f, "no server {index} is running"),
            Problem::AlreadyDead { index } => write!(f, "server {index} is already dead"),
            Problem::NotDead { index } => write!(f, "server {index} is not dead"),
            Problem::SpikeNeedsOpenLoop => f.write_str("spikes apply to open-loop traffic only"),
            Problem::LinkTooLong => broken(f, "it is longer than any scenario link"),
            Problem::LinkBadLesson => broken(f, "the lesson name is not one of ours"),
            Problem::LinkNoScenario => broken(f, "it holds no scenario"),
            Problem::LinkCutShort => broken(f, "it was cut short"),
            Problem::LinkFormat { reads, got } => broken(
                f,
                format_args!("it is in link format {got:?}, this version reads {reads}"),
            ),
            Problem::LinkNotBase64 | Problem::LinkNotDeflate => {
                broken(f, "it was cut short or changed")
            }
            Problem::LinkNotUtf8 => broken(f, "it was changed"),
            Problem::LinkTooLarge => broken(f, "it unpacks to more than any scenario"),
        }
    }
}

/// A link problem's sentence: every one starts the same way, so a user sees at once
/// that the link, not the page, is at fault.
fn broken(f: &mut fmt::Formatter<'_>, why: impl fmt::Display) -> fmt::Result {
    write!(f, "This link is broken: {why}")
}

impl fmt::Display for PerServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PerServer::Weight => "weight",
            PerServer::Speed => "speed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_is_the_sentence_users_have_always_read() {
        for (problem, english) in [
            (
                Problem::Positive { got: -0.5 },
                "must be a positive finite number, got -0.5",
            ),
            (
                Problem::OnePer {
                    what: PerServer::Speed,
                    servers: 4,
                    got: 1,
                },
                "needs one speed per server (4), got 1",
            ),
            (
                Problem::LinkFormat {
                    reads: "1",
                    got: "2".into(),
                },
                "This link is broken: it is in link format \"2\", this version reads 1",
            ),
            (Problem::NotDead { index: 3 }, "server 3 is not dead"),
        ] {
            assert_eq!(problem.to_string(), english);
        }
    }
}
