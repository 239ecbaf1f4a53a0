// Behaviour the pages declare in data attributes, so that the Content-Security-Policy can
// forbid inline scripts and style attributes: bar widths (data-width, in %) and print
// buttons (data-print). Applied on load and after every htmx swap.
(function () {
  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = element.dataset.width + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:afterSettle", function (event) { apply(event.target); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
