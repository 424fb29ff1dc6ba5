"""The codelab report: one table of every model next to the figure its tutorial publishes, then a section per
model with its layers and its three figures (curves, learning rate, prediction grid). Written twice from the
same rows: ``report.md`` (figures linked from ``figures/``) and ``report.html``, one self-contained page whose
images are inlined as base64 ``data:`` URIs (it can be mailed or opened anywhere without the folder).
"""
import base64
import html
import os

from .progress import clock

COLUMNS = ("#", "Model", "Source", "Parameters", "Epochs", "Batch", "Optimizer", "Train acc", "Validation acc",
           "Test acc", "Published", "Test - published", "Fit time")
FIGURES = (("curves", "training curves"), ("learning-rate", "learning rate"),
           ("predictions", "test digits, mistakes in red"))


def _percent(value):
    return f"{100 * value:.2f}%"


def _delta(row):
    if row["published"] is None:
        return "-"
    return f"{100 * row['test_accuracy'] - row['published']:+.2f} pp"


def table_rows(rows):
    """The table's cells as text, one list per model."""
    out = []
    for i, r in enumerate(rows, start=1):
        published = f"{r['published']:g}%" if r["published"] is not None else "-"
        out.append([str(i), f"{r['key']}: {r['title']}", r["source"], f"{r['params']:,}", str(r["epochs"]),
                    str(r["batch_size"]), r["optimizer"], _percent(r["train_accuracy"]),
                    _percent(r["val_accuracy"]), _percent(r["test_accuracy"]), published, _delta(r),
                    f"{r['wall_seconds']:.1f} s"])
    return out


def _intro(run):
    lines = [f"Run {run['date']}, seed {run['seed']}, total wall time {clock(run['total_seconds'])} "
             f"({run['total_seconds']:.0f} s)."]
    if run["quick"]:
        lines.append("QUICK RUN (--quick): trained on slices of MNIST for at most 2 epochs; a smoke test of the "
                     "pipeline, not comparable with the published figures.")
    lines.append("Train and validation accuracy are the last epoch's values as fit logged them (dropout active "
                 f"in training); test accuracy is on {run['test_digits']:,} MNIST test digits. The codelab's "
                 "published figures are its validation accuracy, measured on the 10,000 MNIST test digits; the "
                 "book's are test accuracy. Fit time is the wall time of model.fit (validation included).")
    return lines


def _details(r):
    return [f"Layers: {r['layers']}",
            f"Digits: {r['train_digits']:,} training, {r['val_digits']:,} validation, {r['test_digits']:,} test; "
            f"optimizer {r['optimizer']}, batch {r['batch_size']}, {r['epochs']} epochs.",
            f"Published: {r['published_text'] or '-'}"]


def markdown(rows, run):
    """The report as Markdown text (figures linked relative to the report's folder)."""
    out = ["# dendrite codelab report", ""]
    for line in _intro(run):
        out += [line, ""]
    out += ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(cells) + " |" for cells in table_rows(rows)]
    for i, r in enumerate(rows, start=1):
        out += ["", f"## {i}. {r['key']}: {r['title']}", ""]
        for line in _details(r):
            out += [line, ""]
        for key, alt in FIGURES:
            path = r.get("figures", {}).get(key)
            if path:
                out.append(f"![{alt}](figures/{os.path.basename(path)})")
    return "\n".join(out) + "\n"


def _inline(path):
    with open(path, "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode("ascii")


STYLE = """body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:4px 6px;text-align:right}td:nth-child(2),td:nth-child(3),td:nth-child(7)
{text-align:left}th{background:#f0f0f0}.quick{color:#b00;font-weight:bold}img{max-width:100%;margin:4px;
vertical-align:top}.figs img{max-height:320px}"""


def html_page(rows, run):
    """The report as one HTML page with every figure inlined."""
    e = html.escape
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>dendrite codelab report</title>",
           f"<style>{STYLE}</style></head><body>", "<h1>dendrite codelab report</h1>"]
    for line in _intro(run):
        cls = " class=\"quick\"" if line.startswith("QUICK") else ""
        out.append(f"<p{cls}>{e(line)}</p>")
    out.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in COLUMNS) + "</tr></thead><tbody>")
    for cells in table_rows(rows):
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    for i, r in enumerate(rows, start=1):
        out.append(f"<h2 id=\"{e(r['key'])}\">{i}. {e(r['key'])}: {e(r['title'])}</h2>")
        out += [f"<p>{e(line)}</p>" for line in _details(r)]
        figs = [(r.get("figures", {}).get(k), alt) for k, alt in FIGURES]
        out.append("<div class=\"figs\">" + "".join(f"<img alt=\"{e(alt)}\" src=\"{_inline(p)}\">"
                                                    for p, alt in figs if p) + "</div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_report(rows, run, folder):
    """Write ``report.md`` and ``report.html`` into ``folder``; their paths."""
    paths = (os.path.join(folder, "report.md"), os.path.join(folder, "report.html"))
    with open(paths[0], "w", encoding="utf-8") as f:
        f.write(markdown(rows, run))
    with open(paths[1], "w", encoding="utf-8") as f:
        f.write(html_page(rows, run))
    return paths
