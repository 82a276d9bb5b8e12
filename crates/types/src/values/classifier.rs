//! The classifier of a part: its name on the wire, in paths and in `api.parts`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most liveness frames one capture sequence may hold.
pub const MAX_LIVENESS_FRAMES: u16 = 64;

/// FRONT, BACK, FACE, FACEMAP, DOCUMENT, PREPARED_DATA or LIVENESS_1 to LIVENESS_64. The frames
/// make the set too large for a derived enum: the text form is written out here, and the schema
/// is the pattern of exactly those names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Classifier {
    Front,
    Back,
    Face,
    Facemap,
    Document,
    PreparedData,
    /// Frame n (1-based) of a liveness capture sequence.
    Liveness(u16),
}

impl Classifier {
    /// Lower-case key used in `api.parts`.
    pub fn key(self) -> String {
        self.to_string().to_ascii_lowercase()
    }
}

impl fmt::Display for Classifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Classifier::Front => f.write_str("FRONT"),
            Classifier::Back => f.write_str("BACK"),
            Classifier::Face => f.write_str("FACE"),
            Classifier::Facemap => f.write_str("FACEMAP"),
            Classifier::Document => f.write_str("DOCUMENT"),
            Classifier::PreparedData => f.write_str("PREPARED_DATA"),
            Classifier::Liveness(n) => write!(f, "LIVENESS_{n}"),
        }
    }
}

impl FromStr for Classifier {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "FRONT" => Classifier::Front,
            "BACK" => Classifier::Back,
            "FACE" => Classifier::Face,
            "FACEMAP" => Classifier::Facemap,
            "DOCUMENT" => Classifier::Document,
            "PREPARED_DATA" => Classifier::PreparedData,
            other => {
                // Only the canonical number: `u16::from_str` alone would also take `+5` and `05`.
                let frame = other
                    .strip_prefix("LIVENESS_")
                    .filter(|n| n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
                    .and_then(|n| n.parse::<u16>().ok())
                    .filter(|n| (1..=MAX_LIVENESS_FRAMES).contains(n));
                match frame {
                    Some(n) => Classifier::Liveness(n),
                    None => {
                        return Err(format!(
                            "unknown classifier {other:?}; expected FRONT, BACK, FACE, FACEMAP, DOCUMENT, PREPARED_DATA or LIVENESS_1..LIVENESS_{MAX_LIVENESS_FRAMES}"
                        ))
                    }
                }
            }
        })
    }
}

impl Serialize for Classifier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Classifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Classifier {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(
                "^(FRONT|BACK|FACE|FACEMAP|DOCUMENT|PREPARED_DATA|LIVENESS_([1-9]|[1-5][0-9]|6[0-4]))$",
            ))
            .into()
    }
}

/// Named as the path parameter's schema has always been named.
impl utoipa::ToSchema for Classifier {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PartClassifier")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifiers_round_trip_and_refuse_out_of_range_frames() {
        for text in [
            "FRONT",
            "BACK",
            "FACE",
            "FACEMAP",
            "DOCUMENT",
            "PREPARED_DATA",
            "LIVENESS_1",
            "LIVENESS_64",
        ] {
            assert_eq!(
                text.parse::<Classifier>().map(|c| c.to_string()).as_deref(),
                Ok(text)
            );
        }
        for bad in [
            "front",
            "LIVENESS_0",
            "LIVENESS_05",
            "LIVENESS_+5",
            "LIVENESS_65",
            "LIVENESS_",
            "SELFIE",
        ] {
            assert!(
                bad.parse::<Classifier>().is_err(),
                "{bad} should be refused"
            );
        }
    }
}
