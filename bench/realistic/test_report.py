"""bench/realistic/report.py: a complete run is reported and passes; a failed page request
or a measurement missing from the run's plan fails it (after the report is written); the
section replaces its previous version in RESULTS.md and leaves the rest alone.

    python3 bench/realistic/test_report.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPORT = Path(__file__).resolve().parent / "report.py"
META = {
    "date": "2026-01-01 00:00 UTC",
    "commit": "abc1234",
    "machine": {"nproc": "2"},
    "settings": {"rtts": "10", "tls": "1.3", "users": "8", "seconds": "5", "workers": "8"},
}


def step(stack: str, client: str, tls: str | None, rtt: int | None, **extra: object) -> dict:
    r = {
        "stack": stack,
        "client": client,
        "tls": tls,
        "rtt_ms": rtt,
        "users": 8,
        "first_step": True,
        "seconds": 5,
        "processes": 9,
        "cpu_s": 1.0,
        "machine_busy": 0.5,
        "wrk": {
            "n": 1000,
            "rate": 200.0,
            "errors": {},
            "p50_us": 11000.0,
            "p90_us": 12000.0,
            "p99_us": 15000.0,
        },
        "calls": {"n": 992, "p50_us": 10400.0, "p90_us": 10800.0, "p99_us": 12000.0},
        "firsts_us": [31000, 32000],
        "upstream": {
            "requests": 1000,
            "new_connections": 8,
            "full_handshakes": 8,
            "resumed": 0,
            "connections": 8,
            "protocols": {"TLSv1.3": 8},
            "statuses": {"200": 1000},
        },
        "proxy": {
            "chunks": 4000,
            "late_mean_us": 20.0,
            "late_bounds_us": [1000],
            "late_hist": [4000, 0],
        },
    }
    if tls is None:
        r.update(
            calls={"n": 992, "p50_us": 0.0, "p90_us": 0.0, "p99_us": 0.0},
            wrk={**r["wrk"], "p50_us": 600.0},
        )
        del r["upstream"], r["proxy"]
    r.update(extra)
    return r


def complete() -> list[dict]:
    out = []
    for stack, clients in {
        "php-fpm": ["sdk", "curl", "curl_share"],
        "gunicorn": ["sdk", "requests_post", "requests_session", "httpx"],
        "uvicorn": ["sdk_async", "httpx_async"],
        "express": ["sdk", "fetch", "axios"],
    }.items():
        out.append(step(stack, "none", None, None))
        out += [step(stack, c, "1.3", 10) for c in clients]
    return out


CALIBRATION = {
    "link": "proxy, RTT 10 ms, TLS 1.3",
    "tls": "1.3",
    "rtt_ms": 10,
    "runs": 5,
    "first": {"connect_ms": 0.2, "appconnect_ms": 20.5, "starttransfer_ms": 31.0, "total_ms": 31.0},
    "again": {"total_ms": 10.3},
}


def report(
    records: list[dict], existing: str | None = None
) -> tuple[subprocess.CompletedProcess[str], str]:
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp)
        (run / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
        (run / "calibration.jsonl").write_text(json.dumps(CALIBRATION) + "\n")
        (run / "meta.json").write_text(json.dumps(META))
        out = run / "RESULTS.md"
        if existing is not None:
            out.write_text(existing)
        done = subprocess.run(
            [sys.executable, str(REPORT), str(run), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        return done, out.read_text()


class Report(unittest.TestCase):
    def test_a_complete_run_passes_and_states_the_goal(self) -> None:
        done, text = report(complete())
        self.assertEqual(done.returncode, 0, done.stderr)
        # 10.4 ms calls on a 10 ms RTT: 1.04 RTT, within the goal's 1.1.
        self.assertIn(
            "| PHP-FPM | TLS 1.3, 10 ms | 1.04 / 1.20 | met | 3.20 / 3.20 RTT | TLSv1.3 ×8 | 8 / 0 |",
            text,
        )
        # (11000 - 600) µs added on a 10 ms RTT.
        self.assertIn("1.04 / 1.20 | 1.04 / 0.00 | 200 (50 %) |", text)

    def test_a_call_over_the_goal_is_missed(self) -> None:
        records = [
            step(
                r["stack"],
                r["client"],
                r["tls"],
                r["rtt_ms"],
                calls={"n": 9, "p50_us": 12000.0, "p99_us": 13000.0},
            )
            if (r["stack"], r["client"], r["tls"]) == ("express", "sdk", "1.3")
            else r
            for r in complete()
        ]
        done, text = report(records)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("| Express | TLS 1.3, 10 ms | 1.20 / 1.30 | **missed** |", text)

    def test_a_busy_machine_is_said(self) -> None:
        _, calm = report(complete())
        self.assertNotIn("CPUs were", calm)
        _, busy = report([{**r, "machine_busy": 0.97} for r in complete()])
        self.assertIn("**The machine's CPUs were 97 % busy during the median step", busy)

    def test_a_failed_page_fails_the_run(self) -> None:
        records = complete()
        records[2]["error"] = "wrk counted errors: {'status': 2}"
        done, text = report(records)
        self.assertEqual(done.returncode, 1)
        self.assertIn("php-fpm curl (TLS 1.3, RTT 10 ms), 8 users: wrk counted errors", done.stderr)
        self.assertIn("### Failures", text)

    def test_a_missing_measurement_fails_the_run(self) -> None:
        records = [r for r in complete() if (r["stack"], r["client"]) != ("uvicorn", "sdk_async")]
        done, _ = report(records)
        self.assertEqual(done.returncode, 1)
        self.assertIn("not measured: uvicorn sdk_async (TLS 1.3, RTT 10 ms), 8 users", done.stderr)

    def test_the_section_replaces_its_old_version_and_keeps_the_rest(self) -> None:
        begin = "<!-- realistic:begin: written by bench/realistic/run.sh, kept by bench/run.sh -->"
        old = f"# Results\n\nintro\n\n{begin}\nold figures\n<!-- realistic:end -->\n"
        old += "\n## Machine and settings\nrest\n"
        done, text = report(complete(), existing=old)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn("old figures", text)
        self.assertTrue(text.startswith("# Results\n\nintro\n\n" + begin + "\n## Real shape"))
        self.assertTrue(text.endswith("<!-- realistic:end -->\n\n## Machine and settings\nrest\n"))

    def test_a_results_file_without_the_section_gets_it_before_the_machine(self) -> None:
        done, text = report(
            complete(), existing="# Results\n\nintro\n\n## Machine and settings\nrest\n"
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertLess(text.index("## Real shape"), text.index("## Machine and settings"))


if __name__ == "__main__":
    unittest.main()
