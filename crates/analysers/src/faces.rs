//! The face engine behind the domain's `FaceAnalyser`: YuNet and SFace for faces, the OCR
//! detector to tell a document held up from a selfie. Runs on the blocking pool, bounded in
//! concurrency and time; frames are decoded one at a time and dropped once described.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use image::{DynamicImage, RgbImage};
use verifyd_domain::analysers::{
    AnalysisError, CaptureFinding, FaceAnalyser, LivenessFinding, PartImage, PresentationMeasures,
};
use verifyd_domain::facemap::FaceTemplate;
use verifyd_domain::model::{DecisionType, Label};
use verifyd_domain::rules::replay;
use verifyd_engine::faces::liveness::{self, Decision, Finding, Frame, Turn};
use verifyd_engine::faces::{
    main_embedding, Embedding, FaceEngine, EMBEDDING_MODEL_ID, MATCH_THRESHOLD,
};
use verifyd_engine::ocr::TextReader;
use verifyd_engine::upload::{decode_image, ImageLimits};

use crate::pool::CpuPool;

pub struct EngineFaces {
    engine: Arc<FaceEngine>,
    /// None when the OCR models are missing: a document held up is then not recognised.
    reader: Option<Arc<TextReader>>,
    limits: ImageLimits,
    timeout: Duration,
    pool: CpuPool,
}

impl EngineFaces {
    pub fn new(
        engine: Arc<FaceEngine>,
        reader: Option<Arc<TextReader>>,
        limits: ImageLimits,
        timeout: Duration,
        pool: CpuPool,
    ) -> Self {
        Self {
            engine,
            reader,
            limits,
            timeout,
            pool,
        }
    }
}

fn decode_picture(image: &PartImage, limits: &ImageLimits) -> Result<DynamicImage, AnalysisError> {
    decode_image(&image.bytes, limits)
        .map(|(_, picture)| picture)
        .map_err(|error| AnalysisError(format!("{}: {error}", image.classifier)))
}

fn decode(image: &PartImage, limits: &ImageLimits) -> Result<RgbImage, AnalysisError> {
    decode_picture(image, limits).map(DynamicImage::into_rgb8)
}

fn failed(error: impl std::fmt::Display) -> AnalysisError {
    AnalysisError(format!("face analysis failed: {error}"))
}

fn template(embedding: Embedding) -> FaceTemplate {
    FaceTemplate {
        model: EMBEDDING_MODEL_ID.to_owned(),
        embedding: embedding.0,
    }
}

/// The engine's liveness label as the API's (the engine knows no wire types).
fn wire_label(label: liveness::Label) -> Label {
    match label {
        liveness::Label::Ok => Label::Ok,
        liveness::Label::NoFacePresent => Label::NoFacePresent,
        liveness::Label::MultiplePeople => Label::MultiplePeople,
        liveness::Label::FaceNotFullyVisible => Label::FaceNotFullyVisible,
        liveness::Label::IdUsedAsSelfie => Label::IdUsedAsSelfie,
        liveness::Label::BlackWhite => Label::BlackWhite,
        liveness::Label::BadQuality => Label::BadQuality,
        liveness::Label::Manipulated => Label::Manipulated,
        liveness::Label::LivenessUndetermined => Label::LivenessUndetermined,
        liveness::Label::DigitalCopy => Label::DigitalCopy,
        liveness::Label::Photocopy => Label::Photocopy,
    }
}

fn finding(found: Finding) -> LivenessFinding {
    LivenessFinding {
        decision: match found.decision {
            Decision::Passed => DecisionType::Passed,
            Decision::Warning => DecisionType::Warning,
            Decision::Rejected => DecisionType::Rejected,
        },
        label: wire_label(found.label),
        reason: found.reason,
        presentation: found.evidence.map(|evidence| PresentationMeasures {
            screen_peak_ratio: evidence.screen_peak_ratio,
            halftone_grids: evidence.halftone_grids,
        }),
    }
}

/// The passive verdict on one selfie: its faces, and the text lines that would show a
/// document held up instead.
fn judge_selfie(
    engine: &FaceEngine,
    reader: Option<&TextReader>,
    selfie: &DynamicImage,
) -> Result<LivenessFinding, AnalysisError> {
    let faces = engine.detect(&selfie.to_rgb8()).map_err(failed)?;
    let text_lines = match reader {
        Some(reader) => Some(reader.count_lines(selfie).map_err(failed)?),
        None => None,
    };
    Ok(finding(liveness::judge_selfie(selfie, &faces, text_lines)))
}

/// The template of the main face on `image`.
fn face_template(
    engine: &FaceEngine,
    image: &RgbImage,
) -> Result<Option<FaceTemplate>, AnalysisError> {
    Ok(main_embedding(engine, image).map_err(failed)?.map(template))
}

#[async_trait]
impl FaceAnalyser for EngineFaces {
    fn match_threshold(&self) -> f32 {
        MATCH_THRESHOLD
    }

    async fn template(&self, image: PartImage) -> Result<Option<FaceTemplate>, AnalysisError> {
        let (engine, limits) = (self.engine.clone(), self.limits);
        self.pool
            .run(self.timeout, "face", move || {
                face_template(&engine, &decode(&image, &limits)?)
            })
            .await
    }

    async fn selfie_liveness(&self, selfie: PartImage) -> Result<LivenessFinding, AnalysisError> {
        let (engine, reader, limits) = (self.engine.clone(), self.reader.clone(), self.limits);
        self.pool
            .run(self.timeout, "liveness", move || {
                judge_selfie(
                    &engine,
                    reader.as_deref(),
                    &decode_picture(&selfie, &limits)?,
                )
            })
            .await
    }

    async fn capture_liveness(
        &self,
        challenge: Vec<String>,
        frames: Vec<PartImage>,
    ) -> Result<CaptureFinding, AnalysisError> {
        let turns: Vec<Turn> = challenge
            .iter()
            .map(|turn| {
                Turn::parse(turn).ok_or_else(|| AnalysisError(format!("unknown turn {turn}")))
            })
            .collect::<Result<_, _>>()?;
        let (engine, limits) = (self.engine.clone(), self.limits);
        self.pool
            .run(self.timeout, "liveness", move || {
                let mut analysed = Vec::with_capacity(frames.len());
                let mut fingerprints = Vec::with_capacity(frames.len());
                let last = frames.len().saturating_sub(1);
                for (index, frame) in frames.iter().enumerate() {
                    let image = decode(frame, &limits)?;
                    fingerprints.push(replay::frame_fingerprint(&frame.bytes));
                    let measured = index == 0 || index == last;
                    analysed.push(Frame::describe(&engine, &image, measured).map_err(failed)?);
                }
                let judged = liveness::judge_sequence(&turns, &analysed);
                Ok(CaptureFinding {
                    liveness: finding(judged.finding),
                    template: judged.template.map(template),
                    fingerprints,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_liveness_label_is_the_api_label_of_the_same_name() {
        for label in [
            liveness::Label::Ok,
            liveness::Label::NoFacePresent,
            liveness::Label::MultiplePeople,
            liveness::Label::FaceNotFullyVisible,
            liveness::Label::IdUsedAsSelfie,
            liveness::Label::BlackWhite,
            liveness::Label::BadQuality,
            liveness::Label::Manipulated,
            liveness::Label::LivenessUndetermined,
            liveness::Label::DigitalCopy,
            liveness::Label::Photocopy,
        ] {
            assert_eq!(wire_label(label).to_string(), label.as_str());
        }
    }
}
