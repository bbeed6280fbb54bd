/** Hands the viewer a file made in the page (a CSV of what they see), with no round trip to a server. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
