//! Where a caption's value is printed: under it (ICAO's layout) or after it on its baseline
//! (most licences). The detector cuts a line at wide spaces, so a value is also gathered from
//! the boxes that continue it.

use crate::ocr::TextLine;

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// `point - from`, along `line`'s direction and down from it, in units of `unit` pixels.
fn offset(line: &TextLine, from: [f32; 2], point: [f32; 2], unit: f32) -> (f32, f32) {
    let direction = line.quad.direction();
    let down = [-direction[1], direction[0]];
    let offset = [point[0] - from[0], point[1] - from[1]];
    (dot(offset, direction) / unit, dot(offset, down) / unit)
}

/// Whether `line` reads the way `caption` does: a box the recogniser read another way round
/// (a stray mark, another card) is no continuation of it. A box about as tall as wide (one
/// glyph: a surname "O") has no direction of its own to tell.
fn reads_along(caption: &TextLine, line: &TextLine) -> bool {
    let square = line.quad.width() < 1.5 * line.quad.height();
    !std::ptr::eq(caption, line)
        && (square || dot(caption.quad.direction(), line.quad.direction()) > 0.9)
}

/// `first` with the boxes that continue it on its line, no further apart than four of
/// `caption`'s heights. The confidence is the lowest of the boxes'.
pub(super) fn with_continuation(
    caption: &TextLine,
    first: &TextLine,
    lines: &[TextLine],
) -> (String, f32) {
    let height = caption.quad.height().max(1.0);
    let mut rest: Vec<(f32, &TextLine)> = lines
        .iter()
        .filter_map(|line| {
            let (along, below) = offset(caption, first.quad.0[0], line.quad.0[0], height);
            (along > 0.0 && below.abs() < 0.5 && reads_along(first, line)).then_some((along, line))
        })
        .collect();
    rest.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut text = first.text.trim().to_owned();
    let mut confidence = first.confidence;
    let mut end = first.quad.0[1];
    for (_, line) in rest {
        let (gap, _) = offset(caption, end, line.quad.0[0], height);
        if gap > 4.0 {
            break;
        }
        text.push(' ');
        text.push_str(line.text.trim());
        confidence = confidence.min(line.confidence);
        end = line.quad.0[1];
    }
    (text, confidence)
}

/// The text printed under `caption`: the line starting about where it starts, at most three
/// caption heights below, unless that line is another field's caption (`is_caption`): the
/// value was not read.
pub(super) fn value_under(
    caption: &TextLine,
    lines: &[TextLine],
    is_caption: impl Fn(&str) -> bool,
) -> Option<(String, f32)> {
    let height = caption.quad.height().max(1.0);
    let start = caption.quad.0[0];
    let first = lines
        .iter()
        .filter(|line| reads_along(caption, line))
        .filter_map(|line| {
            let (along, below) = offset(caption, start, line.quad.0[0], height);
            (below > 0.5 && below < 3.5 && along.abs() < 2.0).then_some((below, line))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, line)| line)
        .filter(|line| !is_caption(&line.text))?;
    Some(with_continuation(caption, first, lines))
}

/// The text printed after `caption` on its baseline, within four of its heights of its end. A
/// caption is smaller than its value: their boxes share the bottom edge, not the top.
pub(super) fn value_beside(caption: &TextLine, lines: &[TextLine]) -> Option<(String, f32)> {
    let end = caption.quad.0[2];
    let unit = caption.quad.height().max(1.0);
    let first = lines
        .iter()
        .filter(|line| reads_along(caption, line))
        .filter_map(|line| {
            let (along, below) = offset(caption, end, line.quad.0[3], unit);
            (along > -0.5 && along < 4.0 && below.abs() < 0.5).then_some((along, line))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, line)| line)?;
    Some(with_continuation(caption, first, lines))
}
