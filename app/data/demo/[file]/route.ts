/**
 * The demo's model file and evaluation text of data/demo/, served from this app (same origin, works
 * offline): /data/demo/stories260K.gguf and /data/demo/tinystories_valid_excerpt.txt, with their
 * size and by byte range (lib/formats/source-http.ts reads models with `Range` requests and needs
 * the size), so the demo can be evaluated in the browser with no file picked.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { byteRange, DEMO_SERVED_FILES } from "@/lib/demo/files.ts";

async function serve(req: Request, file: string, body: boolean): Promise<Response> {
  const served = DEMO_SERVED_FILES.find((f) => f.file === file);
  if (!served) return new Response("not found", { status: 404 });
  const bytes = new Uint8Array(await readFile(join(process.cwd(), "data/demo", served.file)));
  const headers: Record<string, string> = { "content-type": served.type, "accept-ranges": "bytes", "cache-control": "public, max-age=3600" };
  const range = byteRange(req.headers.get("range"), bytes.length);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${bytes.length}` } });
  const part = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${bytes.length}`;
  headers["content-length"] = String(part.length);
  return new Response(body ? part : null, { status: range ? 206 : 200, headers });
}

export async function GET(req: Request, { params }: { params: Promise<{ file: string }> }) {
  return serve(req, (await params).file, true);
}

export async function HEAD(req: Request, { params }: { params: Promise<{ file: string }> }) {
  return serve(req, (await params).file, false);
}
