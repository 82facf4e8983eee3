"""The browser side of the hostile corpus: one Chromium page with the hooks (hooks.js)
installed before any script, and what a scan of it (scan.js) and the hooks found.

A finding is (markers, what): the case ids it names (none: the test blames every case
shown) and a line saying what ran or what was injected where.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .harness import CORPUS

HOOKS = (CORPUS / "hooks.js").read_text(encoding="utf-8")
SCAN = (CORPUS / "scan.js").read_text(encoding="utf-8")
Finding = tuple[list[str], str]


def marker_re(marker: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(marker)}(?![\w-])")


class Scanner:
    """A page of its own browser context, the hooks installed, dialogs dismissed."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.reports: list[tuple[str, str]] = []
        self.context.expose_function("__hostileReport", lambda *a: self.reports.append(a[:2]))
        self.context.add_init_script(HOOKS)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def forget(self) -> None:
        """Start a new round: what ran before is the previous round's."""
        self.reports.clear()
        self.dialogs.clear()
        self.errors.clear()

    def findings(self, where: str, markers: list[str], scope: str | None = None) -> list[Finding]:
        """What scan.js finds on the page (within `scope`, a selector, if given) and what
        ran since `forget()`, each line starting with `where`."""
        found: list[Finding] = [
            (hit["markers"], f"{where}: {hit['why']}: {hit['html']}")
            for hit in self.page.evaluate(SCAN, [markers, scope])
        ]
        for kind, detail in self.reports:
            named = [m for m in markers if marker_re(m).search(detail)]
            found.append((named, f"{where}: {kind}({detail!r}) ran"))
        found += [([], f"{where}: a dialog opened: {text!r}") for text in self.dialogs]
        found += [([], f"{where}: page error {text!r}") for text in self.errors]
        return found

    def close(self) -> None:
        self.context.close()


# The header search (generator/builders/search/assets/search.js), typed into as a reader
# does, through the keyboard alone: Playwright's locators and waits run its own code
# through eval, which the hooks would report. Each script the test evaluates says
# hostile-scan, which the hooks ignore. The list's data-state is cleared before a query, so
# that "done" is the answer to this one (search.js drops answers to a query typed over).
RESULTS = "#readinglist-search-results"
READY = f"""() => {{ /* hostile-scan */
  const field = document.querySelector("input.readinglist-search-field");
  if (!field || document.activeElement !== field) return false;
  delete document.querySelector('{RESULTS}').dataset.state;
  field.select();
  return true;
}}"""
# Each part of a result on its own: the title, details and excerpt are spans whose text
# runs together in textContent.
ANSWER = f"""([query, ms]) => new Promise((resolve, reject) => {{ /* hostile-scan */
  const list = document.querySelector('{RESULTS}');
  const started = performance.now();
  const poll = () => {{
    if (list.dataset.state === "done") {{
      resolve(Array.from(list.querySelectorAll("li span"), (span) => span.textContent));
    }} else if (performance.now() - started > ms) {{
      reject(new Error(`the header search did not answer ${{query}} within ${{ms}} ms`));
    }} else {{
      setTimeout(poll, 20);
    }}
  }};
  poll();
}})"""
SEARCH_WAIT_MS = 15_000


def search(scanner: Scanner, query: str) -> list[str]:
    """Type `query` into the open page's header search; the texts of its results."""
    page = scanner.page
    if not page.evaluate(READY):
        page.keyboard.press("/")  # the search's shortcut opens it, the field focused
        assert page.evaluate(READY), "the header search did not open on '/'"
    page.keyboard.insert_text(query)
    texts: list[str] = page.evaluate(ANSWER, [query, SEARCH_WAIT_MS])
    return texts


# The all-papers list (papers.js) is drawn from JSON, so its page's HTML shows no case and
# the page scan would never open it. Its rows are all drawn when "Show more" is hidden.
ALL_DRAWN = """([ms]) => new Promise((resolve, reject) => { /* hostile-scan */
  const started = performance.now();
  const poll = () => {
    const root = document.querySelector(".rl-papers");
    const more = root && root.querySelector(".rl-more");
    if (root && root.dataset.settled && more && !more.checkVisibility()) {
      resolve([root.querySelectorAll(".rl-paper").length, Number(root.dataset.count)]);
    } else if (performance.now() - started > ms) {
      reject(new Error(`the all-papers list was not all drawn within ${ms} ms`));
    } else {
      setTimeout(poll, 20);
    }
  };
  poll();
})"""


def draw_all_papers(scanner: Scanner) -> tuple[int, int]:
    """Wait for the open all-papers page to draw its list: the rows drawn, and the papers
    its page says the list has."""
    rows, count = scanner.page.evaluate(ALL_DRAWN, [SEARCH_WAIT_MS])
    return rows, count


class _IndexedText(HTMLParser):
    """The text Pagefind indexes in a search record: its data-pagefind-body, without the
    elements marked data-pagefind-ignore (templates/search_record.html.j2)."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                      "meta", "source", "track", "wbr"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ignored: list[bool] = []
        self.in_body = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        names = {name for name, _ in attrs}
        inherited = bool(self.ignored) and self.ignored[-1]
        self.ignored.append(inherited or "data-pagefind-ignore" in names)
        self.in_body = self.in_body or "data-pagefind-body" in names

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.ignored:
            self.ignored.pop()

    def handle_data(self, data: str) -> None:
        if self.in_body and not (self.ignored and self.ignored[-1]):
            self.text.append(data)


def indexed_texts(records: Path) -> dict[str, str]:
    """Each search record below `records` (a project's build/search/) by name: its text as
    Pagefind indexes it."""
    texts = {}
    for path in sorted(records.rglob("*.html")):
        parser = _IndexedText()
        parser.feed(path.read_text(encoding="utf-8"))
        texts[str(path.relative_to(records))] = " ".join(parser.text)
    return texts
