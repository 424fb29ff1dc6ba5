"""codelab.report: the table next to the published figures, the Markdown page and the self-contained HTML page
(text escaped, images inlined as data: URIs)."""
import base64

import numpy as np
import pytest

from dendrite.codelab import report


@pytest.fixture
def rows(tmp_path):
    import matplotlib.pyplot as plt
    figures = {}
    for key, _ in report.FIGURES:
        figures[key] = str(tmp_path / f"m-{key}.png")
        plt.imsave(figures[key], np.arange(64.0).reshape(8, 8))
    base = {"source": "book", "layers": "Dense(10) > Activation(softmax)", "params": 7850, "epochs": 200,
            "batch_size": 128, "optimizer": "SGD (lr 0.01)", "train_accuracy": 0.9236, "val_accuracy": 0.9237,
            "test_digits": 10000, "train_digits": 48000, "val_digits": 12000, "wall_seconds": 61.25}
    return [dict(base, key="book-simple", title="Simple <net> & co", test_accuracy=0.9243, published=92.22,
                 published_text="92.22%", figures=figures),
            dict(base, key="dense-sigmoid", title="Sigmoid", test_accuracy=0.9, published=None, published_text="",
                 figures={})]


RUN = {"date": "2026-01-01 10:00", "seed": 1, "total_seconds": 125.0, "quick": False, "test_digits": 10000}


def test_table_cells_and_the_difference_to_the_published_figure(rows):
    first, second = report.table_rows(rows)
    assert first == ["1", "book-simple: Simple <net> & co", "book", "7,850", "200", "128", "SGD (lr 0.01)",
                     "92.36%", "92.37%", "92.43%", "92.22%", "+0.21 pp", "61.2 s"]
    assert second[10:12] == ["-", "-"]


def test_markdown(rows):
    text = report.markdown(rows, RUN)
    assert text.startswith("# dendrite codelab report\n") and "total wall time 2:05 (125 s)" in text
    assert "QUICK RUN" not in report.markdown(rows, RUN) and "QUICK RUN" in report.markdown(rows, dict(RUN, quick=True))
    lines = text.splitlines()
    header = lines.index("| " + " | ".join(report.COLUMNS) + " |")
    assert lines[header + 2].startswith("| 1 | book-simple") and lines[header + 3].startswith("| 2 | dense-sigmoid")
    assert "![training curves](figures/m-curves.png)" in text and "## 2. dense-sigmoid: Sigmoid" in text


def test_html_escapes_text_and_inlines_every_image(rows, tmp_path):
    page = report.html_page(rows, RUN)
    assert "Simple &lt;net&gt; &amp; co" in page and "<net>" not in page
    assert page.count("<img ") == 3 and "figures/" not in page
    with open(rows[0]["figures"]["predictions"], "rb") as f:
        assert "src=\"data:image/png;base64," + base64.b64encode(f.read()).decode() + "\"" in page
    md, html = report.write_report(rows, RUN, str(tmp_path))
    with open(html, encoding="utf-8") as f:
        assert f.read() == page and md.endswith("report.md")
