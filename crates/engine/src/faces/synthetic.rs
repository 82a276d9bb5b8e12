//! Test material made from real face photos: a portrait pasted into a rendered document, a
//! head "turn" for capture sequences, and the photo itself turned as an attacker turns a
//! print or a phone to fake one. The turn is a stand-in, not a 3D rotation: the nose
//! and mouth are pushed sideways by a smooth displacement, which is what the pose estimate
//! (nose against eyes) sees of a real turn. Real captures are what the web client sends.

use image::{imageops, Rgb, RgbImage};
use imageproc::geometric_transformations::{warp, Border, Interpolation, Projection};

use super::detect::Face;

/// `photo`'s face, cropped with room around it as passport photos are (the head about 70% of
/// the height), scaled into `place` (left, top, width, height) of `document`.
pub fn paste_portrait(
    document: &mut RgbImage,
    place: (u32, u32, u32, u32),
    photo: &RgbImage,
    face: &Face,
) {
    let (left, top, width, height) = place;
    if width == 0 || height == 0 {
        return;
    }
    let [x, y, w, h] = face.bounds;
    let crop_height = h * 1.6;
    let crop_width = crop_height * width as f32 / height as f32;
    let centre = (x + w / 2.0, y + h * 0.45);
    let crop_left = (centre.0 - crop_width / 2.0).clamp(0.0, photo.width() as f32) as u32;
    let crop_top = (centre.1 - crop_height / 2.0).clamp(0.0, photo.height() as f32) as u32;
    let crop_width = (crop_width as u32).min(photo.width() - crop_left).max(1);
    let crop_height = (crop_height as u32).min(photo.height() - crop_top).max(1);
    let crop = imageops::crop_imm(photo, crop_left, crop_top, crop_width, crop_height).to_image();
    let portrait = imageops::resize(&crop, width, height, imageops::FilterType::Triangle);
    imageops::replace(document, &portrait, i64::from(left), i64::from(top));
}

/// `photo` with the face turned by `strength` (-1..1; positive: towards the photo's right
/// edge, which is the person turning to their own left). At 1 the nose moves about a quarter
/// of an eye distance sideways against the eyes' midpoint, as in a turn of some 30 degrees;
/// the displacement's slope stays under 1, so that the picture never folds over itself.
pub fn turn_head(photo: &RgbImage, face: &Face, strength: f32) -> RgbImage {
    let eyes = face.eye_distance().max(1.0);
    let [nose_x, nose_y] = face.landmarks[2];
    let amplitude = 0.45 * eyes * strength;
    let (spread_x, spread_y) = (0.5 * eyes, 0.9 * eyes);
    let mut turned = photo.clone();
    let (width, height) = photo.dimensions();
    for (x, y, pixel) in turned.enumerate_pixels_mut() {
        let (dx, dy) = (
            (x as f32 - nose_x) / spread_x,
            (y as f32 - nose_y) / spread_y,
        );
        let weight = (-(dx * dx + dy * dy) / 2.0).exp();
        if weight < 1e-3 {
            continue;
        }
        let source_x = x as f32 - amplitude * weight;
        if !(0.0..(width - 1) as f32).contains(&source_x) || y >= height {
            continue;
        }
        let left = source_x.floor() as u32;
        let t = source_x - left as f32;
        let (a, b) = (photo.get_pixel(left, y).0, photo.get_pixel(left + 1, y).0);
        *pixel =
            Rgb([0, 1, 2]
                .map(|c| (f32::from(a[c]) * (1.0 - t) + f32::from(b[c]) * t).round() as u8));
    }
    turned
}

/// `photo` as a print or a screen showing it looks when turned by `strength` (-1..1, at 1 45
/// degrees) about an upright axis through the face and seen from close by (the face's half
/// eye distance a third of the camera's distance): the far side shrinks more than the near
/// side, so the eyes' midpoint moves towards the near side and the nose seems to move against
/// it as in a turn (positive: towards the photo's right edge, as the person turning to their
/// own left), while the whole face moves as one plane.
pub fn turn_photo(photo: &RgbImage, face: &Face, strength: f32) -> RgbImage {
    let [x, y, w, h] = face.bounds;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let angle = 45f32.to_radians() * strength.clamp(-1.0, 1.0);
    let distance = face.eye_distance().max(1.0) / 2.0 * 3.0;
    let centred = Projection::translate(-cx, -cy);
    let Some(turned) = Projection::from_matrix([
        angle.cos(),
        0.0,
        0.0,
        0.0,
        1.0,
        0.0,
        angle.sin() / distance,
        0.0,
        1.0,
    ]) else {
        return photo.clone();
    };
    let motion = Projection::translate(cx, cy) * turned * centred;
    warp(
        photo,
        motion,
        Interpolation::Bilinear,
        Border::Constant(Rgb([120, 118, 112])),
    )
}

/// Where `scripts/fetch-test-photos` puts the real photos: `$VERIFYD_TEST_PHOTOS_DIR`, else
/// `target/test-photos` of the source tree.
pub fn test_photos_dir() -> std::path::PathBuf {
    std::env::var_os("VERIFYD_TEST_PHOTOS_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-photos"),
        std::path::PathBuf::from,
    )
}

/// One of the real photos, decoded; the error names the script that fetches them.
pub fn test_photo(name: &str) -> Result<RgbImage, String> {
    let path = test_photos_dir().join(name);
    image::open(&path)
        .map(|image| image.to_rgb8())
        .map_err(|error| {
            format!(
                "{}: {error} (scripts/fetch-test-photos fetches it)",
                path.display()
            )
        })
}

/// The group photos of `scripts/fetch-test-photos` (face-api's samples, insightface's t1): 3 to
/// 6 people each.
pub const GROUP_PHOTOS: [&str; 7] = [
    "sample1.jpg",
    "sample2.jpg",
    "sample3.jpg",
    "sample4.jpg",
    "sample5.jpg",
    "sample6.jpg",
    "t1.jpg",
];

/// Each of `faces` on `photo` cut out as a selfie of its own: a square `room` times the face's
/// size around it, enlarged (never shrunk) to at least `width` pixels, as a phone closer to
/// the person would have taken it.
pub fn faces_cut_out(photo: &RgbImage, faces: &[Face], room: f32, width: u32) -> Vec<RgbImage> {
    faces
        .iter()
        .map(|face| {
            let [x, y, w, h] = face.bounds;
            let side = w.max(h) * room;
            let left = (x + w / 2.0 - side / 2.0).max(0.0) as u32;
            let top = (y + h / 2.0 - side / 2.0).max(0.0) as u32;
            let crop_width = (side as u32).min(photo.width().saturating_sub(left));
            let crop_height = (side as u32).min(photo.height().saturating_sub(top));
            let crop = imageops::crop_imm(photo, left, top, crop_width, crop_height).to_image();
            let scale = (width as f32 / crop.width().max(1) as f32).max(1.0);
            imageops::resize(
                &crop,
                (crop.width() as f32 * scale) as u32,
                (crop.height() as f32 * scale) as u32,
                imageops::FilterType::CatmullRom,
            )
        })
        .collect()
}
