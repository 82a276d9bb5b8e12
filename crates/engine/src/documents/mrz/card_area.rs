//! How much document surrounds an ID card's MRZ, in cards: a scan of both sides of a card on one
//! page shows two cards' worth, a photo of one side one.

use image::RgbImage;

use super::{MrzFormat, MrzReading};
use crate::documents::locate::locate;

/// ICAO 9303's ID-1 card, 85.60 x 53.98 mm, with 30 characters at 2.54 mm to an MRZ line.
const CARD_WIDTH_MM: f32 = 85.60;
const CARD_HEIGHT_MM: f32 = 53.98;
const TD1_LINE_MM: f32 = 30.0 * 2.54;

/// The area of the document located on `image` divided by the area of the TD1 card whose MRZ
/// `reading` is (its line's length fixes the card's size in pixels, whatever the scan's
/// resolution). None for other formats: a passport page is not a card with two sides.
pub fn card_areas(image: &RgbImage, reading: &MrzReading) -> Option<f32> {
    if reading.mrz.format != MrzFormat::Td1 {
        return None;
    }
    let line = reading.zone.width();
    if line <= 0.0 {
        return None;
    }
    let card_width = line * CARD_WIDTH_MM / TD1_LINE_MM;
    let card_area = card_width * card_width * CARD_HEIGHT_MM / CARD_WIDTH_MM;
    Some(locate(image).area() / card_area)
}
