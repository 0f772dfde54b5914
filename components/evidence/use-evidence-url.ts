/**
 * The explorer's and the recommendation view's state, kept in the URL beside the dashboard's
 * ViewState (lib/share/evidence-url-state.ts validates it). Read once on mount, written with
 * history.replaceState, so the address stays a share link.
 */
import { useCallback, useEffect, useState } from "react";
import {
  decodeExplorer, decodeRecommend, encodeEvidenceState, type ExplorerState, type RecommendState,
} from "@/lib/share/evidence-url-state.ts";

function write(e: ExplorerState | null, r: RecommendState | null) {
  const u = new URL(location.href);
  const p = encodeEvidenceState(u.searchParams, e ?? decodeExplorer(u.searchParams), r ?? decodeRecommend(u.searchParams));
  const q = p.toString();
  history.replaceState(history.state, "", `${u.pathname}${q ? `?${q}` : ""}`);
}

/** The explorer state of the URL (null until mounted) and its setter. */
export function useExplorerUrl(): [ExplorerState | null, (s: ExplorerState) => void] {
  const [s, setS] = useState<ExplorerState | null>(null);
  useEffect(() => setS(decodeExplorer(location.search)), []);
  const set = useCallback((next: ExplorerState) => { setS(next); write(next, null); }, []);
  return [s, set];
}

/** The recommendation inputs of the URL (null until mounted) and their setter. */
export function useRecommendUrl(): [RecommendState | null, (s: RecommendState) => void] {
  const [s, setS] = useState<RecommendState | null>(null);
  useEffect(() => setS(decodeRecommend(location.search)), []);
  const set = useCallback((next: RecommendState) => { setS(next); write(null, next); }, []);
  return [s, set];
}
