//! Four corners of a text line, in reading order, and the geometry the pipeline needs of them.

/// Corners in reading order: top-left, top-right, bottom-right, bottom-left of the text, which
/// in the photo may be any rotation of a rectangle or, after perspective, a quadrilateral.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad(pub [[f32; 2]; 4]);

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

impl Quad {
    /// Along the text: the mean of the top and bottom edges.
    pub fn width(&self) -> f32 {
        let [a, b, c, d] = self.0;
        (distance(a, b) + distance(d, c)) / 2.0
    }

    /// Across the text: the mean of the left and right edges.
    pub fn height(&self) -> f32 {
        let [a, b, c, d] = self.0;
        (distance(a, d) + distance(b, c)) / 2.0
    }

    pub fn centre(&self) -> [f32; 2] {
        let sum = self
            .0
            .iter()
            .fold([0.0, 0.0], |acc, p| [acc[0] + p[0], acc[1] + p[1]]);
        [sum[0] / 4.0, sum[1] / 4.0]
    }

    /// The unit vector along the text, from its start to its end.
    pub fn direction(&self) -> [f32; 2] {
        let [a, b, c, d] = self.0;
        let x = (b[0] - a[0]) + (c[0] - d[0]);
        let y = (b[1] - a[1]) + (c[1] - d[1]);
        let length = x.hypot(y);
        if length > 0.0 {
            [x / length, y / length]
        } else {
            [1.0, 0.0]
        }
    }

    /// The same region read the other way up.
    pub fn turned(&self) -> Quad {
        let [a, b, c, d] = self.0;
        Quad([c, d, a, b])
    }

    /// Grown by `along` at each end of the text and `across` above and below it.
    pub fn grown(&self, along: f32, across: f32) -> Quad {
        let [ux, uy] = self.direction();
        let [vx, vy] = [-uy, ux];
        let shift = |[x, y]: [f32; 2], s: f32, t: f32| {
            [
                x + s * along * ux + t * across * vx,
                y + s * along * uy + t * across * vy,
            ]
        };
        let [a, b, c, d] = self.0;
        Quad([
            shift(a, -1.0, -1.0),
            shift(b, 1.0, -1.0),
            shift(c, 1.0, 1.0),
            shift(d, -1.0, 1.0),
        ])
    }

    pub fn scaled(&self, sx: f32, sy: f32) -> Quad {
        Quad(self.0.map(|[x, y]| [x * sx, y * sy]))
    }

    /// Whether `point` lies inside; the quad is convex, so the point is on the same side of
    /// every edge.
    pub fn contains(&self, point: [f32; 2]) -> bool {
        let mut sign = 0.0_f32;
        for index in 0..4 {
            let a = self.0[index];
            let b = self.0[(index + 1) % 4];
            let cross = (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]);
            if cross != 0.0 {
                if sign != 0.0 && cross.signum() != sign {
                    return false;
                }
                sign = cross.signum();
            }
        }
        true
    }

    /// A rectangle with the given centre, unit direction along the text, and size, its corners
    /// in reading order for text running along `direction` in image coordinates (y down).
    pub fn rectangle(centre: [f32; 2], direction: [f32; 2], width: f32, height: f32) -> Quad {
        let [ux, uy] = direction;
        // Down the text is the direction turned clockwise on screen.
        let [vx, vy] = [-uy, ux];
        let (hw, hh) = (width / 2.0, height / 2.0);
        let [cx, cy] = centre;
        let corner = |s: f32, t: f32| {
            [
                cx + s * hw * ux + t * hh * vx,
                cy + s * hw * uy + t * hh * vy,
            ]
        };
        Quad([
            corner(-1.0, -1.0),
            corner(1.0, -1.0),
            corner(1.0, 1.0),
            corner(-1.0, 1.0),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rectangle_keeps_its_size_and_direction() {
        let quad = Quad::rectangle([50.0, 20.0], [0.0, 1.0], 40.0, 10.0);
        assert!((quad.width() - 40.0).abs() < 1e-4);
        assert!((quad.height() - 10.0).abs() < 1e-4);
        assert_eq!(quad.direction(), [0.0, 1.0]);
        assert!(quad.contains([50.0, 20.0]));
        assert!(!quad.contains([60.0, 20.0]));
        assert_eq!(quad.turned().direction(), [0.0, -1.0]);
        let grown = quad.grown(5.0, 1.0);
        assert!((grown.width() - 50.0).abs() < 1e-4);
        assert!((grown.height() - 12.0).abs() < 1e-4);
    }
}
