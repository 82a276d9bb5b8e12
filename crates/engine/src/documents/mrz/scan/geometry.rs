//! Where each character cell of a line is: the line's own direction, the capitals' top and
//! bottom along it (they narrow towards the far side of a page photographed at an angle), and
//! the cells' centres as a quadratic in their index, which a mild perspective bends the pitch
//! into.

use image::Luma;

use super::blobs::Blob;
use super::lines::median;

type Labels = image::ImageBuffer<Luma<u32>, Vec<u32>>;

/// ICAO's pitch over OCR-B's capital height (2.54 mm / 2.42 mm).
pub(super) const PITCH_PER_CAP: f32 = 1.05;
/// Far beyond any line's cells (an MRZ line has 44), well inside `i32`.
const MAX_INDEX: f32 = 100_000.0;

/// A mark's extent in a line's frame: `u` along the text, `v` down across it.
#[derive(Debug, Clone, Copy)]
struct Extent {
    u: (f32, f32),
    v: (f32, f32),
}

impl Extent {
    fn centre_u(&self) -> f32 {
        (self.u.0 + self.u.1) / 2.0
    }
    fn width(&self) -> f32 {
        self.u.1 - self.u.0
    }
    fn height(&self) -> f32 {
        self.v.1 - self.v.0
    }
}

/// A line of characters, measured.
#[derive(Debug, Clone)]
pub(super) struct LineGeometry {
    /// Unit vector along the text, and down across it (image coordinates, y down).
    pub direction: [f32; 2],
    pub normal: [f32; 2],
    /// The capitals' top and bottom, `v = a + b u`.
    top: (f32, f32),
    bottom: (f32, f32),
    /// The cell centres, `u = a + b i + c i^2` for the marks' index `i`.
    cells: (f32, f32, f32),
    /// The first and last index with ink.
    pub first: i32,
    pub last: i32,
}

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// Least squares `y = a + b x`; `None` when the points do not determine it.
fn fit_line(points: &[(f32, f32)]) -> Option<(f32, f32)> {
    let n = points.len() as f32;
    if points.len() < 2 {
        return None;
    }
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
    let (mx, my) = (sx / n, sy / n);
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (x, y) in points {
        sxx += (x - mx) * (x - mx);
        sxy += (x - mx) * (y - my);
    }
    if sxx <= f32::EPSILON {
        return None;
    }
    let b = sxy / sxx;
    Some((my - b * mx, b))
}

/// Least squares `y = a + b x + c x^2`, with `x` centred for stability; falls back to a line.
fn fit_quadratic(points: &[(f32, f32)]) -> Option<(f32, f32, f32)> {
    if points.len() < 6 {
        return fit_line(points).map(|(a, b)| (a, b, 0.0));
    }
    // Normal equations for [1, x, x^2].
    let mut m = [[0.0f64; 3]; 3];
    let mut r = [0.0f64; 3];
    for &(x, y) in points {
        let (x, y) = (f64::from(x), f64::from(y));
        let basis = [1.0, x, x * x];
        for (i, bi) in basis.iter().enumerate() {
            for (j, bj) in basis.iter().enumerate() {
                m[i][j] += bi * bj;
            }
            r[i] += bi * y;
        }
    }
    let solved = solve3(m, r)?;
    Some((solved[0] as f32, solved[1] as f32, solved[2] as f32))
}

/// Cramer's rule for a 3x3 system.
fn solve3(m: [[f64; 3]; 3], r: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(m);
    if d.abs() < 1e-9 {
        return None;
    }
    let mut out = [0.0; 3];
    for (column, slot) in out.iter_mut().enumerate() {
        let mut replaced = m;
        for (row, value) in r.iter().enumerate() {
            replaced[row][column] = *value;
        }
        *slot = det(replaced) / d;
    }
    Some(out)
}

/// The extent of `blob`'s own pixels in the frame of `direction`.
fn extent(labels: &Labels, blob: &Blob, direction: [f32; 2], normal: [f32; 2]) -> Extent {
    let mut e = Extent {
        u: (f32::MAX, f32::MIN),
        v: (f32::MAX, f32::MIN),
    };
    for y in blob.top..=blob.bottom {
        for x in blob.left..=blob.right {
            if labels.get_pixel_checked(x, y).map(|p| p.0[0]) != Some(blob.label) {
                continue;
            }
            // Pixel centres; a pixel spans half a pixel either way.
            let point = [x as f32 + 0.5, y as f32 + 0.5];
            let (u, v) = (dot(point, direction), dot(point, normal));
            e.u = (e.u.0.min(u - 0.5), e.u.1.max(u + 0.5));
            e.v = (e.v.0.min(v - 0.5), e.v.1.max(v + 0.5));
        }
    }
    e
}

impl LineGeometry {
    /// Measures the chain `members` of `blobs`, which runs along about `direction`.
    pub(super) fn measure(
        labels: &Labels,
        blobs: &[Blob],
        members: &[usize],
        direction: [f32; 2],
    ) -> Option<LineGeometry> {
        let chain: Vec<&Blob> = members.iter().filter_map(|&i| blobs.get(i)).collect();
        // The line's own direction, from its marks' centroids.
        let normal = [-direction[1], direction[0]];
        let centres: Vec<(f32, f32)> = chain
            .iter()
            .map(|b| (dot(b.centre, direction), dot(b.centre, normal)))
            .collect();
        let (_, slope) = fit_line(&centres)?;
        let angle = slope.atan();
        let (sin, cos) = angle.sin_cos();
        let direction = [
            direction[0] * cos - direction[1] * sin,
            direction[0] * sin + direction[1] * cos,
        ];
        let normal = [-direction[1], direction[0]];
        let extents: Vec<Extent> = chain
            .iter()
            .map(|b| extent(labels, b, direction, normal))
            .collect();

        // The capitals: the tall marks (the filler is shorter).
        let mut heights: Vec<f32> = extents.iter().map(Extent::height).collect();
        heights.sort_by(f32::total_cmp);
        let cap = *heights.get(heights.len() * 4 / 5)?;
        let tall: Vec<&Extent> = extents
            .iter()
            .filter(|e| e.height() >= 0.75 * cap && e.height() <= 1.3 * cap)
            .collect();
        let top = fit_trimmed(tall.iter().map(|e| (e.centre_u(), e.v.0)), 0.15 * cap)?;
        let bottom = fit_trimmed(tall.iter().map(|e| (e.centre_u(), e.v.1)), 0.15 * cap)?;

        // The pitch, from neighbouring single characters.
        let single: Vec<&Extent> = extents
            .iter()
            .filter(|e| e.width() <= 1.15 * PITCH_PER_CAP * cap)
            .collect();
        let steps: Vec<f32> = single
            .windows(2)
            .filter_map(|pair| match pair {
                [a, b] => Some(b.centre_u() - a.centre_u()),
                _ => None,
            })
            .filter(|step| *step > 0.5 * cap && *step < 1.6 * cap)
            .collect();
        let pitch = median(steps)?;
        // Indices counted from mark to mark, so that a small error in the pitch does not
        // add up along a line of 44.
        let mut indexed: Vec<(f32, f32)> = Vec::with_capacity(single.len());
        let mut index = 0.0f32;
        let mut previous: Option<f32> = None;
        for e in &single {
            let u = e.centre_u();
            if let Some(before) = previous {
                index += ((u - before) / pitch).round().max(1.0);
            }
            indexed.push((index, u));
            previous = Some(u);
        }
        let mut cells = fit_quadratic(&indexed)?;
        for _ in 0..2 {
            let kept: Vec<(f32, f32)> = indexed
                .iter()
                .copied()
                .filter(|&(i, u)| (at(cells, i) - u).abs() < 0.3 * pitch)
                .collect();
            cells = fit_quadratic(&kept)?;
        }
        if cells.1 <= 0.0 {
            return None;
        }
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for e in &extents {
            let (a, b) = if e.width() <= 1.15 * PITCH_PER_CAP * cap {
                (e.centre_u(), e.centre_u())
            } else {
                (e.u.0 + pitch / 2.0, e.u.1 - pitch / 2.0)
            };
            let (a, b) = (index_of(cells, a), index_of(cells, b));
            // A fit nearly flat at an end sends indices to infinity there; such marks are no
            // line of characters (a phone photo of a card without MRZ gave one).
            if !(a.abs() <= MAX_INDEX && b.abs() <= MAX_INDEX) {
                return None;
            }
            first = first.min(a.round() as i32);
            last = last.max(b.round() as i32);
        }
        (first <= last).then_some(LineGeometry {
            direction,
            normal,
            top,
            bottom,
            cells,
            first,
            last,
        })
    }

    /// How many cells hold ink, from the first to the last.
    pub(super) fn span(&self) -> i32 {
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// The pitch at index `i`.
    pub(super) fn pitch(&self, i: f32) -> f32 {
        self.cells.1 + 2.0 * self.cells.2 * i
    }

    /// The centre of cell `i` (an index of this line's marks) and the capital height there.
    pub(super) fn cell(&self, i: f32) -> ([f32; 2], f32) {
        let u = at(self.cells, i);
        let top = self.top.0 + self.top.1 * u;
        let bottom = self.bottom.0 + self.bottom.1 * u;
        let v = (top + bottom) / 2.0;
        // The marks' extent overstates the capitals: a blurred glyph's mark takes in the
        // half-dark pixels around its strokes (a pixel or so each side, a tenth of a capital at
        // 10 px), and lines of digits measure the digits, taller than capitals. The pitch,
        // between mark centres, has neither error, and ICAO fixes it at 1.05 capitals; the
        // fitted height is kept only where it is the smaller, a page foreshortened across the
        // text.
        let cap = (bottom - top).min(self.pitch(i) / PITCH_PER_CAP);
        let point = [
            u * self.direction[0] + v * self.normal[0],
            u * self.direction[1] + v * self.normal[1],
        ];
        (point, cap)
    }

    /// Where cell `i`'s centre lies along `direction`, for aligning lines.
    pub(super) fn along(&self, i: f32, direction: [f32; 2]) -> f32 {
        dot(self.cell(i).0, direction)
    }

    /// Where cell `i`'s centre lies across `direction`.
    pub(super) fn across(&self, i: f32, direction: [f32; 2]) -> f32 {
        dot(self.cell(i).0, [-direction[1], direction[0]])
    }
}

fn at(cells: (f32, f32, f32), i: f32) -> f32 {
    cells.0 + cells.1 * i + cells.2 * i * i
}

/// The index whose centre is at `u`: the quadratic's term is small, so a few steps suffice.
fn index_of(cells: (f32, f32, f32), u: f32) -> f32 {
    let mut i = (u - cells.0) / cells.1;
    for _ in 0..3 {
        i = (u - cells.0 - cells.2 * i * i) / cells.1;
    }
    i
}

/// A line fitted to `points`, fitted again without those further than `tolerance` from it.
fn fit_trimmed(points: impl Iterator<Item = (f32, f32)>, tolerance: f32) -> Option<(f32, f32)> {
    let points: Vec<(f32, f32)> = points.collect();
    let first = fit_line(&points)?;
    let kept: Vec<(f32, f32)> = points
        .iter()
        .copied()
        .filter(|(x, y)| (first.0 + first.1 * x - y).abs() <= tolerance)
        .collect();
    fit_line(&kept).or(Some(first))
}
