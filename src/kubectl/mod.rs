//! kubectl: see issue #4.
