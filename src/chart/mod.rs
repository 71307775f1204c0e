//! chart: see issue #6.
