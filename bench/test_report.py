"""report.py refuses a run that is not a result: a failed call, or a figure not measured.
The test command's short bench run covers a complete run; these cover the two failures.

    python3 bench/test_report.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPORT = Path(__file__).resolve().parent / "report.py"


def report(records: list[dict]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp)
        (run / "static-node.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        return subprocess.run(
            [sys.executable, str(REPORT), str(run), str(run / "RESULTS.md")],
            capture_output=True,
            text=True,
            check=False,
        )


class Incomplete(unittest.TestCase):
    def test_a_failed_call_fails_the_run(self) -> None:
        failed = {
            "lang": "node",
            "target": "static",
            "figure": "seq",
            "client": "sdk",
            "op": "create",
            "n": 99,
            "errors": 1,
            "rate": 1000.0,
            "p50_us": 100.0,
            "p99_us": 200.0,
        }
        done = report([failed])
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("node static seq sdk create: 1 calls failed", done.stderr)

    def test_a_figure_not_measured_fails_the_run(self) -> None:
        done = report([])
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("not measured: Rust core / reqwest::Client + serde", done.stderr)
        self.assertIn("not measured: binding ≤ 1.05× core latency", done.stderr)


if __name__ == "__main__":
    unittest.main()
