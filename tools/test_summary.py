#!/usr/bin/env python3
"""tools/test_summary.py - count test cases from Bazel build-event files.

Reads the --build_event_json_file of each `bazel test` run, opens the test.xml of every test
attempt Bazel reports, and counts GoogleTest cases: a case with <failure> or <error> failed, a
case marked skipped is counted as skipped (neither passed nor failed), any other case passed.
A test target that failed without a usable test.xml (crash, timeout, failed to build) counts as
one failure. Prints each failing case with the path of its target's test.log, then each skipped
case with the reason GTEST_SKIP() gave, then "N skipped" if any, then "N passed, N failed"
last. Exit status: 0 when nothing failed and at least one case ran.
"""
import json
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlparse, unquote


def events(path):
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    yield json.loads(line)
    except FileNotFoundError:
        print(f"test_summary: no build events in {path} (bazel did not run?)")
        yield {"_missing": path}


def skip_reason(case):
    """GoogleTest writes <skipped message="file:line&#x0A;Skipped&#x0A;reason">."""
    skipped = case.find("skipped")
    message = skipped.get("message", "") if skipped is not None else ""
    lines = [l.strip() for l in message.splitlines()[1:] if l.strip()]
    lines = [l for l in lines if l != "Skipped"]
    return " ".join(lines) or "(no reason given)"


def count_xml(path, label, tally, failures, skips, config, log):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return False
    cases = root.iter("testcase")
    seen = False
    for case in cases:
        seen = True
        name = f"{label} {case.get('classname', '')}.{case.get('name', '')} [{config}]"
        if case.find("failure") is not None or case.find("error") is not None:
            tally["failed"] += 1
            failures.append(f"{name} (log: {log})")
        elif case.get("result") == "skipped" or case.find("skipped") is not None:
            tally["skipped"] += 1
            skips.append(f"{name}: {skip_reason(case)}")
        else:
            tally["passed"] += 1
    return seen


def main(paths):
    tally = {"passed": 0, "failed": 0, "skipped": 0}
    failures, skips = [], []
    for path in paths:
        config = "asan" if "asan" in path else "default"
        results = {}
        exit_code = None
        failed_before = tally["failed"]
        for ev in events(path):
            if "buildFinished" in ev.get("id", {}):
                exit_code = ev.get("finished", {}).get("exitCode", {}).get("name", "SUCCESS")
            if "_missing" in ev:
                tally["failed"] += 1
                failures.append(f"{path}: bazel produced no results")
                continue
            eid = ev.get("id", {})
            if "testResult" in eid:
                label = eid["testResult"]["label"]
                tr = ev.get("testResult", {})
                xml = log = None
                for out in tr.get("testActionOutput", []):
                    if out.get("name") == "test.xml":
                        xml = unquote(urlparse(out["uri"]).path)
                    elif out.get("name") == "test.log":
                        log = unquote(urlparse(out["uri"]).path)
                results.setdefault(label, []).append((tr.get("status", "NO_STATUS"), xml, log))
            elif "testSummary" in eid:
                label = eid["testSummary"]["label"]
                status = ev.get("testSummary", {}).get("overallStatus", "NO_STATUS")
                if label not in results and status != "PASSED":
                    results[label] = [(status, None, None)]
            elif "targetCompleted" in eid and (
                    "aborted" in ev or ev.get("completed", {}).get("success") is not True):
                # proto3 JSON omits "success": false; any target that did not build counts
                label = eid["targetCompleted"]["label"]
                results.setdefault(label, [("FAILED_TO_BUILD", None, None)])
        for label, attempts in sorted(results.items()):
            status, xml, log = attempts[-1]
            where = f"log: {log}" if log else f"see the bazel log beside {path}"
            counted = xml is not None and count_xml(xml, label, tally, failures, skips, config,
                                                    log)
            if status != "PASSED" and not counted:
                tally["failed"] += 1
                failures.append(f"{label} [{config}]: {status} ({where})")
            elif status != "PASSED" and not any(f.startswith(label) for f in failures):
                tally["failed"] += 1
                failures.append(f"{label} [{config}]: {status}, crashed or timed out ({where})")
        if exit_code not in ("SUCCESS", "TESTS_FAILED") and tally["failed"] == failed_before:
            # loading or analysis failed before any target could report (e.g. a broken BUILD)
            tally["failed"] += 1
            failures.append(f"{path}: bazel ended with {exit_code}")
    for f in failures:
        print(f"FAILED: {f}")
    for s in skips:
        print(f"SKIPPED: {s}")
    if tally["skipped"]:
        print(f"{tally['skipped']} skipped")
    print(f"{tally['passed']} passed, {tally['failed']} failed")
    return 0 if tally["failed"] == 0 and tally["passed"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
