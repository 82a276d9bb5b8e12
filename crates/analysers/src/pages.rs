//! The engine's text reader behind the domain's `PageReader`: a Document Verification page
//! decoded within the upload limits and read with the OCR (PP-OCR detection and recognition),
//! on the blocking pool, in a slot of the process's one pool, within the job's time limit.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use verifyd_domain::analysers::{AnalysisError, PageReader};
use verifyd_engine::ocr::{TextLine, TextReader};
use verifyd_engine::upload::{decode_image, ImageLimits};

use crate::pool::CpuPool;

pub struct EnginePages {
    reader: Arc<TextReader>,
    limits: ImageLimits,
    timeout: Duration,
    pool: CpuPool,
}

impl EnginePages {
    pub fn new(
        reader: Arc<TextReader>,
        limits: ImageLimits,
        timeout: Duration,
        pool: CpuPool,
    ) -> Self {
        Self {
            reader,
            limits,
            timeout,
            pool,
        }
    }
}

#[async_trait]
impl PageReader for EnginePages {
    async fn read_page(&self, image: Bytes) -> Result<Vec<String>, AnalysisError> {
        let (reader, limits) = (self.reader.clone(), self.limits);
        self.pool
            .run(self.timeout, "page text", move || {
                let (_, picture) = decode_image(&image, &limits)
                    .map_err(|error| AnalysisError(error.to_string()))?;
                let lines = reader
                    .read_lines(&picture)
                    .map_err(|error| AnalysisError(error.to_string()))?;
                Ok(in_reading_order(lines))
            })
            .await
    }
}

/// Top to bottom, then left to right within a row: the detector's boxes come in no order a
/// reader would follow. Boxes whose tops are within half a line's height share a row.
fn in_reading_order(mut lines: Vec<TextLine>) -> Vec<String> {
    let top = |line: &TextLine| line.quad.0.iter().map(|p| p[1]).fold(f32::MAX, f32::min);
    let left = |line: &TextLine| line.quad.0.iter().map(|p| p[0]).fold(f32::MAX, f32::min);
    let height = |line: &TextLine| line.quad.height();
    lines.sort_by(|a, b| top(a).total_cmp(&top(b)));
    let mut rows: Vec<Vec<TextLine>> = Vec::new();
    for line in lines {
        match rows.last_mut() {
            Some(row)
                if row
                    .first()
                    .is_some_and(|first| (top(&line) - top(first)).abs() < height(first) / 2.0) =>
            {
                row.push(line)
            }
            _ => rows.push(vec![line]),
        }
    }
    rows.into_iter()
        .map(|mut row| {
            row.sort_by(|a, b| left(a).total_cmp(&left(b)));
            row.into_iter()
                .map(|line| line.text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use verifyd_engine::ocr::Quad;

    use super::*;

    fn line(text: &str, left: f32, top: f32) -> TextLine {
        let (right, bottom) = (left + 100.0, top + 20.0);
        TextLine {
            text: text.to_owned(),
            confidence: 0.9,
            quad: Quad([[left, top], [right, top], [right, bottom], [left, bottom]]),
        }
    }

    #[test]
    fn lines_are_read_top_to_bottom_and_a_row_left_to_right() {
        let read = in_reading_order(vec![
            line("DUE DATE:", 10.0, 100.0),
            line("MR JOHN SMITH", 10.0, 10.0),
            line("24 NOVEMBER 2026", 150.0, 104.0),
            line("12 EASY STREET", 10.0, 40.0),
        ]);
        assert_eq!(
            read,
            [
                "MR JOHN SMITH",
                "12 EASY STREET",
                "DUE DATE: 24 NOVEMBER 2026"
            ]
        );
    }
}
