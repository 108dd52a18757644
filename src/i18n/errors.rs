//! The core's refusals in the page's language. The core says what is wrong as data
//! ([`Problem`]); these are its words.

use super::{fill, Strings};
use loadlab_sim::problem::{PerServer, Problem};
use loadlab_sim::ScenarioError;

/// Why a scenario, link or change was refused, in the words of `t`, after the path of
/// the field at fault (if any).
pub fn error_text(t: &'static Strings, e: &ScenarioError) -> String {
    let problem = problem_text(t, &e.problem);
    if e.path.is_empty() {
        problem
    } else {
        fill(t.error_at, &[("path", &e.path), ("problem", &problem)])
    }
}

fn problem_text(t: &'static Strings, p: &Problem) -> String {
    match p {
        Problem::Syntax(message) => fill(t.p_syntax, &[("message", message)]),
        Problem::Truncated { line } => fill(t.p_truncated, &[("line", line)]),
        Problem::UnknownField => t.p_unknown_field.into(),
        Problem::Version { reads, got } => fill(t.p_version, &[("reads", reads), ("got", got)]),
        Problem::Positive { got } => fill(t.p_positive, &[("got", got)]),
        Problem::NonNegative { got } => fill(t.p_non_negative, &[("got", got)]),
        Problem::Fraction { got } => fill(t.p_fraction, &[("got", got)]),
        Problem::Range { min, max, got } => {
            fill(t.p_range, &[("min", min), ("max", max), ("got", got)])
        }
        Problem::EndBeforeStart { start, got } => {
            fill(t.p_end_before_start, &[("start", start), ("got", got)])
        }
        Problem::OnePer { what, servers, got } => {
            let template = match what {
                PerServer::Weight => t.p_one_weight,
                PerServer::Speed => t.p_one_speed,
            };
            fill(template, &[("servers", servers), ("got", got)])
        }
        Problem::AllWeightsZero => t.p_all_weights_zero.into(),
        Problem::ScalingNeedsAlike => t.p_scaling_alike.into(),
        Problem::Locked => t.p_locked.into(),
        Problem::PeakTooHigh { peak, max } => fill(t.p_peak, &[("peak", peak), ("max", max)]),
        Problem::SigmaTooLarge { max, got } => fill(t.p_sigma, &[("max", max), ("got", got)]),
        Problem::NoSuchField => t.p_no_such_field.into(),
        Problem::NotANumber => t.p_not_a_number.into(),
        Problem::NoDatabase => t.p_no_database.into(),
        Problem::NoServer { index } => fill(t.p_no_server, &[("index", index)]),
        Problem::AlreadyDead { index } => fill(t.p_already_dead, &[("index", index)]),
        Problem::NotDead { index } => fill(t.p_not_dead, &[("index", index)]),
        Problem::SpikeNeedsOpenLoop => t.p_spike_open_loop.into(),
        link => fill(t.p_link_broken, &[("why", &link_problem(t, link))]),
    }
}

/// What is wrong with a link (the problems not handled above are all link problems).
fn link_problem(t: &'static Strings, p: &Problem) -> String {
    match p {
        Problem::LinkTooLong => t.p_link_too_long.into(),
        Problem::LinkBadLesson => t.p_link_bad_lesson.into(),
        Problem::LinkNoScenario => t.p_link_no_scenario.into(),
        Problem::LinkCutShort => t.p_link_cut_short.into(),
        Problem::LinkFormat { reads, got } => {
            fill(t.p_link_format, &[("reads", reads), ("got", got)])
        }
        Problem::LinkNotBase64 | Problem::LinkNotDeflate => t.p_link_damaged.into(),
        Problem::LinkTooLarge => t.p_link_too_large.into(),
        _ => t.p_link_changed.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// English reads as the core's own message, so the page and the CLI agree.
    #[test]
    fn english_matches_the_core() {
        let en = Lang::En.strings();
        let cases = [
            ScenarioError::new(
                "servers.workers",
                Problem::Range {
                    min: "1".into(),
                    max: "4096".into(),
                    got: "0".into(),
                },
            ),
            ScenarioError::new("", Problem::LinkCutShort),
            ScenarioError::new("", Problem::LinkNotDeflate),
            ScenarioError::new(
                "servers.weights",
                Problem::OnePer {
                    what: PerServer::Weight,
                    servers: 3,
                    got: 2,
                },
            ),
            ScenarioError::new("server", Problem::AlreadyDead { index: 2 }),
        ];
        for e in cases {
            assert_eq!(error_text(en, &e), e.to_string());
        }
    }

    #[test]
    fn chinese_names_the_field_and_says_what_is_wrong() {
        let zh = Lang::Zh.strings();
        let e = ScenarioError::new("servers.workers", Problem::Positive { got: -1.0 });
        assert_eq!(
            error_text(zh, &e),
            "servers.workers：必须是有限的正数，实际为 -1"
        );
        let link = ScenarioError::new("", Problem::LinkCutShort);
        assert_eq!(error_text(zh, &link), "链接已损坏：它被截断了");
    }
}
