"""Every refusal in cmlearn ends with its fix, and no refusal is written twice.

The house style (``cmlearn/validation/values.py``): a message names the
argument, shows the bad value and ends with ``Fix: ...``, what to do instead.
These tests read every ``raise`` in ``cmlearn/`` with ``ast`` (the widgets
included) and hold that rule for each one whose message is written where it
is raised (a literal, an f-string, or text joined with ``+``). A message
passed on from elsewhere (``raise AttributeError(name)``, a helper's return
value) is not a literal and is held where it is written.

A trailing ``{ending}`` (the last part of the message) counts as the fix when
the function binds that name to ``_ends(...)`` or to text with ``Fix:`` in
it; a trailing ``{error}`` bound by ``except ... as error`` passes the caught
error's own message (with its fix) on. Anywhere else a placeholder is
text the walk cannot read, so it fixes nothing.
"""

from __future__ import annotations

import ast
import collections
import pathlib
import re

import pytest

pytestmark = pytest.mark.checkout_files

REPO = pathlib.Path(__file__).resolve().parent.parent
MODULES = sorted(p for p in (REPO / "cmlearn").rglob("*.py") if "__pycache__" not in p.parts)
FIX = "Fix: "
#: A fix says something after "Fix: " (a placeholder counts, "Fix: {fix}.": its caller writes the fix).
FIX_SAYS_SOMETHING = re.compile(r"Fix: \S.{2,}")


class RaiseSite:
    """One ``raise SomeError(<literal message>)``: where it stands and its message's text."""

    def __init__(self, path, node, function, text, fix_names, error_names):
        self.path = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)
        self.line = node.lineno
        self.function = function.name if function else "<module>"
        self.text = text
        self.fix_names, self.error_names = fix_names, error_names

    def __repr__(self):
        return f"{self.path}:{self.line}: {self.text}"

    def shown(self):
        """The message with each placeholder resolved to what it carries (a fix, a caught error) or ``{}``."""

        def resolve(match):
            name, last = match.group(1), not self.text[match.end() :].strip()
            if last and name in self.fix_names:
                return "Fix: (as bound in the function)."
            if last and name in self.error_names:
                return "(the caught error's message) Fix: (its own)."
            return "{}"

        return re.sub(r"\{([^{}]*)\}", resolve, self.text)


def _text(node):
    """The message's text, each non-literal part as ``{its source}``; None if no part is literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in node.values]
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "{" + ast.unparse(node.left) + "}") + (
            right if right is not None else "{" + ast.unparse(node.right) + "}"
        )
    return None


def _names_bound(function):
    """(names bound to a fix, names bound to a caught error) inside one function."""
    fixes, errors = set(), set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            value = node.value
            text = _text(value)
            ends = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "_ends"
            if ends or (text is not None and FIX in text):
                fixes.update(t.id for t in node.targets)
        if isinstance(node, ast.ExceptHandler) and node.name:
            errors.add(node.name)
    return fixes, errors


def raise_sites(paths=MODULES):
    """Every raise site with a literal message in ``paths``."""
    sites = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            text = _text(node.exc.args[0])
            if text is None:
                continue
            around = [f for f in functions if f.lineno <= node.lineno <= f.end_lineno]
            innermost = max(around, key=lambda f: f.lineno) if around else None
            fixes, errors = _names_bound(innermost) if innermost else (set(), set())
            sites.append(RaiseSite(path, node, innermost, text, fixes, errors))
    return sorted(sites, key=lambda site: (site.path, site.line))


def without_fix(sites):
    """The sites whose message does not end with a fix (``Fix:`` and at least two words after it)."""
    return [site for site in sites if not FIX_SAYS_SOMETHING.search(site.shown())]


def repeated(sites):
    """Messages written word for word in two or more functions (placeholders read as ``{}``).

    One function may raise one message as a ``TypeError`` and as a ``ValueError`` (a bool and a negative
    number refused by one rule): that is one place.
    """
    by_text = collections.defaultdict(dict)
    for site in sites:
        words = " ".join(re.sub(r"\{[^{}]*\}", "{}", site.text).split())
        if len(re.sub(r"\{\}|\W", "", words)) >= 12:  # a message of placeholders only says nothing to repeat
            by_text[words].setdefault((site.path, site.function), f"{site.path}:{site.line}")
    return {text: list(where.values()) for text, where in by_text.items() if len(where) > 1}


def test_the_walk_finds_the_raise_sites():
    # The rule below holds over what the walk finds: it must find the validators' many messages.
    sites = raise_sites()
    assert len(sites) > 100
    assert any(site.path == "cmlearn/validation/values.py" for site in sites)
    assert any(site.path.startswith("cmlearn/widgets/") for site in sites)


def test_every_refusal_ends_with_its_fix():
    """Issue 21, item 2: "every refusal ends with its fix" (every raise site with a literal message in cmlearn/)."""
    missing = without_fix(raise_sites())
    assert not missing, "these refusals do not end with 'Fix: ...':\n" + "\n".join(map(repr, missing))


def test_no_refusal_is_written_twice():
    """Issue 21, item 2: "no message is repeated word for word in two places"."""
    twice = repeated(raise_sites())
    assert not twice, "\n".join(f"{text!r} at {', '.join(where)}" for text, where in twice.items())


def test_the_rules_can_fail(tmp_path):
    # No fix (2); a fix that says nothing (4); fixed by a bound name (7); a caught error passed on at the end (12),
    # but not in the middle (14); one message in two functions (2, 17), which m raising it twice does not make three.
    module = tmp_path / "bad.py"
    module.write_text(
        "def f(x):\n"
        "    raise ValueError(f'x must be positive, but got {x}')\n"
        "def g(x):\n"
        "    raise ValueError('x is wrong. Fix:')\n"
        "def h(x):\n"
        "    ending = _ends('e.g. x=1')\n"
        "    raise ValueError(f'x must be positive, but got {x}. {ending}')\n"
        "def k(x):\n"
        "    try:\n"
        "        f(x)\n"
        "    except ValueError as error:\n"
        "        raise ValueError(f'column 0: {error}') from None\n"
        "    except TypeError as error:\n"
        "        raise ValueError(f'x could not be read ({error}), sorry') from None\n"
        "def m(x):\n"
        "    if x is None:\n"
        "        raise TypeError(f'x must be positive, but got {x!r}')\n"
        "    raise ValueError(f'x must be positive, but got {x!r}')\n",
        encoding="utf-8",
    )
    sites = raise_sites([module])
    assert [site.line for site in without_fix(sites)] == [2, 4, 14, 17, 18]
    assert list(repeated(sites).values()) == [[f"{module}:2", f"{module}:17"]]  # m's two raises are one place
