//! Share and keep: a link that reproduces the run, scenario files in and out, the time
//! series as CSV and the charts as a PNG. The app does the work; this group asks for it.

use super::{action, group_class};
use crate::i18n::{fill, Lang};
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
    /// The language the group speaks.
    pub lang: Lang,
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
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
}

/// The Share group.
#[function_component(SharePanel)]
pub fn share_panel(props: &ShareProps) -> Html {
    let t = props.lang.strings();
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
                let mb = format!("{:.1}", file.size() / 1e6);
                on_import.emit(Err(fill(
                    t.file_too_large,
                    &[("name", &file.name()), ("mb", &mb)],
                )));
                return;
            }
            let name = file.name();
            let on_import = on_import.clone();
            let task = gloo_file::callbacks::read_as_text(&File::from(file), move |text| {
                on_import.emit(text.map_err(|_| fill(t.file_unreadable, &[("name", &name)])));
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    html! {
        <section class={group_class(props.hidden)} id="share" aria-label={t.share_title}>
            <h2>{ t.share_title }</h2>
            <p class="hint">{ t.share_hint }</p>
            <div class="buttons">
                { action("copy-link", t.copy_link, &props.on_copy_link) }
                { action("export-json", t.export_json, &props.on_export) }
            </div>
            if let Some(link) = &props.link {
                <input id="share-link" class="link" type="text" readonly=true value={link.clone()}
                    aria-label={t.link_aria} />
            }
            <div class="field">
                <label for="import-file">{ t.import_label }</label>
                <input id="import-file" type="file" accept=".json,application/json"
                    onchange={on_file} />
            </div>
            <div class="buttons">
                { action("export-csv", t.export_csv, &props.on_export_csv) }
                { action("export-png", t.export_png, &props.on_export_png) }
            </div>
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error }</p>
            }
        </section>
    }
}
