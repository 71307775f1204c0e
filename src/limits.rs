//! Every limit the lab puts on what it is given, in one place, each with why it is that number.
//!
//! The lab runs in a browser tab, where one long computation freezes the page and running out of
//! memory or stack kills it without a word (issue #14). So every path that takes user data — a
//! paste, a chart and its values, a scenario file, a share link, an action on the stage — does
//! bounded work, and a refusal says which limit and why, at a line and column like every other
//! error. Where Kubernetes has a limit of its own (replicas is an int32, annotations at most
//! 256 KiB), the lab keeps it and words it as the API server does; where the lab needs a smaller
//! one to stay responsive (how many pods it animates), it says that the limit is the lab's.
//!
//! The numbers are far above what any real release or lesson uses and far below what would take a
//! second: "takes" measured natively on the 2-core reference machine, and the page (wasm) being
//! 2-3 times slower.

// ----- the simulation ------------------------------------------------------------------------

/// Replicas the lab simulates and draws. Kubernetes accepts any int32; the lab draws every pod and
/// claim on the stage and keeps a copy of the cluster per step to rewind, so its cost grows with
/// the square of the pods. Measured natively (release) for a Parallel set, loading it (its first
/// 300-400 steps, as the page does) takes 0.17 s for 200 pods, 0.27 s for 300, 0.51 s for 400 and
/// 0.60 s for 500; the page is about twice as slow, and 1,000 pods took it 1.5 s. 300 keeps a load
/// near half a second in the page, and is a hundred times the replicas of any lesson.
pub const MAX_REPLICAS: i32 = 300;

/// The largest pod ordinal: the controller reads an ordinal back from a pod's name as an int32
/// (`strconv.ParseInt(.., 10, 32)` in `getParentNameAndOrdinal`), so `ordinals.start + replicas - 1`
/// must fit one, or the pods it created would not be recognised as its own.
pub const MAX_ORDINAL: i32 = i32::MAX;

/// Units of work (controller syncs and node-side changes) one `settle` may run. Settling the
/// largest set the lab takes needs about 2,100 (300 OrderedReady pods), a rolling update of all of
/// them 3,300; a crash loop never settles by itself and is stopped by this.
pub const MAX_SETTLE_STEPS: usize = 50_000;

/// Units of work one `advance` (a `wait`) may run, for the same reason as [`MAX_SETTLE_STEPS`].
pub const MAX_ADVANCE_STEPS: usize = 50_000;

/// The longest single `wait`. The longest timer of the simulation is the crash-loop back-off (5
/// minutes); a day is longer than any rollout the lab shows, and it bounds the restarts a crash
/// loop makes while waiting (288 per pod).
pub const MAX_WAIT_MS: u64 = 24 * 60 * 60 * 1000;

/// Requests one `traffic` action sends. Each request is one random draw (kube-proxy picks an
/// endpoint), about 10 ms per million in the page; a counter demo needs hundreds.
pub const MAX_REQUESTS_PER_ACTION: u64 = 1_000_000;

/// Inputs (actions, steps, waits) one session, scenario or share link may record: a long
/// classroom session records a few thousand, and replaying 100,000 steps of a small set takes
/// about a second.
pub const MAX_INPUTS: usize = 100_000;

/// Events (one sentence each: a pod created, a claim bound, a wait) one session may log. The work
/// of replaying a session, and the memory of its timeline, grow with its events, not with its
/// inputs: 100,000 light inputs replay in about a second, but a share link of a few hundred
/// `settle`s of a 300-pod set would log millions and freeze the page for minutes. A classroom
/// session logs a few thousand; a full rolling update of 300 pods about 3,000.
pub const MAX_EVENTS: usize = 200_000;

/// Kubernetes Events (`kubectl get events`) the simulated cluster keeps at once. The API server
/// deletes an Event an hour after its last write and the recorders count repeats into one Event, so
/// a classroom session keeps a few hundred; creating 300 pods writes about 2,400 (claims, pods,
/// scheduling, kubelet). Past this the oldest go first, as if their hour were up; each write looks
/// its Event up among these, so the number also bounds that work.
pub const MAX_RECORDED_EVENTS: usize = 10_000;

/// Syncs the controller may run back to back without the clock moving (`sync_pending`): each sync
/// acts on at most every pod once, so a handful is the norm.
pub const MAX_SYNCS_PER_REACTION: usize = 1_000;

// ----- pastes and YAML -----------------------------------------------------------------------

/// Pastes larger than this are refused with a message, not parsed. The corpus' largest bundle is
/// 150 KB.
pub const MAX_PASTE_BYTES: usize = 2 * 1024 * 1024;

/// YAML nodes built for one paste, aliases expanded: stops "billion laughs" documents.
pub const MAX_NODES: usize = 1_000_000;

/// How deep YAML may nest (`[[[`, `{a: {b: ...}}`, block mappings). It is the YAML reader's own
/// recursion limit (128), checked by a linear scan before parsing: the parser spends time
/// proportional to depth × tokens on flow collections, so 100,000 `[` took 11 s to reach that
/// limit. Kubernetes objects nest about 15 deep.
pub const MAX_YAML_DEPTH: usize = 128;

/// Lines the editor keeps in the browser's text box, where the paste can be edited in place. A
/// `<textarea>` lays out every line of its text whether it is in view or not, and Chromium builds
/// two nodes per line to do it: measured in headless Chromium on the reference machine, 10,000
/// lines take 0.15 s to show, 95,000 lines 1.3 s and 2.1 million lines 29 s (issue #14). A longer
/// paste is read and simulated all the same, but shown read-only, drawing only the lines in view.
/// The corpus' longest input has 4,430 lines.
pub const MAX_EDITABLE_LINES: usize = 10_000;

/// Bytes the editor keeps in the browser's text box, for the same reason as
/// [`MAX_EDITABLE_LINES`]: shaping the text costs about 0.15 s per megabyte, and 512 KiB of
/// 10,000 lines shows in about a quarter of a second. The corpus' largest input is 149 KB.
pub const MAX_EDITABLE_BYTES: usize = 512 * 1024;

/// Characters of one line the read-only view draws: one line can be the whole 2 MB paste, which
/// would take the browser a third of a second to lay out each time it scrolls into view.
pub const MAX_SHOWN_LINE_CHARS: usize = 1_000;

/// A document this large is not re-parsed line by line to recover from a syntax error.
pub const MAX_RECOVERY_BYTES: usize = 256 * 1024;

/// Lines scanned, per paste, to find the line of a key path (each search scans its whole
/// document); past it, diagnostics point at the object's first line instead.
pub const MAX_LINE_SEARCHES: usize = 2_000_000;

/// Duplicate keys located and reported per document.
pub const MAX_DUPLICATES_REPORTED: usize = 50;

/// The API server's limit on all annotations of one object together
/// (`TotalAnnotationSizeLimitB` in apimachinery's ValidateAnnotations): 256 KiB of keys and values.
pub const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// A label value, and the name part of a label or annotation key: a DNS label (IsQualifiedName,
/// IsValidLabelValue): at most 63 characters.
pub const MAX_LABEL_VALUE_CHARS: usize = 63;

/// The prefix of a qualified key (`example.com/`): a DNS subdomain, at most 253 characters.
pub const MAX_KEY_PREFIX_CHARS: usize = 253;

// ----- chart templates -----------------------------------------------------------------------

/// Template actions, text pieces, range iterations and function calls one render may run. The
/// built-in charts run 370 and 600; a large community chart some tens of thousands. Measured
/// natively (release), a step costs about 1.2 µs at worst (an include each), so 300,000 stop within
/// 0.4 s (about a second in the page). A template that includes another twice, 40 levels deep
/// (2^40 calls), stops here.
pub const MAX_TEMPLATE_STEPS: usize = 300_000;

/// How deep `include`, `template` and `tpl` may nest. Helm allows 1,000; each level is a new
/// template execution on the stack, and the browser's stack (1 MiB for wasm) does not hold that.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// Stack the templates of one render may use, measured from where the render starts. The page
/// (wasm) has a 1 MiB stack in all, and running out of it kills the page without a word; `include`,
/// `tpl`, `template` and `if`/`range`/`with` bodies nest dynamically, so a count of any one of them
/// cannot bound it (64 includes, each inside 50 `if`s, overflowed 1 MiB natively). 384 KiB leaves the
/// rest to the page; the deepest real chart nests a few includes.
pub const MAX_TEMPLATE_STACK_BYTES: usize = 384 * 1024;

/// Iterations of `range` loops one template execution may run (gotmpl counts them; 10 million by
/// default, a few seconds). A pod list needs as many as there are replicas.
pub const MAX_RANGE_ITERATIONS: u64 = 1_000_000;

/// The largest list `until`, `untilStep` and `seq` may make: a StatefulSet's pods are at most
/// [`MAX_REPLICAS`], and a list of 100,000 numbers is already ten times any template's need.
pub const MAX_LIST_ITEMS: i64 = 100_000;

/// The longest string a template function may make (`indent`, `repeat`, `replace`, `cat`, `toYaml`,
/// `printf`, `include`...). Nothing longer could be read back as a paste ([`MAX_PASTE_BYTES`]);
/// `indent 2147483647` would otherwise ask for 2 GB.
pub const MAX_TEMPLATE_STRING_BYTES: usize = MAX_PASTE_BYTES;

/// Bytes the templates of one render may write and make: literal text and printed values, every
/// string or list a function returns (`include`, `indent`, `toYaml`...) and what functions are
/// given to read. The rendered release is read as a paste of at most [`MAX_PASTE_BYTES`]; eight
/// times that leaves room for helpers included and printed again, and is made in milliseconds.
pub const MAX_TEMPLATE_OUTPUT_BYTES: usize = 8 * MAX_PASTE_BYTES;

/// How deep a value built by template functions (`dict`, `list`, `append`, `set`) may nest. The
/// same as YAML's ([`MAX_YAML_DEPTH`]): `toYaml`, `toJson`, printing and even freeing a value
/// recurse once per level, and 100,000 levels overflow the stack.
pub const MAX_VALUE_DEPTH: usize = MAX_YAML_DEPTH;

/// How many bytes of the first line of a message quote a user's value: enough to recognise it.
pub const MAX_QUOTED_CHARS: usize = 80;

/// Shortens a user's text for a message: its first [`MAX_QUOTED_CHARS`] characters and `…`.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
