// Saving the entry form without a connection: the changed values wait in the browser
// (localStorage, one queue per user, commune and year), each with the version it was based
// on, and go to POST /api/v1/values/ when the connection returns. The API writes all or
// nothing and refuses a value someone else changed since that version (409 with both
// values): the officer then chooses, value by value, so nothing is lost and nothing is
// overwritten silently. A lock (dossier under review) or an expired session keeps the queue.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var box = document.getElementById("offline-queue");
  if (!form || !box) return;
  var store;
  try { store = window.localStorage; store.getItem(box.dataset.key); } catch (e) { return; }
  var key = box.dataset.key;
  var text = box.querySelector(".offline-text");
  var login = box.querySelector(".offline-login");
  var retry = box.querySelector(".offline-retry");
  var list = box.querySelector(".offline-conflicts");
  var sending = false;

  function load() {
    var queue;
    try { queue = JSON.parse(store.getItem(key) || "null"); } catch (e) { queue = null; }
    return queue && queue.items ? queue : { items: {}, conflicts: {}, held: "" };
  }
  function save(queue) {
    if (Object.keys(queue.items).length) store.setItem(key, JSON.stringify(queue));
    else store.removeItem(key);
  }
  function count(queue) { return Object.keys(queue.items).length; }
  function say(template, fill) {
    return Object.keys(fill).reduce(function (s, k) {
      return s.split("{" + k + "}").join(String(fill[k]));
    }, template);
  }
  function field(prefix, code) { return form.elements.namedItem(prefix + code); }

  // "1.234,5" and "13,43" the Vietnamese way, "80", a yes/no select's "1"/"0", "" to clear.
  function parse(raw, el) {
    var t = raw.replace(/[\s\u00a0%]/g, "");
    if (!t) return null;
    if (el && el.tagName === "SELECT") return t === "1" ? 1 : 0;
    if (!/^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(t)) return undefined;
    return Number(t.replace(/\./g, "").replace(",", "."));
  }
  function shown(value, code) {
    if (value === null || value === undefined) return box.dataset.empty;
    var el = field("val-", code);
    if (el && el.tagName === "SELECT") {
      var option = el.querySelector('option[value="' + (value === 1 ? "1" : "0") + '"]');
      if (option) return option.textContent;
    }
    return Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 6 });
  }

  function paint(queue, state, reason) {
    var n = count(queue);
    Array.prototype.forEach.call(document.querySelectorAll(".ind.queued"), function (row) {
      row.classList.remove("queued");
    });
    Object.keys(queue.items).forEach(function (code) {
      var el = field("val-", code);
      var row = el && el.closest(".ind");
      if (!row) return;
      row.classList.add("queued");
      var tag = row.querySelector(".code");
      if (tag) tag.dataset.queuedTag = box.dataset.queuedTag;
    });
    list.textContent = "";
    Object.keys(queue.conflicts || {}).forEach(function (code) { list.appendChild(choice(queue, code)); });
    login.hidden = state !== "expired";
    retry.hidden = state !== "held";
    var fill = { count: n, reason: reason || queue.held || "" };
    if (state === "sent") text.textContent = say(box.dataset.sent, fill);
    else if (!n) { box.hidden = true; return; }
    else if (state === "expired") text.textContent = say(box.dataset.expired, fill);
    else if (Object.keys(queue.conflicts || {}).length) text.textContent = box.dataset.conflicts;
    else if (state === "held" || queue.held) { text.textContent = say(box.dataset.held, fill); retry.hidden = false; }
    else if (state === "sending") text.textContent = say(box.dataset.sending, fill);
    else if (!navigator.onLine || state === "offline") text.textContent = say(box.dataset.waiting, fill);
    else text.textContent = say(box.dataset.pending, fill);
    box.hidden = false;
  }

  function choice(queue, code) {
    var c = queue.conflicts[code];
    var item = box.querySelector("template.offline-choice").content.firstElementChild.cloneNode(true);
    var at = c.stored_at ? new Date(c.stored_at).toLocaleString("vi-VN") : "";
    item.querySelector("span").textContent = say(box.dataset.conflict, {
      code: code,
      mine: shown(queue.items[code] ? queue.items[code].value : null, code),
      theirs: shown(c.stored, code),
      who: c.stored_by || box.dataset.unknown,
      at: at,
    });
    item.dataset.code = code;
    return item;
  }

  // Saving without a connection (or while values still wait): queue what changed.
  form.addEventListener("submit", function (event) {
    var queue = load();
    if (navigator.onLine && !count(queue)) return; // the ordinary save
    event.preventDefault();
    var invalid = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.indexOf("val-") !== 0) return;
      var code = el.name.slice(4);
      var orig = field("orig-", code);
      var known = queue.items[code];
      if (!known && orig && orig.value === el.value) return;
      if (known && known.raw === el.value) return;
      var value = parse(el.value, el);
      if (value === undefined) { invalid.push(say(box.dataset.invalid, { code: code, raw: el.value })); return; }
      var ver = field("ver-", code);
      // The version is the one the value was first based on: a later page may show a newer
      // version, and taking it would overwrite silently what someone saved meanwhile.
      var version = known ? known.version : (ver && ver.value !== "" ? Number(ver.value) : null);
      queue.items[code] = { raw: el.value, value: value, version: version, at: new Date().toISOString() };
    });
    queue.held = "";
    save(queue);
    if (form.dataset.draftKey) store.removeItem(form.dataset.draftKey); // the queue keeps them now
    paint(queue);
    if (invalid.length) text.textContent += " " + invalid.join(" ");
    if (navigator.onLine) send();
  }, true);

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = form.elements.namedItem("csrfmiddlewaretoken");
    return input ? input.value : "";
  }
  function post(queue) {
    var values = Object.keys(queue.items).map(function (code) {
      var item = queue.items[code];
      return { indicator: code, value: item.value, version: item.version };
    });
    return fetch(box.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ unit: box.dataset.unit, year: Number(box.dataset.year), values: values }),
    });
  }
  function reasonOf(body) {
    if (!body) return "";
    if (typeof body.detail === "string") return body.detail;
    return Object.keys(body).map(function (k) { return [].concat(body[k]).join(" "); }).join(" ");
  }

  function send() {
    var queue = load();
    if (sending || !count(queue) || Object.keys(queue.conflicts || {}).length) return;
    sending = true;
    paint(queue, "sending");
    post(queue).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        sending = false;
        var n = count(queue);
        if (response.ok) {
          store.removeItem(key);
          if (form.dataset.draftKey) store.removeItem(form.dataset.draftKey);
          try { window.sessionStorage.setItem(key + ":sent", String(n)); } catch (e) { /* none */ }
          window.location.reload(); // the form again, with the stored values and versions
        } else if (response.status === 409 && body && body.conflicts && body.conflicts.length) {
          queue.conflicts = {};
          body.conflicts.forEach(function (c) { queue.conflicts[c.indicator] = c; });
          save(queue);
          paint(queue);
        } else if (response.status === 401) {
          paint(queue, "expired");
        } else if (response.status === 403) {
          loggedIn().then(function (yes) {
            if (!yes) { paint(queue, "expired"); return; }
            queue.held = reasonOf(body) || String(response.status); // a right the user lacks
            save(queue);
            paint(queue, "held");
          });
        } else {
          queue.held = reasonOf(body) || String(response.status);
          save(queue);
          paint(queue, "held");
        }
      });
    }).catch(function () {
      // No answer: still no connection, whatever navigator.onLine says (a phone on a dead
      // Wi-Fi reports itself online and may never fire "online"): try again a bit later.
      sending = false;
      paint(load(), "offline");
      window.clearTimeout(send.later);
      send.later = window.setTimeout(send, 15000);
    });
  }

  // A 403 is an expired session (logged out, or a CSRF token gone with it) or a refused
  // right; reading the commune's values tells which.
  function loggedIn() {
    return fetch(valuesUrl(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok; }, function () { return true; });
  }
  function valuesUrl() {
    return box.dataset.api + "?unit=" + encodeURIComponent(box.dataset.unit) + "&year=" + box.dataset.year;
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-choice]");
    if (!button) return;
    var code = button.closest("li").dataset.code;
    var queue = load();
    var conflict = queue.conflicts[code];
    if (!conflict) return;
    if (button.dataset.choice === "theirs") {
      delete queue.items[code];
      delete queue.conflicts[code];
      save(queue);
      next(queue);
      return;
    }
    // Keep mine: resend based on the version stored now, read back from the API.
    fetch(valuesUrl(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (body) {
        var row = (body.values || []).filter(function (v) { return v.indicator === code; })[0];
        queue = load();
        if (!queue.items[code]) return;
        queue.items[code].version = row ? row.version : null;
        delete queue.conflicts[code];
        save(queue);
        next(queue);
      })
      .catch(function () { paint(load(), "held"); });
  });
  function next(queue) {
    if (Object.keys(queue.conflicts).length) paint(queue);
    else if (count(queue)) send();
    else window.location.reload();
  }

  // The queued values are put back in their fields, so the page shows what will be sent.
  var queue = load();
  Object.keys(queue.items).forEach(function (code) {
    var el = field("val-", code);
    if (el) el.value = queue.items[code].raw;
  });
  var sent;
  try { sent = window.sessionStorage.getItem(key + ":sent"); window.sessionStorage.removeItem(key + ":sent"); } catch (e) { sent = null; }
  if (sent) paint({ items: {}, conflicts: {} }, "sent", "");
  if (count(queue)) paint(queue);
  if (sent) { text.textContent = say(box.dataset.sent, { count: sent }); box.hidden = false; }
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { paint(load()); });
  retry.addEventListener("click", function () { var q = load(); q.held = ""; save(q); send(); });
  if (navigator.onLine && !queue.held) send();
})();
