// The spec's events to the embedding page: postMessage to an iframe's parent, or the native
// webview's handler (__NVW_WEBVIEW_HANDLER__) when the app set __NVW_WEBVIEW__.

let context = {};

export function setContext(values) {
  context = values;
}

/** Sends event 510 (application state change) with `value` loaded, success or error. */
export function emit(value, code) {
  const payload = { value };
  if (code !== undefined) payload.metainfo = { code };
  const data = JSON.stringify({ ...context, eventType: 510, dateTime: new Date().toISOString(), payload });
  try {
    if (window.__NVW_WEBVIEW__) {
      const handler = window.__NVW_WEBVIEW_HANDLER__;
      // Android's bridge matches by arity: the spec's handler is postMessage(json, transferList).
      if (handler && typeof handler.postMessage === 'function') handler.postMessage(data, '');
      else if (window.webkit?.messageHandlers?.__NVW_WEBVIEW_HANDLER__) {
        window.webkit.messageHandlers.__NVW_WEBVIEW_HANDLER__.postMessage(data);
      }
    } else if (window.parent && window.parent !== window) {
      window.parent.postMessage(data, '*');
    }
  } catch (_) {
    // The embedding page's handler failing must not end the journey.
  }
}
