"""`dendrite codelab --quick`: the whole progression on slices of MNIST through the CLI: exit 0, progress shown
(model, epoch, time left), every model's row in report.md and report.html, the HTML parses and its images are
inlined PNGs, results.json holds the numbers."""
import base64
import contextlib
import io
import json
import re
from html.parser import HTMLParser

import pytest

from dendrite import cli
from dendrite.codelab import PROGRESSION


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("codelab")
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        code = cli.main(["codelab", "--quick", "--out", str(out)])
    return code, shown.getvalue(), out


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.cells, self.headings = [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        self._in = tag

    def handle_data(self, data):
        if self._in == "td":
            self.cells.append(data)
        if self._in == "h2":
            self.headings.append(data)

    def handle_endtag(self, tag):
        self._in = None


def test_quick_run_exits_0_and_shows_progress(quick_run):
    code, shown, _ = quick_run
    assert code == 0
    keys = [e.key for e in PROGRESSION]
    for i, key in enumerate(keys, start=1):
        assert f"== {i}/13 {key}: " in shown
        for epoch in (1, 2):  # one line per epoch (not a terminal): model i of n, epoch, metrics, time left
            assert re.search(rf"\[ ?{i}/13 {key}\] epoch {epoch}/2  loss [0-9.]+  accuracy [0-9.]+  val_loss [0-9.]+  "
                             rf"val_accuracy [0-9.]+  [0-9.]+ s  left: \d+:\d\d this model, ~\d+:\d\d in all\n", shown)
    assert "\r" not in shown and re.search(r"Report written to .*report.md and .*report.html", shown)


def test_the_markdown_report_holds_every_row_and_figure(quick_run):
    _, _, out = quick_run
    text = (out / "report.md").read_text()
    assert "QUICK RUN" in text
    for i, e in enumerate(PROGRESSION, start=1):
        assert re.search(rf"^\| {i} \| {e.key}: .* \| {e.source} \| [0-9,]+ \| 2 \| {e.batch_size} \|", text, re.M)
        for figure in ("curves", "learning-rate", "predictions"):
            assert f"(figures/{e.key}-{figure}.png)" in text
            assert (out / "figures" / f"{e.key}-{figure}.png").stat().st_size > 1000
    assert "| 9 | book-simple: Simple: Dense 10, SGD | book | 7,850 | 2 | 128 | SGD (lr 0.01) |" in text
    assert "92.22%" in text and "99.5%" in text


def test_the_html_report_parses_and_inlines_its_images(quick_run):
    _, _, out = quick_run
    page = Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    page.close()
    assert len(page.images) == 3 * 13
    for img in page.images:
        assert img["src"].startswith("data:image/png;base64,")
        assert base64.b64decode(img["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert [h.split(": ")[0] for h in page.headings] == [f"{i}. {e.key}" for i, e in enumerate(PROGRESSION, 1)]
    assert [page.cells[i] for i in range(1, 13 * 13, 13)] == [f"{e.key}: {e.title}" for e in PROGRESSION]


def test_results_json(quick_run):
    _, _, out = quick_run
    results = json.loads((out / "results.json").read_text())
    assert results["run"]["quick"] is True and len(results["rows"]) == 13
    row = results["rows"][0]
    assert (row["key"], row["params"], row["epochs"], row["train_digits"], row["val_digits"], row["test_digits"]) \
        == ("softmax", 7850, 2, 600, 200, 200)
    assert 0 <= row["test_accuracy"] <= 1 and len(row["history"]["val_accuracy"]) == 2
    lr = results["rows"][3]["history"]["learning_rate"]  # lr-decay: 0.01 * 0.6**epoch
    assert lr == pytest.approx([0.01, 0.006])


def test_unknown_model_names_are_refused(tmp_path):
    with pytest.raises(SystemExit, match="unknown model\\(s\\) \\['resnet'\\]"):
        cli.main(["codelab", "--quick", "--only", "resnet", "--out", str(tmp_path)])
