"""Stages that choose which elements go on: ``take_while`` (until the predicate first fails),
``ignore_errors`` (elements whose making raised dropped) and ``choose_from_datasets`` (each element from
the dataset a choice dataset names)."""
import logging

import numpy as np

from . import cardinality as counts
from . import structure
from .dataset import Dataset
from .transforms import Filter, Map, Passthrough, Predicated, apply_fn, call, truth

log = logging.getLogger("dendrite.data")


class TakeWhile(Predicated):
    method = "take_while"

    def _iterate(self):
        for element in self._input._iterate():
            if not self._holds(element):
                return
            yield element


def _element_wise_chain(dataset):
    """The map / filter stages just before ``dataset`` (innermost first) and the stage they read from."""
    from .parallel import ParallelMap
    chain = []
    while isinstance(dataset, (Map, Filter, ParallelMap)) and dataset._options is None:
        chain.append(dataset)
        dataset = dataset._input
    return chain[::-1], dataset


class IgnoreErrors(Passthrough):
    """Elements whose map or filter function raised are dropped (each function of the map / filter stages
    right before this one is run here, element by element, so that one failure drops one element), and so
    are the records of a CsvDataset source that do not parse. An error raised by another stage further up
    (a file that cannot be read) ends the pass, as that stage cannot go on; with ``log_warning`` each dropped
    element is logged."""

    def __init__(self, input_dataset, log_warning=False):
        super().__init__(input_dataset)
        self._log = bool(log_warning)
        self._chain, self._source = _element_wise_chain(input_dataset)

    def _cardinality(self):
        return counts.UNKNOWN

    def _drop(self, error):
        if self._log:
            log.warning("Dataset.ignore_errors: dropped an element: %s: %s", type(error).__name__, error)

    def _iterate(self):
        from .csv import CsvDataset
        source = self._source
        if isinstance(source, CsvDataset) and source._options is None:  # a bad line is one record: skip it
            upstream = iter(source.records(on_error=self._drop))
        else:
            upstream = iter(source._iterate())
        while True:
            try:
                element = next(upstream)
            except StopIteration:
                return
            except Exception as e:  # noqa: BLE001 - the source itself failed: it cannot continue
                self._drop(e)
                return
            try:
                element = self._through(element)
            except _Filtered:
                continue
            except Exception as e:  # noqa: BLE001 - what ignore_errors is for
                self._drop(e)
                continue
            yield element

    def _through(self, element):
        for stage in self._chain:
            if isinstance(stage, Filter):
                if not truth(call(stage._fn, element), stage._fn):
                    raise _Filtered
            else:
                element = apply_fn(stage._fn, element, "map")
        return element


class _Filtered(Exception):
    pass


class ChooseFrom(Dataset):
    """``choose_from_datasets``: element k comes from ``datasets[choice_k]``; a chosen dataset that has run
    out ends the whole (``stop_on_empty_dataset``) or is passed over."""

    def __init__(self, datasets, choice_dataset, stop_on_empty_dataset=True):
        self._datasets = list(datasets) if isinstance(datasets, (list, tuple)) else None
        if not self._datasets or not all(isinstance(d, Dataset) for d in self._datasets):
            raise TypeError("choose_from_datasets: `datasets` must be a non-empty list of Datasets. "
                            f"Received: {datasets!r}.")
        if not isinstance(choice_dataset, Dataset):
            raise TypeError("choose_from_datasets: `choice_dataset` must be a Dataset of int64 scalars (indices "
                            f"into `datasets`). Received: {type(choice_dataset).__name__}.")
        spec = choice_dataset.element_spec
        if structure.is_structure(spec) or spec.shape not in ((), None) or spec.dtype != np.int64:
            raise TypeError("choose_from_datasets: `choice_dataset` must give int64 scalars; its element_spec is "
                            f"{spec}. Map it with tf.cast(x, tf.int64).")
        self._choice, self._stop = choice_dataset, bool(stop_on_empty_dataset)
        first = self._datasets[0].element_spec
        for d in self._datasets[1:]:
            if structure.common_spec(first, d.element_spec) is None:
                raise TypeError("choose_from_datasets: all datasets must have elements of one structure and "
                                f"dtypes. Received element_spec {first} and {d.element_spec}.")

    def _inputs(self):
        return self._datasets + [self._choice]

    def _cardinality(self):
        return counts.UNKNOWN

    def _spec(self):
        spec = self._datasets[0].element_spec
        for d in self._datasets[1:]:
            spec = structure.common_spec(spec, d.element_spec)
        return spec

    def _iterate(self):
        iterators = [iter(d._iterate()) for d in self._datasets]
        done = [False] * len(iterators)
        for choice in self._choice._iterate():
            k = int(choice)
            if not 0 <= k < len(iterators):
                raise ValueError(f"choose_from_datasets: the choice dataset gave {k}, not an index into the "
                                 f"{len(iterators)} datasets (0 to {len(iterators) - 1}).")
            if done[k]:
                if self._stop:
                    return
                continue
            for element in iterators[k]:
                yield element
                break
            else:
                done[k] = True
                if self._stop or all(done):
                    return
