"""XLIFF namespaces, the marker of the notes that carry flags and the shape of a valid id: the
names the reader, the writer and the inline tags must agree on.
"""

from __future__ import annotations

import re

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
_OLD_NAMESPACES = ("urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAG_PREFIX = "MQM flag: "
FLAG_CATEGORY = "mqm-flag"

_NMTOKEN = re.compile(r"^[\w.:-]+$")
