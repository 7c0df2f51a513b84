"""The benchmarks' scripts run and write results.json in the shape the issue asks for.

Their figures are never asserted: performance is measured by `make bench`, not by tests.
"""

import json

from bench import screenshot_pipeline
from bench.results import write

FIELDS = {"name", "value", "unit", "reference", "reference_value", "ratio", "goal", "met"}


def test_it_runs_the_cheapest_benchmark_and_writes_the_results_shape(tmp_path):
    # 30 MP: over the pipeline's pixel cap, small enough for the bare Pillow reference.
    results = screenshot_pipeline.run(seconds=0.2, bomb_size=(6_000, 5_000))
    path = tmp_path / "results.json"
    write(results, path)

    document = json.loads(path.read_text())
    assert document["cpu_count"] >= 1
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
