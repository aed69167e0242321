import os
import pathlib
import re

# Quiet TensorFlow's start-up logs in test output; set before Keras is imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# make test-colab tests the installed wheel, which leaves the maintainers' tools (cmlearn.tools) out. A test file
# marked maintainer_tools may import them at its top, so that run does not even import it (its -m "not (...)"
# leaves those tests out anyway; a deselected file is still imported).
if os.environ.get("CMLEARN_TEST_INSTALLED") == "1":
    _NEEDS_TOOLS = re.compile(r"^pytestmark\b.*\bmaintainer_tools\b", re.M)
    collect_ignore = [
        p.name for p in pathlib.Path(__file__).parent.glob("test_*.py") if _NEEDS_TOOLS.search(p.read_text())
    ]

# In CI the property tests draw the same examples on every run (a red run can be rerun and read);
# on a developer's machine they explore anew each time.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")
