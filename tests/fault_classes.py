"""How many cases the bad-input and fault suite holds per class of issue #13.

Collects (does not run) the suite's fault tests with pytest and sorts every collected case
into the issue's classes by the first rule that matches its node id; prints one line per
class and anything left unsorted.  Run from the repository root:

    PYTHONPATH=src python tests/fault_classes.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

FILES = [
    "tests/scenario/test_bad_scenarios.py",
    "tests/scenario/test_bad_input.py",
    "tests/scenario/test_fuzz.py",
    "tests/scenario/test_schema.py",
    "tests/commands",
    "tests/exporters/test_output_properties.py",
    "tests/exporters/test_xlsx_escaping.py",
    "tests/plan/test_sweep.py",
]

CLASSES: list[tuple[str, str]] = [
    ("concurrent runs", r"second_writer|four_writers|while_waiting_for_another_run"),
    ("kill -9", r"kill"),
    ("Ctrl-C", r"ctrl_c|interrupted_sweep"),
    (
        "hostile plan.json",
        r"hostile_plan|test_hostile_plan\.py|plan_file_changed|any_bytes_as_plan|broken_plan_file"
        r"|previous_plan_invitations_cannot_honour|previous_plan_of_another_scenario",
    ),
    (
        "hangs and size bounds",
        r"bad_input\[\d+-yaml-(alias-bomb|merge-bomb|billion-laughs|nested-too-deep)|huge_sweep|huge-number"
        r"|named_pipe|endless_device|grows_past_the_cap|huge_file",
    ),
    (
        "file-system faults (links, read-only, full disk, special files)",
        r"TestOutputsAsASet|full_disk|read_only_folder|tampered_current|linked_from_inside"
        r"|no_regular_file|version_folders|test_directory|nul_byte_in_the_path"
        r"|path_longer|unreadable_file|missing_file|unknown_region_and_missing",
    ),
    (
        "calendar extremes and times",
        r"calendar_extremes|calendar_edges|dtstamp|first_and_last_day|ends_of_the_calendar"
        r"|bad_input\[\d+-(period|slot|span|impossible|lead-time|publication|network-date|window-outside"
        r"|preferred-month|overlapping|bad-timezone|wrong-type-date|wrong-type-time)",
    ),
    (
        "encodings and control characters",
        r"control_character|escape_character|names_are_one_line|tabs_and_line_breaks|test_xlsx_escaping"
        r"|every_written_file_reads_back|fills_every_string_field|names_round_trip"
        r"|bad_input\[\d+-(not-utf8|name-with-escape)",
    ),
    ("e-mail addresses", r"email|bad_input\[\d+-(bad-email|bad-contact|email)"),
    (
        "misleading answers and numbers",
        r"TestNumbers|only_bad_variants|bad_variant_is_a_row|cannot_be_written_does_not_blame|unreachable_cluster",
    ),
    ("traps (plan --previous, invitations only what changed)", r"TestPreviousTrap|test_invitations\.py"),
    (
        "scenario validation (region codes, counting, duplicate keys, ids, schema)",
        r"test_bad_scenarios\.py|test_bad_input\.py|test_schema\.py|test_fuzz\.py",
    ),
]


def collected() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *FILES],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def main() -> None:
    counts: Counter[str] = Counter()
    other = []
    for case in collected():
        for name, pattern in CLASSES:
            if re.search(pattern, case):
                counts[name] += 1
                break
        else:
            other.append(case)
    for name, _ in CLASSES:
        print(f"{counts[name]:5}  {name}")
    print(f"{sum(counts.values()):5}  in all ({len(other)} other cases of these files, below)")
    for case in other:
        print("       ", case)


if __name__ == "__main__":
    main()
