//! `stemma scan`.

/// Arguments of `stemma scan`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `stemma scan`; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`stemma scan` is not built yet")
}
