"""Read import files safely and hand each to its format's reader, by extension and content."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.errors import display_path
from generator.importers.bibtex import parse_bibtex
from generator.importers.collection import has_front_matter, parse_collection_file
from generator.importers.csljson import parse_csl_json
from generator.importers.draft import Parsed
from generator.importers.ris import parse_ris
from generator.importers.seeds import (
    KnownTitle,
    is_abstract_list,
    is_listing,
    parse_seed,
    parse_titles,
)

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""An import file larger than this is refused rather than read into memory."""
FORMATS = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".json": "csl-json",
    ".ris": "ris",
    ".md": "markdown",
    ".markdown": "markdown",
}
FORMAT_NAMES = {
    "bibtex": "BibTeX",
    "csl-json": "CSL-JSON",
    "ris": "RIS",
    "markdown": "a Markdown page with YAML front matter",
}
_BIBTEX = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS = re.compile(r"^TY  - ", re.MULTILINE)


def read_inputs(paths: Iterable[Path], titles_path: Path | None) -> Parsed:
    """Every draft of every file, and every problem of every file: nothing stops early."""
    result = Parsed()
    paths = list(paths)
    titles = _titles(paths, titles_path, result)
    for path in paths:
        if path.is_dir():
            pages = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".md", ".markdown"))
            for page in pages:
                if not page.name.startswith(("_index", "README")):
                    result.extend(_read_one(page, titles, f"{path.name}/{page.relative_to(path)}"))
            continue
        result.extend(_read_one(path, titles, path.name))
    return result


def _titles(paths: list[Path], given: Path | None, result: Parsed) -> list[KnownTitle]:
    """The titles file given, else a titles.yaml beside the first seed file that has one."""
    beside = (p.parent / "titles.yaml" for p in paths if not p.is_dir())
    path = given or next((p for p in beside if p.is_file()), None)
    if path is None:
        return []
    name = display_path(path)
    text = _text(path, name, result)
    if text is None:
        return []
    titles, problems = parse_titles(name, text)
    result.problems.extend(problems)
    return titles


def _read_one(path: Path, titles: list[KnownTitle], source: str) -> Parsed:
    name = display_path(path)
    result = Parsed()
    text = _text(path, name, result)
    if text is None:
        return result
    parse = _detect(path, name, text, titles, result)
    if parse is not None:
        parsed = parse(name, text)
        for draft in parsed.drafts:
            draft.source = source
        result.extend(parsed)
    return result


def _text(path: Path, name: str, result: Parsed) -> str | None:
    """The file's text, or None with a problem: missing, not a file, binary, not UTF-8."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            result.problem(name, 0, "file", "not a regular file")
            return None
        if info.st_size > MAX_INPUT_BYTES:
            result.problem(name, 0, "file", f"{info.st_size} bytes is over the import limit")
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        result.problem(name, 0, "file", "no such file")
        return None
    except OSError as exc:
        result.problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        result.problem(name, 1, "file", "UTF-16 text; save it as UTF-8")
        return None
    if b"\x00" in data[:65536]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        result.problem(name, line, "file", "binary data (a NUL byte), not a text list")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        result.problem(
            name,
            line,
            "file",
            f"not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8 (Latin-1 or Windows-1252?)",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _detect(
    path: Path, name: str, text: str, titles: list[KnownTitle], result: Parsed
) -> Callable[[str, str], Parsed] | None:
    readers: dict[str, Callable[[str, str], Parsed]] = {
        "bibtex": parse_bibtex,
        "csl-json": parse_csl_json,
        "ris": parse_ris,
        "markdown": parse_collection_file,
    }
    by_content = _sniff(text)
    by_name = FORMATS.get(path.suffix.lower())
    if by_name is not None and by_content != by_name:
        said = FORMAT_NAMES[by_name]
        result.problem(name, 1, "format", f"named like {said} but its content is not {said}")
        return None
    if by_content in readers:
        return readers[by_content]
    if by_content == "seed":
        return lambda n, t: parse_seed(n, t, titles)
    if not text.strip():
        result.problem(name, 0, "format", "empty file")
        return None
    result.problem(
        name,
        1,
        "format",
        "unknown format (expected BibTeX, CSL-JSON, RIS, a Markdown page with front "
        "matter, an 'Abstract:' list or a listing dump)",
    )
    return None


def _sniff(text: str) -> str | None:
    start = text.lstrip()
    if start.startswith(("[", "{")):
        return "csl-json"
    if _RIS.search(text[:4096]) and start.startswith("TY  -"):
        return "ris"
    if has_front_matter(text):
        return "markdown"
    if is_abstract_list(text) or is_listing(text):
        return "seed"
    if _BIBTEX.search(text):
        return "bibtex"
    return None
