// Offline-first forms on a phone: a form marked data-outbox (a new observation, a new entry)
// is written to an IndexedDB outbox on every input, with a sent-once key made when the form
// was opened. Saving with no signal leaves the record waiting in the outbox; it is sent when
// the network returns (the online event, then retries that wait longer each time), and taken
// out of the outbox only after the server confirmed it. The server creates one record per key,
// so a retried send never makes a second one. Every page says what is waiting.
//
// Long text is also kept by keep.js (data-keep) and entries by autosave.js: this file takes
// over their copy once a form is in the outbox, so a kept text is never offered twice.
// Everything here is an enhancement: the forms work without JavaScript.
(function () {
  "use strict";

  var DB_NAME = "portfolio-outbox";
  var STORE = "items";
  var KEY_FIELD = "idempotency_key";
  var SHELL_PREFIX = "portfolio-shell-";
  var SENT = "portfolio-outbox-sent";
  var LOGIN_PATH = "/account/login";
  var LONGEST_WAIT_MS = 60000;
  var PROBE_MS = 8000;

  // --- the outbox in IndexedDB -------------------------------------------------------------

  var opening = null;

  function database() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "key" }).createIndex("user", "user");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  function transact(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function store(item) {
    item.updated = Date.now();
    return transact("readwrite", function (items) { return items.put(item); });
  }

  function forget(key) {
    return transact("readwrite", function (items) { return items["delete"](key); });
  }

  function currentUser() { return document.body.getAttribute("data-user") || ""; }

  // Only the signed-in person's items: another account on this phone never sees or sends them.
  function mine() {
    if (!currentUser()) { return Promise.resolve([]); }
    return transact("readonly", function (items) {
      return items.index("user").getAll(currentUser());
    }).then(function (found) {
      return (found || []).sort(function (a, b) { return a.created - b.created; });
    });
  }

  function isWaiting(item) { return item.state === "waiting" || item.state === "signin"; }

  // --- forms and the items made from them ---------------------------------------------------

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function keyInput(form) {
    var input = form.querySelector("input[name=" + KEY_FIELD + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = KEY_FIELD;
      input.value = newKey();
      form.appendChild(input);
    }
    return input;
  }

  function fieldsOf(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || name === KEY_FIELD || typeof value !== "string") { return; }
      fields.push([name, value]);
    });
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    return fields;
  }

  function restoreFields(form, fields) {
    var values = {};
    fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "hidden" || element.type === "submit" ||
          element.type === "button" || element.type === "file") { return; }
      var wanted = values[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.indexOf(element.value) !== -1;
      } else if (wanted.length) {
        element.value = wanted[0];
      }
    });
  }

  // The copies keep.js keeps of this form's long text (same names as keep.js gives them).
  function keptTextKeys(form, action) {
    return Array.prototype.map.call(form.querySelectorAll("textarea[data-keep]"), function (area) {
      return "portfolio-draft:form:" + action.split("#")[0] + ":" + area.getAttribute("data-keep");
    });
  }

  function titleOf(form) {
    var title = form.querySelector("input[name=title]");
    if (title && title.value.trim()) { return title.value.trim(); }
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : "A form";
  }

  function itemFrom(form, state, submitter) {
    var action = form.getAttribute("data-outbox-action");
    return {
      key: keyInput(form).value, user: currentUser(), kind: form.getAttribute("data-outbox"),
      title: titleOf(form), page: window.location.pathname + window.location.search,
      action: action, fields: fieldsOf(form, submitter), state: state,
      created: Number(form.getAttribute("data-outbox-created")) || Date.now(),
      copies: keptTextKeys(form, action).concat(form.hasAttribute("data-draft-key")
        ? ["portfolio-draft:" + form.getAttribute("data-draft-key")] : [])
    };
  }

  // A new entry that autosave.js has already saved is an edit form now: the server has it.
  function stillNew(form) {
    return form.getAttribute("action") === form.getAttribute("data-outbox-action");
  }

  function dropCopies(item) {
    (item.copies || []).forEach(function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* blocked */ }
    });
  }

  // --- sending ------------------------------------------------------------------------------

  function pageToken(doc) {
    var input = (doc || document).querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // The token of a page read now: one kept with a waiting item may have expired meanwhile.
  function freshToken() {
    return window.fetch("/outbox", { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || new URL(response.url).pathname.indexOf(LOGIN_PATH) === 0) { return ""; }
        return response.text().then(function (html) {
          return pageToken(new DOMParser().parseFromString(html, "text/html"));
        });
      });
  }

  function post(item, token) {
    var body = new URLSearchParams();
    body.append("csrf_token", token);
    body.append(KEY_FIELD, item.key);
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return window.fetch(item.action, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow",
      headers: { Accept: "text/html" }
    });
  }

  function outcome(response) {
    var path = new URL(response.url).pathname;
    if (path.indexOf(LOGIN_PATH) === 0) { return "signin"; }
    if (response.redirected && response.ok) { return "sent"; }
    if (response.status >= 500 || response.status === 429) { return "retry"; }
    return "refused";
  }

  function send(item) {
    return post(item, pageToken()).then(function (response) {
      var state = outcome(response);
      if (state !== "refused") { return state; }
      // Refused: perhaps only the token, which expired while the item waited.
      return freshToken().then(function (token) {
        if (!token) { return "signin"; }
        return post(item, token).then(outcome);
      });
    }).catch(function () { return "offline"; });
  }

  var flushing = false;
  var retryTimer = null;
  var failures = 0;

  function retryLater() {
    window.clearTimeout(retryTimer);
    failures += 1;
    var wait = Math.min(LONGEST_WAIT_MS, 1000 * Math.pow(2, failures));
    retryTimer = window.setTimeout(flush, wait);
  }

  function sendInTurn(items) {
    var item = items.shift();
    if (!item) { return Promise.resolve("done"); }
    if (!isWaiting(item)) { return sendInTurn(items); }
    return send(item).then(function (state) {
      if (state === "sent") {
        dropCopies(item);
        return forget(item.key).then(function () { return sendInTurn(items); });
      }
      if (state === "refused") {
        item.state = "refused";
        return store(item).then(function () { return sendInTurn(items); });
      }
      if (state === "signin" && item.state !== "signin") {
        item.state = "signin";
        return store(item).then(function () { return state; });
      }
      return state;  // offline, a busy server or signed out: the rest waits too
    });
  }

  function flush() {
    if (!currentUser() || flushing) { return Promise.resolve(); }
    flushing = true;
    var work = function () { return mine().then(sendInTurn); };
    // One tab sends at a time; the keys make a second send harmless, this makes it rare.
    var running = navigator.locks ? navigator.locks.request("portfolio-outbox", work) : work();
    return running.then(function (state) {
      flushing = false;
      if (state === "offline" || state === "retry") { retryLater(); } else { failures = 0; }
      return showStatus();
    }, function () { flushing = false; });
  }

  // --- what the page says -------------------------------------------------------------------

  var STATE_WORDS = {
    waiting: "Waiting for a connection",
    signin: "Waiting for you to sign in again",
    refused: "Not accepted: open it to check"
  };

  function countText(items) {
    var waiting = items.filter(isWaiting).length;
    var refused = items.filter(function (item) { return item.state === "refused"; }).length;
    var parts = [];
    if (waiting) { parts.push(waiting + " waiting to be sent"); }
    if (refused) { parts.push(refused + " not accepted"); }
    return parts.join(", ");
  }

  var lastSaid = null;

  function showStatus() {
    return mine().then(function (items) {
      var shown = items.filter(function (item) { return item.state !== "typing"; });
      var region = document.querySelector("[data-outbox-status]");
      if (region) {
        var said = countText(shown);
        var signIn = shown.some(function (item) { return item.state === "signin"; });
        if (said !== lastSaid) {
          var words = region.querySelector("[data-outbox-count]");
          if (said) {
            words.textContent = said + (signIn ? ". Sign in again to send." : ".");
          } else if (lastSaid) {
            words.textContent = "Everything on this phone has been sent.";
          } else {
            words.textContent = "";
          }
          region.hidden = !said && !lastSaid;
          region.querySelector("[data-outbox-link]").hidden = !said;
          lastSaid = said;
        }
      }
      listOnPage(shown);
    }).catch(function () { /* no IndexedDB: nothing can wait here */ });
  }

  function listOnPage(items) {
    var list = document.querySelector("[data-outbox-list]");
    if (!list) { return; }
    list.textContent = "";
    items.forEach(function (item) {
      var row = document.createElement("li");
      var title = document.createElement("strong");
      title.textContent = item.title;
      var state = document.createElement("span");
      state.className = "outbox-list__state";
      state.textContent = " – " + STATE_WORDS[item.state] + ". Saved on this phone " +
        new Date(item.updated).toLocaleString("en-GB", {
          day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
          hourCycle: "h23", timeZone: "Europe/London" }) + ".";
      row.appendChild(title);
      row.appendChild(state);
      if (item.state === "refused" || item.state === "signin") {
        var link = document.createElement("a");
        link.href = item.state === "signin" ? LOGIN_PATH + "?next=" + encodeURIComponent("/outbox") : item.page;
        link.textContent = item.state === "signin" ? " Sign in" : " Open it";
        row.appendChild(document.createTextNode(" "));
        row.appendChild(link);
      }
      list.appendChild(row);
    });
    list.hidden = !items.length;
    var empty = document.querySelector("[data-outbox-empty]");
    if (empty) { empty.hidden = Boolean(items.length); }
    var button = document.querySelector("[data-outbox-send]");
    if (button) { button.hidden = !items.some(isWaiting); }
  }

  function notice(form, kind, text) {
    var old = form.parentNode.querySelector("[data-outbox-notice]");
    if (old) { old.remove(); }
    var box = document.createElement("div");
    box.className = "notice notice--" + kind;
    box.setAttribute("data-outbox-notice", "");
    box.setAttribute("role", "status");
    var words = document.createElement("p");
    words.textContent = text;
    box.appendChild(words);
    form.parentNode.insertBefore(box, form);
    return box;
  }

  // --- wiring a form ------------------------------------------------------------------------

  function skipsOutbox(submitter) {
    // Buttons that ask the server for another view of the form (a new reflection model) are
    // not records: they go to the server as before.
    return submitter && submitter.name === "action" && ["save", "draft"].indexOf(submitter.value) === -1;
  }

  function reachable() {
    if (!navigator.onLine) { return Promise.resolve(false); }
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? window.setTimeout(function () { abort.abort(); }, PROBE_MS) : null;
    return window.fetch("/healthz", { cache: "no-store", credentials: "same-origin",
                                      signal: abort ? abort.signal : undefined })
      .then(function (response) { return response.status < 500; }, function () { return false; })
      .then(function (up) { window.clearTimeout(timer); return up; });
  }

  function sendWithThePage(form, submitter, item) {
    try {
      window.sessionStorage.setItem(SENT, JSON.stringify({ key: item.key, action: item.action }));
    } catch (e) { /* blocked: the outbox sends it again, once */ }
    if (submitter && submitter.name) {
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = submitter.name;
      chosen.value = submitter.value;
      form.appendChild(chosen);
    }
    form.setAttribute("data-outbox-sending", "");
    HTMLFormElement.prototype.submit.call(form);
  }

  function leaveWaiting(form, item) {
    notice(form, "warning", "Saved on this phone: “" + item.title + "” will be sent by itself " +
      "when the connection comes back. You can start another one below.");
    form.reset();
    keyInput(form).value = newKey();
    form.setAttribute("data-outbox-created", String(Date.now()));
    dropCopies(item);
    showStatus();
    retryLater();
    window.scrollTo(0, 0);
  }

  function onSubmit(form, event) {
    if (event.defaultPrevented || !stillNew(form) || form.hasAttribute("data-outbox-sending") ||
        skipsOutbox(event.submitter)) { return; }
    event.preventDefault();
    var item = itemFrom(form, "waiting", event.submitter);
    handedOver[item.key] = true;
    store(item).then(reachable).then(function (up) {
      if (up) {
        sendWithThePage(form, event.submitter, item);
      } else {
        leaveWaiting(form, item);
      }
    }).catch(function () {
      // No IndexedDB (a private window): send the form as it would be without this file.
      sendWithThePage(form, event.submitter, item);
    });
  }

  // Keys of forms already handed over (waiting or on their way): typing never takes them back.
  var handedOver = {};

  function keepTyping(form) {
    if (handedOver[keyInput(form).value]) { return; }
    if (!stillNew(form)) {
      forget(keyInput(form).value).catch(function () { return null; });
      return;
    }
    store(itemFrom(form, "typing")).catch(function () { /* full or blocked */ });
  }

  // Back on the form after the page was closed, reloaded or sent and refused: the typing is
  // restored (autosave.js restores entries) and the form keeps its key.
  function resume(form) {
    var action = form.getAttribute("data-outbox-action");
    return mine().then(function (items) {
      var kept = items.filter(function (item) {
        return item.action === action && (item.state === "typing" || item.state === "refused");
      }).sort(function (a, b) { return b.updated - a.updated; })[0];
      if (!kept) { return; }
      keyInput(form).value = kept.key;
      form.setAttribute("data-outbox-created", String(kept.created));
      if (form.hasAttribute("data-draft-key") || pageDidNotSave()) { return; }
      restoreFields(form, kept.fields);
      Array.prototype.forEach.call(form.querySelectorAll(".stash-notice"), function (offer) { offer.remove(); });
      var box = notice(form, "info", "Your unsent work on this form, kept on this phone, is back in the form.");
      var again = document.createElement("button");
      again.type = "button";
      again.className = "button button--secondary";
      again.textContent = "Start again with an empty form";
      again.addEventListener("click", function () {
        forget(kept.key).then(function () {
          dropCopies(kept);
          form.reset();
          keyInput(form).value = newKey();
          box.remove();
        });
      });
      box.appendChild(again);
    });
  }

  function pageDidNotSave() {
    return Boolean(document.querySelector("[data-conflict], [data-error-summary], [data-not-saved]"));
  }

  function wire(form, settled) {
    form.setAttribute("data-outbox-action", form.getAttribute("action"));
    keyInput(form);
    var typing = null;
    var onInput = function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () { keepTyping(form); }, 0);
    };
    form.addEventListener("input", onInput);
    form.addEventListener("change", onInput);
    form.addEventListener("submit", function (event) { onSubmit(form, event); });
    settled.then(function () { return resume(form); }).catch(function () { return null; })
      .then(function () { form.setAttribute("data-outbox-ready", ""); });
  }

  // The page the server answered a form sent by the page with: a new page elsewhere means it
  // was saved; the form again (or sign-in) means it was not.
  function settleSentForm() {
    var sent = null;
    try {
      sent = JSON.parse(window.sessionStorage.getItem(SENT) || "null");
      window.sessionStorage.removeItem(SENT);
    } catch (e) { return Promise.resolve(); }
    if (!sent || !sent.key) { return Promise.resolve(); }
    var here = window.location.pathname;
    var action = new URL(sent.action, window.location.href).pathname;
    return mine().then(function (items) {
      var item = items.filter(function (candidate) { return candidate.key === sent.key; })[0];
      if (!item) { return null; }
      if (here.indexOf(LOGIN_PATH) === 0) { item.state = "signin"; return store(item); }
      if (here === action || pageDidNotSave()) { item.state = "typing"; return store(item); }
      dropCopies(item);
      return forget(item.key);
    });
  }

  // --- the shell kept for offline use, per signed-in person ---------------------------------

  function tidyShells() {
    if (!window.caches) { return Promise.resolve(); }
    var user = currentUser();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "user", user: user });
    }
    return window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(SHELL_PREFIX) === 0 && name !== SHELL_PREFIX + user;
      }).map(function (name) { return window.caches["delete"](name); }));
    });
  }

  function keepShell() {
    if (!window.caches || !currentUser() || !navigator.onLine) { return Promise.resolve(); }
    var here = window.location.pathname + window.location.search;
    return window.caches.open(SHELL_PREFIX + currentUser()).then(function (cache) {
      return window.fetch(here, { credentials: "same-origin" }).then(function (response) {
        var path = new URL(response.url).pathname;
        if (response.ok && !response.redirected && path === window.location.pathname) {
          return cache.put(here, response);
        }
        return null;
      });
    }).catch(function () { return null; });
  }

  function register() {
    if (!navigator.serviceWorker) { return Promise.resolve(); }
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "user", user: currentUser() });
      }
    }).catch(function () { return null; });
  }

  function clearOnSignOut() {
    document.addEventListener("submit", function (event) {
      var action = event.target.getAttribute("action") || "";
      if (action.indexOf("/account/logout") === -1 || !window.caches) { return; }
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "user", user: "" });
      }
      window.caches.keys().then(function (names) {
        names.forEach(function (name) {
          if (name.indexOf(SHELL_PREFIX) === 0) { window.caches["delete"](name); }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-outbox]");
    var outboxPage = document.querySelector("[data-outbox-page]");
    // The answer to a form sent by the last page is settled before any form resumes.
    var settled = settleSentForm().catch(function () { return null; });
    Array.prototype.forEach.call(forms, function (form) { wire(form, settled); });
    clearOnSignOut();
    tidyShells().catch(function () { return null; });
    if (currentUser() && (forms.length || outboxPage)) {
      register().then(keepShell);
    }
    var send = document.querySelector("[data-outbox-send]");
    if (send) { send.addEventListener("click", function () { failures = 0; flush(); }); }
    window.addEventListener("online", function () { failures = 0; flush(); });
    settled.then(function () {
      showStatus();
      if (navigator.onLine) { flush(); }
    });
  });
})();
