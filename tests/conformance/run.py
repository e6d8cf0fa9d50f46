#!/usr/bin/env python3
"""Runs tests/conformance/scenarios.json (and the vectors of tests/vectors/) through every language's
runner against one sandbox, prints a matrix scenario x language, and fails on any
difference from the expected outcome or between languages.

    run.py --runner rust=PATH/cashi-conformance-runner --runner python="VENV/bin/python runners/runner.py" ...

Each language's test script runs its own column against the package as users install it;
with CASHI_CONFORMANCE_DIR set, each run also writes its column there as LANGUAGE.json, and

    run.py --matrix DIR

prints the whole matrix from those files and fails on any failed cell, any scenario a
language did not run, and any scenario whose outcome (success, or the error code and HTTP
status) differs between languages.

A runner reads one JSON request per line on stdin ({"client": {...}, "call": {...}}) and
answers one JSON line: {"ok": true, "value": {...}} or {"ok": false, "error": CODE,
"http_status": N|null}. A batch op (check_statuses, create_orders) answers {"ok": true,
"value": {"items": [...]}}, one such answer per item in the items' order, or a single
{"ok": false, ...} when the whole batch is refused. Setup steps (orders, payments, faults, clock) are done here, over
HTTP, so runners stay a thin loop over their SDK's public API.
"""
import argparse
import base64
import json
import os
import pathlib
import shlex
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
KEY = "CASHI-CONFORMANCE1"
SECRET = "sk_c0nf0rmance0000000000000000000000"


class Sandbox:
    def __init__(self, binary):
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--api-key", KEY, "--webhook-secret", SECRET, "--quiet",
             "--webhook-url", "http://127.0.0.1:9/unreachable"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"sandbox did not start: {line!r}")
        self.origin = line[len("listening on "):]
        self.base_url = self.origin + "/api"

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers={"x-api-key": KEY, "content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: HTTP {e.code} {e.read()[:200]!r}") from None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Runner:
    def __init__(self, name, command):
        self.name = name
        env = {k: v for k, v in os.environ.items() if k not in ("CASHI_API_KEY", "CASHI_BASE_URL")}
        self.proc = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env, cwd=HERE)

    def ask(self, client, call):
        self.proc.stdin.write(json.dumps({"client": client, "call": call}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"runner {self.name} exited (code {self.proc.poll()})")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def substitute(value, vars):
    """Replaces {id} in strings, "$amount" / "$amount-N" / "$amount+N" as whole values, and
    {"$repeat": x, "times": n} by a list of n copies of x."""
    if isinstance(value, str):
        if value.startswith("$amount"):
            rest = value[len("$amount"):]
            return vars["amount"] + (int(rest) if rest else 0)
        return value.replace("{id}", vars["id"])
    if isinstance(value, list):
        return [substitute(v, vars) for v in value]
    if isinstance(value, dict):
        if "$repeat" in value:
            return [substitute(value["$repeat"], vars)] * value["times"]
        return {k: substitute(v, vars) for k, v in value.items()}
    return value


def setup(sandbox, steps, vars):
    for step in steps:
        (kind, args), = step.items()
        args = substitute(args, vars)
        if kind == "create":
            order = sandbox.control("POST", "/create-order", args)
            vars["amount"] = int(order["amount"])
        elif kind == "pay":
            oid = urllib.parse.quote(args["order_id"], safe="")
            body = {"amount": args["amount"]} if "amount" in args else {}
            sandbox.control("POST", f"/sandbox/orders/{oid}/pay", body)
        elif kind == "expire":
            sandbox.control("POST", f"/sandbox/orders/{urllib.parse.quote(args['order_id'], safe='')}/expire", {})
        elif kind == "advance":
            sandbox.control("POST", "/sandbox/clock/advance", args)
        elif kind == "fault":
            sandbox.control("POST", "/sandbox/faults", args)
        elif kind == "delivery":
            deliveries = sandbox.control("GET", "/sandbox/webhooks?order_id=" + urllib.parse.quote(args["order_id"]))
            vars["delivery"] = deliveries["deliveries"][-1]
        elif kind == "test_webhook":
            vars["delivery"] = sandbox.control("POST", "/sandbox/test-webhook", {})["delivery"]
        else:
            raise ValueError(f"unknown setup step {kind}")


def vector_scenarios():
    out = []
    for file in ("webhook_signatures.json", "webhook_payloads.json"):
        for case in json.loads((ROOT / "tests/vectors" / file).read_text())["cases"]:
            call = {"op": "webhook_verify", "secrets": case["secrets"], "signature": case["signature"]}
            for key in ("body", "body_base64", "body_pattern"):
                if key in case:
                    call[key] = case[key]
            exp = case["expect"]
            expect = ({"ok": True, "fields": exp["event"]} if exp["ok"]
                      else {"ok": False, "error": exp["error"]})
            out.append({"name": f"vector: {case['name']}", "group": "webhooks", "call": call, "expect": expect})
    # Each API answer of responses.json, served byte for byte by the sandbox's `respond` fault.
    for case in json.loads((ROOT / "tests/vectors/responses.json").read_text())["cases"]:
        request, endpoint, exp = case["request"], case["endpoint"], case["expect"]
        if endpoint == "create-order":
            call = {"op": "create_order", **{k: v for k, v in request.items()}}
        else:
            call = {"op": "check_status", "order_id": request["order_id"]}
        fault = {"kind": "respond", "path": endpoint, "status": case["http_status"], "body": case["body"]}
        expect = {"ok": True, "fields": exp} if "error" not in exp else {"ok": False, **exp}
        out.append({"name": f"vector: {case['name']}", "group": "answers", "client": {"max_retries": 0},
                    "setup": [{"fault": fault}], "call": call, "expect": expect})
    return out


def check(expect, got, vars):
    """Returns a list of differences (empty when the outcome is as expected)."""
    if expect["ok"] != got.get("ok"):
        return [f"expected {'success' if expect['ok'] else expect['error']}, got {got}"]
    if not expect["ok"]:
        diffs = []
        if got.get("error") != expect["error"]:
            diffs.append(f"error {got.get('error')} != {expect['error']}")
        if "http_status" in expect and got.get("http_status") != expect["http_status"]:
            diffs.append(f"http_status {got.get('http_status')} != {expect['http_status']}")
        if "message_contains" in expect and expect["message_contains"] not in (got.get("message") or ""):
            diffs.append(f"message {got.get('message')!r} does not contain {expect['message_contains']!r}")
        return diffs
    value = got.get("value", {})
    if "items" in expect:
        # A batch: one outcome per item, in the items' order, each checked as a single call's.
        items = value.get("items") if isinstance(value, dict) else None
        if not isinstance(items, list) or len(items) != len(expect["items"]):
            count = len(items) if isinstance(items, list) else items
            return [f"expected {len(expect['items'])} items, got {count!r}"]
        return [f"item {i}: {d}" for i, (e, g) in enumerate(zip(expect["items"], items)) for d in check(e, g, vars)]
    return [f"{k}: {value.get(k)!r} != {v!r}" for k, v in substitute(expect.get("fields", {}), vars).items()
            if value.get(k) != v]


def check_received(sandbox, call, want):
    """Compares the sandbox's record of the order the call created with `want` (fields of
    GET /api/sandbox/orders/{id}: what the sandbox received)."""
    record = sandbox.control("GET", "/sandbox/orders/" + urllib.parse.quote(call["order_id"], safe=""))["order"]
    return [f"sandbox received {k}: {record.get(k)!r} != {v!r}" for k, v in want.items() if record.get(k) != v]


def outcome(result):
    """What must be identical across languages: success, or the error code and HTTP status."""
    if result is None:
        return None
    if result.get("ok"):
        items = (result.get("value") or {}).get("items") if isinstance(result.get("value"), dict) else None
        if isinstance(items, list):
            return "ok[" + ", ".join(outcome(item) for item in items) + "]"
        return "ok"
    return f"{result.get('error')}/{result.get('http_status')}"


def print_matrix(names, matrix, failures):
    width = max(len(name) for name, _ in matrix)
    print(f"{'scenario':<{width}}  " + "  ".join(f"{n:>6}" for n in names))
    for name, row in matrix:
        print(f"{name:<{width}}  " + "  ".join(f"{row.get(n, '-'):>6}" for n in names))
    for name, lang, diffs in failures:
        print(f"FAIL [{lang}] {name}: " + "; ".join(diffs))
    cells = len(matrix) * len(names)
    print(f"conformance: {cells - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def merged_matrix(directory):
    columns = {}
    for path in sorted(pathlib.Path(directory).glob("*.json")):
        column = json.loads(path.read_text())
        columns[column["language"]] = column
    if not columns:
        print(f"no conformance results in {directory}")
        return 1
    names = list(columns)
    scenarios = []
    for column in columns.values():
        for name in column["order"]:
            if name not in scenarios:
                scenarios.append(name)
    matrix, failures = [], []
    for scenario in scenarios:
        row = {}
        for lang in names:
            cell = columns[lang]["cells"].get(scenario)
            if cell is None:
                row[lang] = "-"
                failures.append((scenario, lang, ["not run"]))
            else:
                row[lang] = cell["mark"]
                if cell["mark"] != "ok":
                    failures.append((scenario, lang, cell["diffs"]))
        seen = {lang: columns[lang]["cells"][scenario]["outcome"] for lang in names if scenario in columns[lang]["cells"]}
        if len(set(seen.values())) > 1:
            failures.append((scenario, "all", [f"languages differ: {seen}"]))
        matrix.append((scenario, row))
    return print_matrix(names, matrix, failures)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", action="append", default=[], help="NAME=COMMAND")
    parser.add_argument("--matrix", metavar="DIR", help="print the matrix from the columns saved in DIR")
    parser.add_argument("--sandbox", default=os.environ.get("CASHI_SANDBOX_BIN", str(ROOT / "target/debug/cashi-sandbox")))
    parser.add_argument("--only", help="run scenarios whose name contains this")
    args = parser.parse_args()
    if args.matrix:
        return merged_matrix(args.matrix)
    if not args.runner:
        parser.error("give at least one --runner, or --matrix DIR")

    scenarios = json.loads((HERE / "scenarios.json").read_text())["scenarios"] + vector_scenarios()
    if args.only:
        scenarios = [s for s in scenarios if args.only in s["name"]]
    sandbox = Sandbox(args.sandbox)
    runners = [Runner(*spec.split("=", 1)) for spec in args.runner]
    names = [r.name for r in runners]
    matrix, failures = [], []
    cells = {name: {} for name in names}
    try:
        for n, scenario in enumerate(scenarios):
            row = {}
            outcomes = {}
            for li, runner in enumerate(runners):
                vars = {"id": f"C{li:02d}-{n:06d}", "amount": 0}
                try:
                    setup(sandbox, scenario.get("setup", []), vars)
                    client = {"api_key": KEY, "base_url": sandbox.base_url, "max_retries": 2, "timeout_ms": 10000}
                    client.update(substitute(scenario.get("client", {}), vars))
                    call = substitute(scenario["call"], vars)
                    if call.get("from_delivery"):
                        d = vars["delivery"]
                        call = {"op": "webhook_verify", "secrets": [SECRET], "body": d["body"], "signature": d["signature"]}
                    if call.pop("event_from_delivery", False):
                        d = vars["delivery"]
                        call["event"] = {"secrets": [SECRET], "body": d["body"], "signature": d["signature"]}
                    results = [runner.ask(client, call) for _ in range(scenario["call"].get("times", 1))]
                    diffs = [d for r in results for d in check(scenario["expect"], r, vars)]
                    if "received" in scenario["expect"] and not diffs:
                        diffs = check_received(sandbox, call, substitute(scenario["expect"]["received"], vars))
                    outcomes[runner.name] = results[0]
                except Exception as e:  # a crashed runner or setup is a failure of this cell
                    diffs = [f"{type(e).__name__}: {e}"]
                row[runner.name] = "ok" if not diffs else "FAIL"
                cells[runner.name][scenario["name"]] = {"mark": row[runner.name], "diffs": diffs,
                                                        "outcome": outcome(outcomes.get(runner.name))}
                if diffs:
                    failures.append((scenario["name"], runner.name, diffs))
                sandbox.control("DELETE", "/sandbox/faults")
            matrix.append((scenario["name"], row))
    finally:
        for r in runners:
            try:
                r.close()
            except Exception:
                r.proc.kill()
        sandbox.stop()

    out_dir = os.environ.get("CASHI_CONFORMANCE_DIR")
    if out_dir:
        pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)
        for name in names:
            column = {"language": name, "order": [s["name"] for s in scenarios], "cells": cells[name]}
            (pathlib.Path(out_dir) / f"{name}.json").write_text(json.dumps(column, ensure_ascii=False))
    return print_matrix(names, matrix, failures)


if __name__ == "__main__":
    sys.exit(main())
