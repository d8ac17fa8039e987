// Live selfie: where the browser allows the camera, show a preview and put the shot into the file input.
// Without camera access the plain <input type="file" capture="user"> still opens the phone camera.
(function () {
  "use strict";
  function init() {
    var box = document.querySelector("[data-selfie-camera]");
    var input = document.getElementById("id_selfie");
    if (!box || !input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) {
      return;
    }
    var video = box.querySelector("video");
    var shoot = box.querySelector("[data-selfie-shoot]");
    var stream = null;
    input.addEventListener("click", function (event) {
      if (stream) { return; }
      event.preventDefault();
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.play();
        box.hidden = false;
      }).catch(function () {
        stream = true; // fall back to the file picker on the next tap
        input.click();
      });
    });
    shoot.addEventListener("click", function () {
      if (!video.videoWidth) { return; }
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "selfie.jpg", { type: "image/jpeg" }));
        input.files = transfer.files;
        if (stream && stream.getTracks) { stream.getTracks().forEach(function (t) { t.stop(); }); }
        box.hidden = true;
        shoot.textContent = "已拍照";
      }, "image/jpeg", 0.92);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
