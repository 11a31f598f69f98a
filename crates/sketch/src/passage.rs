//! passage (to be written).
