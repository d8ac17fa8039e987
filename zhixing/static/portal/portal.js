// Portal behaviour without inline handlers (a strict CSP forbids them).
(function () {
  "use strict";
  var KEY = "zx-large-text";
  function apply(on) {
    document.documentElement.classList.toggle("large-text", on);
    document.querySelectorAll("[data-toggle-large-text]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  try { apply(localStorage.getItem(KEY) === "1"); } catch (e) { /* private mode */ }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-toggle-large-text]");
    if (!btn) return;
    var on = !document.documentElement.classList.contains("large-text");
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* ignore */ }
    apply(on);
  });
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
  // htmx: an expired session answers with HX-Redirect; htmx follows it. Show server errors plainly.
  document.addEventListener("htmx:responseError", function (ev) {
    if (ev.detail.xhr.status >= 500) { alert("服务暂时不可用，请稍后再试。"); }
  });
})();
