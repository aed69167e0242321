"""The class-hub test's helpers (``classhub.py``) and the hub's configuration (``jupyterhub_config.py``)."""
