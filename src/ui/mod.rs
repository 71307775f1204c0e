//! Leptos components: they render engine state and send actions; they never decide behaviour.

use leptos::prelude::*;

mod panic;
mod stage;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let release = crate::input::parse(include_str!("../../public/examples/helm-python-install-dry-run-debug.txt"));
    let names: Vec<String> = release
        .statefulsets
        .iter()
        .map(|s| s.object.metadata.name.clone().unwrap_or_default())
        .collect();
    view! {
        <main id="app">
            <h1>"StatefulSet Lab"</h1>
            <p>"Release: " {release.name.clone().unwrap_or_default()}</p>
            <ul>{names.into_iter().map(|n| view! { <li class="sts">{n}</li> }).collect_view()}</ul>
        </main>
    }
}
