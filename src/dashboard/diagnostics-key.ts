/** Opens diagnostics on the D key (not while typing in a field or inside a dialog), on the dashboard and the fleet view alike. */
export function openOnDiagnosticsKey(open: () => void): void {
  document.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement | null;
    if (event.key.toLowerCase() !== "d" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target?.closest("input, textarea, select, dialog, [contenteditable]")) return;
    open();
  });
}
