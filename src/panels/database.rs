//! The database: replicas and lag, the connection pool, query cost and the index,
//! shards, row locking, the write queue, errors and outages.

use super::{editor, group, ms, options, with_mean, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::{fill, Strings};
use crate::ids::PanelId;
use loadlab_sim::db::{Database, Locking, QueueOrder, Sharding, WriteQueueConfig};
use loadlab_sim::Change;
use yew::prelude::*;

/// Applies `edit` to the database, if there is one.
fn db_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut Database, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(d) = &mut s.database {
            edit(d, v)
        }
    })
}

fn locking_name(l: Locking) -> &'static str {
    match l {
        Locking::None => "none",
        Locking::Pessimistic => "pessimistic",
        Locking::Optimistic { .. } => "optimistic",
    }
}

fn locking_from(name: &str) -> Locking {
    match name {
        "pessimistic" => Locking::Pessimistic,
        "optimistic" => Locking::Optimistic { max_retries: 3 },
        _ => Locking::None,
    }
}

/// The Database group.
#[function_component(DatabasePanel)]
pub fn database_panel(props: &PanelProps) -> Html {
    let t = props.lang.strings();
    let database = props.scenario.database.clone();
    let body = html! { <>
        <Toggle id="db-on" label={t.db_title} checked={database.is_some()}
            onchange={editor(props, |s, on: bool| s.database = on.then(Database::default))} />
        if let Some(d) = database {
            { replication(props, t, &d) }
            { pool_and_cost(props, t, &d) }
            { writes(props, t, &d) }
            <Slider id="db-errors" label={t.db_errors} min={0.0} max={1.0} step={0.01}
                value={d.error_rate} scale={100.0} unit="%"
                onchange={db_editor(props, |d, v| d.error_rate = v)} />
            <div class="buttons">
                <button id="db-down" class="action" onclick={act(props, Change::KillDatabase)}>
                    { t.db_down }
                </button>
                <button id="db-up" class="action" onclick={act(props, Change::ReviveDatabase)}>
                    { t.db_up }
                </button>
            </div>
        }
    </> };
    group(PanelId::Database, props, t.db_title, t.db_hint, body)
}

/// A button's click handler that asks for `change`.
fn act(props: &PanelProps, change: Change) -> Callback<MouseEvent> {
    props.on_action.reform(move |_| change.clone())
}

fn replication(props: &PanelProps, t: &'static Strings, d: &Database) -> Html {
    let lag = d.replication_lag.mean();
    // Without replicas, reads have nowhere else to go and nothing lags.
    let no_replicas = (d.replicas == 0).then_some(AttrValue::Static(t.needs_replicas));
    html! { <>
        <Slider id="db-replicas" label={t.replicas} min={0.0} max={6.0} step={1.0}
            value={f64::from(d.replicas)}
            onchange={db_editor(props, |d, v: f64| d.replicas = v as u32)} />
        <Toggle id="db-split" label={t.read_split} checked={d.read_write_split}
            disabled={no_replicas.clone()}
            onchange={db_editor(props, |d, on| d.read_write_split = on)} />
        <Slider id="db-lag" label={t.lag} min={0.0} max={2.0} step={0.01} value={lag}
            scale={1000.0} unit={t.unit_ms} disabled={no_replicas}
            onchange={db_editor(props, |d, v| d.replication_lag = with_mean(d.replication_lag, v))}
            />
        <Slider id="db-shards" label={t.shards} min={1.0} max={8.0} step={1.0}
            value={f64::from(d.shards)}
            onchange={db_editor(props, |d, v: f64| d.shards = v as u32)} />
        if d.shards > 1 {
            <Select id="db-sharding" label={t.sharding} value={sharding_name(d.sharding)}
                options={options(&[("hash", t.by_hash), ("range", t.by_range)])}
                onchange={db_editor(props, set_sharding)} />
        }
    </> }
}

fn sharding_name(sharding: Sharding) -> &'static str {
    match sharding {
        Sharding::Hash => "hash",
        Sharding::Range => "range",
    }
}

fn set_sharding(d: &mut Database, name: String) {
    d.sharding = if name == "range" {
        Sharding::Range
    } else {
        Sharding::Hash
    };
}

fn pool_and_cost(props: &PanelProps, t: &'static Strings, d: &Database) -> Html {
    let disk = d.disk.mean();
    html! { <>
        <Slider id="db-pool" label={t.pool_size} min={1.0} max={64.0} step={1.0}
            value={f64::from(d.pool_size)}
            onchange={db_editor(props, |d, v: f64| d.pool_size = v as u32)} />
        <Toggle id="db-pool-timeout-on" label={t.pool_timeout_on}
            checked={d.pool_timeout_seconds.is_some()}
            onchange={db_editor(props, |d, on: bool| d.pool_timeout_seconds = on.then_some(0.5))} />
        if let Some(timeout) = d.pool_timeout_seconds {
            <Slider id="db-pool-timeout" label={t.pool_timeout} min={0.01} max={5.0} step={0.01}
                value={timeout} scale={1000.0} unit={t.unit_ms}
                onchange={db_editor(props, |d, v| d.pool_timeout_seconds = Some(v))} />
        }
        <Slider id="db-network" label={t.network} min={0.0} max={0.05} step={0.0005}
            value={d.network.mean()} scale={1000.0} unit={t.unit_ms}
            onchange={db_editor(props, |d, v| d.network = with_mean(d.network, v))} />
        <Slider id="db-processing" label={t.processing} min={0.0005} max={0.05} step={0.0005}
            value={d.processing.mean()} scale={1000.0} unit={t.unit_ms}
            onchange={db_editor(props, |d, v| d.processing = with_mean(d.processing, v))} />
        <Slider id="db-concurrency" label={t.node_concurrency} min={1.0} max={64.0} step={1.0}
            value={f64::from(d.node_concurrency)}
            onchange={db_editor(props, |d, v: f64| d.node_concurrency = v as u32)} />
        <Slider id="db-disk" label={t.disk} min={0.0} max={0.1} step={0.001} value={disk}
            scale={1000.0} unit={t.unit_ms} onchange={db_editor(props, |d, v| d.disk = with_mean(d.disk, v))} />
        <Toggle id="db-index" label={t.index} checked={d.indexed}
            onchange={db_editor(props, |d, on| d.indexed = on)} />
        if !d.indexed {
            <Slider id="db-rows" label={t.rows} min={10_000.0} max={10_000_000.0} step={10_000.0}
                value={d.rows as f64} display={rows_value(t, d)}
                onchange={db_editor(props, |d, v: f64| d.rows = v as u64)} />
        }
    </> }
}

/// The table's size and what a full scan of it costs.
fn rows_value(t: &'static Strings, d: &Database) -> String {
    let scan = ms(d.scan_seconds());
    fill(t.rows_value, &[("k", &(d.rows / 1000)), ("scan", &scan)])
}

fn writes(props: &PanelProps, t: &'static Strings, d: &Database) -> Html {
    html! { <>
        <Select id="db-locking" label={t.locking} value={locking_name(d.locking)}
            options={options(&[
                ("none", t.none),
                ("pessimistic", t.lock_pessimistic),
                ("optimistic", t.lock_optimistic),
            ])}
            onchange={db_editor(props, |d, v: String| d.locking = locking_from(&v))} />
        if let Locking::Optimistic { max_retries } = d.locking {
            <Slider id="db-conflict-retries" label={t.conflict_retries} min={0.0} max={10.0}
                step={1.0} value={f64::from(max_retries)}
                onchange={db_editor(props, set_retries)} />
        }
        <Toggle id="db-queue" label={t.write_queue_on} checked={d.write_queue.is_some()}
            onchange={db_editor(props, set_write_queue)} />
        if let Some(q) = d.write_queue {
            <Slider id="db-consumers" label={t.consumers} min={1.0} max={32.0} step={1.0}
                value={f64::from(q.consumers)} onchange={queue_editor(props, set_consumers)} />
            <Select id="db-queue-order" label={t.queue_order} value={order_name(q.order)}
                options={options(&[("fifo", t.order_fifo), ("priority", t.order_priority)])}
                onchange={queue_editor(props, set_order)} />
            <Slider id="db-urgent" label={t.urgent} min={0.0} max={1.0} step={0.05}
                value={q.urgent_share} scale={100.0} unit="%"
                onchange={queue_editor(props, |q, v| q.urgent_share = v)} />
        }
    </> }
}

/// Applies `edit` to the write queue, if there is one.
fn queue_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut WriteQueueConfig, T) + 'static,
) -> Callback<T> {
    db_editor(props, move |d, v| {
        if let Some(q) = &mut d.write_queue {
            edit(q, v)
        }
    })
}

fn set_retries(d: &mut Database, retries: f64) {
    d.locking = Locking::Optimistic {
        max_retries: retries as u32,
    };
}

/// A write queue when switched on: two consumers, first in first out.
fn set_write_queue(d: &mut Database, on: bool) {
    d.write_queue = on.then_some(WriteQueueConfig {
        order: QueueOrder::Fifo,
        consumers: 2,
        urgent_share: 0.1,
    });
}

fn set_consumers(q: &mut WriteQueueConfig, consumers: f64) {
    q.consumers = consumers as u32;
}

fn order_name(order: QueueOrder) -> &'static str {
    match order {
        QueueOrder::Fifo => "fifo",
        QueueOrder::Priority => "priority",
    }
}

fn set_order(q: &mut WriteQueueConfig, name: String) {
    q.order = if name == "priority" {
        QueueOrder::Priority
    } else {
        QueueOrder::Fifo
    };
}
