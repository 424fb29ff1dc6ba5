"""Helpers of the dataset tests: a stand-in for the network, and every search place moved into tmp_path."""
import io
import urllib.error
import urllib.request

import pytest

from dendrite.datasets import _fetch


class FakeWeb:
    """Stands in for urllib.request.urlopen: serves local files by URL, records every request."""

    def __init__(self, files=None, error=None):
        self.files = files or {}
        self.error = error
        self.requested = []

    def __call__(self, url, *args, **kwargs):
        self.requested.append(url)
        if self.error is not None:
            raise self.error
        if url not in self.files:
            raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)
        with open(self.files[url], "rb") as f:
            return io.BytesIO(f.read())


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Every search place points into tmp_path, and the network is refused."""
    places = {k: tmp_path / k for k in ("data", "home", "dendrite_home", "keras_home", "debian")}
    monkeypatch.delenv("DENDRITE_DATA", raising=False)
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.setenv("DENDRITE_HOME", str(places["dendrite_home"]))
    monkeypatch.setenv("KERAS_HOME", str(places["keras_home"]))
    monkeypatch.setattr(_fetch, "_DEBIAN_ROOT", str(places["debian"]))
    web = FakeWeb(error=AssertionError("the tests must not touch the network"))
    monkeypatch.setattr(urllib.request, "urlopen", web)
    return places
