//! A fast-forward's result: what the whole fast-forwarded stretch measured (the charts
//! and the headline show only the last minute and second of it).

use crate::i18n::{fill, reason_name, Lang};
use crate::view::{clock_time, fixed, grouped, percent};
use loadlab_sim::metrics::{Reason, SpanStats};
use yew::prelude::*;

/// What the last fast-forward measured.
#[derive(Debug, Clone, PartialEq)]
pub struct FastForwardResult {
    /// From its start to where it ended.
    pub span: SpanStats,
    /// Stopped before its length by Cancel.
    pub cancelled: bool,
}

/// The result as a titled list of figures, with a button to put it away.
pub fn view(lang: Lang, result: &FastForwardResult, on_close: Callback<MouseEvent>) -> Html {
    let t = lang.strings();
    let s = &result.span;
    let ms = |x: f64| fixed(x * 1e3, 1);
    let l = &s.latency;
    let latency = format!(
        "{} / {} / {} / {}",
        ms(l.p50),
        ms(l.p90),
        ms(l.p99),
        ms(l.max)
    );
    let mut rows: Vec<(String, String)> = vec![
        (t.hl_throughput.into(), fixed(s.throughput(), 0)),
        (t.hl_goodput.into(), fixed(s.goodput(), 0)),
        (t.ffr_latency.into(), latency),
        (t.hl_errors.into(), percent(s.error_share(), 1)),
    ];
    let refused = Reason::ALL.into_iter().map(|r| (r, s.rejections.of(r)));
    for (reason, count) in refused.filter(|(_, n)| *n > 0) {
        let label = fill(t.ffr_refused, &[("reason", &reason_name(t, reason))]);
        rows.push((label, grouped(count)));
    }
    let others = [
        (t.r_gave_up, s.gave_up),
        (t.ffr_late, s.timed_out),
        (t.lg_retry, s.retries),
    ];
    for (label, count) in others.into_iter().filter(|(_, n)| *n > 0) {
        rows.push((label.into(), grouped(count)));
    }
    let span = fill(
        t.ffr_span,
        &[
            ("requests", &grouped(s.arrivals)),
            ("time", &clock_time(s.seconds())),
            ("from", &clock_time(s.start)),
            ("to", &clock_time(s.end)),
        ],
    );
    html! {
        <section id="ff-result" class="ff-result" aria-label={t.ffr_title}>
            <h3>{ t.ffr_title }
                if result.cancelled { <span class="muted">{ t.ffr_cancelled }</span> }
            </h3>
            <p>{ span }</p>
            <dl>
                { for rows.into_iter().map(|(label, value)| html! {
                    <><dt>{ label }</dt><dd>{ value }</dd></>
                }) }
            </dl>
            <button id="ff-result-close" class="action" onclick={on_close}>{ t.ffr_close }</button>
        </section>
    }
}
