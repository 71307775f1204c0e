//! Where each card goes. Few pods get large cards with every detail; many pods (a 200-replica
//! set) get compact tiles in rows, so the whole set stays visible without scrolling sideways.

use super::Scene;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// A card and its place, by ordinal.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub ordinal: i32,
    pub pod: Option<Rect>,
    pub claim: Option<Rect>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub compact: bool,
    /// Presenter cards: larger type in the same width, up to ten pods in rows of five, so the
    /// back of a classroom reads every card (20 px and more at 1920x1080).
    pub large: bool,
    pub service: Rect,
    pub frame: Rect,
    pub slots: Vec<Placed>,
    /// x of the partition divider, between the last old slot and the first updated one.
    pub partition_x: Option<f64>,
    /// The band of node boxes under the frame (zero height when the cluster has no nodes).
    pub nodes: Rect,
    /// One box per node, in the scene's node order, side by side inside `nodes`.
    pub node_boxes: Vec<Rect>,
    pub references: Rect,
    /// One chip per reference, wrapped into rows inside `references`.
    pub reference_chips: Vec<Rect>,
}

/// Width of a reference chip for its label (the font is about 6.6 px a character at 11 px).
pub fn chip_width(label: &str) -> f64 {
    16.0 + label.chars().count() as f64 * 6.6
}

/// The label a reference chip shows.
pub fn reference_label(r: &super::Reference) -> String {
    let note = match (r.dangling, r.assumed) {
        (true, _) => " (missing)",
        (false, true) => " (assumed)",
        (false, false) => "",
    };
    format!("{} {}{note}", r.kind, r.name)
}

/// The widest drawing (many pods wrap into rows of this width).
pub const WIDTH: f64 = 960.0;
/// The narrowest: a few pods are drawn large rather than lost in an empty frame.
const MIN_WIDTH: f64 = 560.0;
const MARGIN: f64 = 24.0;
const FULL_POD: (f64, f64) = (176.0, 104.0);
const FULL_CLAIM: (f64, f64) = (176.0, 78.0);
const COMPACT_POD: (f64, f64) = (40.0, 34.0);
const COMPACT_CLAIM: (f64, f64) = (40.0, 16.0);
/// Presenter cards: as wide as full cards, taller, for type about 1.45 times larger.
const LARGE_POD: (f64, f64) = (176.0, 134.0);
const LARGE_CLAIM: (f64, f64) = (176.0, 80.0);
/// Up to this many pods get large cards in presenter mode (two rows of five).
pub const LARGE_MAX: usize = 10;
const LARGE_PER_ROW: usize = 5;
const LARGE_WIDTH: f64 = 1024.0;
/// A node box: its name, its status, then the ordinals of the pods it runs, a line each.
const NODE_H: f64 = 66.0;
const NODE_GAP: f64 = 12.0;
/// Room for one ordinal chip in a node box.
pub const NODE_CHIP: f64 = 24.0;

/// How many ordinal chips fit in a node box of width `w`, keeping one place for "+N" when more.
pub fn node_chips_fit(w: f64) -> usize {
    (((w - 16.0) / NODE_CHIP).floor() as usize).max(1)
}

impl Layout {
    /// Places every ordinal that has a pod or a claim, in ordinal order.
    pub fn of(scene: &Scene) -> Layout {
        Layout::sized(scene, false)
    }

    /// As [`Layout::of`]; `presenting` asks for large cards when there are at most [`LARGE_MAX`].
    pub fn sized(scene: &Scene, presenting: bool) -> Layout {
        let mut ordinals: Vec<i32> =
            scene.pods.iter().map(|p| p.ordinal).chain(scene.claims.iter().map(|c| c.ordinal)).collect();
        crate::sorting::sort(&mut ordinals);
        ordinals.dedup();
        let large = presenting && ordinals.len() <= LARGE_MAX;
        let compact = !large && ordinals.len() > 5;
        let (pod, claim, gap) = if large {
            (LARGE_POD, LARGE_CLAIM, 14.0)
        } else if compact {
            (COMPACT_POD, COMPACT_CLAIM, 6.0)
        } else {
            (FULL_POD, FULL_CLAIM, 18.0)
        };
        let max_width = if large { LARGE_WIDTH } else { WIDTH };
        let inner = max_width - 2.0 * MARGIN - 24.0;
        let fit = (((inner + gap) / (pod.0 + gap)).floor() as usize).max(1);
        let per_row = if large { fit.min(LARGE_PER_ROW) } else { fit };
        let rows = ordinals.len().div_ceil(per_row).max(1);
        // Space between a pod and its claim, and below the claim.
        let (link, below) = if large {
            (12.0, 16.0)
        } else if compact {
            (14.0, 12.0)
        } else {
            (14.0, 22.0)
        };
        let row_h = pod.1 + link + claim.1 + below;
        let used = ordinals.len().min(per_row) as f64;
        let row_w = used * pod.0 + (used - 1.0).max(0.0) * gap;
        let width = (row_w + 2.0 * MARGIN + 40.0).clamp(MIN_WIDTH, max_width);
        // Presenter cards with nodes: the Service moves to the left and the nodes take the top
        // band beside it, so the drawing grows neither taller nor wider (it is scaled to fit a
        // projector's screen, and every card's text would shrink).
        // Only where the boxes beside it are wide enough for a node's name (ten cards make the
        // drawing wide; three leave room below instead).
        let beside =
            (width - MARGIN - (MARGIN + 8.0 + 300.0 + 24.0) - NODE_GAP * 2.0) / scene.nodes.len().max(1) as f64;
        let nodes_on_top = large && !scene.nodes.is_empty() && beside >= 160.0;
        let service =
            Rect { x: if nodes_on_top { MARGIN + 8.0 } else { width / 2.0 - 150.0 }, y: 12.0, w: 300.0, h: 60.0 };
        // Room under the Service for the "not headless" badge when there is one.
        let frame_top = service.bottom() + if scene.service_warning.is_some() { 72.0 } else { 44.0 };
        let frame = Rect { x: MARGIN, y: frame_top, w: width - 2.0 * MARGIN, h: 68.0 + rows as f64 * row_h };
        let left = (width - row_w) / 2.0;
        let has_pod = |o: i32| scene.pods.iter().any(|p| p.ordinal == o);
        let has_claim = |o: i32| scene.claims.iter().any(|c| c.ordinal == o);
        let slots: Vec<Placed> = ordinals
            .iter()
            .enumerate()
            .map(|(i, &ordinal)| {
                let (row, col) = (i / per_row, i % per_row);
                let x = left + col as f64 * (pod.0 + gap);
                let y = frame.y + 58.0 + row as f64 * row_h;
                Placed {
                    ordinal,
                    pod: has_pod(ordinal).then_some(Rect { x, y, w: pod.0, h: pod.1 }),
                    claim: has_claim(ordinal).then_some(Rect { x, y: y + pod.1 + link, w: claim.0, h: claim.1 }),
                }
            })
            .collect();
        let partition_x = scene.partition_label().and_then(|_| {
            let p = scene.partition?;
            let first_new = scene.ordinals_start + p;
            let index = ordinals.iter().position(|&o| o >= first_new)?;
            // Only a single row has a straight divider; wrapped rows show the label alone.
            (rows == 1 && index > 0).then(|| left + index as f64 * (pod.0 + gap) - gap / 2.0)
        });
        // The nodes, side by side under the frame (beside the Service for presenter cards): which
        // pod runs where, and a lost node marked.
        let node_count = scene.nodes.len();
        let band = if node_count == 0 {
            Rect { x: MARGIN, y: frame.bottom(), w: 0.0, h: 0.0 }
        } else if nodes_on_top {
            let x = service.x + service.w + 24.0;
            Rect { x, y: service.y - 8.0, w: width - MARGIN - x, h: NODE_H + 18.0 }
        } else {
            Rect { x: MARGIN, y: frame.bottom() + 14.0, w: width - 2.0 * MARGIN, h: NODE_H + 18.0 }
        };
        let node_w =
            if node_count == 0 { 0.0 } else { (band.w - NODE_GAP * (node_count as f64 - 1.0)) / node_count as f64 };
        let node_boxes: Vec<Rect> = (0..node_count)
            .map(|i| Rect { x: band.x + i as f64 * (node_w + NODE_GAP), y: band.y + 18.0, w: node_w, h: NODE_H })
            .collect();
        let nodes = band;
        let top = frame.bottom().max(nodes.bottom()) + 18.0;
        let (mut x, mut y) = (MARGIN, top + 8.0);
        let reference_chips: Vec<Rect> = scene
            .references
            .iter()
            .map(|r| {
                let w = chip_width(&reference_label(r)).min(width - 2.0 * MARGIN);
                if x + w > width - MARGIN && x > MARGIN {
                    x = MARGIN;
                    y += 30.0;
                }
                let chip = Rect { x, y, w, h: 24.0 };
                x += w + 10.0;
                chip
            })
            .collect();
        let references = Rect {
            x: MARGIN,
            y: top,
            w: width - 2.0 * MARGIN,
            h: if scene.references.is_empty() { 0.0 } else { y + 24.0 - top },
        };
        let height = references.bottom() + 16.0;
        Layout {
            width,
            height,
            compact,
            large,
            service,
            frame,
            slots,
            partition_x,
            nodes,
            node_boxes,
            references,
            reference_chips,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{ClaimCard, PodCard, PodLook};

    fn scene(pods: i32, claims: i32, partition: Option<i32>) -> Scene {
        Scene {
            name: "web".into(),
            replicas: pods,
            ready: format!("{pods}/{pods}"),
            policy: "OrderedReady".into(),
            strategy: "RollingUpdate".into(),
            partition,
            ordinals_start: 0,
            current_revision: None,
            update_revision: None,
            revisions: vec![],
            service: None,
            services: vec![],
            service_warning: None,
            request: None,
            pods: (0..pods)
                .map(|o| PodCard {
                    name: format!("web-{o}"),
                    ordinal: o,
                    revision: None,
                    status: "Running".into(),
                    ready: "1/1".into(),
                    look: PodLook::Ready,
                    restarts: 0,
                    visits: Some(0),
                    node: None,
                    node_lost: false,
                    recent_requests: 0,
                    dns: None,
                })
                .collect(),
            claims: (0..claims)
                .map(|o| ClaimCard {
                    name: format!("www-web-{o}"),
                    ordinal: o,
                    status: "Bound".into(),
                    capacity: "1Gi".into(),
                    volume: String::new(),
                    visits: Some(0),
                    attached: o < pods,
                })
                .collect(),
            references: vec![],
            traffic_share: vec![],
            nodes: vec![],
        }
    }

    /// `scene` on the three minikube nodes (none running a pod: only their boxes are placed).
    fn on_three_nodes(pods: i32) -> Scene {
        let mut s = scene(pods, pods, None);
        s.nodes = ["minikube", "minikube-m02", "minikube-m03"]
            .iter()
            .map(|n| crate::scene::NodeBox {
                name: n.to_string(),
                status: "Ready".into(),
                lost: false,
                taints: vec![],
                pods: vec![],
                ordinals: vec![],
            })
            .collect();
        s
    }

    #[test]
    fn claims_left_after_a_scale_down_keep_their_slot_beside_the_pods() {
        let l = Layout::of(&scene(2, 3, None));
        assert_eq!(l.slots.len(), 3);
        assert!(l.slots[2].pod.is_none() && l.slots[2].claim.is_some());
    }

    #[test]
    fn each_claim_sits_under_its_own_pod() {
        let l = Layout::of(&scene(3, 3, None));
        for s in &l.slots {
            assert_eq!(s.pod.unwrap().cx(), s.claim.unwrap().cx());
            assert!(s.claim.unwrap().y > s.pod.unwrap().bottom());
        }
    }

    #[test]
    fn partition_divider_falls_between_the_old_and_the_new_slots() {
        let l = Layout::of(&scene(3, 3, Some(2)));
        let x = l.partition_x.expect("a divider");
        assert!(l.slots[1].pod.unwrap().x + l.slots[1].pod.unwrap().w < x && x < l.slots[2].pod.unwrap().x);
    }

    #[test]
    fn partition_zero_or_staged_draws_no_divider() {
        assert!(Layout::of(&scene(3, 3, Some(0))).partition_x.is_none());
        assert!(Layout::of(&scene(3, 3, Some(3))).partition_x.is_none());
        assert_eq!(
            scene(3, 3, Some(3)).partition_label().unwrap(),
            "partition 3: no pod gets the new revision (staged)"
        );
    }

    #[test]
    fn references_wrap_into_rows_inside_the_drawing() {
        let mut s = scene(3, 3, None);
        s.references = (0..8)
            .map(|i| crate::scene::Reference {
                kind: "ConfigMap".into(),
                name: format!("a-rather-long-config-map-{i}"),
                dangling: false,
                assumed: i % 2 == 0,
                optional: false,
            })
            .collect();
        let l = Layout::of(&s);
        assert!(l.reference_chips.iter().all(|c| c.x + c.w <= l.width));
        assert!(l.reference_chips.last().unwrap().y > l.reference_chips[0].y);
        assert!(l.height >= l.reference_chips.last().unwrap().bottom());
    }

    #[test]
    fn nodes_sit_side_by_side_between_the_frame_and_the_references() {
        let mut s = on_three_nodes(3);
        s.references = vec![crate::scene::Reference {
            kind: "Secret".into(),
            name: "secret-base".into(),
            dangling: false,
            assumed: true,
            optional: false,
        }];
        let l = Layout::of(&s);
        assert_eq!(l.node_boxes.len(), 3);
        assert!(l.node_boxes.iter().all(|b| b.y > l.frame.bottom() && b.bottom() < l.reference_chips[0].y));
        assert!(l.node_boxes.windows(2).all(|w| w[0].x + w[0].w < w[1].x));
        assert!(l.node_boxes[2].x + l.node_boxes[2].w <= l.width - MARGIN + 0.001);
        assert!(Layout::of(&scene(3, 3, None)).node_boxes.is_empty());
    }

    #[test]
    fn presenter_cards_put_the_nodes_beside_the_service_so_the_drawing_grows_neither_way() {
        // Three cards leave too little room beside the Service: the nodes go below the frame.
        let small = Layout::sized(&on_three_nodes(3), true);
        assert!(small.node_boxes.iter().all(|b| b.y > small.frame.bottom() && b.w >= 16.0 + 12.0 * 7.3));
        let s = on_three_nodes(10);
        let flat = Layout::sized(&scene(10, 10, None), true);
        let l = Layout::sized(&s, true);
        assert!(l.large);
        assert_eq!((l.width, l.height), (flat.width, flat.height), "no larger than without nodes");
        let service_right = l.service.x + l.service.w;
        assert!(l.node_boxes.iter().all(|b| b.x > service_right && b.x + b.w <= l.width && b.bottom() < l.frame.y));
        assert!(l.node_boxes.iter().all(|b| b.w >= 16.0 + 12.0 * 7.3), "a node's name fits its box");
    }

    #[test]
    fn two_hundred_replicas_fit_the_width_in_compact_rows() {
        assert!(Layout::sized(&scene(10, 10, None), true).large, "ten pods get presenter cards");
        assert!(!Layout::sized(&scene(11, 11, None), true).large);
        let l = Layout::of(&scene(200, 200, None));
        assert!(l.compact);
        assert!(l.slots.iter().all(|s| s.pod.unwrap().x >= 0.0 && s.pod.unwrap().x + s.pod.unwrap().w <= l.width));
    }
}
