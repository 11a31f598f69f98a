//! `stemma dedup`.

/// Arguments of `stemma dedup`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `stemma dedup`; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`stemma dedup` is not built yet")
}
