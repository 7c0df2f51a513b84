"""The shape of a benchmark figure, the table on stdout and bench/results.json."""

import json
import os
import subprocess
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


def write(results: list[Result]) -> None:
    document = {
        "cpu_count": os.cpu_count(),
        "commit": commit(),
        "results": [r.as_dict() for r in results],
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")


def report(results: list[Result]) -> None:
    print(table(results), flush=True)
