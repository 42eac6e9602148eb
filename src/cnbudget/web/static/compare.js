/* Charts of the trends and peer pages: the numbers come from the page's JSON block (#chart-data), the
   same as its table; nothing here builds markup from document text. */
(function () {
  "use strict";
  var block = document.getElementById("chart-data");
  if (!block || typeof echarts === "undefined") { return; }
  var charts = [];
  JSON.parse(block.textContent).forEach(function (spec) {
    var node = document.getElementById(spec.id);
    if (!node || !spec.values || !spec.values.length) { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    var data = spec.values.map(function (v, i) {
      return { value: Number(v), exact: v, itemStyle: { color: spec.colours[i] } };
    });
    var category = { type: "category", data: spec.labels, axisLabel: { interval: 0, width: 220, overflow: "truncate" } };
    var amount = { type: "value", scale: false };
    chart.setOption({
      animation: false,
      grid: { left: spec.horizontal ? 240 : 60, right: 40, top: 20, bottom: 40, containLabel: false },
      tooltip: { trigger: "item", formatter: function (p) { return echarts.format.encodeHTML(p.name + "：" + p.data.exact); } },
      xAxis: spec.horizontal ? amount : category,
      yAxis: spec.horizontal ? category : amount,
      series: [{ type: "bar", data: data, label: { show: true, position: spec.horizontal ? "right" : "top",
        formatter: function (p) { return p.data.exact; } } }]
    });
    node.setAttribute("data-rendered", "1");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
