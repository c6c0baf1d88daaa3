// Progressive enhancement only: every action works without this file.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  function confirmButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  // Links inside the error summary move focus to the field, not just scroll to it.
  function errorSummaryLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".error-summary a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var input = field.matches("fieldset") ? field.querySelector("input, select, textarea") : field;
      (input || field).focus();
      field.scrollIntoView({ block: "center" });
    });
  }

  // The phone menu is a <details>; Escape closes it and puts focus back on its button.
  function menuEscape() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var menu = document.querySelector("[data-site-menu][open]");
      if (!menu) { return; }
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    confirmButtons();
    errorSummaryLinks();
    menuEscape();
  });
})();
