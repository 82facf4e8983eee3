"""Characters no output format can carry."""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline, carriage return and U+0020 up, except surrogates and
# U+FFFE/U+FFFF; HTML treats the same C0 controls as parse errors. Lone surrogates cannot
# even be written as UTF-8.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (and UTF-8 cannot encode)."""
    return _NOT_XML.sub("", text)
