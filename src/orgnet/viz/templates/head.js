/* orgnet: collect JavaScript errors into the page, so a failed view says why. */
(function () {
  "use strict";
  var state = window.orgnet = window.orgnet || { networks: {}, errors: [] };
  function show() {
    var box = document.getElementById("orgnet-errors");
    if (box) { box.textContent = state.errors.join("\n"); }
  }
  state.report = function (err) {
    var text = err && err.stack ? String(err.stack) : String(err);
    state.errors.push("JavaScript error: " + text);
    if (document.body) { show(); } else { document.addEventListener("DOMContentLoaded", show); }
  };
  window.addEventListener("error", function (ev) {
    state.report(ev.error || ev.message || "unknown error");
  });
  window.addEventListener("unhandledrejection", function (ev) { state.report(ev.reason); });
})();
