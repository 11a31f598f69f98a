//! minhash (to be written).
