// Buttons with data-confirm ask before submitting their form (an inline onclick would be
// blocked by the Content-Security-Policy). Without JavaScript the form submits directly.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
