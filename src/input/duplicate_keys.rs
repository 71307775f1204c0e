//! Reading YAML and JSON into `yaml_serde::Value` while tolerating duplicate keys.
//!
//! `yaml_serde::Value` rejects a mapping with a repeated key, but PyYAML, `kubectl` and the API
//! server's decoder all keep the last one, and real manifests (argo-cd's test data, hand-merged
//! files) do repeat keys. So this seed keeps the last value, records where each duplicate was,
//! and lets the caller warn at the second key's line.
//!
//! It also counts every node it builds: aliases are expanded by replaying events, so a "billion
//! laughs" document of a few lines would otherwise build billions of nodes. Stopping at a budget
//! keeps every paste bounded in time and memory.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use yaml_serde::value::{Tag, TaggedValue};
use yaml_serde::{Mapping, Number, Value};

use super::locate::Segment;

/// What a lenient read found besides the value.
#[derive(Debug, Default)]
pub struct ReadContext {
    path: RefCell<Vec<Segment>>,
    /// Each duplicated key's path and which occurrence (1 = the second copy) it was.
    pub duplicates: RefCell<Vec<(Vec<Segment>, usize)>>,
    budget: Cell<usize>,
    /// Set when the node budget ran out (the error is then about size, not syntax).
    pub exhausted: Cell<bool>,
}

impl ReadContext {
    pub fn with_budget(nodes: usize) -> Self {
        Self { budget: Cell::new(nodes), ..Self::default() }
    }

    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => {
                self.exhausted.set(true);
                Err(E::custom("node budget exhausted"))
            }
        }
    }
}

/// Deserializes one value with duplicate keys tolerated (last wins).
pub struct Lenient<'c>(pub &'c ReadContext);

impl<'de> DeserializeSeed<'de> for Lenient<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(Number::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut out = Vec::new();
        loop {
            self.0.path.borrow_mut().push(Segment::Index(out.len()));
            let next = seq.next_element_seed(Lenient(self.0));
            self.0.path.borrow_mut().pop();
            match next? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Sequence(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut out = Mapping::new();
        // Copies seen of each repeated key. The mapping itself answers "seen before?" in constant
        // time: a list searched for every key made 95,000 annotations take 17 s.
        let mut repeats: std::collections::HashMap<Value, usize> = std::collections::HashMap::new();
        while let Some(key) = map.next_key_seed(Lenient(self.0))? {
            let segment = Segment::Key(key_text(&key));
            self.0.path.borrow_mut().push(segment);
            let value = map.next_value_seed(Lenient(self.0));
            // The path is copied for a repeated key only: a copy per key was a third of the
            // allocations of a paste of 95,000 annotations.
            if value.is_ok() && out.contains_key(&key) {
                let path = self.0.path.borrow().clone();
                let count = repeats.entry(key.clone()).or_insert(1);
                *count += 1;
                self.0.duplicates.borrow_mut().push((path, *count - 1));
            }
            self.0.path.borrow_mut().pop();
            let value = value?;
            // Last wins, as in PyYAML and the API server's decoder.
            out.insert(key, value);
        }
        Ok(Value::Mapping(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // yaml_serde hands a `!tag value` over as an enum whose variant is the tag.
        let (tag, variant): (String, _) = data.variant()?;
        let value = variant.newtype_variant_seed(Lenient(self.0))?;
        if tag.is_empty() {
            return Ok(value);
        }
        Ok(Value::Tagged(Box::new(TaggedValue { tag: Tag::new(tag), value })))
    }
}

/// A key as text, for paths and messages.
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => yaml_serde::to_string(other).map(|s| s.trim().to_string()).unwrap_or_default(),
    }
}

/// Joins a path for messages: `spec.updateStrategy`, `items[2].metadata`.
pub fn path_text(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Value, ReadContext) {
        let ctx = ReadContext::with_budget(10_000);
        let de = yaml_serde::Deserializer::from_str(text);
        let v = Lenient(&ctx).deserialize(de).unwrap();
        (v, ctx)
    }

    #[test]
    fn duplicate_key_keeps_the_last_value_like_kubectl() {
        let (v, ctx) = read("spec:\n  a: 1\n  a: 2\n");
        assert_eq!(v["spec"]["a"], Value::Number(2.into()));
        let dups = ctx.duplicates.borrow();
        assert_eq!(dups.len(), 1);
        assert_eq!(path_text(&dups[0].0), "spec.a");
    }

    #[test]
    fn alias_expansion_stops_at_the_node_budget() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
        let ctx = ReadContext::with_budget(1_000);
        let de = yaml_serde::Deserializer::from_str(bomb);
        assert!(Lenient(&ctx).deserialize(de).is_err());
        assert!(ctx.exhausted.get());
    }
}
