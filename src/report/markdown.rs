//! `--format markdown`: for forum posts and tickets.

use super::{RenderOptions, Report};

pub fn render(r: &Report, opts: RenderOptions) -> String {
    format!("```\n{}```\n", super::text::render(r, opts))
}
