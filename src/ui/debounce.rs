//! Run something once things have been quiet for a while (typing, a playing timeline): each call
//! supersedes the previous one still waiting.

use leptos::prelude::*;

/// A pending action that newer calls replace.
#[derive(Clone, Copy)]
pub struct Debounce {
    generation: StoredValue<u64>,
    delay: std::time::Duration,
}

impl Debounce {
    pub fn new(delay_ms: u64) -> Debounce {
        Debounce { generation: StoredValue::new(0), delay: std::time::Duration::from_millis(delay_ms) }
    }

    /// Runs `f` after the delay, unless `call` is called again before then.
    pub fn call(&self, f: impl FnOnce() + 'static) {
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        let generation = self.generation;
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    f();
                }
            },
            self.delay,
        );
    }
}
