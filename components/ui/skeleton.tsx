/** A grey pulsing block shown while a widget loads. */
export function Skeleton({ className = "h-32" }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded-xl bg-slate-200 ${className}`} />;
}
