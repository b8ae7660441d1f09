// The map of a unit's communes, drawn with the vendored Apache ECharts from the JSON block the
// page carries (json_script "map-data"; never executed, so the Content-Security-Policy holds).
// No tiles and no network: communes are points at their centres on a plain longitude/latitude
// grid, or, once an administrator has imported outlines (`ntm boundaries import`), polygons
// of a map registered from those outlines, with the communes still without one as points.
// Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry style
// attributes, which the policy refuses.
"use strict";

(function () {
  const MAP_NAME = "ntm-communes";

  function categoryOf(mode, commune) {
    const key = commune.shown[mode.key];
    return mode.categories.find((c) => c.key === key) || mode.categories[mode.categories.length - 1];
  }

  // Longitude and latitude ranges padded so that a degree of longitude is drawn shorter than
  // one of latitude (cos of the latitude), as on a map, whatever the box's shape.
  function extent(points, el) {
    const lons = points.map((c) => c.lon);
    const lats = points.map((c) => c.lat);
    let [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const pad = 0.02;
    x0 -= pad; x1 += pad; y0 -= pad; y1 += pad;
    const squeeze = Math.cos(((y0 + y1) / 2) * (Math.PI / 180));
    const box = (el.clientWidth || 1) / (el.clientHeight || 1);
    const drawn = ((x1 - x0) * squeeze) / (y1 - y0);
    if (drawn < box) {
      const grow = ((y1 - y0) * box) / squeeze - (x1 - x0);
      x0 -= grow / 2; x1 += grow / 2;
    } else {
      const grow = ((x1 - x0) * squeeze) / box - (y1 - y0);
      y0 -= grow / 2; y1 += grow / 2;
    }
    return { x0, x1, y0, y1 };
  }

  // Longitude/latitude box of the outlines and the points, so that points outside every
  // outline are not cut off (the geo component fits its regions only).
  function bounds(data) {
    const box = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
    const add = (p) => {
      box.x0 = Math.min(box.x0, p[0]); box.x1 = Math.max(box.x1, p[0]);
      box.y0 = Math.min(box.y0, p[1]); box.y1 = Math.max(box.y1, p[1]);
    };
    const walk = (value) => {
      if (typeof value[0] === "number") {
        add(value);
      } else {
        value.forEach(walk);
      }
    };
    data.shapes.features.forEach((f) => walk(f.geometry.coordinates));
    data.communes.filter((c) => c.lon !== null && c.lat !== null).forEach((c) => add([c.lon, c.lat]));
    const pad = 0.02;
    return [[box.x0 - pad, box.y1 + pad], [box.x1 + pad, box.y0 - pad]];
  }

  function meanLat(communes) {
    const lats = communes.filter((c) => c.lat !== null).map((c) => c.lat);
    return lats.length ? lats.reduce((a, b) => a + b, 0) / lats.length : 16;
  }

  function scatter(mode, points, coordinateSystem) {
    return mode.categories.map((cat) => ({
      name: cat.label,
      type: "scatter",
      coordinateSystem: coordinateSystem,
      symbolSize: 11,
      itemStyle: { color: cat.color, borderColor: "#555", borderWidth: 0.5 },
      data: points
        .filter((c) => categoryOf(mode, c).key === cat.key)
        .map((c) => ({ name: c.name, value: [c.lon, c.lat], commune: c, category: cat.label })),
    }));
  }

  function tooltipText(item) {
    return item.data && item.data.commune ? item.data.commune.name + "\n" + item.data.category : "";
  }

  function pointOption(mode, data, el) {
    const points = data.communes.filter((c) => c.lon !== null && c.lat !== null);
    const box = extent(points.length ? points : [{ lon: 103, lat: 22 }], el);
    const hidden = { show: false };
    return {
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: tooltipText },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 8, top: 36, bottom: 8 },
      xAxis: { type: "value", min: box.x0, max: box.x1, axisLabel: hidden, axisTick: hidden, axisLine: hidden, splitLine: hidden },
      yAxis: { type: "value", min: box.y0, max: box.y1, axisLabel: hidden, axisTick: hidden, axisLine: hidden, splitLine: hidden },
      series: scatter(mode, points, "cartesian2d"),
    };
  }

  function shapeOption(mode, data, byId) {
    const outlined = new Set(data.shapes.features.map((f) => f.properties.name));
    const regions = data.communes
      .filter((c) => outlined.has(String(c.id)))
      .map((c) => ({ name: String(c.id), itemStyle: { areaColor: categoryOf(mode, c).color } }));
    const points = data.communes.filter(
      (c) => !outlined.has(String(c.id)) && c.lon !== null && c.lat !== null,
    );
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        confine: true,
        formatter: (item) => {
          if (item.componentType === "geo") {
            const c = byId[item.name];
            return c ? c.name + "\n" + categoryOf(mode, c).label : "";
          }
          return tooltipText(item);
        },
      },
      // the legend names the colours; regions are not series, so it does not hide them
      legend: { top: 0, type: "scroll", selectedMode: false },
      geo: {
        map: MAP_NAME,
        roam: true,
        // ECharts' default (0.75) suits northern China; a degree of longitude is cos(latitude)
        // of a degree of latitude, about 0.93 in Lai Châu
        aspectScale: Math.cos((meanLat(data.communes) * Math.PI) / 180),
        boundingCoords: bounds(data),
        top: 36,
        bottom: 8,
        left: 8,
        right: 8,
        tooltip: { show: true },
        label: { show: false },
        itemStyle: { areaColor: "#eeeeee", borderColor: "#555", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { borderWidth: 1.5 } },
        regions: regions,
      },
      series: scatter(mode, points, "geo"),
    };
  }

  function draw() {
    const block = document.getElementById("map-data");
    const el = document.querySelector("[data-map]");
    if (!block || !el || !window.echarts) {
      return;
    }
    const data = JSON.parse(block.textContent);
    const byId = {};
    data.communes.forEach((c) => { byId[String(c.id)] = c; });
    if (data.shapes) {
      window.echarts.registerMap(MAP_NAME, data.shapes);
    }
    const chart = window.echarts.init(el, null, { renderer: "canvas" });
    let mode = data.modes[0];
    const render = () => {
      const option = data.shapes ? shapeOption(mode, data, byId) : pointOption(mode, data, el);
      chart.setOption(option, { notMerge: true });
    };
    chart.on("click", (item) => {
      const commune = item.componentType === "geo" ? byId[item.name] : item.data && item.data.commune;
      if (commune && commune.url) {
        window.location.assign(commune.url);
      }
    });
    document.querySelectorAll("[data-map-mode]").forEach((button) => {
      button.addEventListener("click", () => {
        mode = data.modes.find((m) => m.key === button.dataset.mapMode) || data.modes[0];
        document.querySelectorAll("[data-map-mode]").forEach((b) => {
          b.setAttribute("aria-pressed", String(b === button));
        });
        render();
      });
    });
    render();
    new ResizeObserver(() => {
      chart.resize();
      if (!data.shapes) {
        render(); // the padding that keeps the proportions depends on the box
      }
    }).observe(el);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
