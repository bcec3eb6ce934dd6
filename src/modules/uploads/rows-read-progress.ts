/**
 * How far an upload's rows have come through its file, told by the rows rather than by the reader's place. The reader
 * says how far it has read a piece of the file at a time, ahead of the rows taken or behind them: its own place had
 * the page guess a file of 4,000 rows at 1,600, and a workbook's shared text, read before its rows, would count as
 * rows. So the place of the rows taken is their count at the bytes a row takes between two of the reader's readings,
 * as a share of the bytes that hold rows: those after the bytes read before the piece the first rows came from.
 */
export function rowsReadProgress(fileBytes: number) {
  let rowsTaken = 0;
  let bytesBeforeRows = 0;
  let bytesReadBeforeRows = 0;
  let firstReading: { bytes: number; rows: number } | null = null;
  let lastReading: { bytes: number; rows: number } | null = null;
  let placeOfRowsTaken = 0;
  return {
    /** The reader's word of how far it has read. */
    read(bytes: number): void {
      if (rowsTaken === 0) {
        bytesBeforeRows = bytesReadBeforeRows;
        bytesReadBeforeRows = bytes;
        return;
      }
      // Said again after each batch of rows of the same piece: the rows of a piece are counted from its first saying.
      const latest = lastReading ?? firstReading;
      if (latest && (latest.bytes === bytes || latest.rows === rowsTaken)) return;
      if (firstReading) lastReading = { bytes, rows: rowsTaken };
      else firstReading = { bytes, rows: rowsTaken };
    },
    /** A row handed over by the reader, whether it is taken in or skipped as taken in before a restart. */
    rowTaken(): void {
      rowsTaken += 1;
    },
    /**
     * The bytes of the file the rows taken have come through, but `rowsHeld` (read past a chunk, for the next): 0
     * until two readings tell the bytes a row takes, and never back, as that measure may come out a little lower.
     */
    bytesThrough(rowsHeld: number): number {
      if (!firstReading || !lastReading) return placeOfRowsTaken;
      const bytesPerRow = (lastReading.bytes - firstReading.bytes) / (lastReading.rows - firstReading.rows);
      const shareOfRows = ((rowsTaken - rowsHeld) * bytesPerRow) / Math.max(1, fileBytes - bytesBeforeRows);
      placeOfRowsTaken = Math.max(placeOfRowsTaken, Math.round(shareOfRows * fileBytes));
      return placeOfRowsTaken;
    },
  };
}
