/*
 * The widget's configuration for the demo page, in a file of its own so that the
 * page needs no inline script (its Content-Security-Policy allows none).
 */
window.SkinAssistantConfig = {
  // The demo page takes the server from ?server=..., as `make run` prints it.
  serverUrl: new URLSearchParams(window.location.search).get("server")
    || "http://" + window.location.hostname + ":5005",
  title: "Skin questions",
  colors: { primary: "#0b5cad", onPrimary: "#ffffff" },
  initialMessage: "Hi! Tell me in your own words what bothers you about your skin."
};
