// Quick exit, and a visit that leaves one entry in the Back list.
//
// The exit button is a plain link and works without this script. With it:
// - the exit uses location.replace, and Escape leaves from anywhere, text fields included (a person
//   in danger may be typing);
// - every move within this site (links, GET forms, the postcode form) replaces the current page
//   instead of adding one to the browser's history, so however long the visit, the exit's page
//   takes the place of the only entry this site has, and Back then goes to whatever was open before.
// Everything is listened for on the document (delegated), so it keeps working when the finder swaps
// in a new page body. Links to other sites, new tabs, downloads, tel:/mailto:/sms: stay as they are.
(function () {
  "use strict";
  var root = document.documentElement;
  if (!document.getElementById("quick-exit") || !window.location.replace) { return; }
  root.className += " js";

  function leave(event) {
    if (event) { event.preventDefault(); }
    // Hide the page at once: the next site may take a moment to load on a slow phone.
    document.body.style.visibility = "hidden";
    window.location.replace(document.getElementById("quick-exit").href);
  }

  function sameSite(url) {
    return url.origin === window.location.origin && (url.protocol === "http:" || url.protocol === "https:");
  }

  // Go to another page of this site, or to a place within this page (the skip link, "jump to"
  // links), without adding an entry to the history.
  function replaceTo(url) {
    var here = window.location.href.split("#")[0];
    window.location.replace(url.href);
    if (url.href.split("#")[0] === here && url.hash) {
      // As a followed link does: focus the target when it can take focus (the skip link's <main>).
      var target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) { target.focus(); }
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  }, true);

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) { return; }
    if (link.id === "quick-exit") { leave(event); return; }
    if ((link.target && link.target !== "_self") || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, document.baseURI);
    if (!sameSite(url)) { return; }
    event.preventDefault();
    replaceTo(url);
  });

  // The finder's answer comes from a form post. Post it here, then replace this page with the page
  // it redirects to; an answer that is not a redirect (a postcode not found) is shown in place of this
  // page's body, under the finder's address. Without fetch, the form posts as it would without script.
  function post(form) {
    var body = new URLSearchParams(new FormData(form));
    return window.fetch(form.action, { method: "POST", body: body, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.redirected && sameSite(new URL(response.url))) {
          window.location.replace(response.url);
          return;
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          document.title = page.title;
          document.body.replaceWith(document.adoptNode(page.body));
          window.history.replaceState(null, "", form.action);
          var message = document.querySelector(".finding") || document.getElementById("main");
          if (message) { message.focus(); }
        });
      })
      .catch(function () { HTMLFormElement.prototype.submit.call(form); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.target && form.target !== "_self")) { return; }
    var action = new URL(form.action, document.baseURI);
    if (!sameSite(action)) { return; }
    if (form.method === "get") {
      var data = new FormData(form);
      var submitter = event.submitter;
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      action.search = new URLSearchParams(data).toString();
      action.hash = "";
      event.preventDefault();
      window.location.replace(action.href);
    } else if (form.method === "post" && window.fetch && window.URLSearchParams && window.DOMParser) {
      event.preventDefault();
      post(form);
    }
  });
}());
