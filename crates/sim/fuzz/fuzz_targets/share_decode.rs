//! Arbitrary text into `share::decode`, which reads the URL fragment of every shared
//! link the page opens. A broken or hostile link must be refused with an error, never a
//! panic or an unbounded allocation; a link it accepts must re-encode to a link that
//! decodes to exactly the same scenario and lesson, or sharing a shared link would drift.

#![no_main]

use libfuzzer_sys::fuzz_target;
use loadlab_sim::share;

fuzz_target!(|fragment: &str| {
    let Ok(shared) = share::decode(fragment) else {
        return;
    };
    let again = share::encode(&shared.scenario, shared.lesson.as_deref());
    assert_eq!(
        share::decode(&again).as_ref(),
        Ok(&shared),
        "a decoded link changes when encoded and decoded again"
    );
});
