// The charts of a unit page, drawn with the vendored Apache ECharts from the JSON block the
// page carries (json_script "chart-data": never executed, so the Content-Security-Policy
// holds). Tooltips are drawn on the canvas (renderMode "richText"): ECharts' HTML tooltips
// carry style attributes, which the policy refuses.
"use strict";

(function () {
  const vn = window.ntmFormat.vn; // web/vn.js, loaded before this file

  const tooltip = { trigger: "axis", renderMode: "richText", confine: true };

  // The trend's years, then those of the forecast and the target (after the last year with data).
  function trendYears(data) {
    const years = data.trend.map((p) => p.year);
    const forecast = data.forecast;
    if (forecast) {
      forecast.points.concat([forecast.target]).forEach((p) => {
        if (!years.includes(p.year)) {
          years.push(p.year);
        }
      });
    }
    return years.sort((a, b) => a - b);
  }

  function byYear(years, points, value) {
    const found = new Map(points.map((p) => [p.year, value(p)]));
    return years.map((y) => (found.has(y) ? found.get(y) : null));
  }

  // One line per run of sets of one size (19 criteria to 2025, 10 from 2026): averages under
  // sets of different sizes do not compare, so the line is not drawn across the change.
  function averageSeries(data, head, years) {
    const runs = data.size_runs.length ? data.size_runs : [{ first: 0, last: 9999, label: "" }];
    return runs.map((run) => ({
      name: runs.length > 1 ? head[2] + " " + run.label : head[2],
      type: "line",
      data: byYear(
        years,
        data.trend.filter((p) => p.year >= run.first && p.year <= run.last),
        (p) => p.avg_criteria,
      ),
      label: { show: true, formatter: (p) => vn(p.value, 2) },
    }));
  }

  // The expected count (dashed, from the last actual count) and the target (a mark and a line).
  function forecastSeries(data, years) {
    const f = data.forecast;
    if (!f) {
      return [];
    }
    const out = [];
    if (f.points.length) {
      const base = data.trend.find((p) => p.year === f.base_year);
      const points = f.points.map((p) => ({ year: p.year, value: p.expected }));
      if (base) {
        points.unshift({ year: base.year, value: base.meeting_standard });
      }
      out.push({
        name: f.names.forecast,
        type: "line",
        yAxisIndex: 1,
        lineStyle: { type: "dashed" },
        data: byYear(years, points, (p) => p.value),
        label: {
          show: true,
          formatter: (p) => (p.name === String(f.base_year) ? "" : vn(p.value, 1)),
        },
      });
    }
    out.push({
      name: f.names.target,
      type: "scatter",
      yAxisIndex: 1,
      symbol: "diamond",
      symbolSize: 14,
      data: byYear(years, [f.target], (p) => p.value),
      label: { show: true, position: "right", formatter: (p) => vn(p.value, 0) },
      markLine: {
        silent: true,
        symbol: "none",
        lineStyle: { type: "dotted" },
        label: { position: "insideStartTop", formatter: (p) => f.names.target + " " + vn(p.value, 0) },
        data: [{ yAxis: f.target.value }],
      },
    });
    return out;
  }

  function trendOption(data) {
    const head = data.headers["dien-bien"];
    const years = trendYears(data);
    return {
      animation: false,
      tooltip: Object.assign({ valueFormatter: (v) => vn(v, Number.isInteger(v) ? 0 : 2) }, tooltip),
      // one scrolling row: five series would wrap over the plot on a 390 px phone
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years.map(String) },
      // the legend names both axes (left: average criteria, right: communes)
      // minInterval 1: counts are whole numbers; a province of two communes would otherwise
      // get ticks at 0.5 that round to repeated labels ("1, 1, 2, 2")
      yAxis: [
        { type: "value", minInterval: 1, axisLabel: { formatter: (v) => vn(v, 0) } },
        {
          type: "value",
          minInterval: 1,
          splitLine: { show: false },
          axisLabel: { formatter: (v) => vn(v, 0) },
        },
      ],
      series: [
        {
          name: head[3],
          type: "bar",
          yAxisIndex: 1,
          data: byYear(years, data.trend, (p) => p.meeting_standard),
          label: { show: true, position: "top", formatter: (p) => vn(p.value, 0) },
        },
        ...averageSeries(data, head, years),
        ...forecastSeries(data, years),
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
      xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v) => vn(v, 0) } },
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
