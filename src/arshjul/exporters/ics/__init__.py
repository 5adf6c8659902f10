"""iCalendar files that Outlook imports as they are, and reading edited times back.

Written for what Outlook really does (see ``shared/outlook-ics.md``).  One module per job:

- :mod:`.text` — what an event says (SUMMARY, DESCRIPTION, LOCATION);
- :mod:`.events` — UIDs, the VEVENTs and the bytes of one calendar file;
- :mod:`.files` — safe file names inside the output folder;
- :mod:`.publish` — plain ``METHOD:PUBLISH`` calendars: master, region, theme, host;
- :mod:`.itip` — invitation mode, ``METHOD:REQUEST``/``CANCEL`` updates;
- :mod:`.read` — the UID pattern and reading an edited calendar back into sessions;
- :mod:`.lint` — our own check of a file against the Outlook rules.

The names below are the package's public face; ``from arshjul.exporters.ics import …``
keeps working for all of them.
"""

from .events import PRODID, UID_DOMAIN, UID_MAX_BYTES, closure_uid, session_uid
from .files import safe_name
from .itip import Sending, what_to_send, write_invitations
from .lint import outlook_problems
from .publish import host_calendar, master_calendar, region_calendar, theme_calendar, write_calendars
from .read import SESSION_UID, SessionEvent, read_ics_sessions, session_events, session_ids
from .text import event_description, event_location, summary

__all__ = [
    "PRODID",
    "SESSION_UID",
    "UID_DOMAIN",
    "UID_MAX_BYTES",
    "Sending",
    "SessionEvent",
    "closure_uid",
    "event_description",
    "event_location",
    "host_calendar",
    "master_calendar",
    "outlook_problems",
    "read_ics_sessions",
    "region_calendar",
    "safe_name",
    "session_events",
    "session_ids",
    "session_uid",
    "summary",
    "theme_calendar",
    "what_to_send",
    "write_calendars",
    "write_invitations",
]
