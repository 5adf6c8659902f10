"""Hand-built plans for exporter tests, independent of the solver.

``sample_plan()`` is small but has what breaks exporters: å/ä/ö, hostile text (commas,
semicolons, newlines, backslashes, ``BEGIN:VEVENT``, ``<script>``), sessions on both DST
change weeks, a group presenting jointly, a network meeting carrying follow-ups.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from arshjul.plan import Closure, Plan, Presentation, Session

TZ = ZoneInfo("Europe/Stockholm")

REGIONS = {
    "SE-E": "Region Östergötland",
    "SE-M": "Region Skåne",
    "SE-S": "Region Värmland",
    "SE-W": "Region Dalarna",
    "SE-X": "Region Gävleborg",
    "SE-BD": "Region Norrbotten",
}
HOSTILE = 'Ekosystem; del 1, "test"\\n\nBEGIN:VEVENT\n<script>alert(1)</script> & co'


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


def dialog(
    theme: str, title: str, day: dt.date, presenters: list[tuple[str, str, tuple[str, ...]]], k: int = 1
) -> Session:
    """A morning dialog: host 09:00–09:10, then 10 minutes per presenter in order."""
    pres = []
    t = at(day, 9, 10)
    for code, name, members in presenters:
        pres.append(
            Presentation(
                presenter=code, name=name, regions=members, start=t, end=t + dt.timedelta(minutes=10)
            )
        )
        t += dt.timedelta(minutes=10)
    return Session(
        id=f"vinnova.dialog.{theme}.{k}",
        kind="dialog",
        host="vinnova",
        host_name="Vinnova",
        title=title,
        theme=theme,
        occurrence=k,
        date=day,
        slot="morning",
        start=at(day, 9),
        end=t,
        host_start=at(day, 9),
        host_end=at(day, 9, 10),
        presentations=tuple(pres),
        invited=tuple(sorted({"SE-E", "SE-M", "SE-S", "SE-W", "SE-X"})),
        followup_on="vinnova.network.2027-04-20" if day < dt.date(2027, 4, 6) else None,
        meeting_link="https://teams.example/l/meetup-join/abc?x=1;y=2",
    )


def sample_plan() -> Plan:
    d1 = dt.date(2027, 2, 23)
    d_dst_spring = dt.date(2027, 3, 29 + 1)  # Tuesday after the spring change (28 Mar is Easter Sunday)
    d_dst_autumn = dt.date(2027, 11, 2)  # first Tuesday after the autumn change (31 Oct)
    sessions = [
        Session(
            id="vinnova.learning",
            kind="learning",
            host="vinnova",
            host_name="Vinnova",
            title="Lärmöte om strategiska snabbdialoger",
            date=dt.date(2027, 2, 2),
            slot="morning",
            start=at(dt.date(2027, 2, 2), 9),
            end=at(dt.date(2027, 2, 2), 10),
            invited=tuple(REGIONS),
            location="Digitalt (Teams)",
        ),
        dialog(
            "halsa",
            "Hållbar precisionshälsa",
            d1,
            [
                ("SE-E", "Region Östergötland", ("SE-E",)),
                ("nms", "Norra Mellansverige", ("SE-S", "SE-W", "SE-X")),
                ("SE-M", "Region Skåne", ("SE-M",)),
            ],
        ),
        Session(
            id="vinnova.hybrid.ekosystem",
            kind="hybrid",
            host="vinnova",
            host_name="Vinnova",
            title=HOSTILE,
            description="Öppen för alla regioner.\nTa med: frågor; idéer, och förslag.",
            date=d_dst_spring,
            slot="afternoon",
            start=at(d_dst_spring, 13),
            end=at(d_dst_spring, 15),
            invited=tuple(REGIONS),
            location="Vinnova, Mäster Samuelsgatan 56, Stockholm; och digitalt",
        ),
        Session(
            id="vinnova.network.2027-04-20",
            kind="network",
            host="vinnova",
            host_name="Vinnova",
            title="RND-nätverksmöte",
            date=dt.date(2027, 4, 20),
            slot="morning",
            start=at(dt.date(2027, 4, 20), 9),
            end=at(dt.date(2027, 4, 20), 11),
            invited=tuple(REGIONS),
            followups=("vinnova.dialog.halsa.1",),
        ),
        dialog(
            "industri",
            "Hållbar industri, hållbara material och materialflöden",
            d_dst_autumn,
            [("SE-BD", "Region Norrbotten", ("SE-BD",)), ("SE-E", "Region Östergötland", ("SE-E",))],
        ),
    ]
    return Plan(
        scenario_id="sample-2027",
        scenario_name="Snabbdialoger 2027",
        timezone="Europe/Stockholm",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        window_days=28,
        status="OPTIMAL",
        objective=120,
        bound=120.0,
        wall_time=1.5,
        seed=0,
        sessions=sorted(sessions, key=lambda s: (s.start, s.id)),
        terms={"match": 100, "coverage": 0, "spread": 10, "preferred_month": 0, "balance": 10},
        regions=dict(REGIONS),
        contacts={"SE-E": "snabbdialog@regionostergotland.se", "SE-M": "s3@skane.se"},
        hosts={"vinnova": "Vinnova"},
        host_emails={"vinnova": "snabbdialoger@vinnova.se"},
        window_max=dict.fromkeys(REGIONS, 4),
        publication_date=dt.date(2026, 12, 1),
        closures=[
            Closure(
                name="Långfredagen", start=dt.date(2027, 3, 26), end=dt.date(2027, 3, 26), kind="holiday"
            ),
            Closure(name="Sommar", start=dt.date(2027, 7, 5), end=dt.date(2027, 8, 15), kind="blackout"),
            Closure(
                name="Jul och nyår", start=dt.date(2027, 12, 27), end=dt.date(2027, 12, 31), kind="blackout"
            ),
        ],
    )
