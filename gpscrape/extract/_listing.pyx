# cython: language_level=3, boundscheck=False, wraparound=False
"""The entries of a `PREVIOUS COMMENTS` sidebar, read in C (see `listing.find_listing`).

A real page's sidebar lists 30 to 45 entries of three lines each: the steps of one entry, in
Python, cost more than the rest of the listing. `entry_heads` finds the entries' head lines
(`Month YYYY | CWA # N`), `first_match` the `PREVIOUS COMMENTS` line; `entries_after` reads
each entry of the sidebar form (head / author / title) and makes its `ListingEntry`. The judgements stay in Python: `listing._head`,
`listing._author_line` and `listing._resolve` (links met before come from its per-base dict).
"""

from cpython.object cimport PyObject, PyTypeObject


cdef extern from *:
    const char* LISTING_SOURCE_SHA256  # given by setup.py

SOURCE_SHA256 = LISTING_SOURCE_SHA256.decode("ascii")  # of the .pyx this module was built from
cdef tuple _NO_ARGS = ()


cdef inline object _new_object(type kind):
    """`object.__new__(kind)` (for a class without a `__new__` of its own), without a call
    through Python."""
    return (<PyTypeObject*>kind).tp_new(kind, <PyObject*>_NO_ARGS, NULL)


cdef tuple _NO_URL = (None, None)


def entry_heads(list blocks, head):
    """{index: head(text)} of the blocks whose text holds `#` and is a head (`head` gives
    None for any other line)."""
    cdef dict found = {}
    cdef Py_ssize_t i
    cdef str text
    for i in range(len(blocks)):
        text = blocks[i].text
        if "#" in text:
            value = head(text)
            if value:
                found[i] = value
    return found


def first_match(list blocks, str firsts, pattern):
    """The index of the first block whose text opens with one of the characters `firsts`
    and is matched by `pattern` (a compiled expression that matches no empty text), else
    None."""
    cdef Py_ssize_t i
    cdef str text
    for i in range(len(blocks)):
        text = blocks[i].text
        if text and firsts.find(text[0]) >= 0 and pattern.match(text) is not None:
            return i
    return None


cdef tuple _link(href, dict links, resolve):
    """`resolve(href)`: (absolute URL, recordNo), from `links` when met before."""
    if not href:
        return _NO_URL
    link = links.get(href)
    if link is not None:
        return <tuple>link
    return resolve(href)


def entries_after(list blocks, list marks, dict heads, dict links, resolve, author_line,
                  type entry_type):
    """The entries at the head indexes `marks` (ascending) of the sidebar form (`Month | CWA #
    N` / author / title; a line that is another entry's head is not the entry's), each an
    `entry_type` (`ListingEntry`), and one past the last block they occupy.

    `heads` maps each mark to its (month, CWA number); `author_line` reads an author line to
    (names, bio); `resolve(href)` gives a link's (absolute URL, recordNo), or (None, None), and
    `links` holds the answers of the links `resolve` met before (None for those it must
    work out again)."""
    cdef set stops = set(marks)
    cdef Py_ssize_t count = len(blocks), i, end, last = marks[0]
    cdef list entries = []
    cdef tuple head, link
    for mark in marks:
        i = mark
        head = <tuple>heads[mark]
        names = ()
        bio = title = None
        link = _NO_URL
        if i + 1 < count and (i + 1) not in stops:
            if i + 2 < count and (i + 2) not in stops:
                names, bio = author_line(blocks[i + 1].text)
                titled = blocks[i + 2]
                end = i + 3
            else:
                titled = blocks[i + 1]
                end = i + 2
            title = titled.text
            link = _link(titled.href, links, resolve)
        else:
            end = i + 1
        if link[0] is None:
            link = _link(blocks[i].href, links, resolve)
        entry = _new_object(entry_type)
        entry.cwa_no = head[1]
        entry.month = head[0]
        entry.title = title
        entry.authors = list(names)
        entry.author_bio = bio
        entry.url = link[0]
        entry.record_no = link[1]
        entries.append(entry)
        if end > last:
            last = end
    return entries, last
