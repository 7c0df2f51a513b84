/* Canned replies, from the keyboard, in any textarea marked data-canned-replies="<url>".
 *
 * Typing "/" at the start of a word opens a list of the agent's replies (the url answers
 * them as JSON, rendered for the member at hand); what follows the slash filters them by
 * title or shortcut. Up and Down choose, Enter (or a click) puts the reply in place of
 * "/…" for the agent to edit before sending, Escape closes. The list is an ARIA listbox
 * the textarea controls (aria-activedescendant), and a live region says what happened.
 * A button marked data-canned-open="<textarea id>" opens the list too.
 *
 * Its listeners are on the document, in the capture phase: the reply boxes of the console
 * are added later, and the picker's keys must come before the box's own Enter-to-send. */
(function () {
  "use strict";

  const SELECTOR = "textarea[data-canned-replies]";
  const TRIGGER = /(?:^|\s)\/([^\s/]*)$/;
  const answers = new Map(); // url -> promise of the endpoint's answer
  let picker = null; // the open list: { textarea, panel, listbox, status, items, active, start }
  let serial = 0;

  function load(url) {
    if (!answers.has(url)) {
      const request = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .catch((error) => {
          answers.delete(url); // try again next time
          throw error;
        });
      answers.set(url, request);
    }
    return answers.get(url);
  }

  function format(text, fields) {
    return text.replace(/\{(\w+)\}/g, (all, key) => (key in fields ? fields[key] : all));
  }

  /* The "/query" just before the caret, if the agent is typing one. */
  function trigger(textarea) {
    if (textarea.selectionStart !== textarea.selectionEnd) return null;
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = TRIGGER.exec(before);
    if (!match) return null;
    return { start: before.length - match[1].length - 1, query: match[1].toLowerCase() };
  }

  function matches(reply, query) {
    return (
      !query ||
      reply.title.toLowerCase().includes(query) ||
      reply.shortcut.toLowerCase().startsWith(query)
    );
  }

  /* The list's elements, made once per textarea, right after it. */
  function panelOf(textarea) {
    if (textarea.cannedPanel) return textarea.cannedPanel;
    const id = "canned-" + ++serial;
    const panel = document.createElement("div");
    panel.className = "canned-picker";
    panel.hidden = true;
    const listbox = document.createElement("ul");
    listbox.id = id + "-list";
    listbox.setAttribute("role", "listbox");
    listbox.className = "canned-list";
    const status = document.createElement("p");
    status.className = "canned-status";
    status.setAttribute("aria-live", "polite");
    panel.append(listbox);
    textarea.after(panel, status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.cannedPanel = { id, panel, listbox, status };
    return textarea.cannedPanel;
  }

  function show(textarea, found, answer) {
    const parts = panelOf(textarea);
    const strings = answer.strings;
    const items = answer.replies.filter((reply) => matches(reply, found.query));
    parts.listbox.setAttribute("aria-label", strings.label);
    parts.listbox.replaceChildren(
      ...items.map((reply, index) => {
        const option = document.createElement("li");
        option.id = parts.id + "-" + index;
        option.setAttribute("role", "option");
        option.className = "canned-option";
        const title = document.createElement("span");
        title.className = "canned-title";
        title.textContent = reply.title;
        const shortcut = document.createElement("span");
        shortcut.className = "canned-shortcut";
        shortcut.textContent = reply.shortcut ? "/" + reply.shortcut : "";
        const preview = document.createElement("span");
        preview.className = "canned-preview";
        preview.textContent = reply.body;
        option.append(title, shortcut, preview);
        // mousedown would take the focus from the textarea, and close the list.
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => insert(reply));
        return option;
      }),
    );
    place(parts.panel, textarea);
    parts.panel.hidden = false;
    textarea.setAttribute("aria-controls", parts.listbox.id);
    const words = items.length ? format(strings.count, { count: items.length }) : strings.none;
    if (!picker || parts.status.textContent !== words) parts.status.textContent = words;
    picker = { textarea, ...parts, items, strings, active: 0, start: found.start };
    highlight(0);
  }

  /* Right under the box and as wide, over what follows (a popup, whatever the page's
   * layout: the admin puts the box in a row of flex items). */
  function place(panel, textarea) {
    panel.style.left = textarea.offsetLeft + "px";
    panel.style.top = textarea.offsetTop + textarea.offsetHeight + "px";
    panel.style.width = textarea.offsetWidth + "px";
  }

  function highlight(index) {
    const options = picker.listbox.children;
    if (!options.length) return picker.textarea.removeAttribute("aria-activedescendant");
    picker.active = (index + options.length) % options.length;
    Array.from(options).forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === picker.active));
    });
    const option = options[picker.active];
    picker.textarea.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function close() {
    if (!picker) return;
    picker.panel.hidden = true;
    picker.textarea.removeAttribute("aria-activedescendant");
    picker.textarea.removeAttribute("aria-controls");
    picker = null;
  }

  function insert(reply) {
    const { textarea, status, strings, start } = picker;
    textarea.setRangeText(reply.body, start, textarea.selectionStart, "end");
    close();
    textarea.focus();
    status.textContent = format(strings.inserted, { title: reply.title });
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    countUse(reply);
  }

  function countUse(reply) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(reply.used_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).catch(() => {}); // a lost count is no reason to bother the agent
  }

  function update(textarea) {
    const found = trigger(textarea);
    if (!found) return close();
    load(textarea.dataset.cannedReplies).then(
      (answer) => {
        // Still the same box, still typing a "/…": the answer may come late.
        const still = document.activeElement === textarea && trigger(textarea);
        if (still) show(textarea, still, answer);
      },
      () => {
        panelOf(textarea).status.textContent = textarea.dataset.cannedFailed || "";
      },
    );
  }

  document.addEventListener(
    "input",
    (event) => {
      if (event.target.matches && event.target.matches(SELECTOR)) update(event.target);
    },
    true,
  );

  document.addEventListener(
    "keydown",
    (event) => {
      if (!picker || event.target !== picker.textarea || event.isComposing) return;
      const keys = {
        ArrowDown: () => highlight(picker.active + 1),
        ArrowUp: () => highlight(picker.active - 1),
        Escape: close,
        Enter: () => insert(picker.items[picker.active]),
      };
      const action = keys[event.key];
      if (!action || (event.key === "Enter" && (event.shiftKey || !picker.items.length))) {
        if (event.key === "Enter") close();
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      action();
    },
    true,
  );

  document.addEventListener(
    "focusout",
    (event) => {
      if (picker && event.target === picker.textarea) close();
    },
    true,
  );

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-canned-open]");
    if (!button) return;
    const textarea = document.getElementById(button.dataset.cannedOpen);
    if (!textarea) return;
    textarea.focus();
    const at = textarea.selectionStart;
    const space = at > 0 && !/\s/.test(textarea.value[at - 1]) ? " " : "";
    textarea.setRangeText(space + "/", at, textarea.selectionEnd, "end");
    update(textarea);
  });
})();
