import { XMLParser } from 'fast-xml-parser';

/** A sitemap's addresses: pages for a `<urlset>`, further sitemaps for a `<sitemapindex>`. */
export type Sitemap = { kind: 'urlset' | 'sitemapindex'; urls: string[] };

// Entity processing is off, so a DOCTYPE's entities are never expanded (no "billion laughs"); the five
// predefined entities and character references are decoded by hand in the few values we read.
const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

const predefinedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Reads a sitemap (sitemaps.org protocol); `undefined` when the XML is neither a urlset nor a sitemap index. */
export function parseSitemap(xml: string): Sitemap | undefined {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(xml);
  } catch {
    return undefined;
  }
  if (isRecord(document.urlset) || document.urlset === '') {
    return { kind: 'urlset', urls: readLocations(document.urlset, 'url') };
  }
  if (isRecord(document.sitemapindex) || document.sitemapindex === '') {
    return { kind: 'sitemapindex', urls: readLocations(document.sitemapindex, 'sitemap') };
  }
  return undefined;
}

function readLocations(parent: unknown, entryName: string): string[] {
  const entries = isRecord(parent) && Array.isArray(parent[entryName]) ? parent[entryName] : [];
  const urls: string[] = [];
  for (const entry of entries) {
    const location = isRecord(entry) ? entry.loc : undefined;
    if (typeof location !== 'string') continue;
    const url = toHttpUrl(decodeXmlText(location.trim()));
    if (url) urls.push(url);
  }
  return urls;
}

function toHttpUrl(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.href;
}

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return predefinedEntities[name] ?? whole;
    const codePoint = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
