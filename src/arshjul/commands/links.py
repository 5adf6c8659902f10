"""``arshjul links``: the regions' links into the workspace, made and revoked by the planner.

``links create`` prints the address to mail to one person of one region (and the region's
calendar feed); the token is shown once and stored only as its SHA-256, so a lost link is
revoked and made anew, never looked up.  Nothing here logs a token.  What it says comes
through the message catalogues (``--lang``); ``links list`` prints data, tab-separated.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import HelpGroup
from ..i18n import N_, _
from ..scenario import load
from ..store import Store, default_url
from . import EXIT_BAD_INPUT

workspace_option = click.option(
    "--workspace",
    type=click.Path(file_okay=False, exists=True),
    required=True,
    help=N_("The workspace folder that 'arshjul serve' uses."),
)
db_option = click.option(
    "--db",
    default=None,
    help=N_("Database URL, e.g. postgresql+psycopg://user:pw@host/db (default: the workspace's arshjul.db)."),
)
base_option = click.option(
    "--base-url",
    default="http://127.0.0.1:8765",
    show_default=True,
    help=N_("The address the regions reach the server at (as 'arshjul serve' is reachable)."),
)


def _store(workspace: str, db: str | None) -> Store:
    return Store.open(db or default_url(Path(workspace)))


def _regions(workspace: str) -> dict[str, str]:
    sc = load(Path(workspace) / "scenario.yaml")
    return {r.code: r.name for r in sc.regions}


@click.group(
    "links",
    cls=HelpGroup,
    help=N_(
        """\
    Links for the regions: each person of a region gets their own, expiring and revocable.

    \b
    Example:
      arshjul links create --workspace ws-2027 --region SE-E --person "Anna A" --days 90
      arshjul links list --workspace ws-2027
      arshjul links revoke --workspace ws-2027 3
      arshjul links feed --workspace ws-2027 --theme rymd
      arshjul links feeds --workspace ws-2027
      arshjul links revoke-feed --workspace ws-2027 5
    """
    ),
)
def links() -> None:
    """Only a group: its help is the ``help=`` above, translated when shown."""


@links.command("create", help=N_("""Make a link for one person of one region and print it for mailing."""))
@workspace_option
@db_option
@base_option
@click.option("--region", required=True, help=N_("The region's code, e.g. SE-E."))
@click.option("--person", required=True, help=N_("Who the link is for (shown with every change they make)."))
@click.option("--email", default=None, help=N_("Their e-mail address (for the planner's list)."))
@click.option(
    "--days", type=click.IntRange(1, 366), default=90, show_default=True, help=N_("Days it stays valid.")
)
def create(
    workspace: str, db: str | None, base_url: str, region: str, person: str, email: str | None, days: int
) -> None:
    names = _regions(workspace)
    if region not in names:
        problem = _("unknown region '{region}' (the scenario has {codes})").format(
            region=region, codes=", ".join(sorted(names))
        )
        click.echo(_("error: {problem}").format(problem=problem), err=True)
        sys.exit(EXIT_BAD_INPUT)
    store = _store(workspace, db)
    link, token = store.create_link(region, " ".join(person.split())[:200], email=email, days=days)
    feed = store.create_feed("region", region, link_id=link.id)
    base = base_url.rstrip("/")
    host = base.split("://", 1)[-1]
    click.echo(
        _("Link {id} for {person} ({region}), valid until {day}:").format(
            id=link.id, person=link.person, region=names[region], day=f"{link.expires:%Y-%m-%d}"
        )
    )
    page, calendar = _("page:"), _("calendar:")
    width = max(len(page), len(calendar))
    click.echo(f"  {page:<{width}} {base}/r/{token}")
    click.echo(f"  {calendar:<{width}} webcal://{host}/feed/{feed}.ics")
    click.echo(_("The link is shown only now; it is stored hashed. 'arshjul links revoke ID' ends it."))


@links.command(
    "feed",
    help=N_(
        """\
    Make a calendar feed for a theme or a host (regions get theirs with their link)."""
    ),
)
@workspace_option
@db_option
@base_option
@click.option("--theme", default=None, help=N_("A theme's calendar feed."))
@click.option("--host", "host_id", default=None, help=N_("A host's calendar feed."))
def feed(workspace: str, db: str | None, base_url: str, theme: str | None, host_id: str | None) -> None:
    if (theme is None) == (host_id is None):
        click.echo(_("error: {problem}").format(problem=_("give exactly one of --theme or --host")), err=True)
        sys.exit(EXIT_BAD_INPUT)
    sc = load(Path(workspace) / "scenario.yaml")
    kind, subject = ("theme", theme) if theme else ("host", host_id or "")
    known = sorted(t.id for _, t in sc.themes()) if theme else sorted(h.id for h in sc.hosts)
    if subject not in known:
        click.echo(f"error: unknown {kind} '{subject}' (the scenario has {', '.join(known)})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    token = _store(workspace, db).create_feed(kind, subject)
    base = base_url.rstrip("/")
    host = base.split("://", 1)[-1]
    click.echo(f"webcal://{host}/feed/{token}.ics")
    click.echo(f"{base}/feed/{token}.ics")


@links.command(
    "feeds",
    help=N_(
        """\
    Every calendar feed: id, kind, subject, the link it came with, created, state (never a
    token; the planner's Calendar feeds page shows the same)."""
    ),
)
@workspace_option
@db_option
def list_feeds(workspace: str, db: str | None) -> None:
    for f in _store(workspace, db).feeds():
        state = "active" if f.revoked is None else "revoked"
        via = "" if f.link_id is None else str(f.link_id)
        click.echo(f"{f.id}\t{f.kind}\t{f.subject}\t{via}\t{f.created:%Y-%m-%d}\t{state}")


@links.command("revoke-feed", help=N_("""End one calendar feed at once (its link, if any, stays)."""))
@workspace_option
@db_option
@click.argument("feed_id", type=int)
def revoke_feed(workspace: str, db: str | None, feed_id: int) -> None:
    if not _store(workspace, db).revoke_feed(feed_id):
        click.echo(f"error: no feed {feed_id}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"Feed {feed_id} revoked.")


@links.command(
    "list",
    help=N_(
        """\
    Every link: id, region, person, e-mail, created, expires, state (never a token)."""
    ),
)
@workspace_option
@db_option
def list_links(workspace: str, db: str | None) -> None:
    for link in _store(workspace, db).links():
        click.echo(
            f"{link.id}\t{link.region}\t{link.person}\t{link.email or ''}\t"
            f"{link.created:%Y-%m-%d}\t{link.expires:%Y-%m-%d}\t{link.state}"
        )


@links.command("revoke", help=N_("""End a link (and the calendar feed made through it) at once."""))
@workspace_option
@db_option
@click.argument("link_id", type=int)
def revoke(workspace: str, db: str | None, link_id: int) -> None:
    if not _store(workspace, db).revoke_link(link_id):
        click.echo(_("error: {problem}").format(problem=_("no link {id}").format(id=link_id)), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(_("Link {id} revoked.").format(id=link_id))
