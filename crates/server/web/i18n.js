// Strings of the journey in the spec's locales; a missing string falls back to English.

export const LOCALES = ['ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-MX', 'et',
  'fi', 'fr', 'he', 'hr', 'hu', 'hy', 'id', 'it', 'ja', 'ka', 'km', 'ko', 'lt', 'ms', 'nl', 'no',
  'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sv', 'th', 'tr', 'vi', 'zh-CN', 'zh-HK'];
const RIGHT_TO_LEFT = new Set(['ar', 'he']);

let strings = {};
let english = {};
let current = 'en';

/** The supported locale closest to `wanted` ("de-AT" gives "de", "pt-br" gives "pt-BR"). */
export function match(wanted) {
  if (!wanted) return null;
  const lower = String(wanted).replace('_', '-').toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const base = lower.split('-')[0];
  if (base === 'zh') return lower.includes('hk') || lower.includes('tw') || lower.includes('hant') ? 'zh-HK' : 'zh-CN';
  if (base === 'nb' || base === 'nn') return 'no';
  return LOCALES.find((l) => l === base) || null;
}

async function fetchStrings(locale) {
  // Beside this module, whichever page imports it.
  const response = await fetch(new URL(`locales/${locale}.json`, import.meta.url));
  if (!response.ok) throw new Error(`locale ${locale}: ${response.status}`);
  return response.json();
}

/** Loads the first of `candidates` that is supported, else English; sets lang and dir. */
export async function useLocale(candidates) {
  const locale = candidates.map(match).find(Boolean) || 'en';
  english = await fetchStrings('en');
  strings = locale === 'en' ? english : await fetchStrings(locale).catch(() => english);
  current = locale;
  document.documentElement.lang = locale;
  document.documentElement.dir = RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
  return locale;
}

export function locale() {
  return current;
}

/** The string `key`, with `{name}` placeholders filled from `values`. */
export function t(key, values = {}) {
  const text = strings[key] ?? english[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
