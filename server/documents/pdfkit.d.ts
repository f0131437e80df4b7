/** The part of pdfkit (no bundled types) the bulletin and official-document PDFs use. */
declare module 'pdfkit' {
  export interface TextOptions {
    width?: number;
    align?: 'left' | 'center' | 'right' | 'justify';
    indent?: number;
    lineGap?: number;
    paragraphGap?: number;
    characterSpacing?: number;
    continued?: boolean;
    lineBreak?: boolean;
  }
  interface DocumentOptions {
    size?: string | [number, number];
    margins?: { top: number; bottom: number; left: number; right: number };
    info?: Record<string, string>;
    autoFirstPage?: boolean;
    bufferPages?: boolean;
    lang?: string;
  }
  class PDFDocument {
    constructor(options?: DocumentOptions);
    x: number;
    y: number;
    page: { width: number; height: number; margins: { top: number; bottom: number; left: number; right: number } };
    registerFont(name: string, src: Buffer | Uint8Array): this;
    font(name: string): this;
    fontSize(size: number): this;
    fillColor(color: string): this;
    strokeColor(color: string): this;
    lineWidth(w: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    stroke(): this;
    text(text: string, options?: TextOptions): this;
    text(text: string, x: number, y: number, options?: TextOptions): this;
    moveDown(lines?: number): this;
    heightOfString(text: string, options?: TextOptions): number;
    widthOfString(text: string, options?: TextOptions): number;
    currentLineHeight(includeGap?: boolean): number;
    addPage(): this;
    bufferedPageRange(): { start: number; count: number };
    /** With bufferPages: go back to page n (0-based) to draw on it, e.g. page numbers. */
    switchToPage(n: number): this;
    on(event: 'data', fn: (chunk: Buffer) => void): this;
    on(event: 'end' | 'error', fn: (err?: Error) => void): this;
    end(): void;
  }
  export default PDFDocument;
}
