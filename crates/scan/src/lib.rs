//! stemma-scan
