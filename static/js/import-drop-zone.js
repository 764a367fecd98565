// Drag-and-drop onto the upload form's file input. Without JavaScript the plain file input
// and the "Import file" button do the same job.
(function () {
  "use strict";
  var zone = document.getElementById("drop-zone");
  if (!zone) { return; }
  var input = zone.querySelector("input[type=file]");
  var chosen = document.getElementById("chosen-file");

  function showChosen() {
    chosen.textContent = input.files.length ? input.files[0].name : "";
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("is-dragover");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragover");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      showChosen();
    }
  });
  input.addEventListener("change", showChosen);
})();
