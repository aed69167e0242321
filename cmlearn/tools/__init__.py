"""Maintainers' tools, run from a checkout as ``python -m cmlearn.tools.<name>``.

They are kept out of the wheel a learner installs (see ``[tool.setuptools.packages.find]``
in pyproject.toml) and work on the checkout found from the current directory.
"""

from __future__ import annotations

import pathlib

__all__ = ["repository_root"]


def repository_root(start=None):
    """The checkout to work on: the nearest folder from ``start`` (default: here) up with pyproject.toml and notebooks/.

    >>> (repository_root() / "pyproject.toml").is_file()
    True
    """
    here = pathlib.Path(start or pathlib.Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    raise FileNotFoundError(
        f"no cmlearn checkout (a folder with pyproject.toml and notebooks/) at or above {here}. "
        f"Fix: run the tool from inside your clone of the repository."
    )
