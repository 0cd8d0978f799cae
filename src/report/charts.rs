//! The report's charts, drawn by plotters into SVG strings that the page
//! holds inline (no image files, no scripts, no web fonts).

use anyhow::{anyhow, Result};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Tableau 10: distinct colors that stay apart for the common forms of colour blindness.
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(255, 157, 167),
    RGBColor(156, 117, 95),
    RGBColor(186, 176, 172),
];

const FONT: &str = "sans-serif";

fn draw_error(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("cannot draw a chart: {e}")
}

/// Text that may go to plotters, which escapes markup but not control characters.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Shortens a label to `max` characters, marking the cut.
pub fn shorten(s: &str, max: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= max {
        s
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Horizontal bars, largest on top: one `(label, value)` per bar.
pub fn bars(items: &[(String, u64)], color: RGBColor, axis: &str) -> Result<String> {
    let n = items.len().max(1);
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1) as f64;
    let labels: Vec<String> = items.iter().map(|(l, _)| shorten(l, 28)).collect();
    let height = 60 + 22 * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (560, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..max * 1.12, (0usize..n).into_segmented())
            .map_err(draw_error)?;
        // Row i from the top holds item i: segment n-1-i.
        let label_of = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(s) if *s < labels.len() => labels[labels.len() - 1 - s].clone(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&label_of)
            .y_label_style((FONT, 15))
            .x_labels((max as usize + 1).min(6))
            .x_label_formatter(&|x| format_count(*x))
            .x_desc(axis)
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(items.iter().enumerate().map(|(i, (_, v))| {
                let s = n - 1 - i;
                let mut bar = Rectangle::new(
                    [(0.0, SegmentValue::Exact(s)), (*v as f64, SegmentValue::Exact(s + 1))],
                    color.filled(),
                );
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(draw_error)?;
        // The value at the end of each bar, so that it can be read exactly.
        let style = TextStyle::from((FONT, 14).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(items.iter().enumerate().map(|(i, (_, v))| {
                Text::new(format!(" {v}"), (*v as f64, SegmentValue::CenterOf(n - 1 - i)), style.clone())
            }))
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

fn format_count(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The colour of an NPMI value: blue for −1, white for 0, red for +1.
pub fn npmi_color(v: f64) -> RGBColor {
    let t = v.clamp(-1.0, 1.0);
    let mix = |from: u8, to: u8, t: f64| (from as f64 + (to as f64 - from as f64) * t).round() as u8;
    if t >= 0.0 {
        RGBColor(mix(255, 178, t), mix(255, 24, t), mix(255, 43, t))
    } else {
        RGBColor(mix(255, 33, -t), mix(255, 102, -t), mix(255, 172, -t))
    }
}

/// A square heatmap: `cells[i][j]` is the value between item i and j
/// (`None`: never together), items labelled by `short` on the x axis and
/// `long` on the y axis, item 0 at the top left.
pub fn heatmap(short: &[String], long: &[String], cells: &[Vec<Option<f64>>]) -> Result<String> {
    let n = short.len().max(1);
    let cell = 22u32;
    let side = cell * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (side + 230, side + 70)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(50)
            .y_label_area_size(200)
            .build_cartesian_2d((0usize..n).into_segmented(), (0usize..n).into_segmented())
            .map_err(draw_error)?;
        let x_label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < short.len() => clean(&short[*i]),
            _ => String::new(),
        };
        let y_label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < long.len() => shorten(&long[long.len() - 1 - i], 26),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n)
            .y_labels(n)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_label_style(TextStyle::from((FONT, 13).into_font()).transform(FontTransform::Rotate90))
            .y_label_style((FONT, 14))
            .draw()
            .map_err(draw_error)?;
        let grey = RGBColor(225, 225, 225);
        let squares = cells.iter().enumerate().flat_map(|(i, row)| {
            row.iter().enumerate().map(move |(j, v)| {
                let (x, y) = (i, n - 1 - j);
                let color = if i == j { RGBColor(90, 90, 90) } else { v.map_or(grey, npmi_color) };
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    color.filled(),
                );
                r.set_margin(1, 1, 1, 1);
                r
            })
        });
        chart.draw_series(squares).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// Lines over the periods: one `(label, values per period)` per series.
pub fn lines(periods: &[String], series: &[(String, Vec<u64>)]) -> Result<String> {
    let np = periods.len().max(1);
    let max = series.iter().flat_map(|s| s.1.iter().copied()).max().unwrap_or(1).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(60)
            .build_cartesian_2d(0usize..np.saturating_sub(1).max(1), 0u64..max + max / 10 + 1)
            .map_err(draw_error)?;
        let label = |i: &usize| periods.get(*i).map(|p| clean(p)).unwrap_or_default();
        chart
            .configure_mesh()
            .x_labels(np.min(16))
            .x_label_formatter(&label)
            .x_label_style(TextStyle::from((FONT, 13).into_font()).transform(FontTransform::Rotate90))
            .y_desc("mentions")
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw_error)?;
        for (k, (name, values)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points: Vec<(usize, u64)> = values.iter().copied().enumerate().collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(draw_error)?
                .label(shorten(name, 30))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3)));
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled()))).map_err(draw_error)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FONT, 14))
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}
