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
 * The header is one line: the title, a menu button and close. The menu ("New
 * conversation", "Delete my data", and the clinic's "Book a consultation" and
 * "Call the clinic" when the server has a clinic, fetched from the Rasa
 * server's /webhooks/consultation/clinic when the chat is first opened; set
 * clinicLinks: false to leave those out) follows the ARIA menu button
 * pattern: Enter, Space or the arrow keys open it, the arrow keys move,
 * Escape closes it and gives the focus back to the menu button. Link buttons
 * open their link and tell the assistant which one was clicked, without
 * showing a message.
 *
 * A question where several answers apply (the safety check) comes as ordinary
 * buttons, marked "multiple" by the Socket.IO channel
 * (channels/restricted_socketio.py); the widget shows them as a checklist.
 * "Done" sends the ticked options in one payload, plus "None of these" to say
 * nothing else applies: /inform{"caution": ["pregnancy", "isotretinoin", "none"]}.
 * Ticking "None of these" clears the other ticks; Done then sends its own
 * payload. The question can still be answered by typing.
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
  function linkButton(button, href, className) {
    var web = /^https?:/.test(href) && button.payload;
    var link = el("a", { class: className || "skw-quick skw-link", href: href }, button.title);
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
    var header = buildHeader();
    els.log = el("div", { class: "skw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation",
      tabindex: "0" });
    // The disclaimer heads the conversation (it scrolls away with it) instead of taking a line of the panel.
    els.disclaimer = els.log.appendChild(el("p", { class: "skw-disclaimer" }, config.disclaimer));
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
    [header, els.log, els.typing, els.form].forEach(function (n) { els.panel.appendChild(n); });
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
  }

  /* One line: the title, the menu button with its menu, and close. */
  function buildHeader() {
    var header = el("header", { class: "skw-header" });
    header.appendChild(el("h2", { class: "skw-title" }, config.title));
    var wrap = header.appendChild(el("div", { class: "skw-menu-wrap" }));
    els.menuButton = wrap.appendChild(el("button", { type: "button", id: "skw-menu-button",
      class: "skw-icon skw-menu-button", "aria-label": "Menu", "aria-haspopup": "menu", "aria-expanded": "false",
      "aria-controls": "skw-menu" }));
    els.menuButton.appendChild(el("span", { class: "skw-dots", "aria-hidden": "true" }));
    els.menu = wrap.appendChild(el("ul", { id: "skw-menu", class: "skw-menu", role: "menu",
      "aria-labelledby": "skw-menu-button", hidden: "" }));
    els.close = header.appendChild(el("button", { type: "button", class: "skw-icon skw-close",
      "aria-label": "Close chat" }, "\u00d7"));

    addMenuItem(el("button", { type: "button" }, "New conversation"), function () { restart(); });
    addMenuItem(el("button", { type: "button" }, "Delete my data"), function () {
      els.input.focus();
      send("/delete_my_data", "Delete my data");
    });
    wireMenu();
    return header;
  }

  /* A menu item (a button, or a link of the clinic's); `action` runs after the menu closes. */
  function addMenuItem(node, action) {
    node.setAttribute("role", "menuitem");
    node.setAttribute("tabindex", "-1");
    node.classList.add("skw-menuitem");
    node.addEventListener("click", function () {
      closeMenu(!action);  // a link keeps the focus on the menu button; an action moves it itself
      if (action) action();
    });
    var item = el("li", { role: "none" });
    item.appendChild(node);
    els.menu.appendChild(item);
  }

  function menuItems() {
    return Array.prototype.slice.call(els.menu.querySelectorAll("[role=menuitem]"));
  }

  function openMenu(focusLast) {
    els.menu.hidden = false;
    els.menuButton.setAttribute("aria-expanded", "true");
    focusMenuItem(focusLast ? -1 : 0);
  }

  function closeMenu(returnFocus) {
    if (els.menu.hidden) return;
    els.menu.hidden = true;
    els.menuButton.setAttribute("aria-expanded", "false");
    if (returnFocus) els.menuButton.focus();
  }

  /* Focus the item at `index`, wrapping around both ends (-1 is the last). */
  function focusMenuItem(index) {
    var items = menuItems();
    if (items.length) items[(index + items.length) % items.length].focus();
  }

  function wireMenu() {
    els.menuButton.addEventListener("click", function () {
      if (els.menu.hidden) openMenu(false); else closeMenu(true);
    });
    els.menuButton.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        openMenu(event.key === "ArrowUp");
      }
    });
    els.menu.addEventListener("keydown", function (event) {
      var current = menuItems().indexOf(document.activeElement);
      var moves = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: -1 };
      if (event.key in moves) {
        event.preventDefault();
        focusMenuItem(moves[event.key]);
      } else if (event.key === "Escape") {
        event.stopPropagation();  // closes the menu, not the chat
        closeMenu(true);
      } else if (event.key === "Tab") {
        closeMenu(false);
      } else if (event.key === " " && document.activeElement.tagName === "A") {
        event.preventDefault();  // Space activates a menu item; links only react to Enter by themselves
        document.activeElement.click();
      }
    });
    // A click or the focus anywhere else closes the menu.
    document.addEventListener("mousedown", function (event) {
      if (!els.menu.hidden && !els.menu.parentNode.contains(event.target)) closeMenu(false);
    });
    els.menu.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !els.menu.parentNode.contains(event.relatedTarget)) closeMenu(false);
    });
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
      closeMenu(false);
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
      item.appendChild((message.multiple && checklist(message.buttons)) || quickReplies(message.buttons));
    }
    els.list.appendChild(item);
    scrollTo(item);
  }

  /* Show the newest message's end; a checklist taller than the conversation's view (the safety check
     on a phone) from its start instead, so the question stays in sight (Done sticks to the bottom). */
  function scrollTo(item) {
    var view = els.log.getBoundingClientRect();
    if (item.querySelector(".skw-checklist") && item.offsetHeight > view.height) {
      els.log.scrollTop += item.getBoundingClientRect().top - view.top - 8;
    } else {
      els.log.scrollTop = els.log.scrollHeight;
    }
  }

  function quickReplies(buttons) {
    var group = el("div", { class: "skw-buttons", role: "group", "aria-label": "Quick replies" });
    buttons.forEach(function (button) {
      var href = safeUrl(button.url);
      if (href) { group.appendChild(linkButton(button, href)); return; }
      var b = el("button", { type: "button", class: "skw-quick" }, button.title);
      b.addEventListener("click", function () { send(button.payload, button.title); });
      group.appendChild(b);
    });
    return group;
  }

  /* A button's payload setting one entity to one value: /inform{"caution": "pregnancy"}. */
  function choiceOf(payload) {
    var match = /^\/([a-z_]+)(\{.*\})$/.exec(payload || "");
    try {
      var entities = match && JSON.parse(match[2]);
      var keys = entities ? Object.keys(entities) : [];
      if (keys.length === 1 && typeof entities[keys[0]] === "string") {
        return { intent: match[1], entity: keys[0], value: entities[keys[0]] };
      }
    } catch (e) { /* not a choice */ }
    return null;
  }

  /* The buttons of a several-choice question as checkboxes and a Done button; null (ordinary
     buttons) unless every button sets the same entity. */
  function checklist(buttons) {
    var options = buttons.map(function (button) { return { button: button, choice: choiceOf(button.payload) }; });
    var same = options.every(function (o) {
      return o.choice && o.choice.intent === options[0].choice.intent && o.choice.entity === options[0].choice.entity;
    });
    if (!same) return null;
    var group = el("fieldset", { class: "skw-checklist" });
    var actions = el("div", { class: "skw-checklist-actions" });
    var done = actions.appendChild(el("button", { type: "button", class: "skw-done" }, "Done"));
    var status = actions.appendChild(el("p", { class: "skw-checklist-status", role: "status" }));
    group.appendChild(el("legend", { class: "skw-checklist-hint" }, "Tick all that apply, then choose Done."));
    options.forEach(function (option) {
      var label = group.appendChild(el("label", { class: "skw-check" + (option.button.exclusive ? " skw-check-none" : "") }));
      option.box = label.appendChild(el("input", { type: "checkbox", class: "skw-checkbox" }));
      label.appendChild(el("span", {}, option.button.title));
      option.box.addEventListener("change", function () {
        status.textContent = "";
        if (option.box.checked) untickOthers(options, option);
      });
    });
    done.addEventListener("click", function () {
      var ticked = options.filter(function (o) { return o.box.checked; });
      status.textContent = ticked.length ? "" : "Tick what applies, or \u201cNone of these\u201d.";
      if (ticked.length) sendTicked(ticked, options);
    });
    group.appendChild(actions);
    return group;
  }

  /* "None of these" and the other options exclude each other. */
  function untickOthers(options, ticked) {
    options.forEach(function (o) {
      if (o !== ticked && (o.button.exclusive || ticked.button.exclusive)) o.box.checked = false;
    });
  }

  /* The ticked options in one message: their values and "None of these" (nothing else applies),
     which the questionnaire takes as the whole answer. "None of these" alone is its own button's. */
  function sendTicked(ticked, options) {
    if (ticked.length === 1 && ticked[0].button.exclusive) {
      send(ticked[0].button.payload, ticked[0].button.title);
      return;
    }
    var values = ticked.map(function (o) { return o.choice.value; });
    options.forEach(function (o) { if (o.button.exclusive) values.push(o.choice.value); });
    var first = ticked[0].choice;
    var entities = {};
    entities[first.entity] = values;
    send("/" + first.intent + JSON.stringify(entities), ticked.map(function (o) { return o.button.title; }).join("; "));
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
      add({ from: "bot", text: reply.text || "", buttons: buttons, multiple: reply.multiple === true });
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

  /* The clinic's booking and phone links at the end of the menu, once per page (the answers
     bring the same links as their next step; they are not pinned above the conversation). */
  function loadClinicLinks() {
    if (!config.clinicLinks || els.menu.dataset.clinic || !window.fetch) return;
    els.menu.dataset.clinic = "1";
    fetch(config.serverUrl.replace(/\/$/, "") + "/webhooks/consultation/clinic")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (clinic) {
        (clinic.buttons || []).forEach(function (button) {
          var href = safeUrl(button.url);
          if (!href) return;
          if (!els.menu.querySelector(".skw-separator")) {
            els.menu.appendChild(el("li", { role: "separator", class: "skw-separator" }));
          }
          addMenuItem(linkButton(button, href, "skw-link"));
        });
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
