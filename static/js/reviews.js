// Reviews: small enhancements only. Every form works without this file.
(function () {
  "use strict";

  var EDIT_WINDOW_MS = 15 * 60 * 1000;

  // "Not yet" needs feedback: say so next to the box as soon as it is chosen.
  function decisionForms() {
    document.querySelectorAll("[data-decision-form]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        var radio = event.target;
        if (!radio.matches("input[type=radio][name^='decision_']")) { return; }
        var id = radio.name.replace("decision_", "feedback_");
        var feedback = document.getElementById(id);
        if (!feedback) { return; }
        var needed = radio.value === "not_yet";
        feedback.required = needed;
        feedback.setAttribute("aria-required", needed ? "true" : "false");
        if (needed && !feedback.value.trim()) { feedback.focus(); }
      });
      warnBeforeLeaving(form);
    });
  }

  // A reviewer who has typed feedback is warned before leaving the page without sending it.
  function warnBeforeLeaving(form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // Hide "Edit" on a comment once its 15 minutes are up (the server refuses after that anyway).
  function editWindows() {
    document.querySelectorAll("[data-posted-at]").forEach(function (link) {
      var posted = Date.parse(link.getAttribute("data-posted-at"));
      if (isNaN(posted)) { return; }
      var remaining = posted + EDIT_WINDOW_MS - Date.now();
      if (remaining <= 0) { link.hidden = true; return; }
      window.setTimeout(function () { link.hidden = true; }, Math.min(remaining, 2147483647));
    });
  }

  // Open a <details> form that holds an error or is linked to by the address bar.
  function openTargetedForms() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var details = target && target.closest("details");
    if (details) { details.open = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    decisionForms();
    editWindows();
    openTargetedForms();
  });
})();
