import { describe, expect, it } from 'vitest';
import { chunkText } from '../chunk-text.ts';
import { extractHtml, extractHtmlInSlices } from './extract-html.ts';
import { DocumentExtractionError } from './extracted-document.ts';

const page = (body: string, head = '<title>Page</title>') =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('extractHtml', () => {
  it('takes the title from <title>, with entities decoded and whitespace collapsed', () => {
    const { title } = extractHtml(page('<p>Text</p>', '<title>\n  Tea &amp; Cakes  </title>'));

    expect(title).toBe('Tea & Cakes');
  });

  it('takes the title from the first <h1> when there is no <title>', () => {
    expect(extractHtml('<body><h2>Intro</h2><h1>Opening hours</h1></body>').title).toBe('Opening hours');
    expect(extractHtml('<p>No heading</p>').title).toBeNull();
  });

  it('drops scripts, styles, navigation, the page header, footer, asides, forms and frames', () => {
    const html = page(`
      <header><a href="/">Logo</a></header>
      <nav><ul><li>Home</li><li>About</li></ul></nav>
      <script>document.write('<p>injected</p>')</script><style>p { color: red }</style>
      <noscript>Enable JavaScript</noscript><template><p>Later</p></template>
      <svg><title>icon</title><text>svg text</text></svg>
      <div>Kept text.</div>
      <aside>Related posts</aside>
      <form><label>Email</label><button>Subscribe</button></form>
      <iframe src="/ad">ad</iframe>
      <div hidden>Hidden text</div><div role="navigation">Breadcrumbs</div>
      <footer>Copyright</footer>`);

    expect(extractHtml(html).text).toBe('Kept text.');
  });

  it('reads only <main> when the page has one, keeping the article header inside it', () => {
    const html = page(`
      <div class="banner">Sale today!</div>
      <main><article><header><h1>Returns</h1><p>Updated May</p></header><p>Send it back within 30 days.</p>
      <footer>Tags: returns</footer></article></main>
      <div class="newsletter">Sign up</div>`);

    expect(extractHtml(html).text).toBe('# Returns\n\nUpdated May\n\nSend it back within 30 days.');
  });

  it('reads the articles when there is no <main>', () => {
    const html = page(`<div>Sidebar text</div><article><p>First post.</p></article>
      <div>Between</div><article><p>Second post.</p><article><p>A comment.</p></article></article>`);

    expect(extractHtml(html).text).toBe('First post.\n\nSecond post.\n\nA comment.');
  });

  it('reads the whole page when its <main> is empty (filled in by scripts)', () => {
    expect(extractHtml(page('<main></main><p>Static text.</p>')).text).toBe('Static text.');
  });

  it('turns h1-h6 into # to ###### headings on their own lines', () => {
    const html = page(
      '<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six <em>!</em></h6>',
    );

    expect(extractHtml(html).text).toBe(
      '# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six !',
    );
  });

  it('turns list items into "- " lines, one list after another', () => {
    const html = page(
      '<p>Bring:</p><ul><li>Tea</li><li><p>Milk</p><ul><li>Oat milk</li></ul></li><li>Cups</li></ul><ol><li>Pour</li></ol>',
    );

    expect(extractHtml(html).text).toBe('Bring:\n\n- Tea\n- Milk\n- Oat milk\n- Cups\n\n- Pour');
  });

  it('turns tables into rows with " | " between cells', () => {
    const html = page(`<table><caption>Prices</caption>
      <thead><tr><th>Item</th><th>Price</th></tr></thead>
      <tbody><tr><td>Tea</td><td>2 &euro;</td></tr><tr><td><p>Cake</p></td><td><b>3</b> &euro;</td></tr></tbody>
    </table><p>After the table.</p>`);

    expect(extractHtml(html).text).toBe('Prices\n\nItem | Price\nTea | 2 €\nCake | 3 €\n\nAfter the table.');
  });

  it('makes <br> a line break and block elements paragraphs, collapsing whitespace', () => {
    const html = page(
      '<div>First   block<div>Nested\n\n block</div>Tail</div><p>Line one<br>Line two<br/>Line three</p>',
    );

    expect(extractHtml(html).text).toBe(
      'First block\n\nNested block\n\nTail\n\nLine one\nLine two\nLine three',
    );
  });

  it('decodes named and numeric entities, and turns no-break spaces into spaces', () => {
    const html = page('<p>Caf&eacute; &lt;open&gt; &#8212; &#x1F600;&nbsp;&quot;daily&quot; &amp; late</p>');

    expect(extractHtml(html).text).toBe('Café <open> — 😀 "daily" & late');
  });

  it('keeps preformatted text as an indented block, so that a # comment is not a heading', () => {
    const html = page('<pre><code># install\nnpm   install\n</code></pre><p># not a heading either</p>');

    expect(extractHtml(html).text).toBe('    # install\n    npm   install\n\n\\# not a heading either');
  });

  it('gives text whose headings chunkText keeps', () => {
    const html = page('<main><h1>Shipping</h1><p>We ship daily.</p><h2>Abroad</h2><p>Two weeks.</p></main>');

    expect(chunkText(extractHtml(html).text)).toEqual([
      { heading: 'Shipping', content: 'We ship daily.' },
      { heading: 'Abroad', content: 'Two weeks.' },
    ]);
  });

  it('refuses a page nested thousands of levels deep instead of running for minutes', () => {
    expect(() => extractHtml('<div>'.repeat(200_000))).toThrow(DocumentExtractionError);
  });
});

describe('extractHtmlInSlices', () => {
  it('reads a page of more than 20 MB to its end', async () => {
    const section = (n: number) =>
      `<h2>Section ${n}</h2><p>Paragraph ${n} with <b>bold</b> text &amp; an entity.</p><ul><li>Item ${n}</li></ul>\n`;
    const parts = ['<!doctype html><html><head><title>Large</title></head><body><nav>Menu</nav><main>'];
    let size = 0;
    for (let n = 0; size < 20 * 1024 * 1024; n++) {
      parts.push(section(n));
      size += parts.at(-1)?.length ?? 0;
    }
    parts.push('<p>The very last paragraph.</p></main></body></html>');
    const html = parts.join('');

    const document = await extractHtmlInSlices(html);

    expect(html.length).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    expect(document.title).toBe('Large');
    expect(
      document.text.startsWith('## Section 0\n\nParagraph 0 with bold text & an entity.\n\n- Item 0'),
    ).toBe(true);
    expect(document.text.endsWith('The very last paragraph.')).toBe(true);
    expect(document.text).not.toContain('Menu');
  });
});
