//! `stemma generate`.

/// Arguments of `stemma generate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `stemma generate`; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`stemma generate` is not built yet")
}
