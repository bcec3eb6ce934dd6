import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

/** exceljs, loaded when a workbook is first written: loading it takes a third of a second that most `cmehub` commands never need. */
export function loadExcelJS(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then((module) => module.default);
  return loaded;
}
