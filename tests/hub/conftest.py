# jupyterhub_config.py is read by jupyterhub -f, which defines get_config; importing it for doctests would fail.
collect_ignore = ["jupyterhub_config.py"]
