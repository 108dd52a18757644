//! The followed request's waterfall: each phase of its journey as a bar on one time
//! axis, with its duration; the durations add up to its latency (the core lays the
//! phases back to back). Latency decomposition: why this request took as long as it did.

use crate::i18n::reason_name;
use crate::i18n::{fill, Strings};
use crate::view::fixed;
use loadlab_sim::trace::Outcome;
use loadlab_sim::{Journey, Phase};
use yew::prelude::*;

/// The phase's name.
fn phase_name(t: &Strings, p: Phase) -> &'static str {
    match p {
        Phase::Shaping => t.ph_shaping,
        Phase::Queue => t.ph_queue,
        Phase::RunQueue => t.ph_run_queue,
        Phase::Compute => t.ph_compute,
        Phase::Lookup => t.ph_lookup,
        Phase::QueueWrite => t.ph_queue_write,
        Phase::Coalesced => t.ph_coalesced,
        Phase::PoolWait => t.ph_pool_wait,
        Phase::Network => t.ph_network,
        Phase::LockWait => t.ph_lock_wait,
        Phase::DbQueue => t.ph_db_queue,
        Phase::Processing => t.ph_processing,
        Phase::Storage => t.ph_storage,
    }
}

/// Milliseconds for display.
fn ms(seconds: f64) -> String {
    fixed(seconds * 1e3, if seconds < 0.01 { 2 } else { 1 })
}

/// What became of it, or how long it has been inside.
fn status(t: &Strings, j: &Journey) -> String {
    let spent = ms(j.ended_at - j.arrived_at);
    match j.outcome {
        None => fill(t.fw_so_far, &[("ms", &spent)]),
        Some(Outcome::Rejected(why)) => fill(
            t.fw_refused,
            &[("ms", &spent), ("why", &reason_name(t, why))],
        ),
        Some(Outcome::TimedOut) => fill(t.fw_late, &[("ms", &spent)]),
        Some(_) => fill(t.fw_answered, &[("ms", &spent)]),
    }
}

/// The panel under the stage: a hint while nothing is followed, else the waterfall.
pub fn view(
    t: &'static Strings,
    journey: Option<&Journey>,
    following: bool,
    stop: Callback<MouseEvent>,
) -> Html {
    let Some(j) = journey else {
        let text = if following { t.fw_gone } else { t.fw_hint };
        return html! { <section class="follow" id="follow"><p class="hint">{ text }</p></section> };
    };
    let total = (j.ended_at - j.arrived_at).max(1e-12);
    let sum: f64 = j.segments.iter().map(|s| s.end - s.start).sum();
    let kind = if j.write { t.fw_write } else { t.fw_read };
    let mut who = kind.to_string();
    if let Some(server) = j.server {
        who += " ";
        who += &fill(t.fw_on_server, &[("id", &server)]);
    }
    if j.attempt > 0 {
        who += " · ";
        who += &fill(t.fw_attempt, &[("n", &(j.attempt + 1))]);
    }
    html! {
        <section class="follow" id="follow" data-latency-ms={ms(total)} data-sum-ms={ms(sum)}
            data-ended={j.outcome.is_some().to_string()}>
            <header>
                <strong>{ t.fw_title }</strong>
                <span>{ who }</span>
                <button class="action" id="follow-stop" onclick={stop}>{ t.fw_stop }</button>
            </header>
            <p class="status">{ status(t, j) }</p>
            <ol class="waterfall">
                { for j.segments.iter().map(|s| {
                    let x = 100.0 * (s.start - j.arrived_at) / total;
                    let w = (100.0 * (s.end - s.start) / total).max(0.4);
                    html! {
                        <li data-ms={ms(s.end - s.start)}>
                            <span class="phase">{ phase_name(t, s.phase) }</span>
                            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none">
                                <rect x={fixed(x, 2)} y="1" width={fixed(w, 2)} height="8" />
                            </svg>
                            <span class="ms">{ ms(s.end - s.start) }</span>
                        </li>
                    }
                }) }
            </ol>
            if j.outcome.is_some() {
                <p class="sum">{ fill(t.fw_sum, &[("ms", &ms(sum))]) }</p>
            }
            if j.attempt > 0 {
                <p class="note">{ t.fw_retry_note }</p>
            }
        </section>
    }
}
