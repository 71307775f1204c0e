//! engine: see issue #4.
