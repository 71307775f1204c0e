//! Building and serving the site with Trunk, and measuring what a visitor downloads.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::{self, project_root};

/// `cargo xtask serve [--port N]`: build the site and serve it on loopback.
///
/// Built with the `wasm-serve` profile (release code without LTO, for a short first build) and
/// without wasm-opt: the page on this machine need not be small. `dist`, `test` and `bench` build
/// what is published: `wasm-release` and wasm-opt `s` (index.html).
pub fn serve(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => port = iter.next().ok_or("--port needs a number")?.clone(),
            other => return Err(format!("serve: unknown argument {other}")),
        }
    }
    port.parse::<u16>().map_err(|_| format!("--port {port}: not a port number"))?;
    let tools = tools::ensure_web_tools(tools::SERVED)?;
    // A display is there to open a browser on; over SSH or in CI there is none.
    let has_display = cfg!(any(target_os = "macos", target_os = "windows"))
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some();
    println!("Building and serving StatefulSet Lab on http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    let mut cmd = tools.command("trunk");
    cmd.arg("serve").args(tools::SERVED.trunk_args()).args(["--address", "127.0.0.1", "--port", &port]);
    if has_display {
        cmd.arg("--open");
    }
    tools::run(&mut cmd)
}

/// One built file and what it weighs on the wire.
pub struct Asset {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// `cargo xtask dist`: the release site in dist/, with relative URLs so it works from any sub-path.
pub fn dist() -> Result<Vec<Asset>, String> {
    let tools = tools::ensure_web_tools(tools::PUBLISHED)?;
    let dist = project_root().join("dist");
    tools::run(
        tools
            .command("trunk")
            .arg("build")
            .args(tools::PUBLISHED.trunk_args())
            .args(["--public-url", "./", "--dist"])
            .arg(&dist),
    )?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, with_content_security_policy(&html)?).map_err(|e| format!("{}: {e}", index.display()))?;
    let assets = measure(&dist)?;
    print_sizes(&assets);
    Ok(assets)
}

/// The page's Content-Security-Policy (issue #14), as a `<meta>` because static hosts such as GitHub
/// Pages send no headers. Scripts: the site's own files, WebAssembly, and the one inline module
/// script Trunk writes to start the app, named by its sha256 (it changes with every build, so it
/// is computed here, after `trunk build`). Styles: the stylesheet only; the app sets the few
/// computed styles through the CSSOM, which a policy does not block. Everything else: nothing.
pub fn content_security_policy(inline_script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes {
        script_src.push_str(&format!(" 'sha256-{hash}'"));
    }
    [
        "default-src 'none'".to_string(),
        format!("script-src {script_src}"),
        "style-src 'self'".to_string(),
        "img-src 'self'".to_string(),
        "connect-src 'self'".to_string(),
        "base-uri 'none'".to_string(),
        "object-src 'none'".to_string(),
        "form-action 'none'".to_string(),
    ]
    .join("; ")
}

/// The text of every inline `<script>` (one without `src`), exactly as the browser hashes it.
fn inline_scripts(html: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let after = &rest[at..];
        let open_end = after.find('>').ok_or("an unclosed <script> tag in index.html")?;
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let close = body.find("</script>").ok_or("a <script> without </script> in index.html")?;
        if !tag.contains(" src=") {
            out.push(&body[..close]);
        }
        rest = &body[close + "</script>".len()..];
    }
    Ok(out)
}

/// `index.html` with the policy's `<meta>` first in `<head>` (after the charset), so that it applies
/// to every script after it. Refuses a page that already has one.
pub fn with_content_security_policy(html: &str) -> Result<String, String> {
    use base64::Engine;
    use sha2::Digest;
    if html.contains("http-equiv=\"Content-Security-Policy\"") {
        return Err("index.html already has a Content-Security-Policy".into());
    }
    let hashes: Vec<String> = inline_scripts(html)?
        .into_iter()
        .map(|s| base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s.as_bytes())))
        .collect();
    let meta = format!(
        "\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />",
        content_security_policy(&hashes)
    );
    let at = match html.find("<meta charset") {
        Some(charset) => charset + html[charset..].find('>').ok_or("an unclosed <meta charset>")? + 1,
        None => html.find("<head>").map(|h| h + "<head>".len()).ok_or("index.html has no <head>")?,
    };
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

fn measure(dist: &Path) -> Result<Vec<Asset>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "html")))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Asset {
                name: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
                raw: bytes.len(),
                gzip: gzip_len(&bytes),
                brotli: brotli_len(&bytes),
            })
        })
        .collect()
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out.len()
}

fn print_sizes(assets: &[Asset]) {
    println!("\n{:<44} {:>10} {:>10} {:>10}", "dist/", "raw", "gzip", "brotli");
    for a in assets {
        println!("{:<44} {:>10} {:>10} {:>10}", a.name, a.raw, a.gzip, a.brotli);
    }
    let (r, g, b) = totals(assets);
    println!("{:<44} {:>10} {:>10} {:>10}\n", "total", r, g, b);
}

pub fn totals(assets: &[Asset]) -> (usize, usize, usize) {
    assets.iter().fold((0, 0, 0), |(r, g, b), a| (r + a.raw, g + a.gzip, b + a.brotli))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Trunk 0.22 writes into dist/index.html (shortened).
    const TRUNK_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head>\n    <meta charset=\"utf-8\" />\n    <title>StatefulSet Lab</title>\n<script type=\"module\">\nimport init, * as bindings from './statefulset-lab-1a2b.js';\nconst wasm = await init({ module_or_path: './statefulset-lab-1a2b_bg.wasm' });\n</script>\n    <script src=\"trap.js\"></script>\n</head><body></body></html>";

    #[test]
    fn the_policy_names_the_inline_script_by_its_hash_and_nothing_else() {
        let page = with_content_security_policy(TRUNK_PAGE).unwrap();
        let meta_at = page.find("Content-Security-Policy").unwrap();
        assert!(meta_at > page.find("<meta charset").unwrap() && meta_at < page.find("<script").unwrap());
        let script = "\nimport init, * as bindings from './statefulset-lab-1a2b.js';\nconst wasm = await init({ module_or_path: './statefulset-lab-1a2b_bg.wasm' });\n";
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
        let policy = content_security_policy(&[hash]);
        assert!(page.contains(&policy), "{page}");
        for directive in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
            "style-src 'self';",
            "connect-src 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(policy.contains(directive), "{policy}");
        }
        assert_eq!(policy.matches("'sha256-").count(), 1, "trap.js is a file, not hashed: {policy}");
    }

    #[test]
    fn a_page_with_a_policy_already_is_refused() {
        let page = with_content_security_policy(TRUNK_PAGE).unwrap();
        assert!(with_content_security_policy(&page).is_err());
    }
}
