/**
 * Packing of QuantizedMatrix codes for integer kernels (PackedMatrix in types.ts): bits <= 4 stores
 * two codes per byte, the even column in the low nibble, each row padded to whole bytes; bits 5..8
 * keep one code per byte. Scales and zeros are shared with the input, not copied.
 */
import type { PackedMatrix } from "../kernels/types.ts";
import type { QuantizedMatrix } from "./types.ts";

/** Packs codes: 4-bit nibbles (bits <= 4) or one byte per code (bits 5..8). */
export function packMatrix(q: QuantizedMatrix): PackedMatrix {
  const { rows, cols, codes } = q;
  const bits = q.bits <= 4 ? 4 : 8;
  // one byte per code: a copy of the codes
  if (bits === 8) return { bits, rows, cols, groupSize: q.groupSize, rowBytes: cols, data: codes.slice(), scales: q.scales, zeros: q.zeros };
  const rowBytes = Math.ceil(cols / 2), data = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const src = r * cols, dst = r * rowBytes;
    // two codes per byte: (codes[2j+1] << 4) | codes[2j]
    for (let j = 0; 2 * j + 1 < cols; j++) data[dst + j] = (codes[src + 2 * j + 1]! << 4) | codes[src + 2 * j]!;
    // odd row length: the last code alone in a low nibble
    if (cols % 2 === 1) data[dst + rowBytes - 1] = codes[src + cols - 1]!;
  }
  return { bits, rows, cols, groupSize: q.groupSize, rowBytes, data, scales: q.scales, zeros: q.zeros };
}

/** Unpacks to one code per byte; bits (2..8) and sym are not stored in PackedMatrix, so the caller gives them. */
export function unpackMatrix(p: PackedMatrix, bits: QuantizedMatrix["bits"] = p.bits, sym = false): QuantizedMatrix {
  const { rows, cols, rowBytes, data } = p;
  if ((p.bits === 4) !== (bits <= 4)) throw new RangeError(`unpackMatrix: ${bits}-bit codes cannot come from ${p.bits}-bit packing`);
  const codes = p.bits === 8 ? data.slice(0, rows * cols) : new Uint8Array(rows * cols);
  if (p.bits === 4) {
    for (let r = 0; r < rows; r++) {
      // even column from the low nibble, odd from the high
      for (let c = 0; c < cols; c++) {
        const byte = data[r * rowBytes + (c >> 1)]!;
        codes[r * cols + c] = c & 1 ? byte >> 4 : byte & 15;
      }
    }
  }
  return { bits, sym, rows, cols, groupSize: p.groupSize, codes, scales: p.scales, zeros: p.zeros };
}
