/* The agents' console: the queue, live, and the agent's chats, each on its own socket; the
 * agent's availability and alerts (kept by the server), and chats handed between agents. */
(function () {
  "use strict";

  const {
    ReconnectingSocket,
    ChatConnection,
    isOver,
    messageElement,
    showStatus,
    wireComposer,
    format,
  } = window.LiveChat;
  const config = JSON.parse(document.getElementById("console-config").textContent);
  const strings = config.strings;
  const $ = (id) => document.getElementById(id);
  const queueList = $("queue");
  const chats = new Map(); // chat id -> { connection, view, field, card }
  const offers = new Map(); // chat id -> the offer's list item
  let me = { away: config.away, alerts: config.alerts, holding: 0, capacity: config.capacity };
  let available = []; // the agents a chat can be handed to, this one left out
  let waiting = [];
  let revision = null; // the queue's revision shown; null until the whole queue comes
  let known = null;
  let socket = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function elapsed(since) {
    const seconds = Math.max(0, Math.floor((Date.now() - new Date(since)) / 1000));
    const minutes = Math.floor(seconds / 60);
    return minutes + ":" + String(seconds % 60).padStart(2, "0");
  }

  function tick() {
    queueList.querySelectorAll("[data-since]").forEach((node) => {
      node.textContent = format(strings.waiting_for, { time: elapsed(node.dataset.since) });
    });
    chats.forEach((chat) => convertable(chat));
  }

  function send(frame) {
    $("queue-error").textContent = "";
    socket.send(frame);
  }

  /* Why Accept is closed to this agent now ("" when it is open). */
  function acceptRefusal() {
    if (me.away) return strings.reason_away;
    if (me.holding >= me.capacity) {
      return format(strings.reason_capacity, { count: me.holding, capacity: me.capacity });
    }
    return "";
  }

  function renderQueue() {
    const refusal = acceptRefusal();
    $("accept-reason").textContent = waiting.length ? refusal : "";
    queueList.replaceChildren(
      ...waiting.map((item) => {
        const row = element("li", "list-group-item");
        const head = element("div", "d-flex justify-content-between align-items-baseline gap-2");
        head.append(element("strong", "", item.name), element("span", "small text-body-secondary"));
        head.lastChild.dataset.since = item.waiting_since;
        const accept = element("button", "btn btn-sm btn-success mt-1", strings.accept);
        accept.type = "button";
        accept.setAttribute("aria-label", strings.accept + ": " + item.name);
        accept.disabled = Boolean(refusal);
        if (refusal) accept.setAttribute("aria-describedby", "accept-reason");
        accept.addEventListener("click", () => send({ type: "accept", chat: item.chat }));
        row.append(head, element("p", "mb-1 small chat-body", item.question), accept);
        return row;
      }),
    );
    tick();
    $("queue-count").textContent = waiting.length
      ? format(strings.queue_count, { count: waiting.length })
      : strings.queue_empty;
  }

  /* A change of the queue (docs/protocol.md): applied when it is the next revision; one
   * that skips a revision means a change was missed, so ask for the whole queue again
   * and ignore changes until it comes. bench/console_queue.py does the same. */
  function queueChange(frame) {
    if (revision === null || frame.revision <= revision) return;
    if (frame.revision !== revision + 1) {
      revision = null;
      socket.send({ type: "hello" });
      return;
    }
    revision = frame.revision;
    const left = new Set(frame.left);
    const items = waiting.filter((item) => !left.has(item.chat));
    frame.joined.forEach((item) => {
      if (!items.some((other) => other.chat === item.chat)) items.push(item);
    });
    const order = (item) => item.waiting_since + " " + item.chat; // oldest first
    items.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    queueChanged(items);
  }

  function queueChanged(items) {
    waiting = items;
    renderQueue();
    if (known !== null && items.some((item) => !known.has(item.chat))) alert(items.at(-1));
    known = new Set(items.map((item) => item.chat));
  }

  function alert(item) {
    if (!me.alerts || me.away) return;
    new Audio(config.sound).play().catch(() => {});
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(strings.new_chat, { body: item.name + ": " + item.question });
    }
  }

  function statusChanged(frame) {
    me = frame;
    $("available").setAttribute("aria-pressed", String(!me.away));
    $("away").setAttribute("aria-pressed", String(me.away));
    $("alerts").setAttribute("aria-pressed", String(me.alerts));
    $("alerts-status").textContent = [
      me.away ? strings.away_now : strings.available_now,
      me.alerts ? strings.alerts_on : strings.alerts_off,
    ].join(" ");
    $("holding").textContent = format(strings.holding, {
      count: me.holding,
      capacity: me.capacity,
    });
    renderQueue();
  }

  /* Who the member is: a visitor, or their rank, ID, open tickets and past chats. */
  function fillContext(field, card) {
    field("badge").textContent = card.visitor ? strings.visitor : card.rank || "";
    field("badge").hidden = !field("badge").textContent;
    const id = card.member_id ? format(strings.member_id, { id: card.member_id }) : "";
    field("who").textContent = [card.email, id].filter(Boolean).join(" · ");
    field("context").hidden = card.visitor;
    if (card.visitor) return;
    listing(field("tickets-label"), field("tickets"), strings.open_tickets, card.open_tickets, (t) =>
      link(t.url, t.reference, t.title + " · " + t.status),
    );
    listing(field("chats-label"), field("past"), strings.past_chats, card.past_chats, (c) => {
      const day = new Date(c.created).toLocaleDateString();
      const rating = c.rating ? format(strings.rated, { rating: c.rating }) : strings.not_rated;
      return link(c.url, day, c.state + " · " + rating, day + " (" + rating + ")");
    });
  }

  function listing(label, target, words, list, item) {
    label.textContent = format(words, { count: list.total });
    target.replaceChildren(...(list.shown.length ? [] : [strings.none]));
    list.shown.forEach((entry, index) => {
      if (index) target.append(", ");
      target.append(item(entry));
    });
  }

  function link(url, text, title, shown) {
    const anchor = element("a", "", shown || text);
    anchor.href = url;
    anchor.title = title;
    return anchor;
  }

  function openChat(card) {
    if (chats.has(card.chat)) return;
    const view = $("chat-card").content.firstElementChild.cloneNode(true);
    const field = (name) => view.querySelector('[data-field="' + name + '"]');
    const chat = { view, field, card, over: card.ended, connection: null };
    const textareaId = "reply-" + card.chat;
    field("name").textContent = card.name;
    fillContext(field, card);
    field("log").setAttribute("aria-label", card.name);
    field("label").textContent = format(strings.reply_to, { name: card.name });
    field("label").htmlFor = textareaId;
    field("body").id = textareaId;
    field("hint").id = textareaId + "-hint";
    field("body").setAttribute("aria-describedby", field("hint").id);
    field("body").dataset.cannedReplies = card.canned_replies_url;
    field("canned").dataset.cannedOpen = textareaId;
    field("transfer-to").id = textareaId + "-transfer";
    field("transfer-label").htmlFor = field("transfer-to").id;
    field("convert").action = card.convert_url;
    if (card.convert_refusal) {
      field("convert").querySelector("button").disabled = true;
      field("refusal").textContent = card.convert_refusal;
    }
    chat.connection = connectChat(chat);
    wireComposer(field("composer"), field("body"), chat.connection, (body) => {
      field("error").textContent = "";
      chat.connection.say(body);
    });
    field("end").addEventListener("click", () => chat.connection.end());
    field("transfer").addEventListener("submit", (event) => {
      event.preventDefault();
      const to = Number(field("transfer-to").value);
      if (to) send({ type: "transfer", chat: card.chat, to: to });
    });
    field("convert").addEventListener("submit", (event) => {
      event.preventDefault();
      convert(chat);
    });
    field("dismiss").addEventListener("click", () => dismiss(chat));
    chats.set(card.chat, chat);
    // A live chat goes above the ended ones (the page lists them so), which stay in place.
    $("chats").insertBefore(view, card.ended ? null : $("chats").querySelector("[data-over]"));
    fillTransfer(chat);
    if (card.ended) over(chat, strings.ended);
  }

  function connectChat(chat) {
    const { field } = chat;
    let typingTimer = null;
    return new ChatConnection("/ws/chat/" + chat.card.chat + "/", strings, {
      onMessage(frame) {
        field("log").append(messageElement(frame, strings, frame.author === "agent"));
        field("log").scrollTop = field("log").scrollHeight;
      },
      onState(state) {
        if (isOver(state) && !chat.over) over(chat, strings[state.state]);
      },
      onTyping() {
        field("typing").textContent = strings.typing;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (field("typing").textContent = ""), 3000);
      },
      onError(frame) {
        field("error").textContent = strings.errors[frame.code] || frame.message;
      },
      onStatus() {},
    });
  }

  /* A chat this agent no longer talks in: ended, or taken over by another agent. It may
   * still become a ticket for a while (convert_until), and can be dismissed. */
  function over(chat, text) {
    chat.over = true;
    chat.view.dataset.over = "";
    chat.field("state").textContent = text;
    chat.field("composer").hidden = true;
    chat.field("transfer").hidden = true;
    chat.field("dismiss").hidden = false;
    if (!chat.card.ended && chat.card.convert_until) {
      // Ended just now: the server's window runs from the end.
      chat.card.convert_until = new Date(Date.now() + config.convert_within * 1000).toISOString();
    }
    convertable(chat);
  }

  function convertable(chat) {
    const until = chat.card.convert_until;
    const open = Boolean(until) && (!chat.over || new Date(until) > Date.now());
    chat.field("convert").hidden = !open || chat.transferred;
  }

  async function convert(chat) {
    const { field } = chat;
    const button = field("convert").querySelector("button");
    button.disabled = true;
    field("converted").textContent = strings.converting;
    try {
      const response = await fetch(chat.card.convert_url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.error || strings.convert_failed);
      chat.card.convert_until = null;
      convertable(chat);
      field("converted").replaceChildren(answer.message, " ", link(answer.url, answer.reference));
    } catch (error) {
      button.disabled = false;
      field("converted").textContent = error.message || strings.convert_failed;
    }
  }

  async function dismiss(chat) {
    await fetch(chat.card.convert_url.replace(/ticket\/$/, "dismiss/"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).catch(() => {});
    chats.delete(chat.card.chat);
    const next = chat.view.nextElementSibling || chat.view.previousElementSibling;
    chat.view.remove();
    (next ? next.querySelector("h3") || next : $("chats-heading")).focus();
  }

  function csrfToken() {
    return document.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function fillTransfer(chat) {
    const select = chat.field("transfer-to");
    const chosen = select.value;
    select.replaceChildren(
      ...available.map((agent) => {
        const option = element("option", "", agent.name);
        option.value = agent.id;
        return option;
      }),
    );
    if (available.some((agent) => String(agent.id) === chosen)) select.value = chosen;
    const nobody = !available.length;
    select.disabled = nobody;
    chat.field("transfer").querySelector("button").disabled = nobody;
    if (nobody) chat.field("transfer-state").textContent = strings.transfer_nobody;
    else if (chat.field("transfer-state").textContent === strings.transfer_nobody) {
      chat.field("transfer-state").textContent = "";
    }
  }

  function agentsChanged(list) {
    available = list.filter((agent) => agent.id !== config.me);
    chats.forEach(fillTransfer);
  }

  function offered(frame) {
    if (offers.has(frame.chat)) offers.get(frame.chat).remove();
    const row = element("li", "list-group-item");
    const words = format(strings.offer, { from: frame.from, name: frame.name });
    row.append(element("p", "mb-1 small", words), element("p", "mb-1 small chat-body", frame.question));
    const take = element("button", "btn btn-sm btn-success me-2", strings.take);
    const decline = element("button", "btn btn-sm btn-outline-secondary", strings.decline);
    take.type = decline.type = "button";
    take.setAttribute("aria-label", strings.take + ": " + frame.name);
    decline.setAttribute("aria-label", strings.decline + ": " + frame.name);
    take.addEventListener("click", () => send({ type: "take", chat: frame.chat }));
    decline.addEventListener("click", () => send({ type: "decline", chat: frame.chat }));
    row.append(take, decline);
    offers.set(frame.chat, row);
    $("offers").append(row);
    $("offers-section").hidden = false;
    alert({ name: frame.name, question: frame.question });
  }

  function offerClosed(chatId) {
    if (offers.has(chatId)) offers.get(chatId).remove();
    offers.delete(chatId);
    $("offers-section").hidden = offers.size === 0;
  }

  function handedOn(frame, words) {
    const chat = chats.get(frame.chat);
    if (!chat) return;
    if (frame.type === "transferred") {
      chat.transferred = true;
      chat.connection.socket.finish();
      over(chat, format(strings.transferred_to, { name: frame.to }));
    } else {
      chat.field("transfer-state").textContent = words;
    }
  }

  const onFrame = {
    queue(frame) {
      revision = frame.revision;
      queueChanged(frame.waiting);
    },
    queue_change: queueChange,
    accepted(frame) {
      offerClosed(frame.chat);
      const old = chats.get(frame.chat);
      if (old && old.over) {
        old.view.remove(); // handed back to this agent: a fresh card
        chats.delete(frame.chat);
      }
      openChat(frame);
      chats.get(frame.chat).field("body").focus();
    },
    status: statusChanged,
    agents: (frame) => agentsChanged(frame.agents),
    offer: offered,
    offer_closed: (frame) => offerClosed(frame.chat),
    offered: (frame) => handedOn(frame, format(strings.offered_to, { name: frame.to })),
    declined: (frame) => handedOn(frame, format(strings.declined_by, { name: frame.by })),
    transferred: (frame) => handedOn(frame),
    error(frame) {
      $("queue-error").textContent = strings.errors[frame.code] || frame.message;
    },
  };

  function connect() {
    socket = new ReconnectingSocket("/ws/console/", strings, {
      onOpen() {},
      onFrame(frame) {
        if (frame.type in onFrame) onFrame[frame.type](frame);
      },
      onStatus(state, text) {
        showStatus($("connection"), state, text);
        // What they would send would be lost: usable while the socket is open.
        ["available", "away", "alerts"].forEach((id) => ($(id).disabled = state !== "connected"));
      },
    });
  }

  $("available").addEventListener("click", () => send({ type: "away", away: false }));
  $("away").addEventListener("click", () => send({ type: "away", away: true }));
  $("alerts").addEventListener("click", () => {
    const on = !me.alerts;
    send({ type: "alerts", on: on });
    if (on && "Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().then((permission) => {
        if (permission === "denied") $("alerts-status").textContent = strings.alerts_blocked;
      });
    }
  });

  config.cards.forEach(openChat);
  statusChanged({ ...me, holding: config.cards.filter((card) => !card.ended).length });
  connect();
  setInterval(tick, 1000);
})();
