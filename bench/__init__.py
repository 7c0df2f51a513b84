"""Benchmarks: each figure with its reference measured in the same run, as a ratio.

Each module bench/<name>.py has `run() -> list[Result]` and runs alone with
`python -m bench.<name>`; `python -m bench` (make bench) runs them all and writes
bench/results.json. Load clients are separate processes talking to loopback servers only,
with bounded counts and time.
"""
