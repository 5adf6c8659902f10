"""``arshjul serve``: open a workspace folder in the browser.

Prints one address with a random access token and serves until Ctrl-C.  Listens on
127.0.0.1 unless ``--host`` says otherwise.  Exit code 2 for a bad scenario, a folder
that holds another scenario, or a folder another ``arshjul serve`` has open: one server per
workspace folder (its ``serve.lock`` names the process), so two never write plans or
solve in the same folder at once.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from ..cli import HelpCommand
from ..errors import ScenarioError
from ..i18n import N_
from ..store import Store, default_url
from ..web import Access, Workspace, WorkspaceError, create_app, new_token
from ..web.server import run
from . import EXIT_BAD_INPUT, fail_input


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address(host: str, port: int, token: str) -> str:
    """The one address to open: the token in the query, IPv6 hosts in brackets."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={token}"


@click.command(
    "serve",
    cls=HelpCommand,
    help=N_(
        """\
    Open the planner's workspace in the browser: see the year, move and check sessions,
    pin and re-solve, download calendars.

    SCENARIO (YAML or a planning workbook, .xlsx) is copied into the workspace folder as
    scenario.yaml (the bundled Sweden 2027 year when the folder has none and none is
    given), with the availability files it reads; an extends chain is merged.  Every plan
    made is kept in the folder's plans/.  One serve per folder: a second is refused.

    \b
    Example:
      arshjul serve scenarios/sweden-2027.yaml --workspace ws-2027
    """
    ),
)
@click.argument("scenario", required=False, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--workspace",
    type=click.Path(file_okay=False),
    default="arshjul-workspace",
    show_default=True,
    help=N_("The workspace folder (made when missing): scenario.yaml, plans/, current.json, pins.json."),
)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help=N_("TCP port."))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=N_(
        "Address to listen on. Anything but this machine's loopback lets others on the network reach it "
        "(they still need the token)."
    ),
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1, max=3600),
    default=30.0,
    show_default=True,
    help=N_("Default seconds for a solve or re-solve (the page can change it)."),
)
@click.option(
    "--db",
    default=None,
    help=N_(
        "The regions' database: postgresql+psycopg://user:pw@host/db (default: arshjul.db in the workspace)."
    ),
)
@click.option(
    "--homework-days",
    type=click.IntRange(0, 365),
    default=14,
    show_default=True,
    help=N_("A presenting region's homework is due this many days before its dialog."),
)
def serve(
    scenario: str | None,
    workspace: str,
    port: int,
    host: str,
    time_limit: float,
    db: str | None,
    homework_days: int,
) -> None:
    try:
        ws = Workspace.open(Path(workspace), Path(scenario) if scenario else None)
    except ScenarioError as err:
        fail_input(err)
    except WorkspaceError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    token = new_token()
    try:
        # one server per workspace folder: a second one is refused before it serves or solves
        lock = ws.lock_for_serving(address(host, port, "…").split("?")[0])
    except WorkspaceError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        _serve(ws, token, host, port, time_limit, db, homework_days)
    finally:
        lock.release()


def _serve(
    ws: Workspace, token: str, host: str, port: int, time_limit: float, db: str | None, homework_days: int
) -> None:
    try:
        store = Store.open(db or default_url(ws.root))
    except SQLAlchemyError as err:
        click.echo(f"error: cannot open the database: {str(err).splitlines()[0]}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    app = create_app(
        ws,
        Access.make(token=token, host=host, port=port),
        time_limit=time_limit,
        store=store,
        homework_days=homework_days,
    )
    click.echo(f"Workspace {ws.root}")
    if not _loopback(host):
        click.echo(
            f"Listening on {host}: reachable from other machines (the token is still needed).", err=True
        )
    click.echo(f"Open {address(host, port, token)}")
    click.echo("Ctrl-C stops the server; everything is kept in the workspace folder.")
    run(app, host.strip("[]"), port)
