//! Installs the tools the site and the tests need, at pinned versions, only when missing.
//!
//! Versions are pinned here (Trunk, wasm-opt) or read from Cargo.lock (wasm-bindgen-cli must equal
//! the wasm-bindgen crate the app links, or the generated JS does not fit the wasm).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk 0.22.1 declares rustc 1.96.1 but builds and works with 1.95, hence --ignore-rust-version.
pub const TRUNK_VERSION: &str = "0.22.1";
/// wasm-opt is npm's `binaryen` package (binaryen 116, built to run on Node.js), pinned in
/// package-lock.json: `npm ci` installs it in seconds, where `cargo install wasm-opt` compiled
/// binaryen's C++ for 6 to 22 minutes. Never Debian's binaryen (108): it corrupts the externref
/// table export and the page stays blank.
pub const BINARYEN_VERSION: &str = "116";

/// What the site build needs to know about the installed tools.
pub struct Tools {
    /// PATH with cargo's bin folder first, so Trunk finds our wasm-opt before any system one.
    pub path: OsString,
    pub wasm_bindgen_version: String,
}

impl Tools {
    /// A command with PATH and Trunk's tool pins set, so Trunk never looks for other versions.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path)
            .env("TRUNK_TOOLS_WASM_BINDGEN", &self.wasm_bindgen_version)
            .env("TRUNK_TOOLS_WASM_OPT", format!("version_{BINARYEN_VERSION}"))
            .env("TRUNK_OFFLINE", "true")
            .current_dir(project_root());
        cmd
    }
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the project").to_path_buf()
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// npm's bin folder for this project (wasm-opt from the pinned `binaryen` package).
fn npm_bin() -> PathBuf {
    project_root().join("node_modules").join(".bin")
}

/// PATH with the project's npm bin folder and cargo's bin folder first, so Trunk finds our pinned
/// wasm-opt and wasm-bindgen before any system one.
fn path_with_cargo_bin() -> OsString {
    let mut parts = vec![npm_bin(), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path).filter(|p| p != &cargo_bin() && p != &npm_bin()));
    }
    std::env::join_paths(parts).unwrap_or_default()
}

/// Runs a command, echoing it; an error says which command failed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{:?}", cmd).replace('"', "");
    println!("$ {shown}");
    let status = cmd.status().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The first line a tool prints for `--version`, if it runs at all.
fn version_of(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

/// The wasm-bindgen version locked in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e} (run `cargo generate-lockfile`)"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// The wasm32 target, Trunk, wasm-bindgen-cli and wasm-opt: installed when missing.
pub fn ensure_web_tools() -> Result<Tools, String> {
    let bin = cargo_bin();
    let path = path_with_cargo_bin();

    let targets = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let has_target = targets
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
        .unwrap_or(false);
    if !has_target {
        println!("Installing the wasm32-unknown-unknown target with rustup (under a minute)...");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let trunk = bin.join("trunk");
    if version_of(&trunk, "--version").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        println!("Installing Trunk {TRUNK_VERSION} with cargo install (about 9 minutes on 2 cores)...");
        run(Command::new("cargo").args([
            "install",
            "--locked",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--ignore-rust-version",
        ]))?;
    }

    let wasm_bindgen_version = locked_wasm_bindgen()?;
    let bindgen = bin.join("wasm-bindgen");
    if version_of(&bindgen, "--version").as_deref() != Some(&format!("wasm-bindgen {wasm_bindgen_version}")) {
        // Without --locked: the CLI's own lock file names a webpki-roots release the registry lacks.
        println!("Installing wasm-bindgen-cli {wasm_bindgen_version} (the version in Cargo.lock; about 3 minutes)...");
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wasm_bindgen_version]))?;
    }

    let wasm_opt = npm_bin().join("wasm-opt");
    let opt_ok =
        version_of(&wasm_opt, "--version").map(|v| v.contains(&format!("version {BINARYEN_VERSION}"))).unwrap_or(false);
    if !opt_ok {
        npm_ci()?;
    }

    Ok(Tools { path, wasm_bindgen_version })
}

/// Headless Chromium and its WebDriver, for the browser tests (Debian's packages on Linux).
pub fn ensure_browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = find_on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_on_path(&["chromedriver"]);
    if let (Some(c), Some(d)) = (chromium.clone(), driver.clone()) {
        return Ok((c, d));
    }
    if cfg!(target_os = "linux") && find_on_path(&["apt-get"]).is_some() {
        println!("Installing Debian's chromium and chromium-driver with apt-get (1-3 minutes)...");
        let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        let apt = |args: &[&str]| {
            let mut cmd = if root { Command::new("apt-get") } else { Command::new("sudo") };
            if !root {
                cmd.arg("apt-get");
            }
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut cmd)
        };
        apt(&["update", "-q"])?;
        apt(&["install", "-y", "-q", "chromium", "chromium-driver"])?;
    }
    match (find_on_path(&["chromium", "chromium-browser", "google-chrome"]), find_on_path(&["chromedriver"])) {
        (Some(c), Some(d)) => Ok((c, d)),
        _ => Err("the browser tests need chromium and chromedriver on PATH (on Debian: apt-get install chromium chromium-driver)".into()),
    }
}

pub fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = path_with_cargo_bin();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The npm packages pinned in package-lock.json (wasm-opt from `binaryen`, axe-core), installed
/// from the npm registry with `npm ci` (Node.js and npm from Debian when missing).
fn npm_ci() -> Result<(), String> {
    if find_on_path(&["npm"]).is_none() && cfg!(target_os = "linux") && find_on_path(&["apt-get"]).is_some() {
        println!("Installing Debian's nodejs and npm (1-2 minutes)...");
        run(Command::new("apt-get")
            .args(["install", "-y", "-q", "nodejs", "npm"])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    println!("Installing wasm-opt (binaryen {BINARYEN_VERSION}) and axe-core from package-lock.json with npm ci (seconds)...");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(project_root()))
}

/// axe-core for the accessibility audit (installed by `npm ci` with wasm-opt).
pub fn ensure_axe() -> Result<PathBuf, String> {
    let axe = project_root().join("node_modules/axe-core/axe.min.js");
    if axe.is_file() {
        return Ok(axe);
    }
    npm_ci()?;
    if axe.is_file() {
        Ok(axe)
    } else {
        Err("npm ci did not install node_modules/axe-core/axe.min.js".into())
    }
}
