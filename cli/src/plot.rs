//! The log-log predicted-vs-measured scatter plot of `ttperf eval --plot`.

use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// One answered row: its OP CODE, measured and predicted ns, and whether the op's own model
/// answered it (else the fallback).
pub struct Point<'a> {
    pub op_code: &'a str,
    pub measured: f64,
    pub predicted: f64,
    pub modeled: bool,
}

/// Writes an SVG: one point per modeled row (filled) or fallback row (hollow), coloured by
/// OP CODE (legend on the right), with the y = x diagonal and the ±25% band. Points that are
/// not positive on both axes are left out (a log scale has no place for them).
pub fn scatter(path: &Path, points: &[Point<'_>]) -> anyhow::Result<()> {
    let points: Vec<(&str, f64, f64, bool)> = points
        .iter()
        .map(|p| (p.op_code, p.measured, p.predicted, p.modeled))
        .filter(|(_, m, p, _)| *m > 0.0 && *p > 0.0)
        .collect();
    let (lo, hi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, m, p, _)| {
            (lo.min(m.min(*p)), hi.max(m.max(*p)))
        });
    let (lo, hi) = if points.is_empty() {
        (1.0, 10.0)
    } else {
        (lo / 1.5, hi * 1.5)
    };

    let root = SVGBackend::new(path, (1200, 800)).into_drawing_area();
    root.fill(&WHITE)?;
    let (plot_area, legend_area) = root.split_horizontally(820);
    let mut chart = ChartBuilder::on(&plot_area)
        .caption(
            "predicted vs measured device kernel duration",
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d((lo..hi).log_scale(), (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("measured")
        .y_desc("predicted")
        .x_label_formatter(&|v| duration(*v))
        .y_label_formatter(&|v| duration(*v))
        .draw()?;
    let band = BLACK.mix(0.3).stroke_width(1);
    for (factor, style) in [(1.0, BLACK.stroke_width(1)), (1.25, band), (0.75, band)] {
        chart.draw_series(LineSeries::new(
            [(lo, lo * factor), (hi, hi * factor)],
            style,
        ))?;
    }
    let mut ops: BTreeMap<&str, Vec<(f64, f64, bool)>> = BTreeMap::new();
    for (op, m, p, modeled) in points {
        ops.entry(op).or_default().push((m, p, modeled));
    }
    let text = ("sans-serif", 12).into_font();
    legend_area.draw(&Text::new(
        "filled: op model, hollow: fallback",
        (5, 20),
        text.clone(),
    ))?;
    for (i, (op, pts)) in ops.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart.draw_series(pts.iter().map(|&(m, p, modeled)| {
            let style = if modeled {
                color.filled()
            } else {
                color.stroke_width(1)
            };
            Circle::new((m, p), 3, style)
        }))?;
        let y = 45 + 17 * i as i32;
        legend_area.draw(&Circle::new((12, y), 4, color.filled()))?;
        legend_area.draw(&Text::new(op.to_string(), (22, y - 6), text.clone()))?;
    }
    root.present()?;
    Ok(())
}

/// Axis label of a duration in ns: `800 ns`, `12 us`, `3 ms`.
fn duration(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{} us", ns / 1e3)
    } else {
        format!("{ns} ns")
    }
}
