//! shingle (to be written).
