//! scenario: see issue #4.
