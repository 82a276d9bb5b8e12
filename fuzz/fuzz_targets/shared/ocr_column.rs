//! OCR lines of a card's printed side for the comparison stages: one under the other, as wide
//! as their text, read with full confidence.

use verifyd_engine::ocr::{Quad, TextLine};

pub fn column(text: &str) -> Vec<TextLine> {
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            let top = 30.0 * index as f32;
            let width = 12.0 * line.chars().count().max(1) as f32;
            TextLine {
                text: line.to_owned(),
                confidence: 0.99,
                quad: Quad([
                    [0.0, top],
                    [width, top],
                    [width, top + 20.0],
                    [0.0, top + 20.0],
                ]),
            }
        })
        .collect()
}
