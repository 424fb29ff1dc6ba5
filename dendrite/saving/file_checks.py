"""What every loader does with a file it did not write: one error type for a saved file that cannot be loaded,
and the checks that turn a damaged or hostile file's low-level failures into it.

A loader reads in stages (open the archive, parse the config, build the model, read the weights, compile);
``reading(path, stage)`` around a stage turns whatever h5py, zipfile, zlib, json or a layer's constructor
raises on bad data into a ``WeightsFileError`` naming the file and the stage, the original chained as its
cause. ``h5_object``, ``h5_group`` and ``weight_dataset`` check an HDF5 object before anything is read from
it: a link (to another file, or in a loop), external or virtual storage, or an array of text is refused.
"""
import contextlib
import lzma
import struct
import zipfile
import zlib


class WeightsFileError(ValueError):
    """A saved file (weights, a whole model, a checkpoint) that cannot be loaded: missing parts, truncated,
    corrupted, hostile, or saved from another model. The message names the file and the problem."""


# what reading bad data raises below dendrite: h5py (OSError, KeyError, RuntimeError, ValueError, TypeError),
# zipfile (BadZipFile, NotImplementedError for an unknown compression, RuntimeError for an encrypted member),
# zlib / lzma, NumPy's .npy reader, json, and a layer's constructor given a value of the wrong kind
_BAD_DATA = (OSError, EOFError, KeyError, IndexError, RuntimeError, ValueError, TypeError, AttributeError,
             OverflowError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, struct.error)


@contextlib.contextmanager
def reading(path, stage):
    """Within: a failure of ``stage`` (e.g. "building the model from its config") on data from ``path`` raises
    WeightsFileError naming both. A WeightsFileError passes as it is; so does an error whose message already
    starts with the file's name (dendrite's own refusals that name it)."""
    try:
        yield
    except WeightsFileError:
        raise
    except RecursionError:
        raise WeightsFileError(f"{path}: {stage}: the data is nested deeper than any saved model is; "
                               "refused.") from None
    except _BAD_DATA as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args and isinstance(e.args[0], str) else str(e)
        if message.startswith(f"{path}: "):
            raise WeightsFileError(message) from e
        if not isinstance(e, (ValueError, TypeError)) or not message:
            message = f"{type(e).__name__}: {message}" if message else type(e).__name__
        raise WeightsFileError(f"{path}: {stage}: {message}") from e


def h5_object(h5py, parent, key, path, where):
    """``parent[key]`` when a link in the file itself names it (None when nothing does); a soft or external link
    (to another place, another file, or in a loop) is refused before it is followed."""
    link = parent.get(key, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        kind = "another file" if isinstance(link, h5py.ExternalLink) else "another place in the file"
        raise WeightsFileError(f"{path}: '{where}' is a link to {kind} ({type(link).__name__}); a weights file "
                               "holds its groups and arrays itself. Refused.")
    return parent[key]


def h5_group(h5py, parent, key, path, where):
    """``parent[key]`` if it is a group stored in the file, None if there is none; else WeightsFileError."""
    group = h5_object(h5py, parent, key, path, where)
    if group is not None and not isinstance(group, h5py.Group):
        raise WeightsFileError(f"{path}: '{where}' is a {type(group).__name__}, where a group was expected: the "
                               "file is damaged or was not written by Keras.")
    return group


def weight_dataset(h5py, parent, key, path, where):
    """``parent[key]``, checked to be an array of numbers stored in the file itself, or WeightsFileError."""
    data = h5_object(h5py, parent, key, path, where)
    if data is None:
        raise WeightsFileError(f"{path}: no array '{where}' in the file; the file is damaged or for another model.")
    if not isinstance(data, h5py.Dataset):
        raise WeightsFileError(f"{path}: '{where}' is a {type(data).__name__}, where a weight's array was expected.")
    if data.external or data.is_virtual:
        raise WeightsFileError(f"{path}: '{where}' keeps its numbers in other files (external or virtual storage); "
                               "a weights file holds its arrays itself. Refused.")
    if data.dtype.kind not in "fiub":
        raise WeightsFileError(f"{path}: '{where}' holds {data.dtype} values; a weight is an array of numbers.")
    return data
