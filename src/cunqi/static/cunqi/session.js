// A session's idle end, announced (issue 21): two minutes before it, the page says so and
// offers to stay signed in. The page asks the server how long is left (asking is not
// activity), so that work in another tab keeps this one signed in too; at the end it
// reloads, and the server's sign-in page says why (what was typed waits as a draft).
(function () {
  var WARN = 120;  // seconds
  var timer;
  function box() { return document.getElementById("idle-warning"); }
  function schedule(remaining) {
    var warning = box();
    clearTimeout(timer);
    if (remaining <= 0) { location.reload(); return; }
    warning.hidden = remaining > WARN;
    var wait = remaining > WARN ? remaining - WARN : Math.min(remaining, 30);
    timer = setTimeout(ask, wait * 1000);
  }
  function ask() {
    fetch(box().dataset.idleState, { credentials: "same-origin" }).then(function (response) {
      if (response.redirected || !response.ok) { location.reload(); return null; }
      return response.json();
    }).then(function (state) {
      if (state) schedule(state.remaining);
    }).catch(function () { schedule(WARN + 30); });  // no network: ask again later
  }
  document.addEventListener("DOMContentLoaded", function () {
    var warning = box();
    if (!warning) return;
    schedule(Number(warning.dataset.remaining));
    warning.querySelector("[data-stay]").addEventListener("click", function () {
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(warning.dataset.stillHere, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) { return response.json(); })
        .then(function (state) { schedule(state.remaining); }, ask);
    });
    // A request made by htmx is activity too: the server noted it (to the minute).
    document.addEventListener("htmx:afterRequest", function () {
      schedule(Number(warning.dataset.idle) - 60);
    });
  });
})();
