"""`readinglist build` with MkDocs: a full build on both cores, or an incremental one that
renders only the pages whose Markdown changed since the last site and takes the others'
HTML from it, byte for byte what a full build would write.

A page's HTML depends on its own Markdown and on what every page shares: the configuration,
the theme, the build date, which pages exist and the navigation as shown (MkSite.site_digest).
A manifest beside the project records, for the site last built, that shared digest and a
digest of each page's Markdown. When the shared digest is the same and the site is the very
folder the manifest was written for, a page whose Markdown digest is unchanged has the HTML
it has in that site: it is hard-linked from there (copied across file systems); every other
page is rendered. The static files, the 404 page and the sitemap are always written anew.
The folder built into may be the spare site the last build kept: reuse_folder leaves in it
only the pages kept, most of them linked there already.
Otherwise, a full build. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.builders.mkdocs.build import MkSite, environment
from generator.builders.mkdocs.render import render_pages
from generator.builders.reuse_folder import reuse_folder
from generator.errors import os_errors
from generator.incremental.write import RACY_NS, file_stamp, replace_file

log = logging.getLogger(__name__)

MANIFEST = ".site-manifest.json"
"""In the generated project: what the last site was built from."""


@dataclass(frozen=True)
class Manifest:
    """What a built site was built from."""

    site: str = ""
    """The folder it was built into, as (st_dev, st_ino) of that folder: the swap renames
    it into place, and any other folder (a failed swap, a site replaced by hand) differs."""
    shared: str = ""
    """MkSite.site_digest of the build."""
    pages: dict[str, str] = field(default_factory=dict)
    """Each page's Markdown digest, by its path inside docs/."""
    anchors: dict[str, list[str]] = field(default_factory=dict)
    """Each page's anchors, for checking the links of the pages an update renders."""
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """Each page's links to anchors of pages: checked again when their target changes."""
    stamps: dict[str, list[int]] = field(default_factory=dict)
    """Each page's Markdown file as it was when digested: [mtime_ns, size, inode]."""
    digested: int = 0
    """When the digests were taken (time.time_ns())."""


def folder_identity(folder: Path) -> str:
    stat = folder.stat()
    return f"{stat.st_dev}:{stat.st_ino}"


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path`, or None if there is none or it is not one we wrote."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def pages_to_render(
    old: Manifest | None, previous: str | None, shared: str, pages: dict[str, str]
) -> set[str] | None:
    """The pages an update must render, or None for a full build: when there is no
    manifest, the last site is not the folder it describes (`previous`: its identity), or
    what the pages share changed."""
    if old is None or previous is None or old.site != previous or old.shared != shared:
        return None
    return {src for src, digest in pages.items() if old.pages.get(src) != digest}


def build_html(
    config_file: Path,
    site_dir: Path,
    source_date_epoch: int | None = None,
    previous: Path | None = None,
) -> None:
    """`mkdocs build --strict` of the generated project into `site_dir`, which must not hold
    a site yet; incremental from `previous` (the last site) when the manifest allows."""
    manifest_file = config_file.parent / MANIFEST
    started = time.perf_counter()
    with environment(source_date_epoch):
        site = MkSite.load(config_file, site_dir, strict=True)
        with site.building():
            site.gather()
            old = read_manifest(manifest_file)
            digested = time.time_ns()
            digests, sizes, stamps = page_digests(site, old)
            nav = site.read_nav()  # their titles and meta are on every page
            shared = site.site_digest(source_date_epoch)
            identity = _identity(previous)
            todo = pages_to_render(old, identity, shared, digests)
            with os_errors("write", site_dir):
                if todo is not None and previous is not None and old is not None:
                    log.info("mkdocs: %d of %d pages changed", len(todo), len(digests))
                    keep = [site.dest(src) for src in sorted(set(digests) - todo)]
                    anchors = {s: a for s, a in old.anchors.items() if s not in todo}
                    links = {s: a for s, a in old.links.items() if s not in todo}
                else:
                    keep, todo, anchors, links = [], set(digests), {}, {}
                # site_dir may be the spare site (see reuse_folder): only the kept pages
                # stay, and everything written from here on is a new file.
                reuse_folder(site_dir, previous, keep)
                site.env_ready()
                site.copy_static()
                # Rendered in MkDocs' order of pages, whatever the set.
                ordered = [src for src in site.pages if src in todo]
                rendered = render_pages(site, ordered, kept=nav, sizes=sizes)
            anchors.update(rendered.anchors)
            links.update(rendered.links)
            site.check_anchors(anchors, links)
            site.finish()
        identity = folder_identity(site_dir)
        manifest = Manifest(identity, shared, digests, anchors, links, stamps, digested)
        with os_errors("write", manifest_file):
            replace_file(manifest_file, json.dumps(asdict(manifest), sort_keys=True).encode())
    log.info("mkdocs: built in %.1fs", time.perf_counter() - started)


def page_digests(
    site: MkSite, old: Manifest | None
) -> tuple[dict[str, str], dict[str, int], dict[str, list[int]]]:
    """Each page's Markdown digest, size and file stamp. A file whose stamp is the one the
    last manifest recorded, and older than that manifest's digests by RACY_NS, keeps its
    digest unread: reading all 10,000 pages' Markdown took 0.8 s of each build."""
    digests, sizes, stamps = {}, {}, {}
    last = old.pages if old is not None else {}
    known, since = (old.stamps, old.digested) if old is not None else ({}, 0)
    for src in site.pages:
        stamp = list(file_stamp(site.source_path(src)))
        if src in last and known.get(src) == stamp and stamp[0] < since - RACY_NS:
            digests[src], sizes[src] = last[src], stamp[1]
        else:  # one page's Markdown at a time: 60 MB at 10,000 pages
            text = site.source(src)
            digests[src], sizes[src] = hashlib.sha256(text).hexdigest(), len(text)
        stamps[src] = stamp
    return digests, sizes, stamps


def _identity(previous: Path | None) -> str | None:
    if previous is None:
        return None
    try:
        return folder_identity(previous) if previous.is_dir() else None
    except OSError:
        return None
