"""Checkpoint files: minitf's own `.npz` format (npz.py) and TensorFlow's V2 bundles read
without TensorFlow (bundle.py over table.py, wire.py, snappy.py), behind one reader interface:
`names()`, `dtype(name)`, `shape(name)`, `tensor(name)`."""
from minitf.checkpoint import bundle, npz
from minitf.framework.errors import NotFoundError


def exists(prefix):
    """Whether a checkpoint of either format is at `prefix`."""
    return npz.exists(prefix) or bundle.exists(prefix)


def open_checkpoint(prefix):
    """A reader of the checkpoint at `prefix`, of whichever format its files are."""
    if npz.exists(prefix):
        return npz.NpzReader(prefix)
    if bundle.exists(prefix):
        return bundle.BundleReader(prefix)
    raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find "
                        f"any matching files for {prefix}")
