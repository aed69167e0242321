"""The import rules of ARCHITECTURE.md, held by walking every module's imports.

Every ``import`` statement is read with ``ast``, including those inside
functions (a lazy import is still an arrow). The layers:

* core: ``cmlearn/*.py`` and the core subpackages (``checks/``, ``validation/``; TensorFlow-free) may import only core;
* ``cmlearn.keras_run``: core and itself; only its ``backend`` imports keras or tensorflow;
* ``cmlearn.widgets``: core, ``keras_run`` and itself;
* ``cmlearn.tools`` (maintainer scripts, not in the wheel): core and itself;
* the façade (``cmlearn/__init__.py``) and the ``check_env`` command: anything.

And no module may reach itself again through its imports.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "cmlearn"
HEAVY = ("tensorflow", "keras")
ENTRY_POINTS = {"cmlearn", "cmlearn.check_env"}
ALLOWED = {
    "core": {"core"},
    "keras_run": {"core", "keras_run"},
    "widgets": {"core", "keras_run", "widgets"},
    "tools": {"core", "tools"},
}


def modules(package_dir):
    """``{dotted name: path}`` for every module of the package in ``package_dir``."""
    root = package_dir.parent
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path, name, known):
    """Every module (ours, resolved to the most specific one) and top-level package ``path`` imports."""
    is_package = path.name == "__init__.py"
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                targets.add(submodule if submodule in known else origin)
    resolved = set()
    for target in targets:
        while target not in known and "." in target:
            target = target.rsplit(".", 1)[0]
        resolved.add(target if target in known else target.split(".")[0])
    resolved.discard(name)
    return resolved


def layer(name):
    if name in ENTRY_POINTS:
        return "entry"
    parts = name.split(".")
    # A subpackage that is not a layer of its own (checks/, validation/) is core, as a flat module is.
    return parts[1] if len(parts) >= 2 and parts[1] in ALLOWED else "core"


def graph(package_dir):
    known = modules(package_dir)
    return {name: imports(path, name, known) for name, path in known.items()}


def upward_arrows(edges):
    """``(importer, imported)`` pairs that break the layer rules."""
    top = next(iter(edges)).split(".")[0]
    bad = []
    for name, targets in edges.items():
        for target in sorted(targets):
            if target in edges:
                if layer(name) != "entry" and layer(target) not in ALLOWED[layer(name)]:
                    bad.append((name, target))
            elif target in HEAVY and name != f"{top}.keras_run.backend":
                bad.append((name, target))
    return bad


def cycles(edges):
    """One cycle (a list of modules) per strongly connected group of our modules."""
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in edges:
                continue
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
    return found


def test_the_walk_sees_the_whole_package():
    edges = graph(PACKAGE)
    assert {"cmlearn.counts", "cmlearn.keras_run.backend", "cmlearn.widgets.labs", "cmlearn.tools.nav"} <= set(edges)
    assert "cmlearn.validation" in edges["cmlearn.counts"]
    assert "keras" in edges["cmlearn.keras_run.backend"]  # an import inside a function is seen


def test_no_upward_arrow_and_keras_only_in_the_backend():
    assert upward_arrows(graph(PACKAGE)) == []


def test_no_import_cycle():
    assert cycles(graph(PACKAGE)) == []


def test_the_rules_catch_an_upward_arrow_a_stray_keras_and_a_cycle(tmp_path):
    pkg = tmp_path / "cmlearn"
    (pkg / "keras_run").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from cmlearn import counts\n")
    (pkg / "counts.py").write_text("def f():\n    from cmlearn.keras_run import backend\n")
    (pkg / "rates.py").write_text("import keras\nfrom . import curves\n")
    (pkg / "curves.py").write_text("from cmlearn import rates\n")
    (pkg / "keras_run" / "__init__.py").write_text("")
    (pkg / "keras_run" / "backend.py").write_text("import keras\n")
    edges = graph(pkg)
    assert upward_arrows(edges) == [("cmlearn.counts", "cmlearn.keras_run.backend"), ("cmlearn.rates", "keras")]
    assert cycles(edges) == [["cmlearn.curves", "cmlearn.rates", "cmlearn.curves"]]


def _heavy_modules_after(code):
    heavy = ("tensorflow", "keras", "ipywidgets", "matplotlib")
    probe = f"import sys\n{code}\nprint(sorted(m for m in {heavy!r} if m in sys.modules))"
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


def test_import_cmlearn_does_not_import_tensorflow_or_widgets():
    assert _heavy_modules_after("import cmlearn") == "[]"


def test_no_core_module_imports_tensorflow_or_widgets():
    core = [name for name in modules(PACKAGE) if layer(name) == "core"]
    assert len(core) >= 10
    assert _heavy_modules_after("\n".join(f"import {name}" for name in core)) == "[]"


@pytest.mark.parametrize("package", ["cmlearn.keras_run", "cmlearn.widgets"])
def test_importing_keras_run_or_the_widgets_does_not_start_tensorflow(package):
    # Keras starts when a function runs, not on import: the widgets import quickly, and
    # notebook_setup still configures TensorFlow before it starts.
    assert "tensorflow" not in _heavy_modules_after(f"import {package}")
