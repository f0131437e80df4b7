/**
 * A file the browser saves (Excel, Word, PDF, a recording): its type, an ASCII name for old clients, and the
 * real (Chinese) name in RFC 5987 form, which every current browser uses. The audit trail reads this header
 * to record what was downloaded, so every download goes through here.
 */
import type { Response } from 'express';

export const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

export function sendDownload(res: Response, type: string, file: { filename: string; ascii?: string; data: Buffer }): void {
  const ascii = file.ascii ? `filename="${file.ascii.replace(/[^\x20-\x7e]|"/g, '_')}"; ` : '';
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `attachment; ${ascii}filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  res.send(file.data);
}
