// Export job page: poll the job's JSON status and move the progress bar without reloading.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) while the job runs.
(function () {
  "use strict";

  var POLL_MS = 1500;

  function update(box, state) {
    var bar = box.querySelector("progress");
    if (bar && state.total) {
      bar.max = state.total;
      bar.value = state.done;
      bar.textContent = state.percent + "%";
    }
    var percent = box.querySelector("[data-job-percent]");
    var label = box.querySelector("[data-job-label]");
    if (percent) { percent.textContent = state.percent + "%"; }
    if (label && label.textContent !== state.label) { label.textContent = state.label; }
  }

  function poll(box) {
    var url = box.getAttribute("data-job-status-url");
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (state) {
        update(box, state);
        if (state.active) {
          window.setTimeout(function () { poll(box); }, POLL_MS);
        } else {
          // Finished or failed: reload to show the download link or the retry button.
          window.location.reload();
        }
      })
      .catch(function () {
        // A network blip: try again a little later rather than giving up.
        window.setTimeout(function () { poll(box); }, POLL_MS * 4);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-job-status-url]");
    if (box) { window.setTimeout(function () { poll(box); }, POLL_MS); }
  });
})();
