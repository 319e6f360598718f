# cython: language_level=3, boundscheck=False, wraparound=False
"""One pass over a page's bytes, in C: are they UTF-8, and do they hold control characters?

`blocks._decode` asks before it decodes: bytes that are UTF-8 without control characters go to
lxml as they are (it parses bytes faster than text), and `parse_tree` needs no text of them.
`has_digit` tells whether a text holds a decimal digit, as the expression `\\d` would find one,
in one pass (the line rules ask it of whole paragraphs).
"""

from cpython.unicode cimport (
    Py_UNICODE_ISDECIMAL,
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_KIND,
)
from libc.stdint cimport uint32_t, uint64_t
from libc.string cimport memcpy

cdef extern from *:
    const char* SCAN_SOURCE_SHA256  # given by setup.py

SOURCE_SHA256 = SCAN_SOURCE_SHA256.decode("ascii")  # of the .pyx this module was built from

NOT_UTF8 = 1  # not UTF-8 as Python's strict decoder reads it
CONTROL = 2  # a control byte: 0-8, 11, 12, 14-31 or 127 (`blocks._CONTROL`)
cdef enum:  # the same flags, for C
    _NOT_UTF8 = 1
    _CONTROL = 2

cdef uint64_t _HIGH = 0x8080808080808080ULL
cdef uint64_t _SPACE = 0x2020202020202020ULL
cdef uint64_t _ONES = 0x0101010101010101ULL


cdef inline bint _is_control(unsigned char c) noexcept nogil:
    return (c < 0x20 and c != 9 and c != 10 and c != 13) or c == 0x7f


cdef inline int _ascii_word(const unsigned char* p) noexcept nogil:
    """For eight bytes: -1 when one is not ASCII, else `CONTROL` when one is a control byte,
    else 0. A word without a byte below 0x20 or 0x7f is told at once; one with a newline or a
    tab in it, byte by byte."""
    cdef uint64_t w
    cdef int k
    memcpy(&w, p, 8)
    if w & _HIGH:
        return -1
    if ((w - _SPACE) & _HIGH) == 0 and ((w + _ONES) & _HIGH) == 0:
        return 0
    for k in range(8):
        if _is_control(p[k]):
            return _CONTROL
    return 0


cdef inline Py_ssize_t _sequence(const unsigned char* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The length of the well-formed UTF-8 sequence of 2 to 4 bytes at `i`, 0 if there is none
    (Unicode's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF)."""
    cdef unsigned char c = p[i]
    cdef unsigned char low = 0x80, high = 0xBF
    cdef Py_ssize_t size, k
    if 0xC2 <= c <= 0xDF:
        size = 2
    elif 0xE0 <= c <= 0xEF:
        size = 3
        if c == 0xE0:
            low = 0xA0
        elif c == 0xED:
            high = 0x9F
    elif 0xF0 <= c <= 0xF4:
        size = 4
        if c == 0xF0:
            low = 0x90
        elif c == 0xF4:
            high = 0x8F
    else:
        return 0
    if i + size > n or not (low <= p[i + 1] <= high):
        return 0
    for k in range(2, size):
        if not (0x80 <= p[i + k] <= 0xBF):
            return 0
    return size


def scan(bytes data not None) -> int:
    """`NOT_UTF8 | CONTROL`, the flags that hold for `data` (0: UTF-8 without control bytes)."""
    cdef const unsigned char* p = <const unsigned char*><const char*>data
    cdef Py_ssize_t n = len(data), i = 0, stop, size
    cdef int flags = 0, word
    cdef unsigned char c
    while i < n:
        if i + 8 <= n:
            word = _ascii_word(p + i)
            if word >= 0:
                flags |= word
                i += 8
                continue
        stop = i + 8  # byte by byte up to the next word (a non-ASCII character)
        while i < stop and i < n:
            c = p[i]
            if c < 0x80:
                if _is_control(c):
                    flags |= _CONTROL
                i += 1
                continue
            size = _sequence(p, i, n) if not flags & _NOT_UTF8 else 0
            if size:
                i += size
            else:
                flags |= _NOT_UTF8
                i += 1
        if flags == _NOT_UTF8 | _CONTROL:
            break
    return flags


cdef inline bint _decimal(Py_UCS4 c) noexcept:
    """A decimal digit (beyond Latin-1, whatever the script)."""
    return 0x30 <= c <= 0x39 or (c > 0xff and Py_UNICODE_ISDECIMAL(c))


def has_digit(str text not None) -> bool:
    """Whether `re.search(r"\\d", text)` finds a digit: an ASCII digit, or another character
    Unicode calls a decimal digit (none of Latin-1's is one)."""
    cdef int kind = PyUnicode_KIND(text)
    cdef Py_ssize_t i, n = len(text)
    cdef const unsigned char* one
    cdef const unsigned short* two
    cdef const uint32_t* four
    if kind == PyUnicode_1BYTE_KIND:
        one = <const unsigned char*>PyUnicode_DATA(text)
        for i in range(n):
            if 0x30 <= one[i] <= 0x39:
                return True
        return False
    if kind == PyUnicode_2BYTE_KIND:
        two = <const unsigned short*>PyUnicode_DATA(text)
        for i in range(n):
            if _decimal(two[i]):
                return True
        return False
    four = <const uint32_t*>PyUnicode_DATA(text)
    for i in range(n):
        if _decimal(four[i]):
            return True
    return False
