// 服务台 behaviour without inline scripts (strict CSP): character counters, the clue upload with a
// progress bar (XMLHttpRequest upload progress), and copying a share link.
(function () {
  "use strict";

  function count(text) { return Array.from(text.normalize ? text.normalize("NFC") : text).length; }

  function bindCounter(area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    if (!out) return;
    var max = parseInt(out.getAttribute("data-max"), 10);
    function update() {
      var n = count(area.value);
      out.textContent = n + "/" + max;
      out.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("[data-counter]").forEach(bindCounter);

  document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
    el.addEventListener("focus", function () { el.select(); });
  });
  document.querySelectorAll("[data-copy]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var input = document.getElementById(btn.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () { btn.textContent = "已复制"; };
      if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, function () {}); }
      else { try { document.execCommand("copy"); done(); } catch (e) { /* ignore */ } }
    });
  });

  var form = document.querySelector("[data-upload-form]");
  if (!form) return;
  var list = form.querySelector("[data-file-list]");
  var progress = form.querySelector("[data-progress]");
  var bar = form.querySelector("[data-progress-bar]");
  var label = form.querySelector("[data-progress-text]");
  var submit = form.querySelector("[data-submit]");
  var errorsBox = form.querySelector("[data-upload-errors]");

  function sizeText(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB"; }
  function showFiles() {
    list.textContent = "";
    form.querySelectorAll("[data-file-input]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) {
        var li = document.createElement("li");
        li.textContent = f.name + "（" + sizeText(f.size) + "）";
        list.appendChild(li);
      });
    });
  }
  form.querySelectorAll("[data-file-input]").forEach(function (input) { input.addEventListener("change", showFiles); });

  function showErrors(messages) {
    errorsBox.textContent = "";
    var box = document.createElement("div");
    box.className = "card error-box";
    box.setAttribute("role", "alert");
    var ul = document.createElement("ul");
    ul.className = "errorlist";
    messages.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; ul.appendChild(li); });
    box.appendChild(ul);
    errorsBox.appendChild(box);
  }

  form.addEventListener("submit", function (ev) {
    if (!window.FormData || !window.XMLHttpRequest) return; // plain form post still works
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    progress.hidden = false;
    submit.disabled = true;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.floor((e.loaded / e.total) * 100);
      bar.style.width = pct + "%";
      label.textContent = pct < 100 ? "正在上传 " + pct + "%" : "上传完成，正在校验…";
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300 && data.redirect) { window.location.assign(data.redirect); return; }
      submit.disabled = false;
      progress.hidden = true;
      bar.style.width = "0";
      var messages = [];
      if (data.errors) { Object.keys(data.errors).forEach(function (k) { messages = messages.concat(data.errors[k]); }); }
      showErrors(messages.length ? messages : [xhr.status === 413 ? "文件过大，无法上传。" : "提交失败，请稍后重试。"]);
    });
    xhr.addEventListener("error", function () {
      submit.disabled = false;
      progress.hidden = true;
      showErrors(["网络异常，上传未完成，请重试。"]);
    });
    xhr.send(new FormData(form));
  });
})();
