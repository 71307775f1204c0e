//! Splitting a typed line into words as a POSIX shell does (the subset a student types): blanks
//! separate words, `'...'` keeps everything literally, `"..."` keeps everything but `\"`, `\\`,
//! `\$` and `` \` ``, and an unquoted `\` keeps the next character. No expansion, no pipes.

/// A word and where it starts in the line (byte offset), for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
}

/// Why a line cannot be split (an unfinished quote), in bash's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated(pub char);

impl std::fmt::Display for Unterminated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // bash: "unexpected EOF while looking for matching `''" / `"'
        write!(f, "bash: unexpected EOF while looking for matching `{}'", self.0)
    }
}

/// The words of `line`; `Err` when a quote is left open.
pub fn split(line: &str) -> Result<Vec<Word>, Unterminated> {
    split_partial(line).and_then(|(words, open)| match open {
        Some(q) => Err(Unterminated(q)),
        None => Ok(words),
    })
}

/// Like [`split`], but an open quote at the end is not an error: it returns the words so far (the
/// last one unfinished) and which quote is open. A trailing blank yields a last empty word only
/// through [`ends_in_blank`].
pub fn split_partial(line: &str) -> Result<(Vec<Word>, Option<char>), Unterminated> {
    let mut words = Vec::new();
    let mut cur: Option<Word> = None;
    let mut chars = line.char_indices().peekable();
    let start_word = |cur: &mut Option<Word>, at: usize| {
        if cur.is_none() {
            *cur = Some(Word { text: String::new(), start: at });
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            '\'' => {
                start_word(&mut cur, i);
                let w = cur.as_mut().expect("started");
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '\'' {
                        closed = true;
                        break;
                    }
                    w.text.push(c);
                }
                if !closed {
                    words.push(cur.take().expect("started"));
                    return Ok((words, Some('\'')));
                }
            }
            '"' => {
                start_word(&mut cur, i);
                let w = cur.as_mut().expect("started");
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.peek() {
                            Some((_, n @ ('"' | '\\' | '$' | '`'))) => {
                                w.text.push(*n);
                                chars.next();
                            }
                            Some((_, '\n')) => {
                                chars.next();
                            }
                            _ => w.text.push('\\'),
                        },
                        c => w.text.push(c),
                    }
                }
                if !closed {
                    words.push(cur.take().expect("started"));
                    return Ok((words, Some('"')));
                }
            }
            '\\' => {
                start_word(&mut cur, i);
                match chars.next() {
                    Some((_, '\n')) => {}
                    Some((_, n)) => cur.as_mut().expect("started").text.push(n),
                    None => {}
                }
            }
            c => {
                start_word(&mut cur, i);
                cur.as_mut().expect("started").text.push(c);
            }
        }
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    Ok((words, None))
}

/// The line ends with an unquoted blank (the next word has not started).
pub fn ends_in_blank(line: &str) -> bool {
    matches!(split_partial(line), Ok((_, None))) && line.ends_with([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        split(line).unwrap().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn quotes_and_backslashes_as_a_shell() {
        assert_eq!(texts("kubectl get  po"), ["kubectl", "get", "po"]);
        assert_eq!(
            texts(r#"kubectl patch sts web -p '{"spec":{"replicas":2}}'"#),
            ["kubectl", "patch", "sts", "web", "-p", r#"{"spec":{"replicas":2}}"#]
        );
        assert_eq!(texts(r#"a "b \"c\" \n" d\ e '\'"#), ["a", r#"b "c" \n"#, "d e", "\\"]);
        assert_eq!(texts(r#"-p="{\"a\":1}""#), [r#"-p={"a":1}"#]);
        assert_eq!(split("echo 'abc").unwrap_err(), Unterminated('\''));
        assert_eq!(split("x").unwrap()[0].start, 0);
        assert_eq!(split("  kubectl  get").unwrap()[1].start, 11);
    }
}
