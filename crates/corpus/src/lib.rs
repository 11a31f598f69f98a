//! stemma-corpus
