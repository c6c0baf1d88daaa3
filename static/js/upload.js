// Evidence uploads: drag-and-drop, a progress bar, the camera choices on phones, and large
// files sent in resumable pieces (tus 1.0: a dropped connection resumes where it stopped, and a
// reload resumes when the same file is chosen again). Without this file the plain multi-file
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

  function tooLarge(form, files, whole) {
    var maxFile = Number(form.getAttribute("data-max-file-bytes")) || 0;
    var maxRequest = Number(form.getAttribute("data-max-request-bytes")) || 0;
    var label = form.getAttribute("data-max-file-label");
    var problems = [];
    var total = 0;
    whole.forEach(function (file) { total += file.size; });
    Array.prototype.forEach.call(files, function (file) {
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

    addCamera(form, drop, chosen);
    var ui = { progress: progress, bar: bar, status: status, button: button, errors: errors };
    offerToResume(form, errors);
    form.addEventListener("submit", function (event) {
      var files = chosenFiles(form);
      if (!files.length) { return; } // let the server say "choose a file"
      event.preventDefault();
      var pieces = Resumable.usable(form) ? files.filter(function (file) {
        return file.size >= Number(form.getAttribute("data-resumable-from"));
      }) : [];
      var whole = files.filter(function (file) { return pieces.indexOf(file) < 0; });
      var problems = tooLarge(form, files, whole);
      if (problems.length) { showErrors(errors, problems, input); return; }
      start(ui);
      sendAll(form, pieces, whole, ui).then(function (outcome) {
        finish(ui, input, outcome.body, outcome.status);
      });
    });
  }

  // On a touch screen the camera is at hand: offer it next to the file picker.
  function addCamera(form, drop, chosen) {
    var template = form.querySelector("template[data-camera-choices]");
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (!template || !coarse || !template.content) { return; }
    drop.parentNode.insertBefore(template.content.cloneNode(true), drop.nextSibling);
    Array.prototype.forEach.call(form.querySelectorAll("[data-camera-input]"), function (camera) {
      camera.addEventListener("change", function () { listChosen(chosen, chosenFiles(form)); });
    });
  }

  function chosenFiles(form) {
    var files = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (field) {
      Array.prototype.forEach.call(field.files || [], function (file) { files.push(file); });
    });
    return files;
  }

  function start(ui) {
    ui.errors.textContent = "";
    ui.progress.hidden = false;
    ui.button.disabled = true;
    ui.bar.value = 0;
    ui.status.textContent = "Starting upload…";
  }

  // Large files one after another in pieces, then the others in one request as before.
  function sendAll(form, pieces, whole, ui) {
    var combined = { uploaded: [], errors: [], redirect: null };
    var chain = Promise.resolve();
    pieces.forEach(function (file) {
      chain = chain.then(function () {
        return Resumable.upload(form, file, ui).then(function (body) { merge(combined, body); });
      });
    });
    return chain.then(function () {
      if (!whole.length) { return { body: combined, status: 200 }; }
      return send(form, whole, ui).then(function (outcome) {
        if (!outcome.body) { return outcome; }
        merge(combined, outcome.body);
        return { body: combined, status: outcome.status };
      });
    });
  }

  function merge(combined, body) {
    if (!body) { return; }
    combined.uploaded = combined.uploaded.concat(body.uploaded || []);
    combined.errors = combined.errors.concat(body.errors || (body.error ? [body.error] : []));
    combined.redirect = body.redirect || combined.redirect;
  }

  // A reload (or a lost tab) leaves a note: say which file to choose again to carry on.
  function offerToResume(form, container) {
    var waiting = Resumable.waiting(form);
    if (!waiting.length) { return; }
    var notice = element("div", "notice");
    notice.setAttribute("data-upload-resume-notice", "");
    notice.appendChild(element("p", "", "An upload did not finish: " + waiting.join(", ") +
      ". Choose the same file again and upload it: it carries on where it stopped."));
    container.appendChild(notice);
  }

  function send(form, files, ui) {
    var data = new FormData();
    var token = form.querySelector("input[name=csrf_token]");
    if (token) { data.append("csrf_token", token.value); }
    files.forEach(function (file) { data.append("files", file, file.name); });
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
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
        resolve({ body: body, status: request.status });
      });
      request.addEventListener("error", function () { resolve({ body: null, status: 0 }); });
      request.send(data);
    });
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

  // --- SHA-256 over a whole file, piece by piece (Web Crypto has no incremental digest) --------

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function Sha256() {
    this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Uint32Array(64);
    this.rest = new Uint8Array(64);
    this.kept = 0;
    this.length = 0;
  }

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  Sha256.prototype.block = function (bytes, at) {
    var w = this.w, h = this.h, i;
    for (i = 0; i < 16; i += 1) {
      w[i] = (bytes[at + 4 * i] << 24) | (bytes[at + 4 * i + 1] << 16) |
             (bytes[at + 4 * i + 2] << 8) | bytes[at + 4 * i + 3];
    }
    for (i = 16; i < 64; i += 1) {
      var x = w[i - 15], y = w[i - 2];
      w[i] = w[i - 16] + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7] +
             (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10));
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (i = 0; i < 64; i += 1) {
      var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] +
                w[i]) | 0;
      var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  };

  Sha256.prototype.update = function (bytes) {
    var at = 0;
    this.length += bytes.length;
    if (this.kept) {
      var take = Math.min(64 - this.kept, bytes.length);
      this.rest.set(bytes.subarray(0, take), this.kept);
      this.kept += take;
      at = take;
      if (this.kept < 64) { return; }
      this.block(this.rest, 0);
      this.kept = 0;
    }
    for (; at + 64 <= bytes.length; at += 64) { this.block(bytes, at); }
    this.rest.set(bytes.subarray(at), 0);
    this.kept = bytes.length - at;
  };

  Sha256.prototype.hex = function () {
    var tail = new Uint8Array(this.kept < 56 ? 64 : 128);
    tail.set(this.rest.subarray(0, this.kept));
    tail[this.kept] = 0x80;
    var bits = this.length * 8;
    var view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(tail.length - 4, bits >>> 0);
    for (var at = 0; at < tail.length; at += 64) { this.block(tail, at); }
    return Array.prototype.map.call(this.h, function (word) {
      return ("0000000" + word.toString(16)).slice(-8);
    }).join("");
  };

  function readBytes(blob) {
    if (blob.arrayBuffer) { return blob.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(blob);
    });
  }

  function fileSha256(file, onProgress) {
    var hash = new Sha256();
    var step = 4 * 1024 * 1024;
    function from(offset) {
      if (offset >= file.size) { return Promise.resolve(hash.hex()); }
      return readBytes(file.slice(offset, offset + step)).then(function (buffer) {
        hash.update(new Uint8Array(buffer));
        onProgress(Math.min(offset + step, file.size));
        return from(offset + step);
      });
    }
    return from(0);
  }

  function pieceChecksum(buffer) {
    var subtle = window.crypto && window.crypto.subtle;
    var digest = subtle ? subtle.digest("SHA-256", buffer).then(function (value) {
      return new Uint8Array(value);
    }) : Promise.resolve(null);
    return digest.then(function (bytes) {
      if (!bytes) { return null; } // no Web Crypto (plain http): the whole-file check remains
      return "sha256 " + window.btoa(String.fromCharCode.apply(null, bytes));
    });
  }

  // --- resumable uploads (tus 1.0 core, creation, checksum) ---------------------------------

  var Resumable = (function () {
    var PREFIX = "portfolio.upload.";
    var MAX_FAILURES = 40; // about five minutes of retrying before asking the person
    var KEPT_MS = 24 * 3600 * 1000; // the server forgets an unfinished upload after a day

    function usable(form) {
      return Boolean(form.getAttribute("data-resumable-url") && window.Promise &&
                     window.localStorage && window.Uint8Array && window.Blob &&
                     Blob.prototype.slice);
    }

    function user() { return document.body.getAttribute("data-user") || ""; }

    function keyFor(form, file) {
      return PREFIX + [user(), form.action, file.name, file.size, file.lastModified].join("|");
    }

    function remember(key, value) {
      try {
        if (value) { localStorage.setItem(key, JSON.stringify(value)); }
        else { localStorage.removeItem(key); }
      } catch (ignore) { /* private mode: resuming after a reload is not possible */ }
    }

    function recall(key) {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (ignore) { return null; }
    }

    function waiting(form) {
      var names = [];
      var mine = PREFIX + [user(), form.action].join("|") + "|";
      for (var i = 0; i < localStorage.length; i += 1) {
        var key = localStorage.key(i);
        var saved = key && key.indexOf(mine) === 0 ? recall(key) : null;
        if (saved && saved.name && Date.now() - (saved.started || 0) < KEPT_MS) {
          names.push("“" + saved.name + "”");
        }
      }
      return names;
    }

    function b64(text) { return window.btoa(unescape(encodeURIComponent(text))); }

    function token(form) {
      var field = form.querySelector("input[name=csrf_token]");
      return field ? field.value : "";
    }

    // One request; resolves {status, headers, body} (status 0: the network failed).
    function call(method, url, headers, payload, onProgress) {
      return new Promise(function (resolve) {
        var request = new XMLHttpRequest();
        request.open(method, url);
        request.setRequestHeader("Tus-Resumable", "1.0.0");
        request.setRequestHeader("Accept", "application/json");
        Object.keys(headers).forEach(function (name) {
          request.setRequestHeader(name, headers[name]);
        });
        if (onProgress && request.upload) {
          request.upload.addEventListener("progress", function (event) {
            onProgress(event.loaded);
          });
        }
        request.addEventListener("load", function () {
          var body = null;
          try { body = JSON.parse(request.responseText); } catch (ignore) { body = null; }
          resolve({ status: request.status, body: body,
                    offset: request.getResponseHeader("Upload-Offset"),
                    location: request.getResponseHeader("Location") });
        });
        request.addEventListener("error", function () { resolve({ status: 0 }); });
        request.addEventListener("abort", function () { resolve({ status: 0 }); });
        request.send(payload === undefined ? null : payload);
      });
    }

    // Wait before the next try: longer after each failure, at once when the network returns.
    function pause(failures) {
      var delay = Math.min(1000 * Math.pow(2, failures - 1), 8000);
      return new Promise(function (resolve) {
        var timer = null;
        function go() {
          window.clearTimeout(timer);
          window.removeEventListener("online", go);
          resolve();
        }
        timer = window.setTimeout(go, delay);
        window.addEventListener("online", go);
      });
    }

    function create(form, file, key, ui) {
      ui.status.textContent = "Checking “" + file.name + "” before sending it…";
      return fileSha256(file, function (done) {
        ui.bar.value = Math.round(100 * done / file.size);
      }).then(function (sha256) {
        var metadata = "filename " + b64(file.name) + ",sha256 " + b64(sha256);
        var entry = form.getAttribute("data-entry-id");
        if (entry) { metadata += ",entry " + b64(entry); }
        return call("POST", form.getAttribute("data-resumable-url"), {
          "Upload-Length": String(file.size), "Upload-Metadata": metadata,
          "X-CSRFToken": token(form)
        });
      }).then(function (answer) {
        if (answer.status !== 201) { return { refused: refusal(answer) }; }
        var session = { url: answer.location, name: file.name, started: Date.now() };
        remember(key, session);
        return session;
      });
    }

    function refusal(answer) {
      if (answer.body && (answer.body.errors || answer.body.error)) {
        return { uploaded: [], errors: answer.body.errors || [answer.body.error],
                 redirect: null };
      }
      return { uploaded: [], errors: ["The upload did not work. Reload the page and try again."],
               redirect: null };
    }

    function show(ui, file, sent, resuming) {
      var percent = Math.floor(100 * sent / file.size);
      ui.bar.value = percent;
      ui.status.textContent = (resuming ? "Connection lost: resuming… " : "") + "“" + file.name +
        "”: " + percent + "% uploaded (" + formatSize(sent) + " of " + formatSize(file.size) + ")" +
        (sent === file.size ? ". Checking the file…" : "");
      ui.progress.setAttribute("data-state", resuming ? "resuming" : "sending");
    }

    function upload(form, file, ui) {
      var key = keyFor(form, file);
      var piece = Number(form.getAttribute("data-resumable-piece")) || 2 * 1024 * 1024;
      var failures = 0;
      var sent = 0;
      var restarted = false;
      var session = recall(key);

      function begin() {
        return create(form, file, key, ui).then(function (made) {
          if (made.refused) { return made.refused; }
          session = made;
          return from(0);
        });
      }

      // Ask the server where the upload stands, then carry on from there.
      function locate() {
        return call("HEAD", session.url, {}).then(function (answer) {
          if (answer.status === 200) { return from(Number(answer.offset)); }
          if (answer.status === 404 && !restarted) { // expired or finished elsewhere
            restarted = true;
            remember(key, null);
            return begin();
          }
          if (answer.status === 404) { return refusal(answer); }
          return retry();
        });
      }

      function retry() {
        failures += 1;
        if (failures > MAX_FAILURES) {
          return { uploaded: [], redirect: null, errors: [
            "The upload of “" + file.name + "” stopped because the connection kept dropping. " +
            "Upload it again when you have a better signal: it carries on where it stopped."] };
        }
        show(ui, file, sent, true);
        return pause(failures).then(locate);
      }

      function from(offset) {
        sent = offset;
        show(ui, file, offset, failures > 0);
        var blob = file.slice(offset, Math.min(offset + piece, file.size));
        return readBytes(blob).then(function (buffer) {
          return pieceChecksum(buffer).then(function (checksum) {
            var headers = { "Upload-Offset": String(offset), "X-CSRFToken": token(form),
                            "Content-Type": "application/offset+octet-stream" };
            if (checksum) { headers["Upload-Checksum"] = checksum; }
            return call("PATCH", session.url, headers, buffer, function (loaded) {
              show(ui, file, offset + loaded, false);
            });
          });
        }).then(function (answer) {
          if (answer.status === 204) {
            failures = 0;
            return from(Number(answer.offset));
          }
          if (answer.status === 200 || answer.status === 422) {
            remember(key, null);
            return answer.body || refusal(answer);
          }
          if (answer.status === 409 || answer.status === 460 || answer.status === 404) {
            return locate();
          }
          if (answer.status === 0 || answer.status >= 500) {
            return retry();
          }
          remember(key, null);
          return refusal(answer);
        });
      }

      return session && session.url ? locate() : begin();
    }

    return { usable: usable, upload: upload, waiting: waiting, Sha256: Sha256 };
  })();

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-upload-form]"), enhance);
  });
})();
