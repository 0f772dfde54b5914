/**
 * Browser adapter: a File or Blob the user picked or dropped, or a picked folder's Files
 * (`<input type=file multiple webkitdirectory>`) → a ModelLocation. Read by Blob slices.
 */
import { blobSource } from "./source-blob.ts";
import type { FileSet, ModelLocation } from "./types.ts";

/** One picked File or Blob: a model file with no folder beside it. */
export function blobLocation(blob: Blob): ModelLocation {
  return { kind: "file", src: blobSource(blob) };
}

/** A picked folder's Files, looked up by base name. */
export function fileListSet(files: File[]): FileSet {
  const byName = new Map(files.map((f) => [f.name, f]));
  const first = files[0]?.webkitRelativePath?.split("/")[0] || files[0]?.name || "files";
  return {
    name: first,
    list: async () => [...byName.keys()],
    open: async (name) => {
      const f = byName.get(name.split("/").pop()!);
      return f ? blobSource(f, f.name) : null;
    },
  };
}
