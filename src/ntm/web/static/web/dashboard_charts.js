// The charts of the criterion page (rate of communes meeting one criterion, by year) and of
// the national view (the country's trend), drawn with the vendored Apache ECharts from the
// page's json_script blocks (never executed, so the Content-Security-Policy holds). Tooltips
// are drawn on the canvas (renderMode "richText"): HTML tooltips carry style attributes,
// which the policy refuses.
"use strict";

(function () {
  const vn = window.ntmFormat.vn; // web/vn.js, loaded before this file

  const tooltip = { trigger: "axis", renderMode: "richText", confine: true };

  // headers: year, set, criterion, met, judged, rate. Each year's bar is named by its own
  // set's criterion (a code names different criteria in different sets).
  function criterionOption(data) {
    const head = data.headers;
    const points = data.points;
    return {
      animation: false,
      tooltip: Object.assign(
        {
          formatter: (items) => {
            const p = points[items[0].dataIndex];
            return (
              p.year + " · " + p.set_label + "\n" + p.name + "\n" +
              head[5] + ": " + vn(p.rate, 1) + " (" + vn(p.met, 0) + "/" + vn(p.judged, 0) + ")"
            );
          },
        },
        tooltip,
      ),
      grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: { type: "category", data: points.map((p) => String(p.year)) },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: (v) => vn(v, 0) + "%" } },
      series: [
        {
          name: head[5],
          type: "bar",
          data: points.map((p) => p.rate),
          // a percent, as on the axis: a bare "41" reads as a number of communes
          label: { show: true, position: "top", formatter: (p) => vn(p.value, 0) + "%" },
          // a dashed line where the criteria set changes
          markLine: {
            symbol: "none",
            label: { show: false },
            lineStyle: { type: "dashed" },
            data: points.filter((p) => p.set_changed).map((p) => ({ xAxis: String(p.year) })),
          },
        },
      ],
    };
  }

  // headers: year, provinces, communes, average criteria, communes meeting the standard.
  function nationalOption(data) {
    const head = data.headers;
    const points = data.points;
    return {
      animation: false,
      tooltip: Object.assign({ valueFormatter: (v) => vn(v, Number.isInteger(v) ? 0 : 2) }, tooltip),
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: points.map((p) => String(p.year)) },
      yAxis: [
        { type: "value", axisLabel: { formatter: (v) => vn(v, 0) } },
        {
          type: "value",
          minInterval: 1, // communes: whole numbers
          splitLine: { show: false },
          axisLabel: { formatter: (v) => vn(v, 0) },
        },
      ],
      series: [
        { name: head[4], type: "bar", yAxisIndex: 1, data: points.map((p) => p.meeting_standard) },
        { name: head[3], type: "line", data: points.map((p) => p.avg_criteria) },
      ],
    };
  }

  function drawOne(selector, blockId, option) {
    const el = document.querySelector(selector);
    const block = document.getElementById(blockId);
    if (!el || !block || !window.echarts) {
      return;
    }
    const chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(JSON.parse(block.textContent)));
    new ResizeObserver(() => chart.resize()).observe(el);
  }

  function draw() {
    drawOne("[data-criterion-chart]", "criterion-data", criterionOption);
    drawOne("[data-national-chart]", "national-data", nationalOption);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
