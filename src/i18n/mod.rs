//! The page's words in English and Simplified Chinese.
//!
//! Every piece of text the page shows is a field of [`Strings`]; `en.rs` and `zh.rs` each
//! fill every field, so a string missing from one language fails to compile. Text with
//! numbers in it is a template with named `{placeholders}`, filled by [`fill`]; a test
//! checks both languages use the same placeholders in every template. The language in
//! force reaches each control group as a property ([`Lang`]), so a switch re-renders them.

mod chinese;
mod en;
mod errors;
mod marks;
mod names;
mod settings;

pub use chinese::{
    entries as word_entries, find as find_word, install as install_chinese, word as chinese_word,
    ADDRESS as CHINESE_ADDRESS,
};
pub use errors::error_text;
pub use marks::mark_text;
pub use names::*;
pub use settings::setting_label;

use std::fmt::Display;

/// A language the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Every language, in the switch's order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag: `<html lang>` (which picks the fonts) and the stored choice.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language a tag asks for: any Chinese tag (`zh`, `zh-CN`, `zh-Hans-SG`) is
    /// Simplified Chinese here, any English one English.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, which the switch shows whatever the language in force.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// A round count as this language says it: 10 k and 1 M in English; in Chinese by
    /// 万 (ten thousand), so 1,000,000 is 100 万.
    pub fn round_count(self, n: u64) -> String {
        match self {
            Lang::En if n >= 1_000_000 => format!("{} M", n / 1_000_000),
            Lang::En if n >= 1_000 => format!("{} k", n / 1_000),
            Lang::Zh if n >= 10_000 => format!("{} 万", n / 10_000),
            _ => n.to_string(),
        }
    }

    /// All the words in this language; English for Chinese until its words are here
    /// ([`Lang::ready`]).
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &en::EN,
            Lang::Zh => chinese::strings().unwrap_or(&en::EN),
        }
    }

    /// Whether this language's words are here (Chinese's are fetched when first chosen,
    /// [`install_chinese`]).
    pub fn ready(self) -> bool {
        match self {
            Lang::En => true,
            Lang::Zh => chinese::strings().is_some(),
        }
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// Declares [`Strings`] with one `&'static str` field per name, `from_texts` to build
/// one from a file's texts in field order, and `entries()` to list them all for the
/// tests.
macro_rules! strings {
    ($($name:ident),* $(,)?) => {
        /// Every piece of text the page shows, in one language. (`repr(C)`: laid out
        /// as an array of its strings, which `from_texts` relies on.)
        #[repr(C)]
        pub struct Strings {
            $(pub $name: &'static str,)*
        }

        /// How many strings there are. (The names themselves stay out of the page: a
        /// file lists its strings in field order, which a test checks by name.)
        const COUNT: usize = [$(stringify!($name)),*].len();

        /// Every field's name, in order.
        #[cfg(test)]
        const NAMES: [&str; COUNT] = [$(stringify!($name)),*];

        impl Strings {
            /// The strings `texts` holds, in field order.
            fn from_texts(texts: [&'static str; COUNT]) -> Strings {
                // SAFETY: a `repr(C)` struct whose fields all have one type is laid out
                // as an array of them, in order, without padding (and `transmute` checks
                // the sizes agree). Field by field, the copy was 10 KB of the page.
                unsafe { std::mem::transmute::<[&'static str; COUNT], Strings>(texts) }
            }

            /// (field name, text) of every string, for the completeness tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name)),*]
            }
        }
    };
}

strings! {
    // The page and its header.
    page_title, tagline, presenter_on, presenter_off, language, dismiss, controls_aria,
    drawer_open, drawer_close, open_full,
    topology_aria, reduced_motion, headline_aria, start_failed, import_refused,
    // When the page breaks anyway.
    crash_title, crash_body, crash_restart, crash_fresh, crash_details, set_aside,
    // Headline strip.
    hl_sim_time, hl_throughput, hl_goodput, hl_p99, hl_hit_rate, hl_errors, hl_utilisation,
    hl_in_flight, hl_errors_detail,
    // Units and shared words.
    unit_s, unit_req_s, none,
    // Time.
    time_aria, play, pause, step, key_space, key_right, cancel, fast_forward, ff_aria,
    ff_requests, speed, speed_value, behind,
    // Compare.
    compare_title, compare_hint, compare_start, compare_stop, compare_restart,
    compare_differs, compare_same, compare_figure, compare_a, compare_b, compare_diff,
    compare_badge, compare_ghost, fig_throughput, fig_goodput, fig_mean_latency, fig_p50,
    fig_p99, fig_errors, fig_hit_rate, fig_utilisation, fig_retries, better, worse,
    // Lessons.
    lessons_title, lessons_hint, lesson, lesson_choose, lesson_try, lesson_reset,
    lesson_watch, lesson_question, lesson_reveal, lesson_done,
    // Theory.
    theory_title, theory_windows_none, theory_windows_one, theory_windows_many,
    little_formula, little_hint, little_l, little_lw, weighted_formula, th_server,
    th_weight, th_measured, theory_no_model, theory_model, theory_model_hint, th_theory,
    th_simulated, th_wait, th_time_in_system, th_utilisation, th_blocking,
    // Traffic.
    traffic_title, traffic_hint, load, open_loop, closed_loop, arrival_rate, users,
    think_time, popularity, pop_uniform, pop_zipf, pop_hot_set, zipf_exponent, writes,
    timeout_on, timeout, spike,
    // Load balancer.
    balancer_title, balancer_hint, algorithm, hash_on, hash_key, hash_ip, health_on,
    health_interval, health_threshold, bal_round_robin, bal_random, bal_smooth_weighted,
    bal_least_connections, bal_weighted_least_connections, bal_ip_hash, bal_consistent_hash,
    bal_power_of_two, bal_peak_ewma,
    // Servers.
    servers_title, servers_hint, server_count, workers, cores, queue_bounded, queue_places,
    unbounded, cpu_per_request, io, io_sync, io_async, switch_cost, weights,
    weights_placeholder, speeds, speeds_placeholder, add_server, remove_server,
    kill_revive_aria, kill, revive, kill_aria, revive_aria, not_a_number, not_whole, not_positive,
    // Cache.
    cache_title, cache_hint, eviction, policy_random, entries, ttl_on, ttl, placement,
    placement_shared, placement_local, coalesce, write_mode, write_invalidate, write_through,
    // Database.
    db_title, db_hint, db_errors, db_down, db_up, replicas, read_split, lag, shards,
    sharding, by_hash, by_range, pool_size, pool_timeout_on, pool_timeout, network,
    processing, node_concurrency, disk, index, rows, rows_value, locking, lock_pessimistic,
    lock_optimistic, conflict_retries, write_queue_on, consumers, queue_order, order_fifo,
    order_priority, urgent,
    // Protection.
    protection_title, protection_hint, rate_limiter, lim_token_bucket, lim_leaky_bucket,
    lim_leaky_bucket_queue, lim_fixed_window, lim_sliding_window, allowed_rate, burst,
    bucket_size, concurrency_on, concurrency_limit, shed_on, shed_after, retries_on,
    attempts, backoff, budget_on, budget, breaker_on, breaker_ratio, breaker_open,
    // Share and keep.
    share_title, share_hint, copy_link, export_json, link_aria, import_label, export_csv,
    export_png, file_too_large, file_unreadable, link_broken, storage_unreadable,
    progress_unreadable, words_unavailable, lessons_unavailable,
    // Topology canvas.
    topo_clients, topo_rate, topo_users, topo_balancer, topo_in_pool, topo_limiter,
    topo_write_queue, topo_queue_waiting, topo_cache, topo_database, topo_database_down,
    topo_locks, topo_queue_depth, topo_primary, topo_replica, topo_down_unaware, topo_down,
    topo_draining, topo_out_of_pool, topo_server, topo_queue, topo_cache_share, topo_db,
    // Dots legend.
    out_cache_hit, out_miss, out_stale, out_served, out_write, out_timed_out, out_rejected,
    out_retry,
    // Charts.
    x_time, ch_latency, ch_throughput, ch_hit_rate, ch_hit_rate_none, ch_queues,
    ch_requests, ch_db_nodes, ch_db_nodes_none, ch_db_trouble, ch_db_trouble_none, y_ms,
    y_requests_s, y_waiting, y_queries_s, y_per_second, s_throughput, s_goodput,
    s_rejected, s_offered, s_attempts, s_hit_rate, s_pool_waits, s_lock_waits, s_conflicts, s_stale_reads,
    s_queue_depth,
    // The core's refusals, change marks and distributions.
    error_at, p_syntax, p_truncated, p_unknown_field, p_version, p_positive, p_non_negative, p_fraction,
    p_range, p_end_before_start, p_one_weight, p_one_speed, p_all_weights_zero, p_peak, p_sigma,
    p_no_such_field, p_not_a_number, p_no_database, p_no_server, p_already_dead, p_not_dead,
    p_spike_open_loop, p_link_broken, p_link_too_long, p_link_bad_lesson,
    p_link_no_scenario, p_link_cut_short, p_link_format, p_link_damaged, p_link_too_large,
    p_link_changed,
    m_server_killed, m_server_revived, m_database_down, m_database_up, m_spike, m_taken_out,
    m_back_in, m_switched, m_on, m_off, f_health_checks, f_breaker, f_retries, f_cache,
    f_database, f_split, f_index, f_write_queue, m_count, c_users, c_clients, c_servers,
    c_workers, c_cores, c_replicas, c_cache_size, m_balancer, m_rate_limit, m_concurrency,
    m_shedding, m_after, m_window, m_arrival_rate, m_schedule, m_think_time, m_traffic_loop,
    m_open_loop, m_closed_loop, m_keys, m_writes, m_timeout, m_seconds, m_queue,
    m_unbounded, m_service, m_io, m_sync, m_async, m_switch_overhead, m_weights,
    m_placement, m_shared, m_local, m_policy, m_ttl, m_cache_settings, m_shards, m_rows,
    m_locking, m_pessimistic, m_optimistic, m_pool, m_lag, m_error_rate, m_db_timings,
    d_constant, d_exponential, d_log_normal,
    // The stage: refusals by reason, its legend and notes, following a request.
    hl_cpu, r_queue_full, r_server_down, r_no_server, r_rate_limited, r_concurrency, r_shed, r_db_error, r_pool_timeout, r_conflict, r_circuit_open, r_gave_up, lg_read, lg_write, lg_hit, lg_miss, lg_stale, lg_wasted, lg_retry, lg_waiting_core, lg_blocked, st_flows, st_paused, st_pool, fw_title, fw_hint, fw_read, fw_write, fw_on_server, fw_attempt, fw_so_far, fw_answered, fw_late, fw_refused, fw_gone, fw_sum, fw_retry_note, fw_stop, ph_shaping, ph_queue, ph_run_queue, ph_compute, ph_lookup, ph_queue_write, ph_coalesced, ph_pool_wait, ph_network, ph_lock_wait, ph_db_queue, ph_processing, ph_storage,
    // Hover details.
    d_clients, d_arrivals, d_addresses, d_balancer, d_in_pool, d_no_server, d_server,
    d_state, d_running, d_dead, d_busy, d_waiting_core, d_queue, d_utilisation, d_routed,
    d_answered, d_db_connections, d_cache, d_entries, d_hit_rate, d_evictions, d_limiter,
    d_turned_away, d_write_queue, d_waiting, d_enqueued_written, d_lag, d_urgent_lag,
    d_database, d_database_down, d_reads_writes, d_pool_waits, d_pool_timeouts,
    d_lock_waits, d_conflicts, d_stale_reads, d_stale_fills, d_queue_depth, d_queue_lag,
    d_node, d_primary, d_replica, d_executing, d_queued, d_queries,
    // A fast-forward's result.
    ffr_title, ffr_cancelled, ffr_span, ffr_latency, ffr_refused, ffr_late, ffr_close,
    // Confirmations that fade.
    toast_link_copied, toast_imported,
    spike_status, typed_out_of_range, unit_ms,
    same, too_early, compare_rule, hl_run, hl_run_b, lesson_loading,
    lesson_mine, lesson_start, lesson_back_mine, m_settings, marks_list_aria, f_coalesce,
    theory_settling, theory_load_model, needs_replicas, needs_more_threads, hl_errors_parts,
    // What-if curves: the view, the figures, why theory has no line.
    cv_title, cv_hint, cv_setting, cv_from, cv_to, cv_points, cv_replications, cv_requests, cv_measure, cv_run, cv_progress, cv_cancelled, cv_finished, cv_knee, cv_band, cv_no_theory, cv_simulated, cv_theory, cv_now, cv_knee_mark, cv_failed, cv_csv, cv_aria, ch_title, ch_locked,
    mz_mean, mz_p50, mz_p95, mz_p99, mz_throughput, mz_goodput, mz_errors, mz_queue_full, mz_limited, mz_shed, mz_late, mz_hit_rate, mz_utilisation, mz_cpu, mz_pool_wait, mz_lock_wait,
    un_closed_loop, un_schedule, un_backend, un_shared_cores, un_unequal, un_async, un_balancer, un_protection, un_service, un_saturated, cv_png, cv_caption, cv_band_target, cv_band_grown, un_dead, theory_why, theory_saturated,
    // Autoscaling.
    as_title, as_hint, as_metric, as_cpu, as_workers, as_queue, as_p99, as_target, as_min, as_max, as_interval, as_cooldown, as_boot, as_step_up, as_step_down,
    topo_booting, topo_ready_in, d_booting,
    // Cost.
    fig_cost_hour, fig_cost_million, hl_cost, hl_cost_parts, hl_cost_detail, p_locked, m_scaled, m_autoscaling, f_autoscaling, p_scaling_alike,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The `{placeholders}` of a template.
    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    /// Both languages fill every string, with the same placeholders: a template that
    /// loses `{n}` in translation would show a number in one language only.
    #[test]
    fn both_languages_have_every_string_with_the_same_placeholders() {
        let (en, zh) = (Lang::En.strings().entries(), Lang::Zh.strings().entries());
        assert_eq!(en.len(), zh.len());
        for ((key, en_text), (zh_key, zh_text)) in en.iter().zip(&zh) {
            assert_eq!(key, zh_key);
            assert!(!en_text.trim().is_empty(), "English {key} is empty");
            assert!(!zh_text.trim().is_empty(), "Chinese {key} is empty");
            assert_eq!(
                placeholders(en_text),
                placeholders(zh_text),
                "{key}: the placeholders differ"
            );
        }
    }

    /// Chinese strings are written in Chinese, except the few that are the same in
    /// both languages (units and acronyms): an English string left in the Chinese table
    /// fails here, and so does a listed exception that stopped being one.
    #[test]
    fn chinese_strings_are_chinese() {
        const SAME_IN_BOTH: [&str; 14] = [
            "unit_req_s",
            "pop_zipf",
            "io",
            "ttl",
            "order_fifo",
            "topo_rate",
            "y_ms",
            "compare_a",
            "compare_b",
            "compare_diff",
            "m_count",
            "m_switched",
            "error_at",
            "unit_ms",
        ];
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let en = Lang::En.strings().entries();
        for ((key, zh_text), (_, en_text)) in Lang::Zh.strings().entries().into_iter().zip(en) {
            if SAME_IN_BOTH.contains(&key) {
                assert!(!han(zh_text), "{key} is Chinese now: take it off the list");
                let strip = |s: &str| {
                    s.replace(['（', '）', '(', ')', ' '], "")
                        .replace('：', ":")
                };
                assert_eq!(strip(zh_text), strip(en_text), "{key}");
            } else {
                assert!(han(zh_text), "Chinese {key} has no Chinese: {zh_text}");
            }
        }
    }

    #[test]
    fn round_counts_read_as_each_language_counts() {
        assert_eq!(Lang::En.round_count(1_000_000), "1 M");
        assert_eq!(Lang::En.round_count(10_000), "10 k");
        assert_eq!(Lang::Zh.round_count(1_000_000), "100 万");
        assert_eq!(Lang::Zh.round_count(10_000_000), "1000 万");
        assert_eq!(Lang::Zh.round_count(500), "500");
    }

    #[test]
    fn fill_replaces_each_placeholder() {
        assert_eq!(
            fill("{a} of {b}, {a}", &[("a", &1), ("b", &"two")]),
            "1 of two, 1"
        );
    }

    #[test]
    fn tags_pick_a_language() {
        assert_eq!(Lang::from_code("zh-Hans-SG"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
