#!/usr/bin/python3
"""Validate budgetpdf output against schema/budgetpdf.schema.json.

usage: validate_schema.py FILE.json...      (exit 0 when every file is valid)

Also a module for tests/run_golden.py and tests/run_corpus.py: problems(doc)
returns a list of messages, empty when doc is valid.  Besides the schema it
checks what JSON Schema cannot say: every row of a table has the same number
of cells.

Needs Debian's python3-jsonschema (run with /usr/bin/python3).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_PATH = os.path.join(ROOT, "schema", "budgetpdf.schema.json")

try:
    import jsonschema
except ImportError:  # pragma: no cover - environment problem, said plainly
    sys.stderr.write("validate_schema: the jsonschema module is missing for %s; "
                     "install Debian's python3-jsonschema (make deps) and run with "
                     "/usr/bin/python3\n" % sys.executable)
    sys.exit(2)

_validator = None


def schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def undescribed(node, path=""):
    """Paths of the properties in the schema that have no description (every
    property must say what it means; schema_version 2)."""
    out = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if not (isinstance(sub, dict) and isinstance(sub.get("description"), str) and sub["description"].strip()):
                out.append("%s/properties/%s" % (path, name))
        for k, v in node.items():
            out += undescribed(v, "%s/%s" % (path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += undescribed(v, "%s/%d" % (path, i))
    return out


def validator():
    """The Draft 2020-12 validator for the schema (checked once; a property
    without a description is an error in the schema)."""
    global _validator
    if _validator is None:
        s = schema()
        jsonschema.Draft202012Validator.check_schema(s)
        missing = undescribed(s)
        if missing:
            raise ValueError("schema: properties without a description: " + ", ".join(missing))
        _validator = jsonschema.Draft202012Validator(s)
    return _validator


def _path(p):
    return "/" + "/".join(str(x) for x in p)


def problems(doc, limit=10):
    """Messages for everything wrong with doc (schema and row widths)."""
    out = []
    errs = sorted(validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errs[:limit]:
        out.append("schema: at %s: %s" % (_path(e.absolute_path), e.message[:300]))
    if len(errs) > limit:
        out.append("schema: ... and %d more errors" % (len(errs) - limit))
    tables = doc.get("tables") if isinstance(doc, dict) else None
    for ti, t in enumerate(tables if isinstance(tables, list) else []):
        rows = t.get("rows") if isinstance(t, dict) else None
        if not isinstance(rows, list):
            continue
        widths = [len(r) for r in rows if isinstance(r, list)]
        if widths and len(set(widths)) > 1:
            w0 = widths[0]
            bad = next(i for i, w in enumerate(widths) if w != w0)
            out.append("row width: table %s (tables[%d], %r): row 0 has %d cells, row %d has %d"
                       % (t.get("number"), ti, t.get("title"), w0, bad, widths[bad]))
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    bad = 0
    for path in argv:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("FAIL %s: %s" % (path, e))
            bad += 1
            continue
        msgs = problems(doc)
        if msgs:
            bad += 1
            print("FAIL %s" % path)
            for m in msgs:
                print("    " + m)
        else:
            print("ok   %s" % path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
