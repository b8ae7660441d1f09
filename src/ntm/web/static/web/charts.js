// The charts of a unit page, drawn with the vendored Apache ECharts from the JSON block the
// page carries (json_script "chart-data": never executed, so the Content-Security-Policy
// holds). Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips
// carry style attributes, which the policy refuses.
"use strict";

(function () {
  // 2142589 -> "2.142.589", 13.43 with 2 digits -> "13,43": the Vietnamese way, like the
  // server's vn filter.
  function vn(value, digits) {
    if (value === null || value === undefined || !isFinite(value)) {
      return "–";
    }
    const parts = Number(value).toFixed(digits || 0).split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return parts.length > 1 ? whole + "," + parts[1] : whole;
  }

  const tooltip = { trigger: "axis", renderMode: "richText", confine: true };

  function trendOption(data) {
    const head = data.headers["dien-bien"];
    const years = data.trend.map((p) => String(p.year));
    return {
      animation: false,
      tooltip: Object.assign({ valueFormatter: (v) => vn(v, Number.isInteger(v) ? 0 : 2) }, tooltip),
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years },
      // the legend names both axes (left: average criteria, right: communes)
      yAxis: [
        { type: "value", axisLabel: { formatter: (v) => vn(v, 0) } },
        { type: "value", splitLine: { show: false }, axisLabel: { formatter: (v) => vn(v, 0) } },
      ],
      series: [
        {
          name: head[3],
          type: "bar",
          yAxisIndex: 1,
          data: data.trend.map((p) => p.meeting_standard),
          label: { show: true, position: "top", formatter: (p) => vn(p.value, 0) },
        },
        {
          name: head[2],
          type: "line",
          data: data.trend.map((p) => p.avg_criteria),
          label: { show: true, formatter: (p) => vn(p.value, 2) },
        },
      ],
    };
  }

  function criteriaOption(data) {
    const head = data.headers["tieu-chi"];
    // the hardest criteria (fewest communes meeting them) at the top
    const rows = data.criteria.slice().sort((a, b) => b.met - a.met);
    return {
      animation: false,
      tooltip: Object.assign(
        {
          formatter: (items) => {
            const row = rows[items[0].dataIndex];
            return row.code + ". " + row.name + "\n" + head[1] + ": " + vn(row.met, 0) + "/" + vn(row.judged, 0);
          },
        },
        tooltip,
      ),
      grid: { left: 40, right: 40, top: 10, bottom: 30 },
      xAxis: { type: "value", axisLabel: { formatter: (v) => vn(v, 0) } },
      yAxis: { type: "category", data: rows.map((r) => r.code) },
      series: [
        {
          name: head[1],
          type: "bar",
          data: rows.map((r) => r.met),
          label: { show: true, position: "right", formatter: (p) => vn(p.value, 0) },
        },
      ],
    };
  }

  function draw() {
    const block = document.getElementById("chart-data");
    if (!block || !window.echarts) {
      return;
    }
    const data = JSON.parse(block.textContent);
    const options = { "dien-bien": trendOption, "tieu-chi": criteriaOption };
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(options[el.dataset.chart](data));
      new ResizeObserver(() => chart.resize()).observe(el);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
