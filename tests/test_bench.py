"""The benchmarks' scripts run and write results.json in the shape the issue asks for.

Their figures are never asserted: performance is measured by `make bench`, not by tests.
"""

import json

from bench import screenshot_pipeline
from bench.machine import Watch, account, cpu_times
from bench.results import write

FIELDS = {"name", "value", "unit", "reference", "reference_value", "ratio", "goal", "met"}


def test_it_runs_the_cheapest_benchmark_and_writes_the_results_shape(tmp_path):
    # 30 MP: over the pipeline's pixel cap, small enough for the bare Pillow reference.
    with Watch() as watch:
        results = screenshot_pipeline.run(seconds=0.2, bomb_size=(6_000, 5_000))
    path = tmp_path / "results.json"
    write(results, path, machine={"screenshot_pipeline": watch.account})

    document = json.loads(path.read_text())
    assert document["cpu_count"] >= 1
    spent = document["machine"]["screenshot_pipeline"]
    assert set(spent) == {"busy", "steal", "load_before", "load_after"}
    assert 0 < spent["busy"] <= 1  # it ran Pillow for a while
    assert 0 <= spent["steal"] < 1
    assert document["commit"]
    assert [r["name"] for r in document["results"]] == [
        "screenshot_pipeline images/s (1920x1080 PNG)",
        "screenshot_pipeline peak memory (1920x1080 PNG)",
        "screenshot_pipeline peak memory (bomb 6000x5000)",
    ]
    for result in document["results"]:
        assert set(result) == FIELDS
        assert isinstance(result["met"], bool)
        assert result["value"] > 0
        assert result["reference_value"] > 0
        assert result["ratio"] == round(result["value"] / result["reference_value"], 3)


def test_the_load_client_keeps_the_cookies_its_answers_set_as_a_browser_does():
    from bench.httpload import _keep

    cookies = {"sessionid": "s"}
    _keep(cookies, " csrftoken=abc; expires=Tue, 30 Nov 2027 17:12:34 GMT; HttpOnly; Path=/")
    assert cookies == {"sessionid": "s", "csrftoken": "abc"}
    _keep(cookies, ' sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/')
    assert cookies == {"csrftoken": "abc"}


def test_the_machines_account_splits_the_cpus_time_into_work_and_steal(tmp_path):
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  100 0 50 800 10 5 5 30 0 0\ncpu0 1 2 3\n")
    before = cpu_times(stat)
    stat.write_text("cpu  400 0 150 900 10 5 5 230 0 0\n")
    spent = account(before, cpu_times(stat), (1.5, 2.0))
    # 400 ticks of work, 100 idle, 200 stolen: 700 in all.
    assert (round(spent.busy, 3), round(spent.steal, 3)) == (0.571, 0.286)
    assert str(spent) == "CPUs busy 57%, stolen 29%, load 1.50 -> 2.00"
