//! The physical sizes of the documents that carry each MRZ format (ICAO 9303 parts 4 to 7).

use crate::documents::mrz::MrzFormat;

/// A document's size and what it is called on its face, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    pub title: &'static str,
}

/// The MRZ's character pitch: 10 characters per 25.4 mm (part 3, OCR-B size 1).
pub const PITCH_MM: f32 = 2.54;
/// Capital height of OCR-B size 1.
pub const CAP_HEIGHT_MM: f32 = 2.42;
/// Distance between the MRZ's baselines.
pub const LINE_PITCH_MM: f32 = 4.23;

impl Page {
    pub fn of(format: MrzFormat) -> Page {
        match format {
            MrzFormat::Td1 => Page {
                width_mm: 85.6,
                height_mm: 53.98,
                title: "IDENTITY CARD",
            },
            MrzFormat::Td2 => Page {
                width_mm: 105.0,
                height_mm: 74.0,
                title: "IDENTITY CARD",
            },
            MrzFormat::Td3 => Page {
                width_mm: 125.0,
                height_mm: 88.0,
                title: "PASSPORT",
            },
            MrzFormat::MrvA => Page {
                width_mm: 120.0,
                height_mm: 80.0,
                title: "VISA",
            },
            MrzFormat::MrvB => Page {
                width_mm: 105.0,
                height_mm: 74.0,
                title: "VISA",
            },
        }
    }
}
