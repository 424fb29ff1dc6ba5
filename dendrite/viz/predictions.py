"""What the network predicts: a grid of images with the predicted class under each (mistakes in red), the
confusion matrix, and a layer's weights drawn as images."""
import math

import numpy as np

from ._figure import as_numpy, finish, pyplot

MISTAKE = "#d62728"  # the red of wrong predictions
RIGHT = "#2f2f2f"


def _classes(values, name, owner, n=None):
    """Class indices from labels or predictions: integers as they are, one-hot rows / probabilities argmax'd,
    a single sigmoid column thresholded at 0.5."""
    arr = as_numpy(values, name, owner)
    if arr.ndim == 2 and arr.shape[1] > 1:
        return arr.argmax(axis=1)
    arr = arr.reshape(len(arr), -1)[:, 0] if arr.ndim > 1 else arr
    if arr.dtype.kind == "f" and np.any((arr > 0) & (arr < 1)):
        return (arr > 0.5).astype(np.int64)
    return np.rint(arr).astype(np.int64)


def _image(img):
    """One image for imshow: (h, w) as is, (h, w, 1) squeezed, (h, w, 3|4) as colour, a flat square vector
    (784 pixels) as its square."""
    img = np.asarray(img)
    if img.ndim == 1:
        side = math.isqrt(img.size)
        if side * side != img.size:
            raise ValueError(f"plot_predictions: a flat image of {img.size} values is not square; pass images "
                             "with their (height, width[, channels]) shape.")
        img = img.reshape(side, side)
    if img.ndim == 3 and img.shape[-1] == 1:
        img = img[..., 0]
    if img.ndim == 3 and img.dtype.kind == "f" and img.max() > 1:
        img = img / 255.0
    return img


def plot_predictions(images, labels, predictions, n=24, only_mistakes=False, class_names=None, columns=None,
                     to_file=None):
    """A grid of the first ``n`` images with the predicted class under each; wrong predictions are written in
    red with the true class after them, as the codelab shows its digits. ``predictions`` may be class indices
    or the model's output (probabilities); ``labels`` indices or one-hot rows. ``only_mistakes`` draws only the
    wrongly predicted images. Returns the Figure (written to ``to_file`` when given)."""
    owner = "plot_predictions"
    images = as_numpy(images, "images", owner)
    truth, guess = _classes(labels, "labels", owner), _classes(predictions, "predictions", owner)
    if not len(images) == len(truth) == len(guess):
        raise ValueError(f"{owner}: images, labels and predictions must have one entry per image; received "
                         f"{len(images)} images, {len(truth)} labels and {len(guess)} predictions.")
    picked = np.flatnonzero(truth != guess) if only_mistakes else np.arange(len(images))
    picked = picked[:int(n)]
    if picked.size == 0:
        raise ValueError(f"{owner}: nothing to draw: " + ("no prediction is wrong" if only_mistakes
                                                          else "no images were given") + ".")
    name = (lambda c: str(class_names[c]) if class_names is not None and 0 <= c < len(class_names) else str(c))
    cols = columns or min(8, picked.size)
    rows = math.ceil(picked.size / cols)
    plt = pyplot()
    fig, axes = plt.subplots(rows, cols, figsize=(1.3 * cols, 1.5 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), picked):
        img = _image(images[i])
        ax.imshow(img, cmap="gray_r" if img.ndim == 2 else None)
        wrong = truth[i] != guess[i]
        ax.set_title(name(guess[i]) + (f" ({name(truth[i])})" if wrong else ""),
                     color=MISTAKE if wrong else RIGHT, fontsize=10)
    fig.tight_layout()
    return finish(fig, to_file)


def confusion_matrix(labels, predictions, num_classes=None):
    """counts[i, j]: how many samples of true class i were predicted as class j."""
    truth = _classes(labels, "labels", "confusion_matrix")
    guess = _classes(predictions, "predictions", "confusion_matrix")
    if len(truth) != len(guess):
        raise ValueError(f"confusion_matrix: {len(truth)} labels but {len(guess)} predictions; give one of each "
                         "per sample.")
    k = int(num_classes or max(truth.max(initial=0), guess.max(initial=0)) + 1)
    counts = np.zeros((k, k), np.int64)
    np.add.at(counts, (truth, guess), 1)
    return counts


def plot_confusion_matrix(labels, predictions, class_names=None, normalize=False, to_file=None):
    """The confusion matrix as a heat map with each cell's count (or, with ``normalize``, its share of the
    true class's row). Returns the Figure (written to ``to_file`` when given)."""
    counts = confusion_matrix(labels, predictions, len(class_names) if class_names is not None else None)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    k = len(counts)
    names = [str(c) for c in (class_names if class_names is not None else range(k))]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(1.0 + 0.5 * k, 0.8 + 0.5 * k))
    im = ax.imshow(shown, cmap="Blues")
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 2 else 0)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    top = shown.max() if shown.size else 0
    for i in range(k):
        for j in range(k):
            ax.text(j, i, f"{shown[i, j]:.2f}" if normalize else str(counts[i, j]), ha="center", va="center",
                    fontsize=8, color="white" if shown[i, j] > top / 2 else "black")
    fig.colorbar(im, ax=ax, fraction=0.046)
    fig.tight_layout()
    return finish(fig, to_file)


def _kernel_images(layer):
    """The images a layer's kernel makes: a Dense kernel's columns (one per unit) as squares when its input
    is a square image flattened, else the kernel as one matrix; a convolution's filters (the mean over input
    channels) as small images."""
    kernels = [w for w in layer.weights if w.name.split("/")[-1].split(":")[0] in ("kernel", "depthwise_kernel")]
    if not kernels:
        raise ValueError(f"plot_weights: layer '{layer.name}' ({type(layer).__name__}) has no kernel to draw; "
                         "pass a Dense or convolution layer (built, e.g. after fit or model.build).")
    k = np.asarray(kernels[0].numpy())
    if k.ndim == 2:
        side = math.isqrt(k.shape[0])
        if side * side == k.shape[0] and side > 1:
            return [k[:, j].reshape(side, side) for j in range(k.shape[1])], "unit"
        return [k], None
    if k.ndim in (3, 4):  # (kw, cin, cout) or (kh, kw, cin, cout)
        k = k[:, None] if k.ndim == 3 else k
        return [k[..., j].mean(axis=-1) for j in range(k.shape[-1])], "filter"
    raise ValueError(f"plot_weights: cannot draw the kernel of shape {k.shape} of layer '{layer.name}'.")


def plot_weights(layer, n=64, to_file=None):
    """A Dense or convolution layer's kernel as images: each unit's weights over a square input (the codelab's
    MNIST digits-shaped weights), each filter, or the whole matrix. Returns the Figure."""
    if not getattr(layer, "built", False):
        raise ValueError(f"plot_weights: layer '{getattr(layer, 'name', layer)}' is not built yet, so it has no "
                         "weights; fit or build the model first.")
    images, what = _kernel_images(layer)
    images = images[:int(n)]
    plt = pyplot()
    cols = min(8, len(images))
    rows = math.ceil(len(images) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.4 * cols if what else 6, 1.4 * rows if what else 4),
                             squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for j, (ax, img) in enumerate(zip(axes.ravel(), images)):
        bound = float(np.abs(img).max()) or 1.0
        ax.imshow(img, cmap="RdBu_r", vmin=-bound, vmax=bound, aspect="equal" if what else "auto")
        if what:
            ax.set_title(f"{what} {j}", fontsize=8)
    fig.suptitle(f"{layer.name} ({type(layer).__name__}) kernel")
    fig.tight_layout()
    return finish(fig, to_file)
