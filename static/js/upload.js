// Evidence uploads: drag-and-drop and a progress bar. Without this file the plain multi-file
// input and the Upload button do the same job.
(function () {
  "use strict";

  function formatSize(bytes) {
    var units = ["bytes", "KB", "MB", "GB"];
    var value = bytes;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return unit === 0 ? value + " bytes" : value.toFixed(1).replace(/\.0$/, "") + " " + units[unit];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // The same error summary the server renders, so it looks and reads the same.
  function showErrors(container, messages, input) {
    container.textContent = "";
    if (!messages.length) { return; }
    var summary = element("div", "error-summary");
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.appendChild(element("h2", "error-summary__title", "There is a problem"));
    var list = element("ul", "error-summary__list");
    messages.forEach(function (message) {
      var item = element("li");
      var link = element("a", "", message);
      link.href = "#" + input.id;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
    container.appendChild(summary);
    summary.focus();
  }

  function showNotice(container, text, href) {
    var notice = element("div", "notice notice--success");
    notice.setAttribute("role", "status");
    var paragraph = element("p", "", text + " ");
    if (href) {
      var link = element("a", "", "Continue");
      link.href = href;
      paragraph.appendChild(link);
    }
    notice.appendChild(paragraph);
    container.appendChild(notice);
  }

  function tooLarge(form, files) {
    var maxFile = Number(form.getAttribute("data-max-file-bytes")) || 0;
    var maxRequest = Number(form.getAttribute("data-max-request-bytes")) || 0;
    var label = form.getAttribute("data-max-file-label");
    var problems = [];
    var total = 0;
    Array.prototype.forEach.call(files, function (file) {
      total += file.size;
      if (maxFile && file.size > maxFile) {
        problems.push("“" + file.name + "”: the file is larger than " + label +
                      ", the limit for one file. Share large videos as a link instead.");
      }
    });
    if (!problems.length && maxRequest && total > maxRequest) {
      problems.push("The files you chose add up to more than " + formatSize(maxRequest) +
                    ", the most one upload can carry. Upload fewer or smaller files at a time.");
    }
    return problems;
  }

  function listChosen(list, files) {
    list.textContent = "";
    Array.prototype.forEach.call(files, function (file) {
      list.appendChild(element("li", "", file.name + " (" + formatSize(file.size) + ")"));
    });
  }

  function enhance(form) {
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector("[data-upload-drop]");
    var chosen = form.querySelector("[data-upload-chosen]");
    var progress = form.querySelector("[data-upload-progress]");
    var bar = form.querySelector("[data-upload-bar]");
    var status = form.querySelector("[data-upload-status]");
    var button = form.querySelector("button[type=submit]");
    var errors = document.querySelector("[data-upload-errors]") || element("div");
    if (!input || !window.FormData || !window.XMLHttpRequest) { return; }

    var hint = form.querySelector("[data-upload-drop-hint]");
    if (hint) { hint.hidden = false; }
    input.addEventListener("change", function () { listChosen(chosen, input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("is-dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("is-dragging"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        listChosen(chosen, input.files);
      }
    });

    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; } // let the server say "choose a file"
      event.preventDefault();
      var problems = tooLarge(form, input.files);
      if (problems.length) { showErrors(errors, problems, input); return; }
      send(form, input, { progress: progress, bar: bar, status: status, button: button,
                          errors: errors });
    });
  }

  function send(form, input, ui) {
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    ui.errors.textContent = "";
    ui.progress.hidden = false;
    ui.button.disabled = true;
    ui.bar.value = 0;
    ui.status.textContent = "Starting upload…";
    request.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.round(100 * event.loaded / event.total);
      ui.bar.value = percent;
      ui.status.textContent = percent + "% uploaded (" + formatSize(event.loaded) + " of " +
        formatSize(event.total) + ")" + (percent === 100 ? ". Checking the files…" : "");
    });
    request.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (ignore) { body = null; }
      finish(ui, input, body, request.status);
    });
    request.addEventListener("error", function () {
      finish(ui, input, null, 0);
    });
    request.send(new FormData(form));
  }

  function finish(ui, input, body, statusCode) {
    ui.button.disabled = false;
    ui.progress.hidden = true;
    if (!body) {
      var message = statusCode === 0
        ? "The upload was interrupted. Check your connection and try again."
        : "The upload did not work. Reload the page and try again.";
      showErrors(ui.errors, [message], input);
      return;
    }
    if (!Array.isArray(body.errors)) {
      // A refusal from outside the upload form (for example an expired form token).
      showErrors(ui.errors, [body.detail || body.error || "The upload did not work."], input);
      return;
    }
    if (!body.errors.length && body.redirect) {
      window.location.assign(body.redirect);
      return;
    }
    showErrors(ui.errors, body.errors, input);
    if (body.uploaded.length) {
      var count = body.uploaded.length;
      showNotice(ui.errors, (count === 1 ? "1 file was" : count + " files were") +
                 " uploaded; the files listed above were not.", body.redirect);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-upload-form]"), enhance);
  });
})();
