// Keeps a form in progress in the browser until it is saved, so a dropped connection on a
// phone loses nothing. One draft per user, unit and year (the key is in data-draft-key).
// The draft also keeps the hidden version fields of the moment the values were typed: a
// restored value saved later is checked against what was stored then, so it can never
// overwrite silently what someone else saved in between.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  // The fields sit outside the form element (form="entry-form"): their typing is passed to
  // the form as "ntm:typed", which htmx turns into a live check (hx-trigger), with no
  // JavaScript evaluated from an attribute (the Content-Security-Policy forbids eval).
  document.addEventListener("input", function (event) {
    if (event.target.form === form && window.htmx) window.htmx.trigger(form, "ntm:typed");
  });
  if (!form.dataset.draftKey) return;
  var key = form.dataset.draftKey;
  var store;
  try { store = window.localStorage; store.getItem(key); } catch (e) { return; }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (el) { values[el.name] = el.value; });
    return values;
  }

  function keep() {
    try {
      // Merged into the draft kept so far: the form narrowed to what is not met (?loc=chua-dat)
      // shows only some fields, and must not drop what was typed in the others.
      var kept = JSON.parse(store.getItem(key) || "null");
      var values = Object.assign({}, (kept && kept.values) || {}, snapshot());
      store.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: values }));
    } catch (e) { /* storage full or disabled: the form still works, only without a draft */ }
  }

  function restore() {
    var draft;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.values) return;
    var restored = 0;
    fields().forEach(function (el) {
      if (el.name.indexOf("val-") !== 0 || !(el.name in draft.values)) return;
      if (el.value === draft.values[el.name]) return;
      var code = el.name.slice(4);
      el.value = draft.values[el.name];
      ["ver-", "orig-"].forEach(function (prefix) {
        var hidden = form.elements.namedItem(prefix + code);
        if (hidden && (prefix + code) in draft.values) hidden.value = draft.values[prefix + code];
      });
      restored += 1;
    });
    if (!restored) { store.removeItem(key); return; }
    var notice = document.getElementById("draft-notice");
    if (notice) {
      var when = new Date(draft.at);
      // The sentence comes translated from the page, with {count} and {time} to fill in.
      var text = notice.dataset.restored ||
        "Đã khôi phục {count} giá trị chưa lưu từ lần nhập trước ({time}). " +
        "Kiểm tra lại rồi bấm Lưu số liệu.";
      notice.querySelector("span").textContent = text
        .replace("{count}", String(restored))
        .replace("{time}", when.toLocaleString("vi-VN"));
      notice.hidden = false;
    }
    // htmx wires the form up on DOMContentLoaded, after this deferred script has run.
    var refresh = function () { if (window.htmx) window.htmx.trigger(form, "ntm:restored"); };
    if (document.readyState === "complete") setTimeout(refresh, 0);
    else window.addEventListener("load", refresh);
  }

  if (form.dataset.saved === "1") {
    store.removeItem(key);
  } else if (form.dataset.state === "posted") {
    keep(); // the page shows what was posted and not saved: that is the draft now
  } else {
    restore();
  }

  document.addEventListener("input", function (event) {
    if (event.target.form === form) keep();
  });
  document.addEventListener("change", function (event) {
    if (event.target.form === form) keep();
  });

  var discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", function () {
      store.removeItem(key);
      window.location.reload();
    });
  }

  // "Use the saved value" in a conflict: put it in the field and let the verdict follow.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-use-value]") : null;
    if (!button) return;
    var input = document.getElementById(button.dataset.target);
    if (!input) return;
    input.value = button.dataset.useValue;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
