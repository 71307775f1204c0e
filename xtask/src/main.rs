//! `cargo xtask serve | dist | test | bench`: from a fresh clone to the running app, or to a green test run.
//!
//! Each command first installs what it needs and is missing (idempotently, saying how long it may
//! take), so a machine with only the Rust toolchain is enough. Nothing is downloaded from outside the
//! package registries: Trunk runs offline and uses the tools installed here.

mod bench;
mod budget;
mod site;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask serve [--port N]   install what is missing, build, serve on http://127.0.0.1:8080 and open it
  cargo xtask dist               build the release site into dist/ and print its sizes
  cargo xtask test               install what tests need, run every test, check the size budget
  cargo xtask bench              measure every figure the project promises and print them as one table";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => site::serve(&args[1..]),
        Some("dist") => site::dist().map(|_| ()),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
