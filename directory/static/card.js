// The card's buttons. Without this script the link is still shown in a box to select and copy, and
// the page says how to print with the browser's own command.
(function () {
  "use strict";
  var print = document.getElementById("print-card");
  var hint = document.querySelector(".print-hint");
  if (print && window.print) {
    print.hidden = false;
    if (hint) { hint.hidden = true; }
    print.addEventListener("click", function () { window.print(); });
  }
  var button = document.getElementById("copy-link");
  var field = document.getElementById("card-link");
  if (!button || !field) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { button.textContent = button.getAttribute("data-done"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
    }
  });
}());
