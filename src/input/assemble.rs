//! The builder every reader feeds: it owns the release being built, the shared node budget,
//! and turns positions inside a document into diagnostics on the whole paste.

use std::cell::Cell;
use std::rc::Rc;

use crate::model::{Diagnostic, Release};

use super::documents::{self, Document};
use super::duplicate_keys::{path_text, ReadContext};
use super::limits;
use super::position::Paste;

pub struct Builder<'p> {
    pub paste: &'p Paste<'p>,
    pub ctx: ReadContext,
    pub release: Release,
    /// Documents that were mappings without `apiVersion`/`kind` (values, or broken objects).
    pub plain_documents: Vec<(yaml_serde::Value, usize)>,
    /// Set once the node budget ran out: the rest of the paste is not read.
    pub stopped: bool,
    /// Line searches left (see `objects::Place`).
    pub searches: Rc<Cell<usize>>,
}

impl<'p> Builder<'p> {
    pub fn new(paste: &'p Paste<'p>) -> Self {
        Self {
            paste,
            ctx: ReadContext::with_budget(limits::MAX_NODES),
            release: Release::default(),
            plain_documents: Vec::new(),
            stopped: false,
            searches: Rc::new(Cell::new(limits::MAX_LINE_SEARCHES)),
        }
    }

    /// An error at a paste line and a column of the normalised line.
    pub fn error(&mut self, line: usize, column: usize, message: impl Into<String>) {
        let d = Diagnostic::error(line, self.paste.column(column), message);
        self.push(d);
    }

    pub fn warning(&mut self, line: usize, column: usize, message: impl Into<String>) {
        let d = Diagnostic::warning(line, self.paste.column(column), message);
        self.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        let snippet = self.paste.line(d.line);
        let d = if snippet.trim().is_empty() {
            d
        } else {
            d.with_snippet(format!("{}{}", " ".repeat(self.paste.indent), snippet))
        };
        // The same fault reached twice (a retried document) comes back-to-back.
        if !self.release.diagnostics.iter().rev().take(8).any(|e| *e == d) {
            self.release.diagnostics.push(d);
        }
    }

    /// Reads one document, reporting its syntax error and duplicate keys; returns its values.
    pub fn read_document(&mut self, doc: &Document) -> Vec<yaml_serde::Value> {
        if self.stopped || doc.is_blank() {
            return Vec::new();
        }
        let read = documents::read(doc, &self.ctx);
        for (path, line, column) in read.duplicates {
            self.warning(
                line,
                column,
                format!(
                    "duplicate key `{}`: the later one wins (as with kubectl); strict YAML parsers reject this",
                    path_text(&path)
                ),
            );
        }
        if let Some(fault) = read.fault {
            let note = if read.values.is_empty() {
                ""
            } else {
                " — the rest of this document was read without the offending line"
            };
            self.error(fault.line, fault.column, format!("{}{note}", fault.message));
            if fault.exhausted {
                self.stopped = true;
            }
        }
        read.values
    }
}
