//! A short confirmation that fades by itself ("link copied", "scenario imported"), said
//! to screen readers too (`role="status"`), so an action that changes nothing visible at
//! once is still seen to have worked.

use super::{App, Msg};
use crate::i18n::Strings;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// How long a confirmation stays, in milliseconds (it fades over its last half second).
const SHOWN_MS: u32 = 3_000;

/// What a confirmation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// The link is on the clipboard.
    LinkCopied,
    /// An imported file runs now.
    Imported,
}

/// The confirmation on screen and the timer that takes it away.
pub struct Toast {
    what: Confirm,
    _timer: Timeout,
}

impl App {
    /// Shows `what` for a few seconds (a new one replaces the last).
    pub(super) fn confirm(&mut self, ctx: &Context<Self>, what: Confirm) {
        let link = ctx.link().clone();
        let timer = Timeout::new(SHOWN_MS, move || link.send_message(Msg::ToastGone));
        self.toast = Some(Toast {
            what,
            _timer: timer,
        });
    }
}

/// The confirmation, if one is on screen.
pub fn view(toast: Option<&Toast>, t: &Strings) -> Html {
    let Some(toast) = toast else {
        return html! {};
    };
    let words = match toast.what {
        Confirm::LinkCopied => t.toast_link_copied,
        Confirm::Imported => t.toast_imported,
    };
    html! { <p id="toast" class="toast" role="status">{ words }</p> }
}
