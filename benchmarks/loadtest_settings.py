"""The example site's settings for ``make loadtest``, unchanged but for one thing: static
files are collected into the load run's own directory, not into example_site/static/.

Everything else (the database, Redis, ``DEBUG``, hosts) comes from the environment the
harness sets, exactly as for the example site in production.
"""

import os
from pathlib import Path

from newsroom.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["PRISM_LOADTEST_STATIC_ROOT"])
