//! The size budget: the compressed page may not grow past what `size-budget.toml` allows.
//!
//! The file holds `brotli_bytes = N` (the sum over html, js, wasm and css); why N is what it is
//! is written beside it. A change that needs more raises it there, in review, on purpose.

use crate::site::{totals, Asset};
use crate::tools::project_root;

pub fn check(assets: &[Asset]) -> Result<String, String> {
    let path = project_root().join("size-budget.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let limit: usize = text
        .lines()
        .filter_map(|l| l.split('#').next())
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == "brotli_bytes")
        .and_then(|(_, v)| v.trim().replace('_', "").parse().ok())
        .ok_or_else(|| format!("{}: no `brotli_bytes = N` line", path.display()))?;
    let (_, _, brotli) = totals(assets);
    let line = format!("size budget: {brotli} of {limit} bytes brotli ({}%)", brotli * 100 / limit.max(1));
    if brotli > limit {
        Err(format!("{line}: over budget"))
    } else {
        Ok(line)
    }
}
