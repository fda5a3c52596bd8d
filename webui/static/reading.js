// Alur: the reading job's page follows its progress (GET .../status every second) and moves
// on when the reading ends; without JavaScript the page refreshes itself instead.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("reading");
    if (!box || !box.dataset.status) { return; }
    var stage = document.getElementById("reading-stage");
    var pages = document.getElementById("reading-pages");
    var bar = document.getElementById("reading-bar");
    var elapsed = document.getElementById("reading-elapsed");
    var failures = 0;
    function show(s) {
      if (stage) { stage.textContent = s.stage_text; }
      if (pages) { pages.textContent = s.pages_text; }
      if (elapsed) { elapsed.textContent = s.elapsed_text; }
      if (bar) {
        if (s.pages_total > 0) {
          bar.max = s.pages_total;
          bar.value = s.pages_done;
        } else {
          bar.removeAttribute("value");  // indeterminate until pages are counted
        }
      }
    }
    function poll() {
      fetch(box.dataset.status, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          return r.json();
        })
        .then(function (s) {
          failures = 0;
          show(s);
          if (s.finished) {
            window.location.reload();  // the page itself goes on to the draft or says why not
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () {
          failures += 1;  // a server restarting, a network hiccup: keep trying, more slowly
          window.setTimeout(poll, Math.min(1000 * (failures + 1), 10000));
        });
    }
    window.setTimeout(poll, 1000);
  });
}());
