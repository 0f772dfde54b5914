/** Node: an onnxruntime-web engine from a model.onnx on disk and the external data files it names. */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { FormatError } from "../../formats/errors.ts";
import { openOnnx } from "../../formats/onnx.ts";
import { openFileSource } from "../../formats/source-node.ts";
import { openOrtEngine, type OrtEngine, type OrtEngineOptions } from "./engine.ts";
import { bytesSource } from "./bytes-source.ts";

/** Reads a file whole; a missing or unreadable file becomes a FormatError naming it. */
async function readWhole(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new FormatError(path, "open", (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message);
  }
}

/** The external data locations `modelBytes` names (our ONNX reader opens each to check its ranges). */
export async function externalLocations(path: string, modelBytes: Uint8Array): Promise<string[]> {
  const locations: string[] = [];
  const dir = dirname(path);
  const source = await openOnnx(bytesSource(modelBytes, path), {
    resolveExternal: async (loc) => {
      locations.push(loc);
      try {
        return await openFileSource(join(dir, loc));
      } catch (e) {
        throw new FormatError(path, "external_data", `cannot open "${loc}" beside it (${(e as Error).message})`);
      }
    },
  });
  await source.close();
  return locations;
}

/** Opens `path` (a model.onnx) and its external data files from disk in onnxruntime-web. */
export async function openOrtEngineFromPath(path: string, opts: OrtEngineOptions = {}): Promise<OrtEngine> {
  const modelBytes = await readWhole(path);
  const locations = await externalLocations(path, modelBytes);
  const externalData = await Promise.all(locations.map(async (loc) => ({ path: loc, data: await readWhole(join(dirname(path), loc)) })));
  return openOrtEngine({ modelBytes, externalData, name: path }, opts);
}
