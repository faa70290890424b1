"""`tf.errors`: the OpError family raised by Session.run, with TF's error codes.

Catch them as in TF: `except tf.errors.InvalidArgumentError as e:` (`e.op` is the failing op,
`e.message` the text). minitf raises InvalidArgumentError (an unfed placeholder, a bad index or
shape at run time), FailedPreconditionError (an uninitialized variable read), and, reading
checkpoints, NotFoundError, DataLossError and UnimplementedError; the other types exist so code
that catches them runs.
"""

OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND = 0, 1, 2, 3, 4, 5
ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION = 6, 7, 8, 9
ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS = 10, 11, 12, 13, 14, 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base class of the errors an op raises while it runs (`Session.run`).

    Args:
      node_def: the failing op's NodeDef (minitf passes None).
      op: the failing Operation, or None when it is not known.
      message: the error message.
      error_code: TF's error code (`tf.errors.INVALID_ARGUMENT`, ...); each subclass sets its
        own.
    """

    def __init__(self, node_def, op, message, error_code=UNKNOWN, *args):
        super().__init__(message, *args)
        self._node_def, self._op, self._message, self._error_code = (
            node_def, op, message, error_code)

    message = property(lambda self: self._message)
    op = property(lambda self: self._op)
    node_def = property(lambda self: self._node_def)
    error_code = property(lambda self: self._error_code)

    def __reduce__(self):
        return type(self), (self._node_def, self._op, self._message)

    def __str__(self):
        return self._message


_SUBCLASS_DOC = """

    Args:
      node_def: the failing op's NodeDef (minitf passes None).
      op: the failing Operation, or None when it is not known.
      message: the error message.
    """


def _op_error(name, code, doc):
    def __init__(self, node_def, op, message, *args):
        OpError.__init__(self, node_def, op, message, code, *args)
    return type(name, (OpError,), {"__init__": __init__, "__doc__": doc + _SUBCLASS_DOC,
                                   "__module__": __name__})


CancelledError = _op_error("CancelledError", CANCELLED, "An operation was cancelled.")
UnknownError = _op_error("UnknownError", UNKNOWN, "An unknown error.")
InvalidArgumentError = _op_error("InvalidArgumentError", INVALID_ARGUMENT,
                                 "An op received an invalid argument (or an unfed placeholder).")
DeadlineExceededError = _op_error("DeadlineExceededError", DEADLINE_EXCEEDED,
                                  "A deadline expired.")
NotFoundError = _op_error("NotFoundError", NOT_FOUND, "A requested entity was not found.")
AlreadyExistsError = _op_error("AlreadyExistsError", ALREADY_EXISTS, "An entity already exists.")
PermissionDeniedError = _op_error("PermissionDeniedError", PERMISSION_DENIED,
                                  "The caller may not run the operation.")
UnauthenticatedError = _op_error("UnauthenticatedError", UNAUTHENTICATED,
                                 "The request lacks valid credentials.")
ResourceExhaustedError = _op_error("ResourceExhaustedError", RESOURCE_EXHAUSTED,
                                   "Some resource has been exhausted.")
FailedPreconditionError = _op_error("FailedPreconditionError", FAILED_PRECONDITION,
                                    "The system is not in a state to run the operation "
                                    "(e.g. an uninitialized variable was read).")
AbortedError = _op_error("AbortedError", ABORTED, "The operation was aborted.")
OutOfRangeError = _op_error("OutOfRangeError", OUT_OF_RANGE,
                            "An operation iterated past the valid input range.")
UnimplementedError = _op_error("UnimplementedError", UNIMPLEMENTED,
                               "The operation is not implemented.")
InternalError = _op_error("InternalError", INTERNAL, "An internal invariant was broken.")
UnavailableError = _op_error("UnavailableError", UNAVAILABLE, "The runtime is unavailable.")
DataLossError = _op_error("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")


class OperatorNotAllowedInGraphError(TypeError):
    """A Python operator a graph cannot express (`bool(t)`, iterating over a Tensor)."""


_CODE_TO_CLASS = {cls(None, None, "").error_code: cls for cls in (
    CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError, NotFoundError,
    AlreadyExistsError, PermissionDeniedError, UnauthenticatedError, ResourceExhaustedError,
    FailedPreconditionError, AbortedError, OutOfRangeError, UnimplementedError, InternalError,
    UnavailableError, DataLossError)}


def exception_type_from_error_code(error_code):
    """Returns the OpError subclass for a TF error code.

    Args:
      error_code: an int, e.g. `tf.errors.NOT_FOUND` (5).

    Returns:
      The class, e.g. `tf.errors.NotFoundError`.

    Raises:
      KeyError: no class has that code.
    """
    return _CODE_TO_CLASS[error_code]


def error_code_from_exception_type(cls):
    """Returns TF's error code for an OpError subclass.

    Args:
      cls: an exception class.

    Returns:
      Its code, e.g. 3 (INVALID_ARGUMENT) for InvalidArgumentError; UNKNOWN (2) for a class
      that is not one of the OpError subclasses.
    """
    return {v: k for k, v in _CODE_TO_CLASS.items()}.get(cls, UNKNOWN)
