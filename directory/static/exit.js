// Quick exit. The button is a plain link and works without this script; with it, the exit uses
// location.replace so the Back button does not return here, and the Escape key leaves too.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  document.documentElement.className += " js";
  function leave(event) {
    if (event) { event.preventDefault(); }
    // Hide the page at once: the next site may take a moment to load on a slow phone.
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
}());
