//! The stage: the Service, the StatefulSet frame, one card per pod with its claim beneath, the
//! partition divider, the nodes with the ordinals each one runs, and the ConfigMaps/Secrets the
//! pods use. Painted from a `Scene`; it decides
//! nothing about behaviour. Pods are keyed by name so a card keeps its DOM node (and its CSS
//! transitions) while its status changes.

use leptos::prelude::*;

use crate::scene::{Layout, PodCard, RevisionChip, Scene};

fn rev_fill(chip: &RevisionChip) -> String {
    format!("var(--rev-{})", chip.color % 5)
}

#[component]
pub fn Stage(
    /// What to draw at the current moment.
    scene: Memo<Scene>,
    /// Clicking (or Enter/Delete on) a pod asks to delete it; the engine does the rest.
    on_pod: Callback<i32>,
    /// Whether request dots move (off with prefers-reduced-motion).
    motion: Signal<bool>,
    /// Presenter mode: large cards for up to ten pods.
    presenting: Signal<bool>,
) -> impl IntoView {
    let layout = Memo::new(move |_| {
        let presenting = presenting.get();
        scene.with(|s| Layout::sized(s, presenting))
    });
    let view_box = move || layout.with(|l| format!("0 0 {} {}", l.width, l.height));
    let names = Memo::new(move |_| {
        scene.with(|s| {
            let mut ordinals: Vec<i32> =
                s.pods.iter().map(|p| p.ordinal).chain(s.claims.iter().map(|c| c.ordinal)).collect();
            crate::sorting::sort(&mut ordinals);
            ordinals.dedup();
            ordinals
        })
    });
    view! {
        <svg class="stage-svg" viewBox=view_box role="group" aria-labelledby="stage-title" preserveAspectRatio="xMidYMin meet">
            <title id="stage-title">{move || scene.with(describe)}</title>
            <ServiceNode scene layout />
            <Frame scene layout />
            <PartitionDivider scene layout />
            <For each=move || names.get() key=|o| *o let:ordinal>
                <Slot ordinal scene layout on_pod motion />
            </For>
            <Nodes scene layout />
            <References scene layout />
        </svg>
    }
}

/// A one-sentence description of the drawing, for screen readers.
fn describe(s: &Scene) -> String {
    let pods: Vec<String> = s.pods.iter().map(|p| format!("{} {}", p.name, p.status)).collect();
    format!(
        "StatefulSet {} with {} of {} pods ready: {}",
        s.name,
        s.ready.split('/').next().unwrap_or("0"),
        s.replicas,
        pods.join(", ")
    )
}

#[component]
fn ServiceNode(scene: Memo<Scene>, layout: Memo<Layout>) -> impl IntoView {
    let r = move || layout.with(|l| l.service);
    view! {
        <g class="svc">
            <rect class="box" x=move || r().x y=move || r().y width=move || r().w height=move || r().h rx="10" />
            {move || scene.with(|s| match &s.service {
                Some(svc) => {
                    let (x, y) = (r().cx(), r().y);
                    let ip = if svc.headless { "clusterIP: None (headless)".to_string() } else { format!("ClusterIP {}", svc.cluster_ip) };
                    let line2 = if svc.kind == "ClusterIP" { format!("{ip} · {}", svc.ports) } else { format!("{} · {ip} · {}", svc.kind, svc.ports) };
                    // The other Service that selects the pods (identity and traffic can be two).
                    let other = s.services.iter().find(|o| o.name != svc.name).map(|o| format!("+ service/{} · {}", o.name, o.role()));
                    view! {
                        <text x=x y=y + 20.0 text-anchor="middle" font-weight="700" font-size="15">{format!("service/{} · {}", svc.name, svc.role())}</text>
                        <text x=x y=y + 38.0 text-anchor="middle" font-size="12" class="muted">{line2}</text>
                        {other.map(|o| view! { <text x=x y=y + 54.0 text-anchor="middle" font-size="11" class="muted">{o}</text> })}
                    }.into_any()
                }
                None => view! {
                    <text x=r().cx() y=r().y + 36.0 text-anchor="middle" class="muted">"no Service selects these pods"</text>
                }.into_any(),
            })}
            {move || scene.with(|s| s.service_warning.clone()).map(|w| {
                let r = r();
                view! {
                    <g class="badge" tabindex="0" role="note" aria-label=w.clone()>
                        <title>{w.clone()}</title>
                        <rect x=r.cx() - 130.0 y=r.bottom() + 10.0 width="260" height="40" rx="6" />
                        <text x=r.cx() y=r.bottom() + 26.0 text-anchor="middle" font-size="12">"⚠ no headless governing Service"</text>
                        <text x=r.cx() y=r.bottom() + 42.0 text-anchor="middle" font-size="11">"pods get no stable DNS names (hover for why)"</text>
                    </g>
                }
            })}
        </g>
    }
}

#[component]
fn Frame(scene: Memo<Scene>, layout: Memo<Layout>) -> impl IntoView {
    let r = move || layout.with(|l| l.frame);
    let title = move || scene.with(|s| format!("statefulset.apps/{}", s.name));
    let facts = move || {
        scene.with(|s| {
            let strategy = match (s.strategy.as_str(), s.partition) {
                ("RollingUpdate", Some(p)) => format!("RollingUpdate, partition {p}"),
                (other, _) => other.to_string(),
            };
            format!("READY {} · replicas {} · {} · {}", s.ready, s.replicas, s.policy, strategy)
        })
    };
    let revs = move || {
        scene.with(|s| {
            let chip = |c: &Option<RevisionChip>| c.as_ref().map(|c| c.letter.clone()).unwrap_or_else(|| "–".into());
            format!("current {} → update {}", chip(&s.current_revision), chip(&s.update_revision))
        })
    };
    view! {
        <g class="frame">
            <rect class="sts-frame" x=move || r().x y=move || r().y width=move || r().w height=move || r().h rx="14" />
            <text x=move || r().x + 16.0 y=move || r().y + 24.0 font-weight="700" font-size="15">{title}</text>
            <text x=move || r().x + 16.0 y=move || r().y + 44.0 font-size="12" class="muted">{facts}</text>
            <text x=move || r().x + r().w - 16.0 y=move || r().y + 24.0 text-anchor="end" font-size="12" class="muted">{revs}</text>
            // The Service reaches every Ready pod: one line from it to the frame.
            <line class="link" x1=move || layout.with(|l| l.service.cx()) y1=move || layout.with(|l| l.service.bottom() + if scene.with(|s| s.service_warning.is_some()) { 50.0 } else { 0.0 })
                x2=move || layout.with(|l| l.service.cx()) y2=move || r().y />
        </g>
    }
}

#[component]
fn PartitionDivider(scene: Memo<Scene>, layout: Memo<Layout>) -> impl IntoView {
    move || {
        let label = scene.with(|s| s.partition_label())?;
        let l = layout.get();
        Some(match l.partition_x {
            Some(x) => view! {
                <g class="partition">
                    <line x1=x y1=l.frame.y + 34.0 x2=x y2=l.frame.bottom() - 6.0 />
                    <text x=x + 6.0 y=l.frame.bottom() - 10.0 font-size="12">{label}</text>
                </g>
            }
            .into_any(),
            None => view! {
                <g class="partition"><text x=l.frame.x + 16.0 y=l.frame.bottom() - 10.0 font-size="12">{label}</text></g>
            }
            .into_any(),
        })
    }
}

#[component]
fn Slot(
    ordinal: i32,
    scene: Memo<Scene>,
    layout: Memo<Layout>,
    on_pod: Callback<i32>,
    motion: Signal<bool>,
) -> impl IntoView {
    let place = Memo::new(move |_| layout.with(|l| l.slots.iter().find(|s| s.ordinal == ordinal).cloned()));
    let pod = Memo::new(move |_| scene.with(|s| s.pods.iter().find(|p| p.ordinal == ordinal).cloned()));
    let claim = Memo::new(move |_| scene.with(|s| s.claims.iter().find(|c| c.ordinal == ordinal).cloned()));
    let compact = move || layout.with(|l| l.compact);
    let large = move || layout.with(|l| l.large);
    view! {
        <g class="slot">
            {move || {
                let (p, c) = (place.get()?.pod?, place.get()?.claim?);
                let detached = claim.with(|c| c.as_ref().map(|c| !c.attached).unwrap_or(true));
                Some(view! { <line class="link" class:detached=detached x1=p.cx() y1=p.bottom() x2=c.cx() y2=c.y /> })
            }}
            {move || {
                let r = place.get()?.pod?;
                let card = pod.get()?;
                Some(view! { <PodNode card r compact=compact() large=large() on_pod motion service=layout.with(|l| l.service) /> })
            }}
            {move || {
                let r = place.get()?.claim?;
                let c = claim.get()?;
                let compact = compact();
                let large = large();
                let class = format!("pvc {}{}", c.status.to_lowercase(), if c.attached { "" } else { " detached" });
                Some(view! {
                    <g class=class>
                        <title>{match c.visits { Some(v) => format!("{} ({}) holds {{\"count\": {v}}}", c.name, c.status), None => format!("{} ({}): no counter file yet", c.name, c.status) }}</title>
                        <rect class="card" x=r.x y=r.y width=r.w height=r.h rx="6" />
                        {if compact {
                            view! { <text x=r.cx() y=r.y + 12.0 text-anchor="middle" font-size="10" class="counter">{c.visits.map(|v| v.to_string()).unwrap_or_else(|| "–".into())}</text> }.into_any()
                        } else if large {
                            view! {
                                <text x=r.x + 8.0 y=r.y + 22.0 font-size="16" font-weight="600" class="mono">{trim_start(&c.name, 16)}</text>
                                <text x=r.x + 8.0 y=r.y + 45.0 font-size="16" class="muted">{format!("{} · {}", c.status, c.capacity)}</text>
                                <text x=r.x + 8.0 y=r.y + 69.0 font-size="17" class="counter mono">{c.visits.map(|v| format!("{{\"count\": {v}}}")).unwrap_or_else(|| "no counter yet".into())}</text>
                            }.into_any()
                        } else {
                            view! {
                                <text x=r.x + 8.0 y=r.y + 16.0 font-size="11" font-weight="600" class="mono">{trim(&c.name, 22)}</text>
                                <text x=r.x + 8.0 y=r.y + 32.0 font-size="11" class="muted">{format!("{} · {}", c.status, c.capacity)}</text>
                                <text x=r.x + 8.0 y=r.y + 48.0 font-size="10" class="muted mono">{trim(&c.volume, 24)}</text>
                                <text x=r.x + 8.0 y=r.y + 68.0 font-size="12" class="counter mono">{c.visits.map(|v| format!("{{\"count\": {v}}}")).unwrap_or_else(|| "no counter file yet".into())}</text>
                            }.into_any()
                        }}
                    </g>
                })
            }}
        </g>
    }
}

/// Keeps the end of a long name (where its ordinal is): `…helm-python-2`.
fn trim_start(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        std::iter::once('…').chain(s.chars().skip(n - max + 1)).collect()
    }
}

/// A pod card's STATUS: a long reason (`CreateContainerConfigError`) is drawn smaller and fitted to
/// `width`, where cutting it would hide which error it is.
fn status_line(status: &str, x: f64, y: f64, size: f64, width: f64) -> impl IntoView {
    let fit = (status.chars().count() > 17).then(|| width.to_string());
    let size = if fit.is_some() { size * 0.8 } else { size };
    let adjust = fit.as_ref().map(|_| "spacingAndGlyphs");
    view! { <text x=x y=y font-size=size class="status" textLength=fit lengthAdjust=adjust>{status.to_string()}</text> }
}

fn trim(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[component]
fn PodNode(
    card: PodCard,
    r: crate::scene::Rect,
    compact: bool,
    large: bool,
    on_pod: Callback<i32>,
    motion: Signal<bool>,
    service: crate::scene::Rect,
) -> impl IntoView {
    let ordinal = card.ordinal;
    let class = format!("pod {}", card.look.as_str());
    // One sentence for screen readers (and the tests): the card's facts in words.
    let letter = card.revision.as_ref().map(|c| c.letter.clone()).unwrap_or_else(|| "?".into());
    let visits = card.visits.map(|v| format!("visits {v}")).unwrap_or_else(|| "no visits yet".into());
    let dns = card
        .dns
        .as_ref()
        .map(|d| match &d.unpublished {
            None => format!(" DNS name {}.", d.fqdn),
            Some(why) => format!(" DNS name {} (not served now: {why}).", d.fqdn),
        })
        .unwrap_or_default();
    let on_node = match (&card.node, card.node_lost) {
        (Some(n), false) => format!(" On node {n}."),
        (Some(n), true) => format!(" On node {n}, which has stopped reporting."),
        (None, _) => String::new(),
    };
    let label = format!(
        "Pod {} (ordinal {ordinal}): Revision {letter}, {} {}, restarts {}, {visits}{}.{on_node}{dns} Press Enter or Delete to delete this pod.",
        card.name,
        card.status,
        card.ready,
        card.restarts,
        card.revision.as_ref().map(|c| format!(" (revision {}, {})", c.number, c.image)).unwrap_or_default()
    );
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Delete" || ev.key() == "Enter" {
            ev.prevent_default();
            on_pod.run(ordinal);
        }
    };
    let chip = card.revision.clone();
    let dots = if motion.get_untracked() { card.recent_requests.min(3) } else { 0 };
    let path = format!("M {} {} L {} {}", service.cx(), service.bottom(), r.cx(), r.y);
    let data_label = label.clone();
    view! {
        <g class=class data-label=data_label>
            <g aria-hidden="true">
            {(0..dots).map(|i| view! {
                <circle class="request" r="4" opacity="0">
                    <animateMotion dur="0.7s" begin=format!("{}s", i as f64 * 0.2) repeatCount="1" fill="freeze" path=path.clone() />
                    <animate attributeName="opacity" values="1;1;0" dur="0.7s" begin=format!("{}s", i as f64 * 0.2) fill="freeze" />
                </circle>
            }).collect_view()}
            <rect class="card appear" x=r.x y=r.y width=r.w height=r.h rx="8" />
            {if compact {
                view! {
                    <text x=r.cx() y=r.y + 14.0 text-anchor="middle" font-size="11" font-weight="700">{ordinal}</text>
                    {chip.map(|c| view! { <rect x=r.x + 4.0 y=r.y + 20.0 width=r.w - 8.0 height="8" rx="2" fill=rev_fill(&c) /> })}
                }.into_any()
            } else if large {
                view! {
                    <g class="ordinal"><circle cx=r.x + 20.0 cy=r.y + 20.0 r="14" /><text x=r.x + 20.0 y=r.y + 26.0 text-anchor="middle" font-size="17">{ordinal}</text></g>
                    <text x=r.x + 40.0 y=r.y + 26.0 font-size="16" font-weight="600" class="mono">{trim_start(&card.name, 11)}</text>
                    {chip.map(|c| view! {
                        <g class="rev-chip">
                            <rect x=r.x + r.w - 32.0 y=r.y + 8.0 width="26" height="24" rx="4" fill=rev_fill(&c) />
                            <text x=r.x + r.w - 19.0 y=r.y + 26.0 text-anchor="middle" font-size="17">{c.letter.clone()}</text>
                        </g>
                    })}
                    {status_line(&card.status, r.x + 10.0, r.y + 54.0, 17.0, r.w - 20.0)}
                    <text x=r.x + 10.0 y=r.y + 78.0 font-size="16" class="muted">{format!("READY {} · ↻ {}", card.ready, card.restarts)}</text>
                    <text x=r.x + 10.0 y=r.y + 101.0 font-size="16" class="mono">{card.visits.map(|v| format!("visits {v}")).unwrap_or_else(|| "no visits yet".into())}</text>
                    {card.dns.as_ref().map(|d| view! { <text x=r.x + 10.0 y=r.y + 124.0 font-size="16" class="muted mono dns" class:unpublished=d.unpublished.is_some()>{trim_start(&d.short, 16)}</text> })}
                }.into_any()
            } else {
                view! {
                    <g class="ordinal"><circle cx=r.x + 18.0 cy=r.y + 18.0 r="11" /><text x=r.x + 18.0 y=r.y + 22.0 text-anchor="middle" font-size="12">{ordinal}</text></g>
                    <text x=r.x + 36.0 y=r.y + 22.0 font-size="11" font-weight="600" class="mono">{trim(&card.name, 20)}</text>
                    {card.dns.as_ref().map(|d| view! { <text x=r.x + 36.0 y=r.y + 35.0 font-size="9.5" class="muted mono dns" class:unpublished=d.unpublished.is_some()>{trim(&d.short, 24)}</text> })}
                    {chip.map(|c| view! {
                        <g class="rev-chip">
                            <rect x=r.x + r.w - 30.0 y=r.y + 38.0 width="22" height="20" rx="4" fill=rev_fill(&c) />
                            <text x=r.x + r.w - 19.0 y=r.y + 52.0 text-anchor="middle" font-size="12">{c.letter.clone()}</text>
                        </g>
                    })}
                    {status_line(&card.status, r.x + 10.0, r.y + 52.0, 13.0, r.w - 44.0)}
                    <text x=r.x + 10.0 y=r.y + 70.0 font-size="11" class="muted">{format!("READY {} · restarts {}", card.ready, card.restarts)}</text>
                    <text x=r.x + 10.0 y=r.y + 92.0 font-size="12" class="mono">{card.visits.map(|v| format!("visits {v}")).unwrap_or_else(|| "no visits yet".into())}</text>
                }.into_any()
            }}
            </g>
            // The button: a transparent area over the card, so its name is the label alone (the
            // card's SVG texts would read as one run-together word).
            <rect class="hit" x=r.x y=r.y width=r.w height=r.h rx="8" tabindex="0" role="button" aria-label=label
                on:click=move |_| on_pod.run(ordinal) on:keydown=on_key />
        </g>
    }
}

/// The cluster's nodes side by side: each with kubectl's STATUS and a chip per pod of the set it
/// runs (coloured as the pod's card), so a lost node and the pods stuck on it read at a glance.
#[component]
fn Nodes(scene: Memo<Scene>, layout: Memo<Layout>) -> impl IntoView {
    move || {
        let (nodes, looks) = scene.with(|s| {
            let looks: Vec<(i32, &'static str)> = s.pods.iter().map(|p| (p.ordinal, p.look.as_str())).collect();
            (s.nodes.clone(), looks)
        });
        if nodes.is_empty() {
            return None;
        }
        let (band, boxes) = layout.with(|l| (l.nodes, l.node_boxes.clone()));
        let items = nodes
            .into_iter()
            .zip(boxes)
            .map(|(n, r)| {
                let fit = crate::scene::node_chips_fit(r.w);
                let shown = if n.ordinals.len() > fit { fit - 1 } else { n.ordinals.len() };
                let more = n.ordinals.len() - shown;
                let pods = if n.pods.is_empty() { "no pods of this set".to_string() } else { n.pods.join(", ") };
                let taints = if n.taints.is_empty() { String::new() } else { format!("; taints {}", n.taints.join(", ")) };
                let unnoticed = if n.lost && !n.status.starts_with("NotReady") {
                    " (it has stopped reporting; the node lifecycle controller has not noticed yet)"
                } else {
                    ""
                };
                let title = format!("node {}: {}{unnoticed}; {pods}{taints}", n.name, n.status);
                let cordoned = n.status.contains("SchedulingDisabled");
                let chips = n.ordinals[..shown]
                    .iter()
                    .enumerate()
                    .map(|(i, &o)| {
                        let look = looks.iter().find(|(x, _)| *x == o).map(|(_, l)| *l).unwrap_or("pending");
                        let cx = r.x + 8.0 + crate::scene::NODE_CHIP / 2.0 + i as f64 * crate::scene::NODE_CHIP;
                        view! {
                            <g class=format!("node-pod {look}")>
                                <circle cx=cx cy=r.y + 50.0 r="10" />
                                <text x=cx y=r.y + 54.0 text-anchor="middle" font-size="11">{o}</text>
                            </g>
                        }
                    })
                    .collect_view();
                view! {
                    <g class="node" class:lost=n.lost class:cordoned=cordoned>
                        <title>{title}</title>
                        <rect x=r.x y=r.y width=r.w height=r.h rx="8" />
                        <text x=r.x + 8.0 y=r.y + 16.0 font-size="12" font-weight="600" class="mono">{trim(&n.name, ((r.w - 16.0) / 7.3).max(6.0) as usize)}</text>
                        <text x=r.x + 8.0 y=r.y + 31.0 font-size="11" class="node-status">{trim(&n.status, ((r.w - 16.0) / 6.2).max(6.0) as usize)}</text>
                        {chips}
                        {(more > 0).then(|| view! {
                            <text x=r.x + 8.0 + shown as f64 * crate::scene::NODE_CHIP + 2.0 y=r.y + 54.0 font-size="11" class="muted">{format!("+{more}")}</text>
                        })}
                        {n.ordinals.is_empty().then(|| view! {
                            <text x=r.x + 8.0 y=r.y + 54.0 font-size="11" class="muted">{if r.w >= 140.0 { "no pods of this set" } else { "no pods" }}</text>
                        })}
                    </g>
                }
            })
            .collect_view();
        Some(
            view! { <g class="nodes"><text x=band.x y=band.y + 10.0 font-size="11" class="muted">"nodes"</text>{items}</g> },
        )
    }
}

#[component]
fn References(scene: Memo<Scene>, layout: Memo<Layout>) -> impl IntoView {
    move || {
        let refs = scene.with(|s| s.references.clone());
        if refs.is_empty() {
            return None;
        }
        let (r, chips) = layout.with(|l| (l.references, l.reference_chips.clone()));
        let items = refs
            .into_iter()
            .zip(chips)
            .map(|(reference, chip)| {
                let label = crate::scene::reference_label(&reference);
                view! {
                    <g class="ref" class:dangling=reference.dangling class:assumed=reference.assumed>
                        <title>{reference.title()}</title>
                        <rect x=chip.x y=chip.y width=chip.w height=chip.h rx="5" />
                        <text x=chip.x + 8.0 y=chip.y + 16.0 font-size="11">{label}</text>
                    </g>
                }
            })
            .collect_view();
        Some(
            view! { <g class="refs"><text x=r.x y=r.y font-size="11" class="muted">"used by the pods"</text>{items}</g> },
        )
    }
}
