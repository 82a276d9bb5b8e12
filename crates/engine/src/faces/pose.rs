//! Which way a face is turned, from its five landmarks: when a head turns, the nose tip moves
//! towards the side it turns to, relative to the midpoint of the eyes, by about the sine of
//! the angle times the nose's depth. Measured along the eye line, so that a tilted head
//! (roll) reads the same.

use super::detect::Face;

/// Where a face looks, in the person's own terms: a person turning to their left shows the
/// camera (whose photo is not mirrored) a nose moving towards the photo's right edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pose {
    /// At the camera.
    Frontal,
    /// The person turned to their own left.
    TurnedLeft,
    /// The person turned to their own right.
    TurnedRight,
    /// Neither clearly frontal nor clearly turned.
    Between,
}

/// A face whose yaw is within this faces the camera well enough to start a capture. Real
/// selfies measure -0.19 to 0.10 (the test photos): nobody holds a phone exactly in front.
pub const FACING: f32 = 0.25;
/// Yaw is about half the sine of the turn's angle: a change of 0.15 from the first frame is a
/// turn of about 17 degrees, a change under 0.07 (8 degrees) none.
pub const TURNED: f32 = 0.15;
pub const STILL: f32 = 0.07;

/// The nose's offset from the eyes' midpoint along the eye line, in eye distances: positive
/// towards the photo's right edge (the person turned to their left), negative towards its left.
pub fn yaw(face: &Face) -> f32 {
    let [left, right, nose, ..] = face.landmarks;
    let along = [right[0] - left[0], right[1] - left[1]];
    let distance = along[0].hypot(along[1]);
    if distance <= f32::EPSILON {
        return 0.0;
    }
    let middle = [(left[0] + right[0]) / 2.0, (left[1] + right[1]) / 2.0];
    ((nose[0] - middle[0]) * along[0] + (nose[1] - middle[1]) * along[1]) / (distance * distance)
}

/// Where `face` looks compared with a face whose yaw was `reference` (the same person's
/// first frame): a person's resting yaw is their own, a turn is a change from it.
pub fn pose(reference: f32, face: &Face) -> Pose {
    let change = yaw(face) - reference;
    if change.abs() < STILL {
        Pose::Frontal
    } else if change >= TURNED {
        Pose::TurnedLeft
    } else if change <= -TURNED {
        Pose::TurnedRight
    } else {
        Pose::Between
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(nose_x: f32, roll: f32) -> Face {
        let turn = |[x, y]: [f32; 2]| {
            let (s, c) = roll.to_radians().sin_cos();
            [x * c - y * s, x * s + y * c]
        };
        Face {
            bounds: [0.0; 4],
            landmarks: [
                [-30.0, 0.0],
                [30.0, 0.0],
                [nose_x, 25.0],
                [-25.0, 50.0],
                [25.0, 50.0],
            ]
            .map(turn),
            score: 1.0,
        }
    }

    #[test]
    fn reads_the_turn_from_the_nose_whatever_the_roll() {
        for roll in [0.0, 20.0, -35.0] {
            assert_eq!(pose(0.0, &face(0.0, roll)), Pose::Frontal);
            assert_eq!(pose(0.0, &face(10.0, roll)), Pose::TurnedLeft);
            assert_eq!(pose(0.0, &face(-10.0, roll)), Pose::TurnedRight);
            assert_eq!(pose(0.0, &face(6.0, roll)), Pose::Between);
            assert!((yaw(&face(15.0, roll)) - 0.25).abs() < 1e-4);
            // Against a face that rests turned, the same face is no turn.
            assert_eq!(pose(0.25, &face(15.0, roll)), Pose::Frontal);
            assert_eq!(pose(0.25, &face(0.0, roll)), Pose::TurnedRight);
        }
    }
}
