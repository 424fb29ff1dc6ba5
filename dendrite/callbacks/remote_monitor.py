"""RemoteMonitor, as Keras 3 defines it: at each epoch's end, POST the epoch number and the logs to
``root + path``, as a form field ``field`` holding their JSON (default) or as a JSON body (``send_as_json``).
Sent with the standard library (urllib), so it needs no extra package; a server that cannot be reached gives
Keras's warning and training goes on."""
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from dendrite.callbacks.base import Callback


def _plain(value):
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item()
    item = getattr(value, "numpy", None)  # a Tensor
    return np.asarray(item()).item() if callable(item) else value


class RemoteMonitor(Callback):
    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data", headers=None,
                 send_as_json=False, timeout=10):
        super().__init__()
        self.root, self.path, self.field = root, path, field
        self.headers, self.send_as_json, self.timeout = headers, bool(send_as_json), timeout

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = _plain(value)
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
