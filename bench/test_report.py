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


def report(records: list[dict], existing: str | None = None) -> subprocess.CompletedProcess[str]:
    """Runs report.py on these records; the result's .written is the report's text."""
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp)
        (run / "static-node.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        if existing is not None:
            (run / "RESULTS.md").write_text(existing)
        done = subprocess.run(
            [sys.executable, str(REPORT), str(run), str(run / "RESULTS.md")],
            capture_output=True,
            text=True,
            check=False,
        )
        done.written = (run / "RESULTS.md").read_text()
        return done


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


class RealShapeSection(unittest.TestCase):
    def test_the_section_of_bench_realistic_is_kept(self) -> None:
        section = (
            "<!-- realistic:begin: written by bench/realistic/run.sh, kept by bench/run.sh -->\n"
            "## Real shape: HTTPS with latency\n\nfigures\n<!-- realistic:end -->\n"
        )
        old = f"# Cashi SDK benchmarks: results\n\nold intro\n\n{section}\n## Machine and settings\nold\n"
        text = report([], existing=old).written
        self.assertIn(section, text)
        self.assertNotIn("old intro", text)
        self.assertLess(text.index(section), text.index("## Machine and settings"))
        self.assertEqual(text.count("## Real shape"), 1)


if __name__ == "__main__":
    unittest.main()
