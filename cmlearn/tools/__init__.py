"""Maintainers' tools, run as ``python -m cmlearn.tools.<name>``; learners never need them."""
