"""Every word the workspace shows, in one place.

Templates and handlers say ``_("key", name=value)``; the English text lives here.  A later
translation step (gettext, Swedish first) changes only :func:`text`: look the English string
up in a catalogue before formatting it.  Keys are short and stable; the texts may change.
"""

from __future__ import annotations

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

MESSAGES: dict[str, str] = {
    # -- frame
    "app_title": "arshjul workspace",
    "nav_year": "Year",
    "nav_heatmap": "Invitations",
    "nav_plans": "Plans",
    "nav_job": "Solve",
    "footer": "Workspace folder: {root}",
    "current_plan": "Current plan",
    "no_current_plan": "No plan yet",
    # -- the year
    "year_heading": "The year",
    "wheel_caption": "The annual wheel: click a session to open it.",
    "sessions_by_month": "Sessions, month by month",
    "no_sessions_month": "No sessions.",
    "presenters": "Presenters",
    "pinned": "pinned",
    "pinned_count": "{n} pinned",
    "penalty": "Penalty",
    "penalty_value": "penalty {value}",
    "penalty_terms": "Penalty by rule",
    "bound_gap": "bound {bound}, gap {gap} %",
    "status": "Status",
    "plan_status_edited": "moved by hand; every rule holds",
    "plan_status_broken": "moved by hand, saved breaking {n} rule(s)",
    "no_plan_yet": "This workspace has no plan yet.",
    "scenario_summary": "Scenario '{name}': {sessions} sessions, {regions} regions, {start} to {end}.",
    "solve_first": "Solve the year",
    "solve_again": "Solve the whole year again",
    "time_limit": "Time limit (seconds)",
    "resolve_heading": "Re-solve the rest",
    "resolve_help": (
        "Keeps the pinned sessions exactly as they are and re-plans the rest with as few changes as possible."
    ),
    "resolve_button": "Re-solve the rest ({n} pinned)",
    "frozen_until": "Also keep everything before (optional)",
    "downloads": "Download",
    "download_master": "Master calendar (calendar.ics)",
    "download_plan": "plan.json",
    "download_region": "Calendar for {name}",
    "download_regions": "One calendar per region",
    # -- heatmap
    "heatmap_heading": "Invitations per region and month",
    "heatmap_caption": "Against each region's cap of invitations in any {days} days.",
    "region": "Region",
    "total": "Total",
    "worst_window": "Worst {days} days",
    "cap": "Cap",
    "presents": "Presents",
    "at_cap": "at cap",
    # -- a session
    "session_when": "When",
    "session_kind": "Kind",
    "session_host": "Host",
    "running_order": "Running order",
    "host_slot": "{host} (host)",
    "invited": "Invited regions ({n})",
    "invited_presenting": "presents",
    "followup_on": "Followed up at",
    "followups": "Follows up",
    "none": "none",
    "pin": "Pin this session",
    "unpin": "Unpin",
    "pin_help": "A pinned session stays exactly as it is when the rest is re-solved.",
    "is_pinned": "This session is pinned.",
    "move_heading": "Move this session",
    "move_options": "Where else it could go (everything else fixed), best first",
    "move_option": "{when} — penalty {objective} ({delta})",
    "move_option_changes": "{when} — penalty {objective} ({delta}; {changes})",
    "without": "without {names}",
    "with": "with {names}",
    "no_options": "No other slot keeps every rule with everything else fixed.",
    "move_free": "Any day and slot of the period",
    "date": "Date",
    "slot": "Slot",
    "check_move": "Check this move",
    "blocked_heading": "Why not elsewhere",
    "blocked_row": "{slots} slot(s): {rules}",
    "blocked_example": "e.g. {example}",
    # -- checking a move
    "check_heading": "Checking a move",
    "move_summary": "{title}: from {before} to {after}",
    "presenters_change": "Presenters: {before} → {after}",
    "penalty_change": "Penalty: {before} → {after} ({delta})",
    "all_rules_hold": "Every rule holds. Nothing is saved until you save it.",
    "rules_broken": "This move breaks {n} rule(s). Nothing is saved until you say so.",
    "rule": "Rule",
    "in_words": "In the planner's words",
    "what_breaks": "What breaks it",
    "save": "Save as a new plan",
    "save_anyway": "Save anyway, breaking {n} rule(s)",
    "back": "Back to the session",
    "stale_plan": "The current plan changed since this move was checked. Check the move again.",
    "confirm_needed": "This move breaks {n} rule(s): save it only with the 'save anyway' button.",
    "bad_date": "'{value}' is not a date of the planning period.",
    "bad_slot": "'{value}' is not a meeting slot.",
    "not_a_slot": "{date} {slot} is not a meeting slot of the period.",
    "moved_note": "moved {title} from {before} to {after}",
    # -- a region
    "region_year": "{name}'s year",
    "region_load": (
        "{invitations} invitations, {presentations} presentations; at most {worst} in any "
        "{days} days (cap {cap})"
    ),
    "month": "Month",
    "invitations": "Invitations",
    "sessions": "Sessions",
    "role_presents": "presents",
    "role_listens": "listens",
    # -- plans
    "plans_heading": "Every plan of this workspace",
    "created": "Created",
    "origin": "Made by",
    "origin_solve": "solve",
    "origin_move": "moved by hand",
    "origin_resolve": "re-solve",
    "note": "Note",
    "is_current": "current",
    "view": "view",
    "plan_heading": "Plan {id}",
    "diff_heading": "Against the current plan",
    "diff_parent": "Made from {parent}.",
    "diff_none": "No difference from the current plan.",
    "moved": "Moved ({n})",
    "added": "Added ({n})",
    "cancelled": "Cancelled ({n})",
    "presenters_changed": "Other presenters ({n})",
    "accept": "Accept: make this the current plan",
    "accepted": "This is the current plan.",
    "broken_warning": "This plan was saved breaking {n} rule(s): {rules}",
    "report_lines": "What the re-solve says",
    # -- jobs
    "job_heading": "Solving",
    "job_none": "No solve has run since the workspace opened.",
    "job_kind_solve": "Planning the whole year",
    "job_kind_resolve": "Re-solving the rest ({n} pinned kept)",
    "job_running": "Searching…",
    "job_done": "Done.",
    "job_failed": "No plan.",
    "elapsed": "Seconds",
    "of_limit": "of at most {limit}",
    "best": "Best penalty",
    "bound": "Proven bound",
    "gap": "Gap",
    "plans_found": "Plans found",
    "stop": "Stop and keep the best plan",
    "stopping": "Stopping (within a second or two)…",
    "see_result": "See the result and the changes",
    "already_running": "A solve is already running in this workspace; wait for it or stop it.",
    "no_plan_to_resolve": "There is no current plan to re-solve yet.",
    "bad_time_limit": "The time limit must be a number of seconds from 1 to 3600.",
    "refresh": "Refresh",
    "no_plan_infeasible": "No plan: the rules cannot all hold.",
    "no_plan_invalid": "No plan: the model was invalid (a bug; please report it).",
    "no_plan_in_time": "No plan was found within {limit} s.",
    "note_solve": "a whole new plan",
    "note_resolve": "re-solved with {n} session(s) kept",
    "note_frozen_until": " (everything before {date} and the pinned ones)",
    "note_stopped": "; stopped by the planner, best plan kept",
    # -- why there is no plan
    "nav_why": "Why",
    "why_heading": "Why there is no plan",
    "why_none": "Nobody has asked yet. When a solve finds no plan, ask why here.",
    "why_running": "Looking for the rules that collide…",
    "why_feasible": "Every hard rule can hold together: the scenario has a plan. Solve it.",
    "why_unknown": "Could not tell in time whether the rules can all hold.",
    "why_minimal": "These rules of the scenario cannot all hold together (drop any one and the rest fits):",
    "why_not_minimal": (
        "These rules of the scenario cannot all hold together (perhaps not the smallest such set):"
    ),
    "fields": "Fields",
    "ways_out": "Ways out, each checked by solving the edited scenario",
    "apply_fix": "Apply",
    "no_fixes": "No single edit was found that gives a plan on its own.",
    "tried": "Tried, not enough on its own",
    "ask_why": "Why is there no plan?",
    "why_stale": "The scenario changed since this answer: ask why again.",
    "no_such_fix": "That way out is not in the latest answer: ask why again.",
    "note_fix": "way out: {edit}",
    # -- editing the scenario
    "nav_scenario": "Scenario",
    "scenario_heading": "Scenario '{name}'",
    "nothing_saved": "Nothing was saved.",
    "last_edit": "Last edit: {note}",
    "undo": "Undo this edit",
    "edit_history": "Earlier versions kept ({n})",
    "caps_heading": "Caps",
    "field_window_days": "Window (days)",
    "field_window_max": "Invitations per window at most",
    "field_daily_max": "Invitations per day at most",
    "field_max_presentations": "Presentations in the period at most",
    "field_away": "Away (not invited, not presenting)",
    "field_cannot_present": "Cannot present (still invited)",
    "field_preferred_months": "preferred months",
    "regions_heading": "Regions: days and their own caps",
    "spans_help": (
        "One span a line: 2027-05-03, 2027-05-03..2027-05-14, 2027-W44, W07..W08, or with a "
        "name: Almedalsveckan: 2027-06-28..2027-07-02. A blank cap uses the scenario's."
    ),
    "themes_heading": "Themes: preferred months",
    "save_edit": "Save to scenario.yaml",
    "not_a_number": "'{value}' is not a whole number.",
    "not_a_month": "'{value}' is not a month number (1 to 12).",
    "note_limits": "caps",
    "note_region": "days and caps of {code}",
    "note_theme": "preferred months of {theme}",
    # -- compare and files out
    "nav_compare": "Compare",
    "compare_heading": "Two plans side by side",
    "compare_a": "Plan",
    "compare_b": "against",
    "compare_button": "Compare",
    "out_invitations": "Invitations: only what changed (invitations.zip)",
    "no_chromium": (
        "report.pdf needs headless Chromium and none was found (install it, e.g. apt-get "
        "install chromium, or set ARSHJUL_CHROMIUM); report.html has the same content."
    ),
    "nothing_to_send": "No {file} for this plan: nothing to send.",
    # -- errors
    "not_found": "Not found.",
    "error_heading": "That did not work",
    "home": "Back to the year",
}


def text(key: str, /, **values: object) -> str:
    """The text for ``key`` with ``values`` filled in (the key itself when unknown, so a
    missing text shows up on the page instead of failing it)."""
    template = MESSAGES.get(key, key)
    return template.format(**values) if values else template


__all__ = ["MESSAGES", "MONTHS", "WEEKDAYS", "text"]
