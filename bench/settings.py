"""The portal's own settings, plus the URLconf with the benchmarks' reference view.

The product's URLconf is left alone: bench/urls.py includes it and adds one route.
"""

from helpdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
