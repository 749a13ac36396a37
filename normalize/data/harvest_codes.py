#!/usr/bin/python3
"""Harvest classification codes and their standard names from budgetpdf output.

usage: harvest_codes.py OUT.json...
       (writes normalize/data/codes.tsv and codes.inc, which vocab.c compiles in)

No catalogue file of the national classification (政府收支分类科目) is at hand,
so the catalogue in codes.tsv is built from what the documents print: every
cell holding a 3/5/7-digit function code (2xx), or a 3/5-digit economic code
(3xx 部门预算, 5xx 政府预算), followed by its name (in the next cell, or
joined as "2050303-技校教育").  Per code the most printed name wins; a longer
name that the winner is a prefix of (a name cut off by a narrow cell) replaces
it.  To these come the 类 of the national function classification (CLASSES),
whose names every 收支总表 prints in code order (一、一般公共服务支出 …
三十、抗疫特别国债安排的支出; checked against fixture 001's), so that a
class named without its code still gets it.  The result is checked by eye
before it is committed.
"""
import collections
import json
import os
import re
import sys

pairs = collections.defaultdict(collections.Counter)
HERE = os.path.dirname(os.path.abspath(__file__))

CLASSES = """201 一般公共服务支出|202 外交支出|203 国防支出|204 公共安全支出|205 教育支出|206 科学技术支出|
207 文化旅游体育与传媒支出|208 社会保障和就业支出|209 社会保险基金支出|210 卫生健康支出|211 节能环保支出|
212 城乡社区支出|213 农林水支出|214 交通运输支出|215 资源勘探工业信息等支出|216 商业服务业等支出|217 金融支出|
219 援助其他地区支出|220 自然资源海洋气象等支出|221 住房保障支出|222 粮油物资储备支出|223 国有资本经营预算支出|
224 灾害防治及应急管理支出|227 预备费|229 其他支出|230 转移性支出|231 债务还本支出|232 债务付息支出|
233 债务发行费用支出|234 抗疫特别国债安排的支出"""


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

codes = {}
for code in sorted(pairs):
    name, n = pairs[code].most_common(1)[0]
    if n == 1 and len(name) <= 2:
        continue  # a unit of a performance indicator (人次, 场月), not a name
    longer = [x for x in pairs[code] if x != name and x.startswith(name) and not re.search("(合计|小计|总计)$", x)]
    if longer:
        name = max(longer, key=len)
    codes[code] = name
for entry in CLASSES.replace("\n", "").split("|"):
    code, name = entry.split()
    codes.setdefault(code, name)

with open(os.path.join(HERE, "codes.tsv"), "w", encoding="utf-8") as f:
    for code in sorted(codes):
        f.write("%s\t%s\n" % (code, codes[code]))
with open(os.path.join(HERE, "codes.inc"), "w", encoding="utf-8") as f:
    f.write("/* Classification codes and their standard names, generated with codes.tsv\n"
            " * by normalize/data/harvest_codes.py (checked by eye).  Read by vocab.c only.\n"
            " * Function codes 2xx (类 3, 款 5, 项 7 digits); economic codes 3xx\n"
            " * (部门预算支出经济分类) and 5xx (政府预算支出经济分类). */\n")
    for code in sorted(codes):
        f.write('{"%s", "%s"},\n' % (code, codes[code]))
