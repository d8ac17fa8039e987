// Workbench behaviour without inline handlers.
(function () {
  "use strict";
  document.addEventListener("htmx:responseError", function (ev) {
    if (ev.detail.xhr.status >= 500) { alert("服务暂时不可用，请稍后再试。"); }
  });
})();
