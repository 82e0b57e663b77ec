"""Settings of a fresh process that reads a given `.env` (named by CRMBRIDGE_TEST_ENV_FILE)
before the checkout's own, as if it were the checkout's: for testing what a written `.env`
does to the project's commands without touching the real one."""

import os

import environ

environ.Env.read_env(os.environ["CRMBRIDGE_TEST_ENV_FILE"])

from crmbridge.settings import *  # noqa: E402, F403
