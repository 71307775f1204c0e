//! The paste's limits; they live with every other limit in [`crate::limits`].

pub use crate::limits::{
    MAX_ANNOTATIONS_BYTES, MAX_DUPLICATES_REPORTED, MAX_LINE_SEARCHES, MAX_NODES, MAX_PASTE_BYTES, MAX_RECOVERY_BYTES,
    MAX_YAML_DEPTH,
};
