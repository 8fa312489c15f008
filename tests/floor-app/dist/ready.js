// Two frames after load the page is painted and takes input: the same signal Vitalog sends.
window.addEventListener("load", () => {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("app_ready")),
  );
});
