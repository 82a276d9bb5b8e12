use super::layout::Cell;
use super::report::{Correction, Field, FieldProblem};

/// The MRZ characters as they are being read, with the record of every character changed and
/// every problem met on the way. All changes go through [`Grid::correct`], so none goes
/// unreported.
#[derive(Debug)]
pub(super) struct Grid {
    lines: Vec<Vec<u8>>,
    corrections: Vec<Correction>,
    problems: Vec<FieldProblem>,
}

/// The character at `cell`. Positions come from the layout of a format whose shape was checked,
/// so they are always on the MRZ; off it, the answer is a filler rather than a panic.
pub(super) fn byte_at(lines: &[Vec<u8>], cell: Cell) -> u8 {
    lines
        .get(cell.line)
        .and_then(|line| line.get(cell.column))
        .copied()
        .unwrap_or(b'<')
}

pub(super) fn bytes_at(lines: &[Vec<u8>], cells: impl IntoIterator<Item = Cell>) -> Vec<u8> {
    cells.into_iter().map(|cell| byte_at(lines, cell)).collect()
}

/// Writes `byte` at `cell` of a scratch copy of the lines, unrecorded; off the lines, nothing.
pub(super) fn set_at(lines: &mut [Vec<u8>], cell: Cell, byte: u8) {
    if let Some(slot) = lines
        .get_mut(cell.line)
        .and_then(|line| line.get_mut(cell.column))
    {
        *slot = byte;
    }
}

impl Grid {
    pub fn new(lines: Vec<Vec<u8>>) -> Self {
        Self {
            lines,
            corrections: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn lines(&self) -> &[Vec<u8>] {
        &self.lines
    }

    pub fn byte(&self, cell: Cell) -> u8 {
        byte_at(&self.lines, cell)
    }

    pub fn bytes(&self, cells: impl IntoIterator<Item = Cell>) -> Vec<u8> {
        bytes_at(&self.lines, cells)
    }

    /// Replaces the character at `cell` and records it. A cell changed twice keeps one record,
    /// from the character first read to the last one written.
    pub fn correct(&mut self, cell: Cell, byte: u8, field: Field) {
        let Some(slot) = self
            .lines
            .get_mut(cell.line)
            .and_then(|line| line.get_mut(cell.column))
        else {
            return;
        };
        let read = *slot;
        if read == byte {
            return;
        }
        *slot = byte;
        let (line, column) = (cell.line + 1, cell.column + 1);
        let earlier = self
            .corrections
            .iter_mut()
            .find(|correction| correction.line == line && correction.column == column);
        match earlier {
            Some(earlier) => earlier.corrected = char::from(byte),
            None => self.corrections.push(Correction {
                field,
                line,
                column,
                read: char::from(read),
                corrected: char::from(byte),
            }),
        }
        self.corrections
            .retain(|correction| correction.read != correction.corrected);
        // A character corrected (by a check digit, from the reader's second choice) is no
        // longer one the field cannot hold.
        self.problems.retain(|problem| {
            !matches!(problem, FieldProblem::UnexpectedCharacter { line: l, column: c, .. }
                if *l == line && *c == column)
        });
    }

    pub fn report(&mut self, problem: FieldProblem) {
        self.problems.push(problem);
    }

    /// The lines, the corrections in reading order (by line, then column), and the problems.
    pub fn into_parts(mut self) -> (Vec<Vec<u8>>, Vec<Correction>, Vec<FieldProblem>) {
        self.corrections
            .sort_by_key(|correction| (correction.line, correction.column));
        (self.lines, self.corrections, self.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: Cell = Cell { line: 0, column: 1 };

    #[test]
    fn records_each_changed_cell_once() {
        let mut grid = Grid::new(vec![b"A0C".to_vec()]);
        grid.correct(CELL, b'0', Field::Names);
        assert!(
            grid.into_parts().1.is_empty(),
            "an unchanged cell is no correction"
        );

        let mut grid = Grid::new(vec![b"A0C".to_vec()]);
        grid.correct(CELL, b'O', Field::Names);
        grid.correct(CELL, b'D', Field::Names);
        let (lines, corrections, _) = grid.into_parts();
        assert_eq!(lines, [b"ADC".to_vec()]);
        assert_eq!(
            corrections,
            [Correction {
                field: Field::Names,
                line: 1,
                column: 2,
                read: '0',
                corrected: 'D'
            }]
        );
    }

    #[test]
    fn a_cell_changed_back_is_no_correction() {
        let mut grid = Grid::new(vec![b"A0C".to_vec()]);
        grid.correct(CELL, b'O', Field::Names);
        grid.correct(CELL, b'0', Field::Names);
        assert!(grid.into_parts().1.is_empty());
    }

    #[test]
    fn cells_off_the_grid_read_as_fillers_and_are_not_written() {
        let mut grid = Grid::new(vec![b"AB".to_vec()]);
        let off = Cell { line: 3, column: 9 };
        assert_eq!(grid.byte(off), b'<');
        grid.correct(off, b'X', Field::Names);
        let (lines, corrections, _) = grid.into_parts();
        assert_eq!(lines, [b"AB".to_vec()]);
        assert!(corrections.is_empty());
    }
}
