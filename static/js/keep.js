// Never lose a word in any long text field: a textarea marked data-keep keeps a copy of its
// text in this browser until the server has confirmed the form it was sent with. Forms that
// autosave to the server (entries, philosophy) are looked after by autosave.js instead.
// Everything here is an enhancement: the forms work without JavaScript.
(function () {
  "use strict";

  var PREFIX = "portfolio-draft:form:";
  var SENT = "portfolio-sent-forms";

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }

  function read(key) {
    try { return JSON.parse(storage("localStorage").getItem(key) || "null"); } catch (e) { return null; }
  }

  function write(key, value) {
    try { storage("localStorage").setItem(key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
  }

  function drop(key) {
    try { storage("localStorage").removeItem(key); } catch (e) { /* blocked */ }
  }

  // Keys this tab sent with its last form; read once by the page the server answered with.
  function takeSent() {
    try {
      var sent = JSON.parse(storage("sessionStorage").getItem(SENT) || "[]");
      storage("sessionStorage").removeItem(SENT);
      return Array.isArray(sent) ? sent : [];
    } catch (e) { return []; }
  }

  function markSent(keys) {
    try { storage("sessionStorage").setItem(SENT, JSON.stringify(keys)); } catch (e) { /* blocked */ }
  }

  function same(a, b) {
    return String(a || "").replace(/\s+/g, " ").trim() === String(b || "").replace(/\s+/g, " ").trim();
  }

  // A page that shows the form again (an error, a conflict, an expired form) or asks the
  // person to sign in did not save what was sent: keep the copy.
  function pageDidNotSave() {
    return Boolean(document.querySelector("[data-error-summary], [data-conflict], [data-not-saved]"));
  }

  function keyFor(area) {
    var form = area.form;
    var action = (form && form.getAttribute("action")) || window.location.pathname;
    return PREFIX + action.split("#")[0] + ":" + area.getAttribute("data-keep");
  }

  function currentUser() { return document.body.getAttribute("data-user") || ""; }

  function offer(area, key, kept) {
    var notice = document.createElement("div");
    notice.className = "notice notice--warning stash-notice";
    notice.setAttribute("role", "alert");
    var text = document.createElement("p");
    var label = area.labels && area.labels[0] ? " for “" + area.labels[0].textContent.trim() + "”" : "";
    text.textContent = "This browser kept text you wrote" + label + " on " +
      new Date(kept.savedAt).toLocaleString("en-GB", {
        day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
        hourCycle: "h23", timeZone: "Europe/London" }) +
      " that was never sent. Do you want it back?";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Put my kept text back";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--secondary";
    discard.textContent = "Discard it";
    restore.addEventListener("click", function () {
      area.value = kept.text;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      notice.remove();
      area.focus();
    });
    discard.addEventListener("click", function () { drop(key); notice.remove(); });
    notice.appendChild(text);
    notice.appendChild(restore);
    notice.appendChild(discard);
    var group = area.closest(".form-group") || area;
    group.parentNode.insertBefore(notice, group);
  }

  function keep(area, sent, didNotSave) {
    var key = keyFor(area);
    var kept = read(key);
    if (kept && kept.user !== currentUser()) { kept = null; }
    if (kept && sent.indexOf(key) !== -1 && !didNotSave) { drop(key); kept = null; }  // confirmed
    if (kept && same(kept.text, area.value)) {
      if (!didNotSave) { drop(key); }  // the page already shows it
      kept = null;
    }
    if (kept && kept.text.trim()) { offer(area, key, kept); }
    var timer = null;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(area, key); }, 400);
    });
    return key;
  }

  function save(area, key) {
    if (area.value.trim()) {
      write(key, { user: currentUser(), savedAt: Date.now(), text: area.value });
    } else {
      drop(key);
    }
  }

  function watchSubmits() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented) { return; }
      if (form.hasAttribute("data-draft-key")) {  // autosave.js keeps these; confirm them here
        markSent(["portfolio-draft:" + form.getAttribute("data-draft-key")]);
        return;
      }
      var keys = [];
      Array.prototype.forEach.call(form.querySelectorAll("textarea[data-keep]"), function (area) {
        var key = keyFor(area);
        save(area, key);
        keys.push(key);
      });
      if (keys.length) { markSent(keys); }
    });
  }

  // Kept text belongs on this computer only until it is sent; signing out clears it.
  function clearOnSignOut() {
    document.addEventListener("submit", function (event) {
      var action = event.target.getAttribute("action") || "";
      if (action.indexOf("/account/logout") === -1) { return; }
      try {
        Object.keys(storage("localStorage")).forEach(function (key) {
          if (key.indexOf("portfolio-draft:") === 0) { storage("localStorage").removeItem(key); }
        });
      } catch (e) { /* blocked */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sent = takeSent();
    var didNotSave = pageDidNotSave();
    var seen = [];
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-keep]"), function (area) {
      if (area.closest("form[data-autosave-url]")) { return; }
      seen.push(keep(area, sent, didNotSave));
    });
    // Sent from another page and answered with this one: the server has the text.
    if (!didNotSave) {
      sent.forEach(function (key) { if (seen.indexOf(key) === -1) { drop(key); } });
    }
    watchSubmits();
    clearOnSignOut();
  });
})();
