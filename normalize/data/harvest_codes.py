#!/usr/bin/python3
"""Harvest classification codes and their standard names from budgetpdf output.

usage: harvest_codes.py OUT.json... > normalize/data/codes.tsv

No catalogue file of the national classification (政府收支分类科目) is at hand,
so the catalogue in codes.tsv is built from what the documents print: every
cell holding a 3/5/7-digit function code (2xx), or a 3/5-digit economic code
(3xx 部门预算, 5xx 政府预算), followed by its name (in the next cell, or
joined as "2050303-技校教育").  Per code the most printed name wins; a longer
name that the winner is a prefix of (a name cut off by a narrow cell) replaces
it.  The result is checked by eye before it is committed; vocab.c reads it.
"""
import collections
import json
import re
import sys

pairs = collections.defaultdict(collections.Counter)


def ok_code(c):
    """Function codes 201-299 (类, 款, 项: 3/5/7 digits), economic codes 301-399
    and 501-599 (3/5 digits); no 款 or 项 is 00."""
    if any(c[i:i + 2] == "00" for i in range(3, len(c), 2)):
        return False
    if c[0] == "2":
        return len(c) in (3, 5, 7) and c[:3] >= "201"
    return c[0] in "35" and len(c) in (3, 5) and c[1:3] != "00"


def add(code, name):
    name = re.sub(r"\s", "", name)
    name = re.split(r"[0-9０-９]", name)[0]
    name = re.sub(r"^[一二三四五六七八九十]+、", "", name)
    if len(re.findall(r"[\u4e00-\u9fff]", name)) < 2 or len(name) > 40 or "资金总额" in name:
        return
    if ok_code(code):
        pairs[code][name] += 1


for path in sys.argv[1:]:
    try:
        doc = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError):
        continue
    for t in doc.get("tables", []):
        for r in t["rows"]:
            for i, c in enumerate(r):
                if not isinstance(c, str):
                    continue
                s = re.sub(r"\s", "", c)
                m = re.match(r"^(\d{3}(?:\d{2}){0,2})[-－—](.+)$", s)
                if m:
                    add(m.group(1), m.group(2))
                elif re.match(r"^\d{3}(\d{2}){0,2}$", s) and i + 1 < len(r) and isinstance(r[i + 1], str):
                    add(s, r[i + 1])

for code in sorted(pairs):
    name, n = pairs[code].most_common(1)[0]
    if n == 1 and len(name) <= 2:
        continue  # a unit of a performance indicator (人次, 场月), not a name
    longer = [x for x in pairs[code] if x != name and x.startswith(name) and not re.search("(合计|小计|总计)$", x)]
    if longer:
        name = max(longer, key=len)
    print("%s\t%s" % (code, name))
