// What both hosted clients (the ID journey and the Document Verification upload) do with their
// page: build elements without inline markup (the CSP forbids it), take the link's token out
// of the address bar, and send the user to the customer's page at the end.

/** An element with attributes (`on*` become listeners) and children (strings become text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child != null) node.append(child);
  return node;
}

/**
 * The token of query parameter `name`, moved into session storage under `key` at once so that
 * it leaves the address bar (and any later Referer); on a reload, the one stored before.
 */
export function takeToken(name, key) {
  const params = new URLSearchParams(location.search);
  const token = params.get(name);
  if (!token) return sessionStorage.getItem(key);
  sessionStorage.setItem(key, token);
  params.delete(name);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : ''));
  return token;
}

/** Goes to `base` with `parameters` added to its query (empty ones left out). */
export function redirectTo(base, parameters) {
  const url = new URL(base, location.href);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  location.assign(url.toString());
}
