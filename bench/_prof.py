import cProfile
import io
import json
import pstats
import time
from datetime import timedelta

import django

django.setup()
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.report_figures import report  # noqa: E402
from portal.reports import Period  # noqa: E402

today = timezone.localdate()
period = Period(today - timedelta(days=29), today)
report(period)
with CaptureQueriesContext(connection) as q:
    t = time.perf_counter()
    report(period)
    total = time.perf_counter() - t
pr = cProfile.Profile()
pr.enable()
report(period)
pr.disable()
out = io.StringIO()
pstats.Stats(pr, stream=out).sort_stats("cumulative").print_stats(25)
print(json.dumps([total, sum(float(x["time"]) for x in q.captured_queries), len(q)]
    + [(x["time"], x["sql"][:100]) for x in sorted(q.captured_queries, key=lambda x: -float(x["time"]))[:14]]
    + out.getvalue().splitlines()[:60]))
