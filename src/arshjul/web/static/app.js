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
