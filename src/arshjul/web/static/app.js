// arshjul workspace: the little script the pages use (no inline script anywhere: the
// Content-Security-Policy allows only this file).  Every page works without it too.
"use strict";

(function () {
  // The wheel: a click on a session opens it.
  document.querySelectorAll(".wheel g.session[id^='session-']").forEach(function (g) {
    var id = g.id.slice("session-".length);
    g.classList.add("clickable");
    g.addEventListener("click", function () {
      window.location.href = "/session/" + encodeURIComponent(id);
    });
  });

  // The heat map: a click on a region's row opens its year.
  document.querySelectorAll(".heatmap g.region[data-region]").forEach(function (g) {
    g.classList.add("clickable");
    g.addEventListener("click", function () {
      window.location.href = "/region/" + encodeURIComponent(g.getAttribute("data-region"));
    });
  });

  // The timeline: drag a session (pointer events: mouse, pen and touch alike) onto another
  // day's slot, and the move is checked exactly as the session page's move form checks it
  // (the form below is posted to /session/<id>/check): the page then says what the move
  // would break, before anything is saved.  A click without a drag opens the session, and
  // Escape cancels a drag.
  var timeline = document.getElementById("timeline");
  var form = document.getElementById("timeline-form");
  if (timeline && form) {
    var drag = null;
    var cellAt = function (x, y) {
      var el = document.elementFromPoint(x, y);
      return el ? el.closest(".tl-cell[data-date]") : null;
    };
    var mark = function (cell) {
      if (drag.over === cell) {
        return;
      }
      if (drag.over) {
        drag.over.classList.remove("drop-over");
      }
      drag.over = cell && cell !== drag.home ? cell : null;
      if (drag.over) {
        drag.over.classList.add("drop-over");
      }
    };
    var end = function () {
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("pointerup", onUp);
      document.removeEventListener("pointercancel", onCancel);
      document.removeEventListener("keydown", onKey);
      if (drag.ghost) {
        drag.ghost.remove();
      }
      if (drag.over) {
        drag.over.classList.remove("drop-over");
      }
      drag.home.classList.remove("drop-home");
      drag.chip.classList.remove("dragging");
      document.body.classList.remove("tl-dragging");
      var was = drag;
      drag = null;
      return was;
    };
    var onMove = function (e) {
      if (!drag.moved) {
        if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 5) {
          return;
        }
        drag.moved = true;
        drag.ghost = drag.chip.cloneNode(true);
        drag.ghost.removeAttribute("href");
        drag.ghost.removeAttribute("title");
        drag.ghost.textContent = drag.chip.getAttribute("data-title");
        drag.ghost.classList.add("chip-ghost");
        document.body.appendChild(drag.ghost);
        drag.chip.classList.add("dragging");
        drag.home.classList.add("drop-home");
        document.body.classList.add("tl-dragging");
      }
      drag.ghost.style.left = e.clientX + "px";
      drag.ghost.style.top = e.clientY + "px";
      mark(cellAt(e.clientX, e.clientY));
    };
    var onUp = function (e) {
      if (drag.moved) {
        mark(cellAt(e.clientX, e.clientY));
      }
      var was = end();
      if (!was.moved) {
        return; // a click: the link opens the session
      }
      // the click that follows a drag must not open the session
      was.chip.addEventListener("click", function (ev) { ev.preventDefault(); }, { once: true, capture: true });
      if (!was.over) {
        return; // dropped where it was, or outside the timeline: nothing to check
      }
      var status = document.getElementById("timeline-status");
      if (status) {
        status.textContent = timeline.getAttribute("data-checking");
      }
      form.action = "/session/" + encodeURIComponent(was.chip.getAttribute("data-session")) + "/check";
      form.elements.date.value = was.over.getAttribute("data-date");
      form.elements.slot.value = was.over.getAttribute("data-slot");
      form.submit();
    };
    var onCancel = function () {
      end();
    };
    var onKey = function (e) {
      if (e.key === "Escape") {
        var was = end();
        if (was.moved) {
          was.chip.addEventListener("click", function (ev) { ev.preventDefault(); }, { once: true, capture: true });
        }
      }
    };
    timeline.addEventListener("pointerdown", function (e) {
      var chip = e.target.closest(".chip[data-session]");
      if (!chip || e.button !== 0 || drag) {
        return;
      }
      e.preventDefault(); // no text selection, no native drag of the link
      drag = { chip: chip, home: chip.closest(".tl-cell"), x: e.clientX, y: e.clientY, moved: false, ghost: null, over: null };
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
      document.addEventListener("pointercancel", onCancel);
      document.addEventListener("keydown", onKey);
    });
  }

  // The progress page: poll the job's status until it has finished.
  var job = document.getElementById("job");
  if (!job || job.getAttribute("data-state") !== "running") {
    return;
  }
  function show(field, value, unit) {
    var el = job.querySelector("[data-field='" + field + "']");
    if (el) {
      el.textContent = value === null || value === undefined ? "—" : String(value) + (unit || "");
    }
  }
  function poll() {
    fetch(job.getAttribute("data-status"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (s) {
        show("elapsed", s.elapsed);
        show("best", s.best);
        show("bound", s.bound);
        show("gap", s.gap, " %");
        show("solutions", s.solutions);
        if (s.stage_text) {
          show("stage_text", s.stage_text);
        }
        if (s.state === "running") {
          window.setTimeout(poll, 1000);
          return;
        }
        if (s.state === "done" && s.result) {
          // the new plan, with what changed against the current one
          window.location.href = "/plans/" + encodeURIComponent(s.result);
          return;
        }
        window.location.reload(); // the page says why there is no plan
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  window.setTimeout(poll, 500);
})();
