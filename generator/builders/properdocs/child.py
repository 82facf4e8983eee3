"""`python -m generator.builders.properdocs.child CONFIG SITE_DIR EPOCH`: one ProperDocs build,
in a process where `mkdocs.*` imports load ProperDocs (see __init__.py). Logs go to stderr;
a BuildError's one line to stdout, for the parent to report; exit 1 then."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from generator.builders.properdocs import _redirect_mkdocs
from generator.errors import BuildError


def main(argv: list[str]) -> int:
    config, site_dir, epoch = argv
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        _redirect_mkdocs()
        from generator.builders.mkdocs.incremental import build_html

        build_html(Path(config), Path(site_dir), int(epoch) if epoch else None)
    except BuildError as error:
        print(str(error).replace("MkDocs failed", "ProperDocs failed"), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
