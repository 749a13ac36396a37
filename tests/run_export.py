#!/usr/bin/python3
"""The dataset export (issue 13): --csv, --sqlite, --export, the batch report.

usage: run_export.py [--bin PATH] [--only NAME] [--meaning DIR] [-v]

  --bin PATH     the binary (default: $BUDGETPDF, else ./budgetpdf)
  --only NAME    only the tests whose name contains NAME
  --meaning DIR  the hand-written meaning truth (kind and measures per table;
                 default fixtures/meaning, absent before schema 2 is merged)

One batch converts fixtures/pdf, the Jiangsu corpus and the labelled china
files (those with a truth file) with -o DIR --csv DATA --sqlite DB; then:

  usage        --csv/--sqlite with --ndjson, -o -, -o FILE.json or without -o,
               --csv-bom without --csv, --export with inputs or without a
               target: exit 2
  report       DIR/budgetpdf-report.json lists every input with its status,
               warnings and failed checks (as many as its JSON has); an input
               named budgetpdf-report.pdf is refused and says why
  package      datapackage.json and the CSVs read by a Table Schema reader
               written here from the specification (header = fields in order;
               every value of its type; required, enum, primary keys unique,
               foreign keys resolved; CRLF records; every field with type,
               description and unit), and by npm's tableschema where it is
               installed (NODE_PATH, or TABLESCHEMA_NODE_PATH)
  facts        for every truth file (fixtures/truth, jiangsu/truth, china/truth):
               every amount cell of every table is one row of facts.csv, with
               the value, value_wan (every table of these files prints 万元:
               checked on the pages), the code the row prints (类/款/项 joined;
               a row printed without one: none before schema 2, which may look
               the name up in its catalogue)
               and, with --meaning, the table's kind and the column's measure.
               An amount wrong in facts.csv in a row the JSON itself reads
               otherwise than the truth (the tables stage's defect, shown by
               run_golden.py) is XFAIL and says so; in any other row it fails.
               facts.csv holds one row per amount of each JSON table and its
               table_number is the JSON's (else fail); a table numbered
               otherwise than the truth (the tables stage's numbering) is
               XFAIL, its amounts compared all the same (tables are paired by
               title and number, else title, else number)
  sqlite       the database holds the rows of every CSV, and the same facts
  readme       README's SQL query returns the figures computed from the truth
               tables (schema 2: table_kind and unit_key are needed)
  prior_year   the Jiangsu 2018 and 2019 narratives: the statements of the
               收支预算总计 and 一般公共预算收入 changes are prior_year rows whose
               computed change is the difference of the truth key figures
               and, on documents written here by hand, statements that agree and
               that do not (prose and 上年 columns): prior_year rows ok or not
  dedup        the same PDF twice (copied under another name): its tables are
               kept once, documents.csv says which and why
  export       --export rebuilds the same dataset from the JSON alone;
               --csv-bom writes a byte-order mark; an output written by another
               version of budgetpdf is converted again by --resume
Last line: "N passed, M failed[, K skipped]".
"""
import argparse
import csv
import glob
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run_golden import Report, find_bin, sanitizer_report  # noqa: E402

SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
FIX = os.path.join(ROOT, "fixtures", "pdf")
TIMEOUT = float(os.environ.get("BUDGETPDF_TIMEOUT", "900"))
ONLY = None
VERBOSE = False


def wanted(name):
    return ONLY is None or ONLY in name


def run(argv, **kw):
    p = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- Table Schema reader
# Written from https://specs.frictionlessdata.io/table-schema/ and /csv-dialect/,
# independently of export/: the physical form of each type as the spec defines it.
INTEGER = re.compile(r"^[+-]?[0-9]+$")
NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$|^(NaN|INF|-INF)$")
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]


def cast(field, text):
    """(value, None) or (None, why)."""
    t = field.get("type", "string")
    if t == "string":
        return text, None
    if t == "integer":
        return (int(text), None) if INTEGER.match(text) else (None, "not an integer")
    if t == "number":
        return (float(text), None) if NUMBER.match(text) else (None, "not a number")
    if t == "boolean":
        if text in field.get("trueValues", DEFAULT_TRUE):
            return True, None
        if text in field.get("falseValues", DEFAULT_FALSE):
            return False, None
        return None, "not a boolean"
    return None, "type %s not handled by this reader" % t


def read_resource(pkg_dir, res):
    """The rows of a tabular data resource as dicts of typed values, and the
    problems found (at most a few of each kind)."""
    problems = []
    schema = res["schema"]
    fields = schema["fields"]
    dialect = res.get("dialect", {})
    missing = schema.get("missingValues", [""])
    path = os.path.join(pkg_dir, res["path"])
    raw = open(path, "rb").read()
    enc = res.get("encoding", "utf-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is not data, whatever the declared encoding
    text = raw.decode("utf-8" if enc.lower() in ("utf-8", "utf-8-sig") else enc)
    term = dialect.get("lineTerminator", "\r\n")
    rows = list(csv.reader(io.StringIO(text, newline=""),
                           delimiter=dialect.get("delimiter", ","), quotechar=dialect.get("quoteChar", '"'),
                           doublequote=dialect.get("doubleQuote", True), strict=True))
    # every record ends with the declared terminator (outside quotes)
    inside, bad_end = False, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            inside = not inside
        elif not inside and ch == "\n" and (term == "\r\n" and (i == 0 or text[i - 1] != "\r")):
            bad_end += 1
        i += 1
    if bad_end:
        problems.append("%d records not ended by %r" % (bad_end, term))
    if not rows:
        return [], ["no header"]
    header, data = rows[0], rows[1:]
    names = [f["name"] for f in fields]
    if header != names:
        problems.append("header %s is not the schema's fields %s" % (header, names))
        return [], problems
    for f in fields:
        for key in ("type", "description"):
            if not f.get(key):
                problems.append("field %s has no %s" % (f["name"], key))
        if "unit" not in f:
            problems.append("field %s has no unit" % f["name"])
    out = []
    shown = {}
    for n, r in enumerate(data, start=2):
        if len(r) != len(fields):
            problems.append("line %d: %d values for %d fields" % (n, len(r), len(fields)))
            continue
        d = {}
        for f, v in zip(fields, r):
            c = f.get("constraints", {})
            if v in missing:
                if c.get("required"):
                    shown.setdefault("required " + f["name"], "line %d: %s is required" % (n, f["name"]))
                d[f["name"]] = None
                continue
            val, why = cast(f, v)
            if why:
                shown.setdefault("type " + f["name"], "line %d: %s=%r %s" % (n, f["name"], v, why))
            if "enum" in c and v not in c["enum"]:
                shown.setdefault("enum " + f["name"], "line %d: %s=%r not in %s" % (n, f["name"], v, c["enum"]))
            d[f["name"]] = val
        out.append(d)
    problems.extend(shown.values())
    pk = schema.get("primaryKey")
    if pk:
        pk = [pk] if isinstance(pk, str) else pk
        keys = [tuple(d[k] for k in pk) for d in out]
        if len(set(keys)) != len(keys):
            problems.append("primary key %s not unique (%d rows, %d keys)" % (pk, len(keys), len(set(keys))))
    return out, problems


def validate_package(pkg_dir):
    """{resource name: rows} and a list of problems."""
    pkg = json.load(open(os.path.join(pkg_dir, "datapackage.json"), encoding="utf-8"))
    problems, tables = [], {}
    if pkg.get("profile") != "tabular-data-package":
        problems.append("profile is %r" % pkg.get("profile"))
    for res in pkg["resources"]:
        rows, p = read_resource(pkg_dir, res)
        tables[res["name"]] = rows
        problems += ["%s: %s" % (res["name"], x) for x in p]
    for res in pkg["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target = {tuple(d[k] for k in ref["fields"]) for d in tables[ref["resource"]]}
            missing = [d for d in tables[res["name"]] if tuple(d[k] for k in fk["fields"]) not in target]
            if missing:
                problems.append("%s: %d rows whose %s are not in %s" % (res["name"], len(missing), fk["fields"],
                                                                       ref["resource"]))
    return tables, problems


NODE_CHECK = r"""
const {Table} = require('tableschema');
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'datapackage.json'), 'utf8'));
(async () => {
  let bad = 0, rows = 0;
  for (const res of pkg.resources) {
    const table = await Table.load(path.join(dir, res.path), {schema: res.schema});
    try {
      const all = await table.read({keyed: true});   // casts every value, checks constraints and primaryKey
      rows += all.length;
    } catch (e) {
      bad++;
      console.log(res.name + ': ' + (e.errors ? e.errors.slice(0, 3).map(x => x.message).join('; ') : e.message));
    }
  }
  console.log('rows ' + rows);
  process.exit(bad ? 1 : 0);
})();
"""


def node_tableschema(pkg_dir):
    """(True, msg) valid, (False, msg) invalid, (None, why) not available."""
    if not shutil.which("node"):
        return None, "node is not installed"
    env = dict(os.environ)
    extra = os.environ.get("TABLESCHEMA_NODE_PATH")
    if extra:
        env["NODE_PATH"] = os.path.join(extra, "node_modules") + os.pathsep + env.get("NODE_PATH", "")
    p = subprocess.run(["node", "-e", "require('tableschema')"], capture_output=True, env=env)
    if p.returncode != 0:
        return None, "npm's tableschema is not installed (npm install tableschema; TABLESCHEMA_NODE_PATH=that folder)"
    p = subprocess.run(["node", "-e", NODE_CHECK, pkg_dir], capture_output=True, env=env, timeout=TIMEOUT)
    return p.returncode == 0, p.stdout.decode() + p.stderr.decode()


# ---------------------------------------------------------------- truth
def num(cell):
    """The amount a truth cell prints, or None."""
    if not isinstance(cell, str):
        return None
    s = cell.strip().replace(",", "")
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return float(s)
    return None


CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$|行次|栏次|序号")


def truth_columns(t):
    """Per column: 'code' (a header says 编码/代码/类/款/项), 'skip' (行次/栏次/序号), or None."""
    width = max([len(r) for r in t.get("rows", [])] + [len(h) for h in t.get("header_rows", [])] + [0])
    kinds = [None] * width
    for h in t.get("header_rows", []):
        for c, text in enumerate(h):
            if isinstance(text, str) and CODE_HEADER.search(text.replace(" ", "")):
                kinds[c] = "skip" if re.search("行次|栏次|序号", text) else "code"
    return kinds


def code_groups(kinds):
    """Runs of adjacent code columns: one per block of a side-by-side table."""
    groups, run = [], []
    for c, k in enumerate(kinds):
        if k == "code" and (not run or run[-1] == c - 1):
            run.append(c)
        elif k == "code":
            groups.append(run)
            run = [c]
    if run:
        groups.append(run)
    return groups


def group_codes(rows, cols):
    """The code of each row in one run of code columns: its cells joined, with
    类 and 款 carried down to the rows that print only 款 or 项 (类/款/项 split
    over columns)."""
    out, carry = [], {}
    for r in rows:
        parts = [(i, r[c].strip()) for i, c in enumerate(cols)
                 if c < len(r) and isinstance(r[c], str) and re.fullmatch(r"\d+", r[c].strip())]
        if len(cols) >= 2 and parts:
            levels = dict(parts)
            top = min(levels)
            for lv in range(top):
                if lv in carry:
                    levels[lv] = carry[lv]
            for lv in list(carry):
                if lv >= top:
                    del carry[lv]
            carry.update(levels)
            out.append("".join(levels[lv] for lv in sorted(levels)))
        else:
            out.append("".join(p for _, p in parts) or None)
    return out


def truth_codes(t, kinds):
    """code(r, c): the code of the amount in row r, column c, as a reader of
    the page tells it: the run of code columns nearest to the left of the
    amount (each block of a side-by-side table has its own), else the digits a
    label cell starts with ("2010301 行政运行")."""
    rows = t.get("rows", [])
    groups = [(g, group_codes(rows, g)) for g in code_groups(kinds)]

    def code(r, c):
        left = [codes for g, codes in groups if g[-1] < c]
        if left:
            return left[-1][r]
        for cell in rows[r][:c]:
            m = re.match(r"^\s*(\d{3,7})[\s\u3000]", cell) if isinstance(cell, str) else None
            if m and num(cell) is None:
                return m.group(1)
        return None
    return code


def truth_sets():
    """(name, truth path, output JSON name relative to DIR, pdf path) for every truth file whose PDF exists."""
    sets = []
    for p in sorted(glob.glob(os.path.join(ROOT, "fixtures", "truth", "*.json"))):
        base = os.path.basename(p)[:-5]
        pdf = os.path.join(FIX, base + ".pdf")
        if os.path.exists(pdf):
            sets.append(("fixtures/" + base, p, os.path.join("fixtures", base + ".json"), pdf))
    for p in sorted(glob.glob(os.path.join(SHARED, "corpus", "jiangsu", "truth", "*", "*.json"))):
        dept, base = p.split(os.sep)[-2], os.path.basename(p)[:-5]
        pdf = os.path.join(SHARED, "corpus", "jiangsu", dept, base + ".pdf")
        if os.path.exists(pdf):
            sets.append(("jiangsu/" + dept + "/" + base, p, os.path.join("jiangsu", dept, base + ".json"), pdf))
    for p in sorted(glob.glob(os.path.join(SHARED, "corpus", "china", "truth", "*", "*.json"))):
        d = json.load(open(p, encoding="utf-8"))
        pdf = os.path.join(SHARED, "corpus", "china", d["pdf"])
        if os.path.exists(pdf):
            sets.append(("china/" + d["pdf"], p, os.path.join("china", os.path.basename(pdf)[:-4] + ".json"), pdf))
    return sets


def norm_title(s):
    return re.sub(r"[\s\d年度（）()“”\"]", "", s or "")


def facts_table(facts_by_file, json_file, t):
    """The table_index in facts.csv of the truth table t: the table of the same
    number and title, else of the same title, else of the same number (so that
    a table budgetpdf numbers otherwise is still compared with its own truth)."""
    tables = facts_by_file.get(json_file, {})
    same_title = [ti for ti, (number, title) in tables.items() if norm_title(title) == norm_title(t.get("title"))]
    if t.get("number") is not None:
        both = [ti for ti in same_title if tables[ti][0] == t["number"]]
        if len(both) == 1:
            return both[0]
    if same_title:
        return same_title[0]
    if t.get("number") is not None:
        cands = [ti for ti, (number, title) in tables.items() if number == t["number"]]
        if len(cands) == 1:
            return cands[0]
    return None


def json_table(json_path, ti):
    try:
        return json.load(open(json_path, encoding="utf-8"))["tables"][ti]
    except (OSError, ValueError, IndexError, KeyError, TypeError):
        return None


def misread_rows(o, t):
    """The rows of the truth table t that budgetpdf's JSON table o reads
    otherwise (row index -> what differs): the tables stage's defects, shown
    by run_golden.py.  Only to excuse the facts of those rows; the facts of
    rows the JSON reads as the truth does must be right, and the expected
    facts come from the truth alone."""
    if o is None:
        return {}

    def key(r):
        return [num(c) if num(c) is not None else (re.sub(r"\s", "", c) if isinstance(c, str) and c.strip() else None)
                for c in r]
    orows = [[("%g" % c) if isinstance(c, (int, float)) else c for c in r] for r in o.get("rows", [])]
    trows = t.get("rows", [])
    out = {}
    for r, tr in enumerate(trows):
        if r >= len(orows):
            out[r] = "the JSON table has %d rows" % len(orows)
        elif key(orows[r]) != key(tr):
            out[r] = "the JSON reads it %s" % json.dumps(orows[r], ensure_ascii=False)[:80]
    return out


# ---------------------------------------------------------------- the batch
class Dataset:
    def __init__(self, binary, tmp):
        self.tmp = tmp
        self.inputs = os.path.join(tmp, "in")
        self.dir = os.path.join(tmp, "out")
        self.data = os.path.join(tmp, "data")
        self.db = os.path.join(tmp, "data.sqlite")
        os.makedirs(os.path.join(self.inputs, "fixtures"))
        for p in glob.glob(os.path.join(FIX, "*.pdf")):
            os.symlink(p, os.path.join(self.inputs, "fixtures", os.path.basename(p)))
        js = os.path.join(SHARED, "corpus", "jiangsu")
        if os.path.isdir(js):
            os.makedirs(os.path.join(self.inputs, "jiangsu"))
            for dept in sorted(os.listdir(js)):
                if dept != "truth" and os.path.isdir(os.path.join(js, dept)):
                    os.symlink(os.path.join(js, dept), os.path.join(self.inputs, "jiangsu", dept))
        for name, truth, rel, pdf in truth_sets():
            if name.startswith("china/"):
                os.makedirs(os.path.join(self.inputs, "china"), exist_ok=True)
                os.symlink(pdf, os.path.join(self.inputs, "china", os.path.basename(pdf)))
        # the inputs are links to fixtures/ and ../shared: --follow-links
        self.rc, self.out, self.err = run([binary, "-q", "-j", "2", "--follow-links", "-o", self.dir, "--csv",
                                           self.data, "--sqlite", self.db, self.inputs])


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- tests
def test_usage(rep, binary, tmp):
    pdf = os.path.join(FIX, "004.pdf")
    cases = [
        ("usage: --csv with --ndjson", ["--ndjson", "--csv", tmp + "/d", pdf]),
        ("usage: --csv without -o", ["--csv", tmp + "/d", pdf]),
        ("usage: --csv with -o -", ["-o", "-", "--csv", tmp + "/d", pdf]),
        ("usage: --sqlite with -o FILE.json", ["-o", tmp + "/x.json", "--sqlite", tmp + "/d.db", pdf]),
        ("usage: --csv-bom without --csv", ["-o", tmp + "/o", "--csv-bom", pdf]),
        ("usage: --export with an input", ["--export", tmp, "--csv", tmp + "/d", pdf]),
        ("usage: --export without --csv or --sqlite", ["--export", tmp]),
    ]
    for name, argv in cases:
        if not wanted(name):
            continue
        rc, out, err = run([binary] + argv)
        rep.ok(name, rc == 2 and err.startswith("budgetpdf: ") and not os.path.exists(tmp + "/d"),
               "exit %s, stderr %r" % (rc, err[:200]))


def test_report(rep, ds, binary, tmp):
    if wanted("report: every input"):
        path = os.path.join(ds.dir, "budgetpdf-report.json")
        why = None
        try:
            r = json.load(open(path, encoding="utf-8"))
            n_in = sum(1 for _ in glob.glob(os.path.join(ds.inputs, "**", "*.pdf"), recursive=True))
            if len(r["inputs"]) != n_in:
                why = "%d inputs in the report, %d given" % (len(r["inputs"]), n_in)
            for e in r["inputs"]:
                if why:
                    break
                if e["status"] not in ("converted", "skipped", "failed") or "error" not in e:
                    why = "entry %s: status %r" % (e.get("input"), e.get("status"))
                    break
                if e["status"] == "converted":
                    doc = json.load(open(e["output"], encoding="utf-8"))
                    failed = [k for k in doc["checks"] if not k["ok"]]
                    if len(e["failed_checks"]) != len(failed) or len(e["warnings"]) != len(doc["warnings"]):
                        why = "%s: %d failed checks and %d warnings reported, the JSON has %d and %d" % (
                            e["input"], len(e["failed_checks"]), len(e["warnings"]), len(failed), len(doc["warnings"]))
                    for fc in e["failed_checks"]:
                        if not all(k in fc for k in ("table", "table_index", "row", "column", "rule")):
                            why = "%s: a failed check without table/row/column: %s" % (e["input"], fc)
        except (OSError, ValueError, KeyError) as x:
            why = "%s: %s" % (path, x)
        rep.ok("report: every input with status, warnings and failed checks", why is None, why)
    if wanted("report: name refused"):
        d = os.path.join(tmp, "refuse")
        os.makedirs(os.path.join(d, "in"))
        shutil.copy(os.path.join(FIX, "004.pdf"), os.path.join(d, "in", "budgetpdf-report.pdf"))
        shutil.copy(os.path.join(FIX, "000.pdf"), os.path.join(d, "in", "a.pdf"))
        rc, out, err = run([binary, "-q", "-o", os.path.join(d, "out"), os.path.join(d, "in")])
        r = json.load(open(os.path.join(d, "out", "budgetpdf-report.json"), encoding="utf-8"))
        refused = [e for e in r["inputs"] if e["input"].endswith("budgetpdf-report.pdf")]
        rep.ok("report: name refused", rc == 1 and "batch report" in err and refused and refused[0]["status"] == "failed"
               and os.path.exists(os.path.join(d, "out", "a.json")),
               "exit %s, stderr %r, report entry %s" % (rc, err[:300], refused))


def test_package(rep, ds):
    tables, problems = validate_package(ds.data)
    if wanted("package: Table Schema"):
        rep.ok("package: valid against datapackage.json (reader from the specification)", not problems,
               "\n".join(problems[:12]))
    if wanted("package: npm tableschema"):
        ok, msg = node_tableschema(ds.data)
        if ok is None:
            rep.skip("package: npm tableschema", msg)
        else:
            rep.ok("package: npm tableschema reads every resource", ok, msg[-800:])
    return tables


def test_facts(rep, ds, meaning_dir):
    facts = csv_rows(os.path.join(ds.data, "facts.csv"))
    by_key = {}
    tables_of = {}
    per_table = {}
    for f in facts:
        k = (f["json_file"], int(f["table_index"]), int(f["row"]), int(f["column"]))
        by_key.setdefault(k, []).append(f)
        tables_of.setdefault(f["json_file"], {})[int(f["table_index"])] = (
            int(f["table_number"]) if f["table_number"] else None, f["table_title"])
        per_table[(f["json_file"], int(f["table_index"]))] = per_table.get((f["json_file"], int(f["table_index"])), 0) + 1
    # the tables of documents without amounts (narratives) have no facts: take their titles from tables.csv
    for t in csv_rows(os.path.join(ds.data, "tables.csv")):
        tables_of.setdefault(t["json_file"], {}).setdefault(int(t["table_index"]), (
            int(t["table_number"]) if t["table_number"] else None, t["table_title"]))
    meaning = {}
    if meaning_dir and os.path.isdir(meaning_dir):
        for p in glob.glob(os.path.join(meaning_dir, "*.json")):
            spec = json.load(open(p, encoding="utf-8"))
            meaning[os.path.normpath(os.path.join(ROOT, spec["truth"]))] = spec
    has_kind = any(f["table_kind"] for f in facts)
    checked = xfailed = 0
    for name, truth_path, rel, pdf in truth_sets():
        if not wanted("facts: " + name):
            continue
        truth = json.load(open(truth_path, encoding="utf-8"))
        spec = meaning.get(os.path.normpath(truth_path))
        errors, xfails, numbering = [], [], []
        for t in truth.get("tables", []):
            if t.get("optional"):
                continue
            kinds = truth_columns(t)
            amounts = [(r, c, num(cell)) for r, row in enumerate(t.get("rows", [])) for c, cell in enumerate(row)
                       if num(cell) is not None and (c >= len(kinds) or kinds[c] is None)]
            if not amounts:
                continue
            where = "table %s %r" % (t.get("number"), t.get("title"))
            ti = facts_table(tables_of, rel, t)
            if ti is None:
                errors.append("%s: no table of that number or title in facts.csv" % where)
                continue
            o = json_table(os.path.join(ds.dir, rel), ti)
            misread = misread_rows(o, t)
            # the number: facts.csv must say the JSON's; where the JSON's is
            # not the truth's, that is the numbering of the tables stage
            fnum = tables_of[rel][ti][0]
            onum = o.get("number") if o else None
            if o is not None and fnum != onum:
                errors.append("%s: table_number %s in facts.csv, %s in the JSON" % (where, fnum, onum))
            elif onum != t.get("number"):
                numbering.append("%r %s, truth %s" % (t.get("title"), onum, t.get("number")))
            codes = truth_codes(t, kinds)
            # the meaning truth: kind, and the measure of each amount column in order
            want_kind, want_measure = None, {}
            ts = None
            if spec:
                ts = next((x for x in spec["tables"] if x.get("page_title") == t.get("title")
                           or x.get("page") == t.get("page_first")), None)
            if ts:
                want_kind = ts["kind"]
                amount_cols = sorted({c for _, c, _ in amounts})
                if len(amount_cols) == len(ts["measures"]) and not ts.get("xfail"):
                    want_measure = {c: m for c, (_, m) in zip(amount_cols, ts["measures"])}
            bad, excused = [], []
            for r, c, v in amounts:
                got = by_key.get((rel, ti, r, c), [])
                why = None
                if len(got) != 1:
                    why = "row %d col %d (%g): %d rows in facts" % (r, c, v, len(got))
                else:
                    f = got[0]
                    if abs(float(f["value"]) - v) > 1e-9:
                        why = "row %d col %d: value %s, want %g" % (r, c, f["value"], v)
                    elif not f["value_wan"] or abs(float(f["value_wan"]) - v) > 1e-6:
                        why = "row %d col %d: value_wan %r, want %g (万元)" % (r, c, f["value_wan"], v)
                    elif (f["code"] or None) != codes(r, c) and (codes(r, c) or not has_kind):
                        # a row printed without a code: schema 2 may look its name up in
                        # the code catalogue (run_meaning.py tests that); before, no code
                        why = "row %d col %d: code %r, want %r" % (r, c, f["code"], codes(r, c))
                    elif want_kind and has_kind and f["table_kind"] != want_kind:
                        why = "row %d col %d: table_kind %r, want %r" % (r, c, f["table_kind"], want_kind)
                    elif c in want_measure and has_kind and (f["measure"] or None) != want_measure[c]:
                        why = "row %d col %d: measure %r, want %r" % (r, c, f["measure"], want_measure[c])
                if why:
                    # excused only where the JSON itself reads the row otherwise
                    (excused if r in misread else bad).append(why)
            # one fact per amount of the JSON table, whatever the truth says
            json_amounts = sum(isinstance(x, (int, float)) and not isinstance(x, bool)
                               for row in (o or {}).get("rows", []) for x in row)
            if o is not None and per_table.get((rel, ti), 0) != json_amounts:
                bad.append("%d rows in facts for the JSON table's %d amounts" % (per_table.get((rel, ti), 0), json_amounts))
            extra = per_table.get((rel, ti), 0) - len(amounts)
            if not t.get("partial") and extra > 0:
                (excused if misread else bad).append("%d more rows in facts than the table's %d amounts" % (extra, len(amounts)))
            checked += len(amounts)
            if bad:
                errors.append("%s: %d of %d amounts wrong where the JSON reads the rows as the truth does "
                              "(export); %s" % (where, len(bad), len(amounts), "; ".join(bad[:3])))
            if excused:
                first = min(misread)
                xfails.append("%s: %d of %d amounts wrong, all in the %d rows the JSON reads otherwise than the truth "
                              "[rows differ (tables stage; see run_golden.py): row %d: %s]"
                              % (where, len(excused), len(amounts), len(misread), first, misread[first]))
        if numbering:
            xfails.append("%d tables numbered otherwise than the truth, their amounts compared all the same "
                          "[numbering differs (tables stage: label, else 目录)]: %s" % (len(numbering), "; ".join(numbering)))
        for x in xfails:
            print("XFAIL facts: %s: %s" % (name, x))
        xfailed += len(xfails)
        rep.ok("facts: " + name, not errors, "\n".join(errors[:8]))
    print("facts: %d truth amounts compared, %d XFAIL; kinds and measures %s" % (
        checked, xfailed, "checked" if meaning and has_kind else
        "not checked (%s)" % ("no meaning truth at %s" % meaning_dir if not meaning else "the JSON has no table kinds: schema 2 not merged")))
    return facts


def test_sqlite(rep, ds, tables):
    if not wanted("sqlite"):
        return
    db = sqlite3.connect(ds.db)
    why = []
    for name, rows in tables.items():
        n = db.execute("SELECT count(*) FROM %s" % name).fetchone()[0]
        if n != len(rows):
            why.append("%s: %d rows in the database, %d in the CSV" % (name, n, len(rows)))
    want = sorted((d["document"], d["table_index"], d["row"], d["column"], round(d["value"], 6),
                   None if d["value_wan"] is None else round(d["value_wan"], 6), d["code"], d["measure"])
                  for d in tables["facts"])
    got = sorted((a, b, c, d, round(e, 6), None if f is None else round(f, 6), g, h) for a, b, c, d, e, f, g, h in db.execute(
        "SELECT document, table_index, row, \"column\", value, value_wan, code, measure FROM facts"))
    if want != got:
        why.append("facts differ between the CSV and the database")
    idx = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='facts'")}
    for col in ("unit_key", "year", "table_kind", "code"):
        if "facts_" + col not in idx:
            why.append("no index on facts.%s" % col)
    rep.ok("sqlite: the same rows as the CSVs, indexed", not why, "\n".join(why))


def readme_sql():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    m = re.search(r"<!-- export-sql -->\s*```sql\n(.*?)```", text, re.S)
    return m.group(1) if m else None


def test_readme(rep, ds, facts):
    if not wanted("readme"):
        return
    sql = readme_sql()
    if sql is None:
        rep.ok("readme: SQL example", False, "README.md has no <!-- export-sql --> block")
        return
    js = os.path.join(SHARED, "corpus", "jiangsu", "truth", "江苏省委办公厅")
    if not os.path.isdir(js):
        rep.skip("readme: SQL example", "../shared/corpus/jiangsu is absent")
        return
    if not any(f["table_kind"] for f in facts):
        rep.skip("readme: SQL example", "the JSON has no table kinds (schema 2 not merged): the query needs table_kind")
        return
    # from the truth: the 一般公共预算支出 table's 合计 of every 类 (3-digit code) per year
    want = {}
    for p in glob.glob(os.path.join(js, "*.json")):
        tr = json.load(open(p, encoding="utf-8"))
        for t in tr["tables"]:
            if norm_title(t["title"]).startswith("一般公共预算支出") and "基本" not in t["title"] \
                    and "经济" not in t["title"]:
                kinds = truth_columns(t)
                codes = truth_codes(t, kinds)
                first_amount = next(c for c, k in enumerate(kinds) if k is None and any(
                    c < len(r) and num(r[c]) is not None for r in t["rows"]))
                for r, row in enumerate(t["rows"]):
                    code = codes(r, first_amount)
                    if code and len(code) == 3 and num(row[first_amount]) is not None:
                        want[(tr["year"], code)] = num(row[first_amount])
    db = sqlite3.connect(ds.db)
    cur = db.execute(sql)
    cols = [d[0] for d in cur.description]
    got = {(r[cols.index("year")], r[cols.index("code")]): r[cols.index("value_wan")] for r in cur.fetchall()}
    diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want)
            if got.get(k) is None or want.get(k) is None or abs(got[k] - want[k]) > 1e-6}
    rep.ok("readme: the SQL query returns the truth's figures (%d)" % len(want), want and not diff,
           "differences (got, want): %s" % sorted(diff.items())[:6])


def test_prior_year(rep, ds):
    if not wanted("prior_year"):
        return
    js = os.path.join(SHARED, "corpus", "jiangsu", "truth")
    if not os.path.isdir(js):
        rep.skip("prior_year", "../shared/corpus/jiangsu is absent")
        return
    docs = {d["sha256"]: d for d in csv_rows(os.path.join(ds.data, "documents.csv"))}
    checks = [c for c in csv_rows(os.path.join(ds.data, "checks.csv")) if c["rule"] == "prior_year"]
    for dept in sorted(os.listdir(js)):
        # the truth's key figures per year (the narratives state them; 万元)
        kf = {}
        narratives = {}
        for p in glob.glob(os.path.join(js, dept, "*.json")):
            tr = json.load(open(p, encoding="utf-8"))
            if not tr.get("tables") and tr.get("key_figures"):
                kf[tr["year"]] = tr["key_figures"]
                narratives[tr["year"]] = os.path.join("jiangsu", dept, os.path.basename(p))
        for year in (2018, 2019):
            name = "prior_year: %s %d" % (dept, year)
            if year not in kf or year - 1 not in kf:
                rep.skip(name, "no narrative truth for %d and %d" % (year - 1, year))
                continue
            mine = [c for c in checks if docs.get(c["document"], {}).get("json_file") == narratives[year]]
            why = []
            for figure in ("income_total", "expenditure_total"):
                want = kf[year][figure] - kf[year - 1][figure]
                rows = [c for c in mine if c["column"] == figure]
                if not rows:
                    why.append("no prior_year row for %s" % figure)
                elif not any(abs(float(c["expected"]) - want) < 0.005 and c["prior_document"] for c in rows):
                    why.append("%s: computed change %s, truth %.2f" % (figure, [c["expected"] for c in rows], want))
            # 一般公共预算收入: the statement's own subject
            gp = [c for c in mine if "一般公共" in (c["row"] or "") and "收入" in (c["row"] or "")]
            if not gp:
                why.append("no prior_year row for the 一般公共预算收入 statement")
            for c in gp:
                if abs(float(c["current_value"]) - float(c["prior_value"]) - float(c["expected"])) > 0.005:
                    why.append("一般公共预算收入: expected %s is not %s − %s" % (c["expected"], c["current_value"],
                                                                             c["prior_value"]))
            rep.ok(name, not why, "; ".join(why))


def synthetic(year, text, income, rows, prior=None):
    """A schema-2 document written here by hand: one expenditure table whose
    rows are (code, label, amount[, 上年 amount])."""
    cols = [{"path": ["科目编码"], "role": "code", "measure": None, "stage": None, "side": None, "key": None},
            {"path": ["科目名称"], "role": "label", "measure": None, "stage": None, "side": None, "key": None},
            {"path": ["%d年预算数" % year], "role": "amount", "measure": "total", "stage": None, "side": None,
             "key": "total"}]
    if prior:
        cols.append({"path": ["%d年预算数" % (year - 1)], "role": "amount", "measure": "total",
                     "stage": "prior_year", "side": None, "key": "total_prior_year"})
    recs = []
    for i, r in enumerate(rows):
        amounts = {"total": r[2]}
        if prior:
            amounts["total_prior_year"] = r[3]
        recs.append({"row": i, "side": None, "label": r[1], "codes": {"function": r[0], "economic_department": None,
                     "economic_government": None}, "level": 1, "parent": None, "total": False, "sub_unit": None,
                     "amounts": amounts})
    sha = ("%064x" % (year * 7919))[-64:]
    return {"schema_version": 2, "budgetpdf_version": "test", "source": {"file": "%d.pdf" % year, "sha256": sha,
            "pages": 1, "producer": None}, "unit": "测试单位", "unit_key": "测试单位", "year": year,
            "document_type": "部门预算", "summary": {"income_total": income, "expenditure_total": income},
            "tables": [{"number": 1, "title": "支出总表", "unit_of_measure": "万元", "to_wan": 1, "kind": "expenditure",
                        "basis": "budget", "pages": [1], "header_rows": [], "no_data": False, "notes": [],
                        "columns": cols, "records": recs, "rows": [list(r) for r in rows]}],
            "performance_targets": [], "sections": [{"heading": "说明", "text": text}], "checks": [], "warnings": []}


def test_prior_synthetic(rep, binary, tmp):
    """Statements that agree and statements that do not, in prose and in a 上年
    column, against a previous year written by hand: each is a prior_year row,
    ok or not as the arithmetic says."""
    if not wanted("prior_year: synthetic"):
        return
    d = os.path.join(tmp, "prior")
    os.makedirs(d)
    a = synthetic(2023, "测试单位2023年度收入、支出预算总计100.00万元。一般公共预算收入80.00万元，与上年相比增加1万元。",
                  100, [("201", "一般公共服务支出", 60), ("208", "社会保障和就业支出", 20)])
    b = synthetic(2024, "测试单位2024年度收入、支出预算总计130.00万元，与上年相比收、支预算总计各增加30.00万元。"
                  "（1）一般公共预算收入预算90.00万元，与上年相比增加15.00万元，增长18.75%。",
                  130, [("201", "一般公共服务支出", 70, 60), ("208", "社会保障和就业支出", 25, 25)], prior=True)
    for doc in (a, b):
        json.dump(doc, open(os.path.join(d, "%d.json" % doc["year"]), "w", encoding="utf-8"), ensure_ascii=False)
    rc, out, err = run([binary, "--export", d, "--csv", os.path.join(tmp, "prior-data")])
    rows = [c for c in csv_rows(os.path.join(tmp, "prior-data", "checks.csv")) if c["rule"] == "prior_year"]
    got = sorted((c["column"], float(c["expected"]), float(c["found"]), c["ok"]) for c in rows)
    want = sorted([("income_total", 30.0, 30.0, "true"), ("expenditure_total", 30.0, 30.0, "true"),
                   ("一般公共收入", 10.0, 15.0, "false"),          # 90 − 80 is 10, not the 15 stated
                   ("2023年预算数", 60.0, 60.0, "true"),            # row 201: 上年 60, 2023 printed 60
                   ("2023年预算数", 20.0, 25.0, "false")])          # row 208: 上年 25, 2023 printed 20
    rep.ok("prior_year: synthetic prose and 上年 columns, agreeing or not", rc == 0 and got == want,
           "exit %s %s; got %s, want %s" % (rc, err[:200], got, want))


def test_withheld_synthetic(rep, binary, tmp):
    """A failing identity the JSON marks may_be_withheld (a document that says
    it withholds items) is so in checks.csv; one it does not mark, and one
    that holds, are not."""
    if not wanted("checks: may_be_withheld"):
        return
    d = os.path.join(tmp, "withheld")
    os.makedirs(d)
    doc = synthetic(2024, "根据国家保密法律法规的规定，部分涉密事项在预算公开时予以剔除。", 100,
                    [("201", "一般公共服务支出", 100), ("20101", "人大事务", 60)])
    doc["withheld_statement"] = "根据国家保密法律法规的规定，部分涉密事项在预算公开时予以剔除。"

    def check(row, column, expected, found, withheld):
        k = {"table": 1, "table_index": 0, "rule": "children_sum", "row": row, "column": column,
             "expected": expected, "found": found, "ok": expected == found, "rounding": False,
             "tolerance": 0.01, "cells": [[0, 2], [1, 2]]}
        if withheld:
            k["may_be_withheld"] = True
        return k
    doc["checks"] = [check("201", "2024年预算数", 60, 100, True), check("201", "上年", 70, 50, False),
                     check("201", "小计", 100, 100, False)]
    json.dump(doc, open(os.path.join(d, "2024.json"), "w", encoding="utf-8"), ensure_ascii=False)
    rc, out, err = run([binary, "--export", d, "--csv", os.path.join(tmp, "withheld-data")])
    rows = [c for c in csv_rows(os.path.join(tmp, "withheld-data", "checks.csv")) if c["rule"] == "children_sum"]
    got = sorted((c["column"], c["ok"], c["may_be_withheld"]) for c in rows)
    want = sorted([("2024年预算数", "false", "true"), ("上年", "false", "false"), ("小计", "true", "false")])
    rep.ok("checks: may_be_withheld carried to checks.csv", rc == 0 and got == want,
           "exit %s %s; got %s, want %s" % (rc, err[:200], got, want))


def test_dedup(rep, binary, tmp):
    if not wanted("dedup"):
        return
    d = os.path.join(tmp, "dedup")
    os.makedirs(os.path.join(d, "in"))
    shutil.copy(os.path.join(FIX, "004.pdf"), os.path.join(d, "in", "a.pdf"))
    shutil.copy(os.path.join(FIX, "004.pdf"), os.path.join(d, "in", "b.pdf"))
    rc, out, err = run([binary, "-q", "-o", os.path.join(d, "out"), "--csv", os.path.join(d, "data"),
                        os.path.join(d, "in")])
    why = []
    docs = csv_rows(os.path.join(d, "data", "documents.csv"))
    tabs = csv_rows(os.path.join(d, "data", "tables.csv"))
    facts = csv_rows(os.path.join(d, "data", "facts.csv"))
    kept = {x["json_file"]: x for x in docs}
    if rc != 0 or len(docs) != 2:
        why.append("exit %s, %d documents" % (rc, len(docs)))
    elif kept["a.json"]["kept"] != "all" or kept["b.json"]["kept"] != "none" or "a.json" not in kept["b.json"]["kept_reason"]:
        why.append("documents kept %r/%r, reason %r" % (kept["a.json"]["kept"], kept["b.json"]["kept"],
                                                       kept["b.json"]["kept_reason"]))
    if {f["json_file"] for f in facts} != {"a.json"}:
        why.append("facts from %s" % sorted({f["json_file"] for f in facts}))
    dropped = [t for t in tabs if t["json_file"] == "b.json"]
    if not dropped or any(t["kept"] != "false" or not t["duplicate_of_document"] or not t["reason"] for t in dropped):
        why.append("b.json's tables not marked as duplicates")
    rep.ok("dedup: the same PDF twice is kept once, and documents.csv says why", not why, "; ".join(why))


def test_export_again(rep, binary, ds, tmp):
    if wanted("export: rebuild"):
        data2 = os.path.join(tmp, "data2")
        rc, out, err = run([binary, "--export", ds.dir, "--csv", data2, "--csv-bom"])
        why = []
        if rc != 0:
            why.append("exit %s: %s" % (rc, err[:300]))
        else:
            for name in ("facts", "documents", "tables", "checks", "indicators", "execution"):
                a = open(os.path.join(ds.data, name + ".csv"), "rb").read()
                b = open(os.path.join(data2, name + ".csv"), "rb").read()
                if not b.startswith(b"\xef\xbb\xbf") or b[3:] != a:
                    why.append("%s.csv differs (or has no BOM)" % name)
        rep.ok("export: --export rebuilds the same dataset (with --csv-bom a BOM)", not why, "; ".join(why))
    if wanted("export: resume another version"):
        d = os.path.join(tmp, "version")
        os.makedirs(d)
        pdf = os.path.join(FIX, "004.pdf")
        run([binary, "-q", "-o", d, pdf])
        out = os.path.join(d, "004.json")
        doc = json.load(open(out, encoding="utf-8"))
        version = doc.get("budgetpdf_version")
        doc["budgetpdf_version"] = "0.0.1-older"
        json.dump(doc, open(out, "w", encoding="utf-8"), ensure_ascii=False)
        run([binary, "-q", "-o", d, "--resume", pdf])
        again = json.load(open(out, encoding="utf-8"))
        r = json.load(open(os.path.join(d, "budgetpdf-report.json"), encoding="utf-8"))
        run([binary, "-q", "-o", d, "--resume", pdf])
        r2 = json.load(open(os.path.join(d, "budgetpdf-report.json"), encoding="utf-8"))
        rep.ok("export: --resume converts again an output of another version, skips its own",
               version and again.get("budgetpdf_version") == version and r["inputs"][0]["status"] == "converted"
               and r2["inputs"][0]["status"] == "skipped",
               "version %r, after resume %r, statuses %s / %s" % (version, again.get("budgetpdf_version"),
                                                                   r["inputs"][0]["status"], r2["inputs"][0]["status"]))


def test_self_evaluation(rep, ds):
    """The 绩效自评表 forms' execution rows and identities reach execution.csv
    and checks.csv as the JSON has them, row for row."""
    if not wanted("export: self-evaluation"):
        return
    exe = csv_rows(os.path.join(ds.data, "execution.csv"))
    chk = [c for c in csv_rows(os.path.join(ds.data, "checks.csv")) if c["form"] != ""]
    by_key = {(r["document"], int(r["form"]), int(r["row"])): r for r in exe}
    want_rows = want_checks = 0
    why = []
    for path in sorted(glob.glob(os.path.join(ds.dir, "**", "*.json"), recursive=True)):
        doc = json.load(open(path, encoding="utf-8"))
        if not isinstance(doc.get("performance_targets"), list):
            continue
        sha = doc["source"]["sha256"]
        for fi, form in enumerate(doc["performance_targets"]):
            for ri, r in enumerate(form.get("execution") or []):
                want_rows += 1
                got = by_key.get((sha, fi, ri))
                if got is None:
                    why.append("%s form %d row %d missing" % (os.path.basename(path), fi, ri))
                    continue
                for name in ("budget_initial_yuan", "budget_full_year_yuan", "executed_yuan", "balance_yuan"):
                    a, b = r.get(name), num(got[name])
                    if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-6):
                        why.append("%s form %d row %d %s: %r in the JSON, %r in the CSV" % (
                            os.path.basename(path), fi, ri, name, a, got[name]))
                for name in ("label", "source", "execution_rate", "weight", "score"):
                    if (r.get(name) or "") != got[name]:
                        why.append("%s form %d row %d %s: %r / %r" % (os.path.basename(path), fi, ri, name,
                                                                     r.get(name), got[name]))
            ck = form.get("checks") or []
            want_checks += len(ck)
            mine = [c for c in chk if c["document"] == sha and int(c["form"]) == fi]
            if sorted((c["rule"], c["column"], c["ok"]) for c in mine) != \
                    sorted((c["rule"], c["column"], "true" if c["ok"] else "false") for c in ck):
                why.append("%s form %d: %d checks in the JSON, %d in checks.csv" % (
                    os.path.basename(path), fi, len(ck), len(mine)))
    if len(exe) != want_rows or len(chk) != want_checks:
        why.append("%d execution rows and %d form checks in the CSVs, %d and %d in the JSON" % (
            len(exe), len(chk), want_rows, want_checks))
    if not want_checks:
        rep.skip("export: self-evaluation", "no 绩效自评表 among the outputs")
    else:
        rep.ok("export: 绩效自评表 execution rows (%d) and identities (%d) as in the JSON" % (want_rows, want_checks),
               not why, "\n".join(why[:12]))


def main():
    global ONLY, VERBOSE
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--only")
    ap.add_argument("--meaning", default=os.path.join(ROOT, "fixtures", "meaning"))
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    ONLY, VERBOSE = a.only, a.v
    binary = find_bin(a.bin)
    rep = Report()
    if not os.path.isdir(SHARED):
        print("note: ../shared is absent: only the fixtures are exported (corpus tests skipped)")
    tmp = tempfile.mkdtemp(prefix="budgetpdf-export-")
    try:
        test_usage(rep, binary, tmp)
        ds = Dataset(binary, tmp)
        san = sanitizer_report(ds.err)
        if not rep.ok("batch: -o DIR --csv --sqlite", ds.rc in (0, 1) and not san and
                      os.path.exists(os.path.join(ds.data, "facts.csv")) and os.path.exists(ds.db),
                      "exit %s: %s" % (ds.rc, san or ds.err[-600:])):
            return rep.close()
        test_report(rep, ds, binary, tmp)
        tables = test_package(rep, ds)
        facts = test_facts(rep, ds, a.meaning)
        test_sqlite(rep, ds, tables)
        test_readme(rep, ds, facts)
        test_prior_year(rep, ds)
        test_prior_synthetic(rep, binary, tmp)
        test_withheld_synthetic(rep, binary, tmp)
        test_dedup(rep, binary, tmp)
        test_export_again(rep, binary, ds, tmp)
        test_self_evaluation(rep, ds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.close()


if __name__ == "__main__":
    sys.exit(main())
