/**
 * The three evidence CSVs of data/evidence/, served from this app (so the browser's loader reads
 * them offline, same origin): /data/evidence/<file>.csv, prerendered at build time.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { EVIDENCE_FILES } from "@/lib/evidence/files.ts";

export const dynamic = "force-static";
export const dynamicParams = false;

export function generateStaticParams() {
  return EVIDENCE_FILES.map((f) => ({ file: f.file }));
}

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (!EVIDENCE_FILES.some((f) => f.file === file)) return new Response("not found", { status: 404 });
  const text = await readFile(join(process.cwd(), "data/evidence", file), "utf8");
  return new Response(text, { headers: { "content-type": "text/csv; charset=utf-8", "cache-control": "public, max-age=3600" } });
}
