//! The Room link tab: the page's address (or the open workshop's link) as a QR code, so
//! a room opens on their phones what is on the projector. Made here with the `qrcode`
//! crate, drawn on a canvas one square per module; "Show large" (at once in presenter
//! mode) fills the screen with it. The address is read again every second: the page
//! rewrites it as the scenario changes.

use super::words::{kit_words, KitWords};
use crate::i18n::{fill, Lang};
use gloo_timers::callback::Interval;
use qrcode::{Color, EcLevel, QrCode};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Canvas pixels per module: crisp when scaled (CSS `image-rendering: pixelated`).
const MODULE_PX: u32 = 8;
/// Light modules around the code, as the standard asks.
const QUIET_ZONE: u32 = 4;
/// Longest link coded: a version 40 code at level L holds 2,953 bytes.
pub const MAX_QR_CHARS: usize = 2_953;

#[derive(Properties, PartialEq)]
pub struct RoomProps {
    pub lang: Lang,
    /// The open workshop's link, if any.
    pub workshop_link: Option<AttrValue>,
}

pub enum Msg {
    /// Look at the address again.
    Tick,
    /// Code the page's address (false) or the workshop's link (true).
    Which(bool),
    Large(bool),
}

pub struct RoomView {
    address: String,
    workshop: bool,
    large: bool,
    canvas: NodeRef,
    _tick: Interval,
    /// Escape closes the full-screen code.
    _escape: gloo_events::EventListener,
}

impl Component for RoomView {
    type Message = Msg;
    type Properties = RoomProps;

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let presenter = gloo_utils::document()
            .document_element()
            .is_some_and(|root| root.class_list().contains("presenter"));
        Self {
            address: address(),
            workshop: ctx.props().workshop_link.is_some(),
            large: presenter,
            canvas: NodeRef::default(),
            _tick: Interval::new(1_000, move || link.send_message(Msg::Tick)),
            _escape: escape_closes(ctx.link().callback(|()| Msg::Large(false))),
        }
    }

    fn update(&mut self, _: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Tick => {
                let now = address();
                let moved = now != self.address;
                self.address = now;
                moved
            }
            Msg::Which(workshop) => {
                self.workshop = workshop;
                true
            }
            Msg::Large(large) => {
                self.large = large;
                true
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _: bool) {
        let link = self.link(ctx);
        if let Some(canvas) = self.canvas.cast::<web_sys::HtmlCanvasElement>() {
            draw(&canvas, &link);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let k = kit_words(props.lang);
        let link = self.link(ctx);
        let too_long = link.len() > MAX_QR_CHARS;
        html! {
            <div class="room" id="room">
                <p class="hint">{ k.room_intro }</p>
                if props.workshop_link.is_some() {
                    { self.choice(ctx, k) }
                }
                if let Some(host) = local_host() {
                    <p class="training-error" id="room-local">{ fill(k.room_local, &[("host", &host)]) }</p>
                }
                if too_long {
                    <p class="training-error" id="room-too-long">
                        { fill(k.room_too_long, &[("n", &link.len()), ("max", &MAX_QR_CHARS)]) }
                    </p>
                } else {
                    <div class={classes!("room-qr", self.large.then_some("large"))}>
                        <canvas ref={self.canvas.clone()} id="room-qr" role="img"
                            aria-label={k.room_aria} data-link={link.clone()}></canvas>
                        <p class="room-link">{ link }</p>
                        <button class="action" id="room-large"
                            onclick={ctx.link().callback({ let large = self.large; move |_| Msg::Large(!large) })}>
                            { if self.large { k.room_close } else { k.room_large } }
                        </button>
                    </div>
                }
            </div>
        }
    }
}

impl RoomView {
    /// What the code holds now.
    fn link(&self, ctx: &Context<Self>) -> String {
        match (&ctx.props().workshop_link, self.workshop) {
            (Some(workshop), true) => workshop.to_string(),
            _ => self.address.clone(),
        }
    }

    fn choice(&self, ctx: &Context<Self>, k: &KitWords) -> Html {
        let option = |workshop: bool, id: &'static str, words: &'static str| {
            html! {
                <label>
                    <input type="radio" name="room-which" {id} checked={self.workshop == workshop}
                        onchange={ctx.link().callback(move |_| Msg::Which(workshop))} />
                    { format!(" {words}") }
                </label>
            }
        };
        html! {
            <div class="room-which">
                { option(true, "room-workshop", k.room_workshop) }
                { option(false, "room-page", k.room_page) }
            </div>
        }
    }
}

/// Calls `close` when Escape is pressed anywhere on the page.
fn escape_closes(close: Callback<()>) -> gloo_events::EventListener {
    gloo_events::EventListener::new(&gloo_utils::document(), "keydown", move |e| {
        let escape = e
            .dyn_ref::<web_sys::KeyboardEvent>()
            .is_some_and(|e| e.key() == "Escape");
        if escape {
            close.emit(());
        }
    })
}

/// The page's address as it stands.
fn address() -> String {
    gloo_utils::window().location().href().unwrap_or_default()
}

/// The page's host, if it is one only this computer reaches (a room's phones cannot).
fn local_host() -> Option<String> {
    let host = gloo_utils::window().location().hostname().ok()?;
    let local =
        host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "0.0.0.0";
    local.then_some(host)
}

/// Draws `text`'s QR code on `canvas`: black modules on white, a quiet zone around.
/// Level M where it fits (it survives a smudge), else L (room for longer links).
fn draw(canvas: &web_sys::HtmlCanvasElement, text: &str) {
    let code = QrCode::with_error_correction_level(text, EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text, EcLevel::L));
    let Ok(code) = code else {
        return;
    };
    let width = code.width() as u32;
    let side = (width + 2 * QUIET_ZONE) * MODULE_PX;
    canvas.set_width(side);
    canvas.set_height(side);
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, side as f64, side as f64);
    context.set_fill_style_str("#000");
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i as u32 % width, i as u32 / width);
            let at = |n: u32| ((n + QUIET_ZONE) * MODULE_PX) as f64;
            let module = MODULE_PX as f64;
            context.fill_rect(at(x), at(y), module, module);
        }
    }
}
