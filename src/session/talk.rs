//! A talk: the story told over a recorded session — the lab's story on first open, or a guided
//! scenario's talking points. It says what to show at each moment and where playback pauses, so
//! the presenter's keys, the play button and the narration agree on one list of points.

/// One point of a talk: where on the timeline it ends, and what is said while it plays.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The timeline position where this point's steps end; playback pauses here.
    pub at: usize,
    /// What the teacher says (one or two sentences).
    pub text: String,
    /// A kubectl command the point runs to show its answer (`kubectl get po,sts`), if any.
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Talk {
    pub title: String,
    /// Shown at the start, before the first point.
    pub intro: String,
    /// In timeline order; points with the same position are merged when the talk is built.
    pub points: Vec<Point>,
    /// Where the talk opens: after its setup (the first point a teacher talks about).
    pub opens_at: usize,
    /// Said once the last point is reached: what to try next.
    pub outro: Option<String>,
}

impl Talk {
    /// Builds a talk from one talking point per step, `ends[i]` being where step `i` ends, and the
    /// kubectl command of steps that only print. Steps without words are left out; steps that end
    /// at the same position (a kubectl step adds no input) are said together.
    pub fn from_steps(
        title: String,
        intro: String,
        ends: &[usize],
        words: &[Option<String>],
        commands: &[Option<String>],
    ) -> Talk {
        let mut points: Vec<Point> = Vec::new();
        for (i, &at) in ends.iter().enumerate() {
            let text = words.get(i).cloned().flatten();
            let command = commands.get(i).cloned().flatten();
            if text.is_none() && command.is_none() {
                continue;
            }
            match points.last_mut() {
                Some(last) if last.at == at => {
                    if let Some(t) = text {
                        if !last.text.is_empty() {
                            last.text.push(' ');
                        }
                        last.text.push_str(&t);
                    }
                    if command.is_some() {
                        last.command = command;
                    }
                }
                _ => points.push(Point { at, text: text.unwrap_or_default(), command }),
            }
        }
        Talk { title, intro, points, opens_at: 0, outro: None }
    }

    /// A guided scenario's talk: one point per step of the file, `ends[i]` being where step `i`
    /// ends on the timeline. It opens after its setup: the leading `settle` steps whose words do
    /// not start with "Play" (a teacher's "Play: watch…" means the settling is the lesson itself,
    /// as in ordered creation), so scenario 4 opens on three Ready pods, not on their creation.
    pub fn for_guide(
        title: String,
        intro: String,
        steps: &[crate::scenario::Step],
        words: &[Option<String>],
        ends: &[usize],
    ) -> Talk {
        use crate::scenario::StepKind;
        let commands: Vec<Option<String>> = steps
            .iter()
            .map(|s| match &s.kind {
                StepKind::Kubectl(c) => Some(format!("kubectl {c}")),
                StepKind::Helm(c) => Some(format!("helm {c}")),
                _ => None,
            })
            .collect();
        let setup = steps
            .iter()
            .zip(words.iter().chain(std::iter::repeat(&None)))
            .take_while(|(s, w)| {
                matches!(s.kind, StepKind::Settle) && !w.as_deref().is_some_and(|w| w.trim_start().starts_with("Play"))
            })
            .count();
        let mut talk = Talk::from_steps(title, intro, ends, words, &commands);
        talk.opens_at = setup.checked_sub(1).and_then(|i| ends.get(i)).copied().unwrap_or(0);
        talk
    }

    /// The point being told at `position`: the first whose steps end at or after it. At 0 (and
    /// before the first point starts) the intro is told.
    pub fn point_at(&self, position: usize) -> Option<&Point> {
        if position == 0 {
            return None;
        }
        self.points.iter().find(|p| position <= p.at)
    }

    /// The words for `position`: the intro at the start, the point's text while it plays, the
    /// outro after the last point.
    pub fn words_at(&self, position: usize) -> Option<String> {
        if position == 0 {
            return Some(self.intro.clone());
        }
        if position == self.opens_at {
            // A guide opened after its setup: the setup's words and the introduction.
            let setup = self.point_at(position).map(|p| p.text.clone()).unwrap_or_default();
            return Some(format!("{} {setup}", self.intro).trim().to_string());
        }
        let last = self.points.last().map(|p| p.at).unwrap_or(0);
        let said = match self.point_at(position) {
            Some(p) if !p.text.is_empty() => Some(p.text.clone()),
            _ => None,
        };
        match (said, &self.outro) {
            // The last point hands over: its words, then what to try next.
            (Some(s), Some(o)) if position >= last => Some(format!("{s} {o}")),
            (None, Some(o)) if position >= last => Some(o.clone()),
            (s, _) => s,
        }
    }

    /// Whether playback pauses on reaching `position` (the end of a point).
    pub fn pauses_at(&self, position: usize) -> bool {
        self.points.iter().any(|p| p.at == position)
    }

    /// The next point's end after `position` (Page Down).
    pub fn next_point(&self, position: usize) -> Option<usize> {
        self.points.iter().map(|p| p.at).find(|&at| at > position)
    }

    /// The previous point's end before `position`, or the start (Page Up).
    pub fn prev_point(&self, position: usize) -> usize {
        self.points.iter().map(|p| p.at).rfind(|&at| at < position).unwrap_or(0)
    }

    /// "point 2 of 5" for the presenter's counter.
    pub fn progress(&self, position: usize) -> (usize, usize) {
        let done = self.points.iter().filter(|p| p.at <= position).count();
        (done, self.points.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk() -> Talk {
        Talk::from_steps(
            "T".into(),
            "intro".into(),
            &[4, 5, 5, 9],
            &[Some("a".into()), None, Some("b".into()), Some("c".into())],
            &[None, None, Some("get po".into()), None],
        )
    }

    #[test]
    fn a_kubectl_step_is_told_with_the_step_it_follows() {
        let t = talk();
        assert_eq!(t.points.len(), 3);
        assert_eq!(t.points[1], Point { at: 5, text: "b".into(), command: Some("get po".into()) });
    }

    #[test]
    fn each_moment_tells_the_point_it_belongs_to() {
        let t = talk();
        assert_eq!(t.words_at(0).as_deref(), Some("intro"));
        assert_eq!(t.words_at(3).as_deref(), Some("a"));
        assert_eq!(t.words_at(4).as_deref(), Some("a"));
        assert_eq!(t.words_at(6).as_deref(), Some("c"));
        assert_eq!(t.words_at(10), None);
        let mut t = t;
        t.outro = Some("Your turn.".into());
        assert_eq!(t.words_at(9).as_deref(), Some("c Your turn."), "the last point hands over");
        assert_eq!(t.words_at(10).as_deref(), Some("Your turn."));
    }

    #[test]
    fn a_guide_opens_after_its_setup_unless_the_settling_is_the_lesson() {
        let load = |_: &str| Ok(include_str!("../../public/scenarios/inputs/web.yaml").to_string());
        for (id, text) in crate::guide::BUILTIN {
            let guide = crate::guide::Guide::parse(id, text, &load).unwrap();
            let imported = guide.import(crate::share::Granularity::Animated).unwrap();
            let steps = crate::scenario::parse(text, &load).unwrap().steps;
            let t = Talk::for_guide(guide.title, guide.intro, &steps, &guide.talking_points, &imported.positions);
            let first_is_lesson = guide.talking_points[0].as_deref().is_some_and(|w| w.starts_with("Play"));
            if id.starts_with("01") || id.starts_with("09") {
                assert_eq!(t.opens_at, 0, "{id} shows its creation");
                assert!(id.starts_with("01") || first_is_lesson, "{id}: its settling is the lesson (Play: …)");
            } else if matches!(steps[0].kind, crate::scenario::StepKind::Settle) {
                assert_eq!(t.opens_at, imported.positions[0], "{id} opens on its settled pods");
                assert!(t.opens_at > 0);
            }
        }
    }

    #[test]
    fn page_keys_move_from_point_to_point() {
        let t = talk();
        assert_eq!(t.next_point(0), Some(4));
        assert_eq!(t.next_point(4), Some(5));
        assert_eq!(t.next_point(9), None);
        assert_eq!(t.prev_point(9), 5);
        assert_eq!(t.prev_point(4), 0);
        assert!(t.pauses_at(5) && !t.pauses_at(6));
        assert_eq!(t.progress(5), (2, 3));
    }
}
