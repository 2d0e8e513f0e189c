//! `ttperf list` (not yet written).

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<(), Failure> {
    Err(Failure::data(anyhow::anyhow!("not yet written")))
}
