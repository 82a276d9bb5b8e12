//! Greedy CTC decoding restricted to the MRZ alphabet. The recogniser's dictionary has
//! thousands of classes, and for one OCR-B glyph it spreads its probability over look-alikes
//! ('Y', 'y', full-width 'Ｙ'): the blank can then win and the character is dropped. Summing
//! the look-alikes of each MRZ character first keeps it. And the filler '<', frequent in an
//! MRZ but rare in the text the model learned from, loses to 'K' on a blurred photo unless its
//! probability is weighted up.

use ndarray::ArrayView2;

use super::recognise::Dictionary;

/// How much more a filler is believed than the model says; measured on blurred renders, where
/// fillers came out as K.
const FILLER_WEIGHT: f32 = 3.0;
/// The MRZ alphabet: the index of '<' is the last.
const ALPHABET: &[u8; 37] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
const FILLER: usize = 36;

/// The MRZ character a recogniser class stands for, if any.
fn mrz_index(class: &str) -> Option<usize> {
    let mut chars = class.chars();
    let character = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let character = match u32::from(character) {
        0xFF01..=0xFF5E => char::from_u32(u32::from(character) - 0xFEE0)?,
        _ => character,
    };
    let byte = match character {
        'A'..='Z' | '0'..='9' | '<' => u8::try_from(character).ok()?,
        'a'..='z' => u8::try_from(character.to_ascii_uppercase()).ok()?,
        '×' => b'X',
        '«' | '‹' | '〈' => b'<',
        _ => return None,
    };
    ALPHABET.iter().position(|&a| a == byte)
}

/// For each recogniser class, the MRZ character it counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MrzClasses(Vec<Option<usize>>);

impl MrzClasses {
    pub fn new(dictionary: &Dictionary) -> Self {
        MrzClasses(dictionary.classes().iter().map(|c| mrz_index(c)).collect())
    }
}

/// The line as MRZ characters, and the mean probability of those kept.
pub(super) fn decode(probabilities: ArrayView2<f32>, classes: &MrzClasses) -> (String, f32) {
    let mut text = String::new();
    let (mut sum, mut count) = (0.0_f32, 0_u32);
    let mut previous: Option<usize> = None;
    for column in probabilities.rows() {
        let mut scores = [0.0_f32; 37];
        let mut blank = 0.0_f32;
        for (class, probability) in column.iter().enumerate() {
            if class == 0 {
                blank = *probability;
            } else if let Some(Some(index)) = classes.0.get(class) {
                if let Some(score) = scores.get_mut(*index) {
                    *score += probability;
                }
            }
        }
        let weighted = |index: usize, score: f32| {
            if index == FILLER {
                score * FILLER_WEIGHT
            } else {
                score
            }
        };
        let best = scores
            .iter()
            .enumerate()
            .map(|(index, score)| (index, weighted(index, *score), *score))
            .fold((None, blank, blank), |best, (index, weight, score)| {
                if weight > best.1 {
                    (Some(index), weight, score)
                } else {
                    best
                }
            });
        let (chosen, _, probability) = best;
        if let Some(index) = chosen {
            if previous != Some(index) {
                if let Some(&byte) = ALPHABET.get(index) {
                    text.push(char::from(byte));
                    sum += probability.min(1.0);
                    count += 1;
                }
            }
        }
        previous = chosen;
    }
    let confidence = if count == 0 { 0.0 } else { sum / count as f32 };
    (text, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn sums_look_alikes_and_weights_fillers() {
        let dictionary = Dictionary::from_lines(&["Y", "y", "Ｙ", "丫", "K", "<"]);
        let classes = MrzClasses::new(&dictionary);
        // Classes: 0 blank, 1 Y, 2 y, 3 Ｙ, 4 丫, 5 K, 6 <, 7 space.
        let columns = [
            // Y split three ways, each below the blank, together above it.
            [0.3, 0.2, 0.15, 0.15, 0.2, 0.0, 0.0, 0.0],
            [0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1],
            // A blurred filler: K first, '<' close behind.
            [0.1, 0.0, 0.0, 0.0, 0.0, 0.5, 0.4, 0.0],
            [0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1],
            // A clear K stays a K.
            [0.05, 0.0, 0.0, 0.0, 0.0, 0.9, 0.05, 0.0],
        ];
        let mut probabilities = Array2::<f32>::zeros((columns.len(), 8));
        for (row, column) in columns.iter().enumerate() {
            for (class, value) in column.iter().enumerate() {
                probabilities[[row, class]] = *value;
            }
        }
        let (text, _) = decode(probabilities.view(), &classes);
        assert_eq!(text, "Y<K");
    }
}
