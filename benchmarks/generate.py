"""Seeded generator of scenarios at benchmark sizes (plain data, loadable by arshjul).

python benchmarks/generate.py M --seed 1 > /tmp/m.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from typing import Any

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


def generate(size: str, seed: int = 0) -> dict[str, Any]:
    """A scenario as plain data: hosts × themes, regions with S3 tags, network meetings."""
    cfg = SIZES[size]
    rng = random.Random(seed)
    first = dt.date(2027, 1, 1)
    last = dt.date(2027 + cfg["years"] - 1, 12, 31)
    if cfg["regions"] == 21:
        regions = list(SWEDEN)
    else:
        countries = ["DE", "FR", "IT", "ES", "PL", "NL", "SE", "FI"][: cfg["countries"]]
        regions = [
            (f"{countries[i % len(countries)]}-{i // len(countries) + 1:02d}", f"Region {i + 1}")
            for i in range(cfg["regions"])
        ]
    region_data = []
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("size", choices=sorted(SIZES))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    yaml.safe_dump(generate(args.size, args.seed), sys.stdout, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
