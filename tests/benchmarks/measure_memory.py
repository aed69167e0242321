"""Each learner's own memory on a class hub, for sizing: ``python tests/benchmarks/measure_memory.py [--json FILE]``.

It starts the test class hub (``tests/hub/classhub.py``: JupyterHub, one ``jupyterhub-singleuser`` server process
per learner), copies the notebooks into each learner's home (as nbgitpuller would clone them), and runs the
notebooks top to bottom in kernels that the learner's own server starts (its sessions API, as JupyterLab opens a
notebook; the cells are sent over the kernel's websocket through the hub's proxy), so each kernel is the
server's child, as in a class. From psutil's ``memory_full_info()`` (Linux ``/proc/<pid>/smaps``):

- USS: the pages only that process has: what one more learner costs on a machine where others already run
  (read it with two learners or more: a library page that no other process maps counts as a process's own);
- PSS: USS plus each shared page divided among the processes that share it;
- RSS - USS: the shared part, mostly TensorFlow's libraries: once per machine for processes, but once per
  container on Kubernetes (Zero to JupyterHub), where a container's memory counts its processes' RSS.

Rounds: ``--learners 1 2 3`` learners at once, each running lessons 02, 05 and 07 one after the other, each
lesson in a kernel of its own that is shut down after it (a learner who closes a lesson's kernel); then one
learner keeping a lesson, its exercise and the presenter open at once (Binder's 2 GB). Memory is sampled about
once a second (peaks), and after each lesson. Timings are not measured. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import shutil
import sys
import threading
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests"))

LESSONS = ("02_threshold_lab.ipynb", "05_counting_during_training.ipynb", "07_several_columns.ipynb")
MB = 1024 * 1024


def figures(pid):
    """``{"uss_mb", "pss_mb", "rss_mb", "hwm_mb"}`` of a live process (hwm: its peak RSS, VmHWM)."""
    import psutil

    info = psutil.Process(pid).memory_full_info()
    hwm = 0
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) * 1024
    return {"uss_mb": info.uss / MB, "pss_mb": info.pss / MB, "rss_mb": info.rss / MB, "hwm_mb": hwm / MB}


class Peaks:
    """Sample the given pids about once a second in a thread; keep each one's largest USS, PSS and RSS."""

    def __init__(self):
        self.pids, self.peak, self._stop = {}, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch(self, key, pid):
        self.pids[key] = pid

    def _run(self):
        import psutil

        while not self._stop.wait(1.0):
            for key, pid in list(self.pids.items()):
                try:
                    now = figures(pid)
                except (psutil.Error, OSError):
                    continue
                old = self.peak.setdefault(key, now)
                self.peak[key] = {k: max(old[k], now[k]) for k in now}

    def close(self):
        self._stop.set()
        self._thread.join(timeout=30)


class Kernel:
    """A kernel that a learner's server starts for a notebook (its sessions API), driven over its websocket."""

    def __init__(self, hub, learner, path):
        import psutil
        import websocket

        self.hub, self.learner = hub, learner
        session = hub.api(f"/user/{learner}/api/sessions", method="POST",
                          body={"path": path, "type": "notebook", "name": pathlib.Path(path).name,
                                "kernel": {"name": "python3"}})
        self.session, self.id = session["id"], session["kernel"]["id"]
        server = psutil.Process(hub.server_pid(learner))
        deadline = time.monotonic() + 60
        self.pid = None
        while self.pid is None and time.monotonic() < deadline:
            for child in server.children(recursive=True):
                if any(f"kernel-{self.id}.json" in part for part in child.cmdline()):
                    self.pid = child.pid
            time.sleep(0.2)
        if self.pid is None:
            raise RuntimeError(f"kernel {self.id} of {learner} is not a child of its server")
        ws_url = hub.url.replace("http://", "ws://") + f"/user/{learner}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {hub.token}"], timeout=900)
        self.client_session = uuid.uuid4().hex

    def execute(self, code, where):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.learner,
                       "session": self.client_session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        reply = idle = None
        while reply is None or not idle:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
        if reply.get("status") != "ok":
            raise RuntimeError(f"{where} failed: {reply.get('ename')}: {reply.get('evalue')}")

    def run(self, notebook):
        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and cell.source.strip():
                self.execute(cell.source, f"{notebook.name} cell {index}")

    def shutdown(self):
        self.ws.close()
        self.hub.api(f"/user/{self.learner}/api/sessions/{self.session}", method="DELETE")


def learner_round(hub, learners, peaks):
    """Each learner runs LESSONS one after the other, all learners at once; return their rows."""
    rows, errors = [], []

    def one(learner):
        try:
            server = hub.server_pid(learner)
            peaks.watch((len(learners), learner, "server"), server)
            for name in LESSONS:
                kernel = Kernel(hub, learner, f"cmlearn/notebooks/{name}")
                key = (len(learners), learner, name)
                peaks.watch(key, kernel.pid)
                kernel.run(hub.home(learner) / "cmlearn" / "notebooks" / name)
                time.sleep(2)
                rows.append({"learners": len(learners), "learner": learner, "lesson": name,
                             "kernel": figures(kernel.pid), "server": figures(server)})
                peaks.pids.pop(key)
                rows[-1]["kernel_peak"] = peaks.peak.get(key, rows[-1]["kernel"])
                kernel.shutdown()
        except Exception as error:  # reported after the threads end
            errors.append(f"{learner}: {error!r}")

    threads = [threading.Thread(target=one, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    return rows


def binder_round(hub, learner, lesson):
    """One learner keeps ``lesson``, its exercise and the presenter open (a kernel each); sums after each."""
    server = hub.server_pid(learner)
    home = hub.home(learner) / "cmlearn" / "notebooks"
    opened, rows = [], []
    for path in (lesson, f"exercises/{lesson}", "presenter.ipynb"):
        kernel = Kernel(hub, learner, f"cmlearn/notebooks/{path}")
        kernel.run(home / path)
        opened.append(kernel)
        time.sleep(2)
        kernels = [figures(k.pid) for k in opened]
        srv = figures(server)
        procs = [srv, *kernels]
        rows.append({
            "open": [lesson, f"exercises/{lesson}", "presenter.ipynb"][: len(opened)],
            "kernels": kernels, "server": srv,
            "rss_sum_mb": sum(p["rss_mb"] for p in procs),
            "pss_sum_mb": sum(p["pss_mb"] for p in procs),
            # the container's own memory: every process's own pages, and the shared ones once
            "uss_sum_plus_shared_once_mb": sum(p["uss_mb"] for p in procs)
            + max(k["rss_mb"] - k["uss_mb"] for k in kernels) + srv["rss_mb"] - srv["uss_mb"],
        })
    for kernel in opened:
        kernel.shutdown()
    return rows


def main(argv=None):
    from hub.classhub import ClassHub

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[1, 2, 3], help="learners at once, per round")
    parser.add_argument("--binder-lesson", default="05_counting_during_training.ipynb",
                        help="the lesson kept open with its exercise and the presenter ('' to skip)")
    parser.add_argument("--json", type=pathlib.Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    names = tuple(f"learner{i + 1}" for i in range(max(args.learners)))
    with ClassHub(learners=names) as hub:
        for name in names:  # the bundle in each home, as nbgitpuller clones it (~/cmlearn/notebooks)
            shutil.copytree(REPO / "notebooks", hub.home(name) / "cmlearn" / "notebooks")
        hub.start_servers()
        peaks = Peaks()
        rows = []
        try:
            for count in args.learners:
                rows += learner_round(hub, names[:count], peaks)
                print(f"round of {count} learner(s) done", flush=True)
        finally:
            peaks.close()
        servers = {f"{k[0]} {k[1]}": v for k, v in peaks.peak.items() if k[2] == "server"}
        binder = binder_round(hub, names[0], args.binder_lesson) if args.binder_lesson else []
    import jupyterhub
    import keras
    import tensorflow as tf

    versions = {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
                "jupyterhub": jupyterhub.__version__}
    print(f"{'learners learner lesson':52} {'USS':>6} {'PSS':>6} {'RSS':>6} {'peakRSS':>7} {'srvUSS':>6} {'srvRSS':>6}")
    for r in rows:
        k, s = r["kernel"], r["server"]
        print(f"{r['learners']} {r['learner']:9} {r['lesson']:40} {k['uss_mb']:6.0f} {k['pss_mb']:6.0f} "
              f"{k['rss_mb']:6.0f} {k['hwm_mb']:7.0f} {s['uss_mb']:6.0f} {s['rss_mb']:6.0f}")
    for r in binder:
        print(f"open {len(r['open'])}: RSS sum {r['rss_sum_mb']:.0f} MB, PSS sum {r['pss_sum_mb']:.0f} MB, "
              f"USS sum + shared once {r['uss_sum_plus_shared_once_mb']:.0f} MB")
    date = time.strftime("%Y-%m-%d")
    print("versions:", versions, "date:", date)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "server_peaks": servers, "binder": binder,
                                         "versions": versions, "date": date,
                                         "command": "python tests/benchmarks/measure_memory.py "
                                         + " ".join(argv if argv is not None else sys.argv[1:])}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
