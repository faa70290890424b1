"""The README's TensorBoard screenshots, through headless Chromium's DevTools protocol
(standard library only).

    python tools/tensorboard_shots.py scalars out.png  # scalars: smoothing 0, outliers shown
    python tools/tensorboard_shots.py graphs out.png   # graph, the `mlp` scope expanded
    python tools/tensorboard_shots.py scalars out.png 1000 830   # window size (1400 900)
    TB_URL=http://localhost:6007/ python tools/tensorboard_shots.py ...  # another server

Starts chromium with --remote-debugging-port and talks CDP over a small websocket client.
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

PORT = 9333
TB = os.environ.get("TB_URL", "http://localhost:6006/")


class WebSocket:
    """Just enough RFC 6455 for CDP: masked text frames out, unmasked text frames in."""

    def __init__(self, url):
        host, path = url[len("ws://"):].split("/", 1)
        name, port = host.split(":")
        self.sock = socket.create_connection((name, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.next_id = 0

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            message += self._recv_exact(n)
            if b0 & 0x80:
                return message.decode()

    def call(self, method, **params):
        self.next_id += 1
        self.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply.get("result", {})


def evaluate(ws, expression):
    result = ws.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                     returnByValue=True)
    return result.get("result", {}).get("value")


def wait_for(ws, expression, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if evaluate(ws, expression):
            return
        time.sleep(0.5)
    raise TimeoutError(expression)


# TensorBoard's dashboards live in nested shadow roots: a deep querySelector that walks them
DEEP = """
function deep(selector, root) {
  root = root || document;
  const found = root.querySelector(selector);
  if (found) return found;
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) { const hit = deep(selector, el.shadowRoot); if (hit) return hit; }
  }
  return null;
}
"""


def scalars(ws):
    ws.call("Page.navigate", url=TB + "#scalars&_smoothingWeight=0")
    wait_for(ws, DEEP + "!!deep('tf-scalar-card') || !!deep('.line-chart')")
    # show the first steps too: "Ignore outliers" is kept in localStorage, not in the URL
    evaluate(ws, DEEP + "(() => { const d = deep('tf-scalar-dashboard');"
                 " d._ignoreYOutliers = false; return true; })()")
    time.sleep(4)


def graphs(ws):
    ws.call("Page.navigate", url=TB + "#graphs")
    wait_for(ws, DEEP + "!!deep('g.node[data-name=\"mlp\"]')")
    time.sleep(2)
    # expand the model's name scope, as a double click on it would
    evaluate(ws, DEEP + "(() => { const s = deep('tf-graph-scene');"
                 " s.fire('node-toggle-expand', {name: 'mlp'}); return true; })()")
    time.sleep(3)
    # the expansion also selects the scope, whose info card would cover the graph's right side
    evaluate(ws, DEEP + "(() => { deep('tf-graph').set('selectedNode', null); return true; })()")
    time.sleep(1)
    evaluate(ws, DEEP + "(() => { deep('tf-graph-scene').fit(); return true; })()")
    time.sleep(3)


def main(which, out, width=1400, height=900):
    width, height = int(width), int(height)
    profile = tempfile.mkdtemp(prefix="tbshot-")
    chrome = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                               f"--remote-debugging-port={PORT}", f"--user-data-dir={profile}",
                               f"--window-size={width},{height}", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{PORT}/json"))
                break
            except OSError:
                time.sleep(0.2)
        page = next(t for t in targets if t["type"] == "page")
        ws = WebSocket(page["webSocketDebuggerUrl"])
        ws.call("Page.enable")
        ws.call("Runtime.enable")
        ws.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                deviceScaleFactor=1, mobile=False)
        {"scalars": scalars, "graphs": graphs}[which](ws)
        png = ws.call("Page.captureScreenshot", format="png")["data"]
        with open(out, "wb") as f:
            f.write(base64.b64decode(png))
    finally:
        chrome.terminate()
        chrome.wait()


if __name__ == "__main__":
    main(*sys.argv[1:])
