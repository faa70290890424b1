# cython: language_level=3, boundscheck=False, wraparound=False
"""CRC-32C (Castagnoli), as TensorFlow's checkpoints and LevelDB tables use it: the twin of
minitf/_pure/crc32c.py. Slicing-by-8 tables: eight bytes per step instead of one."""
import operator

from libc.stdint cimport uint32_t

cdef uint32_t _POLY = 0x82F63B78  # reflected Castagnoli polynomial
cdef uint32_t _T[8][256]
cdef uint32_t _MASK_DELTA = 0xA282EAD8


cdef void _tables():
    cdef uint32_t crc
    cdef int i, k
    for i in range(256):
        crc = i
        for k in range(8):
            crc = (crc >> 1) ^ (_POLY if crc & 1 else 0)
        _T[0][i] = crc
    for i in range(256):
        for k in range(1, 8):
            _T[k][i] = (_T[k - 1][i] >> 8) ^ _T[0][_T[k - 1][i] & 0xFF]


_tables()


cdef uint32_t _u32(object value, str what) except? 0xFFFFFFFF:
    # the pure twin's check and text, not Cython's conversion error
    try:
        value = operator.index(value)  # ints, NumPy's too; not floats
    except TypeError:
        raise TypeError(f"{what} must be an int, not {type(value).__name__}") from None
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"{what} must be in [0, 2**32), not {value}")
    return value


def extend(crc, const unsigned char[::1] data not None):
    """The CRC-32C of the bytes hashed into `crc` followed by `data`."""
    cdef Py_ssize_t i = 0, n = data.shape[0]
    cdef uint32_t c = _u32(crc, "crc") ^ 0xFFFFFFFF
    with nogil:
        while n - i >= 8:
            c ^= (<uint32_t>data[i] | (<uint32_t>data[i + 1] << 8)
                  | (<uint32_t>data[i + 2] << 16) | (<uint32_t>data[i + 3] << 24))
            c = (_T[7][c & 0xFF] ^ _T[6][(c >> 8) & 0xFF] ^ _T[5][(c >> 16) & 0xFF]
                 ^ _T[4][c >> 24] ^ _T[3][data[i + 4]] ^ _T[2][data[i + 5]]
                 ^ _T[1][data[i + 6]] ^ _T[0][data[i + 7]])
            i += 8
        while i < n:
            c = _T[0][(c ^ data[i]) & 0xFF] ^ (c >> 8)
            i += 1
    return c ^ 0xFFFFFFFF


def crc32c(data):
    """The CRC-32C of `data` (bytes-like)."""
    return extend(0, data)


def mask(crc):
    """LevelDB's masked CRC (stored CRCs are masked, so a CRC of data holding CRCs differs)."""
    cdef uint32_t c = _u32(crc, "crc")
    return (((c >> 15) | (c << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unmask(masked):
    """The CRC that `mask` turned into `masked`."""
    cdef uint32_t rot = (_u32(masked, "masked") - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF
