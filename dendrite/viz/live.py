"""PlotTraining: the codelab's live training curves, redrawn in place in Jupyter and written as one PNG per
epoch elsewhere."""
import os

from ..callbacks.base import Callback
from ._figure import in_notebook, pyplot


class PlotTraining(Callback):
    """Draw loss and accuracy as training goes: every ``sample_rate``-th batch's training values as a curve,
    each epoch's validation values as points on it.

    ``zoom`` narrows the axes towards a loss of 0 and an accuracy of 1 (the codelab uses 5 to 16 for MNIST,
    where the interesting part is the last percent): the loss axis shows [0, 1.2 / zoom], the accuracy axis
    [1 - 0.5 / zoom, 1 + 0.05 / zoom]. In a Jupyter notebook the figure is redrawn in place at each epoch's end;
    elsewhere it is written to ``to_dir/epoch-NNN.png`` (default folder ``training-plots``).
    """

    def __init__(self, sample_rate=1, zoom=1, to_dir="training-plots", metric=None):
        super().__init__()
        if not isinstance(sample_rate, int) or isinstance(sample_rate, bool) or sample_rate < 1:
            raise ValueError(f"PlotTraining: `sample_rate` must be a positive integer (draw every N-th batch); "
                             f"received sample_rate={sample_rate!r}.")
        if not isinstance(zoom, (int, float)) or isinstance(zoom, bool) or zoom <= 0:
            raise ValueError(f"PlotTraining: `zoom` must be a positive number; received zoom={zoom!r}.")
        self.sample_rate, self.zoom, self.to_dir, self.metric = sample_rate, float(zoom), to_dir, metric
        self.files = []

    def on_train_begin(self, logs=None):
        self.step, self.batches, self.batch_logs, self.epoch_ends, self.epoch_logs = 0, [], {}, [], {}
        self._display = None

    def on_train_batch_end(self, batch, logs=None):
        if batch % self.sample_rate == 0:
            self.batches.append(self.step)
            for key, value in (logs or {}).items():
                self.batch_logs.setdefault(key, []).append(float(value))
        self.step += 1

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_ends.append(self.step)
        for key, value in (logs or {}).items():
            self.epoch_logs.setdefault(key, []).append(float(value))
        fig = self.draw()
        if in_notebook():
            from IPython import display
            if self._display is None:
                self._display = display.display(fig, display_id=True)
            else:
                self._display.update(fig)
            pyplot().close(fig)
        else:
            os.makedirs(self.to_dir, exist_ok=True)
            path = os.path.join(self.to_dir, f"epoch-{epoch + 1:03d}.png")
            fig.savefig(path, dpi=80)
            pyplot().close(fig)
            self.files.append(path)

    def _accuracy_key(self):
        if self.metric:
            return self.metric
        for key in list(self.batch_logs) + list(self.epoch_logs):
            if key != "loss" and not key.startswith("val_") and ("acc" in key):
                return key
        return next((k for k in self.batch_logs if k != "loss"), None)

    def draw(self):
        """The figure as it stands (the loss panel, and the accuracy panel when a metric is logged)."""
        plt = pyplot()
        acc = self._accuracy_key()
        panels = ["loss"] + ([acc] if acc else [])
        fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 3.6), squeeze=False)
        for ax, key in zip(axes[0], panels):
            if key in self.batch_logs:
                ax.plot(self.batches, self.batch_logs[key], label="training", linewidth=1)
            if f"val_{key}" in self.epoch_logs:
                ax.plot(self.epoch_ends, self.epoch_logs[f"val_{key}"], "o-", label="validation")
            if key == "loss":
                ax.set_ylim(0, 1.2 / self.zoom)
            else:
                ax.set_ylim(1 - 0.5 / self.zoom, 1 + 0.05 / self.zoom)
            ax.set_title(key)
            ax.set_xlabel("batch")
            ax.grid(alpha=0.3)
            ax.legend(loc="best")
        fig.tight_layout()
        return fig
