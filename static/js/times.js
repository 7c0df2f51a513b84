// One rule for every time a page shows: the portal's time zone (<html data-time-zone>, the
// TIME_ZONE setting) and the interface language's format (<html lang>: 24-hour in Polish),
// whatever the browser's own zone and locale. The server renders its times by the same
// rule; this formats the ones scripts add later (chat messages, console cards):
// any <time> with class "chat-time" (a time of day) or data-time-style="time|datetime",
// as it arrives. Its datetime attribute is made valid HTML too (no six-digit fractions).
(function () {
  "use strict";

  const root = document.documentElement;
  const lang = root.lang || "en";
  const zone = root.dataset.timeZone || "UTC";
  const hour12 = lang.startsWith("en");
  const hour = hour12 ? "numeric" : "2-digit"; // "9:05 AM" in English, "09:05" in Polish, as the server
  const styles = {
    time: { hour, minute: "2-digit" },
    datetime: { dateStyle: "long", timeStyle: "short" },
  };
  const formatters = {};

  function formatter(style) {
    if (!formatters[style]) {
      formatters[style] = new Intl.DateTimeFormat(lang, { ...styles[style], timeZone: zone, hour12 });
    }
    return formatters[style];
  }

  /* "2026-12-01T11:41:02.123456+00:00" -> a Date; an invalid value -> null. */
  function parse(value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function format(value, style) {
    const date = value instanceof Date ? value : parse(value);
    return date ? formatter(style || "time").format(date) : "";
  }

  /* A valid HTML global date and time: whole seconds, in UTC. */
  function machine(value) {
    const date = value instanceof Date ? value : parse(value);
    return date ? date.toISOString().replace(/\.\d+Z$/, "Z") : "";
  }

  function fix(element) {
    const style = element.dataset.timeStyle || (element.classList.contains("chat-time") ? "time" : "");
    const date = parse(element.dateTime);
    if (!style || !date) return;
    element.dateTime = machine(date);
    element.textContent = format(date, style);
  }

  function fixAll(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("time")) fix(node);
    for (const time of node.querySelectorAll("time")) fix(time);
  }

  window.PortalTime = { format, machine };
  fixAll(document.body);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) fixAll(node);
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
