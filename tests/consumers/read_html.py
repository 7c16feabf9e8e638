"""Reads the suite's HTML report with Python's own HTML parser and prints, as JSON, what a
reader of the page sees: the verdict, the counts line, the matrix cells (class and text), the
articles of the scenarios that did not pass (id and text), and every reference to something
outside the file (a `src`, a `<link>`, a `<script>`, a CSS `url(`).

Usage: python3 read_html.py REPORT.html
"""
import json
import sys
from html.parser import HTMLParser


class Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.cells = []
        self.articles = []
        self.external = []
        self.ids = []
        self.verdict = ""
        self.counts = ""
        self.matrix_rows = 0
        self.in_matrix = False
        self._text_targets = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if a.get("id"):
            self.ids.append(a["id"])
        if tag in ("script", "link", "iframe", "img", "object", "embed"):
            self.external.append(tag)
        if "src" in a:
            self.external.append("src=" + a["src"])
        if tag == "table" and a.get("id") == "matrix":
            self.in_matrix = True
        if self.in_matrix and tag == "tr":
            self.matrix_rows += 1
        target = None
        if tag == "td" and "cell" in classes:
            target = {"class": [c for c in classes if c != "cell"][0], "text": ""}
            self.cells.append(target)
        elif tag == "article" and "scenario" in classes:
            target = {"id": a.get("id", ""), "class": classes, "text": ""}
            self.articles.append(target)
        elif a.get("id") == "verdict":
            target = "verdict"
        elif a.get("id") == "counts":
            target = "counts"
        self.stack.append((tag, target))
        if target is not None:
            self._text_targets.append(target)

    def handle_endtag(self, tag):
        while self.stack:
            t, target = self.stack.pop()
            if target is not None:
                self._text_targets.remove(target)
            if t == "table":
                self.in_matrix = False
            if t == tag:
                break

    def handle_data(self, data):
        if "url(" in data:
            self.external.append("css url(")
        for t in self._text_targets:
            if t == "verdict":
                self.verdict += data
            elif t == "counts":
                self.counts += data
            else:
                t["text"] += data


r = Reader()
with open(sys.argv[1], encoding="utf-8") as f:
    r.feed(f.read())
r.close()
print(json.dumps({
    "verdict": r.verdict.strip(),
    "counts": r.counts.strip(),
    "matrix_rows": r.matrix_rows,
    "cells": r.cells,
    "articles": r.articles,
    "external": r.external,
    "duplicate_ids": sorted({i for i in r.ids if r.ids.count(i) > 1}),
}))
