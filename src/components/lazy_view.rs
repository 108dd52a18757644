//! What the lazily loaded views (Curves, Challenges) share: each is a Yew app in its
//! own wasm, fetched when first opened, mounted in an element of the page, and talking
//! with the page through events on that element.

use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, Element, HtmlScriptElement};
use yew::prelude::*;

/// Mounts `App` in the element `root_id` (nothing if the page has none), after using
/// up `skipped` tree numbers. Yew marks each element it renders with its tree's number,
/// counted from 0 in each wasm instance, and finds an event's handler by the mark of
/// the element the event came from; the page's Yew (another wasm) sees every click in
/// a view on its way down and would take a mark of the view's tree 0 for its own tree
/// 0 and run one of its own handlers (a click on Curves' "Download CSV" exported the
/// scenario too). With each view's trees numbered past any the page and the other
/// views make, each Yew handles only its own elements.
pub fn mount_past<App: BaseComponent<Properties = ()>>(root_id: &str, skipped: usize) {
    let document = gloo_utils::document();
    let Some(root) = document.get_element_by_id(root_id) else {
        return;
    };
    for _ in 0..skipped {
        if let Ok(detached) = document.create_element("div") {
            yew::Renderer::<Skipped>::with_root(detached)
                .render()
                .destroy();
        }
    }
    yew::Renderer::<App>::with_root(root).render();
}

/// An app of nothing, mounted and destroyed only to use up a tree number.
#[function_component(Skipped)]
fn skipped() -> Html {
    html! {}
}

/// Adds a view's scripts to the page, in order (its wasm-bindgen script, then the
/// loader that starts it).
pub fn load_scripts(sources: &[&str]) {
    let document = gloo_utils::document();
    for src in sources {
        if let Ok(script) = document.create_element("script") {
            let script: HtmlScriptElement = script.unchecked_into();
            script.set_src(src);
            // In order: the loader needs the script before it.
            script.set_async(false);
            let _ = document.body().map(|b| b.append_child(&script));
        }
    }
}

/// Dispatches `kind` on the element `root_id`, with `detail` if any: a view speaking to
/// the page.
pub fn dispatch(root_id: &str, kind: &str, detail: Option<&str>) {
    let Some(root): Option<Element> = gloo_utils::document().get_element_by_id(root_id) else {
        return;
    };
    let init = CustomEventInit::new();
    if let Some(detail) = detail {
        init.set_detail(&detail.into());
    }
    if let Ok(event) = CustomEvent::new_with_event_init_dict(kind, &init) {
        let _ = root.dispatch_event(&event);
    }
}
