//! Share and keep: a link that reproduces the run, scenario files in and out, the time
//! series as CSV and the charts as a PNG. The app does the work; this group asks for it.

use crate::keep::MAX_IMPORT_BYTES;
use gloo_file::callbacks::FileReader;
use gloo_file::File;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`SharePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct ShareProps {
    /// The last link made, shown so it can be copied by hand too.
    pub link: Option<AttrValue>,
    /// The error of the last import, shown here.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Make a link and copy it.
    pub on_copy_link: Callback<()>,
    /// Download the scenario as JSON.
    pub on_export: Callback<()>,
    /// A file's text was read (or why it could not be).
    pub on_import: Callback<Result<String, String>>,
    /// Download the time series as CSV.
    pub on_export_csv: Callback<()>,
    /// Download the charts as a PNG.
    pub on_export_png: Callback<()>,
}

/// The Share group.
#[function_component(SharePanel)]
pub fn share_panel(props: &ShareProps) -> Html {
    // The reader must live until it calls back: dropping it cancels the read.
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let on_file = {
        let on_import = props.on_import.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            // The same file chosen again must still fire a change.
            input.set_value("");
            if file.size() > MAX_IMPORT_BYTES {
                on_import.emit(Err(format!(
                    "{} is {:.1} MB: too large to be a scenario (at most 1 MB)",
                    file.name(),
                    file.size() / 1e6
                )));
                return;
            }
            let name = file.name();
            let on_import = on_import.clone();
            let task = gloo_file::callbacks::read_as_text(&File::from(file), move |text| {
                on_import.emit(text.map_err(|_| format!("{name} could not be read as text")));
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <section class="group" id="share" aria-label="Share and keep">
            <h2>{ "Share and keep" }</h2>
            <p class="hint">{ "The scenario is saved in this browser as you go. A link reproduces this run (same seed) anywhere." }</p>
            <div class="buttons">
                <button id="copy-link" class="action" onclick={click(&props.on_copy_link)}>{ "Copy link" }</button>
                <button id="export-json" class="action" onclick={click(&props.on_export)}>{ "Export scenario" }</button>
            </div>
            if let Some(link) = &props.link {
                <input id="share-link" class="link" type="text" readonly=true value={link.clone()} aria-label="Link to this scenario" />
            }
            <div class="field">
                <label for="import-file">{ "Import scenario (JSON)" }</label>
                <input id="import-file" type="file" accept=".json,application/json" onchange={on_file} />
            </div>
            <div class="buttons">
                <button id="export-csv" class="action" onclick={click(&props.on_export_csv)}>{ "Time series (CSV)" }</button>
                <button id="export-png" class="action" onclick={click(&props.on_export_png)}>{ "Charts (PNG)" }</button>
            </div>
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error }</p>
            }
        </section>
    }
}
