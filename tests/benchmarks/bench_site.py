"""How soon a published lesson page is live on a slow phone: navigation to a key press repainting the counts.

Serves a built site (``make site``, or ``python -m cmlearn.tools.site --only
02_threshold_lab``) from 127.0.0.1 with gzip, as GitHub Pages serves it, and
opens a page in headless Chromium (Debian's ``chromium``) with the cache off.
Chrome DevTools Protocol throttles the network
(``Network.emulateNetworkConditions``: none, Slow 4G = 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, Fast 3G = 562.5 ms, 1.44 Mbit/s down,
675 kbit/s up) and the CPU (``Emulation.setCPUThrottlingRate``: 1x, 4x).

A script added before the page's own waits, on every animation frame, for
the explorer's slider and a count in its table; it then sends the slider an
ArrowRight ``keydown`` and, when the explorer has redrawn (its counts, slider and
marks change in one go; a count equal at both thresholds is not rewritten), stamps
the next animation frame. "Live after" is that stamp, in ms since navigation
started (``performance.now()``). The bytes are what the page received,
gzipped, as the network counted them (``encodedDataLength``, headers
included), and the same sum without headers from the server's side.

Run (not part of ``make test``; goals for lesson 02: live within 2.5 s on
Slow 4G at 4x CPU and 0.5 s unthrottled, 200 kB at most)::

    .venv/bin/python tests/benchmarks/bench_site.py --site _site --page 02_threshold_lab --runs 3

Another site's page (issue 20's comparison with Jupyter Book 2 / mystmd, built by
``build_mystmd_page.py``): ``--path`` gives the page's address under the site and
``--shadow-host`` the element whose shadow root holds the explorer (mystmd's
``{anywidget}`` renders into one). Every request the page makes off 127.0.0.1
(fonts, CDN scripts, analytics: each fails offline) is listed at the end::

    .venv/bin/python tests/benchmarks/bench_site.py --site SCRATCH/_build/html --path 02-threshold-lab/ \\
        --shadow-host .myst-anywidget --runs 3

Figures taken on a busy machine are noisy: re-run when it is quiet.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import pathlib
import statistics
import sys
import threading
from urllib.parse import urlsplit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # tests/, for browser.py
from browser import chromium  # noqa: E402

#: name → (latency ms, download bit/s, upload bit/s); None: no throttling.
NETWORKS = {
    "none": None,
    "Slow 4G": (150, 1_600_000, 750_000),
    "Fast 3G": (562.5, 1_440_000, 675_000),
}
CPUS = (1, 4)

PROBE = """
(() => {
  window.__live = null;
  const host = SHADOW_HOST;  // a selector: the explorer is in that element's shadow root (mystmd's {anywidget})
  const find = (selector) => {
    const root = host ? document.querySelector(host)?.shadowRoot : document;
    return root ? root.querySelector(selector) : null;
  };
  const wait = () => {
    const slider = find('.cmlearn-explorer [role=slider]');
    const count = find('.cmlearn-explorer [data-count="tp"]');
    if (!slider || !count || !/\\d/.test(count.textContent)) { requestAnimationFrame(wait); return; }
    new MutationObserver((_, observer) => {
      observer.disconnect();
      requestAnimationFrame(() => { window.__live = performance.now(); });
    }).observe(slider.closest('.cmlearn-explorer'),
               { childList: true, characterData: true, attributes: true, subtree: true });
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
  };
  requestAnimationFrame(wait);
})();
"""


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6, as most hosts do) when the browser accepts it; counts the body bytes sent."""

    sent = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = pathlib.Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((self.path, len(body)))


def serve(folder):
    """A gzip static server on 127.0.0.1 over ``folder``: ``(address, list of (path, bytes) sent, server)``."""
    sent = []
    handler = functools.partial(type("H", (_GzipHandler,), {"sent": sent}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", sent, server


def measure(context, url, network, cpu, sent, timeout_s=60, shadow_host=None, off_host=None):
    """One cold load in a new tab: ``(live after ms, bytes on the wire with headers, body bytes the server sent)``.

    ``shadow_host``: the selector of the element whose shadow root holds the explorer (None: the document).
    ``off_host``: a set that collects every address the page asked for off 127.0.0.1 (it fails offline).

    A new tab each time: throttling set on a tab before its first navigation holds for that navigation (set on
    a tab that then moves to another site's process, it may not).
    """
    page = context.new_page()
    page.add_init_script(PROBE.replace("SHADOW_HOST", json.dumps(shadow_host)))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    latency, down, up = NETWORKS[network] or (0, -1, -1)
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency,
        "downloadThroughput": down / 8 if down > 0 else -1, "uploadThroughput": up / 8 if up > 0 else -1,
    })
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    wire = []
    cdp.on("Network.loadingFinished", lambda event: wire.append(event["encodedDataLength"]))
    if off_host is not None:
        cdp.on("Network.requestWillBeSent", lambda event: _note_off_host(event["request"]["url"], off_host))
    sent.clear()
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.__live !== null && window.__live !== undefined", timeout=timeout_s * 1000)
    live = page.evaluate("window.__live")
    page.wait_for_load_state("load")
    cdp.detach()
    page.close()
    return live, sum(wire), sum(size for _, size in sent)


def _note_off_host(url, found):
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost"):
        found.add(url)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default="_site", help="the built site's folder (default _site)")
    parser.add_argument("--page", default="02_threshold_lab", help="page to open (default 02_threshold_lab)")
    parser.add_argument("--path", help="address of the page under the site, instead of PAGE.html "
                        "(e.g. 02-threshold-lab/ for a mystmd site)")
    parser.add_argument("--shadow-host", help="selector of the element whose shadow root holds the explorer "
                        "(e.g. .myst-anywidget for mystmd's {anywidget}); default: the explorer is in the document")
    parser.add_argument("--runs", type=int, default=3, help="cold loads per setting; the median is shown")
    parser.add_argument("--networks", nargs="+", default=list(NETWORKS), choices=list(NETWORKS))
    parser.add_argument("--cpus", nargs="+", type=int, default=list(CPUS))
    args = parser.parse_args(argv)
    address, sent, server = serve(args.site)
    url = f"{address}{args.path if args.path is not None else args.page + '.html'}"
    off_host = set()
    print(f"{url}  ({args.runs} cold loads per row, median)")
    print("| network | CPU | explorer live after | transferred (gzip, with headers) | bodies sent (gzip) |")
    print("|---|---:|---:|---:|---:|")
    try:
        with chromium(width=390, height=844, timeout_ms=90_000) as page:
            for network in args.networks:
                for cpu in args.cpus:
                    runs = [measure(page.context, url, network, cpu, sent, shadow_host=args.shadow_host,
                                    off_host=off_host) for _ in range(args.runs)]
                    live = statistics.median(r[0] for r in runs)
                    print(f"| {network} | {cpu}x | {live / 1000:.2f} s | {runs[-1][1] / 1000:,.1f} kB "
                          f"| {runs[-1][2] / 1000:,.1f} kB |", flush=True)
        print(f"requests off 127.0.0.1 (they fail offline): {len(off_host)}")
        for off in sorted(off_host):
            print(f"  {off[:160]}")
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
