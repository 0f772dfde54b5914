/**
 * The report's inputs kept in the URL (lib/share/report-url-state.ts): read on mount, when `key`
 * changes (another model on screen) and whenever writeReportLink changes them (a report bundle
 * opened, an input edited), written with history.replaceState so the address stays a link that
 * reopens the same report.
 */
import { useCallback, useEffect, useState } from "react";
import { DEFAULT_REPORT_LINK, decodeReportLink, encodeReportLink, type ReportLinkState } from "@/lib/share/report-url-state.ts";

/** Fired on window when the report inputs in the address change (every useReportLink re-reads them). */
const LINK_EVENT = "quantlens:report-link";

/** Writes `s` into the address bar, keeping every other parameter. */
export function writeReportLink(s: ReportLinkState): void {
  const u = new URL(location.href);
  const q = encodeReportLink(u.searchParams, s).toString();
  history.replaceState(history.state, "", `${u.pathname}${q ? `?${q}` : ""}`);
  window.dispatchEvent(new Event(LINK_EVENT));
}


/** The URL's report inputs (defaults until mounted) and a setter that patches and writes them. */
export function useReportLink(key: string): [ReportLinkState, (patch: Partial<ReportLinkState>) => void, boolean] {
  const [s, setS] = useState<ReportLinkState>(DEFAULT_REPORT_LINK);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const read = () => setS((old) => { const now = decodeReportLink(location.search); return JSON.stringify(now) === JSON.stringify(old) ? old : now; });
    read();
    setReady(true);
    window.addEventListener(LINK_EVENT, read);
    return () => window.removeEventListener(LINK_EVENT, read);
  }, [key]);
  // the URL is the truth: patch what it holds now (another view may have written since)
  const set = useCallback((patch: Partial<ReportLinkState>) => writeReportLink({ ...decodeReportLink(location.search), ...patch }), []);
  return [s, set, ready];
}

/** Copies `text` to the clipboard; without permission, returns it to show for copying by hand. */
export async function copyText(text: string, done: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return done;
  } catch {
    return text;
  }
}
