"""Reading the progress bar's printed lines back into numbers."""

import pytest

from cmlearn.progbar import clean, parse_line


def test_parse_line_refuses_text_that_is_no_bar():
    with pytest.raises(ValueError, match="not a progress-bar line"):
        parse_line("Epoch 1/2")


def test_a_redrawn_line_keeps_only_its_last_state():
    # In a notebook the bar redraws with backspaces and a carriage return.
    text = "\b" * 30 + "\r\x1b[1m2/3\x1b[0m \x1b[32m━━\x1b[0m 0s 2ms/step - fp: 1.5000 - tp: 2.0000"
    line = parse_line(text)
    assert (line.step, line.steps, line.values) == (2, 3, {"fp": 1.5, "tp": 2.0})
    assert clean(text) == line.text and "\x1b" not in line.text


def test_small_values_in_scientific_notation_are_read():
    assert parse_line("3/3 - 0s - loss: 2.5000e-04 - tp: 0.0000e+00").values == {"loss": 0.00025, "tp": 0.0}
