"""RemoteMonitor against a local http.server: one POST per epoch with the epoch and the logs, as a form field
or a JSON body, the headers given; an unreachable server warns and training goes on."""
import http.server
import json
import threading
import urllib.parse

import numpy as np
import pytest

import dendrite
from dendrite import callbacks, layers


class _Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        type(self).received.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder.received
    httpd.shutdown()
    httpd.server_close()


def _fit(monitor, epochs=2):
    x = np.random.default_rng(0).standard_normal((32, 3)).astype(np.float32)
    model = dendrite.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model.fit(x, x[:, :1], epochs=epochs, batch_size=16, verbose=0, callbacks=[monitor])


def test_posts_a_form_field_per_epoch(server):
    root, received = server
    history = _fit(callbacks.RemoteMonitor(root=root, headers={"X-Run": "7"}))
    assert [path for path, _, _ in received] == ["/publish/epoch/end/"] * 2
    sent = [json.loads(urllib.parse.parse_qs(body)["data"][0]) for _, _, body in received]
    assert [s["epoch"] for s in sent] == [0, 1]
    assert sent[1]["loss"] == pytest.approx(history.history["loss"][1])
    assert received[0][1]["X-Run"] == "7"


def test_send_as_json(server):
    root, received = server
    _fit(callbacks.RemoteMonitor(root=root, path="/log", send_as_json=True), epochs=1)
    (path, headers, body), = received
    assert path == "/log" and headers["Content-Type"] == "application/json"
    assert set(json.loads(body)) == {"epoch", "loss", "mae"}


def test_unreachable_server_warns_and_training_continues():
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        history = _fit(callbacks.RemoteMonitor(root="http://127.0.0.1:9", timeout=2), epochs=2)
    assert len(history.history["loss"]) == 2
