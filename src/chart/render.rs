//! The template engine: Helm's `engine.Render` on top of gotmpl.
//!
//! All templates of the chart and its subcharts form one template set (named by their chart
//! path, `helm-python/templates/service.yaml`), parsed in Helm's order so a parent's `define`
//! wins over a subchart's. Every non-partial template (its name does not start with `_`) of a
//! non-library chart is executed with its own chart's `.Values`, `.Chart` and `.Template`.
//!
//! gotmpl reports no position for execution errors, so each parsed tree is instrumented: before
//! every action, `if`, `range`, `with` and `template`, a hidden `__pos N` action records which
//! action runs; a failing function records its name. From both we write helm's message
//! (`template: FILE:LINE:COL: executing "NAME" at <CMD>: error calling FN: MSG`), and from the
//! `HELM[...]HELM` marks of `required`/`fail` helm's short form (`execution error at (...)`).
//! Printed values go through a hidden `__out` so numbers print as Go prints them.

use crate::sorting::CollectMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard};

use gotmpl::parse::{ActionNode, CommandNode, Expr, ListNode, Node, Number, Parser, PipeNode, Pos, SmolStr};
use gotmpl::{FuncMap, Template, TemplateError, Value};

use super::error::{ChartError, ChartErrorKind, Location};
use super::functions::{self, add, arg_str, arity, fail, go_fmt_v, map_of, s, strings::go_quote};
use super::loader::Chart;
use super::order;
use super::output::Rendered;
use super::values::{self, Map};
use super::RenderOptions;

use crate::limits::{
    MAX_INCLUDE_DEPTH, MAX_RANGE_ITERATIONS, MAX_TEMPLATE_OUTPUT_BYTES, MAX_TEMPLATE_STACK_BYTES, MAX_TEMPLATE_STEPS,
    MAX_TEMPLATE_STRING_BYTES, MAX_VALUE_DEPTH,
};

/// gotmpl's built-in functions (plus `and`/`or`, which it evaluates itself).
const BUILTINS: &[&str] = &[
    "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js", "urlquery", "call", "eq",
    "ne", "lt", "le", "gt", "ge",
];

/// Renders a chart as `helm template` / `helm install --dry-run` does.
pub fn render(chart: &Chart, opts: &RenderOptions) -> Result<Rendered, ChartError> {
    let prepared = prepare(chart, opts)?;
    let files = execute(&prepared, opts)?;
    let notes_path = format!("{}/templates/NOTES.txt", chart.name);
    let notes = files.get(&notes_path).cloned().unwrap_or_default();
    let manifests: Vec<(String, String)> =
        files.iter().filter(|(path, _)| !path.ends_with("NOTES.txt")).map(|(p, t)| (p.clone(), t.clone())).collect();
    let (hooks, manifests) =
        order::sort_manifests(&manifests).map_err(|e| locate_yaml_error(e, &prepared.contexts, &files))?;
    Ok(Rendered {
        chart_name: chart.name.clone(),
        release_name: opts.release_name.clone(),
        namespace: opts.namespace.clone(),
        revision: opts.revision,
        last_deployed: opts.last_deployed.clone(),
        chart_path: opts.chart_path.clone(),
        manifests,
        hooks,
        notes,
        user_values: functions::yaml::to_yaml(&Value::Map(Arc::new(prepared.user))),
        computed_values: functions::yaml::to_yaml(&Value::Map(Arc::new(prepared.computed))),
    })
}

/// Every template's rendered text by chart path (partials and library charts excluded, NOTES.txt
/// included), before documents are split and checked as YAML: what an editor tab shows.
pub fn render_templates(chart: &Chart, opts: &RenderOptions) -> Result<Vec<(String, String)>, ChartError> {
    let prepared = prepare(chart, opts)?;
    Ok(execute(&prepared, opts)?.into_iter().collect())
}

struct Prepared {
    user: Map,
    computed: Map,
    contexts: Vec<ChartContext>,
}

/// User values merged, computed values coalesced, each chart's context collected.
fn prepare(chart: &Chart, opts: &RenderOptions) -> Result<Prepared, ChartError> {
    // `-f` files merge left to right.
    let mut user = Map::new();
    for (i, text) in opts.user_values.iter().enumerate() {
        let map = values::parse_values(text).map_err(|e| {
            ChartError::simple(
                ChartErrorKind::Values,
                &format!("values #{}", i + 1),
                format!("failed to parse values #{}: {e}", i + 1),
            )
        })?;
        values::merge_user_values(&mut user, &map);
    }
    let mut contexts = Vec::new();
    let computed = coalesce_chart(chart, &user, chart.name.clone(), &mut contexts);
    Ok(Prepared { user, computed, contexts })
}

fn execute(prepared: &Prepared, opts: &RenderOptions) -> Result<BTreeMap<String, String>, ChartError> {
    let release = map_of([
        ("Name".to_string(), s(&opts.release_name)),
        ("Namespace".into(), s(&opts.namespace)),
        ("IsUpgrade".into(), Value::Bool(opts.is_upgrade)),
        ("IsInstall".into(), Value::Bool(!opts.is_upgrade)),
        ("Revision".into(), Value::Int(opts.revision)),
        ("Service".into(), s("Helm")),
    ]);
    let capabilities = capabilities(&opts.kube_version);
    let engine = Engine::new();
    engine.state().stack_base = stack_address();
    let result = engine.render_all(&prepared.contexts, &release, &capabilities);
    engine.state().master = None; // breaks the Template -> include -> Template cycle
    result
}

/// Adds the template line that produced a bad rendered line, when its literal text shows it.
fn locate_yaml_error(mut e: ChartError, contexts: &[ChartContext], files: &BTreeMap<String, String>) -> ChartError {
    if e.kind != ChartErrorKind::Yaml {
        return e;
    }
    let Some(template_loc) = e.trace.get_mut(1) else {
        return e;
    };
    let path = template_loc.file.clone();
    let rendered_line = files.get(&path).and_then(|t| t.lines().nth(e.location.line.saturating_sub(1))).unwrap_or("");
    let source = contexts.iter().flat_map(|c| c.templates.iter()).find(|(p, _)| *p == path).map(|(_, t)| t.clone());
    if let Some(source) = source {
        if let Some((line, column)) = guess_template_line(&source, rendered_line) {
            template_loc.line = line;
            template_loc.column = column;
        }
    }
    e
}

/// The template line whose literal text is the rendered line, or starts it.
fn guess_template_line(template: &str, rendered_line: &str) -> Option<(usize, usize)> {
    let target = rendered_line.trim();
    if target.is_empty() {
        return None;
    }
    let indent = |l: &str| l.len() - l.trim_start().len() + 1;
    let lines: Vec<&str> = template.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.trim() == target) {
        return Some((i + 1, indent(lines[i])));
    }
    lines
        .iter()
        .position(|l| {
            let literal = l.split("{{").next().unwrap_or("").trim();
            l.contains("{{") && !literal.is_empty() && target.starts_with(literal)
        })
        .map(|i| (i + 1, indent(lines[i])))
}

/// One chart's share of the render: its templates and what they see.
struct ChartContext {
    /// `helm-python` or `helm-python/charts/mylibchart`.
    prefix: String,
    library: bool,
    values: Value,
    metadata: Value,
    files: Value,
    templates: Vec<(String, Arc<str>)>,
}

/// Coalesces values for a chart and (recursively) its enabled subcharts, collecting each
/// chart's render context. Returns the chart's computed values.
fn coalesce_chart(chart: &Chart, user: &Map, prefix: String, out: &mut Vec<ChartContext>) -> Map {
    let mut vals = values::coalesce(&chart.values, user);
    let parent_global = vals.get("global").cloned();
    for sub in &chart.subcharts {
        let enabled = sub
            .condition
            .iter()
            .find_map(|path| match values::lookup_path(&vals, path) {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            })
            .unwrap_or(true);
        if !enabled {
            continue;
        }
        let name = sub.chart.name.clone();
        let mut sub_user = values::as_map(vals.get(name.as_str()).unwrap_or(&Value::Nil));
        // Helm copies the parent's globals into every subchart (the parent's win).
        let mut global = values::as_map(sub_user.get("global").unwrap_or(&Value::Nil));
        if let Some(Value::Map(g)) = &parent_global {
            for (k, v) in g.iter() {
                global.insert(k.clone(), v.clone());
            }
        }
        sub_user.insert(Arc::from("global"), Value::Map(Arc::new(global)));
        let sub_vals = coalesce_chart(&sub.chart, &sub_user, format!("{prefix}/charts/{name}"), out);
        vals.insert(Arc::from(name.as_str()), Value::Map(Arc::new(sub_vals)));
    }
    let files = map_of(chart.other_files.iter().map(|f| (f.path.clone(), s(&f.text))));
    out.push(ChartContext {
        prefix: prefix.clone(),
        library: chart.chart_type == "library",
        values: Value::Map(Arc::new(vals.clone())),
        metadata: chart.metadata.clone(),
        files,
        templates: chart
            .templates
            .iter()
            .map(|t| (format!("{prefix}/{}", t.path), Arc::from(t.text.as_str())))
            .collect(),
    });
    vals
}

/// `.Capabilities`: the Kubernetes version, the API versions `helm template` assumes, Helm's.
fn capabilities(kube_version: &str) -> Value {
    let v = kube_version.trim_start_matches('v');
    let mut parts = v.split('.');
    let major = parts.next().unwrap_or("1").to_string();
    let minor = parts.next().unwrap_or("28").to_string();
    let mut api = Vec::new();
    for (gv, kinds) in API_VERSIONS {
        api.push(s(gv));
        for k in kinds.split(' ') {
            api.push(s(format!("{gv}/{k}")));
        }
    }
    map_of([
        (
            "KubeVersion".to_string(),
            map_of([
                ("Version".to_string(), s(kube_version)),
                ("GitVersion".into(), s(kube_version)),
                ("Major".into(), s(major)),
                ("Minor".into(), s(minor)),
            ]),
        ),
        ("APIVersions".into(), Value::List(api.into())),
        (
            "HelmVersion".into(),
            map_of([
                ("Version".to_string(), s("v3.13.2")),
                ("GitCommit".into(), s("")),
                ("GoVersion".into(), s("go1.21.4")),
            ]),
        ),
    ])
}

/// The built-in API group versions (and their kinds) `.Capabilities.APIVersions.Has` knows.
const API_VERSIONS: &[(&str, &str)] = &[
    ("v1", "Pod Service ConfigMap Secret ServiceAccount PersistentVolumeClaim PersistentVolume Namespace Endpoints Event LimitRange ResourceQuota ReplicationController Node"),
    ("apps/v1", "StatefulSet Deployment DaemonSet ReplicaSet ControllerRevision"),
    ("batch/v1", "Job CronJob"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1", "Ingress IngressClass NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "Role RoleBinding ClusterRole ClusterRoleBinding"),
    ("storage.k8s.io/v1", "StorageClass CSIDriver CSINode VolumeAttachment"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration ValidatingWebhookConfiguration"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("coordination.k8s.io/v1", "Lease"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("events.k8s.io/v1", "Event"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("node.k8s.io/v1", "RuntimeClass"),
    ("certificates.k8s.io/v1", "CertificateSigningRequest"),
];

/// Where an action is, and what helm would call it in a message.
struct PosInfo {
    file: Arc<str>,
    /// The template being executed: the file's path, or the `define`'s name.
    tname: Arc<str>,
    line: usize,
    /// Go's column: a 0-based byte offset in the line.
    go_col: usize,
    /// 1-based character column.
    col: usize,
    text: String,
    calls: Vec<Call>,
}

/// A function call inside an action.
struct Call {
    name: String,
    /// Go's text and place (line, Go column, column) of each argument (the piped value, last,
    /// is not among them).
    args: Vec<(String, usize, usize, usize)>,
    line: usize,
    go_col: usize,
    col: usize,
    text: String,
}

#[derive(Default)]
struct State {
    positions: Vec<PosInfo>,
    /// The first position of each template and define, by name.
    entries: BTreeMap<String, usize>,
    /// The running action of each nested execution (file, include, tpl).
    frames: Vec<usize>,
    failed_call: Option<String>,
    /// Places of the error being unwound, innermost first.
    trace: Vec<Location>,
    master: Option<Arc<Template>>,
    /// How deep `include` and `tpl` nest right now.
    include_depth: usize,
    tpl_count: usize,
    known_functions: BTreeSet<String>,
    /// Actions, text pieces, range iterations and function calls run so far in this render.
    steps: usize,
    /// Bytes written, printed, read and made by functions so far in this render.
    bytes: usize,
    /// How deep each list and dict seen so far nests.
    depths: Depths,
    /// The stack's address when the render started (see [`stack_address`]).
    stack_base: usize,
}

/// An address on the stack right here: how far it is from the render's start is the stack the
/// templates use. Template nesting is dynamic (`include` inside 40 `if`s inside an `include`...):
/// 64 includes each inside 50 `if`s overflowed a 1 MiB stack, so the bytes used are measured
/// directly, at every action, `include` and `tpl`.
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The stack budget of this build: [`MAX_TEMPLATE_STACK_BYTES`] in release builds (the page's);
/// unoptimised frames are larger (an include level takes 9.5 KB instead of 2.8 KB natively), so a
/// debug build (the tests) allows four times as much, on test threads of 2 MiB.
const STACK_BUDGET: usize =
    if cfg!(debug_assertions) { 4 * MAX_TEMPLATE_STACK_BYTES } else { MAX_TEMPLATE_STACK_BYTES };

impl State {
    /// Refuses to nest further once the templates use more than [`STACK_BUDGET`].
    fn check_stack(&self) -> Result<(), TemplateError> {
        if self.stack_base != 0 && self.stack_base.abs_diff(stack_address()) > STACK_BUDGET {
            return Err(fail(format!(
                "the templates nest too deep (include, tpl, template, if, range and with inside each other use more \
                 than {} KiB of the page's stack, which has 1 MiB in all); the lab stops there",
                MAX_TEMPLATE_STACK_BYTES / 1024
            )));
        }
        Ok(())
    }
}

/// The nesting depth of lists and dicts, remembered per container (by address, each kept alive
/// here so an address is never reused): a dict built 100,000 levels deep by `dict "a" $d` in a loop
/// is refused at the level past [`MAX_VALUE_DEPTH`], each check costing only the new level.
#[derive(Default)]
struct Depths {
    known: std::collections::HashMap<usize, usize>,
    keep: Vec<Value>,
}

impl Depths {
    /// The depth of a value (a scalar is 0), or more than `MAX_VALUE_DEPTH` when it nests deeper.
    fn of(&mut self, v: &Value, budget: usize) -> usize {
        let (ptr, children): (usize, Vec<&Value>) = match v {
            Value::List(l) if !l.is_empty() => (l.as_ptr() as usize, l.iter().collect()),
            Value::Map(m) if !m.is_empty() => (Arc::as_ptr(m) as usize, m.values().collect()),
            _ => return 0,
        };
        if let Some(d) = self.known.get(&ptr) {
            return *d;
        }
        if budget == 0 {
            return MAX_VALUE_DEPTH + 1;
        }
        let mut deepest = 0;
        for c in children {
            deepest = deepest.max(self.of(c, budget - 1));
            if deepest > MAX_VALUE_DEPTH {
                break;
            }
        }
        let d = deepest + 1;
        self.known.insert(ptr, d);
        self.keep.push(v.clone());
        d
    }
}

/// The refusal when a render runs too many actions.
fn too_many_steps() -> TemplateError {
    fail(format!(
        "the templates ran more than {MAX_TEMPLATE_STEPS} actions, range iterations and function calls; the lab stops \
         a render there so a chart cannot freeze the page (an include that calls itself, or a very long range?)"
    ))
}

/// The refusal when a render reads and writes too much text.
fn too_many_bytes() -> TemplateError {
    fail(format!(
        "the templates wrote and made more than {MAX_TEMPLATE_OUTPUT_BYTES} bytes of text; the lab stops a render \
         there so a chart cannot exhaust the page's memory (the rendered release is read as a paste of at most 2 MiB)"
    ))
}

impl State {
    /// Counts one step and `bytes` bytes against the render's budget.
    fn spend(&mut self, steps: usize, bytes: usize) -> Result<(), TemplateError> {
        self.steps = self.steps.saturating_add(steps);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.steps > MAX_TEMPLATE_STEPS {
            return Err(too_many_steps());
        }
        if self.bytes > MAX_TEMPLATE_OUTPUT_BYTES {
            return Err(too_many_bytes());
        }
        Ok(())
    }

    /// What a function returned, checked: a string within the string limit, a list or dict within
    /// the depth limit, and its size counted.
    fn accept(&mut self, name: &str, v: &Value) -> Result<(), TemplateError> {
        if let Value::String(text) = v {
            if text.len() > MAX_TEMPLATE_STRING_BYTES {
                return Err(functions::too_long(name, text.len() as u128));
            }
        }
        if matches!(v, Value::List(_) | Value::Map(_)) && self.depths.of(v, MAX_VALUE_DEPTH + 1) > MAX_VALUE_DEPTH {
            return Err(fail(format!(
                "{name} would make a list or dict nested more than {MAX_VALUE_DEPTH} deep; the lab's templates nest \
                 values at most {MAX_VALUE_DEPTH} deep (as deep as YAML may: printing, toYaml and toJson go one level at \
                 a time, and far deeper values overflow the page's stack)"
            )));
        }
        self.spend(0, functions::shallow_weight(v))
    }
}

struct Engine {
    state: Arc<Mutex<State>>,
    funcs: FuncMap,
}

impl Engine {
    fn new() -> Engine {
        let state = Arc::new(Mutex::new(State::default()));
        let mut funcs = functions::pure_functions();
        add_render_functions(&mut funcs, &state);
        // Every function records its name when it fails, for the error message.
        let wrapped: FuncMap = funcs
            .into_iter()
            .map(|(name, f)| {
                if name.starts_with("__") {
                    return (name, f);
                }
                let st = state.clone();
                let n = name.clone();
                // Every call is a step of the render's budget, and reads its arguments; what it
                // returns is checked and counted (see `State::accept`).
                let g: gotmpl::ValueFunc = Arc::new(move |a: &[Value]| {
                    let budget = lock(&st).spend(1, a.iter().map(functions::shallow_weight).sum());
                    let result = budget.and_then(|()| f(a)).and_then(|v| lock(&st).accept(&n, &v).map(|()| v));
                    result.inspect_err(|_| lock(&st).failed_call = Some(n.clone()))
                });
                (name, g)
            })
            .collect();
        {
            let mut st = lock(&state);
            st.known_functions = wrapped.keys().cloned().chain(BUILTINS.iter().map(|b| b.to_string())).collect_map();
        }
        Engine { state, funcs: wrapped }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Parses every template (Helm's order), then executes the non-partial ones.
    fn render_all(
        &self,
        contexts: &[ChartContext],
        release: &Value,
        caps: &Value,
    ) -> Result<BTreeMap<String, String>, ChartError> {
        let mut all: Vec<(&String, &Arc<str>, &ChartContext)> =
            contexts.iter().flat_map(|c| c.templates.iter().map(move |(p, t)| (p, t, c))).collect();
        // Helm's sortTemplates: deeper paths first, then reverse lexical order; later parses
        // win, so a parent's define overrides its subchart's.
        crate::sorting::sort_by(&mut all, |a, b| {
            let (da, db) = (a.0.matches('/').count(), b.0.matches('/').count());
            db.cmp(&da).then_with(|| b.0.cmp(a.0))
        });
        let mut master = Template::new("gotpl").funcs(self.funcs.clone()).max_range_iters(MAX_RANGE_ITERATIONS);
        let mut defined: BTreeSet<String> = BTreeSet::new();
        for (path, text, _) in &all {
            let (tree, defines) = self.parse(path, text, path)?;
            master = master.add_parse_tree(path, tree);
            for (name, body) in defines {
                if body.is_empty_tree() && defined.contains(&name) {
                    continue;
                }
                defined.insert(name.clone());
                master = master.add_parse_tree(&name, body);
            }
        }
        let master = Arc::new(master);
        self.state().master = Some(master.clone());

        let mut out = BTreeMap::new();
        for (path, _, ctx) in &all {
            let base = path.rsplit('/').next().unwrap_or(path);
            if base.starts_with('_') || ctx.library {
                continue;
            }
            let data = map_of([
                ("Values".to_string(), ctx.values.clone()),
                ("Release".into(), release.clone()),
                ("Chart".into(), ctx.metadata.clone()),
                ("Capabilities".into(), caps.clone()),
                ("Files".into(), ctx.files.clone()),
                (
                    "Template".into(),
                    map_of([
                        ("Name".to_string(), s(path.as_str())),
                        ("BasePath".into(), s(format!("{}/templates", ctx.prefix))),
                    ]),
                ),
            ]);
            let entry = self.state().entries.get(path.as_str()).copied().unwrap_or(0);
            {
                let mut st = self.state();
                st.frames = vec![entry];
                st.failed_call = None;
                st.trace.clear();
            }
            match master.execute_template_to_string(path, &data) {
                Ok(text) => {
                    // Helm: missing values print as "<no value>", then that text is removed.
                    out.insert(path.to_string(), text.replace("<no value>", ""));
                }
                Err(e) => {
                    let mut st = self.state();
                    let frame = st.frames.last().copied().unwrap_or(entry);
                    let message = describe(&mut st, frame, &e);
                    let mut trace = std::mem::take(&mut st.trace);
                    trace.reverse();
                    return Err(exec_error(message, trace));
                }
            }
        }
        Ok(out)
    }

    /// Parses one template file, checks its functions exist, instruments its trees.
    fn parse(&self, file: &str, text: &str, tname: &str) -> Result<ParsedTemplate, ChartError> {
        parse_instrumented(&self.state, file, text, tname, tname).map_err(|(line, col, msg)| ChartError {
            kind: ChartErrorKind::Parse,
            location: Location::at(file.to_string(), line, col),
            trace: vec![Location::at(file.to_string(), line, col)],
            message: format!("parse error at ({file}:{line}): {msg}"),
        })
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Parses, checks function names, and instruments a template text. Errors are (line, 1-based
/// column, Go's message).
/// A parsed, instrumented template: its body and its `define`s.
type ParsedTemplate = (ListNode, Vec<(String, ListNode)>);

fn parse_instrumented(
    state: &Mutex<State>,
    file: &str,
    text: &str,
    tname: &str,
    entry_name: &str,
) -> Result<ParsedTemplate, (usize, usize, String)> {
    let text = &fix_left_trimmed_comments(text);
    let (tree, defines) =
        Parser::with_name(Some(file), text, "{{", "}}").and_then(|p| p.parse()).map_err(|e| match e {
            TemplateError::Parse { line, col, message, .. } | TemplateError::Lex { line, col, message, .. } => {
                (line, col, message)
            }
            other => (0, 0, other.to_string()),
        })?;
    let mut st = lock(state);
    {
        let known = &st.known_functions;
        let mut missing = None;
        check_functions_list(&tree, known, &mut missing);
        for d in &defines {
            check_functions_list(&d.body, known, &mut missing);
        }
        if let Some((name, pos)) = missing {
            let (line, _, col) = line_col(text, pos);
            return Err((line, col, format!("function {name:?} not defined")));
        }
    }
    let file: Arc<str> = Arc::from(file);
    let mut ins = Instrumenter {
        src: text,
        file: file.clone(),
        tname: Arc::from(tname),
        positions: &mut st.positions,
        entries: Vec::new(),
    };
    let entry = ins.entry(Pos::new(0, 1));
    let tree = ins.list(tree);
    let mut out_defines = Vec::new();
    for d in defines {
        ins.tname = Arc::from(d.name.as_str());
        let e = ins.entry(d.pos);
        ins.entries.push((d.name.to_string(), e));
        out_defines.push((d.name.to_string(), ins.list(d.body)));
    }
    let entries = std::mem::take(&mut ins.entries);
    st.entries.insert(entry_name.to_string(), entry);
    for (name, e) in entries {
        st.entries.insert(name, e);
    }
    Ok((tree, out_defines))
}

/// gotmpl 0.6 trims the whitespace after `{{- /* comment */}}` too (Go trims only before it).
/// Such a comment becomes `{{- "" ... }}`, an action that prints nothing, with the same length
/// and newlines so positions stay.
fn fix_left_trimmed_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{{- /*") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 6..];
        match after.find("*/") {
            Some(end) if after[end + 2..].starts_with("}}") => {
                out.push_str("{{- \"\"");
                for c in after[..end + 2].chars() {
                    // Same byte length and the same newlines.
                    if c == '\n' {
                        out.push('\n');
                    } else {
                        out.extend(std::iter::repeat_n(' ', c.len_utf8()));
                    }
                }
                out.push_str("}}");
                rest = &after[end + 4..];
            }
            _ => {
                out.push_str("{{- /*");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn check_functions_list(l: &ListNode, known: &BTreeSet<String>, missing: &mut Option<(String, usize)>) {
    for n in &l.nodes {
        match n {
            Node::Action(a) => check_functions_pipe(&a.pipe, known, missing),
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                check_functions_pipe(&b.pipe, known, missing);
                check_functions_list(&b.body, known, missing);
                if let Some(e) = &b.else_body {
                    check_functions_list(e, known, missing);
                }
            }
            Node::Template(t) => {
                if let Some(p) = &t.pipe {
                    check_functions_pipe(p, known, missing);
                }
            }
            Node::List(inner) => check_functions_list(inner, known, missing),
            _ => {}
        }
    }
}

fn check_functions_pipe(p: &PipeNode, known: &BTreeSet<String>, missing: &mut Option<(String, usize)>) {
    for c in &p.commands {
        for a in &c.args {
            check_functions_expr(a, known, missing);
        }
    }
}

fn check_functions_expr(e: &Expr, known: &BTreeSet<String>, missing: &mut Option<(String, usize)>) {
    match e {
        Expr::Identifier(pos, name) if missing.is_none() && !known.contains(name.as_str()) => {
            *missing = Some((name.to_string(), pos.offset));
        }
        Expr::Pipe(_, p) => check_functions_pipe(p, known, missing),
        Expr::Chain(_, inner, _) => check_functions_expr(inner, known, missing),
        _ => {}
    }
}

/// (1-based line, Go's 0-based byte column, 1-based character column) of a byte offset.
fn line_col(src: &str, offset: usize) -> (usize, usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char(src, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, offset - line_start, before[line_start..].chars().count() + 1)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct Instrumenter<'a> {
    src: &'a str,
    file: Arc<str>,
    tname: Arc<str>,
    positions: &'a mut Vec<PosInfo>,
    entries: Vec<(String, usize)>,
}

impl Instrumenter<'_> {
    fn register(&mut self, pos: Pos, text: String, pipe: Option<&PipeNode>) -> usize {
        let (line, go_col, col) = line_col(self.src, pos.offset);
        let mut calls = Vec::new();
        if let Some(p) = pipe {
            self.collect_calls(p, &mut calls);
        }
        self.positions.push(PosInfo {
            file: self.file.clone(),
            tname: self.tname.clone(),
            line,
            go_col,
            col,
            text,
            calls,
        });
        self.positions.len() - 1
    }

    fn entry(&mut self, pos: Pos) -> usize {
        self.register(pos, String::new(), None)
    }

    fn collect_calls(&self, p: &PipeNode, out: &mut Vec<Call>) {
        for c in &p.commands {
            if let Some(Expr::Identifier(_, name)) = c.args.first() {
                let (line, go_col, col) = line_col(self.src, c.pos.offset);
                let args = c.args[1..]
                    .iter()
                    .map(|a| {
                        let (l, g, k) = line_col(self.src, a.pos().offset);
                        (expr_string(a), l, g, k)
                    })
                    .collect();
                out.push(Call { name: name.to_string(), args, line, go_col, col, text: cmd_string(c) });
            }
            for a in &c.args {
                if let Expr::Pipe(_, inner) = a {
                    self.collect_calls(inner, out);
                }
            }
        }
    }

    fn list(&mut self, l: ListNode) -> ListNode {
        let mut nodes = Vec::with_capacity(l.nodes.len() * 2);
        for n in l.nodes {
            match n {
                Node::Action(mut a) => {
                    let at = a.pipe.commands.first().map(|c| c.pos).unwrap_or(a.pos);
                    let id = self.register(at, pipe_string(&a.pipe), Some(&a.pipe));
                    nodes.push(pos_action(id, a.pos));
                    self.rewrite_pipe(&mut a.pipe);
                    if a.pipe.decl.is_empty() {
                        let p = a.pipe.pos;
                        a.pipe
                            .commands
                            .push(CommandNode { pos: p, args: vec![Expr::Identifier(p, SmolStr::new("__out"))] });
                    }
                    nodes.push(Node::Action(a));
                }
                Node::If(mut b) => {
                    self.branch(&mut b, &mut nodes);
                    nodes.push(Node::If(b));
                }
                Node::Range(mut b) => {
                    let id = self.branch(&mut b, &mut nodes);
                    // Every iteration is a step, even of an empty body (`range until 100000`).
                    b.body.nodes.insert(0, pos_action(id, b.pos));
                    nodes.push(Node::Range(b));
                }
                Node::With(mut b) => {
                    self.branch(&mut b, &mut nodes);
                    nodes.push(Node::With(b));
                }
                Node::Template(mut t) => {
                    let text = match &t.pipe {
                        Some(p) => {
                            format!("{{{{template {} {}}}}}", go_quote(&t.name), pipe_string(p))
                        }
                        None => format!("{{{{template {}}}}}", go_quote(&t.name)),
                    };
                    let id = self.register(t.pos, text, t.pipe.as_ref());
                    nodes.push(pos_action(id, t.pos));
                    if let Some(p) = &mut t.pipe {
                        self.rewrite_pipe(p);
                    }
                    nodes.push(Node::Template(t));
                }
                Node::List(inner) => nodes.push(Node::List(self.list(inner))),
                Node::Text(t) => {
                    // `{{ __text LEN }}`: counts the text against the render's budget.
                    nodes.push(call_action("__text", t.text.len(), t.pos));
                    nodes.push(Node::Text(t));
                }
                other => nodes.push(other),
            }
        }
        ListNode { pos: l.pos, nodes }
    }

    fn branch(&mut self, b: &mut gotmpl::parse::BranchNode, nodes: &mut Vec<Node>) -> usize {
        let at = b.pipe.commands.first().map(|c| c.pos).unwrap_or(b.pos);
        let id = self.register(at, pipe_string(&b.pipe), Some(&b.pipe));
        nodes.push(pos_action(id, b.pos));
        self.rewrite_pipe(&mut b.pipe);
        let body = std::mem::replace(&mut b.body, ListNode { pos: b.pos, nodes: Vec::new() });
        b.body = self.list(body);
        if let Some(e) = b.else_body.take() {
            b.else_body = Some(self.list(e));
        }
        id
    }
}

/// `{{ __pos ID }}`: prints nothing, records the running action.
fn pos_action(id: usize, pos: Pos) -> Node {
    call_action("__pos", id, pos)
}

/// `{{ NAME N }}`, an instrumentation action that prints nothing.
fn call_action(name: &str, n: usize, pos: Pos) -> Node {
    Node::Action(ActionNode {
        pos,
        pipe: PipeNode {
            pos,
            decl: Vec::new(),
            commands: vec![CommandNode {
                pos,
                args: vec![Expr::Identifier(pos, SmolStr::new(name)), Expr::Number(pos, Number::Int(n as i64))],
            }],
            is_assign: false,
        },
    })
}

impl Instrumenter<'_> {
    /// Methods on Helm's objects (`.Files.Get "x"`, `.Capabilities.APIVersions.Has "apps/v1"`)
    /// become calls of hidden functions on the object (`__filesGet .Files "x"`); field chains
    /// (`.Values.a.b`) become `__fields` calls that fail as Go does when `a` is missing.
    fn rewrite_pipe(&self, p: &mut PipeNode) {
        for c in &mut p.commands {
            rewrite_method(c);
            let method_call = c.args.len() > 1 && matches!(c.args.first(), Some(Expr::Field(..) | Expr::Variable(..)));
            for (i, a) in c.args.iter_mut().enumerate() {
                if i == 0 && method_call {
                    continue;
                }
                self.rewrite_expr(a);
            }
        }
    }

    fn rewrite_expr(&self, e: &mut Expr) {
        // `Files` methods without arguments: `(.Files.Glob "x").AsConfig`, `$f.AsSecrets`.
        let last = match e {
            Expr::Chain(_, _, f) | Expr::Field(_, f) | Expr::Variable(_, _, f) => f.last().map(|l| l.to_string()),
            _ => None,
        };
        if let Some(helper) = match last.as_deref() {
            Some("AsConfig") => Some("__asConfig"),
            Some("AsSecrets") => Some("__asSecrets"),
            _ => None,
        } {
            let pos = e.pos();
            let mut receiver = match e.clone() {
                Expr::Chain(p, inner, mut f) => {
                    f.pop();
                    if f.is_empty() {
                        *inner
                    } else {
                        Expr::Chain(p, inner, f)
                    }
                }
                Expr::Field(p, mut f) => {
                    f.pop();
                    if f.is_empty() {
                        Expr::Dot(p)
                    } else {
                        Expr::Field(p, f)
                    }
                }
                Expr::Variable(p, name, mut f) => {
                    f.pop();
                    Expr::Variable(p, name, f)
                }
                other => other,
            };
            self.rewrite_expr(&mut receiver);
            let args = vec![Expr::Identifier(pos, SmolStr::new(helper)), receiver];
            *e = Expr::Pipe(
                pos,
                PipeNode { pos, decl: Vec::new(), commands: vec![CommandNode { pos, args }], is_assign: false },
            );
            return;
        }
        match e {
            Expr::Pipe(_, inner) => self.rewrite_pipe(inner),
            Expr::Chain(_, inner, _) => self.rewrite_expr(inner),
            Expr::Field(pos, fields) if fields.len() >= 2 => {
                let (pos, fields) = (*pos, fields.clone());
                *e = self.field_call(pos, Expr::Dot(pos), &fields, expr_string(e));
            }
            Expr::Variable(pos, name, fields) if fields.len() >= 2 => {
                let (pos, name, fields) = (*pos, name.clone(), fields.clone());
                *e = self.field_call(pos, Expr::Variable(pos, name, Vec::new()), &fields, expr_string(e));
            }
            _ => {}
        }
    }

    /// `(__fields LINE GOCOL COL "TEXT" BASE "f1" "f2" ...)`.
    fn field_call(&self, pos: Pos, base: Expr, fields: &[SmolStr], text: String) -> Expr {
        let (line, go_col, col) = line_col(self.src, pos.offset);
        let num = |n: usize| Expr::Number(pos, Number::Int(n as i64));
        let mut args = vec![
            Expr::Identifier(pos, SmolStr::new("__fields")),
            num(line),
            num(go_col),
            num(col),
            Expr::String(pos, Arc::from(text.as_str())),
            base,
        ];
        args.extend(fields.iter().map(|f| Expr::String(pos, Arc::from(f.as_str()))));
        Expr::Pipe(pos, PipeNode { pos, decl: Vec::new(), commands: vec![CommandNode { pos, args }], is_assign: false })
    }
}

fn rewrite_method(c: &mut CommandNode) {
    const METHODS: &[(&str, &str, &str)] = &[
        ("Files", "Get", "__filesGet"),
        ("Files", "Glob", "__filesGlob"),
        ("Files", "Lines", "__filesLines"),
        ("APIVersions", "Has", "__apiVersionsHas"),
    ];
    let Some(first) = c.args.first() else { return };
    let (pos, fields) = match first {
        Expr::Field(p, f) => (*p, f.clone()),
        Expr::Variable(p, _, f) => (*p, f.clone()),
        _ => return,
    };
    if fields.len() < 2 {
        return;
    }
    let (obj, method) = (&fields[fields.len() - 2], &fields[fields.len() - 1]);
    let Some((_, _, helper)) = METHODS.iter().find(|(o, m, _)| obj == o && method == m) else {
        return;
    };
    let receiver_fields: Vec<SmolStr> = fields[..fields.len() - 1].to_vec();
    let receiver = match first {
        Expr::Variable(p, name, _) => Expr::Variable(*p, name.clone(), receiver_fields),
        _ => Expr::Field(pos, receiver_fields),
    };
    c.args[0] = receiver;
    c.args.insert(0, Expr::Identifier(pos, SmolStr::new(*helper)));
}

/// gobwas/glob with `/` as separator: `**` any text, `*` and `?` within a path segment,
/// `[abc]` classes, `{a,b}` alternatives.
fn glob_match(pattern: &str, name: &str) -> bool {
    if let Some(open) = pattern.find('{') {
        if let Some(close) = pattern[open..].find('}').map(|c| open + c) {
            return pattern[open + 1..close]
                .split(',')
                .any(|alt| glob_match(&format!("{}{alt}{}", &pattern[..open], &pattern[close + 1..]), name));
        }
    }
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => (0..=n.len()).any(|i| go(&p[2..], &n[i..])),
            Some('*') => (0..=n.len()).take_while(|&i| i == 0 || n[i - 1] != '/').any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && n[0] != '/' && go(&p[1..], &n[1..]),
            Some('[') => match p.iter().position(|&c| c == ']') {
                Some(end) if !n.is_empty() => {
                    let class = &p[1..end];
                    let (negate, class) = match class.first() {
                        Some('!') | Some('^') => (true, &class[1..]),
                        _ => (false, class),
                    };
                    let mut hit = false;
                    let mut i = 0;
                    while i < class.len() {
                        if i + 2 < class.len() && class[i + 1] == '-' {
                            hit |= (class[i]..=class[i + 2]).contains(&n[0]);
                            i += 3;
                        } else {
                            hit |= class[i] == n[0];
                            i += 1;
                        }
                    }
                    hit != negate && go(&p[end + 1..], &n[1..])
                }
                _ => false,
            },
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// Go's `String()` of a pipeline, for `at <...>` in messages.
fn pipe_string(p: &PipeNode) -> String {
    let mut out = String::new();
    if !p.decl.is_empty() {
        out.push_str(&p.decl.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "));
        out.push_str(if p.is_assign { " = " } else { " := " });
    }
    out.push_str(&p.commands.iter().map(cmd_string).collect::<Vec<_>>().join(" | "));
    out
}

fn cmd_string(c: &CommandNode) -> String {
    c.args.iter().map(expr_string).collect::<Vec<_>>().join(" ")
}

fn expr_string(e: &Expr) -> String {
    let fields = |f: &[SmolStr]| f.iter().map(|x| format!(".{x}")).collect::<String>();
    match e {
        Expr::Dot(_) => ".".into(),
        Expr::Field(_, f) => fields(f),
        Expr::Variable(_, name, f) => format!("{name}{}", fields(f)),
        Expr::Identifier(_, name) => name.to_string(),
        Expr::String(_, s) => go_quote(s),
        Expr::Number(_, Number::Int(n)) => n.to_string(),
        Expr::Number(_, Number::Uint(n)) => n.to_string(),
        Expr::Number(_, Number::Float(f)) => functions::format_float_g(*f),
        Expr::Bool(_, b) => b.to_string(),
        Expr::Nil(_) => "nil".into(),
        Expr::Pipe(_, p) => format!("({})", pipe_string(p)),
        Expr::Chain(_, inner, f) => format!("{}{}", expr_string(inner), fields(f)),
    }
}

/// Go's message for an execution error in the frame whose running action is `frame`, and the
/// place pushed onto the trace.
fn describe(st: &mut State, frame: usize, e: &TemplateError) -> String {
    let inner = match e {
        TemplateError::Exec(m) => m.clone(),
        TemplateError::UndefinedTemplate(n) => format!("template {n:?} not defined"),
        TemplateError::UndefinedVariable(n) => format!("undefined variable: {n}"),
        TemplateError::MissingKey { key } => format!("map has no entry for key {key:?}"),
        other => other.to_string(),
    };
    let failed = st.failed_call.take();
    // A wrong argument (see functions::bad_arg): Go names the argument, not the call.
    let (bad_arg, inner) = match inner.strip_prefix("ARG[").and_then(|r| r.split_once(']')) {
        Some((i, rest)) => (i.parse::<usize>().ok(), rest.to_string()),
        None => (None, inner),
    };
    let Some(p) = st.positions.get(frame) else {
        return inner;
    };
    // A field chain (see `__fields`): Go names the field node.
    if let Some((head, msg)) = inner.strip_prefix("AT[").and_then(|r| r.split_once(']')) {
        let parts: Vec<&str> = head.splitn(4, '\u{1}').collect();
        if let [line, go_col, col, text] = parts[..] {
            let (line, col) = (line.parse().unwrap_or(0), col.parse().unwrap_or(0));
            st.trace.push(Location::at(p.file.to_string(), line, col));
            return format!(
                "template: {}:{}:{}: executing {:?} at <{}>: {}",
                p.file, line, go_col, &*p.tname, text, msg
            );
        }
    }
    let mut call = failed.as_ref().and_then(|f| p.calls.iter().find(|c| &c.name == f));
    // gotmpl's own functions (eq, index, ...) are not wrapped: the action's only call of one of
    // them is the one that failed.
    if failed.is_none() {
        let builtin: Vec<&Call> = p.calls.iter().filter(|c| BUILTINS.contains(&c.name.as_str())).collect();
        if builtin.len() == 1 {
            call = Some(builtin[0]);
        }
    }
    let inner = match inner.find("incompatible types for comparison") {
        Some(at) => inner[..at + "incompatible types for comparison".len()].to_string(),
        None => inner,
    };
    match call {
        Some(c) if bad_arg.is_some() => {
            let (at, line, go_col, col) = match bad_arg.and_then(|i| c.args.get(i)) {
                Some((text, l, g, k)) => (text.as_str(), *l, *g, *k),
                None => (c.text.as_str(), c.line, c.go_col, c.col),
            };
            st.trace.push(Location::at(p.file.to_string(), line, col));
            format!("template: {}:{}:{}: executing {:?} at <{}>: {}", p.file, line, go_col, &*p.tname, at, inner)
        }
        Some(c) => {
            st.trace.push(Location::at(p.file.to_string(), c.line, c.col));
            format!(
                "template: {}:{}:{}: executing {:?} at <{}>: error calling {}: {}",
                p.file, c.line, c.go_col, &*p.tname, c.text, c.name, inner
            )
        }
        None => {
            let loc = Location::at(p.file.to_string(), p.line, p.col);
            st.trace.push(loc);
            format!(
                "template: {}:{}:{}: executing {:?} at <{}>: {}",
                p.file, p.line, p.go_col, &*p.tname, p.text, inner
            )
        }
    }
}

/// Helm's cleanupExecError: `required`/`fail` messages become `execution error at (LOC): MSG`.
fn exec_error(message: String, trace: Vec<Location>) -> ChartError {
    let location = trace.first().cloned().unwrap_or(Location::at(String::new(), 0, 0));
    let parts: Vec<&str> = message.splitn(3, ": ").collect();
    let short = match (parts.len(), message.find("HELM["), message.rfind("]HELM")) {
        (3, Some(a), Some(b)) if a + 5 <= b => {
            Some(format!("execution error at ({}): {}", parts[1], &message[a + 5..b]))
        }
        _ => None,
    };
    ChartError { kind: ChartErrorKind::Execution, location, trace, message: short.unwrap_or(message) }
}

/// The functions that need the template set or the render's state.
fn add_render_functions(m: &mut FuncMap, state: &Arc<Mutex<State>>) {
    let st = state.clone();
    add(m, "__pos", move |a| {
        let mut g = lock(&st);
        if let (Some(Value::Int(id)), Some(top)) = (a.first(), g.frames.last_mut()) {
            *top = *id as usize;
        }
        g.spend(1, 0)?;
        g.check_stack()?;
        Ok(s(""))
    });
    // Before each piece of literal text: its length, written once more.
    let st = state.clone();
    add(m, "__text", move |a| {
        let bytes = a.first().and_then(Value::as_int).unwrap_or(0).max(0) as usize;
        lock(&st).spend(1, bytes)?;
        Ok(s(""))
    });
    // Prints a value as Go's template engine does (a missing value is "<no value>").
    let st = state.clone();
    add(m, "__out", move |a| {
        let out = match a.last() {
            None | Some(Value::Nil) => s("<no value>"),
            Some(Value::String(text)) => Value::String(text.clone()),
            Some(v) => s(go_fmt_v(v)),
        };
        let mut g = lock(&st);
        g.accept("printing a value", &out)?;
        Ok(out)
    });
    // A field chain as Go evaluates it with missingkey=zero: a missing or null value in the
    // middle of the chain is "nil pointer evaluating interface {}.NEXT".
    add(m, "__fields", |a| {
        let at = |msg: String| {
            let n = |i: usize| a.get(i).and_then(Value::as_int).unwrap_or(0);
            let text = a.get(3).and_then(Value::as_str).unwrap_or("");
            fail(format!("AT[{}\u{1}{}\u{1}{}\u{1}{text}]{msg}", n(0), n(1), n(2)))
        };
        let mut cur = a.get(4).cloned().unwrap_or(Value::Nil);
        let mut looked_up = false;
        for f in a.iter().skip(5) {
            let f = f.as_str().unwrap_or("");
            cur = match &cur {
                Value::Map(m) => {
                    looked_up = true;
                    m.get(f).cloned().unwrap_or(Value::Nil)
                }
                Value::Nil if looked_up => return Err(at(format!("nil pointer evaluating interface {{}}.{f}"))),
                Value::Nil => Value::Nil,
                other => return Err(at(format!("can't evaluate field {f} in type {}", functions::go_type(other)))),
            };
        }
        Ok(cur)
    });
    add(m, "__filesGet", |a| {
        let name = arg_str(a, 1)?;
        Ok(match a.first() {
            Some(Value::Map(files)) => files.get(name).cloned().unwrap_or_else(|| s("")),
            _ => s(""),
        })
    });
    // Helm's Files.Glob (gobwas/glob: `*` stays within a folder, `**` crosses folders).
    add(m, "__filesGlob", |a| {
        let pattern = arg_str(a, 1)?;
        Ok(match a.first() {
            Some(Value::Map(files)) => Value::Map(Arc::new(
                files.iter().filter(|(k, _)| glob_match(pattern, k)).map(|(k, v)| (k.clone(), v.clone())).collect_map(),
            )),
            _ => map_of([]),
        })
    });
    add(m, "__filesLines", |a| {
        let name = arg_str(a, 1)?;
        let text = match a.first() {
            Some(Value::Map(files)) => files.get(name).and_then(|v| v.as_str().map(str::to_string)),
            _ => None,
        };
        Ok(match text {
            None => Value::List(Arc::from(Vec::new())),
            Some(t) => Value::List(t.strip_suffix('\n').unwrap_or(&t).split('\n').map(s).collect::<Vec<_>>().into()),
        })
    });
    // Files.AsConfig / AsSecrets: the files by base name as YAML (secrets base64-encoded).
    for (name, encode) in [("__asConfig", false), ("__asSecrets", true)] {
        add(m, name, move |a| {
            let Some(Value::Map(files)) = a.first() else {
                return Ok(s(""));
            };
            let by_base = files.iter().map(|(k, v)| {
                let base = k.rsplit('/').next().unwrap_or(k).to_string();
                let text = v.as_str().unwrap_or("").to_string();
                let text = if encode { functions::encoding::b64enc(&text) } else { text };
                (base, s(text))
            });
            Ok(s(functions::yaml::to_yaml(&map_of(by_base)).trim_end_matches('\n')))
        });
    }
    add(m, "__apiVersionsHas", |a| {
        let name = arg_str(a, 1)?;
        Ok(Value::Bool(matches!(a.first(), Some(Value::List(l)) if l.iter().any(|v| v.as_str() == Some(name)))))
    });
    // `required MESSAGE VALUE`: fails on a missing value or "".
    add(m, "required", |a| {
        arity("required", a, 2)?;
        let warn = arg_str(a, 0)?;
        match &a[1] {
            Value::Nil => Err(fail(format!("HELM[{warn}]HELM"))),
            Value::String(t) if t.is_empty() => Err(fail(format!("HELM[{warn}]HELM"))),
            v => Ok(v.clone()),
        }
    });
    add(m, "fail", |a| {
        arity("fail", a, 1)?;
        Err(fail(format!("HELM[{}]HELM", arg_str(a, 0)?)))
    });
    // `helm template` has no cluster: lookup finds nothing.
    add(m, "lookup", |a| {
        arity("lookup", a, 4)?;
        Ok(map_of([]))
    });
    let st = state.clone();
    add(m, "include", move |a| {
        arity("include", a, 2)?;
        let name = arg_str(a, 0)?.to_string();
        let master = {
            let mut g = lock(&st);
            g.check_stack()?;
            if g.include_depth >= MAX_INCLUDE_DEPTH {
                return Err(fail(format!(
                    "rendering template has a nested reference name: {name}: unable to execute template (the lab \
                     nests include and tpl at most {MAX_INCLUDE_DEPTH} deep: the page's stack would not hold Helm's 1000)"
                )));
            }
            let Some(entry) = g.entries.get(&name).copied() else {
                return Err(fail(format!("template: no template {name:?} associated with template \"gotpl\"")));
            };
            g.include_depth += 1;
            g.frames.push(entry);
            g.failed_call = None;
            g.master.clone()
        };
        let Some(master) = master else {
            return Err(fail("include outside a render"));
        };
        let result = master.execute_template_to_string(&name, &a[1]);
        let mut g = lock(&st);
        g.include_depth -= 1;
        let frame = g.frames.pop().unwrap_or(0);
        match result {
            Ok(text) => Ok(s(text)),
            Err(e) => Err(fail(describe(&mut g, frame, &e))),
        }
    });
    let st = state.clone();
    add(m, "tpl", move |a| {
        arity("tpl", a, 2)?;
        let text = arg_str(a, 0)?.to_string();
        let (master, current, key) = {
            let mut g = lock(&st);
            g.check_stack()?;
            if g.include_depth >= MAX_INCLUDE_DEPTH {
                return Err(fail(format!(
                    "tpl nests more than {MAX_INCLUDE_DEPTH} deep (with include); the lab stops there, as the page's stack \
                     would not hold much more (does a value's template call tpl on itself?)"
                )));
            }
            g.include_depth += 1;
            g.tpl_count += 1;
            let current =
                g.frames.last().and_then(|f| g.positions.get(*f)).map(|p| p.file.to_string()).unwrap_or_default();
            (g.master.clone(), current, format!("__tpl{}", g.tpl_count))
        };
        let Some(master) = master else {
            return Err(fail("tpl outside a render"));
        };
        let wrap = |msg: String| {
            fail(format!("error during tpl function execution for {}: {msg}", go_quote(&crate::limits::quoted(&text))))
        };
        let parsed = parse_instrumented(&st, &current, &text, &current, &key);
        let (tree, defines) = match parsed {
            Ok(p) => p,
            Err((line, _, msg)) => {
                lock(&st).include_depth -= 1;
                return Err(wrap(format!("template: {current}:{line}: {msg}")));
            }
        };
        let mut t = (*master).clone().add_parse_tree(&key, tree);
        for (name, body) in defines {
            t = t.add_parse_tree(&name, body);
        }
        {
            let mut g = lock(&st);
            let entry = g.entries.get(&key).copied().unwrap_or(0);
            g.frames.push(entry);
            g.failed_call = None;
        }
        let result = t.execute_template_to_string(&key, &a[1]);
        let mut g = lock(&st);
        g.include_depth -= 1;
        let frame = g.frames.pop().unwrap_or(0);
        match result {
            Ok(out) => Ok(s(out.replace("<no value>", ""))),
            Err(e) => {
                let msg = describe(&mut g, frame, &e);
                Err(wrap(msg))
            }
        }
    });
}
