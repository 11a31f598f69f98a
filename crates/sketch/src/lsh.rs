//! lsh (to be written).
