//! stemma-eval
