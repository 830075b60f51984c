/*
 * Skin-concern assistant chat widget.
 *
 * Paste into any page:
 *   <script>
 *     window.SkinAssistantConfig = {
 *       serverUrl: "https://bot.example-clinic.com",   // the Rasa server
 *       title: "Skin questions",
 *       colors: { primary: "#0b5cad", onPrimary: "#ffffff" },
 *       initialMessage: "Hi! What bothers you about your skin?"
 *     };
 *   </script>
 *   <script src="https://www.example-clinic.com/skin-widget/skin-widget.js" defer></script>
 *
 * It talks to Rasa's Socket.IO channel with session persistence, renders every
 * text as text (never HTML), keeps the conversation across reloads in this
 * browser only, and loads nothing from third-party hosts.
 *
 * When the server has a clinic (clinic.yml), the header shows "Book a
 * consultation" and "Call the clinic" (fetched from the Rasa server's
 * /webhooks/consultation/clinic when the chat is first opened; set
 * clinicLinks: false to leave them out). Link buttons open their link and tell
 * the assistant which one was clicked, without showing a message.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = Object.assign(
    {
      serverUrl: "http://localhost:5005",
      socketPath: "/socket.io",
      title: "Skin-concern assistant",
      disclaimer: "General information only, not a diagnosis. In an emergency call your local emergency number.",
      initialMessage: "Hi! Tell me in your own words what bothers you about your skin.",
      colors: {},
      socketIoClientUrl: new URL("../node_modules/socket.io-client/dist/socket.io.min.js", script.src).href,
      stylesheetUrl: new URL("skin-widget.css", script.src).href,
      storageKey: "skin-assistant",
      clinicLinks: true
    },
    window.SkinAssistantConfig || {}
  );
  var colors = Object.assign({ primary: "#0b5cad", onPrimary: "#ffffff" }, config.colors);
  var URGENT = /(emergency|\b999\b|\b911\b|\b112\b|\b988\b|116 123|urgent care|Samaritans)/i;
  var URL_PATTERN = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:])/g;
  var SOURCE_LINE = /^- (.+): (https?:\/\/\S+)$/;
  var LINK_PROTOCOLS = ["http:", "https:", "tel:", "mailto:"];

  var state = load();
  var socket = null;
  var els = {};

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "null");
      if (saved && saved.sessionId && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* storage unavailable or corrupt: start afresh */ }
    return { sessionId: newId(), messages: [], open: false };
  }

  function save() {
    try { window.localStorage.setItem(config.storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return "v-" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Text with http(s) links made clickable; everything stays text nodes.
     Lines "- Title: https://..." (a list of sources) become a list of links named by their titles. */
  function appendText(container, text) {
    var sources = null;
    String(text).split("\n").forEach(function (line, index) {
      var source = SOURCE_LINE.exec(line);
      if (source) {
        sources = sources || container.appendChild(el("ul", { class: "skw-sources" }));
        var item = sources.appendChild(el("li"));
        item.appendChild(el("a", { href: source[2], target: "_blank", rel: "noopener noreferrer" }, source[1]));
        return;
      }
      sources = null;
      if (index) container.appendChild(el("br"));
      var last = 0;
      line.replace(URL_PATTERN, function (url, _group, offset) {
        container.appendChild(document.createTextNode(line.slice(last, offset)));
        var link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url);
        container.appendChild(link);
        last = offset + url.length;
        return url;
      });
      container.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  /* A button's link, resolved against the assistant's server; null unless web, tel: or mailto:. */
  function safeUrl(raw) {
    if (!raw) return null;
    try {
      var url = new URL(raw, config.serverUrl);
      return LINK_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) { return null; }
  }

  /* A link button: opens its link and, when it has a payload, tells the assistant silently. */
  function linkButton(button, href) {
    var web = /^https?:/.test(href) && button.payload;
    var link = el("a", { class: "skw-quick skw-link", href: href }, button.title);
    if (web) { link.setAttribute("target", "_blank"); link.setAttribute("rel", "noopener noreferrer"); }
    if (!button.payload) link.setAttribute("download", "");
    link.addEventListener("click", function () { if (button.payload) sendSilently(button.payload); });
    return link;
  }

  function build() {
    var css = el("link", { rel: "stylesheet", href: config.stylesheetUrl });
    document.head.appendChild(css);
    var root = el("div", { class: "skw-root" });
    root.style.setProperty("--skw-primary", colors.primary);
    root.style.setProperty("--skw-on-primary", colors.onPrimary);

    els.launcher = el("button", { class: "skw-launcher", type: "button", "aria-expanded": "false",
      "aria-controls": "skw-panel" }, config.title);
    els.panel = el("section", { id: "skw-panel", class: "skw-panel", role: "dialog", "aria-label": config.title,
      hidden: "" });
    var header = el("header", { class: "skw-header" });
    header.appendChild(el("h2", { class: "skw-title" }, config.title));
    els.newConversation = el("button", { type: "button", class: "skw-tool" }, "New conversation");
    els.deleteData = el("button", { type: "button", class: "skw-tool" }, "Delete my data");
    els.close = el("button", { type: "button", class: "skw-tool skw-close", "aria-label": "Close chat" }, "\u00d7");
    header.appendChild(els.newConversation);
    header.appendChild(els.deleteData);
    header.appendChild(els.close);
    els.nextStep = el("nav", { class: "skw-next-step", "aria-label": "Next step", hidden: "" });
    els.disclaimer = el("p", { class: "skw-disclaimer" }, config.disclaimer);
    els.log = el("div", { class: "skw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation",
      tabindex: "0" });
    els.list = els.log.appendChild(el("ol", { class: "skw-list" }));
    els.typing = el("p", { class: "skw-typing", hidden: "", "aria-hidden": "true" }, "The assistant is typing\u2026");
    els.form = el("form", { class: "skw-form" });
    var label = el("label", { for: "skw-input", class: "skw-visually-hidden" }, "Your message");
    els.input = el("input", { id: "skw-input", class: "skw-input", type: "text", autocomplete: "off",
      maxlength: "2000", placeholder: "Type your message\u2026" });
    els.send = el("button", { type: "submit", class: "skw-send" }, "Send");
    els.form.appendChild(label);
    els.form.appendChild(els.input);
    els.form.appendChild(els.send);
    [header, els.nextStep, els.disclaimer, els.log, els.typing, els.form].forEach(function (n) { els.panel.appendChild(n); });
    root.appendChild(els.panel);
    root.appendChild(els.launcher);
    document.body.appendChild(root);

    els.launcher.addEventListener("click", function () { setOpen(true); });
    els.close.addEventListener("click", function () { setOpen(false); });
    els.panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });
    els.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = els.input.value.trim();
      if (!text) return;
      els.input.value = "";
      send(text, text);
    });
    els.newConversation.addEventListener("click", function () { restart(); });
    els.deleteData.addEventListener("click", function () { send("/delete_my_data", "Delete my data"); });
  }

  function setOpen(open) {
    state.open = open;
    save();
    els.panel.hidden = !open;
    els.launcher.setAttribute("aria-expanded", String(open));
    els.launcher.hidden = open;
    if (open) {
      connect();
      loadClinicLinks();
      els.input.focus();
      els.log.scrollTop = els.log.scrollHeight;
    } else {
      els.launcher.focus();
    }
  }

  function render(message) {
    var item = el("li", { class: "skw-msg skw-" + message.from });
    var bubble = el("div", { class: "skw-bubble" });
    item.appendChild(el("span", { class: "skw-visually-hidden" }, message.from === "user" ? "You said: " : "Assistant: "));
    if (message.from === "bot" && URGENT.test(message.text || "")) {
      item.classList.add("skw-urgent");
      bubble.setAttribute("role", "alert");
    }
    appendText(bubble, message.text || "");
    item.appendChild(bubble);
    if (message.buttons && message.buttons.length) {
      var group = el("div", { class: "skw-buttons", role: "group", "aria-label": "Quick replies" });
      message.buttons.forEach(function (button) {
        var href = safeUrl(button.url);
        if (href) { group.appendChild(linkButton(button, href)); return; }
        var b = el("button", { type: "button", class: "skw-quick" }, button.title);
        b.addEventListener("click", function () { send(button.payload, button.title); });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    els.list.appendChild(item);
    els.log.scrollTop = els.log.scrollHeight;
  }

  function add(message) {
    state.messages.push(message);
    save();
    render(message);
  }

  function connect() {
    if (socket || !window.io) return;
    socket = window.io(config.serverUrl, { path: config.socketPath, transports: ["websocket", "polling"] });
    socket.on("connect", function () { socket.emit("session_request", { session_id: state.sessionId }); });
    socket.on("session_confirm", function () {
      if (!state.messages.length && config.initialMessage) add({ from: "bot", text: config.initialMessage });
    });
    socket.on("bot_uttered", function (reply) {
      els.typing.hidden = true;
      var buttons = reply.quick_replies || reply.buttons || [];
      add({ from: "bot", text: reply.text || "", buttons: buttons });
      if (/have been deleted/.test(reply.text || "")) forget();
    });
    socket.on("connect_error", function () {
      els.typing.hidden = true;
      showStatus("I can't reach the assistant right now. Please try again in a moment; for anything urgent, contact a doctor or your local emergency number.");
    });
  }

  function showStatus(text) {
    if (els.status && els.status.textContent === text) return;
    els.status = els.status || el("p", { class: "skw-status", role: "status" });
    els.status.textContent = text;
    els.panel.insertBefore(els.status, els.form);
  }

  function send(payload, shown) {
    connect();
    add({ from: "user", text: shown });
    els.typing.hidden = false;
    socket.emit("user_uttered", { message: payload, session_id: state.sessionId });
  }

  /* A payload the visitor did not type (a link button): no bubble of theirs. */
  function sendSilently(payload) {
    connect();
    if (socket) socket.emit("user_uttered", { message: payload, session_id: state.sessionId });
  }

  /* The clinic's booking and phone links in the header, once per page. */
  function loadClinicLinks() {
    if (!config.clinicLinks || els.nextStep.dataset.loaded || !window.fetch) return;
    els.nextStep.dataset.loaded = "1";
    fetch(config.serverUrl.replace(/\/$/, "") + "/webhooks/consultation/clinic")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (clinic) {
        (clinic.buttons || []).forEach(function (button) {
          var href = safeUrl(button.url);
          if (href) els.nextStep.appendChild(linkButton(button, href));
        });
        els.nextStep.hidden = !els.nextStep.childNodes.length;
      })
      .catch(function () { /* no links: the chat itself still says how to book */ });
  }

  /* After deletion, keep showing the confirmation but forget the session locally. */
  function forget() {
    var last = state.messages[state.messages.length - 1];
    state = { sessionId: newId(), messages: last ? [last] : [], open: true };
    save();
    reconnect();
  }

  function restart() {
    state = { sessionId: newId(), messages: [], open: true };
    save();
    els.list.textContent = "";
    reconnect();
    els.input.focus();
  }

  function reconnect() {
    if (socket) { socket.disconnect(); socket = null; }
    connect();
  }

  function start() {
    build();
    state.messages.forEach(render);
    var loader = el("script", { src: config.socketIoClientUrl });
    loader.onload = function () { if (state.open) setOpen(true); };
    loader.onerror = function () {
      showStatus("The chat could not load. Please try again later; for anything urgent, contact a doctor.");
    };
    document.head.appendChild(loader);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
