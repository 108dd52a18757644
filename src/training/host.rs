//! The Training view's own small app, in its own wasm (`src/bin/training_ui.rs`),
//! fetched only when the reader first opens Training (or a result or workshop link), so none of
//! it weighs on the first load. It mounts in the page's `#training-root` and talks with
//! the page through that element and one function ([`slot`](super::slot) is the page's
//! side):
//!
//! - the page calls `window.loadlabTraining(scenarioJson, languageCode, inChallenge)`
//!   whenever one of them changes (and once this app says `training-ready`);
//! - this app dispatches `challenge-run` (a challenge's run to show, as JSON),
//!   `challenge-finish` and `challenge-leave` on the element, and `workshop` (a
//!   workshop's lesson to open, a scenario to load or a change to make, as JSON).
//!
//! It holds the three tabs (Challenges, Workshop, Room link) and the open workshop,
//! whose own challenges the Challenges tab lists and whose link the Room tab codes.

use super::room::RoomView;
use super::words::kit_words;
use super::workshop::{self, Opened, WorkshopView};
use super::{dispatch, ChallengesView, Pick, ROOT_ID};
use crate::address::WORKSHOP_LINK;
use crate::curves::host::{shown_language, wanted_language};
use crate::i18n::{fill, Lang};
use loadlab_sim::workshop::Item;
use loadlab_sim::Scenario;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Tree numbers this app skips before it mounts, past the page's and the Curves view's
/// (64): see `components::lazy_view::mount_past`.
const TREES_SKIPPED: usize = 128;

/// Mounts the view in the page's slot, or does nothing if the page has none; its style
/// sheet comes with it, so the page's first load carries none of its rules.
pub fn start() {
    let document = gloo_utils::document();
    if let (Ok(sheet), Some(head)) = (document.create_element("link"), document.head()) {
        let _ = sheet.set_attribute("rel", "stylesheet");
        let _ = sheet.set_attribute("href", "./training.css");
        let _ = head.append_child(&sheet);
    }
    crate::components::lazy_view::mount_past::<Host>(ROOT_ID, TREES_SKIPPED);
}

pub enum HostMsg {
    /// The page's scenario (JSON), language, and whether a challenge is on the stage.
    State(String, String, bool),
    /// The Chinese words arrived (or could not).
    Words,
    Tab(Tab),
    /// A workshop file's text (or why it could not be read).
    File(Result<String, String>),
    /// A workshop's text to read: a file the reader chose, or the one this browser kept.
    Read(String, Came),
    /// A workshop read, or why not, and where it came from.
    Opened(Result<Opened, String>, Came),
    Close,
    /// Open this challenge in the Challenges tab; with settings, play them.
    Challenge(String, Option<serde_json::Value>),
}

/// Where a workshop came from, which decides what opening it does besides.
#[derive(Clone, PartialEq)]
pub enum Came {
    /// A file the reader chose: its link goes to the address bar, and a workshop of one
    /// item opens that item.
    File,
    /// A link, with the result of one of its challenges to play, if it is a result link.
    Link(Option<String>),
    /// This browser kept it from last time: it is only listed.
    Kept,
}

/// The view's tabs.
#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Challenges,
    Workshop,
    Room,
}

/// Holds what the page last said and the open workshop, and renders the tabs.
pub struct Host {
    scenario: Option<Rc<Scenario>>,
    lang: Lang,
    in_challenge: bool,
    tab: Tab,
    workshop: Option<Rc<Opened>>,
    workshop_error: Option<AttrValue>,
    reading: bool,
    /// The Workshop tab opens the workshop's first item at once (a workshop of one).
    open_first: bool,
    pick: Option<Rc<Pick>>,
    /// Kept alive while the page may call it.
    _listener: Closure<dyn FnMut(String, String, bool)>,
}

impl Component for Host {
    type Message = HostMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let listener = Closure::<dyn FnMut(String, String, bool)>::new(move |json, code, on| {
            link.send_message(HostMsg::State(json, code, on));
        });
        let window = gloo_utils::window();
        let _ = js_sys::Reflect::set(&window, &"loadlabTraining".into(), listener.as_ref());
        dispatch("training-ready", None);
        let mut host = Self {
            scenario: None,
            lang: Lang::En,
            in_challenge: false,
            tab: Tab::Challenges,
            workshop: None,
            workshop_error: None,
            reading: false,
            open_first: false,
            pick: None,
            _listener: listener,
        };
        host.open_at_start(ctx);
        host
    }

    fn update(&mut self, ctx: &Context<Self>, msg: HostMsg) -> bool {
        match msg {
            HostMsg::State(json, code, on) => {
                // The page sends only scenarios it runs: valid ones.
                if let Ok(scenario) = Scenario::from_json(&json) {
                    self.scenario = Some(Rc::new(scenario));
                }
                self.in_challenge = on;
                self.lang = wanted_language(&code, ctx.link().callback(|_: ()| HostMsg::Words));
                true
            }
            HostMsg::Words => true,
            HostMsg::Tab(tab) => {
                self.tab = tab;
                true
            }
            HostMsg::File(Err(why)) => {
                self.refused(fill(kit_words(self.lang).ws_refused, &[("why", &why)]));
                true
            }
            HostMsg::File(Ok(text)) => self.read(ctx, text, Came::File),
            HostMsg::Read(text, came) => self.read(ctx, text, came),
            HostMsg::Opened(opened, came) => {
                self.opened(ctx, opened, came);
                true
            }
            HostMsg::Close => {
                workshop::forget();
                self.workshop = None;
                self.workshop_error = None;
                true
            }
            HostMsg::Challenge(id, settings) => {
                let number = self.pick.as_ref().map_or(0, |p| p.number + 1);
                self.pick = Some(Rc::new(Pick {
                    number,
                    id,
                    settings,
                }));
                self.tab = Tab::Challenges;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let Some(scenario) = &self.scenario else {
            return html! {};
        };
        let lang = shown_language(self.lang);
        let k = kit_words(lang);
        let link = ctx.link();
        let tab = |which: Tab, id: &'static str, words: &'static str| {
            html! {
                <button role="tab" {id} class="training-tab" aria-selected={(self.tab == which).to_string()}
                    onclick={link.callback(move |_| HostMsg::Tab(which))}>{ words }</button>
            }
        };
        let workshop_link = self
            .workshop
            .as_ref()
            .map(|w| AttrValue::from(workshop::link(&w.fragment)));
        html! {
            <section class="training" id="training" aria-label={k.tabs}>
                <div class="training-tabs" role="tablist">
                    { tab(Tab::Challenges, "training-tab-challenges", k.tab_challenges) }
                    { tab(Tab::Workshop, "training-tab-workshop", k.tab_workshop) }
                    { tab(Tab::Room, "training-tab-room", k.tab_room) }
                </div>
                <div role="tabpanel" hidden={self.tab != Tab::Challenges}>
                    <ChallengesView {lang} scenario={scenario.clone()} in_challenge={self.in_challenge}
                        workshop={self.workshop.clone()} pick={self.pick.clone()} />
                </div>
                <div role="tabpanel" id="workshop" hidden={self.tab != Tab::Workshop}>
                    <WorkshopView {lang} scenario={scenario.clone()} opened={self.workshop.clone()}
                        error={self.workshop_error.clone()} reading={self.reading} open_first={self.open_first}
                        on_file={link.callback(HostMsg::File)} on_close={link.callback(|()| HostMsg::Close)}
                        on_challenge={link.callback(|id| HostMsg::Challenge(id, None))} />
                </div>
                if self.tab == Tab::Room {
                    <div role="tabpanel"><RoomView {lang} {workshop_link} /></div>
                }
            </section>
        }
    }
}

impl Host {
    /// Reads a workshop's text, then opens it (or says why not).
    fn read(&mut self, ctx: &Context<Self>, text: String, came: Came) -> bool {
        self.reading = true;
        let (lang, link) = (self.lang, ctx.link().clone());
        wasm_bindgen_futures::spawn_local(async move {
            let opened = workshop::open_text(text, lang)
                .await
                .map_err(|why| fill(kit_words(lang).ws_refused, &[("why", &why)]));
            link.send_message(HostMsg::Opened(opened, came));
        });
        true
    }

    /// Opens the workshop the page's link holds, else the one this browser kept.
    fn open_at_start(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        let lang = crate::keep::language();
        if let Some(arrival) = workshop::arrival() {
            self.reading = true;
            self.tab = Tab::Workshop;
            wasm_bindgen_futures::spawn_local(async move {
                let opened = workshop::open_link(arrival.workshop, lang)
                    .await
                    .map_err(|why| fill(kit_words(lang).ws_link_broken, &[("why", &why)]));
                link.send_message(HostMsg::Opened(opened, Came::Link(arrival.result)));
            });
            return;
        }
        match workshop::kept() {
            Ok(Some(text)) => link.send_message(HostMsg::Read(text, Came::Kept)),
            Ok(None) => {}
            Err(()) => {
                self.workshop_error = Some(kit_words(lang).ws_unreadable.into());
                self.tab = Tab::Workshop;
            }
        }
    }

    /// A workshop read: open it, or say why not and keep what was open. Opened from a
    /// file, its link goes to the address bar; from a result link, that challenge's run
    /// plays; from a file or a plain link, a workshop of one item opens that item.
    fn opened(&mut self, ctx: &Context<Self>, opened: Result<Opened, String>, came: Came) {
        self.reading = false;
        self.open_first = false;
        let opened = match opened {
            Ok(opened) => opened,
            Err(message) => return self.refused(message),
        };
        if came == Came::File {
            show_in_address_bar(&opened.fragment);
        }
        let only = match opened.workshop.items.as_slice() {
            [only] if came != Came::Kept => Some(only.clone()),
            _ => None,
        };
        self.workshop = Some(Rc::new(opened));
        self.workshop_error = None;
        let result = match came {
            Came::Link(Some(result)) => loadlab_sim::challenges::read_result(&result).ok(),
            _ => None,
        };
        if let Some((id, settings)) = result {
            ctx.link()
                .send_message(HostMsg::Challenge(id, Some(settings)));
        } else if let Some(item) = only {
            self.open_only(ctx, &item);
        }
    }

    /// A workshop of one item: that item, opened.
    fn open_only(&mut self, ctx: &Context<Self>, item: &Item) {
        match item {
            Item::BuiltInChallenge(id) => ctx
                .link()
                .send_message(HostMsg::Challenge(id.clone(), None)),
            Item::Challenge(c) => ctx
                .link()
                .send_message(HostMsg::Challenge(c.id.clone(), None)),
            Item::Lesson(_) | Item::BuiltInLesson(_) => self.open_first = true,
        }
    }

    /// Says why a file or link was not opened; what was open stays.
    fn refused(&mut self, message: String) {
        self.reading = false;
        self.tab = Tab::Workshop;
        self.workshop_error = Some(message.into());
    }
}

/// Puts the workshop's link in the address bar (when the page opened without a link of
/// its own), so a reload or a copied address opens it again; the page writes its
/// scenario's link there again when the scenario changes.
fn show_in_address_bar(fragment: &str) {
    let window = gloo_utils::window();
    let hash = window.location().hash().unwrap_or_default();
    if hash.len() > 1 && !hash.starts_with(WORKSHOP_LINK) && !hash.starts_with("#s=") {
        return;
    }
    if let Ok(history) = window.history() {
        let url = format!("#{fragment}");
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
