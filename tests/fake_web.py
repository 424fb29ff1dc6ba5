"""A stand-in for urllib.request.urlopen in the download tests: serves each URL's bytes (given as bytes, or as
the path of a local file), records every request, answers 404 for any other URL, or raises ``error``."""
import io
import urllib.error


class FakeWeb:
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
        served = self.files[url]
        if isinstance(served, bytes):
            return io.BytesIO(served)
        with open(served, "rb") as f:
            return io.BytesIO(f.read())
