/* The dashboard's charts (accounts/templates/accounts/dashboard.html): each chart is drawn by
   the vendored ECharts from the rows of the json_script "dashboard-data" — the same rows the
   table under it shows and its CSV download holds. No inline script (strict CSP). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var drawn = [];

  function series(chart) {
    var names = chart.columns.slice(1, chart.drawn ? chart.drawn + 1 : undefined);
    return names.map(function (name, i) {
      return {
        name: name,
        type: chart.kind === "hbar" ? "bar" : chart.kind,
        data: chart.rows.map(function (row) { return row[i + 1]; }),
        label: { show: true, position: chart.kind === "hbar" ? "right" : "top" }
      };
    });
  }

  function option(chart) {
    var labels = chart.rows.map(function (row) { return row[0]; });
    if (chart.kind === "pie") {
      return {
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          label: { formatter: "{b}：{c}" },
          data: chart.rows.map(function (row) { return { name: row[0], value: row[1] }; })
        }]
      };
    }
    var category = { type: "category", data: labels, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    var horizontal = chart.kind === "hbar";
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: chart.columns.length > 2 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 120 : 40, right: 30, top: 30, bottom: horizontal ? 20 : 60, containLabel: false },
      xAxis: horizontal ? value : Object.assign({}, category, { axisLabel: { rotate: labels.length > 6 ? 30 : 0, interval: 0 } }),
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: series(chart)
    };
  }

  charts.forEach(function (chart) {
    var box = document.querySelector('[data-chart="' + chart.key + '"]');
    if (!box) { return; }
    var empty = chart.rows.every(function (row) {
      return row.slice(1).every(function (v) { return !v; });
    });
    if (empty) {  // nothing to draw: the table says 0 or 暂无数据
      box.classList.add("dashboard-chart-empty");
      box.textContent = "暂无数据";
      return;
    }
    var instance = echarts.init(box, null, { renderer: "canvas" });
    instance.setOption(option(chart));
    box.setAttribute("data-drawn", "1");
    drawn.push(instance);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (instance) { instance.resize(); });
  });
}());
