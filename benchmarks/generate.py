"""Seeded generator of scenarios at benchmark sizes (plain data, loadable by arshjul).

python benchmarks/generate.py M --seed 1 > /tmp/m.yaml
python benchmarks/generate.py L --seed 0 --family tight > /tmp/l-tight.yaml

Families: ``loose`` (the original: the fatigue cap grows with the load), ``tight`` (3
invitations in any 28 days at every size) and ``tight2`` (2 in 28); see :func:`generate_tight`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Sequence
from typing import Any

import pycountry
import yaml

SWEDEN = [
    ("SE-AB", "Region Stockholm"),
    ("SE-C", "Region Uppsala"),
    ("SE-D", "Region Sörmland"),
    ("SE-E", "Region Östergötland"),
    ("SE-F", "Region Jönköpings län"),
    ("SE-G", "Region Kronoberg"),
    ("SE-H", "Region Kalmar län"),
    ("SE-I", "Region Gotland"),
    ("SE-K", "Region Blekinge"),
    ("SE-M", "Region Skåne"),
    ("SE-N", "Region Halland"),
    ("SE-O", "Västra Götalandsregionen"),
    ("SE-S", "Region Värmland"),
    ("SE-T", "Region Örebro län"),
    ("SE-U", "Region Västmanland"),
    ("SE-W", "Region Dalarna"),
    ("SE-X", "Region Gävleborg"),
    ("SE-Y", "Region Västernorrland"),
    ("SE-Z", "Region Jämtland Härjedalen"),
    ("SE-AC", "Region Västerbotten"),
    ("SE-BD", "Region Norrbotten"),
]
TAGS = [
    "health",
    "materials",
    "energy",
    "transport",
    "digital",
    "food",
    "space",
    "forest",
    "circular",
    "cities",
    "tourism",
    "chemistry",
    "water",
    "defence",
    "textile",
    "mining",
]

SIZES: dict[str, dict[str, Any]] = {
    "S": {"hosts": 1, "themes": 12, "regions": 21, "years": 1, "countries": 1},
    "M": {"hosts": 4, "themes": 10, "regions": 21, "years": 1, "countries": 1},
    "L": {"hosts": 10, "themes": 10, "regions": 21, "years": 1, "countries": 1},
    "XL": {"hosts": 10, "themes": 10, "regions": 240, "years": 2, "countries": 8},
}



COUNTRIES = ("DE", "FR", "IT", "ES", "PL", "NL", "SE", "FI")


def european_regions(n: int, countries: Sequence[str]) -> list[tuple[str, str]]:
    """``n`` real ISO 3166-2 subdivisions (scenarios refuse made-up codes), taken in turn
    from ``countries`` (sorted by code, a country left out once it has none left)."""
    pools = {c: sorted(s.code for s in pycountry.subdivisions.get(country_code=c)) for c in countries}
    out: list[tuple[str, str]] = []
    while len(out) < n and any(pools.values()):
        for c in countries:
            if pools[c] and len(out) < n:
                out.append((pools[c].pop(0), f"Region {len(out) + 1}"))
    if len(out) < n:
        raise ValueError(f"{n} regions asked for, the countries {', '.join(countries)} have {len(out)}")
    return out

def generate(size: str, seed: int = 0) -> dict[str, Any]:
    """A scenario as plain data: hosts × themes, regions with S3 tags, network meetings."""
    cfg = SIZES[size]
    rng = random.Random(seed)
    first = dt.date(2027, 1, 1)
    last = dt.date(2027 + cfg["years"] - 1, 12, 31)
    if cfg["regions"] == 21:
        regions = list(SWEDEN)
    else:
        regions = european_regions(cfg["regions"], COUNTRIES[: cfg["countries"]])
    region_data: list[dict[str, Any]] = []
    for code, name in regions:
        tags = rng.sample(TAGS, 3)
        region_data.append(
            {"code": code, "name": name, "s3": [{"name": f"S3 {t}", "tags": [t]} for t in tags]}
        )
    hosts: list[dict[str, Any]] = []
    k = 0
    for h in range(cfg["hosts"]):
        themes = []
        for _t in range(cfg["themes"]):
            k += 1
            theme: dict[str, Any] = {
                "id": f"t{k:03d}",
                "name": f"Tema {k}",
                "tags": rng.sample(TAGS, 2),
                "dialogs": cfg["years"] if cfg["years"] > 1 else (2 if rng.random() < 0.15 else 1),
                "max_presenters": 9,
                "min_presenters": 1,
            }
            if rng.random() < 0.5:
                m = rng.choice([2, 3, 4, 5, 9, 10, 11])
                theme["preferred_months"] = [m, m + 1]
            themes.append(theme)
        hosts.append({"id": f"host{h + 1}", "name": f"Myndighet {h + 1}", "themes": themes})
    net_dates = []
    for year in range(first.year, last.year + 1):
        for month in (2, 3, 4, 5, 6, 9, 10, 11, 12):
            d = dt.date(year, month, 12)
            while d.weekday() != 1:  # a Tuesday
                d += dt.timedelta(days=1)
            net_dates.append(d.isoformat())
    many = cfg["hosts"] * cfg["themes"] > 40
    # Every dialog needs a presenter: never cap presentations below what that takes
    # (M's 4 × 10 themes hold ~47 dialogs, more than 21 regions × 2 presentations).
    dialogs = sum(t["dialogs"] * t["min_presenters"] for h in hosts for t in h["themes"])
    needed = -(-dialogs // len(region_data))
    # A planner sets the fatigue cap from the load: with many agencies sharing the regions a
    # region is invited ~60 times a year, which 6 per 28 days over ~250 open days cannot hold.
    # Cap = 1.3 x the busiest region's average per window (never below the 4/6 of old).
    fixed = len(net_dates) + 2  # network meetings, the hybrid, the learning meeting
    busiest = max(
        fixed
        + sum(
            t["dialogs"]
            for h in hosts
            for t in h["themes"]
            if set(t["tags"]) & {tag for a in r["s3"] for tag in a["tags"]}
        )
        for r in region_data
    )
    open_days = 250 * cfg["years"]
    window_max = max(6 if many else 4, -(-13 * busiest * 28 // (10 * open_days)))
    return {
        "id": f"bench-{size.lower()}-{seed}",
        "name": f"Benchmark {size} (seed {seed})",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "publication_date": "2026-12-01",
        "limits": {
            "window_days": 28,
            "window_max": window_max,
            "max_presentations": max(6 if many else 2, needed),
            "presentation_gap_days": 21 if many else 42,
            "lead_time_days": 21,
            "host_gap_days": 5,
        },
        "hosts": hosts,
        "regions": region_data,
        "hybrids": [
            {"id": "ekosystem", "host": "host1", "topic": "Ekosystem", "window": "2027-02-15..2027-03-15"},
        ],
        "learning_meeting": {"host": "host1", "window": "2027-01-11..2027-02-05"},
        "network": {"host": "host1", "dates": net_dates},
    }


TIGHT: dict[str, dict[str, int]] = {
    "S": {"regions": 21, "dialogs": 8, "years": 1},
    "M": {"regions": 21, "dialogs": 38, "years": 1},
    "L": {"regions": 60, "dialogs": 100, "years": 1},
    "XL": {"regions": 240, "dialogs": 300, "years": 2},
}
"""Tight families: regions and dialogs per size; with six network meetings a year the
sessions are 14 / 44 / 106 / 312, as in the issue "Fast where it is hard"."""

FAMILIES = ("loose", "tight", "tight2")
TIGHT_CAP = {"tight": 3, "tight2": 2}


def generate_tight(size: str, seed: int = 0, cap: int = 3) -> dict[str, Any]:
    """A tight year: ``cap`` invitations per region in any 28 days at every size.

    One host (Vinnova) holds every session with ``gap_days`` 1, which is "one session a day"
    overall (the scenario has no calendar-wide daily cap; with one host its tempo rule is
    exactly that).  Each theme has one dialog (two on a few, and one a year at XL), 2–4
    presenters from 5–12 explicitly interested regions (weights 1–3), one or two forbidden
    weeks, preferred months on half of them.  A theme invites its interested regions while
    each of them stays within its invitation budget (three quarters of what ``cap`` in 28
    days allows in a year, ~11 windows, less the network meetings), else only its presenters:
    without that budget the generated year would be infeasible (at ``tight2`` the busiest
    region would be invited more often than any plan can hold).  Regions present at most 4
    times a year, 35 days apart, and are away one random week.  Six network meetings a year
    (invite all) follow the dialogs up.  No hybrid and no learning meeting.
    """
    cfg = TIGHT[size]
    rng = random.Random(seed * 7919 + cap)
    years = cfg["years"]
    first = dt.date(2027, 1, 1)
    last = dt.date(2027 + years - 1, 12, 31)
    regions = list(SWEDEN) if cfg["regions"] == 21 else european_regions(cfg["regions"], COUNTRIES)
    codes = [c for c, _ in regions]

    def week(year: int) -> str:
        w = rng.randint(6, 48)
        while 26 <= w <= 33:
            w = rng.randint(6, 48)
        monday = dt.date.fromisocalendar(year, w, 1)
        return f"{monday.isoformat()}..{(monday + dt.timedelta(days=4)).isoformat()}"

    region_data = [
        {
            "code": code,
            "name": name,
            "s3": [{"name": f"S3 {t}", "tags": [t]} for t in rng.sample(TAGS, 2)],
            "unavailable": [week(2027 + y) for y in range(years)],
        }
        for code, name in regions
    ]
    themes: list[dict[str, Any]] = []
    budget = (3 * cap * 11 // 4 - 6) * years
    load: dict[str, int] = dict.fromkeys(codes, 0)
    left = cfg["dialogs"]
    k = 0
    while left > 0:
        k += 1
        n = years if years > 1 else (2 if rng.random() < 0.1 and left >= 2 else 1)
        n = min(n, left)
        left -= n
        interested = rng.sample(codes, rng.randint(5, 12))
        invite = "interested" if all(load[c] + n <= budget for c in interested) else "presenters"
        if invite == "interested":
            for c in interested:
                load[c] += n
        theme: dict[str, Any] = {
            "id": f"t{k:03d}",
            "name": f"Tema {k}",
            "dialogs": n,
            "min_presenters": 2,
            "max_presenters": rng.randint(2, 4),
            "interested": [{"region": c, "weight": rng.randint(1, 3)} for c in interested],
            "forbidden": [week(2027 + rng.randrange(years)) for _ in range(rng.randint(1, 2))],
            "invite": invite,
        }
        if rng.random() < 0.5:
            m = rng.choice([2, 3, 4, 5, 9, 10, 11])
            theme["preferred_months"] = [m, m + 1]
        themes.append(theme)
    net_dates = []
    for year in range(first.year, last.year + 1):
        for month in (2, 4, 6, 9, 11, 12):
            d = dt.date(year, month, 12)
            while d.weekday() != 1:  # a Tuesday
                d += dt.timedelta(days=1)
            net_dates.append(d.isoformat())
    return {
        "id": f"bench-{('tight' if cap == 3 else f'tight{cap}')}-{size.lower()}-{seed}",
        "name": f"Benchmark {size}, {cap} in 28 (seed {seed})",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "publication_date": "2026-12-01",
        "limits": {
            "window_days": 28,
            "window_max": cap,
            "daily_max": 1,
            "max_presentations": 4 * years,
            "presentation_gap_days": 35,
            "lead_time_days": 21,
            "host_gap_days": 1,
        },
        "hosts": [{"id": "vinnova", "name": "Vinnova", "themes": themes}],
        "regions": region_data,
        "network": {"host": "vinnova", "dates": net_dates},
    }


def generate_family(family: str, size: str, seed: int = 0) -> dict[str, Any]:
    """A scenario of one family (:data:`FAMILIES`) as plain data."""
    if family == "loose":
        return generate(size, seed)
    return generate_tight(size, seed, TIGHT_CAP[family])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("size", choices=sorted(SIZES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--family", choices=FAMILIES, default="loose")
    args = ap.parse_args()
    data = generate_family(args.family, args.size, args.seed)
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
