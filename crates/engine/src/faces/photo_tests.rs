//! The face engine on real photographs (scripts/fetch-test-photos: three photos of one person,
//! one of another, group photos) and on documents and capture sequences composed from them.
//! Nothing is skipped: without the models or the photos these tests fail and say which script
//! to run.

use std::path::Path;
use std::sync::OnceLock;

use image::{DynamicImage, Rgb, RgbImage};

use super::liveness::{judge_selfie, judge_sequence, Decision, Frame, Label, Turn};
use super::synthetic::{paste_portrait, test_photo, turn_head, turn_photo};
use super::{compare, largest_face, pose, FaceEngine, FaceOptions, Pose, Similarity};
use crate::documents::mrz::MrzFormat;
use crate::documents::synthetic::{degrade, render, Degradation, OcrB};
use crate::ocr::models_dir;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn engine() -> Result<&'static FaceEngine, String> {
    static ENGINE: OnceLock<Result<FaceEngine, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir = models_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
            let options = FaceOptions {
                sessions: 2,
                ..FaceOptions::default()
            };
            FaceEngine::load_with(&dir, options).map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

fn font() -> Result<&'static OcrB, String> {
    static FONT: OnceLock<Result<OcrB, String>> = OnceLock::new();
    FONT.get_or_init(|| OcrB::load().map_err(|error| error.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

const ONE_PERSON: [&str; 3] = ["obama.jpg", "obama2.jpg", "obama3.jpg"];
const GROUPS: [&str; 6] = [
    "t1.jpg",
    "sample1.jpg",
    "sample3.jpg",
    "sample4.jpg",
    "sample5.jpg",
    "sample6.jpg",
];

/// A TD1 ID card whose portrait is the face of `photo`.
fn id_card_of(photo: &RgbImage, seed: u32) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let faces = engine()?.detect(photo)?;
    let face = largest_face(&faces).ok_or("no face on the photo")?;
    let mut card = render(font()?, MrzFormat::Td1, seed, 2025, 10.0);
    paste_portrait(&mut card.image, card.portrait, photo, face);
    Ok(card.image)
}

#[test]
fn finds_one_face_on_each_portrait_and_several_on_group_photos() -> TestResult {
    for name in ONE_PERSON.iter().chain(&["biden.jpg"]) {
        let faces = engine()?.detect(&test_photo(name)?)?;
        assert_eq!(
            super::liveness::people(&faces).len(),
            1,
            "{name}: {faces:?}"
        );
    }
    for name in GROUPS {
        let faces = engine()?.detect(&test_photo(name)?)?;
        assert!(
            super::liveness::people(&faces).len() >= 2,
            "{name}: {faces:?}"
        );
    }
    Ok(())
}

#[test]
fn photos_of_one_person_match_and_of_two_people_do_not() -> TestResult {
    let photos: Vec<RgbImage> = ONE_PERSON
        .iter()
        .map(|n| test_photo(n))
        .collect::<Result<_, _>>()?;
    let other = test_photo("biden.jpg")?;
    for (i, a) in photos.iter().enumerate() {
        for b in &photos[i + 1..] {
            let found = compare(engine()?, a, b)?;
            assert_eq!(found.similarity, Similarity::Match, "{found:?}");
        }
        let found = compare(engine()?, a, &other)?;
        assert_eq!(found.similarity, Similarity::NoMatch, "{found:?}");
    }
    Ok(())
}

#[test]
fn the_portrait_on_an_id_card_matches_the_holders_selfie_only() -> TestResult {
    let card = id_card_of(&test_photo("obama2.jpg")?, 7)?;
    let holder = compare(engine()?, &card, &test_photo("obama3.jpg")?)?;
    assert_eq!(holder.similarity, Similarity::Match, "{holder:?}");
    let stranger = compare(engine()?, &card, &test_photo("biden.jpg")?)?;
    assert_eq!(stranger.similarity, Similarity::NoMatch, "{stranger:?}");
    // A grey copy of the card still has a comparable face.
    let grey = DynamicImage::ImageRgb8(card).grayscale().to_rgb8();
    let holder = compare(engine()?, &grey, &test_photo("obama.jpg")?)?;
    assert_eq!(holder.similarity, Similarity::Match, "{holder:?}");
    Ok(())
}

#[test]
fn no_face_is_not_possible_to_compare() -> TestResult {
    let blank = RgbImage::from_pixel(800, 600, Rgb([240, 240, 240]));
    let found = compare(engine()?, &blank, &test_photo("obama.jpg")?)?;
    assert_eq!(found.similarity, Similarity::NotPossible);
    assert_eq!(found.cosine, None);
    Ok(())
}

fn selfie_label(image: &RgbImage, text_lines: Option<usize>) -> Result<(Decision, Label), String> {
    let faces = engine()?.detect(image).map_err(|e| e.to_string())?;
    let finding = judge_selfie(&DynamicImage::ImageRgb8(image.clone()), &faces, text_lines);
    Ok((finding.decision, finding.label))
}

#[test]
fn a_single_selfie_never_passes_but_spoofs_are_refused() -> TestResult {
    // A real selfie: no evidence against it, and none for presence.
    for name in ONE_PERSON {
        assert_eq!(
            selfie_label(&test_photo(name)?, Some(0))?,
            (Decision::Warning, Label::LivenessUndetermined),
            "{name}"
        );
    }
    for name in GROUPS {
        assert_eq!(
            selfie_label(&test_photo(name)?, Some(0))?,
            (Decision::Rejected, Label::MultiplePeople),
            "{name}"
        );
    }
    let blank = RgbImage::from_pixel(800, 600, Rgb([20, 20, 20]));
    assert_eq!(
        selfie_label(&blank, Some(0))?,
        (Decision::Rejected, Label::NoFacePresent)
    );
    let grey = DynamicImage::ImageRgb8(test_photo("obama.jpg")?)
        .grayscale()
        .to_rgb8();
    assert_eq!(
        selfie_label(&grey, Some(0))?,
        (Decision::Rejected, Label::BlackWhite)
    );
    // Cut through the face: the left half of the photo up to the nose.
    let photo = test_photo("obama.jpg")?;
    let faces = engine()?.detect(&photo)?;
    let face = largest_face(&faces).ok_or("no face")?;
    let cut = image::imageops::crop_imm(&photo, 0, 0, face.landmarks[2][0] as u32, photo.height())
        .to_image();
    let (decision, label) = selfie_label(&cut, Some(0))?;
    assert!(
        matches!(label, Label::FaceNotFullyVisible | Label::NoFacePresent),
        "{decision:?} {label:?}"
    );
    Ok(())
}

#[test]
fn a_document_held_up_as_selfie_is_id_used_as_selfie() -> TestResult {
    let card = id_card_of(&test_photo("obama.jpg")?, 11)?;
    let reader = crate::documents::mrz::photo_tests::reader()?;
    let lines = reader.count_lines(&DynamicImage::ImageRgb8(card.clone()))?;
    assert_eq!(
        selfie_label(&card, Some(lines))?,
        (Decision::Rejected, Label::IdUsedAsSelfie),
        "{lines} text lines"
    );
    // The same OCR finds no such text on real selfies.
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        let selfie = DynamicImage::ImageRgb8(test_photo(name)?);
        assert!(reader.count_lines(&selfie)? < 4, "{name}");
    }
    Ok(())
}

fn frame(image: RgbImage) -> Result<Frame, Box<dyn std::error::Error>> {
    Ok(Frame::describe(engine()?, &image, true)?)
}

/// Frames of `photo`'s person: frontal, then turned as `turns` say (+1: to their left).
fn sequence(photo: &RgbImage, turns: &[f32]) -> Result<Vec<Frame>, Box<dyn std::error::Error>> {
    let faces = engine()?.detect(photo)?;
    let face = largest_face(&faces).ok_or("no face")?.clone();
    let mut frames = vec![frame(photo.clone())?];
    for strength in turns {
        frames.push(frame(turn_head(photo, &face, *strength))?);
    }
    Ok(frames)
}

/// Where the face of each frame looks, against the first frame's.
fn poses(frames: &[Frame]) -> Result<Vec<Pose>, String> {
    let faces: Vec<&super::Face> = frames
        .iter()
        .map(|f| largest_face(&f.faces))
        .collect::<Option<_>>()
        .ok_or("a frame without face")?;
    let resting = faces.first().map_or(0.0, |face| super::yaw(face));
    Ok(faces.iter().map(|face| pose(resting, face)).collect())
}

#[test]
fn a_turned_head_reads_as_turned() -> TestResult {
    let photo = test_photo("obama.jpg")?;
    let frames = sequence(&photo, &[1.6, -1.6])?;
    assert_eq!(
        poses(&frames)?,
        [Pose::Frontal, Pose::TurnedLeft, Pose::TurnedRight]
    );
    Ok(())
}

#[test]
fn a_capture_sequence_passes_only_when_the_challenge_is_performed_by_one_person() -> TestResult {
    // The most frontal of the photos: the synthetic turn is crude and reads best from there.
    let photo = test_photo("obama.jpg")?;
    let challenge = [Turn::Left, Turn::Right];
    let performed = judge_sequence(&challenge, &sequence(&photo, &[1.6, -1.6])?);
    assert_eq!(
        performed.finding.decision,
        Decision::Passed,
        "{performed:?}"
    );
    assert!(performed.template.is_some());

    // The other way round, or a turn missing: not what was asked.
    let reversed = judge_sequence(&challenge, &sequence(&photo, &[-1.6, 1.6])?);
    assert_eq!(
        reversed.finding.label,
        Label::LivenessUndetermined,
        "{reversed:?}"
    );
    let missing = judge_sequence(&challenge, &sequence(&photo, &[1.6, 0.0])?);
    assert_eq!(missing.finding.decision, Decision::Rejected, "{missing:?}");

    // The same side twice is two turns only with a look at the camera in between.
    let twice = [Turn::Left, Turn::Left];
    let back_between = judge_sequence(&twice, &sequence(&photo, &[1.6, 0.0, 1.6])?);
    assert_eq!(
        back_between.finding.decision,
        Decision::Passed,
        "{back_between:?}"
    );
    let held = judge_sequence(&twice, &sequence(&photo, &[1.6, 1.6, 1.6])?);
    assert_eq!(held.finding.decision, Decision::Rejected, "{held:?}");

    // Another person in the middle of the sequence.
    let mut frames = sequence(&photo, &[1.6, -1.6])?;
    let stranger = test_photo("biden.jpg")?;
    let faces = engine()?.detect(&stranger)?;
    let face = largest_face(&faces).ok_or("no face")?.clone();
    frames[1] = frame(turn_head(&stranger, &face, 1.6))?;
    let swapped = judge_sequence(&challenge, &frames);
    assert_eq!(swapped.finding.label, Label::Manipulated, "{swapped:?}");
    assert_eq!(swapped.template, None);
    Ok(())
}

#[test]
fn a_photo_turned_before_the_camera_is_refused_as_a_plane() -> TestResult {
    let photo = test_photo("obama.jpg")?;
    let faces = engine()?.detect(&photo)?;
    let face = largest_face(&faces).ok_or("no face")?.clone();
    let challenge = [Turn::Left, Turn::Right];
    let mut frames = vec![frame(photo.clone())?];
    for strength in [1.0, 0.0, -1.0, 0.0] {
        frames.push(frame(turn_photo(&photo, &face, strength))?);
    }
    // Turned 45 degrees each way, the flat photo reads as the turns asked, by one person...
    assert_eq!(
        poses(&frames)?,
        [
            Pose::Frontal,
            Pose::TurnedLeft,
            Pose::Frontal,
            Pose::TurnedRight,
            Pose::Frontal
        ]
    );
    // ...but its pixels move as one plane: no head.
    let judged = judge_sequence(&challenge, &frames);
    assert_eq!(
        (judged.finding.decision, judged.finding.label),
        (Decision::Rejected, Label::LivenessUndetermined),
        "{judged:?}"
    );
    assert!(judged.finding.reason.contains("plane"), "{judged:?}");
    assert_eq!(judged.template, None);
    Ok(())
}

/// `photo` shown on a phone's screen and photographed at `pitch` camera pixels per screen
/// pixel, or printed in halftone dots of `cell` pixels and photographed.
fn on_screen(
    photo: &RgbImage,
    pitch: f32,
    seed: u32,
) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let mut shown = degrade(photo, Degradation::Screen(pitch), seed)?;
    // The lens spreads each point a little; the phone's exposure brightens the dim screen.
    for step in [Degradation::Blur(0.6), Degradation::Exposure(118)] {
        shown = degrade(&shown, step, seed)?;
    }
    Ok(shown)
}

fn printed(photo: &RgbImage, cell: f32, seed: u32) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let mut out = degrade(photo, Degradation::ColourCopy(cell), seed)?;
    for step in [Degradation::Blur(0.8), Degradation::Jpeg(85)] {
        out = degrade(&out, step, seed)?;
    }
    Ok(out)
}

#[test]
fn a_selfie_on_a_screen_or_printed_is_refused_as_a_copy() -> TestResult {
    for (seed, name) in (1..).zip(["obama.jpg", "obama2.jpg", "biden.jpg"]) {
        let photo = test_photo(name)?;
        assert_eq!(
            selfie_label(&on_screen(&photo, 2.4, seed)?, Some(0))?,
            (Decision::Rejected, Label::DigitalCopy),
            "{name} on a screen"
        );
        assert_eq!(
            selfie_label(&printed(&photo, 4.2, seed)?, Some(0))?,
            (Decision::Rejected, Label::Photocopy),
            "{name} printed"
        );
        // The same photo as a phone delivers it is no copy.
        let mut taken = degrade(&photo, Degradation::Noise(5.0), seed)?;
        taken = degrade(&taken, Degradation::Jpeg(70), seed)?;
        assert_eq!(
            selfie_label(&taken, Some(0))?,
            (Decision::Warning, Label::LivenessUndetermined),
            "{name} as taken"
        );
    }
    Ok(())
}

#[test]
fn a_challenge_performed_on_a_screen_or_a_print_is_refused() -> TestResult {
    let photo = test_photo("obama.jpg")?;
    let challenge = [Turn::Left, Turn::Right];
    let faces = engine()?.detect(&photo)?;
    let face = largest_face(&faces).ok_or("no face")?.clone();
    for (copy, label) in [(0, Label::DigitalCopy), (1, Label::Photocopy)] {
        let mut frames = Vec::new();
        for (seed, strength) in (1..).zip([0.0, 1.6, 0.0, -1.6, 0.0]) {
            let turned = turn_head(&photo, &face, strength);
            let shown = if copy == 0 {
                on_screen(&turned, 2.4, seed)?
            } else {
                printed(&turned, 4.2, seed)?
            };
            frames.push(frame(shown)?);
        }
        let judged = judge_sequence(&challenge, &frames);
        assert_eq!(
            (judged.finding.decision, judged.finding.label),
            (Decision::Rejected, label),
            "{judged:?}"
        );
        assert!(judged.finding.evidence.is_some());
        assert_eq!(judged.template, None);
    }
    Ok(())
}

#[test]
fn missing_models_name_the_script_that_fetches_them() {
    let empty = std::env::temp_dir().join("verifyd-no-face-models");
    let error = FaceEngine::load(&empty).err().map(|e| e.to_string());
    assert!(
        error
            .as_deref()
            .is_some_and(|message| message.contains("scripts/fetch-models")
                && message.contains("face_detection_yunet_2023mar.onnx")),
        "{error:?}"
    );
}
