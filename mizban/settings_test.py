"""Settings for the test suite: the same as every other profile, with DJANGO_ENV=test."""

import os

os.environ["DJANGO_ENV"] = "test"

from mizban.settings import *  # noqa: E402,F401,F403
