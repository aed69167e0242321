"""Maintenance scripts run with ``python -m cmlearn.tools.<name>``; not imported by cmlearn."""
