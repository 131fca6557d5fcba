"""JupyterHub's configuration, from the hub's plan (``hub.json``).

The hub's ``jupyterhub_config.py`` is two lines that call :func:`configure`; this module runs
inside JupyterHub (the hub environment), so every setting is ordinary, typed Python that the tests
can inspect on a plain traitlets ``Config``.

Decisions, and the JupyterHub 5/6 behaviour behind them:

* **Authentication:** PAM with the system users (``PAMAuthenticator``); every account has an
  initial password (``accounts.csv``). JupyterHub 5+ lets nobody in without an allow-config, so
  ``allowed_users`` is exactly the roster's learners and coaches, and users outside it (e.g. taken
  off the roster) are removed from the hub's database at start (``delete_invalid_users``).
* **Spawner:** :class:`~cohort_tools.hub.spawner.CgroupSpawner`, LocalProcessSpawner with real
  users: each server runs as its user, in its private home folder, with the hub environment's
  Python; memory limits through cgroups where the machine allows them.
* **Network:** the proxy listens on the plan's address (127.0.0.1 unless told otherwise); the hub's
  own API and the proxy's API listen on 127.0.0.1 only. TLS with ``ssl_cert``/``ssl_key``.
* **Idle servers** are stopped by jupyterhub-idle-culler after ``idle_timeout`` seconds.
* **Panels per kind of account:** each server's ``JUPYTER_CONFIG_PATH`` starts with its kind's
  folder (``<state>/jupyter/<kind>``), which turns nbgrader's extensions on or off (see
  :func:`cohort_tools.hub.process.jupyter_config`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cohort_tools.hub.environment import cda_home
from cohort_tools.hub.plan import HubPlan, load_plan
from cohort_tools.hub.process import jupyter_config_path as config_path

#: What every single-user server finds on PATH: the hub environment first, never the hub's own
#: environment variables (the hub's PATH, VIRTUAL_ENV, CDA_HOME ... are not passed on).
SERVER_PATH = "{prefix}/bin:/usr/local/bin:/usr/bin:/bin"
IDLE_CULLER = "idle-culler"


def kind_of(plan: HubPlan, user: str) -> str:
    for account in plan.accounts:
        if account.name == user:
            return account.kind
    return "learner"


def jupyter_config_path(plan: HubPlan, user: str) -> str:
    return config_path(plan.jupyter_root, kind_of(plan, user))


def groups(plan: HubPlan) -> dict[str, list[str]]:
    """nbgrader's multiple-classes groups: ``nbgrader-<city>`` (the city's learners) and
    ``formgrade-<city>`` (its coach). nbgrader's JupyterHub plugin reads a user's courses from them."""
    found: dict[str, list[str]] = {}
    for city in plan.cities:
        found[f"nbgrader-{city}"] = [
            a.name for a in plan.accounts if a.kind == "learner" and city in a.cities
        ]
        found[f"formgrade-{city}"] = [
            a.name for a in plan.accounts if a.kind == "coach" and city in a.cities
        ]
    return found


def roles(plan: HubPlan) -> list[dict[str, Any]]:
    """Who may open which course's grading page, and see that it exists (jupyter/nbgrader#1594)."""
    found: list[dict[str, Any]] = []
    for city in plan.cities:
        found.append(
            {
                "name": f"formgrade-{city}",
                "description": f"grade the course of {city}",
                "groups": [f"formgrade-{city}"],
                "scopes": [
                    f"access:services!service={city}",
                    "list:services",
                    f"read:services!service={city}",
                ],
            }
        )
    return found


def services(plan: HubPlan) -> list[dict[str, Any]]:
    """One grading page per city's course, run as the course's grading account."""
    from cohort_tools.hub.accounts import grader_user_name

    found = []
    for course in plan.courses:
        found.append(
            {
                "name": course.city,
                "display": True,
                "info": {"description": f"Grading: {course.name}"},
                "url": f"http://127.0.0.1:{course.port}",
                "user": grader_user_name(course.city),
                "cwd": str(plan.course_dir(course.city)),
                "command": [
                    str(plan.prefix / "bin" / "python"),
                    "-m",
                    "cohort_tools.hub.grading",
                    "--state",
                    str(plan.state_dir),
                    "--city",
                    course.city,
                ],
                "environment": {
                    "PATH": SERVER_PATH.format(prefix=plan.prefix),
                    "CDA_COHORT_FILE": str(plan.city_cohort_file(course.city)),
                    "CDA_HOME": str(cda_home(plan.prefix)),
                    "JUPYTER_PLATFORM_DIRS": "1",
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                },
                "oauth_no_confirm": True,
            }
        )
    return found


def user_cohort_file(plan: HubPlan, user: str) -> str:
    """A learner's (or coach's first city's) cohort file as that city's team sees it."""
    account = plan.account(user)
    if account is None or not account.cities:
        return ""
    return str(plan.city_cohort_file(account.cities[0]))


def landing_page(plan: HubPlan, handler: Any) -> str:
    """Learners land in JupyterLab; coaches on the grading page of their first city."""
    user = handler.current_user
    account = plan.account(user.name) if user is not None else None
    base = handler.base_url.rstrip("/")
    if account is not None and account.kind == "coach" and account.cities:
        return f"{base}/services/{account.cities[0]}/"
    return f"{base}/hub/spawn"


def configure(c: Any, state_dir: str | Path) -> HubPlan:
    """Fill JupyterHub's config object ``c`` from the plan in ``state_dir``; return the plan."""
    plan = load_plan(Path(state_dir))
    hub = c.JupyterHub
    # -- where the hub keeps its state (private: root only) ----------------------------------
    hub.db_url = f"sqlite:///{plan.private_dir / 'jupyterhub.sqlite'}"
    hub.cookie_secret_file = str(plan.private_dir / "jupyterhub_cookie_secret")
    hub.pid_file = str(plan.pid_file)
    # -- network ----------------------------------------------------------------------------
    hub.bind_url = plan.url
    hub.hub_bind_url = f"http://127.0.0.1:{plan.hub_port}"
    if plan.ssl_cert and plan.ssl_key:
        hub.ssl_cert = str(plan.ssl_cert)
        hub.ssl_key = str(plan.ssl_key)
    proxy = c.ConfigurableHTTPProxy
    proxy.command = [str(plan.proxy)]
    proxy.api_url = f"http://127.0.0.1:{plan.proxy_api_port}"
    proxy.pid_file = str(plan.proxy_pid_file)
    proxy.should_start = True
    hub.cleanup_servers = True  # stopping the hub stops every server ...
    hub.cleanup_proxy = True  # ... and the proxy it started
    # -- who may log in ---------------------------------------------------------------------
    hub.authenticator_class = "pam"
    auth = c.Authenticator
    auth.allowed_users = set(plan.names("learner") + plan.names("coach"))
    auth.admin_users = set()
    auth.allow_existing_users = False  # only the roster: no one added through the API
    auth.delete_invalid_users = True
    c.PAMAuthenticator.open_sessions = False
    # -- servers: real users, the hub environment, memory limits ----------------------------
    from cohort_tools.hub.spawner import CgroupSpawner

    hub.spawner_class = CgroupSpawner
    spawner = c.Spawner
    spawner.cmd = [str(plan.prefix / "bin" / "jupyterhub-singleuser")]
    spawner.default_url = "/lab"
    spawner.env_keep = ["LANG", "LC_ALL"]
    spawner.environment = {
        "PATH": SERVER_PATH.format(prefix=plan.prefix),
        "JUPYTER_CONFIG_PATH": lambda sp: jupyter_config_path(plan, sp.user.name),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "CDA_HUB": plan.slug,
        "CDA_COHORT_FILE": lambda sp: user_cohort_file(plan, sp.user.name),
        "CDA_HOME": str(cda_home(plan.prefix)),
    }
    # the server's own API token may read its user's groups: nbgrader's JupyterHub plugin finds
    # the learner's course from them (the default server token cannot; jupyter/nbgrader#1594)
    spawner.server_token_scopes = [
        "users:activity!user",
        "access:servers!server",
        "read:users:name!user",
        "read:users:groups!user",
    ]
    spawner.start_timeout = 300  # a first start on a busy 2-core machine imports a lot
    spawner.http_timeout = 300
    if plan.mem_limit:
        spawner.mem_limit = plan.mem_limit
    if plan.cgroup and plan.cgroup_dir:
        c.CgroupSpawner.cgroup_base = str(plan.cgroup_dir)
        c.CgroupSpawner.cgroup_mode = plan.cgroup
    # -- courses: groups, roles, grading pages ------------------------------------------------
    hub.load_groups = groups(plan)
    hub.default_url = lambda handler: landing_page(plan, handler)
    # -- idle servers -----------------------------------------------------------------------
    hub.services = [
        {
            "name": IDLE_CULLER,
            "command": [
                str(plan.prefix / "bin" / "python"),
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={plan.idle_timeout}",
                f"--cull-every={max(60, plan.idle_timeout // 6)}",
            ],
        }
    ]
    hub.load_roles = [
        {
            "name": IDLE_CULLER,
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": [IDLE_CULLER],
        },
        *roles(plan),
    ]
    hub.services += services(plan)
    return plan
