"""Reads a JUnit report with real consumers and prints what each of them saw, as JSON.

Usage: python3 read_junit.py REPORT.xml HTML_OUT
  junitparser  (PyPI): per-suite counts, every testcase's name, classname, result, message;
  xunitparser  (PyPI): the unittest-style result (tests run, failures, errors, skipped);
  junit2html   (PyPI): renders REPORT.xml to HTML_OUT (its exit status and output are checked).
The packages come from tests/consumers/python (scripts/setup.sh installs them there).
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "python"))

import junitparser  # noqa: E402
import xunitparser  # noqa: E402

report, html_out = sys.argv[1], sys.argv[2]

seen = {"junitparser": {"suites": [], "cases": []}}
xml = junitparser.JUnitXml.fromfile(report)
for suite in xml:
    props = [(p.name, p.value) for p in suite.properties()]
    seen["junitparser"]["suites"].append({
        "name": suite.name, "tests": suite.tests, "failures": suite.failures,
        "errors": suite.errors, "skipped": suite.skipped,
        "timestamp": suite.timestamp, "hostname": suite.hostname,
        "properties": len(props),
    })
    for case in suite:
        results = [{"kind": type(r).__name__.lower(), "type": r.type, "message": r.message,
                    "text": r.text or ""} for r in case.result]
        seen["junitparser"]["cases"].append({
            "name": case.name, "classname": case.classname, "results": results,
        })

with open(report, "rb") as f:
    _suite, result = xunitparser.parse(f)
seen["xunitparser"] = {
    "tests_run": result.testsRun, "failures": len(result.failures),
    "errors": len(result.errors), "skipped": len(result.skipped),
    "failure_messages": sorted(tc.message or "" for tc, _ in result.failures),
}

env = dict(os.environ, PYTHONPATH=os.path.join(HERE, "python"))
r = subprocess.run([sys.executable, "-m", "junit2htmlreport", report, html_out],
                   env=env, capture_output=True, text=True)
seen["junit2html"] = {"exit": r.returncode, "stderr": r.stderr[-2000:]}
print(json.dumps(seen))
