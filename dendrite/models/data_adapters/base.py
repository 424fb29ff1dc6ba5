"""What every adapter shares: epochs taken from passes over the data, with or without a step count.

An adapter opens passes over its data (``_open_pass``: an iterator of raw batches) and makes each raw batch
``(x, y, sample_weight)`` (``_prepare``), class weights multiplied in. Without ``steps`` an epoch is one whole
pass. With ``steps`` (fit's steps_per_epoch), an epoch takes the next ``steps`` batches and the next epoch goes
on from there, as in Keras 3: a pass is only started afresh once it is used up, and an epoch that meets the end
of a pass stops there, with Keras's warning. A one-shot source (a Python generator or iterator) cannot be
started afresh: once used up, it has no data left (``has_data``).
"""
import itertools
import warnings

from ... import backend

RAN_OUT = ("Your input ran out of data; interrupting training. Make sure that your dataset or generator can "
           "generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function "
           "when building your dataset.")


class DataAdapter:
    one_shot = False
    kind = "arrays"

    def __init__(self, steps, class_weights=None, name="x"):
        self.steps, self.class_weights, self.name = steps, class_weights, name
        self._full = None  # batches in one pass, None while not known
        self._pass, self._seen = None, 0
        self._opened = None  # what _open_pass returned: closed when the pass is dropped
        self._pass_rng = None  # dendrite's random state the current pass was drawn from (its shuffle)
        self.exhausted = False

    @property
    def num_batches(self):
        """The batches of one epoch: ``steps`` when given, else those of a pass (None while not known)."""
        return self.steps if self.steps is not None else self._full

    # ---------------------------------------------------------------- what subclasses define
    def _open_pass(self):  # pragma: no cover - every adapter defines it
        raise NotImplementedError

    def _prepare(self, raw, index):
        return raw

    def first_batch(self):
        """The first batch as (x, y, sample_weight), without class weights: what the model is built from.
        It is still the first one ``batches`` gives."""
        self._ready()
        raw = self._peek()
        if raw is None:
            raise ValueError(self.empty_message())
        return self._prepare(raw, self._seen)

    def empty_message(self):
        return f"`{self.name}` has no batches."

    def on_epoch_begin(self):
        """Called by fit before each epoch, and by evaluate / predict before their pass."""

    def on_epoch_end(self):
        """Called by fit after each epoch, and by evaluate / predict after their pass."""

    # ---------------------------------------------------------------- passes and steps
    def _ready(self):
        """Open a pass unless the current one goes on (with steps, or when nothing of it was taken yet)."""
        if self._pass is None or (self.steps is None and self._seen > 0):
            self._close_pass()
            self._pass_rng = backend.rng().bit_generator.state
            self._pass = self._opened = self._open_pass()
            self._seen = 0

    def _peek(self):
        """The next raw batch of the current pass, left in it; None when the pass is used up."""
        if self._full is not None and self._seen >= self._full:
            return None
        try:
            raw = next(self._pass)
        except StopIteration:
            return None
        self._pass = itertools.chain([raw], self._pass)
        return raw

    def has_data(self):
        """Whether the next epoch gets any batch (False only for a one-shot source that is used up)."""
        if not self.one_shot:
            return True
        if not self.exhausted:
            self._ready()
            self.exhausted = self._peek() is None
        return not self.exhausted

    def batches(self, epoch=0):
        """The batches of one epoch, each (x, y, sample_weight)."""
        self._ready()
        taken, ended = 0, False
        while self.steps is None or taken < self.steps:
            if self._full is not None and self._seen >= self._full:
                ended = True
                break
            try:
                raw = next(self._pass)
            except StopIteration:
                ended = True
                if not self.one_shot:
                    self._full = self._seen  # a stream of unknown length: now it is known
                break
            index = self._seen
            self._seen += 1
            taken += 1
            x, y, sample_weight = self._prepare(raw, index)
            if self.class_weights is not None:
                sample_weight = self.class_weights.weigh(x, y, sample_weight)
            yield x, y, sample_weight
        ended = ended or (self._full is not None and self._seen >= self._full)
        if ended:
            if self.steps is not None and taken < self.steps and not (self.one_shot and taken == 0):
                warnings.warn(RAN_OUT, stacklevel=3)
            self._close_pass()
            if self.one_shot:
                self.exhausted = True

    # ---------------------------------------------------------------- position (BackupAndRestore)
    def position(self):
        """Where the next batch comes from, as JSON-able values: None at the start of a pass; else the random
        state the current pass was drawn from and how many of its batches were taken. BackupAndRestore saves it
        so that a resumed run with ``steps_per_epoch`` goes on inside the same pass. None as well for a one-shot
        source (a generator cannot be wound back)."""
        if self.one_shot or self._pass is None or self._seen == 0:
            return None
        return {"pass_rng": self._pass_rng, "seen": self._seen}

    def restore_position(self, position):
        """Go back to ``position`` (from :meth:`position`): the pass drawn again from its random state and its
        first ``seen`` batches passed over; dendrite's random state is left as it was."""
        self._close_pass()
        if position is None:
            return
        now = backend.rng().bit_generator.state
        backend.rng().bit_generator.state = position["pass_rng"]
        try:
            self._pass_rng = position["pass_rng"]
            self._pass = self._opened = self._open_pass()
            for _ in range(int(position["seen"])):
                next(self._pass)
            self._seen = int(position["seen"])
        finally:
            backend.rng().bit_generator.state = now

    def reset(self):
        """The next batches() starts a new pass (evaluate and validation start from the first batch); a
        one-shot source goes on where it is."""
        if self._seen > 0 and not self.one_shot:
            self._close_pass()

    def _close_pass(self):
        close = getattr(self._opened, "close", None)
        if close is not None and not self.one_shot:  # never the user's own generator
            close()
        self._pass = self._opened = None
        self._seen = 0

    def close(self):
        """Stop what the current pass runs (a PyDataset's worker threads or processes)."""
        self._close_pass()
