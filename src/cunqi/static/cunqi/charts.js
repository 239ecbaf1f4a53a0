// Renders every [data-chart] element from the JSON option in its data-chart attribute.
// Clicking a bar, slice or point follows the link the data item carries (item.url). A map
// (option.geo) draws on the boundaries its data-geo address serves, or on a blank map.
(function () {
  var BLANK = { type: "FeatureCollection", features: [] };
  function render(element) {
    if (element.dataset.rendered) return;
    var option = JSON.parse(element.dataset.chart);
    if (option.geo && !echarts.getMap("cunqi")) {
      element.dataset.rendered = "1";
      var boundaries = element.dataset.geo
        ? fetch(element.dataset.geo).then(function (response) { return response.json(); })
        : Promise.resolve(BLANK);
      boundaries.catch(function () { return BLANK; }).then(function (geojson) {
        echarts.registerMap("cunqi", geojson);
        delete element.dataset.rendered;
        render(element);
      });
      return;
    }
    var chart = echarts.init(element, null, { locale: document.documentElement.lang.indexOf("zh") === 0 ? "ZH" : "EN" });
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;  // none on the public map
    });
    window.addEventListener("resize", function () { chart.resize(); });
    element.dataset.rendered = "1";
  }
  function renderAll() { document.querySelectorAll("[data-chart]").forEach(render); }
  document.addEventListener("DOMContentLoaded", renderAll);
  document.addEventListener("htmx:afterSettle", renderAll);
})();
