"""``arshjul serve``: the planner's workspace in the browser.

See the year as a wheel and month by month, move a session and have the move checked before
anything is saved, pin sessions and re-solve the rest, accept a new plan, and download its
calendars.  A workspace is a folder (:mod:`arshjul.web.workspace`); the server answers only
on this machine and only to the address it printed (:mod:`arshjul.web.security`).  Every
call into the library goes through :mod:`arshjul.web.library`.
"""

from .app import create_app
from .security import Access, new_token
from .workspace import Workspace, WorkspaceError

__all__ = ["Access", "Workspace", "WorkspaceError", "create_app", "new_token"]
