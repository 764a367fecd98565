// Tells screen readers how an import is getting on. htmx replaces the progress card every
// second, and a live region inside it would either talk non-stop or, replaced whole, not
// at all; so a region that stays on the page announces only a new phase or another
// quarter of the rows.
(function () {
  "use strict";
  var announcer = document.getElementById("progress-announcer");
  if (!announcer) { return; }

  function currentProgress() {
    var phase = document.getElementById("progress-phase");
    var bar = document.querySelector("#job-progress progress");
    if (!phase || !bar) { return ""; }
    var quarter = Math.floor(bar.value / 25) * 25;
    return phase.textContent.trim() + ": " + quarter + "%";
  }

  var announced = currentProgress();  // what the page already shows is not news
  document.body.addEventListener("htmx:afterSwap", function () {
    var progress = currentProgress();
    if (progress && progress !== announced) {
      announcer.textContent = progress;
      announced = progress;
    }
  });
})();
