//! Rectangles and grids of cells, in the stage's logical units (canvas pixels over the
//! page's scale). Pure arithmetic, tested natively.

/// A rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Self { x, y, w, h }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }

    /// Whether the two share any area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Shrunk by `d` on every side (never below nothing).
    pub fn inset(&self, d: f64) -> Rect {
        Rect::new(
            self.x + d,
            self.y + d,
            (self.w - 2.0 * d).max(0.0),
            (self.h - 2.0 * d).max(0.0),
        )
    }

    /// The top `h` (at most all of it) and the rest below.
    pub fn cut_top(&self, h: f64) -> (Rect, Rect) {
        let h = h.clamp(0.0, self.h);
        (
            Rect::new(self.x, self.y, self.w, h),
            Rect::new(self.x, self.y + h, self.w, self.h - h),
        )
    }

    /// The bottom `h` (at most all of it) and the rest above.
    pub fn cut_bottom(&self, h: f64) -> (Rect, Rect) {
        let h = h.clamp(0.0, self.h);
        (
            Rect::new(self.x, self.bottom() - h, self.w, h),
            Rect::new(self.x, self.y, self.w, self.h - h),
        )
    }

    /// The left `w` (at most all of it) and the rest to the right.
    pub fn cut_left(&self, w: f64) -> (Rect, Rect) {
        let w = w.clamp(0.0, self.w);
        (
            Rect::new(self.x, self.y, w, self.h),
            Rect::new(self.x + w, self.y, self.w - w, self.h),
        )
    }

    /// As `[x, y, w, h]` scaled by `k`, rounded to a tenth, for tests that read the page.
    pub fn json(&self, k: f64) -> String {
        let r = |v: f64| (v * k * 10.0).round() / 10.0;
        format!("[{},{},{},{}]", r(self.x), r(self.y), r(self.w), r(self.h))
    }
}

/// A grid of square cells in an area, filled from a head corner: where a queue's
/// requests line up (the head nearest where they go next), or a pool's slots.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cells {
    pub area: Rect,
    /// Side of a cell, gap included.
    pub pitch: f64,
    pub cols: u32,
    pub rows: u32,
    /// The head is at the right (else the left) end of the first row.
    pub head_right: bool,
}

/// Largest and smallest cell pitch tried.
const PITCHES: [f64; 10] = [20.0, 16.0, 14.0, 12.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0];

impl Cells {
    /// The largest cells (of [`PITCHES`]) that fit `wanted` cells in `area`; if even the
    /// smallest do not, as many of the smallest as fit.
    pub fn fit(area: Rect, wanted: u32, head_right: bool) -> Self {
        let grid = |pitch: f64| {
            let cols = (area.w / pitch).floor().max(0.0) as u32;
            let rows = (area.h / pitch).floor().max(0.0) as u32;
            (cols, rows)
        };
        let pitch = PITCHES
            .into_iter()
            .find(|&p| {
                let (c, r) = grid(p);
                c * r >= wanted.max(1)
            })
            .unwrap_or(PITCHES[PITCHES.len() - 1]);
        let (cols, rows) = grid(pitch);
        Self {
            area,
            pitch,
            cols,
            rows,
            head_right,
        }
    }

    /// Cells of `pitch` in `area`.
    pub fn with_pitch(area: Rect, pitch: f64, head_right: bool) -> Self {
        Self {
            area,
            pitch,
            cols: (area.w / pitch).floor().max(0.0) as u32,
            rows: (area.h / pitch).floor().max(0.0) as u32,
            head_right,
        }
    }

    /// How many cells there are.
    pub fn capacity(&self) -> u32 {
        self.cols * self.rows
    }

    /// Whether `n` cells fit.
    pub fn holds(&self, n: u32) -> bool {
        n <= self.capacity()
    }

    /// Cell `i` (0: the head), as a square inside its pitch.
    pub fn cell(&self, i: u32) -> Rect {
        let cols = self.cols.max(1);
        let (row, col) = (i / cols, i % cols);
        let col = if self.head_right { cols - 1 - col } else { col };
        let gap = (self.pitch * 0.2).max(1.0);
        let side = self.pitch - gap;
        // Centred in the area along the rows, so a short grid does not hug one edge.
        let used_h = f64::from(self.rows) * self.pitch;
        let top = self.area.y + ((self.area.h - used_h) / 2.0).max(0.0);
        let left = if self.head_right {
            self.area.right() - f64::from(cols) * self.pitch
        } else {
            self.area.x
        };
        Rect::new(
            left + f64::from(col) * self.pitch + gap / 2.0,
            top + f64::from(row) * self.pitch + gap / 2.0,
            side,
            side,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_fit_as_many_as_asked_when_they_can() {
        let area = Rect::new(0.0, 0.0, 100.0, 20.0);
        let cells = Cells::fit(area, 16, false);
        assert!(cells.holds(16));
        assert_eq!(cells.pitch, 10.0);
        assert_eq!(Cells::fit(area, 4, false).pitch, 20.0);
        let many = Cells::fit(area, 1_000, false);
        assert_eq!(many.pitch, 5.0);
        assert_eq!(many.capacity(), 80);
    }

    #[test]
    fn cells_stay_inside_their_area_and_apart() {
        let area = Rect::new(3.0, 7.0, 61.0, 23.0);
        let cells = Cells::fit(area, 12, true);
        let rects: Vec<Rect> = (0..cells.capacity()).map(|i| cells.cell(i)).collect();
        for (i, r) in rects.iter().enumerate() {
            assert!(area.contains((r.x, r.y)) && area.contains((r.right(), r.bottom())));
            for other in &rects[i + 1..] {
                assert!(!r.overlaps(other), "{r:?} {other:?}");
            }
        }
        // The head is at the right end of the first row.
        assert!(rects[0].x > rects[1].x);
    }

    #[test]
    fn rects_overlap_only_when_they_share_area() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.overlaps(&Rect::new(5.0, 5.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 10.0, 10.0)));
    }
}
