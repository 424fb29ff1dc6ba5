"""``plot_model`` and ``model_to_dot``: a model's layer graph drawn as Keras draws it (a box per layer with its
name, class and, when asked, shapes, dtype, activation and trainable flag; an arrow per connection), with
matplotlib, so that no Graphviz is needed; with a ``.dot`` file name the DOT text is written instead, and when
Graphviz's ``dot`` program is installed it renders the picture. ``model_to_dot`` gives the DOT text as a
string that also answers pydot's rendering calls (``create``, ``create_svg``, ``write_png``, ...), which
notebooks use as ``SVG(model_to_dot(model).create(prog='dot', format='svg'))``."""
import os
import shutil
import subprocess
import tempfile

_RANKDIRS = ("TB", "LR")


class _Box:
    def __init__(self, key, layer, lines):
        self.key, self.layer, self.lines = key, layer, lines
        self.depth, self.slot, self.group = 0, 0, None


def _shape_text(shapes):
    shapes = [tuple(s) for s in shapes]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _lines(layer, in_shapes, out_shapes, opts, prefix=""):
    name = type(layer).__name__
    lines = [f"{prefix}{layer.name} ({name})" if opts["show_layer_names"] else name]
    if opts["show_shapes"]:
        lines.append(f"Input shape: {_shape_text(in_shapes) if in_shapes else '?'}")
        lines.append(f"Output shape: {_shape_text(out_shapes) if out_shapes else '?'}")
    if opts["show_dtype"]:
        lines.append(f"dtype: {getattr(layer, 'dtype', None) or 'float32'}")
    if opts["show_layer_activations"] and getattr(layer, "activation", None) is not None:
        act = layer.activation
        lines.append(f"Activation: {getattr(act, '__name__', type(act).__name__)}")
    if opts["show_trainable"]:
        lines.append(f"Trainable: {bool(layer.trainable)}")
    return lines


def _is_model(layer):
    from ..models.training import Model
    return isinstance(layer, Model)


def _graph(model, opts, prefix=""):
    """(boxes, edges, entries, exits) of ``model``: entries take the model's inputs, exits give its outputs."""
    boxes, edges = {}, []

    def add(key, layer, ins, outs):
        if key not in boxes:
            boxes[key] = _Box(key, layer, _lines(layer, ins, outs, opts, prefix))
        return key

    nodes = getattr(model, "_nodes", None)
    if nodes is None:  # Sequential: a chain, its input first when the input shape is known
        shape = getattr(model, "_build_shape", None)
        previous = []
        if shape is not None:
            from ..layers.core import InputLayer
            placeholder = InputLayer(shape=tuple(shape[1:]), name=f"{model.name}_input")
            previous = [add(("input", id(model)), placeholder, [shape], [shape])]
        entries = list(previous)
        for layer in model.layers:
            out = None
            if shape is not None:
                try:
                    out = layer.compute_output_shape(shape)
                except Exception:  # a layer that cannot say: its box shows '?'
                    out = None
            parts = _expand(layer, opts, prefix, shape, out)
            if parts is None:
                key = add(id(layer), layer, [shape] if shape is not None else None,
                          [out] if out is not None else None)
                first, last = [key], [key]
            else:
                first, last = _merge(boxes, edges, parts, layer)
            edges.extend((p, f) for p in previous for f in first)
            entries = entries or first
            previous, shape = last, out
        return boxes, edges, entries, previous
    producers = {}
    entries = []
    for t in model.inputs:
        layer = t.node.layer
        entries.append(add(id(layer), layer, [t.shape], [t.shape]))
        producers[id(layer)] = [id(layer)]
    for node in nodes:
        ins, outs = [t.shape for t in node.inputs], [t.shape for t in node.outputs]
        parts = _expand(node.layer, opts, prefix, None, None)
        if parts is None:
            key = add(id(node.layer), node.layer, ins, outs)
            first, last = [key], [key]
        else:
            first, last = _merge(boxes, edges, parts, node.layer)
        producers[id(node.layer)] = last
        for t in node.inputs:
            for src in producers.get(id(t.node.layer), [id(t.node.layer)]):
                for dst in first:
                    if (src, dst) not in edges:
                        edges.append((src, dst))
    exits = [k for t in model.outputs for k in producers.get(id(t.node.layer), [])]
    return boxes, edges, entries, exits


def _expand(layer, opts, prefix, in_shape, out_shape):
    if not (opts["expand_nested"] and _is_model(layer)):
        return None
    return _graph(layer, opts, prefix + layer.name + "/")


def _merge(boxes, edges, parts, layer):
    """Inline a nested model's graph; its input layers are dropped (the outer arrows reach its first layers)."""
    from ..layers.core import InputLayer
    inner, inner_edges, entries, exits = parts
    dropped = {k for k in entries if isinstance(inner[k].layer, InputLayer)}
    first = [dst for src, dst in inner_edges if src in dropped] or entries
    for key, box in inner.items():
        if key not in dropped:
            box.group = box.group or layer.name
            boxes[key] = box
    edges.extend(e for e in inner_edges if e[0] not in dropped)
    return list(dict.fromkeys(first)), exits


def _check(model, rankdir, dpi):
    if not getattr(model, "built", False):
        raise ValueError(f"plot_model: model '{getattr(model, 'name', model)}' is not built yet, so it has no "
                         "layer graph. Build it first: start it with keras.Input(shape=...), call "
                         "model.build(input_shape), or fit it on data.")
    if rankdir not in _RANKDIRS:
        raise ValueError(f"plot_model: `rankdir` must be 'TB' (top to bottom) or 'LR' (left to right); received "
                         f"rankdir={rankdir!r}.")
    if not isinstance(dpi, (int, float)) or dpi <= 0:
        raise ValueError(f"plot_model: `dpi` must be a positive number; received dpi={dpi!r}.")


def _layout(boxes, edges):
    """Each box's depth (the longest path from an input) and its slot within that depth."""
    incoming = {k: [s for s, d in edges if d == k] for k in boxes}
    depth = {}

    def visit(k, trail=()):
        if k not in depth:
            depth[k] = 1 + max((visit(s, trail + (k,)) for s in incoming[k] if s not in trail), default=-1)
        return depth[k]
    levels = {}
    for k in boxes:
        boxes[k].depth = visit(k)
        levels.setdefault(boxes[k].depth, []).append(k)
    for keys in levels.values():
        for slot, k in enumerate(keys):
            boxes[k].slot = slot
    return levels


class DotGraph(str):
    """The DOT text of a model's graph (a ``str``), with the calls of the pydot graph Keras returns: ``create``
    (bytes in a format), ``create_svg`` / ``create_png`` / ``create_pdf`` / ``create_jpeg`` / ``create_ps``,
    ``write`` (pydot's default writes the DOT text) and ``write_png`` / ``write_svg`` / ``write_pdf`` /
    ``write_raw`` / ``write_dot``, ``to_string``. Pictures come from Graphviz's ``dot`` when it is installed,
    else from matplotlib's drawing."""

    def __new__(cls, text, model, opts, rankdir, dpi):
        graph = super().__new__(cls, text)
        graph._source = (model, opts, rankdir, dpi)
        return graph

    def to_string(self):
        return str(self)

    def create(self, prog=None, format="ps", encoding=None):  # noqa: A002 - pydot's argument name
        """The graph rendered in ``format`` as bytes ('raw' / 'dot' / 'canon': the DOT text)."""
        if format in ("raw", "dot", "canon", "xdot"):
            return str(self).encode(encoding or "utf-8")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, f"graph.{format}")
            _render(self, *self._source, path, format)
            with open(path, "rb") as f:
                return f.read()

    def write(self, path, prog=None, format="raw", encoding=None):  # noqa: A002
        """``path`` written in ``format`` (pydot's default 'raw': the DOT text). Returns True, as pydot."""
        with open(path, "wb") as f:
            f.write(self.create(prog, format, encoding))
        return True

    def __getattr__(self, name):
        for verb in ("create", "write"):
            if name.startswith(verb + "_"):
                fmt = name[len(verb) + 1:]
                fmt = {"jpg": "jpeg", "dot": "raw"}.get(fmt, fmt)
                return lambda *args, **kwargs: getattr(self, verb)(*args, format=fmt, **kwargs)
        raise AttributeError(f"model_to_dot's graph has no attribute {name!r}: it answers pydot's create / write "
                             "calls (create_svg, write_png, ...) and to_string; it is also the DOT text itself.")


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, **kwargs):
    """The layer graph as Graphviz DOT source text: a DotGraph, the text with pydot's ``create`` /
    ``write`` calls (Keras returns a pydot object; dendrite needs no pydot)."""
    _check(model, rankdir, dpi)
    opts = dict(show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                expand_nested=expand_nested, show_layer_activations=show_layer_activations,
                show_trainable=show_trainable)
    boxes, edges, _, _ = _graph(model, opts)
    names = {k: f"n{i}" for i, k in enumerate(boxes)}

    def quote(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    out = [f"digraph {quote(model.name)} {{", f"  graph [rankdir={rankdir}, dpi={int(dpi)}];",
           "  node [shape=box, style=rounded, fontname=Helvetica];"]
    groups = {}
    for k, box in boxes.items():
        groups.setdefault(box.group, []).append(k)
    for group, keys in groups.items():
        indent = "  "
        if group is not None:
            out.append(f"  subgraph {quote('cluster_' + group)} {{")
            out.append(f"    label={quote(group)}; style=dashed;")
            indent = "    "
        for k in keys:
            out.append(f"{indent}{names[k]} [label={quote(chr(10).join(boxes[k].lines))}];")
        if group is not None:
            out.append("  }")
    out += [f"  {names[s]} -> {names[d]};" for s, d in edges]
    out.append("}")
    return DotGraph("\n".join(out) + "\n", model, opts, rankdir, dpi)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=200, show_layer_activations=False, show_trainable=False,
               **kwargs):
    """Draw the model's layer graph to ``to_file`` (Keras's arguments and defaults).

    A ``.dot`` file gets the DOT text; other extensions (png, svg, pdf, jpg) are rendered by Graphviz's ``dot``
    program when it is installed and by matplotlib otherwise. In a Jupyter notebook the picture is returned
    for display (an IPython Image), elsewhere None.
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                       rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations, show_trainable=show_trainable)
    to_file = os.fspath(to_file)
    folder = os.path.dirname(to_file)
    if folder:
        os.makedirs(folder, exist_ok=True)
    ext = os.path.splitext(to_file)[1].lower().lstrip(".") or "png"
    if ext == "dot":
        with open(to_file, "w") as f:
            f.write(dot)
        return None
    _render(dot, *dot._source, to_file, ext)
    from ..viz._figure import in_notebook
    if in_notebook() and ext != "pdf":
        from IPython import display
        return display.Image(filename=to_file)
    return None


def _render(dot, model, opts, rankdir, dpi, to_file, ext):
    """The picture of ``dot`` written to ``to_file`` in format ``ext``: by Graphviz's ``dot`` when installed,
    else (or when dot cannot write that format) drawn with matplotlib."""
    program = shutil.which("dot")
    if program is not None:
        done = subprocess.run([program, f"-T{ext}", "-o", to_file], input=str(dot).encode(), capture_output=True,
                              timeout=60)
        if done.returncode == 0:
            return
    _draw(model, opts, to_file, rankdir, dpi)


def _draw(model, opts, to_file, rankdir, dpi):
    """The graph drawn with matplotlib: boxes on rows by depth (columns when rankdir='LR'), arrows between."""
    from ..viz._figure import pyplot
    boxes, edges, _, _ = _graph(model, opts)
    levels = _layout(boxes, edges)
    widest = max(len(keys) for keys in levels.values())
    chars = max(len(line) for box in boxes.values() for line in box.lines)
    lines = max(len(box.lines) for box in boxes.values())
    box_w, box_h = 0.07 * chars + 0.2, 0.14 * lines + 0.2  # inches, for 8-point monospace text
    gap_w, gap_h = 0.4, 0.45
    vertical = rankdir == "TB"
    across = widest * (box_w if vertical else box_h) + (widest - 1) * (gap_w if vertical else gap_h)
    along = len(levels) * (box_h if vertical else box_w) + (len(levels) - 1) * (gap_h if vertical else gap_w)
    fig_w, fig_h = (across, along) if vertical else (along, across)
    plt = pyplot()
    fig = plt.figure(figsize=(fig_w + 0.4, fig_h + 0.4))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(-0.2, fig_w + 0.2)
    ax.set_ylim(-0.2, fig_h + 0.2)
    ax.axis("off")
    centre = {}
    for depth, keys in levels.items():
        span = len(keys) * (box_w if vertical else box_h) + (len(keys) - 1) * (gap_w if vertical else gap_h)
        start = (across - span) / 2
        for slot, k in enumerate(keys):
            if vertical:
                x = start + slot * (box_w + gap_w) + box_w / 2
                y = fig_h - (depth * (box_h + gap_h) + box_h / 2)
            else:
                x = depth * (box_w + gap_w) + box_w / 2
                y = fig_h - (start + slot * (box_h + gap_h) + box_h / 2)
            centre[k] = (x, y)
    groups = {}
    for k, box in boxes.items():
        if box.group is not None:
            groups.setdefault(box.group, []).append(centre[k])
    for group, points in groups.items():
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1 = min(xs) - box_w / 2 - 0.1, max(xs) + box_w / 2 + 0.1
        y0, y1 = min(ys) - box_h / 2 - 0.1, max(ys) + box_h / 2 + 0.25
        ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, linestyle="--", edgecolor="#888888"))
        ax.text(x0 + 0.05, y1 - 0.05, group, va="top", ha="left", fontsize=8, color="#555555")
    extent = {}
    for k, box in boxes.items():
        x, y = centre[k]
        extent[k] = ax.text(x, y, "\n".join(box.lines), ha="center", va="center", fontsize=8, family="monospace",
                            bbox=dict(boxstyle="round,pad=0.4", facecolor="#eef3fb", edgecolor="#33507a"))
    fig.canvas.draw()  # the boxes' drawn sizes, so that the arrows meet their edges
    to_data = ax.transData.inverted()
    for k, text in extent.items():
        (x0, y0), (x1, y1) = to_data.transform(text.get_bbox_patch().get_window_extent())
        extent[k] = (x0, y0, x1, y1)
    for src, dst in edges:
        (x0, y0), (x1, y1) = centre[src], centre[dst]
        if vertical:
            y0, y1 = extent[src][1], extent[dst][3]
        else:
            x0, x1 = extent[src][2], extent[dst][0]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="#333333",
                                                                      shrinkA=0, shrinkB=0))
    fig.savefig(to_file, dpi=min(dpi, 200))
    plt.close(fig)
