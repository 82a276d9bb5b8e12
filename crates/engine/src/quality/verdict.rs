use image::{DynamicImage, GenericImageView};

use super::measure::{downscaled_rgb, measure, QualityMeasures};
use crate::documents::locate::{locate, rectify, Located};

/// Limits for [`assess`]. Sharpness, exposure and colour are judged on the downscaled copy that
/// [`measure`] works on, so they do not depend on the camera's resolution; only
/// `min_longest_side` is about the original.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityThresholds {
    /// A document photo whose longest side is under this cannot be read.
    pub min_longest_side: u32,
    /// Under this Laplacian variance the image is blurred.
    pub min_sharpness: f32,
    /// Under this mean luma the image is too dark.
    pub min_mean_luma: f32,
    /// Over this mean luma the image is overexposed.
    pub max_mean_luma: f32,
    /// Over this share of clipped pixels a reflection hides part of the document.
    pub max_bright_fraction: f32,
    /// At or under this colourfulness the image is a greyscale copy, not a colour photo.
    pub max_colourfulness_for_black_white: f32,
}

/// Calibrated on the synthetic 1200x760 card of the tests (light textured background, blue
/// band, portrait, 22-24 px lines of 2-4 px strokes) and copies of it degraded one way each;
/// measured on the 1024x649 copy that [`measure`] makes. Figures clean vs degraded:
///
/// - `min_sharpness` 100: clean 2459; Gaussian blur sigma 1: 450, 1.5: 157 (strokes still
///   apart), 2: 46 (strokes merged), 3: 5.7, 4: 1.9, 8: 0.76. The threshold falls between
///   1.5 and 2, where the text stops being legible, 25x under clean and 50x over sigma 4.
///   Beware that pixel noise reads as detail: uniform grey with +-5 noise measures 200.
/// - `min_mean_luma` 50: clean 175.6, channels x0.15: 26.3 (x0.3: 52.6, dim but readable,
///   passes).
/// - `max_mean_luma` 230: clean 175.6, +200 clipped: 252.0; the glare copy (35% white) is
///   195.5 and must stay under, so that it is reported as glare rather than overexposure.
/// - `max_bright_fraction` 0.15: clean 0.000, glare copy 0.349 (+200 copy 0.909, already
///   too bright). Small specular spots from holograms stay well under 15%.
/// - `max_colourfulness_for_black_white` 8: clean 60.0, card desaturated to 25%: 15.2;
///   greyscale copy 0.0, greyscale copy under a warm cast (R+10, B-10): 5.4. The threshold
///   sits between a faded card and a photocopy under tinted light.
/// - `min_longest_side` 600, on the located document (not the frame): the 400x253 copy is
///   refused; the card at 1200 passes. Under 600 px a TD3 page (125 mm) has capitals of about
///   11 px; the real scans of `../shared/real-documents` are 300-600 px, and the engine reads
///   most of them, so this is no gate: the domain lets a document that reads pass, and names
///   TOO_SMALL only to explain one that does not.
///
/// On the 20 real MRZ scans of `../shared/real-documents` (`verifyd inspect --explain`,
/// measured on the located document): sharpness 526-8568 (none BLURRED), mean luma 158-214
/// (none dark or bright; the UTOPIA render on white 231.5, TOO_BRIGHT), colourfulness
/// 12.6-63.3 (the palest, the Ukrainian passport, stays over the 8 of `BLACK_WHITE`; a
/// greyscale copy measures 0), clipped share 0.000-0.251: three pale cards (DEU 0.163, MCO
/// 0.237, UKR 0.251) exceed 0.15 with their own white print, not glare. Share of clipped
/// pixels cannot tell white paper from a reflection; those three read, and a document that
/// reads is not refused, so GLARE only explains a document that does not.
impl Default for QualityThresholds {
    fn default() -> Self {
        Self {
            min_longest_side: 600,
            min_sharpness: 100.0,
            min_mean_luma: 50.0,
            max_mean_luma: 230.0,
            max_bright_fraction: 0.15,
            max_colourfulness_for_black_white: 8.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityIssue {
    TooSmall,
    Blurred,
    TooDark,
    TooBright,
    Glare,
    BlackWhite,
}

impl QualityIssue {
    /// The reason as the usability capability's `data` names it, so that the user (and the
    /// web client) can tell what to fix: `{"reasons": ["GLARE"]}`.
    pub fn reason(self) -> &'static str {
        match self {
            QualityIssue::TooSmall => "TOO_SMALL",
            QualityIssue::Blurred => "BLURRED",
            QualityIssue::TooDark => "TOO_DARK",
            QualityIssue::TooBright => "TOO_BRIGHT",
            QualityIssue::Glare => "GLARE",
            QualityIssue::BlackWhite => "BLACK_WHITE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QualityAssessment {
    /// Measured on the located document, not the whole frame; `width` and `height` are the
    /// document's, in the original image's pixels.
    pub measures: QualityMeasures,
    /// Where the document was found, on the copy measured (at most 1024 px).
    pub located: Located,
    /// Empty when usable. Ordered by severity: TooSmall, TooDark, TooBright, Blurred, Glare,
    /// BlackWhite.
    pub issues: Vec<QualityIssue>,
}

/// Measures the document on `image` and judges the measures against `thresholds`.
///
/// The document is located first ([`locate`]) and measured alone: the white bed around a
/// scanned card is not glare, a dark table around a photographed one is not under-exposure,
/// and a card filling a tenth of a large photo is small however large the photo.
pub fn assess(image: &DynamicImage, thresholds: &QualityThresholds) -> QualityAssessment {
    let copy = downscaled_rgb(image);
    let located = locate(&copy);
    let document = rectify(&copy, &located, u32::MAX);
    let mut measures = measure(&DynamicImage::ImageRgb8(document));
    // Back to the original's pixels: the copy is the original shrunk to at most 1024 px.
    let (width, height) = image.dimensions();
    let scale = width.max(height) as f32 / copy.width().max(copy.height()).max(1) as f32;
    measures.width = (measures.width as f32 * scale).round() as u32;
    measures.height = (measures.height as f32 * scale).round() as u32;
    QualityAssessment {
        issues: issues(&measures, thresholds),
        measures,
        located,
    }
}

/// When the exposure is wrong, blur, glare and colour are not judged: dimming or clipping an
/// image shrinks its contrast and its colour with it (a sharp colour card darkened to 15%
/// measures sharpness 57 and colourfulness 8.9), so they would be reported as consequences,
/// and the user has to retake the photo anyway.
fn issues(measures: &QualityMeasures, thresholds: &QualityThresholds) -> Vec<QualityIssue> {
    let mut issues = Vec::new();
    if measures.width.max(measures.height) < thresholds.min_longest_side {
        issues.push(QualityIssue::TooSmall);
    }
    let too_dark = measures.mean_luma < thresholds.min_mean_luma;
    let too_bright = measures.mean_luma > thresholds.max_mean_luma;
    if too_dark {
        issues.push(QualityIssue::TooDark);
    }
    if too_bright {
        issues.push(QualityIssue::TooBright);
    }
    if too_dark || too_bright {
        return issues;
    }
    if measures.sharpness < thresholds.min_sharpness {
        issues.push(QualityIssue::Blurred);
    }
    if measures.bright_fraction > thresholds.max_bright_fraction {
        issues.push(QualityIssue::Glare);
    }
    if measures.colourfulness <= thresholds.max_colourfulness_for_black_white {
        issues.push(QualityIssue::BlackWhite);
    }
    issues
}

#[cfg(test)]
mod tests {
    use image::{Rgb, RgbImage};

    use super::super::test_images::{blurred, card, greyscale, raised, scaled, small, with_glare};
    use super::*;
    use QualityIssue::*;

    fn issues_of(image: RgbImage) -> Vec<QualityIssue> {
        assess(
            &DynamicImage::ImageRgb8(image),
            &QualityThresholds::default(),
        )
        .issues
    }

    #[test]
    fn the_clean_card_is_usable() {
        let assessment = assess(
            &DynamicImage::ImageRgb8(card()),
            &QualityThresholds::default(),
        );
        assert!(assessment.issues.is_empty(), "{assessment:?}");
    }

    #[test]
    fn each_degraded_copy_has_its_issue() {
        let card = card();
        assert_eq!(issues_of(blurred(&card, 4.0)), vec![Blurred]);
        assert_eq!(issues_of(blurred(&card, 8.0)), vec![Blurred]);
        assert_eq!(issues_of(scaled(&card, 0.15)), vec![TooDark]);
        assert_eq!(issues_of(raised(&card, 200)), vec![TooBright]);
        assert_eq!(issues_of(with_glare(&card)), vec![Glare]);
        assert_eq!(issues_of(greyscale(&card)), vec![BlackWhite]);
        assert_eq!(issues_of(small(&card)), vec![TooSmall]);
    }

    #[test]
    fn issues_are_ordered_by_severity() {
        // Small, blurred and greyscale at once.
        let card = card();
        let image = small(&greyscale(&blurred(&card, 8.0)));
        assert_eq!(issues_of(image), vec![TooSmall, Blurred, BlackWhite]);
    }

    #[test]
    fn a_faded_card_is_colour_and_a_tinted_photocopy_is_not() {
        let card = card();
        let grey = greyscale(&card);
        let mut faded = card.clone();
        for (pixel, grey_pixel) in faded.pixels_mut().zip(grey.pixels()) {
            for (channel, grey_channel) in pixel.0.iter_mut().zip(grey_pixel.0) {
                *channel = ((u16::from(*channel) + 3 * u16::from(grey_channel)) / 4) as u8;
            }
        }
        assert!(issues_of(faded).is_empty());
        let mut tinted = grey;
        for pixel in tinted.pixels_mut() {
            pixel.0[0] = pixel.0[0].saturating_add(10);
            pixel.0[2] = pixel.0[2].saturating_sub(10);
        }
        assert_eq!(issues_of(tinted), vec![BlackWhite]);
    }

    #[test]
    fn a_uniform_image_has_no_detail() {
        let grey = RgbImage::from_pixel(1000, 700, Rgb([128, 128, 128]));
        assert!(issues_of(grey).contains(&Blurred));
    }

    #[test]
    fn degenerate_images_are_judged_without_panicking() {
        let dot = RgbImage::from_pixel(1, 1, Rgb([200, 30, 30]));
        assert!(issues_of(dot).contains(&TooSmall));
        assert_eq!(issues_of(RgbImage::new(0, 0)), vec![TooSmall, TooDark]);
    }
}
