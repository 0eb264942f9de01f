// Hands a file the admin panel fetched (a CSV: its route needs the admin's token, so a plain link would not do)
// to the browser as a download.
export function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser reads the blob after the click returns; free it once the download surely started.
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}
