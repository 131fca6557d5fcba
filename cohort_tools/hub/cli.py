"""``cda hub install | start | stop | status | remove``: thin wrappers over :mod:`cohort_tools.hub.api`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cohort_tools.core.cliutil import reports_errors
from cohort_tools.hub.plan import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_IP,
    DEFAULT_MEM_LIMIT,
    DEFAULT_PORT,
    DEFAULT_PREFIX,
    DEFAULT_STATE_ROOT,
)

hub_app = typer.Typer(
    help="The live cohort: a multi-user JupyterHub where learners work and coaches grade.",
    no_args_is_help=True,
)

CohortArg = Annotated[
    Path | None,
    typer.Argument(help="Cohort file (YAML). Without it, the embedded demo cohort is used."),
]
StateOpt = Annotated[
    Path, typer.Option("--state", help="Folder for the hubs' state (one sub-folder per cohort).")
]
PrefixOpt = Annotated[
    Path, typer.Option("--prefix", help="The hub environment (made by `cda hub install`).")
]


@hub_app.command("install")
@reports_errors
def install_command(
    prefix: PrefixOpt = DEFAULT_PREFIX,
    python: Annotated[
        Path, typer.Option("--python", help="A Python every user can run (not one under /root).")
    ] = Path("/usr/bin/python3"),
) -> None:
    """Make the hub environment (a virtualenv every user can read) and install the proxy (npm)."""
    from cohort_tools.hub import api

    typer.echo(api.install(prefix=prefix, python=python).summary())


@hub_app.command("start")
@reports_errors
def start_command(
    cohort: CohortArg = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Public port.")] = (
        DEFAULT_PORT
    ),
    ip: Annotated[
        str, typer.Option("--ip", help="Address to listen on (this machine only by default).")
    ] = DEFAULT_IP,
    mem_limit: Annotated[
        str, typer.Option("--mem-limit", help="Memory per user, e.g. 2G; 'none' for no limit.")
    ] = DEFAULT_MEM_LIMIT,
    idle_timeout: Annotated[
        int, typer.Option("--idle-timeout", help="Seconds before an idle server is stopped.")
    ] = DEFAULT_IDLE_TIMEOUT,
    ssl_cert: Annotated[
        Path | None, typer.Option("--ssl-cert", help="TLS certificate (PEM), with --ssl-key.")
    ] = None,
    ssl_key: Annotated[
        Path | None, typer.Option("--ssl-key", help="TLS private key (PEM).")
    ] = None,
    state: StateOpt = DEFAULT_STATE_ROOT,
    prefix: PrefixOpt = DEFAULT_PREFIX,
    workshops: Annotated[
        Path | None,
        typer.Option("--workshops", help="Workshops folder (MyST). Default: workshops/."),
    ] = None,
) -> None:
    """Set up and start the cohort's hub; print its address, the accounts and how to log in."""
    from cohort_tools.hub import api

    info = api.start(
        cohort=cohort,
        state_root=state,
        prefix=prefix,
        ip=ip,
        port=port,
        mem_limit=mem_limit,
        idle_timeout=idle_timeout,
        ssl_cert=ssl_cert,
        ssl_key=ssl_key,
        workshops=workshops,
    )
    typer.echo(info.summary())


@hub_app.command("stop")
@reports_errors
def stop_command(cohort: CohortArg = None, state: StateOpt = DEFAULT_STATE_ROOT) -> None:
    """Stop the cohort's hub and every server it started; check that nothing is left running."""
    from cohort_tools.hub import api

    typer.echo(api.stop(cohort=cohort, state_root=state).summary())


@hub_app.command("status")
@reports_errors
def status_command(cohort: CohortArg = None, state: StateOpt = DEFAULT_STATE_ROOT) -> None:
    """Whether the cohort's hub is running, and whose servers are."""
    from cohort_tools.hub import api

    typer.echo(api.status(cohort=cohort, state_root=state).summary())


@hub_app.command("grade")
@reports_errors
def grade_command(
    cohort: CohortArg = None,
    city: Annotated[
        str | None, typer.Option("--city", help="Only this city's course. Default: every city.")
    ] = None,
    state: StateOpt = DEFAULT_STATE_ROOT,
) -> None:
    """Collect new submissions, grade them and release feedback (the grading page's buttons)."""
    from cohort_tools.hub import api

    report = api.grade(cohort=cohort, state_root=state, city=city)
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


@hub_app.command("remove")
@reports_errors
def remove_command(
    cohort: CohortArg = None,
    state: StateOpt = DEFAULT_STATE_ROOT,
    yes: Annotated[bool, typer.Option("--yes", help="Really delete users and their work.")] = False,
) -> None:
    """Stop the hub and delete its system users (with their home folders) and its state."""
    from cohort_tools.hub import api

    typer.echo(api.remove(cohort=cohort, state_root=state, yes=yes).summary())
