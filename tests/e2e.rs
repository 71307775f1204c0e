//! End to end: the release site, served from loopback under a sub-path, in headless Chromium.
//! Run by `cargo xtask test` (it builds dist/ first); alone: `cargo test --features e2e --test e2e`.
//! Screenshots land in target/e2e-screens/ for a person to look at.

#[path = "support/browser.rs"]
mod browser;

use browser::{Browser, PASTE_JS};

const STS: &str = "python-helm-python";

/// Pod cards on the stage, in ordinal order, as their accessible labels.
async fn pods(b: &Browser) -> Vec<String> {
    let v =
        b.eval("Array.from(document.querySelectorAll('.stage g.pod')).map(g => g.getAttribute('data-label'))").await;
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap_or("").to_string()).collect()
}

async fn kubectl(b: &Browser) -> String {
    b.text("#kubectl-output").await
}

/// First open tells the lab's story; tests that start from the settled lab skip to its end.
async fn lab_settled(b: &Browser) {
    b.wait_for("#skip-talk").await;
    b.click("#skip-talk").await;
    b.wait_until("three pods drawn", "document.querySelectorAll('.stage g.pod').length === 3").await;
}

/// The lab chart's values pasted and rendered through the chart, its `templates/statefulset.yaml`
/// tab open for editing.
async fn open_lab_chart_template(b: &Browser) {
    b.paste(include_str!("fixtures/helm-python-values.yaml")).await;
    b.wait_until("one pod from replicaCount: 1", "document.querySelectorAll('.stage g.pod').length === 1").await;
    b.click("button[title^='Render your values.yaml']").await;
    b.click("button.file-tab[title='templates/statefulset.yaml']").await;
}

/// Puts `text` before the open chart file's template, firing the input event as typing would.
async fn prepend_to_chart_file(b: &Browser, text: &str) {
    b.client
        .execute(
            "const t = document.querySelector('.chart-file textarea'); t.value = arguments[0] + t.value; \
             t.dispatchEvent(new Event('input', { bubbles: true })); return true;",
            vec![serde_json::json!(text)],
        )
        .await
        .expect("edit the template");
}

/// Plays at 8x until the narration/stage says `what`, pressing Play again where playback pauses
/// at a talking point.
async fn play_until(b: &Browser, what: &str, script: &str) {
    b.eval("(() => { const s = document.querySelector('select[aria-label=\"Playback speed\"]'); s.value = '8'; s.dispatchEvent(new Event('change')); return true; })()").await;
    let resume = format!(
        "(() => {{ if ({script}) return true; const p = document.querySelector('#play'); \
           if (p.textContent.startsWith('Play')) p.click(); return false; }})()"
    );
    b.wait_until(what, &resume).await;
}

#[tokio::test]
async fn the_default_lab_shows_three_pods_each_with_its_claim_and_no_console_errors() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let pods = pods(&b).await;
    for (i, label) in pods.iter().enumerate() {
        assert!(label.contains(&format!("{STS}-{i}")) && label.contains("Revision A, Running 1/1"), "pod {i}: {label}");
        assert!(label.contains(" On node minikube"), "each pod says which node it runs on: {label}");
    }
    assert_eq!(b.count(".stage g.pvc").await, 3, "one PersistentVolumeClaim per pod");
    let claims =
        b.eval("Array.from(document.querySelectorAll('.stage g.pvc title')).map(t => t.textContent).join('\\n')").await;
    for i in 0..3 {
        assert!(claims.as_str().unwrap().contains(&format!("python-stateful-volume-{STS}-{i} (Bound)")), "{claims}");
    }
    let get = kubectl(&b).await;
    assert!(get.contains(&format!("statefulset.apps/{STS}   3/3")), "{get}");
    b.screenshot("default-1280x800").await;
    b.assert_no_console_errors().await;
    b.close().await;

    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    b.screenshot("default-1920x1080").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_rolling_update_replaces_pods_from_the_highest_ordinal_down_spec_4_2() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.click("button[aria-keyshortcuts='i']").await;
    play_until(&b, "the rollout to finish", "document.querySelector('#kubectl-output') && Array.from(document.querySelectorAll('.stage g.pod')).filter(g => /Revision B, Running 1\\/1/.test(g.getAttribute('data-label'))).length === 3").await;
    let history = b.text(".history").await;
    let at = |i: usize| {
        history
            .find(&format!("{STS}-{i} is deleted to be replaced"))
            .unwrap_or_else(|| panic!("pod {i} replaced:\n{history}"))
    };
    assert!(at(2) < at(1) && at(1) < at(0), "deleted 2, then 1, then 0:\n{history}");
    b.screenshot("rolling-update-done").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn stepping_back_restores_the_earlier_kubectl_output() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let before = kubectl(&b).await;
    let position = b.eval("document.querySelector('#scrub').value").await;
    b.press("-").await; // scale down: the controller deletes the highest pod
    for _ in 0..4 {
        b.click("#next-step").await;
    }
    let after = kubectl(&b).await;
    assert_ne!(before, after, "scaling down changed the cluster");
    for _ in 0..40 {
        if b.eval("document.querySelector('#scrub').value").await == position {
            break;
        }
        b.click("button[aria-label='Previous step']").await;
    }
    assert_eq!(
        kubectl(&b).await,
        before,
        "stepping back to the moment before the scale-down shows its kubectl output again"
    );
    b.close().await;
}

#[tokio::test]
async fn a_syntax_error_is_shown_at_its_line_and_the_drawing_stays() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.paste("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: [3\n").await;
    b.wait_until("the error to be listed", "document.querySelectorAll('.diagnostics li.error').length > 0").await;
    let message = b.text(".diagnostics li.error").await;
    assert!(message.contains("line 6") || message.contains("line 7"), "points at the broken line: {message}");
    assert_eq!(b.count(".stage g.pod").await, 3, "the last good drawing stays");
    assert!(b.text(".stale").await.contains("last input"), "says the drawing is the last good one");
    b.screenshot("syntax-error").await;
    b.close().await;
}

#[tokio::test]
async fn the_keyboard_alone_runs_a_canary_spec_4_4() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.press("c").await; // partition = replicas - 1, then a new image
    b.wait_until(
        "only the highest pod to run the new revision",
        "(() => { const l = Array.from(document.querySelectorAll('.stage g.pod')).map(g => g.getAttribute('data-label')); \
           return l.length === 3 && /Revision B, Running 1\\/1/.test(l[2]) && /Revision A/.test(l[0]) && /Revision A/.test(l[1]); })()",
    )
    .await;
    b.press("p").await; // promote: partition 2 -> 1
    b.wait_until(
        "pod 1 to follow",
        "(() => { const l = Array.from(document.querySelectorAll('.stage g.pod')).map(g => g.getAttribute('data-label')); \
           return l.length === 3 && /Revision B, Running 1\\/1/.test(l[1]) && /Revision A/.test(l[0]); })()",
    )
    .await;
    b.screenshot("canary-promoted").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_pasted_values_file_is_drawn_through_the_lab_chart() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let values = include_str!("fixtures/helm-python-values.yaml").replace("replicaCount: 1", "replicaCount: 2");
    b.paste(&values).await;
    b.wait_until("two pods from replicaCount: 2", "document.querySelectorAll('.stage g.pod').length === 2").await;
    assert!(b.text("#input-summary").await.contains("values.yaml"));
    b.close().await;
}

#[tokio::test]
async fn presenter_mode_shows_the_stage_and_narration_large_at_1920x1080() {
    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    b.press("f").await;
    b.wait_until("presenter mode", "document.querySelector('#app.presenting') !== null").await;
    assert_eq!(b.eval("getComputedStyle(document.querySelector('.editor')).display === 'none' || document.querySelector('.editor').offsetParent === null").await, true, "the editor is hidden");
    b.press("4").await; // the fourth guided scenario: a rolling update
    b.wait_until(
        "the guide's title",
        "document.querySelector('.talk h2') && /rolling/i.test(document.querySelector('.talk h2').textContent)",
    )
    .await;
    play_until(&b, "the update to start", "/update B/.test(document.querySelector('.stage').textContent)").await;
    b.press(" ").await; // pause there
    b.press("?").await;
    b.wait_until("the list of keys", "document.querySelector('.help') !== null").await;
    b.screenshot("presenter-help-1920x1080").await;
    b.press("?").await;
    b.screenshot("presenter-1920x1080").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_share_link_opened_in_a_fresh_browser_shows_the_same_moment() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.press("i").await; // a rolling update...
    for _ in 0..6 {
        b.click("#next-step").await; // ...stopped part-way
    }
    b.click("button[aria-label='Previous step']").await; // and looked at one step back
    let moment = (b.eval("document.querySelector('#scrub').value").await, kubectl(&b).await, pods(&b).await);
    b.click("button[title^='Copy a link']").await;
    let url = b.eval("document.querySelector('.share-url').value").await.as_str().unwrap().to_string();
    let fragment = url.split_once('#').expect("the state is in the fragment").1.to_string();
    assert!(fragment.starts_with("v1="), "{fragment}");
    b.close().await;

    let fresh = Browser::open(&format!("#{fragment}"), 1280, 800).await;
    fresh.wait_until("the shared session", "document.querySelectorAll('.stage g.pod').length >= 2").await;
    let seen = (fresh.eval("document.querySelector('#scrub').value").await, kubectl(&fresh).await, pods(&fresh).await);
    assert_eq!(seen, moment, "the link reproduces the moment: position, kubectl output and pods");
    assert!(fresh.text(".kept").await.contains("shared session"), "says it is a shared session, the saved one is kept");
    fresh.screenshot("share-link-opened").await;
    fresh.assert_no_console_errors().await;
    fresh.close().await;
}

#[tokio::test]
async fn the_session_comes_back_after_a_reload_and_no_request_leaves_the_page() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.press("+").await;
    b.wait_until("four pods", "document.querySelectorAll('.stage g.pod').length === 4").await;
    b.wait_until("the session saved", "(localStorage.getItem('statefulset-lab/session') || '').includes('scale: 4')")
        .await;
    b.client.refresh().await.expect("reload");
    b.wait_for("#app").await;
    b.wait_until("four pods again after the reload", "document.querySelectorAll('.stage g.pod').length === 4").await;
    let foreign = b
        .eval("performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))")
        .await;
    assert_eq!(foreign, serde_json::json!([]), "every request stays on the site's own origin");
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_guided_scenario_shows_the_teachers_talking_points_step_by_step() {
    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    b.press("f").await;
    b.press("5").await; // staged update and canary
    b.wait_until(
        "the guide's title",
        "document.querySelector('.talk h2') && /canary/i.test(document.querySelector('.talk h2').textContent)",
    )
    .await;
    for _ in 0..12 {
        b.press("\u{e014}").await; // ArrowRight
    }
    let point = b.text(".talk p").await;
    assert!(!point.is_empty(), "a talking point for this step");
    b.screenshot("guided-canary-presenter").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Not a pass/fail timing (speed targets are budgets and benchmarks): it measures and prints the
/// frame times of 10 s of a 200-replica rolling update with traffic at 8x, for the record.
///
/// Four figures over the same 10 s:
/// - the p95 interval between animation frames (it cannot go below 16.7 ms on a 60 Hz display
///   however little the page does);
/// - the p95 main-thread busy time per 16.7 ms (one frame at 60 Hz; issue #13's "p95 frame
///   time"), from a CPU profile of the page sampled every 100 µs (DevTools' `Profiler`): each
///   sample that is not `(idle)` is work — script, style, layout, paint or garbage collection —
///   and the samples are summed per 16.7 ms window;
/// - the p95 frame's main-thread time from the Long Animation Frames API, which reports only
///   frames over 50 ms: when more than 5% of the frames are such, the p95 is the matching one of
///   them; otherwise it is recorded as 50, an upper bound;
/// - Chromium's own task accounting (DevTools' `Performance.getMetrics` TaskDuration) divided by
///   the frames drawn: a mean.
#[tokio::test]
async fn frame_time_report_for_200_replicas_rolling_with_traffic() {
    // The kubernetes.io example at 200 Parallel replicas, settled (every pod Ready), opened from a
    // share link: the update below is then a rolling update of 200 Ready replicas with traffic.
    let web = include_str!("../public/examples/web.yaml")
        .replace("replicas: 3", "replicas: 200\n  podManagementPolicy: Parallel");
    let b = Browser::open(&link_to(&web, "  - settle\n"), 1920, 1080).await;
    b.wait_until(
        "two hundred Ready pods",
        "document.querySelectorAll('.stage g.pod').length === 200 && \
         [...document.querySelectorAll('.stage g.pod')].every(p => p.dataset.label.includes('Running 1/1'))",
    )
    .await;
    b.press("t").await; // traffic on
    b.press("i").await; // new image: a rolling update
    b.eval("(() => { const s = document.querySelector('select[aria-label=\"Playback speed\"]'); s.value = '8'; s.dispatchEvent(new Event('change')); return true; })()").await;
    b.cdp("Performance.enable", serde_json::json!({})).await;
    let busy_before = b.task_seconds().await;
    b.cdp("Profiler.enable", serde_json::json!({})).await;
    b.cdp("Profiler.setSamplingInterval", serde_json::json!({ "interval": 100 })).await;
    b.cdp("Profiler.start", serde_json::json!({})).await;
    let p95 = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; const t = []; const long = []; let last = performance.now(); const end = last + 10000;\
             const o = new PerformanceObserver(l => l.getEntries().forEach(e => long.push(e.duration))); o.observe({ type: 'long-animation-frame' });\
             function f(now) { t.push(now - last); last = now; if (now < end) requestAnimationFrame(f); else { o.disconnect(); t.sort((a, b) => a - b); long.sort((a, b) => b - a);\
               const k = Math.ceil(t.length * 0.05); done([t[Math.floor(t.length * 0.95)], t.length, k <= long.length ? long[k - 1] : 50, long.length]); } }\
             requestAnimationFrame(f);",
            vec![],
        )
        .await
        .expect("measure frames");
    let profile = b.cdp("Profiler.stop", serde_json::json!({})).await;
    let busy_ms = (b.task_seconds().await - busy_before) * 1000.0;
    let busy_p95_ms = busy_per_frame_p95(profile.get("value").unwrap_or(&profile)["profile"].clone());
    let (p95_ms, frames) = (p95[0].as_f64().unwrap_or(f64::NAN), p95[1].as_u64().unwrap_or(0));
    let (frame_p95_ms, long) = (p95[2].as_f64().unwrap_or(f64::NAN), p95[3].as_u64().unwrap_or(0));
    let work_ms = busy_ms / frames.max(1) as f64;
    println!(
        "200 replicas, rolling update with traffic at 8x, 10 s: p95 interval between frames {p95_ms:.1} ms ({frames} frames); \
         p95 main-thread busy time per 16.7 ms {busy_p95_ms:.1} ms; p95 frame's main-thread time {frame_p95_ms:.0} ms ({long} frames over 50 ms); \
         main-thread work {busy_ms:.0} ms, {work_ms:.1} ms per frame on average"
    );
    bench_record("frame_p95_ms", p95_ms);
    bench_record("frame_time_p95_ms", frame_p95_ms);
    bench_record("frame_work_ms", work_ms);
    bench_record("frame_busy_p95_ms", busy_p95_ms);
    assert!(frames > 0, "frames were measured");
    assert!(busy_p95_ms.is_finite(), "the CPU profile was read");
    // The answer of over 400 lines is drawn a window at a time: the last claim is not drawn at the
    // top, and is once the output is scrolled to its end.
    let last_claim =
        "document.querySelector('#kubectl-output').textContent.includes('persistentvolumeclaim/www-web-99 ')";
    assert_eq!(b.eval(last_claim).await, serde_json::json!(false), "only the lines in view are drawn");
    b.eval(
        "(() => { const p = document.querySelector('#kubectl-output'); p.scrollTop = p.scrollHeight; return 1; })()",
    )
    .await;
    b.wait_until("the last lines drawn once scrolled to the end", last_claim).await;
    b.screenshot("two-hundred-replicas").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// The p95, over 16.7 ms windows, of the main thread's busy time in a DevTools CPU profile: a
/// sample's time is the delta to the next one, and every sample outside `(idle)` is work.
fn busy_per_frame_p95(profile: serde_json::Value) -> f64 {
    const FRAME_US: f64 = 1_000_000.0 / 60.0;
    let idle: std::collections::HashSet<u64> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["callFrame"]["functionName"] == "(idle)")
        .filter_map(|n| n["id"].as_u64())
        .collect();
    let samples: Vec<u64> = profile["samples"].as_array().into_iter().flatten().filter_map(|s| s.as_u64()).collect();
    let deltas: Vec<f64> = profile["timeDeltas"].as_array().into_iter().flatten().filter_map(|d| d.as_f64()).collect();
    let mut windows: Vec<f64> = Vec::new();
    let mut t = 0.0;
    for (i, node) in samples.iter().enumerate() {
        t += deltas.get(i).copied().unwrap_or(0.0);
        let span = deltas.get(i + 1).copied().unwrap_or(0.0);
        let w = (t / FRAME_US) as usize;
        if windows.len() <= w {
            windows.resize(w + 1, 0.0);
        }
        if !idle.contains(node) {
            windows[w] += span;
        }
    }
    if windows.len() < 2 {
        return f64::NAN;
    }
    // The first window starts before the loop and the last is cut short.
    let mut windows = windows[1..windows.len() - 1].to_vec();
    windows.sort_by(f64::total_cmp);
    windows[windows.len() * 95 / 100] / 1000.0
}

#[tokio::test]
async fn upgrading_a_1_33_cluster_to_1_34_1_in_place_rolls_every_pod_to_an_identical_revision() {
    // Issue #12: kubernetes/kubernetes #134773. The Kubernetes select restarts the lab's story on
    // 1.33; "Upgrade in place" sends `minikube start --kubernetes-version=v1.34.1`, whose controller
    // finds no byte-equal ControllerRevision and replaces every pod with an identical one.
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.eval("(() => { const s = document.querySelector('select[aria-label=\"Kubernetes version\"]'); s.value = '1.33.0'; s.dispatchEvent(new Event('change')); return true; })()").await;
    let upgrade = "document.querySelector('select[aria-label=\"Upgrade the running cluster in place\"]')";
    b.wait_until("the story told again on 1.33", &format!("{upgrade}.options[0].textContent === 'running 1.33.0…'"))
        .await;
    lab_settled(&b).await;
    b.eval(&format!(
        "(() => {{ const s = {upgrade}; s.value = '1.34.1'; s.dispatchEvent(new Event('change')); return true; }})()"
    ))
    .await;
    b.wait_until(
        "the upgrade recorded, the select back on what runs",
        &format!("{upgrade}.options[0].textContent === 'running 1.34.1…' && {upgrade}.value === ''"),
    )
    .await;
    play_until(
        &b,
        "every pod at the new, identical revision",
        "[...document.querySelectorAll('.stage g.pod')].length === 3 && [...document.querySelectorAll('.stage g.pod')].every(p => p.dataset.label.includes('Revision B, Running 1/1'))",
    )
    .await;
    let steps = b.text(".history").await;
    assert!(steps.contains("minikube start --kubernetes-version=v1.34.1"), "the command is on the timeline: {steps}");
    assert!(steps.contains("The template did not change"), "the narration says why it rolled: {steps}");
    b.screenshot("upgrade-1-33-to-1-34-1").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #12, a teacher at 1920x1080: the drain guide in presenter mode, point by point. The
/// evictions are narrated, the drained node is drawn cordoned, and the budget keeps the set at two
/// Ready pods or more throughout.
#[tokio::test]
async fn a_teacher_presents_the_drain_guide_with_a_disruption_budget() {
    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    b.eval("(() => { const s = document.querySelector('select[aria-label^=\"Guided scenarios\"]'); s.value = '16'; s.dispatchEvent(new Event('change')); return true; })()").await;
    b.wait_until("the drain guide", "/Draining a node/.test(document.querySelector('.talk h2').textContent)").await;
    b.press("f").await;
    b.wait_until("presenter mode", "document.querySelector('#app.presenting') !== null").await;
    let mut fewest_ready = 3;
    let mut saw_cordoned = false;
    for i in 0..12 {
        let ready = b.eval("document.querySelectorAll('.stage g.pod.ready').length").await.as_u64().unwrap_or(0);
        fewest_ready = fewest_ready.min(ready);
        saw_cordoned |= b.count(".nodes .node.cordoned").await > 0;
        if i == 6 {
            b.screenshot("presenter-drain-guide-1920x1080").await;
        }
        b.press("\u{e00f}").await; // Page Down: the next talking point
    }
    let steps = b.text(".history").await;
    assert!(
        steps.contains("evict web-0") && steps.matches("evict web-2").count() >= 2,
        "both drains' evictions are narrated: {steps}"
    );
    assert!(saw_cordoned, "a drained node is drawn cordoned");
    assert!(fewest_ready >= 2, "the budget kept two pods Ready, saw {fewest_ready}");
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Appends `key=value` to the file `STS_LAB_BENCH_OUT` names, when it is set: how `cargo xtask
/// bench` collects the page's figures into its table.
fn bench_record(key: &str, value: f64) {
    if let Some(path) = std::env::var_os("STS_LAB_BENCH_OUT") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("the bench output file");
        writeln!(f, "{key}={value}").expect("write the bench output");
    }
}

/// Issue #13's first-visit figures, run by `cargo xtask bench` only (`--ignored`): milliseconds
/// from navigation to a User Timing mark the app sets after the frame that paints it, on a cold
/// first visit (a fresh profile: nothing cached, the wasm fetched and compiled) and warm (a reload
/// in the same profile), the median of 5 of each. Two visits:
/// - the first pod drawn (`sts-lab:first-pod`), opening a share link of the kubernetes.io example
///   at a moment with pods: the measurement. A plain first visit cannot give it, because
///   the lab's story opens at its start, before the controller has created any pod;
/// - the stage drawn on a plain first visit (`sts-lab:first-stage`): what a visitor sees first.
///
/// It measures; it asserts no time.
#[tokio::test]
#[ignore = "a benchmark: cargo xtask bench runs it"]
async fn bench_first_pod_drawn_cold_and_warm() {
    let link = link_to(include_str!("scenarios/inputs/web.yaml"), "  - step: 12\n");
    for (path, mark, key) in
        [(link.as_str(), "sts-lab:first-pod", "first_pod"), ("", "sts-lab:first-stage", "first_stage")]
    {
        let seen = format!(
            "(() => {{ const m = performance.getEntriesByName('{mark}'); return m.length ? m[0].startTime : null; }})()"
        );
        let (mut cold, mut warm) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let b = Browser::open(path, 1280, 800).await;
            b.wait_until(mark, &format!("{seen} !== null")).await;
            cold.push(b.eval(&seen).await.as_f64().expect("a mark"));
            // Cleared first, so a look at the page before the reload begins cannot read the old mark.
            b.eval("(() => { performance.clearMarks(); location.reload(); return true; })()").await;
            b.wait_until(&format!("{mark} after a reload"), &format!("{seen} !== null")).await;
            warm.push(b.eval(&seen).await.as_f64().expect("a mark"));
            b.close().await;
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (c, w) = (median(&mut cold), median(&mut warm));
        println!("{mark}: cold {c:.0} ms, warm {w:.0} ms (median of 5; cold {cold:?}, warm {warm:?})");
        bench_record(&format!("{key}_cold_ms"), c);
        bench_record(&format!("{key}_warm_ms"), w);
    }
}

/// WCAG 2 A and AA, checked by axe-core in the page (the default screen, and presenter mode).
#[tokio::test]
async fn the_page_passes_an_automated_accessibility_audit() {
    let axe_path = std::env::var("STS_LAB_AXE").unwrap_or_else(|_| "node_modules/axe-core/axe.min.js".into());
    let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| panic!("{axe_path}: {e} (run `npm ci`)"));
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.client.execute(&axe, vec![]).await.expect("load axe-core");
    for (moment, keys) in [("default", ""), ("terminal", ""), ("presenter", "f")] {
        if moment == "terminal" {
            // The terminal with answers in it (stdout and an error on stderr), as a student sees it.
            b.click("#show-terminal").await;
            b.click(".terminal-examples button").await;
            b.click("#terminal-input").await;
            b.press("kubectl get pods nope\u{E007}").await;
            b.wait_until(
                "the terminal answered",
                "/NotFound/.test(document.querySelector('#terminal-log').textContent)",
            )
            .await;
            b.click(".terminal-examples button").await;
        }
        if !keys.is_empty() {
            b.press(keys).await;
        }
        let result = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })\
                   .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' elements, e.g. ' + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + (n.any[0] ? n.any[0].message : '')).join(' | ') + ')')))\
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe");
        let violations: Vec<String> = serde_json::from_value(result).unwrap_or_default();
        assert!(violations.is_empty(), "accessibility violations ({moment}):\n{}", violations.join("\n"));
        b.screenshot(&format!("audited-{moment}")).await;
    }
    b.close().await;
}

#[tokio::test]
async fn values_render_through_the_users_own_chart_files_in_their_tabs() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    open_lab_chart_template(&b).await;
    b.eval("(() => { const t = document.querySelector('.chart-file textarea'); \
            t.value = t.value.replace('replicas: {{ .Values.replicaCount }}', 'replicas: {{ add .Values.replicaCount 3 }}'); \
            t.dispatchEvent(new Event('input', { bubbles: true })); return true; })()")
        .await;
    b.wait_until("four pods from the edited template", "document.querySelectorAll('.stage g.pod').length === 4").await;
    assert!(b.text("#input-summary").await.contains("your chart"));
    b.screenshot("own-chart-files").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_paste_with_several_statefulsets_lets_you_choose_which_to_simulate() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let web = include_str!("../public/examples/web.yaml");
    let two = format!("{web}\n---\n{}", web.replace("name: web\n", "name: db\n").replace("replicas: 3", "replicas: 2"));
    b.paste(&two).await;
    b.wait_until("the first set drawn", "/statefulset.apps\\/web/.test(document.querySelector('.stage').textContent)")
        .await;
    b.eval("(() => { const s = document.querySelector('select[aria-label=\"Which StatefulSet to simulate\"]'); s.value = 'db'; s.dispatchEvent(new Event('change')); return true; })()").await;
    b.wait_until("the chosen set drawn", "/statefulset.apps\\/db/.test(document.querySelector('.stage').textContent)")
        .await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: a phone shows the app without sideways scrolling.
#[tokio::test]
async fn no_horizontal_scroll_on_a_390_px_phone() {
    let b = Browser::open("", 390, 844).await;
    b.wait_for(".stage svg").await;
    // A first visit opens at the top: the step list keeps its current step in view by scrolling
    // itself, never the page (panels stack on a phone, so scrolling the page opened it halfway down).
    b.wait_until("the story's first steps listed", "document.querySelectorAll('.history li').length >= 2").await;
    assert_eq!(b.eval("window.scrollY").await, serde_json::json!(0), "the page opens at its top");
    for moment in ["story", "settled"] {
        if moment == "settled" {
            lab_settled(&b).await;
        }
        let widths =
            b.eval("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]").await;
        let w: Vec<u64> = serde_json::from_value(widths).unwrap();
        if !(w[0] <= w[2] && w[1] <= w[2]) {
            // Name what sticks out, so a failure says where to look.
            let wide = b
                .eval("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))")
                .await;
            panic!("the page is laid out {w:?} wide on a {}-px screen ({moment}); sticking out: {wide}", w[2]);
        }
        b.screenshot(&format!("phone-390-{moment}")).await;
    }
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: first open tells the lab's story from the beginning, pausing at each point, and
/// Play at the end plays it again.
#[tokio::test]
async fn first_open_plays_the_lab_story_pausing_at_each_point() {
    let b = Browser::open("", 1280, 800).await;
    b.wait_until("the story's introduction", "/stable name/.test(document.querySelector('.talk').textContent)").await;
    let paused_at = |what: &str, pods: usize| {
        format!(
            "document.querySelector('#play').textContent.startsWith('Play') && \
             document.querySelector('.talk p').textContent.includes({what:?}) && \
             document.querySelectorAll('.stage g.pod').length === {pods}"
        )
    };
    b.wait_until("the install, paused", &paused_at("helm install", 1)).await;
    b.screenshot("story-1-install").await;
    b.click("#play").await;
    b.wait_until("the scale to 3, paused", &paused_at("Scaled to 3", 3)).await;
    b.click("#play").await;
    b.wait_until("the requests, paused", &paused_at("counters now differ", 3)).await;
    assert!(b.text(".talk p").await.contains("Your turn"), "the story hands over to the reader");
    b.screenshot("story-3-counters").await;
    b.click("#play").await; // at the end: plays again from the beginning
    b.wait_until("the story again", "document.querySelectorAll('.stage g.pod').length <= 1").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: a guided scenario's digit key never loses the student's paste: one click brings it
/// back, and a reload too.
#[tokio::test]
async fn a_digit_key_after_a_paste_keeps_the_paste_and_reload_brings_it_back() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let mine = include_str!("../public/examples/web.yaml").replace("name: web\n", "name: mine\n");
    b.paste(&mine).await;
    b.wait_until("my set drawn", "/statefulset.apps\\/mine/.test(document.querySelector('.stage').textContent)").await;
    b.wait_until("my paste saved", "(localStorage.getItem('statefulset-lab/session') || '').includes('name: mine')")
        .await;
    b.press("4").await;
    b.wait_until(
        "the guide shown",
        "document.querySelector('.talk h2') && /rolling/i.test(document.querySelector('.talk h2').textContent)",
    )
    .await;
    assert!(b.text(".kept").await.contains("Your own paste is kept"));
    b.screenshot("guide-over-my-paste").await;
    b.click("#back-to-own").await;
    b.wait_until("my paste back", "document.querySelector('.editor textarea').value.includes('name: mine')").await;
    b.press("3").await;
    b.wait_until("another guide", "/scale/i.test(document.querySelector('.talk h2').textContent)").await;
    assert!(
        b.eval("localStorage.getItem('statefulset-lab/session')").await.as_str().unwrap_or("").contains("name: mine"),
        "the saved session is still my paste"
    );
    b.client.refresh().await.expect("reload");
    b.wait_until("my paste after the reload", "document.querySelector('.editor textarea') && document.querySelector('.editor textarea').value.includes('name: mine')").await;
    b.wait_until("my set drawn again", "/statefulset.apps\\/mine/.test(document.querySelector('.stage').textContent)")
        .await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: every step of every guided scenario says what happened (never only a time).
#[tokio::test]
async fn every_step_of_every_guided_scenario_has_narration() {
    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    for n in 1..=10 {
        let key = (n % 10).to_string();
        let before =
            b.eval("document.querySelector('.talk h2') ? document.querySelector('.talk h2').textContent : ''").await;
        b.press(&key).await;
        b.wait_until(
            "the guide",
            &format!(
                "document.querySelector('.talk h2') && document.querySelector('.talk h2').textContent !== {before}"
            ),
        )
        .await;
        let silent = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 (async () => { const s = document.querySelector('#scrub'); const out = [];\
                   for (let p = 1; p <= Number(s.max); p++) {\
                     s.value = String(p); s.dispatchEvent(new Event('input', { bubbles: true }));\
                     await new Promise(r => setTimeout(r, 5));\
                     const t = document.querySelector('.narration .now').textContent.trim();\
                     if (t.length < 20) out.push(p + ': ' + t);\
                   } return out; })().then(done);",
                vec![],
            )
            .await
            .expect("step through the guide");
        assert_eq!(silent, serde_json::json!([]), "guided scenario {n}: steps without a sentence");
    }
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: in presenter mode at 1920x1080, ten pods' text is at least 20 px, a guide opens at
/// its first point, Page Down moves by talking point and the list of steps follows.
#[tokio::test]
async fn presenter_mode_reads_from_the_back_of_the_room_at_1920x1080() {
    let b = Browser::open("", 1920, 1080).await;
    lab_settled(&b).await;
    let ten = include_str!("../public/examples/web.yaml")
        .replace("replicas: 3", "replicas: 10\n  podManagementPolicy: Parallel");
    b.paste(&ten).await;
    b.wait_until("ten pods", "document.querySelectorAll('.stage g.pod').length === 10").await;
    b.press("f").await;
    b.wait_until("presenter mode", "document.querySelector('#app.presenting') !== null").await;
    let smallest = b
        .eval(
            "(() => { const svg = document.querySelector('.stage svg'); const k = svg.getScreenCTM().a;\
               return Math.min(...Array.from(document.querySelectorAll('.stage g.pod text')).map(t => parseFloat(getComputedStyle(t).fontSize) * k)); })()",
        )
        .await
        .as_f64()
        .unwrap();
    b.screenshot("presenter-ten-pods-1920x1080").await;
    assert!(smallest >= 20.0, "the smallest pod text is {smallest:.1} px");
    b.press("4").await;
    b.wait_until("the rolling update guide", "/rolling/i.test(document.querySelector('.talk h2').textContent)").await;
    assert_eq!(b.count(".stage g.pod").await, 3, "opens at its first point: three Ready pods, not their creation");
    let start = b.eval("Number(document.querySelector('#scrub').value)").await;
    b.press("\u{e00f}").await; // Page Down: the next talking point
    let next = b.eval("Number(document.querySelector('#scrub').value)").await;
    assert!(next.as_u64() > start.as_u64(), "Page Down moved from {start} to {next}");
    for _ in 0..6 {
        b.press("\u{e00f}").await;
    }
    let visible = b
        .eval(
            "(() => { const l = document.querySelector('.history'); const c = l.querySelector('li.current');\
               if (!c) return true; const a = l.getBoundingClientRect(), r = c.getBoundingClientRect();\
               return r.top >= a.top - 1 && r.bottom <= a.bottom + 1; })()",
        )
        .await;
    assert_eq!(visible, serde_json::json!(true), "the current step is in view in the list of steps");
    let overflow = b
        .eval(
            "(() => { const p = document.querySelector('aside.panel'); return p.scrollWidth <= p.clientWidth + 1; })()",
        )
        .await;
    assert_eq!(overflow, serde_json::json!(true), "narration does not run off sideways");
    // A citation inside a talking point does not end its line: the text after it goes on beside it
    // (a closed <details> broke the line, leaving ")." alone on the next one).
    let beside = b
        .eval(
            "(() => { const c = document.querySelector('.talk p .cite'); if (!c) return 'no citation'; \
               const r = document.createRange(); r.setStartAfter(c); r.setEnd(c.parentElement, c.parentElement.childNodes.length); \
               const after = r.getClientRects()[0], rects = c.getClientRects(), last = rects[rects.length - 1]; \
               return Math.abs(after.top - last.top) < 2 && after.left >= last.right - 1; })()",
        )
        .await;
    assert_eq!(beside, serde_json::json!(true), "the talking point goes on after its citation");
    b.eval("(() => { document.querySelector('.talk p .cite-toggle').focus(); return true; })()").await;
    // Its code span is shown as code, not as backticks in front of the class.
    let code = b.eval("(() => { const p = document.querySelector('.talk p'); return [p.textContent.includes('`'), Array.from(p.querySelectorAll('code')).map(c => c.textContent)]; })()").await;
    assert_eq!(code, serde_json::json!([false, ["kubectl rollout status"]]), "the talking point's code span");
    b.press("\u{e007}").await; // Enter opens what the rule says, as a button would
    b.wait_until("the rule explained", "document.querySelector('.talk p .cite.open .cite-body') !== null").await;
    b.press("\u{e007}").await;
    b.wait_until("the rule closed", "document.querySelector('.talk p .cite-body') === null").await;
    b.screenshot("presenter-guide-1920x1080").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #10: a values file written for another chart is never drawn as the lab chart without a
/// word: the stage says so and names the two ways that work.
#[tokio::test]
async fn a_bitnami_values_file_is_not_drawn_as_the_lab_chart_without_a_word() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.paste(include_str!("fixtures/postgresql-like-values.yaml")).await;
    b.wait_until("a word on the stage", "document.querySelector('.mismatch') !== null").await;
    let said = b.text(".mismatch").await;
    assert!(said.contains("postgresql"), "names what it looks like: {said}");
    assert!(said.contains("helm template") && said.contains("chart files"), "offers the two ways that work: {said}");
    let listed = b.text(".diagnostics").await;
    assert!(listed.contains("line"), "the warning points at a line: {listed}");
    b.screenshot("values-for-another-chart").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #14: the built page carries a strict Content-Security-Policy, and the app runs under it
/// without a violation: styles set from code go through the CSSOM, the only inline script is the
/// one Trunk writes (allowed by its hash), the trap panel is a file.
#[tokio::test]
async fn the_site_runs_under_a_strict_content_security_policy_without_a_violation() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let csp =
        b.eval("(document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') || {}).content || ''").await;
    let csp = csp.as_str().unwrap_or_default().to_string();
    for directive in [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
        "style-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "`{directive}` missing from the page's policy: {csp:?}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every violation from here on is recorded (and Chrome logs each one as a console error).
    b.eval("(() => { window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber)); return true; })()").await;
    // What sets styles from code: the playback speed variable, timeline markers, the revision
    // legend's chips (a rolling update), an action's error line in the narration.
    play_until(&b, "a second revision", "document.querySelectorAll('.legend .chip').length >= 1").await;
    b.click("button[aria-keyshortcuts='i']").await;
    play_until(&b, "the rollout to start", "document.querySelectorAll('.scrub .markers i').length >= 1").await;
    b.press("+").await;
    b.press("-").await;
    let violations = b.eval("window.__cspViolations").await;
    assert_eq!(violations, serde_json::json!([]), "CSP violations while using the page");
    b.assert_no_console_errors().await;
    let speed = b.eval("getComputedStyle(document.getElementById('app')).getPropertyValue('--speed').trim()").await;
    assert_ne!(speed, serde_json::json!(""), "the speed variable is set through the CSSOM");
    // The policy is in force: an inline style attribute is refused and reported.
    b.eval("(() => { const d = document.createElement('div'); d.id = 'csp-probe'; d.setAttribute('style', 'width: 123px'); document.body.appendChild(d); return true; })()").await;
    b.wait_until("the probe's violation reported", "window.__cspViolations.length > 0").await;
    let width = b.eval("getComputedStyle(document.getElementById('csp-probe')).width").await;
    assert_ne!(width, serde_json::json!("123px"), "an inline style attribute must be blocked");
    b.close().await;
}

/// Issue #14: a WebAssembly trap (out of memory, stack overflow) is not a panic; public/trap.js shows
/// the same panel as the panic hook, built from text nodes, without calling into the module.
#[tokio::test]
async fn a_webassembly_trap_shows_the_crash_panel_with_its_message_as_text() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    // As the browser reports a trap thrown from a wasm event handler.
    b.eval("(() => { const error = new WebAssembly.RuntimeError('memory access out of bounds <img src=x onerror=window.__pwned=1>'); window.dispatchEvent(new ErrorEvent('error', { error, message: error.message })); return true; })()").await;
    b.wait_until("the crash panel", "document.getElementById('crash') !== null").await;
    let panel = b.text("#crash").await;
    assert!(panel.contains("StatefulSet Lab stopped"), "{panel}");
    assert!(
        panel.contains("RuntimeError: memory access out of bounds <img src=x"),
        "the message is shown as text: {panel}"
    );
    assert_eq!(b.count("#crash img").await, 0, "no HTML from the message");
    assert_eq!(b.eval("window.__pwned === undefined").await, serde_json::json!(true));
    assert_eq!(b.count("#crash button").await, 1, "a Reload button");
    b.close().await;

    // A trap inside a promise (an async task) reaches `unhandledrejection`.
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    // As the browser reports it (a rejection made inside a WebDriver script is not reported to the page).
    b.eval("(() => { window.dispatchEvent(new PromiseRejectionEvent('unhandledrejection', { promise: Promise.resolve(), reason: new WebAssembly.RuntimeError('unreachable') })); return true; })()").await;
    b.wait_until("the crash panel", "document.getElementById('crash') !== null").await;
    assert!(b.text("#crash pre").await.contains("RuntimeError: unreachable"));
    b.close().await;
}

/// Issue #14: a pasted set far above the lab's limit answers at once with the limit and why, at its
/// line, and the page stays responsive (the probe: 2147483647 Parallel replicas took the page to 4 GB).
#[tokio::test]
async fn a_paste_of_2147483647_parallel_replicas_is_refused_with_the_labs_limit() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let manifest = include_str!("../public/examples/web.yaml")
        .replace("replicas: 3", "replicas: 2147483647\n  podManagementPolicy: Parallel");
    b.paste(&manifest).await;
    b.wait_until(
        "the limit to be listed",
        "Array.from(document.querySelectorAll('.diagnostics li.error')).some(li => /the lab animates up to 300 replicas; this set asks for 2147483647/.test(li.textContent))",
    )
    .await;
    // Still answering: a paste of 100,000 `[` is refused at its bracket too.
    b.paste(&"[".repeat(100_000)).await;
    b.wait_until(
        "the depth error",
        "Array.from(document.querySelectorAll('.diagnostics li.error')).some(li => /nests deeper than 128/.test(li.textContent))",
    )
    .await;
    assert_eq!(b.count("#crash").await, 0);
    b.close().await;
}

/// A share link to a scenario of `input` (a paste, given as written) and its `steps` (YAML list
/// items, each line indented two spaces).
fn link_to(input: &str, steps: &str) -> String {
    let input: String = input.lines().map(|l| format!("  {l}\n")).collect();
    link_of(&format!("input_text: |\n{input}steps:\n{steps}"))
}

/// A share link as the app writes it: `v1=` and the deflated scenario, base64url.
fn link_of(scenario: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(scenario.as_bytes(), 9);
    format!("#v1={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
}

/// Issue #14, in the page: the probe's hostile share links each answer with a notice that says
/// why, the crash panel never shows, and the lab's own story is there to use (nothing replaced).
#[tokio::test]
async fn hostile_share_links_are_explained_and_change_nothing() {
    let web = include_str!("scenarios/inputs/web.yaml");
    let links = [
        (
            "ordinals.start 2147483647",
            link_to(
                &web.replacen(
                    "  serviceName: \"nginx\"\n",
                    "  serviceName: \"nginx\"\n  ordinals:\n    start: 2147483647\n",
                    1,
                ),
                "  - settle\n",
            ),
            "ordinals.start 2147483647",
        ),
        ("traffic near 2^64", link_to(web, "  - traffic: 18446744073709551000\n"), "requests at once"),
        (
            "100,000 replicas and steps",
            link_to(&web.replace("replicas: 3", "replicas: 100000"), "  - step: 1000\n"),
            "the lab animates up to 300 replicas",
        ),
        (
            "a scenario nested 100,000 deep",
            link_of(&format!("steps: {}", "[".repeat(100_000))),
            "nests deeper than 128",
        ),
    ];
    for (what, link, says) in links {
        let b = Browser::open(&link, 1280, 800).await;
        b.wait_until(
            &format!("the notice for {what}"),
            &format!("Array.from(document.querySelectorAll('.notice')).some(n => n.textContent.includes({says:?}))"),
        )
        .await;
        lab_settled(&b).await;
        assert_eq!(b.count("#crash").await, 0, "{what}: no crash panel");
        b.assert_no_console_errors().await;
        b.close().await;
    }
}

/// Issue #14, in the page: a chart whose helper includes another twice, forty levels deep (2^40
/// calls), stops at the template step budget with a message naming the template, and the page
/// keeps answering.
#[tokio::test]
async fn an_include_bomb_in_the_users_chart_is_stopped_with_a_message() {
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    open_lab_chart_template(&b).await;
    let mut bomb = String::new();
    for i in 0..40 {
        bomb.push_str(&format!(
            "{{{{- define \"d{i}\" -}}}}{{{{ include \"d{n}\" . }}}}{{{{ include \"d{n}\" . }}}}{{{{- end -}}}}\n",
            n = i + 1
        ));
    }
    bomb.push_str("{{- define \"d40\" -}}{{- end -}}\n# {{ include \"d0\" . }}\n");
    prepend_to_chart_file(&b, &bomb).await;
    b.wait_until(
        "the step budget's message",
        "Array.from(document.querySelectorAll('.diagnostics li.error')).some(li => /more than [0-9,]+ actions/.test(li.textContent))",
    )
    .await;
    // Still answering: the stage keeps the last good drawing, and a key still works.
    assert_eq!(b.count(".stage g.pod").await, 1, "the last good state stays");
    assert_eq!(b.count("#crash").await, 0);
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #11: a student types kubectl in the terminal. A reading command answers at the moment
/// shown, a changing one lands on the timeline like a button (the stage follows), ↑ recalls the
/// last command, Tab completes a verb, and kubectl's own refusal of `rollout pause` is printed.
#[tokio::test]
async fn a_student_types_kubectl_in_the_terminal() {
    const ENTER: char = '\u{E007}';
    const TAB: char = '\u{E004}';
    const UP: char = '\u{E013}';
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let log = "document.querySelector('#terminal-log').textContent";
    b.click("#show-terminal").await;
    b.click("#terminal-input").await;
    b.press(&format!("kubectl get sts{ENTER}")).await;
    b.wait_until("get sts answered", &format!("/{STS}\\s+3\\/3/.test({log})")).await;
    b.press(&format!("kubectl scale sts {STS} --replicas=4{ENTER}")).await;
    b.wait_until("scaled", &format!("{log}.includes('statefulset.apps/{STS} scaled')")).await;
    play_until(&b, "the fourth pod Running", "document.querySelectorAll('.stage g.pod').length === 4").await;
    assert!(
        b.text(".history").await.contains(&format!("kubectl scale sts {STS} --replicas=4")),
        "the narration shows the command as typed"
    );
    // Focused by script, not by a click: the stage is still animating, and a click can land elsewhere.
    b.eval("(() => { document.querySelector('#terminal-input').focus(); return true; })()").await;
    b.press(&UP.to_string()).await;
    b.wait_until(
        "↑ recalls the last command",
        &format!("document.querySelector('#terminal-input').value === 'kubectl scale sts {STS} --replicas=4'"),
    )
    .await;
    b.eval("(() => { const i = document.querySelector('#terminal-input'); i.value = ''; i.dispatchEvent(new Event('input')); i.focus(); return true; })()").await;
    b.press(&format!("kubectl descr{TAB}")).await;
    b.wait_until("Tab completes the verb", "document.querySelector('#terminal-input').value === 'kubectl describe '")
        .await;
    b.press(&format!("sts {STS}{ENTER}")).await;
    b.wait_until("describe printed", &format!("{log}.includes('Pods Status:')")).await;
    b.press(&format!("kubectl rollout pause sts/{STS}{ENTER}")).await;
    b.wait_until("pause refused", &format!("/not supported/.test({log})")).await;
    // helm on the pasted release (issue #11): an upgrade is an input like a button press.
    b.press(&format!("helm upgrade python ./helm-python --set replicaCount=2{ENTER}")).await;
    b.wait_until("helm upgraded", &format!("{log}.includes('Release \"python\" has been upgraded. Happy Helming!')"))
        .await;
    play_until(&b, "scaled down by helm", "document.querySelectorAll('.stage g.pod').length === 2").await;
    b.click("#terminal-input").await;
    b.press(&format!("helm history python{ENTER}")).await;
    b.wait_until("helm history", &format!("/REVISION\\s+UPDATED[\\s\\S]*Upgrade complete/.test({log})")).await;
    // `kubectl get pods -w` streams the changes the session goes through until Ctrl-C.
    b.press(&format!("kubectl get pods -w{ENTER}")).await;
    b.wait_until("watch started", &format!("/get pods -w\\nNAME\\s+READY/.test({log})")).await;
    b.eval(
        "(() => { [...document.querySelectorAll('button')].find(x => x.textContent === '−').click(); return true; })()",
    )
    .await;
    play_until(&b, "scaled to one", "document.querySelectorAll('.stage g.pod').length === 1").await;
    b.wait_until("the watch printed the pod going", &format!("/get pods -w\\n[\\s\\S]*Terminating/.test({log})")).await;
    b.click("#terminal-input").await;
    b.ctrl('c').await;
    b.wait_until("Ctrl-C ends the watch", &format!("{log}.includes('^C')")).await;
    b.screenshot("terminal-1280x800").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn a_lost_node_leaves_its_pod_terminating_and_the_set_short() {
    // Issue #12: the node lifecycle controller marks the node NotReady after the grace period, the
    // taint eviction controller deletes its pods 300 s later, and no kubelet confirms: the pod stays
    // Terminating and the StatefulSet makes no replacement for that identity.
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.eval("(() => { [...document.querySelectorAll('button')].find(x => x.textContent === 'Lose node').click(); return true; })()").await;
    // The node is drawn on the stage: its box turns red once the node lifecycle controller
    // marks it NotReady, and the chip of the pod stuck on it turns Terminating.
    b.wait_until("the node marked lost", "document.querySelector('.nodes .node.lost') !== null").await;
    play_until(&b, "its pod Terminating", "/Terminating/.test(document.querySelector('.stage').textContent)").await;
    b.wait_until(
        "the lost node's box shows NotReady and its pod's chip Terminating",
        "document.querySelector('.nodes .node.lost .node-status').textContent === 'NotReady' \
         && document.querySelector('.nodes .node.lost .node-pod.terminating') !== null",
    )
    .await;
    b.screenshot("node-lost-1280x800").await;
    b.assert_no_console_errors().await;
    b.close().await;
}

#[tokio::test]
async fn without_secret_base_the_lab_chart_stops_at_create_container_config_error_until_it_is_created() {
    // Issue #12: the lab chart reads Secret secret-base, which it does not create. By default the
    // lab assumes it is in the cluster (as it was in the student's); one click shows a fresh cluster.
    const ENTER: char = '\u{E007}';
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    let chips = "Array.from(document.querySelectorAll('.refs .ref')).map(g => g.textContent).join('|')";
    assert!(b.eval(chips).await.as_str().unwrap_or("").contains("Secret secret-base (assumed)"));
    b.click("#assume-missing").await;
    b.wait_until("pod-0 stuck", "/CreateContainerConfigError/.test(document.querySelector('.stage').textContent)")
        .await;
    assert_eq!(b.count(".stage g.pod").await, 1, "OrderedReady: nothing after the stuck pod");
    assert!(b.eval(chips).await.as_str().unwrap_or("").contains("Secret secret-base (missing)"));
    let told = b.text(".narration").await;
    assert!(told.contains("kubectl create secret generic secret-base --from-literal=password="), "{told}");
    b.screenshot("create-container-config-error-1280x800").await;
    b.click("#show-terminal").await;
    b.click("#terminal-input").await;
    b.press(&format!("kubectl create secret generic secret-base --from-literal=password=DevOpsPass{ENTER}")).await;
    let log = "document.querySelector('#terminal-log').textContent";
    b.wait_until("created", &format!("{log}.includes('secret/secret-base created')")).await;
    play_until(
        &b,
        "pod-0 Running",
        "/Running 1\\/1/.test(document.querySelector('.stage g.pod').getAttribute('data-label'))",
    )
    .await;
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #14 "No freeze", measured in the page: the Long Tasks API records every task that held the
/// main thread over 50 ms. This starts the record (with what was buffered since navigation).
async fn record_long_tasks(b: &Browser) {
    b.eval(
        "(() => { window.__longTasks = []; new PerformanceObserver(l => l.getEntries().forEach(e => \
         window.__longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: true }); return true; })()",
    )
    .await;
}

/// The longest task since the last call (observers report after the task ends, so wait a moment).
async fn longest_task_ms(b: &Browser) -> u64 {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.eval("Math.max(0, ...window.__longTasks.splice(0))").await.as_u64().unwrap_or(0)
}

/// Issue #14 "No freeze": the probe's inputs that froze the page (1.5 s to minutes) or killed it,
/// pasted into the editor, in a chart file and in share links: each is answered with its message
/// and no task holds the main thread for a second (the bound), as the browser measures it.
#[tokio::test]
async fn no_hostile_input_holds_the_main_thread_for_a_second() {
    const LIMIT_MS: u64 = 1_000;
    let web = include_str!("../public/examples/web.yaml");
    let error_matching = |re: &str| {
        format!(
            "Array.from(document.querySelectorAll('.diagnostics li.error')).some(li => /{re}/.test(li.textContent))"
        )
    };
    let mut alias_bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        alias_bomb
            .push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    const READ_ONLY: &str =
        "document.querySelector('.editor .read-only') !== null && document.querySelector('.editor textarea').value === ''";
    let annotations: String = (0..95_000).map(|i| format!("    k{i}: v\n")).collect();
    let pastes: Vec<(&str, String, String)> = vec![
        (
            "10,000 Parallel replicas",
            web.replace("replicas: 3", "replicas: 10000\n  podManagementPolicy: Parallel"),
            error_matching("the lab animates up to 300 replicas; this set asks for 10000"),
        ),
        (
            "2147483647 Parallel replicas",
            web.replace("replicas: 3", "replicas: 2147483647\n  podManagementPolicy: Parallel"),
            error_matching("this set asks for 2147483647"),
        ),
        ("100,000 brackets", "[".repeat(100_000), error_matching("nests deeper than 128")),
        (
            "95,000 annotation keys",
            web.replacen(
                "kind: StatefulSet\nmetadata:\n  name: web\n",
                &format!("kind: StatefulSet\nmetadata:\n  name: web\n  annotations:\n{annotations}"),
                1,
            ),
            // Too long for the text box (issue #14): shown read-only, and read all the same.
            format!("{} && {READ_ONLY}", error_matching("metadata.annotations: Too long")),
        ),
        ("an alias bomb", alias_bomb, error_matching("anchor")),
        (
            "a 10 MB paste",
            "a: b\n".repeat(2_100_000),
            format!("{} && {READ_ONLY}", error_matching("the lab reads up to 2 MB")),
        ),
        (
            "300 Parallel replicas (the lab's limit)",
            web.replace("replicas: 3", "replicas: 300\n  podManagementPolicy: Parallel"),
            "document.querySelectorAll('.diagnostics li.error').length === 0".into(),
        ),
    ];
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    record_long_tasks(&b).await;
    let start_up = longest_task_ms(&b).await;
    let mut report: Vec<(String, u64)> = vec![("the lab's story, from navigation".into(), start_up)];
    for (what, text, answered) in &pastes {
        if (256 * 1024..=2 * 1024 * 1024).contains(&text.len()) {
            // Pasted as `Browser::paste` does, reading the summary line at the next frame: a large
            // paste says it is being read before the reading starts.
            let summary = b
                .client
                .execute_async(
                    &format!(
                        "const done = arguments[arguments.length - 1]; {PASTE_JS} \
                         requestAnimationFrame(() => done(document.querySelector('#input-summary').textContent));"
                    ),
                    vec![serde_json::json!(text)],
                )
                .await
                .unwrap_or_else(|e| panic!("{what}: paste into the editor: {e}"));
            let mb = format!("Reading {:.1} MB…", text.len() as f64 / 1_048_576.0);
            assert_eq!(summary.as_str().unwrap_or_default().trim(), mb, "{what}: the notice while it waits to be read");
        } else {
            b.paste(text).await;
        }
        b.wait_until(what, answered).await;
        let ms = longest_task_ms(&b).await;
        report.push((what.to_string(), ms));
    }
    // The largest set the lab animates, played to its end: 300 pods created at once and drawn.
    b.eval("(() => { const s = document.querySelector('#scrub'); s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true })); return true; })()").await;
    b.wait_until("300 pods drawn", "document.querySelectorAll('.stage g.pod').length === 300").await;
    let ms = longest_task_ms(&b).await;
    report.push(("300 Parallel replicas, to the end".into(), ms));

    // A chart file: `range until 100000000` (2.5 s before the limits).
    open_lab_chart_template(&b).await;
    longest_task_ms(&b).await;
    prepend_to_chart_file(&b, "{{ range until 100000000 }}{{ end }}\n").await;
    b.wait_until("the range limit", &error_matching("the lab's templates count to at most")).await;
    let ms = longest_task_ms(&b).await;
    report.push(("range until 100000000 in a template".into(), ms));
    assert_eq!(b.count("#crash").await, 0);
    b.close().await;

    // Share links, from navigation: the whole load, the link's scenario included.
    let web_in: String = include_str!("scenarios/inputs/web.yaml").lines().map(|l| format!("  {l}\n")).collect();
    let links = [
        (
            "a link with traffic near 2^64",
            link_of(&format!("input_text: |\n{web_in}steps:\n  - traffic: 18446744073709551000\n")),
        ),
        (
            "a link with 100,000 replicas and steps",
            link_of(&format!(
                "input_text: |\n{}steps:\n  - step: 1000\n",
                web_in.replace("replicas: 3", "replicas: 100000")
            )),
        ),
        ("a link nested 100,000 deep", link_of(&format!("steps: {}", "[".repeat(100_000)))),
        // The lab's most inputs a session may hold, replayed on open.
        (
            "a link with 99,999 steps and a request",
            link_of(&format!("input_text: |\n{web_in}steps:\n  - step: 99999\n  - traffic: 1\n")),
        ),
    ];
    for (what, link) in links {
        let b = Browser::open(&link, 1280, 800).await;
        // A refused link says so in a notice; the last one is shown, its request counted.
        b.wait_until(
            &format!("the answer to {what}"),
            "document.querySelector('.notice') !== null || /visits 1/.test(document.querySelector('.stage').textContent)",
        )
        .await;
        record_long_tasks(&b).await;
        let ms = longest_task_ms(&b).await;
        report.push((format!("{what}, from navigation"), ms));
        b.close().await;
    }
    let table: Vec<String> = report.iter().map(|(what, ms)| format!("{ms:>6} ms  {what}")).collect();
    println!("longest task per input (issue #14, bound {LIMIT_MS} ms):\n{}", table.join("\n"));
    assert!(
        report.iter().all(|(_, ms)| *ms < LIMIT_MS),
        "an input held the main thread a second:\n{}",
        table.join("\n")
    );
}

/// Issue #14: a paste too long for the browser's text box (which lays out every line it holds) is
/// shown read-only with only the lines in view drawn, its problems still marked and reachable from
/// the list; a paste on it replaces it, and Undo brings it back.
#[tokio::test]
async fn a_paste_too_long_for_the_text_box_is_shown_read_only_and_nothing_is_lost() {
    let web = include_str!("../public/examples/web.yaml");
    let filler: String = (0..15_000).map(|i| format!("# line {i} of a long log\n")).collect();
    let long =
        format!("{web}---\n{filler}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: 1\n");
    let error_line = long.lines().count();
    let lines = format!("{},{:03}", error_line / 1000, error_line % 1000);
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    b.paste(&long).await;
    b.wait_until("the read-only view", "document.querySelector('.editor .read-only') !== null").await;
    let note = b.text(".read-only-note").await;
    assert!(
        note.starts_with(&format!(
            "Read-only: this paste has {lines} lines, more than the 10,000 the lab edits in place"
        )),
        "{note}"
    );
    assert_eq!(b.eval("document.querySelector('.editor textarea').value").await, "", "the text box holds none of it");
    b.wait_until("its error listed", "document.querySelectorAll('.diagnostics li.error').length > 0").await;
    let drawn = b.eval("document.querySelector('.editor .read-only pre').textContent.split('\\n').length - 1").await;
    let drawn = drawn.as_u64().unwrap_or(0);
    assert!((1..=120).contains(&drawn), "only the lines in view are drawn, not {drawn}");
    // The listed error takes the view to its line, drawn and marked.
    b.click(".diagnostics li.error button").await;
    b.wait_until(
        "the error's line drawn and marked",
        &format!(
            "Array.from(document.querySelectorAll('.editor .gutter .err')).some(l => l.textContent.trim() === '{error_line}') \
             && document.querySelector('.editor .read-only pre').textContent.endsWith('spec:\\n  ports: 1\\n')"
        ),
    )
    .await;
    assert!(b.eval("document.activeElement.classList.contains('read-only')").await.as_bool().unwrap_or(false));
    b.screenshot("read-only-paste-1280x800").await;
    // A paste on it replaces it; Undo brings it back.
    b.paste(web).await;
    b.wait_until(
        "the new paste in the text box",
        "document.querySelector('.editor textarea').value.startsWith('# A StatefulSet done right')",
    )
    .await;
    assert_eq!(b.count(".editor .read-only").await, 0);
    b.wait_until("the new paste read", "document.querySelectorAll('.diagnostics li.error').length === 0").await;
    b.eval("(() => { Array.from(document.querySelectorAll('.tabs button')).find(x => x.textContent === 'Undo').click(); return true; })()").await;
    b.wait_until("the long paste back", "document.querySelector('.read-only-note') !== null").await;
    assert!(b.text(".read-only-note").await.starts_with(&format!("Read-only: this paste has {lines} lines")));
    // A chart file is edited in place only: the same paste there is refused, saying why.
    open_lab_chart_template(&b).await;
    let taken = b
        .client
        .execute(
            "const t = document.querySelector('.chart-file textarea'); t.select(); \
             const data = new DataTransfer(); data.setData('text/plain', arguments[0]); \
             return t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));",
            vec![serde_json::json!(long)],
        )
        .await
        .expect("paste into the chart file");
    assert_eq!(taken, false, "the browser is not let insert it");
    let notice = b.text(".notice").await;
    assert!(
        notice.starts_with(&format!(
            "Not pasted into templates/statefulset.yaml: the file would have {lines} lines, more than the 10,000"
        )),
        "{notice}"
    );
    assert_eq!(b.count("#crash").await, 0);
    b.assert_no_console_errors().await;
    b.close().await;
}

/// Issue #14, "nothing lost, ever", in the page: when the browser's storage is full, saving says so
/// and the session stays in the tab; a saved session that cannot be replayed is kept in storage,
/// its text goes to the editor, and the notice says why and how to keep a copy.
#[tokio::test]
async fn a_full_storage_or_a_saved_session_that_cannot_be_replayed_loses_nothing() {
    const KEY: &str = "statefulset-lab/session";
    let b = Browser::open("", 1280, 800).await;
    lab_settled(&b).await;
    // Fill this origin's storage (Chromium keeps about 10 MB per origin) until it refuses.
    b.eval(
        "(() => { const mb = 'x'.repeat(1 << 20); let i = 0; \
         try { for (; i < 64; i++) localStorage.setItem('filler-' + i, mb); } catch (e) { \
           const kb = 'x'.repeat(1 << 10); try { for (let j = 0; j < 4096; j++) localStorage.setItem('filler-kb-' + j, kb); } catch (e) {} } \
         return i; })()",
    )
    .await;
    let mine = include_str!("../public/examples/web.yaml").replace("name: web\n", "name: mine\n");
    b.paste(&mine).await;
    b.wait_until(
        "the save refused, said",
        "Array.from(document.querySelectorAll('.notice')).some(n => /Not saved: the browser's storage is full or refused it\\. Your session stays in this tab/.test(n.textContent))",
    )
    .await;
    // The session stays in the tab: the paste in the editor, its pods on the stage.
    assert_eq!(b.eval("document.querySelector('.editor textarea').value.includes('name: mine')").await, true);
    assert!(pods(&b).await.iter().any(|p| p.contains("mine-0")), "mine's pods are drawn");
    b.close().await;

    // A saved session whose StatefulSet is not in its input: it cannot be replayed.
    let b = Browser::open("", 1280, 800).await;
    let saved = format!(
        "statefulset: nosuch\ninput_text: |\n{}steps:\n  - settle\n",
        include_str!("scenarios/inputs/web.yaml").lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    b.client
        .execute(
            "localStorage.clear(); localStorage.setItem(arguments[0], arguments[1]); return true;",
            vec![serde_json::json!(KEY), serde_json::json!(saved)],
        )
        .await
        .expect("store a session");
    b.client.refresh().await.expect("reload");
    b.wait_until(
        "the notice",
        "Array.from(document.querySelectorAll('.notice')).some(n => /Your saved session could not be replayed \\(.*nosuch.*\\)\\. It is kept in this browser; use Export to save a copy/.test(n.textContent))",
    )
    .await;
    assert_eq!(
        b.eval(&format!(
            "document.querySelector('.editor textarea').value === {:?}",
            include_str!("scenarios/inputs/web.yaml")
        ))
        .await,
        true,
        "its text is in the editor"
    );
    // Two seconds later (the save waits one), the stored copy is still the one that could not be replayed.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        b.eval(&format!("localStorage.getItem({KEY:?})")).await,
        serde_json::json!(saved),
        "the saved session is kept"
    );
    assert_eq!(b.count("#crash").await, 0);
    b.close().await;
}
