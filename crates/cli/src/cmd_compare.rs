//! `stemma compare`.

/// Arguments of `stemma compare`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `stemma compare`; returns the process exit code.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    anyhow::bail!("`stemma compare` is not built yet")
}
