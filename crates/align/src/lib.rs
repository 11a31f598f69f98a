//! stemma-align
