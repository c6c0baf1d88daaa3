// Programme pages: "select all / none" for long member lists. Everything works without it.
(function () {
  "use strict";

  function addToggle(fieldset) {
    var boxes = fieldset.querySelectorAll("input[type=checkbox]");
    if (boxes.length < 4) { return; }
    var bar = document.createElement("div");
    bar.className = "button-group";
    [["Tick all", true], ["Untick all", false]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small";
      button.textContent = pair[0];
      button.addEventListener("click", function () {
        boxes.forEach(function (box) { box.checked = pair[1]; });
      });
      bar.appendChild(button);
    });
    var legend = fieldset.querySelector("legend");
    legend.parentNode.insertBefore(bar, legend.nextSibling);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-check-all]").forEach(addToggle);
  });
})();
