/* One chat socket (DESIGN.md, "WebSocket protocol"), shared by the member's page and the
 * agents' console. It reconnects with back-off, says hello with the highest seq it has seen
 * and hands each message on exactly once; what was typed while offline is resent with the
 * same client_id, which the server stores once. */
(function () {
  "use strict";

  const TYPING_EVERY = 2000;
  const OVER = ["ended", "abandoned"];

  function clientId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function format(text, fields) {
    return text.replace(/\{(\w+)\}/g, (all, key) => (key in fields ? fields[key] : all));
  }

  class ChatConnection {
    /* handlers: onMessage(frame), onState(frame), onTyping(frame), onError(frame),
     * onStatus(status, text) */
    constructor(path, strings, handlers) {
      this.path = path;
      this.strings = strings;
      this.handlers = handlers;
      this.seen = 0;
      this.delay = 1000;
      this.unsent = new Map();
      this.over = false;
      this.lastTyping = 0;
      this.open();
    }

    open() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      this.socket = new WebSocket(scheme + "//" + location.host + this.path);
      this.status("connecting", this.strings.connecting);
      this.socket.addEventListener("open", () => {
        this.delay = 1000;
        this.resend = true;
        this.status("connected", this.strings.connected);
        this.send({ type: "hello", after: this.seen });
      });
      this.socket.addEventListener("message", (event) => this.receive(JSON.parse(event.data)));
      this.socket.addEventListener("close", (event) => this.closed(event));
    }

    receive(frame) {
      if (frame.type === "message") {
        if (frame.seq <= this.seen) return;
        this.seen = frame.seq;
        this.unsent.delete(frame.client_id);
        this.handlers.onMessage(frame);
      } else if (frame.type === "state") {
        if (this.resend) {
          // The backlog came first: what is still unsent was lost on the way; resend it.
          this.resend = false;
          this.unsent.forEach((body, id) => this.send({ type: "say", body: body, client_id: id }));
        }
        this.over = OVER.includes(frame.state);
        this.handlers.onState(frame);
        if (this.over) this.socket.close();
      } else if (frame.type === "typing") {
        this.handlers.onTyping(frame);
      } else if (frame.type === "error") {
        this.handlers.onError(frame);
      }
    }

    closed(event) {
      if (this.over) {
        this.status("closed", this.strings.closed);
      } else if (event.code === 4403) {
        this.over = true;
        this.status("forbidden", this.strings.forbidden);
      } else {
        const seconds = Math.round(this.delay / 1000);
        this.status("reconnecting", format(this.strings.reconnecting, { seconds: seconds }));
        setTimeout(() => this.open(), this.delay);
        this.delay = Math.min(this.delay * 2, 30000);
      }
    }

    status(status, text) {
      this.handlers.onStatus(status, text);
    }

    send(frame) {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    }

    say(body) {
      const id = clientId();
      this.unsent.set(id, body);
      this.send({ type: "say", body: body, client_id: id });
    }

    typing() {
      const now = Date.now();
      if (now - this.lastTyping < TYPING_EVERY) return;
      this.lastTyping = now;
      this.send({ type: "typing" });
    }

    end() {
      this.send({ type: "end" });
    }
  }

  /* The line of one message, built with textContent only (bodies are never HTML). */
  function messageElement(frame, strings, mine) {
    const item = document.createElement("div");
    item.className = "chat-message chat-" + frame.author + (mine ? " chat-mine" : "");
    item.dataset.seq = frame.seq;
    const who = document.createElement("span");
    who.className = "chat-who fw-semibold";
    who.textContent = mine ? strings.you || frame.name : frame.name || strings[frame.author];
    const time = document.createElement("time");
    time.className = "chat-time small text-body-secondary ms-2";
    time.dateTime = frame.sent_at;
    time.textContent = new Date(frame.sent_at).toLocaleTimeString([], {
      hour: "2-digit",
      minute: "2-digit",
    });
    const body = document.createElement("p");
    body.className = "chat-body mb-1";
    body.textContent = frame.body;
    item.append(who, time, body);
    return item;
  }

  function showStatus(element, status, text) {
    const styles = { connected: "text-bg-success", reconnecting: "text-bg-warning" };
    element.className = "badge " + (styles[status] || "text-bg-secondary");
    element.textContent = text;
  }

  /* Send on Enter (Shift+Enter for a new line) and tell the other side we are typing. */
  function wireComposer(form, textarea, connection, onSend) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) return;
      onSend(body);
      textarea.value = "";
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    textarea.addEventListener("input", () => connection.typing());
  }

  window.LiveChat = { ChatConnection, messageElement, showStatus, wireComposer, format };
})();
