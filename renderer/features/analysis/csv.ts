// CSV of what the analysis view shows, built here from the figures on screen (the center's CSV
// routes need the session's bearer token, which the renderer never holds). csv-stringify, the same
// library the center writes its CSV with: quoting, a BOM for spreadsheets, and cells starting
// = + - @ made inert (escape_formulas). Loaded on the first export only, like uPlot, so the app's
// first load does not carry it.
import { downloadBlob } from '../attachments/download';

export type CsvCell = string | number | null;

export async function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): Promise<string> {
  const { stringify } = await import('csv-stringify/browser/esm/sync');
  return stringify([header, ...rows] as CsvCell[][], { bom: true, escape_formulas: true });
}

/** Hands the text to the browser (or Electron) as a file download. */
export function downloadCsv(fileName: string, text: string): void {
  downloadBlob(fileName, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}
