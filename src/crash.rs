//! When the page panics anyway. A panic aborts the wasm instance, so Yew can no longer
//! draw anything: this hook builds an overlay with plain DOM calls, saying what went wrong
//! and offering two ways back, both plain links (no script needs to run after the crash):
//! reload from the last saved scenario, or start from the default with the saved one set
//! aside. The saved scenario cannot hold the broken state: the page saves a scenario only
//! after the core has accepted it, and nothing runs after a panic.

use crate::address::{page_address, FRESH};
use crate::i18n::Lang;
use gloo_utils::document;
use std::panic::PanicHookInfo;

/// Installs the hook; call once, before the app starts. Through Yew, which would
/// otherwise put its own (console only) hook in place when it starts rendering.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(on_panic));
}

fn on_panic(info: &PanicHookInfo) {
    let details = info.to_string();
    web_sys::console::error_1(&details.as_str().into());
    show_overlay(&details);
}

/// The overlay, in the language the page was speaking. Every text goes in as text,
/// never as HTML, so the details cannot inject markup.
fn show_overlay(details: &str) {
    let document = document();
    let lang = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_code(&tag))
        .unwrap_or_default();
    let t = lang.strings();
    let base = page_address();
    let parts = [
        ("h2", t.crash_title, None),
        ("p", t.crash_body, None),
        ("a", t.crash_restart, Some(base.clone())),
        ("a", t.crash_fresh, Some(format!("{base}?{FRESH}"))),
        ("p", t.crash_details, None),
        ("pre", details, None),
    ];
    let (Ok(overlay), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    overlay.set_id("crash");
    overlay.set_class_name("crash");
    let _ = overlay.set_attribute("role", "alertdialog");
    for (tag, text, href) in parts {
        let Ok(el) = document.create_element(tag) else {
            continue;
        };
        el.set_text_content(Some(text));
        if let Some(href) = href {
            let _ = el.set_attribute("href", &href);
        }
        let _ = overlay.append_child(&el);
    }
    let _ = body.append_child(&overlay);
}
