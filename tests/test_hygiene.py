"""Repository hygiene: stripped notebooks, lint, no open doors, no secrets, fresh generated cells.

These tests glob whatever exists, so they hold at every stage of the
project. The scan skips this file only: it holds the bad examples the patterns must
catch (see ``test_open_door_patterns_catch``).
"""

from __future__ import annotations

import ast
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from notebook_runner import stored_output_problems

pytestmark = pytest.mark.checkout_files

REPO = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (REPO / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache",
             ".hypothesis", "build", "dist", "artifacts"}

#: Things that turn Jupyter's or Voila's authentication off, or open a server to every interface.
OPEN_DOORS = {
    "an empty token": re.compile(r"""token\s*=\s*(''|""|\s*$)""", re.M),
    "an empty token on the command line": re.compile(r"""token[= ]+(''|"")"""),
    "a blank token": re.compile(r"""token\s*=\s*(['"])\s+\1"""),
    # Voila's bare --token also takes a value: "--token app.ipynb" makes the path the token.
    "a bare --token before an argument": re.compile(r"--token\s+[^-\s]"),
    "XSRF checks turned off": re.compile(r"disable_check_xsrf"),
    "any origin allowed": re.compile(r"""allow_origin\s*=\s*['"]\*"""),
    "listening on every interface": re.compile(
        r"""\b0\.0\.0\.0\b|\bip\s*[= ]\s*['"]?(\*|::)(?![\w:])|\bip\s*=\s*(''|"")|\[::\]"""
    ),
    "remote access allowed": re.compile(r"allow_remote_access\s*=\s*True"),
    "password auth turned off": re.compile(r"""password\s*=\s*(''|"")"""),
}
#: Shapes of secrets that must never be committed.
SECRETS = {
    "a private key": re.compile(r"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"),
    "an AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "a GitHub token": re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})"),
    "a Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "a Google API key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "an OpenAI-style key": re.compile(r"\bsk-[A-Za-z0-9]{32,}\b"),
    "a Jupyter token in a URL": re.compile(r"[?&]token=[0-9a-f]{32,}"),
}
#: Paths of one machine; project files must find things relative to the repository.
MACHINE_PATHS = re.compile(r"/work/|/root/|/home/[a-z_][\w-]*/|/tmp/(cm|ci)\w*/")


def project_files():
    """Text files of the project (tracked or new), without virtualenvs and caches."""
    files = []
    for path in REPO.rglob("*"):
        if path == pathlib.Path(__file__).resolve():
            continue  # this file holds the bad examples its patterns must catch
        if path.is_dir() or any(
            part in SKIP_DIRS or part.endswith(".egg-info") for part in path.relative_to(REPO).parts
        ):
            continue
        try:
            files.append((path, path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue  # binary files (images) hold no configuration
    return files


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_notebook_is_stored_stripped(path):
    problems = stored_output_problems(path)
    assert not problems, f"{path.relative_to(REPO)}: {problems}; strip it before committing"


def test_stripping_check_can_fail(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=3)])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    nbformat.write(nb, tmp_path / "dirty.ipynb")
    assert len(stored_output_problems(tmp_path / "dirty.ipynb")) == 3


def _ruff():
    found = shutil.which("ruff", path=str(pathlib.Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "ruff"]


def test_ruff_passes_on_python_and_notebooks():
    result = subprocess.run([*_ruff(), "check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_disables_auth_or_listens_everywhere():
    found = [
        f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path, text in project_files()
        for what, pattern in OPEN_DOORS.items()
        for match in pattern.finditer(text)
    ]
    assert not found, "authentication must stay on and servers on 127.0.0.1:\n" + "\n".join(found)


def test_no_secrets_and_no_machine_paths():
    found = [
        f"{path.relative_to(REPO)}: {what}"
        for path, text in project_files()
        for what, pattern in {**SECRETS, "a machine-specific path": MACHINE_PATHS}.items()
        if pattern.search(text)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "bad",
    [
        "c.ServerApp.token = ''",
        "jupyter lab --IdentityProvider.token=''",
        "jupyter notebook --NotebookApp.token=",
        "voila --Voila.ip=0.0.0.0 app.ipynb",
        "jupyter lab --ip=*",
        "c.ServerApp.disable_check_xsrf = True",
        "c.ServerApp.allow_origin = '*'",
        "jupyter lab --ServerApp.ip=*",
        "jupyter lab --ServerApp.ip=''",
        "voila --Voila.ip=:: app.ipynb",
        'c.ServerApp.ip = "*"',
        "c.ServerApp.allow_remote_access = True",
        "voila --Voila.token=' ' app.ipynb",
        "voila --Voila.ip=127.0.0.1 --token notebooks/presenter.ipynb",
    ],
)
def test_open_door_patterns_catch(bad):
    assert any(pattern.search(bad) for pattern in OPEN_DOORS.values()), bad


def test_safe_lines_pass():
    for good in [
        "voila --Voila.ip=127.0.0.1 --Voila.auto_token=True app.ipynb",
        "voila --Voila.ip=127.0.0.1 app.ipynb --token",
        "jupyter lab --ServerApp.ip=127.0.0.1",
        "token = secrets.token_hex(16)",
        "ip = '127.0.0.1'",
    ]:
        assert not any(pattern.search(good) for pattern in OPEN_DOORS.values()), good


def test_no_eval_or_exec_in_cmlearn():
    # Learners' answers are checked by comparing values, never by running text (cmlearn/checks/ included).
    calls = []
    for path in sorted((REPO / "cmlearn").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"eval", "exec"}:
                calls.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.func.id}(")
    assert not calls, calls


#: Paths ARCHITECTURE.md names that are not files of the checkout, and why.
NOT_IN_THE_CHECKOUT = {"assets/": "the built site's folder (make site writes _site/assets/)",
                       "assets/site.css": "the built site's stylesheet (make site writes it)"}
_PATH_LIKE = re.compile(r"^[\w./-]+(\.(py|js|css|md|txt|toml|ipynb|json|j2|yml|html)|/)$")
_BARE_PATH = re.compile(r"(?<![\w`/])((?:[\w.-]+/)+[\w.-]*|[\w-]+\.(?:py|js|css))(?![\w`])")


def architecture_paths(text):
    """The file and folder paths a Markdown text names, in backticks or bare (``a/b.py``, ``x.js``).

    A table row's first two columns are left out: ARCHITECTURE.md's tree table names the old tree there.
    A glob (``cmlearn/*.py``) is not a path.
    """
    found = set()
    for line in text.splitlines():
        if line.startswith("|"):
            cells = line.split("|")[1:-1]
            line = "|".join(cells[2:]) if len(cells) >= 4 else ""
        for token in re.findall(r"`([^`]+)`", line) + _BARE_PATH.findall(line):
            for part in re.split(r"[\s,]+", token.strip()):
                part = part.rstrip(",.;:)")
                if _PATH_LIKE.match(part) and "*" not in part and not part.startswith(("http", ".")):
                    found.add(part)
    return sorted(found)


def _exists(path):
    """A path from the checkout's root or from cmlearn/; a bare file name anywhere in cmlearn/ or tests/."""
    if (REPO / path).exists() or (REPO / "cmlearn" / path).exists():
        return True
    return "/" not in path and any(any((REPO / top).rglob(path)) for top in ("cmlearn", "tests"))


def test_every_path_architecture_md_names_exists():
    named = architecture_paths((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert len(named) > 40  # the walk reads the document's paths, the table's new column included
    missing = [path for path in named if path not in NOT_IN_THE_CHECKOUT and not _exists(path)]
    assert not missing, f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_the_architecture_path_walk_can_fail():
    text = (
        "| `old.py` | job | `counts.py` | its job |\n"
        "Data flows through validation/values.py, `widgets/explorer.js` and `cmlearn/*.py`, then gone/away.py.\n"
    )
    named = architecture_paths(text)
    assert named == ["counts.py", "gone/away.py", "validation/values.py", "widgets/explorer.js"]
    assert [path for path in named if not _exists(path)] == ["gone/away.py", "widgets/explorer.js"]
