/* The agents' console: the queue, live, and the agent's chats, each on its own socket. */
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
  const queueList = document.getElementById("queue");
  const chats = new Map();
  let known = null;
  let alertsOn = false;

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
  }

  function renderQueue(waiting) {
    queueList.replaceChildren(
      ...waiting.map((item) => {
        const row = element("li", "list-group-item");
        const head = element("div", "d-flex justify-content-between align-items-baseline gap-2");
        head.append(element("strong", "", item.name), element("span", "small text-body-secondary"));
        head.lastChild.dataset.since = item.waiting_since;
        const accept = element("button", "btn btn-sm btn-success mt-1", strings.accept);
        accept.type = "button";
        accept.setAttribute("aria-label", strings.accept + ": " + item.name);
        accept.addEventListener("click", () => send({ type: "accept", chat: item.chat }));
        row.append(head, element("p", "mb-1 small chat-body", item.question), accept);
        return row;
      }),
    );
    tick();
    const count = waiting.length;
    document.getElementById("queue-count").textContent = count
      ? format(strings.queue_count, { count: count })
      : strings.queue_empty;
    const ids = new Set(waiting.map((item) => item.chat));
    if (known !== null && waiting.some((item) => !known.has(item.chat))) alert(waiting.at(-1));
    known = ids;
  }

  function alert(item) {
    if (!alertsOn) return;
    new Audio(config.sound).play().catch(() => {});
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(strings.new_chat, { body: item.name + ": " + item.question });
    }
  }

  function updateHolding() {
    const active = [...chats.values()].filter((chat) => !chat.connection.over).length;
    document.getElementById("holding").textContent = format(strings.holding, {
      count: active,
      capacity: config.capacity,
    });
  }

  function openChat(card) {
    if (chats.has(card.chat)) return;
    const view = document.getElementById("chat-card").content.firstElementChild.cloneNode(true);
    const field = (name) => view.querySelector('[data-field="' + name + '"]');
    const textareaId = "reply-" + card.chat;
    field("name").textContent = card.name;
    field("who").textContent = [card.email, card.member_id].filter(Boolean).join(" · ");
    field("log").setAttribute("aria-label", card.name);
    field("label").textContent = format(strings.reply_to, { name: card.name });
    field("label").htmlFor = textareaId;
    field("body").id = textareaId;
    field("convert").action = card.convert_url;
    if (card.convert_refusal) {
      field("convert").querySelector("button").disabled = true;
      field("refusal").textContent = card.convert_refusal;
    }
    let typingTimer = null;
    const connection = new ChatConnection("/ws/chat/" + card.chat + "/", strings, {
      onMessage(frame) {
        field("log").append(messageElement(frame, strings, frame.author === "agent"));
        field("log").scrollTop = field("log").scrollHeight;
      },
      onState(state) {
        if (isOver(state)) {
          field("state").textContent = strings[state.state];
          field("composer").hidden = true;
          field("convert").hidden = true;
        }
        updateHolding();
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
    wireComposer(field("composer"), field("body"), connection, (body) => {
      field("error").textContent = "";
      connection.say(body);
    });
    field("ask-ticket").addEventListener("click", () => connection.say(card.ticket_reply));
    field("end").addEventListener("click", () => connection.end());
    chats.set(card.chat, { connection: connection });
    document.getElementById("chats").append(view);
    updateHolding();
  }

  let socket = null;
  function send(frame) {
    document.getElementById("queue-error").textContent = "";
    socket.send(frame);
  }

  function connect() {
    const status = document.getElementById("connection");
    socket = new ReconnectingSocket("/ws/console/", strings, {
      onOpen() {},
      onFrame(frame) {
        if (frame.type === "queue") renderQueue(frame.waiting);
        else if (frame.type === "accepted") openChat(frame);
        else if (frame.type === "error") {
          document.getElementById("queue-error").textContent =
            strings.errors[frame.code] || frame.message;
        }
      },
      onStatus(state, text) {
        showStatus(status, state, text);
      },
    });
  }

  document.getElementById("alerts").addEventListener("click", (event) => {
    alertsOn = true;
    event.currentTarget.setAttribute("aria-pressed", "true");
    const status = document.getElementById("alerts-status");
    status.textContent = strings.alerts_on;
    if ("Notification" in window && Notification.permission !== "granted") {
      Notification.requestPermission().then((permission) => {
        if (permission === "denied") status.textContent = strings.alerts_blocked;
      });
    }
  });

  config.cards.forEach(openChat);
  updateHolding();
  connect();
  setInterval(tick, 1000);
})();
