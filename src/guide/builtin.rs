//! The guided scenarios shipped with the app (public/scenarios/), compiled in so presenter mode
//! works offline and from any sub-path, with the inputs they name.

use crate::scenario::ScenarioError;

use super::Guide;

/// `(id, file text)` in presenter order: digit key N jumps to the Nth (0 to the tenth); later ones
/// are chosen from the list.
pub const BUILTIN: &[(&str, &str)] = &[
    ("01-ordered-creation", include_str!("../../public/scenarios/01-ordered-creation.yaml")),
    ("02-stable-identity", include_str!("../../public/scenarios/02-stable-identity.yaml")),
    ("03-scale-down-and-up", include_str!("../../public/scenarios/03-scale-down-and-up.yaml")),
    ("04-rolling-update", include_str!("../../public/scenarios/04-rolling-update.yaml")),
    ("05-staged-and-canary", include_str!("../../public/scenarios/05-staged-and-canary.yaml")),
    ("06-phased-rollout", include_str!("../../public/scenarios/06-phased-rollout.yaml")),
    ("07-on-delete", include_str!("../../public/scenarios/07-on-delete.yaml")),
    ("08-broken-image-forced-rollback", include_str!("../../public/scenarios/08-broken-image-forced-rollback.yaml")),
    ("09-parallel-vs-ordered-ready", include_str!("../../public/scenarios/09-parallel-vs-ordered-ready.yaml")),
    ("10-pvc-retention", include_str!("../../public/scenarios/10-pvc-retention.yaml")),
    // Past the tenth: no digit key, chosen from the list.
    ("11-max-unavailable-on-1-35-2", include_str!("../../public/scenarios/11-max-unavailable-on-1-35-2.yaml")),
    ("12-max-unavailable-on-1-37", include_str!("../../public/scenarios/12-max-unavailable-on-1-37.yaml")),
    ("13-upgrade-1-33-to-1-34", include_str!("../../public/scenarios/13-upgrade-1-33-to-1-34.yaml")),
    ("14-upgrade-1-33-to-1-34-2", include_str!("../../public/scenarios/14-upgrade-1-33-to-1-34-2.yaml")),
    ("15-a-lost-node", include_str!("../../public/scenarios/15-a-lost-node.yaml")),
    (
        "16-drain-with-a-disruption-budget",
        include_str!("../../public/scenarios/16-drain-with-a-disruption-budget.yaml"),
    ),
];

/// The `input:` files the guided scenarios name (paths relative to public/scenarios/).
pub fn load_input(path: &str) -> Result<String, String> {
    match path {
        "inputs/web.yaml" => Ok(include_str!("../../public/scenarios/inputs/web.yaml").to_string()),
        "inputs/web-parallel.yaml" => Ok(include_str!("../../public/scenarios/inputs/web-parallel.yaml").to_string()),
        "inputs/web-pdb.yaml" => Ok(include_str!("../../public/scenarios/inputs/web-pdb.yaml").to_string()),
        other => Err(format!(
            "no built-in input {other:?} (guided scenarios use inputs/web.yaml, inputs/web-parallel.yaml, inputs/web-pdb.yaml)"
        )),
    }
}

/// Every built-in guide, in presenter order.
pub fn builtin() -> Result<Vec<Guide>, ScenarioError> {
    BUILTIN.iter().map(|(id, text)| Guide::parse(id, text, &load_input)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;
    use crate::share::Granularity;

    #[test]
    fn every_file_under_public_scenarios_is_a_builtin_guide() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/scenarios");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
            .collect();
        crate::sorting::sort(&mut files);
        let ids: Vec<String> = BUILTIN.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(files, ids);
    }

    #[test]
    fn every_guided_scenario_runs_through_the_runner_without_error() {
        for guide in builtin().unwrap() {
            let parsed = scenario::parse(&guide.text, &load_input).unwrap();
            let transcript = scenario::run(&parsed).unwrap_or_else(|e| panic!("{}: {e}", guide.id));
            let text = transcript.to_text();
            assert!(!text.contains("unsupported command"), "{}:\n{text}", guide.id);
            if let Ok(dir) = std::env::var("GUIDE_TRANSCRIPTS") {
                std::fs::write(format!("{dir}/{}.txt", guide.id), &text).unwrap();
            }
        }
    }

    #[test]
    fn every_step_of_a_guide_has_a_talking_point() {
        for guide in builtin().unwrap() {
            assert!(!guide.intro.is_empty(), "{}", guide.id);
            for (i, point) in guide.talking_points.iter().enumerate() {
                assert!(point.is_some(), "{}: step {} has nothing to say", guide.id, i + 1);
            }
        }
    }

    #[test]
    fn every_guide_imports_as_an_animated_session() {
        for guide in builtin().unwrap() {
            let imported = guide.import(Granularity::Animated).unwrap_or_else(|e| panic!("{}: {e}", guide.id));
            assert_eq!(imported.positions.len(), guide.talking_points.len());
            assert!(imported.positions.windows(2).all(|w| w[0] <= w[1]));
            assert_eq!(imported.session.position(), imported.session.len());
        }
    }
}
