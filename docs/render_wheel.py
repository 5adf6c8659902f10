"""Render the annual wheel of a saved plan to PNG, e.g. to refresh ``docs/wheel-sample.png``.

    python docs/render_wheel.py PLAN.json [-o docs/wheel-sample.png] [--today 2027-05-12]

Needs headless Chromium (Debian: ``apt-get install chromium``), like ``arshjul``'s own
PNG export; the plan JSON is what ``Plan.to_json()`` writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from arshjul.errors import PlanFileError
from arshjul.exporters.png import wheel_png
from arshjul.exporters.wheel import wheel_svg
from arshjul.fileio import write_atomic
from arshjul.plan import Plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, help="plan JSON file")
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        default=Path(__file__).with_name("wheel-sample.png"),
        help="PNG to write",
    )
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, help="draw the 'today' hand at this date"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="device pixel ratio (2 = sharper, larger)"
    )
    args = parser.parse_args(argv)
    try:
        plan = Plan.from_json(args.plan.read_text(encoding="utf-8"), source=str(args.plan))
        png = wheel_png(wheel_svg(plan, today=args.today), scale=args.scale)
    except (OSError, PlanFileError, RuntimeError) as exc:
        print(f"render_wheel: {exc}", file=sys.stderr)
        return 1
    write_atomic(args.out, png)
    print(f"wrote {args.out} ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
