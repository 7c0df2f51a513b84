"""Small measuring tools shared by the benchmarks: percentiles, a process's memory."""

import resource
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of values, nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))
    return ordered[rank]


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def rss_mb(pid: int) -> float:
    """The resident memory of a process now, in MB (VmRSS)."""
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    """The highest resident memory a process has had, in MB (VmHWM)."""
    return _status_kb(pid, "VmHWM") / 1024


def raise_open_files_limit() -> int:
    """Lift this process's (and its children's) open-files limit to the hard limit: thousands
    of sockets, each a file descriptor on both ends."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard
