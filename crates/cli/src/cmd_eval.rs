//! `stemma eval`.

/// Arguments of `stemma eval`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `stemma eval`; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`stemma eval` is not built yet")
}
