// Draws the reports page's charts with Chart.js from the figures the page holds as JSON
// (json_script): no inline script, the CSP stays strict. Every chart has its table below.
"use strict";
(function () {
  const source = document.getElementById("report-charts");
  if (!source || !window.Chart) return;
  const colours = ["#0d6efd", "#198754", "#dc3545", "#6f42c1", "#fd7e14"];
  for (const chart of JSON.parse(source.textContent)) {
    const canvas = document.getElementById(chart.id);
    if (!canvas) continue;
    const twoAxes = chart.id === "chart-tickets_by";
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map((series, n) => ({
          label: series.label,
          data: series.data,
          backgroundColor: colours[n % colours.length],
          borderColor: colours[n % colours.length],
          yAxisID: twoAxes && n === 1 ? "y1" : "y",
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: twoAxes
          ? { y: { beginAtZero: true }, y1: { beginAtZero: true, max: 100, position: "right", grid: { drawOnChartArea: false } } }
          : { y: { beginAtZero: true } },
      },
    });
    canvas.dataset.drawn = "true";
  }
})();
