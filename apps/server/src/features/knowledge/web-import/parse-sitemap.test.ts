import { describe, expect, it } from 'vitest';
import { parseSitemap } from './parse-sitemap.ts';

const namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

describe('parseSitemap', () => {
  it('lists the pages of a urlset in order, trimmed, with entities decoded and fragments dropped', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset ${namespace} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
        <url>
          <loc>
            https://shop.example/products?page=2&amp;sort=price
          </loc>
          <lastmod>2024-01-01</lastmod>
          <image:image><image:loc>https://shop.example/photo.jpg</image:loc></image:image>
        </url>
        <url><loc><![CDATA[https://shop.example/about]]></loc></url>
        <url><loc>https://shop.example/caf&#233;#team</loc></url>
      </urlset>`;

    expect(parseSitemap(xml)).toEqual({
      kind: 'urlset',
      urls: [
        'https://shop.example/products?page=2&sort=price',
        'https://shop.example/about',
        'https://shop.example/caf%C3%A9',
      ],
    });
  });

  it('lists the child sitemaps of a sitemap index', () => {
    const xml = `<sitemapindex ${namespace}>
        <sitemap><loc>https://shop.example/sitemap-1.xml.gz</loc></sitemap>
        <sitemap><loc>https://shop.example/sitemap-2.xml</loc></sitemap>
      </sitemapindex>`;

    expect(parseSitemap(xml)).toEqual({
      kind: 'sitemapindex',
      urls: ['https://shop.example/sitemap-1.xml.gz', 'https://shop.example/sitemap-2.xml'],
    });
  });

  it('reads prefixed tag names', () => {
    const xml =
      '<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://a.example/</sm:loc></sm:url></sm:urlset>';

    expect(parseSitemap(xml)).toEqual({ kind: 'urlset', urls: ['https://a.example/'] });
  });

  it('keeps only http and https addresses', () => {
    const xml = `<urlset>
        <url><loc>ftp://files.example/a</loc></url>
        <url><loc>javascript:alert(1)</loc></url>
        <url><loc>file:///etc/passwd</loc></url>
        <url><loc>not a url</loc></url>
        <url><loc>http://a.example/kept</loc></url>
      </urlset>`;

    expect(parseSitemap(xml)?.urls).toEqual(['http://a.example/kept']);
  });

  it('gives an empty list for an empty urlset', () => {
    expect(parseSitemap(`<urlset ${namespace}></urlset>`)).toEqual({ kind: 'urlset', urls: [] });
    expect(parseSitemap(`<urlset ${namespace}/>`)).toEqual({ kind: 'urlset', urls: [] });
  });

  it('recognises no sitemap in HTML, other XML or text', () => {
    expect(parseSitemap('<html><body><a href="/">home</a></body></html>')).toBeUndefined();
    expect(
      parseSitemap('<rss><channel><item><link>https://a.example/</link></item></channel></rss>'),
    ).toBeUndefined();
    expect(parseSitemap('https://a.example/\nhttps://b.example/')).toBeUndefined();
    expect(parseSitemap('')).toBeUndefined();
  });

  it('does not expand entities declared in a DOCTYPE (billion laughs)', () => {
    const levels = Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
    ).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY lol0 "lol">${levels}]>
      <urlset><url><loc>https://a.example/&lol9;</loc></url></urlset>`;

    expect(parseSitemap(xml)).toEqual({ kind: 'urlset', urls: ['https://a.example/&lol9;'] });
  });

  it('refuses a document that declares an external entity', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
      <urlset><url><loc>https://a.example/&secret;</loc></url></urlset>`;

    expect(parseSitemap(xml)).toBeUndefined();
  });
});
