//! Which marks stand in a row: the direction the text runs in (the one most neighbours lie
//! along), then chains of marks of one size, each next to the one before along that direction.
//! The MRZ's lines are such chains, 30 to 44 marks at a constant pitch.

use super::blobs::Blob;

/// Marks of one line differ in size, but not by more than this factor (the filler is the
/// smallest, about half a capital).
const SIZE_RATIO: f32 = 2.5;
/// A mark's neighbour along the line is at most this many of the larger one's sizes away.
const MAX_STEP: f32 = 2.2;
/// And at most this many sizes off the line.
const MAX_OFF_LINE: f32 = 0.35;
/// A chain of fewer marks is not an MRZ line (the shortest is 30 characters).
const MIN_CHAIN: usize = 12;

fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

fn similar(a: &Blob, b: &Blob) -> bool {
    let (sa, sb) = (a.size(), b.size());
    sa.max(sb) <= SIZE_RATIO * sa.min(sb)
}

/// Blobs in buckets of a grid, so that the neighbours of each are found without comparing all
/// pairs.
struct Buckets {
    cell: f32,
    columns: usize,
    rows: usize,
    members: Vec<Vec<usize>>,
}

impl Buckets {
    fn new(blobs: &[Blob], cell: f32) -> Buckets {
        let cell = cell.max(1.0);
        let max_x = blobs.iter().map(|b| b.centre[0]).fold(0.0, f32::max);
        let max_y = blobs.iter().map(|b| b.centre[1]).fold(0.0, f32::max);
        let columns = (max_x / cell) as usize + 1;
        let rows = (max_y / cell) as usize + 1;
        let mut members = vec![Vec::new(); columns * rows];
        for (index, blob) in blobs.iter().enumerate() {
            let (c, r) = (
                (blob.centre[0] / cell) as usize,
                (blob.centre[1] / cell) as usize,
            );
            if let Some(bucket) = members.get_mut(r * columns + c) {
                bucket.push(index);
            }
        }
        Buckets {
            cell,
            columns,
            rows,
            members,
        }
    }

    /// Indices of the blobs within `radius` of `point` (and some a little further).
    fn near(&self, point: [f32; 2], radius: f32) -> impl Iterator<Item = usize> + '_ {
        let span = (radius / self.cell).ceil() as isize;
        let (c, r) = (
            (point[0] / self.cell) as isize,
            (point[1] / self.cell) as isize,
        );
        let rows = (r - span).max(0)..=(r + span).min(self.rows as isize - 1);
        rows.flat_map(move |row| {
            let columns = (c - span).max(0)..=(c + span).min(self.columns as isize - 1);
            columns.flat_map(move |column| {
                self.members
                    .get(row as usize * self.columns + column as usize)
                    .into_iter()
                    .flatten()
                    .copied()
            })
        })
    }
}

/// The direction most marks have their nearest like-sized neighbour in, as a unit vector with
/// a non-negative x (the text may still run the other way: upside down).
pub(super) fn text_direction(blobs: &[Blob]) -> Option<[f32; 2]> {
    let typical = median(blobs.iter().map(Blob::size).collect())?;
    let buckets = Buckets::new(blobs, typical * MAX_STEP);
    let mut histogram = [0.0f32; 180];
    for (index, blob) in blobs.iter().enumerate() {
        let reach = blob.size() * MAX_STEP;
        let nearest = buckets
            .near(blob.centre, reach)
            .filter(|&other| other != index)
            .filter_map(|other| blobs.get(other))
            .filter(|other| similar(blob, other))
            .map(|other| {
                let offset = [
                    other.centre[0] - blob.centre[0],
                    other.centre[1] - blob.centre[1],
                ];
                (offset[0].hypot(offset[1]), offset)
            })
            .filter(|(distance, _)| *distance <= reach && *distance > 0.0)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, offset)) = nearest {
            let degrees = offset[1].atan2(offset[0]).to_degrees().rem_euclid(180.0);
            if let Some(bin) = histogram.get_mut(degrees as usize % 180) {
                *bin += 1.0;
            }
        }
    }
    // Smoothed over 5 degrees, the angle wrapping round at 180.
    let smoothed = |bin: usize| -> f32 {
        (0..5)
            .map(|k| {
                histogram
                    .get((bin + 180 + k - 2) % 180)
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum()
    };
    let peak = (0..180).max_by(|&a, &b| smoothed(a).total_cmp(&smoothed(b)))?;
    // The peak's mean angle from its neighbourhood, for a sub-degree direction.
    let (mut weight, mut sum) = (0.0, 0.0);
    for k in -2i32..=2 {
        let bin = (peak as i32 + k).rem_euclid(180) as usize;
        let count = histogram.get(bin).copied().unwrap_or(0.0);
        weight += count;
        sum += count * (peak as i32 + k) as f32;
    }
    let degrees = if weight > 0.0 {
        sum / weight
    } else {
        peak as f32
    } + 0.5;
    let radians = degrees.to_radians();
    let direction = [radians.cos(), radians.sin()];
    Some(if direction[0] < 0.0 {
        [-direction[0], -direction[1]]
    } else {
        direction
    })
}

pub(super) fn median(mut values: Vec<f32>) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    values.get(values.len() / 2).copied()
}

fn find(parents: &mut [usize], mut index: usize) -> usize {
    while let Some(&parent) = parents.get(index) {
        if parent == index {
            break;
        }
        let grand = parents.get(parent).copied().unwrap_or(parent);
        if let Some(slot) = parents.get_mut(index) {
            *slot = grand;
        }
        index = grand;
    }
    index
}

/// Chains of marks, each linked to its nearest like-sized neighbour ahead along `direction`;
/// every chain of at least [`MIN_CHAIN`] marks, in order along `direction`.
pub(super) fn chains(blobs: &[Blob], direction: [f32; 2]) -> Vec<Vec<usize>> {
    let normal = [-direction[1], direction[0]];
    let typical = median(blobs.iter().map(Blob::size).collect()).unwrap_or(1.0);
    let buckets = Buckets::new(blobs, typical * MAX_STEP);
    let mut parents: Vec<usize> = (0..blobs.len()).collect();
    for (index, blob) in blobs.iter().enumerate() {
        let next = buckets
            .near(blob.centre, blob.size() * MAX_STEP * SIZE_RATIO)
            .filter(|&other| other != index)
            .filter_map(|other| Some((other, blobs.get(other)?)))
            .filter(|(_, other)| similar(blob, other))
            .filter_map(|(other_index, other)| {
                let offset = [
                    other.centre[0] - blob.centre[0],
                    other.centre[1] - blob.centre[1],
                ];
                let along = dot(offset, direction);
                let across = dot(offset, normal).abs();
                let size = blob.size().max(other.size());
                (along > 0.0 && along <= MAX_STEP * size && across <= MAX_OFF_LINE * size)
                    .then_some((other_index, along))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((other, _)) = next {
            let (a, b) = (find(&mut parents, index), find(&mut parents, other));
            if let Some(slot) = parents.get_mut(a) {
                *slot = b;
            }
        }
    }
    let mut groups: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for index in 0..blobs.len() {
        let root = find(&mut parents, index);
        groups.entry(root).or_default().push(index);
    }
    let mut chains: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|chain| chain.len() >= MIN_CHAIN)
        .collect();
    for chain in &mut chains {
        chain.sort_by(|&a, &b| {
            let key = |i: usize| blobs.get(i).map_or(0.0, |blob| dot(blob.centre, direction));
            key(a).total_cmp(&key(b))
        });
    }
    chains
}
