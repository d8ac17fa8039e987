// 执行计算工具: add/remove rows of the dynamic tables, and let HTMX swap 422 answers (form errors).
(function () {
  "use strict";
  document.documentElement.classList.add("calc-js");
  document.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add-row]");
    if (add) {
      var box = add.closest("[data-rows]");
      var tpl = box && box.querySelector("template[data-row-template]");
      var list = box && box.querySelector("[data-row-list]");
      if (tpl && list) {
        list.appendChild(tpl.content.cloneNode(true));
        var inputs = list.lastElementChild ? list.lastElementChild.querySelectorAll("input") : [];
        if (inputs.length) { inputs[0].focus(); }
      }
      return;
    }
    var remove = ev.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest(".calc-row");
      if (row) { row.remove(); }
    }
  });
  document.addEventListener("htmx:beforeSwap", function (ev) {
    if (ev.detail.xhr.status === 422) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    var target = document.getElementById("calc-error") || document.getElementById("result");
    if (target && target.scrollIntoView) { target.scrollIntoView({ block: "start", behavior: "smooth" }); }
  });
})();
