//! `sts-lab run SCENARIO [--json]` (issue #4).

pub fn main(_args: &[String]) -> i32 {
    eprintln!("sts-lab run: not built yet (issue #4)");
    2
}
