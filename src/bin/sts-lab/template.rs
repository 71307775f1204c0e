//! `sts-lab template [--chart DIR] [-f values.yaml]... [--name RELEASE]` (issue #6).

pub fn main(_args: &[String]) -> i32 {
    eprintln!("sts-lab template: not built yet (issue #6)");
    2
}
