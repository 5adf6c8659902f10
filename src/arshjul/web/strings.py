"""Every word the workspace shows, in one place, in the language of the workspace's scenario.

Templates and handlers say ``_("key", name=value)`` / ``text("key", name=value)``; the
English text lives here (it is the gettext msgid) and the catalogue of the web's own domain
(``arshjul-web``, see :func:`arshjul.i18n.web_translations`) gives it in Swedish.  Which
language a request speaks is set once per request by :class:`arshjul.web.pages.SpeakTheScenario`
from the scenario's ``language:`` (:func:`speaking`), so call sites never pass it.  Keys are
short and stable; the texts may change.

To add or change a text: put it here wrapped in ``W_(…)``, then run the extract / update /
compile commands in ``babel.cfg`` for the ``arshjul-web`` domain and translate the new entry in
``locale/sv/LC_MESSAGES/arshjul-web.po``; ``tests/web/test_web_i18n.py`` fails until every
key has a Swedish text with the same ``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from babel.dates import get_day_names, get_month_names

from ..i18n import Language, catalogue, web_translations
from ..i18n import speaking as i18n_speaking

WEB_DEFAULT_LANGUAGE: Language = "en"
"""What :func:`text` speaks outside a request (a unit test, a thread started without the
request's context): the msgids themselves."""

_LANGUAGE: ContextVar[Language] = ContextVar("arshjul_web_language", default=WEB_DEFAULT_LANGUAGE)


def W_(message: str) -> str:
    """Marks a workspace text for extraction into the ``arshjul-web`` domain (``pybabel extract
    -k W_``; not ``N_``, so the command line's catalogue never collects the web's words)."""
    return message


def language() -> Language:
    """The language of the page being made (the workspace scenario's ``language:``)."""
    return _LANGUAGE.get()


@contextmanager
def speaking(lang: Language) -> Iterator[None]:
    """Every :func:`text`, month and weekday inside the block is in ``lang``, and so are the
    library's own sentences shown on the page (a broken rule, an explanation)."""
    token = _LANGUAGE.set(lang)
    try:
        with i18n_speaking(lang):
            yield
    finally:
        _LANGUAGE.reset(token)


class Spoken:
    """A fixed list of words (months, weekdays, questions) in the current page's language:
    index or iterate it like the tuple it replaces."""

    def __init__(self, words: Callable[[Language], tuple[str, ...]]) -> None:
        self._words = words

    def __getitem__(self, index: int) -> str:
        return self._words(language())[index]

    def __len__(self) -> int:
        return len(self._words(language()))

    def __iter__(self) -> Iterator[str]:
        return iter(self._words(language()))


@cache
def _months(lang: Language) -> tuple[str, ...]:
    names = get_month_names("wide", locale=lang)
    return tuple(str(names[m]) for m in range(1, 13))


@cache
def _weekdays(lang: Language) -> tuple[str, ...]:
    names = get_day_names("abbreviated", locale=lang)
    return tuple(str(names[d]).rstrip(".") for d in range(7))


MONTHS = Spoken(_months)
"""``January`` … / ``januari`` … (Babel's CLDR names)."""
WEEKDAYS = Spoken(_weekdays)
"""``Mon`` … ``Sun`` / ``mån`` … ``sön``, Monday first as :meth:`datetime.date.weekday`."""

MESSAGES: dict[str, str] = {
    # -- frame
    "app_title": W_("arshjul workspace"),
    "nav_year": W_("Year"),
    "nav_heatmap": W_("Invitations"),
    "nav_plans": W_("Plans"),
    "nav_job": W_("Solve"),
    "footer": W_("Workspace folder: {root}"),
    "current_plan": W_("Current plan"),
    "no_current_plan": W_("No plan yet"),
    # -- the year
    "year_heading": W_("The year"),
    "wheel_caption": W_("The annual wheel: click a session to open it."),
    "sessions_by_month": W_("Sessions, month by month"),
    "no_sessions_month": W_("No sessions."),
    "presenters": W_("Presenters"),
    "pinned": W_("pinned"),
    "pinned_count": W_("{n} pinned"),
    "penalty": W_("Penalty"),
    "penalty_value": W_("penalty {value}"),
    "penalty_terms": W_("Penalty by rule"),
    "bound_gap": W_("bound {bound}, gap {gap} %"),
    "status": W_("Status"),
    "plan_status_edited": W_("moved by hand; every rule holds"),
    # TRANSLATORS: a plan's status as its label ends ("Mon 1 Feb 2027 09:15:00 · optimal")
    "status_optimal": W_("optimal"),
    "status_feasible": W_("feasible"),
    "status_edited": W_("edited"),
    "status_broken": W_("broken"),
    "plan_status_broken": W_("moved by hand, saved breaking {n} rule(s)"),
    "no_plan_yet": W_("This workspace has no plan yet."),
    "scenario_summary": W_("Scenario '{name}': {sessions} sessions, {regions} regions, {start} to {end}."),
    "solve_first": W_("Solve the year"),
    "solve_again": W_("Solve the whole year again"),
    "time_limit": W_("Time limit (seconds)"),
    "resolve_heading": W_("Re-solve the rest"),
    "resolve_help": W_(
        "Keeps the pinned sessions exactly as they are and re-plans the rest with as few changes as possible."
    ),
    "resolve_button": W_("Re-solve the rest ({n} pinned)"),
    "frozen_until": W_("Also keep everything before (optional)"),
    "downloads": W_("Download"),
    "download_master": W_("Master calendar (calendar.ics)"),
    "download_plan": W_("plan.json"),
    "download_region": W_("Calendar for {name}"),
    "download_regions": W_("One calendar per region"),
    # -- heatmap
    "heatmap_heading": W_("Invitations per region and month"),
    "heatmap_caption": W_("Against each region's cap of invitations in any {days} days."),
    "region": W_("Region"),
    "total": W_("Total"),
    "worst_window": W_("Worst {days} days"),
    "cap": W_("Cap"),
    "presents": W_("Presents"),
    "at_cap": W_("at cap"),
    # -- a session
    "session_when": W_("When"),
    "session_kind": W_("Kind"),
    "session_host": W_("Host"),
    "running_order": W_("Running order"),
    "host_slot": W_("{host} (host)"),
    "invited": W_("Invited regions ({n})"),
    "invited_presenting": W_("presents"),
    "followup_on": W_("Followed up at"),
    "followups": W_("Follows up"),
    "none": W_("none"),
    "pin": W_("Pin this session"),
    "unpin": W_("Unpin"),
    "pin_help": W_("A pinned session stays exactly as it is when the rest is re-solved."),
    "is_pinned": W_("This session is pinned."),
    "move_heading": W_("Move this session"),
    "move_options": W_("Where else it could go (everything else fixed), best first"),
    "move_option": W_("{when} — penalty {objective} ({delta})"),
    "move_option_changes": W_("{when} — penalty {objective} ({delta}; {changes})"),
    "without": W_("without {names}"),
    "with": W_("with {names}"),
    "no_options": W_("No other slot keeps every rule with everything else fixed."),
    "move_free": W_("Any day and slot of the period"),
    "date": W_("Date"),
    "slot": W_("Slot"),
    "check_move": W_("Check this move"),
    "blocked_heading": W_("Why not elsewhere"),
    "blocked_row": W_("{slots} slot(s): {rules}"),
    "blocked_example": W_("e.g. {example}"),
    # -- checking a move
    "check_heading": W_("Checking a move"),
    "move_summary": W_("{title}: from {before} to {after}"),
    "presenters_change": W_("Presenters: {before} → {after}"),
    "penalty_change": W_("Penalty: {before} → {after} ({delta})"),
    "all_rules_hold": W_("Every rule holds. Nothing is saved until you save it."),
    "rules_broken": W_("This move breaks {n} rule(s). Nothing is saved until you say so."),
    "rule": W_("Rule"),
    "in_words": W_("In the planner's words"),
    "what_breaks": W_("What breaks it"),
    "save": W_("Save as a new plan"),
    "save_anyway": W_("Save anyway, breaking {n} rule(s)"),
    "back": W_("Back to the session"),
    "stale_plan": W_("The current plan changed since this move was checked. Check the move again."),
    "confirm_needed": W_("This move breaks {n} rule(s): save it only with the 'save anyway' button."),
    "bad_date": W_("'{value}' is not a date of the planning period."),
    "bad_slot": W_("'{value}' is not a meeting slot."),
    "not_a_slot": W_("{date} {slot} is not a meeting slot of the period."),
    "moved_note": W_("moved {title} from {before} to {after}"),
    # -- a region
    "region_year": W_("{name}'s year"),
    "region_load": W_(
        "{invitations} invitations, {presentations} presentations; at most {worst} in any "
        "{days} days (cap {cap})"
    ),
    "month": W_("Month"),
    "invitations": W_("Invitations"),
    "sessions": W_("Sessions"),
    "role_presents": W_("presents"),
    "role_listens": W_("listens"),
    # -- plans
    "plans_heading": W_("Every plan of this workspace"),
    "created": W_("Created"),
    "origin": W_("Made by"),
    "origin_solve": W_("solve"),
    "origin_move": W_("moved by hand"),
    "origin_resolve": W_("re-solve"),
    "note": W_("Note"),
    "is_current": W_("current"),
    "view": W_("view"),
    "plan_heading": W_("Plan {id}"),
    "diff_heading": W_("Against the current plan"),
    "diff_parent": W_("Made from {parent}."),
    "diff_none": W_("No difference from the current plan."),
    "moved": W_("Moved ({n})"),
    "added": W_("Added ({n})"),
    "cancelled": W_("Cancelled ({n})"),
    "presenters_changed": W_("Other presenters ({n})"),
    "same_start": W_("same start, now ends {end} (was {was})"),
    "accept": W_("Accept: make this the current plan"),
    "accepted": W_("This is the current plan."),
    "broken_warning": W_("This plan was saved breaking {n} rule(s): {rules}"),
    "report_lines": W_("What the re-solve says"),
    # -- jobs
    "job_heading": W_("Solving"),
    "job_none": W_("No solve has run since the workspace opened."),
    "job_kind_solve": W_("Planning the whole year"),
    "job_kind_resolve": W_("Re-solving the rest ({n} pinned kept)"),
    "job_running": W_("Searching…"),
    "job_done": W_("Done."),
    "job_failed": W_("No plan."),
    "elapsed": W_("Seconds"),
    "of_limit": W_("of at most {limit}"),
    "best": W_("Best penalty"),
    "bound": W_("Proven bound"),
    "gap": W_("Gap"),
    "plans_found": W_("Plans found"),
    "stop": W_("Stop and keep the best plan"),
    "stopping": W_("Stopping (within a second or two)…"),
    "see_result": W_("See the result and the changes"),
    "already_running": W_("A solve is already running in this workspace; wait for it or stop it."),
    "no_plan_to_resolve": W_("There is no current plan to re-solve yet."),
    "bad_time_limit": W_("The time limit must be a number of seconds from 1 to 3600."),
    "refresh": W_("Refresh"),
    "no_plan_infeasible": W_("No plan: the rules cannot all hold."),
    "no_plan_invalid": W_("No plan: the model was invalid (a bug; please report it)."),
    "no_plan_in_time": W_("No plan was found within {limit} s."),
    "note_solve": W_("a whole new plan"),
    "note_resolve": W_("re-solved with {n} session(s) kept"),
    "note_frozen_until": W_(" (everything before {date} and the pinned ones)"),
    "note_stopped": W_("; stopped by the planner, best plan kept"),
    # -- why there is no plan
    "nav_why": W_("Why"),
    "why_heading": W_("Why there is no plan"),
    "why_none": W_("Nobody has asked yet. When a solve finds no plan, ask why here."),
    "why_running": W_("Looking for the rules that collide…"),
    "why_feasible": W_("Every hard rule can hold together: the scenario has a plan. Solve it."),
    "why_unknown": W_("Could not tell in time whether the rules can all hold."),
    "why_minimal": W_(
        "These rules of the scenario cannot all hold together (drop any one and the rest fits):"
    ),
    "why_not_minimal": W_(
        "These rules of the scenario cannot all hold together (perhaps not the smallest such set):"
    ),
    "fields": W_("Fields"),
    "ways_out": W_("Ways out, each checked by solving the edited scenario"),
    "apply_fix": W_("Apply"),
    "no_fixes": W_("No single edit was found that gives a plan on its own."),
    "tried": W_("Tried, not enough on its own"),
    "ask_why": W_("Why is there no plan?"),
    "why_stale": W_("The scenario changed since this answer: ask why again."),
    "no_such_fix": W_("That way out is not in the latest answer: ask why again."),
    "note_fix": W_("way out: {edit}"),
    # -- editing the scenario
    "nav_scenario": W_("Scenario"),
    "scenario_heading": W_("Scenario '{name}'"),
    "nothing_saved": W_("Nothing was saved."),
    "last_edit": W_("Last edit: {note}"),
    "undo": W_("Undo this edit"),
    "edit_history": W_("Earlier versions kept ({n})"),
    "caps_heading": W_("Caps"),
    "field_window_days": W_("Window (days)"),
    "field_window_max": W_("Invitations per window at most"),
    "field_daily_max": W_("Invitations per day at most"),
    "field_max_presentations": W_("Presentations in the period at most"),
    "field_away": W_("Away (not invited, not presenting)"),
    "field_cannot_present": W_("Cannot present (still invited)"),
    "field_preferred_months": W_("preferred months"),
    "regions_heading": W_("Regions: days and their own caps"),
    "spans_help": W_(
        "One span a line: 2027-05-03, 2027-05-03..2027-05-14, 2027-W44, W07..W08, or with a "
        "name: Almedalsveckan: 2027-06-28..2027-07-02. A blank cap uses the scenario's."
    ),
    "themes_heading": W_("Themes: preferred months"),
    "save_edit": W_("Save to scenario.yaml"),
    "not_a_number": W_("'{value}' is not a whole number."),
    "not_a_month": W_("'{value}' is not a month number (1 to 12)."),
    "note_limits": W_("caps"),
    "note_region": W_("days and caps of {code}"),
    "note_theme": W_("preferred months of {theme}"),
    # -- compare and files out
    "nav_compare": W_("Compare"),
    "compare_heading": W_("Two plans side by side"),
    "compare_a": W_("Plan"),
    "compare_b": W_("against"),
    "compare_button": W_("Compare"),
    "out_invitations": W_("Invitations: only what changed (invitations.zip)"),
    "no_chromium": W_(
        "report.pdf needs headless Chromium and none was found (install it, e.g. apt-get "
        "install chromium, or set ARSHJUL_CHROMIUM); report.html has the same content."
    ),
    "nothing_to_send": W_("No {file} for this plan: nothing to send."),
    # -- errors
    "not_found": W_("Not found."),
    "error_heading": W_("That did not work"),
    "home": W_("Back to the year"),
    # -- the regions' side
    "nav_proposals": W_("From the regions"),
    "nav_followup": W_("Follow-up"),
    "nav_results": W_("Results"),
    "region_home": W_("{name}: your year"),
    "signed_in_as": W_("Signed in as {person} for {name}."),
    "your_sessions": W_("Your invitations and presentations"),
    "your_load": W_(
        "{invitations} invitations, {presentations} presentations; "
        "at most {worst} in any {days} days (cap {cap})."
    ),
    "r_presents": W_("you present"),
    "r_invited": W_("invited"),
    "away_heading": W_("Days and weeks you are away"),
    "away_help": W_("A date (2027-05-03), a range (2027-05-03..2027-05-14) or an ISO week (2027-W18)."),
    "away_in_scenario": W_("Already in the plan's scenario"),
    "away_add": W_("Add"),
    "away_remove": W_("Withdraw"),
    "interest_heading": W_("Your interest per theme (0–100)"),
    "interest_save": W_("Save interest"),
    "signup_heading": W_("We want to present"),
    "signup_theme": W_("Theme"),
    "signup_focus": W_("S3 focus area we will present"),
    "signup_add": W_("Sign up"),
    "signup_remove": W_("Withdraw"),
    "homework_heading": W_("Homework before your presentations"),
    "homework_due": W_("Due {date} ({days} days before the dialog)"),
    "homework_done": W_("Done"),
    "homework_save": W_("Save"),
    "feed_heading": W_("Your calendar, always up to date"),
    "feed_make": W_("Make my calendar link"),
    "feed_help": W_(
        "Subscribe to it in Outlook (Add calendar → From internet). A new link replaces your previous one."
    ),
    "feed_link": W_("Your calendar link:"),
    "saved": W_("Saved; the planner sees it as a proposed change."),
    "r_no_plan": W_("There is no published plan yet."),
    "proposals_heading": W_("Proposed changes from the regions"),
    "proposals_none": W_("No region has proposed anything that differs from the scenario."),
    "proposals_apply": W_("Apply the chosen changes to scenario.yaml"),
    "proposals_note": W_(
        "Applying changes the scenario for the next solve or re-solve; "
        "the current plan, which may already be sent, stays as it is."
    ),
    "proposals_applied": W_("Applied {n} changes to scenario.yaml. Re-solve to plan with them."),
    "proposal_away": W_("away {key}"),
    "proposal_not_away": W_("no longer away {key}"),
    "proposal_interest": W_("interest in {key}: {value}"),
    "proposal_signup": W_("signs up to present on {key} ({value})"),
    "followup_heading": W_("Dialogs and their follow-up"),
    "followup_of": W_("Follow-up of {title}"),
    "synergies": W_("Synergies found"),
    "save_outcome": W_("Save the outcome"),
    "actions": W_("Actions"),
    "action_text": W_("Action"),
    "action_owner": W_("Owner"),
    "action_due": W_("Due"),
    "add_action": W_("Add the action"),
    "mark_done": W_("Done"),
    "mark_open": W_("Reopen"),
    "agenda_heading": W_("Agenda: {title}"),
    "agenda_dialogs": W_("Dialogs due for follow-up"),
    "agenda_none": W_("No dialog is due for follow-up at this meeting."),
    "agenda_markdown": W_("Agenda as Markdown"),
    # -- the agenda as Markdown and the homework in a region's calendar feed
    "md_synergies": W_("Synergies: {synergies}"),
    "md_no_outcome": W_("No outcome recorded yet"),
    "md_due": W_(", due {date}"),
    "homework_feed": W_("Homework due ({state}): {title} on {date}"),
    "homework_state_done": W_("done"),
    "homework_state_todo": W_("to do"),
    "no_outcome": W_("no outcome recorded yet"),
    "open_actions": W_("Open actions"),
    "results_heading": W_("Results: dialogs held and followed up"),
    "results_held": W_("held"),
    "results_followed": W_("followed up"),
    "results_open": W_("actions open"),
    "results_done": W_("actions done"),
    "by_region": W_("By region"),
    "by_theme": W_("By theme"),
    "bad_field": W_("{message}"),
    # -- regions (part 2)
    "cannot_present_heading": W_("Days and weeks you can listen but cannot present"),
    "cannot_present_help": W_(
        "You stay invited on these days, but nobody from your region presents. "
        "A date, a range or an ISO week, as above."
    ),
    "cannot_present_in_scenario": W_("Already in the plan's scenario"),
    "proposal_cannot_present": W_("can listen but not present {key}"),
    "proposal_can_present_again": W_("can present again {key}"),
    "nav_feeds": W_("Calendar feeds"),
    "feeds_heading": W_("Calendar feeds to send out"),
    "feeds_note": W_(
        "Each region, theme and host can have its own subscription address "
        "(Outlook: Add calendar → From internet). An address is shown only once, when it is made: "
        "it is stored hashed. Make a new one when one is lost, and revoke the old one."
    ),
    "feeds_kind_region": W_("Region"),
    "feeds_kind_theme": W_("Theme"),
    "feeds_kind_host": W_("Host"),
    "feeds_live": W_("Live feeds"),
    "feeds_none": W_("none yet"),
    "feeds_made_on": W_("made {at}"),
    "feeds_via": W_("with {person}'s link"),
    "feeds_make": W_("Make a feed link"),
    "feeds_revoke": W_("Revoke"),
    "feeds_made": W_("New feed for {subject}. Send this address; it is not shown again:"),
    "feeds_https": W_("The same over the web:"),
    "feeds_revoked": W_("The feed is revoked; calendars subscribed to it get nothing more."),
    "feeds_unknown": W_("There is no {kind} '{subject}' in the scenario."),
    "r_focus": W_("You present your focus area {focus}."),
    "homework_focus": W_("Your focus area: {area}"),
    "feed_no_plan": W_("No published plan yet."),
    "feed_empty": W_("This calendar has nothing in the current plan."),
    # -- timeline
    "timeline_heading": W_("Timeline"),
    "timeline_help": W_(
        "Drag a session onto another day (and slot) to check the move: nothing is saved "
        "until you say so. Without a mouse, open the session and use its move form."
    ),
    "timeline_closed": W_("closed: {why}"),
    "timeline_drop": W_("Drop to check {title} on {when}"),
    "timeline_checking": W_("Checking the move…"),
    "why_stage_conflict": W_("Finding the rules that collide…"),
    "why_stage_ways_out": W_(
        "Trying ways out: {done} of {total} colliding rules done, {edits} edits decided…"
    ),
    "why_stop": W_("Stop"),
    "why_stopping": W_("Stopping…"),
    "why_stopped": W_(
        "Stopped by the planner before the answer was complete: what is shown is what was "
        "found by then. Ask again to look further."
    ),
    "why_stopped_nothing": W_("Stopped by the planner before any rule was found to collide."),
    # -- the guard's refusals (web/security.py), in the language the browser asks for
    "guard_bad_host": W_("Bad Host header."),
    # TRANSLATORS: 'arshjul serve' is the command; the access token is in the address it prints
    "guard_forbidden": W_(
        "Forbidden. Open the address that 'arshjul serve' printed (it carries the access token)."
    ),
    "guard_region_forbidden": W_(
        "Forbidden. Open the link you were sent (it may have expired or been revoked)."
    ),
    "guard_too_many": W_("Too many attempts with a wrong token; wait a minute."),
    "guard_other_site": W_("Forbidden: the request came from another site."),
    "guard_too_large": W_("Request too large."),
    "guard_stale_form": W_("Forbidden: the form is stale or was not sent by this page."),
    "guard_method": W_("Method not allowed."),
    "guard_no_calendar": W_("No such calendar (the link may have been revoked)."),
    "guard_signed_in": W_("Signed in."),
    "guard_signed_in_title": W_("Signed in"),
    "guard_continue_region": W_("Continue to your region's page"),
}

_HOMEWORK_QUESTIONS: tuple[str, ...] = (
    W_("Which focus area of your smart specialisation strategy will you present, and why this one?"),
    W_("What are your region's strengths in it: actors, test beds, competence?"),
    W_("What challenges and needs do you see, and where do you want to collaborate with others?"),
    W_("What do you want from Vinnova and from the other regions after the dialog?"),
)
"""The template's questions a presenting region answers before its dialog (the seed's
"mall" for VAD som ska presenteras och HUR; its "hemläxa"), in English."""
HOMEWORK_QUESTIONS = Spoken(lambda lang: tuple(map(web_translations(lang).gettext, _HOMEWORK_QUESTIONS)))
"""The homework questions in the current page's language."""
HOMEWORK_DAYS = 14
"""The homework is due this many days before the dialog (by default)."""


def text(key: str, /, **values: object) -> str:
    """The text for ``key`` with ``values`` filled in (the key itself when unknown, so a
    missing text shows up on the page instead of failing it), in the current page's language."""
    english = MESSAGES.get(key)
    if english is None:
        return key
    template = web_translations(language()).gettext(english)
    return template.format(**values) if values else template


def plan_status(status: str) -> str:
    """A plan's status word (``optimal``, ``feasible``, ``edited``, ``broken``) in the page's
    language; an unknown one as it is."""
    key = f"status_{status}"
    return text(key) if key in MESSAGES else status


def kind_label(kind: str, labels: Mapping[str, str] | None = None) -> str:
    """A meeting kind as the page's language (and the agency's ``labels``) calls it:
    ``Snabbdialog`` / ``Strategic quick dialog``, the same word the calendars use."""
    try:
        return catalogue(language(), labels).kind(kind)
    except (KeyError, ValueError):
        return kind


__all__ = [
    "HOMEWORK_DAYS",
    "HOMEWORK_QUESTIONS",
    "MESSAGES",
    "MONTHS",
    "WEB_DEFAULT_LANGUAGE",
    "WEEKDAYS",
    "W_",
    "Spoken",
    "kind_label",
    "language",
    "plan_status",
    "speaking",
    "text",
]
