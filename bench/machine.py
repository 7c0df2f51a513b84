"""What the machine did while a benchmark ran: how busy its CPUs were, how much of their
time the hypervisor took for other guests (steal), and the load average at each end.

On this project's virtual machines steal rose to 30-40% of CPU time under load, with
nothing else running in the guest: the same build's absolute figures (ms, messages/s)
then fall while its ratios to a reference measured in the same run hold. A run's figures
are only comparable with another's next to these."""

import os
from dataclasses import dataclass
from pathlib import Path

# /proc/stat's first line: cpu user nice system idle iowait irq softirq steal (guest time
# is already counted in user).
FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def cpu_times(stat: Path = Path("/proc/stat")) -> dict[str, int]:
    """The machine's CPU time so far, in clock ticks, by kind (zeros off Linux)."""
    try:
        first = stat.read_text().splitlines()[0].split()
    except OSError:
        return dict.fromkeys(FIELDS, 0)
    return dict(zip(FIELDS, map(int, first[1 : 1 + len(FIELDS)]), strict=False))


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


@dataclass
class Account:
    busy: float  # share of the CPUs' time spent running something (this guest's work)
    steal: float  # share the hypervisor gave to other guests
    load_before: float
    load_after: float

    def __str__(self) -> str:
        return (
            f"CPUs busy {self.busy:.0%}, stolen {self.steal:.0%}, "
            f"load {self.load_before:.2f} -> {self.load_after:.2f}"
        )


def account(before: dict[str, int], after: dict[str, int], loads: tuple[float, float]) -> Account:
    spent = {kind: after[kind] - before[kind] for kind in FIELDS}
    total = sum(spent.values()) or 1
    working = spent["user"] + spent["nice"] + spent["system"] + spent["irq"] + spent["softirq"]
    return Account(working / total, spent["steal"] / total, *loads)


class Watch:
    """`with Watch() as watch: ...; watch.account` for what happened in the block."""

    def __enter__(self):
        self.load_before, self.before = load_average(), cpu_times()
        return self

    def __exit__(self, *exc):
        loads = (self.load_before, load_average())
        self.account = account(self.before, cpu_times(), loads)
