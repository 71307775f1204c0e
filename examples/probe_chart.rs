use sts_lab::chart::{render_templates, Chart, RenderOptions};
fn main() {
    let t = std::env::args().nth(1).unwrap();
    let v = std::env::args().nth(2).unwrap_or_default();
    let chart = Chart::from_files(vec![("Chart.yaml", "apiVersion: v2\nname: t\nversion: 0.1.0\n"), ("templates/t.yaml", t.as_str())]).unwrap();
    match render_templates(&chart, &RenderOptions { user_values: vec![v], ..Default::default() }) {
        Ok(f) => println!("{:?}", f),
        Err(e) => println!("ERR {e}"),
    }
}
