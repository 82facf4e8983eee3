"""The ids the site's feeds give, from the address it is published at.

An Atom id must stay the same for a feed or an entry and differ from every other list's
(RFC 4287, 4.2.6). The site's address gives both: the absolute URL of the feed or page names
one place on the web. Without an address nothing known names the list uniquely: the ids are
then derived from the repository's address when site.yaml gives one, else from the title,
which two lists may share (the build warns, commands/build.py). No date or name is made up
to fill the gap.
"""

from __future__ import annotations

import functools
import uuid

from generator.model import Site
from generator.render import urls
from generator.render.text import plain_title


def id_basis(site: Site) -> str:
    """What names the list when its address is unknown."""
    return site.repo_url or f"title:{plain_title(site.title)}"


@functools.lru_cache(maxsize=16)
def _namespace(basis: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, basis)


def atom_id(base: str | None, basis: str, name: str) -> str:
    """The Atom id of the feed or page `name` (a file of docs/): its absolute URL on the
    site published at `base`, else a name-based UUID under the list's `basis`."""
    if base:
        return urls.absolute_url(base, name)
    return f"urn:uuid:{uuid.uuid5(_namespace(basis), urls.site_url(name))}"
