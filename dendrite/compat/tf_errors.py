"""``tf.errors``: TensorFlow's error classes and codes. The errors dendrite raises are Python's own
(InvalidArgumentError is a ValueError, OutOfRangeError the StopIteration of an exhausted iterator, NotFoundError a
FileNotFoundError, ...), so ``except tf.errors.X`` catches what dendrite raises in the same situation; the rest
are classes of their own that take TensorFlow's arguments ``(node_def, op, message)``, for programs that raise
them."""
from .tf_queue import CancelledError

# TensorFlow's error codes (error_codes.proto)
CODES = dict(OK=0, CANCELLED=1, UNKNOWN=2, INVALID_ARGUMENT=3, DEADLINE_EXCEEDED=4, NOT_FOUND=5, ALREADY_EXISTS=6,
             PERMISSION_DENIED=7, RESOURCE_EXHAUSTED=8, FAILED_PRECONDITION=9, ABORTED=10, OUT_OF_RANGE=11,
             UNIMPLEMENTED=12, INTERNAL=13, UNAVAILABLE=14, DATA_LOSS=15, UNAUTHENTICATED=16)


class _TFError(RuntimeError):
    """An error of TensorFlow's runtime that dendrite itself does not raise: ``(node_def, op, message)``."""

    error_code = CODES["UNKNOWN"]

    def __init__(self, node_def=None, op=None, message=None, *args):
        if message is None and isinstance(node_def, str) and op is None:  # a message given alone
            node_def, message = None, node_def
        super().__init__(message)
        self.node_def, self.op, self.message = node_def, op, message

    def __str__(self):
        return str(self.message)


def _error(name, code):
    return type(name, (_TFError,), {"error_code": CODES[code], "__doc__": f"``tf.errors.{name}``."})


ERRORS = dict(
    InvalidArgumentError=ValueError, OutOfRangeError=StopIteration, NotFoundError=FileNotFoundError,
    UnimplementedError=NotImplementedError, ResourceExhaustedError=MemoryError, OpError=Exception,
    CancelledError=CancelledError, PermissionDeniedError=PermissionError, DeadlineExceededError=TimeoutError,
    AlreadyExistsError=FileExistsError, UnknownError=_error("UnknownError", "UNKNOWN"),
    AbortedError=_error("AbortedError", "ABORTED"), DataLossError=_error("DataLossError", "DATA_LOSS"),
    FailedPreconditionError=_error("FailedPreconditionError", "FAILED_PRECONDITION"),
    InternalError=_error("InternalError", "INTERNAL"), UnavailableError=_error("UnavailableError", "UNAVAILABLE"),
    UnauthenticatedError=_error("UnauthenticatedError", "UNAUTHENTICATED"),
    OperatorNotAllowedInGraphError=type("OperatorNotAllowedInGraphError", (TypeError,), {}),
    **CODES)
