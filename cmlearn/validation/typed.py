"""What a learner types into a lab's box: text read as a number, or a message that says what to type.

A box is not a Python argument: it holds whatever was typed, "50%", "",
"half". Each refusal names the box, shows the text and ends with
``Fix: ...``, the number to type in its place.

>>> validate_typed_number("0.35", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
0.35
>>> validate_typed_number("50%", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
Traceback (most recent call last):
...
ValueError: the prevalence box holds '50%', a percentage, but it takes a share from 0.05 to 0.95. Fix: type 0.5 for
50%, with no % sign.
"""

from __future__ import annotations

import math

__all__ = ["validate_typed_number"]


def _number_text(value):
    """A number as a learner would type it back: 0.5, not 0.5000000000000001."""
    return f"{value:.10g}"


def validate_typed_number(text, box, *, low, high, example):
    """Read the text of ``box`` as one number from ``low`` to ``high``; return it as a float.

    ``example`` completes "Fix: type ..." for a box that is empty or holds
    no number (``"0.3 for 30%"``). A percentage ("50%", or "50" where a
    share is asked for and 50 % is in range) gets the share to type
    instead, 0.5.

    >>> validate_typed_number(" 0.3 ", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
    0.3
    >>> validate_typed_number("", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
    Traceback (most recent call last):
    ...
    ValueError: the prevalence box is empty. Fix: type a share from 0.05 to 0.95, e.g. 0.3 for 30%.
    >>> validate_typed_number("50", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
    Traceback (most recent call last):
    ...
    ValueError: the prevalence box holds '50', but it takes a share from 0.05 to 0.95. Fix: type 0.5 for 50%.
    >>> validate_typed_number("half", "prevalence box", low=0.05, high=0.95, example="0.3 for 30%")
    Traceback (most recent call last):
    ...
    ValueError: the prevalence box holds 'half', which is not a number. Fix: type a share from 0.05 to 0.95, e.g. 0.3
    for 30%.
    """
    if not isinstance(text, str):
        raise TypeError(f"{box} must hold text, but got {text!r} ({type(text).__name__}). Fix: e.g. {example}.")
    wanted = f"a share from {_number_text(low)} to {_number_text(high)}"
    typed = text.strip()
    if not typed:
        raise ValueError(f"the {box} is empty. Fix: type {wanted}, e.g. {example}.")
    percent = typed.endswith("%")
    try:
        value = float(typed.rstrip("%").strip() if percent else typed.replace(",", "."))
    except ValueError:
        value = math.nan
    if math.isnan(value) or not math.isfinite(value):
        raise ValueError(f"the {box} holds {text!r}, which is not a number. Fix: type {wanted}, e.g. {example}.")
    if percent:
        share = value / 100
        fix = f"type {_number_text(share)} for {_number_text(value)}%, with no % sign"
        if not low <= share <= high:
            fix = f"type {wanted}, e.g. {example}"
        raise ValueError(f"the {box} holds {text!r}, a percentage, but it takes {wanted}. Fix: {fix}.")
    if not low <= value <= high:
        share = value / 100
        fix = f"type {_number_text(share)} for {_number_text(value)}%" if low <= share <= high else (
            f"type {wanted}, e.g. {example}")
        raise ValueError(f"the {box} holds {text!r}, but it takes {wanted}. Fix: {fix}.")
    return value
