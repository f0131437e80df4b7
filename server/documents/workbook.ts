/**
 * The platform's Excel sheets share one shape: a bold header row of named, sized columns, then the rows.
 * A sheet is described by its columns as [header, key, width] and filled from plain objects by key.
 */
import ExcelJS from 'exceljs';

export type ColumnSpec = readonly [header: string, key: string, width: number];

export function newWorkbook(creator = '三级视频会议与值班平台'): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = creator;
  return wb;
}

export function tableSheet(wb: ExcelJS.Workbook, name: string, columns: readonly ColumnSpec[], rows: Iterable<object> = []): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map(([header, key, width]) => ({ header, key, width }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  return ws;
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
