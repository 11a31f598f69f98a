//! Comparing two documents: relation, alignment, direction and change report.
//!
//! The pure heart of stemma. No I/O, no global state, deterministic.

pub mod model;

pub use model::*;
