// Never lose a word: autosave writing forms to the server, keep a copy in this browser until
// the server has it, warn before leaving with unsaved changes, count characters, preview
// Markdown. Everything here is an enhancement: the forms save without JavaScript.
(function () {
  "use strict";

  var SAVE_EVERY_MS = 20000;
  var STASH_PREFIX = "portfolio-draft:";

  function stashKey(form) { return STASH_PREFIX + form.getAttribute("data-draft-key"); }

  function readStash(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function writeStash(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
  }

  function dropStash(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
  }

  function fieldValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || name === "action" || typeof value !== "string") { return; }
      (values[name] = values[name] || []).push(value);
    });
    return values;
  }

  // The words a person typed: text boxes only. Hidden fields (the lock version changes on
  // every save) and choices are not text that could be lost.
  function typedText(form, values) {
    var text = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var typed = element.tagName === "TEXTAREA" || (element.tagName === "INPUT" &&
        ["text", "search", "date", "email", "url", "number"].indexOf(element.type) !== -1);
      if (!typed || !element.name || !values[element.name]) { return; }
      text[element.name] = values[element.name].join("\n").replace(/\s+/g, " ").trim();
    });
    return text;
  }

  function sameText(form, kept) {
    var mine = typedText(form, kept);
    var shown = typedText(form, fieldValues(form));
    return Object.keys(mine).every(function (name) { return (shown[name] || "") === mine[name]; });
  }

  // One id per browser tab, kept across reloads: a reload in the same tab is the same editor.
  function tabId() {
    try {
      var id = window.sessionStorage.getItem("portfolio-editor-tab");
      if (!id) {
        id = String(Date.now()) + Math.random().toString(36).slice(2);
        window.sessionStorage.setItem("portfolio-editor-tab", id);
      }
      return id;
    } catch (e) { return ""; }
  }

  // A page that shows the form again (a conflict, an error, an expired form) has not saved it.
  function pageDidNotSave() {
    return Boolean(document.querySelector("[data-conflict], [data-error-summary], [data-not-saved]"));
  }

  function setFieldValues(form, values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values) || element.type === "hidden") { return; }
      var wanted = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" || element.tagName === "TEXTAREA" || element.tagName === "INPUT") {
        element.value = wanted[0];
      }
    });
  }

  function Autosaver(form) {
    this.form = form;
    this.url = form.getAttribute("data-autosave-url");
    this.key = stashKey(form);
    this.user = form.getAttribute("data-user");
    this.status = form.querySelector("[data-autosave-status]");
    this.changes = 0;
    this.savedChanges = 0;
    this.inFlight = false;
    this.paused = false;
    this.submitting = false;
    this.timer = null;
    this.stashTimer = null;
    this.retriedToken = false;
    this.pendingSubmitter = undefined;
    this.start();
  }

  Autosaver.prototype.isDirty = function () { return this.changes !== this.savedChanges; };

  Autosaver.prototype.start = function () {
    var self = this;
    self.offerStash();
    self.form.addEventListener("input", function () { self.changed(); });
    self.form.addEventListener("change", function () { self.changed(); });
    self.form.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (next && next.type === "submit" && next.form === self.form) { return; }  // the form is being sent
      if (self.isDirty()) { self.save(); }
    });
    self.form.addEventListener("submit", function (event) {
      if (self.inFlight) {
        // An autosave is on its way: send the form once it is back, with its new lock version.
        event.preventDefault();
        self.pendingSubmitter = event.submitter || null;
        return;
      }
      self.submitting = true;
      self.stashNow();
    });
    window.addEventListener("beforeunload", function (event) {
      if (self.submitting || (!self.isDirty() && !self.inFlight)) { return undefined; }
      self.stashNow();
      event.preventDefault();
      event.returnValue = "You have changes that are not saved yet.";
      return event.returnValue;
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && self.isDirty()) { self.stashNow(); self.save(); }
    });
  };

  Autosaver.prototype.changed = function () {
    var self = this;
    self.changes += 1;
    window.clearTimeout(self.stashTimer);
    self.stashTimer = window.setTimeout(function () { self.stashNow(); }, 800);
    if (!self.timer) {
      self.timer = window.setTimeout(function () { self.timer = null; self.save(); }, SAVE_EVERY_MS);
    }
  };

  Autosaver.prototype.stashNow = function () {
    if (!this.isDirty()) { return; }
    writeStash(this.key, { user: this.user, tab: tabId(), savedAt: Date.now(),
      fields: fieldValues(this.form) });
  };

  // Text this browser kept that the server never received (e.g. the tab closed while offline).
  Autosaver.prototype.offerStash = function () {
    var self = this;
    var stash = readStash(self.key);
    if (!stash || stash.user !== self.user) { return; }
    if (sameText(self.form, stash.fields)) {
      // The page shows this text: saved (drop the copy), or shown again unsaved (keep it quietly).
      if (!pageDidNotSave()) { dropStash(self.key); }
      return;
    }
    var serverSaved = Date.parse(self.form.getAttribute("data-server-saved") || "") || 0;
    if (stash.savedAt <= serverSaved) { dropStash(self.key); return; }
    if (stash.tab && stash.tab === tabId() && !pageDidNotSave()) {
      // This tab was reloaded while its last words were on their way: they are this editor's
      // own, so put them back and save them (a repeat of text the server has is no conflict).
      setFieldValues(self.form, stash.fields);
      self.changed();
      self.save();
      self.say("Your latest text from before the page reloaded has been put back.");
      return;
    }
    var notice = document.createElement("div");
    notice.className = "notice notice--warning stash-notice";
    notice.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "This browser kept text you wrote on " + new Date(stash.savedAt).toLocaleString("en-GB", {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: "Europe/London" }) +
      " that was never saved. Do you want it back?";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Put my kept text back";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--secondary";
    discard.textContent = "Discard it";
    restore.addEventListener("click", function () {
      setFieldValues(self.form, stash.fields);
      notice.remove();
      self.changed();
      self.save();
    });
    discard.addEventListener("click", function () { dropStash(self.key); notice.remove(); });
    notice.appendChild(text);
    notice.appendChild(restore);
    notice.appendChild(discard);
    self.form.parentNode.insertBefore(notice, self.form);
  };

  Autosaver.prototype.say = function (message, link) {
    if (!this.status) { return; }
    this.status.textContent = message;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.textContent = link.text;
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(anchor);
    }
  };

  Autosaver.prototype.save = function () {
    var self = this;
    window.clearTimeout(self.timer);
    self.timer = null;
    if (self.inFlight || self.paused || self.submitting || !self.isDirty()) { return; }
    self.inFlight = true;
    var sentChanges = self.changes;
    var body = new URLSearchParams();
    new FormData(self.form).forEach(function (value, name) {
      if (name !== "action" && typeof value === "string") { body.append(name, value); }
    });
    var token = self.form.querySelector("input[name=csrf_token]");
    self.say("Saving…");
    window.fetch(self.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      self.inFlight = false;
      self.handle(result.status, result.data, sentChanges);
      self.resumeSubmit();
    }).catch(function () {
      self.inFlight = false;
      self.resumeSubmit();
      self.stashNow();
      self.say("Could not reach the server. Your text is kept in this browser; trying again shortly.");
      self.retryLater();
    });
  };

  Autosaver.prototype.resumeSubmit = function () {
    if (this.pendingSubmitter === undefined) { return; }
    var submitter = this.pendingSubmitter;
    this.pendingSubmitter = undefined;
    this.submitting = true;
    if (this.form.requestSubmit) { this.form.requestSubmit(submitter || undefined); } else { this.form.submit(); }
  };

  Autosaver.prototype.retryLater = function () {
    var self = this;
    if (!self.timer) {
      self.timer = window.setTimeout(function () { self.timer = null; self.save(); }, SAVE_EVERY_MS);
    }
  };

  Autosaver.prototype.handle = function (status, data, sentChanges) {
    if (status === 200 && data.status === "saved") { return this.saved(data, sentChanges); }
    if (status === 200 && data.status === "empty") { return this.say(""); }
    this.stashNow();
    if (status === 400 && data.error === "token" && data.csrf_token && !this.retriedToken) {
      this.retriedToken = true;
      this.form.querySelector("input[name=csrf_token]").value = data.csrf_token;
      return this.save();
    }
    if (status === 401) {
      this.say((data.message || "You have been signed out.") + " Your text is also kept in this browser.",
        { href: data.login_url || "/account/login", text: "Sign in again (opens a new tab)" });
      return this.retryLater();
    }
    if (status === 409) {
      this.paused = true;
      return this.say((data.message || "This changed somewhere else.") +
        " Autosave has stopped so nothing is overwritten. Your text is kept in this browser: press Save to see your text next to what changed.");
    }
    this.say((data.message || "Your latest changes could not be saved.") + " Your text is kept in this browser.");
    if (status >= 500) { this.retryLater(); }
  };

  Autosaver.prototype.saved = function (data, sentChanges) {
    this.retriedToken = false;
    var lock = this.form.querySelector("input[name=lock_version]");
    if (lock && data.lock_version !== undefined) { lock.value = data.lock_version; }
    if (data.urls && this.form.getAttribute("data-draft-key") === "entry-new") {
      // The first autosave created the entry: from now on everything goes to it.
      dropStash(this.key);
      this.form.action = data.urls.edit;
      this.url = data.urls.autosave;
      this.form.setAttribute("data-autosave-url", data.urls.autosave);
      this.form.setAttribute("data-draft-key", "entry-" + data.entry_id);
      this.key = stashKey(this.form);
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", data.urls.edit); }
    }
    this.savedChanges = sentChanges;
    if (!this.isDirty()) { dropStash(this.key); } else { this.retryLater(); }
    var message = "Saved at " + data.saved_at + ". Only you can see drafts.";
    if (data.errors && data.errors.length) { message += " Not saved: " + data.errors.join(" "); }
    if (data.privacy_note) { message += " " + data.privacy_note; }
    this.say(message);
  };

  function characterCounters(root) {
    Array.prototype.forEach.call(root.querySelectorAll("textarea[data-limit]"), function (area) {
      var limit = parseInt(area.getAttribute("data-limit"), 10);
      var counter = document.createElement("p");
      counter.className = "character-count hint";
      counter.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", counter);
      function update() {
        var count = area.value.replace(/\r\n/g, "\n").length;
        var over = count - limit;
        counter.textContent = over > 0
          ? "You have " + over.toLocaleString("en-GB") + " characters too many. Nothing is lost: shorten it or move part into another entry."
          : count > limit * 0.8 ? "You have " + (limit - count).toLocaleString("en-GB") + " characters remaining." : "";
        counter.classList.toggle("character-count--over", over > 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function previews(form) {
    var url = form.getAttribute("data-preview-url");
    if (!url) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("textarea[data-section-text]"), function (area) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small preview-toggle";
      button.textContent = "Preview";
      button.setAttribute("aria-expanded", "false");
      var box = document.createElement("div");
      box.className = "preview prose";
      box.hidden = true;
      box.setAttribute("aria-live", "polite");
      button.addEventListener("click", function () {
        if (!box.hidden) {
          box.hidden = true;
          button.textContent = "Preview";
          button.setAttribute("aria-expanded", "false");
          return;
        }
        var token = form.querySelector("input[name=csrf_token]");
        var body = new URLSearchParams();
        body.append("text", area.value);
        window.fetch(url, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" }
        }).then(function (response) { return response.json(); }).then(function (data) {
          // The server renders through the app's one Markdown sanitiser (nh3 allow-list).
          box.innerHTML = data.html || "<p>Nothing to preview yet.</p>";
          box.hidden = false;
          button.textContent = "Hide preview";
          button.setAttribute("aria-expanded", "true");
        }).catch(function () {
          box.textContent = "The preview is not available right now.";
          box.hidden = false;
        });
      });
      var anchor = area.parentNode.querySelector(".character-count") || area;
      anchor.insertAdjacentElement("afterend", box);
      anchor.insertAdjacentElement("afterend", button);
    });
  }

  // Kept text belongs on this computer only until it is saved; signing out clears it.
  function clearStashesOnSignOut() {
    document.addEventListener("submit", function (event) {
      var action = event.target.getAttribute("action") || "";
      if (action.indexOf("/account/logout") === -1) { return; }
      try {
        Object.keys(window.localStorage).forEach(function (key) {
          if (key.indexOf(STASH_PREFIX) === 0) { window.localStorage.removeItem(key); }
        });
      } catch (e) { /* blocked */ }
    });
  }

  // Choosing another reflection model switches the prompts at once (the button does it without JS).
  function switchModelOnChange(form) {
    var select = form.querySelector("select[name=reflection_model]");
    var button = form.querySelector("button[value=change_model]");
    if (!select || !button || !form.requestSubmit) { return; }
    select.addEventListener("change", function () { form.requestSubmit(button); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave-url]"), function (form) {
      characterCounters(form);
      previews(form);
      switchModelOnChange(form);
      new Autosaver(form);
    });
    var conflict = document.querySelector("[data-conflict]");
    if (conflict) { conflict.focus(); }
    clearStashesOnSignOut();
  });
})();
