import os
import pathlib
import re

# Quiet TensorFlow's start-up logs in test output; set before Keras is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# make test-colab tests the installed wheel with Colab's packages, and its -m "not (...)" leaves out every test
# marked with a marker named in CMLEARN_LEAVES_OUT (the Makefile's COLAB_LEAVES_OUT, passed down). A file whose
# module-level pytestmark names one of them is left out whole, so that run does not even import it: such files
# may import what Colab lacks at their top (cmlearn.tools, which the wheel leaves out; repo2docker; Playwright),
# and pytest imports a file before it deselects its tests.
if os.environ.get("CMLEARN_TEST_INSTALLED") == "1":
    _LEFT_OUT = re.findall(r"\w+", os.environ.get("CMLEARN_LEAVES_OUT", "").replace(" or ", " "))
    _NAMES = "|".join(_LEFT_OUT or ["(?!)"])  # (?!) matches nothing: no marker named, no file left out
    _MARKED = re.compile(rf"^pytestmark\b.*\bpytest\.mark\.(?:{_NAMES})\b", re.M)
    collect_ignore = [p.name for p in pathlib.Path(__file__).parent.glob("test_*.py") if _MARKED.search(p.read_text())]

# In CI the property tests draw the same examples on every run (a red run can be rerun and read);
# on a developer's machine they explore anew each time.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")
