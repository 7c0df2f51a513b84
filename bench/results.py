"""The shape of a benchmark figure, the table on stdout and bench/results.json."""

import json
import os
import subprocess
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    reference: str
    reference_value: float | None
    goal: str
    met: bool

    @property
    def ratio(self) -> float | None:
        if not self.reference_value:
            return None
        return round(self.value / self.reference_value, 3)

    def as_dict(self) -> dict:
        return {**asdict(self), "value": round(self.value, 3), "ratio": self.ratio}


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def table(results: list[Result]) -> str:
    rows = [("name", "value", "unit", "reference", "ref value", "ratio", "goal", "met")]
    for r in results:
        rows.append(
            (
                r.name,
                f"{r.value:.3f}",
                r.unit,
                r.reference,
                "" if r.reference_value is None else f"{r.reference_value:.3f}",
                "" if r.ratio is None else f"{r.ratio:.3f}",
                r.goal,
                "yes" if r.met else "NO",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write(results: list[Result], path: Path = RESULTS, machine: dict | None = None) -> None:
    """Write the figures, with what the machine did during each benchmark (bench/machine.py)
    when it was watched."""
    document = {
        "cpu_count": os.cpu_count(),
        "commit": commit(),
        "results": [r.as_dict() for r in results],
        "machine": {name: asdict(spent) for name, spent in (machine or {}).items()},
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def report(results: list[Result]) -> None:
    print(table(results), flush=True)


def attempt(name: str, measure: Callable[[], list[Result]]) -> list[Result]:
    """Measure; a measurement that cannot run (a missing engine, a crash) is printed and
    reported as a failed row, so that the others still run."""
    try:
        return measure()
    except Exception:
        traceback.print_exc()
        return [Result(name, 0.0, "-", "failed (traceback above)", None, "runs", False)]


def failed(results: list[Result]) -> bool:
    return any(r.reference.startswith("failed") for r in results)
