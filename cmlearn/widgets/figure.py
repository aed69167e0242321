"""The explorer's figure: built once, updated in place, encoded to PNG.

The figure uses matplotlib's Agg canvas directly (no pyplot, no interactive
backend), so it works wherever a PNG can be shown. What a threshold move
changes is drawn as "animated" artists over a cached background (blitting):
a move redraws a line, eight coloured cells, nine short labels and two
points, not the whole figure. Text is the costly part of a redraw, so the
cell names (TN, FP, ...) sit above their cells in the cached background and
only the numbers are redrawn.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from cmlearn.style import CLASS_STYLE, CURVE_COLOR, FIGURE_DPI, MATRIX_CMAP, POINT_COLOR, THRESHOLD_COLOR

__all__ = ["ExplorerFigure"]

_CELL_KEYS = (("TN", "FP"), ("FN", "TP"))
_RATE_KEYS = (("TNR", "FPR"), ("FNR", "TPR"))
#: The histogram's y axis, unweighted and weighted.
_HISTOGRAM_LABEL = {False: "samples per bin", True: "sum of sample_weight per bin"}


class ExplorerFigure:
    """Histogram, count and rate matrices, ROC and PR curves for one data set.

    Parameters
    ----------
    edges, heights : from :func:`cmlearn.curves.score_histogram`
    roc, pr : :class:`cmlearn.curves.Curve`
    dpi : int
    """

    def __init__(self, edges, heights, roc, pr, dpi=FIGURE_DPI, weighted=False):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=(9.0, 5.2), dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        grid = self.fig.add_gridspec(2, 3)
        self.ax_hist = self.fig.add_subplot(grid[0, :2])
        self.ax_counts = self.fig.add_subplot(grid[1, 0])
        self.ax_rates = self.fig.add_subplot(grid[1, 1])
        self.ax_roc = self.fig.add_subplot(grid[0, 2])
        self.ax_pr = self.fig.add_subplot(grid[1, 2])
        self._build_histogram(edges, heights)
        self.ax_hist.set_ylabel(_HISTOGRAM_LABEL[bool(weighted)])
        self._build_matrices()
        self._build_curves(roc, pr)
        self._background = None

    # -- construction -------------------------------------------------------
    def _build_histogram(self, edges, heights):
        ax = self.ax_hist
        width = np.diff(edges)
        self.bars = {}
        for label in (0, 1):
            style = CLASS_STYLE[label]
            self.bars[label] = ax.bar(
                edges[:-1], heights[label], width=width, align="edge", color=style["color"], alpha=0.6,
                hatch=style["hatch"], edgecolor="#333333", linewidth=0.4, label=style["label"],
            )
        ax.set_xlim(0, 1)
        ax.set_xlabel("score y_pred")
        ax.set_title("scores per actual class; dashed line: threshold (positive when y_pred > t)", fontsize=10)
        ax.legend(loc="upper center", fontsize=9, ncols=3)
        self.threshold_line = ax.axvline(0.5, color=THRESHOLD_COLOR, linestyle="--", linewidth=2, animated=True)
        self.threshold_label = ax.text(
            0.5, 0.80, "", transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=10, animated=True,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
        )
        self._scale_histogram(heights)

    def _scale_histogram(self, heights):
        top = max(float(np.max(heights[0])), float(np.max(heights[1])), 1e-12)
        self.ax_hist.set_ylim(0, top * 1.25)  # room for the legend

    def _build_matrix(self, ax, title, names):
        """A 2×2 grid: static names above animated cells; returns (cells, number texts, values)."""
        from matplotlib.patches import Rectangle

        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(1.5, -0.5)  # row 0 on top, as in a printed matrix
        ax.set_aspect("equal")
        ax.set_xticks([0, 1], ["pred. 0", "pred. 1"])
        ax.set_yticks([0, 1], ["actual 0", "actual 1"])
        ax.set_title(title, fontsize=10)
        cells, numbers = [[None, None], [None, None]], [[None, None], [None, None]]
        for r in (0, 1):
            for c in (0, 1):
                ax.text(c, r - 0.3, names[r][c], ha="center", va="center", fontsize=9)  # background: drawn once
                cells[r][c] = ax.add_patch(Rectangle((c - 0.46, r - 0.17), 0.92, 0.63, linewidth=0, animated=True))
                numbers[r][c] = ax.text(c, r + 0.15, "", ha="center", va="center", fontsize=10, animated=True)
        return cells, numbers, np.zeros((2, 2))

    def _build_matrices(self):
        from matplotlib import colormaps

        self._cmap = colormaps[MATRIX_CMAP]
        self.count_cells, self.count_texts, self.count_values = self._build_matrix(self.ax_counts, "counts (Keras)", _CELL_KEYS)
        self.rate_cells, self.rate_texts, self.rate_values = self._build_matrix(self.ax_rates, "row-normalised: rates", _RATE_KEYS)

    def _build_curves(self, roc, pr):
        self.roc_line, = self.ax_roc.plot(roc.x, roc.y, color=CURVE_COLOR, linewidth=1.5)
        self.ax_roc.plot([0, 1], [0, 1], color="#999999", linestyle=":", linewidth=1)
        self.roc_point, = self.ax_roc.plot([0], [0], marker="o", markersize=9, color=POINT_COLOR, markeredgecolor="black", animated=True)
        self.pr_line, = self.ax_pr.plot(pr.x, pr.y, color=CURVE_COLOR, linewidth=1.5)
        self.pr_point, = self.ax_pr.plot([0], [0], marker="D", markersize=8, color=POINT_COLOR, markeredgecolor="black", animated=True)
        for ax, curve, title in ((self.ax_roc, roc, "ROC"), (self.ax_pr, pr, "precision–recall")):
            ax.set_xlim(-0.02, 1.02)
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlabel(curve.x_label, fontsize=9)
            ax.set_ylabel(curve.y_label, fontsize=9)
            ax.set_title(title, fontsize=10)
            ax.grid(True, linewidth=0.3)

    @property
    def animated(self):
        """The artists redrawn on every threshold move."""
        cells = [p for row in (*self.count_cells, *self.rate_cells) for p in row]
        texts = [t for row in (*self.count_texts, *self.rate_texts) for t in row]
        return [self.threshold_line, self.threshold_label, *cells, *texts, self.roc_point, self.pr_point]

    # -- updates ------------------------------------------------------------
    def set_data(self, edges, heights, roc, pr, weighted=False):
        """New histogram heights and curves (same bins): a full redraw follows."""
        self.ax_hist.set_ylabel(_HISTOGRAM_LABEL[bool(weighted)])
        for label in (0, 1):
            for bar, h in zip(self.bars[label], heights[label], strict=True):
                bar.set_height(h)
        self._scale_histogram(heights)
        self.roc_line.set_data(roc.x, roc.y)
        self.pr_line.set_data(pr.x, pr.y)
        self._background = None

    def set_threshold(self, threshold, matrix, normalised, roc_xy, pr_xy, total):
        """Move every threshold-dependent artist; nothing is re-created."""
        self.threshold_line.set_xdata([threshold, threshold])
        self.threshold_label.set_x(min(threshold, 0.82) + 0.01)
        self.threshold_label.set_text(f"t = {threshold:.4g}")
        from cmlearn.ratios import format_count

        # Cell colours: a count's share of all samples, a rate's value (an undefined rate is left white).
        self.count_values = np.asarray(matrix, dtype=np.float64) / (total if total > 0 else 1.0)
        self.rate_values = np.nan_to_num(np.asarray(normalised, dtype=np.float64), nan=0.0)
        for r in (0, 1):
            for c in (0, 1):
                share, rate = self.count_values[r, c], normalised[r][c]
                self.count_cells[r][c].set_facecolor(self._cmap(share))
                self.count_texts[r][c].set_text(format_count(matrix[r][c]))
                self.count_texts[r][c].set_color(_ink(self.count_cells[r][c].get_facecolor()))
                self.rate_cells[r][c].set_facecolor(self._cmap(self.rate_values[r, c]))
                self.rate_texts[r][c].set_text("undef." if np.isnan(rate) else f"{rate:.3f}")
                self.rate_texts[r][c].set_color(_ink(self.rate_cells[r][c].get_facecolor()))
        self.roc_point.set_data([roc_xy[0]], [roc_xy[1]])
        self.pr_point.set_data([pr_xy[0]], [pr_xy[1]])

    def render(self):
        """Draw (blitting over the cached background) and return PNG bytes."""
        if self._background is None:
            self.canvas.draw()  # animated artists are left out of this
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.animated:
            self.fig.draw_artist(artist)
        return _png(self.canvas)


def _ink(rgba):
    """Black or white, whichever contrasts more with the cell colour (WCAG relative luminance)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3]]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def _chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def _png(canvas):
    """Encode the canvas as an RGB PNG: no row filter, fastest zlib level.

    Plots are mostly flat colour, so unfiltered rows compress about as well as
    filtered ones, and encoding takes about half the time of PIL's encoder.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # a leading 0 per row: filter "none"
    rows[:, 1:] = rgba[..., :3].reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _chunk(b"IEND", b"")
