//! `cargo xtask test`: every test the project has, in the order a failure is cheapest to find.
//!
//! 1. native: `cargo test` over the workspace (model, engine, scenarios, CLI, benches once);
//! 2. browser components: wasm-bindgen-test in headless Chromium;
//! 3. the release site: built, measured against the size budget;
//! 4. end to end: the built site served on loopback under a sub-path, driven in headless Chromium.
//!
//! Every step runs even when an earlier one failed, so one run shows every failure; the exit code
//! is non-zero if any failed.

use std::process::Command;

use crate::tools::{self, project_root};
use crate::{budget, site};

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("test: unknown argument {other}"));
    }
    let tools = tools::ensure_web_tools(tools::PUBLISHED)?;
    let (chromium, chromedriver) = tools::ensure_browser()?;
    let axe = tools::ensure_axe()?;
    let mut results: Vec<(&str, Result<String, String>)> = Vec::new();

    let native =
        tools::run(Command::new("cargo").current_dir(project_root()).args(["test", "--workspace", "--all-targets"]))
            .map(|_| "passed".to_string());
    results.push(("native tests (cargo test)", native));

    // wasm-bindgen-test-runner (installed with wasm-bindgen-cli) finds chromedriver through
    // CHROMEDRIVER, runs it headless, and takes extra Chrome arguments from webdriver.json.
    let mut wasm = tools.command("cargo");
    wasm.args(["test", "--target", "wasm32-unknown-unknown", "--test", "web"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", &chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    results.push(("browser component tests (wasm-bindgen-test)", tools::run(&mut wasm).map(|_| "passed".into())));

    let assets = site::dist();
    let budget = match &assets {
        Ok(assets) => budget::check(assets),
        Err(e) => Err(format!("no site to measure: {e}")),
    };
    results.push(("release site and size budget", budget));

    let e2e = match &assets {
        Ok(_) => {
            let mut cmd = tools.command("cargo");
            cmd.args(["test", "--features", "e2e", "--test", "e2e", "--", "--test-threads=1"])
                .env("STS_LAB_DIST", project_root().join("dist"))
                .env("STS_LAB_CHROMIUM", &chromium)
                .env("STS_LAB_CHROMEDRIVER", &chromedriver)
                .env("STS_LAB_AXE", &axe);
            tools::run(&mut cmd).map(|_| "passed".to_string())
        }
        Err(_) => Err("skipped: the site did not build".into()),
    };
    results.push(("end-to-end tests (headless Chromium)", e2e));

    println!("\ncargo xtask test:");
    let mut failed = 0;
    for (name, result) in &results {
        match result {
            Ok(detail) => println!("  ok      {name}: {detail}"),
            Err(detail) => {
                failed += 1;
                println!("  FAILED  {name}: {detail}");
            }
        }
    }
    println!("{} passed, {} failed", results.len() - failed, failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} of {} test steps failed", results.len()))
    }
}
