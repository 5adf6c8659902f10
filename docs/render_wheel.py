"""Draw the annual wheel of a saved plan, e.g. to refresh the pictures in ``docs/``.

    python docs/render_wheel.py PLAN.json [-o docs/wheel-sample.svg] [--today 2027-05-12]

The SVG is the package's own: the same bytes ``arshjul report`` writes as ``wheel.svg``.
An output ending in ``.png`` is rendered through headless Chromium instead (Debian:
``apt-get install chromium``), like ``arshjul report --png``; ``--scale 2`` makes it sharper.
The plan JSON is what ``Plan.to_json()`` writes.

The two pictures in ``docs/`` come from:

    arshjul plan --quiet -o /tmp/sweden-2027
    python docs/render_wheel.py /tmp/sweden-2027/plan.json -o docs/wheel-sweden-2027.svg

    python -c 'import sys; sys.path.insert(0, "tests"); from plans import sample_plan
    print(sample_plan().to_json(), end="")' > /tmp/sample.json
    python docs/render_wheel.py /tmp/sample.json -o docs/wheel-sample.svg
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
        default=Path(__file__).with_name("wheel-sample.svg"),
        help="SVG (or .png) to write",
    )
    parser.add_argument("--today", type=dt.date.fromisoformat, help="draw the 'today' hand at this date")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="PNG only: device pixel ratio (2 = sharper, larger)"
    )
    args = parser.parse_args(argv)
    try:
        plan = Plan.from_json(args.plan.read_text(encoding="utf-8"), source=str(args.plan))
        svg = wheel_svg(plan, today=args.today)
        data = wheel_png(svg, scale=args.scale) if args.out.suffix.lower() == ".png" else svg.encode()
    except (OSError, PlanFileError, RuntimeError) as exc:
        print(f"render_wheel: {exc}", file=sys.stderr)
        return 1
    write_atomic(args.out, data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
