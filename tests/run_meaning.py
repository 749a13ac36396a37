#!/usr/bin/python3
"""What tables, columns and rows mean (schema 2), asserted against truth
written by hand from the page images: fixtures/meaning/*.json.

Per document: every table's kind (and printed label where given), every amount
column's measure, in column order, and the sides of side-by-side tables; then
every coded row's codes, level and parent, the codes being those of the
hand-checked truth rows (fixtures/truth, ../shared/corpus/*/truth), the level
the code's (类 3 digits = 1, 款 5 = 2, 项 7 = 3) and the parent the nearest
row above whose code the row's extends.  A table marked "xfail" in the truth
(its header is misread before meaning is read: tables.c's work) is reported,
not counted as failed; an xfail table that passes is reported as XPASS, a note
(not a failure) that its mark should be removed.

Then the README's worked example (its jq commands) on the Jiangsu corpus with
--by-unit, when ../shared is present (skipped, and said so, when not).

usage: run_meaning.py [--bin ./budgetpdf]   (prints "N passed, M failed")
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CODE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})(?:\s*[-－—]\s*\S.*)?$")


def run_bin(binary, pdf):
    out = subprocess.run([binary, pdf], capture_output=True, timeout=600)
    return json.loads(out.stdout.decode("utf-8"))


def code_of(cell):
    if not isinstance(cell, str):
        return None
    m = CODE.match(cell)
    if not m:
        return None
    c = m.group(1)
    # economic codes are 3 or 5 digits, and some places subdivide a 款 in 7
    # (北京: 3021101-差旅费 under 30211)
    ok = (c[0] == "2" and len(c) in (3, 5, 7)) or (c[0] in "35" and len(c) in (3, 5, 7))
    return c if ok else None


def expected_outline(rows, sided=False):
    """(family, code, level, parent code) per coded cell of the truth rows,
    in reading order: the definition of level and parent applied to the
    hand-checked codes."""
    out = []
    seen = {"2": [], "3": [], "5": []}
    lei = kuan = None
    for r in rows:
        cells = [c.strip() if isinstance(c, str) else c for c in r]
        codes = [code_of(c) for c in cells]
        # 类/款/项 split over columns: 3, 2 and 2 digits
        if not any(codes) and len(cells) >= 3 and all(isinstance(c, str) for c in cells[:3]) \
                and any(re.fullmatch(r"\d{2,3}", c or "") for c in cells[:3]):
            l, k, x = cells[:3]
            if re.fullmatch(r"\d{3}", l or ""):
                lei, kuan = l, None
            if re.fullmatch(r"\d{2}", k or ""):
                kuan = k
            x = x if re.fullmatch(r"\d{2}", x or "") else None
            k = k if re.fullmatch(r"\d{2}", k or "") else None
            l = l if re.fullmatch(r"\d{3}", l or "") else None
            code = (lei + kuan + x) if (x and lei and kuan) else (lei + k) if (k and lei) else l
            codes = [code]
        # the row's level and parent are its primary code's: function, else
        # 部门预算 economic, else 政府预算 economic
        present = {c[0]: c for c in codes if c}
        primary = next((present[f] for f in "235" if f in present), None)
        for c in codes:
            if sided:
                primary = c  # each side of the row is a record of its own
            if not c:
                continue
            fam = c[0]
            parent = level = None
            if c == primary:
                level = {3: 1, 5: 2, 7: 3}[len(c)]
                for p in reversed(seen[fam]):
                    if len(p) < len(c) and c.startswith(p):
                        parent = p
                        break
            seen[fam].append(c)
            out.append((fam, c, level, parent))
    return out


def found_outline(table):
    recs = table.get("records", [])
    out = []
    for r in recs:
        primary = next((k for k in ("function", "economic_department", "economic_government") if r["codes"][k]), None)
        for fam, key in (("2", "function"), ("5", "economic_government"), ("3", "economic_department")):
            c = r["codes"][key]
            if not c:
                continue
            p = r["parent"]
            if key == primary:
                out.append((fam, c, r["level"], recs[p]["codes"][key] if p is not None else None))
            else:
                out.append((fam, c, None, None))
    return out


def order(outline):
    return sorted(outline, key=lambda x: x[0])  # stable: reading order within a family


class Counter:
    def __init__(self):
        self.passed = self.failed = self.xpassed = 0

    def check(self, ok, what, xfail=None):
        if xfail:
            if ok:
                # not a failure: a note that the truth's xfail mark is stale
                self.xpassed += 1
                print("XPASS %s (marked xfail: %s) -- it passes now: remove the mark from fixtures/meaning" % (what, xfail))
            else:
                print("XFAIL %s (%s)" % (what, xfail))
            return
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL " + what)


def find_table(doc, spec):
    for t in doc["tables"]:
        if "page" in spec and t["pages"] and t["pages"][0] == spec["page"]:
            return t
        if "page_title" in spec and t["title"] == spec["page_title"]:
            return t
    return None


def check_document(binary, path, k):
    spec = json.load(open(path, encoding="utf-8"))
    pdf = os.path.normpath(os.path.join(ROOT, spec["pdf"]))
    if not os.path.exists(pdf):
        print("SKIP %s: %s is absent" % (os.path.basename(path), pdf))
        return
    doc = run_bin(binary, pdf)
    truth = json.load(open(os.path.normpath(os.path.join(ROOT, spec["truth"])), encoding="utf-8"))
    name = os.path.basename(path)
    for i, ts in enumerate(spec["tables"]):
        where = "%s table %d (%s)" % (name, i + 1, ts.get("page_title") or "p. %d" % ts["page"])
        t = find_table(doc, ts)
        xf = ts.get("xfail")
        k.check(t is not None, where + ": found")
        if t is None:
            continue
        k.check(t["kind"] == ts["kind"], "%s: kind %s, want %s" % (where, t["kind"], ts["kind"]))
        if "number_label" in ts:
            k.check(t["number_label"] == ts["number_label"], "%s: number_label %s, want %s"
                    % (where, t["number_label"], ts["number_label"]), ts.get("xfail_label"))
        got = [c["measure"] for c in t["columns"] if c["role"] == "amount"]
        want = [m for _, m in ts["measures"]]
        k.check(got == want, "%s: measures %s, want %s" % (where, got, want), xf)
        if "sides" in ts:
            sides = [c["side"] for c in t["columns"] if c["role"] == "amount"]
            k.check(sides == ts["sides"], "%s: sides %s, want %s" % (where, sides, ts["sides"]), xf)
        # coded rows: the truth table on the same first page (or title)
        tt = next((x for x in truth["tables"]
                   if x.get("page_first") == (t["pages"][0] if t["pages"] else None)
                   or x.get("title") == t["title"]), None)
        if tt is None:
            continue
        want_o = order(expected_outline(tt["rows"], len(set(ts.get("sides", []))) > 1))
        got_o = order(found_outline(t))
        if want_o:
            bad = next((j for j in range(max(len(want_o), len(got_o)))
                        if j >= len(want_o) or j >= len(got_o) or want_o[j] != got_o[j]), None)
            k.check(bad is None, "%s: %d coded rows (codes, level, parent); first difference at %s: got %s, want %s"
                    % (where, len(want_o), bad, got_o[bad] if bad is not None and bad < len(got_o) else None,
                       want_o[bad] if bad is not None and bad < len(want_o) else None), ts.get("xfail_codes"))
    for fig, (kind, label) in spec.get("provenance", {}).items():
        p = doc["summary_provenance"].get(fig)
        ok = p is not None and p["table"] is not None
        if ok:
            t = doc["tables"][p["table"]]
            cell = t["rows"][p["row"]][p["column"]]
            labels = [re.sub(r"^[一二三四五六七八九十]+、|\s", "", c) for c in t["rows"][p["row"]] if isinstance(c, str)]
            ok = (p["kind"] == kind and isinstance(cell, (int, float)) and t["to_wan"]
                  and abs(cell * t["to_wan"] - doc["summary"][fig]) < 0.005 and label in labels)
        k.check(ok, "%s: summary %s traced to the %s row of a %s table: %s" % (name, fig, label, kind, p))
    su = spec.get("sub_units")
    if su:
        t = find_table(doc, su)
        heads = [r["label"] for r in t["records"] if r["sub_unit"] and r["sub_unit"] == r["label"] and r["total"]] if t else []
        k.check(heads == su["heads"], "%s: units listed in %s: %s, want %s" % (name, su["page_title"], heads, su["heads"]))
        for label, unit in su["projects"]:
            hit = t and any(r["label"] == label and r["sub_unit"] == unit for r in t["records"])
            k.check(bool(hit), "%s: project %s under %s" % (name, label, unit))
    en = spec.get("economic_names")
    if en:
        t = doc["tables"][en["table"]]
        for label, dept, gov in en["rows"]:
            hit = any(r["label"] == label and r["codes"]["economic_department"] == dept
                      and r["codes"]["economic_government"] == gov for r in t["records"])
            k.check(hit, "%s: a row %s with codes %s / %s" % (name, label, dept, gov))


def readme_examples():
    """The jq commands of README.md's worked example, in order: (name, command)."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    return re.findall(r"<!-- example: (\S+) -->\s*```sh\n(.*?)```", text, re.S)


def check_readme(binary, k):
    jiangsu = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "jiangsu"))
    if not os.path.isdir(jiangsu):
        print("SKIP README worked example: %s is absent" % jiangsu)
        return
    if not shutil.which("jq"):
        print("SKIP README worked example: jq is not installed")
        return
    out = tempfile.mkdtemp(prefix="meaning-")
    try:
        subprocess.run([binary, "-q", "--by-unit", "-o", out, jiangsu], check=False, timeout=1800)
        examples = readme_examples()
        k.check(len(examples) >= 2, "README has the worked example's jq commands")
        for name, cmd in examples:
            r = subprocess.run(cmd, shell=True, cwd=out, capture_output=True, text=True, timeout=120)
            lines = [l for l in r.stdout.splitlines() if l.strip()]
            k.check(r.returncode == 0 and len(lines) >= 3,
                    "README example %s runs and prints a row per year or unit (got %d lines, rc %d: %s)"
                    % (name, len(lines), r.returncode, r.stderr.strip()[:200]))
            if name == "function-by-year":
                years = sorted({json.loads(l)[0] for l in lines})
                k.check(years == [2017, 2018, 2019], "function-by-year covers 2017-2019: %s" % years)
            if name == "three-public":
                units = {json.loads(l)[0] for l in lines}
                k.check(len(units) >= 2, "three-public lists several units: %s" % sorted(units))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def check_descriptions(k):
    """validate_schema.py rejects a schema property without a description."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import validate_schema
    k.check(validate_schema.undescribed(validate_schema.schema()) == [],
            "every property of schema/budgetpdf.schema.json has a description")
    bad = {"type": "object", "properties": {"a": {"type": "string", "description": "x"},
                                            "b": {"type": "object", "properties": {"c": {"type": "number"}}}}}
    k.check(validate_schema.undescribed(bad) == ["/properties/b", "/properties/b/properties/c"],
            "a property without a description is found: %s" % validate_schema.undescribed(bad))


def main(argv):
    binary = os.path.join(ROOT, "budgetpdf")
    if "--bin" in argv:
        binary = os.path.abspath(argv[argv.index("--bin") + 1])
    k = Counter()
    check_descriptions(k)
    for path in sorted(glob.glob(os.path.join(ROOT, "fixtures", "meaning", "*.json"))):
        check_document(binary, path, k)
    check_readme(binary, k)
    if k.xpassed:
        print("note: %d checks marked xfail pass now (XPASS above): remove their marks" % k.xpassed)
    print("%d passed, %d failed" % (k.passed, k.failed))
    return 1 if k.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
