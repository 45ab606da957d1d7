// Weekday/time picker for the opening hours input of a place (Wagtail admin).
// Progressive: the text input stays the field; this only writes the OSM form into it
// ("Mo-Fr 10:00-18:00; Sa 10:00-14:00; PH off"). Without this script, editors type the
// hours (German words work too, places.hours_input reads them on the server).
(function () {
  "use strict";

  const DAYS = [
    ["Mo", "Montag"],
    ["Tu", "Dienstag"],
    ["We", "Mittwoch"],
    ["Th", "Donnerstag"],
    ["Fr", "Freitag"],
    ["Sa", "Samstag"],
    ["Su", "Sonntag"],
  ];
  const CODES = DAYS.map((day) => day[0]);
  const SPAN = /^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text) node.textContent = text;
    return node;
  }

  function expandDays(text) {
    const days = [];
    for (const item of text.split(",")) {
      const [start, end] = item.split("-");
      if (item === "PH") {
        days.push("PH");
      } else if (end === undefined) {
        if (!CODES.includes(start)) return null;
        days.push(start);
      } else {
        const first = CODES.indexOf(start);
        const last = CODES.indexOf(end);
        if (first < 0 || last < 0 || last < first) return null;
        days.push(...CODES.slice(first, last + 1));
      }
    }
    return days;
  }

  // The simple OSM values the picker can show: "days spans" and "days off" rules.
  function read(value) {
    const week = {};
    let holidaysOff = false;
    const text = value.trim().replace(/;\s*$/, "");
    if (!text) return { week, holidaysOff };
    for (const rule of text.split(";")) {
      const match = rule.trim().match(/^(\S+)\s+(\S+)$/);
      if (!match) return null;
      const days = expandDays(match[1]);
      if (!days) return null;
      const closed = match[2] === "off" || match[2] === "closed";
      const spans = closed ? [] : match[2].split(",");
      if (!closed && !spans.every((span) => SPAN.test(span))) return null;
      for (const day of days) {
        if (day === "PH") {
          if (!closed) return null;
          holidaysOff = true;
        } else {
          week[day] = spans;
        }
      }
    }
    return { week, holidaysOff };
  }

  function dayList(codes) {
    // ["Mo","Tu","We","Fr"] -> "Mo-We,Fr"
    const parts = [];
    let run = [];
    const flush = () => {
      if (run.length >= 3) parts.push(`${run[0]}-${run[run.length - 1]}`);
      else parts.push(...run);
      run = [];
    };
    for (const code of codes) {
      if (run.length && CODES.indexOf(code) !== CODES.indexOf(run[run.length - 1]) + 1) flush();
      run.push(code);
    }
    flush();
    return parts.join(",");
  }

  function write(rows, holidaysOff) {
    const groups = new Map();
    for (const row of rows) {
      if (!row.open.checked) continue;
      const spans = row.spans
        .map(([from, to]) => (from.value && to.value ? `${from.value}-${to.value}` : ""))
        .filter(Boolean);
      if (!spans.length) continue;
      const key = spans.join(",");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row.code);
    }
    const rules = [...groups].map(([spans, codes]) => `${dayList(codes)} ${spans}`);
    if (holidaysOff) rules.push("PH off");
    return rules.join("; ");
  }

  function setup(wrapper) {
    if (wrapper.dataset.ready) return;
    const input = wrapper.querySelector("[data-opening-hours-input]");
    if (!input) return;
    wrapper.dataset.ready = "1";

    const details = element("details", { class: "opening-hours-picker" });
    details.append(element("summary", {}, "Öffnungszeiten per Auswahl eintragen"));
    const note = element("p", { class: "help", role: "status", "aria-live": "polite" });
    const table = element("table");
    const head = element("tr");
    ["Tag", "Geöffnet", "von", "bis", "und von", "bis"].forEach((title) =>
      head.append(element("th", { scope: "col" }, title)),
    );
    table.append(head);
    const rows = DAYS.map(([code, name]) => {
      const tr = element("tr");
      tr.append(element("th", { scope: "row" }, name));
      const open = element("input", { type: "checkbox", "aria-label": `${name} geöffnet` });
      const cell = element("td");
      cell.append(open);
      tr.append(cell);
      const spans = [0, 1].map((index) => {
        const label = index ? "nachmittags " : "";
        const from = element("input", { type: "time", "aria-label": `${name} ${label}von` });
        const to = element("input", { type: "time", "aria-label": `${name} ${label}bis` });
        [from, to].forEach((field) => {
          const td = element("td");
          td.append(field);
          tr.append(td);
        });
        return [from, to];
      });
      table.append(tr);
      return { code, name, open, spans };
    });
    const holidays = element("input", { type: "checkbox", id: `${input.id}-holidays` });
    const holidaysLabel = element("label", { for: holidays.id }, " An Feiertagen geschlossen");
    const extra = element("p", { class: "opening-hours-picker__extra" });
    extra.append(holidays, holidaysLabel);
    const preview = element("p", { class: "opening-hours-picker__preview" });
    const apply = element(
      "button",
      { type: "button", class: "button button-small" },
      "In das Feld übernehmen",
    );
    details.append(note, table, extra, preview, apply);
    wrapper.append(details);

    function load() {
      const current = read(input.value);
      if (!current) {
        note.textContent =
          "Die Angaben im Feld (z. B. Monate oder Hinweise) passen nicht in diese Auswahl. Ändern Sie sie bitte im Textfeld – oder wählen Sie hier neu; „Übernehmen“ ersetzt den Text.";
        return;
      }
      note.textContent = "";
      rows.forEach((row) => {
        const spans = current.week[row.code] || [];
        row.open.checked = spans.length > 0;
        row.spans.forEach(([from, to], index) => {
          const [start, end] = (spans[index] || "-").split("-");
          from.value = start || "";
          to.value = end || "";
        });
      });
      holidays.checked = current.holidaysOff;
      update();
    }

    function update() {
      rows.forEach((row) => {
        // Typing a time marks the day as open.
        if (row.spans[0][0].value && row.spans[0][1].value && !row.open.dataset.touched) {
          row.open.checked = true;
        }
      });
      preview.textContent = `Ergebnis: ${write(rows, holidays.checked) || "(keine Zeiten)"}`;
    }

    rows.forEach((row) => {
      row.open.addEventListener("change", () => {
        row.open.dataset.touched = "1";
        if (row.open.checked && !row.spans[0][0].value) {
          row.spans[0][0].value = "10:00";
          row.spans[0][1].value = "18:00";
        }
        update();
      });
    });
    details.addEventListener("input", update);
    details.addEventListener("toggle", () => {
      if (details.open) load();
    });
    apply.addEventListener("click", () => {
      input.value = write(rows, holidays.checked);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      note.textContent = "Übernommen. Speichern nicht vergessen.";
    });
  }

  function init() {
    document.querySelectorAll("[data-opening-hours]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
