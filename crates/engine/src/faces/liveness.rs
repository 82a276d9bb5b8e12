//! Is the person in front of the camera? Two strengths of evidence:
//!
//! - **One selfie** ([`judge_selfie`]): passive checks can prove a spoof (no face, several
//!   people, a document held up, a greyscale copy) but never presence, so the best a single
//!   photo earns is WARNING / LIVENESS_UNDETERMINED.
//! - **A capture sequence** ([`judge_sequence`]): frames taken while the person performed a
//!   random challenge the server chose for this session (turn left, turn right, ...). Frames
//!   that show one person performing the moves in order, each turn with a head's relief and
//!   not a picture's flat motion, earn PASSED; that they were taken for
//!   this session (no replay) is the caller's check, since it needs the frames of earlier
//!   sessions.

use image::{DynamicImage, RgbImage};

use super::compare::{largest_face, MATCH_THRESHOLD};
use super::detect::Face;
use super::embed::Embedding;
use super::parallax::{relief, Surface, RELIEF};
use super::pose::{pose, yaw, Pose, FACING};
use super::presentation::{presentation_evidence, PresentationEvidence};
use super::{FaceEngine, FaceError};
use crate::forensics::Reproduction;
use crate::quality::measure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Passed,
    Warning,
    Rejected,
}

/// The spec's liveness labels that the engine can establish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Ok,
    NoFacePresent,
    MultiplePeople,
    FaceNotFullyVisible,
    IdUsedAsSelfie,
    BlackWhite,
    BadQuality,
    Manipulated,
    LivenessUndetermined,
    /// The face is shown on a screen.
    DigitalCopy,
    /// The face is a print.
    Photocopy,
}

impl Label {
    /// The label as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Ok => "OK",
            Label::NoFacePresent => "NO_FACE_PRESENT",
            Label::MultiplePeople => "MULTIPLE_PEOPLE",
            Label::FaceNotFullyVisible => "FACE_NOT_FULLY_VISIBLE",
            Label::IdUsedAsSelfie => "ID_USED_AS_SELFIE",
            Label::BlackWhite => "BLACK_WHITE",
            Label::BadQuality => "BAD_QUALITY",
            Label::Manipulated => "MANIPULATED",
            Label::LivenessUndetermined => "LIVENESS_UNDETERMINED",
            Label::DigitalCopy => "DIGITAL_COPY",
            Label::Photocopy => "PHOTOCOPY",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub decision: Decision,
    pub label: Label,
    /// Why, in a few words, for logs and the capability's data; no personal data.
    pub reason: String,
    /// The screen and print measures, when a reproduction was found.
    pub evidence: Option<PresentationEvidence>,
}

fn finding(decision: Decision, label: Label, reason: impl Into<String>) -> Finding {
    Finding {
        decision,
        label,
        reason: reason.into(),
        evidence: None,
    }
}

/// The refusal of a face shown on a screen or a print, with its measures; None for a face.
fn reproduced(evidence: &PresentationEvidence) -> Option<Finding> {
    let (label, reason) = match evidence.reproduction? {
        Reproduction::Screen => (Label::DigitalCopy, "a screen's pixel grid around the face"),
        Reproduction::ColourCopy => (Label::Photocopy, "a print's halftone dots around the face"),
    };
    Some(Finding {
        evidence: Some(*evidence),
        ..finding(Decision::Rejected, label, reason)
    })
}

/// A second face at least this share of the largest one's area is a second person in front
/// of the camera, not a face in the background.
const SECOND_FACE_SHARE: f32 = 0.2;
/// A face box may reach this share of its size past the photo's edge (detector slack).
const EDGE_SLACK: f32 = 0.05;
/// A photo with at least this many lines of text and a face this small is a document held
/// up to the camera: selfies carry no text, ID portraits are a fifth of the card's width.
const DOCUMENT_TEXT_LINES: usize = 4;
const DOCUMENT_FACE_WIDTH_SHARE: f32 = 0.35;
/// The quality module's greyscale threshold (Hasler-Suesstrunk colourfulness).
const BLACK_WHITE_COLOURFULNESS: f32 = 8.0;
/// Faces with less detail than this are poor evidence: eyes closer than this many pixels,
/// or a Laplacian variance of the face under this.
const MIN_EYE_DISTANCE: f32 = 30.0;
const MIN_FACE_SHARPNESS: f32 = 20.0;
const MIN_FACE_LUMA: f32 = 40.0;
const MAX_FACE_LUMA: f32 = 225.0;

/// The faces that count: the largest and those of a comparable size.
pub fn people(faces: &[Face]) -> Vec<&Face> {
    let Some(largest) = largest_face(faces) else {
        return Vec::new();
    };
    let floor = largest.area() * SECOND_FACE_SHARE;
    faces.iter().filter(|face| face.area() >= floor).collect()
}

fn fully_visible(face: &Face, width: u32, height: u32) -> bool {
    let [x, y, w, h] = face.bounds;
    let (width, height) = (width as f32, height as f32);
    let (slack_x, slack_y) = (w * EDGE_SLACK, h * EDGE_SLACK);
    x >= -slack_x
        && y >= -slack_y
        && x + w <= width + slack_x
        && y + h <= height + slack_y
        && face
            .landmarks
            .iter()
            .all(|[px, py]| (0.0..width).contains(px) && (0.0..height).contains(py))
}

fn face_crop(image: &DynamicImage, face: &Face) -> DynamicImage {
    let [x, y, w, h] = face.bounds;
    let left = x.max(0.0) as u32;
    let top = y.max(0.0) as u32;
    let right = ((x + w).max(0.0) as u32).min(image.width());
    let bottom = ((y + h).max(0.0) as u32).min(image.height());
    image.crop_imm(
        left.min(right),
        top.min(bottom),
        right.saturating_sub(left),
        bottom.saturating_sub(top),
    )
}

/// The one person a photo of `width` x `height` shows, or why it does not show one.
fn check_one_person(width: u32, height: u32, faces: &[Face]) -> Result<Face, Finding> {
    let people = people(faces);
    let face = match people.as_slice() {
        [] => {
            return Err(finding(
                Decision::Rejected,
                Label::NoFacePresent,
                "no face found",
            ))
        }
        [one] => (*one).clone(),
        more => {
            return Err(finding(
                Decision::Rejected,
                Label::MultiplePeople,
                format!("{} faces of comparable size", more.len()),
            ))
        }
    };
    if !fully_visible(&face, width, height) {
        return Err(finding(
            Decision::Rejected,
            Label::FaceNotFullyVisible,
            "the face runs past the edge of the photo",
        ));
    }
    Ok(face)
}

/// The passive verdict on a selfie, given the faces found on it and the number of text lines
/// the OCR detector found (None when no OCR is available).
pub fn judge_selfie(image: &DynamicImage, faces: &[Face], text_lines: Option<usize>) -> Finding {
    let face = match check_one_person(image.width(), image.height(), faces) {
        Ok(face) => face,
        Err(finding) => return finding,
    };
    let face_width_share = face.bounds[2] / image.width().max(1) as f32;
    if text_lines.is_some_and(|lines| lines >= DOCUMENT_TEXT_LINES)
        && face_width_share < DOCUMENT_FACE_WIDTH_SHARE
    {
        return finding(
            Decision::Rejected,
            Label::IdUsedAsSelfie,
            "a small portrait among lines of text: a document, not a selfie",
        );
    }
    if let Some(refused) = reproduced(&presentation_evidence(&image.to_rgb8(), &face)) {
        return refused;
    }
    let whole = measure(image);
    if whole.colourfulness <= BLACK_WHITE_COLOURFULNESS {
        return finding(
            Decision::Rejected,
            Label::BlackWhite,
            "the photo has no colour",
        );
    }
    let crop = measure(&face_crop(image, &face));
    if face.eye_distance() < MIN_EYE_DISTANCE
        || crop.sharpness < MIN_FACE_SHARPNESS
        || !(MIN_FACE_LUMA..=MAX_FACE_LUMA).contains(&crop.mean_luma)
    {
        return finding(
            Decision::Warning,
            Label::BadQuality,
            "the face is too small, blurred, dark or bright to judge",
        );
    }
    finding(
        Decision::Warning,
        Label::LivenessUndetermined,
        "one photo cannot show presence; a capture sequence can",
    )
}

/// A move the person is asked to make during capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Turn {
    /// Turn the head to one's own left.
    Left,
    /// Turn the head to one's own right.
    Right,
}

impl Turn {
    pub fn parse(text: &str) -> Option<Turn> {
        match text {
            "TURN_LEFT" => Some(Turn::Left),
            "TURN_RIGHT" => Some(Turn::Right),
            _ => None,
        }
    }

    fn pose(self) -> Pose {
        match self {
            Turn::Left => Pose::TurnedLeft,
            Turn::Right => Pose::TurnedRight,
        }
    }
}

/// One frame of a capture sequence, analysed (the image itself is not kept: a sequence can be
/// long, and only its faces matter).
#[derive(Debug, Clone)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub faces: Vec<Face>,
    /// The embedding of the frame's face, when it has exactly one.
    pub embedding: Option<Embedding>,
    /// Whether that face is on a screen or a print.
    pub presentation: Option<PresentationEvidence>,
    /// That face's surface, to tell a head's turn from a picture's ([`super::parallax`]).
    pub surface: Option<Surface>,
}

impl Frame {
    /// `image` as a frame of a capture: its faces, the embedding of its one person, and when
    /// `measured`, whether that face is on a screen or a print. The measure costs about a
    /// tenth of a frame's description; a screen or print held up shows in every frame, so a
    /// sequence measures its first and last frames.
    pub fn describe(
        engine: &FaceEngine,
        image: &RgbImage,
        measured: bool,
    ) -> Result<Frame, FaceError> {
        let faces = engine.detect(image)?;
        let (embedding, presentation, surface) = match people(&faces).as_slice() {
            [one] => (
                engine.embed(image, one)?,
                measured.then(|| presentation_evidence(image, one)),
                Surface::of(&image::imageops::grayscale(image), one),
            ),
            _ => (None, None, None),
        };
        Ok(Frame {
            width: image.width(),
            height: image.height(),
            faces,
            embedding,
            presentation,
            surface,
        })
    }
}

/// What a passed sequence yields: the face to keep as the person's template.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceFinding {
    pub finding: Finding,
    /// The first frame's embedding, when the sequence passed.
    pub template: Option<Embedding>,
}

fn rejected(label: Label, reason: String) -> SequenceFinding {
    SequenceFinding {
        finding: finding(Decision::Rejected, label, reason),
        template: None,
    }
}

/// The verdict on frames taken, in order, while the person was asked to perform `challenge`:
/// the first frame frontal, every frame one person (the same one), and the turns shown in
/// the order asked (frontal and in-between frames may fall anywhere between them).
pub fn judge_sequence(challenge: &[Turn], frames: &[Frame]) -> SequenceFinding {
    if challenge.is_empty() || frames.len() <= challenge.len() {
        return rejected(
            Label::LivenessUndetermined,
            format!(
                "{} frames cannot show a frontal face and {} turns",
                frames.len(),
                challenge.len()
            ),
        );
    }
    let mut faces = Vec::with_capacity(frames.len());
    let mut surfaces = Vec::with_capacity(frames.len());
    let mut reference: Option<&Embedding> = None;
    for (number, frame) in frames.iter().enumerate().map(|(i, f)| (i + 1, f)) {
        let face = match check_one_person(frame.width, frame.height, &frame.faces) {
            Ok(face) => face,
            Err(mut finding) => {
                finding.reason = format!("frame {number}: {}", finding.reason);
                return SequenceFinding {
                    finding,
                    template: None,
                };
            }
        };
        if let Some(mut refused) = frame.presentation.as_ref().and_then(reproduced) {
            refused.reason = format!("frame {number}: {}", refused.reason);
            return SequenceFinding {
                finding: refused,
                template: None,
            };
        }
        let Some(embedding) = frame.embedding.as_ref() else {
            return rejected(
                Label::LivenessUndetermined,
                format!("frame {number}: the face cannot be described"),
            );
        };
        match reference {
            None => reference = Some(embedding),
            Some(first) if first.cosine(embedding) < MATCH_THRESHOLD => {
                return rejected(
                    Label::Manipulated,
                    format!("frame {number} shows another person than frame 1"),
                );
            }
            Some(_) => {}
        }
        faces.push(face);
        surfaces.push(frame.surface.as_ref());
    }
    let resting = faces.first().map(yaw).unwrap_or(0.0);
    if resting.abs() > FACING {
        return rejected(
            Label::LivenessUndetermined,
            "the first frame does not look at the camera".to_owned(),
        );
    }
    // A turn counts once however many frames show it; facing the camera again in between
    // makes the next turn to the same side a new one. Each turn keeps the frames that show it.
    let mut performed: Vec<(Pose, Vec<usize>)> = Vec::new();
    let mut held = Pose::Frontal;
    for (index, face) in faces.iter().enumerate() {
        let pose = pose(resting, face);
        if pose == Pose::Between {
            continue;
        }
        if pose != held && pose != Pose::Frontal {
            performed.push((pose, Vec::new()));
        }
        held = pose;
        if let (true, Some((_, shown))) = (pose != Pose::Frontal, performed.last_mut()) {
            shown.push(index);
        }
    }
    let asked: Vec<Pose> = challenge.iter().map(|turn| turn.pose()).collect();
    if performed
        .iter()
        .map(|(pose, _)| *pose)
        .ne(asked.iter().copied())
    {
        return rejected(
            Label::LivenessUndetermined,
            format!(
                "the frames show {} of the {} turns asked, or in another order",
                performed.len(),
                asked.len()
            ),
        );
    }
    // Measured only now that the turns are the ones asked: the most relief each turn's
    // frames show against the first frame.
    let first = surfaces.first().copied().flatten();
    let reliefs: Vec<Option<f32>> = performed
        .iter()
        .map(|(_, shown)| {
            shown
                .iter()
                .filter_map(|index| first.zip(surfaces.get(*index).copied().flatten()))
                .filter_map(|(first, turned)| relief(first, turned))
                .reduce(f32::max)
        })
        .collect();
    // Every turn must show relief. One that cannot be measured (too few patches of the face
    // found again) shows none: a picture blurred on purpose must not pass for a head.
    if reliefs.iter().any(Option::is_none) {
        return rejected(
            Label::LivenessUndetermined,
            "a turn's relief could not be measured: too little of the face found again".to_owned(),
        );
    }
    let flattest = reliefs
        .iter()
        .flatten()
        .fold(f32::INFINITY, |a, b| a.min(*b));
    if flattest < RELIEF {
        return rejected(
            Label::LivenessUndetermined,
            format!(
                "a turn moved the face as one plane ({:.0}% of its patches off it): a \
                 picture, not a head",
                flattest * 100.0
            ),
        );
    }
    SequenceFinding {
        finding: finding(Decision::Passed, Label::Ok, "the challenge was performed"),
        template: reference.cloned(),
    }
}
