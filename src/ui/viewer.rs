//! A paste too long for the browser's text box, shown read-only: only the lines in view are drawn.
//!
//! Why not the text box: it lays out every line it holds, in view or not, so a 95,000-line paste
//! held the page for seconds on every change (issue #14; the numbers are at
//! [`crate::limits::MAX_EDITABLE_LINES`]). Here the scroller keeps the whole text's height and a
//! window of lines is drawn where the user has scrolled, as code editors do; the editor's gutter
//! numbers the same window.

use std::ops::Range;

use leptos::prelude::*;

use super::Lab;
use crate::lines::{as_pasted, Lines};

/// The editor's line height and top padding, in CSS pixels (`.editor` in app.css).
pub const LINE_PX: usize = 18;
pub const TOP_PX: usize = 8;
/// Lines drawn above the first one in view, and in all: more than a 1080-pixel-high editor shows,
/// so a scroll of a few lines does not show a gap before the window follows.
const ABOVE: usize = 20;
const DRAWN: usize = 120;

/// The lines (numbered from 1) drawn when the editor's scroller is `scroll_top` pixels down a
/// text of `count` lines.
pub fn window(scroll_top: i32, count: usize) -> Range<usize> {
    window_of(scroll_top, count, LINE_PX, TOP_PX)
}

/// The same for any scroller of lines `line_px` high below `top_px` of padding (the kubectl
/// output draws its long answers this way too).
pub fn window_of(scroll_top: i32, count: usize, line_px: usize, top_px: usize) -> Range<usize> {
    let top = usize::try_from(scroll_top).unwrap_or(0);
    let first = (top.saturating_sub(top_px) / line_px.max(1)).saturating_sub(ABOVE).min(count.saturating_sub(1));
    first + 1..(first + DRAWN).min(count) + 1
}

/// The read-only view of `lab.text`, drawing the lines `drawn`. A paste on it replaces the whole
/// text through `replace` (there is no caret to paste at).
pub fn read_only(lab: Lab, drawn: Memo<Range<usize>>, replace: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let index = Memo::new(move |_| lab.text.with(|t| Lines::of(t)));
    let count = move || index.with(Lines::len);
    // One text node: the window's lines, each cut at the lab's limit with what was left out.
    let text = move || {
        lab.text.with(|text| {
            index.with(|lines| {
                let mut out = String::new();
                for n in drawn.get() {
                    let (line, more) = lines.shown(text, n - 1);
                    out.push_str(line);
                    if more > 0 {
                        out.push_str(&format!(" … ({more} more characters)"));
                    }
                    out.push('\n');
                }
                out
            })
        })
    };
    view! {
        <div class="read-only" tabindex="0" role="textbox" aria-readonly="true" aria-multiline="true"
            aria-label=move || format!("Your paste, read-only: {} lines", count())
            style:height=move || format!("{}px", count() * LINE_PX + 2 * TOP_PX)
            on:paste=move |ev: leptos::ev::ClipboardEvent| {
                ev.prevent_default();
                if let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) {
                    replace(as_pasted(&text));
                }
            }>
            <pre style:top=move || format!("{}px", TOP_PX + (drawn.get().start - 1) * LINE_PX)>{text}</pre>
        </div>
    }
}
