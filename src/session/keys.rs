//! The one key table: the keyboard handler, the buttons' `aria-keyshortcuts` and titles, and the
//! `?` list all read it, so a key is never listed in one place and handled differently in another.

/// What a key asks for. The page maps each to its action; nothing else decides what a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    PlayPause,
    StepBack,
    StepForward,
    /// Back to the previous talking point of the story or guided scenario.
    PrevPoint,
    /// On to the next talking point (a presenter's clicker sends Page Down).
    NextPoint,
    ScaleUp,
    ScaleDown,
    NewImage,
    Canary,
    Promote,
    Rollback,
    ToggleStrategy,
    BreakImage,
    Traffic,
    Reset,
    Present,
    Help,
    /// Close the key list, or leave presenter mode.
    Close,
    /// Guided scenario 1 to 10 (keys 1…9, 0).
    Guide(u8),
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// `KeyboardEvent.key` values that send the command.
    pub keys: &'static [&'static str],
    /// How the key is written for people (the `?` list and the buttons' hints).
    pub label: &'static str,
    pub command: Command,
    /// What it does, in a few words.
    pub what: &'static str,
}

/// Every key of the app, in the order the `?` list shows them.
pub const KEYS: &[Key] = &[
    Key { keys: &[" "], label: "space", command: Command::PlayPause, what: "play / pause (at the end: play again)" },
    Key { keys: &["ArrowLeft"], label: "←", command: Command::StepBack, what: "previous step" },
    Key { keys: &["ArrowRight"], label: "→", command: Command::StepForward, what: "next step" },
    Key { keys: &["PageUp"], label: "Page Up", command: Command::PrevPoint, what: "previous talking point" },
    Key { keys: &["PageDown"], label: "Page Down", command: Command::NextPoint, what: "next talking point" },
    Key { keys: &["+", "="], label: "+", command: Command::ScaleUp, what: "scale up" },
    Key { keys: &["-"], label: "−", command: Command::ScaleDown, what: "scale down" },
    Key { keys: &["i"], label: "i", command: Command::NewImage, what: "new image (a new revision)" },
    Key { keys: &["c"], label: "c", command: Command::Canary, what: "canary: partition = replicas − 1" },
    Key { keys: &["p"], label: "p", command: Command::Promote, what: "promote: lower the partition by one" },
    Key { keys: &["u"], label: "u", command: Command::Rollback, what: "rollback (kubectl rollout undo)" },
    Key { keys: &["o"], label: "o", command: Command::ToggleStrategy, what: "switch RollingUpdate / OnDelete" },
    Key { keys: &["b"], label: "b", command: Command::BreakImage, what: "break the next image" },
    Key { keys: &["t"], label: "t", command: Command::Traffic, what: "traffic on / off" },
    Key { keys: &["r"], label: "r", command: Command::Reset, what: "back to the start of this input" },
    Key { keys: &["f"], label: "f", command: Command::Present, what: "presenter mode" },
    Key { keys: &["?"], label: "?", command: Command::Help, what: "this list" },
    Key { keys: &["Escape"], label: "Esc", command: Command::Close, what: "close / leave presenter mode" },
    Key { keys: &["1"], label: "1", command: Command::Guide(1), what: "guided scenario 1" },
    Key { keys: &["2"], label: "2", command: Command::Guide(2), what: "guided scenario 2" },
    Key { keys: &["3"], label: "3", command: Command::Guide(3), what: "guided scenario 3" },
    Key { keys: &["4"], label: "4", command: Command::Guide(4), what: "guided scenario 4" },
    Key { keys: &["5"], label: "5", command: Command::Guide(5), what: "guided scenario 5" },
    Key { keys: &["6"], label: "6", command: Command::Guide(6), what: "guided scenario 6" },
    Key { keys: &["7"], label: "7", command: Command::Guide(7), what: "guided scenario 7" },
    Key { keys: &["8"], label: "8", command: Command::Guide(8), what: "guided scenario 8" },
    Key { keys: &["9"], label: "9", command: Command::Guide(9), what: "guided scenario 9" },
    Key { keys: &["0"], label: "0", command: Command::Guide(10), what: "guided scenario 10" },
];

/// The command a key sends, if any.
pub fn command_for(key: &str) -> Option<Command> {
    KEYS.iter().find(|k| k.keys.contains(&key)).map(|k| k.command)
}

/// The key(s) of a command as `aria-keyshortcuts` wants them (space-separated alternatives).
pub fn shortcut(command: Command) -> String {
    KEYS.iter()
        .filter(|k| k.command == command)
        .flat_map(|k| k.keys.iter())
        .map(|k| match *k {
            " " => "Space",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key as people write it, for a button's hint (`New image (i)`).
pub fn label(command: Command) -> &'static str {
    KEYS.iter().find(|k| k.command == command).map(|k| k.label).unwrap_or("")
}

/// The `?` list: the ten guide digits folded into one row.
pub fn help_rows() -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    for k in KEYS {
        match k.command {
            Command::Guide(1) => rows.push(("1 … 9, 0".into(), "guided scenarios with talking points".into())),
            Command::Guide(_) => {}
            _ => rows.push((k.label.to_string(), k.what.to_string())),
        }
    }
    rows.push(("Enter or Delete on a pod".into(), "delete that pod".into()));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_sends_two_commands() {
        let mut seen = std::collections::BTreeSet::new();
        for k in KEYS {
            for key in k.keys {
                assert!(seen.insert(*key), "{key:?} is listed twice");
            }
        }
    }

    #[test]
    fn digits_open_the_ten_guides_and_zero_is_the_tenth() {
        assert_eq!(command_for("1"), Some(Command::Guide(1)));
        assert_eq!(command_for("0"), Some(Command::Guide(10)));
        assert_eq!(command_for("x"), None);
    }

    #[test]
    fn shortcuts_name_every_key_of_a_command() {
        assert_eq!(shortcut(Command::ScaleUp), "+ =");
        assert_eq!(shortcut(Command::PlayPause), "Space");
        assert_eq!(label(Command::NewImage), "i");
    }

    #[test]
    fn the_help_lists_every_command_once() {
        let rows = help_rows();
        assert!(rows.iter().any(|(k, _)| k == "Page Down"));
        assert_eq!(rows.iter().filter(|(k, _)| k.starts_with('1')).count(), 1);
    }
}
