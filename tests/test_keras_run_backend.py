"""cmlearn.keras_run.backend: Keras is imported quietly, and a failed import says how to fix it."""

import os
import subprocess
import sys


def test_a_missing_keras_backend_is_explained_not_traced():
    code = "import cmlearn\ncmlearn.keras_counts([0, 1], [0.2, 0.8])"
    env = {**os.environ, "KERAS_BACKEND": "no_such_backend"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: cmlearn runs Keras's own metrics") and "KERAS_BACKEND" in last, last


def test_on_colab_the_import_error_never_says_to_reinstall():
    # A stand-in google.colab module makes cmlearn advise as it would on Colab.
    code = (
        "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "import cmlearn\ncmlearn.keras_counts([0, 1], [0.2, 0.8])"
    )
    env = {**os.environ, "KERAS_BACKEND": "no_such_backend"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    last = result.stderr.strip().splitlines()[-1]
    assert "Do not reinstall keras here" in last and "requirements.txt" not in last, last
