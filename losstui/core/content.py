"""Reads the Markdown content files: a front-matter block, `#` sections, paragraphs and lists.

The format, shared by the built-in content under `losstui/content/` and by lesson files:

    ---
    key: value              front matter: one `key: value` per line (`#` starts a comment)
    ---
    # Section title         a heading starts a section; `##` starts a subsection inside it
    A paragraph may be wrapped over several lines; they are joined with single spaces.

    - A list item, whose wrapped lines
      are indented under it.
    ---                     a line of three dashes in the body separates steps

The parts are named tuples rather than dataclasses: they are made at import, and cheaply.
Every error is a ContentError (a ValueError) whose message is one line: the file, the line number
where there is one, and what is wrong.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

#: The folder of the built-in content files, inside the package so that it ships in the wheel.
CONTENT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "content")

RULE = "---"
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_HEADING = re.compile(r"(#+)\s+(.*?)\s*\Z")


class ContentError(ValueError):
    """A content file that cannot be read; `str()` is `file:line: problem` on one line."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {problem}")


class Block(NamedTuple):
    """Consecutive lines of one file, as written; the first of them is line `start` (from 1)."""

    source: str
    start: int
    lines: tuple[str, ...]

    def error(self, index: int | None, problem: str) -> ContentError:
        """A ContentError at `lines[index]` (the block's first line when `index` is None; -1 is
        the line above the block, a section's heading)."""
        return ContentError(self.source, self.start + (index or 0), problem)

    def is_blank(self) -> bool:
        return not any(line.strip() for line in self.lines)


class Section(NamedTuple):
    """A heading and the lines under it, up to the next heading of the same level."""

    title: str
    line: int
    body: Block


class Document(NamedTuple):
    """A parsed file: `meta` from its front matter (`meta_lines` says where each key is)."""

    source: str
    meta: dict[str, str]
    meta_lines: dict[str, int]
    body: Block

    def error(self, key: str | None, problem: str) -> ContentError:
        """A ContentError at the front-matter line of `key` (the file's first line if absent)."""
        return ContentError(self.source, self.meta_lines.get(key or "", 1), problem)

    def require(self, key: str) -> str:
        """The non-empty front-matter value of `key`; ContentError if it is missing or empty."""
        value = self.meta.get(key, "")
        if not value:
            missing = "is empty" if key in self.meta else "is missing from the front matter"
            raise self.error(key, f"`{key}` {missing}")
        return value


def parse_document(text: str, source: str) -> Document:
    """Split `text` into front matter (optional: only when the first line is `---`) and body."""
    # A byte-order mark, as some Windows editors write, is dropped by reading with utf-8-sig.
    lines = text.splitlines()
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    if not lines or lines[0].strip() != RULE:
        return Document(source, meta, meta_lines, Block(source, 1, tuple(lines)))
    end = next((i for i, line in enumerate(lines) if i and line.strip() == RULE), None)
    if end is None:
        raise ContentError(
            source, 1, "the front matter opened here is never closed by a `---` line"
        )
    for i, raw in enumerate(lines[1:end], start=2):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not _KEY.match(key):
            raise ContentError(
                source,
                i,
                f"expected `key: value` in the front matter (a lower-case key), got {line!r}",
            )
        if key in meta:
            raise ContentError(
                source,
                i,
                f"`{key}` is given twice in the front matter (first on line {meta_lines[key]})",
            )
        meta[key] = value.strip()
        meta_lines[key] = i
    return Document(source, meta, meta_lines, Block(source, end + 2, tuple(lines[end + 1 :])))


def read_document(path: str) -> Document:
    """Read and parse the UTF-8 file at `path`; ContentError if it is missing or not UTF-8."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
    except FileNotFoundError:
        raise ContentError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise ContentError(path, None, f"cannot be read ({exc.strerror})") from None
    return parse_document(text, path)


def split_sections(block: Block, level: int = 1) -> list[Section]:
    """The sections of `block` headed by `level` hashes (`#` for 1, `##` for 2).

    Deeper headings stay inside their section's body; a shallower heading, or text before the
    first heading, is a ContentError.
    """
    sections: list[Section] = []
    title = ""
    heading_at = -1
    for i, line in enumerate(block.lines):
        match = _HEADING.match(line)
        if match is None or len(match.group(1)) > level:
            if heading_at < 0 and line.strip():
                raise block.error(i, f"text before the first {'#' * level} heading: {line!r}")
            continue
        if len(match.group(1)) < level:
            raise block.error(i, f"a {match.group(1)} heading inside a {'#' * level} section")
        if not match.group(2):
            raise block.error(i, "a heading without a title")
        if heading_at >= 0:
            sections.append(_section(block, title, heading_at, i))
        title, heading_at = match.group(2), i
    if heading_at >= 0:
        sections.append(_section(block, title, heading_at, len(block.lines)))
    return sections


def _section(block: Block, title: str, heading_at: int, end: int) -> Section:
    body = Block(block.source, block.start + heading_at + 1, block.lines[heading_at + 1 : end])
    return Section(title, block.start + heading_at, body)


def split_steps(block: Block) -> list[Block]:
    """`block` cut at each line that is `---`: the steps of a lesson, say. Blank steps dropped."""
    steps: list[Block] = []
    first = 0
    for i, line in enumerate((*block.lines, RULE)):
        if line.strip() == RULE:
            part = Block(block.source, block.start + first, block.lines[first:i])
            if not part.is_blank():
                steps.append(part)
            first = i + 1
    return steps


def paragraphs(block: Block) -> list[str]:
    """The paragraphs of `block` (separated by blank lines), each on one line: the lines of a
    paragraph are stripped and joined with single spaces."""
    found: list[str] = []
    current: list[str] = []
    for line in (*block.lines, ""):
        if line.strip():
            current.append(line.strip())
        elif current:
            found.append(" ".join(current))
            current = []
    return found


def one_paragraph(block: Block, what: str) -> str:
    """The single paragraph of `block`; ContentError if it is empty or has several."""
    found = paragraphs(block)
    if len(found) != 1:
        if not found:
            raise block.error(-1, f"{what} is empty")  # -1: the heading above the block
        second = _paragraph_starts(block)[1]
        raise block.error(
            second, f"{what} must be one paragraph, but a second one starts here (no blank lines)"
        )
    return found[0]


def _paragraph_starts(block: Block) -> list[int]:
    starts = []
    previous_blank = True
    for i, line in enumerate(block.lines):
        if line.strip() and previous_blank:
            starts.append(i)
        previous_blank = not line.strip()
    return starts


def bullet_items(block: Block, what: str) -> list[tuple[int, str]]:
    """The items of a `- ` list in `block` as (line number, text on one line).

    An item's wrapped lines must be indented; blank lines between items are allowed; any other
    text is a ContentError.
    """
    items: list[tuple[int, list[str]]] = []
    for i, line in enumerate(block.lines):
        if not line.strip():
            continue
        if line.startswith("- "):
            items.append((block.start + i, [line[2:].strip()]))
        elif line[:1].isspace() and items:
            items[-1][1].append(line.strip())
        else:
            raise block.error(
                i,
                f"{what}: expected a list item starting with `- ` (or an indented line "
                f"continuing one), got {line.strip()!r}",
            )
    if not items:
        raise block.error(None, f"{what} has no `- ` list items")
    return [(line, " ".join(parts)) for line, parts in items]
