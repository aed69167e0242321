"""Colours and marks that stay readable for colour-blind viewers.

The Okabe–Ito palette was designed so that its colours stay distinct under
the common forms of colour blindness. cmlearn never tells classes apart by
colour alone: positives also get a hatch and every mark has a text label.

>>> CLASS_STYLE[1]["label"], CLASS_STYLE[1]["hatch"]
('actual 1 (positive)', '//')
>>> OKABE_ITO["blue"]
'#0072B2'
"""

from __future__ import annotations

__all__ = ["OKABE_ITO", "CLASS_STYLE", "THRESHOLD_COLOR", "POINT_COLOR", "CURVE_COLOR", "MATRIX_CMAP", "FIGURE_DPI"]

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: How each actual class is drawn: colour, hatch and a label, never colour alone.
CLASS_STYLE = {
    0: {"color": OKABE_ITO["sky_blue"], "hatch": "", "label": "actual 0 (negative)"},
    1: {"color": OKABE_ITO["orange"], "hatch": "//", "label": "actual 1 (positive)"},
}

THRESHOLD_COLOR = OKABE_ITO["black"]
POINT_COLOR = OKABE_ITO["vermillion"]
CURVE_COLOR = OKABE_ITO["blue"]

#: A single-hue sequential map (light to dark blue): order is read from lightness.
MATRIX_CMAP = "Blues"

#: Modest resolution: the figure is re-encoded on every slider move.
FIGURE_DPI = 72
