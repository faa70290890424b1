"""CRC-32C (Castagnoli), as TensorFlow's checkpoints and LevelDB tables use it: the pure-Python
twin of csrc/crc32c.pyx (a byte at a time; the compiled one takes eight)."""
import operator

_POLY = 0x82F63B78  # reflected Castagnoli polynomial
_MASK_DELTA = 0xA282EAD8


def _table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ (_POLY if crc & 1 else 0)
        table.append(crc)
    return tuple(table)


_T = _table()


def _u32(value, what):
    try:
        value = operator.index(value)  # ints, NumPy's too; not floats
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"{what} must be in [0, 2**32), not {value}")
    return value


def extend(crc, data):
    """The CRC-32C of the bytes hashed into `crc` followed by `data`."""
    c = _u32(crc, "crc") ^ 0xFFFFFFFF
    if data is None:  # (as the compiled twin's typed argument)
        raise TypeError("Argument 'data' must not be None")
    table = _T
    for byte in memoryview(data).cast("B"):
        c = table[(c ^ byte) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def crc32c(data):
    """The CRC-32C of `data` (bytes-like)."""
    return extend(0, data)


def mask(crc):
    """LevelDB's masked CRC (stored CRCs are masked, so a CRC of data holding CRCs differs)."""
    crc = _u32(crc, "crc")
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked):
    """The CRC that `mask` turned into `masked`."""
    rot = (_u32(masked, "masked") - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
