// Work that survives a weak network (issue 18): every form marked data-draft keeps what is
// typed on the phone while it is typed, and restores it when the form is opened again
// unsent. If the network is down when it is saved, the submission waits in an outbox on
// the phone and goes out by itself once the connection returns. The page tells the user
// plainly what is waiting to be sent. Text waits in localStorage; photos and other files
// chosen in the form wait in IndexedDB (localStorage holds only strings, and a few
// megabytes), beside the draft and the outbox entry of the same form.
(function () {
  var DRAFTS = "cunqi-drafts";
  var OUTBOX = "cunqi-outbox";
  var FILES = "cunqi-files";

  // The files of each form, by its draft key: [{field, name, type, blob}].
  function filesStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { resolve(undefined); return; }
      var opening = indexedDB.open(FILES, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("files"); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction("files", mode);
        var request = work(transaction.objectStore("files"));
        transaction.oncomplete = function () { db.close(); resolve(request && request.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      };
    });
  }
  function keepFiles(key, files) {
    return filesStore("readwrite", function (store) {
      return files.length ? store.put(files, key) : store.delete(key);
    }).catch(function () { /* full or private mode: the text still waits */ });
  }
  function keptFiles(key) {
    return filesStore("readonly", function (store) { return store.get(key); })
      .then(function (files) { return files || []; }, function () { return []; });
  }

  function load(name) {
    try { return JSON.parse(localStorage.getItem(name) || "{}"); } catch (error) { return {}; }
  }
  function store(name, value) {
    try { localStorage.setItem(name, JSON.stringify(value)); } catch (error) { /* full */ }
  }
  function status() { return document.getElementById("offline-status"); }
  function say(kind, extra) {
    var box = status();
    if (!box) return;
    var text = box.dataset[kind] || "";
    box.textContent = extra ? text.replace("{n}", extra) : text;
    box.hidden = !text;
    box.className = "alert mb-0 offline-status " + (kind === "sent" ? "alert-success"
      : kind === "failed" ? "alert-danger" : "alert-warning");
  }
  function keyOf(form) { return form.dataset.draft || location.pathname + location.search; }
  function fields(form) {
    var values = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") values.push([name, value]);
      else if (value && value.size) files.push({ field: name, name: value.name, type: value.type, blob: value });
    });
    return { values: values, files: files };
  }
  function typed(values) {
    return values.some(function (pair) {
      return pair[0] !== "csrfmiddlewaretoken" && pair[1] !== "";
    });
  }

  function saveDraft(form, sent) {
    var typedIn = fields(form);
    var drafts = load(DRAFTS);
    drafts[keyOf(form)] = { values: typedIn.values, at: Date.now(), sent: Boolean(sent) };
    store(DRAFTS, drafts);
    return typedIn;
  }
  function dropDraft(key) {
    var drafts = load(DRAFTS);
    delete drafts[key];
    store(DRAFTS, drafts);
    keepFiles(key, []);
  }
  // A file input shows again the files kept for it (browsers let a script fill one only
  // through a DataTransfer).
  function restoreFiles(form, files) {
    if (!files.length || !window.DataTransfer) return;
    var byField = {};
    files.forEach(function (file) {
      (byField[file.field] = byField[file.field] || new DataTransfer())
        .items.add(new File([file.blob], file.name, { type: file.type }));
    });
    Object.keys(byField).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && input.type === "file") input.files = byField[name].files;
    });
  }
  function restore(form) {
    var draft = load(DRAFTS)[keyOf(form)];
    // A week-old draft is more likely forgotten than wanted over what the row holds now.
    if (!draft || !typed(draft.values) || Date.now() - draft.at > 7 * 24 * 3600 * 1000) return;
    draft.values.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken") return;
      var field = form.elements.namedItem(pair[0]);
      if (!field || field.type === "file") return;
      if (field.type === "checkbox") field.checked = pair[1] !== "";
      else field.value = pair[1];
    });
    // Said once the photos are back too: what the message promises is all there.
    keptFiles(keyOf(form)).then(function (files) {
      restoreFiles(form, files);
      say("restored");
    });
  }

  function waiting() { return Object.keys(load(OUTBOX)).length; }
  function showWaiting() {
    var count = waiting();
    if (count) say("waiting", String(count));
  }

  function post(url, values, files) {
    var body = new FormData();
    values.forEach(function (pair) { body.append(pair[0], pair[1]); });
    files.forEach(function (file) { body.append(file.field, file.blob, file.name); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" });
  }
  // The form's page answers a saved row with a redirect away from the form, a refused one
  // with the form again (400).
  function saved(response, url) {
    return response.ok && response.redirected && response.url.split("?")[0] !== url.split("?")[0];
  }

  function flush() {
    var outbox = load(OUTBOX);
    Object.keys(outbox).forEach(function (key) {
      var entry = outbox[key];
      if (entry.sending) return;
      entry.sending = true;
      store(OUTBOX, outbox);
      keptFiles(key).then(function (files) {
        return post(entry.url, entry.values, files);
      }).then(function (response) {
        var now = load(OUTBOX);
        delete now[key];
        store(OUTBOX, now);
        if (saved(response, entry.url)) {
          dropDraft(key);
          say("sent");
        } else {
          say("failed");  // the draft stays: opening the form shows it, and why
        }
      }).catch(function () {
        var now = load(OUTBOX);
        if (now[key]) { delete now[key].sending; store(OUTBOX, now); }
        showWaiting();
      });
    });
  }

  // Online, a form posts as it always does, its text kept marked as sent: the page reached
  // from it (the saved row) drops the draft, while a post lost on the way leaves it for the
  // form to restore. Offline, the post waits in the outbox instead of failing.
  function submit(event) {
    var form = event.target.closest("form[data-draft]");
    if (!form || event.defaultPrevented || (event.submitter && event.submitter.formMethod === "get")) return;
    var sent = saveDraft(form, true);
    if (navigator.onLine) return;
    event.preventDefault();
    var key = keyOf(form);
    keepFiles(key, sent.files).then(function () {
      var outbox = load(OUTBOX);
      outbox[key] = { url: form.action || location.href, values: sent.values, at: Date.now() };
      store(OUTBOX, outbox);
      showWaiting();
    });
  }

  function dropSavedDrafts() {
    if (!document.referrer) return;
    var from = new URL(document.referrer);
    var key = from.pathname + from.search;
    var here = location.pathname + location.search;
    var draft = load(DRAFTS)[key];
    if (from.origin === location.origin && key !== here && draft && draft.sent && !load(OUTBOX)[key]) {
      dropDraft(key);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A villager's identity number or bank account typed in full is never kept on the
    // phone: a form asking for one is not drafted, and offline it does not wait to be sent.
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      if (form.querySelector("[data-personal]")) form.removeAttribute("data-draft");
    });
    dropSavedDrafts();
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { saveDraft(form); });
      form.addEventListener("change", function (event) {
        var typedIn = saveDraft(form);
        if (event.target.type !== "file") return;
        keepFiles(keyOf(form), typedIn.files).then(function () {
          if (typedIn.files.length) say("kept");
        });
      });
    });
    document.querySelectorAll("form[data-forget]").forEach(function (form) {
      // Signing out leaves nothing of this user on a shared phone.
      form.addEventListener("submit", function () {
        localStorage.removeItem(DRAFTS);
        localStorage.removeItem(OUTBOX);
        if (window.indexedDB) indexedDB.deleteDatabase(FILES);
        if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      });
    });
    showWaiting();
    if (navigator.onLine) flush();
    if ("serviceWorker" in navigator && document.body.dataset.worker) {
      navigator.serviceWorker.register(document.body.dataset.worker, { scope: "/" });
    }
  });
  document.addEventListener("submit", submit);
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { say("offline"); });
})();
