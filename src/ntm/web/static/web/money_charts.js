// The money charts of a unit page (finance/_unit_money.html), drawn with the vendored Apache
// ECharts from the JSON block "money-data" (json_script: never executed, so the
// Content-Security-Policy holds). Only yearly figures are drawn; a figure for several years
// stays in the data table. Tooltips are drawn on the canvas (renderMode "richText"): HTML
// tooltips carry style attributes, which the policy refuses.
"use strict";

(function () {
  const vn = window.ntmFormat.vn; // web/vn.js, loaded before this file

  const tooltip = { trigger: "axis", renderMode: "richText", confine: true, valueFormatter: (v) => vn(v, 0) };
  const axisLabel = { formatter: (v) => vn(v, 0) };

  function sourcesOption(data) {
    const head = data.headers["von-nguon"];
    return {
      animation: false,
      tooltip: tooltip,
      legend: { top: 0, type: "scroll" },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.capital.map((p) => String(p.year)) },
      yAxis: { type: "value", axisLabel: axisLabel },
      // one bar per year, its parts stacked: top-level sources and the unclassified remainder
      series: data.sources.map((code, k) => ({
        name: head[k + 1],
        type: "bar",
        stack: "von",
        data: data.capital.map((p) => (p[code] === undefined ? null : p[code])),
      })),
    };
  }

  function stagesOption(data) {
    const head = data.headers["von-giai-ngan"];
    const stages = ["plan", "allocated", "disbursed"];
    return {
      animation: false,
      tooltip: tooltip,
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.stages.map((p) => String(p.year)) },
      yAxis: { type: "value", axisLabel: axisLabel },
      series: stages.map((stage, k) => ({
        name: head[k + 1],
        type: "bar",
        data: data.stages.map((p) => p[stage]),
      })),
    };
  }

  // Land (m²), labour (days) and money (million VND) have no common scale: three small grids
  // one above the other, cash and materials stacked in the last one.
  function contributionsOption(data) {
    const head = data.headers["dong-gop"];
    const years = data.contributions.map((p) => String(p.year));
    const panels = [["land_m2"], ["labour_days"], ["cash_million_vnd", "materials_million_vnd"]];
    const names = { land_m2: head[1], labour_days: head[2], cash_million_vnd: head[3], materials_million_vnd: head[4] };
    return {
      animation: false,
      tooltip: tooltip,
      legend: { top: 0, type: "scroll" },
      grid: panels.map((_, k) => ({ left: 70, right: 20, top: 8 + k * 31 + "%", height: "22%" })),
      xAxis: panels.map((_, k) => ({ type: "category", data: years, gridIndex: k })),
      yAxis: panels.map((_, k) => ({ type: "value", gridIndex: k, axisLabel: axisLabel })),
      series: panels.flatMap((kinds, k) =>
        kinds.map((kind) => ({
          name: names[kind],
          type: "bar",
          stack: "panel" + k,
          xAxisIndex: k,
          yAxisIndex: k,
          data: data.contributions.map((p) => p[kind]),
        })),
      ),
    };
  }

  function draw() {
    const block = document.getElementById("money-data");
    if (!block || !window.echarts) {
      return;
    }
    const data = JSON.parse(block.textContent);
    const options = { "von-nguon": sourcesOption, "von-giai-ngan": stagesOption, "dong-gop": contributionsOption };
    document.querySelectorAll("[data-money-chart]").forEach((el) => {
      const chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(options[el.dataset.moneyChart](data));
      new ResizeObserver(() => chart.resize()).observe(el);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
