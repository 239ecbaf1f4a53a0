// Renders every [data-chart] element from the JSON option in its data-chart attribute.
// Clicking a bar, slice or point follows the link the data item carries (item.url).
(function () {
  function render(element) {
    if (element.dataset.rendered) return;
    var option = JSON.parse(element.dataset.chart);
    var chart = echarts.init(element, null, { locale: document.documentElement.lang.indexOf("zh") === 0 ? "ZH" : "EN" });
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "1";
  }
  function renderAll() { document.querySelectorAll("[data-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", renderAll);
  document.addEventListener("htmx:afterSettle", renderAll);
})();
