/**
 * Safe XML parsing for CAP with libxml2 (WebAssembly): size-limited, no DTD at all (so no external or
 * internal entities, no billion laughs), no network, no XInclude. The result is our plain element tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ParseOption, XmlDocument, XmlElement, XmlText, XmlCData, XsdValidator } from 'libxml2-wasm';
import type { XNode } from './capModel.ts';

export const MAX_CAP_BYTES = 256 * 1024;

export class UnsafeXmlError extends Error {
  constructor(
    readonly code: 'TOO_LARGE' | 'DTD_FORBIDDEN' | 'NOT_XML' | 'TOO_DEEP',
    message: string,
  ) {
    super(message);
  }
}

// NO_XXE and NONET: nothing is ever fetched; XINCLUDE, NOENT and DTDLOAD are deliberately absent.
const OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOCDATA;
const MAX_DEPTH = 16;
const MAX_ELEMENTS = 5000;

function toTree(e: XmlElement, depth: number, budget: { left: number }): XNode {
  if (depth > MAX_DEPTH) throw new UnsafeXmlError('TOO_DEEP', `elements nested deeper than ${MAX_DEPTH}`);
  if (--budget.left < 0) throw new UnsafeXmlError('TOO_LARGE', `more than ${MAX_ELEMENTS} elements`);
  const node: XNode = { name: e.name, ns: e.namespaceUri ?? '', text: '', children: [] };
  for (let c = e.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) node.children.push(toTree(c, depth + 1, budget));
    else if (c instanceof XmlText || c instanceof XmlCData) node.text += c.content;
  }
  if (node.children.length && !node.text.trim()) node.text = '';
  return node;
}

/** Parses untrusted XML into an element tree, or throws UnsafeXmlError / a parse error with a message. */
export function parseCapXml(body: Buffer | string): XNode {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (buf.length > MAX_CAP_BYTES) throw new UnsafeXmlError('TOO_LARGE', `document larger than ${MAX_CAP_BYTES} bytes`);
  // A DOCTYPE is never needed by CAP and is where entity attacks live: refuse before parsing.
  if (/<!DOCTYPE|<!ENTITY/i.test(buf.toString('latin1'))) throw new UnsafeXmlError('DTD_FORBIDDEN', 'DOCTYPE/ENTITY declarations are not accepted');
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), { option: OPTIONS });
  } catch (e) {
    throw new UnsafeXmlError('NOT_XML', `not well-formed XML: ${(e as Error).message.trim()}`);
  }
  try {
    if (doc.dtd) throw new UnsafeXmlError('DTD_FORBIDDEN', 'DOCTYPE declarations are not accepted');
    return toTree(doc.root, 0, { left: MAX_ELEMENTS });
  } finally {
    doc.dispose();
  }
}

/** ../shared/standards/cap-1.2.xsd beside the repository root; CAP_XSD_PATH overrides (e.g. from a git worktree). */
export const capXsdPath = () => process.env.CAP_XSD_PATH || path.resolve(import.meta.dirname, '../../../shared/standards/cap-1.2.xsd');

/**
 * The OASIS CAP 1.2 XSD, read at run time from beside the repository (reference data, never copied in).
 * Returns null when the file is absent.
 */
export function loadCapXsd(file: string): { validate(xml: string): string[]; dispose(): void } | null {
  if (!fs.existsSync(file)) return null;
  const xsdDoc = XmlDocument.fromString(fs.readFileSync(file, 'utf8'), { option: ParseOption.XML_PARSE_NONET });
  const validator = XsdValidator.fromDoc(xsdDoc);
  return {
    validate(xml: string): string[] {
      let doc: XmlDocument;
      try {
        doc = XmlDocument.fromString(xml, { option: OPTIONS });
      } catch (e) {
        return [(e as Error).message];
      }
      try {
        validator.validate(doc);
        return [];
      } catch (e) {
        const details = (e as { details?: { message: string }[] }).details;
        return details?.length ? details.map((d) => d.message.trim()) : [(e as Error).message.trim()];
      } finally {
        doc.dispose();
      }
    },
    dispose() {
      validator.dispose();
      xsdDoc.dispose();
    },
  };
}
