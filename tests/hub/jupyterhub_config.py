"""The test class hub's configuration, read by ``jupyterhub -f`` (``tests/hub/classhub.py`` starts it).

Everything machine-specific comes from ``CMLEARN_HUB_*`` environment variables that :class:`classhub.ClassHub`
sets: ports, the hub's folder (database, cookie secret, the learners' homes), the proxy's path, the learners'
password and the test's API token. Nothing here listens beyond 127.0.0.1.

What a class hub has, in its test-only form:

- one server process per learner, each in its own home folder (``SimpleLocalProcessSpawner``: no system
  users needed, no isolation between learners; never for a real class);
- a shared password (``SharedPasswordAuthenticator``, the successor of ``DummyAuthenticator``'s password);
- nbgitpuller in the learners' environment (this interpreter's, where requirements-test.txt installs it);
- a service token for the test, allowed to start and stop servers and to call the learners' server APIs.
"""

import json
import os
import pathlib

c = get_config()  # noqa: F821 -- JupyterHub defines get_config when it loads this file

env = os.environ
folder = pathlib.Path(env["CMLEARN_HUB_DIR"])
python = env["CMLEARN_HUB_PYTHON"]

c.JupyterHub.bind_url = f"http://127.0.0.1:{env['CMLEARN_HUB_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env['CMLEARN_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['CMLEARN_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["CMLEARN_HUB_PROXY"]]
c.ConfigurableHTTPProxy.pid_file = str(folder / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(folder / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(folder / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server (and so its kernels)
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["CMLEARN_HUB_PASSWORD"]
c.Authenticator.allowed_users = set(json.loads(env["CMLEARN_HUB_LEARNERS"]))

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(folder / "home" / "{username}")
c.Spawner.cmd = [python, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# Servers and kernels run as the hub's user; in CI containers that is root, which Jupyter refuses without this.
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.args += ["--ServerApp.terminals_enabled=False", "--LabApp.news_url="]
c.Spawner.environment = {
    # The one python3 kernel the learners' servers know runs this interpreter (tests/browser.py does the same).
    "JUPYTER_PATH": str(folder / "share"),
    # A plain static server speaks git's dumb HTTP protocol, which cannot make shallow clones; a real class's
    # GitHub can, and nbgitpuller's default there stays a shallow (depth 1) clone.
    "NBGITPULLER_DEPTH": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONHASHSEED": "0",
    "PYTHONUNBUFFERED": "1",
    "GIT_TERMINAL_PROMPT": "0",
}

c.JupyterHub.services = [{"name": "cmlearn-test", "api_token": env["CMLEARN_HUB_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "cmlearn-test",
        "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
        "services": ["cmlearn-test"],
    }
]
