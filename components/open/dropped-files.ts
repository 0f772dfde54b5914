/** Files of a drop: plain files, or every file inside a dropped folder (one level of nesting per call). */

function entryFiles(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) return new Promise((res, rej) => (entry as FileSystemFileEntry).file((f) => res([f]), rej));
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  return new Promise((res, rej) => {
    const all: FileSystemEntry[] = [];
    // readEntries returns batches until an empty one
    const next = () => reader.readEntries(async (batch) => {
      if (batch.length) { all.push(...batch); next(); return; }
      try { res((await Promise.all(all.map(entryFiles))).flat()); } catch (e) { rej(e); }
    }, rej);
    next();
  });
}

/** Everything dropped, folders expanded. */
export async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files];
  return (await Promise.all(entries.map(entryFiles))).flat();
}
