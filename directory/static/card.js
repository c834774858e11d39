// Copy the card's link. Without this script the link is still shown in a box to select and copy.
(function () {
  "use strict";
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
