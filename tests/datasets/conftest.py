"""Helpers of the dataset tests: a stand-in for the network, and every search place moved into tmp_path."""
import urllib.request

import pytest

from dendrite.datasets import _fetch
from fake_web import FakeWeb  # noqa: F401 - the dataset tests import it from here


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
