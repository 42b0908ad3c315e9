// Documents built in the tests (with pdf-lib, a development dependency, and the server's own jszip): no binary fixtures to keep.
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFHexString,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';

type PdfLineSpec = { text: string; size?: number };
export type PdfPageSpec = { lines: PdfLineSpec[]; imageBytes?: number };

/**
 * A PDF with one page per spec: lines from the top, 11 pt unless sized, a blank line's space before each
 * larger line (a heading) and after it. `imageBytes` adds an uncompressed image of random pixels (which
 * no compression can shrink) of about that many bytes.
 */
export async function buildPdf(pages: PdfPageSpec[], options: { title?: string } = {}): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  if (options.title) document.setTitle(options.title);
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const spec of pages) {
    const page = document.addPage([612, 792]);
    let y = 740;
    for (const line of spec.lines) {
      const size = line.size ?? 11;
      if (size > 11) y -= size;
      page.drawText(line.text, { x: 56, y, size, font });
      y -= size > 11 ? size * 1.8 : 14;
    }
    if (spec.imageBytes) {
      const side = Math.ceil(Math.sqrt(spec.imageBytes / 3));
      const image = document.context.stream(randomBytes(side * side * 3), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: side,
        Height: side,
        ColorSpace: 'DeviceRGB',
        BitsPerComponent: 8,
      });
      page.node.setXObject(PDFName.of('Noise'), document.context.register(image));
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(100, 0, 0, 100, 56, 40),
        drawObject('Noise'),
        popGraphicsState(),
      );
    }
  }
  return document.save();
}

/**
 * A PDF that says it is encrypted with a user password: pdf-lib cannot encrypt, but an `/Encrypt`
 * dictionary whose password check fails is all a reader needs to ask for the password.
 */
export async function buildPasswordProtectedPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage().drawText('Secret text', { x: 56, y: 700, size: 11, font });
  const context = document.context;
  const check = () => PDFHexString.of(randomBytes(32).toString('hex'));
  const encrypt = context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: check(), U: check() });
  context.trailerInfo.Encrypt = context.register(encrypt);
  const id = PDFHexString.of(randomBytes(16).toString('hex'));
  context.trailerInfo.ID = context.obj([id, id]);
  return document.save({ useObjectStreams: false });
}

export type DocxParagraph = { text: string; style?: string } | { listItem: string } | { table: string[][] };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function paragraphXml(text: string, style?: string): string {
  const properties = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  return `<w:p>${properties}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
}

function blockXml(block: DocxParagraph): string {
  if ('listItem' in block) {
    return `<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>${escapeXml(block.listItem)}</w:t></w:r></w:p>`;
  }
  if ('table' in block) {
    const rows = block.table.map(
      (row) => `<w:tr>${row.map((cell) => `<w:tc>${paragraphXml(cell)}</w:tc>`).join('')}</w:tr>`,
    );
    return `<w:tbl>${rows.join('')}</w:tbl>`;
  }
  return paragraphXml(block.text, block.style);
}

const NUMBERING_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>`;

/** A minimal valid DOCX: content types, the package relationships and the main document (with a list style). */
export async function buildDocx(
  blocks: DocxParagraph[],
  options: { padding?: number } = {},
): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="bin" ContentType="application/octet-stream"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`,
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>`,
  );
  zip.file('word/numbering.xml', NUMBERING_XML);
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${blocks.map(blockXml).join('')}</w:body></w:document>`,
  );
  // Stored, not deflated: random bytes make the file as large as asked.
  if (options.padding)
    zip.file('word/media/padding.bin', randomBytes(options.padding), { compression: 'STORE' });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
