//! The recogniser's input and output: a line crop in the network's layout, and the greedy CTC
//! decoding of the per-column character probabilities it returns.

use image::RgbImage;
use ndarray::{Array4, ArrayView2, ShapeError};

use super::tensor::bgr_batch;

/// The height PaddleOCR's recognisers (PP-OCRv4 to v6) are trained at.
pub(super) const HEIGHT: u32 = 48;
/// PaddleOCR pads narrower crops to this width; the recogniser reads short words better so.
const MIN_WIDTH: u32 = 320;

/// The characters the recogniser's classes stand for. Class 0 is CTC's blank, the dictionary
/// follows, and PaddleOCR appends a space as the last class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dictionary(Vec<String>);

impl Dictionary {
    /// From the dictionary's characters, in class order.
    pub fn from_lines(characters: &[&str]) -> Self {
        let mut classes = vec![String::new()];
        classes.extend(characters.iter().map(|c| (*c).to_owned()));
        classes.push(" ".to_owned());
        Dictionary(classes)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn classes(&self) -> &[String] {
        &self.0
    }
}

/// `crops`, already [`HEIGHT`] high, as one batch of BGR planes scaled to -1..1, padded on the
/// right with zeros (mid grey) to the widest of them and at least [`MIN_WIDTH`].
pub(super) fn prepare(crops: &[&RgbImage]) -> Result<Array4<f32>, ShapeError> {
    bgr_batch(crops, MIN_WIDTH)
}

/// The text and its confidence (the mean probability of the characters kept) from the
/// `time x classes` probabilities: the most likely class per column, repeats merged, blanks
/// dropped.
pub(super) fn decode(probabilities: ArrayView2<f32>, dictionary: &Dictionary) -> (String, f32) {
    let mut text = String::new();
    let (mut sum, mut count) = (0.0_f32, 0_u32);
    let mut previous = 0_usize;
    for column in probabilities.rows() {
        let (best, probability) = column.iter().copied().enumerate().fold(
            (0_usize, f32::NEG_INFINITY),
            |(best, max), (class, value)| {
                if value > max {
                    (class, value)
                } else {
                    (best, max)
                }
            },
        );
        if best != 0 && best != previous {
            if let Some(character) = dictionary.0.get(best) {
                text.push_str(character);
                sum += probability;
                count += 1;
            }
        }
        previous = best;
    }
    let confidence = if count == 0 { 0.0 } else { sum / count as f32 };
    (text, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn merges_repeats_and_drops_blanks() -> Result<(), ndarray::ShapeError> {
        let dictionary = Dictionary::from_lines(&["A", "B", "<"]);
        assert_eq!(dictionary.len(), 5);
        // Columns: A A blank A B < < space
        let classes = [1, 1, 0, 1, 2, 3, 3, 4];
        let mut probabilities = Array2::<f32>::zeros((classes.len(), dictionary.len()));
        for (row, class) in classes.iter().enumerate() {
            probabilities[[row, *class]] = 0.5;
        }
        let (text, confidence) = decode(probabilities.view(), &dictionary);
        assert_eq!(text, "AAB< ");
        assert!((confidence - 0.5).abs() < 1e-6);
        Ok(())
    }
}
