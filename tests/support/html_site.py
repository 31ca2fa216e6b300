"""The facts an HTML report site shows, read back from its pages: what the parity tests compare
between coverage.py's site and ferrocov's, whose markup differs (the page assets are ours).

A source page gives its title, its counts, its previous/next links, and per line: the line's
CSS classes (coverage.py's category classes, which ferrocov keeps), its text, the class of each
highlighted token, the destinations and sentence of a partial branch, and with show_contexts the
line's context toggle ("N ctx" or "(empty)") and the labels it lists. An index page gives
its title, total percentage, and every row's cells by column id (the sort keys), with the
"outside every region" row of a function or class index read as region ``None``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

_COUNT = re.compile(r"^(\d+)\s+(run|missing|excluded|partial)$")


@dataclass
class Line:
    number: int
    classes: str
    text: str = ""
    tokens: list[tuple[str, str]] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    long: str = ""
    # show_contexts: the toggle's text ("3 ctx", "(empty)") and the labels it opens, decoded
    # from each site's own encoding (see _resolve_contexts).
    ctx_label: str = ""
    contexts: list[str] = field(default_factory=list)
    ctx_code: str | None = None


@dataclass
class SourcePage:
    title: str = ""
    statements: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    prev: str = ""
    next: str = ""
    lines: list[Line] = field(default_factory=list)
    # The page's table of context labels: coverage.py's `contexts = {code: label}` script, or
    # ferrocov's JSON list in `<script id="contexts">`.
    context_table: dict[str, str] | list[str] | None = None


def _classes(attrs: dict[str, str | None]) -> list[str]:
    return (attrs.get("class") or "").split()


class _SourceParser(HTMLParser):
    """One pass over a source page, tracking which part of a line the text belongs to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = SourcePage()
        self.stack: list[str] = []  # what each open element is, for the text routing
        self.in_title = False
        self.in_source = False
        self.line: Line | None = None
        self.button: str | None = None
        self.text_chunks: list[str] = []
        self.script: str | None = None
        self.script_id: str | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        classes = _classes(attrs)
        role = "other"
        if tag in _VOID:
            # No end tag will pop them (a line's context checkbox is an <input>).
            return
        if tag == "script":
            self.script = ""
            self.script_id = attrs.get("id")
        if tag == "title":
            self.in_title = True
        elif tag == "main" and attrs.get("id") == "source":
            self.in_source = True
        elif tag == "a" and attrs.get("id") in ("prevFileLink", "prev-link"):
            self.page.prev = attrs.get("href") or ""
        elif tag == "a" and attrs.get("id") in ("nextFileLink", "next-link"):
            self.page.next = attrs.get("href") or ""
        elif tag == "button":
            self.button = ""
        if self.in_source:
            if tag == "p":
                number = attrs.get("id")
                self.line = Line(
                    number=int(number[1:]) if number and number.startswith("t") else 0,
                    classes=attrs.get("class") or "",
                )
                role = "line"
            elif self.line is not None:
                if tag == "a" and (attrs.get("id") or "").startswith("t"):
                    self.line.number = int((attrs.get("id") or "t0")[1:])
                if tag == "span" and "t" in classes:
                    role = "text"
                elif tag == "span" and "short" in classes:
                    role = "short"
                elif tag == "span" and "long" in classes:
                    role = "long"
                elif tag in ("label", "span") and "ctx" in classes:
                    role = "ctxlabel"
                elif tag == "span" and "ctxs" in classes:
                    role = "ctxs"
                    self.line.ctx_code = attrs.get("data-c") or ""
                elif tag == "span" and "text" in self.stack and classes:
                    role = "token:" + classes[0]
        self.stack.append(role)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self._context_table(self.script, self.script_id)
            self.script = None
        if tag == "title":
            self.in_title = False
        if tag == "main":
            self.in_source = False
        if tag == "button" and self.button is not None:
            match = _COUNT.match(" ".join(self.button.split()))
            if match:
                self.page.counts[match.group(2)] = int(match.group(1))
            self.button = None
        if not self.stack:
            return
        role = self.stack.pop()
        if role == "line" and self.line is not None:
            self.line.text = self.line.text.rstrip("\xa0")
            if self.line.tokens and self.line.tokens[-1][1].endswith("\xa0"):
                self.line.tokens[-1] = (
                    self.line.tokens[-1][0],
                    self.line.tokens[-1][1].rstrip("\xa0"),
                )
            self.page.lines.append(self.line)
            self.line = None
        elif role == "short" and self.line is not None:
            self.line.short = _destinations(self.line.short)

    def _context_table(self, text: str, script_id: str | None) -> None:
        text = text.strip()
        if script_id == "contexts":
            self.page.context_table = json.loads(text)
        elif text.startswith("contexts ="):
            self.page.context_table = json.loads(text.removeprefix("contexts ="))

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script += data
            return
        if self.in_title:
            self.page.title += data
        if self.button is not None:
            self.button += data
        if self.page.statements is None:
            match = re.search(r"(\d+)\s+statements", data)
            if match:
                self.page.statements = int(match.group(1))
        if self.line is None:
            return
        roles = self.stack
        if "ctxlabel" in roles:
            self.line.ctx_label += data
        elif "ctxs" in roles:
            # coverage.py's codes are the element's text; ferrocov's are its data-c.
            self.line.ctx_code = (self.line.ctx_code or "") + data
        elif "short" in roles:
            self.line.short.append(data)
        elif "long" in roles:
            self.line.long += data
        elif "text" in roles:
            self.line.text += data
            token = next((r for r in reversed(roles) if r.startswith("token:")), None)
            if token is not None:
                self.line.tokens.append((token.removeprefix("token:"), data))


def _destinations(chunks: list[str]) -> list[str]:
    """``2 ↛ 4, 2 ↛ exit`` (whatever the spacing) -> ``["4", "exit"]``."""
    text = "".join(chunks)
    return [
        part.split("\u219b")[-1].strip(" \u202f\xa0")
        for part in text.split(",")
        if "\u219b" in part
    ]


_VOID = frozenset({"input", "br", "meta", "link", "img", "hr", "wbr"})


def _ferrocov_places(code: str) -> list[int]:
    """ferrocov's runs of table indexes (html/contexts.rs, encode_runs)."""
    out: list[int] = []
    i, following = 0, 0

    def number() -> int:
        nonlocal i
        value = 0
        while True:
            c = code[i]
            i += 1
            if c.islower():
                value = value * 26 + (ord(c) - ord("a"))
            else:
                return value * 26 + (ord(c) - ord("A"))

    while i < len(code):
        start = following + number()
        end = start
        if i < len(code) and code[i] == "-":
            i += 1
            end = start + number()
        out.extend(range(start, end + 1))
        following = end + 1
    return out


def _resolve_contexts(page: SourcePage) -> None:
    """Each line's context labels, from the page's table and the line's codes: coverage.py's
    are a width digit then fixed-width keys into its dict; ferrocov's are runs into its list."""
    table = page.context_table
    for line in page.lines:
        line.ctx_label = " ".join(line.ctx_label.split())
        code = line.ctx_code
        if not code:
            continue
        if isinstance(table, dict):
            width = int(code[0])
            keys = [code[i : i + width].strip() for i in range(1, len(code), width)]
            line.contexts = [table[key] for key in keys]
        elif isinstance(table, list):
            line.contexts = [table[k] for k in _ferrocov_places(code)]
        else:
            raise AssertionError(f"line {line.number} lists contexts but the page has no table")


def source_page(path: Path) -> SourcePage:
    parser = _SourceParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    _resolve_contexts(parser.page)
    return parser.page


@dataclass
class IndexPage:
    title: str = ""
    total_pc: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)


class _IndexParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = IndexPage()
        self.in_title = False
        self.in_pc = False
        self.section = ""  # thead / tbody / tfoot
        self.header_ids: list[str] = []
        self.row: list[dict[str, Any]] | None = None
        self.cell: dict[str, Any] | None = None
        self.in_button = False
        self.button_text = ""

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        classes = _classes(attrs)
        if tag == "title":
            self.in_title = True
        elif tag == "span" and ("pc_cov" in classes or "pc" in classes) and not self.page.total_pc:
            self.in_pc = True
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr" and self.section == "thead":
            self.header_ids = []
        elif tag == "th" and self.section == "thead" and attrs.get("id"):
            self.header_ids.append(attrs["id"] or "")
        elif tag == "tr" and self.section in ("tbody", "tfoot"):
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = {
                "text": "",
                "spacer": "spacer" in classes,
                "ratio": attrs.get("data-ratio"),
            }
        elif tag == "a" and self.cell is not None:
            self.cell.setdefault("href", attrs.get("href"))
            if "outside" in classes:
                self.cell["outside"] = True
        elif tag == "span" and self.cell is not None and "no-noun" in classes:
            self.cell["outside"] = True
        elif tag == "a" and ("button" in classes or "kind" in classes):
            self.in_button = True
        elif tag == "span" and "kind" in classes:
            self.in_button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in ("a", "span") and self.in_button:
            self.page.buttons.append(self.button_text.strip())
            self.button_text = ""
            self.in_button = False
        elif tag == "span":
            self.in_pc = False
        elif tag == "thead":
            self.page.columns = list(self.header_ids)
        elif tag == "td" and self.cell is not None and self.row is not None:
            if not self.cell["spacer"]:
                self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            named = dict(zip(self.page.columns, self.row, strict=True))
            facts = {column: _cell_fact(column, cell) for column, cell in named.items()}
            if self.section == "tfoot":
                self.page.totals = facts
            else:
                self.page.rows.append(facts)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        if self.in_pc:
            self.page.total_pc += data
        if self.in_button:
            self.button_text += data
        if self.cell is not None:
            self.cell["text"] += data


def _cell_fact(column: str, cell: dict[str, Any]) -> Any:
    text = " ".join(cell["text"].replace("\xa0", " ").split())
    if column == "file":
        return (text, cell.get("href"))
    if column == "region":
        return (None if cell.get("outside") else text, cell.get("href"))
    return (text, cell["ratio"])


def index_page(path: Path) -> IndexPage:
    parser = _IndexParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


_STATIC = re.compile(r"_cb_[0-9a-f]{8}\.")


def site_files(root: Path) -> set[str]:
    """The site's own file names, static files (hashed names, ours differ) left out."""
    return {p.name for p in root.iterdir() if p.is_file() and not _STATIC.search(p.name)}


INDEXES = ("index.html", "function_index.html", "class_index.html")


def _scrub_title(title: str) -> str:
    return " ".join(title.split())


def assert_same_site(cov_dir: Path, fc_dir: Path) -> None:
    """The two sites show the same facts (see the module docstring)."""
    cov_files, fc_files = site_files(cov_dir), site_files(fc_dir)
    assert fc_files == cov_files
    for name in sorted(cov_files):
        if not name.endswith(".html"):
            continue
        if name in INDEXES:
            cov, fc = index_page(cov_dir / name), index_page(fc_dir / name)
            assert fc.columns == cov.columns, name
            assert fc.buttons == cov.buttons, name
            assert _scrub_title(fc.title) == _scrub_title(cov.title), name
            assert fc.total_pc.strip() == cov.total_pc.strip(), name
            assert fc.rows == cov.rows, name
            assert fc.totals == cov.totals, name
            continue
        cov_page, fc_page = source_page(cov_dir / name), source_page(fc_dir / name)
        assert _scrub_title(fc_page.title) == _scrub_title(cov_page.title), name
        assert (fc_page.statements, fc_page.counts) == (cov_page.statements, cov_page.counts), name
        assert (fc_page.prev, fc_page.next) == (cov_page.prev, cov_page.next), name
        assert len(fc_page.lines) == len(cov_page.lines), name
        for cov_line, fc_line in zip(cov_page.lines, fc_page.lines, strict=True):
            where = f"{name} line {cov_line.number}"
            assert fc_line.number == cov_line.number, where
            assert fc_line.classes == cov_line.classes, (where, cov_line.classes, fc_line.classes)
            assert (fc_line.short, fc_line.long) == (cov_line.short, cov_line.long), (
                where,
                cov_line,
                fc_line,
            )
            assert fc_line.text == cov_line.text, (where, cov_line.text, fc_line.text)
            assert fc_line.tokens == cov_line.tokens, (where, cov_line.tokens, fc_line.tokens)
            fc_ctx = (fc_line.ctx_label, fc_line.contexts)
            cov_ctx = (cov_line.ctx_label, cov_line.contexts)
            assert fc_ctx == cov_ctx, (where, cov_ctx, fc_ctx)


_TEMPLATE = re.compile(
    r'<template data-page="([^"]+)" data-title="([^"]*)"([^>]*)>(.*?)</template>', re.DOTALL
)


def explode_single_file(single: Path, dest: Path) -> list[str]:
    """The pages of a one-file report (``ferrocov html --single-file``), each written to
    ``dest`` as the page it would be in the site, so that the site readers above apply.
    Returns the page names in the order the file holds them."""
    dest.mkdir(parents=True, exist_ok=True)
    names = []
    for match in _TEMPLATE.finditer(single.read_text(encoding="utf-8")):
        name, title, attributes, body = match.groups()
        attributes = attributes.replace(" data-body-class=", " class=", 1)
        page = f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n"
        page += f"<body{attributes}>{body}</body>\n</html>\n"
        (dest / name).write_text(page, encoding="utf-8")
        names.append(name)
    return names
