# cython: language_level=3, boundscheck=False, wraparound=False
"""The walk of `blocks.py` over libxml2's nodes, in C: a document's body -> its text blocks.

`walk` visits the elements of a subtree as `lxml.etree.iterwalk` would (start, the text, the
children each followed by its tail, end): skipped tags and chrome are not entered, block tags
and `<br>` end the line, emphasis and links mark the text, and each line becomes a block
(`_end_line`). It reads the nodes' names, attributes and text straight from libxml2's
structures, as lxml reads them (`.tag`, `.text`, `.tail`, `.get(name)`), so that an element
costs no Python object. Python decides the chrome: `blocks._attribute_verdict`, asked of an
element with a `hidden`, `style`, `class` or `id` attribute or of a tag always checked, then
`blocks._text_verdict` (given the element) where the text inside decides.

Within one walk, a tag name is decoded and looked up once, and the verdict of an element whose
only such attribute is its `class` is asked once per tag and class: a sidebar repeats the same
few classes on every entry.
"""

from cpython.object cimport Py_TYPE, PyObject, PyTypeObject
from cpython.unicode cimport (
    Py_UNICODE_ISSPACE,
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_AsUTF8,
    PyUnicode_DATA,
    PyUnicode_KIND,
)
from libc.stdint cimport uint32_t, uintptr_t
from libc.string cimport strcmp
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar, xmlAttr, xmlNode

cimport lxml.includes.etreepublic as cetree

from types import MemberDescriptorType

cetree.import_lxml__etree()

cdef extern from *:
    const char* WALK_SOURCE_SHA256  # given by setup.py

SOURCE_SHA256 = WALK_SOURCE_SHA256.decode("ascii")  # of the .pyx this module was built from
cdef tuple _NO_ARGS = ()


cdef inline object _new_object(type kind):
    """`object.__new__(kind)` (for a class without a `__new__` of its own), without a call
    through Python."""
    return (<PyTypeObject*>kind).tp_new(kind, <PyObject*>_NO_ARGS, NULL)

# What a tag does (the bits of `blocks._TAG_ROLES`).
SKIP, CHECKED, ALWAYS, BREAK, BLOCK, EMPH, LINK, PRE = 1, 2, 4, 8, 16, 32, 64, 128
cdef enum:
    _SKIP = 1
    _CHECKED = 2
    _ALWAYS = 4
    _BREAK = 8
    _BLOCK = 16
    _EMPH = 32
    _LINK = 64
    _PRE = 128

cdef enum:
    _TAG_SLOTS = 64  # tag names remembered by a walk (a page uses about 25)
    _CLASS_SLOTS = 64  # (tag, class) verdicts remembered by a walk


def squash(str text) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space; trim."""
    return _squash(text)


cdef str _squash(str text):
    if _squashed(text):
        return text
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split())


ctypedef fused _unit:  # one character of a text of one, two or four bytes a character
    unsigned char
    unsigned short
    uint32_t


cdef bint _squashed(str text) except -1:
    """Whether `squash` would give the text back unchanged: single spaces between words and no
    other whitespace (nor a zero-width space or BOM), none at either end. One pass in C spares
    most lines the split and the join."""
    cdef int kind = PyUnicode_KIND(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _squashed_units(<const unsigned char*>PyUnicode_DATA(text), len(text))
    if kind == PyUnicode_2BYTE_KIND:
        return _squashed_units(<const unsigned short*>PyUnicode_DATA(text), len(text))
    return _squashed_units(<const uint32_t*>PyUnicode_DATA(text), len(text))


cdef inline bint _other_space(Py_UCS4 c) noexcept:
    """Whitespace other than a space, a zero-width space or a BOM (what `squash` replaces)."""
    if c < 128:
        return c < 32 and (9 <= c <= 13 or c >= 28)
    return c == 0x200b or c == 0xfeff or Py_UNICODE_ISSPACE(c)


cdef bint _squashed_units(const _unit* chars, Py_ssize_t count) noexcept:
    """`_squashed` of a text of one-, two- or four-byte characters."""
    cdef Py_UCS4 c, previous = 32
    cdef Py_ssize_t i
    for i in range(count):
        c = chars[i]
        if c == 32:
            if previous == 32:
                return False
        elif _other_space(c):
            return False
        previous = c
    return previous != 32 or count == 0


cdef inline str _utf8(const_xmlChar* text):
    return (<const char*>text).decode("UTF-8")


cdef inline bint _is_text(xmlNode* node) noexcept:
    return node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE


cdef inline bint _plain_value(xmlAttr* attr) noexcept:
    """Whether an attribute's value is one text node (lxml's `.get` reads it as it is)."""
    return (attr is not NULL and attr.children is not NULL and attr.children.next is NULL
            and attr.children.type == tree.XML_TEXT_NODE)


cdef xmlNode* _text_node_or_skip(xmlNode* node) noexcept:
    """The node if it is text; XInclude marks between text nodes are passed over (as lxml)."""
    while node is not NULL:
        if _is_text(node):
            return node
        if node.type != tree.XML_XINCLUDE_START and node.type != tree.XML_XINCLUDE_END:
            return NULL
        node = node.next
    return NULL


cdef object _text_run(xmlNode* node):
    """lxml's `.text`/`.tail`: the text nodes from `node` on, joined; None when there are none."""
    cdef xmlNode* first = _text_node_or_skip(node)
    cdef xmlNode* cur = first
    cdef int count = 0
    cdef const_xmlChar* found = NULL
    while cur is not NULL:
        if cur.content[0] != 0:
            found = cur.content
        count += 1
        cur = _text_node_or_skip(cur.next)
    if found is NULL:
        return "" if count else None
    if count == 1:
        return _utf8(found)
    joined = b""
    cur = first
    while cur is not NULL:
        joined += <bytes>(<const char*>cur.content)
        cur = _text_node_or_skip(cur.next)
    return joined.decode("UTF-8")


cdef inline bint _is_element_like(xmlNode* node) noexcept:
    """What lxml iterates as an element: elements, comments, entity references, PIs."""
    return (node.type == tree.XML_ELEMENT_NODE or node.type == tree.XML_COMMENT_NODE
            or node.type == tree.XML_ENTITY_REF_NODE or node.type == tree.XML_PI_NODE)


cdef str _tag(xmlNode* node):
    if node.ns is not NULL and node.ns.href is not NULL:
        return "{%s}%s" % (_utf8(node.ns.href), _utf8(node.name))
    return _utf8(node.name)


cdef inline uint32_t _fnv(const_xmlChar* text) noexcept:
    """FNV-1a of a C string (where a walk remembers a tag or a class verdict)."""
    cdef uint32_t h = 2166136261u
    while text[0] != 0:
        h = (h ^ text[0]) * 16777619u
        text += 1
    return h


cdef class _Fields:
    """Sets the fields of a class's new objects: through the class's slot descriptors where
    it has them (a slots dataclass: `Block`, `ListingEntry`), else through `setattr`."""
    cdef list descriptors
    cdef list names
    cdef bint direct

    def __init__(self, type kind, tuple names):
        self.names = list(names)
        self.descriptors = [getattr(kind, name, None) for name in names]
        self.direct = all(isinstance(d, MemberDescriptorType) for d in self.descriptors)

    cdef int set(self, object obj, Py_ssize_t i, object value) except -1:
        """Field `i` of `obj` (a new object of the class) to `value`."""
        if self.direct:
            descriptor = self.descriptors[i]
            return Py_TYPE(descriptor).tp_descr_set(descriptor, obj, value)
        setattr(obj, self.names[i], value)
        return 0


_BLOCK_FIELDS = ("text", "emphasised", "lead", "href", "linked")


cdef class _Walk:
    cdef cetree._Document doc
    cdef dict roles
    cdef object verdict, text_verdict, block_type
    cdef list line, blocks
    cdef bint emph
    cdef object link
    cdef int pre
    cdef _Fields fields
    # tag names met (`tags`) and their roles
    cdef int tag_roles[_TAG_SLOTS]
    cdef list tags
    # verdicts of class-only elements: the tag (in `class_tags`), the class and the verdict
    cdef list class_tags, class_names, class_verdicts

    cdef object _value(self, xmlNode* node, xmlAttr* attr):
        """The attribute's value, as `el.get(name)` reads the first of that name."""
        if _plain_value(attr):
            return _utf8(attr.children.content)
        return cetree.elementFactory(self.doc, node).get(_utf8(attr.name))

    cdef object _chrome(self, xmlNode* node, str tag, int role):
        """`blocks._attribute_verdict`, then `_text_verdict`, for an element that may be chrome."""
        cdef xmlAttr* attr = node.properties
        cdef xmlAttr* names = NULL  # the first class
        cdef bint hidden = False
        cdef bint other = role & _ALWAYS  # asked for another reason than a class
        style = ident = None
        while attr is not NULL:
            if attr.ns is NULL:
                if strcmp(<const char*>attr.name, b"class") == 0:
                    if names is NULL:
                        names = attr
                elif strcmp(<const char*>attr.name, b"id") == 0:
                    if ident is None:
                        ident = self._value(node, attr)
                    other = True
                elif strcmp(<const char*>attr.name, b"style") == 0:
                    if style is None:
                        style = self._value(node, attr)
                    other = True
                elif strcmp(<const char*>attr.name, b"hidden") == 0:
                    hidden = other = True
            attr = attr.next
        if other:
            verdict = self.verdict(tag, hidden, style,
                                   None if names is NULL else self._value(node, names), ident)
        elif names is NULL:
            return False
        elif _plain_value(names):
            verdict = self._class_verdict(tag, names.children.content)
        else:
            verdict = self.verdict(tag, False, None, self._value(node, names), None)
        if verdict is None:
            return self.text_verdict(cetree.elementFactory(self.doc, node), tag)
        return verdict

    cdef object _class_verdict(self, str tag, const_xmlChar* names):
        """`verdict(tag, False, None, names, None)`, once per tag and class in this walk."""
        cdef Py_ssize_t slot = (_fnv(names) ^ (<uintptr_t><void*>tag >> 4)) % _CLASS_SLOTS
        known = self.class_names[slot]
        if (self.class_tags[slot] is tag and known is not None
                and strcmp(PyUnicode_AsUTF8(known), <const char*>names) == 0):
            return self.class_verdicts[slot]
        decoded = _utf8(names)
        verdict = self.verdict(tag, False, None, decoded, None)
        self.class_tags[slot] = tag
        self.class_names[slot] = decoded
        self.class_verdicts[slot] = verdict
        return verdict

    cdef object _href(self, xmlNode* node):
        """`el.get("href")`."""
        cdef xmlAttr* attr = node.properties
        while attr is not NULL:
            if attr.ns is NULL and strcmp(<const char*>attr.name, b"href") == 0:
                return self._value(node, attr)
            attr = attr.next
        return None

    cdef int _block(self, str text, bint emph, str lead, object href, bint linked) except -1:
        """Append a block: a `block_type` whose fields are set one by one (its `__init__`, a
        Python function for a dataclass, would cost more than the rest of the line's work)."""
        cdef _Fields fields = self.fields
        block = _new_object(<type>self.block_type)
        fields.set(block, 0, text)
        fields.set(block, 1, emph)
        fields.set(block, 2, lead)
        fields.set(block, 3, href)
        fields.set(block, 4, linked)
        self.blocks.append(block)
        return 0

    cdef int _end_line(self) except -1:
        """Append the block of the line's segments (none if it has no text); empty the line.

        The block is emphasised when all its text is, linked when all of it is inside links;
        its lead is the emphasised text it opens with, its href the first link.
        Whitespace-only segments only separate words.
        """
        cdef list line = self.line
        cdef bint emph, plain, unlinked
        if not line:
            return 0
        if len(line) == 1:
            segment, emph, link = line[0]
            text = _squash(segment)
            if text:
                self._block(text, emph, text if emph else "", link, link is not None)
            line.clear()
            return 0
        text = _squash("".join([segment for segment, _, _ in line]))
        if text:
            plain = unlinked = False
            lead = []
            href = None
            for segment, emph, link in line:
                if segment.isspace():
                    continue
                if emph:
                    if not plain:
                        lead.append(segment)
                else:
                    plain = True
                if link is None:
                    unlinked = True
                elif href is None:
                    href = link
            self._block(text, not plain, _squash("".join(lead)) if lead else "", href, not unlinked)
        line.clear()
        return 0

    cdef int _text(self, text) except -1:
        """Add a text node to the line; inside `<pre>`, every newline ends a line."""
        cdef int i
        if not text:
            return 0
        if self.pre:
            for i, part in enumerate(text.split("\n")):
                if i:
                    self._end_line()
                if part and (self.line or not part.isspace()):
                    self.line.append((part, self.emph, self.link))
        elif self.line or not text.isspace():
            self.line.append((text, self.emph, self.link))
        return 0

    cdef int _children(self, xmlNode* node) except -1:
        """An element's text, then each child followed by its tail."""
        cdef xmlNode* child = node.children
        self._text(_text_run(child))
        while child is not NULL:
            if _is_element_like(child):
                if child.type == tree.XML_ELEMENT_NODE:
                    self._element(child)
                else:
                    self._other(child)
                self._text(_text_run(child.next))
            child = child.next
        return 0

    cdef int _other(self, xmlNode* node) except -1:
        """A comment, PI or entity reference: iterwalk gives its text (its tag is no tag)."""
        if node.type == tree.XML_ENTITY_REF_NODE:
            self._text("&%s;" % _utf8(node.name))
        elif node.content is not NULL:
            self._text(_utf8(node.content))
        return 0

    cdef str _tag_and_role(self, xmlNode* node, int* role):
        """The element's tag and (in `role`) its role, each name decoded once per walk."""
        cdef Py_ssize_t slot = _fnv(node.name) % _TAG_SLOTS
        known = self.tags[slot]
        if (node.ns is NULL and known is not None
                and strcmp(PyUnicode_AsUTF8(known), <const char*>node.name) == 0):
            role[0] = self.tag_roles[slot]
            return <str>known
        tag = _tag(node)
        role[0] = self.roles.get(tag, 0)
        if node.ns is NULL:
            self.tag_roles[slot] = role[0]
            self.tags[slot] = tag
        return tag

    cdef int _element(self, xmlNode* node) except -1:
        cdef int role
        tag = self._tag_and_role(node, &role)
        if role:
            if role & _SKIP:
                return 0
            if role & _CHECKED and self._chrome(node, tag, role):
                return 0
            if self.line and role & _BREAK:
                self._end_line()
        cdef bint emph = self.emph
        link = self.link
        if role & _EMPH:
            self.emph = True
        elif role & _LINK:
            if self.link is None:
                self.link = self._href(node)
        elif role & _PRE:
            self.pre += 1
        self._children(node)
        self.emph = emph
        self.link = link
        if role & _PRE:
            self.pre -= 1
        if role & _BLOCK and self.line:
            self._end_line()
        return 0


def walk(cetree._Element root not None, dict roles, verdict, text_verdict, type block_type):
    """The blocks of `root` (its tail excluded), each a `block_type` (a class with the fields
    text, emphasised, lead, href and linked, such as `blocks.Block`)."""
    cdef _Walk state = _Walk()
    state.doc = root._doc
    state.roles = roles
    state.verdict = verdict
    state.text_verdict = text_verdict
    state.block_type = block_type
    state.line = []
    state.blocks = []
    state.emph = False
    state.link = None
    state.pre = 0
    state.fields = _Fields(block_type, _BLOCK_FIELDS)
    state.tags = [None] * _TAG_SLOTS
    state.class_tags = [None] * _CLASS_SLOTS
    state.class_names = [None] * _CLASS_SLOTS
    state.class_verdicts = [None] * _CLASS_SLOTS
    if root._c_node.type == tree.XML_ELEMENT_NODE:
        state._element(root._c_node)
    else:
        state._other(root._c_node)
    state._end_line()
    return state.blocks
