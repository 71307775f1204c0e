//! The share link: `#v1=` + base64url(raw deflate(the session as a scenario file)).
//!
//! The state lives in the fragment because browsers never send a fragment to a server: sharing
//! sends nothing anywhere. The version prefix lets a later format coexist with old links; the
//! payload is the exported scenario file, so a decoded link is also a file a student can keep.
//! Decoding never panics: a truncated or edited link is a [`ShareError`] the page can show, and
//! inflating stops at [`MAX_UNPACKED_BYTES`] so a small link cannot expand into gigabytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;

use super::state::SharedState;
use super::ShareError;

/// The version written by [`encode`] and the only one [`decode`] reads.
pub const VERSION: &str = "v1";

/// Largest payload a link may unpack to. Pastes are helm logs and manifests of some kilobytes; a
/// URL itself is limited to a few megabytes by browsers.
pub const MAX_UNPACKED_BYTES: usize = 4 * 1024 * 1024;

/// The fragment for a state, without the leading `#` (`v1=...`).
pub fn encode(state: &SharedState) -> Result<String, ShareError> {
    let yaml = state.to_scenario_yaml()?;
    // Level 9: links are made once and read often; the input is small, so the time is nothing.
    let packed = miniz_oxide::deflate::compress_to_vec(yaml.as_bytes(), 9);
    Ok(format!("{VERSION}={}", URL_SAFE_NO_PAD.encode(packed)))
}

/// Reads a fragment (`#v1=...` or `v1=...`, as `location.hash` gives it) back into a state.
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let fragment = fragment.trim().trim_start_matches('#');
    let Some((version, data)) = fragment.split_once('=') else {
        return Err(ShareError::NotALink);
    };
    if version != VERSION {
        let looks_versioned =
            version.len() > 1 && version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit());
        return Err(if looks_versioned {
            ShareError::UnknownVersion(version.to_string())
        } else {
            ShareError::NotALink
        });
    }
    // Mail clients and chat apps sometimes append padding or wrap long links.
    let data: String = data.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
    let packed =
        URL_SAFE_NO_PAD.decode(data.as_bytes()).map_err(|e| ShareError::Damaged(format!("not base64url: {e}")))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED_BYTES).map_err(|e| {
        if e.status == TINFLStatus::HasMoreOutput {
            ShareError::TooLarge { limit: MAX_UNPACKED_BYTES }
        } else {
            ShareError::Damaged(format!("cannot be unpacked: {:?}", e.status))
        }
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ShareError::Damaged("not text once unpacked".into()))?;
    SharedState::from_scenario_yaml(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;
    use crate::share::state::tests::{act, get, lab_session, settle, LAB};

    fn canary_lab() -> (crate::scene::Session, Vec<crate::engine::Input>) {
        let (mut s, mut inputs) = lab_session(7);
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Scale(3));
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Traffic(30));
        act(&mut s, &mut inputs, Action::Partition(2));
        act(&mut s, &mut inputs, Action::Image("vladimirka002/innopolis-devops-python-app:v2".into()));
        settle(&mut s, &mut inputs);
        (s, inputs)
    }

    #[test]
    fn a_link_reproduces_the_moment_the_sender_saw() {
        let (mut s, inputs) = canary_lab();
        s.seek(s.len() - 5);
        let link = encode(&SharedState::capture(LAB, &s, &inputs).unwrap()).unwrap();
        assert!(link.starts_with("v1="));
        let back = decode(&format!("#{link}")).unwrap().replay().unwrap();
        assert_eq!(back.position(), s.position());
        assert_eq!(get(&back), get(&s));
        let mut back_head = back.clone();
        back_head.seek(back.len());
        let mut head = s.clone();
        head.seek(s.len());
        assert_eq!(get(&back_head), get(&head));
    }

    #[test]
    fn a_link_carries_requests_to_pod_dns_names_and_their_counts_spec_1() {
        let web = include_str!("../../tests/scenarios/inputs/web.yaml");
        let release = crate::scene::source::understand(web).release;
        let mut s = crate::scene::Session::new(release, None, 9, crate::engine::FeatureGates::default()).unwrap();
        let mut inputs = Vec::new();
        settle(&mut s, &mut inputs);
        act(&mut s, &mut inputs, Action::Request(1));
        act(&mut s, &mut inputs, Action::Request(1));
        act(&mut s, &mut inputs, Action::Request(4)); // no such pod: curl cannot resolve the name
        let state = SharedState::capture(web, &s, &inputs).unwrap();
        assert!(state.to_scenario_yaml().unwrap().contains("  - request: 1\n"));
        let back = decode(&format!("#{}", encode(&state).unwrap())).unwrap();
        assert_eq!(back, state);
        let replayed = back.replay().unwrap();
        assert_eq!(replayed.marks(), s.marks());
        let visits = |s: &crate::scene::Session| s.shown().claims().map(|c| c.visits).collect::<Vec<_>>();
        assert_eq!(visits(&replayed), [None, Some(2), None]);
        assert_eq!(visits(&replayed), visits(&s));
    }

    #[test]
    fn a_link_carries_a_fresh_cluster_and_the_secret_created_on_it() {
        let release = crate::scene::source::understand(LAB).release;
        let mut s = crate::scene::Session::new_on(
            release,
            None,
            7,
            crate::engine::KubeVersion::LATEST,
            crate::engine::FeatureGates::default(),
            false,
        )
        .unwrap();
        let mut inputs = Vec::new();
        settle(&mut s, &mut inputs);
        assert!(get(&s).contains("CreateContainerConfigError"), "{}", get(&s));
        act(
            &mut s,
            &mut inputs,
            Action::CreateConfig {
                kind: crate::engine::ConfigKind::Secret,
                name: "secret-base".into(),
                data: vec![("password".into(), "DevOpsPass".into())],
            },
        );
        settle(&mut s, &mut inputs);
        let state = SharedState::capture(LAB, &s, &inputs).unwrap();
        let yaml = state.to_scenario_yaml().unwrap();
        assert!(yaml.contains("assume_missing_references: false\n"), "{yaml}");
        let back = decode(&encode(&state).unwrap()).unwrap();
        assert_eq!(back, state);
        let replayed = back.replay().unwrap();
        assert!(!replayed.assume_missing_references);
        assert_eq!(get(&replayed), get(&s));
        assert!(get(&s).contains("1/1     Running"), "{}", get(&s));
    }

    #[test]
    fn a_link_for_the_lab_fits_in_a_url() {
        let (s, inputs) = canary_lab();
        let link = encode(&SharedState::capture(LAB, &s, &inputs).unwrap()).unwrap();
        // Browsers and chat apps pass 8 KB URLs; the lab's 11 KB debug log packs far below that.
        eprintln!("share link for the lab: {} characters ({} bytes of paste)", link.len(), LAB.len());
        assert!(link.len() < 6000, "{}", link.len());
    }

    #[test]
    fn a_truncated_link_is_reported_as_damaged() {
        let (s, inputs) = canary_lab();
        let link = encode(&SharedState::capture(LAB, &s, &inputs).unwrap()).unwrap();
        for cut in [link.len() / 2, link.len() - 3, 10] {
            assert!(matches!(decode(&link[..cut]), Err(ShareError::Damaged(_))), "cut at {cut}");
        }
    }

    #[test]
    fn a_flipped_character_never_panics() {
        let (s, inputs) = canary_lab();
        let link = encode(&SharedState::capture(LAB, &s, &inputs).unwrap()).unwrap();
        let bytes = link.as_bytes();
        for i in (3..bytes.len()).step_by(7) {
            let mut damaged = bytes.to_vec();
            damaged[i] = if damaged[i] == b'A' { b'B' } else { b'A' };
            // Either damaged, or (rarely) still a valid scenario: never a panic.
            let _ = decode(std::str::from_utf8(&damaged).unwrap());
        }
    }

    #[test]
    fn a_zip_bomb_stops_at_the_limit() {
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'#'; MAX_UNPACKED_BYTES + 1], 9);
        let link = format!("v1={}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(link.len() < 20_000);
        assert_eq!(decode(&link).unwrap_err(), ShareError::TooLarge { limit: MAX_UNPACKED_BYTES });
    }

    #[test]
    fn other_fragments_and_versions_are_named_as_such() {
        assert_eq!(decode("#section-2").unwrap_err(), ShareError::NotALink);
        assert_eq!(decode("").unwrap_err(), ShareError::NotALink);
        assert_eq!(decode("#v2=abc").unwrap_err(), ShareError::UnknownVersion("v2".into()));
        assert!(matches!(decode("#v1=!!!"), Err(ShareError::Damaged(_))));
    }

    #[test]
    fn a_hostile_step_count_is_refused_before_replaying() {
        let yaml = "input_text: x\nsteps:\n  - step: 4000000000\n";
        let link = format!("v1={}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(yaml.as_bytes(), 9)));
        match decode(&link) {
            Err(ShareError::Scenario(e)) => {
                assert_eq!((e.line, e.column), (3, 5));
                assert!(e.message.contains("more than 100000 inputs"), "{}", e.message);
            }
            other => panic!("expected a scenario error at the step, got {other:?}"),
        }
    }
}
